"""OGC API - Maps: every spatial collection as a PNG in its style; bad parameters are 400, never 500."""

from __future__ import annotations

import io
import sqlite3

import numpy as np
import pytest
from PIL import Image

from coopatlas import schema as sch
from coopatlas.server import maps
from coopatlas.styles.definitions import STYLES

SPATIAL = [cid for cid, c in sch.COLLECTIONS.items() if c.geometry]
BLUE, YELLOW, RED = (0x1F, 0x5F, 0xBF), (0xF2, 0xC5, 0x00), (0xD6, 0x27, 0x28)


def png(r) -> Image.Image:
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(r.content))


def near(img, rgb, tol=30) -> int:
    a = np.asarray(img.convert("RGBA")).astype(int)
    opaque = a[:, :, 3] > 200
    return int(((np.abs(a[:, :, :3] - np.array(rgb)).sum(axis=2) <= tol) & opaque).sum())


@pytest.mark.parametrize("cid", SPATIAL)
def test_every_spatial_collection_has_a_map(atlas_server, cid):
    img = png(atlas_server.get(f"/collections/{cid}/map", width=400, height=200))
    assert img.size == (400, 200)
    alpha = np.asarray(img.convert("RGBA"))[:, :, 3]
    assert (alpha == 0).any(), "transparent background by default"
    assert (alpha > 200).sum() > 50, "nothing drawn"


def test_projects_in_their_cooperation_colours(atlas_server):
    con = sqlite3.connect(f"file:{atlas_server.gpkg}?mode=ro", uri=True)
    counts = dict(con.execute("SELECT type_action, COUNT(*) FROM projets GROUP BY type_action").fetchall())
    requests_types = {r[0] for r in con.execute("SELECT DISTINCT type_action FROM demandes")}
    con.close()
    img = png(atlas_server.get("/collections/projets/map", width=800, height=400))
    assert near(img, BLUE) > 30 and near(img, YELLOW) > 30
    if not counts.get("demande_cooperation"):
        assert near(img, RED) == 0, "no request among projects: no red"
    img = png(atlas_server.get("/collections/demandes/map", width=800, height=400))
    assert near(img, RED) > 30
    if requests_types == {"demande_cooperation"}:
        assert near(img, BLUE) == 0 and near(img, YELLOW) == 0


def test_choropleth_uses_the_style_classes(atlas_server):
    img = png(atlas_server.get("/collections/pays/map", width=800, height=400, transparent="false"))
    used = {
        c
        for c in (cl.colour for cl in STYLES["pays"].colour.classes)
        if near(img, tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)), tol=6) > 20
    }
    assert used, "no class colour of the pays style on the map"
    assert np.asarray(img.convert("RGBA"))[:, :, 3].min() == 255, "transparent=false gives an opaque image"


def test_bbox_and_web_mercator(atlas_server):
    world = png(atlas_server.get("/collections/projets/map", width=300, height=300))
    west = png(atlas_server.get("/collections/projets/map", width=300, height=300, bbox="-180,-90,0,90"))
    assert near(west, BLUE) + near(west, YELLOW) < near(world, BLUE) + near(world, YELLOW)
    merc = atlas_server.get(
        "/collections/projets/map",
        width=256,
        height=256,
        crs="EPSG:3857",
        **{"bbox-crs": "EPSG:3857", "bbox": "-20037508,-20037508,20037508,20037508"},
    )
    img = png(merc)
    assert img.size == (256, 256) and merc.headers["Content-Crs"].endswith("3857")


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"width": "0"}, "width"),
        ({"width": "-5"}, "width"),
        ({"height": "0"}, "height"),
        ({"width": "100000"}, "width"),
        ({"height": "99999999999999999999"}, "height"),
        ({"width": "4096", "height": "4096", "bbox": "0,0,1,1"}, None),  # the largest image is allowed
        ({"width": "abc"}, "width"),
        ({"bbox": "10,10,0,0"}, "bbox"),
        ({"bbox": "0,0,0,0"}, "bbox"),
        ({"bbox": "nan,0,1,1"}, "bbox"),
        ({"bbox": "0,0,inf,1"}, "bbox"),
        ({"bbox": "-200,0,10,10"}, "bbox"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"crs": "EPSG:999999"}, "crs"),
        ({"crs": "a:b:c"}, "crs"),
        ({"bbox-crs": "garbage"}, "bbox-crs"),
        ({"transparent": "peut-etre"}, "transparent"),
        ({"datetime": "2010-01-01"}, "datetime"),
        ({"f": "jpeg"}, "f"),
    ],
)
def test_bad_map_parameters_are_400(atlas_server, params, parameter):
    r = atlas_server.get("/collections/liens/map", **params)
    if parameter is None:
        assert r.status_code == 200 and png(r).size == (4096, 4096)
        return
    assert r.status_code == 400, (params, r.status_code, r.text[:300])
    assert r.json()["description"].startswith(parameter), r.text


