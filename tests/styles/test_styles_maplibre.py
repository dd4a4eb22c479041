"""Every committed MapLibre style passes the official validator of the style spec.

The validator is ``gl-style-validate`` of the npm package ``@maplibre/maplibre-gl-style-spec``,
installed into ``build/node/`` (not committed) by ``make node-deps``; if it is not there yet and
npm is, the fixture installs it with the same command; without npm the tests fail (make node-deps).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from coopatlas.styles import STYLES, maplibre
from coopatlas.styles.model import Categorised

ROOT = Path(__file__).resolve().parents[2]
STYLES_DIR = ROOT / "styles"
NODE_DIR = ROOT / "build" / "node"
VALIDATOR = NODE_DIR / "node_modules" / ".bin" / "gl-style-validate"
PACKAGE = "@maplibre/maplibre-gl-style-spec@26.6.0"

# one worker installs and runs the validator (no two npm installs into build/node at once)
pytestmark = pytest.mark.xdist_group("styles-maplibre")


@pytest.fixture(scope="module")
def validate():
    """``validate(path) -> list of error dicts`` with the official validator."""
    if not VALIDATOR.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install @maplibre/maplibre-gl-style-spec (make node-deps)")
        proc = subprocess.run(
            [npm, "install", "--prefix", str(NODE_DIR), "--no-audit", "--no-fund", PACKAGE],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert proc.returncode == 0 and VALIDATOR.exists(), f"npm install {PACKAGE} failed: {proc.stderr[-2000:]}"

    def run(path: Path) -> list[dict]:
        proc = subprocess.run([str(VALIDATOR), "--json", str(path)], capture_output=True, text=True, timeout=60)
        if proc.returncode == 0:
            return []
        errors = json.loads(proc.stdout or "[]")
        assert errors, f"validator failed without a report: {proc.stderr[-2000:]}"
        return errors

    return run


@pytest.mark.parametrize("cid", list(STYLES))
def test_committed_style_is_valid(validate, cid):
    errors = validate(STYLES_DIR / f"{cid}.maplibre.json")
    assert errors == [], f"{cid}.maplibre.json: {errors}"


def test_committed_basemap_is_valid(validate):
    assert validate(STYLES_DIR / "fond.maplibre.json") == []


def test_style_for_another_server_is_valid(validate, tmp_path):
    """What a server sends with its own public URL is as valid as the committed file."""
    path = tmp_path / "collectivites.maplibre.json"
    path.write_text(maplibre.write(STYLES["collectivites"], "https://atlas.example.org/ogc/"), encoding="utf-8")
    assert validate(path) == []
    sources = json.loads(path.read_text(encoding="utf-8"))["sources"]
    assert sources["collectivites"]["tiles"] == [
        "https://atlas.example.org/ogc/collections/collectivites/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
    ]
    assert sources["fond"]["tiles"][0].startswith("https://atlas.example.org/ogc/collections/pays/tiles/")


def layer_index(doc: dict, cid: str) -> int:
    """Index of the collection's own layer (after the basemap's)."""
    return next(i for i, layer in enumerate(doc["layers"]) if layer["id"] == cid)


def test_the_validator_rejects_a_broken_style(validate, tmp_path):
    """The validator really runs: a match expression without its fallback is an error."""
    doc = maplibre.document(STYLES["projets"])
    layer = doc["layers"][layer_index(doc, "projets")]
    layer["paint"]["circle-color"] = layer["paint"]["circle-color"][:-1]
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    errors = validate(path)
    assert errors and "circle-color" in errors[0]["message"]


def _evaluate(style_doc: dict, probes: list[dict]) -> list:
    """Values of data-driven properties, computed by the style spec's own expression engine."""
    proc = subprocess.run(
        [
            "node",
            str(Path(__file__).with_name("maplibre_eval.cjs")),
            str(NODE_DIR / "node_modules" / "@maplibre" / "maplibre-gl-style-spec"),
        ],
        input=json.dumps({"style": style_doc, "probes": probes}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    values = json.loads(proc.stdout)
    errors = [v for v in values if isinstance(v, dict)]
    assert not errors, errors
    return values


GEOMETRY = {"point": "Point", "line": "LineString", "polygon": "Polygon"}
COLOUR_PROPERTY = {"point": "circle-color", "line": "line-color", "polygon": "fill-color"}


@pytest.mark.parametrize("cid", list(STYLES))
def test_colours_evaluate_as_the_model_says(validate, cid):
    """Each feature gets the colour of its legend entry: codes, unknown code and null; every class bound."""
    style = STYLES[cid]
    doc = json.loads((STYLES_DIR / f"{cid}.maplibre.json").read_text(encoding="utf-8"))
    c = style.colour
    if isinstance(c, Categorised):
        cases = [(cat.value, cat.colour) for cat in c.categories]
        cases += [("inconnu", c.other.colour), (None, c.other.colour)]
    else:
        values = [None, 0] + [v for k in c.classes for v in (k.lower, (k.upper or k.lower * 10) - 1)]
        cases = [(v, c.colour_for(v)) for v in values]
    probes = [
        {
            "layer": layer_index(doc, cid),
            "group": "paint",
            "property": COLOUR_PROPERTY[style.geometry],
            "properties": {c.field: v} if v is not None else {},
            "geometry": GEOMETRY[style.geometry],
        }
        for v, _ in cases
    ]
    assert _evaluate(doc, probes) == [colour for _, colour in cases]


@pytest.mark.parametrize("cid", ["collectivites", "partenaires"])
def test_circle_radius_is_half_the_model_diameter(validate, cid):
    style = STYLES[cid]
    doc = json.loads((STYLES_DIR / f"{cid}.maplibre.json").read_text(encoding="utf-8"))
    counts = [None, 0, 1, 2, 5, 25, 100, 344, 5000]
    probes = [
        {
            "layer": layer_index(doc, cid),
            "group": "paint",
            "property": "circle-radius",
            "properties": {"nb_projets": n} if n is not None else {},
            "geometry": "Point",
        }
        for n in counts
    ]
    probes += [
        {
            "layer": layer_index(doc, cid),
            "group": "layout",
            "property": "circle-sort-key",
            "properties": {"nb_projets": n},
            "geometry": "Point",
        }
        for n in (1, 344)
    ]
    values = _evaluate(doc, probes)
    radii, keys = values[: len(counts)], values[len(counts) :]
    assert radii == pytest.approx([style.proportional.diameter(n) / 2 for n in counts], abs=1e-9)
    assert radii[2] == 2 and radii[7] == 18  # 1 project: 4 px wide; Paris's 344: 36 px
    assert keys[0] > keys[1], "the small circle is drawn above the big one"
