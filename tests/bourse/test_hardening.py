"""Hostile and slow clients against the real server (issue 13): idle connections, huge bodies, other
people's jobs, open redirects, bad input, wrong types, login floods, paths out of ``/assets``.

On the GeoPackage (the session's ``server``) and, where the route touches the database, on PostGIS
(``pg_server`` below: the atlas and the live database on a throwaway PostGIS cluster).
"""

from __future__ import annotations

import json
import re
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import bourse_helpers as H
import pytest
import requests


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory, smtp, atlas_gpkg_path):
    from coopatlas.store.postgis import load
    from support.fixtures import shared_cluster

    gpkg = atlas_gpkg_path
    url = shared_cluster().create_database(f"hardening_{id(tmp_path_factory)}")
    load(gpkg, url)
    srv = H.start_server(
        tmp_path_factory.mktemp("hardening-pg"), database_url=url, env={**H.SERVER_ENV, **H.smtp_env(smtp)}
    )
    H.create_account(srv, PG_ADMIN, "administrateur")
    yield srv
    srv.stop()


@pytest.fixture(params=["gpkg", "postgis"])
def any_server(request, server, people):
    """The server on the GeoPackage (its accounts: ``people``), then on PostGIS."""
    return server if request.param == "gpkg" else request.getfixturevalue("pg_server")


#: A project of the atlas (the same on both servers) that administrators may update.
PROJECT = "PRJ000001"
PG_ADMIN = "admin.hardening@coopatlas.example"


def _account(server) -> tuple[str, str]:
    """(e-mail, password) of an administrator of ``server``."""
    return ("admin@coopatlas.example" if server.database_url is None else PG_ADMIN), H.PASSWORD


