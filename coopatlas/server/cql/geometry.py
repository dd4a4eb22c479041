"""Geometry literals of CQL2 filters: shapely geometries in CRS84 (longitude, latitude), checked.

Literals are CRS84 unless they carry another CRS (EWKT ``SRID=…;`` or a ``crs`` member, as pygeoapi sets
after applying ``filter-crs``): they are then transformed with pyproj. Envelopes from CQL2 JSON
(``{"bbox": [minx, miny, maxx, maxy]}``) are read in that order: pygeofilter 0.4 stores them in fields
named ``x1, x2, y1, y2`` (see :func:`envelope`). Also: the DE-9IM pattern of swapped operands, the
distance units of ``DWITHIN``/``BEYOND`` and the box that holds a circle on the ellipsoid.
"""

from __future__ import annotations

import math

import shapely
from pygeofilter import values

from .coercion import FilterError

#: CRS names (as pygeofilter / pygeoapi put them in geometry literals) read as longitude, latitude.
LONLAT_CRS = frozenset(
    {
        "urn:ogc:def:crs:OGC::CRS84",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        "urn:ogc:def:crs:EPSG::4326",
        "EPSG:4326",
        "http://www.opengis.net/def/crs/EPSG/0/4326",
        "OGC:CRS84",
    }
)

#: Distance units of DWITHIN/BEYOND, in metres.
DISTANCE_UNITS = {
    "meters": 1.0,
    "metres": 1.0,
    "m": 1.0,
    "kilometers": 1000.0,
    "kilometres": 1000.0,
    "km": 1000.0,
    "feet": 0.3048,
    "ft": 0.3048,
    "statute miles": 1609.344,
    "miles": 1609.344,
    "mi": 1609.344,
    "nautical miles": 1852.0,
    "nm": 1852.0,
}


def box(minx, miny, maxx, maxy):
    """A shapely box of 4 finite numbers, min before max (:class:`FilterError` otherwise)."""
    vals = [minx, miny, maxx, maxy]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in vals):
        raise FilterError("filter: a bounding box needs 4 finite numbers")
    if minx > maxx or miny > maxy:
        raise FilterError(
            f"filter: bounding box {vals} has min > max (a box crossing the antimeridian must be "
            "written as two boxes joined by OR)"
        )
    return shapely.box(minx, miny, maxx, maxy)


def envelope(env: values.Envelope):
    """A pygeofilter envelope as a shapely box.

    pygeofilter 0.4's CQL2 JSON parser builds ``Envelope(*bbox)`` from ``{"bbox": [minx, miny, maxx,
    maxy]}`` although the fields are named ``x1, x2, y1, y2``: the values are read in bbox order.
    """
    return box(env.x1, env.x2, env.y1, env.y2)


def geometry_literal(node):
    """A pygeofilter geometry or envelope as a valid, non-empty shapely geometry in CRS84."""
    if isinstance(node, values.Envelope):
        return envelope(node)
    geojson = dict(node.geometry)
    crs = (geojson.pop("crs", None) or {}).get("properties", {}).get("name")
    try:
        geom = shapely.geometry.shape(geojson)
    except Exception as exc:
        raise FilterError(f"filter: invalid geometry literal: {exc}") from None
    if geom.is_empty:
        raise FilterError("filter: empty geometry literal")
    if crs and crs not in LONLAT_CRS:
        geom = _to_crs84(geom, crs)
    if not geom.is_valid:
        raise FilterError(f"filter: invalid geometry literal ({shapely.is_valid_reason(geom)})")
    return geom


def _to_crs84(geom, crs: str):
    import pyproj

    try:
        src = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        raise FilterError(f"filter: unknown CRS {crs!r} in a geometry literal") from None
    tr = pyproj.Transformer.from_crs(src, "OGC:CRS84", always_xy=True)
    return shapely.transform(geom, lambda xy: stack(tr.transform(xy[:, 0], xy[:, 1])))


def stack(xy):
    """(x array, y array) as the N×2 array ``shapely.transform`` expects."""
    import numpy as np

    return np.column_stack(xy)


def shapely_predicate(op: str, a, b, pattern: str | None = None) -> bool:
    """The spatial predicate ``op`` (or ``relate`` with ``pattern``) between two literal geometries."""
    if op == "relate":
        return bool(shapely.relate_pattern(a, b, pattern))
    return bool(getattr(shapely, op)(a, b))


def transpose(pattern: str) -> str:
    """The DE-9IM pattern of ``relate(b, a)`` from the one of ``relate(a, b)``."""
    p = pattern
    return p[0] + p[3] + p[6] + p[1] + p[4] + p[7] + p[2] + p[5] + p[8] if len(p) == 9 else p


def distance_bounds(lon: float, lat: float, metres: float) -> tuple[float, float, float, float]:
    """A CRS84 box containing every point within ``metres`` (on WGS 84) of (``lon``, ``lat``)."""
    dlat = metres / 110_574.0 * 1.01 + 1e-9
    miny, maxy = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    far = max(abs(miny), abs(maxy))
    if far >= 89.9:
        return -180.0, miny, 180.0, maxy
    dlon = metres / (111_320.0 * math.cos(math.radians(far))) * 1.01 + 1e-9
    if dlon >= 180 or lon - dlon < -180 or lon + dlon > 180:
        return -180.0, miny, 180.0, maxy
    return lon - dlon, miny, lon + dlon, maxy
