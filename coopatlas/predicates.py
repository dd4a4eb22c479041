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
=========  ===========================  ==========================  ================================

:class:`AnyOf` joins predicates by OR (in parentheses); :data:`NOTHING` selects no row.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

OPERATORS = ("in", "is", ">=", "<=", "like")
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
        if self.operator != "in" and len(self.values) != 1:
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


class _SqlWriter:
    def __init__(self, dialect: str, alias: str):
        self.placeholder = "?" if dialect == "sqlite" else "%s"
        self.true, self.false = ("1", "0") if dialect == "sqlite" else ("TRUE", "FALSE")
        self.prefix = f"{alias}." if alias else ""
        self.params: list = []

    def condition(self, cond: Condition) -> str:
        if isinstance(cond, AnyOf):
            return "(" + " OR ".join(self.condition(t) for t in cond.terms) + ")"
        column = self.prefix + cond.property
        if cond.operator == "is":
            return f"{column} = {self.true if cond.values[0] else self.false}"
        self.params.extend(cond.values)
        if cond.operator == "in":
            return f"{column} IN ({', '.join([self.placeholder] * len(cond.values))})"
        return f"{column} {cond.operator.upper()} {self.placeholder}"


def _cql2(cond: Condition) -> str:
    if isinstance(cond, AnyOf):
        return "(" + " OR ".join(_cql2(t) for t in cond.terms) + ")"
    if cond.operator == "is":
        return f"{cond.property} = {'TRUE' if cond.values[0] else 'FALSE'}"
    literals = ", ".join(_literal(v) for v in cond.values)
    if cond.operator == "in":
        return f"{cond.property} IN ({literals})"
    return f"{cond.property} {cond.operator.upper()} {literals}"


def _literal(value) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    return "'" + str(value).replace("'", "''") + "'"
