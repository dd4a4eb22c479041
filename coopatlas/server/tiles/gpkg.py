"""Vector tiles made on the fly from the atlas GeoPackage (pygeoapi ``type: tile`` provider).

Each tile is read at request time through the layer's R-tree (``rtree_<table>_geom``), so a change
written into the GeoPackage (a request the embassy has just validated) is in the next tile. The public
``demandes`` layer is the GeoPackage VIEW of the validated requests, joined to the R-tree of the table
behind it: unvalidated requests are never read. Geometries are projected to Web Mercator, put on the
tile's grid (:data:`.spec.EXTENT`, clipped to the tile and its :data:`.spec.BUFFER`), simplified
(:data:`SIMPLIFY`), snapped to whole units (a line or polygon smaller than a unit becomes a 2-unit
segment or square: :func:`smallest`) and encoded with ``mapbox-vector-tile``; the features and
aggregates follow :mod:`.spec`.

Encoding in Python is the slow part (about 0.5 s for the 8,600 places of the world tile of ``projets``),
so each process keeps the tiles it made (:class:`TileCache`, :data:`CACHE_BYTES`) under the version of
the collection's table (:func:`coopatlas.store.table_versions.of`, read before the tile's rows; the
``demandes`` view has the version of the requests' table): any write into that table (a validated
request, a collectivity's update, a rebuilt atlas) gives it a new version, and the next request makes
the tile again from the new data; a write into another table leaves the tile cached. A GeoPackage
without versions (built before they existed) has its tiles made at each request, never kept.

Configuration::

    providers:
      - type: tile
        name: coopatlas.server.tiles.gpkg.AtlasGeoPackageTileProvider
        data: build/atlas.gpkg
        options: {collection: projets}
        format: {name: mvt, mimetype: application/vnd.mapbox-vector-tile}
"""

from __future__ import annotations

import threading
from collections import OrderedDict

import mapbox_vector_tile
import numpy as np
import shapely

from ... import schema as sch
from ...store.geopackage import wkb_offset  # GeoPackage blob header (where the WKB starts)
from ..gpkg_layer import connect, versions  # read-only, per-thread connections, re-opened when the file is replaced
from . import filters, spec
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


def aggregate_sql(layer: spec.TileLayer, table: str, rtree: str, condition: str | None = None) -> str:
    """The query of the aggregates of a tile: one row per geometry (``GROUP BY`` in SQLite, so that a tile
    of a big atlas never brings its records into Python): the geometry, the number of records, the sums of
    :attr:`~.spec.TileLayer.sums`, the number of records of each code of the category; only the records
    of ``condition`` (SQL on the rows ``t``, its parameters after the box's) when given."""
    cols = ["t.geom", "count(*)"] + [f"total(t.{_q(n)})" for n in layer.sums]
    if layer.category:
        cols += [f"sum(t.{_q(layer.category)} = '{c}')" for c in layer.codes]
    return (
        f"SELECT {', '.join(cols)} FROM {_q(table)} t JOIN {_q(rtree)} r ON t.fid = r.id "
        "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? AND t.geom IS NOT NULL "
        + (f"AND ({condition}) " if condition else "")
        + "GROUP BY t.geom ORDER BY min(t.fid)"
    )


def aggregate(layer: spec.TileLayer, row: tuple) -> dict:
    """The properties of the aggregate of a row of :func:`aggregate_sql` (after its geometry)."""
    props = {"agregat": True, "nombre": row[0]}
    for name, total in zip(layer.sums, row[1:]):
        props[name] = int(total)
    if layer.category:
        counts = dict(zip(layer.codes, (int(n or 0) for n in row[1 + len(layer.sums) :])))
        best = spec.majority(counts, layer.codes)
        if best is not None:
            props[layer.category] = best
        if layer.category_counts:
            props.update({f"nb_{c}": n for c, n in counts.items()})
    return props


#: Bytes of tiles a server process keeps (tiles are at most 500 KB at zooms 0-4, most a few KB).
CACHE_BYTES = 64 * 1024 * 1024


