"""The style model, its definitions from the vocabulary, and the committed files in ``styles/``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from coopatlas import schema
from coopatlas import vocabulary as voc
from coopatlas.styles import STYLES, export, maplibre, style
from coopatlas.styles.definitions import BREAKS, TAILLE_NB_PROJETS, check_against_schema, graduated
from coopatlas.styles.model import Categorised, Category, ColourClass, Graduated, ProportionalSize

ROOT = Path(__file__).resolve().parents[2]
STYLES_DIR = ROOT / "styles"
SPATIAL = [cid for cid, c in schema.COLLECTIONS.items() if c.geometry]


def test_every_spatial_collection_has_a_style_matching_the_schema():
    assert list(STYLES) == SPATIAL
    assert check_against_schema() == []


def test_unknown_collection_is_named_in_the_error():
    with pytest.raises(KeyError, match="apd.*projets"):
        style("apd")


# --- what the atlas's users rely on ---------------------------------------------------------------


def test_families_keep_their_colours_and_french_labels():
    for cid in ("projets", "demandes", "liens"):
        c = STYLES[cid].colour
        assert c.field == "type_action"
        assert [(k.value, k.colour, k.label) for k in c.categories] == [
            ("cooperation_decentralisee", "#1f5fbf", "Coopération décentralisée"),
            ("action_exterieure", "#f2c500", "Autre action extérieure"),
            ("demande_cooperation", "#d62728", "Demande de coopération (Bourse projets)"),
        ]


def test_collectivites_and_partenaires_colours_come_from_the_vocabulary():
    c = STYLES["collectivites"].colour
    assert c.field == "type_collectivite"
    assert [(k.value, k.colour, k.label) for k in c.categories] == [
        (t.code, t.extra["couleur"], t.fr) for t in voc.TYPES_COLLECTIVITE
    ]
    p = STYLES["partenaires"].colour
    assert p.field == "type_action_principal"
    assert {k.value: k.colour for k in p.categories} == voc.PALETTE["type_action"]
    for cid in ("collectivites", "partenaires"):
        assert STYLES[cid].proportional is TAILLE_NB_PROJETS
        assert STYLES[cid].sort_desc == "nb_projets"


def test_choropleths_use_the_palette_ramp_and_no_data_colour():
    for cid in ("pays", "regions", "departements"):
        g = STYLES[cid].colour
        assert isinstance(g, Graduated) and g.field == "nb_projets"
        assert [k.colour for k in g.classes] == voc.PALETTE["choroplethe"]
        assert g.breaks == BREAKS[cid]
        assert g.no_data.colour == voc.PALETTE["sans_donnee"]
        assert g.colour_for(None) == g.colour_for(0) == voc.PALETTE["sans_donnee"]
        assert g.colour_for(1) == voc.PALETTE["choroplethe"][0]
        assert g.colour_for(10**6) == voc.PALETTE["choroplethe"][-1]


def test_choropleth_labels():
    g = graduated("nb_projets", (1, 2, 10), ["#000001", "#000002", "#000003"])
    assert [k.label for k in g.entries] == ["Aucun projet", "1", "2 à 9", "10 et plus"]
    with pytest.raises(ValueError, match="3 breaks for 2 colours"):
        graduated("nb_projets", (1, 2, 10), ["#000001", "#000002"])
    with pytest.raises(ValueError, match="not contiguous"):
        Graduated(
            "n", (ColourClass(1, 5, "#000001", ""), ColourClass(6, None, "#000002", "")), Category("", "#fff", "")
        )


def test_line_style_is_semi_transparent():
    liens = STYLES["liens"]
    assert liens.geometry == "line" and 0 < liens.opacity < 1 and liens.proportional is None


# --- proportional size ----------------------------------------------------------------------------


def test_size_scale_from_a_few_projects_to_paris():
    s = TAILLE_NB_PROJETS
    assert s.diameter(1) == 4 and s.diameter(344) == 36
    assert s.diameter(None) == s.diameter(0) == 4  # null and 0 are drawn as the smallest circle
    assert s.diameter(5000) == 36  # clamped
    sizes = [s.diameter(n) for n in range(1, 345)]
    assert sizes == sorted(sizes)
    # circle AREA grows like the count: (d(v) - dmin) is proportional to sqrt(v - vmin)
    assert (s.diameter(86) - 4) / (s.diameter(344) - 4) == pytest.approx(0.5, abs=0.01)


def test_size_samples_follow_the_curve():
    s = TAILLE_NB_PROJETS
    pts = s.samples()
    assert pts[0] == (1, 4) and pts[-1] == (344, 36)
    assert [v for v, _ in pts] == sorted({v for v, _ in pts})
    # the piecewise-linear curve (SE Interpolate) stays within half a pixel of the true one
    worst = 0.0
    for n in range(1, 345):
        for (v0, d0), (v1, d1) in zip(pts, pts[1:]):
            if v0 <= n <= v1:
                worst = max(worst, abs(d0 + (d1 - d0) * (n - v0) / (v1 - v0) - s.diameter(n)))
    assert worst < 0.5, worst


def test_style_reads_only_its_fields():
    assert STYLES["collectivites"].fields == ("type_collectivite", "nb_projets")
    assert STYLES["projets"].fields == ("type_action",)


# --- files ----------------------------------------------------------------------------------------


def test_committed_files_are_up_to_date_with_the_generator(tmp_path):
    """Regenerate with the script entry into a temporary folder: same files, byte for byte."""
    proc = subprocess.run(
        [sys.executable, "-m", "coopatlas.styles", "--out", str(tmp_path)], capture_output=True, text=True, cwd=ROOT
    )
    assert proc.returncode == 0, proc.stderr
    generated = sorted(p.name for p in tmp_path.iterdir())
    assert generated == sorted(
        [f"{cid}{suffix}" for cid in SPATIAL for suffix in export.FORMATS] + ["README.md", "fond.maplibre.json"]
    )
    committed = sorted(p.name for p in STYLES_DIR.iterdir())
    assert committed == generated, "styles/ holds other files than the generator's"
    stale = [n for n in generated if (tmp_path / n).read_bytes() != (STYLES_DIR / n).read_bytes()]
    assert stale == [], f"out of date, run `python -m coopatlas.styles --out styles/`: {stale}"


def test_check_mode_detects_a_stale_file(tmp_path):
    export.write_all(tmp_path)
    assert export.main(["--out", str(tmp_path), "--check"]) == 0
    path = tmp_path / "pays.sld"
    path.write_text(path.read_text(encoding="utf-8").replace("#08519c", "#000000"), encoding="utf-8")
    assert export.main(["--out", str(tmp_path), "--check"]) == 1
    assert export.stale(tmp_path) == ["pays.sld"]


def test_maplibre_sources_are_the_collection_tiles_over_the_pays_basemap():
    assert maplibre.tile_url("projets") == (
        "http://127.0.0.1:5000/collections/projets/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
    )
    doc = maplibre.document(STYLES["pays"], "https://x.example/api/")
    assert doc["sources"]["pays"]["tiles"] == [
        "https://x.example/api/collections/pays/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
    ]
    assert doc["sources"]["fond"]["tiles"] == doc["sources"]["pays"]["tiles"]
    assert all("limit=" not in json.dumps(src) for src in doc["sources"].values())
    assert doc["metadata"]["coopatlas:base_url"] == "https://x.example/api"
    layer = next(lay for lay in doc["layers"] if lay["id"] == "pays")
    assert (layer["source"], layer["source-layer"]) == ("pays", "pays")


def test_qml_sizes_are_millimetres():
    text = (STYLES_DIR / "collectivites.qml").read_text(encoding="utf-8")
    assert 'name="maxSize" type="double" value="9.525"' in text  # 36 px at 96 dpi
    assert 'name="minSize" type="double" value="1.0583"' in text  # 4 px
    assert isinstance(STYLES["collectivites"].colour, Categorised)
    assert isinstance(TAILLE_NB_PROJETS, ProportionalSize)
