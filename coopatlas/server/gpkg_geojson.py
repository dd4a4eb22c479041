"""GeoJSON features of the GeoPackage feature provider's rows: geometries decoded from the GeoPackage blobs
with ``struct`` (points, :func:`coopatlas.store.geopackage.point_xy`: the atlas's own blobs at fixed
offsets) or one vectorised shapely call per page (:func:`geojson_many`),
booleans from SQLite's 0/1, the output CRS through pygeoapi's transformation.
"""

from __future__ import annotations

import shapely

from ..store import geopackage
from .gpkg_layer import Layer


def point(blob):
    """GeoJSON of a GeoPackage point blob (fast path: the coordinates read with struct)."""
    if blob is None:
        return None
    xy = geopackage.point_xy(blob)
    if xy is not None:
        return {"type": "Point", "coordinates": [xy[0], xy[1]]}
    return shapely.geometry.mapping(geopackage.decode_geometry(blob))


def geometries(blobs: list, point_layer: bool, transform=None) -> list:
    """GeoJSON geometries (dicts) of GeoPackage blobs, CRS84 unless ``transform`` (a pygeoapi CRS
    transformation of shapely geometries) is given."""
    if transform is not None:
        return [
            None if b is None else shapely.geometry.mapping(transform(geopackage.decode_geometry(b))) for b in blobs
        ]
    if point_layer:
        return points(blobs)
    out = [None] * len(blobs)
    idx = [i for i, b in enumerate(blobs) if b is not None]
    if idx:
        geoms = geopackage.decode_geometries([blobs[i] for i in idx])
        for i, g in zip(idx, geojson_many(geoms)):
            out[i] = g
    return out


_RAGGED_TYPES = {
    shapely.GeometryType.LINESTRING: "LineString",
    shapely.GeometryType.POLYGON: "Polygon",
    shapely.GeometryType.MULTILINESTRING: "MultiLineString",
    shapely.GeometryType.MULTIPOLYGON: "MultiPolygon",
}


def geojson_many(geoms) -> list:
    """GeoJSON dicts of shapely geometries, the same as ``shapely.geometry.mapping`` (coordinates as
    lists), built from ``shapely.to_ragged_array`` when all have the same (line or polygon) type: one
    call for all the coordinates instead of one ``mapping`` per geometry."""
    types = shapely.get_type_id(geoms)
    if (
        len(geoms) == 0
        or (types != types[0]).any()
        or int(types[0]) not in _RAGGED_TYPES
        or shapely.is_empty(geoms).any()
    ):
        return [shapely.geometry.mapping(g) for g in geoms]
    gtype, coords, offsets = shapely.to_ragged_array(geoms)
    if coords.shape[1] != 2:
        return [shapely.geometry.mapping(g) for g in geoms]
    name = _RAGGED_TYPES[int(gtype)]
    pts = coords.tolist()
    offs = [o.tolist() for o in offsets]

    def nest(level, lo, hi):
        if level < 0:
            return pts[lo:hi]
        o = offs[level]
        return [nest(level - 1, o[i], o[i + 1]) for i in range(lo, hi)]

    top = offs[-1]
    depth = len(offs) - 2
    return [{"type": name, "coordinates": nest(depth, top[i], top[i + 1])} for i in range(len(geoms))]


def points(blobs: list) -> list:
    """GeoJSON of GeoPackage point blobs (:func:`point`, its fast path inlined: one call per blob)."""
    out = []
    append = out.append
    point_xy = geopackage.point_xy
    for b in blobs:
        xy = None if b is None else point_xy(b)
        append(point(b) if xy is None else {"type": "Point", "coordinates": [xy[0], xy[1]]})
    return out


#: SQLite's 0/1 of a boolean property as JSON's false/true (``v == 1``; NULL stays NULL).
_BOOLEAN = {1: True, None: None}.get


def features(layer: Layer, rows, names, with_geom, transform) -> list:
    """GeoJSON features (dicts) of rows (id, properties…, geometry blob)."""
    end = len(names) + 1
    bools = [i for i, name in enumerate(names) if name in layer.bools]
    if with_geom:
        geoms = geometries([r[end] for r in rows], layer.geometry_type == "POINT", transform)
    else:
        geoms = [None] * len(rows)
    features = []
    append = features.append
    for row, geom in zip(rows, geoms):
        values = row[1:end]
        if bools:
            values = list(values)
            for i in bools:
                values[i] = _BOOLEAN(values[i], False)
        append({"type": "Feature", "properties": dict(zip(names, values)), "id": row[0], "geometry": geom})
    return features
