"""The CQL2 → SQLite translator: a pygeofilter :class:`~pygeofilter.backends.evaluator.Evaluator`.

Like pygeofilter's own backends (SQLAlchemy, Django), :class:`SQLiteEvaluator` has one ``@handle`` method
per kind of node; pygeofilter evaluates the children of a node first and hands their results to the
handler. Expressions evaluate to :class:`Expr` (SQL, parameters, kind, the property or the literal value),
conditions to :class:`Condition`. A spatial predicate carries the variant prefiltered by the R-tree, used
when it is one of the top-level ``AND`` terms (an ``OR`` or a ``NOT`` drops it). Chains of ``AND`` (or
``OR``) are evaluated as one flat list: no nesting for SQLite's parser (nor Python's stack) to overflow on.
The spatial and temporal predicates are in :mod:`coopatlas.server.cql.predicates`.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import shapely
from pygeofilter import ast, values
from pygeofilter.backends.evaluator import Evaluator, handle

from ...schema import BOOLEAN, DATE, INTEGER, REAL, TEXT
from ...store.geopackage import quote
from .coercion import (
    GEOMETRY,
    INTERVAL,
    KIND_WORDS,
    NUMERIC,
    TIMESTAMP,
    UNKNOWN,
    FilterError,
    Queryable,
    check_code,
    coerce,
    int64,
)
from .geometry import box, geometry_literal
from .sqlite_functions import lower, unaccent


@dataclass(frozen=True)
class Target:
    """What a filter is translated against.

    ``geometry`` is the SQL of the geometry column (GeoPackage blobs, CRS84) or ``None`` without
    geometry; ``geometry_names`` the attribute names that denote it in filters; ``rtree`` the
    GeoPackage R-tree of the geometries (``None``: no prefilter) whose ``id`` is ``rowid`` (SQL);
    ``column`` gives the SQL of a property column.
    """

    queryables: Mapping[str, Queryable]
    geometry: str | None = None
    geometry_names: frozenset[str] = frozenset({"geometry", "geom"})
    rtree: str | None = None
    rowid: str = '"fid"'
    column: Callable[[str], str] = quote


@dataclass
class Sql:
    """A SQL boolean expression and its parameters."""

    text: str
    params: list = field(default_factory=list)


_NOVALUE = object()


@dataclass
class Expr:
    """A SQL expression: its text, parameters and kind; the property it is, or the literal's Python value."""

    sql: str
    params: list
    kind: str
    field: Queryable | None = None  # a bare property
    value: Any = _NOVALUE  # a literal's Python value

    @property
    def literal(self) -> bool:
        return self.value is not _NOVALUE


@dataclass
class Condition:
    """A SQL boolean expression, and its variant prefiltered by the R-tree (for a top-level ``AND`` term)."""

    sql: str
    params: list
    prefiltered: tuple[str, list] | None = None

    def top(self) -> tuple[str, list]:
        return self.prefiltered or (self.sql, self.params)


TRUE, FALSE = Condition("1", []), Condition("0", [])

_COMPARISON_SQL = {
    ast.ComparisonOp.EQ: "=",
    ast.ComparisonOp.NE: "<>",
    ast.ComparisonOp.LT: "<",
    ast.ComparisonOp.LE: "<=",
    ast.ComparisonOp.GT: ">",
    ast.ComparisonOp.GE: ">=",
}


