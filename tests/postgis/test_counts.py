"""numberMatched on PostGIS: every value the server returns equals a count made with psql-style SQL
(psycopg2) on the same database; over its time budget it is omitted (with numberMatchedAtLeast) and
finished in the background; a Bourse request validated changes the cached counts of the tables it writes,
and only those; a write into projets gives the new count at the next request."""

from __future__ import annotations

import sys
from pathlib import Path

import psycopg2
import pytest

from support.counts_oracle import assert_counts_follow_versions, assert_every_number_matched, counts_found
from support.counts_oracle import projets_page as page

HERE = Path(__file__).resolve().parent
if str(HERE.parent / "bourse") not in sys.path:
    sys.path.insert(0, str(HERE.parent / "bourse"))

pytestmark = pytest.mark.xdist_group("postgis")

ENVELOPE = "ST_MakeEnvelope(-20, -35, 40, 60, 4326)"
#: (query parameters, the same filter in SQL over atlas.projets p) of the checked requests
CASES = [
    ({}, "true"),
    ({"type_action": "cooperation_decentralisee"}, "p.type_action = 'cooperation_decentralisee'"),
    ({"statut": "en_cours", "jumelage": "true"}, "p.statut = 'en_cours' AND p.jumelage"),
    ({"filter": "annee_lancement >= 2005 AND jumelage = true"}, "p.annee_lancement >= 2005 AND p.jumelage"),
    ({"filter": "annee_lancement < 1900"}, "p.annee_lancement < 1900"),
    ({"bbox": "-20,-35,40,60"}, f"ST_Intersects(p.geom, {ENVELOPE})"),
    ({"bbox": "-20,-35,40,60", "statut": "termine"}, f"p.statut = 'termine' AND ST_Intersects(p.geom, {ENVELOPE})"),
    ({"q": "eau"}, "p.recherche LIKE '% eau%'"),
]


def sql_count(url: str, sql: str) -> int:
    con = psycopg2.connect(url)
    try:
        with con.cursor() as cur:
            cur.execute(sql)
            return cur.fetchone()[0]
    finally:
        con.close()


def expected(url: str, where: str) -> int:
    return sql_count(url, f"SELECT COUNT(*) FROM atlas.projets p WHERE {where}")


@pytest.fixture(scope="module")
def pg_server(server_factory, postgis_url):
    return server_factory(database_url=postgis_url)


@pytest.fixture(scope="module")
def stingy_pg_server(server_factory, postgis_url):
    return server_factory(database_url=postgis_url, env={"COOPATLAS_COUNT_BUDGET_MS": "1"})


@pytest.mark.parametrize("params,where", CASES)
def test_every_number_matched_is_an_exact_count(pg_server, postgis_url, params, where):
    n = expected(postgis_url, where)
    assert_every_number_matched(pg_server, params, n)


def test_count_over_budget_is_omitted_then_finished(stingy_pg_server, postgis_url):
    omitted = 0
    for year in range(2001, 2007):  # fresh filters
        n = expected(postgis_url, f"p.annee_lancement >= {year} AND p.recherche LIKE '%a%'")
        assert n > 10
        params = {"filter": f"annee_lancement >= {year}", "q": "a", "limit": 10}
        first = page(stingy_pg_server, **params)
        assert first["numberReturned"] == 10
        if "numberMatched" in first:
            assert first["numberMatched"] == n
        else:
            assert first["numberMatchedAtLeast"] == 10
            omitted += 1
        assert counts_found(stingy_pg_server, params) == {n}
    assert omitted >= 1
    assert page(stingy_pg_server, resulttype="hits", filter="annee_lancement >= 1999")["numberMatched"] == expected(
        postgis_url, "p.annee_lancement >= 1999"
    )


