"""The series per year of ``statistiques`` (``evolution: true``) over HTTP: equal to the series computed here
from every project and APD declaration of the test atlas (an oracle), consistent with itself (started and
ended add up, active projects follow from them), in every format, and refused with a 400 naming any bad
input."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from process_helpers import fr, pdf_pages, save_pdf
from pypdf import PdfReader

#: (inputs, which projects match, which APD declarations match): the searches of the oracle.
SEARCHES = {
    "monde": ({}, lambda p: True, lambda d: True),
    "BF": ({"pays": "BF"}, lambda p: p["pays_code"] == "BF", lambda d: d["pays_code"] == "BF"),
    # APD is not declared per theme: the theme does not filter it
    "eau": ({"thematique": "eau_assainissement"}, lambda p: p["thematique"] == "eau_assainissement", lambda d: True),
    "afrique-1990-2020": (
        {"continent": "afrique", "de": 1990, "a": 2020},
        lambda p: p["continent"] == "afrique",
        lambda d: d["continent"] == "afrique",
    ),
}


@pytest.fixture(scope="module")
def atlas(process_server):
    """Every project and APD declaration of the test atlas, read directly from its GeoPackage."""
    columns = (
        "id",
        "annee_lancement",
        "annee_fin",
        "collectivite_id",
        "pays_code",
        "continent",
        "thematique",
        "type_action",
    )
    projects = [dict(zip(columns, r)) for r in process_server.gpkg_rows(f"SELECT {', '.join(columns)} FROM projets")]
    declarations = [
        dict(zip(("annee", "montant", "pays_code", "continent"), r))
        for r in process_server.gpkg_rows("SELECT annee, montant, pays_code, continent FROM apd")
    ]
    return projects, declarations


def _active(project: dict, year: int) -> bool:
    start, end = project["annee_lancement"], project["annee_fin"]
    return start is not None and start <= year and (end is None or end >= year)


def oracle(projects: list[dict], declarations: list[dict], first: int | None = None, last: int | None = None):
    """The series, computed here: the years of the data (or ``first``..``last``), every figure per year."""
    dated = [p for p in projects if p["annee_lancement"] is not None]
    if first is None:
        years = [p["annee_lancement"] for p in dated] + [d["annee"] for d in declarations]
        first = min(years)
        last = max(years + [p["annee_fin"] for p in dated if p["annee_fin"] is not None])
    apd = Counter()
    for d in declarations:
        apd[d["annee"]] += d["montant"]
    rows = []
    for year in range(first, last + 1):
        active = [p for p in dated if _active(p, year)]
        rows.append(
            {
                "annee": year,
                "projets_lances": sum(p["annee_lancement"] == year for p in dated),
                "projets_actifs": len(active),
                "projets_termines": sum(p["annee_fin"] == year for p in dated),
                "collectivites_francaises_engagees": len({p["collectivite_id"] for p in active}),
                "pays": len({p["pays_code"] for p in active}),
                "apd": float(apd[year]),
            }
        )
    return rows


def evolution(process_server, inputs: dict) -> dict:
    r = process_server.execute("statistiques", {**inputs, "evolution": True})
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"].startswith("application/json")
    return r.json()


@pytest.fixture(scope="module")
def results(process_server):
    return {name: evolution(process_server, inputs) for name, (inputs, _p, _d) in SEARCHES.items()}


@pytest.mark.parametrize("name", SEARCHES)
def test_series_equal_the_oracle(atlas, results, name):
    inputs, project_matches, apd_matches = SEARCHES[name]
    projects = [p for p in atlas[0] if project_matches(p)]
    declarations = [d for d in atlas[1] if apd_matches(d)]
    got = results[name]
    expected = oracle(projects, declarations, inputs.get("de"), inputs.get("a"))
    assert (got["de"], got["a"]) == (expected[0]["annee"], expected[-1]["annee"])
    assert len(got["annees"]) > 20
    for row, want in zip(got["annees"], expected, strict=True):
        assert row == pytest.approx(want), row["annee"]
    assert got["projets_sans_annee"] == sum(p["annee_lancement"] is None for p in projects)
    assert got["apd_criteres_non_appliques"] == (["thematique"] if name == "eau" else [])
    assert got["donnees"]["synthetique"] is True


@pytest.mark.parametrize("name", SEARCHES)
def test_started_and_ended_add_up(atlas, results, name):
    """Started and ended add up to the projects launched and ended in the range; active(y) = active(y-1) +
    started(y) - ended(y-1)."""
    _inputs, project_matches, _d = SEARCHES[name]
    got = results[name]
    first, last = got["de"], got["a"]
    dated = [p for p in atlas[0] if project_matches(p) and p["annee_lancement"] is not None]
    rows = got["annees"]
    assert [r["annee"] for r in rows] == list(range(first, last + 1))  # no gap
    assert got["totaux"]["projets_lances"] == sum(r["projets_lances"] for r in rows)
    assert got["totaux"]["projets_lances"] == sum(first <= p["annee_lancement"] <= last for p in dated)
    assert got["totaux"]["projets_termines"] == sum(
        p["annee_fin"] is not None and first <= p["annee_fin"] <= last for p in dated
    )
    assert rows[0]["projets_actifs"] == sum(_active(p, first) for p in dated)
    for before, row in zip(rows, rows[1:]):
        assert row["projets_actifs"] == before["projets_actifs"] + row["projets_lances"] - before["projets_termines"]


def test_world_covers_every_dated_project(atlas, results):
    world = results["monde"]
    assert world["totaux"]["projets_lances"] + world["projets_sans_annee"] == len(atlas[0])
    assert world["description"] == "" or isinstance(world["description"], str)
    # the range past the data is filled with zeros for started and ended projects
    africa = results["afrique-1990-2020"]
    late = [r for r in africa["annees"] if r["annee"] > 2013]
    assert len(late) == 7 and all(r["projets_lances"] == r["projets_termines"] == 0 for r in late)
    assert len({r["projets_actifs"] for r in late}) == 1 and late[0]["projets_actifs"] > 0


@pytest.mark.parametrize("par,groups", [("thematique", 3), ("pays", 5), ("type_action", 8)])
def test_split_by_a_dimension(process_server, atlas, results, par, groups):
    """Each group equals the oracle on its projects; the groups add up to the whole search; the groups
    shown are those with the most projects active in the range, the others in ``_autres``."""
    got = evolution(process_server, {"continent": "afrique", "par": par, "groupes": groups})
    whole = evolution(process_server, {"continent": "afrique"})
    assert got["annees"] == whole["annees"]
    projects = [p for p in atlas[0] if p["continent"] == "afrique"]
    column = {"pays": "pays_code"}.get(par, par)
    sizes = Counter(p[column] for p in projects if p["annee_lancement"] is not None)
    ranked = sorted(sizes, key=lambda code: (-sizes[code], code))
    top = ranked[:groups]
    assert [g["code"] for g in got["groupes"]] == top + (["_autres"] if len(ranked) > groups else [])
    declarations = [d for d in atlas[1] if d["continent"] == "afrique"]
    for group in got["groupes"]:

        def member(value, code=group["code"]):
            return value not in top if code == "_autres" else value == code

        mine = [d for d in declarations if member(d["pays_code"])] if got["apd_par_groupe"] else []
        expected = oracle([p for p in projects if member(p[column])], mine, got["de"], got["a"])
        for row, want in zip(group["annees"], expected, strict=True):
            if not got["apd_par_groupe"]:
                assert row.pop("apd") is None
                want.pop("apd")
            assert row == pytest.approx(want), (group["code"], row["annee"])
    for key in ("projets_lances", "projets_actifs", "projets_termines"):
        for i, row in enumerate(got["annees"]):
            assert sum(g["annees"][i][key] for g in got["groupes"]) == row[key]
    assert got["apd_par_groupe"] is (par == "pays")
    assert got["par"] == par and got["par_libelle"]


def test_csv_one_row_per_year_and_group(process_server):
    inputs = {"pays": "BF", "par": "thematique", "groupes": 2, "evolution": True}
    got = process_server.execute("statistiques", inputs).json()
    r = process_server.execute("statistiques", {**inputs, "format": "csv"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    blocks = [("_ensemble", got["annees"])] + [(g["code"], g["annees"]) for g in got["groupes"]]
    assert len(rows) == sum(len(years) for _code, years in blocks) == 4 * len(got["annees"])
    by_key = {(row["groupe"], int(row["annee"])): row for row in rows}
    for code, years in blocks:
        for year in years:
            row = by_key[(code, year["annee"])]
            assert int(row["projets_actifs"]) == year["projets_actifs"]
            assert int(row["projets_lances"]) == year["projets_lances"]
            assert int(row["pays"]) == year["pays"]
            assert (row["apd"] == "") == (year["apd"] is None)
    assert rows[0]["libelle"] == "Ensemble"


def test_charts_in_three_formats(process_server, artefacts):
    base = {"continent": "afrique", "par": "pays", "groupes": 6, "evolution": True}
    r = process_server.execute("statistiques", {**base, "format": "png"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    (artefacts / "statistiques-evolution-afrique.png").write_bytes(r.content)
    r = process_server.execute("statistiques", {**base, "format": "svg", "lang": "en"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/svg+xml"
    assert ET.fromstring(r.content).tag.endswith("svg")
    text = r.content.decode("utf-8")
    assert "Projects per year" in text and "Burkina Faso" in text and "SYNTHETIC" in text
    r = process_server.execute("statistiques", {**base, "format": "pdf"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    save_pdf(artefacts, "statistiques-evolution-afrique", r.content, pages=1)
    pages = pdf_pages(r.content)
    assert "Évolution" in pages[0] and "Continent : Afrique" in pages[0] and "SYNTHÉTIQUES" in pages[0]
    text = "\n".join(pages)
    assert "APD déclarée" in text
    got = process_server.execute("statistiques", base).json()
    for row in got["annees"]:  # every year in the table, with its figures
        figures = [row[k] for k in ("projets_lances", "projets_actifs", "projets_termines")]
        assert "\n".join([str(row["annee"])] + [fr(n) for n in figures]) in text, row["annee"]


def test_chart_of_many_groups_keeps_ten_lines(process_server):
    """Every country one by one in the JSON; on the chart, nine countries and the others as one line."""
    inputs = {"evolution": True, "par": "pays", "groupes": 250}
    groups = process_server.execute("statistiques", inputs).json()["groupes"]
    assert len(groups) > 100 and "_autres" not in [g["code"] for g in groups]
    r = process_server.execute("statistiques", {**inputs, "format": "svg"})
    text = r.content.decode("utf-8")
    assert f"Autres ({len(groups) - 9})" in text
    assert groups[8]["libelle"] in text and groups[9]["libelle"] not in text


BAD = [
    ({"evolution": "oui"}, "evolution"),
    ({"evolution": True, "de": 1800}, "de"),
    ({"evolution": True, "a": "2010"}, "a"),
    ({"evolution": True, "de": 2010, "a": 2000}, "de"),
    ({"evolution": True, "par": "region"}, "par"),
    ({"evolution": True, "par": "pays", "groupes": 0}, "groupes"),
    ({"evolution": True, "par": "pays", "groupes": 251}, "groupes"),
    ({"evolution": True, "groupes": 3}, "groupes"),
    ({"evolution": True, "top": 5}, "top"),
    ({"de": 2000}, "de"),
    ({"par": "pays"}, "par"),
    ({"evolution": False, "a": 2000}, "a"),
]


@pytest.mark.parametrize("inputs,name", BAD, ids=[f"{i}-{name}" for i, (_, name) in enumerate(BAD)])
def test_bad_input_is_400_naming_it(process_server, inputs, name):
    r = process_server.execute("statistiques", inputs)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert r.json()["description"].startswith(f"{name}:"), r.json()["description"]


@pytest.mark.parametrize("lang,heading,columns", [("fr", "Évolution", "Lancés"), ("en", "Evolution", "Started")])
def test_rapport_has_the_evolution_page(process_server, artefacts, lang, heading, columns):
    """The report of a search has a page "Évolution": its chart and the table of the series of the same
    search, every year with its figures (read back with poppler's pdftotext)."""
    search = {"pays": "BF", "thematique": "eau_assainissement", "lang": lang}
    got = evolution(process_server, search)
    r = process_server.execute("rapport", search)
    assert r.status_code == 200, r.text[:300]
    pages = (
        subprocess.run(["pdftotext", "-layout", "-", "-"], input=r.content, capture_output=True, check=True)
        .stdout.decode("utf-8")
        .replace("\u00a0", " ")
        .replace("\u202f", " ")
        .split("\f")
    )
    page = next(i for i, text in enumerate(pages) if re.search(rf"^\s*{heading}\s*$", text, re.M))
    text = "\n".join(pages[page : page + 2])  # the table may go on over the next page
    assert columns in pages[page]
    for row in got["annees"]:
        figures = [row[k] for k in ("projets_lances", "projets_actifs", "projets_termines")]
        assert re.search(rf"^\s*{row['annee']}\s+" + r"\s+".join(str(n) for n in figures) + r"\s", text, re.M), row
    reader = PdfReader(io.BytesIO(r.content))
    assert reader.pages[page].images, "the chart is on the page of the heading"
    if lang == "fr":
        save_pdf(artefacts, "rapport-BF-eau", r.content, pages=page + 1)
