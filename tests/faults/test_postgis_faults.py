"""PostgreSQL stopped and started again under a bounded load on a PostGIS server of two workers: every answer is
a right 200 or a 503 (never a 404, 400 or 500), each route says 503 while the database is down, and all answer
200 again, right, within seconds of its return (no restart)."""

from __future__ import annotations

import threading
import time

import pytest
import requests
from fault_helpers import REQUEST_TIMEOUT, assert_unavailable, submit

from support.postgis import BINDIR, PostgresCluster, available, loaded_atlas
from support.servers import AtlasServer

STATS = {"inputs": {"format": "json", "portee": {"type": "monde"}}}


def _requests(url: str) -> dict:
    """name -> (method, url, json body) of the routes under load."""
    return {
        "items": ("GET", f"{url}/collections/projets/items?limit=5&sortby=id", None),
        "item": ("GET", f"{url}/collections/projets/items/PRJ000001", None),
        "queryables": ("GET", f"{url}/collections/projets/queryables?f=json", None),
        "statistiques": ("POST", f"{url}/processes/statistiques/execution", STATS),
        "tile": ("GET", f"{url}/collections/projets/tiles/WebMercatorQuad/5/15/15?f=mvt", None),
    }


def _call(spec) -> requests.Response:
    method, url, body = spec
    return requests.request(method, url, json=body, timeout=REQUEST_TIMEOUT)


def _essence(name: str, r: requests.Response):
    """What must be the same in every right answer of a route."""
    if name == "tile":
        return r.content
    data = r.json()
    if name == "items":
        return [f["id"] for f in data["features"]]
    if name == "item":
        return data["properties"]
    if name == "queryables":
        return sorted(data["properties"])
    return data


def _pg_ctl(cluster: PostgresCluster, *args: str) -> None:
    cluster._run([BINDIR / "pg_ctl", "-D", cluster.datadir, "-l", cluster.logfile, "-w", "-t", "60", *args], timeout=90)


@pytest.fixture(scope="module")
def pg_served(tmp_path_factory, atlas_gpkg_path):
    reason = available()
    if reason:
        pytest.fail(f"no PostgreSQL/PostGIS for the tests: {reason} (make system-deps)")
    cluster = PostgresCluster().start()  # its own: this test stops it
    try:
        url = loaded_atlas(cluster, atlas_gpkg_path, dbname="atlas_faults")
        # the live database in the schema coopatlas_live of the same PostgreSQL (the default on PostGIS)
        server = AtlasServer(
            database_url=url,
            workers=2,
            env={"COOPATLAS_ATLAS_READONLY": "0", "COOPATLAS_PROXY_FIX": "x_for=1,x_proto=1"},
        )
        server.start()
        try:
            yield cluster, server
        finally:
            server.stop()
    finally:
        cluster.stop()


