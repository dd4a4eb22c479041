"""The build: reproducible bytes, atomic replacement, a GeoPackage that GDAL reads whole."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pyogrio
import pytest
from shapely.geometry import Point

from coopatlas import schema as sch
from coopatlas.data.derive import geodesic_line


def _sha(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.slow
def test_same_bytes_every_build(tmp_path, atlas_gpkg):
    # a fresh build has the bytes of the atlas of the tests, built earlier in the run by the same command
    # (and only read since: a test writing into the shared atlas instead of its own copy fails this too)
    out = tmp_path / "again.gpkg"
    subprocess.run([sys.executable, "-m", "coopatlas", "build", "--out", str(out), "--quiet"], check=True)
    assert _sha(out) == _sha(atlas_gpkg)


def test_gdal_reads_every_collection(atlas_gpkg):
    layers = dict(pyogrio.list_layers(atlas_gpkg))
    for cid, coll in sch.COLLECTIONS.items():
        assert cid in layers, cid
        info = pyogrio.read_info(atlas_gpkg, layer=cid)
        assert info["features"] > 0, cid
        assert set(coll.field_names) <= set(info["fields"]), cid
        if coll.geometry:
            assert info["crs"] == "EPSG:4326"
            assert info["geometry_type"].upper().replace(" ", "") == coll.geometry, cid


def test_spatial_index_answers_bbox(atlas_gpkg):
    # GDAL uses the R-tree for a bbox filter: every Burkina Faso project is inside BF's box
    df = pyogrio.read_dataframe(atlas_gpkg, layer="projets", bbox=(-5.6, 9.4, 2.5, 15.1), columns=["pays_code"])
    assert len(df) > 400 and "BF" in set(df["pays_code"])
    assert df.geometry.x.between(-5.6, 2.5).all()


def test_failed_build_leaves_previous_database(tmp_path):
    out = tmp_path / "atlas.gpkg"
    out.write_bytes(b"previous")
    bad = tmp_path / "missing-folder"
    r = subprocess.run(
        [sys.executable, "-m", "coopatlas", "build", "--out", str(out), "--import", str(bad)],
        capture_output=True,
        text=True,
    )
    assert r.returncode != 0 and "error" in r.stderr.lower()
    assert out.read_bytes() == b"previous"
    assert [p.name for p in tmp_path.iterdir() if p.name != "missing-folder"] == ["atlas.gpkg"]


def test_geodesic_flows_split_at_the_antimeridian():
    line = geodesic_line(Point(-149.56, -17.53), Point(178.44, -18.14))  # Papeete -> Suva
    assert len(line.geoms) == 2
    assert all(abs(x) <= 180 for part in line.geoms for x, _ in part.coords)
    straight = geodesic_line(Point(2.35, 48.85), Point(-1.52, 12.37))  # Paris -> Ouagadougou
    assert len(straight.geoms) == 1 and len(straight.geoms[0].coords) > 10


def test_keyword_index_follows_writes(atlas_gpkg, tmp_path):
    """The FTS5 keyword index is kept right by triggers when a writer changes a record's search text."""
    import shutil
    import sqlite3

    from coopatlas.text import search_document

    copy = tmp_path / "atlas.gpkg"
    shutil.copy(atlas_gpkg, copy)
    con = sqlite3.connect(copy)
    fid, old = con.execute("SELECT fid, recherche FROM projets WHERE id = 'PRJ000001'").fetchone()
    con.execute("UPDATE projets SET recherche = ? WHERE fid = ?", (search_document("Zyxwvutsrq nouveau"), fid))
    con.commit()
    match = "SELECT rowid FROM fts_projets WHERE fts_projets MATCH ?"
    assert [r[0] for r in con.execute(match, ['"zyxwvutsrq"*'])] == [fid]
    first_word = old.split()[0]
    assert fid not in [r[0] for r in con.execute(match, [f'"{first_word}"'])] or first_word in "nouveau"
    con.close()


def test_scaled_atlas_is_written_in_id_order():
    """``--scale``: the copies of the projects come in the order of their ids (what a page without sortby
    reads), each id once, the base projects unchanged."""
    import pandas as pd

    from coopatlas.data.build import scale_up
    from coopatlas.data.tables import AtlasTables

    base = pd.DataFrame({"id": ["PRJ000001", "PRJ000002", "PRJ000003"], "titre": ["a", "b", "c"]})
    empty = pd.DataFrame()
    scaled = scale_up(AtlasTables(empty, empty, base, empty, empty, empty, {}), 12).projets
    ids = list(scaled["id"])
    assert len(ids) == 36 and len(set(ids)) == 36
    assert ids == sorted(ids)
    assert ids[:5] == ["PRJ000001", "PRJ000002", "PRJ000003", "x01-PRJ000001", "x01-PRJ000002"]
    assert ids[-1] == "x11-PRJ000003"
    originals = scaled[scaled["id"].str.startswith("PRJ")]
    assert list(originals["titre"]) == ["a", "b", "c"]
