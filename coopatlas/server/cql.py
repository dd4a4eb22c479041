"""CQL2 filters translated to parameterised SQLite SQL over the atlas GeoPackage.

The filters are parsed by pygeofilter (:func:`parse`: CQL2 text or CQL2 JSON; pygeoapi parses the
``filter`` parameter itself and hands over the same AST) and :func:`to_sql` turns the AST into one SQL
boolean expression with ``?`` parameters, never with values pasted into the SQL. What it does:

* comparisons ``= <> < <= > >=``, ``[NOT] LIKE`` (``%`` any string, ``_`` one character, ``\\``
  escapes; case-sensitive, as in PostgreSQL), ``[NOT] IN``, ``[NOT] BETWEEN``, ``IS [NOT] NULL``,
  ``AND``/``OR``/``NOT``, ``INCLUDE``/``EXCLUDE``, arithmetic ``+ - * /``, the functions ``CASEI``
  (Unicode lower case) and ``ACCENTI`` (accents removed); literals: text, numbers, booleans,
  ``DATE('YYYY-MM-DD')``, ``TIMESTAMP(...)`` (on a date property only at midnight UTC);
* temporal predicates on date properties, with the semantics of pygeoapi's PostgreSQL provider
  (pygeofilter's SQLAlchemy backend): ``T_BEFORE`` is ``<=``, ``T_AFTER`` is ``>=``, ``T_EQUALS`` is
  ``=``, ``T_DURING`` and ``T_INTERSECTS`` are an inclusive range (open ends ``..`` allowed); the other
  ``T_*`` predicates are refused;
* spatial predicates ``S_INTERSECTS``, ``S_DISJOINT``, ``S_CONTAINS``, ``S_WITHIN``, ``S_TOUCHES``,
  ``S_CROSSES``, ``S_OVERLAPS``, ``S_EQUALS``, ``RELATE`` and ``BBOX(geom, minx, miny, maxx, maxy)``
  between the feature geometry and a literal geometry: exact planar tests on longitude/latitude degrees
  (shapely/GEOS, the same DE-9IM semantics as PostGIS on ``geometry(…, 4326)``), prefiltered by the
  GeoPackage R-tree when the predicate is one of the top-level ``AND`` terms; ``DWITHIN``/``BEYOND``
  (ECQL AST only: pygeofilter's CQL2 parsers have no ``S_DWITHIN``) against a literal point, with the
  distance measured on the WGS 84 ellipsoid (metres, kilometres, feet, miles, nautical miles).

Literal geometries are CRS84 (longitude, latitude) unless they carry another CRS (EWKT ``SRID=…;`` or a
``crs`` member, as pygeoapi sets after applying ``filter-crs``): they are then transformed with pyproj.
Envelopes from CQL2 JSON (``{"bbox": [minx, miny, maxx, maxy]}``) are read in that order: pygeofilter
0.4 stores them in fields named ``x1, x2, y1, y2`` (see :func:`_envelope`); the CQL2 text literal
``BBOX(minx, miny, maxx, maxy)`` is parsed by pygeofilter as a function call and read the same way.

A filter that cannot be honoured raises :class:`FilterError` whose message names the problem (unknown
properties, a value of the wrong type, an unknown code of a code list, an unsupported operator): the
provider turns it into an HTTP 400.

The SQL relies on functions registered on the connection by :func:`register_functions` (``atlas_*``).
"""
from __future__ import annotations

import datetime as dt
import json
import math
import re
import struct
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping

import shapely
from pygeofilter import ast, values

from ..schema import BOOLEAN, DATE, INTEGER, REAL, TEXT

# Kinds of SQL expressions besides the schema types (TEXT, INTEGER, REAL, BOOLEAN, DATE).
GEOMETRY, TIMESTAMP, INTERVAL, UNKNOWN = "GEOMETRY", "TIMESTAMP", "INTERVAL", "UNKNOWN"
NUMERIC = frozenset({INTEGER, REAL})

_KIND_WORDS = {TEXT: "text", INTEGER: "an integer", REAL: "a number", BOOLEAN: "a boolean",
               DATE: "a date", GEOMETRY: "a geometry", TIMESTAMP: "a timestamp", INTERVAL: "an interval"}

#: CRS names (as pygeofilter / pygeoapi put them in geometry literals) read as longitude, latitude.
LONLAT_CRS = frozenset({
    "urn:ogc:def:crs:OGC::CRS84", "urn:ogc:def:crs:OGC:1.3:CRS84", "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    "urn:ogc:def:crs:EPSG::4326", "EPSG:4326", "http://www.opengis.net/def/crs/EPSG/0/4326", "OGC:CRS84",
})

#: Distance units of DWITHIN/BEYOND, in metres.
DISTANCE_UNITS = {
    "meters": 1.0, "metres": 1.0, "m": 1.0, "kilometers": 1000.0, "kilometres": 1000.0, "km": 1000.0,
    "feet": 0.3048, "ft": 0.3048, "statute miles": 1609.344, "miles": 1609.344, "mi": 1609.344,
    "nautical miles": 1852.0, "nm": 1852.0,
}


