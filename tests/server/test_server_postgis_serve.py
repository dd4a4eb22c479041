"""``coopatlas serve`` with ``COOPATLAS_DATABASE_URL``: every collection served from PostGIS, maps included."""

from __future__ import annotations

import io
import sqlite3

import pytest
from PIL import Image

from coopatlas import schema as sch


@pytest.fixture(scope="module")
def pg_server(server_factory, postgis_url):
    return server_factory(database_url=postgis_url)


@pytest.mark.slow
def test_every_collection_from_postgis(pg_server, atlas_gpkg_path):
    cfg = (pg_server.var / "pygeoapi-config.yml").read_text()
    assert "coopatlas.server.postgis_provider.AtlasPostgreSQLProvider" in cfg
    assert "AtlasGeoPackageProvider" not in cfg
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    try:
        for cid in sch.COLLECTIONS:
            r = pg_server.get(f"/collections/{cid}/items", f="json", limit=2)
            assert r.status_code == 200, (cid, r.text[:300])
            assert r.json()["numberMatched"] == con.execute(f'SELECT COUNT(*) FROM "{cid}"').fetchone()[0], cid
    finally:
        con.close()


@pytest.mark.slow
def test_maps_and_basemap_from_postgis(pg_server):
    for path in (
        "/collections/projets/map?width=300&height=150",
        "/collections/pays/map?width=300&height=150",
        "/basemap/1/1/0.png",
    ):
        r = pg_server.session.get(pg_server.url + path, timeout=60)
        assert r.status_code == 200 and r.headers["Content-Type"] == "image/png", (path, r.text[:300])
        Image.open(io.BytesIO(r.content)).verify()
    assert pg_server.get("/collections/projets/map", width="0").status_code == 400
