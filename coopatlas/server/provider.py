"""pygeoapi feature provider of the atlas GeoPackage: plain ``sqlite3``, read-only, every parameter honoured.

pygeoapi's stock file providers ignore ``filter`` (and some of ``sortby``, ``properties``, ``offset``),
and its SQLiteGPKG provider writes into the file. :class:`AtlasGeoPackageProvider` answers every
OGC API Features request on one collection of :mod:`coopatlas.schema` with the semantics of pygeoapi's
PostgreSQL provider (as extended by :mod:`coopatlas.server.postgis_provider`), so that the embedded
GeoPackage and PostGIS give the same answers:

* ``bbox`` (CRS84 degrees, pygeoapi has already applied ``bbox-crs``; ``minx > maxx`` is a box
  crossing the antimeridian): the features whose geometry intersects the box (exact test, closed box),
  found through the GeoPackage R-tree (``rtree_<table>_geom``; the ``demandes`` view uses the R-tree of
  its table ``bourse_demandes``);
* property filters (``?statut=en_cours``): equality, the value checked against the property's type and
  code list; ``filter`` (CQL2 text or JSON, already parsed by pygeoapi): see :mod:`coopatlas.server.cql`;
* ``q``: every normalised word of ``q`` (accents, case and punctuation removed) must start a word of the
  hidden column ``recherche`` (:func:`coopatlas.text.like_patterns`: ``recherche LIKE '% word%'``, so
  ``eau`` finds "l'eau", "eaux", not "bureau");
* ``sortby`` (several keys; NULLs first ascending, last descending, as SQLite; ties broken by ``id``),
  default order ``id``; ``properties``, ``skipGeometry``, ``limit``/``offset``, ``resulttype=hits``,
  ``crs`` (output CRS, through pygeoapi's transformation as the PostgreSQL provider does),
  ``datetime`` (only with a configured ``time_field``);
* ``numberMatched`` (exact; omitted with ``count: false`` in the provider definition) and
  ``numberReturned``;
* ``/items/{id}`` by the collection's text ``id`` (404 for an unknown id), with ``prev``/``next`` ids;
* :meth:`get_fields` (queryables, schema): JSON types from the schema, titles (French) and
  descriptions (English), code lists as ``enum`` with their labels in ``x-enum-descriptions`` (French)
  and ``x-enum-descriptions-en``; the hidden ``recherche`` column is never exposed.

Any parameter that cannot be honoured raises :class:`ProviderInvalidQueryError` (HTTP 400) whose message
names the parameter and the problem.

Speed: geometries are decoded from the GeoPackage blobs with ``struct`` (points) or one vectorised
shapely call per page; each query picks what reads the fewest rows: the R-tree (``bbox``), the FTS5
keyword index ``fts_<table>`` when the builder made one (``q``, see :func:`coopatlas.store.build_writer.keyword_index_sql`), or the
table in the requested order (an index), given the candidate counts of the R-tree and the keyword index
and the exact count (needed for ``numberMatched``); the count of a ``bbox`` alone reads only the R-tree
(plus the geometries whose R-tree box crosses an edge of the box), and the total is cached per file.

Concurrency: the file is opened read-only (``file:…?mode=ro`` URI, ``PRAGMA query_only``), one
connection per thread and per process (re-opened after a fork or when the file is replaced), so any
number of gunicorn workers and threads can serve it; nothing ever writes to it.

Configuration (a ``providers`` entry of a collection in ``pygeoapi-config.yml``)::

    - type: feature
      name: coopatlas.server.provider.AtlasGeoPackageProvider
      data: /path/to/atlas.gpkg        # the GeoPackage built by ``coopatlas build``
      table: projets                   # the collection id (coopatlas.schema.COLLECTIONS)
      id_field: id
      geom_field: geom                 # optional (the default)
      storage_crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84   # lets pygeoapi apply filter-crs

Geometries are EPSG:4326 longitude/latitude degrees (OGC CRS84 axis order).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field

import shapely
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderConnectionError,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)

from .. import schema as sch
from ..store import geopackage
from ..store.geopackage import SEARCH as SEARCH_COLUMN
from ..text import keywords, like_patterns
from . import cql

LOGGER = logging.getLogger(__name__)


#: SQLite's errors for statements beyond its limits (expression depth, variables, pattern length).
_TOO_COMPLEX = ("parser stack overflow", "Expression tree is too large", "too many SQL variables",
                "pattern too complex", "too many terms")


class _NoPlan(Exception):
    """SQLite found no plan with the forced index."""


def _invalid(msg: str) -> ProviderInvalidQueryError:
    return ProviderInvalidQueryError(msg, user_msg=msg)


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# --- connections ------------------------------------------------------------------------------------

def _signature(path: str) -> tuple:
    try:
        return geopackage.file_signature(path)
    except OSError as exc:
        msg = f"GeoPackage not readable: {path} ({exc.strerror})"
        raise ProviderConnectionError(msg, user_msg="the atlas GeoPackage is not available") from None


_connections = geopackage.ReadOnlyConnections(prepare=cql.register_functions)


def connect(path: str) -> sqlite3.Connection:
    """A read-only connection to the GeoPackage at ``path`` for the current thread, re-opened when the file
    is replaced (:class:`coopatlas.store.geopackage.ReadOnlyConnections`), with the SQL functions of the
    filters registered."""
    try:
        return _connections.get(path)
    except OSError as exc:
        msg = f"GeoPackage not readable: {path} ({exc.strerror})"
        raise ProviderConnectionError(msg, user_msg="the atlas GeoPackage is not available") from None
    except geopackage.NotAGeoPackage:
        raise ProviderConnectionError(f"{path} is not a GeoPackage",
                                      user_msg="the atlas data is not a GeoPackage") from None
    except sqlite3.Error as exc:
        raise ProviderConnectionError(f"cannot open {path} read-only: {exc}",
                                      user_msg="the atlas GeoPackage cannot be opened") from None


# --- layer metadata (cached per file version) ----------------------------------------------------------

@dataclass
class _Layer:
    coll: sch.Collection
    table: str
    is_view: bool
    geometry: str | None
    geometry_type: str | None
    rtree: str | None
    searchable: bool
    keyword_index: str | None
    queryables: dict
    fields: dict
    props: list
    bools: frozenset
    count_all: int | None = None
    rtree_stats: tuple | None = None
    indexes: dict = field(default_factory=dict)  # property -> single-column index on it (tables only)
    lock: threading.Lock = field(default_factory=threading.Lock)


_layers: dict = {}
_layers_lock = threading.Lock()


def _layer(path: str, coll: sch.Collection, geom: str, con: sqlite3.Connection) -> _Layer:
    key = (path, coll.id, geom, _signature(path))
    layer = _layers.get(key)
    if layer is None:
        with _layers_lock:
            layer = _layers.get(key)
            if layer is None:
                for k in [k for k in _layers if k[:3] == key[:3]]:
                    del _layers[k]  # an older version of the file
                layer = _layers[key] = _read_layer(con, coll, geom, path)
    return layer


def _read_layer(con: sqlite3.Connection, coll: sch.Collection, geom: str, path: str) -> _Layer:
    table = coll.source
    row = con.execute("SELECT type, sql FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')",
                      (table,)).fetchone()
    if row is None:
        raise ProviderConnectionError(f"{path} has no table {table!r}",
                                      user_msg=f"collection {coll.id} is missing from the atlas GeoPackage")
    is_view, view_sql = row[0] == "view", row[1]
    columns = [r[1] for r in con.execute(f"PRAGMA table_info({_q(table)})")]
    missing = [n for n in coll.field_names if n not in columns]
    if missing:
        raise ProviderConnectionError(
            f"{path}: {table} lacks the columns {', '.join(missing)} of the schema (rebuild the GeoPackage)",
            user_msg=f"collection {coll.id}: the atlas GeoPackage does not match the schema")
    bases = [table]
    if is_view:
        m = re.search(r'\bFROM\s+"?([A-Za-z0-9_]+)"?', view_sql or "", re.IGNORECASE)
        if m:
            bases.append(m.group(1))
    keyword_index = None
    if SEARCH_COLUMN in columns:
        for base in bases:
            name = geopackage.keyword_index(base)
            try:
                con.execute(f"SELECT rowid FROM {_q(name)} WHERE {_q(name)} MATCH '\"a\"*' LIMIT 0").fetchall()
            except sqlite3.Error:  # absent, or no FTS5 in this SQLite
                continue
            keyword_index = name
            break
    geometry = gtype = rtree = None
    if coll.geometry:
        row = con.execute("SELECT column_name, geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?",
                          (table,)).fetchone()
        if row is None or row[0] not in columns:
            raise ProviderConnectionError(f"{path}: {table} has no registered geometry column",
                                          user_msg=f"collection {coll.id} has no geometry in the GeoPackage")
        geometry, gtype = row[0], row[1].upper()
        if geometry != geom:
            LOGGER.warning("%s: geometry column is %r, configured geom_field %r", table, geometry, geom)
        for base in bases:
            name = geopackage.rtree_table(base, geometry)
            if con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone():
                rtree = name
                break
    queryables, fields, bools = {}, {}, set()
    for f in coll.fields:
        voc = f.vocabulary
        queryables[f.name] = cql.Queryable(f.name, f.type, frozenset(voc.codes) if voc else None)
        fields[f.name] = _field_json(f)
        if f.type == sch.BOOLEAN:
            bools.add(f.name)
    indexes = {}
    if not is_view:
        for _, name, *_ in con.execute(f"PRAGMA index_list({_q(table)})").fetchall():
            cols = [r[2] for r in con.execute(f"PRAGMA index_info({_q(name)})").fetchall()]
            if len(cols) == 1 and cols[0] in queryables and cols[0] not in indexes:
                indexes[cols[0]] = name
    return _Layer(coll=coll, table=table, is_view=is_view, indexes=indexes, geometry=geometry,
                  geometry_type=gtype, rtree=rtree, searchable=SEARCH_COLUMN in columns,
                  keyword_index=keyword_index, queryables=queryables, fields=fields,
                  props=list(coll.field_names), bools=frozenset(bools))


def _field_json(f: sch.Field) -> dict:
    """The JSON Schema of one property (what pygeoapi's ``fields`` expects, plus titles and labels).

    pygeoapi 0.24 copies ``type``, ``format`` and ``values`` (as ``enum``) into ``/queryables``; the
    ``/schema`` endpoint publishes the whole dict.
    """
    out = {"type": sch.JSON_TYPES[f.type], "title": f.fr, "description": f.en}
    if f.type == sch.DATE:
        out["format"] = "date"
    voc = f.vocabulary
    if voc is not None:
        out["enum"] = voc.codes
        out["values"] = voc.codes
        out["x-enum-descriptions"] = [t.fr for t in voc]
        out["x-enum-descriptions-en"] = [t.en for t in voc]
    return out


@dataclass
class _Filters:
    """The filters of one query: row clauses (SQL over ``t``, with params), the bbox boxes, and the
    keyword search as FTS5 prefix words and/or LIKE patterns over ``recherche``."""

    row: list = field(default_factory=list)
    boxes: list | None = None
    fts_words: list = field(default_factory=list)
    like: list = field(default_factory=list)

    def add(self, clause: str, params: list) -> None:
        self.row.append((clause, list(params)))

    overlap: int | None = None  # R-tree boxes overlapping the bbox (set by the planner)
    inside: int | None = None  # R-tree boxes inside the bbox

    def fts_match(self) -> str:
        return " AND ".join(f'"{w}"*' for w in self.fts_words)


# --- geometry decoding ------------------------------------------------------------------------------

def _point(blob):
    """GeoJSON of a GeoPackage point blob (fast path: the coordinates read with struct)."""
    if blob is None:
        return None
    xy = geopackage.point_xy(blob)
    if xy is not None:
        return {"type": "Point", "coordinates": [xy[0], xy[1]]}
    return shapely.geometry.mapping(geopackage.decode_geometry(blob))


def _geometries(blobs: list, point_layer: bool, transform=None) -> list:
    """GeoJSON geometries (dicts) of GeoPackage blobs, CRS84 unless ``transform`` (a pygeoapi CRS
    transformation of shapely geometries) is given."""
    if transform is not None:
        return [None if b is None else shapely.geometry.mapping(transform(geopackage.decode_geometry(b))) for b in blobs]
    if point_layer:
        return [_point(b) for b in blobs]
    out = [None] * len(blobs)
    idx = [i for i, b in enumerate(blobs) if b is not None]
    if idx:
        geoms = geopackage.decode_geometries([blobs[i] for i in idx])
        for i, g in zip(idx, _geojson_many(geoms)):
            out[i] = g
    return out


_RAGGED_TYPES = {
    shapely.GeometryType.LINESTRING: "LineString", shapely.GeometryType.POLYGON: "Polygon",
    shapely.GeometryType.MULTILINESTRING: "MultiLineString", shapely.GeometryType.MULTIPOLYGON: "MultiPolygon",
}


def _geojson_many(geoms) -> list:
    """GeoJSON dicts of shapely geometries, the same as ``shapely.geometry.mapping`` (coordinates as
    lists), built from ``shapely.to_ragged_array`` when all have the same (line or polygon) type: one
    call for all the coordinates instead of one ``mapping`` per geometry."""
    types = shapely.get_type_id(geoms)
    if len(geoms) == 0 or (types != types[0]).any() or int(types[0]) not in _RAGGED_TYPES or \
            shapely.is_empty(geoms).any():
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


# --- the provider -----------------------------------------------------------------------------------

class AtlasGeoPackageProvider(BaseProvider):
    """pygeoapi feature provider of one collection of the atlas GeoPackage; see the module documentation."""

    def __init__(self, provider_def: dict):
        super().__init__(provider_def)
        table = provider_def.get("table")
        if table not in sch.COLLECTIONS:
            raise ProviderConnectionError(
                f"AtlasGeoPackageProvider: table must be a collection id ({', '.join(sch.COLLECTIONS)}), "
                f"not {table!r}", user_msg="collection not configured correctly")
        self.coll = sch.COLLECTIONS[table]
        self.table = table
        self.id_field = provider_def.get("id_field") or self.coll.id_field
        if self.id_field != self.coll.id_field:
            raise ProviderConnectionError(f"AtlasGeoPackageProvider: id_field of {table} is "
                                          f"{self.coll.id_field!r}, not {self.id_field!r}",
                                          user_msg="collection not configured correctly")
        self.geom = provider_def.get("geom_field", "geom")
        self.path = os.path.abspath(str(self.data))
        self._layer = _layer(self.path, self.coll, self.geom, connect(self.path))

    # -- description
    @property
    def fields(self) -> dict:
        return self.get_fields()

    def get_fields(self) -> dict:
        """The properties of the collection as JSON Schema (a fresh copy: pygeoapi edits it)."""
        if not self._fields:
            self._fields = {k: dict(v) for k, v in self._layer.fields.items()}
        return self._fields

    def get_domains(self, properties=[], current=False):
        """The values present in the data of the code-list, boolean and indexed text properties
        (``/queryables?profile=actual-domain``)."""
        layer = self._layer
        con = connect(self.path)
        names = properties or [f.name for f in self.coll.fields
                               if f.codelist or f.type == sch.BOOLEAN or (f.indexed and f.type == sch.TEXT)]
        domains = {}
        for name in names:
            f = self.coll.field(name) if name in layer.queryables else None
            if f is None or not (f.codelist or f.type == sch.BOOLEAN or f.indexed):
                continue
            rows = con.execute(f"SELECT DISTINCT {_q(name)} FROM {_q(layer.table)} WHERE {_q(name)} IS NOT NULL "
                               f"ORDER BY 1 LIMIT 1001").fetchall()
            if len(rows) <= 1000:
                domains[name] = [bool(r[0]) if f.type == sch.BOOLEAN else r[0] for r in rows]
        return domains, True

    # -- queries
    def query(self, offset=0, limit=10, resulttype="results", bbox=[], datetime_=None, properties=[],
              sortby=[], select_properties=[], skip_geometry=False, q=None, filterq=None,
              crs_transform_spec=None, **kwargs):
        """Features of the collection as a GeoJSON FeatureCollection dict (see the module documentation).

        ``bbox`` is in CRS84 degrees (minx, miny, maxx, maxy, or 6 values with z); ``properties`` are
        (name, value) equality filters; ``sortby`` a list of ``{"property", "order": "+"|"-"}``;
        ``filterq`` a pygeofilter AST (or CQL2 text/JSON); ``q`` keywords.
        """
        layer = self._layer
        try:
            offset, limit = int(offset or 0), int(limit if limit is not None else 10)
        except (TypeError, ValueError):
            raise _invalid("offset and limit must be integers") from None
        if offset < 0 or limit < 0:
            raise _invalid("offset and limit must be positive or zero")
        if resulttype not in ("results", "hits"):
            raise _invalid(f"resulttype: {resulttype!r} is neither results nor hits")
        f = self._filters(bbox, datetime_, properties, q, filterq)
        names = self._output_properties(select_properties)
        order, order_index = self._order_by(sortby)
        con = connect(self.path)
        response = {"type": "FeatureCollection", "features": [], "numberReturned": 0}
        total = self._count_all(con)
        drivers = self._drivers(con, f)

        if resulttype == "hits":
            response["numberMatched"] = self._count(con, f, drivers, total)
            return response
        if drivers and min(drivers.values()) == 0:  # the R-tree or the keyword index says: nothing
            if self.count:
                response["numberMatched"] = 0
            return response
        matched = None
        if self.count and not drivers and (f.row or f.like):
            # row filters only: count first (needed anyway), then pick the plan of the page with it
            matched = self._count(con, f, drivers, total)
            if matched == 0 or offset >= matched:
                response["numberMatched"] = matched
                return response

        # The plan of the page. Reading the table in the requested order (an index) stops after
        # offset + limit matches, about (offset + limit) * total / matches rows; reading the matches
        # first (R-tree, keyword index, or SQLite's choice of index) costs about the matches, sorted.
        mode, force = "scan", None
        estimate = matched if matched is not None else (min(drivers.values()) if drivers else None)
        in_order = (offset + limit) * total / max(estimate, 1) if (estimate is not None and order_index) else None
        if drivers:
            best = min(drivers, key=drivers.get)
            if in_order is None or 2 * drivers[best] < in_order:
                mode = best
        if mode == "scan" and in_order is not None and in_order < estimate and (f.row or f.like):
            force = order_index  # SQLite would read the matches through another index and sort them all
        with_geom = bool(layer.geometry) and not skip_geometry
        cols = [f"t.{_q(self.id_field)}"] + [f"t.{_q(n)}" for n in names]
        if with_geom:
            cols.append(f"t.{_q(layer.geometry)}")
        from_sql, where, params = self._sql(f, mode, force)
        sql = f"SELECT {', '.join(cols)} FROM {from_sql}{where} ORDER BY {order} LIMIT ? OFFSET ?"
        try:
            rows = self._run(con, sql, params + [limit, offset], retry=force is not None)
        except _NoPlan:
            from_sql, where, params = self._sql(f, mode)
            sql = f"SELECT {', '.join(cols)} FROM {from_sql}{where} ORDER BY {order} LIMIT ? OFFSET ?"
            rows = self._run(con, sql, params + [limit, offset])

        transform = None
        if crs_transform_spec is not None and with_geom:
            from pygeoapi.crs import get_transform_from_spec
            transform = get_transform_from_spec(crs_transform_spec)
        response["features"] = self._features(rows, names, with_geom, transform)
        n = len(rows)
        response["numberReturned"] = n
        if self.count:
            if matched is not None:
                response["numberMatched"] = matched
            elif 0 < n < limit or (n == 0 and offset == 0 and limit > 0):
                response["numberMatched"] = offset + n  # the page tells it
            else:
                response["numberMatched"] = self._count(con, f, drivers, total)
        return response

    def get(self, identifier, crs_transform_spec=None, **kwargs):
        """The feature whose ``id`` is ``identifier`` (text), with the ``prev``/``next`` ids in ``id``
        order; :class:`ProviderItemNotFoundError` (404) for an unknown id."""
        layer = self._layer
        con = connect(self.path)
        identifier = str(identifier)
        names = self._output_properties([])
        with_geom = bool(layer.geometry)
        cols = [f"t.{_q(self.id_field)}"] + [f"t.{_q(n)}" for n in names]
        if with_geom:
            cols.append(f"t.{_q(layer.geometry)}")
        idc = _q(self.id_field)
        rows = con.execute(f"SELECT {', '.join(cols)} FROM {_q(layer.table)} AS t WHERE t.{idc} = ?",
                           (identifier,)).fetchall()
        if not rows:
            msg = f"no item {identifier!r} in collection {self.coll.id}"
            raise ProviderItemNotFoundError(msg, user_msg=msg)
        transform = None
        if crs_transform_spec is not None and with_geom:
            from pygeoapi.crs import get_transform_from_spec
            transform = get_transform_from_spec(crs_transform_spec)
        feature = self._features(rows, names, with_geom, transform)[0]
        table = _q(layer.table)
        prev = con.execute(f"SELECT {idc} FROM {table} WHERE {idc} < ? ORDER BY {idc} DESC LIMIT 1",
                           (identifier,)).fetchone()
        nxt = con.execute(f"SELECT {idc} FROM {table} WHERE {idc} > ? ORDER BY {idc} LIMIT 1",
                          (identifier,)).fetchone()
        feature["prev"] = prev[0] if prev else identifier
        feature["next"] = nxt[0] if nxt else identifier
        return feature

    # -- helpers
    def _run(self, con, sql: str, params: list, retry: bool = False) -> list:
        t0 = time.perf_counter()
        try:
            rows = con.execute(sql, params).fetchall()
            if LOGGER.isEnabledFor(logging.DEBUG):
                LOGGER.debug("%.1f ms, %d rows: %s %r", 1000 * (time.perf_counter() - t0), len(rows), sql, params)
            return rows
        except sqlite3.OperationalError as exc:
            if retry and "no query solution" in str(exc):
                raise _NoPlan() from None
            if any(m in str(exc) for m in _TOO_COMPLEX):
                raise _invalid(f"filter: too complex for the database ({exc}); use IN (...) for lists of "
                               "values") from None
            LOGGER.error("SQL failed on %s: %s\n%s %r", self.path, exc, sql[:2000], params[:50])
            raise ProviderConnectionError(f"query failed: {exc}",
                                          user_msg="query failed (see the server log)") from None

    def _count_all(self, con) -> int:
        layer = self._layer
        if layer.count_all is None:
            with layer.lock:
                if layer.count_all is None:
                    layer.count_all = con.execute(f"SELECT COUNT(*) FROM {_q(layer.table)}").fetchone()[0]
        return layer.count_all

    def _output_properties(self, select_properties) -> list:
        layer = self._layer
        if select_properties:
            unknown = [p for p in select_properties if p not in layer.queryables]
            if unknown:
                raise _invalid(f"properties: unknown propert{'y' if len(unknown) == 1 else 'ies'} "
                               f"{', '.join(unknown)}")
            names = list(dict.fromkeys(select_properties))
        else:
            names = list(layer.props)
        if self.properties:
            allowed = set(self.properties)
            names = [n for n in names if n in allowed]
        return names

    def _order_by(self, sortby) -> tuple[str, str | None]:
        """The ORDER BY clause (ties broken by id) and the index that reads the table in that order
        (its first key), if there is one."""
        layer = self._layer
        parts, seen = [], []
        for s in sortby or []:
            prop, order = s.get("property"), s.get("order", "+")
            if prop not in layer.queryables:
                raise _invalid(f"sortby: unknown property {prop!r}")
            if order not in ("+", "-"):
                raise _invalid(f"sortby: order of {prop} must be + or -")
            if prop in seen:
                continue
            seen.append(prop)
            parts.append(f"t.{_q(prop)} {'ASC' if order == '+' else 'DESC'}")
        if self.id_field not in seen:
            parts.append(f"t.{_q(self.id_field)} ASC")
        first = seen[0] if seen else self.id_field
        return ", ".join(parts), layer.indexes.get(first)

    def _filters(self, bbox, datetime_, properties, q, filterq) -> _Filters:
        """The filters of a query, checked (:class:`ProviderInvalidQueryError` naming the bad one)."""
        layer = self._layer
        f = _Filters()
        if bbox:
            f.boxes = self._boxes(bbox)
        for name, value in properties or []:
            qa = layer.queryables.get(name)
            if qa is None:
                raise _invalid(f"unknown property {name!r} (properties: {', '.join(layer.props)})")
            try:
                v = cql.coerce(qa, value, where=name)
                cql.check_code(qa, v, where=name)
            except cql.FilterError as exc:
                raise _invalid(str(exc)) from None
            f.add(f"t.{_q(name)} = ?", [v])
        if q is not None and str(q).strip():
            patterns = like_patterns(str(q))
            if not patterns:
                raise _invalid(f"q: no word to search for in {q!r}")
            if not layer.searchable:
                raise _invalid(f"q: collection {self.coll.id} has no keyword search")
            words = keywords(str(q))
            if layer.keyword_index and patterns == [f"% {w}%" for w in words]:
                # word-prefix semantics: the FTS5 prefix query "w"* is the same test; one-letter
                # words (l', d') are left to LIKE: their doclists are the whole table
                f.fts_words = [w for w in words if len(w) > 1]
                patterns = [p for p, w in zip(patterns, words) if len(w) == 1]
            f.like = patterns
        if datetime_ not in (None, "", "../.."):
            f.add(*self._datetime(datetime_))
        if filterq is not None and filterq != "":
            try:
                node = cql.parse(filterq) if isinstance(filterq, (str, dict)) else filterq
                sql = cql.to_sql(node, self._target())
            except cql.FilterError as exc:
                raise _invalid(str(exc)) from None
            f.add(sql.text, sql.params)
        return f

    def _target(self) -> cql.Target:
        layer = self._layer
        return cql.Target(
            queryables=layer.queryables,
            geometry=f"t.{_q(layer.geometry)}" if layer.geometry else None,
            geometry_names=frozenset({"geometry", self.geom, layer.geometry or "geometry"}),
            rtree=layer.rtree, rowid='t."fid"', column=lambda n: f"t.{_q(n)}")

    def _boxes(self, bbox) -> list[tuple]:
        """The ``bbox`` parameter as one box, or two when it crosses the antimeridian (minx > maxx)."""
        layer = self._layer
        if not layer.geometry:
            raise _invalid(f"bbox: collection {self.coll.id} has no geometry")
        try:
            b = [float(v) for v in bbox]
        except (TypeError, ValueError):
            raise _invalid("bbox: values must be numbers") from None
        if len(b) == 6:
            b = [b[0], b[1], b[3], b[4]]
        if len(b) != 4 or not all(v == v and abs(v) != float("inf") for v in b):
            raise _invalid("bbox: 4 (or 6) finite numbers are needed: minx,miny,maxx,maxy")
        minx, miny, maxx, maxy = b
        if miny > maxy:
            raise _invalid("bbox: miny is greater than maxy")
        if minx <= maxx:
            return [(minx, miny, maxx, maxy)]
        return [(minx, miny, 180.0, maxy), (-180.0, miny, maxx, maxy)]

    # The R-tree stores float32 boxes rounded outwards: "overlaps the R-tree box" is a superset of the
    # answer, and "R-tree box inside the query box" implies that the geometry is inside it. Only the
    # geometries whose R-tree box straddles an edge need the exact test (atlas_box).
    _OVERLAP = "(r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?)"
    _INSIDE = "(r.minx >= ? AND r.maxx <= ? AND r.miny >= ? AND r.maxy <= ?)"

    def _bbox_clause(self, boxes) -> tuple[str, list]:
        layer = self._layer
        g = f"t.{_q(layer.geometry)}"
        if layer.rtree is None:
            return "(" + " OR ".join(f"atlas_box({g}, ?, ?, ?, ?)" for _ in boxes) + ")", [v for b in boxes for v in b]
        overlap, exact, params_o, params_e = [], [], [], []
        for x0, y0, x1, y1 in boxes:
            overlap.append(self._OVERLAP)
            params_o += [x1, x0, y1, y0]
            exact.append(f"{self._INSIDE} OR atlas_box({g}, ?, ?, ?, ?)")
            params_e += [x0, x1, y0, y1, x0, y0, x1, y1]
        return (f'r.id = t."fid" AND ({" OR ".join(overlap)}) AND ({" OR ".join(exact)})', params_o + params_e)

    def _drivers(self, con, f: _Filters) -> dict:
        """Candidate counts of the indexes that can drive the query: the R-tree for ``bbox`` (``rtree``),
        the keyword index for ``q`` (``fts``). Upper bounds of the answer, cheap to get. The R-tree pass
        also counts the boxes inside the query box (kept in ``f.inside`` for :meth:`_count`)."""
        layer = self._layer
        out = {}
        if f.boxes and layer.rtree:
            overlap, f.inside = 0, 0
            for x0, y0, x1, y1 in f.boxes:
                n, ext = self._rtree_stats(con)
                if ext is None or (x0 <= ext[0] and y0 <= ext[1] and x1 >= ext[2] and y1 >= ext[3]):
                    o, i = n, n  # the box holds every R-tree box (or there is none)
                else:
                    o, i = con.execute(
                        f"SELECT COUNT(*), TOTAL({self._INSIDE}) FROM {_q(layer.rtree)} AS r WHERE {self._OVERLAP}",
                        (x0, x1, y0, y1, x1, x0, y1, y0)).fetchone()
                overlap += o
                f.inside += int(i)
            out["rtree"] = overlap
            f.overlap = overlap
        if f.fts_words:
            out["fts"] = con.execute(f"SELECT COUNT(*) FROM {_q(layer.keyword_index)} WHERE {_q(layer.keyword_index)} "
                                     "MATCH ?", (f.fts_match(),)).fetchone()[0]
        return out

    def _rtree_stats(self, con) -> tuple:
        """(number of entries, (minx, miny, maxx, maxy) of all entries or None) of the R-tree, read
        once per file version."""
        layer = self._layer
        if layer.rtree_stats is None:
            with layer.lock:
                if layer.rtree_stats is None:
                    n, x0, y0, x1, y1 = con.execute(
                        "SELECT COUNT(*), MIN(minx), MIN(miny), MAX(maxx), MAX(maxy) "
                        f"FROM {_q(layer.rtree)}").fetchone()
                    layer.rtree_stats = (n, None if n == 0 else (x0, y0, x1, y1))
        return layer.rtree_stats

    def _sql(self, f: _Filters, mode: str, force: str | None = None) -> tuple[str, str, list]:
        """(FROM, WHERE, params) of the filters, driven by ``mode``: ``rtree`` (R-tree first), ``fts``
        (keyword index first) or ``scan`` (the table first; through the index ``force`` if given)."""
        layer = self._layer
        table = f"{_q(layer.table)} AS t" + (f" INDEXED BY {_q(force)}" if force else "")
        clauses, params = [], []
        if f.boxes:
            clause, p = self._bbox_clause(f.boxes)
            clauses.append(clause)
            params += p
            if layer.rtree:
                rtree = f"{_q(layer.rtree)} AS r"
                table = f"{rtree} CROSS JOIN {table}" if mode == "rtree" else f"{table} CROSS JOIN {rtree}"
        if f.fts_words:
            if mode == "fts":
                fts = _q(layer.keyword_index)
                clauses.append(f't."fid" IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)')
                params.append(f.fts_match())
            else:
                for w in f.fts_words:
                    clauses.append(f"t.{_q(SEARCH_COLUMN)} LIKE ?")
                    params.append(f"% {w}%")
        for pattern in f.like:
            clauses.append(f"t.{_q(SEARCH_COLUMN)} LIKE ?")
            params.append(pattern)
        for clause, p in f.row:
            clauses.append(clause)
            params += p
        where = (" WHERE " + " AND ".join(f"({c})" for c in clauses)) if clauses else ""
        return table, where, params

    def _count(self, con, f: _Filters, drivers: dict, total: int) -> int:
        """numberMatched: exact, by the cheapest way the filters allow."""
        layer = self._layer
        if drivers and min(drivers.values()) == 0:
            return 0
        only_bbox = f.boxes and not f.row and not f.like and not f.fts_words
        if not f.boxes and not f.row and not f.like and not f.fts_words:
            return total
        if only_bbox and layer.rtree and not layer.is_view and len(f.boxes) == 1 and f.overlap is not None:
            # R-tree boxes inside the query box (counted by _drivers, no table access) + the exact test
            # of the geometries whose R-tree box crosses an edge of the query box (found with 4 thin
            # R-tree queries, one per edge)
            if f.overlap == f.inside:
                return f.inside
            (x0, y0, x1, y1), rtree, g = f.boxes[0], _q(layer.rtree), f"t.{_q(layer.geometry)}"
            line = f"SELECT id FROM {rtree} WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?"
            lines = [x0, x0, y1, y0, x1, x1, y1, y0, x1, x0, y0, y0, x1, x0, y1, y1]
            edges = self._run(
                con, f"SELECT COUNT(*) FROM ({' UNION '.join([line] * 4)}) AS e CROSS JOIN {rtree} AS r "
                f"CROSS JOIN {_q(layer.table)} AS t WHERE r.id = e.id AND t.\"fid\" = e.id AND NOT {self._INSIDE} "
                f"AND atlas_box({g}, ?, ?, ?, ?)", lines + [x0, x1, y0, y1, x0, y0, x1, y1])[0][0]
            return f.inside + edges
        if f.fts_words and not f.boxes and not f.row and not f.like and not layer.is_view:
            return drivers["fts"]
        mode = min(drivers, key=drivers.get) if drivers else "scan"
        from_sql, where, params = self._sql(f, mode)
        return self._run(con, f"SELECT COUNT(*) FROM {from_sql}{where}", params)[0][0]

    def _datetime(self, datetime_):
        if not self.time_field:
            raise _invalid(f"datetime: collection {self.coll.id} has no time property")
        qa = self._layer.queryables.get(self.time_field)
        if qa is None:
            raise _invalid(f"datetime: time_field {self.time_field!r} is not a property")
        col = f"t.{_q(self.time_field)}"

        def value(text):
            try:
                if qa.type == sch.DATE and "T" in text:
                    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
                return cql.coerce(qa, text, where="datetime")
            except (ValueError, cql.FilterError):
                raise _invalid(f"datetime: {text!r} is not a date") from None

        if "/" in datetime_:
            start, end = datetime_.split("/", 1)
            if start in ("", "..") and end in ("", ".."):
                return "1", []
            if start in ("", ".."):
                return f"{col} <= ?", [value(end)]
            if end in ("", ".."):
                return f"{col} >= ?", [value(start)]
            return f"{col} BETWEEN ? AND ?", [value(start), value(end)]
        return f"{col} = ?", [value(datetime_)]

    def _features(self, rows, names, with_geom, transform) -> list:
        """GeoJSON features (dicts) of rows (id, properties…, geometry blob)."""
        layer = self._layer
        n = len(names)
        bools = [name for name in names if name in layer.bools]
        point_layer = layer.geometry_type == "POINT"
        geoms = _geometries([r[n + 1] for r in rows], point_layer, transform) if with_geom else None
        features = []
        append = features.append
        for i, row in enumerate(rows):
            props = dict(zip(names, row[1:n + 1]))
            for b in bools:
                v = props[b]
                if v is not None:
                    props[b] = v == 1
            append({"type": "Feature", "properties": props, "id": row[0],
                    "geometry": geoms[i] if geoms is not None else None})
        return features

    def __repr__(self):
        return f"<AtlasGeoPackageProvider> {self.path} {self.table}"
