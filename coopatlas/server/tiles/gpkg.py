"""Vector tiles made on the fly from the atlas GeoPackage (pygeoapi ``type: tile`` provider).

Each tile is read at request time through the layer's R-tree (``rtree_<table>_geom``), so a change
written into the GeoPackage (a request the embassy has just validated) is in the next tile. The public
``demandes`` layer is the GeoPackage VIEW of the validated requests, joined to the R-tree of the table
behind it: unvalidated requests are never read. Geometries are projected to Web Mercator, put on the
tile's grid (:data:`.spec.EXTENT`, clipped to the tile and its :data:`.spec.BUFFER`), simplified (:data:`SIMPLIFY`), snapped to whole
units (a line or polygon smaller than a unit becomes a 2-unit segment or square: :func:`smallest`) and
encoded with ``mapbox-vector-tile``; the features and aggregates follow :mod:`.spec`.

Configuration::

    providers:
      - type: tile
        name: coopatlas.server.tiles.gpkg.AtlasGeoPackageTileProvider
        data: build/atlas.gpkg
        options: {collection: projets}
        format: {name: mvt, mimetype: application/vnd.mapbox-vector-tile}
"""
from __future__ import annotations

import mapbox_vector_tile
import numpy as np
import shapely

from ... import schema as sch
from ..cql import wkb_offset  # GeoPackage blob header (where the WKB starts)
from ..provider import connect  # read-only, per-thread connections, re-opened when the file is replaced
from . import spec
from .base import AtlasTileProvider


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def rtree_table(collection: str) -> str:
    """The R-tree of a collection's geometries (the private table's for the ``demandes`` view)."""
    return f"rtree_{sch.DEMANDES_TABLE if collection == 'demandes' else collection}_geom"


def to_tile_grid(geoms: np.ndarray, z: int, x: int, y: int) -> np.ndarray:
    """CRS84 geometries on the grid of tile ``z/x/y``: Web Mercator, then tile units (y down)."""
    minx, miny, maxx, maxy = spec.mercator_bounds(z, x, y)
    scale = spec.EXTENT / (maxx - minx)

    def project(coords: np.ndarray) -> np.ndarray:
        lon = coords[:, 0]
        lat = np.clip(coords[:, 1], -spec.MAX_LATITUDE, spec.MAX_LATITUDE)
        mx = lon * (spec.HALF_WORLD / 180.0)
        my = np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)) * (spec.HALF_WORLD / np.pi)
        return np.column_stack(((mx - minx) * scale, (maxy - my) * scale))

    return shapely.transform(geoms, project)


#: Douglas-Peucker tolerance, tile units: polygons 1 (what the eye cannot see), flows 2 (long arcs).
SIMPLIFY = {"MULTIPOLYGON": 1.0, "MULTILINESTRING": 2.0}


def on_grid(geoms: np.ndarray, geometry: str) -> np.ndarray:
    """Geometries in tile units clipped to the tile and its buffer, snapped to whole units (empty: outside)."""
    lo, hi = -spec.BUFFER, spec.EXTENT + spec.BUFFER
    if geometry == "POINT":
        xy = shapely.get_coordinates(geoms)
        inside = (xy[:, 0] >= lo) & (xy[:, 0] <= hi) & (xy[:, 1] >= lo) & (xy[:, 1] <= hi)
        geoms = np.where(inside, geoms, shapely.Point())
        return shapely.set_precision(geoms, 1.0)
    clipped = shapely.simplify(shapely.clip_by_rect(geoms, lo, lo, hi, hi), SIMPLIFY[geometry], preserve_topology=True)
    invalid = ~shapely.is_valid(clipped)
    if invalid.any():
        clipped[invalid] = shapely.make_valid(clipped[invalid], method="structure", keep_collapsed=False)
    try:
        snapped = shapely.set_precision(clipped, 1.0)
    except shapely.errors.GEOSException:  # one geometry the snapping cannot make valid: snap one by one
        snapped = np.array([_snap(g) for g in clipped], dtype=object)
    mixed = shapely.get_type_id(snapped) == shapely.GeometryType.GEOMETRYCOLLECTION
    if mixed.any():
        snapped[mixed] = [_same_dimension(g, geometry) for g in snapped[mixed]]
    collapsed = shapely.is_empty(snapped) & ~shapely.is_empty(clipped)
    if collapsed.any():
        snapped[collapsed] = [smallest(g, geometry) for g in clipped[collapsed]]
    return snapped


