"""The atlas GeoPackage format, in one place: what the build writes and what every reader and writer reads.

* **Names**: the geometry column (:data:`GEOM`), the hidden keyword column (:data:`SEARCH`), the FTS5
  keyword index of a table (:func:`keyword_index`), the R-tree of a geometry column (:func:`rtree_table`),
  the atlas metadata table (:data:`METADATA_TABLE`), the spatial reference (:data:`SRS_ID`, EPSG:4326,
  longitude and latitude in degrees).
* **Geometry blobs** (GeoPackage 1.3 "StandardGeoPackageBinary": ``GP``, version, flags, srs id, optional
  envelope, ISO WKB): :func:`encode_geometry`, :func:`decode_geometry`, :func:`blob_wkb`,
  :func:`blob_envelope`, :func:`point_xy` (the fast path of points).
* **Read-only connections**: :func:`open_readonly` (one spelling: a ``file:`` URI with ``mode=ro``,
  ``PRAGMA query_only``, a bounded page cache and no memory map: :data:`CACHE_MIB`, :data:`MMAP_MIB`) and
  :class:`ReadOnlyConnections`, one connection per thread, process and file, re-opened when a rebuild
  replaced the file (another inode, size or modification time).
* **SQL functions** of the R-tree triggers (``ST_IsEmpty``, ``ST_MinX``...): :func:`register_rtree_functions`,
  which a connection that writes into a GeoPackage needs.
* **Metadata**: :func:`write_metadata`, :func:`read_metadata` (``synthetique``, notices, date of the data).

The build writer (:mod:`coopatlas.store.build_writer`) and the live writer (:mod:`coopatlas.store.live_writer`)
write files in this format; the read store (:mod:`coopatlas.store`), the server's feature provider and the
interchange export read them through this module.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import threading
from collections.abc import Callable
from pathlib import Path

import shapely

from . import faults

#: EPSG code of every geometry (WGS 84 longitude, latitude in degrees: OGC CRS84 axis order).
SRS_ID = 4326
#: ``PRAGMA application_id`` of a GeoPackage ('GPKG').
APPLICATION_ID = 0x47504B47
#: Name of the geometry column of every spatial table.
GEOM = "geom"
#: Name of the hidden, normalised keyword-search column (see :func:`coopatlas.text.search_document`).
SEARCH = "recherche"
#: The FTS5 keyword index of a table with a search column (see :func:`keyword_index`).
KEYWORD_INDEX = "fts_{table}"
#: The table of the atlas metadata (``cle``, ``valeur`` as JSON).
METADATA_TABLE = "coopatlas_metadata"


def keyword_index(table: str) -> str:
    """The name of the FTS5 keyword index of ``table``."""
    return KEYWORD_INDEX.format(table=table)


def readable_keyword_index(con: sqlite3.Connection, table: str) -> str | None:
    """The name of the keyword index of ``table`` when the database of ``con`` has one that this SQLite can
    query; None when it is absent or this SQLite has no FTS5 (keywords are then read with LIKE)."""
    name = keyword_index(table)
    try:
        con.execute(f"SELECT rowid FROM {quote(name)} WHERE {quote(name)} MATCH '\"a\"*' LIMIT 0").fetchall()
    except sqlite3.Error:
        return None
    return name


def rtree_table(table: str, column: str = GEOM) -> str:
    """The name of the ``gpkg_rtree_index`` R-tree of ``table.column``."""
    return f"rtree_{table}_{column}"


def search_text(coll, row: dict) -> str:
    """The content of the hidden keyword column of one row of the collection ``coll``: its searchable
    fields, normalised (accents, case and punctuation removed)."""
    from ..text import search_document

    return search_document(*(row.get(f.name) for f in coll.fields if f.searchable))


def quote(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


# --- geometry blobs ----------------------------------------------------------------------------------

#: Size of the envelope of a blob, by the envelope code of its flags (none, xy, xyz, xym, xyzm).
ENVELOPE_BYTES = (0, 32, 48, 48, 64)
_EMPTY = 0b00010000
_unpack_uint_le = struct.Struct("<I").unpack_from
_unpack_xy_le = struct.Struct("<dd").unpack_from


def encode_geometry(geom) -> bytes | None:
    """A shapely geometry as a GeoPackage blob (little-endian, xy envelope; 2D); ``None`` for ``None``."""
    if geom is None:
        return None
    if geom.is_empty:
        # flags: little endian, no envelope, empty bit set
        return b"GP" + bytes([0, 0b00010001]) + struct.pack("<i", SRS_ID) + shapely.to_wkb(geom, byte_order=1)
    minx, miny, maxx, maxy = geom.bounds
    header = b"GP" + bytes([0, 0b00000011]) + struct.pack("<i4d", SRS_ID, minx, maxx, miny, maxy)
    return header + shapely.to_wkb(geom, byte_order=1, output_dimension=2)


def wkb_offset(blob: bytes) -> int:
    """Where the WKB starts in a GeoPackage blob (after the header and its envelope); ``ValueError`` if
    ``blob`` is not a GeoPackage geometry blob."""
    env = (blob[3] >> 1) & 0b111
    if env > 4 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    return 8 + ENVELOPE_BYTES[env]


def blob_wkb(blob: bytes | None) -> bytes | None:
    """The ISO WKB inside a GeoPackage blob; ``None`` for ``None``."""
    if blob is None:
        return None
    return bytes(blob[wkb_offset(blob) :])


def decode_geometry(blob: bytes | None):
    """The shapely geometry of a GeoPackage blob (``None`` for NULL; an empty geometry stays empty)."""
    if blob is None:
        return None
    return shapely.from_wkb(bytes(blob[wkb_offset(blob) :]))


def decode_geometries(blobs: list):
    """The shapely geometries of many blobs in one vectorised call, as an array (``None`` stays ``None``)."""
    return shapely.from_wkb([blob_wkb(b) for b in blobs])


def is_empty(blob: bytes) -> bool:
    """Whether a (non-NULL) blob holds an empty geometry (the flag of its header)."""
    return bool(blob[3] & _EMPTY)


def blob_envelope(blob: bytes | None) -> tuple[float, float, float, float] | None:
    """(minx, maxx, miny, maxy) of a GeoPackage blob, from its header or its WKB; ``None`` if empty."""
    if blob is None:
        return None
    flags = blob[3]
    if flags & _EMPTY:
        return None
    env = (flags >> 1) & 0b111
    little = flags & 1
    if env >= 1:
        return struct.unpack_from("<4d" if little else ">4d", blob, 8)
    geom = shapely.from_wkb(bytes(blob[8:]))
    minx, miny, maxx, maxy = geom.bounds
    return minx, maxx, miny, maxy


#: A point as :func:`encode_geometry` writes it: flags "little-endian, xy envelope, not empty" (byte 3), then
#: after the 40-byte header a little-endian WKB point (byte order 1, type 1) whose x, y start at byte 45.
_ATLAS_POINT_FLAGS = 0b011
_WKB_POINT_LE = b"\x01\x01\x00\x00\x00"


def point_xy(blob: bytes) -> tuple[float, float] | None:
    """(x, y) of a non-empty 2D point blob, read with ``struct``; ``None`` for any other geometry. The
    atlas's own layout is read at its fixed offsets, any other through its header."""
    if blob[3] == _ATLAS_POINT_FLAGS and blob[40:45] == _WKB_POINT_LE:
        return _unpack_xy_le(blob, 45)
    if blob[3] & _EMPTY:
        return None
    off = wkb_offset(blob)
    if blob[off] == 1:  # little-endian WKB, as the atlas writes it
        if _unpack_uint_le(blob, off + 1)[0] != 1:
            return None
        return _unpack_xy_le(blob, off + 5)
    if struct.unpack_from(">I", blob, off + 1)[0] != 1:
        return None
    return struct.unpack_from(">dd", blob, off + 5)


