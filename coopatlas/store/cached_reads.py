"""Reads of the store remembered per version of the tables they read: figures of large tables, exact.

The statistics of the world or of a continent read every project (1.35 M at ×100: seconds of SQL for
each panel). Their SQL, its parameters and the versions of the tables it names
(:mod:`coopatlas.store.table_versions`) are the key of the answer: a change to a table (a rebuild, a
reload, a live write of the Bourse or of a collectivity) gives it a new version, hence a new key, and
the next read runs the SQL again; the versions are read before the rows, so an answer is never kept
under a version newer than its data. A Bourse request changes ``demandes``, ``partenaires`` and ``pays``,
not ``projets``: the project figures stay cached, the requests are counted live (they are few).

Only answers of at most :data:`MAX_ROWS` rows are kept, in a per-process least-recently-used cache of
:data:`CACHE_SIZE` answers. A read that names a table without a version (or a database without
versions) is not cached.

Under that cache, a second level persisted in the atlas database (:mod:`coopatlas.store.persisted_reads`):
on a miss, the read is looked up there (under the same SQL, parameters and versions; not the location)
before the SQL runs, so that the first statistics of a standard search in a new worker cost a lookup, not
seconds of SQL. The build, the PostGIS load and ``coopatlas statistiques-cache`` write it
(:mod:`coopatlas.stats_warm`, through :attr:`CachedReads.record`); the server never does.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Sequence

from . import persisted_reads, table_versions
from .geopackage import KEYWORD_INDEX

#: Answers kept per process, and the largest answer kept (rows).
CACHE_SIZE = 2048
MAX_ROWS = 5000

_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
#: The tables a statement reads from (FROM x, JOIN x); a comma join (FROM a, b) is not cached.
_SOURCE = re.compile(r"\b(?:FROM|JOIN)\s+(\"?[A-Za-z_][A-Za-z0-9_.]*\"?)(\s*,)?", re.IGNORECASE)
#: The name of a table's keyword index (:data:`coopatlas.store.geopackage.KEYWORD_INDEX`).
_KEYWORD_INDEX = re.compile(KEYWORD_INDEX.replace("{table}", "([A-Za-z_][A-Za-z0-9_]*)"))
#: The names a statement defines for itself (``WITH g AS (…), h AS (…)``): read from, they are not tables.
_DEFINED = re.compile(r"(?:\bWITH|,)\s+([A-Za-z_][A-Za-z0-9_]*)\s+AS\s*\(", re.IGNORECASE)


class _Cache:
    def __init__(self, size: int):
        self.size = size
        self.hits = self.misses = 0
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            value = self._items.get(key)
            if value is None:
                self.misses += 1
            else:
                self.hits += 1
                self._items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0


cache = _Cache(CACHE_SIZE)


def _tables(sql: str, versioned) -> set[str] | None:
    """The versioned tables ``sql`` may read (every versioned name it mentions), or None when it reads a
    table without a version or joins with a comma (a name of its own ``WITH`` is not a table). A table's
    keyword index (``fts_<table>``) has its table's version: it changes in the same transactions."""
    defined = set(_DEFINED.findall(sql))
    indexed = set()
    for name, comma in _SOURCE.findall(sql):
        name = name.strip('"')
        if comma:
            return None
        if name in versioned or name in defined:
            continue
        base = _KEYWORD_INDEX.fullmatch(name)
        if base is None or base[1] not in versioned:
            return None
        indexed.add(base[1])
    return (set(_WORD.findall(sql)) & versioned.keys()) | indexed


class CachedReads:
    """A :class:`coopatlas.store.Store` whose ``rows`` and ``scalar`` are remembered (see the module
    documentation); everything else is the store's. The versions are read once, before its first read:
    one wrapper serves one answer (a statistics call), all of whose reads are kept under the same versions.

    ``record``, when given, receives every read that may be persisted (key of
    :func:`coopatlas.store.persisted_reads.key` → rows as JSON): what the warm-up writes."""

    _UNREAD = object()

    def __init__(self, store, record: dict[str, str] | None = None):
        self.store = store
        self.record = record
        self._versions = self._UNREAD

    def __getattr__(self, name):
        return getattr(self.store, name)

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        if self._versions is self._UNREAD:
            self._versions = table_versions.read(self.store)
        versions = self._versions
        tables = _tables(sql, versions) if versions else None
        if not tables:
            return self.store.rows(sql, params)
        try:
            key = (self.store.location, sql, tuple(params), tuple(sorted((t, versions[t]) for t in tables)))
            hash(key)
        except TypeError:  # unhashable parameters
            return self.store.rows(sql, params)
        hit = cache.get(key)
        stored_key = persisted_reads.key(sql, params, key[3]) if hit is None or self.record is not None else None
        if hit is not None:
            rows = list(hit)
        else:  # the persisted level (written by the build, the load or statistiques-cache), then the SQL
            rows = persisted_reads.lookup(self.store, stored_key) if stored_key else None
            if rows is None:
                rows = [tuple(r) for r in self.store.rows(sql, params)]
            if len(rows) <= MAX_ROWS:
                cache.put(key, tuple(rows))
        if self.record is not None and stored_key and len(rows) <= MAX_ROWS:
            text = persisted_reads.encode_rows(rows)
            if text is not None:
                self.record[stored_key] = text
        return rows

    def scalar(self, sql: str, params: Sequence = ()):
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None


def cached(store) -> CachedReads:
    """``store`` with its reads remembered (itself if it already is)."""
    return store if isinstance(store, CachedReads) else CachedReads(store)
