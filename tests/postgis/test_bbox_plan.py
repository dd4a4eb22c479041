"""A ``bbox`` page on PostGIS reads the table in id order and stops at the page: it neither reads every
match (a bitmap scan of the GiST index then a sort by id) nor starts parallel workers for it.

PostGIS declares ``ST_Intersects`` very costly, so on a large table the planner split the id-order read
of a dense bbox over parallel workers (``Gather Merge``: tens of milliseconds per request to start them).
On this small sample the database is told that parallel plans are cheap (as they look on the ×100
atlas); the plan of the statement the provider sends is read in the provider's own transaction
(``EXPLAIN ANALYZE`` just before it), and the page is compared with the ids computed in Python.
"""

from __future__ import annotations

import json

import pytest
from pygeoapi.plugin import load_plugin
from shapely.geometry import box
from sqlalchemy import event

from coopatlas.store import postgis
from support.sample_atlas import sample_tables, write_sample_atlas

pytestmark = pytest.mark.xdist_group("postgis")
N = 2000
LIMIT = 100
BBOX = [-180.0, -90.0, 10.0, 90.0]  # the western half of the sample's points and a little more
#: Settings under which a parallel plan is considered for any table, as for the ×100 atlas's.
PARALLEL_LOOKS_CHEAP = {
    "parallel_setup_cost": 0,
    "parallel_tuple_cost": 0,
    "min_parallel_table_scan_size": 0,
    "min_parallel_index_scan_size": 0,
}


@pytest.fixture(scope="module")
def url(postgis_cluster, tmp_path_factory) -> str:
    gpkg = write_sample_atlas(tmp_path_factory.mktemp("bbox_plan") / "sample.gpkg", n=N, seed=5)
    url = postgis_cluster.create_database("bbox_plan")
    postgis.load(gpkg, url)
    for name, value in PARALLEL_LOOKS_CHEAP.items():
        postgis_cluster.execute(f"ALTER DATABASE bbox_plan SET {name} = {value}")
    return url


def expected_ids(bbox) -> list[str]:
    """The ids of the sample's projects whose point is in the box (edges included), in id order."""
    area = box(*bbox)
    rows = sample_tables(N, seed=5)["projets"]
    return sorted(r["id"] for r in rows if r["geometry"] is not None and area.intersects(r["geometry"]))


def page_with_plan(url: str, **query) -> tuple[dict, dict]:
    """The provider's answer and the ``EXPLAIN (ANALYZE)`` of its page statement, run in the same
    transaction just before it."""
    provider = load_plugin("provider", postgis.pygeoapi_provider_config(url, "projets"))
    plans = []

    def explain(conn, cursor, statement, parameters, context, executemany):
        if "LIMIT" in statement and statement.lstrip().upper().startswith("SELECT"):
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + statement, parameters)
            plan = cursor.fetchone()[0]
            plans.append(plan if isinstance(plan, list) else json.loads(plan))

    event.listen(provider._engine, "before_cursor_execute", explain)
    try:
        answer = provider.query(**query)
    finally:
        event.remove(provider._engine, "before_cursor_execute", explain)
    assert len(plans) == 1, plans
    return answer, plans[0][0]["Plan"]


def nodes(plan: dict):
    yield plan
    for child in plan.get("Plans", ()):
        yield from nodes(child)


def test_a_dense_bbox_page_reads_the_table_in_id_order_up_to_the_page(url):
    expected = expected_ids(BBOX)
    assert len(expected) > N / 3  # a dense box: a large share of the table
    answer, plan = page_with_plan(url, limit=LIMIT, bbox=BBOX)
    assert [f["id"] for f in answer["features"]] == expected[:LIMIT]
    kinds = [n["Node Type"] for n in nodes(plan)]
    assert not {"Gather", "Gather Merge"} & set(kinds), kinds  # no parallel workers for a page
    assert not {"Sort", "Incremental Sort", "Bitmap Heap Scan", "Seq Scan"} & set(kinds), kinds
    (scan,) = [n for n in nodes(plan) if n.get("Relation Name") == "projets"]
    assert scan["Node Type"] == "Index Scan" and scan["Index Name"] == "projets_pkey", scan
    read = scan["Actual Rows"] + scan.get("Rows Removed by Filter", 0)
    # the rows read up to the 100th match, far fewer than every match
    assert read <= 3 * LIMIT * N / len(expected) < len(expected), read


def test_a_later_page_of_the_dense_bbox_is_the_next_ids(url):
    expected = expected_ids(BBOX)
    answer, _ = page_with_plan(url, limit=LIMIT, offset=LIMIT, bbox=BBOX)
    assert [f["id"] for f in answer["features"]] == expected[LIMIT : 2 * LIMIT]
