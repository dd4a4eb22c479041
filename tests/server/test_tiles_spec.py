"""The tile convention (coopatlas.server.tiles.spec) and the GeoPackage geometry pipeline, without a server."""

from __future__ import annotations

import numpy as np
import pytest
import shapely

from coopatlas.server.tiles import gpkg, spec
from coopatlas.styles.definitions import STYLES


def test_tile_indices_are_checked_with_the_reason():
    assert spec.parse_tile("WebMercatorQuad", "3", "2", "5") == (3, 5, 2)  # (z, column, row)
    for args, status, words in [
        (("WebMercatorQuad", "17", "0", "0"), 404, "tileMatrix 17 is outside"),
        (("WebMercatorQuad", "3", "8", "0"), 404, "tileRow 8 is outside the matrix 3 of WebMercatorQuad (0 to 7)"),
        (("WebMercatorQuad", "3", "0", "-1"), 404, "tileCol -1"),
        (("WebMercatorQuad", "3", "0", "1e3"), 400, "tileCol must be an integer"),
        (("WorldCRS84Quad", "0", "0", "0"), 404, "'WorldCRS84Quad' is not offered: use WebMercatorQuad"),
    ]:
        with pytest.raises(spec.TileRequestError) as err:
            spec.parse_tile(*args)
        assert err.value.status == status and words in err.value.message


def test_tile_bounds_and_search_box():
    assert spec.mercator_bounds(0, 0, 0) == pytest.approx(
        (-spec.HALF_WORLD, -spec.HALF_WORLD, spec.HALF_WORLD, spec.HALF_WORLD)
    )
    assert spec.query_bounds(0, 0, 0) == pytest.approx((-180, -90, 180, 90))
    west, south, east, north = spec.query_bounds(1, 1, 0)  # north-east quarter and its buffer
    assert west < 0 < east == pytest.approx(180) and south < 0 and north == 90


def test_majority_ties_go_to_the_first_code():
    codes = ("a", "b", "c")
    assert spec.majority({"a": 1, "b": 3, "c": 3}, codes) == "b"
    assert spec.majority({"c": 2, "a": 2}, codes) == "a"
    assert spec.majority({}, codes) is None


@pytest.mark.parametrize("cid", list(spec.LAYERS))
def test_tiles_carry_what_the_style_reads(cid):
    layer = spec.LAYERS[cid]
    assert set(STYLES[cid].fields) <= set(layer.properties)
    assert "id" in layer.properties  # the record behind a feature (its sheet, its popup)
    assert {"titre", "nom", "collectivite_nom"} & set(layer.properties), "no label"
    if layer.aggregated:
        assert STYLES[cid].colour.field in layer.aggregate_properties()


def test_aggregates_count_per_geometry():
    """Rows of the GROUP BY query: records, sums, records per code of the category."""
    projets = spec.LAYERS["projets"]
    assert gpkg.aggregate(projets, (3, 1, 2, 0)) == {
        "agregat": True,
        "nombre": 3,
        "type_action": "action_exterieure",
        "nb_cooperation_decentralisee": 1,
        "nb_action_exterieure": 2,
        "nb_demande_cooperation": 0,
    }
    partenaires = spec.LAYERS["partenaires"]
    assert partenaires.sums == ("nb_projets", "nb_demandes")
    assert gpkg.aggregate(partenaires, (2, 30.0, 1.0, 1, 1, 0)) == {
        "agregat": True,
        "nombre": 2,
        "nb_projets": 30,
        "nb_demandes": 1,
        "type_action_principal": "cooperation_decentralisee",
    }  # a tie: the first code
    assert "GROUP BY t.geom" in gpkg.aggregate_sql(projets, "projets", "rtree_projets_geom")


def test_what_is_smaller_than_a_tile_unit_is_kept_as_a_small_shape():
    islet = shapely.box(10.0, 10.0, 10.001, 10.001)  # about 100 m: far below a unit of the world tile
    far = shapely.box(170.0, -10.0, 171.0, -9.0)
    grid = gpkg.to_tile_grid(np.array([shapely.MultiPolygon([islet]), shapely.MultiPolygon([far])]), 1, 1, 0)
    out = gpkg.on_grid(grid, "MULTIPOLYGON")
    assert out[0].geom_type == "Polygon" and out[0].area == 4  # the 2-unit square
    assert out[1].is_empty  # outside the tile (south of the equator): not in it
