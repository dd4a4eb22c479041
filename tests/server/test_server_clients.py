"""Real clients read every collection: OWSLib, GDAL (ogrinfo, ogr2ogr OAPIF:), QGIS's OAPIF provider."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from coopatlas import schema as sch

HERE = Path(__file__).resolve().parent
QGIS_PYTHON = "/usr/bin/python3"


@pytest.fixture(scope="module")
def counts(atlas_server) -> dict[str, int]:
    con = sqlite3.connect(f"file:{atlas_server.gpkg}?mode=ro", uri=True)
    try:
        return {cid: con.execute(f'SELECT COUNT(*) FROM "{cid}"').fetchone()[0] for cid in sch.COLLECTIONS}
    finally:
        con.close()


def test_owslib_lists_every_collection_and_reads_items(atlas_server, counts):
    from owslib.ogcapi.features import Features

    api = Features(atlas_server.url)
    assert api.conformance()["conformsTo"]
    assert api.feature_collections() == list(sch.COLLECTIONS)
    for cid, coll in sch.COLLECTIONS.items():
        meta = api.collection(cid)
        assert meta["id"] == cid and meta["title"] == coll.title_fr
        items = api.collection_items(cid, limit=5)
        assert items["numberMatched"] == counts[cid]
        assert len(items["features"]) == min(5, counts[cid])
        queryables = api.collection_queryables(cid)
        assert "id" in queryables["properties"]


@pytest.mark.slow
def test_gdal_copies_every_collection_whole(atlas_server, counts, tmp_path):
    assert shutil.which("ogr2ogr"), "GDAL's ogr2ogr is needed (make system-deps)"
    info = subprocess.run(
        ["ogrinfo", "-ro", "-so", f"OAPIF:{atlas_server.url}"], capture_output=True, text=True, timeout=120, check=True
    ).stdout
    for cid in sch.COLLECTIONS:
        assert f": {cid} (title:" in info, cid
    for cid, coll in sch.COLLECTIONS.items():
        out = tmp_path / f"{cid}.gpkg"
        subprocess.run(
            ["ogr2ogr", "-oo", "PAGE_SIZE=1000", "-f", "GPKG", str(out), f"OAPIF:{atlas_server.url}", cid],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
        con = sqlite3.connect(out)
        try:
            assert con.execute(f'SELECT COUNT(*) FROM "{cid}"').fetchone()[0] == counts[cid], cid
            columns = {r[1] for r in con.execute(f'PRAGMA table_info("{cid}")')}
            assert set(coll.field_names) <= columns, (cid, set(coll.field_names) - columns)
            if coll.geometry:
                gtype = con.execute(
                    "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?", (cid,)
                ).fetchone()[0]
                assert gtype.replace("MULTI", "") == coll.geometry.replace("MULTI", ""), (cid, gtype)
        finally:
            con.close()


@pytest.mark.slow
def test_qgis_loads_every_collection(atlas_server, counts):
    assert os.path.exists(QGIS_PYTHON), "Debian's Python with QGIS is needed (make system-deps)"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    for k in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV"):
        env.pop(k, None)
    proc = subprocess.run(
        [QGIS_PYTHON, str(HERE / "qgis_oapif.py"), atlas_server.url, *sch.COLLECTIONS],
        capture_output=True,
        text=True,
        timeout=900,
        env=env,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    for cid, coll in sch.COLLECTIONS.items():
        entry = report[cid]
        assert entry["valid"], (cid, entry["error"])
        assert entry["count"] == counts[cid], cid
        assert set(coll.field_names) <= set(entry["fields"]), cid
        if coll.geometry:
            assert entry["geometry"].replace("Multi", "").lower() in coll.geometry.lower(), (cid, entry["geometry"])
        else:
            assert entry["geometry"] == "NoGeometry", cid
