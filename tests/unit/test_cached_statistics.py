"""The statistics served from the cache of reads (coopatlas.store.cached_reads) are the SQL's, always.

Oracle: for each search, the figures computed by the SQL with an empty cache; a second call must be
served from the cache (hits counted) and give the same figures. After a live write (the Bourse's request,
a collectivity's update of a project), the figures must be those of the SQL on the changed data, at once,
while the reads of the tables the write left alone stay cached. Runs on private copies of the test atlas,
without the reads the build persisted (their level is tested by test_persisted_statistics.py): an empty
cache of the process runs the SQL.
"""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from coopatlas import schema as sch
from coopatlas import stats
from coopatlas.criteria import Criteria
from coopatlas.store import Store, live_writer
from coopatlas.store.cached_reads import cache
from coopatlas.store.table_versions import VERSIONS_TABLE

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for "support"
from support.atlas import copy_without_reads

SEARCHES = [
    {},
    {"pays": "BF"},
    {"continent": "afrique"},
    {"type_action": "cooperation_decentralisee,action_exterieure"},
    {"thematique": "eau_assainissement"},
    {"region": "84", "annee_min": "2010"},
    {"q": "eau"},
]


@pytest.fixture()
def atlas_copy(atlas_gpkg_path, tmp_path) -> Path:
    return copy_without_reads(atlas_gpkg_path, tmp_path / "atlas.gpkg")


def fresh(store, criteria, **kw) -> dict:
    """The figures of the SQL: computed with an empty cache."""
    cache.clear()
    return stats.statistics(store, criteria, **kw)


@pytest.mark.parametrize("params", SEARCHES, ids=[str(p) for p in SEARCHES])
def test_cached_figures_are_the_sql_figures(atlas_copy, params):
    store = Store(atlas_copy)
    criteria = Criteria.from_params(params)
    for kw in ({}, {"lang": "en", "top": 500}):
        want = fresh(store, criteria, **kw)
        hits = cache.hits
        assert stats.statistics(store, criteria, **kw) == want
        assert cache.hits > hits  # served from the cache, not computed again
    store.close()


def test_the_count_of_countries_is_the_union_of_projects_and_requests(atlas_copy):
    """The countries are counted as the union of the projects' and the requests' (the former SQL)."""
    store = Store(atlas_copy)
    con = sqlite3.connect(atlas_copy)
    for params in SEARCHES:
        criteria = Criteria.from_params(params)
        wp, pp = criteria.where("projets", "sqlite")
        if criteria.not_applicable("demandes") or criteria.excludes("demandes"):
            sql, args = f"SELECT DISTINCT pays_code FROM projets WHERE {wp}", pp
        else:
            wd, pd_ = criteria.where("demandes", "sqlite")
            sql, args = (
                f"SELECT pays_code FROM projets WHERE {wp} UNION SELECT pays_code FROM demandes WHERE {wd}",
                [
                    *pp,
                    *pd_,
                ],
            )
        want = con.execute(f"SELECT COUNT(*) FROM ({sql}) AS p", args).fetchone()[0]
        assert fresh(store, criteria)["pays"] == want, params
    con.close()
    store.close()


def _public_request(con) -> dict:
    row = live_writer.read_row(
        con,
        sch.DEMANDES,
        con.execute(f"SELECT id FROM {sch.DEMANDES_TABLE} ORDER BY id LIMIT 1").fetchone()[0],
        sch.DEMANDES_TABLE,
    )
    row.update(id="TEST-LIVE-1", statut_validation="validee", pays_code="FJ", pays_nom="Fidji", continent="oceanie")
    return row


def test_a_live_request_is_counted_at_once_and_projects_stay_cached(atlas_copy):
    store = Store(atlas_copy)
    before = fresh(store, Criteria())
    with live_writer.transaction(atlas_copy) as con:
        live_writer.upsert(con, sch.DEMANDES, _public_request(con), sch.DEMANDES_TABLE)
    hits = cache.hits
    after = stats.statistics(store, Criteria())
    assert cache.hits > hits  # the project figures were not computed again
    assert after == fresh(store, Criteria())
    assert after["demandes_cooperation"] == before["demandes_cooperation"] + 1
    store.close()


def test_a_live_update_of_a_project_is_seen_at_once(atlas_copy):
    store = Store(atlas_copy)
    criteria = Criteria.from_params({"pays": "BF"})
    before = fresh(store, criteria)
    assert stats.statistics(store, criteria) == before  # now cached
    con = sqlite3.connect(atlas_copy)
    pid, kind = con.execute(
        "SELECT id, type_action FROM projets WHERE pays_code = 'BF' AND type_action = 'action_exterieure' LIMIT 1"
    ).fetchone()
    con.close()
    with live_writer.transaction(atlas_copy) as con:
        assert live_writer.update_fields(con, sch.PROJETS, pid, {"type_action": "cooperation_decentralisee"})
    after = stats.statistics(store, criteria)
    assert after["projets_actions_exterieures"] == before["projets_actions_exterieures"] - 1
    assert after["projets_cooperation_decentralisee"] == before["projets_cooperation_decentralisee"] + 1
    assert after == fresh(store, criteria)
    store.close()


def test_every_change_renews_the_version_of_its_table_and_views(atlas_copy):
    def versions():
        con = sqlite3.connect(atlas_copy)
        out = dict(con.execute(f"SELECT table_name, version FROM {VERSIONS_TABLE}"))
        con.close()
        return out

    first = versions()
    assert set(first) >= set(sch.COLLECTIONS) | {sch.DEMANDES_TABLE}
    assert first["demandes"] == first[sch.DEMANDES_TABLE]
    with live_writer.transaction(atlas_copy) as con:
        live_writer.upsert(con, sch.DEMANDES, _public_request(con), sch.DEMANDES_TABLE)
    second = versions()
    changed = {t for t in first if first[t] != second[t]}
    assert changed == {"demandes", sch.DEMANDES_TABLE}
    for statement in ("UPDATE projets SET titre = titre || '.' WHERE fid = 1", "DELETE FROM pays WHERE fid = 1"):
        con = live_writer.open_writer(atlas_copy)
        con.execute(statement)
        con.close()
        third = versions()
        assert {t for t in third if third[t] != second[t]} == {statement.split()[1 if "UPDATE" in statement else 2]}
        second = third


def test_a_database_without_versions_is_read_uncached(atlas_copy):
    con = sqlite3.connect(atlas_copy)
    con.execute(f"DROP TABLE {VERSIONS_TABLE}")
    con.close()
    store = Store(atlas_copy)
    want = fresh(store, Criteria())
    hits = cache.hits
    assert stats.statistics(store, Criteria()) == want
    assert cache.hits == hits
    store.close()