class FilterError(ValueError):
    """A filter (or filter value) that cannot be honoured; the message is meant for the user (HTTP 400)."""


@dataclass(frozen=True)
class Queryable:
    """A property that filters may use: its name, schema type and, for code lists, the allowed codes."""

    name: str
    type: str
    codes: frozenset[str] | None = None


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


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
    column: Callable[[str], str] = _quote


@dataclass
class Sql:
    """A SQL boolean expression and its parameters."""

    text: str
    params: list = field(default_factory=list)


# --- parsing ----------------------------------------------------------------------------------------

def parse(text_or_json: str | dict, lang: str | None = None):
    """The pygeofilter AST of a CQL2 filter: text (``lang`` ``cql2-text``, the default for a string
    not starting with ``{``) or JSON (``cql2-json``, a string or a dict). :class:`FilterError` if it
    does not parse."""
    from pygeofilter.parsers.cql2_json import parse as parse_json
    from pygeofilter.parsers.cql2_text import parse as parse_text
    if lang not in (None, "cql2-text", "cql2-json", "cql-text", "cql-json"):
        raise FilterError(f"filter-lang: unknown filter language {lang!r} (cql2-text or cql2-json)")
    is_json = isinstance(text_or_json, dict) or (lang in ("cql2-json", "cql-json")) or (
        lang is None and isinstance(text_or_json, str) and text_or_json.lstrip().startswith("{"))
    try:
        if is_json:
            check_temporal_literals(json.loads(text_or_json) if isinstance(text_or_json, str) else text_or_json)
        return parse_json(text_or_json) if is_json else parse_text(text_or_json)
    except FilterError:
        raise
    except Exception as exc:  # lark and the JSON walker raise many kinds of errors
        kind = "CQL2 JSON" if is_json else "CQL2 text"
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FilterError(f"filter: not valid {kind}: {detail}") from None


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_ISO_DURATION = re.compile(r"P(?=.)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?")


def check_temporal_literals(node) -> None:
    """The dates, timestamps and intervals of a CQL2 JSON filter are ISO 8601 (pygeofilter reads any text as
    some date: ``{"interval": ["x"]}`` would be a day of this year); :class:`FilterError` naming the bad one."""
    if isinstance(node, list):
        for item in node:
            check_temporal_literals(item)
        return
    if not isinstance(node, dict):
        return
    if "interval" in node:
        bounds = node["interval"]
        if not (isinstance(bounds, list) and len(bounds) == 2 and all(
                b == ".." or (isinstance(b, str) and (_ISO_DATE.fullmatch(b) or _ISO_TIMESTAMP.fullmatch(b)
                                                      or _ISO_DURATION.fullmatch(b))) for b in bounds)):
            raise FilterError(f"filter: an interval is two ISO 8601 dates, timestamps, durations or '..', "
                              f"not {json.dumps(bounds)[:100]}")
    for key, pattern in (("date", _ISO_DATE), ("timestamp", _ISO_TIMESTAMP)):
        if key in node and not (isinstance(node[key], str) and pattern.fullmatch(node[key])):
            raise FilterError(f"filter: a {key} is ISO 8601 text, not {json.dumps(node[key])[:100]}")
    for value in node.values():
        check_temporal_literals(value)


# --- values -----------------------------------------------------------------------------------------

_TRUE = frozenset({"true", "t", "1", "yes", "y", "on"})
_FALSE = frozenset({"false", "f", "0", "no", "n", "off"})
_INT_RE = re.compile(r"^[+-]?\d+$")


_INT64 = (-(2 ** 63), 2 ** 63 - 1)


def _int64(value: int, where: str) -> int:
    """``value`` if it fits a 64-bit integer (SQLite's and PostgreSQL's largest), else a 400."""
    if not _INT64[0] <= value <= _INT64[1]:
        raise FilterError(f"{where}: the integer {value} is out of range (64-bit)")
    return value


