"""The projection chosen for each country, its remote parts (insets), the antimeridian, and the truth of
the scale bar and of the north arrow, checked with pyproj independently of the code under test."""

from __future__ import annotations

import math

import numpy as np
import pytest
import shapely
from pyproj import CRS, Geod, Proj, Transformer

from coopatlas.cartography.furniture import nice_km, scale_bar
from coopatlas.cartography.geography import seam_free_outline, unwrap_geometry
from coopatlas.cartography.projection import MapProjection, choose_projection, fit_extent, split_country

GEOD = Geod(ellps="WGS84")


@pytest.mark.parametrize(
    "code,kind",
    [
        ("CL", "tmerc"),
        ("VN", "tmerc"),
        ("NO", "tmerc"),  # tall: transverse Mercator
        ("RU", "lcc"),
        ("US", "lcc"),
        ("MX", "lcc"),  # wide, away from the equator: Lambert conformal conic
        ("BF", "laea"),
        ("ID", "laea"),
        ("CV", "laea"),
        ("FR", "laea"),  # compact or equatorial: equal-area
    ],
)
def test_projection_kind_follows_the_shape(world, code, kind):
    split = split_country(world.countries[code].geometry)
    proj = choose_projection(split.main.geometry, split.lon_ref)
    assert proj.kind == kind
    crs = CRS.from_user_input(proj.proj4)
    assert crs.is_projected and not crs.is_geographic  # never plain longitude/latitude
    # centred on the country: its centre projects near the origin (within the country's half-extent)
    g = proj.project(split.main.geometry)
    xmin, ymin, xmax, ymax = g.bounds
    assert xmin < 0 < xmax and ymin < 0 < ymax


def test_antarctica_gets_a_polar_azimuthal_projection(world):
    proj = choose_projection(world.countries["AQ"].geometry)
    assert proj.kind == "laea" and proj.lat0 == -90.0


def test_russia_is_one_piece_across_the_antimeridian(world):
    split = split_country(world.countries["RU"].geometry)
    assert not split.insets and not split.omitted  # Kaliningrad and Chukotka in the main frame
    proj = choose_projection(split.main.geometry, split.lon_ref)
    assert 90 < proj.lon0 < 120  # centred on Russia, not on Greenwich
    x, y = proj.forward([20.5, -175.0, 37.6], [54.7, 66.0, 55.75])  # Kaliningrad, Chukotka, Moscow
    assert np.isfinite(x).all()
    # Chukotka (west longitude) lies EAST of Moscow on the map, not 360° away on the other side
    assert x[1] > x[2] > x[0]
    geom = proj.project(split.main.geometry)
    assert geom.bounds[2] - geom.bounds[0] < 8_000_000  # Russia is < 8 000 km wide in LCC


def test_fiji_is_centred_on_the_antimeridian(world):
    split = split_country(world.countries["FJ"].geometry)
    proj = choose_projection(split.main.geometry, split.lon_ref)
    assert abs(abs(proj.lon0) - 180) < 3
    g = proj.project(split.main.geometry)
    assert g.bounds[2] - g.bounds[0] < 800_000  # a few hundred km, not the width of the Earth


def test_united_states_alaska_and_hawaii_insets(world):
    split = split_country(world.countries["US"].geometry)
    assert len(split.insets) == 2
    anchor = {"Alaska": shapely.Point(-150.0, 64.0), "Hawaii": shapely.Point(-155.5, 19.6)}
    for name, pt in anchor.items():
        assert sum(1 for g in split.insets if g.geometry.buffer(0.5).contains(pt)) == 1, name
    assert not split.main.geometry.buffer(0.5).contains(anchor["Alaska"])
    assert split.main.geometry.contains(shapely.Point(-98.0, 39.0))  # Kansas is in the main frame


@pytest.mark.parametrize("code", ["ID", "CV", "JP", "PH"])
def test_archipelagos_stay_whole(world, code):
    split = split_country(world.countries[code].geometry)
    assert not split.insets
    assert sum(g.area_km2 for g in split.omitted) < 0.001 * split.main.area_km2


def test_points_of_a_remote_group_go_to_its_inset(world):
    honolulu, denver = (-157.85, 21.3), (-104.99, 39.74)
    split = split_country(world.countries["US"].geometry, np.array([honolulu, denver]))
    hawaii = next(g for g in split.insets if g.geometry.buffer(0.5).contains(shapely.Point(*honolulu)))
    assert hawaii.points == [0] and split.main.points == [1]


