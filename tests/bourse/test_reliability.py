"""Reliability of the live writes on the embedded GeoPackage: a bounded load test on loopback (concurrent
submissions while the map layers are read), a SIGKILL of gunicorn mid-write, and a rebuild of the atlas
under a running server. Nothing acknowledged is lost, nothing is corrupted."""

from __future__ import annotations

import json
import shutil
import sqlite3
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import bourse_helpers as H
import pytest
import requests

pytestmark = pytest.mark.slow

N_SUBMISSIONS = 200
READERS = 4


def _check_gpkg(path) -> None:
    """The GeoPackage is sound: SQLite's integrity check, the R-tree of the requests matches their rows."""
    from coopatlas.store import live_writer as gpkgw

    gpkgw.recover(path)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in ("bourse_demandes", "partenaires"):
            rows = con.execute(f"SELECT COUNT(*) FROM {table} WHERE geom IS NOT NULL").fetchone()[0]
            tree = con.execute(f"SELECT COUNT(*) FROM rtree_{table}_geom").fetchone()[0]
            assert rows == tree, table
            orphans = con.execute(
                f"SELECT COUNT(*) FROM rtree_{table}_geom r LEFT JOIN {table} t ON t.fid = r.id WHERE t.fid IS NULL"
            ).fetchone()[0]
            assert orphans == 0, table
    finally:
        con.close()


def _check_live(path) -> None:
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        con.close()


def test_load_submissions_while_maps_are_read(server, people):
    stop = threading.Event()
    reads, read_errors = [], []

    def reader(i):
        paths = [
            "/collections/partenaires/map?bbox=-6,9,3,16&width=300&height=200",
            "/collections/demandes/map?bbox=-6,9,3,16&width=300&height=200",
            "/collections/demandes/items?f=json&bbox=-6,9,3,16&limit=200",
            "/collections/pays/items/BF?f=json",
        ]
        s = H.http_session()
        k = i
        while not stop.is_set():
            path = paths[k % len(paths)]
            k += 1
            t0 = time.perf_counter()
            try:
                r = s.get(server.url + path, timeout=120)
                reads.append(time.perf_counter() - t0)
                if r.status_code != 200:
                    read_errors.append((path, r.status_code, r.text[:200]))
            except requests.RequestException as exc:
                read_errors.append((path, repr(exc)))

    def submit(i):
        inputs = H.request_inputs(titre=f"Charge {i} : assainissement", sous_sous_thematique="assainissement_base")
        t0 = time.perf_counter()
        r = H.submit(server, inputs, H.new_ip())
        return (
            r.status_code,
            (r.json().get("reference") if r.status_code == 200 else r.text[:300]),
            time.perf_counter() - t0,
        )

    readers = [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for t in readers:
        t.start()
    t0 = time.perf_counter()
    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(submit, range(N_SUBMISSIONS)))
    elapsed = time.perf_counter() - t0
    stop.set()
    for t in readers:
        t.join(timeout=120)

    failures = [r for r in results if r[0] != 200]
    assert not failures, failures[:5]
    refs = [r[1] for r in results]
    assert len(set(refs)) == N_SUBMISSIONS  # one reference each
    assert not read_errors, read_errors[:5]
    assert len(reads) >= READERS
    # every acknowledged request is there, for its embassy
    listed = {d["id"] for d in people["bf"].get("/api/bourse/demandes?statut=soumise&limit=5000").json()["demandes"]}
    assert set(refs) <= listed
    _check_gpkg(server.gpkg)
    _check_live(server.live_db)
    lat = sorted(r[2] for r in results)
    H.ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (H.ARTEFACTS / "load.json").write_text(
        json.dumps(
            {
                "submissions": N_SUBMISSIONS,
                "client_threads": 50,
                "gunicorn_workers": 2,
                "map_readers": READERS,
                "elapsed_s": round(elapsed, 2),
                "submissions_per_s": round(N_SUBMISSIONS / elapsed, 1),
                "submit_latency_s": {
                    "median": round(statistics.median(lat), 3),
                    "p95": round(lat[int(0.95 * len(lat)) - 1], 3),
                    "max": round(lat[-1], 3),
                },
                "reads": len(reads),
                "read_latency_s": {"median": round(statistics.median(reads), 3), "max": round(max(reads), 3)},
            },
            indent=2,
        )
    )