def coerce(q: Queryable, value: Any, where: str = "filter") -> Any:
    """``value`` (a CQL literal or a query-string text) as the SQLite value to compare with ``q``.

    Integers, reals, booleans (stored 0/1) and dates (ISO text) are checked and normalised;
    :class:`FilterError` names ``where`` and the property when the value does not fit. Codes are not
    checked here (see :func:`check_code`).
    """
    t = q.type
    bad = f"{where}: {q.name} is {_KIND_WORDS.get(t, t)}, {value!r} is not"
    if t == TEXT:
        if isinstance(value, str):
            return value
        raise FilterError(bad)
    if t == INTEGER:
        if isinstance(value, bool):
            raise FilterError(bad)
        if isinstance(value, float):
            return value
        if isinstance(value, int):
            return _int64(value, where)
        if isinstance(value, str) and _INT_RE.match(value.strip()):
            return _int64(int(value), where)
        raise FilterError(bad)
    if t == REAL:
        if isinstance(value, bool):
            raise FilterError(bad)
        if isinstance(value, (int, float)):
            return float(value)
        if isinstance(value, str):
            try:
                f = float(value)
            except ValueError:
                raise FilterError(bad) from None
            if math.isfinite(f):
                return f
        raise FilterError(bad)
    if t == BOOLEAN:
        if isinstance(value, bool):
            return int(value)
        if isinstance(value, str):
            v = value.strip().lower()
            if v in _TRUE:
                return 1
            if v in _FALSE:
                return 0
        raise FilterError(bad + " (true or false)")
    if t == DATE:
        if isinstance(value, dt.datetime):
            return _timestamp_as_date(value, q.name, where)
        if isinstance(value, dt.date):
            return value.isoformat()
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value.strip()).isoformat()
            except ValueError:
                raise FilterError(bad + " (YYYY-MM-DD)") from None
        raise FilterError(bad)
    raise FilterError(f"{where}: {q.name} cannot be compared")


def _timestamp_as_date(value: dt.datetime, name: str, where: str) -> str:
    if value.time() == dt.time(0) and (value.utcoffset() in (None, dt.timedelta(0))):
        return value.date().isoformat()
    raise FilterError(f"{where}: {name} is a date; compare it with DATE('YYYY-MM-DD'), not the timestamp "
                      f"{value.isoformat()}")


def check_code(q: Queryable, value: Any, where: str = "filter") -> None:
    """:class:`FilterError` if ``q`` has a code list and ``value`` (text) is not one of its codes."""
    if q.codes is not None and isinstance(value, str) and value not in q.codes:
        raise FilterError(f"{where}: {value!r} is not a code of {q.name} (codes: {', '.join(sorted(q.codes))})")


# --- translation ------------------------------------------------------------------------------------

_NOVALUE = object()


@dataclass
class _Expr:
    sql: str
    params: list
    kind: str
    field: Queryable | None = None  # a bare property
    value: Any = _NOVALUE  # a literal's Python value

    @property
    def literal(self) -> bool:
        return self.value is not _NOVALUE


_COMPARISON_SQL = {
    ast.ComparisonOp.EQ: "=", ast.ComparisonOp.NE: "<>", ast.ComparisonOp.LT: "<",
    ast.ComparisonOp.LE: "<=", ast.ComparisonOp.GT: ">", ast.ComparisonOp.GE: ">=",
}

_SPATIAL_OPS = {
    ast.SpatialComparisonOp.INTERSECTS: "intersects", ast.SpatialComparisonOp.DISJOINT: "disjoint",
    ast.SpatialComparisonOp.CONTAINS: "contains", ast.SpatialComparisonOp.WITHIN: "within",
    ast.SpatialComparisonOp.TOUCHES: "touches", ast.SpatialComparisonOp.CROSSES: "crosses",
    ast.SpatialComparisonOp.OVERLAPS: "overlaps", ast.SpatialComparisonOp.EQUALS: "equals",
}
#: The predicate with its operands swapped.
_CONVERSE = {"contains": "within", "within": "contains"}
#: Predicates that imply that the envelopes intersect (an R-tree prefilter is exact for them).
_NEEDS_OVERLAP = frozenset({"intersects", "contains", "within", "touches", "crosses", "overlaps", "equals"})


def to_sql(node, target: Target) -> Sql:
    """The SQL boolean expression of a pygeofilter AST over ``target`` (see the module documentation)."""
    tr = _Translator(target)
    try:
        text, params = tr.condition(node, top=True)
    except RecursionError:
        raise FilterError("filter: too deeply nested") from None
    if tr.unknown:
        names = sorted(tr.unknown)
        known = sorted(target.queryables)
        if target.geometry:
            known.append("geometry")
        raise FilterError(
            f"filter: unknown propert{'y' if len(names) == 1 else 'ies'} {', '.join(names)} "
            f"(queryables: {', '.join(known)})")
    return Sql(text, params)