def test_unwrap_geometry_keeps_a_country_contiguous(world):
    fiji = unwrap_geometry(world.countries["FJ"].geometry, 178.0)
    xmin, _, xmax, _ = fiji.bounds
    assert 174 < xmin and 180 < xmax < 182  # the eastern islands get longitudes beyond 180°


def test_seam_free_outline_drops_the_cut_only():
    # a square cut along +180°: its outline keeps three sides
    poly = shapely.Polygon([(179, 0), (180, 0), (180, 1), (179, 1)])
    lines = seam_free_outline(poly)
    coords = np.concatenate([np.asarray(g.coords) for g in lines.geoms])
    assert lines.length == pytest.approx(3.0)
    seg = [(tuple(a), tuple(b)) for g in lines.geoms for a, b in zip(g.coords[:-1], g.coords[1:])]
    assert ((180.0, 0.0), (180.0, 1.0)) not in seg and ((180.0, 1.0), (180.0, 0.0)) not in seg
    assert len(coords) >= 4


@pytest.mark.parametrize(
    "proj,centre",
    [
        (MapProjection("lcc", 105.5, 61.5, 48.0, 75.0), (2_000_000.0, -500_000.0)),  # Russia, off-centre
        (MapProjection("tmerc", -73.5, -36.5), (150_000.0, 1_200_000.0)),  # Chile, off the central meridian
        (MapProjection("laea", -1.5, 12.0), (0.0, 0.0)),  # Burkina Faso, at the centre
        (MapProjection("laea", 118.0, -2.5), (1_500_000.0, 300_000.0)),  # Indonesia, far from the centre
    ],
)
def test_scale_bar_is_true_at_the_point_it_is_computed_for(proj, centre):
    metres_per_mm = 25_000.0  # 1 : 25 000 000
    bar = scale_bar(proj, centre, metres_per_mm, target_mm=30.0)
    assert bar.km == nice_km(bar.km)
    half = bar.length_mm * metres_per_mm / 2.0  # map metres
    to_geo = Transformer.from_crs(CRS.from_proj4(proj.proj4), "EPSG:4326", always_xy=True)
    lon, lat = to_geo.transform([centre[0] - half, centre[0] + half], [centre[1], centre[1]])
    _, _, dist = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
    assert dist == pytest.approx(bar.km * 1000.0, rel=0.003)
    # and the representative fraction is the scale at that point, for a print at 100 %
    k = Proj(CRS.from_proj4(proj.proj4)).get_factors(*to_geo.transform(*centre)).parallel_scale
    if proj.kind != "laea":  # conformal: the same in every direction
        assert bar.denominator == pytest.approx(metres_per_mm * 1000.0 / k, rel=0.003)


@pytest.mark.parametrize(
    "proj,point",
    [
        (MapProjection("lcc", -96.0, 37.0, 28.5, 45.0), (1_500_000.0, 300_000.0)),
        (MapProjection("lcc", 105.5, 61.5, 48.0, 75.0), (-2_500_000.0, 500_000.0)),
        (MapProjection("tmerc", 106.0, 16.0), (300_000.0, 800_000.0)),
        (MapProjection("laea", 118.0, -2.5), (0.0, 0.0)),
    ],
)
def test_north_arrow_points_to_true_north(proj, point):
    lon, lat = Transformer.from_crs(CRS.from_proj4(proj.proj4), "EPSG:4326", always_xy=True).transform(*point)
    convergence = Proj(CRS.from_proj4(proj.proj4)).get_factors(lon, lat).meridian_convergence
    assert proj.north_angle(*point) == pytest.approx(convergence, abs=0.01)


def test_projection_written_down():
    p = MapProjection("lcc", -96.0, 37.0, 28.5, 45.0)
    assert "+proj=lcc" in p.proj4 and "+lat_1=28.5" in p.proj4 and "+lon_0=-96" in p.proj4
    assert p.describe("fr") == (
        "Projection conique conforme de Lambert, parallèles de référence 28,5° N et 45° N, méridien central 96° O"
    )
    assert "standard parallels 28.5° N and 45° N" in p.describe("en")


def test_fit_extent_keeps_aspect_and_margin():
    ext, mpm = fit_extent((0.0, 0.0, 1_000_000.0, 200_000.0), 200.0, 100.0, margin_mm=5.0)
    assert (ext[2] - ext[0]) / (ext[3] - ext[1]) == pytest.approx(2.0)
    assert mpm == pytest.approx(1_000_000.0 / 190.0)
    assert ext[0] < 0 and ext[2] > 1_000_000.0
    assert math.isclose((ext[0] + ext[2]) / 2, 500_000.0)
