"""The Bourse on PostGIS: the atlas in the ``atlas`` schema, the live database in the ``coopatlas_live``
schema of the same database; the same workflow, concurrent submissions, and a reload of the atlas
(``coopatlas postgis``) that keeps the live data."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import bourse_helpers as H
import psycopg2
import pytest


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory, smtp, atlas_gpkg_path):
    from coopatlas.store.postgis import load
    from support.fixtures import shared_cluster

    gpkg = atlas_gpkg_path
    cluster = shared_cluster()
    url = cluster.create_database(f"bourse_{id(tmp_path_factory)}")
    load(gpkg, url)
    var = tmp_path_factory.mktemp("bourse-pg")
    srv = H.start_server(
        var, database_url=url, env={**H.SERVER_ENV, **H.smtp_env(smtp), "COOPATLAS_BOURSE_RATE": "100000/3600"}
    )
    H.create_account(srv, "admin.pg@coopatlas.example", "administrateur")
    H.create_account(srv, "amb.bf.pg@ambafrance.example", "ambassade", pays="BF")
    yield srv, url
    srv.stop()


def _sql(url, sql, params=()):
    con = psycopg2.connect(url)
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        con.close()


def test_workflow_on_postgis(pg_server, smtp):
    srv, url = pg_server
    bf = H.Api(srv, "amb.bf.pg@ambafrance.example")
    n_bf = srv.get("/collections/pays/items/BF?f=json").json()["properties"]["nb_demandes"]
    r = H.submit(
        srv,
        H.request_inputs(
            demandeur_nom="Commune PostGIS", lieu=None, lon=-2.236, lat=12.063, contact_email="pg@commune.example"
        ),
        H.new_ip(),
    )
    assert r.status_code == 200, r.text
    ref = r.json()["reference"]
    smtp.wait_for(to="bourse-projets.bf@ambafrance.example", contains=ref)
    # the live data is in its own schema, the request in the atlas's private table, not in the view
    assert _sql(url, "SELECT statut FROM coopatlas_live.demandes WHERE reference = %s", (ref,)) == [("soumise",)]
    assert _sql(url, "SELECT statut_validation FROM atlas.bourse_demandes WHERE id = %s", (ref,)) == [("soumise",)]
    assert _sql(url, "SELECT COUNT(*) FROM atlas.demandes WHERE id = %s", (ref,)) == [(0,)]
    assert srv.get(f"/collections/demandes/items/{ref}?f=json").status_code == 404
    assert ref in {d["id"] for d in bf.get("/api/bourse/demandes?statut=soumise").json()["demandes"]}
    assert bf.transition(ref, "validee", "OK").status_code == 200
    feat = srv.get(f"/collections/demandes/items/{ref}?f=json").json()
    assert feat["geometry"]["coordinates"] == [-2.236, 12.063]
    pid = feat["properties"]["demandeur_id"]
    p = srv.get(f"/collections/partenaires/items/{pid}?f=json").json()["properties"]
    assert p["en_recherche"] is True and p["nb_demandes"] == 1 and p["type_action_principal"] == "demande_cooperation"
    assert srv.get("/collections/pays/items/BF?f=json").json()["properties"]["nb_demandes"] == n_bf + 1
    found = srv.get("/collections/demandes/items", params={"f": "json", "q": "commune postgis"}).json()
    assert [f["id"] for f in found["features"]] == [ref]
    assert bf.transition(ref, "rejetee", "Retrait").status_code == 200
    assert srv.get(f"/collections/demandes/items/{ref}?f=json").status_code == 404
    assert srv.get(f"/collections/partenaires/items/{pid}?f=json").status_code == 404
    assert srv.get("/collections/pays/items/BF?f=json").json()["properties"]["nb_demandes"] == n_bf


def test_concurrent_submissions_and_reload_on_postgis(pg_server, atlas_gpkg_path):
    from coopatlas.store.postgis import load

    srv, url = pg_server
    admin = H.Api(srv, "admin.pg@coopatlas.example")
    stop = threading.Event()
    read_errors = []

    def reader():
        while not stop.is_set():
            r = srv.get("/collections/demandes/items?f=json&bbox=-6,9,3,16&limit=100")
            if r.status_code != 200:
                read_errors.append(r.status_code)

    t = threading.Thread(target=reader)
    t.start()
    with ThreadPoolExecutor(max_workers=20) as pool:
        results = list(pool.map(lambda i: H.submit(srv, H.request_inputs(), H.new_ip()), range(60)))
    stop.set()
    t.join(timeout=60)
    assert all(r.status_code == 200 for r in results), [r.text for r in results if r.status_code != 200][:3]
    refs = {r.json()["reference"] for r in results}
    assert len(refs) == 60 and not read_errors
    assert admin.transition(sorted(refs)[0], "validee", "Avant rechargement").status_code == 200
    # `coopatlas postgis` reloads the atlas schema as a whole: the live schema is untouched and re-applied
    load(atlas_gpkg_path, url)  # (the built atlas has none of the live requests)
    listed = {d["id"] for d in admin.get("/api/bourse/demandes?limit=5000").json()["demandes"]}
    assert refs <= listed
    assert srv.get(f"/collections/demandes/items/{sorted(refs)[0]}?f=json").status_code == 200