class _Translator:
    def __init__(self, target: Target):
        self.t = target
        self.unknown: set[str] = set()

    # -- conditions: (sql, params)
    def condition(self, node, top: bool = False) -> tuple[str, list]:
        if isinstance(node, (ast.And, ast.Or)):
            # a chain of ANDs (or ORs) as one flat list: no nesting for SQLite's parser to overflow on
            kind = type(node)
            operands, stack = [], [node]
            while stack:
                n = stack.pop()
                if type(n) is kind:
                    stack += [n.rhs, n.lhs]
                else:
                    operands.append(n)
            parts, params = [], []
            for n in operands:
                sql, p = self.condition(n, top and kind is ast.And)
                parts.append(sql)
                params += p
            return "(" + (" AND " if kind is ast.And else " OR ").join(parts) + ")", params
        if isinstance(node, ast.Not):
            s, p = self.condition(node.sub_node)
            return f"(NOT {s})", p
        if isinstance(node, ast.Comparison):
            return self.comparison(node)
        if isinstance(node, ast.Between):
            return self.between(node)
        if isinstance(node, ast.Like):
            return self.like(node)
        if isinstance(node, ast.In):
            return self.in_(node)
        if isinstance(node, ast.IsNull):
            e = self.expr(node.lhs)
            if e.literal:
                raise FilterError("filter: IS NULL applies to a property, not to a literal")
            return f"({e.sql} IS {'NOT ' if node.not_ else ''}NULL)", e.params
        if isinstance(node, ast.Include):
            return ("0" if node.not_ else "1"), []
        if isinstance(node, ast.TemporalPredicate):
            return self.temporal(node)
        if isinstance(node, ast.SpatialComparisonPredicate):
            return self.spatial(node, _SPATIAL_OPS[node.op], node.lhs, node.rhs, top)
        if isinstance(node, ast.Relate):
            return self.spatial(node, "relate", node.lhs, node.rhs, top, pattern=node.pattern)
        if isinstance(node, ast.BBox):
            if node.crs and node.crs not in LONLAT_CRS:
                raise FilterError(f"filter: BBOX in CRS {node.crs} is not supported (use CRS84 longitude, latitude)")
            box = _box(node.minx, node.miny, node.maxx, node.maxy)
            return self.spatial(node, "intersects", node.lhs, box, top)
        if isinstance(node, ast.SpatialDistancePredicate):
            return self.distance(node, top)
        if isinstance(node, ast.Exists):
            raise FilterError("filter: EXISTS is not supported")
        if isinstance(node, ast.ArrayPredicate):
            raise FilterError("filter: array predicates (A_*) are not supported: the atlas has no array property")
        if isinstance(node, bool):
            return ("1" if node else "0"), []
        e = self.expr(node)
        if e.kind in (BOOLEAN, UNKNOWN):
            return f"({e.sql})", e.params
        raise FilterError(f"filter: {_describe(e)} is not a condition")

    def comparison(self, node) -> tuple[str, list]:
        op = _COMPARISON_SQL[node.op]
        lhs, rhs = self._pair(self.expr(node.lhs), self.expr(node.rhs), check_codes=op in ("=", "<>"))
        return f"({lhs.sql} {op} {rhs.sql})", lhs.params + rhs.params

    def between(self, node) -> tuple[str, list]:
        e = self.expr(node.lhs)
        lo = self._pair(e, self.expr(node.low))[1]
        hi = self._pair(e, self.expr(node.high))[1]
        s = f"({e.sql} >= {lo.sql} AND {e.sql} <= {hi.sql})"  # as pygeofilter's SQLAlchemy backend
        params = e.params + lo.params + e.params + hi.params
        return (f"(NOT {s})" if node.not_ else s), params

    def in_(self, node) -> tuple[str, list]:
        e = self.expr(node.lhs)
        if not node.sub_nodes:
            raise FilterError("filter: IN needs at least one value")
        items = [self._pair(e, self.expr(v), check_codes=True)[1] for v in node.sub_nodes]
        sql = ", ".join(i.sql for i in items)
        params = e.params + [p for i in items for p in i.params]
        return f"({e.sql} {'NOT ' if node.not_ else ''}IN ({sql}))", params

    def like(self, node) -> tuple[str, list]:
        e = self.expr(node.lhs)
        if e.kind not in (TEXT, UNKNOWN):
            raise FilterError(f"filter: LIKE applies to text; {_describe(e)} is not text")
        pattern = node.pattern
        if isinstance(pattern, dict):  # pygeofilter's CQL2 JSON parser leaves {"op": "casei", ...} as is
            from pygeofilter.parsers.cql2_json.parser import walk_cql_json
            pattern = walk_cql_json(pattern)
        p = self.expr(pattern)
        if not (p.literal and isinstance(p.value, str)):
            raise FilterError("filter: the LIKE pattern must be a text literal")
        glob = like_to_glob(p.value)
        lhs_sql = e.sql
        if node.nocase:
            lhs_sql = f"atlas_lower({e.sql})"
            glob = glob.lower()
        return f"({lhs_sql} {'NOT ' if node.not_ else ''}GLOB ?)", e.params + [glob]

    def temporal(self, node) -> tuple[str, list]:
        e = self.expr(node.lhs)
        if e.kind == UNKNOWN:
            return "1", []
        if e.kind != DATE or e.literal:
            raise FilterError(f"filter: temporal predicates apply to a date property; {_describe(e)} is not one")
        op = node.op
        rhs = node.rhs
        if op in (ast.TemporalComparisonOp.BEFORE, ast.TemporalComparisonOp.AFTER,
                  ast.TemporalComparisonOp.TEQUALS):
            if isinstance(rhs, values.Interval):
                raise FilterError(f"filter: T_{op.value} needs a date, not an interval")
            v = coerce(e.field, rhs)
            sql_op = {"BEFORE": "<=", "AFTER": ">=", "TEQUALS": "="}[op.value]
            return f"({e.sql} {sql_op} ?)", e.params + [v]
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
                return f"({e.sql} IS NOT NULL)", e.params
            return f"({' AND '.join(parts)})", params
        raise FilterError(f"filter: T_{op.value} is not supported; use T_BEFORE, T_AFTER, T_EQUALS, "
                          "T_DURING, T_INTERSECTS or comparisons of dates")

    def spatial(self, node, op: str, lhs, rhs, top: bool, pattern: str | None = None) -> tuple[str, list]:
        le, re_ = self.expr(lhs), self.expr(rhs)
        if UNKNOWN in (le.kind, re_.kind):
            return "1", []
        for e in (le, re_):
            if e.kind != GEOMETRY:
                raise FilterError(f"filter: spatial predicates compare geometries; {_describe(e)} is not one")
        if le.literal and re_.literal:
            return ("1" if _shapely_predicate(op, le.value, re_.value, pattern) else "0"), []
        if not le.literal and not re_.literal:
            raise FilterError("filter: a spatial predicate needs one literal geometry")
        if le.literal:  # literal op geometry -> geometry converse(op) literal
            le, re_ = re_, le
            op = _CONVERSE.get(op, op)
            if pattern is not None:
                pattern = _transpose(pattern)
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
        if top and op in _NEEDS_OVERLAP and self.t.rtree:
            pre, pre_params = self._rtree(shapely.bounds(g).tolist())
            return f"({pre} AND {exact})", pre_params + params
        return f"({exact})", params

    def distance(self, node, top: bool) -> tuple[str, list]:
        le, re_ = self.expr(node.lhs), self.expr(node.rhs)
        if UNKNOWN in (le.kind, re_.kind):
            return "1", []
        if le.literal and not re_.literal:
            le, re_ = re_, le
        if le.kind != GEOMETRY or le.literal or re_.kind != GEOMETRY or not re_.literal:
            raise FilterError("filter: DWITHIN/BEYOND compare the geometry with a literal point")
        point = re_.value
        if point.geom_type != "Point":
            raise FilterError("filter: DWITHIN/BEYOND need a POINT as the reference geometry")
        unit = str(node.units or "meters").strip().lower()
        if unit not in DISTANCE_UNITS:
            raise FilterError(f"filter: unknown distance unit {node.units!r} "
                              f"(units: {', '.join(sorted(DISTANCE_UNITS))})")
        metres = float(node.distance) * DISTANCE_UNITS[unit]
        if not math.isfinite(metres) or metres < 0:
            raise FilterError("filter: the distance must be a positive number")
        exact = f"atlas_dwithin({le.sql}, ?, ?)"
        params = le.params + [shapely.to_wkb(point), metres]
        within = node.op == ast.SpatialDistanceOp.DWITHIN
        if not within:
            return f"(NOT {exact})", params
        if top and self.t.rtree:
            pre, pre_params = self._rtree(distance_bounds(point.x, point.y, metres))
            return f"({pre} AND {exact})", pre_params + params
        return f"({exact})", params

    def _rtree(self, bounds) -> tuple[str, list]:
        minx, miny, maxx, maxy = bounds
        return (f"{self.t.rowid} IN (SELECT id FROM {_quote(self.t.rtree)} "
                "WHERE minx <= ? AND maxx >= ? AND miny <= ? AND maxy >= ?)"), [maxx, minx, maxy, miny]

    # -- expressions
    def expr(self, node) -> _Expr:
        if isinstance(node, ast.Attribute):
            name = node.name
            if name in self.t.queryables:
                q = self.t.queryables[name]
                return _Expr(self.t.column(name), [], q.type, field=q)
            if name in self.t.geometry_names and self.t.geometry:
                return _Expr(self.t.geometry, [], GEOMETRY)
            self.unknown.add(name)
            return _Expr("NULL", [], UNKNOWN)
        if isinstance(node, bool):
            return _Expr("?", [int(node)], BOOLEAN, value=node)
        if isinstance(node, int):
            return _Expr("?", [_int64(node, "filter")], INTEGER, value=node)
        if isinstance(node, float):
            if not math.isfinite(node):
                raise FilterError(f"filter: {node} is not a number")
            return _Expr("?", [node], REAL, value=node)
        if isinstance(node, str):
            return _Expr("?", [node], TEXT, value=node)
        if isinstance(node, dt.datetime):
            return _Expr("?", [node.isoformat()], TIMESTAMP, value=node)
        if isinstance(node, dt.date):
            return _Expr("?", [node.isoformat()], DATE, value=node)
        if isinstance(node, (values.Geometry, values.Envelope)):
            return _Expr("NULL", [], GEOMETRY, value=_geometry_literal(node))
        if isinstance(node, shapely.Geometry):
            return _Expr("NULL", [], GEOMETRY, value=node)
        if isinstance(node, values.Interval):
            raise FilterError("filter: an INTERVAL is only allowed in a temporal predicate")
        if isinstance(node, ast.Function):
            return self.function(node)
        if isinstance(node, ast.Arithmetic):
            return self.arithmetic(node)
        if isinstance(node, list):
            raise FilterError("filter: arrays are not supported")
        raise FilterError(f"filter: unsupported expression {node!r}")

    def function(self, node) -> _Expr:
        name = node.name.lower()
        args = node.arguments
        if name == "bbox":
            if len(args) not in (4, 6) or not all(isinstance(a, (int, float)) and not isinstance(a, bool)
                                                   for a in args):
                raise FilterError("filter: BBOX needs 4 numbers (minx, miny, maxx, maxy)")
            coords = args if len(args) == 4 else (args[0], args[1], args[3], args[4])
            return _Expr("NULL", [], GEOMETRY, value=_box(*coords))
        if name in ("lower", "casei", "accenti"):
            if len(args) != 1:
                raise FilterError(f"filter: {name.upper()} takes one argument")
            e = self.expr(args[0])
            if e.kind not in (TEXT, UNKNOWN):
                raise FilterError(f"filter: {'CASEI' if name != 'accenti' else 'ACCENTI'} applies to text; "
                                  f"{_describe(e)} is not text")
            fn = unaccent if name == "accenti" else lower
            sqlfn = "atlas_unaccent" if name == "accenti" else "atlas_lower"
            if e.literal:
                v = fn(e.value)
                return _Expr("?", [v], TEXT, value=v)
            return _Expr(f"{sqlfn}({e.sql})", e.params, e.kind)
        raise FilterError(f"filter: unknown function {node.name!r} (functions: CASEI, ACCENTI)")

    def arithmetic(self, node) -> _Expr:
        lhs, rhs = self.expr(node.lhs), self.expr(node.rhs)
        for e in (lhs, rhs):
            if e.kind not in NUMERIC and e.kind != UNKNOWN:
                raise FilterError(f"filter: arithmetic needs numbers; {_describe(e)} is not a number")
        kind = INTEGER if lhs.kind == rhs.kind == INTEGER else REAL
        return _Expr(f"({lhs.sql} {node.op.value} {rhs.sql})", lhs.params + rhs.params, kind)

    def _pair(self, a: _Expr, b: _Expr, check_codes: bool = False) -> tuple[_Expr, _Expr]:
        """The two sides of a comparison, a literal converted to the type of the other side."""
        if UNKNOWN in (a.kind, b.kind):
            return a, b
        swapped = False
        if a.literal and not b.literal:
            a, b, swapped = b, a, True
        if b.literal and not a.literal:
            q = a.field or Queryable(_describe(a), a.kind)
            if a.kind in (GEOMETRY, INTERVAL) or b.kind in (GEOMETRY, INTERVAL):
                raise FilterError(f"filter: cannot compare {_describe(a)} with {_describe(b)}")
            if a.kind in NUMERIC and b.kind == TEXT:  # '2010' compared with a number: PostgreSQL casts it
                v = coerce(Queryable(q.name, REAL if a.kind == REAL else INTEGER), b.value)
            elif a.kind == TEXT and b.kind != TEXT:
                raise FilterError(f"filter: {q.name} is text, {b.value!r} is not")
            else:
                v = coerce(Queryable(q.name, a.kind), b.value)
            if check_codes and a.field is not None:
                check_code(a.field, v)
            b = _Expr("?", [v], a.kind, value=v)
        elif not _compatible(a.kind, b.kind):
            raise FilterError(f"filter: cannot compare {_describe(a)} with {_describe(b)}")
        return (b, a) if swapped else (a, b)


