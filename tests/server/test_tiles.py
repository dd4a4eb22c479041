"""OGC API Tiles on the GeoPackage: vector tiles of every map collection, decoded with mapbox-vector-tile.

Nothing is dropped (the counts of the features, or of the aggregates, add up to the collection), no tile
of zooms 0-4 exceeds 500 KB, only validated Bourse requests are in tiles (and a request validated in the
atlas is in the next tile, as is a project changed in the file), bad requests are 404/400 that say why.
"""

from __future__ import annotations

import math
import sqlite3

import mapbox_vector_tile
import pytest

from coopatlas import schema as sch
from coopatlas.server.tiles import spec
from coopatlas.styles.definitions import STYLES
from support.atlas import copy_atlas

MAP_COLLECTIONS = ["projets", "demandes", "collectivites", "partenaires", "liens", "pays", "regions", "departements"]
MVT = "application/vnd.mapbox-vector-tile"
LIMIT_BYTES = 500 * 1024


def tile_url(cid: str, z: int, x: int, y: int) -> str:
    return f"/collections/{cid}/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"


def get_tile(server, cid: str, z: int, x: int, y: int) -> tuple[bytes, list[dict]]:
    r = server.session.get(server.url + tile_url(cid, z, x, y), timeout=60)
    assert r.status_code in (200, 204), f"{cid} {z}/{x}/{y}: {r.status_code} {r.text[:300]}"
    if r.content:
        assert r.headers["Content-Type"] == MVT
    layers = mapbox_vector_tile.decode(r.content) if r.content else {}
    assert set(layers) <= {cid}, f"unexpected layers {set(layers)}"
    return r.content, layers.get(cid, {}).get("features", [])


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(x, n - 1), min(y, n - 1)


def total(server, cid: str) -> int:
    return server.get(f"/collections/{cid}/items", f="json", resulttype="hits").json()["numberMatched"]


def test_tilesets_list_and_metadata_say_how_aggregates_are_marked(atlas_server):
    r = atlas_server.get("/collections/projets/tiles", f="json")
    assert r.status_code == 200
    tilesets = r.json()["tilesets"]
    assert [t["tileMatrixSetURI"] for t in tilesets] == [
        "http://www.opengis.net/def/tilematrixset/OGC/1.0/WebMercatorQuad"
    ]
    items = [link for link in r.json()["links"] if link["rel"] == "item"]
    assert items and items[0]["href"].endswith(
        "/collections/projets/tiles/{tileMatrixSetId}/{tileMatrix}/{tileRow}/{tileCol}?f=mvt"
    )
    meta = atlas_server.get("/collections/projets/tiles/WebMercatorQuad", f="json").json()
    assert meta["coopatlas:aggregates"] == {
        "maxTileMatrix": spec.AGGREGATE_MAX_ZOOM,
        "flag": "agregat",
        "count": "nombre",
    }
    layer = meta["layers"][0]
    assert layer["id"] == "projets" and "AGGREGATES" in layer["description"]
    assert {"agregat", "nombre", "id", "titre", "type_action"} <= set(layer["propertiesSchema"]["properties"])
    item = [link for link in meta["links"] if link["rel"] == "item"][0]
    assert (
        item["href"] == atlas_server.url + "/collections/projets/tiles/WebMercatorQuad/"
        "{tileMatrix}/{tileRow}/{tileCol}?f=mvt"
    )
    tilejson = atlas_server.get("/collections/pays/tiles/WebMercatorQuad/metadata", f="tilejson").json()
    assert tilejson["tiles"] == [atlas_server.url + "/collections/pays/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"]
    assert tilejson["vector_layers"][0]["id"] == "pays"


@pytest.mark.parametrize("cid", MAP_COLLECTIONS)
def test_world_tile_holds_every_record_or_says_it_aggregates(atlas_server, cid):
    content, features = get_tile(atlas_server, cid, 0, 0, 0)
    assert features, f"{cid}: empty world tile"
    layer = spec.LAYERS[cid]
    if layer.aggregated:
        assert all(f["properties"]["agregat"] is True for f in features)
        assert sum(f["properties"]["nombre"] for f in features) == total(atlas_server, cid)
        assert all(set(f["properties"]) <= set(layer.aggregate_properties()) for f in features)
    else:
        ids = {f["properties"]["id"] for f in features}
        assert len(ids) == len(features)
        assert all("agregat" not in f["properties"] for f in features)
        # what a tile unit cannot hold at zoom 0 (a few islets) is the only thing not drawn
        assert len(ids) >= 0.9 * total(atlas_server, cid)
    style_fields = set(STYLES[cid].fields) - {"nb_projets"} if layer.aggregated else set(STYLES[cid].fields)
    assert all(
        style_fields <= set(f["properties"])
        for f in features
        if f["properties"].get("nombre", 1) > 0 and (layer.category is None or layer.category in f["properties"])
    )


