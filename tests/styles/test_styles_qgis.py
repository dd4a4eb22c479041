"""Every committed style loads in Debian's QGIS 3.22 and renders what the palette says.

QGIS's Python is Debian's (``/usr/bin/python3``, 3.11) and the tests run in the 3.12 venv, so one
subprocess (``qgis_render.py``) loads and renders every case; this side builds the cases from the
schema and the style model and checks the pixels. The PNGs are kept in ``test-artefacts/styles/``
for a person to look at.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from coopatlas import schema
from coopatlas.styles import STYLES
from coopatlas.styles.model import Graduated, hex_to_rgb

ROOT = Path(__file__).resolve().parents[2]
STYLES_DIR = ROOT / "styles"
ARTEFACTS = ROOT / "test-artefacts" / "styles"
QGIS_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("qgis_render.py")

QGIS_TYPES = {
    schema.TEXT: "string",
    schema.INTEGER: "integer",
    schema.REAL: "double",
    schema.BOOLEAN: "boolean",
    schema.DATE: "date",
}
QGIS_GEOMETRY = {"POINT": "Point", "MULTILINESTRING": "MultiLineString", "MULTIPOLYGON": "MultiPolygon"}

# The family colours the atlas is known by (DATA_MODEL.md), written out here on purpose.
BLUE, YELLOW, RED = (0x1F, 0x5F, 0xBF), (0xF2, 0xC5, 0x00), (0xD6, 0x27, 0x28)


def _has_qgis() -> bool:
    if not os.path.exists(QGIS_PYTHON):
        return False
    return subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode == 0


pytestmark = pytest.mark.xdist_group("styles-qgis")  # one QGIS run renders every case for the whole module


@pytest.fixture(scope="module", autouse=True)
def qgis_is_there():
    """Every test of this module renders with Debian's QGIS: a missing one fails them (make system-deps)."""
    if not _has_qgis():
        pytest.fail("Debian's QGIS (python3-qgis at /usr/bin/python3) is needed (make system-deps)")


def _layer(cid: str) -> dict:
    coll = schema.collection(cid)
    return {
        "collection": cid,
        "geometry": QGIS_GEOMETRY[coll.geometry],
        "fields": [[f.name, QGIS_TYPES[f.type]] for f in coll.fields],
    }


def _point(lon, lat):
    return f"POINT({lon} {lat})"


def _square(lon, lat, half=1.0):
    x0, x1, y0, y1 = lon - half, lon + half, lat - half, lat + half
    return f"MULTIPOLYGON((({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0})))"


def _blend(rgb, alpha):
    """``rgb`` drawn with opacity ``alpha`` on white."""
    return tuple(round(c * alpha + 255 * (1 - alpha)) for c in rgb)


def _family_case(cid: str, fmt: str) -> dict:
    """One point per type_action and one with none, 10 degrees apart (10 px per degree)."""
    values = ["cooperation_decentralisee", "action_exterieure", "demande_cooperation", None]
    feats, probes = [], {}
    for i, v in enumerate(values):
        lon = 10 + 10 * i
        feats.append([_point(lon, 10), {"id": f"{cid}-{i}", "type_action": v}])
        probes[str(v)] = [lon, 10]
    return {
        "name": f"{cid}_{fmt}",
        "file": f"{cid}.{fmt}",
        **_layer(cid),
        "features": feats,
        "extent": [0, 0, 50, 20],
        "size": [500, 200],
        "probes": probes,
    }


def _proportional_case(cid: str, fmt: str) -> dict:
    """Circles of increasing counts in distinct colours on one row, and a big and a small one overlapping."""
    style = STYLES[cid]
    cats = style.colour.categories
    counts = [1, 5, 25, 100, 344, 1000][: len(cats)]
    field = style.colour.field
    feats, probes, runs = [], {}, {}
    for i, (cat, n) in enumerate(zip(cats, counts)):
        lon = 10 + 10 * i
        feats.append([_point(lon, 10), {"id": f"{cid}-{i}", field: cat.value, "nb_projets": n}])
        probes[f"{cat.value}:{n}"] = [lon, 10]
        runs[f"{cat.value}:{n}"] = [lon, 10, list(hex_to_rgb(cat.colour)), 0]
    # overlap: the largest count in the first colour, the smallest in the second, same place
    lon = 10 + 10 * len(counts)
    feats.append([_point(lon, 10), {"id": f"{cid}-big", field: cats[0].value, "nb_projets": 344}])
    feats.append([_point(lon, 10), {"id": f"{cid}-small", field: cats[1].value, "nb_projets": 1}])
    probes["overlap"] = [lon, 10]
    probes["overlap_ring"] = [lon + 1.2, 10]  # 12 px right of centre: inside the big circle only
    return {
        "name": f"{cid}_{fmt}",
        "file": f"{cid}.{fmt}",
        **_layer(cid),
        "features": feats,
        "extent": [0, 0, lon + 10, 20],
        "size": [(lon + 10) * 10, 200],
        "probes": probes,
        "runs": runs,
    }


