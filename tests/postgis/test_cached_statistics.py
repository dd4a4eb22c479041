"""The statistics on PostGIS served from the cache of reads are the SQL's: the load copies the versions of
the GeoPackage's tables and adds the triggers that renew them, so that a write through any client is
seen by the next statistics at once. ``coopatlas postgis`` also persists the reads of the standard
searches in the loaded schema: an empty cache of the process answers from them (no statement on the
large tables), as the SQL and as the GeoPackage; after a write, the changed table's reads run again."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from coopatlas import stats, stats_warm
from coopatlas.criteria import Criteria
from coopatlas.store import PostGISStore, Store, postgis
from coopatlas.store.cached_reads import cache
from coopatlas.store.persisted_reads import READS_TABLE
from support.atlas import copy_without_reads
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


# --- the reads persisted by ``coopatlas postgis`` (coopatlas.store.persisted_reads, coopatlas.stats_warm) ---

ROOT = Path(__file__).resolve().parents[2]
_LARGE = re.compile(r"\bFROM\s+(projets|demandes|bourse_demandes|apd)\b", re.IGNORECASE)


class CountingStore(PostGISStore):
    """The PostGIS store, recording the statements it runs on the large tables."""

    def __init__(self, location):
        super().__init__(location)
        self.large_reads: list[str] = []

    def rows(self, sql, params=()):
        if _LARGE.search(sql):
            self.large_reads.append(sql)
        return super().rows(sql, params)


@pytest.fixture(scope="module")
def loaded_by_the_command(postgis_cluster, atlas_gpkg_path) -> str:
    url = postgis_cluster.create_database("stats_persisted")
    proc = subprocess.run(
        [sys.executable, "-m", "coopatlas", "postgis", "--gpkg", str(atlas_gpkg_path), "--url", url, "--quiet"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr
    return url


def _gpkg_sql_figures(atlas_gpkg_path, tmp_path, criteria) -> dict:
    store = Store(copy_without_reads(atlas_gpkg_path, tmp_path / "plain.gpkg"))
    try:
        return fresh(store, criteria)
    finally:
        store.close()


def test_the_load_persists_reads_that_answer_as_the_sql_and_the_geopackage(
    loaded_by_the_command, atlas_gpkg_path, tmp_path
):
    import psycopg2

    url = loaded_by_the_command
    assert query(url, f"SELECT count(*) FROM atlas.{READS_TABLE}")[0][0] > 100
    store = CountingStore(url)
    searches = [Criteria.from_params(p) for p in ({}, {"pays": "BF"}, {"continent": "afrique"})]
    answers = []
    for criteria in searches:
        cache.clear()
        answers.append(stats.statistics(store, criteria))
        assert store.large_reads == []  # every read found in the persisted level
    for criteria, got in zip(searches, answers):
        assert got == _gpkg_sql_figures(atlas_gpkg_path, tmp_path, criteria)  # parity
    con = psycopg2.connect(url)
    with con, con.cursor() as cur:  # no trigger on the persisted reads: the versions stay
        cur.execute(f"DROP TABLE atlas.{READS_TABLE}")
    con.close()
    for criteria, got in zip(searches, answers):
        assert got == fresh(store, criteria)  # the PostGIS SQL's
    assert store.large_reads  # which the count sees (the proof above can fail)
    store.close()


def test_after_a_write_the_persisted_reads_of_projects_are_not_used(postgis_cluster, atlas_gpkg_path):
    import psycopg2

    url = postgis_cluster.create_database("stats_persisted_write")
    postgis.load(atlas_gpkg_path, url, finish=stats_warm.finish_load)
    con = psycopg2.connect(url)
    with con, con.cursor() as cur:
        cur.execute(
            "UPDATE atlas.projets SET type_action = 'action_exterieure' WHERE id = "
            "(SELECT min(id) FROM atlas.projets WHERE pays_code = 'BF' AND type_action = 'cooperation_decentralisee')"
        )
    con.close()
    criteria = Criteria.from_params({"pays": "BF"})
    store = CountingStore(url)
    cache.clear()
    after = stats.statistics(store, criteria)
    assert any("projets" in s for s in store.large_reads)  # computed again
    con = psycopg2.connect(url)
    with con, con.cursor() as cur:  # no trigger on the persisted reads: the versions stay
        cur.execute(f"DROP TABLE atlas.{READS_TABLE}")
    con.close()
    assert after == fresh(store, criteria)  # the SQL's, on the changed data
    store.close()