def smallest(geom, geometry: str):
    """What stands for a line or polygon smaller than a tile unit: a 2-unit segment or square at its
    point on surface (so that nothing in the tile's area disappears; PostGIS tiles do the same)."""
    point = shapely.point_on_surface(geom)
    x, y = round(point.x), round(point.y)
    if geometry == "MULTIPOLYGON":
        return shapely.box(x - 1, y - 1, x + 1, y + 1)
    return shapely.LineString([(x - 1, y), (x + 1, y)])

def _same_dimension(geom, geometry: str):
    """The parts of a geometry collection of the layer's dimension (lines, or polygons), as one geometry."""
    dim = 2 if geometry == "MULTIPOLYGON" else 1
    parts = [p for p in shapely.get_parts(geom) if shapely.get_dimensions(p) == dim]
    return shapely.union_all(parts) if parts else shapely.Polygon()


def _snap(geom):
    try:
        return shapely.set_precision(geom, 1.0)
    except shapely.errors.GEOSException:
        return shapely.make_valid(shapely.set_precision(geom, 1.0, mode="pointwise"))


def aggregate(layer: spec.TileLayer, rows: list[tuple], names: list[str], keys: list[bytes]) -> list[tuple]:
    """``(properties, key)`` of one aggregate per distinct geometry key, in the order first seen."""
    groups: dict[bytes, list[tuple]] = {}
    for row, key in zip(rows, keys):
        groups.setdefault(key, []).append(row)
    col = {n: i for i, n in enumerate(names)}
    out = []
    for key, members in groups.items():
        props = {"agregat": True, "nombre": len(members)}
        for name in layer.sums:
            props[name] = sum(int(m[col[name]] or 0) for m in members)
        if layer.category:
            counts = {c: 0 for c in layer.codes}
            for m in members:
                v = m[col[layer.category]]
                if v in counts:
                    counts[v] += 1
            best = spec.majority(counts, layer.codes)
            if best is not None:
                props[layer.category] = best
            if layer.category_counts:
                props.update({f"nb_{c}": n for c, n in counts.items()})
        out.append((props, key))
    return out


class AtlasGeoPackageTileProvider(AtlasTileProvider):
    """MVT tiles of one collection of the atlas GeoPackage, made at request time."""

    def render(self, z: int, x: int, y: int) -> bytes:
        layer = self.layer
        names = list(dict.fromkeys((*layer.properties, *([layer.category] if layer.category else []))))
        west, south, east, north = spec.query_bounds(z, x, y)
        sql = (f"SELECT {', '.join('t.' + _q(n) for n in names)}, t.geom FROM {_q(self.collection)} t "
               f"JOIN {_q(rtree_table(self.collection))} r ON t.fid = r.id "
               "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? AND t.geom IS NOT NULL "
               "ORDER BY t.fid")
        con = connect(self.data)
        rows = con.execute(sql, (west, east, south, north)).fetchall()
        if not rows:
            return b""
        wkbs = [r[-1][wkb_offset(r[-1]):] for r in rows]
        geoms = on_grid(to_tile_grid(shapely.from_wkb(wkbs), z, x, y), layer.geometry)
        keep = ~shapely.is_empty(geoms)
        if layer.aggregates_at(z):
            kept = [i for i in np.flatnonzero(keep)]
            groups = aggregate(layer, [rows[i] for i in kept], names, [wkbs[i] for i in kept])
            first = {}
            for i in kept:
                first.setdefault(wkbs[i], i)
            features = [{"geometry": geoms[first[key]], "properties": props} for props, key in groups]
        else:
            features = []
            for i in np.flatnonzero(keep):
                row = rows[i]
                props = {n: row[k] for k, n in enumerate(layer.properties) if row[k] is not None}
                for n in layer.properties:
                    if n in props and sch.COLLECTIONS[self.collection].field(n).type == sch.BOOLEAN:
                        props[n] = bool(props[n])
                props["nombre"] = 1
                features.append({"geometry": geoms[i], "properties": props})
        if not features:
            return b""
        return mapbox_vector_tile.encode(
            [{"name": self.collection, "features": features}],
            default_options={"extents": spec.EXTENT, "y_coord_down": True})
