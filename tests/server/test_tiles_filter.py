"""Filtered vector tiles (``/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}?filter=...``, CQL2 text).

Oracle: the features of a filtered tile are the features of ``/items`` with the same filter whose geometry
lies in the tile (records at the zooms of records; at the zooms of aggregates, the sum of ``nombre``).
Bad filters are 400s naming ``filter``; an unknown parameter of a tile request is a 400 naming it.
The parity of the two backends is in tests/postgis/test_tiles_filter_postgis.py.
"""

from __future__ import annotations

import math

import mapbox_vector_tile
import pytest
import shapely
from shapely.geometry import box, shape

from coopatlas.server.tiles import spec

#: The tile 2 units inside its edges (closed): where the snapped points are compared.
INNER_SQUARE = box(2, 2, spec.EXTENT - 2, spec.EXTENT - 2).buffer(0.01, join_style="mitre")
#: (collection, filter): the /criteres filter of a search is checked apart, below.
FILTERS = [
    ("projets", "pays_code IN ('BF','ML','SN')"),
    ("projets", "type_action = 'action_exterieure' AND annee_lancement >= 2010"),
    ("partenaires", "pays_code = 'BF' OR pays_code = 'SN'"),
    ("collectivites", "type_collectivite = 'commune'"),
]
#: West Africa and France at the zoom of aggregates (3, 5) and of records (7, 8).
TILES = [(3, 3, 3), (5, 15, 14), (7, 63, 58), (8, 127, 117), (5, 16, 11), (6, 32, 22), (8, 129, 88)]


def tile_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """CRS84 bounds of the tile itself (no buffer)."""
    minx, miny, maxx, maxy = spec.mercator_bounds(z, x, y)
    west, south = spec.lonlat(minx, miny)
    east, north = spec.lonlat(maxx, maxy)
    return west, south, east, north


def filtered_tile(server, cid: str, z: int, x: int, y: int, cql: str | None) -> list[dict]:
    params = {"f": "mvt"} | ({"filter": cql, "filter-lang": "cql2-text"} if cql else {})
    r = server.get(f"/collections/{cid}/tiles/WebMercatorQuad/{z}/{y}/{x}", **params)
    assert r.status_code in (200, 204), f"{cid} {z}/{x}/{y}: {r.status_code} {r.text[:300]}"
    if not r.content:
        return []
    layers = mapbox_vector_tile.decode(r.content, default_options={"y_coord_down": True})
    return layers[cid]["features"]


def in_square(features: list[dict]) -> list[dict]:
    """The features (points, on the tile's grid of whole units) inside the tile, 2 units from its edges:
    a point nearer the edge may be snapped onto it (see :func:`tile_units`)."""
    return [f for f in features if shapely.within(shape(f["geometry"]), INNER_SQUARE)]


def tile_units(lon: float, lat: float, z: int, x: int, y: int) -> tuple[float, float]:
    """A point's exact position on the grid of tile z/x/y (Web Mercator, y down)."""
    minx, miny, maxx, maxy = spec.mercator_bounds(z, x, y)
    mx = lon * spec.HALF_WORLD / 180
    my = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2)) * spec.HALF_WORLD / math.pi
    scale = spec.EXTENT / (maxx - minx)
    return (mx - minx) * scale, (maxy - my) * scale


def expected_in_square(features: list[dict], z: int, x: int, y: int) -> list[dict]:
    """The features of /items whose point, snapped to whole units, falls in :data:`INNER_SQUARE`."""
    out = []
    for f in features:
        u, v = tile_units(*f["geometry"]["coordinates"], z, x, y)
        if 1.5 < u < spec.EXTENT - 1.5 and 1.5 < v < spec.EXTENT - 1.5:
            out.append(f)
    return out


def items_in(server, cid: str, cql: str, bounds) -> list[dict]:
    """Every feature of /items with ``cql`` whose point lies in ``bounds`` (strictly inside)."""
    west, south, east, north = bounds
    feats, offset = [], 0
    while True:
        page = server.get(
            f"/collections/{cid}/items",
            f="json",
            filter=cql,
            bbox=f"{west},{south},{east},{north}",
            limit=5000,
            offset=offset,
            properties="id",
        ).json()
        feats += page["features"]
        if len(page["features"]) < 5000:
            return feats
        offset += 5000


