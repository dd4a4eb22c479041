"""The query planner of the GeoPackage feature provider: the SQL of one query, by the plan that reads the
fewest rows.

A query's filters (:class:`Filters`: row clauses, ``bbox`` boxes, keyword words) can be driven by the
R-tree (``bbox``), the FTS5 keyword index (``q``) or the table itself, read in the requested order
through an index: :class:`Planner` counts the candidates of each index (:meth:`Planner.drivers`, cheap
upper bounds), counts the matches exactly by the cheapest way (:meth:`Planner.count`; a ``bbox`` alone
reads only the R-tree plus the geometries whose box crosses an edge), picks the plan of a page
(:meth:`Planner.page_plan`) and writes the SQL (:meth:`Planner.sql`). Totals and R-tree extents are
cached on the :class:`~coopatlas.server.gpkg_layer.Layer`.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from dataclasses import dataclass, field

from pygeoapi.provider.base import ProviderConnectionError, ProviderInvalidQueryError

from ..store.faults import unavailable_cause
from ..store.geopackage import SEARCH as SEARCH_COLUMN
from ..store.geopackage import quote as _q
from ..text import fts_query
from .counts import OverBudget
from .gpkg_layer import Layer, unavailable

LOGGER = logging.getLogger(__name__)

#: SQLite's errors for statements beyond its limits (expression depth, variables, pattern length).
_TOO_COMPLEX = (
    "parser stack overflow",
    "Expression tree is too large",
    "too many SQL variables",
    "pattern too complex",
    "too many terms",
)


#: Rows read in the page's order that cost as much as one match read first through another index and
#: sorted (a look-up of the row, and its 40 columns carried through the sort). Measured on the test
#: atlas: a CQL2 filter matching 732 of 13,468 projects (a year range and two themes), its first page
#: 5.3 ms by SQLite's plan (the year index, then a sort of the matches: 7.2 µs per match) and 1.45 ms
#: read in id order (1,840 rows: 0.8 µs per row); 4 leaves a margin for filters that SQLite's index
#: narrows better.
IN_ORDER_WEIGHT = 4


class NoPlan(Exception):
    """SQLite found no plan with the forced index."""


def invalid(msg: str) -> ProviderInvalidQueryError:
    """The HTTP 400 of a query that cannot be honoured, ``msg`` naming the parameter and the problem."""
    return ProviderInvalidQueryError(msg, user_msg=msg)


@dataclass
class Filters:
    """The filters of one query: row clauses (SQL over ``t``, with params), the bbox boxes, and the
    keyword search as FTS5 prefix words and/or LIKE patterns over ``recherche``."""

    row: list = field(default_factory=list)
    boxes: list | None = None
    fts_words: list = field(default_factory=list)
    like: list = field(default_factory=list)
    equal: set = field(default_factory=set)  # properties filtered by equality to one value (row clauses)

    def add(self, clause: str, params: list) -> None:
        self.row.append((clause, list(params)))

    overlap: int | None = None  # R-tree boxes overlapping the bbox (set by the planner)
    inside: int | None = None  # R-tree boxes inside the bbox

    def key(self) -> tuple:
        """The filters, normalised (order of the row clauses ignored): the key of their cached count."""
        row = tuple(sorted(repr((clause, params)) for clause, params in self.row))
        return (row, tuple(self.boxes or ()), tuple(sorted(self.fts_words)), tuple(sorted(self.like)))

    def fts_match(self) -> str:
        return fts_query(self.fts_words)


class Planner:
    """The SQL of the queries on one layer through one connection (see the module documentation)."""

    def __init__(self, layer: Layer, path: str, con: sqlite3.Connection, budget: float | None = None):
        self.layer = layer
        self.path = path
        self.con = con
        self.budget = budget  # seconds of the counts (:meth:`count` raises OverBudget past it)

    def run(self, sql: str, params: list, retry: bool = False) -> list:
        t0 = time.perf_counter()
        try:
            rows = self.con.execute(sql, params).fetchall()
            if LOGGER.isEnabledFor(logging.DEBUG):
                LOGGER.debug("%.1f ms, %d rows: %s %r", 1000 * (time.perf_counter() - t0), len(rows), sql, params)
            return rows
        except sqlite3.OperationalError as exc:
            if str(exc) == "interrupted":
                raise OverBudget() from None
            if retry and "no query solution" in str(exc):
                raise NoPlan() from None
            if any(m in str(exc) for m in _TOO_COMPLEX):
                raise invalid(
                    f"filter: too complex for the database ({exc}); use IN (...) for lists of values"
                ) from None
            if unavailable_cause(exc):  # the file, not the query: 503, and a new connection next time
                raise unavailable(self.path, exc) from None
            LOGGER.error("SQL failed on %s: %s\n%s %r", self.path, exc, sql[:2000], params[:50])
            raise ProviderConnectionError(
                f"query failed: {exc}", user_msg="query failed (see the server log)"
            ) from None

    def count_all(self) -> int:
        layer = self.layer
        if layer.count_all is None:
            with layer.lock:
                if layer.count_all is None:
                    layer.count_all = self.con.execute(f"SELECT COUNT(*) FROM {_q(layer.table)}").fetchone()[0]
        return layer.count_all

    # The R-tree stores float32 boxes rounded outwards: "overlaps the R-tree box" is a superset of the
    # answer, and "R-tree box inside the query box" implies that the geometry is inside it. Only the
    # geometries whose R-tree box straddles an edge need the exact test (atlas_box).
    _OVERLAP = "(r.minx <= ? AND r.maxx >= ? AND r.miny <= ? AND r.maxy >= ?)"
    _INSIDE = "(r.minx >= ? AND r.maxx <= ? AND r.miny >= ? AND r.maxy <= ?)"

    def bbox_clause(self, boxes) -> tuple[str, list]:
        layer = self.layer
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

    def drivers(self, f: Filters) -> dict:
        """Candidate counts of the indexes that can drive the query: the R-tree for ``bbox`` (``rtree``),
        the keyword index for ``q`` (``fts``). Upper bounds of the answer, cheap to get. The R-tree pass
        also counts the boxes inside the query box (kept in ``f.inside`` for :meth:`count`)."""
        layer = self.layer
        out = {}
        if f.boxes and layer.rtree:
            overlap, f.inside = 0, 0
            for x0, y0, x1, y1 in f.boxes:
                n, ext = self.rtree_stats()
                if ext is None or (x0 <= ext[0] and y0 <= ext[1] and x1 >= ext[2] and y1 >= ext[3]):
                    o, i = n, n  # the box holds every R-tree box (or there is none)
                else:
                    o, i = self.con.execute(
                        f"SELECT COUNT(*), TOTAL({self._INSIDE}) FROM {_q(layer.rtree)} AS r WHERE {self._OVERLAP}",
                        (x0, x1, y0, y1, x1, x0, y1, y0),
                    ).fetchone()
                overlap += o
                f.inside += int(i)
            out["rtree"] = overlap
            f.overlap = overlap
        if f.fts_words:
            fts = _q(layer.keyword_index)
            out["fts"] = self.con.execute(
                f"SELECT COUNT(*) FROM {fts} WHERE {fts} MATCH ?", (f.fts_match(),)
            ).fetchone()[0]
        return out

    def order_index(self, order: list[tuple[str, bool]], f: Filters) -> str | None:
        """The index that reads the matches of ``f`` already in the ``order`` of the page ((column,
        descending) pairs, the id last), so that SQLite stops after the page instead of sorting every
        match: an index whose keys are the order itself, or the order after columns that ``f`` filters by
        equality (a declared sort within a continent, a country: :class:`coopatlas.schema.SortIndex`).
        The longest such prefix wins; None if no index gives the whole order."""
        best, best_prefix = None, -1
        for name, keys in self.ordered_indexes():
            prefix = len(keys) - len(order)
            if (
                prefix >= 0
                and prefix > best_prefix
                and list(keys[prefix:]) == order
                and all(column in f.equal for column, _ in keys[:prefix])
            ):
                best, best_prefix = name, prefix
        return best

    def ordered_indexes(self) -> tuple:
        """(name, ((column, descending), ...)) of the layer's B-tree indexes (not of a view), read once
        per file version."""
        layer = self.layer
        if layer.ordered_indexes is None:
            found = []
            if not layer.is_view:
                for _, name, *_ in self.con.execute(f"PRAGMA index_list({_q(layer.table)})").fetchall():
                    keys = tuple(
                        (column, bool(desc))
                        for _, _, column, desc, _, key in self.con.execute(f"PRAGMA index_xinfo({_q(name)})")
                        if key and column is not None
                    )
                    found.append((name, keys))
            layer.ordered_indexes = tuple(found)
        return layer.ordered_indexes

    def rtree_stats(self) -> tuple:
        """(number of entries, (minx, miny, maxx, maxy) of all entries or None) of the R-tree, read
        once per file version."""
        layer = self.layer
        if layer.rtree_stats is None:
            with layer.lock:
                if layer.rtree_stats is None:
                    n, x0, y0, x1, y1 = self.con.execute(
                        f"SELECT COUNT(*), MIN(minx), MIN(miny), MAX(maxx), MAX(maxy) FROM {_q(layer.rtree)}"
                    ).fetchone()
                    layer.rtree_stats = (n, None if n == 0 else (x0, y0, x1, y1))
        return layer.rtree_stats

    def sql(self, f: Filters, mode: str, force: str | None = None) -> tuple[str, str, list]:
        """(FROM, WHERE, params) of the filters, driven by ``mode``: ``rtree`` (R-tree first), ``fts``
        (keyword index first) or ``scan`` (the table first; through the index ``force`` if given)."""
        layer = self.layer
        table = f"{_q(layer.table)} AS t" + (f" INDEXED BY {_q(force)}" if force else "")
        clauses, params = [], []
        if f.boxes:
            clause, p = self.bbox_clause(f.boxes)
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

    def count(self, f: Filters, drivers: dict, total: int) -> int:
        """numberMatched: exact, by the cheapest way the filters allow; :class:`OverBudget` past the
        planner's budget (the SQLite progress handler interrupts the statement)."""
        if self.budget is None:
            return self._count(f, drivers, total)
        deadline = time.perf_counter() + self.budget
        self.con.set_progress_handler(lambda: time.perf_counter() > deadline, 1_000)
        try:
            return self._count(f, drivers, total)
        finally:
            self.con.set_progress_handler(None, 0)

    def _count(self, f: Filters, drivers: dict, total: int) -> int:
        layer = self.layer
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
            edges = self.run(
                f"SELECT COUNT(*) FROM ({' UNION '.join([line] * 4)}) AS e CROSS JOIN {rtree} AS r "
                f'CROSS JOIN {_q(layer.table)} AS t WHERE r.id = e.id AND t."fid" = e.id AND NOT {self._INSIDE} '
                f"AND atlas_box({g}, ?, ?, ?, ?)",
                lines + [x0, x1, y0, y1, x0, y0, x1, y1],
            )[0][0]
            return f.inside + edges
        if f.fts_words and not f.boxes and not f.row and not f.like and not layer.is_view:
            return drivers["fts"]
        mode = min(drivers, key=drivers.get) if drivers else "scan"
        from_sql, where, params = self.sql(f, mode)
        return self.run(f"SELECT COUNT(*) FROM {from_sql}{where}", params)[0][0]

    def page_plan(
        self,
        f: Filters,
        drivers: dict,
        total: int,
        offset: int,
        limit: int,
        order_index: str | None,
        matched: int | None,
    ) -> tuple[str, str | None]:
        """(mode, forced index) of the SQL of a page. Reading the table in the requested order (an index)
        stops after offset + limit matches, about (offset + limit) * total / matches rows, read in turn;
        reading the matches first (R-tree, keyword index, or SQLite's choice of index) costs at least the
        matches, each looked up and sorted with all its columns: :data:`IN_ORDER_WEIGHT` rows read in
        order for one match read first."""
        mode, force = "scan", None
        estimate = matched if matched is not None else (min(drivers.values()) if drivers else None)
        in_order = (offset + limit) * total / max(estimate, 1) if (estimate is not None and order_index) else None
        if drivers:
            best = min(drivers, key=drivers.get)
            if in_order is None or 2 * drivers[best] < in_order:
                mode = best
        if mode == "scan" and in_order is not None and in_order < IN_ORDER_WEIGHT * estimate and (f.row or f.like):
            force = order_index  # SQLite would read the matches through another index and sort them all
        return mode, force