def _compatible(a: str, b: str) -> bool:
    if GEOMETRY in (a, b) or INTERVAL in (a, b):
        return False
    return a == b or (a in NUMERIC and b in NUMERIC) or {a, b} == {DATE, TIMESTAMP}


def _describe(e: _Expr) -> str:
    if e.field is not None:
        return f"{e.field.name} ({_KIND_WORDS.get(e.kind, e.kind)})"
    if e.literal:
        return repr(e.value) if e.kind != GEOMETRY else f"{e.value.geom_type} literal"
    return f"an expression ({_KIND_WORDS.get(e.kind, e.kind)})"


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


def lower(text: str | None) -> str | None:
    """Unicode lower case (CQL2 ``CASEI``)."""
    return text.lower() if isinstance(text, str) else text


def unaccent(text: str | None) -> str | None:
    """``text`` without its accents, case kept (CQL2 ``ACCENTI``)."""
    if not isinstance(text, str):
        return text
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def _transpose(pattern: str) -> str:
    """The DE-9IM pattern of ``relate(b, a)`` from the one of ``relate(a, b)``."""
    p = pattern
    return p[0] + p[3] + p[6] + p[1] + p[4] + p[7] + p[2] + p[5] + p[8] if len(p) == 9 else p


def _box(minx, miny, maxx, maxy):
    vals = [minx, miny, maxx, maxy]
    if not all(isinstance(v, (int, float)) and math.isfinite(v) for v in vals):
        raise FilterError("filter: a bounding box needs 4 finite numbers")
    if minx > maxx or miny > maxy:
        raise FilterError(f"filter: bounding box {vals} has min > max (a box crossing the antimeridian must be "
                          "written as two boxes joined by OR)")
    return shapely.box(minx, miny, maxx, maxy)