def test_validated_request_changes_the_cached_count(postgis_cluster, atlas_gpkg_path, tmp_path):
    import bourse_helpers as H

    from coopatlas.store.postgis import load

    url = postgis_cluster.create_database(f"counts_{id(tmp_path)}")
    load(atlas_gpkg_path, url)
    sink = H.SmtpSink()
    srv = H.start_server(tmp_path / "var", database_url=url, env={**H.SERVER_ENV, **H.smtp_env(sink)})
    try:
        H.create_account(srv, "amb.bf.pgcounts@ambafrance.example", "ambassade", pays="BF")
        embassy = H.Api(srv, "amb.bf.pgcounts@ambafrance.example")

        def matched(cid, **params):
            r = srv.get(f"/collections/{cid}/items", params={"f": "json", "limit": 1, **params})
            assert r.status_code == 200, r.text
            return r.json()["numberMatched"]

        before = {"seeking": matched("partenaires", en_recherche="true"), "requests": matched("demandes")}
        for _ in range(3):  # cached by now in both workers
            assert matched("partenaires", en_recherche="true") == before["seeking"]
        assert before["seeking"] == sql_count(url, "SELECT COUNT(*) FROM atlas.partenaires WHERE en_recherche")
        r = H.submit(
            srv, H.request_inputs(demandeur_nom="Commune des comptes PG", lieu=None, lon=-1.5, lat=12.3), H.new_ip()
        )
        assert r.status_code == 200, r.text
        assert embassy.transition(r.json()["reference"], "validee", "OK").status_code == 200
        for _ in range(4):  # whichever worker answers
            assert matched("demandes") == before["requests"] + 1
            assert matched("partenaires", en_recherche="true") == before["seeking"] + 1
        assert matched("partenaires", en_recherche="true") == sql_count(
            url, "SELECT COUNT(*) FROM atlas.partenaires WHERE en_recherche"
        )
    finally:
        srv.stop()
        sink.stop()


def test_counts_follow_the_versions_of_the_tables_they_read(postgis_cluster, atlas_gpkg_path, tmp_path):
    """As on the GeoPackage: a Bourse request validated leaves the cached project count in place (a server
    whose uncached counts are over budget answers it at once) and gives the new requests' count; a write
    into ``projets`` (SQL on the loaded schema) gives the new project count at the next request."""
    import bourse_helpers as H

    from coopatlas.store.postgis import load

    url = postgis_cluster.create_database(f"versions_{id(tmp_path)}")
    load(atlas_gpkg_path, url)
    sink = H.SmtpSink()
    env = {**H.SERVER_ENV, **H.smtp_env(sink), "COOPATLAS_COUNT_BUDGET_MS": "1"}
    srv = H.start_server(tmp_path / "var", database_url=url, env=env)
    projects = {"filter": "annee_lancement >= 2003", "q": "a"}  # a count that takes more than 1 ms
    where = "p.annee_lancement >= 2003 AND p.recherche LIKE '%a%'"

    def body(cid, **params):
        r = srv.get(f"/collections/{cid}/items", params={"f": "json", "limit": 1, **params})
        assert r.status_code == 200, r.text
        return r.json()

    def validate_request():
        r = H.submit(
            srv, H.request_inputs(demandeur_nom="Commune des versions PG", lieu=None, lon=-1.5, lat=12.3), H.new_ip()
        )
        assert r.status_code == 200, r.text
        assert embassy.transition(r.json()["reference"], "validee", "OK").status_code == 200

    def write_project():
        con = psycopg2.connect(url)
        with con, con.cursor() as cur:
            cur.execute(
                "UPDATE atlas.projets SET annee_lancement = 2010 WHERE id = (SELECT id FROM atlas.projets p "
                "WHERE p.annee_lancement < 2003 AND p.recherche LIKE '%a%' ORDER BY id LIMIT 1)"
            )
        con.close()

    try:
        H.create_account(srv, "amb.bf.pgversions@ambafrance.example", "ambassade", pays="BF")
        embassy = H.Api(srv, "amb.bf.pgversions@ambafrance.example")
        assert_counts_follow_versions(
            body,
            projects,
            project_count=lambda: expected(url, where),
            request_count=lambda: sql_count(url, "SELECT COUNT(*) FROM atlas.demandes"),
            validate_request=validate_request,
            write_project=write_project,
        )
    finally:
        srv.stop()
        sink.stop()


def test_a_count_over_budget_leaves_no_connection_behind(postgis_url):
    """A count past its budget is cancelled by ``statement_timeout``, which holds until the transaction
    ends and may cancel its ROLLBACK too on a busy machine (a fresh-clone run once answered 503 for it):
    each such connection is discarded, the next count runs, and no connection stays checked out."""
    from coopatlas.server import counts
    from coopatlas.server.postgis_provider import AtlasPostgreSQLProvider
    from coopatlas.store.postgis import pygeoapi_provider_config

    provider = AtlasPostgreSQLProvider(pygeoapi_provider_config(postgis_url, "projets"))
    world = [-180, -90, 180, 90]  # every geometry tested against the box: tens of ms, far past 1 ms
    for _ in range(50):
        with pytest.raises(counts.OverBudget):
            provider._count_matches(world, None, [], None, 1e-6)  # 1 ms of statement_timeout
    exact = provider._count_matches(world, None, [], None, None)
    assert exact == sql_count(postgis_url, "SELECT COUNT(*) FROM atlas.projets")
    assert provider._engine.pool.checkedout() == 0
