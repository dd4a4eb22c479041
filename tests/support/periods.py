"""An independent evaluation of OGC ``datetime`` over the atlas's features, for the oracle tests.

The server turns ``datetime`` into SQL on the features' start and end fields, cut to years or days
(:mod:`coopatlas.server.temporal`). Here nothing is cut: every feature's period and every query are
intervals of UTC instants (Python ``datetime``), compared as such. A project launched in 2005 and ended in
2010 lives from 2005-01-01T00:00:00Z to 2010-12-31T23:59:59.999999Z, with no end when it has no end year; a
request from the first instant of its submission day to the last of its validation day; an APD line or a
co-financing through its whole year. A feature with no start lives at no known time.

:func:`random_datetimes` draws ``datetime`` values of every form (dates, date-times with offsets,
closed and half-open intervals, with ``..`` or empty open ends), each with the instants it stands for.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from dataclasses import dataclass

import requests

from coopatlas import schema as sch

UTC = dt.UTC
BEFORE_ALL = dt.datetime.min.replace(tzinfo=UTC)
AFTER_ALL = dt.datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class Query:
    """A ``datetime`` value and the instants it stands for (open sides: the ends of time)."""

    text: str
    first: dt.datetime
    last: dt.datetime


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=UTC)


def _day_end(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 23, 59, 59, 999999, tzinfo=UTC)


def _bound(value, type_: str, end: bool) -> dt.datetime:
    """The first (or last) instant of a field's value: a year (integer) or a day (``YYYY-MM-DD``)."""
    if type_ == sch.INTEGER:
        return _day_end(dt.date(value, 12, 31)) if end else _day_start(dt.date(value, 1, 1))
    day = dt.date.fromisoformat(str(value)[:10])
    return _day_end(day) if end else _day_start(day)


def period(coll: sch.Collection, start, end) -> tuple[dt.datetime, dt.datetime] | None:
    """The instants a feature of ``coll`` lives through, from its start and end values; ``None`` without
    a start."""
    if start is None:
        return None
    type_ = coll.field(coll.time.start).type
    first = _bound(start, type_, end=False)
    if coll.time.end is None:
        return first, _bound(start, type_, end=True)
    if end is None:
        return first, AFTER_ALL
    return first, _bound(end, coll.field(coll.time.end).type, end=True)


def selected(coll: sch.Collection, rows: list[tuple], query: Query) -> set[str]:
    """The ids of ``rows`` (id, start, end) that live at some instant of ``query``."""
    out = set()
    for fid, start, end in rows:
        lived = period(coll, start, end)
        if lived is not None and lived[0] <= query.last and lived[1] >= query.first:
            out.add(str(fid))
    return out


def read_rows(gpkg, coll: sch.Collection) -> list[tuple]:
    """(id, start, end) of every feature of ``coll`` in the GeoPackage (read-only)."""
    end = coll.time.end or coll.time.start
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        return con.execute(f'SELECT id, "{coll.time.start}", "{end}" FROM "{coll.id}"').fetchall()
    finally:
        con.close()


def _instant(rng: random.Random, years: tuple[int, int], end: bool) -> tuple[str, dt.datetime]:
    """A random RFC 3339 date or date-time (with a random offset, now and then across a new year in UTC)
    and the instant it stands for (a date: its first instant, or its last as the end of an interval)."""
    year = rng.randint(*years)
    if rng.random() < 0.2:  # the last or first hours of a year, in a time zone where the UTC year differs
        local = dt.datetime(year, 12, 31, 23, rng.randint(0, 59), tzinfo=dt.timezone(dt.timedelta(hours=-3)))
        if rng.random() < 0.5:
            local = dt.datetime(year, 1, 1, 0, rng.randint(0, 59), tzinfo=dt.timezone(dt.timedelta(hours=5)))
        return local.isoformat(), local.astimezone(UTC)
    day = dt.date(year, 1, 1) + dt.timedelta(days=rng.choice([0, 364, rng.randint(0, 364)]))  # edges often
    if rng.random() < 0.5:
        return day.isoformat(), _day_end(day) if end else _day_start(day)
    moment = dt.datetime(day.year, day.month, day.day, rng.randint(0, 23), rng.randint(0, 59), tzinfo=UTC)
    text = moment.strftime("%Y-%m-%dT%H:%M:%S") + rng.choice(["Z", "z", "+00:00"])
    return text, moment


def random_datetimes(seed: int, n: int, years: tuple[int, int]) -> list[Query]:
    """``n`` random ``datetime`` values over ``years`` (first, last), seeded: instants, closed intervals,
    and intervals open at the start or the end (``..`` or empty)."""
    rng = random.Random(seed)
    out = []
    while len(out) < n:
        form = rng.choice(["instant", "closed", "closed", "open start", "open end"])
        a_text, a = _instant(rng, years, end=False)
        b_text, b = _instant(rng, years, end=True)
        if form == "instant":
            if "T" in a_text:
                out.append(Query(a_text, a, a))
            else:
                day = dt.date.fromisoformat(a_text)
                out.append(Query(a_text, _day_start(day), _day_end(day)))
            continue
        if form == "open start":
            out.append(Query(f"{rng.choice(['..', ''])}/{b_text}", BEFORE_ALL, b))
            continue
        if form == "open end":
            out.append(Query(f"{a_text}/{rng.choice(['..', ''])}", a, AFTER_ALL))
            continue
        if a > b:
            continue  # drawn again
        out.append(Query(f"{a_text}/{b_text}", a, b))
    return out


def server_ids(base: str, collection: str, params: dict) -> tuple[set[str], int]:
    """(ids of every feature the server returns for ``params``, following ``next``; numberMatched)."""
    ids: list[str] = []
    url = f"{base}/collections/{collection}/items"
    query = {**params, "f": "json", "limit": 10000, "properties": "id", "skipGeometry": "true"}
    matched = None
    while url:
        page = requests.get(url, params=query, timeout=120)
        assert page.status_code == 200, (collection, params, page.text[:300])
        body = page.json()
        matched = body.get("numberMatched", matched)
        ids += [str(f["id"]) for f in body["features"]]
        url = next((link["href"] for link in body.get("links", []) if link.get("rel") == "next"), None)
        query = None
        if not body["features"]:
            break
    assert len(ids) == len(set(ids)), f"{collection}: a feature returned twice"
    return set(ids), matched
