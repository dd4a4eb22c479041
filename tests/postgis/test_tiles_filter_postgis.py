"""Filtered vector tiles on PostGIS: the same features as the GeoPackage's filtered tile (parity), the
features of /items with the same filter (oracle, at a zoom of records), the same 400s naming ``filter``."""

from __future__ import annotations

import collections

import mapbox_vector_tile
import pytest
import shapely
from shapely.geometry import box, shape

from coopatlas.server.tiles import spec

#: The tile 2 units inside its edges: a line that only grazes the edge may be kept by one engine's clipping
#: and snapping, not by the other's (as in the unfiltered parity test's buffer band).
TILE_SQUARE = box(2, 2, spec.EXTENT - 2, spec.EXTENT - 2)
FILTERS = [
    ("projets", "pays_code IN ('BF','ML','SN') AND thematique = 'eau_assainissement'"),
    ("projets", "type_action = 'action_exterieure' AND annee_lancement >= 2010"),
    ("partenaires", "pays_code = 'BF' OR pays_code = 'SN'"),
    ("collectivites", "type_collectivite IN ('commune', 'region') AND nb_projets > 2"),
    ("liens", "type_action = 'cooperation_decentralisee' AND pays_code IN ('BF','SN') AND collectivite_nom LIKE '%e%'"),
    ("pays", "continent = 'afrique' AND nb_projets > 10"),
    ("projets", "S_INTERSECTS(geom, POLYGON((-6 9, 3 9, 3 16, -6 16, -6 9)))"),
]
#: The world, West Africa, France, Paris, Ouagadougou: aggregates and records.
TILES = [(0, 0, 0), (3, 3, 3), (5, 15, 14), (5, 16, 11), (8, 129, 88), (8, 127, 118), (9, 253, 238)]


@pytest.fixture(scope="module")
def postgis_server(server_factory, postgis_url):
    return server_factory(database_url=postgis_url)


def decoded(server, cid: str, z: int, x: int, y: int, cql: str) -> list[dict]:
    r = server.get(f"/collections/{cid}/tiles/WebMercatorQuad/{z}/{y}/{x}", f="mvt", filter=cql)
    assert r.status_code in (200, 204), f"{server.url} {cid} {z}/{x}/{y}: {r.status_code} {r.text[:300]}"
    if not r.content:
        return []
    return mapbox_vector_tile.decode(r.content, default_options={"y_coord_down": True})[cid]["features"]


def in_tile(features: list[dict]) -> collections.Counter:
    """Id (records) or properties (aggregates) of the features reaching into the tile (2 units inside)."""
    keys = collections.Counter()
    for f in features:
        if shapely.intersects(shape(f["geometry"]), TILE_SQUARE):
            p = f["properties"]
            keys[p["id"] if "agregat" not in p else tuple(sorted(p.items()))] += 1
    return keys


@pytest.mark.parametrize("cid, cql", FILTERS)
def test_a_filtered_tile_is_the_same_on_both_backends(atlas_server, postgis_server, cid, cql):
    compared = 0
    for z, x, y in TILES:
        gpkg = decoded(atlas_server, cid, z, x, y, cql)
        pg = decoded(postgis_server, cid, z, x, y, cql)
        assert in_tile(gpkg) == in_tile(pg), f"{cid} {z}/{x}/{y} {cql}"
        compared += bool(gpkg)
    assert compared >= 2, f"{cid} {cql}: too few non-empty tiles compared"
    # the world tile holds every record of the filter, as /items counts them
    world = decoded(postgis_server, cid, 0, 0, 0, cql)
    hits = postgis_server.get(f"/collections/{cid}/items", f="json", filter=cql, resulttype="hits").json()
    assert sum(f["properties"].get("nombre", 1) for f in world) == hits["numberMatched"] > 0


@pytest.mark.parametrize(
    "cql, words",
    [
        ("pays_code IN ('BF'", "filter: not valid CQL2 text"),
        ("pays = 'BF'", "filter: unknown property pays"),
        ("type_action = 'inconnu'", "inconnu"),
    ],
)
def test_bad_tile_filters_on_postgis_are_the_geopackages_400s(atlas_server, postgis_server, cql, words):
    answers = []
    for server in (atlas_server, postgis_server):
        r = server.get("/collections/projets/tiles/WebMercatorQuad/3/3/3", f="mvt", filter=cql)
        assert r.status_code == 400 and words in r.json()["description"], r.text[:300]
        answers.append(r.json()["description"])
    assert answers[0] == answers[1]