class ExpressionEvaluator(Evaluator):
    """Conditions and expressions of CQL2 on SQLite, but the spatial and temporal predicates."""

    def __init__(self, target: Target):
        self.t = target
        self.unknown: set[str] = set()

    def evaluate(self, node, adopt_result: bool = True):
        if isinstance(node, (ast.And, ast.Or)):
            # a chain of ANDs (or ORs) as one flat list of operands
            kind = type(node)
            operands, stack = [], [node]
            while stack:
                n = stack.pop()
                if type(n) is kind:
                    stack += [n.rhs, n.lhs]
                else:
                    operands.append(n)
            return self.combination(kind, [(self.evaluate(n, False), n) for n in operands])
        if isinstance(node, values.Interval):  # its ends (dates, durations, open) are read by the predicate
            return self.interval(node)
        return super().evaluate(node, adopt_result)

    def adopt(self, node, *sub_args):
        if isinstance(node, shapely.Geometry):
            return Expr("NULL", [], GEOMETRY, value=node)
        if isinstance(node, list):
            raise FilterError("filter: arrays are not supported")
        raise FilterError(f"filter: unsupported expression {node!r}")

    # -- conditions
    def condition(self, result, node) -> Condition:
        """``result`` (of ``node``) as a condition: a boolean expression, or :class:`FilterError`."""
        if isinstance(result, Condition):
            return result
        e = self.value(result, node)
        if e.literal and isinstance(e.value, bool):
            return TRUE if e.value else FALSE
        if e.kind in (BOOLEAN, UNKNOWN):
            return Condition(f"({e.sql})", e.params)
        raise FilterError(f"filter: {describe(e)} is not a condition")

    def value(self, result, node) -> Expr:
        """``result`` (of ``node``) as a value: an expression that is no condition nor an interval."""
        if isinstance(result, Condition):
            raise FilterError(f"filter: unsupported expression {node!r}")
        if result.kind == INTERVAL:
            raise FilterError("filter: an INTERVAL is only allowed in a temporal predicate")
        return result

    def combination(self, kind, operands) -> Condition:
        joiner = " AND " if kind is ast.And else " OR "
        conditions = [self.condition(result, n) for result, n in operands]
        sql = "(" + joiner.join(c.sql for c in conditions) + ")"
        params = [p for c in conditions for p in c.params]
        if kind is ast.Or or not any(c.prefiltered for c in conditions):
            return Condition(sql, params)
        tops = [c.top() for c in conditions]
        return Condition(sql, params, ("(" + joiner.join(t[0] for t in tops) + ")", [p for t in tops for p in t[1]]))

    @handle(ast.Not)
    def not_(self, node, sub):
        c = self.condition(sub, node.sub_node)
        return Condition(f"(NOT {c.sql})", c.params)

    @handle(ast.Include)
    def include(self, node):
        return FALSE if node.not_ else TRUE

    @handle(ast.Exists)
    def exists(self, node, lhs):
        raise FilterError("filter: EXISTS is not supported")

    @handle(ast.ArrayPredicate, subclasses=True)
    def array(self, node, lhs, rhs):
        raise FilterError("filter: array predicates (A_*) are not supported: the atlas has no array property")

    @handle(ast.Comparison, subclasses=True)
    def comparison(self, node, lhs, rhs):
        op = _COMPARISON_SQL[node.op]
        lhs, rhs = self.pair(self.value(lhs, node.lhs), self.value(rhs, node.rhs), check_codes=op in ("=", "<>"))
        return Condition(f"({lhs.sql} {op} {rhs.sql})", lhs.params + rhs.params)

    @handle(ast.Between)
    def between(self, node, lhs, low, high):
        e = self.value(lhs, node.lhs)
        lo = self.pair(e, self.value(low, node.low))[1]
        hi = self.pair(e, self.value(high, node.high))[1]
        s = f"({e.sql} >= {lo.sql} AND {e.sql} <= {hi.sql})"  # as pygeofilter's SQLAlchemy backend
        params = e.params + lo.params + e.params + hi.params
        return Condition(f"(NOT {s})" if node.not_ else s, params)

    @handle(ast.In)
    def in_(self, node, lhs, *items):
        e = self.value(lhs, node.lhs)
        if not node.sub_nodes:
            raise FilterError("filter: IN needs at least one value")
        items = [self.pair(e, self.value(v, n), check_codes=True)[1] for v, n in zip(items, node.sub_nodes)]
        sql = ", ".join(i.sql for i in items)
        params = e.params + [p for i in items for p in i.params]
        return Condition(f"({e.sql} {'NOT ' if node.not_ else ''}IN ({sql}))", params)

    @handle(ast.Like)
    def like(self, node, lhs):
        e = self.value(lhs, node.lhs)
        if e.kind not in (TEXT, UNKNOWN):
            raise FilterError(f"filter: LIKE applies to text; {describe(e)} is not text")
        pattern = node.pattern
        if isinstance(pattern, dict):  # pygeofilter's CQL2 JSON parser leaves {"op": "casei", ...} as is
            from pygeofilter.parsers.cql2_json.parser import walk_cql_json

            pattern = walk_cql_json(pattern)
        p = self.value(self.evaluate(pattern, False), pattern)
        if not (p.literal and isinstance(p.value, str)):
            raise FilterError("filter: the LIKE pattern must be a text literal")
        glob = like_to_glob(p.value)
        lhs_sql = e.sql
        if node.nocase:
            lhs_sql = f"atlas_lower({e.sql})"
            glob = glob.lower()
        return Condition(f"({lhs_sql} {'NOT ' if node.not_ else ''}GLOB ?)", e.params + [glob])

    @handle(ast.IsNull)
    def is_null(self, node, lhs):
        e = self.value(lhs, node.lhs)
        if e.literal:
            raise FilterError("filter: IS NULL applies to a property, not to a literal")
        return Condition(f"({e.sql} IS {'NOT ' if node.not_ else ''}NULL)", e.params)

    # -- expressions
    @handle(ast.Attribute)
    def attribute(self, node):
        name = node.name
        if name in self.t.queryables:
            q = self.t.queryables[name]
            return Expr(self.t.column(name), [], q.type, field=q)
        if name in self.t.geometry_names and self.t.geometry:
            return Expr(self.t.geometry, [], GEOMETRY)
        self.unknown.add(name)
        return Expr("NULL", [], UNKNOWN)

    @handle(ast.Function)
    def function(self, node, *arguments):
        name = node.name.lower()
        args = node.arguments
        if name == "bbox":
            if len(args) not in (4, 6) or not all(
                isinstance(a, (int, float)) and not isinstance(a, bool) for a in args
            ):
                raise FilterError("filter: BBOX needs 4 numbers (minx, miny, maxx, maxy)")
            coords = args if len(args) == 4 else (args[0], args[1], args[3], args[4])
            return Expr("NULL", [], GEOMETRY, value=box(*coords))
        if name in ("lower", "casei", "accenti"):
            if len(args) != 1:
                raise FilterError(f"filter: {name.upper()} takes one argument")
            e = self.value(arguments[0], args[0])
            if e.kind not in (TEXT, UNKNOWN):
                raise FilterError(
                    f"filter: {'CASEI' if name != 'accenti' else 'ACCENTI'} applies to text; {describe(e)} is not text"
                )
            fn = unaccent if name == "accenti" else lower
            sqlfn = "atlas_unaccent" if name == "accenti" else "atlas_lower"
            if e.literal:
                v = fn(e.value)
                return Expr("?", [v], TEXT, value=v)
            return Expr(f"{sqlfn}({e.sql})", e.params, e.kind)
        raise FilterError(f"filter: unknown function {node.name!r} (functions: CASEI, ACCENTI)")

    @handle(ast.Arithmetic, subclasses=True)
    def arithmetic(self, node, lhs, rhs):
        lhs, rhs = self.value(lhs, node.lhs), self.value(rhs, node.rhs)
        for e in (lhs, rhs):
            if e.kind not in NUMERIC and e.kind != UNKNOWN:
                raise FilterError(f"filter: arithmetic needs numbers; {describe(e)} is not a number")
        kind = INTEGER if lhs.kind == rhs.kind == INTEGER else REAL
        return Expr(f"({lhs.sql} {node.op.value} {rhs.sql})", lhs.params + rhs.params, kind)

    # -- literals
    @handle(bool)
    def boolean(self, node):
        return Expr("?", [int(node)], BOOLEAN, value=node)

    @handle(int)
    def integer(self, node):
        return Expr("?", [int64(node, "filter")], INTEGER, value=node)

    @handle(float)
    def real(self, node):
        if not math.isfinite(node):
            raise FilterError(f"filter: {node} is not a number")
        return Expr("?", [node], REAL, value=node)

    @handle(str)
    def text(self, node):
        return Expr("?", [node], TEXT, value=node)

    @handle(dt.datetime)
    def timestamp(self, node):
        return Expr("?", [node.isoformat()], TIMESTAMP, value=node)

    @handle(dt.date)
    def date(self, node):
        return Expr("?", [node.isoformat()], DATE, value=node)

    @handle(values.Geometry, values.Envelope)
    def geometry(self, node):
        return Expr("NULL", [], GEOMETRY, value=geometry_literal(node))

    def interval(self, node):
        return Expr("NULL", [], INTERVAL, value=node)  # refused by value() outside temporal predicates

    def pair(self, a: Expr, b: Expr, check_codes: bool = False) -> tuple[Expr, Expr]:
        """The two sides of a comparison, a literal converted to the type of the other side."""
        if UNKNOWN in (a.kind, b.kind):
            return a, b
        swapped = False
        if a.literal and not b.literal:
            a, b, swapped = b, a, True
        if b.literal and not a.literal:
            q = a.field or Queryable(describe(a), a.kind)
            if a.kind in (GEOMETRY, INTERVAL) or b.kind in (GEOMETRY, INTERVAL):
                raise FilterError(f"filter: cannot compare {describe(a)} with {describe(b)}")
            if a.kind in NUMERIC and b.kind == TEXT:  # '2010' compared with a number: PostgreSQL casts it
                v = coerce(Queryable(q.name, REAL if a.kind == REAL else INTEGER), b.value)
            elif a.kind == TEXT and b.kind != TEXT:
                raise FilterError(f"filter: {q.name} is text, {b.value!r} is not")
            else:
                v = coerce(Queryable(q.name, a.kind), b.value)
            if check_codes and a.field is not None:
                check_code(a.field, v)
            b = Expr("?", [v], a.kind, value=v)
        elif not _compatible(a.kind, b.kind):
            raise FilterError(f"filter: cannot compare {describe(a)} with {describe(b)}")
        return (b, a) if swapped else (a, b)


