"""The indexed sorts (``Collection.sorts``): the build writes their indexes, the provider's page reads them.

On the test atlas (the demo GeoPackage, analysed like every build), the SQL the GeoPackage provider runs
for a page sorted by a declared sort, alone or within an equality filter on a ``within`` field, must be
answered by SQLite from an index in the page's order: EXPLAIN QUERY PLAN of that very statement (caught
on the provider's connection) says no "USE TEMP B-TREE FOR ORDER BY" (SQLite would sort every match, the
×100 benchmark's 0.6 s page). The pages are compared with the rows sorted in Python.
"""

from __future__ import annotations

import sqlite3

import pytest

from coopatlas import schema as sch
from coopatlas.server.gpkg_layer import connect
from coopatlas.server.provider import AtlasGeoPackageProvider


def provider(path, cid="projets") -> AtlasGeoPackageProvider:
    return AtlasGeoPackageProvider(
        {
            "name": "coopatlas.server.provider.AtlasGeoPackageProvider",
            "type": "feature",
            "data": str(path),
            "id_field": "id",
            "table": cid,
        }
    )


def page_sql_and_plan(p: AtlasGeoPackageProvider, **query) -> tuple[dict, str, list[str]]:
    """(answer, the page's SELECT, its EXPLAIN QUERY PLAN lines) of one provider query."""
    con = connect(p.path)
    statements = []
    con.set_trace_callback(statements.append)
    try:
        answer = p.query(**query)
    finally:
        con.set_trace_callback(None)
    pages = [s for s in statements if " ORDER BY " in s and " LIMIT " in s and s.startswith("SELECT t.")]
    assert pages, statements
    plan = [row[3] for row in con.execute("EXPLAIN QUERY PLAN " + pages[-1]).fetchall()]
    return answer, pages[-1], plan


def oracle(path, where: dict, field: str, descending: bool, limit: int) -> list[str]:
    """The ids of the first page, sorted in Python (NULLs first ascending, last descending; ties by id)."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    rows = con.execute(f'SELECT id, "{field}", {", ".join(where) or "1"} FROM projets').fetchall()
    con.close()
    rows = [r for r in rows if all(v == where[k] for k, v in zip(where, r[2:]))] if where else rows
    rows.sort(key=lambda r: r[0])
    rows.sort(key=lambda r: (r[1] is not None, r[1] if r[1] is not None else 0), reverse=descending)
    return [r[0] for r in rows[:limit]]


CASES = [(sort, descending) for coll in sch.COLLECTIONS.values() for sort in coll.sorts for descending in (False, True)]


def test_projects_declare_the_benchmarks_sorts():
    assert sch.SortIndex("annee_lancement") in sch.PROJETS.sorts
    assert sch.SortIndex("annee_lancement", within=("continent",)) in sch.PROJETS.sorts


@pytest.mark.parametrize("sort,descending", CASES, ids=[f"{s.within}{'-' if d else '+'}{s.field}" for s, d in CASES])
def test_the_build_writes_each_declared_sort_index(atlas_gpkg_path, sort, descending):
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    name = sort.name("projets", descending)
    keys = [(r[2], bool(r[3])) for r in con.execute(f'PRAGMA index_xinfo("{name}")') if r[5] and r[2]]
    con.close()
    assert keys == sort.keys("id", descending)


@pytest.mark.parametrize("sort,descending", CASES, ids=[f"{s.within}{'-' if d else '+'}{s.field}" for s, d in CASES])
def test_a_page_of_a_declared_sort_is_read_in_order_from_its_index(atlas_gpkg_path, sort, descending):
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    where = {}
    for column in sort.within:  # the most frequent value: the case where sorting every match costs most
        where[column] = con.execute(
            f'SELECT "{column}" FROM projets GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1'
        ).fetchone()[0]
    con.close()
    p = provider(atlas_gpkg_path)
    for offset in (0, 250):
        answer, sql, plan = page_sql_and_plan(
            p,
            limit=100,
            offset=offset,
            properties=list(where.items()),
            sortby=[{"property": sort.field, "order": "-" if descending else "+"}],
        )
        assert not any("TEMP B-TREE" in line for line in plan), (sql, plan)
        assert any(sort.name("projets", descending) in line for line in plan), (sql, plan)
        want = oracle(atlas_gpkg_path, where, sort.field, descending, offset + 100)[offset:]
        assert [f["id"] for f in answer["features"]] == want


def test_a_sort_within_a_field_not_filtered_is_not_read_from_that_index(atlas_gpkg_path):
    """Within a continent, the index is the order of each continent apart: without the filter the page
    reads the index of the sort alone (or sorts), and the answer is the whole atlas's order."""
    p = provider(atlas_gpkg_path)
    answer, sql, plan = page_sql_and_plan(
        p, limit=50, properties=[("statut", "en_cours")], sortby=[{"property": "annee_lancement", "order": "-"}]
    )
    assert not any("continent" in line for line in plan), plan
    assert [f["id"] for f in answer["features"]] == oracle(
        atlas_gpkg_path, {"statut": "en_cours"}, "annee_lancement", True, 50
    )
