"""A country map of one period (``datetime``) and the small multiple (``dates``) of ``carte-pays``.

Oracle: the rule of the schema written out here (a project is active from its launch year to its end
year, open-ended when it has none; a request from its submission to its validation), evaluated in Python
on every row of the country read from the atlas of the tests, against the counts the map prints in its
legend (one period) or in each panel's title (small multiple); the same rows on PostGIS as on the
GeoPackage (a throwaway cluster). Bad values are refused naming the input, in the core and through a REAL
server.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3

import pytest
import requests
from PIL import Image
from pypdf import PdfReader

from coopatlas import vocabulary as voc
from coopatlas.cartography.options import InputError, parse_options
from coopatlas.criteria import Criteria
from support.fixtures import postgis_cluster, postgis_url  # noqa: F401 - fixtures of the parity test

#: (country, datetime input, (first year, last year); None: open end).
PERIODS = [
    ("BF", "1995", (1995, 1995)),
    ("BF", "2000/2010", (2000, 2010)),
    ("ML", "../1990", (None, 1990)),
    ("BF", "2012/..", (2012, None)),
    ("ML", 2013, (2013, 2013)),
]


def active_project(start, end, first, last) -> bool:
    return start is not None and (last is None or start <= last) and (end is None or first is None or end >= first)


def active_request(submitted, validated, first, last) -> bool:
    return (
        submitted is not None
        and (last is None or submitted <= f"{last}-12-31")
        and (validated is None or first is None or validated >= f"{first}-01-01")
    )


def oracle(gpkg, country: str, first, last) -> dict[str, int]:
    """Projects by type and requests of ``country`` active from ``first`` to ``last``, counted in Python."""
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        projects = con.execute(
            "SELECT type_action, annee_lancement, annee_fin FROM projets WHERE pays_code = ?", [country]
        ).fetchall()
        requests_ = con.execute(
            "SELECT date_depot, date_validation FROM demandes WHERE pays_code = ?", [country]
        ).fetchall()
    finally:
        con.close()
    counts = {"cooperation_decentralisee": 0, "action_exterieure": 0}
    for kind, start, end in projects:
        if active_project(start, end, first, last):
            counts[kind] += 1
    counts["demande_cooperation"] = sum(active_request(s, v, first, last) for s, v in requests_)
    return counts


def svg_texts(svg: bytes) -> list[str]:
    return [t.strip() for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg.decode("utf-8"))]


def legend_count(texts: list[str], kind: str) -> int:
    label = voc.TYPES_ACTION.label(kind, "fr")
    line = next(t for t in texts if t.startswith(label + " : "))
    return int(re.sub(r"\D", "", line.rsplit(":", 1)[1].split()[0]))


@pytest.mark.parametrize(("country", "value", "years"), PERIODS, ids=[f"{c}-{v}" for c, v, _ in PERIODS])
def test_the_map_of_a_period_draws_the_projects_active_then(renders, gpkg, country, value, years):
    data, _info, options = renders.get(country, "svg", datetime=value)
    expected = oracle(gpkg, country, *years)
    texts = svg_texts(data)
    for kind in ("cooperation_decentralisee", "action_exterieure"):
        assert legend_count(texts, kind) == expected[kind], (kind, expected)
    requests_line = next(t for t in texts if t.startswith(voc.TYPES_ACTION.label("demande_cooperation", "fr")))
    assert int(re.sub(r"\D", "", requests_line.rsplit(":", 1)[1])) == expected["demande_cooperation"]
    label = options.period.label("fr")
    assert any(t.endswith(label) and "coopération décentralisée" in t for t in texts), "the title states the period"
    assert f"Projets et demandes actifs {label}" in texts, "the legend states the period"


@pytest.mark.parametrize("value", ["1995", "2000/2010", "../1990", "2011/..", "2012"])
def test_a_period_selects_the_same_rows_on_postgis(store, postgis_url, value):  # noqa: F811 - the fixture
    from coopatlas.cartography.data import country_data
    from coopatlas.cartography.period import parse_period
    from coopatlas.store import open_store

    period = parse_period(value)
    for country in ("BF", "ML", "ET"):  # ET: the country with the most requests
        on_gpkg = country_data(store, Criteria(), country, "fr", period)
        on_postgis = country_data(open_store(postgis_url), Criteria(), country, "fr", period)
        assert on_postgis.totals == on_gpkg.totals, (country, value)
        assert [(p.label, p.counts) for p in on_postgis.places] == [(p.label, p.counts) for p in on_gpkg.places]
    if value == "2012":  # requests (dates) are compared too, not only projects (years)
        assert country_data(store, Criteria(), "ET", "fr", period).totals["demande_cooperation"] > 0


def test_an_atlas_of_a_period_counts_the_countries_active_then(store, gpkg):
    """``atlas`` with ``datetime``: the countries (and their counts) with projects or requests active then."""
    from coopatlas.cartography.data import countries_with_data
    from coopatlas.cartography.period import MapPeriod

    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        projects = con.execute("SELECT pays_code, annee_lancement, annee_fin FROM projets").fetchall()
        requests_ = con.execute("SELECT pays_code, date_depot, date_validation FROM demandes").fetchall()
    finally:
        con.close()
    for first, last in ((1970, 1975), (2011, None)):
        expected: dict[str, int] = {}
        for code, start, end in projects:
            if active_project(start, end, first, last):
                expected[code] = expected.get(code, 0) + 1
        for code, submitted, validated in requests_:
            if active_request(submitted, validated, first, last):
                expected[code] = expected.get(code, 0) + 1
        assert expected, f"no country active in {first}–{last}: the test cannot fail"
        assert countries_with_data(store, Criteria(), MapPeriod(first, last)) == expected


def test_the_periods_select_different_projects(gpkg):
    """The oracle is not trivial: a year, a decade and the whole atlas differ."""
    year, decade, everything = (oracle(gpkg, "BF", *y) for y in ((1995, 1995), (2000, 2010), (None, None)))
    assert 0 < sum(year.values()) < sum(decade.values()) < sum(everything.values())


def test_a_period_in_pdf_and_png(renders):
    pdf, _, _ = renders.get("BF", "pdf", datetime="2000/2010")
    text = " ".join((PdfReader(io.BytesIO(pdf)).pages[0].extract_text() or "").split())
    assert "Burkina Faso : coopération décentralisée de 2000 à 2010" in text
    assert "Projets et demandes actifs de 2000 à 2010" in text
    png, _, _ = renders.get("BF", "png", datetime="1995", lang="en")
    assert Image.open(io.BytesIO(png)).size in ((842, 595), (841, 595), (595, 842), (595, 841))


@pytest.fixture(scope="module")
def small_multiple(store, world, artefacts):
    from coopatlas.cartography.multiples import render_small_multiple

    dates = ["1995", "2000/2005", "../1990", 2013]
    out = {}
    for fmt in ("svg", "pdf", "png"):
        options = parse_options({"country": "BF", "dates": dates, "format": fmt}, world)
        data, info = render_small_multiple(store, options, world)
        (artefacts / f"petits-multiples-BF.{fmt}").write_bytes(data)
        out[fmt] = (data, info)
    return out


def test_small_multiple_has_one_panel_per_date_with_its_projects(small_multiple, gpkg):
    svg, info = small_multiple["svg"]
    ids = set(re.findall(r'id="(panneau-\d+)"', svg.decode("utf-8")))
    assert ids == {f"panneau-{i}" for i in range(1, 5)}
    texts = svg_texts(svg)
    for period in info.periods:
        expected = oracle(gpkg, "BF", period.first, period.last)
        projects = expected["cooperation_decentralisee"] + expected["action_exterieure"]
        caption = next(t for t in texts if t.startswith(period.short() + " — "))
        numbers = [int(n) for n in re.findall(r"\d+", caption.split(" — ", 1)[1])]
        assert numbers == [projects, expected["demande_cooperation"]], caption
    assert any(t.startswith("jusqu'en 1990 — ") for t in texts) and any(t.startswith("2000–2005 — ") for t in texts)


def test_small_multiple_panels_share_extent_and_scale(small_multiple):
    _, info = small_multiple["svg"]
    assert len(info.frames) == 4
    first = info.frames[0]
    for frame in info.frames[1:]:
        assert frame.extent == first.extent
        assert frame.box.w == pytest.approx(first.box.w) and frame.box.h == pytest.approx(first.box.h)
    boxes = [f.box.bounds for f in info.frames]
    for i, a in enumerate(boxes):  # panels side by side, never on top of each other
        for b in boxes[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_small_multiple_has_one_shared_legend_and_pdf_png(small_multiple):
    svg, _ = small_multiple["svg"]
    assert len(re.findall(r'id="legende"', svg.decode("utf-8"))) == 1
    assert svg_texts(svg).count("Légende") == 1
    pdf, _ = small_multiple["pdf"]
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    png, _ = small_multiple["png"]
    assert Image.open(io.BytesIO(png)).size[0] > 0


@pytest.mark.parametrize(
    ("inputs", "name"),
    [
        ({"datetime": "19x5"}, "datetime"),
        ({"datetime": "2010/2000"}, "datetime"),
        ({"datetime": "../.."}, "datetime"),
        ({"datetime": "1995-06-01"}, "datetime"),
        ({"datetime": "1995/2000/2005"}, "datetime"),
        ({"datetime": 1800}, "datetime"),
        ({"datetime": True}, "datetime"),
        ({"dates": ["1995"]}, "dates"),
        ({"dates": [1990, 1991, 1992, 1993, 1994, 1995, 1996]}, "dates"),
        ({"dates": ["1995", 1995]}, "dates"),
        ({"dates": ["1995", "2020/2010"]}, "dates"),
        ({"dates": "1995"}, "dates"),
        ({"dates": [1995, 2000], "datetime": "2005"}, "dates"),
        ({"dates": [1995, 2000], "format": "geotiff"}, "format"),
    ],
)
def test_bad_periods_are_named(world, inputs, name):
    with pytest.raises(InputError) as err:
        parse_options({"country": "BF", **inputs}, world)
    assert err.value.param == name


def test_a_small_multiple_is_one_country(world):
    with pytest.raises(InputError) as err:
        parse_options({"atlas": "afrique", "dates": [1995, 2000]}, world)
    assert err.value.param == "dates"


def execute(server, inputs):
    return requests.post(
        f"{server.url}/processes/carte-pays/execution",
        data=json.dumps({"inputs": inputs}),
        headers={"Content-Type": "application/json"},
        timeout=180,
    )


def test_process_over_http(map_server):
    bad = execute(map_server, {"country": "BF", "datetime": "2010/2000"})
    assert bad.status_code == 400 and "datetime" in bad.text, bad.text[:300]
    bad = execute(map_server, {"country": "BF", "dates": ["1995"]})
    assert bad.status_code == 400 and "dates" in bad.text, bad.text[:300]
    ok = execute(map_server, {"country": "BF", "dates": ["1995", "2010"], "format": "svg"})
    assert ok.status_code == 200, ok.text[:300]
    assert ok.headers["Content-Type"].startswith("image/svg+xml")
    assert set(re.findall(r'id="(panneau-\d+)"', ok.text)) == {"panneau-1", "panneau-2"}
    one = execute(map_server, {"country": "BF", "datetime": 1995, "format": "svg"})
    assert one.status_code == 200 and "Projets et demandes actifs en 1995" in one.text