def _envelope(env: values.Envelope):
    """A pygeofilter envelope as a shapely box.

    pygeofilter 0.4's CQL2 JSON parser builds ``Envelope(*bbox)`` from ``{"bbox": [minx, miny, maxx,
    maxy]}`` although the fields are named ``x1, x2, y1, y2``: the values are read in bbox order.
    """
    return _box(env.x1, env.x2, env.y1, env.y2)


def _geometry_literal(node):
    if isinstance(node, values.Envelope):
        return _envelope(node)
    geojson = dict(node.geometry)
    crs = (geojson.pop("crs", None) or {}).get("properties", {}).get("name")
    try:
        geom = shapely.geometry.shape(geojson)
    except Exception as exc:
        raise FilterError(f"filter: invalid geometry literal: {exc}") from None
    if geom.is_empty:
        raise FilterError("filter: empty geometry literal")
    if crs and crs not in LONLAT_CRS:
        geom = _to_crs84(geom, crs)
    if not geom.is_valid:
        raise FilterError(f"filter: invalid geometry literal ({shapely.is_valid_reason(geom)})")
    return geom


def _to_crs84(geom, crs: str):
    import pyproj
    try:
        src = pyproj.CRS.from_user_input(crs)
    except pyproj.exceptions.CRSError:
        raise FilterError(f"filter: unknown CRS {crs!r} in a geometry literal") from None
    tr = pyproj.Transformer.from_crs(src, "OGC:CRS84", always_xy=True)
    return shapely.transform(geom, lambda xy: _stack(tr.transform(xy[:, 0], xy[:, 1])))


