"""The temporal and spatial predicates of the CQL2 → SQLite translator (:class:`SQLiteEvaluator`).

Temporal predicates apply to date properties with the semantics of pygeoapi's PostgreSQL provider
(pygeofilter's SQLAlchemy backend): ``T_BEFORE`` is ``<=``, ``T_AFTER`` ``>=``, ``T_EQUALS`` ``=``,
``T_DURING`` and ``T_INTERSECTS`` an inclusive range (open ends allowed); the others are refused.

Spatial predicates compare the feature geometry with a literal geometry, exactly (the SQL functions of
:mod:`coopatlas.server.cql.sqlite_functions`); those that imply intersecting envelopes, and ``DWITHIN``,
carry a variant prefiltered by the GeoPackage R-tree (:class:`~coopatlas.server.cql.translator.Condition`).
"""

from __future__ import annotations

import datetime as dt
import math
import re

import shapely
from pygeofilter import ast, values
from pygeofilter.backends.evaluator import handle

from ...schema import DATE
from ...store.geopackage import quote
from .coercion import GEOMETRY, UNKNOWN, FilterError, coerce
from .geometry import DISTANCE_UNITS, LONLAT_CRS, box, distance_bounds, shapely_predicate, transpose
from .translator import FALSE, TRUE, Condition, ExpressionEvaluator, describe

_SPATIAL_OPS = {
    ast.SpatialComparisonOp.INTERSECTS: "intersects",
    ast.SpatialComparisonOp.DISJOINT: "disjoint",
    ast.SpatialComparisonOp.CONTAINS: "contains",
    ast.SpatialComparisonOp.WITHIN: "within",
    ast.SpatialComparisonOp.TOUCHES: "touches",
    ast.SpatialComparisonOp.CROSSES: "crosses",
    ast.SpatialComparisonOp.OVERLAPS: "overlaps",
    ast.SpatialComparisonOp.EQUALS: "equals",
}
#: The predicate with its operands swapped.
_CONVERSE = {"contains": "within", "within": "contains"}
#: Predicates that imply that the envelopes intersect (an R-tree prefilter is exact for them).
_NEEDS_OVERLAP = frozenset({"intersects", "contains", "within", "touches", "crosses", "overlaps", "equals"})