def _line_case(fmt: str) -> dict:
    """One horizontal line per type_action, without antialiasing so that a pixel is the line's colour."""
    feats, probes = [], {}
    for i, v in enumerate(["cooperation_decentralisee", "action_exterieure", "demande_cooperation"]):
        lat = 5 + 5 * i
        feats.append([f"MULTILINESTRING((2 {lat}, 48 {lat}))", {"id": f"l{i}", "type_action": v}])
        probes[v] = [25, lat]
    return {
        "name": f"liens_{fmt}",
        "file": f"liens.{fmt}",
        **_layer("liens"),
        "features": feats,
        "extent": [0, 0, 50, 20],
        "size": [500, 200],
        "probes": probes,
        "antialiasing": False,
    }


def _choropleth_values(g: Graduated) -> list:
    values = [None, 0]
    for c in g.classes:
        values.append(c.lower)
        values.append(c.upper - 1 if c.upper is not None else c.lower * 10)
    return values


def _choropleth_case(cid: str, fmt: str) -> dict:
    """One square per value: null, 0, and both ends of every class."""
    values = _choropleth_values(STYLES[cid].colour)
    feats, probes = [], {}
    for i, v in enumerate(values):
        lon = 2 + 3 * i
        feats.append([_square(lon, 3), {"id": f"{cid}-{i}", "nb_projets": v}])
        probes[str(v)] = [lon, 3]
    width = 3 * len(values) + 2
    return {
        "name": f"{cid}_{fmt}",
        "file": f"{cid}.{fmt}",
        **_layer(cid),
        "features": feats,
        "extent": [0, 0, width, 6],
        "size": [width * 20, 120],
        "probes": probes,
    }


def _cases() -> list[dict]:
    cases = []
    for fmt in ("qml", "sld"):
        cases += [
            _family_case("projets", fmt),
            _family_case("demandes", fmt),
            _proportional_case("collectivites", fmt),
            _proportional_case("partenaires", fmt),
            _line_case(fmt),
        ]
        cases += [_choropleth_case(cid, fmt) for cid in ("pays", "regions", "departements")]
    return cases


