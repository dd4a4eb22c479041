"""Predicates on the properties of a collection, rendered to SQL (GeoPackage, PostGIS) and to CQL2 text.

A search (:class:`coopatlas.criteria.Criteria`) becomes, for one collection, a list of predicates joined
by AND: each says which property, which operator, which values. This module only renders them, so that
the SQL of the statistics, reports and maps and the CQL2 filter given to OGC API Features clients are the
same conditions written twice by machine, never by hand.

=========  ===========================  ==========================  ================================
operator   meaning                      SQL                         CQL2 text
=========  ===========================  ==========================  ================================
``in``     the property is one of       ``col IN (?, ?)``           ``col IN ('a', 'b')``
``is``     the boolean property is      ``col = 1`` (``TRUE``)      ``col = TRUE``
``>=``     at least (an integer)        ``col >= ?``                ``col >= 2005``
``<=``     at most (an integer)         ``col <= ?``                ``col <= 2010``
``like``   matches a LIKE pattern       ``col LIKE ?``              ``col LIKE 'pattern'``
``null``   the property is empty        ``col IS NULL``             ``col IS NULL``
``set``    the property is not empty    ``col IS NOT NULL``         ``col IS NOT NULL``
=========  ===========================  ==========================  ================================

:class:`AnyOf` joins predicates by OR (in parentheses); :data:`NOTHING` selects no row.

Time has one rule, :func:`active_in`, used by the search criteria ``actif_de``/``actif_a`` and by the OGC
``datetime`` parameter of both feature providers: a record lives from its start to its end (the
:class:`~coopatlas.schema.Period` of its collection), both included, at the granularity of the fields
(whole calendar years for years, whole days for dates); an empty end is open-ended (still running); a
record with an empty start lives at no known time and is never selected by a time condition. It is
selected by ``[first, last]`` when the two periods meet: ``start <= last AND (end IS NULL OR end >= first)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from . import schema as sch

OPERATORS = ("in", "is", ">=", "<=", "like", "null", "set")
#: The operators that take no value.
UNARY = ("null", "set")
DIALECTS = ("sqlite", "postgresql")


@dataclass(frozen=True)
class Predicate:
    """``property`` ``operator`` ``values``; ``criterion`` names the search criterion it comes from."""

    criterion: str
    property: str
    operator: str
    values: tuple

    def __post_init__(self):
        if self.operator not in OPERATORS:
            raise ValueError(f"unknown operator {self.operator!r}")
        if self.operator in UNARY:
            if self.values:
                raise ValueError(f"{self.operator} takes no value, not {len(self.values)}")
        elif self.operator != "in" and len(self.values) != 1:
            raise ValueError(f"{self.operator} takes one value, not {len(self.values)}")


@dataclass(frozen=True)
class AnyOf:
    """At least one of ``terms`` (e.g. any of the co-financings asked for)."""

    criterion: str
    terms: tuple[Predicate, ...]


@dataclass(frozen=True)
class Nothing:
    """The condition no row meets (the criteria rule the whole collection out)."""


NOTHING = Nothing()
Condition = Predicate | AnyOf


def to_sql(conditions: Iterable[Condition] | Nothing, dialect: str = "sqlite", alias: str = "") -> tuple[str, list]:
    """``(sql, params)``: the conditions joined by AND, ``?`` (``sqlite``) or ``%s`` (``postgresql``)
    placeholders, columns prefixed with ``alias.``; ``"1=1"`` for none, ``"1=0"`` for :data:`NOTHING`."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown SQL dialect {dialect!r}")
    if isinstance(conditions, Nothing):
        return "1=0", []
    sql = _SqlWriter(dialect, alias)
    parts = [sql.condition(c) for c in conditions]
    return (" AND ".join(parts) or "1=1"), sql.params


def to_cql2(conditions: Iterable[Condition] | Nothing) -> str | None:
    """CQL2 text of the conditions joined by AND; ``None`` for none, ``"1 = 0"`` for :data:`NOTHING`."""
    if isinstance(conditions, Nothing):
        return "1 = 0"
    return " AND ".join(_cql2(c) for c in conditions) or None


def to_expression(conditions: Iterable[Condition], column):
    """The conditions joined by AND as one expression of SQLAlchemy columns (``column(name)`` gives the
    column of a property; the columns' operators ``>=``, ``<=``, ``|``, ``&``, ``is_``, ``in_``, ``like``
    build it); ``None`` for no condition."""
    out = None
    for cond in conditions:
        expr = _expression(cond, column)
        out = expr if out is None else (out & expr)
    return out


