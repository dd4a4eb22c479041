"""Hostile and slow clients against the real server (issue 13): idle connections, huge bodies, other
people's jobs, open redirects, bad input, wrong types, login floods, paths out of ``/assets``.

On the GeoPackage (the session's ``server``) and, where the route touches the database, on PostGIS
(``pg_server`` below: the atlas and the live database on a throwaway PostGIS cluster).
"""
from __future__ import annotations

import json
import socket
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import bourse_helpers as H
import pytest
import requests


@pytest.fixture(scope="module")
def pg_server(tmp_path_factory, smtp):
    from support.fixtures import shared_cluster

    from coopatlas.store.postgis import load
    gpkg = H.atlas_gpkg()
    if not gpkg.is_file():
        pytest.fail(f"no atlas GeoPackage at {gpkg}: build it with 'make data'")
    url = shared_cluster().create_database(f"hardening_{id(tmp_path_factory)}")
    load(gpkg, url)
    srv = H.start_server(tmp_path_factory.mktemp("hardening-pg"), database_url=url,
                         env={**H.SERVER_ENV, **H.smtp_env(smtp)})
    yield srv
    srv.stop()


@pytest.fixture(params=["gpkg", "postgis"])
def any_server(request, server):
    """The server on the GeoPackage, then on PostGIS."""
    return server if request.param == "gpkg" else request.getfixturevalue("pg_server")


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


# --- 2. request bodies ---------------------------------------------------------------------------------------

BODY_ROUTES = ["/bourse/deposer", "/collections/projets/items", "/processes/statistiques/execution", "/api/jetons"]


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_body_announced_too_large_is_refused_at_once(server, path):
    started = time.monotonic()
    status, answer = _raw(server, (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                                   f"Content-Length: {100 * 1024 * 1024}\r\n\r\n").encode() + b"{" * 1000)
    assert status == 413, answer[:500]
    assert time.monotonic() - started < 5
    body = json.loads(answer.partition(b"\r\n\r\n")[2])
    assert body["code"] == "PayloadTooLarge" and "at most 1 MB" in body["description"]


@pytest.mark.parametrize("path", BODY_ROUTES)
def test_a_chunked_body_too_large_is_refused(server, path):
    """A body of unknown length is read up to the limit only; browsers get the message as a page."""
    chunk = b"x" * 65536
    head = (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            "Transfer-Encoding: chunked\r\nAccept: text/html\r\n\r\n").encode()
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
    r = requests.post(server.url + "/api/jetons", data=gen(), headers={"Content-Type": "application/json"},
                      timeout=30)
    assert r.status_code == 400 and r.json()["parametre"] == "mot_de_passe"