class TileCache:
    """The tiles of one process, least recently used first out, at most ``max_bytes`` in all."""

    def __init__(self, max_bytes: int = CACHE_BYTES):
        self.max_bytes = max_bytes
        self._tiles: OrderedDict = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            tile = self._tiles.get(key)
            if tile is not None:
                self._tiles.move_to_end(key)
            return tile

    def put(self, key, tile: bytes) -> None:
        with self._lock:
            if key in self._tiles or len(tile) > self.max_bytes:
                return
            self._tiles[key] = tile
            self._bytes += len(tile)
            while self._bytes > self.max_bytes:
                _, old = self._tiles.popitem(last=False)
                self._bytes -= len(old)


CACHE = TileCache()


class AtlasGeoPackageTileProvider(AtlasTileProvider):
    """MVT tiles of one collection of the atlas GeoPackage, made at request time (and kept until the
    collection's table changes: :class:`TileCache`)."""

    def render(self, z: int, x: int, y: int, tile_filter: filters.TileFilter | None = None) -> bytes:
        condition = filters.sqlite_condition(tile_filter, self.collection) if tile_filter else None
        version = versions(self.data, connect(self.data), [self.collection])  # before the tile's rows
        if version is None:  # a GeoPackage without versions: nothing is kept
            return self.make(z, x, y, condition)
        # a filtered tile is kept apart from the unfiltered one: its key holds the filter's digest
        key = (self.data, version, self.collection, z, x, y, tile_filter and tile_filter.digest)
        tile = CACHE.get(key)
        if tile is None:
            tile = self.make(z, x, y, condition)
            CACHE.put(key, tile)
        return tile

    def make(self, z: int, x: int, y: int, condition=None) -> bytes:
        """The tile ``z/x/y`` read from the GeoPackage now; only the rows of ``condition`` when given
        (a :class:`coopatlas.server.cql.Sql` on the table's rows ``t``)."""
        layer = self.layer
        con = connect(self.data)
        box = spec.query_bounds(z, x, y)
        params = (box[0], box[2], box[1], box[3])
        if condition is not None:
            params = (*params, *condition.params)
        if layer.aggregates_at(z):
            sql = aggregate_sql(layer, self.collection, rtree_table(self.collection), condition and condition.text)
            rows = con.execute(sql, params).fetchall()
            features = [{"properties": aggregate(layer, row[1:])} for row in rows]
        else:
            sql = (
                f"SELECT {', '.join('t.' + _q(n) for n in layer.properties)}, t.geom FROM {_q(self.collection)} t "
                f"JOIN {_q(rtree_table(self.collection))} r ON t.fid = r.id "
                "WHERE r.maxx >= ? AND r.minx <= ? AND r.maxy >= ? AND r.miny <= ? AND t.geom IS NOT NULL "
                + (f"AND ({condition.text}) " if condition is not None else "")
                + "ORDER BY t.fid"
            )
            rows = con.execute(sql, params).fetchall()
            coll = sch.COLLECTIONS[self.collection]
            booleans = {n for n in layer.properties if coll.field(n).type == sch.BOOLEAN}  # 0/1 in SQLite
            features = []
            for row in rows:
                props = {
                    n: bool(row[k]) if n in booleans else row[k]
                    for k, n in enumerate(layer.properties)
                    if row[k] is not None
                }
                props["nombre"] = 1
                features.append({"properties": props})
        if not rows:
            return b""
        blobs = [r[0] if layer.aggregates_at(z) else r[-1] for r in rows]
        geoms = on_grid(to_tile_grid(shapely.from_wkb([b[wkb_offset(b) :] for b in blobs]), z, x, y), layer.geometry)
        features = [dict(f, geometry=g) for f, g, empty in zip(features, geoms, shapely.is_empty(geoms)) if not empty]
        if not features:
            return b""
        return mapbox_vector_tile.encode(
            [{"name": self.collection, "features": features}],
            default_options={"extents": spec.EXTENT, "y_coord_down": True},
        )
