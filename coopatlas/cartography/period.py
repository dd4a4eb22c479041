"""The period a map shows: the input ``datetime`` of ``carte-pays`` (and each of ``dates``), and the rows
active in it.

Syntax: OGC API's ``datetime`` restricted to whole years — a year (``1995``), a closed interval
(``2000/2010``) or a half-open one (``../2010``, ``2000/..``; an empty end is open too). A period is
from 1 January of its first year to 31 December of its last.

The rule of activity is the schema's (:attr:`coopatlas.schema.Collection.time`): a feature is active from
its start to its end, both included; an empty end is open-ended; a collection without an end holds
instants (a year, a day), active in the period when the instant falls in it. A feature whose start is
empty cannot be placed in time: it is in no period.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .. import schema
from ..criteria import YEAR_MAX, YEAR_MIN, CriteriaError
from ..predicates import active_in, to_sql

_YEAR = re.compile(r"^[0-9]{4}$")
_OPEN = ("..", "")
#: How many dates a small multiple has.
DATES_MIN, DATES_MAX = 2, 6


@dataclass(frozen=True)
class MapPeriod:
    """The years ``first`` to ``last``, both included; ``None`` is an open end."""

    first: int | None
    last: int | None

    def label(self, lang: str = "fr") -> str:
        """The period in words: "en 1995", "de 2000 à 2010", "depuis 2000", "jusqu'en 2010"."""
        en = lang == "en"
        if self.first is not None and self.first == self.last:
            return f"in {self.first}" if en else f"en {self.first}"
        if self.first is None:
            return f"up to {self.last}" if en else f"jusqu'en {self.last}"
        if self.last is None:
            return f"since {self.first}" if en else f"depuis {self.first}"
        return f"from {self.first} to {self.last}" if en else f"de {self.first} à {self.last}"

    def short(self, lang: str = "fr") -> str:
        """The period in a few words: ``1995``, ``2000–2010``, ``jusqu'en 1990``, ``depuis 2012``."""
        if self.first is not None and self.first == self.last:
            return str(self.first)
        if self.first is None or self.last is None:
            return self.label(lang)
        return f"{self.first}–{self.last}"


def _year(text: str, name: str) -> int:
    if not _YEAR.match(text):
        raise CriteriaError(
            name, f"{text!r} is not a year: give a year (1995) or an interval of years (2000/2010, ../2010, 2000/..)"
        )
    year = int(text)
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise CriteriaError(name, f"year {year} out of range {YEAR_MIN}–{YEAR_MAX}")
    return year


def parse_period(raw, name: str = "datetime") -> MapPeriod:
    """A :class:`MapPeriod` from an input value (a year as a number or text, or an interval of years);
    :class:`~coopatlas.criteria.CriteriaError` naming ``name`` otherwise."""
    if isinstance(raw, bool) or not isinstance(raw, (int, str)):
        raise CriteriaError(name, "must be a year (1995) or an interval of years as text (2000/2010)")
    text = str(raw).strip()
    if "/" not in text:
        year = _year(text, name)
        return MapPeriod(year, year)
    parts = text.split("/")
    if len(parts) != 2:
        raise CriteriaError(name, f"{text!r}: an interval has two ends separated by one '/'")
    first, last = (None if p.strip() in _OPEN else _year(p.strip(), name) for p in parts)
    if first is None and last is None:
        raise CriteriaError(name, f"{text!r}: both ends are open; give at least one year")
    if first is not None and last is not None and first > last:
        raise CriteriaError(name, f"{text!r}: the interval ends ({last}) before it starts ({first})")
    return MapPeriod(first, last)


def parse_dates(raw, name: str = "dates") -> tuple[MapPeriod, ...]:
    """The periods of a small multiple: a list (or comma-separated text) of 2 to 6 years or intervals."""
    if isinstance(raw, str):
        raw = [p for p in raw.split(",") if p.strip()]
    if not isinstance(raw, (list, tuple)):
        raise CriteriaError(name, "must be a list of 2 to 6 years or intervals of years")
    if not DATES_MIN <= len(raw) <= DATES_MAX:
        raise CriteriaError(name, f"give {DATES_MIN} to {DATES_MAX} years or intervals, not {len(raw)}")
    periods = tuple(parse_period(value, name) for value in raw)
    if len(set(periods)) != len(periods):
        raise CriteriaError(name, "the same period is given twice")
    return periods


def period_where(collection_id: str, period: MapPeriod, dialect: str) -> tuple[str, list]:
    """SQL (``dialect``) selecting the rows of a collection active in ``period``: the one rule of
    :func:`coopatlas.predicates.active_in`, which the ``datetime`` parameter and the search criteria use."""
    first = dt.date(period.first, 1, 1) if period.first is not None else None
    last = dt.date(period.last, 12, 31) if period.last is not None else None
    return to_sql(active_in("datetime", schema.collection(collection_id), first, last), dialect)
