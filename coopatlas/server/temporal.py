"""Time on the OGC API: the ``datetime`` parameter of the items and the temporal extent of the collections.

The collections with a :class:`~coopatlas.schema.Period` (``projets``, ``demandes``, ``liens``, ``apd``,
``cofinancements``) take ``datetime`` as OGC API - Features Core says (``/req/core/fc-time-definition``):

* an instant: ``2005-06-01`` (RFC 3339 full-date) or ``2005-06-01T12:00:00Z`` (date-time; an offset
  ``+02:00`` is honoured, a missing one read as UTC, ``t``/``z`` accepted);
* an interval ``start/end`` of two instants, either end open (``..`` or empty): ``2005-01-01/2010-12-31``,
  ``2005-01-01/..``, ``../2010-12-31``.

A feature is selected when its period meets the instant or interval, by the one rule of the atlas
(:func:`coopatlas.predicates.active_in`, also that of the search criteria ``actif_de``/``actif_a``): a
project lives from the first day of its launch year to the last day of its end year, open-ended when it has
no end year; a request from the day it was submitted to the day it was validated; an APD declaration or a
co-financing for its whole year. The instants are read in UTC and cut to the day (dates) or the year
(years) of the features' fields, which loses nothing: a feature's period is made of whole days or years.

Bad values answer 400 naming ``datetime`` and saying why (not RFC 3339, an impossible day, an interval
that ends before it starts, both ends open), through :func:`install`, which replaces pygeoapi 0.24's
check (dateutil reads ``2005`` or ``June 2005`` as some day, answers "datetime parameter out of range"
for an interval outside the published extent instead of no feature, and an error message that does not
name the parameter). A collection without time answers 400 from its provider.

:func:`extent` gives the temporal extent a collection publishes in ``/collections/{id}``, from the data.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from .. import schema as sch
from ..predicates import Condition, active_in

#: The temporal reference system of the extents (OGC API - Features: the Gregorian calendar).
GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
#: The collections whose features live in time, in the order of the schema.
TIME_COLLECTIONS = tuple(cid for cid, coll in sch.COLLECTIONS.items() if coll.time is not None)

_DATE = r"\d{4}-\d{2}-\d{2}"
_INSTANT = re.compile(
    rf"(?P<date>{_DATE})(?:[Tt](?P<time>\d{{2}}:\d{{2}}:\d{{2}}(?:\.\d+)?)(?P<offset>[Zz]|[+-]\d{{2}}:\d{{2}})?)?",
    re.ASCII,
)
_OPEN = ("..", "")
EXAMPLES = "2005-06-01, 2005-06-01T12:00:00Z, 2005-01-01/2010-12-31, 2005-01-01/.. or ../2010-12-31"


def _shown(text: str) -> str:
    """``text`` quoted for a message, cut when long (the message is sent back to the client)."""
    return repr(text if len(text) <= 60 else text[:60] + "…")


class DatetimeError(ValueError):
    """A ``datetime`` value that cannot be honoured; the message names the parameter and says why."""

    def __init__(self, why: str):
        super().__init__(f"datetime: {why}")


@dataclass(frozen=True)
class Interval:
    """A ``datetime`` value as the UTC days it covers, ``None`` on an open side."""

    first: dt.date | None
    last: dt.date | None


def _instant(text: str, end: bool) -> tuple[dt.datetime, dt.date]:
    """(UTC instant for the order check, UTC day) of one RFC 3339 date or date-time; a date stands for its
    whole day: its first instant as a start, its last as an end."""
    m = _INSTANT.fullmatch(text)
    if m is None:
        raise DatetimeError(f"{_shown(text)} is not an RFC 3339 date or date-time (examples: {EXAMPLES})")
    try:
        day = dt.date.fromisoformat(m["date"])
        if m["time"] is None:
            moment = dt.datetime.combine(day, dt.time.max if end else dt.time.min, dt.UTC)
            return moment, day
        offset = (m["offset"] or "Z").upper().replace("Z", "+00:00")
        fraction = re.sub(r"(\.\d{6})\d+", r"\1", m["time"])  # beyond microseconds: cut (Python's limit)
        moment = dt.datetime.fromisoformat(f"{m['date']}T{fraction}{offset}").astimezone(dt.UTC)
    except (ValueError, OverflowError) as exc:
        raise DatetimeError(f"{_shown(text)} is not a valid date or date-time ({exc})") from None
    return moment, moment.date()


def parse(text: str) -> Interval:
    """The days of a ``datetime`` value; :class:`DatetimeError` when it is malformed, inverted or open on
    both sides."""
    text = text.strip()
    if "/" not in text:
        if text in _OPEN:
            raise DatetimeError(f"{_shown(text)} is no instant (examples: {EXAMPLES})")
        _, day = _instant(text, end=False)
        return Interval(day, day)
    if text.count("/") > 1:
        raise DatetimeError(f"{_shown(text)} has more than one '/' (an interval is start/end; examples: {EXAMPLES})")
    start, end = (part.strip() for part in text.split("/"))
    if start in _OPEN and end in _OPEN:
        raise DatetimeError(
            f"{_shown(text)}: both ends of the interval are open; give at least one date, or no datetime at all"
        )
    first = _instant(start, end=False) if start not in _OPEN else None
    last = _instant(end, end=True) if end not in _OPEN else None
    if first is not None and last is not None and first[0] > last[0]:
        raise DatetimeError(f"{_shown(text)}: the interval ends ({end}) before it starts ({start})")
    return Interval(first[1] if first else None, last[1] if last else None)


def conditions(coll: sch.Collection, text: str, criterion: str = "datetime") -> list[Condition]:
    """The conditions (joined by AND) selecting the features of ``coll`` that live at some time of the
    ``datetime`` value ``text``; :class:`DatetimeError` for a bad value or a collection without time."""
    if coll.time is None:
        raise DatetimeError(
            f"collection {coll.id} has no time property (collections with time: {', '.join(TIME_COLLECTIONS)})"
        )
    interval = parse(text)
    return active_in(criterion, coll, interval.first, interval.last)


def extent(coll: sch.Collection, first, last, open_ended: bool) -> dict:
    """The temporal extent of ``coll`` (pygeoapi's ``extents.temporal``): from the first instant of the
    earliest start ``first`` to the last instant of the latest end ``last`` (years or days, as the fields
    hold them; ``None`` when there is no feature), the end open (``None``) when a feature is open-ended."""
    period = coll.time

    def bound(value, name: str, end: bool) -> str | None:
        if value is None:
            return None
        if coll.field(name).type == sch.INTEGER:
            day = dt.date(int(value), 12, 31) if end else dt.date(int(value), 1, 1)
        else:
            day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
        return day.isoformat() + ("T23:59:59Z" if end else "T00:00:00Z")

    return {
        "begin": bound(first, period.start, end=False),
        "end": None if open_ended else bound(last, period.end or period.start, end=True),
        "trs": GREGORIAN,
    }


def extent_sql(coll: sch.Collection) -> str:
    """SQL (SQLite and PostgreSQL) of (earliest start, latest end, number of open-ended features) of the
    features of ``coll`` that have a start (the arguments of :func:`extent`)."""
    start = f'"{coll.time.start}"'
    end = f'"{coll.time.end}"' if coll.time.end else start
    return (
        f"SELECT MIN({start}), MAX({end}), SUM(CASE WHEN {end} IS NULL THEN 1 ELSE 0 END) "
        f'FROM "{coll.id}" WHERE {start} IS NOT NULL'
    )


_installed = False


def install() -> None:
    """Put :func:`validate_datetime` in the place of pygeoapi's check of ``datetime`` (once per process)."""
    global _installed
    if _installed:
        return
    from pygeoapi.api import itemtypes

    itemtypes.validate_datetime = functools.wraps(itemtypes.validate_datetime)(validate_datetime)
    _installed = True


def validate_datetime(resource_def: dict, datetime_: str | None = None) -> str | None:
    """pygeoapi's hook (``validate_datetime(extents, value)``): the value, checked by :func:`parse` when the
    collection has time (a temporal extent); otherwise left to the provider, which refuses it. A value
    outside the published extent is no error: it selects no feature."""
    if datetime_ is None or "temporal" not in resource_def or not datetime_.strip():
        return datetime_
    parse(datetime_)
    return datetime_.strip()