def _raw(server, data: bytes, timeout: float = 10) -> tuple[int, bytes]:
    """Send ``data`` on a new connection; (status, whole answer)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=timeout) as sock:
        sock.sendall(data)
        answer = b""
        while not _complete(answer):
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b" ", 2)[1]), answer


# --- 1. slow and idle clients ------------------------------------------------------------------------------


def test_half_sent_requests_do_not_block_other_clients(server):
    """Eight connections that send half a request and wait: other clients are still answered at once."""
    held = []
    try:
        for _ in range(8):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)
            sock.sendall(b"GET /collections?f=json HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            held.append(sock)
        for _ in range(4):
            sock = socket.create_connection(("127.0.0.1", server.port), timeout=30)  # idle: sends nothing
            held.append(sock)
        time.sleep(0.5)
        started = time.monotonic()
        for path in ("/collections?f=json", "/bourse/lieux?pays=BF&q=zin", "/conformance?f=json"):
            assert requests.get(server.url + path, timeout=5).status_code == 200
        assert time.monotonic() - started < 5
    finally:
        for sock in held:
            sock.close()


def test_a_half_sent_request_is_closed_after_the_read_timeout(server):
    with socket.create_connection(("127.0.0.1", server.port), timeout=40) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        started = time.monotonic()
        assert sock.recv(100) == b""  # closed by the server, with nothing sent
        assert time.monotonic() - started < 30


def test_a_body_that_stops_coming_is_a_408(server):
    """A client that announces a body and stops sending it: 408 after the read timeout, not a 500."""
    started = time.monotonic()
    status, answer = _raw(
        server,
        b"POST /api/jetons HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json"
        b"\r\nContent-Length: 100\r\n\r\n{",
        timeout=40,
    )
    assert status == 408, answer[:300]
    assert b"stopped sending" in answer and time.monotonic() - started < 30


def test_an_idle_kept_alive_connection_stays_open_for_the_next_request(server):
    """A client that pauses a few seconds between two requests on its connection (a session polling a job, a
    proxy's pool) finds it open: the server keeps idle connections longer than its clients do (``coopatlas
    serve --keep-alive``), so that it does not close one as a request arrives on it (a reset for the client)."""
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        for pause in (5, 0):  # more than gunicorn's own keep-alive (2 s)
            sock.sendall(b"GET /conformance?f=json HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            answer = b""
            while not _complete(answer):
                chunk = sock.recv(65536)
                assert chunk, f"the server closed the kept-alive connection: {answer[:200]!r}"
                answer += chunk
            assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
            time.sleep(pause)


# --- 2. request bodies ---------------------------------------------------------------------------------------

BODY_ROUTES = ["/bourse/deposer", "/collections/projets/items", "/processes/statistiques/execution", "/api/jetons"]


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_body_announced_too_large_is_refused_at_once(server, path):
    started = time.monotonic()
    status, answer = _raw(
        server,
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {100 * 1024 * 1024}\r\n\r\n"
        ).encode()
        + b"{" * 1000,
    )
    assert status == 413, answer[:500]
    assert time.monotonic() - started < 5
    body = json.loads(answer.partition(b"\r\n\r\n")[2])
    assert body["code"] == "PayloadTooLarge" and "at most 1 MB" in body["description"]


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_chunked_body_too_large_is_refused(server, path):
    """A body of unknown length is read up to the limit only; browsers get the message as a page."""
    chunk = b"x" * 65536
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        "Transfer-Encoding: chunked\r\nAccept: text/html\r\n\r\n"
    ).encode()
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=20) as sock:
        sock.sendall(head)
        try:
            for _ in range(40):  # 2.5 MB, more than the limit: the server answers before the end
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        except (BrokenPipeError, ConnectionResetError):
            pass
        answer = b""
        while not _complete(answer):
            part = sock.recv(65536)
            if not part:
                break
            answer += part
    assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    assert b"request body too large: at most 1 MB" in answer
    if not path.startswith("/api/"):
        assert b"<h1>413 Content Too Large</h1>" in answer and b"text/html" in answer
    assert time.monotonic() - started < 10


def _complete(answer: bytes) -> bool:
    head, sep, body = answer.partition(b"\r\n\r\n")
    length = [int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")]
    return bool(sep and length and len(body) >= length[0])


def test_a_small_chunked_body_is_read_as_usual(server):
    def gen():
        yield json.dumps({"email": "personne@example.org"}).encode()

    r = requests.post(server.url + "/api/jetons", data=gen(), headers={"Content-Type": "application/json"}, timeout=30)
    assert r.status_code == 400 and r.json()["parametre"] == "mot_de_passe"


# --- 4. redirects after login --------------------------------------------------------------------------------


def _login_form(server):
    s = H.http_session()
    page = s.get(server.url + "/compte/connexion")
    return s, re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example",
        "/%0A/x",
        "/%0D%0ASet-Cookie:x=1",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/%20/evil.example",
    ],
)
def test_login_redirects_to_local_paths_only(server, people, target):
    s, csrf = _login_form(server)
    r = s.post(
        f"{server.url}/compte/connexion?next={target}",
        allow_redirects=False,
        data={"email": "col.a@collectivite.example", "password": H.PASSWORD, "csrf": csrf},
    )
    assert r.status_code == 303, r.text[:300]
    location = r.headers["Location"]
    parts = urlsplit(location)
    assert parts.netloc in ("", urlsplit(server.url).netloc) and parts.path.startswith("/compte"), location
    assert "evil" not in location and "\n" not in location and "Set-Cookie" not in location


def test_login_keeps_a_local_next(server, people):
    s, csrf = _login_form(server)
    r = s.post(
        f"{server.url}/compte/connexion?next=/compte/espace%3Flang%3Den",
        allow_redirects=False,
        data={"email": "col.a@collectivite.example", "password": H.PASSWORD, "csrf": csrf},
    )
    assert r.status_code == 303 and urlsplit(r.headers["Location"]).path == "/compte/espace"


# --- 5. bad input: 400 or 404 that say why, never a 500 ---------------------------------------------------------

NESTED = "[" * 5000 + "]" * 5000


def test_huge_item_ids_are_not_found(any_server):
    api = H.Api(any_server, *_account(any_server))
    for path in ("/api/espace/99999999999999999999", "/api/espace/99999999999999999999/contenu"):
        r = api.get(path)
        assert r.status_code == 404 and r.json()["parametre"] == "id", r.text
    assert api.delete("/api/espace/99999999999999999999").status_code == 404
    s, csrf = _login_form(any_server)
    email, password = _account(any_server)
    s.post(any_server.url + "/compte/connexion", data={"email": email, "password": password, "csrf": csrf})
    r = s.get(any_server.url + "/compte/espace/99999999999999999999")
    assert r.status_code == 404 and "99999999999999999999" in r.text


def test_json_nested_too_deep_is_a_400(any_server):
    api = H.Api(any_server, *_account(any_server))
    headers = {"Content-Type": "application/json"}
    for method, path in (
        ("POST", "/api/jetons"),
        ("POST", "/api/espace"),
        ("PATCH", f"/api/projets/{PROJECT}"),
        ("POST", "/api/bourse/demandes/BP-2025-00001/transitions"),
        ("POST", "/processes/statistiques/execution"),
    ):
        r = api.req(method, path, data=NESTED, headers=headers)
        assert r.status_code == 400, (path, r.status_code, r.text[:300])
        assert "nested too deep" in r.json()["description"], path


@pytest.mark.parametrize("value", [[], {}, ["en_cours"], 3, None])
def test_a_status_of_the_wrong_type_is_a_400(any_server, value):
    api = H.Api(any_server, *_account(any_server))
    r = api.patch(f"/api/projets/{PROJECT}", json={"statut": value})
    assert r.status_code == 400 and r.json()["parametre"] == "statut", r.text


# --- 6. a wrong type never wipes data -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "field,value",
    [
        ("description", ["x"]),
        ("description", {"fr": "x"}),
        ("description", 7),
        ("titre", ["Un titre"]),
        ("jumelage", "peut-être"),
        ("jumelage", 1),
        ("annee_lancement", 2001.5),
        ("annee_lancement", [2001]),
        ("sous_sous_thematique", ["acces_eau_potable"]),
    ],
)
def test_a_wrong_type_changes_nothing(any_server, field, value):
    api = H.Api(any_server, *_account(any_server))
    before = api.get(f"/api/projets/{PROJECT}").json()
    r = api.patch(f"/api/projets/{PROJECT}", json={"description": "Une description qui resterait.", field: value})
    assert r.status_code == 400 and r.json()["parametre"] == field, r.text
    assert api.get(f"/api/projets/{PROJECT}").json() == before


def test_contacts_of_the_wrong_type_change_nothing(any_server):
    api = H.Api(any_server, *_account(any_server))
    coll = api.get(f"/api/projets/{PROJECT}").json()["collectivite_id"]
    before = api.get(f"/api/collectivites/{coll}").json()
    fields = [k for k in before if k.endswith("_email")]
    r = api.patch(f"/api/collectivites/{coll}", json={fields[0]: ["a@b.example"]})
    assert r.status_code == 400 and r.json()["parametre"] == fields[0], r.text
    assert api.get(f"/api/collectivites/{coll}").json() == before


# --- 7. login throttling -------------------------------------------------------------------------------------


def _wrong_login(server, email, ip):
    return requests.post(
        server.url + "/api/jetons",
        json={"email": email, "mot_de_passe": "pas le bon"},
        headers={"X-Forwarded-For": ip},
        timeout=60,
    )


def test_concurrent_wrong_passwords_get_no_more_checks_than_the_limit(any_server):
    """Eight wrong passwords at once from one address: 5 are checked (COOPATLAS_LOGIN_RATE=5/900), 3 refused."""
    email = f"cible.{time.monotonic_ns()}@coopatlas.example"
    H.create_account(any_server, email, "administrateur")
    ip = H.new_ip()
    with ThreadPoolExecutor(8) as pool:
        codes = sorted(r.status_code for r in pool.map(lambda _: _wrong_login(any_server, email, ip), range(8)))
    assert codes == [401] * 5 + [429] * 3


def test_a_third_party_cannot_lock_the_owner_out(any_server):
    email = f"proprietaire.{time.monotonic_ns()}@coopatlas.example"
    H.create_account(any_server, email, "administrateur")
    attacker = H.new_ip()
    for _ in range(5):
        assert _wrong_login(any_server, email, attacker).status_code == 401
    r = _wrong_login(any_server, email, attacker)
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    r = requests.post(
        any_server.url + "/api/jetons",
        json={"email": email, "mot_de_passe": H.PASSWORD},
        headers={"X-Forwarded-For": H.new_ip()},
        timeout=60,
    )
    assert r.status_code == 201, r.text


def test_one_address_guessing_many_accounts_is_slowed_down(server):
    ip = H.new_ip()
    codes = [_wrong_login(server, f"inconnu.{n}@coopatlas.example", ip).status_code for n in range(16)]
    assert codes == [401] * 15 + [429]  # 3 times the limit per account, whatever the accounts


WINDOW = 20


@pytest.fixture(scope="module")
def throttled(tmp_path_factory, atlas_gpkg_path):
    """A server whose login limit is 3 per 20 s."""
    base = tmp_path_factory.mktemp("throttled")
    srv = H.start_server(
        base / "var",
        gpkg=H.copy_atlas(atlas_gpkg_path, base / "atlas.gpkg"),
        env={**H.SERVER_ENV, "COOPATLAS_LOGIN_RATE": f"3/{WINDOW}"},
    )
    yield srv
    srv.stop()


def test_rate_windows_slide(throttled):
    """Three failures just before the boundary of a fixed 20 s window and three just after: the last three are
    refused (fixed windows would let six through in a few seconds)."""
    ip, email = H.new_ip(), "glissant@coopatlas.example"
    while not WINDOW - 3 < time.time() % WINDOW < WINDOW - 2.5:
        time.sleep(0.05)
    boundary = (time.time() // WINDOW + 1) * WINDOW
    assert [_wrong_login(throttled, email, ip).status_code for _ in range(3)] == [401] * 3
    while time.time() < boundary + 0.2:
        time.sleep(0.05)
    r = _wrong_login(throttled, email, ip)
    assert r.status_code == 429 and 5 <= int(r.headers["Retry-After"]) <= WINDOW + 1, r.headers
    assert [_wrong_login(throttled, email, ip).status_code for _ in range(2)] == [429] * 2


# --- 9. /assets ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/assets/%2e/package.json",
        "/assets/css/../package.json",
        "/assets/./package.json",
        "/assets/css/%2e%2e/package-lock.json",
        "/assets/package.json",
    ],
)
def test_assets_never_serve_the_npm_files(server, path):
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:  # the path exactly as written
        sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 404"), answer[:200]
    assert b'"dependencies"' not in answer


def test_assets_still_serve_their_files(server):
    r = requests.get(server.url + "/assets/css/coopatlas.css", timeout=30)
    assert r.status_code == 200 and "text/css" in r.headers["Content-Type"]


# --- 10. smaller ones --------------------------------------------------------------------------------------


@pytest.mark.parametrize("interval", [["x"], ["x", ".."], ["2020-01-01"], ["2020-01-01", "demain"], "2020-01-01"])
def test_a_malformed_date_interval_is_a_400(any_server, interval):
    body = {"op": "t_intersects", "args": [{"property": "date_maj"}, {"interval": interval}]}
    r = requests.post(
        any_server.url + "/collections/projets/items?f=json",
        json=body,
        headers={"Content-Type": "application/query-cql-json"},
        timeout=60,
    )
    assert r.status_code == 400 and "interval" in r.json()["description"], r.text


def test_a_date_interval_still_filters(server):
    body = {"op": "t_intersects", "args": [{"property": "date_maj"}, {"interval": ["2000-01-01", ".."]}]}
    r = requests.post(
        server.url + "/collections/projets/items?f=json&limit=1",
        json=body,
        headers={"Content-Type": "application/query-cql-json"},
        timeout=60,
    )
    assert r.status_code == 200 and r.json()["numberMatched"] > 0, (r.status_code, r.text[:500])


def test_language_links_ignore_url_options(server):
    r = requests.get(
        server.url + "/bourse?_external=1&_anchor=x&_scheme=javascript&q=1",
        timeout=30,
        headers={"Host": "evil.example"},
    )
    assert r.status_code == 200
    links = re.findall(r'href="([^"]*lang=en[^"]*)"', r.text)
    assert links, "no language link"
    for link in links:
        assert link.startswith("/") and "evil.example" not in link and "#" not in link, link


def test_every_429_says_when_to_retry(server):
    ip = H.new_ip()
    codes = []
    for _ in range(4):  # COOPATLAS_BOURSE_RATE=3/3600
        r = H.submit(server, H.request_inputs(), ip)
        codes.append(r.status_code)
    assert codes[-1] == 429 and int(r.headers["Retry-After"]) > 0
