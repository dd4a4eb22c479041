"""Time on the GeoPackage server: OGC ``datetime`` against an independent evaluation of the interval rule
(tests/support/periods.py), the 400s of bad values, the temporal extents, the typed queryables, the
search criteria ``actif_de``/``actif_a`` selecting what ``datetime`` selects, and OWSLib's ``datetime_``.
The same oracle runs on PostGIS in tests/parity/test_datetime_parity.py."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import pytest

from coopatlas import schema as sch
from coopatlas.criteria import Criteria
from coopatlas.store import Store

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from support.periods import AFTER_ALL, Query, period, random_datetimes, read_rows, selected, server_ids  # noqa: E402

GREGORIAN = "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"
#: The collections with time, the years their random queries span, how many queries.
TIMED = {
    "projets": ((1955, 2016), 30),
    "demandes": ((2009, 2014), 15),
    "liens": ((1955, 2016), 10),
    "apd": ((2006, 2014), 10),
    "cofinancements": ((1980, 2015), 10),
}
UNTIMED = [cid for cid, coll in sch.COLLECTIONS.items() if coll.time is None]


@pytest.fixture(scope="module")
def rows(atlas_server) -> dict[str, list[tuple]]:
    return {cid: read_rows(atlas_server.gpkg, sch.COLLECTIONS[cid]) for cid in TIMED}


def test_every_collection_with_time_is_tested():
    assert set(TIMED) == {cid for cid, coll in sch.COLLECTIONS.items() if coll.time is not None}


@pytest.mark.parametrize("collection", list(TIMED))
def test_datetime_selects_what_the_interval_rule_selects(atlas_server, rows, collection):
    coll = sch.COLLECTIONS[collection]
    years, n = TIMED[collection]
    sizes = []
    for query in random_datetimes(seed=17 + len(collection), n=n, years=years):
        expected = selected(coll, rows[collection], query)
        got, matched = server_ids(atlas_server.url, collection, {"datetime": query.text})
        assert got == expected, (collection, query.text, len(got), len(expected), sorted(got ^ expected)[:5])
        assert matched == len(expected), query.text
        sizes.append(len(expected))
    # the queries tested something: some select part of the collection, none of them all of it by chance
    assert any(0 < size < len(rows[collection]) for size in sizes), sizes


def test_an_open_ended_project_is_active_long_after_its_start(atlas_server, rows):
    """A project with no end year is running: it is active in any later year; a finished one is not."""
    running = next(r for r in rows["projets"] if r[1] is not None and r[2] is None and r[1] < 2000)
    finished = next(r for r in rows["projets"] if r[2] is not None and r[2] < 2005)
    got, _ = server_ids(atlas_server.url, "projets", {"datetime": "2013-07-14"})
    assert running[0] in got and finished[0] not in got
    got, _ = server_ids(atlas_server.url, "projets", {"datetime": f"{finished[2]}-12-31T23:59:59Z"})
    assert finished[0] in got
    got, _ = server_ids(atlas_server.url, "projets", {"datetime": f"{finished[2] + 1}-01-01T00:00:00Z/.."})
    assert finished[0] not in got


def test_a_project_without_start_year_is_never_selected(atlas_server, rows):
    unknown = [r[0] for r in rows["projets"] if r[1] is None]
    assert unknown, "the demo atlas has projects with no launch year"
    for text in ("1900-01-01/..", "../2100-12-31", "2010-01-01"):
        got, _ = server_ids(atlas_server.url, "projets", {"datetime": text})
        assert not set(unknown) & got, text


@pytest.mark.parametrize(
    "value, why",
    [
        ("foo", "is not an RFC 3339 date or date-time"),
        ("2005", "is not an RFC 3339 date or date-time"),
        ("June 2005", "is not an RFC 3339 date or date-time"),
        ("2005-02-30", "is not a valid date or date-time"),
        ("2005-13-01/..", "is not a valid date or date-time"),
        ("2005-06-01T25:00:00Z", "is not a valid date or date-time"),
        ("../..", "both ends of the interval are open"),
        ("/", "both ends of the interval are open"),
        ("..", "is no instant"),
        ("2010-01-01/2005-01-01", "the interval ends (2005-01-01) before it starts (2010-01-01)"),
        ("2005-06-01T12:00:00Z/2005-06-01T11:59:59Z", "before it starts"),
        ("2005-06-01T12:00:00-02:00/2005-06-01T13:30:00Z", "before it starts"),  # 14:00Z after 13:30Z
        ("2005-01-01/2006-01-01/2007-01-01", "has more than one '/'"),
    ],
)
def test_a_bad_datetime_is_a_400_that_says_why(atlas_server, value, why):
    for collection in ("projets", "demandes", "apd"):
        answer = atlas_server.get(f"/collections/{collection}/items", datetime=value, f="json")
        assert answer.status_code == 400, (collection, value, answer.text[:300])
        description = answer.json()["description"]
        assert description.startswith("datetime: ") and why in description, description
    assert atlas_server.get("/collections/projets/items", datetime=value, f="html").status_code == 400


def test_a_valid_but_unusual_datetime_is_honoured(atlas_server, rows):
    """Lower-case t and z, fractions of a second beyond microseconds, spaces around the ends, no offset."""
    expected, _ = server_ids(atlas_server.url, "projets", {"datetime": "2005-03-01T10:00:00Z/2006-01-01"})
    assert expected
    for text in ("2005-03-01t10:00:00.123456789z/2006-01-01", " 2005-03-01T10:00:00 / 2006-01-01 "):
        got, _ = server_ids(atlas_server.url, "projets", {"datetime": text})
        assert got == expected, text


@pytest.mark.parametrize("collection", UNTIMED)
def test_a_collection_without_time_refuses_datetime(atlas_server, collection):
    answer = atlas_server.get(f"/collections/{collection}/items", datetime="2010-01-01", f="json")
    assert answer.status_code == 400, answer.text[:300]
    assert answer.json()["description"].startswith(f"datetime: collection {collection} has no time property")
    assert "temporal" not in atlas_server.get(f"/collections/{collection}", f="json").json()["extent"]


def _oracle_extent(coll: sch.Collection, rows: list[tuple]) -> list:
    periods = [p for p in (period(coll, start, end) for _, start, end in rows) if p is not None]
    begin, end = min(p[0] for p in periods), max(p[1] for p in periods)
    iso = "%Y-%m-%dT%H:%M:%SZ"
    return [begin.strftime(iso), None if end == AFTER_ALL else end.strftime(iso)]


@pytest.mark.parametrize("collection", list(TIMED))
def test_the_temporal_extent_is_that_of_the_data(atlas_server, rows, collection):
    coll = sch.COLLECTIONS[collection]
    temporal = atlas_server.get(f"/collections/{collection}", f="json").json()["extent"]["temporal"]
    assert temporal["trs"] == GREGORIAN
    assert temporal["interval"] == [_oracle_extent(coll, rows[collection])]
    if collection == "projets":
        assert temporal["interval"][0][1] is None  # running projects: open-ended
    # a time outside the extent selects nothing: no error
    answer = atlas_server.get(f"/collections/{collection}/items", datetime="1901-01-01/1901-12-31", f="json")
    assert answer.status_code == 200 and answer.json()["numberMatched"] == 0


def test_queryables_say_which_properties_are_the_period(atlas_server):
    projets = atlas_server.get("/collections/projets/queryables", f="json").json()["properties"]
    start, end = projets["annee_lancement"], projets["annee_fin"]
    assert start["type"] == end["type"] == "integer"
    assert start["x-ogc-role"] == "primary-interval-start" and end["x-ogc-role"] == "primary-interval-end"
    assert "Début de la période" in start["description"] and "1er janvier" in start["description"]
    assert "Fin de la période" in end["description"] and "ouverte" in end["description"]
    demandes = atlas_server.get("/collections/demandes/queryables", f="json", lang="en").json()["properties"]
    assert demandes["date_depot"]["format"] == demandes["date_validation"]["format"] == "date"
    assert demandes["date_depot"]["x-ogc-role"] == "primary-interval-start"
    assert demandes["date_validation"]["description"].startswith("End of the feature's period")
    apd = atlas_server.get("/collections/apd/queryables", f="json").json()["properties"]
    assert apd["annee"]["type"] == "integer" and apd["annee"]["x-ogc-role"] == "primary-instant"


def _datetime_of(params: dict) -> str:
    first = f"{params['actif_de']}-01-01" if "actif_de" in params else ".."
    last = f"{params['actif_a']}-12-31" if "actif_a" in params else ".."
    return f"{first}/{last}"


@pytest.mark.parametrize(
    "params",
    [{"actif_de": 2005, "actif_a": 2008}, {"actif_de": 2011}, {"actif_a": 1990}, {"actif_de": 2012, "actif_a": 2012}],
)
def test_the_time_criteria_select_what_datetime_selects(atlas_server, params):
    """``/criteres`` (what the plugin and the web atlas send), the core's SQL (statistics, reports) and
    ``datetime`` select the same features of every collection with time."""
    answer = atlas_server.get("/criteres", **params)
    assert answer.status_code == 200, answer.text[:300]
    filters = answer.json()["collections"]
    criteria = Criteria.from_params(params)
    store = Store(atlas_server.gpkg)
    for collection in TIMED:
        by_datetime, _ = server_ids(atlas_server.url, collection, {"datetime": _datetime_of(params)})
        sql, sql_params = criteria.where(collection)
        by_sql = {str(r[0]) for r in store.rows(f"SELECT id FROM {collection} WHERE {sql}", sql_params)}
        assert by_sql == by_datetime, collection
        if collection in filters:  # the collections /criteres translates
            by_filter, _ = server_ids(atlas_server.url, collection, filters[collection])
            assert by_filter == by_datetime, collection
        if collection == "projets":
            assert by_datetime, "the search selects no project: it tests nothing"


def test_the_time_criteria_refuse_an_inverted_span(atlas_server):
    answer = atlas_server.get("/criteres", actif_de=2010, actif_a=2005)
    assert answer.status_code == 400 and answer.json()["parameter"] == "actif_de", answer.text


def test_owslib_reads_items_by_datetime(atlas_server, rows):
    from owslib.ogcapi.features import Features

    api = Features(atlas_server.url)
    query = Query(
        "2005-01-01/2010-12-31",
        dt.datetime(2005, 1, 1, tzinfo=dt.UTC),
        dt.datetime(2010, 12, 31, 23, 59, 59, 999999, tzinfo=dt.UTC),
    )
    for collection in ("projets", "demandes", "apd"):
        expected = selected(sch.COLLECTIONS[collection], rows[collection], query)
        assert expected, collection
        items = api.collection_items(collection, datetime_=query.text, limit=10)
        assert items["numberMatched"] == len(expected), collection
        assert {str(f["id"]) for f in items["features"]} <= expected