def _stack(xy):
    import numpy as np
    return np.column_stack(xy)


def _shapely_predicate(op: str, a, b, pattern: str | None = None) -> bool:
    if op == "relate":
        return bool(shapely.relate_pattern(a, b, pattern))
    return bool(getattr(shapely, op)(a, b))


# --- GeoPackage geometry blobs and the SQL functions ------------------------------------------------

_ENVELOPE_BYTES = (0, 32, 48, 48, 64)


def wkb_offset(blob: bytes) -> int:
    """Where the WKB starts in a GeoPackage geometry blob (after the header and its envelope)."""
    env = (blob[3] >> 1) & 0b111
    if env > 4 or blob[:2] != b"GP":
        raise ValueError("not a GeoPackage geometry blob")
    return 8 + _ENVELOPE_BYTES[env]


def point_xy(blob: bytes) -> tuple[float, float] | None:
    """(x, y) of a non-empty 2D point blob; ``None`` for any other geometry."""
    if blob[3] & 0b10000:
        return None
    off = wkb_offset(blob)
    little = blob[off] == 1
    if struct.unpack_from("<I" if little else ">I", blob, off + 1)[0] != 1:
        return None
    return struct.unpack_from("<dd" if little else ">dd", blob, off + 5)


def to_shapely(blob: bytes | None):
    """The shapely geometry of a GeoPackage blob (``None`` for NULL)."""
    if blob is None:
        return None
    return shapely.from_wkb(blob[wkb_offset(blob):])


def distance_bounds(lon: float, lat: float, metres: float) -> tuple[float, float, float, float]:
    """A CRS84 box containing every point within ``metres`` (on WGS 84) of (``lon``, ``lat``)."""
    dlat = metres / 110_574.0 * 1.01 + 1e-9
    miny, maxy = max(-90.0, lat - dlat), min(90.0, lat + dlat)
    far = max(abs(miny), abs(maxy))
    if far >= 89.9:
        return -180.0, miny, 180.0, maxy
    dlon = metres / (111_320.0 * math.cos(math.radians(far))) * 1.01 + 1e-9
    if dlon >= 180 or lon - dlon < -180 or lon + dlon > 180:
        return -180.0, miny, 180.0, maxy
    return lon - dlon, miny, lon + dlon, maxy


_LIT_FIRST = {  # predicate(feature, literal) computed as predicate'(literal, feature) (prepared literal)
    "intersects": shapely.intersects, "disjoint": shapely.disjoint, "touches": shapely.touches,
    "crosses": shapely.crosses, "overlaps": shapely.overlaps, "equals": shapely.equals,
    "within": shapely.contains, "contains": shapely.within,
}


