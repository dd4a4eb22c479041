"""What the GeoPackage feature provider knows of one collection's table, read once per version of the file.

:func:`connect` gives the read-only connection of the current thread (one per thread and process,
re-opened when a rebuild replaced the file, with the SQL functions of the filters registered), turning
a file that cannot be read into :class:`~coopatlas.server.faults.ProviderUnavailable` (HTTP 503).
:func:`layer` gives the :class:`Layer` of a collection: its table (or view, with the R-tree and keyword index
of the table behind it), geometry column and type, the queryables of the CQL2 translator, the published fields
(JSON Schema with French and English titles and the code lists), the single-column indexes the planner may
read in order, and the counts the planner caches. Layers are cached per file version (inode, size,
modification time). :func:`versions` gives the versions of the tables a request reads
(:mod:`coopatlas.store.table_versions`), what the cached counts and tiles are keyed on.
"""

from __future__ import annotations

import logging
import re
import sqlite3
import threading
from dataclasses import dataclass, field

from pygeoapi.provider.base import ProviderConnectionError

from .. import schema as sch
from ..store import geopackage, table_versions
from ..store.geopackage import SEARCH as SEARCH_COLUMN
from ..store.geopackage import quote as _q
from . import cql
from .faults import ProviderUnavailable

LOGGER = logging.getLogger(__name__)


def signature(path: str) -> tuple:
    try:
        return geopackage.file_signature(path)
    except OSError as exc:
        raise ProviderUnavailable(f"GeoPackage not readable: {path} ({exc.strerror})") from None


_connections = geopackage.ReadOnlyConnections(prepare=cql.register_functions)


def connect(path: str) -> sqlite3.Connection:
    """A read-only connection to the GeoPackage at ``path`` for the current thread, re-opened when the file
    is replaced (:class:`coopatlas.store.geopackage.ReadOnlyConnections`), with the SQL functions of the
    filters registered. A file that is missing, unreadable, corrupt or no GeoPackage raises
    :class:`~coopatlas.server.faults.ProviderUnavailable` (HTTP 503): the operator restores it, the next
    request opens it again."""
    try:
        return _connections.get(path)
    except OSError as exc:
        raise ProviderUnavailable(f"GeoPackage not readable: {path} ({exc.strerror})") from None
    except geopackage.NotAGeoPackage:
        raise ProviderUnavailable(f"{path} is not a GeoPackage") from None
    except sqlite3.Error as exc:
        raise ProviderUnavailable(f"cannot open {path} read-only: {exc}") from None


def versions(path: str, con: sqlite3.Connection, names: list[str]) -> tuple | None:
    """The versions of the tables or views ``names`` of the GeoPackage at ``path``, read through ``con``
    (:func:`coopatlas.store.table_versions.of`: one query by primary key; None for a GeoPackage without
    versions). Read them before the data they key."""
    try:
        return table_versions.of(lambda sql: con.execute(sql).fetchall(), names)
    except sqlite3.DatabaseError as exc:  # corrupt, truncated, being replaced
        raise unavailable(path, exc) from None


def unavailable(path: str, exc: BaseException) -> ProviderUnavailable:
    """The 503 of a query on ``path`` that met a database that cannot answer (``exc``), after forgetting
    the thread's connection to it (the next request opens a new one)."""
    _connections.discard(path)
    return ProviderUnavailable(f"query on {path} failed: {exc}")


# --- layer metadata (cached per file version) ----------------------------------------------------------


@dataclass
class Layer:
    """One collection's table (or view) in one version of the GeoPackage, and what the provider reads of it
    once: columns, geometry, R-tree, keyword index, indexes, queryables and fields, counts."""

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
    ordered_indexes: tuple | None = None  # (name, ((column, descending), ...)) of every index (planner)
    lock: threading.Lock = field(default_factory=threading.Lock)


_layers: dict = {}
_layers_lock = threading.Lock()


def layer_of(path: str, coll: sch.Collection, geom: str, con: sqlite3.Connection) -> Layer:
    """The layer of ``coll``, read through ``con`` (the thread's connection from :func:`connect`) and cached
    under the version of the file that connection reads (not the file's current version: a layer read from
    the old file must not be cached under the new one's signature)."""
    key = (path, coll.id, geom, _connections.signature(path) or signature(path))
    layer = _layers.get(key)
    if layer is None:
        with _layers_lock:
            layer = _layers.get(key)
            if layer is None:
                for k in [k for k in _layers if k[:3] == key[:3]]:
                    del _layers[k]  # an older version of the file
                try:
                    layer = read_layer(con, coll, geom, path)
                except sqlite3.DatabaseError as exc:  # corrupt, truncated, being replaced
                    raise unavailable(path, exc) from None
                _layers[key] = layer
    return layer


def read_layer(con: sqlite3.Connection, coll: sch.Collection, geom: str, path: str) -> Layer:
    table = coll.source
    row = con.execute(
        "SELECT type, sql FROM sqlite_master WHERE name = ? AND type IN ('table', 'view')", (table,)
    ).fetchone()
    if row is None:
        raise ProviderUnavailable(f"{path} has no table {table!r}")
    is_view, view_sql = row[0] == "view", row[1]
    columns = [r[1] for r in con.execute(f"PRAGMA table_info({_q(table)})")]
    missing = [n for n in coll.field_names if n not in columns]
    if missing:
        raise ProviderConnectionError(
            f"{path}: {table} lacks the columns {', '.join(missing)} of the schema (rebuild the GeoPackage)",
            user_msg=f"collection {coll.id}: the atlas GeoPackage does not match the schema",
        )
    bases = [table]
    if is_view:
        m = re.search(r'\bFROM\s+"?([A-Za-z0-9_]+)"?', view_sql or "", re.IGNORECASE)
        if m:
            bases.append(m.group(1))
    keyword_index = None
    if SEARCH_COLUMN in columns:
        for base in bases:
            keyword_index = geopackage.readable_keyword_index(con, base)
            if keyword_index:
                break
    geometry = gtype = rtree = None
    if coll.geometry:
        row = con.execute(
            "SELECT column_name, geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?", (table,)
        ).fetchone()
        if row is None or row[0] not in columns:
            raise ProviderConnectionError(
                f"{path}: {table} has no registered geometry column",
                user_msg=f"collection {coll.id} has no geometry in the GeoPackage",
            )
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
        fields[f.name] = field_json(f)
        if f.type == sch.BOOLEAN:
            bools.add(f.name)
    indexes = {}
    if not is_view:
        for _, name, *_ in con.execute(f"PRAGMA index_list({_q(table)})").fetchall():
            cols = [r[2] for r in con.execute(f"PRAGMA index_info({_q(name)})").fetchall()]
            if len(cols) == 1 and cols[0] in queryables and cols[0] not in indexes:
                indexes[cols[0]] = name
    return Layer(
        coll=coll,
        table=table,
        is_view=is_view,
        indexes=indexes,
        geometry=geometry,
        geometry_type=gtype,
        rtree=rtree,
        searchable=SEARCH_COLUMN in columns,
        keyword_index=keyword_index,
        queryables=queryables,
        fields=fields,
        props=list(coll.field_names),
        bools=frozenset(bools),
    )


def field_json(f: sch.Field) -> dict:
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