def test_postgresql_stopped_and_started_under_load(pg_served):
    cluster, server = pg_served
    routes = _requests(server.url)
    expected = {}
    for name, spec in routes.items():
        r = _call(spec)
        assert r.status_code == 200, (name, r.status_code, r.text[:300])
        expected[name] = _essence(name, r)
    answers: list[tuple[str, str, int, object]] = []  # (phase, route, status, essence or body)
    phase = {"now": "up"}
    stop = threading.Event()

    def load():
        while not stop.is_set():
            for name, spec in routes.items():
                current = phase["now"]
                try:
                    r = _call(spec)
                except requests.RequestException as exc:
                    answers.append((current, name, -1, repr(exc)))
                    continue
                if r.status_code == 200:
                    answers.append((current, name, 200, _essence(name, r)))
                else:
                    answers.append((current, name, r.status_code, r))

    threads = [threading.Thread(target=load, daemon=True) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        time.sleep(2)
        _pg_ctl(cluster, "-m", "fast", "stop")
        phase["now"] = "down"
        time.sleep(4)
        phase["now"] = "starting"
        _pg_ctl(cluster, "start")
        phase["now"] = "back"
        time.sleep(4)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    statuses = {a[2] for a in answers}
    assert statuses <= {200, 503}, [
        (a[0], a[1], a[2], getattr(a[3], "text", a[3])) for a in answers if a[2] not in (200, 503)
    ][:5]
    for ph, name, status, what in answers:
        if status == 200:
            assert what == expected[name], (ph, name)
        else:
            assert_unavailable(what)
    down = [a for a in answers if a[0] == "down"]
    # queryables may come from the reflected table, tiles from the tile cache (both right)
    for name in ("items", "item", "statistiques"):
        assert any(a[1] == name and a[2] == 503 for a in down), f"{name}: no 503 while PostgreSQL was down"
    # back: after the first answers (workers reconnecting), every route answers 200, right, at once
    for name, spec in routes.items():
        for _ in range(4):
            r = _call(spec)
            assert r.status_code == 200, (name, r.status_code, r.text[:300])
            assert _essence(name, r) == expected[name]
    assert requests.get(server.url + "/health", timeout=REQUEST_TIMEOUT).status_code == 200


def test_health_bourse_and_async_jobs_while_postgresql_is_down(pg_served):
    cluster, server = pg_served
    # each worker reads once the codes the inputs of statistiques are checked against: read them now (in
    # every worker, as far as the kernel spreads new connections), so that the submissions below are
    # checked without the database, as a worker that has served requests does
    for _ in range(2 * 2):
        r = requests.post(server.url + "/processes/statistiques/execution", json=STATS, timeout=REQUEST_TIMEOUT)
        assert r.status_code == 200, r.text[:300]
    _pg_ctl(cluster, "-m", "fast", "stop")
    try:
        r = requests.get(server.url + "/health", timeout=REQUEST_TIMEOUT)
        assert r.status_code == 503 and r.json()["checks"]["atlas"]["status"] == "unavailable", r.text
        assert r.json()["checks"]["live"]["status"] == "unavailable"
        r = submit(server, 1)  # a Bourse request: refused, not acknowledged
        assert_unavailable(r, says="nothing was recorded")
        assert requests.get(server.url + "/?f=json", timeout=REQUEST_TIMEOUT).status_code == 200
        # a job that needs the database is not accepted while it is down, whichever worker answers: 503,
        # Retry-After, no job created (a new connection each time: the workers take turns)
        for _ in range(2 * 2):
            r = requests.post(
                server.url + "/processes/statistiques/execution",
                json=STATS,
                headers={"Prefer": "respond-async"},
                timeout=REQUEST_TIMEOUT,
            )
            assert_unavailable(r)
            assert "Location" not in r.headers  # no job was created
    finally:
        _pg_ctl(cluster, "start")
    # submitted again once PostgreSQL is back: it succeeds (the job is seen by the client that started it:
    # the session keeps its job cookie)
    client = requests.Session()
    r = client.post(
        server.url + "/processes/statistiques/execution",
        json=STATS,
        headers={"Prefer": "respond-async"},
        timeout=REQUEST_TIMEOUT,
    )
    assert r.status_code == 201, r.text
    job = r.headers["Location"]
    deadline = time.monotonic() + 60
    while (status := client.get(job + "?f=json", timeout=REQUEST_TIMEOUT).json())["status"] not in (
        "failed",
        "successful",
    ) and time.monotonic() < deadline:
        time.sleep(0.3)
    assert status["status"] == "successful", status
    assert requests.get(server.url + "/health", timeout=REQUEST_TIMEOUT).status_code == 200
    r = submit(server, 2)
    assert r.status_code == 200 and r.json()["reference"], r.text[:300]


def test_live_reads_after_a_restart_reopen_their_connection(pg_served):
    """A thread's connection to the live database left from before a PostgreSQL restart: its next read
    transaction (an account looked up, a parameter read) reopens it and answers, as a write transaction
    does, instead of a 503 for a request that found the database up."""
    from coopatlas.bourse.live import IDLE_PROBE_SECONDS, LiveDB

    cluster, server = pg_served
    live = LiveDB(server.database_url)
    try:
        version = live.parameter("schema_version")
        assert version
        _pg_ctl(cluster, "-m", "fast", "restart")
        time.sleep(IDLE_PROBE_SECONDS + 0.2)
        assert live.parameter("schema_version") == version  # the same thread, its connection from before
    finally:
        live.close()