@pytest.mark.parametrize("cid, cql", FILTERS)
def test_a_filtered_tile_holds_the_features_of_items_with_that_filter(atlas_server, cid, cql):
    compared = 0
    for z, x, y in TILES:
        expected = expected_in_square(items_in(atlas_server, cid, cql, tile_bounds(z, x, y)), z, x, y)
        got = in_square(filtered_tile(atlas_server, cid, z, x, y, cql))
        if spec.LAYERS[cid].aggregates_at(z):
            assert all(f["properties"]["agregat"] for f in got)
            assert sum(f["properties"]["nombre"] for f in got) == len(expected), f"{cid} {z}/{x}/{y} {cql}"
        else:
            assert sorted(f["properties"]["id"] for f in got) == sorted(f["id"] for f in expected), f"{z}/{x}/{y}"
        compared += bool(expected)
    assert compared >= 3, f"{cid} {cql}: too few tiles with features to compare"


def test_the_filter_of_a_search_restricts_its_tiles(atlas_server):
    """The /criteres filter (what the QGIS plugin draws) on the world tile: the records of the search only."""
    criteres = atlas_server.get("/criteres", pays="BF", thematique="eau_assainissement").json()
    cql = criteres["collections"]["projets"]["filter"]
    whole = filtered_tile(atlas_server, "projets", 0, 0, 0, None)
    searched = filtered_tile(atlas_server, "projets", 0, 0, 0, cql)
    matched = atlas_server.get("/collections/projets/items", f="json", filter=cql, resulttype="hits").json()
    assert 0 < sum(f["properties"]["nombre"] for f in searched) == matched["numberMatched"]
    assert sum(f["properties"]["nombre"] for f in searched) < sum(f["properties"]["nombre"] for f in whole)
    # a zoom of records: the ids are those of /items
    lon, lat = -1.53, 12.37  # Ouagadougou
    z = 9
    n = 2**z
    x, y = int((lon + 180) / 360 * n), int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    got = sorted(f["properties"]["id"] for f in in_square(filtered_tile(atlas_server, "projets", z, x, y, cql)))
    expected = expected_in_square(items_in(atlas_server, "projets", cql, tile_bounds(z, x, y)), z, x, y)
    assert got == sorted(f["id"] for f in expected)
    assert got


def test_filtered_and_unfiltered_tiles_are_cached_apart(atlas_server):
    """The same tile asked with, without, then with another filter: each answer is its own."""
    cql_bf, cql_sn = "pays_code = 'BF'", "pays_code = 'SN'"
    for _ in range(2):  # the second round comes from the cache
        bf = filtered_tile(atlas_server, "partenaires", 3, 3, 3, cql_bf)
        sn = filtered_tile(atlas_server, "partenaires", 3, 3, 3, cql_sn)
        whole = filtered_tile(atlas_server, "partenaires", 3, 3, 3, None)
        n_bf, n_sn, n_all = (sum(f["properties"]["nombre"] for f in t) for t in (bf, sn, whole))
        assert 0 < n_bf < n_all and 0 < n_sn < n_all and n_bf != n_sn
    # two spellings of one filter: the same tile
    spelled = filtered_tile(atlas_server, "partenaires", 3, 3, 3, "pays_code='BF'")
    assert sum(f["properties"]["nombre"] for f in spelled) == n_bf


@pytest.mark.parametrize(
    "params, words",
    [
        ({"filter": "pays_code IN ('BF'"}, "filter: not valid CQL2 text"),
        ({"filter": "pays = 'BF'"}, "filter: unknown property pays"),
        ({"filter": "annee_lancement = 'deux mille'"}, "filter:"),
        ({"filter": "type_action = 'inconnu'"}, "inconnu"),
        ({"filter": ""}, "filter: empty"),
        ({"filter": "pays_code = 'BF'", "filter-lang": "cql2-json"}, "filter-lang"),
        ({"filter-lang": "cql2-text"}, "filter-lang: given without filter"),
        ({"cql_filter": "pays_code = 'BF'"}, "cql_filter"),
    ],
)
def test_bad_tile_filters_are_400s_naming_filter(atlas_server, params, words):
    r = atlas_server.get("/collections/projets/tiles/WebMercatorQuad/3/3/3", f="mvt", **params)
    assert r.status_code == 400, r.text[:300]
    assert words in r.json()["description"]


def test_the_openapi_document_names_the_filter_of_tiles(atlas_server):
    doc = atlas_server.get("/openapi", f="json").json()
    path = doc["paths"]["/collections/projets/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}"]
    names = [p.get("name") for p in path["get"]["parameters"]]
    assert "filter" in names and "filter-lang" in names