# --- read-only connections ------------------------------------------------------------------------------


def _mib(name: str, default: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit():
        raise ValueError(f"{name} must be a whole number of MiB, not {text!r}")
    return int(text)


#: Page cache of each read-only connection, in MiB (``COOPATLAS_SQLITE_CACHE_MIB``): private memory of the
#: process, filled up to this bound. A worker has one connection per thread that reads the atlas (16 by
#: default, and the background counts' threads): about 128 MiB at most per worker at the default.
CACHE_MIB = _mib("COOPATLAS_SQLITE_CACHE_MIB", 8)
#: Memory-mapped I/O of each read-only connection, in MiB (``COOPATLAS_SQLITE_MMAP_MIB``): none by default.
#: SQLite maps the file once per connection, and the pages each mapping touched count in the process's
#: resident memory once per mapping (they are the kernel's page cache, shared, but they make the worker's
#: VmHWM): with 1 GiB maps, a worker of 16 threads serving the ×100 atlas (3.6 GB) peaked at 4.7 GiB, of
#: which 4.0 GiB file pages. Without a map, SQLite reads pages with ``pread`` into the bounded cache above,
#: for the same CPU time per request (benchmarks/README.md, "Third round: worker memory").
MMAP_MIB = _mib("COOPATLAS_SQLITE_MMAP_MIB", 0)


class NotAGeoPackage(ValueError):
    """The file opened is an SQLite database but not a GeoPackage (no 'GPKG' application id)."""


def file_signature(path: str | os.PathLike) -> tuple:
    """(device, inode, size, modification time) of ``path``: it changes when a rebuild replaces the file or
    a live writer commits. ``OSError`` when the file cannot be read."""
    st = os.stat(path)
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def open_readonly(
    path: str | os.PathLike, check_same_thread: bool = True, timeout: float = 5.0, require_geopackage: bool = True
) -> sqlite3.Connection:
    """A new read-only connection to the GeoPackage ``path`` (``mode=ro`` URI, ``PRAGMA query_only``,
    autocommit). ``sqlite3.Error`` if it cannot be opened, :class:`NotAGeoPackage` if it is no GeoPackage
    (unless not ``require_geopackage``)."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    con = sqlite3.connect(
        uri, uri=True, isolation_level=None, check_same_thread=check_same_thread, cached_statements=256, timeout=timeout
    )
    try:
        con.execute("PRAGMA query_only = ON")
        con.execute(f"PRAGMA cache_size = -{CACHE_MIB * 1024}")  # negative: KiB
        con.execute(f"PRAGMA mmap_size = {MMAP_MIB << 20}")
        con.execute("PRAGMA temp_store = MEMORY")
        if require_geopackage and con.execute("PRAGMA application_id").fetchone()[0] != APPLICATION_ID:
            raise NotAGeoPackage(f"{path} is not a GeoPackage")
    except BaseException:
        con.close()
        raise
    return con


class ReadOnlyConnections:
    """Read-only connections to GeoPackages, one per thread, per process and per file, re-opened when the
    file is replaced (another inode, size or modification time), so that a rebuilt atlas is picked up
    without restarting. ``prepare`` is called on every new connection (to register SQL functions).

    A connection is never closed while it may still be handed out or held: when the file is missing or
    replaced, or when a query on it failed (:meth:`discard`), it is forgotten first, and closed when its last
    user lets it go. (The race of issue 19: the connection of the original file was closed when a corrupt
    file replaced it, but stayed cached under the original's signature when the corrupt file could not be
    opened; once the original was moved back, with that same signature, the worker handed out the closed
    connection on every request: "Cannot operate on a closed database".)
    The signature a connection was opened with is kept with it (:meth:`signature`), so that what is read
    through it is cached under the version of the file it really reads."""

    def __init__(self, prepare: Callable[[sqlite3.Connection], None] | None = None, check_same_thread: bool = True):
        self._prepare = prepare
        self._check_same_thread = check_same_thread
        self._local = threading.local()
        self._inherited: list = []  # connections of a parent process, kept alive but unused after a fork
        faults.on_fault(self.discard)  # a request that met a database error forgets its connections

    def get(self, path: str) -> sqlite3.Connection:
        """The connection of the current thread to ``path``. ``OSError`` if the file cannot be read,
        ``sqlite3.Error`` or :class:`NotAGeoPackage` if it cannot be opened as a GeoPackage."""
        cons = self._connections()
        try:
            sig = file_signature(path)  # before opening: a file replaced meanwhile is seen at the next get
        except OSError:
            cons.pop(path, None)
            raise
        entry = cons.get(path)
        if entry is not None and entry[0] == sig:
            return entry[1]
        cons.pop(path, None)  # another version of the file: forgotten, closed when no longer used
        con = open_readonly(path, check_same_thread=self._check_same_thread)
        if self._prepare is not None:
            self._prepare(con)
        cons[path] = (sig, con)
        return con

    def signature(self, path: str) -> tuple | None:
        """The signature of the file when the current thread's connection to ``path`` was opened."""
        entry = self._connections().get(path)
        return None if entry is None else entry[0]

    def discard(self, path: str | None = None) -> None:
        """Forget the current thread's connection to ``path`` (all of them if ``None``) after an error: the
        next :meth:`get` opens a new one. The connection is closed when its last user lets it go."""
        cons = self._connections()
        if path is None:
            cons.clear()
        else:
            cons.pop(path, None)

    def close(self) -> None:
        """Close the connections of the current thread."""
        cons = self._connections()
        for _, con in cons.values():
            con.close()
        cons.clear()

    def _connections(self) -> dict:
        pid = os.getpid()
        cons = getattr(self._local, "cons", None)
        if cons is None or getattr(self._local, "pid", None) != pid:
            if cons:  # after a fork: never use (nor close) the parent's connections
                self._inherited.append(cons)
            cons = self._local.cons = {}
            self._local.pid = pid
        return cons


# --- SQL functions of the R-tree triggers -------------------------------------------------------------


def _envelope_part(blob, i):
    if blob is None:
        return None
    env = blob_envelope(bytes(blob))
    return None if env is None else env[i]


def _is_empty_sql(blob):
    if blob is None:
        return None
    return 1 if blob_envelope(bytes(blob)) is None else 0


def register_rtree_functions(con: sqlite3.Connection) -> None:
    """The SQL functions the ``gpkg_rtree_index`` triggers call (``ST_IsEmpty``, ``ST_MinX``, ``ST_MaxX``,
    ``ST_MinY``, ``ST_MaxY``), reading the envelope from the blob header: needed to write a spatial table."""
    con.create_function("ST_IsEmpty", 1, _is_empty_sql, deterministic=True)
    con.create_function("ST_MinX", 1, lambda b: _envelope_part(b, 0), deterministic=True)
    con.create_function("ST_MaxX", 1, lambda b: _envelope_part(b, 1), deterministic=True)
    con.create_function("ST_MinY", 1, lambda b: _envelope_part(b, 2), deterministic=True)
    con.create_function("ST_MaxY", 1, lambda b: _envelope_part(b, 3), deterministic=True)


# --- the atlas metadata ------------------------------------------------------------------------------------


def write_metadata(con: sqlite3.Connection, metadata: dict) -> None:
    """Create the metadata table and write ``metadata`` into it (keys sorted, values as JSON)."""
    con.execute(f"CREATE TABLE {METADATA_TABLE} (cle TEXT PRIMARY KEY, valeur TEXT)")
    con.executemany(
        f"INSERT INTO {METADATA_TABLE} VALUES (?, ?)",
        [(k, json.dumps(v, ensure_ascii=False)) for k, v in sorted(metadata.items())],
    )


def read_metadata(path: str | os.PathLike) -> dict:
    """The atlas metadata stored in a built GeoPackage (``synthetique``, notices, date of the data...)."""
    con = open_readonly(path, require_geopackage=False)
    try:
        return {k: json.loads(v) for k, v in con.execute(f"SELECT cle, valeur FROM {METADATA_TABLE}")}
    finally:
        con.close()