def test_records_are_features_with_what_a_popup_needs_above_the_aggregate_zooms(atlas_server):
    item = atlas_server.get("/collections/projets/items", f="json", limit=1, sortby="id").json()["features"][0]
    lon, lat = item["geometry"]["coordinates"]
    z = spec.AGGREGATE_MAX_ZOOM + 4
    x, y = tile_of(lon, lat, z)
    _, features = get_tile(atlas_server, "projets", z, x, y)
    mine = [f for f in features if f["properties"].get("id") == item["id"]]
    assert len(mine) == 1
    props = mine[0]["properties"]
    assert set(props) == set(spec.LAYERS["projets"].properties) | {"nombre"}
    assert props["nombre"] == 1 and "agregat" not in props and "description" not in props
    for name in ("titre", "type_action", "collectivite_nom", "partenaire_nom", "pays_code"):
        assert props[name] == item["properties"][name]
    # the same place at an aggregate zoom: one feature counting every project there
    at_place = atlas_server.get(
        "/collections/projets/items", f="json", limit=10000, bbox=f"{lon - 1e-7},{lat - 1e-7},{lon + 1e-7},{lat + 1e-7}"
    ).json()
    x, y = tile_of(lon, lat, 3)
    _, features = get_tile(atlas_server, "projets", 3, x, y)
    assert at_place["numberMatched"] in {f["properties"]["nombre"] for f in features}


def _children(x: int, y: int) -> list[tuple[int, int]]:
    return [(2 * x + dx, 2 * y + dy) for dy in (0, 1) for dx in (0, 1)]


@pytest.mark.parametrize("cid", MAP_COLLECTIONS)
def test_no_tile_of_zooms_0_to_4_exceeds_500_kb(atlas_server, cid):
    """Every non-empty tile of zooms 0-4 (children of non-empty tiles: an empty tile has empty children)."""
    biggest, seen = (0, None), 0
    level = [(0, 0)]
    for z in range(0, 5):
        nonempty = []
        for x, y in level:
            content, features = get_tile(atlas_server, cid, z, x, y)
            if features:
                nonempty.append((x, y))
                seen += 1
                biggest = max(biggest, (len(content), f"{z}/{x}/{y}"))
        level = [c for x, y in nonempty for c in _children(x, y)]
    assert seen >= 5
    assert biggest[0] <= LIMIT_BYTES, f"{cid}: tile {biggest[1]} is {biggest[0]} bytes"


@pytest.mark.parametrize(
    "path, status, words",
    [
        ("/collections/projets/tiles/WebMercatorQuad/17/0/0?f=mvt", 404, "tileMatrix 17 is outside the zooms 0 to 16"),
        ("/collections/projets/tiles/WebMercatorQuad/2/4/0?f=mvt", 404, "tileRow 4 is outside the matrix 2"),
        ("/collections/projets/tiles/WebMercatorQuad/2/0/4?f=mvt", 404, "tileCol 4 is outside the matrix 2"),
        ("/collections/projets/tiles/WebMercatorQuad/2/-1/0?f=mvt", 404, "tileRow -1"),
        ("/collections/projets/tiles/WebMercatorQuad/x/0/0?f=mvt", 400, "tileMatrix must be an integer"),
        ("/collections/projets/tiles/WebMercatorQuad/1/0/0.5?f=mvt", 400, "tileCol must be an integer"),
        (
            "/collections/projets/tiles/WorldCRS84Quad/0/0/0?f=mvt",
            404,
            "tile matrix set 'WorldCRS84Quad' is not offered",
        ),
        ("/collections/projets/tiles/Nope?f=json", 404, "tile matrix set 'Nope' is not offered"),
        ("/collections/projets/tiles/Nope/metadata?f=tilejson", 404, "tile matrix set 'Nope' is not offered"),
        ("/collections/inconnue/tiles/WebMercatorQuad/0/0/0?f=mvt", 404, "collection 'inconnue' not found"),
        ("/collections/apd/tiles/WebMercatorQuad/0/0/0?f=mvt", 404, "collection apd has no geometry"),
        ("/collections/projets/tiles/WebMercatorQuad/0/0/0?f=png", 400, "f=mvt"),
    ],
)
def test_bad_tile_requests_say_why(atlas_server, path, status, words):
    r = atlas_server.session.get(atlas_server.url + path, timeout=30)
    assert r.status_code == status, r.text[:300]
    assert words in r.json()["description"]


