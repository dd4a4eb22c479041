"""The ``statistiques`` process over HTTP: the seed figures of the Atlas (world, France, Burkina Faso) come
out exactly, in every output format."""

from __future__ import annotations

import csv
import io
import xml.etree.ElementTree as ET

import pytest
from process_helpers import fr, pdf_info, pdf_pages, reference_csv, save_pdf

SCOPES = {"monde": {"type": "monde"}, "france": {"type": "france"}, "pays:BF": {"type": "pays", "code": "BF"}}
COUNTS = (
    "collectivites_francaises_engagees",
    "collectivites_partenaires",
    "collectivites_en_recherche",
    "projets_cooperation_decentralisee",
    "projets_actions_exterieures",
    "demandes_cooperation",
    "pays",
)


@pytest.fixture(scope="module")
def stats(process_server):
    """The JSON statistics of the three seed scopes."""
    out = {}
    for scope, portee in SCOPES.items():
        r = process_server.execute("statistiques", {"portee": portee, "top": 11})
        assert r.status_code == 200, r.text
        assert r.headers["Content-Type"].startswith("application/json")
        out[scope] = r.json()
    return out


@pytest.mark.parametrize("row", reference_csv("seed_figures.csv"), ids=lambda r: f"{r['scope']}-{r['indicator']}")
def test_seed_figure(stats, row):
    result = stats[row["scope"]]
    expected = int(row["value"])
    if row["indicator"].startswith("apd_"):
        by_year = {r["annee"]: r["montant"] for r in result["apd_par_annee"]}
        assert by_year[int(row["indicator"][4:])] == expected
    else:
        assert result[row["indicator"]] == expected


def test_top_collectivities_of_the_guide(stats):
    expected = reference_csv("seed_top_collectivites.csv")
    top = stats["monde"]["top_collectivites"]
    assert [(t["rang"], t["nom"], t["type_collectivite"], t["nb_projets"]) for t in top[:10]] == [
        (int(r["rang"]), r["collectivite"], r["type_collectivite"], int(r["nombre_projets"])) for r in expected
    ]
    assert len(top) == 11 and top[10]["nb_projets"] <= 85
    assert all(set(t) >= {"rang", "id", "nom", "type_collectivite", "nb_projets"} for t in top)


def test_output_contract_of_the_plugin(stats):
    """The keys the QGIS plugin reads, with their shapes; splits add up to the projects."""
    for result in stats.values():
        for key in COUNTS:
            assert isinstance(result[key], int)
        assert all(set(r) == {"annee", "montant"} for r in result["apd_par_annee"])
        total = result["projets_cooperation_decentralisee"] + result["projets_actions_exterieures"]
        for key in ("repartition_pays", "repartition_thematiques", "repartition_continents"):
            rows = result[key]
            assert all(set(r) >= {"code", "libelle", "nombre", "pourcentage"} for r in rows)
            assert sum(r["nombre"] for r in rows) == total
            assert abs(sum(r["pourcentage"] for r in rows) - 100.0) < 0.1
        assert result["donnees"]["synthetique"] is True
        assert "SYNTHÉTIQUES" in result["donnees"]["avertissement"]
    bf = stats["pays:BF"]
    assert bf["description"] == "Pays : Burkina Faso"
    assert [r["code"] for r in bf["repartition_pays"]] == ["BF"]
    assert bf["repartition_continents"][0] == {
        "code": "afrique",
        "libelle": "Afrique",
        "nombre": 515,
        "pourcentage": 100.0,
    }


def test_criteria_directly_equal_the_scope(process_server, stats):
    r = process_server.execute("statistiques", {"pays": ["BF"], "top": 11})
    assert r.status_code == 200
    got = r.json()
    for key in COUNTS + ("apd_par_annee", "top_collectivites", "repartition_thematiques"):
        assert got[key] == stats["pays:BF"][key], key


def test_search_combines_scope_and_criteria(process_server, stats):
    r = process_server.execute(
        "statistiques", {"portee": {"type": "pays", "code": "BF"}, "thematique": "eau_assainissement", "lang": "en"}
    )
    assert r.status_code == 200
    got = r.json()
    water = next(t for t in stats["pays:BF"]["repartition_thematiques"] if t["code"] == "eau_assainissement")
    assert got["projets_cooperation_decentralisee"] + got["projets_actions_exterieures"] == water["nombre"]
    assert got["repartition_thematiques"] == [
        {
            "code": "eau_assainissement",
            "libelle": "Water and sanitation",
            "nombre": water["nombre"],
            "pourcentage": 100.0,
        }
    ]
    assert got["description"] == "Country: Burkina Faso · Theme: Water and sanitation"
    assert got["apd_criteres_non_appliques"] == ["thematique"]


def test_csv(process_server, stats):
    r = process_server.execute("statistiques", {"portee": {"type": "pays", "code": "BF"}, "format": "csv", "top": 11})
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    bf = stats["pays:BF"]
    figures = {row["code"]: int(row["valeur"]) for row in rows if row["section"] == "indicateurs"}
    assert figures == {k: bf[k] for k in COUNTS}
    apd = {int(row["code"]): float(row["valeur"]) for row in rows if row["section"] == "apd"}
    assert apd == {r["annee"]: r["montant"] for r in bf["apd_par_annee"]}
    top = [row for row in rows if row["section"] == "top_collectivites"]
    assert [(int(t["rang"]), t["code"], int(t["valeur"])) for t in top] == [
        (t["rang"], t["id"], t["nb_projets"]) for t in bf["top_collectivites"]
    ]
    themes = [row for row in rows if row["section"] == "repartition_thematiques"]
    assert [(t["code"], int(t["valeur"]), float(t["pourcentage"])) for t in themes] == [
        (t["code"], t["nombre"], t["pourcentage"]) for t in bf["repartition_thematiques"]
    ]


def test_png_and_svg_charts(process_server, artefacts):
    r = process_server.execute("statistiques", {"format": "png"})
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    assert r.content[:8] == b"\x89PNG\r\n\x1a\n"
    (artefacts / "statistiques-monde.png").write_bytes(r.content)
    from PIL import Image

    img = Image.open(io.BytesIO(r.content))
    assert img.size[0] > img.size[1] > 600
    r = process_server.execute(
        "statistiques", {"portee": {"type": "pays", "code": "BF"}, "format": "svg", "lang": "en"}
    )
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/svg+xml"
    (artefacts / "statistiques-BF-en.svg").write_bytes(r.content)
    root = ET.fromstring(r.content)
    assert root.tag.endswith("svg")
    text = r.content.decode("utf-8")
    assert "Declared official development aid" in text and "Burkina Faso" in text


def test_pdf_charts_and_data(process_server, stats, artefacts):
    r = process_server.execute("statistiques", {"portee": {"type": "pays", "code": "BF"}, "format": "pdf", "top": 11})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    pngs = save_pdf(artefacts, "statistiques-BF", r.content, pages=2)
    assert pngs
    pages = pdf_pages(r.content)
    text = "\n".join(pages)
    bf = stats["pays:BF"]
    assert "Recherche : Pays : Burkina Faso" in pages[0]
    assert "SYNTHÉTIQUES" in pages[0]
    for key in COUNTS:
        assert fr(bf[key]) in text
    for row in bf["apd_par_annee"]:
        assert f"{fr(int(row['montant']))} €" in text
    for t in bf["top_collectivites"]:
        assert t["nom"] in text
    assert f"Page 1 / {len(pages)}" in pages[0]
    assert pdf_info(r.content)["author"] == "CoopAtlas"