def _expression(cond: Condition, column):
    if isinstance(cond, AnyOf):
        terms = [_expression(t, column) for t in cond.terms]
        out = terms[0]
        for term in terms[1:]:
            out = out | term
        return out
    col = column(cond.property)
    if cond.operator == "null":
        return col.is_(None)
    if cond.operator == "set":
        return col.is_not(None)
    if cond.operator == "in":
        return col.in_(list(cond.values))
    value = cond.values[0]
    if cond.operator == "is":
        return col.is_(bool(value))
    if cond.operator == "like":
        return col.like(value)
    return col >= value if cond.operator == ">=" else col <= value


class _SqlWriter:
    def __init__(self, dialect: str, alias: str):
        self.placeholder = "?" if dialect == "sqlite" else "%s"
        self.true, self.false = ("1", "0") if dialect == "sqlite" else ("TRUE", "FALSE")
        self.iso_dates = dialect == "sqlite"  # the GeoPackage stores dates as YYYY-MM-DD text
        self.prefix = f"{alias}." if alias else ""
        self.params: list = []

    def condition(self, cond: Condition) -> str:
        if isinstance(cond, AnyOf):
            return "(" + " OR ".join(self.condition(t) for t in cond.terms) + ")"
        column = self.prefix + cond.property
        if cond.operator == "is":
            return f"{column} = {self.true if cond.values[0] else self.false}"
        if cond.operator in UNARY:
            return f"{column} IS {'NULL' if cond.operator == 'null' else 'NOT NULL'}"
        self.params.extend(v.isoformat() if self.iso_dates and isinstance(v, dt.date) else v for v in cond.values)
        if cond.operator == "in":
            return f"{column} IN ({', '.join([self.placeholder] * len(cond.values))})"
        return f"{column} {cond.operator.upper()} {self.placeholder}"


def _cql2(cond: Condition) -> str:
    if isinstance(cond, AnyOf):
        return "(" + " OR ".join(_cql2(t) for t in cond.terms) + ")"
    if cond.operator == "is":
        return f"{cond.property} = {'TRUE' if cond.values[0] else 'FALSE'}"
    if cond.operator in UNARY:
        return f"{cond.property} IS {'NULL' if cond.operator == 'null' else 'NOT NULL'}"
    literals = ", ".join(_literal(v) for v in cond.values)
    if cond.operator == "in":
        return f"{cond.property} IN ({literals})"
    return f"{cond.property} {cond.operator.upper()} {literals}"


def _literal(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, dt.date):
        return f"DATE('{value.isoformat()}')"
    return "'" + str(value).replace("'", "''") + "'"


def active_in(
    criterion: str, coll: sch.Collection, first: dt.date | None = None, last: dt.date | None = None
) -> list[Condition]:
    """The conditions (joined by AND) selecting the records of ``coll`` that live at some time of the days
    ``first`` to ``last`` (both included; ``None``: open on that side), by the rule of the module
    documentation. The days are written in the unit of the collection's time fields: the year of a day
    for an integer field (a year), the day itself for a date field.

    Raises :class:`ValueError` when the collection has no time (:attr:`~coopatlas.schema.Collection.time`).
    """
    period = coll.time
    if period is None:
        raise ValueError(f"collection {coll.id} has no time property")
    if first is None and last is None:
        raise ValueError("active_in: first or last is needed")
    start, end = period.start, period.end
    out: list[Condition] = []
    if last is not None:
        out.append(Predicate(criterion, start, "<=", (_in_unit(coll, start, last),)))
    if first is not None:
        value = _in_unit(coll, end or start, first)
        if end is None:  # instants: the record's own day or year
            out.append(Predicate(criterion, start, ">=", (value,)))
        else:
            if last is None:  # an empty start is no time: "start <= last" above leaves it out
                out.append(Predicate(criterion, start, "set", ()))
            out.append(
                AnyOf(criterion, (Predicate(criterion, end, "null", ()), Predicate(criterion, end, ">=", (value,))))
            )
    return out


def _in_unit(coll: sch.Collection, name: str, day: dt.date):
    """``day`` in the unit of the time field ``name`` of ``coll``: its year (integer) or the day."""
    kind = coll.field(name).type
    if kind == sch.INTEGER:
        return day.year
    if kind == sch.DATE:
        return day
    raise ValueError(f"{coll.id}.{name}: a time field is an integer (year) or a date, not {kind}")
