"""The ``datetime`` parser and the one time rule, without a server (the server tests compare the answers
with an independent evaluation: tests/server/test_datetime.py, tests/parity/test_datetime_parity.py)."""

from __future__ import annotations

import datetime as dt

import pytest

from coopatlas import schema as sch
from coopatlas.predicates import active_in, to_cql2, to_sql
from coopatlas.server import temporal


@pytest.mark.parametrize(
    "text, first, last",
    [
        ("2005-06-01", dt.date(2005, 6, 1), dt.date(2005, 6, 1)),
        ("2005-06-01T23:30:00-02:00", dt.date(2005, 6, 2), dt.date(2005, 6, 2)),  # UTC
        ("2005-06-01T00:30:00+02:00/2005-06-01T00:45:00+02:00", dt.date(2005, 5, 31), dt.date(2005, 5, 31)),
        ("2005-06-01/..", dt.date(2005, 6, 1), None),
        ("/2005-06-01T10:00:00.123456789Z", None, dt.date(2005, 6, 1)),
        (
            "2005-06-01T12:00:00Z/2005-06-01",
            dt.date(2005, 6, 1),
            dt.date(2005, 6, 1),
        ),  # a date as an end: its last instant
    ],
)
def test_parse_gives_the_utc_days(text, first, last):
    assert temporal.parse(text) == temporal.Interval(first, last)


@pytest.mark.parametrize(
    "text, why",
    [
        ("٢٠٠٥-06-01", "not an RFC 3339"),  # digits that are not ASCII
        ("x" * 10_000, "not an RFC 3339"),
        ("2005-06-01T12:00", "not an RFC 3339"),  # RFC 3339 has seconds
        ("0001-01-01T00:00:00+01:00", "not a valid"),  # before year 1 in UTC
        ("2005-06-01/2005-05-31T23:59:59Z", "before it starts"),
        ("../", "both ends"),
    ],
)
def test_parse_refuses_with_the_reason(text, why):
    with pytest.raises(temporal.DatetimeError, match=why) as caught:
        temporal.parse(text)
    assert str(caught.value).startswith("datetime: ") and len(str(caught.value)) < 300


def test_one_rule_for_intervals_instants_years_and_days():
    first, last = dt.date(2005, 3, 1), dt.date(2010, 2, 1)
    assert to_sql(active_in("t", sch.PROJETS, first, last), alias="p") == (
        "p.annee_lancement <= ? AND (p.annee_fin IS NULL OR p.annee_fin >= ?)",
        [2010, 2005],
    )
    assert to_cql2(active_in("t", sch.DEMANDES, first, None)) == (
        "date_depot IS NOT NULL AND (date_validation IS NULL OR date_validation >= DATE('2005-03-01'))"
    )
    assert to_sql(active_in("t", sch.DEMANDES, None, last)) == ("date_depot <= ?", ["2010-02-01"])
    assert to_sql(active_in("t", sch.APD, first, last)) == ("annee <= ? AND annee >= ?", [2010, 2005])
    with pytest.raises(ValueError, match="no time"):
        active_in("t", sch.PAYS, first, last)


def test_extent_bounds_are_whole_years_or_days():
    assert temporal.extent(sch.PROJETS, 1960, 2013, open_ended=True) == {
        "begin": "1960-01-01T00:00:00Z",
        "end": None,
        "trs": temporal.GREGORIAN,
    }
    assert temporal.extent(sch.DEMANDES, "2010-01-28", "2013-05-29", open_ended=False)["end"] == "2013-05-29T23:59:59Z"
