"""OGC API Tiles on PostGIS (``ST_AsMVT``): the same tile holds the same features as on the GeoPackage,
only public requests, the same 404/400 on bad requests.

Both servers serve the same atlas (the PostGIS database is loaded from the GeoPackage of the tests). Tiles
are compared after decoding: the ids of the features (the properties of the aggregates) whose geometry
reaches into the tile itself; the buffer band around the tile (64 units) is left out, where the snapping
of the two engines may keep or not a line that only grazes it.
"""

from __future__ import annotations

import collections
import math

import mapbox_vector_tile
import psycopg2
import pytest
import shapely
from shapely.geometry import box, shape

from coopatlas.server.tiles import spec

MAP_COLLECTIONS = ["projets", "demandes", "collectivites", "partenaires", "liens", "pays", "regions", "departements"]
#: Tiles compared: the world, Europe and Africa, France, Paris, Dakar, Ouagadougou (aggregates and records).
TILES = [(0, 0, 0), (2, 2, 1), (3, 4, 3), (5, 16, 11), (6, 32, 22), (8, 129, 88), (9, 240, 240), (10, 511, 468)]
TILE_SQUARE = box(0, 0, spec.EXTENT, spec.EXTENT)


@pytest.fixture(scope="module")
def postgis_server(server_factory, postgis_url):
    return server_factory(database_url=postgis_url)


def decoded(server, cid: str, z: int, x: int, y: int) -> list[dict]:
    r = server.session.get(f"{server.url}/collections/{cid}/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt", timeout=60)
    assert r.status_code in (200, 204), f"{server.url} {cid} {z}/{x}/{y}: {r.status_code} {r.text[:300]}"
    if not r.content:
        return []
    layers = mapbox_vector_tile.decode(r.content, default_options={"y_coord_down": True})
    assert set(layers) == {cid}
    return layers[cid]["features"]


def in_tile(features: list[dict]) -> collections.Counter:
    """Id (records) or properties (aggregates) of the features reaching into the tile itself."""
    keys = collections.Counter()
    for f in features:
        if not shapely.intersects(shape(f["geometry"]), TILE_SQUARE):
            continue
        p = f["properties"]
        keys[p["id"] if "agregat" not in p else tuple(sorted(p.items()))] += 1
    return keys


@pytest.mark.parametrize("cid", MAP_COLLECTIONS)
def test_same_tile_same_features_on_both_backends(atlas_server, postgis_server, cid):
    compared = 0
    for z, x, y in TILES:
        gpkg = decoded(atlas_server, cid, z, x, y)
        pg = decoded(postgis_server, cid, z, x, y)
        assert in_tile(gpkg) == in_tile(pg), f"{cid} {z}/{x}/{y}"
        if gpkg:
            compared += 1
            assert {k for f in gpkg for k in f["properties"]} == {k for f in pg for k in f["properties"]}
    assert compared >= 2, f"{cid}: too few non-empty tiles compared"


def test_world_tiles_count_every_record_on_postgis(postgis_server, postgis_url):
    con = psycopg2.connect(postgis_url)
    try:
        with con.cursor() as cur:
            for cid in MAP_COLLECTIONS:
                cur.execute(f'SELECT count(*) FROM atlas."{cid}" WHERE geom IS NOT NULL')
                count = cur.fetchone()[0]
                features = decoded(postgis_server, cid, 0, 0, 0)
                assert sum(f["properties"].get("nombre", 1) for f in features) == count, cid
    finally:
        con.close()


def _tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    return int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)


def test_unvalidated_requests_never_in_postgis_tiles(postgis_server, postgis_url):
    con = psycopg2.connect(postgis_url)
    try:
        with con.cursor() as cur:
            cur.execute(
                "SELECT id, ST_X(geom), ST_Y(geom) FROM atlas.bourse_demandes WHERE statut_validation "
                "NOT IN ('validee', 'pourvue') AND geom IS NOT NULL ORDER BY id"
            )
            private = cur.fetchall()
    finally:
        con.close()
    assert private
    for rid, lon, lat in private[:10]:
        x, y = _tile_of(lon, lat, 12)
        ids = {f["properties"].get("id") for f in decoded(postgis_server, "demandes", 12, x, y)}
        assert rid not in ids


@pytest.mark.parametrize(
    "path, status, words",
    [
        ("/collections/projets/tiles/WebMercatorQuad/17/0/0?f=mvt", 404, "tileMatrix 17 is outside"),
        ("/collections/projets/tiles/WebMercatorQuad/3/0/8?f=mvt", 404, "tileCol 8 is outside the matrix 3"),
        ("/collections/projets/tiles/WorldCRS84Quad/0/0/0?f=mvt", 404, "'WorldCRS84Quad' is not offered"),
        ("/collections/projets/tiles/WebMercatorQuad/z/0/0?f=mvt", 400, "tileMatrix must be an integer"),
    ],
)
def test_bad_tile_requests_on_postgis(postgis_server, path, status, words):
    r = postgis_server.session.get(postgis_server.url + path, timeout=30)
    assert r.status_code == status and words in r.json()["description"]
