"""The live writer: the one way live changes are written into the served atlas GeoPackage.

The atlas GeoPackage (written from scratch by the build writer, :mod:`coopatlas.store.build_writer`; format
in :mod:`coopatlas.store.geopackage`) is read by every gunicorn worker through read-only connections
(:class:`coopatlas.store.geopackage.ReadOnlyConnections`). A few live features write into it (the Bourse
projets requests and their derived counts, the collectivities' updates: :mod:`coopatlas.bourse.atlas`);
they all go through :func:`transaction`:

* an exclusive advisory lock (``flock``) on ``<file>.lock`` for the duration of the transaction, so that
  ``coopatlas build`` can replace the file without racing a writer (:func:`replace_atlas`);
* a new connection with the ``ST_*`` SQL functions the GeoPackage R-tree triggers call
  (:func:`~coopatlas.store.geopackage.register_rtree_functions`), ``busy_timeout`` (:data:`BUSY_TIMEOUT_MS`),
  ``synchronous = FULL``;
* ``BEGIN IMMEDIATE``, a short transaction, ``COMMIT`` (or ``ROLLBACK`` on any error), connection closed.

The FTS5 keyword index ``fts_<table>`` is kept right by the triggers the build adds with it; a file whose
index has no triggers gets it maintained by :func:`upsert` and :func:`delete`.

**Journal mode: rollback (DELETE), not WAL.** The file is *replaced* by every rebuild (``os.replace`` of a
new file). SQLite pairs a database with its ``-wal``/``-shm`` files by name only: a WAL left by the old file
is read as if it belonged to the new one (stale pages served as current data, or corruption when a
writer checkpoints it). With a rollback journal there is no side file between transactions, a commit
changes the file's size or modification time (which is what the read-only provider keys its caches on),
and a hot journal left by a writer killed mid-transaction is rolled back by :func:`recover` before the
readers need it (a read-only connection cannot roll it back: it fails with "attempt to write a readonly
database"). Writes are rare and small (one request, a few counts), so the short exclusive lock at commit
costs the readers milliseconds (see the load test of ``tests/bourse``).

**Live changes and rebuilds.** Every transaction of the live features records the last change it
applied in the table :data:`MARKER_TABLE` (see :func:`set_marker`). A fresh build has no such table:
the live features re-apply their whole journal (kept outside the atlas, in ``var/``) to it.
:func:`live_changes` tells ``coopatlas build`` whether the file it is about to replace holds live changes
(it then refuses unless ``--force``, after an export).

Geometries are GeoPackage blobs in EPSG:4326 (longitude, latitude in degrees).
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .. import schema as sch
from .geopackage import (
    GEOM,
    SEARCH,
    blob_envelope,
    decode_geometry,
    encode_geometry,
    keyword_index,
    open_readonly,
    register_rtree_functions,
    search_text,
)
from .geopackage import (
    quote as _q,
)

#: How long a writer waits for the file lock and for SQLite locks (milliseconds).
BUSY_TIMEOUT_MS = 30_000
#: The table, inside the GeoPackage, that records the live changes applied to it.
MARKER_TABLE = "coopatlas_live"


class AtlasLockTimeout(TimeoutError):
    """The atlas GeoPackage stayed locked (a rebuild replacing it, or a stuck writer)."""


class LiveChangesError(RuntimeError):
    """The GeoPackage holds live changes that a rebuild would drop (see :func:`check_replaceable`)."""


# --- locks, connections, transactions ------------------------------------------------------------------


def lock_path(path: str | os.PathLike) -> Path:
    """The advisory lock file of a GeoPackage: ``<file>.lock`` next to it."""
    p = Path(path)
    return p.with_name(p.name + ".lock")


@contextmanager
def write_lock(path: str | os.PathLike, timeout: float = BUSY_TIMEOUT_MS / 1000) -> Iterator[None]:
    """Hold the exclusive advisory lock of the GeoPackage ``path`` (``flock`` on ``<file>.lock``).

    Waits up to ``timeout`` seconds, then raises :class:`AtlasLockTimeout`. Released when the block ends
    (and by the kernel if the process dies).
    """
    fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + timeout
        delay = 0.002
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                if time.monotonic() >= deadline:
                    raise AtlasLockTimeout(
                        f"{path} stayed locked for {timeout:.0f} s (a rebuild replacing it?)"
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.05)
        yield
    finally:
        os.close(fd)  # releases the lock


def is_locked(path: str | os.PathLike) -> bool:
    """Whether a writer holds the lock of ``path`` right now."""
    try:
        fd = os.open(lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def open_writer(path: str | os.PathLike) -> sqlite3.Connection:
    """A read-write connection to an existing GeoPackage, ready for :func:`transaction` (autocommit mode:
    transactions are explicit), with the R-tree functions registered."""
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"atlas GeoPackage {p} not found (build it with 'coopatlas build')")
    con = sqlite3.connect(str(p), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
    try:
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        con.execute("PRAGMA synchronous = FULL")
        con.execute("PRAGMA foreign_keys = OFF")
        register_rtree_functions(con)
    except BaseException:
        con.close()
        raise
    return con


@contextmanager
def transaction(path: str | os.PathLike) -> Iterator[sqlite3.Connection]:
    """One write transaction on the GeoPackage ``path``: file lock, ``BEGIN IMMEDIATE``, ``COMMIT``.

    Any exception rolls the transaction back. The connection is closed at the end.
    """
    with write_lock(path):
        con = open_writer(path)
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                yield con
            except BaseException:
                con.execute("ROLLBACK")
                raise
            con.execute("COMMIT")
        finally:
            con.close()


def journal_path(path: str | os.PathLike) -> Path:
    p = Path(path)
    return p.with_name(p.name + "-journal")


def recover(path: str | os.PathLike) -> bool:
    """Roll back the hot journal a writer killed mid-transaction left, if any; True if there was one.

    Cheap when there is nothing to do (one ``stat``). A journal present while a writer holds the lock is
    that writer's, not a hot one: it is left alone.
    """
    if not journal_path(path).exists():
        return False
    try:
        with write_lock(path, timeout=0):
            if not journal_path(path).exists():
                return False
            con = open_writer(path)
            try:
                con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # reading rolls the journal back
            finally:
                con.close()
            return True
    except AtlasLockTimeout:  # a writer is at work: its journal is not a hot one
        return False


# --- rows ------------------------------------------------------------------------------------------


def _fts(con: sqlite3.Connection, table: str) -> str | None:
    """The FTS5 keyword index of ``table`` when it must be maintained here: present, and without the
    triggers that :func:`coopatlas.store.build_writer.keyword_index_sql` adds (which keep it right)."""
    name = keyword_index(table)
    found = {
        r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE name IN (?, ?)", (name, f"{table}_fts_update"))
    }
    return name if found == {name} else None


def _value(field: sch.Field, v):
    if v is None:
        return None
    if field.type == sch.BOOLEAN:
        return 1 if v else 0
    return v


def _touch_contents(con: sqlite3.Connection, table: str, blob: bytes | None) -> None:
    """Grow the extent of ``table`` in ``gpkg_contents`` to cover ``blob``; set ``last_change``."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
    env = blob_envelope(blob) if blob is not None else None
    if env is None:
        con.execute("UPDATE gpkg_contents SET last_change = ? WHERE table_name = ?", (now, table))
        return
    minx, maxx, miny, maxy = env
    con.execute(
        "UPDATE gpkg_contents SET last_change = ?, min_x = MIN(COALESCE(min_x, ?), ?), "
        "min_y = MIN(COALESCE(min_y, ?), ?), max_x = MAX(COALESCE(max_x, ?), ?), max_y = MAX(COALESCE(max_y, ?), ?) "
        "WHERE table_name = ?",
        (now, minx, minx, miny, miny, maxx, maxx, maxy, maxy, table),
    )


