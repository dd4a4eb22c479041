"""The SQL functions that the SQL of the CQL2 translator and of the provider's ``bbox`` call on SQLite.

Registered on every connection of the GeoPackage provider by :func:`register_functions`. Geometries are
GeoPackage blobs (:mod:`coopatlas.store.geopackage`); literal geometries come as WKB parameters and are
parsed and prepared once per connection.
"""

from __future__ import annotations

import math
import unicodedata

import shapely

from ...store.geopackage import blob_envelope, point_xy
from ...store.geopackage import decode_geometry as to_shapely
from .geometry import stack


def lower(text: str | None) -> str | None:
    """Unicode lower case (CQL2 ``CASEI``)."""
    return text.lower() if isinstance(text, str) else text


def unaccent(text: str | None) -> str | None:
    """``text`` without its accents, case kept (CQL2 ``ACCENTI``)."""
    if not isinstance(text, str):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


_LIT_FIRST = {  # predicate(feature, literal) computed as predicate'(literal, feature) (prepared literal)
    "intersects": shapely.intersects,
    "disjoint": shapely.disjoint,
    "touches": shapely.touches,
    "crosses": shapely.crosses,
    "overlaps": shapely.overlaps,
    "equals": shapely.equals,
    "within": shapely.contains,
    "contains": shapely.within,
}


def register_functions(con) -> None:
    """Register on a sqlite3 connection the ``atlas_*`` SQL functions that the generated SQL uses.

    * ``atlas_lower(text)``, ``atlas_unaccent(text)``: CQL2 ``CASEI`` / ``ACCENTI``;
    * ``atlas_spatial(op, geom, wkb)``: 1 if ``op(geom, literal)`` holds (planar, CRS84), 0 if not, NULL
      for a NULL geometry;
    * ``atlas_relate(geom, wkb, pattern)``: DE-9IM pattern test;
    * ``atlas_box(geom, minx, miny, maxx, maxy)``: the geometry intersects the box (bbox parameter);
    * ``atlas_dwithin(geom, wkb_point, metres)``: within ``metres`` of the point on the WGS 84 ellipsoid.

    Literal geometries are parsed and prepared once per connection (a small cache keyed by their WKB),
    so a connection must stay in one thread (sqlite3's default).
    """
    cache: dict = {}

    def literal(key, make):
        g = cache.get(key)
        if g is None:
            if len(cache) > 32:
                cache.clear()
            g = make()
            cache[key] = g
        return g

    def prepared(wkb):
        def make():
            g = shapely.from_wkb(wkb)
            shapely.prepare(g)
            return g

        return literal(wkb, make)

    def spatial(op, blob, wkb):
        if blob is None:
            return None
        lit = prepared(wkb)
        if op in ("intersects", "within"):
            xy = point_xy(blob)
            if xy is not None:
                fn = shapely.intersects_xy if op == "intersects" else shapely.contains_xy
                return int(fn(lit, xy[0], xy[1]))
        return int(_LIT_FIRST[op](lit, to_shapely(blob)))

    def relate(blob, wkb, pattern):
        if blob is None:
            return None
        return int(shapely.relate_pattern(to_shapely(blob), prepared(wkb), pattern))

    def box(blob, minx, miny, maxx, maxy):
        if blob is None:
            return None
        env = blob_envelope(blob)
        if env is None:  # empty
            return 0
        gminx, gmaxx, gminy, gmaxy = env
        if gminx > maxx or gmaxx < minx or gminy > maxy or gmaxy < miny:
            return 0
        if gminx >= minx and gmaxx <= maxx and gminy >= miny and gmaxy <= maxy:
            return 1
        b = literal(("box", minx, miny, maxx, maxy), lambda: _prepared_box(minx, miny, maxx, maxy))
        return int(shapely.intersects(b, to_shapely(blob)))

    def dwithin(blob, wkb, metres):
        if blob is None:
            return None
        centre = literal(("dwithin", wkb), lambda: _DistanceFrom(shapely.from_wkb(wkb)))
        return int(centre.distance(blob) <= metres)

    con.create_function("atlas_lower", 1, lower, deterministic=True)
    con.create_function("atlas_unaccent", 1, unaccent, deterministic=True)
    con.create_function("atlas_spatial", 3, spatial, deterministic=True)
    con.create_function("atlas_relate", 3, relate, deterministic=True)
    con.create_function("atlas_box", 5, box, deterministic=True)
    con.create_function("atlas_dwithin", 3, dwithin, deterministic=True)


def _prepared_box(minx, miny, maxx, maxy):
    g = shapely.box(minx, miny, maxx, maxy)
    shapely.prepare(g)
    return g


class _DistanceFrom:
    """Ellipsoidal (WGS 84) distances in metres from one point.

    To a point: the geodesic (pyproj ``Geod.inv``). To another geometry: the planar distance in the
    azimuthal equidistant projection centred on the point (true distances from the centre), after
    densifying the geometry to 0.1° segments so that its edges follow the geodesics closely.
    """

    def __init__(self, point):
        import pyproj

        self.lon, self.lat = point.x, point.y
        self.geod = pyproj.Geod(ellps="WGS84")
        self._aeqd = None

    def distance(self, blob) -> float:
        xy = point_xy(blob)
        if xy is not None:
            return self.geod.inv(self.lon, self.lat, xy[0], xy[1])[2]
        geom = to_shapely(blob)
        if geom.is_empty:
            return math.inf
        if self._aeqd is None:
            import pyproj

            self._aeqd = pyproj.Transformer.from_crs(
                "OGC:CRS84", f"+proj=aeqd +lat_0={self.lat} +lon_0={self.lon} +datum=WGS84 +units=m", always_xy=True
            )
        dense = shapely.segmentize(geom, 0.1)
        projected = shapely.transform(dense, lambda xy: stack(self._aeqd.transform(xy[:, 0], xy[:, 1])))
        return shapely.distance(shapely.Point(0, 0), projected)
