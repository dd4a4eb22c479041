"""Values of CQL2 filters and query parameters checked and converted to what SQLite compares them with.

:func:`coerce` turns a literal (or a query-string text) into the value of a property's type (integers,
reals, booleans stored 0/1, dates as ISO text), :func:`check_code` refuses a code that is not in the
property's code list; both raise :class:`FilterError` whose message names the property and the problem.
Used by both feature providers (GeoPackage and PostGIS) for property filters and CQL2 literals.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from typing import Any

from ...schema import BOOLEAN, DATE, INTEGER, REAL, TEXT

# Kinds of SQL expressions besides the schema types (TEXT, INTEGER, REAL, BOOLEAN, DATE).
GEOMETRY, TIMESTAMP, INTERVAL, UNKNOWN = "GEOMETRY", "TIMESTAMP", "INTERVAL", "UNKNOWN"
NUMERIC = frozenset({INTEGER, REAL})

KIND_WORDS = {
    TEXT: "text",
    INTEGER: "an integer",
    REAL: "a number",
    BOOLEAN: "a boolean",
    DATE: "a date",
    GEOMETRY: "a geometry",
    TIMESTAMP: "a timestamp",
    INTERVAL: "an interval",
}


class FilterError(ValueError):
    """A filter (or filter value) that cannot be honoured; the message is meant for the user (HTTP 400)."""


@dataclass(frozen=True)
class Queryable:
    """A property that filters may use: its name, schema type and, for code lists, the allowed codes."""

    name: str
    type: str
    codes: frozenset[str] | None = None


_TRUE = frozenset({"true", "t", "1", "yes", "y", "on"})
_FALSE = frozenset({"false", "f", "0", "no", "n", "off"})
_INT_RE = re.compile(r"^[+-]?\d+$")


_INT64 = (-(2**63), 2**63 - 1)


def int64(value: int, where: str) -> int:
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
    bad = f"{where}: {q.name} is {KIND_WORDS.get(t, t)}, {value!r} is not"
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
            return int64(value, where)
        if isinstance(value, str) and _INT_RE.match(value.strip()):
            return int64(int(value), where)
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
    raise FilterError(
        f"{where}: {name} is a date; compare it with DATE('YYYY-MM-DD'), not the timestamp {value.isoformat()}"
    )


def check_code(q: Queryable, value: Any, where: str = "filter") -> None:
    """:class:`FilterError` if ``q`` has a code list and ``value`` (text) is not one of its codes."""
    if q.codes is not None and isinstance(value, str) and value not in q.codes:
        raise FilterError(f"{where}: {value!r} is not a code of {q.name} (codes: {', '.join(sorted(q.codes))})")
