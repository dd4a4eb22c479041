"""The indexed sorts on PostGIS: the load writes the indexes of ``Collection.sorts`` (the declaration the
GeoPackage build reads), in the order the PostgreSQL provider's ORDER BY gives (SQLite's NULL order, ties
by id), so that PostgreSQL reads a sorted page from the index instead of sorting every match."""

from __future__ import annotations

import pytest

from coopatlas import schema as sch
from coopatlas.store import postgis
from support.sample_atlas import write_sample_atlas

pytestmark = pytest.mark.xdist_group("postgis")


@pytest.fixture(scope="module")
def loaded(postgis_cluster, tmp_path_factory) -> str:
    gpkg = write_sample_atlas(tmp_path_factory.mktemp("sorts") / "sample.gpkg", n=60)
    url = postgis_cluster.create_database("sorts_loaded")
    postgis.load(gpkg, url)
    return url


CASES = [(sort, descending) for sort in sch.PROJETS.sorts for descending in (False, True)]


@pytest.mark.parametrize("sort,descending", CASES, ids=[f"{s.within}{'-' if d else '+'}{s.field}" for s, d in CASES])
def test_a_sorted_page_is_read_from_the_declared_index(loaded, sort, descending):
    import psycopg2

    con = psycopg2.connect(loaded)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT indexname FROM pg_indexes WHERE schemaname = 'atlas' AND tablename = 'projets'")
            assert sort.name("projets", descending) in {r[0] for r in cur.fetchall()}
            where = " AND ".join(f'"{c}" = %s' for c in sort.within) or "TRUE"
            params = []
            for column in sort.within:
                cur.execute(f'SELECT "{column}" FROM atlas.projets GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1')
                params.append(cur.fetchone()[0])
            order = "DESC NULLS LAST" if descending else "ASC NULLS FIRST"
            sql = f'SELECT id FROM atlas.projets WHERE {where} ORDER BY "{sort.field}" {order}, id ASC LIMIT 100'
            # the sample is small: forbid the sort (and the full scan) to see whether an index gives the order
            cur.execute("SET enable_sort = off; SET enable_incremental_sort = off; SET enable_seqscan = off")
            cur.execute("EXPLAIN " + sql, params)
            plan = "\n".join(r[0] for r in cur.fetchall())
            assert "Sort" not in plan and sort.name("projets", descending) in plan, plan
            got = [r[0] for r in (cur.execute(sql, params), cur.fetchall())[1]]
            cur.execute("SET enable_sort = on; SET enable_seqscan = on; SET enable_indexscan = off")
            cur.execute("SET enable_bitmapscan = off; SET enable_indexonlyscan = off")
            cur.execute(sql, params)
            assert got == [r[0] for r in cur.fetchall()]  # the same page as sorting the table
    finally:
        con.close()


@pytest.mark.parametrize("cover", sch.PROJETS.covering, ids=lambda c: c.name)
def test_the_load_writes_the_declared_covering_indexes(loaded, cover):
    """The covering indexes of ``Collection.covering`` (a country map's and the statistics' counts) are on
    PostGIS too, with their columns in the declared order."""
    import psycopg2

    con = psycopg2.connect(loaded)
    try:
        with con.cursor() as cur:
            cur.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                "JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
                "WHERE c.relname = %s ORDER BY array_position(i.indkey, a.attnum)",
                (cover.index_name("projets"),),
            )
            assert tuple(r[0] for r in cur.fetchall()) == cover.columns
    finally:
        con.close()
