"""Time on PostGIS, and the same as on the GeoPackage: OGC ``datetime`` on the PostGIS server against the
independent evaluation of the interval rule (tests/support/periods.py, rows read from the GeoPackage that
was loaded), the same answers on both servers for the same ``datetime`` (numberMatched, ids, every
property), the same 400s, the same temporal extents, and the time criteria of ``/criteres`` selecting on
PostGIS what ``datetime`` selects."""

from __future__ import annotations

import math
import sys
from pathlib import Path

import pytest
import requests
import shapely.geometry

from coopatlas import schema as sch

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:
    sys.path.insert(0, _TESTS)

from support.periods import random_datetimes, read_rows, selected, server_ids  # noqa: E402

pytestmark = pytest.mark.xdist_group("postgis")

#: The collections with time, the years their random queries span, how many queries.
TIMED = {
    "projets": ((1955, 2016), 25),
    "demandes": ((2009, 2014), 12),
    "liens": ((1955, 2016), 8),
    "apd": ((2006, 2014), 8),
    "cofinancements": ((1980, 2015), 8),
}


def test_every_collection_with_time_is_tested():
    assert set(TIMED) == {cid for cid, coll in sch.COLLECTIONS.items() if coll.time is not None}


@pytest.mark.parametrize("collection", list(TIMED))
def test_postgis_datetime_selects_what_the_interval_rule_selects(parity_servers, atlas_gpkg_path, collection):
    _, postgis = parity_servers
    coll = sch.COLLECTIONS[collection]
    rows = read_rows(atlas_gpkg_path, coll)
    years, n = TIMED[collection]
    sizes = []
    for query in random_datetimes(seed=1717 + len(collection), n=n, years=years):
        expected = selected(coll, rows, query)
        got, matched = server_ids(postgis, collection, {"datetime": query.text})
        assert got == expected, (collection, query.text, len(got), len(expected), sorted(got ^ expected)[:5])
        assert matched == len(expected), query.text
        sizes.append(len(expected))
    assert any(0 < size < len(rows) for size in sizes), sizes


SAME = [
    ("projets", {"datetime": "2005-01-01/2010-12-31", "limit": 100, "sortby": "-annee_fin"}),
    ("projets", {"datetime": "2008-06-15T12:00:00+02:00", "limit": 100, "offset": 200}),
    ("projets", {"datetime": "../1975-12-31", "limit": 100}),
    ("projets", {"datetime": "2013-01-01/..", "continent": "afrique", "limit": 100}),
    ("projets", {"datetime": "2001-01-01/2001-12-31", "filter": "thematique = 'sante'", "bbox": "-20,0,20,25"}),
    ("projets", {"datetime": "2009-01-01", "resulttype": "hits"}),
    ("demandes", {"datetime": "2011-03-01/2011-09-30", "limit": 100}),
    ("demandes", {"datetime": "2012-05-02", "limit": 100}),
    ("liens", {"datetime": "1990-01-01/1995-12-31", "limit": 100}),
    ("apd", {"datetime": "2010-01-01/2011-06-30", "limit": 200, "sortby": "-montant"}),
    ("cofinancements", {"datetime": "/2000-12-31", "limit": 100}),
]


def assert_same_feature(fa: dict, fb: dict, where: str) -> None:
    """Same id, same properties (reals within 1e-12, relative), same geometry within 1e-9 degree (the
    tolerances of test_parity.py)."""
    assert fa["id"] == fb["id"], where
    pa, pb = fa["properties"], fb["properties"]
    assert sorted(pa) == sorted(pb), where
    for k in pa:
        if isinstance(pa[k], float) and isinstance(pb[k], float):
            assert math.isclose(pa[k], pb[k], rel_tol=1e-12), f"{where}.{k}"
        else:
            assert pa[k] == pb[k] and type(pa[k]) is type(pb[k]), f"{where}.{k}: {pa[k]!r} != {pb[k]!r}"
    ga, gb = fa.get("geometry"), fb.get("geometry")
    assert (ga is None) == (gb is None), where
    if ga is not None:
        assert shapely.equals_exact(shapely.geometry.shape(ga), shapely.geometry.shape(gb), tolerance=1e-9), where


@pytest.mark.parametrize("collection, params", SAME, ids=[f"{c} {p['datetime']}" for c, p in SAME])
def test_same_answers_for_the_same_datetime(parity_servers, collection, params):
    gpkg, postgis = parity_servers
    answers = []
    for base in (gpkg, postgis):
        r = requests.get(f"{base}/collections/{collection}/items", params={"f": "json", **params}, timeout=120)
        assert r.status_code == 200, r.text[:300]
        answers.append(r.json())
    a, b = answers
    assert a["numberMatched"] == b["numberMatched"] > 0
    assert [f["id"] for f in a["features"]] == [f["id"] for f in b["features"]]
    for fa, fb in zip(a["features"], b["features"]):
        assert_same_feature(fa, fb, f"{collection}/{fa['id']}")


@pytest.mark.parametrize(
    "collection, value",
    [
        ("projets", "hier"),
        ("projets", "../.."),
        ("demandes", "2012-01-01/2011-01-01"),
        ("apd", "2010-02-29"),
        ("liens", "2010-01-01/2011-01-01/2012-01-01"),
        ("pays", "2010-01-01"),
        ("collectivites", "2010-01-01/.."),
    ],
)
def test_same_400_for_a_bad_datetime(parity_servers, collection, value):
    gpkg, postgis = parity_servers
    ra, rb = (
        requests.get(f"{base}/collections/{collection}/items", params={"f": "json", "datetime": value}, timeout=60)
        for base in (gpkg, postgis)
    )
    assert ra.status_code == rb.status_code == 400, (ra.text[:300], rb.text[:300])
    assert ra.json()["description"] == rb.json()["description"]
    assert ra.json()["description"].startswith("datetime: ")


def test_same_temporal_extents(parity_servers):
    gpkg, postgis = parity_servers
    for cid, coll in sch.COLLECTIONS.items():
        ea, eb = (
            requests.get(f"{base}/collections/{cid}", params={"f": "json"}, timeout=60).json()
            for base in (gpkg, postgis)
        )
        assert ea["extent"].get("temporal") == eb["extent"].get("temporal"), cid
        assert ("temporal" in eb["extent"]) == (coll.time is not None), cid


def test_postgis_time_criteria_select_what_datetime_selects(parity_servers):
    _, postgis = parity_servers
    answer = requests.get(f"{postgis}/criteres", params={"actif_de": 2006, "actif_a": 2009}, timeout=60)
    assert answer.status_code == 200, answer.text[:300]
    filters = answer.json()["collections"]
    for collection in ("projets", "demandes", "liens", "apd"):
        by_filter, _ = server_ids(postgis, collection, filters[collection])
        by_datetime, _ = server_ids(postgis, collection, {"datetime": "2006-01-01/2009-12-31"})
        assert by_filter == by_datetime, collection
        assert by_datetime or collection == "demandes", collection