def upsert(con: sqlite3.Connection, coll: sch.Collection, row: dict, table: str | None = None) -> int:
    """Insert or replace (by the collection's id field) one row of ``coll`` in ``table``; its ``fid``.

    ``row`` holds the collection's fields and, for a spatial collection, a shapely ``geometry`` (EPSG:4326).
    Fields missing from ``row`` are written as NULL. The hidden keyword column, the R-tree (through the
    triggers), the optional FTS5 keyword index and the extent in ``gpkg_contents`` follow.
    """
    table = table or coll.source
    names = coll.field_names
    searchable = any(f.searchable for f in coll.fields)
    values = [_value(f, row.get(f.name)) for f in coll.fields]
    cols = list(names)
    blob = None
    if coll.geometry:
        blob = encode_geometry(row.get("geometry"))
        cols.insert(0, GEOM)
        values.insert(0, blob)
    new_search = search_text(coll, row) if searchable else None
    if searchable:
        cols.append(SEARCH)
        values.append(new_search)
    idv = row[coll.id_field]
    fts = _fts(con, table) if searchable else None
    old = con.execute(
        f"SELECT fid{', ' + _q(SEARCH) if searchable else ''} FROM {_q(table)} WHERE {_q(coll.id_field)} = ?", (idv,)
    ).fetchone()
    if old is None:
        cur = con.execute(
            f"INSERT INTO {_q(table)} ({', '.join(_q(c) for c in cols)}) VALUES ({', '.join('?' * len(cols))})", values
        )
        fid = cur.lastrowid
    else:
        fid = old[0]
        con.execute(f"UPDATE {_q(table)} SET {', '.join(_q(c) + ' = ?' for c in cols)} WHERE fid = ?", values + [fid])
        if fts and old[1] is not None:
            con.execute(
                f"INSERT INTO {_q(fts)} ({_q(fts)}, rowid, {_q(SEARCH)}) VALUES ('delete', ?, ?)", (fid, old[1])
            )
    if fts and new_search is not None:
        con.execute(f"INSERT INTO {_q(fts)} (rowid, {_q(SEARCH)}) VALUES (?, ?)", (fid, new_search))
    _touch_contents(con, table, blob)
    return fid


