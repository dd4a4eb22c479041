"""The statistics on PostGIS served from the cache of reads are the SQL's: the load copies the versions of
the GeoPackage's tables and adds the triggers that renew them, so that a write through any client is
seen by the next statistics at once."""

from __future__ import annotations

import pytest

from coopatlas import stats
from coopatlas.criteria import Criteria
from coopatlas.store import PostGISStore, postgis
from coopatlas.store.cached_reads import cache
from support.postgis import query

pytestmark = pytest.mark.xdist_group("postgis")


@pytest.fixture(scope="module")
def loaded(postgis_cluster, atlas_gpkg_path) -> str:
    url = postgis_cluster.create_database("stats_cached")
    postgis.load(atlas_gpkg_path, url)
    return url


def fresh(store, criteria) -> dict:
    cache.clear()
    return stats.statistics(store, criteria)


def test_statistics_are_cached_and_follow_a_write(loaded):
    import psycopg2

    store = PostGISStore(loaded)
    for params in ({}, {"continent": "afrique"}):
        criteria = Criteria.from_params(params)
        want = fresh(store, criteria)
        hits = cache.hits
        assert stats.statistics(store, criteria) == want
        assert cache.hits > hits
    before = stats.statistics(store, Criteria())
    versions = dict(query(loaded, "SELECT table_name, version FROM atlas.coopatlas_versions"))
    assert versions["demandes"] == versions["bourse_demandes"]
    con = psycopg2.connect(loaded)
    with con, con.cursor() as cur:  # another client's write: one project becomes an external action
        cur.execute(
            "UPDATE atlas.projets SET type_action = 'action_exterieure' WHERE id = "
            "(SELECT min(id) FROM atlas.projets WHERE type_action = 'cooperation_decentralisee')"
        )
    con.close()
    changed = dict(query(loaded, "SELECT table_name, version FROM atlas.coopatlas_versions"))
    assert {t for t in versions if versions[t] != changed[t]} == {"projets"}
    after = stats.statistics(store, Criteria())
    assert after["projets_actions_exterieures"] == before["projets_actions_exterieures"] + 1
    assert after == fresh(store, Criteria())
    store.close()