def _compatible(a: str, b: str) -> bool:
    if GEOMETRY in (a, b) or INTERVAL in (a, b):
        return False
    return a == b or (a in NUMERIC and b in NUMERIC) or {a, b} == {DATE, TIMESTAMP}


def describe(e: Expr) -> str:
    """How a message names an expression: the property and its kind, or the literal."""
    if e.field is not None:
        return f"{e.field.name} ({KIND_WORDS.get(e.kind, e.kind)})"
    if e.literal:
        return repr(e.value) if e.kind != GEOMETRY else f"{e.value.geom_type} literal"
    return f"an expression ({KIND_WORDS.get(e.kind, e.kind)})"


def like_to_glob(pattern: str) -> str:
    """A SQL LIKE pattern (``%``, ``_``, backslash escapes) as the equivalent, case-sensitive GLOB."""
    out = []
    i, n = 0, len(pattern)
    while i < n:
        c = pattern[i]
        if c == "\\":
            if i + 1 == n:
                raise FilterError("filter: a LIKE pattern must not end with the escape character \\")
            i += 1
            out.append(_glob_literal(pattern[i]))
        elif c == "%":
            out.append("*")
        elif c == "_":
            out.append("?")
        else:
            out.append(_glob_literal(c))
        i += 1
    return "".join(out)


def _glob_literal(c: str) -> str:
    return f"[{c}]" if c in "*?[" else c