def test_a_tile_url_without_f_gives_the_vector_tile(atlas_server):
    r = atlas_server.session.get(atlas_server.url + "/collections/pays/tiles/WebMercatorQuad/0/0/0", timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"] == MVT
    assert mapbox_vector_tile.decode(r.content)["pays"]["features"]


def _private_request(gpkg) -> tuple[str, float, float]:
    """A request of the Bourse that is not public (id, lon, lat)."""
    from coopatlas.server.cql import point_xy

    con = sqlite3.connect(gpkg)
    try:
        rid, blob = con.execute(
            f"SELECT id, geom FROM {sch.DEMANDES_TABLE} WHERE statut_validation NOT IN "
            "('validee', 'pourvue') AND geom IS NOT NULL ORDER BY id"
        ).fetchone()
    finally:
        con.close()
    return rid, *point_xy(blob)


def test_only_validated_requests_and_a_validation_shows_in_the_next_tile(server_factory, atlas_gpkg_path, tmp_path):
    gpkg = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    server = server_factory(gpkg=gpkg, workers=1)
    rid, lon, lat = _private_request(gpkg)
    con = sqlite3.connect(gpkg)
    n_private = con.execute(
        f"SELECT count(*) FROM {sch.DEMANDES_TABLE} WHERE statut_validation NOT IN ('validee', 'pourvue')"
    ).fetchone()[0]
    con.close()
    assert n_private > 0
    _, world = get_tile(server, "demandes", 0, 0, 0)
    assert sum(f["properties"]["nombre"] for f in world) == total(server, "demandes")
    z = 12
    x, y = tile_of(lon, lat, z)
    _, features = get_tile(server, "demandes", z, x, y)
    assert rid not in {f["properties"].get("id") for f in features}
    con = sqlite3.connect(gpkg)
    with con:
        con.execute(f"UPDATE {sch.DEMANDES_TABLE} SET statut_validation = 'validee' WHERE id = ?", (rid,))
    con.close()
    _, features = get_tile(server, "demandes", z, x, y)
    assert rid in {f["properties"].get("id") for f in features}
    _, after = get_tile(server, "demandes", 0, 0, 0)
    assert sum(f["properties"]["nombre"] for f in after) == sum(f["properties"]["nombre"] for f in world) + 1


def test_a_write_into_projets_shows_in_the_next_tile(server_factory, atlas_gpkg_path, tmp_path):
    """The tiles a worker keeps are keyed on the version of their table: a project renamed in the file (SQL
    on the served GeoPackage) is renamed in the next tile, the kept one notwithstanding."""
    from coopatlas.server.cql import point_xy

    gpkg = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    server = server_factory(gpkg=gpkg, workers=1)
    con = sqlite3.connect(gpkg)
    pid, blob = con.execute("SELECT id, geom FROM projets WHERE geom IS NOT NULL ORDER BY id LIMIT 1").fetchone()
    con.close()
    z = 12
    x, y = tile_of(*point_xy(blob), z)
    for _ in range(2):  # made, then kept
        _, features = get_tile(server, "projets", z, x, y)
        titles = {f["properties"].get("titre") for f in features if f["properties"].get("id") == pid}
        assert len(titles) == 1 and "Titre réécrit" not in titles
    con = sqlite3.connect(gpkg)
    with con:
        con.execute("UPDATE projets SET titre = 'Titre réécrit' WHERE id = ?", (pid,))
    con.close()
    _, features = get_tile(server, "projets", z, x, y)
    assert {f["properties"].get("titre") for f in features if f["properties"].get("id") == pid} == {"Titre réécrit"}