def register_functions(con) -> None:
    """Register on a sqlite3 connection the ``atlas_*`` SQL functions that the generated SQL uses.

    * ``atlas_lower(text)``, ``atlas_unaccent(text)``: CQL2 ``CASEI`` / ``ACCENTI``;
    * ``atlas_spatial(op, geom, wkb)``: 1 if ``op(geom, literal)`` holds (planar, CRS84), 0 if not, NULL
      for a NULL geometry;
    * ``atlas_relate(geom, wkb, pattern)``: DE-9IM pattern test;
    * ``atlas_box(geom, minx, miny, maxx, maxy)``: the geometry intersects the box (bbox parameter);
    * ``atlas_dwithin(geom, wkb_point, metres)``: within ``metres`` of the point on the WGS 84 ellipsoid.

    Literal geometries are parsed and prepared once per connection (a small cache keyed by their WKB),
    so a connection must stay in one thread (sqlite3's default).
    """
    cache: dict = {}

    def literal(key, make):
        g = cache.get(key)
        if g is None:
            if len(cache) > 32:
                cache.clear()
            g = make()
            cache[key] = g
        return g

    def prepared(wkb):
        def make():
            g = shapely.from_wkb(wkb)
            shapely.prepare(g)
            return g
        return literal(wkb, make)

    def spatial(op, blob, wkb):
        if blob is None:
            return None
        lit = prepared(wkb)
        if op in ("intersects", "within"):
            xy = point_xy(blob)
            if xy is not None:
                fn = shapely.intersects_xy if op == "intersects" else shapely.contains_xy
                return int(fn(lit, xy[0], xy[1]))
        return int(_LIT_FIRST[op](lit, to_shapely(blob)))

    def relate(blob, wkb, pattern):
        if blob is None:
            return None
        return int(shapely.relate_pattern(to_shapely(blob), prepared(wkb), pattern))

    def box(blob, minx, miny, maxx, maxy):
        if blob is None:
            return None
        if blob[3] & 0b10000:
            return 0
        env = (blob[3] >> 1) & 0b111
        if env:
            fmt = "<4d" if blob[3] & 1 else ">4d"
            gminx, gmaxx, gminy, gmaxy = struct.unpack_from(fmt, blob, 8)
        else:
            xy = point_xy(blob)
            if xy is None:
                gminx, gminy, gmaxx, gmaxy = shapely.bounds(to_shapely(blob)).tolist()
            else:
                gminx = gmaxx = xy[0]
                gminy = gmaxy = xy[1]
        if gminx > maxx or gmaxx < minx or gminy > maxy or gmaxy < miny:
            return 0
        if gminx >= minx and gmaxx <= maxx and gminy >= miny and gmaxy <= maxy:
            return 1
        b = literal(("box", minx, miny, maxx, maxy), lambda: _prepared_box(minx, miny, maxx, maxy))
        return int(shapely.intersects(b, to_shapely(blob)))

    def dwithin(blob, wkb, metres):
        if blob is None:
            return None
        centre = literal(("dwithin", wkb), lambda: _DistanceFrom(shapely.from_wkb(wkb)))
        return int(centre.distance(blob) <= metres)

    con.create_function("atlas_lower", 1, lower, deterministic=True)
    con.create_function("atlas_unaccent", 1, unaccent, deterministic=True)
    con.create_function("atlas_spatial", 3, spatial, deterministic=True)
    con.create_function("atlas_relate", 3, relate, deterministic=True)
    con.create_function("atlas_box", 5, box, deterministic=True)
    con.create_function("atlas_dwithin", 3, dwithin, deterministic=True)


def _prepared_box(minx, miny, maxx, maxy):
    g = shapely.box(minx, miny, maxx, maxy)
    shapely.prepare(g)
    return g


class _DistanceFrom:
    """Ellipsoidal (WGS 84) distances in metres from one point.

    To a point: the geodesic (pyproj ``Geod.inv``). To another geometry: the planar distance in the
    azimuthal equidistant projection centred on the point (true distances from the centre), after
    densifying the geometry to 0.1° segments so that its edges follow the geodesics closely.
    """

    def __init__(self, point):
        import pyproj
        self.lon, self.lat = point.x, point.y
        self.geod = pyproj.Geod(ellps="WGS84")
        self._aeqd = None

    def distance(self, blob) -> float:
        xy = point_xy(blob)
        if xy is not None:
            return self.geod.inv(self.lon, self.lat, xy[0], xy[1])[2]
        geom = to_shapely(blob)
        if geom.is_empty:
            return math.inf
        if self._aeqd is None:
            import pyproj
            self._aeqd = pyproj.Transformer.from_crs(
                "OGC:CRS84", f"+proj=aeqd +lat_0={self.lat} +lon_0={self.lon} +datum=WGS84 +units=m",
                always_xy=True)
        dense = shapely.segmentize(geom, 0.1)
        projected = shapely.transform(dense, lambda xy: _stack(self._aeqd.transform(xy[:, 0], xy[:, 1])))
        return shapely.distance(shapely.Point(0, 0), projected)