def update_fields(
    con: sqlite3.Connection, coll: sch.Collection, idv: str, values: dict, table: str | None = None
) -> bool:
    """Set some fields of the row ``idv`` of ``coll`` (no geometry); the keyword column follows. False
    when there is no such row."""
    table = table or coll.source
    row = read_row(con, coll, idv, table)
    if row is None:
        return False
    row.update(values)
    upsert(con, coll, row, table)
    return True


def delete(con: sqlite3.Connection, coll: sch.Collection, idv: str, table: str | None = None) -> bool:
    """Delete the row ``idv`` of ``coll`` (R-tree through the triggers, FTS5 index); whether it existed."""
    table = table or coll.source
    searchable = any(f.searchable for f in coll.fields)
    old = con.execute(
        f"SELECT fid{', ' + _q(SEARCH) if searchable else ''} FROM {_q(table)} WHERE {_q(coll.id_field)} = ?", (idv,)
    ).fetchone()
    if old is None:
        return False
    fts = _fts(con, table) if searchable else None
    if fts and old[1] is not None:
        con.execute(f"INSERT INTO {_q(fts)} ({_q(fts)}, rowid, {_q(SEARCH)}) VALUES ('delete', ?, ?)", (old[0], old[1]))
    con.execute(f"DELETE FROM {_q(table)} WHERE fid = ?", (old[0],))
    _touch_contents(con, table, None)
    return True


def read_row(con: sqlite3.Connection, coll: sch.Collection, idv: str, table: str | None = None) -> dict | None:
    """One row of ``coll`` as a dict of its fields (booleans as ``bool``) plus ``geometry`` (shapely)."""
    table = table or coll.source
    cols = ([GEOM] if coll.geometry else []) + coll.field_names
    r = con.execute(
        f"SELECT {', '.join(_q(c) for c in cols)} FROM {_q(table)} WHERE {_q(coll.id_field)} = ?", (idv,)
    ).fetchone()
    if r is None:
        return None
    out = {}
    vals = list(r)
    if coll.geometry:
        out["geometry"] = decode_geometry(vals.pop(0))
    for f, v in zip(coll.fields, vals):
        out[f.name] = bool(v) if (f.type == sch.BOOLEAN and v is not None) else v
    return out