def test_sigkill_mid_write_loses_no_acknowledged_request_and_rebuild_keeps_live_data(tmp_path, smtp, atlas_gpkg_path):
    from coopatlas.bourse.live import LiveDB
    from coopatlas.store import live_writer as gpkgw

    gpkg = H.copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    var = tmp_path / "var"
    env = {**H.SERVER_ENV, **H.smtp_env(smtp), "COOPATLAS_BOURSE_RATE": "100000/3600"}
    srv = H.start_server(var, gpkg=gpkg, env=env)
    acked: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()

    def worker(k):
        s = H.http_session()
        i = 0
        while not stop.is_set():
            i += 1
            try:
                r = s.post(
                    srv.url + "/processes/deposer-demande/execution",
                    timeout=30,
                    json={"inputs": H.request_inputs(titre=f"Avant la panne {k}-{i}")},
                    headers={"X-Forwarded-For": H.new_ip()},
                )
            except requests.RequestException:
                return
            if r.status_code == 200:
                with lock:
                    acked.append(r.json()["reference"])

    try:
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(8)]
        for t in threads:
            t.start()
        deadline = time.monotonic() + 60
        while len(acked) < 40 and time.monotonic() < deadline:
            time.sleep(0.02)
        srv.kill()  # SIGKILL to gunicorn's master and workers, writes in flight
        stop.set()
        for t in threads:
            t.join(timeout=60)
        assert len(acked) >= 40
        _check_live(var / "live.sqlite")
        _check_gpkg(gpkg)  # a hot journal, if any, is rolled back first
    finally:
        srv.kill() if srv.process.poll() is None else None

    srv = H.start_server(var, gpkg=gpkg, env=env, port=srv.port)
    try:
        H.create_account(srv, "admin.panne@coopatlas.example", "administrateur")
        admin = H.Api(srv, "admin.panne@coopatlas.example")
        listed = {d["id"] for d in admin.get("/api/bourse/demandes?limit=5000").json()["demandes"]}
        missing = set(acked) - listed
        assert not missing, f"{len(missing)} acknowledged requests lost: {sorted(missing)[:5]}"
        _check_gpkg(gpkg)

        # --- a rebuild replaces the atlas under the running server: live data is re-applied, not lost
        ref = acked[0]
        assert admin.transition(ref, "validee", "Avant la reconstruction.").status_code == 200
        assert srv.get(f"/collections/demandes/items/{ref}?f=json").status_code == 200
        fresh = tmp_path / "atlas.gpkg.new"
        shutil.copyfile(atlas_gpkg_path, fresh)
        assert gpkgw.live_changes(gpkg) > 0
        with pytest.raises(gpkgw.LiveChangesError):
            gpkgw.check_replaceable(gpkg)
        with pytest.raises(gpkgw.LiveChangesError):
            gpkgw.replace_atlas(fresh, gpkg)
        gpkgw.replace_atlas(fresh, gpkg, force=True)  # what `coopatlas build --force` does
        assert gpkgw.live_changes(gpkg) == 0
        admin.get("/api/bourse/demandes?limit=1")  # any Bourse read checks the atlas (every request does, every 15 s)
        assert srv.get(f"/collections/demandes/items/{ref}?f=json").status_code == 200
        listed = {d["id"] for d in admin.get("/api/bourse/demandes?limit=5000").json()["demandes"]}
        assert set(acked) <= listed
        assert gpkgw.live_changes(gpkg) > 0
        _check_gpkg(gpkg)
        live = LiveDB(var / "live.sqlite")
        with live.tx(write=False) as t:
            n_live = t.execute("SELECT COUNT(*) FROM demandes").scalar()
        live.close()
        assert n_live >= len(acked)
    finally:
        srv.stop()
