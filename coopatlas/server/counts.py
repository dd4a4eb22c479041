"""``numberMatched`` of the feature providers: exact and cheap, or omitted; never wrong.

An exact count of a filter matching a large share of a big table reads every match (0.6-1.9 s for some
100,000 of 1.35 M projects, on the GeoPackage and on PostGIS alike). Both providers
(:mod:`coopatlas.server.provider`, :mod:`coopatlas.server.postgis_provider`) therefore count through
:func:`matched`:

* **cached per filter and version of the data**: the count of a (collection, normalised filter) is kept
  in a small per-process cache whose key holds the *versions of the tables the count reads*
  (:func:`coopatlas.store.table_versions.of`: the collection's table, or the table behind its view),
  read before the data. Every change to a table gives it a new version, inside the transaction of the
  change (a rebuild, a PostGIS reload, a live write of the Bourse or of a collectivity, an edit in
  QGIS): a stale count is never served, and a change invalidates only the counts of the table it
  changed (a Bourse request renews ``demandes``, ``partenaires``, ``pays``: the project counts stay).
  A database without versions (built before they existed) has its counts made at each request and
  never cached (over budget: omitted, no background count); rebuild or reload it;
* **bounded**: a count not in the cache runs under a time budget (:data:`BUDGET_MS`, environment
  ``COOPATLAS_COUNT_BUDGET_MS``; SQLite's progress handler, PostgreSQL's ``statement_timeout``). When the
  budget is exceeded the answer goes out *without* ``numberMatched`` (OGC API Features allows omitting
  it; the response then carries ``numberMatchedAtLeast``, the matches known so far, offset + returned,
  for the HTML page's "more than N") and the exact count is finished by one background thread of the
  worker, which fills the cache for the next requests of that filter.

``resulttype=hits`` always counts exactly (the client asked for the count).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor

LOGGER = logging.getLogger(__name__)

#: Time budget of an exact count made while answering a request (milliseconds).
BUDGET_MS = float(os.environ.get("COOPATLAS_COUNT_BUDGET_MS", "100"))
#: Counts kept per process.
CACHE_SIZE = 1024


class OverBudget(Exception):
    """A count stopped because it exceeded its time budget."""


class CountCache:
    """A thread-safe least-recently-used dict of counts (and of the planner's candidate counts)."""

    def __init__(self, size: int = CACHE_SIZE):
        self.size = size
        self._items: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable):
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: Hashable, value) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


cache = CountCache()
_pending: set = set()
_pending_lock = threading.Lock()
_executor: tuple | None = None  # (pid, ThreadPoolExecutor): one per process (gunicorn forks workers)


def _background() -> ThreadPoolExecutor:
    global _executor
    pid = os.getpid()
    if _executor is None or _executor[0] != pid:
        _executor = (pid, ThreadPoolExecutor(max_workers=1, thread_name_prefix="coopatlas-count"))
    return _executor[1]


def budget_seconds() -> float | None:
    """The budget of a count in a request, in seconds (None: no budget, when set to 0 or less)."""
    return BUDGET_MS / 1000 if BUDGET_MS > 0 else None


def matched(key: Hashable, count: Callable[[float | None], int], exact: bool = False) -> int | None:
    """The number of matches of the filter identified by ``key`` (which must hold the versions of the data,
    read before it; None: not cached, no versions), or None when it is not known cheaply.

    ``count(budget)`` counts exactly, raising :class:`OverBudget` past ``budget`` seconds (None: no
    limit). ``exact``: count whatever it costs (``resulttype=hits``). A count over budget is finished in
    the background and cached.
    """
    n = None if key is None else cache.get(key)
    if n is not None:
        return n
    budget = None if exact else budget_seconds()
    try:
        n = count(budget)
    except OverBudget:
        if key is not None:
            _finish_later(key, count)
        return None
    if key is not None:
        cache.put(key, n)
    return n


def remember(key: Hashable | None, n: int) -> None:
    """Cache a count learnt otherwise (a last page tells the number of matches); nothing without a key."""
    if key is not None:
        cache.put(key, n)


def get(key: Hashable | None):
    """The cached count (or value) under ``key``; None when not cached or without a key."""
    return None if key is None else cache.get(key)


def put(key: Hashable | None, value) -> None:
    """Cache ``value`` under ``key`` (nothing without a key: data without versions)."""
    if key is not None:
        cache.put(key, value)


def _finish_later(key: Hashable, count: Callable[[float | None], int]) -> None:
    with _pending_lock:
        if key in _pending:
            return
        _pending.add(key)

    def run():
        t0 = time.perf_counter()
        try:
            cache.put(key, count(None))
            LOGGER.info("count finished in the background in %.0f ms", 1000 * (time.perf_counter() - t0))
        except Exception:  # noqa: BLE001 - a failed background count only leaves the count unknown
            LOGGER.exception("background count failed")
        finally:
            with _pending_lock:
                _pending.discard(key)

    _background().submit(run)
