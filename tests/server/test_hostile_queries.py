"""Hostile or unusual queries get a clear answer: an offset beyond 64 bits is a 400 (not a 500) on every
collection, format and backend; the map takes the CRS as the URI OGC clients send; a CSV cell that a
spreadsheet would run as a formula is neutralised (numbers, such as negative longitudes, are not)."""

from __future__ import annotations

import csv
import io
import sqlite3

import pytest

from coopatlas import schema as sch
from support.atlas import copy_atlas

HUGE = "9223372036854775808"  # 2**63


@pytest.fixture(scope="module")
def pg_server(server_factory, postgis_url):
    return server_factory(database_url=postgis_url)


@pytest.mark.parametrize("backend", ["gpkg", "postgis"])
def test_an_offset_beyond_64_bits_is_a_400_everywhere(backend, request):
    server = request.getfixturevalue("atlas_server" if backend == "gpkg" else "pg_server")
    for cid in sch.COLLECTIONS:
        for fmt in ("json", "html", "csv"):
            for name in ("offset", "limit"):
                r = server.get(f"/collections/{cid}/items", f=fmt, **{name: HUGE})
                assert r.status_code == 400, (cid, fmt, name, r.status_code, r.text[:200])
                if fmt != "html":
                    assert r.json()["description"].startswith(f"{name}: {HUGE}"), r.text[:200]
    r = server.get("/collections/projets/items", offset=str(2**63 - 1), limit="1")
    assert r.status_code == 200 and r.json()["features"] == []


def test_the_map_takes_the_crs_uri_of_ogc_clients(atlas_server):
    r = atlas_server.get(
        "/collections/pays/map",
        crs="http://www.opengis.net/def/crs/EPSG/0/3857",
        bbox="-1000000,5000000,1000000,7000000",
        **{"bbox-crs": "http://www.opengis.net/def/crs/EPSG/0/3857"},
        width="64",
        height="64",
    )
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == "image/png" and r.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_csv_cells_that_would_be_formulas_are_neutralised(server_factory, atlas_gpkg_path, tmp_path):
    gpkg = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    con = sqlite3.connect(gpkg)
    ids = [row[0] for row in con.execute("SELECT id FROM projets ORDER BY id LIMIT 4")]
    titles = ['=HYPERLINK("http://evil.example","x")', "+1+1", "@SUM(A1:A9)", "-2+3"]
    for pid, title in zip(ids, titles):
        con.execute("UPDATE projets SET titre = ? WHERE id = ?", (title, pid))
    con.commit()
    con.close()
    server = server_factory(gpkg=gpkg)
    r = server.get("/collections/projets/items", f="csv", filter=f"id IN ({', '.join(repr(i) for i in ids)})")
    assert r.status_code == 200, r.text[:300]
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(r.text))}
    assert [rows[pid]["titre"] for pid in ids] == ["'" + t for t in titles]
    r = server.get("/collections/partenaires/items", f="csv", bbox="-180,-90,-1,90", limit="5")
    west = [row["longitude"] for row in csv.DictReader(io.StringIO(r.text))]
    assert west and all(value.startswith("-") and float(value) < 0 for value in west)
