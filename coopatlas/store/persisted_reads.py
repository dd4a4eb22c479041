"""Reads of the store persisted in the atlas database: the second level under the in-process cache.

The in-process cache of :mod:`coopatlas.store.cached_reads` is empty in every new worker and after every
change of the data: the first statistics of the world at ×100 paid 10 to 17 s of SQL there. The build
(``coopatlas build``), the PostGIS load (``coopatlas postgis``) and ``coopatlas statistiques-cache`` thus
store the reads of the Atlas's standard searches (:mod:`coopatlas.stats_warm`) in the table
:data:`READS_TABLE` of the atlas database, one row per read:

* ``key``: SHA-256 of the JSON of (the SQL, its parameters, the sorted (table, version) pairs of the
  tables it reads, :mod:`coopatlas.store.table_versions`). Not the database's location: the file is
  served from another path than where it was built, and the PostGIS load computes its own reads (its SQL
  differs from SQLite's, hence its keys). A change to a table gives it a new version: the entries read
  under the old one never match again, and the next read runs the SQL (then stays in the process's cache).
* ``rows_json``: the rows as JSON, values exact: integers, floats (Python writes the shortest text that
  reads back as the same float), text, ``null``, booleans; a ``Decimal`` (PostgreSQL's ``numeric``) is
  tagged ``{"decimal": "12.30"}``. A read with any other kind of value is not persisted.

The table has no version of its own and no trigger; it is not a collection (not in ``gpkg_contents``:
GDAL and QGIS do not list it, the downloads and the interchange export leave it out). The server only
reads it: it never writes it at runtime (a GeoPackage's file identity keys other caches), so a search
other than the standard ones is computed as before, then kept in the worker's cache.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from decimal import Decimal

from .table_versions import missing_table

READS_TABLE = "coopatlas_reads"

_SQLITE_DDL = f'CREATE TABLE IF NOT EXISTS "{READS_TABLE}" (key TEXT PRIMARY KEY NOT NULL, rows_json TEXT NOT NULL)'


class _NotPersistable(TypeError):
    """A value that JSON would not give back as it is."""


def key(sql: str, params: Sequence, versions: Iterable[tuple[str, str]]) -> str | None:
    """The key of a read: SHA-256 (hex) of the JSON of the SQL, the parameters and the sorted (table,
    version) pairs; None when a parameter cannot be written exactly in JSON."""
    try:
        text = json.dumps([sql, [_encode(p) for p in params], sorted(versions)], separators=(",", ":"))
    except _NotPersistable:
        return None
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _encode(value):
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    if isinstance(value, Decimal):
        return {"decimal": str(value)}
    raise _NotPersistable(type(value).__name__)


def _decode(value):
    if isinstance(value, dict):
        return Decimal(value["decimal"])
    return value


def encode_rows(rows: Sequence[Sequence]) -> str | None:
    """The JSON text of ``rows``, or None when a value would not read back exactly."""
    try:
        return json.dumps([[_encode(v) for v in row] for row in rows], separators=(",", ":"))
    except _NotPersistable:
        return None


def decode_rows(text: str) -> list[tuple]:
    """The rows written by :func:`encode_rows`, as tuples."""
    return [tuple(_decode(v) for v in row) for row in json.loads(text)]


def lookup(store, read_key: str) -> list[tuple] | None:
    """The persisted rows of ``read_key`` in the database of ``store`` (a :class:`coopatlas.store.Store`),
    or None: no such entry, or no such table (an atlas built before it existed)."""
    try:
        found = store.rows(f"SELECT rows_json FROM {READS_TABLE} WHERE key = {store.placeholder()}", [read_key])
    except Exception as exc:  # sqlite3.OperationalError, psycopg2 UndefinedTable
        if missing_table(exc):
            return None
        raise
    return decode_rows(found[0][0]) if found else None


def write_sqlite(con, entries: dict[str, str]) -> None:
    """Replace the persisted reads of the GeoPackage open as ``con`` (a ``sqlite3`` connection, inside
    the caller's transaction) by ``entries`` (key → rows JSON), written in key order (the same entries
    give the same bytes)."""
    con.execute(_SQLITE_DDL)
    con.execute(f'DELETE FROM "{READS_TABLE}"')
    con.executemany(f'INSERT INTO "{READS_TABLE}" VALUES (?, ?)', sorted(entries.items()))


def write_postgis(cur, schema: str, entries: dict[str, str]) -> None:
    """Replace the persisted reads of the PostGIS ``schema`` by ``entries``, with the cursor ``cur``
    (inside the caller's transaction)."""
    table = f'"{schema}".{READS_TABLE}'
    cur.execute(f"CREATE TABLE IF NOT EXISTS {table} (key text PRIMARY KEY, rows_json text NOT NULL)")
    cur.execute(f"DELETE FROM {table}")
    cur.executemany(f"INSERT INTO {table} VALUES (%s, %s)", sorted(entries.items()))
