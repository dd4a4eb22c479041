"""The jobs of the processes (issue 13): seen only by whoever started them, capped, purged, and synchronous
executions not stored; two accounts and anonymous clients, on the GeoPackage and on PostGIS."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import bourse_helpers as H
import pytest

ASYNC = {"Prefer": "respond-async"}


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory, smtp, atlas_gpkg_path):
    from coopatlas.store.postgis import load
    from support.fixtures import shared_cluster

    url = shared_cluster().create_database(f"hardening_jobs_{id(tmp_path_factory)}")
    load(atlas_gpkg_path, url)
    srv = H.start_server(
        tmp_path_factory.mktemp("hardening-jobs-pg"), database_url=url, env={**H.SERVER_ENV, **H.smtp_env(smtp)}
    )
    for email, role, coll in (
        ("admin.jobs@coopatlas.example", "administrateur", None),
        ("col.a.jobs@collectivite.example", "collectivite", "a"),
        ("col.b.jobs@collectivite.example", "collectivite", "b"),
    ):
        H.create_account(srv, email, role, collectivite=_collectivity(url, coll) if coll else None)
    yield srv
    srv.stop()


def _collectivity(url: str, which: str) -> str:
    import psycopg2

    con = psycopg2.connect(url)
    try:
        with con.cursor() as cur:
            cur.execute("SELECT id FROM atlas.collectivites ORDER BY id LIMIT 2")
            ids = [r[0] for r in cur.fetchall()]
    finally:
        con.close()
    return ids[0] if which == "a" else ids[1]


@pytest.fixture(params=["gpkg", "postgis"])
def clients(request, server, people):
    """(server, {"admin", "col_a", "col_b": Api of accounts; "anon1", "anon2": anonymous sessions})."""
    if request.param == "gpkg":
        srv, accounts = server, {k: people[k] for k in ("admin", "col_a", "col_b")}
    else:
        srv = request.getfixturevalue("pg_server")
        accounts = {
            "admin": H.Api(srv, "admin.jobs@coopatlas.example"),
            "col_a": H.Api(srv, "col.a.jobs@collectivite.example"),
            "col_b": H.Api(srv, "col.b.jobs@collectivite.example"),
        }
    return srv, {**accounts, "anon1": H.http_session(), "anon2": H.http_session()}


def _post(client, srv, path, **kw):
    kw.setdefault("timeout", 120)
    if isinstance(client, H.Api):
        return client.post(path, **kw)
    return client.post(srv.url + path, **kw)


def _get(client, srv, path, **kw):
    kw.setdefault("timeout", 60)
    if isinstance(client, H.Api):
        return client.get(path, **kw)
    return client.get(srv.url + path, **kw)


def _start(client, srv, process="statistiques", inputs=None) -> str:
    r = _post(client, srv, f"/processes/{process}/execution", json={"inputs": inputs or {}}, headers=ASYNC)
    assert r.status_code == 201, r.text
    return r.headers["Location"].rstrip("/").rsplit("/", 1)[-1]


def _wait(client, srv, job_id, timeout=120) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        job = _get(client, srv, f"/jobs/{job_id}?f=json").json()
        if job.get("status") in ("successful", "failed") or time.monotonic() > deadline:
            return job
        time.sleep(0.3)


def _listed(client, srv) -> set[str]:
    r = _get(client, srv, "/jobs?f=json&limit=1000")
    assert r.status_code == 200, r.text
    return {j["jobID"] for j in r.json()["jobs"]}


def test_jobs_are_seen_by_whoever_started_them_only(clients):
    srv, c = clients
    jobs = {who: _start(c[who], srv) for who in ("anon1", "anon2", "col_a", "col_b")}
    for who, job_id in jobs.items():
        assert _wait(c[who], srv, job_id)["status"] == "successful"
    for who, job_id in jobs.items():
        assert _listed(c[who], srv) == {job_id}, who
        assert _get(c[who], srv, f"/jobs/{job_id}/results?f=json").status_code == 200
    assert set(jobs.values()) <= _listed(c["admin"], srv)
    stranger = H.http_session()
    assert _listed(stranger, srv) == set()  # no cookie, no account: no job
    stranger.cookies.set("coopatlas_travaux", "x" * 43)
    assert _listed(stranger, srv) == set()
    for who, other in (("anon2", "anon1"), ("anon1", "col_a"), ("col_b", "col_a"), ("col_a", "anon2")):
        for path in (f"/jobs/{jobs[other]}?f=json", f"/jobs/{jobs[other]}/results?f=json"):
            assert _get(c[who], srv, path).status_code == 404, (who, path)
        assert jobs[other] not in _get(c[who], srv, "/jobs?f=html").text
    assert _get(c["admin"], srv, f"/jobs/{jobs['anon1']}?f=json").status_code == 200


def test_synchronous_executions_are_not_stored(clients):
    srv, c = clients
    before = _listed(c["admin"], srv)
    for who in ("anon1", "col_a"):
        r = _post(c[who], srv, "/processes/statistiques/execution", json={"inputs": {}})
        assert r.status_code == 200, r.text
        assert "Location" not in r.headers
    assert _listed(c["admin"], srv) == before


def test_personal_space_exports_make_no_job(server, people):
    """A PDF made for a personal space is made in-process: no job that anybody (an administrator included)
    could list or read."""
    before = _listed(people["admin"], server)
    r = people["col_a"].post(
        "/api/espace",
        json={"genre": "export", "nom": "Statistiques privées", "processus": "statistiques", "inputs": {}},
    )
    assert r.status_code == 201, r.text
    assert _listed(people["admin"], server) == before


# --- caps and retention: a server of their own -----------------------------------------------------------------

RETENTION_HOURS = 0.002  # 7.2 s


@pytest.fixture(scope="module")
def capped(tmp_path_factory, atlas_gpkg_path):
    base = tmp_path_factory.mktemp("jobs-capped")
    env = {
        **H.SERVER_ENV,
        "COOPATLAS_JOBS_PER_CLIENT": "1",
        "COOPATLAS_JOBS_TOTAL": "2",
        "COOPATLAS_JOBS_RETENTION_HOURS": str(RETENTION_HOURS),
    }
    srv = H.start_server(base / "var", gpkg=H.copy_atlas(atlas_gpkg_path, base / "atlas.gpkg"), env=env)
    yield srv
    srv.stop()  # and the jobs still running with it


def _result_files(srv) -> set[str]:
    return {p.name for p in (Path(srv.var) / "jobs").iterdir()}


def test_jobs_are_purged_after_their_retention(capped):
    client = H.http_session()
    job_id = _start(client, capped)
    assert _wait(client, capped, job_id)["status"] == "successful"
    assert any(job_id in name for name in _result_files(capped))
    time.sleep(RETENTION_HOURS * 3600 + 1)
    deadline = time.monotonic() + 30
    while _get(client, capped, f"/jobs/{job_id}?f=json").status_code != 404:  # each worker purges on a request
        assert time.monotonic() < deadline, "job not purged"
        time.sleep(1)
    assert not any(job_id in name for name in _result_files(capped))


def test_jobs_purge_command(capped):
    client = H.http_session()
    job_id = _start(client, capped)
    assert _wait(client, capped, job_id)["status"] == "successful"
    env = {k: v for k, v in capped.env.items() if k not in ("PYGEOAPI_CONFIG", "PYGEOAPI_OPENAPI")}
    out = subprocess.run(
        [sys.executable, "-m", "coopatlas", "jobs", "--var", str(capped.var), "purge", "--older-than-hours", "0"],
        capture_output=True,
        text=True,
        cwd=H.ROOT,
        env=env,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    assert "job(s) deleted" in out.stdout and not out.stdout.startswith("0 ")
    assert _get(client, capped, f"/jobs/{job_id}?f=json").status_code == 404
    assert not any(job_id in name for name in _result_files(capped))


def test_asynchronous_jobs_are_capped_per_client_and_in_total(capped):
    first, second, third = H.http_session(), H.http_session(), H.http_session()
    world = {"atlas": "monde"}  # a long job: still running while the test runs
    _start(first, capped, "carte-pays", world)
    r = _post(first, capped, "/processes/statistiques/execution", json={"inputs": {}}, headers=ASYNC)
    assert r.status_code == 429, r.text
    assert int(r.headers["Retry-After"]) > 0 and "the most per client" in r.json()["description"]
    r = _post(first, capped, "/processes/statistiques/execution", json={"inputs": {}})  # synchronous: not capped
    assert r.status_code == 200, r.text
    _start(second, capped, "carte-pays", world)
    r = _post(third, capped, "/processes/statistiques/execution", json={"inputs": {}}, headers=ASYNC)
    assert r.status_code == 429, r.text
    assert int(r.headers["Retry-After"]) > 0 and "retry later" in r.json()["description"]