class SQLiteEvaluator(ExpressionEvaluator):
    """CQL2 (pygeofilter AST) to SQLite SQL over a :class:`~coopatlas.server.cql.translator.Target`."""

    @handle(ast.TemporalPredicate, subclasses=True)
    def temporal(self, node, lhs, rhs_result):
        e = self.value(lhs, node.lhs)
        if e.kind == UNKNOWN:
            return TRUE
        if e.kind != DATE or e.literal:
            raise FilterError(f"filter: temporal predicates apply to a date property; {describe(e)} is not one")
        op = node.op
        rhs = node.rhs
        if op in (ast.TemporalComparisonOp.BEFORE, ast.TemporalComparisonOp.AFTER, ast.TemporalComparisonOp.TEQUALS):
            if isinstance(rhs, values.Interval):
                raise FilterError(f"filter: T_{op.value} needs a date, not an interval")
            v = coerce(e.field, rhs)
            sql_op = {"BEFORE": "<=", "AFTER": ">=", "TEQUALS": "="}[op.value]
            return Condition(f"({e.sql} {sql_op} ?)", e.params + [v])
        if op in (ast.TemporalComparisonOp.DURING, ast.TemporalComparisonOp.TOVERLAPS):
            if not isinstance(rhs, values.Interval):
                raise FilterError("filter: T_DURING and T_INTERSECTS need an INTERVAL")
            lo, hi = rhs.start, rhs.end
            if isinstance(lo, dt.timedelta) and isinstance(hi, dt.timedelta):
                raise FilterError("filter: an interval needs at least one date")
            if isinstance(lo, dt.timedelta):
                lo = hi - lo
            if isinstance(hi, dt.timedelta):
                hi = lo + hi
            parts, params = [], []
            if lo is not None:
                parts.append(f"{e.sql} >= ?")
                params += e.params + [coerce(e.field, lo)]
            if hi is not None:
                parts.append(f"{e.sql} <= ?")
                params += e.params + [coerce(e.field, hi)]
            if not parts:
                return Condition(f"({e.sql} IS NOT NULL)", e.params)
            return Condition(f"({' AND '.join(parts)})", params)
        raise FilterError(
            f"filter: T_{op.value} is not supported; use T_BEFORE, T_AFTER, T_EQUALS, "
            "T_DURING, T_INTERSECTS or comparisons of dates"
        )

    @handle(ast.SpatialComparisonPredicate, subclasses=True)
    def spatial_comparison(self, node, lhs, rhs):
        return self.spatial(_SPATIAL_OPS[node.op], (lhs, node.lhs), (rhs, node.rhs))

    @handle(ast.Relate)
    def relate(self, node, lhs, rhs):
        return self.spatial("relate", (lhs, node.lhs), (rhs, node.rhs), pattern=node.pattern)

    @handle(ast.BBox)
    def bbox(self, node, lhs):
        if node.crs and node.crs not in LONLAT_CRS:
            raise FilterError(f"filter: BBOX in CRS {node.crs} is not supported (use CRS84 longitude, latitude)")
        literal = box(node.minx, node.miny, node.maxx, node.maxy)
        return self.spatial("intersects", (lhs, node.lhs), (self.evaluate(literal, False), literal))

    def spatial(self, op: str, lhs, rhs, pattern: str | None = None) -> Condition:
        le, re_ = self.value(*lhs), self.value(*rhs)
        if UNKNOWN in (le.kind, re_.kind):
            return TRUE
        for e in (le, re_):
            if e.kind != GEOMETRY:
                raise FilterError(f"filter: spatial predicates compare geometries; {describe(e)} is not one")
        if le.literal and re_.literal:
            return TRUE if shapely_predicate(op, le.value, re_.value, pattern) else FALSE
        if not le.literal and not re_.literal:
            raise FilterError("filter: a spatial predicate needs one literal geometry")
        if le.literal:  # literal op geometry -> geometry converse(op) literal
            le, re_ = re_, le
            op = _CONVERSE.get(op, op)
            if pattern is not None:
                pattern = transpose(pattern)
        g = re_.value
        wkb = shapely.to_wkb(g)
        if op == "relate":
            if not re.fullmatch(r"[TF*012]{9}", pattern or ""):
                raise FilterError(f"filter: RELATE needs a 9-character DE-9IM pattern, not {pattern!r}")
            exact = f"atlas_relate({le.sql}, ?, ?)"
            params = le.params + [wkb, pattern.upper()]
        else:
            exact = f"atlas_spatial(?, {le.sql}, ?)"
            params = [op] + le.params + [wkb]
        if op in _NEEDS_OVERLAP and self.t.rtree:
            return self._prefiltered(exact, params, shapely.bounds(g).tolist())
        return Condition(f"({exact})", params)

    @handle(ast.SpatialDistancePredicate, subclasses=True)
    def distance(self, node, lhs, rhs):
        le, re_ = self.value(lhs, node.lhs), self.value(rhs, node.rhs)
        if UNKNOWN in (le.kind, re_.kind):
            return TRUE
        if le.literal and not re_.literal:
            le, re_ = re_, le
        if le.kind != GEOMETRY or le.literal or re_.kind != GEOMETRY or not re_.literal:
            raise FilterError("filter: DWITHIN/BEYOND compare the geometry with a literal point")
        point = re_.value
        if point.geom_type != "Point":
            raise FilterError("filter: DWITHIN/BEYOND need a POINT as the reference geometry")
        unit = str(node.units or "meters").strip().lower()
        if unit not in DISTANCE_UNITS:
            raise FilterError(
                f"filter: unknown distance unit {node.units!r} (units: {', '.join(sorted(DISTANCE_UNITS))})"
            )
        metres = float(node.distance) * DISTANCE_UNITS[unit]
        if not math.isfinite(metres) or metres < 0:
            raise FilterError("filter: the distance must be a positive number")
        exact = f"atlas_dwithin({le.sql}, ?, ?)"
        params = le.params + [shapely.to_wkb(point), metres]
        if node.op != ast.SpatialDistanceOp.DWITHIN:
            return Condition(f"(NOT {exact})", params)
        if self.t.rtree:
            return self._prefiltered(exact, params, distance_bounds(point.x, point.y, metres))
        return Condition(f"({exact})", params)

    def _prefiltered(self, exact: str, params: list, bounds) -> Condition:
        """The condition ``exact``, and its variant that reads only the R-tree entries overlapping ``bounds``."""
        minx, miny, maxx, maxy = bounds
        pre = (
            f"{self.t.rowid} IN (SELECT id FROM {quote(self.t.rtree)} "
            "WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)"
        )
        return Condition(f"({exact})", params, (f"({pre} AND {exact})", [maxx, minx, maxy, miny] + params))