def test_collections_without_geometry_have_no_map(atlas_server):
    for cid in ("apd", "cofinancements"):
        r = atlas_server.get(f"/collections/{cid}/map")
        assert r.status_code == 400, (cid, r.status_code)
    assert atlas_server.get("/collections/nope/map").status_code == 404


# --- the same checks without a server -----------------------------------------------------------------


def test_parse_map_args_defaults_and_transformations():
    req = maps.parse_map_args({})
    assert (req.width, req.height, req.crs, req.transparent) == (500, 300, 4326, True)
    assert req.bbox == (-180.0, -90.0, 180.0, 90.0)
    req = maps.parse_map_args({"crs": "http://www.opengis.net/def/crs/EPSG/0/3857", "bbox": "-10,40,10,50"})
    assert req.crs == 3857 and req.bbox[0] == pytest.approx(-1113194.9, rel=1e-6)
    req = maps.parse_map_args({"crs": "[EPSG:2154]", "bbox": "-5,41,10,51", "transparent": "FALSE"})
    assert req.crs == 2154 and req.transparent is False and 0 < req.bbox[0] < req.bbox[2]


def test_provider_refuses_what_pygeoapi_would_pass_unchecked():
    feature = {"type": "feature", "name": "x", "data": "x"}
    p = maps.AtlasMapProvider(
        {
            "name": "coopatlas.server.maps.AtlasMapProvider",
            "type": "map",
            "data": "x",
            "options": {"collection": "projets", "features": feature},
        }
    )
    for kwargs in (
        {"width": 0},
        {"height": -1},
        {"bbox": [1, 1, 0, 0]},
        {"bbox": [0, 0, float("nan"), 1]},
        {"crs": "http://www.opengis.net/def/crs/EPSG/0/32631"},
        {"style": "autre"},
        {"transparent": "x"},
    ):
        with pytest.raises(maps.MapParameterError):
            p.query(**kwargs)
    with pytest.raises(RuntimeError):
        maps.AtlasMapProvider(
            {"name": "m", "type": "map", "data": "x", "options": {"collection": "apd", "features": feature}}
        )


def test_basemap_tile_bounds():
    assert maps.Basemap.tile_bbox(0, 0, 0) == pytest.approx(
        (-maps.MERCATOR_HALF, -maps.MERCATOR_HALF, maps.MERCATOR_HALF, maps.MERCATOR_HALF)
    )
    minx, _, maxx, maxy = maps.Basemap.tile_bbox(1, 1, 0)
    assert (minx, maxy) == pytest.approx((0, maps.MERCATOR_HALF))
    assert maxx - minx == pytest.approx(maps.MERCATOR_HALF)
    for z, x, y in ((13, 0, 0), (1, 2, 0), (1, 0, -1)):
        with pytest.raises(maps.MapParameterError):
            maps.Basemap.tile_bbox(z, x, y)