# --- the live-changes marker ----------------------------------------------------------------------------


def get_marker(con: sqlite3.Connection) -> dict | None:
    """The live-changes marker of the GeoPackage (``{"base": ..., "sequence": n, ...}``), or None."""
    if not con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (MARKER_TABLE,)).fetchone():
        return None
    rows = dict(con.execute(f"SELECT cle, valeur FROM {_q(MARKER_TABLE)}").fetchall())
    return {k: json.loads(v) for k, v in rows.items()} or None


def set_marker(con: sqlite3.Connection, base: str, sequence: int, **extra) -> None:
    """Record, inside the current transaction, that the live changes of the live database ``base`` up to
    ``sequence`` are applied to this GeoPackage."""
    con.execute(f"CREATE TABLE IF NOT EXISTS {_q(MARKER_TABLE)} (cle TEXT PRIMARY KEY, valeur TEXT NOT NULL)")
    now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    for k, v in {"base": base, "sequence": int(sequence), "date": now, **extra}.items():
        con.execute(
            f"INSERT INTO {_q(MARKER_TABLE)} (cle, valeur) VALUES (?, ?) "
            "ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
            (k, json.dumps(v)),
        )


def live_changes(path: str | os.PathLike, recover_first: bool = True) -> int:
    """How many live changes the GeoPackage ``path`` holds (0 for a fresh build or no file)."""
    p = Path(path)
    if not p.is_file():
        return 0
    if recover_first:
        recover(p)
    try:
        con = open_readonly(p, require_geopackage=False)
    except sqlite3.DatabaseError:
        return 0
    try:
        marker = get_marker(con)
    except sqlite3.DatabaseError:
        return 0
    finally:
        con.close()
    return int((marker or {}).get("sequence") or 0)


# --- rebuilds: what coopatlas build calls ------------------------------------------------------------------


def check_replaceable(path: str | os.PathLike, force: bool = False, _locked: bool = False) -> int:
    """Before a rebuild replaces ``path``: raise :class:`LiveChangesError` if it holds live changes and not
    ``force``; returns the number of live changes (0 when none)."""
    n = live_changes(path, recover_first=not _locked)
    if n and not force:
        raise LiveChangesError(
            f"{path} holds {n} live change(s) (Bourse projets requests, collectivities' updates) written by "
            "the server since it was built. They are kept in the server's live database (var/) and re-applied "
            "to a new build when the server starts, but to keep a copy export first (coopatlas export), then "
            "rebuild with --force."
        )
    return n


def replace_atlas(tmp: str | os.PathLike, out: str | os.PathLike, force: bool = False) -> None:
    """Replace the GeoPackage ``out`` by the finished file ``tmp`` (same folder), safely for live writers.

    Under the write lock (no live transaction in progress, none starts): any hot journal of ``out`` is
    rolled back first (so that it cannot be replayed onto the new file), the live-changes check of
    :func:`check_replaceable` is made again, then ``os.replace``. Stray ``-wal``/``-shm`` files of ``out``
    (left by a tool that switched it to WAL) are refused: SQLite pairs them with a database by name only, so
    they would be read as the new file's.
    """
    out = Path(out)
    with write_lock(out):
        if out.exists():
            if journal_path(out).exists():
                con = open_writer(out)
                try:
                    con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
                finally:
                    con.close()
            for suffix in ("-wal", "-shm"):
                side = out.with_name(out.name + suffix)
                if side.exists():
                    raise LiveChangesError(
                        f"{side} exists: {out} is open in WAL mode by another program; close it (or run "
                        "'PRAGMA journal_mode=DELETE' on it) before rebuilding"
                    )
            check_replaceable(out, force, _locked=True)
        os.replace(tmp, out)
