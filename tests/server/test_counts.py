"""numberMatched on the GeoPackage: every value the server returns equals a count made with sqlite3 on the
same file; over its time budget it is omitted (with numberMatchedAtLeast), then finished in the background;
a live write (a Bourse request validated) changes the cached counts of the tables it writes, and only those."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from support.counts_oracle import assert_counts_follow_versions, assert_every_number_matched, counts_found
from support.counts_oracle import projets_page as page

HERE = Path(__file__).resolve().parent
if str(HERE.parent / "bourse") not in sys.path:
    sys.path.insert(0, str(HERE.parent / "bourse"))

#: (query parameters, the same filter in SQL over projets p) of the checked requests
CASES = [
    ({}, "1"),
    ({"type_action": "cooperation_decentralisee"}, "p.type_action = 'cooperation_decentralisee'"),
    ({"statut": "en_cours", "jumelage": "true"}, "p.statut = 'en_cours' AND p.jumelage = 1"),
    ({"filter": "annee_lancement >= 2005 AND jumelage = true"}, "p.annee_lancement >= 2005 AND p.jumelage = 1"),
    ({"filter": "annee_lancement < 1900"}, "p.annee_lancement < 1900"),
    (
        {"bbox": "-20,-35,40,60"},
        "p.fid IN (SELECT id FROM rtree_projets_geom WHERE minx >= -20 AND maxx <= 40 AND miny >= -35 AND maxy <= 60)",
    ),
    (
        {"bbox": "-20,-35,40,60", "statut": "termine"},
        "p.statut = 'termine' AND p.fid IN (SELECT id FROM rtree_projets_geom WHERE minx >= -20 AND maxx <= 40 "
        "AND miny >= -35 AND maxy <= 60)",
    ),
    ({"q": "eau"}, "p.recherche LIKE '% eau%'"),
]


@pytest.fixture(scope="module")
def db(atlas_gpkg_path):
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    yield con
    con.close()


def expected(db, where: str) -> int:
    return db.execute(f"SELECT COUNT(*) FROM projets p WHERE {where}").fetchone()[0]


def test_search_column_semantics(db):
    # the independent count of q relies on recherche being the normalised words separated by spaces
    assert expected(db, "p.recherche LIKE '% eau%'") > 0


@pytest.mark.parametrize("params,where", CASES)
def test_every_number_matched_is_an_exact_count(atlas_server, db, params, where):
    n = expected(db, where)
    assert_every_number_matched(atlas_server, params, n)


@pytest.fixture(scope="module")
def stingy_server(server_factory, atlas_gpkg_path):
    """A server whose counts may take a microsecond: every count that is not cached is over budget."""
    return server_factory(gpkg=atlas_gpkg_path, env={"COOPATLAS_COUNT_BUDGET_MS": "0.001"})


#: The world as a box, and the projects inside it in SQL (points: their R-tree box is the point)
WORLD = "-180,-90,180,90"
IN_WORLD = (
    "p.fid IN (SELECT id FROM rtree_projets_geom WHERE minx >= -180 AND maxx <= 180 AND miny >= -90 AND maxy <= 90)"
)


def test_count_over_budget_is_omitted_then_finished(stingy_server, db):
    """A box with a row filter: the page is read, then counted, over budget: the answer gives
    ``numberMatchedAtLeast``, and the count finished in the background makes the next pages exact. (A row
    filter alone is counted before the page, and its background count, quick on the test atlas, may be
    cached before the page is done: the answer then carries it.)"""
    for year in range(2001, 2007):  # fresh filters: not counted yet
        n = expected(db, f"p.annee_lancement >= {year} AND {IN_WORLD}")
        assert n > 10
        params = {"bbox": WORLD, "filter": f"annee_lancement >= {year}", "limit": 10}
        first = page(stingy_server, **params)
        assert first["numberReturned"] == 10
        assert "numberMatched" not in first and first["numberMatchedAtLeast"] == 10
        # the background count fills the cache of the worker; once there, it is exact
        assert counts_found(stingy_server, params) == {n}
    html = stingy_server.get(
        "/collections/projets/items",
        f="html",
        lang="fr",
        limit=10,
        **{"bbox": WORLD, "filter": "annee_lancement >= 1990 AND jumelage = true"},
    )
    assert html.status_code == 200
    assert "Objets correspondants : au moins 10 —" in html.text  # the HTML page says a lower bound
    # the page tells the count of a last page: exact, whatever the budget
    n = expected(db, "p.annee_lancement >= 2001")
    assert page(stingy_server, filter="annee_lancement >= 2001", offset=n - 3, limit=10)["numberMatched"] == n
    # resulttype=hits always counts
    assert page(stingy_server, resulttype="hits", filter="annee_lancement >= 1999")["numberMatched"] == expected(
        db, "p.annee_lancement >= 1999"
    )


def test_validated_request_changes_the_cached_count(tmp_path, atlas_gpkg_path):
    import bourse_helpers as H

    sink = H.SmtpSink()
    gpkg = H.copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    srv = H.start_server(tmp_path / "var", gpkg=gpkg, env={**H.SERVER_ENV, **H.smtp_env(sink)})
    try:
        H.create_account(srv, "amb.bf.counts@ambafrance.example", "ambassade", pays="BF")
        embassy = H.Api(srv, "amb.bf.counts@ambafrance.example")

        def matched(cid, **params):
            r = srv.get(f"/collections/{cid}/items", params={"f": "json", "limit": 1, **params})
            assert r.status_code == 200, r.text
            return r.json()["numberMatched"]

        def truth(sql):
            return sql_truth(gpkg, sql)

        before = {"seeking": matched("partenaires", en_recherche="true"), "requests": matched("demandes")}
        for _ in range(3):  # cached by now in both workers
            assert matched("partenaires", en_recherche="true") == before["seeking"]
        assert before["seeking"] == truth("SELECT COUNT(*) FROM partenaires WHERE en_recherche = 1")
        r = H.submit(
            srv, H.request_inputs(demandeur_nom="Commune des comptes", lieu=None, lon=-1.5, lat=12.3), H.new_ip()
        )
        assert r.status_code == 200, r.text
        assert embassy.transition(r.json()["reference"], "validee", "OK").status_code == 200
        for _ in range(4):  # whichever worker answers
            assert matched("demandes") == before["requests"] + 1
            assert matched("partenaires", en_recherche="true") == before["seeking"] + 1
        assert matched("partenaires", en_recherche="true") == truth(
            "SELECT COUNT(*) FROM partenaires WHERE en_recherche = 1"
        )
    finally:
        srv.stop()
        sink.stop()


def test_counts_follow_the_versions_of_the_tables_they_read(tmp_path, atlas_gpkg_path):
    """A count is cached under the version of the table it reads: a Bourse request validated (written into
    the requests' table) leaves the cached project count in place (a server whose every uncached count is
    over budget answers it at once) and gives the new requests' count; a write into ``projets`` (SQL on
    the served file) gives the new project count at the next request, in every worker."""
    import bourse_helpers as H

    sink = H.SmtpSink()
    gpkg = H.copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    env = {**H.SERVER_ENV, **H.smtp_env(sink), "COOPATLAS_COUNT_BUDGET_MS": "0.001"}
    srv = H.start_server(tmp_path / "var", gpkg=gpkg, env=env)
    projects = {"filter": "annee_lancement >= 2003"}

    def body(cid, **params):
        r = srv.get(f"/collections/{cid}/items", params={"f": "json", "limit": 1, **params})
        assert r.status_code == 200, r.text
        return r.json()

    def truth(sql):
        return sql_truth(gpkg, sql)

    def validate_request():
        r = H.submit(
            srv, H.request_inputs(demandeur_nom="Commune des versions", lieu=None, lon=-1.5, lat=12.3), H.new_ip()
        )
        assert r.status_code == 200, r.text
        assert embassy.transition(r.json()["reference"], "validee", "OK").status_code == 200

    def write_project():
        con = sqlite3.connect(gpkg)
        with con:
            con.execute(
                "UPDATE projets SET annee_lancement = 2010 WHERE id = "
                "(SELECT id FROM projets WHERE annee_lancement < 2003 ORDER BY id LIMIT 1)"
            )
        con.close()

    try:
        H.create_account(srv, "amb.bf.versions@ambafrance.example", "ambassade", pays="BF")
        embassy = H.Api(srv, "amb.bf.versions@ambafrance.example")
        n = assert_counts_follow_versions(
            body,
            projects,
            project_count=lambda: truth("SELECT COUNT(*) FROM projets WHERE annee_lancement >= 2003"),
            request_count=lambda: truth("SELECT COUNT(*) FROM demandes"),
            validate_request=validate_request,
            write_project=write_project,
        )
        assert counts_found(srv_pages(srv), {**projects, "limit": 1}) == {n}
    finally:
        srv.stop()
        sink.stop()


def sql_truth(gpkg, sql: str):
    """The first value of ``sql`` read by sqlite3 on ``gpkg``, read-only: the count a server's must equal."""
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        return con.execute(sql).fetchone()[0]
    finally:
        con.close()


