"""Writes that fail: the live database on a read-only file system (a Bourse submission is refused with a 503 and
never acknowledged, the public atlas keeps answering, the server heals when the file system is writable again),
and job results on a full file system (the job fails with a clear message, nothing half-written is served).

The faults are real: small tmpfs mounts (root only), made read-only or filled, unmounted at the end."""

from __future__ import annotations

import os
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from fault_helpers import REQUEST_TIMEOUT, assert_unavailable, get, submit

from support.atlas import copy_atlas
from support.servers import AtlasServer

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="mounting a small tmpfs needs root")

STATS = {"inputs": {"format": "json", "portee": {"type": "monde"}}}


def _mount(*args: str) -> None:
    subprocess.run(["mount", *args], check=True, capture_output=True, timeout=30)


@contextmanager
def tmpfs(where: Path, size: str):
    where.mkdir(parents=True, exist_ok=True)
    _mount("-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(where))
    try:
        yield where
    finally:
        for _ in range(20):
            if subprocess.run(["umount", str(where)], capture_output=True, timeout=30).returncode == 0:
                break
            time.sleep(0.5)
        else:
            subprocess.run(["umount", "-l", str(where)], capture_output=True, timeout=30)


def _live_requests(path: Path) -> int:
    from coopatlas.bourse.live import LiveDB

    live = LiveDB(path)
    try:
        with live.tx(write=False) as t:
            return t.execute("SELECT COUNT(*) FROM demandes").scalar()
    finally:
        live.close()


def test_live_database_read_only(tmp_path, atlas_gpkg_path):
    from coopatlas.bourse.live import LiveDB

    gpkg = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    with tmpfs(tmp_path / "live", "16m") as live_dir:
        live_path = live_dir / "live.sqlite"
        live = LiveDB(live_path)
        live.ensure_schema()
        live.close()
        _mount("-o", "remount,ro", str(live_dir))
        server = AtlasServer(
            gpkg=gpkg,
            workers=2,
            env={
                "COOPATLAS_LIVE_DATABASE": str(live_path),
                "COOPATLAS_ATLAS_READONLY": "0",
                "COOPATLAS_PROXY_FIX": "x_for=1,x_proto=1",
            },
        )
        server.start()
        try:
            for n in range(4):  # both workers
                r = submit(server, n)
                assert_unavailable(r)
                assert "nothing was recorded" in r.json()["description"]
                assert "reference" not in r.text
                assert get(server, "/collections/projets/items", limit=3).status_code == 200
                assert get(server, "/collections/projets/items/PRJ000001").status_code == 200
            r = get(server, "/health")
            assert r.status_code == 503, r.text
            assert r.json()["checks"] == {
                **r.json()["checks"],
                "live": {**r.json()["checks"]["live"], "status": "unavailable"},
            }
            assert r.json()["checks"]["atlas"]["status"] == "ok"
            _mount("-o", "remount,rw", str(live_dir))  # the operator's fix; no restart
            references = []
            for n in range(10, 14):
                r = submit(server, n)
                assert r.status_code == 200, r.text[:300]
                references.append(r.json()["reference"])
            assert get(server, "/health").status_code == 200
        finally:
            server.stop()
        # every acknowledged request is in the live database, none of the refused ones
        assert _live_requests(live_path) == len(references) == len(set(references))


#: One client for the jobs: a job is seen only by the client that started it (its job cookie).
CLIENT = requests.Session()


def _job(server, headers=None) -> requests.Response:
    return CLIENT.post(
        server.url + "/processes/statistiques/execution", json=STATS, headers=headers or {}, timeout=REQUEST_TIMEOUT
    )


def test_job_results_on_a_full_disk(tmp_path, atlas_gpkg_path):
    gpkg = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    server = AtlasServer(gpkg=gpkg, workers=2, env={"COOPATLAS_LIVE_DATABASE": str(tmp_path / "live.sqlite")})
    server.start()
    try:
        jobs_dir = server.var / "jobs"
        with tmpfs(jobs_dir, "64k"):
            filler = jobs_dir / "filler"
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT)
            try:  # the disk full
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass
            finally:
                os.close(fd)
            # synchronous: 503, the job failed with a clear message
            assert_unavailable(_job(server), says="could not be stored")
            # asynchronous: the job ends failed, with the same message; no result served
            r = _job(server, {"Prefer": "respond-async"})
            assert r.status_code == 201, r.text
            job = r.headers["Location"]
            deadline = time.monotonic() + 60
            while (status := CLIENT.get(job + "?f=json", timeout=REQUEST_TIMEOUT).json())["status"] not in (
                "failed",
                "successful",
            ) and time.monotonic() < deadline:
                time.sleep(0.3)
            assert status["status"] == "failed", status
            assert "could not be stored" in status["message"], status
            assert CLIENT.get(job + "/results?f=json", timeout=REQUEST_TIMEOUT).status_code != 200
            assert sorted(p.name for p in jobs_dir.iterdir()) == ["filler"]  # nothing half-written left
            # space again: the same job, submitted again, succeeds
            filler.unlink()
            r = _job(server, {"Prefer": "respond-async"})
            job = r.headers["Location"]
            deadline = time.monotonic() + 60
            while (status := CLIENT.get(job + "?f=json", timeout=REQUEST_TIMEOUT).json())["status"] not in (
                "failed",
                "successful",
            ) and time.monotonic() < deadline:
                time.sleep(0.3)
            assert status["status"] == "successful", status
            r = CLIENT.get(job + "/results?f=json", timeout=REQUEST_TIMEOUT)
            assert r.status_code == 200 and r.json()["projets_cooperation_decentralisee"] > 0, r.text[:300]
            assert not [p for p in jobs_dir.iterdir() if p.name.endswith(".tmp")]
    finally:
        server.stop()