def _render_in_qgis(cases: list[dict], folder: Path, timeout: float) -> dict:
    """Load and render every case in one QGIS subprocess (images in ``test-artefacts``); its answer
    ``{"qgis": version, "results": [...]}``."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    cases_json = folder / "cases.json"
    cases_json.write_text(json.dumps(cases), encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(folder)}
    proc = subprocess.run(
        [QGIS_PYTHON, str(SCRIPT), str(STYLES_DIR), str(ARTEFACTS), str(cases_json)],
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> dict[str, dict]:
    """Every case, loaded and rendered by QGIS in one subprocess: ``{case name: result}``."""
    out = _render_in_qgis(_cases(), tmp_path_factory.mktemp("qgis"), timeout=300)
    assert out["qgis"].startswith("3."), out["qgis"]
    return {r["name"]: r for r in out["results"]}


def _assert_colour(result, probe, expected, tol=0):
    got = result["probes"][probe]
    assert all(abs(a - b) <= tol for a, b in zip(got, expected)), (
        f"{result['name']}: pixel at {probe} is {got}, expected {list(expected)} (see {result['png']})"
    )


@pytest.mark.parametrize("fmt", ["qml", "sld"])
def test_every_style_loads(rendered, fmt):
    for cid in STYLES:
        r = rendered[f"{cid}_{fmt}"]
        assert r["loaded"], f"{cid}.{fmt} did not load in QGIS: {r['message']}"
        assert Path(r["png"]).stat().st_size > 0


@pytest.mark.parametrize("fmt", ["qml", "sld"])
def test_projets_render_the_three_family_colours(rendered, fmt):
    r = rendered[f"projets_{fmt}"]
    _assert_colour(r, "cooperation_decentralisee", BLUE)
    _assert_colour(r, "action_exterieure", YELLOW)
    _assert_colour(r, "demande_cooperation", RED)
    _assert_colour(r, "None", hex_to_rgb(STYLES["projets"].colour.other.colour))


def test_qml_renderers_are_qgis_own_and_labelled_in_french(rendered):
    expected = {
        "projets": "QgsCategorizedSymbolRenderer",
        "demandes": "QgsCategorizedSymbolRenderer",
        "collectivites": "QgsCategorizedSymbolRenderer",
        "partenaires": "QgsCategorizedSymbolRenderer",
        "liens": "QgsCategorizedSymbolRenderer",
        "pays": "QgsGraduatedSymbolRenderer",
        "regions": "QgsGraduatedSymbolRenderer",
        "departements": "QgsGraduatedSymbolRenderer",
    }
    for cid, renderer in expected.items():
        r = rendered[f"{cid}_qml"]
        assert r["renderer"] == renderer, cid
        entries = [(i["label"], i["colour"]) for i in r["legend"] if i["colour"]]  # the size legend has none
        assert entries == [(e.label, e.colour) for e in STYLES[cid].colour.entries], cid
    assert [i["label"] for i in rendered["projets_qml"]["legend"]][:3] == [
        "Coopération décentralisée",
        "Autre action extérieure",
        "Demande de coopération (Bourse projets)",
    ]


def test_demandes_are_red(rendered):
    for fmt in ("qml", "sld"):
        _assert_colour(rendered[f"demandes_{fmt}"], "demande_cooperation", RED)


@pytest.mark.parametrize("cid", ["collectivites", "partenaires"])
def test_proportional_circles_grow_with_the_count(rendered, cid):
    r = rendered[f"{cid}_qml"]
    style = STYLES[cid]
    assert r["order_by"] == '"nb_projets" DESC NULLS LAST'
    assert any(i["data_defined_size"] for i in r["legend"]), "no size legend"
    widths = []
    for key, (_lon, _lat) in _proportional_case(cid, "qml")["probes"].items():
        if key.startswith("overlap"):
            continue
        value, n = key.split(":")
        cat = next(c for c in style.colour.categories if c.value == value)
        _assert_colour(r, key, hex_to_rgb(cat.colour))
        run = r["runs"][key]  # the fill of the circle across its centre, in pixels
        expected = style.proportional.diameter(int(n))
        assert abs(run - expected) <= 2.5, f"{key}: {run} px across, expected about {expected:.1f} (diameter)"
        widths.append(run)
    assert widths == sorted(widths) and widths[0] < widths[-1]
    # the small circle is drawn over the big one, which still shows around it
    _assert_colour(r, "overlap", hex_to_rgb(style.colour.categories[1].colour))
    _assert_colour(r, "overlap_ring", hex_to_rgb(style.colour.categories[0].colour))


@pytest.mark.parametrize("cid", ["collectivites", "partenaires"])
def test_proportional_sld_colours(rendered, cid):
    r = rendered[f"{cid}_sld"]
    for key in r["probes"]:
        if not key.startswith("overlap"):
            value = key.split(":")[0]
            cat = next(c for c in STYLES[cid].colour.categories if c.value == value)
            _assert_colour(r, key, hex_to_rgb(cat.colour))


@pytest.mark.parametrize("fmt", ["qml", "sld"])
def test_liens_are_semi_transparent_family_colours(rendered, fmt):
    r = rendered[f"liens_{fmt}"]
    alpha = STYLES["liens"].opacity
    assert 0 < alpha < 1
    for probe, rgb in (
        ("cooperation_decentralisee", BLUE),
        ("action_exterieure", YELLOW),
        ("demande_cooperation", RED),
    ):
        _assert_colour(r, probe, _blend(rgb, alpha), tol=3)


@pytest.mark.parametrize("fmt", ["qml", "sld"])
@pytest.mark.parametrize("cid", ["pays", "regions", "departements"])
def test_choropleth_classes(rendered, cid, fmt):
    r = rendered[f"{cid}_{fmt}"]
    g = STYLES[cid].colour
    seen = set()
    for v in _choropleth_values(g):
        expected = g.colour_for(v)
        _assert_colour(r, str(v), hex_to_rgb(expected))
        seen.add(expected)
    assert seen == {e.colour for e in g.entries}, "every class and the no-data colour appear"


# --- the atlas itself, as a person sees it ----------------------------------------------------------

EXTENT_FRANCE = [-5.5, 41.0, 10.0, 51.5]
EXTENT_WORLD = [-180.0, -60.0, 180.0, 85.0]


@pytest.fixture(scope="module")
def atlas_rendered(tmp_path_factory, atlas_gpkg_path) -> dict[str, dict]:
    """Every collection of the atlas of the tests rendered with its QML, kept as ``atlas_<id>.png``."""
    gpkg = atlas_gpkg_path
    cases = []
    for cid, style in STYLES.items():
        colours = [e.colour for e in style.colour.entries]
        cases.append(
            {
                "name": f"atlas_{cid}",
                "file": f"{cid}.qml",
                "collection": cid,
                "gpkg": str(gpkg),
                "table": cid,
                "size": [900, 450] if style.view[2] < 3 else [700, 600],
                "extent": EXTENT_WORLD if style.view[2] < 3 else EXTENT_FRANCE,
                "count_colours": colours,
            }
        )
    out = _render_in_qgis(cases, tmp_path_factory.mktemp("qgis_atlas"), timeout=600)
    return {r["name"]: r for r in out["results"]}


def test_atlas_maps_show_the_styles(atlas_rendered):
    """On the real tables: every layer draws; projects show both families; choropleths several classes."""
    for cid, style in STYLES.items():
        r = atlas_rendered[f"atlas_{cid}"]
        assert r["loaded"], r["message"]
        assert r["features"] > 0, f"{cid}: empty table"
        counts = r["colour_counts"]
        assert counts["non_white"] > 0, f"{cid}: nothing drawn (see {r['png']})"
        drawn = [e.label for e in style.colour.entries if counts[e.colour] > 0]
        if cid == "projets":
            assert {"Coopération décentralisée", "Autre action extérieure"} <= set(drawn), drawn
        elif cid == "demandes":
            assert "Demande de coopération (Bourse projets)" in drawn
        elif cid in ("collectivites", "pays", "regions", "departements"):
            assert len(drawn) >= 3, f"{cid}: only {drawn} visible (see {r['png']})"