def srv_pages(srv):
    """A Bourse test server as the counts oracle reads it (``get(path, **params)``)."""

    class Pages:
        def get(self, path, **params):
            return srv.get(path, params=params)

    return Pages()


def test_an_atlas_without_versions_counts_at_each_request(server_factory, atlas_gpkg_path, tmp_path):
    """An atlas built before the tables had versions: its counts are exact and never cached (a write is
    counted at the next request), its tiles are made."""
    from support.atlas import copy_atlas

    gpkg = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    con = sqlite3.connect(gpkg)
    with con:
        for (name,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%_version_%'"):
            con.execute(f'DROP TRIGGER "{name}"')
        con.execute("DROP TABLE coopatlas_versions")
    con.close()
    server = server_factory(gpkg=gpkg)
    params, where = CASES[2]
    db = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        n = expected(db, where)
        assert_every_number_matched(server, params, n)
        con = sqlite3.connect(gpkg)
        with con:
            con.execute(
                "UPDATE projets SET statut = 'en_cours', jumelage = 1 WHERE id = "
                "(SELECT id FROM projets WHERE NOT (statut = 'en_cours' AND jumelage = 1) ORDER BY id LIMIT 1)"
            )
        con.close()
        assert expected(db, where) == n + 1
    finally:
        db.close()
    for _ in range(4):
        assert page(server, limit=1, **params)["numberMatched"] == n + 1
    assert server.get("/collections/projets/tiles/WebMercatorQuad/0/0/0", f="mvt").status_code == 200
