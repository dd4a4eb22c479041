"""GeoJSON features of the GeoPackage feature provider's rows: geometries decoded from the GeoPackage blobs
with ``struct`` (points, :func:`coopatlas.store.geopackage.point_xy`) or one vectorised shapely call per
page (:func:`geojson_many`), booleans from SQLite's 0/1, the output CRS through pygeoapi's transformation.
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
        return [point(b) for b in blobs]
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


def features(layer: Layer, rows, names, with_geom, transform) -> list:
    """GeoJSON features (dicts) of rows (id, properties…, geometry blob)."""
    n = len(names)
    bools = [name for name in names if name in layer.bools]
    point_layer = layer.geometry_type == "POINT"
    geoms = geometries([r[n + 1] for r in rows], point_layer, transform) if with_geom else None
    features = []
    append = features.append
    for i, row in enumerate(rows):
        props = dict(zip(names, row[1 : n + 1]))
        for b in bools:
            v = props[b]
            if v is not None:
                props[b] = v == 1
        append(
            {"type": "Feature", "properties": props, "id": row[0], "geometry": geoms[i] if geoms is not None else None}
        )
    return features
