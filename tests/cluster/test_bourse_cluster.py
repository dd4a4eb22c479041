"""The Bourse projets on a small cluster: two ``coopatlas serve`` instances (A and B, 2 workers each) over one
PostgreSQL/PostGIS (``tests/support/cluster.py``), as a load balancer would send one user's requests to
either. Everything a server keeps (requests, sessions and their signing key, login counters, personal
spaces, the mail queue) is in the database: what A acknowledged, B sees, and the limits hold for both
together. The mails are retried by whichever sender is alive (``coopatlas mail``, or a server's background
sender), to a real SMTP server (aiosmtpd) that is down at first.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import psycopg2
import pytest
import requests

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "bourse"))  # the Bourse's test helpers (SMTP sink, accounts, API client)

import bourse_helpers as H  # noqa: E402

from support.cluster import AtlasCluster, load_atlas  # noqa: E402
from support.postgis import free_port  # noqa: E402
from support.servers import AtlasServer  # noqa: E402

ROOT = HERE.parents[1]
EMBASSY = "amb.bf.cluster@ambafrance.example"
COLLECTIVITY_ADMIN = "admin.cluster@coopatlas.example"
#: No SMTP server listens there until a test starts the sink on it: every first attempt fails.
SMTP_PORT = free_port()
CLUSTER_ENV = {
    **H.SERVER_ENV,
    "COOPATLAS_ATLAS_READONLY": "0",
    "COOPATLAS_BOURSE_RATE": "100000/3600",
    "COOPATLAS_SMTP_HOST": "127.0.0.1",
    "COOPATLAS_SMTP_PORT": str(SMTP_PORT),
    "COOPATLAS_SMTP_TIMEOUT": "3",
    "COOPATLAS_MAIL_INTERVAL": "0",  # the servers send at each change only: the retries are the command's
    "COOPATLAS_MAIL_RETRY_SECONDS": "1",
}


@pytest.fixture(scope="module")
def cluster(atlas_gpkg_path):
    from support.fixtures import shared_cluster

    with AtlasCluster(atlas_gpkg_path, env=CLUSTER_ENV, postgres=shared_cluster()) as made:
        H.create_account(made.a, EMBASSY, "ambassade", pays="BF")
        H.create_account(made.a, COLLECTIVITY_ADMIN, "administrateur")
        yield made


def _sql(url: str, sql: str, params=()) -> list[tuple]:
    con = psycopg2.connect(url)
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall() if cur.description else []
        con.commit()
        return rows
    finally:
        con.close()


def _submit(server) -> str:
    r = H.submit(server, H.request_inputs(), H.new_ip())
    assert r.status_code == 200, r.text
    return r.json()["reference"]


def test_request_submitted_on_a_is_validated_on_b_and_public_on_both(cluster):
    a, b = cluster.a, cluster.b
    ref = _submit(a)
    # acknowledged: committed in the live database before the answer (no later flush could lose it)
    assert _sql(cluster.database_url, "SELECT statut FROM coopatlas_live.demandes WHERE reference = %s", (ref,)) == [
        ("soumise",)
    ]
    embassy_b = H.Api(b, EMBASSY)
    assert ref in {d["id"] for d in embassy_b.get("/api/bourse/demandes?statut=soumise").json()["demandes"]}
    for server in (a, b):
        assert requests.get(f"{server.url}/collections/demandes/items/{ref}?f=json", timeout=30).status_code == 404
    assert embassy_b.transition(ref, "validee", "Validée sur B").status_code == 200
    for server in (a, b):  # the atlas is one database: public at once on every server
        feature = requests.get(f"{server.url}/collections/demandes/items/{ref}?f=json", timeout=30)
        assert feature.status_code == 200, (server.url, feature.text)
        assert feature.json()["properties"]["statut_validation"] == "validee"
    trail = H.Api(a, EMBASSY).get(f"/api/bourse/demandes/{ref}").json()
    assert [t["vers"] for t in trail["historique"]] == ["soumise", "validee"]


def test_login_limit_holds_across_both_servers(cluster):
    limit = int(H.SERVER_ENV["COOPATLAS_LOGIN_RATE"].split("/")[0])
    address = {"X-Forwarded-For": H.new_ip()}
    servers = [cluster.a, cluster.b]
    for attempt in range(limit):  # alternately on A and B: each server alone would allow `limit` more
        r = requests.post(
            servers[attempt % 2].url + "/api/jetons",
            json={"email": EMBASSY, "mot_de_passe": "pas le bon mot de passe"},
            headers=address,
            timeout=30,
        )
        assert r.status_code == 401, (attempt, r.text)
    for server in servers:
        r = requests.post(
            server.url + "/api/jetons", json={"email": EMBASSY, "mot_de_passe": H.PASSWORD}, headers=address, timeout=30
        )
        assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0, (server.url, r.status_code, r.text)


def test_session_and_form_tokens_of_a_are_valid_on_b(cluster):
    a, b = cluster.a, cluster.b
    s = requests.Session()
    page = s.get(a.url + "/compte/connexion", timeout=30)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    # the form of A (its CSRF token signed with the key of A) is posted to B: one key for all servers
    r = s.post(
        b.url + "/compte/connexion",
        data={"email": EMBASSY, "password": H.PASSWORD, "csrf": csrf},
        cookies={"coopatlas_csrf": page.cookies.get("coopatlas_csrf")},
        allow_redirects=False,
        timeout=30,
    )
    assert r.status_code == 303, r.text
    session = r.cookies.get("coopatlas_session")
    assert session
    for server in (a, b):
        home = requests.get(server.url + "/compte", cookies={"coopatlas_session": session}, timeout=30)
        assert home.status_code == 200 and EMBASSY in home.text, server.url
    # the forms of the session (CSRF derived from the session with the shared key): logout from A
    home = requests.get(b.url + "/compte", cookies={"coopatlas_session": session}, timeout=30)
    token = re.search(r'name="csrf" value="([^"]+)"', home.text).group(1)
    out = requests.post(
        a.url + "/compte/deconnexion",
        data={"csrf": token},
        cookies={"coopatlas_session": session},
        allow_redirects=False,
        timeout=30,
    )
    assert out.status_code == 303
    after = requests.get(b.url + "/compte", cookies={"coopatlas_session": session}, allow_redirects=False, timeout=30)
    assert after.status_code == 303 and "/compte/connexion" in after.headers["Location"]


def test_personal_space_pdf_saved_on_a_is_listed_and_downloaded_on_b(cluster):
    pdf = b"%PDF-1.4\n% rapport de test du cluster " + os.urandom(64) + b"\n%%EOF\n"
    saved = H.Api(cluster.a, COLLECTIVITY_ADMIN).post(
        "/api/espace",
        data={"genre": "export", "nom": "Rapport Burkina Faso"},
        files={"fichier": ("rapport.pdf", pdf, "application/pdf")},
    )
    assert saved.status_code == 201, saved.text
    item = saved.json()["id"]
    on_b = H.Api(cluster.b, COLLECTIVITY_ADMIN)
    listed = {e["id"]: e for e in on_b.get("/api/espace").json()["elements"]}
    assert listed[item]["nom"] == "Rapport Burkina Faso" and listed[item]["taille"] == len(pdf)
    got = on_b.get(f"/api/espace/{item}/contenu")
    assert got.status_code == 200 and got.headers["Content-Type"] == "application/pdf"
    assert got.content == pdf
    assert on_b.delete(f"/api/espace/{item}").status_code == 204
    assert H.Api(cluster.a, COLLECTIVITY_ADMIN).get(f"/api/espace/{item}").status_code == 404


def _mail_command(cluster, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPATLAS_") and k != "PYGEOAPI_CONFIG"}
    env.update(CLUSTER_ENV)
    env["COOPATLAS_DATABASE_URL"] = cluster.database_url
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return subprocess.run(
        [sys.executable, "-m", "coopatlas", "mail", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _tries(cluster, ref: str) -> list[tuple]:
    return _sql(
        cluster.database_url,
        "SELECT tentatives, envoye IS NOT NULL FROM coopatlas_live.courriels WHERE corps LIKE %s ORDER BY id",
        (f"%{ref}%",),
    )


def test_mail_queued_on_a_is_retried_by_the_mail_command_once_smtp_answers(cluster):
    ref = _submit(cluster.a)  # its two mails (embassy, submitter) fail at once: no SMTP server yet
    assert _tries(cluster, ref) == [(1, False), (1, False)]
    down = _mail_command(cluster)  # retried (after the 1 s backoff) and failed again: still queued
    assert down.returncode == 0, down.stderr
    assert [sent for _, sent in _tries(cluster, ref)] == [False, False]
    sink = H.SmtpSink(port=SMTP_PORT)
    try:
        time.sleep(4.5)  # past the backoff of the second failure (2 s), with the second-resolution times
        up = _mail_command(cluster)
        assert up.returncode == 0, up.stderr
        assert re.match(r"coopatlas mail: [1-9]\d* sent; ", up.stdout), up.stdout
        assert sink.find(to="bourse-projets.bf@ambafrance.example", contains=ref)
        assert len(sink.find(contains=ref)) == 2
        assert [sent for _, sent in _tries(cluster, ref)] == [True, True]
        again = _mail_command(cluster)  # nothing is sent twice
        assert again.returncode == 0 and len(sink.find(contains=ref)) == 2
    finally:
        sink.stop()


def test_reads_from_the_replica_url_and_writes_to_the_primary(cluster):
    """``COOPATLAS_DATABASE_READ_URL``: here the same database as a read-only role (a replica is read-only
    too): the collections read through it, the Bourse still writes (the primary URL)."""
    from sqlalchemy.engine import make_url

    role = f"lecteur_{os.getpid()}"
    db = make_url(cluster.database_url).database
    for statement in (
        f"CREATE ROLE {role} LOGIN",
        f"ALTER ROLE {role} SET default_transaction_read_only = on",
        f"GRANT USAGE ON SCHEMA atlas TO {role}",
        f"GRANT SELECT ON ALL TABLES IN SCHEMA atlas TO {role}",
    ):
        _sql(cluster.database_url, statement)
    read_url = make_url(cluster.database_url).set(username=role).render_as_string(hide_password=False)
    env = {**CLUSTER_ENV, "COOPATLAS_DATABASE_READ_URL": read_url}
    with AtlasServer(database_url=cluster.database_url, workers=1, env=env) as server:
        config = (server.var / "pygeoapi-config.yml").read_text()
        assert f"user: {role}" in config
        projects = requests.get(server.url + "/collections/projets/items?f=json&limit=2", timeout=30)
        assert projects.status_code == 200 and len(projects.json()["features"]) == 2
        readers = _sql(
            cluster.database_url,
            "SELECT COUNT(*) FROM pg_stat_activity WHERE usename = %s AND datname = %s",
            (role, db),
        )
        assert readers[0][0] >= 1  # the collection was read through the read URL
        criteres = requests.get(server.url + "/criteres", params={"pays": "BF"}, timeout=30)  # read there too
        assert criteres.status_code == 200 and criteres.json()["collections"]["collectivites"], criteres.text[:300]
        ref = _submit(server)  # written: not through the read-only role
        assert H.Api(server, EMBASSY).transition(ref, "validee", "Réplica").status_code == 200
        feature = requests.get(f"{server.url}/collections/demandes/items/{ref}?f=json", timeout=30)
        assert feature.status_code == 200 and feature.json()["properties"]["statut_validation"] == "validee"
        assert requests.get(f"{cluster.b.url}/collections/demandes/items/{ref}?f=json", timeout=30).status_code == 200


def test_reloaded_atlas_is_served_by_both_servers_without_restart(cluster, atlas_gpkg_path):
    """``coopatlas postgis`` while A and B serve: the schema is swapped in one transaction, the servers read
    the new atlas at their next statement, and the live requests are applied to it again."""
    ref = _submit(cluster.b)
    assert H.Api(cluster.a, EMBASSY).transition(ref, "validee", "Avant rechargement").status_code == 200
    before = _sql(cluster.database_url, "SELECT 'atlas.projets'::regclass::oid")
    load_atlas(atlas_gpkg_path, cluster.database_url)  # the command an operator runs; the servers keep running
    assert _sql(cluster.database_url, "SELECT 'atlas.projets'::regclass::oid") != before  # a new table indeed
    deadline = time.monotonic() + 60
    for server in (cluster.a, cluster.b):
        while True:  # each server checks the atlas against the live journal at most every 15 s
            r = requests.get(f"{server.url}/collections/demandes/items/{ref}?f=json", timeout=30)
            if r.status_code == 200 or time.monotonic() > deadline:
                break
            time.sleep(1)
        assert r.status_code == 200, (server.url, r.status_code, r.text[:300])
        assert r.json()["properties"]["statut_validation"] == "validee"
        assert requests.get(f"{server.url}/collections/projets/items?f=json&limit=1", timeout=30).status_code == 200


def test_mail_of_a_killed_server_is_sent_by_the_background_sender_of_another(cluster):
    ref = _submit(cluster.a)  # acknowledged, its mails failed (SMTP down)
    cluster.kill(cluster.a)
    assert ref in {d["id"] for d in H.Api(cluster.b, EMBASSY).get("/api/bourse/demandes").json()["demandes"]}
    sink = H.SmtpSink(port=SMTP_PORT)
    try:
        env = {**CLUSTER_ENV, "COOPATLAS_MAIL_INTERVAL": "1"}
        with AtlasServer(database_url=cluster.database_url, workers=1, env=env):
            # no change, no request but the start-up check: the background sender retries on its own
            sink.wait_for(to="bourse-projets.bf@ambafrance.example", contains=ref, timeout=30)
            deadline = time.monotonic() + 15
            while [sent for _, sent in _tries(cluster, ref)] != [True, True] and time.monotonic() < deadline:
                time.sleep(0.3)
            assert [sent for _, sent in _tries(cluster, ref)] == [True, True]
            assert len(sink.find(contains=ref)) == 2
    finally:
        sink.stop()


def test_deployment_doc_names_every_setting_the_code_reads():
    """``docs/deployment.md`` lists every environment variable of ``coopatlas/`` and ``processes/``."""
    names = {"HOST", "PORT", "WORKERS", "THREADS"}
    for folder in ("coopatlas", "processes"):
        for path in (ROOT / folder).rglob("*.py"):
            names |= set(re.findall(r"[\"'](COOPATLAS_[A-Z0-9_]+)[\"']", path.read_text(encoding="utf-8")))
    doc = (ROOT / "docs" / "deployment.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", doc))
    assert len(names) > 40 and names <= documented, sorted(names - documented)
