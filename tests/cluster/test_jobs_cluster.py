"""Jobs over a cluster: two ``coopatlas serve`` instances (A and B) over one PostGIS share their jobs, their
results and their caps (processes/_manager_postgresql.py), and a server killed mid-job leaves no job running
for ever."""

from __future__ import annotations

import time

import pytest
import requests

from support.postgis import query

#: Heartbeats every second; a job silent for 8 s belonged to a server that stopped.
FAST_HEARTBEAT = {"COOPATLAS_JOBS_HEARTBEAT_SECONDS": "1", "COOPATLAS_JOBS_ORPHAN_SECONDS": "8"}
#: A report of the whole atlas: long enough (tens of seconds) to kill its server while it runs.
LONG_REPORT = {}
SHORT_REPORT = {"pays": "SN"}


def submit(client: requests.Session, server, inputs: dict) -> requests.Response:
    return client.post(
        f"{server.url}/processes/rapport/execution",
        json={"inputs": inputs},
        headers={"Prefer": "respond-async"},
        timeout=120,
    )


def follow(client: requests.Session, url: str, until=("successful", "failed"), timeout: float = 300) -> list[dict]:
    """Poll the job at ``url`` until its status is in ``until``: every status document seen."""
    seen, deadline = [], time.monotonic() + timeout
    while True:
        r = client.get(url, params={"f": "json"}, timeout=60)
        assert r.status_code == 200, r.text
        seen.append(r.json())
        if seen[-1]["status"] in until:
            return seen
        assert time.monotonic() < deadline, f"job not {until} in {timeout} s: {seen[-1]}"
        time.sleep(0.3)


@pytest.fixture(scope="module")
def two_servers(atlas_gpkg_path, postgis_cluster):
    """A and B over one database, at most 1 asynchronous job per client and 2 in all (whichever server)."""
    from support.cluster import AtlasCluster

    env = {**FAST_HEARTBEAT, "COOPATLAS_JOBS_PER_CLIENT": "1", "COOPATLAS_JOBS_TOTAL": "2"}
    with AtlasCluster(atlas_gpkg_path, env=env, postgres=postgis_cluster) as cluster:
        yield cluster


def test_job_started_on_a_is_listed_followed_and_downloaded_on_b(two_servers):
    a, b = two_servers.servers
    client = requests.Session()  # keeps the job cookie A gives: the client's jobs, on every server
    r = submit(client, a, SHORT_REPORT)
    assert r.status_code == 201, r.text
    job_id = r.json()["jobID"]
    assert r.headers["Location"] == f"{a.url}/jobs/{job_id}"
    seen = follow(client, f"{b.url}/jobs/{job_id}")
    assert seen[-1]["status"] == "successful", seen[-1]
    listed = client.get(f"{b.url}/jobs", params={"f": "json"}, timeout=60).json()["jobs"]
    assert [j["jobID"] for j in listed] == [job_id]
    from_b = client.get(f"{b.url}/jobs/{job_id}/results", timeout=60)
    from_a = client.get(f"{a.url}/jobs/{job_id}/results", timeout=60)
    assert from_b.status_code == 200 and from_b.headers["Content-Type"] == "application/pdf"
    assert from_b.content[:5] == b"%PDF-" and from_b.content == from_a.content
    # the result lives in the database, not in a folder of A
    rows = query(
        two_servers.database_url,
        "SELECT octet_length(output), location FROM coopatlas_jobs.jobs WHERE identifier = %s",
        (job_id,),
    )
    assert rows == [(len(from_b.content), None)]
    assert [path for server in (a, b) for path in server.var.rglob(f"*{job_id}*")] == []
    # still private to its client, on B as on A
    stranger = requests.Session()
    assert stranger.get(f"{b.url}/jobs/{job_id}", params={"f": "json"}, timeout=60).status_code == 404
    assert stranger.get(f"{b.url}/jobs/{job_id}/results", timeout=60).status_code == 404
    assert stranger.get(f"{b.url}/jobs", params={"f": "json"}, timeout=60).json()["jobs"] == []


def test_job_caps_hold_across_both_servers(two_servers):
    """1 job per client and 2 in all, counted over A and B together (requests alternated)."""
    a, b = two_servers.servers
    first, second, third = requests.Session(), requests.Session(), requests.Session()
    r = submit(first, a, SHORT_REPORT)
    assert r.status_code == 201, r.text
    mine = submit(first, b, SHORT_REPORT)  # the same client on the other server
    assert mine.status_code == 429 and int(mine.headers["Retry-After"]) > 0, mine.text
    assert "the most per client" in mine.json()["description"]
    other = submit(second, b, SHORT_REPORT)  # another client: the second job of the cluster
    assert other.status_code == 201, other.text
    full = submit(third, a, SHORT_REPORT)  # a third client: the cluster's total is reached
    assert full.status_code == 429 and int(full.headers["Retry-After"]) > 0, full.text
    assert "2 asynchronous jobs" in full.json()["description"]
    for client, response, server in ((first, r, b), (second, other, a)):  # each followed on the other server
        assert follow(client, f"{server.url}/jobs/{response.json()['jobID']}")[-1]["status"] == "successful"
    again = submit(third, b, SHORT_REPORT)  # the jobs ended: room again
    assert again.status_code == 201, again.text
    assert follow(third, f"{a.url}/jobs/{again.json()['jobID']}")[-1]["status"] == "successful"


def test_jobs_survive_a_reload_of_the_atlas(two_servers, atlas_gpkg_path):
    """``coopatlas postgis`` replaces the atlas's schema while the servers run: the jobs are elsewhere."""
    from support.cluster import load_atlas

    a, b = two_servers.servers
    client = requests.Session()
    r = submit(client, a, SHORT_REPORT)
    assert r.status_code == 201, r.text
    job_id = r.json()["jobID"]
    assert follow(client, f"{b.url}/jobs/{job_id}")[-1]["status"] == "successful"
    before = client.get(f"{b.url}/jobs/{job_id}/results", timeout=60).content
    load_atlas(atlas_gpkg_path, two_servers.database_url)
    assert client.get(f"{a.url}/jobs/{job_id}", params={"f": "json"}, timeout=60).json()["status"] == "successful"
    assert client.get(f"{a.url}/jobs/{job_id}/results", timeout=60).content == before


def _seconds(status: dict, start: str, end: str) -> float:
    import datetime as dt

    def parse(text):
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))

    return (parse(status[end]) - parse(status[start])).total_seconds()


def test_kill_9_of_a_mid_job_fails_the_job_on_b(atlas_cluster_factory):
    env = {"COOPATLAS_JOBS_HEARTBEAT_SECONDS": "1", "COOPATLAS_JOBS_ORPHAN_SECONDS": "5"}
    cluster = atlas_cluster_factory(env=env)
    a, b = cluster.servers
    client = requests.Session()
    # a job longer than 5 s on a live server: its heartbeats keep it running to the end
    done = submit(client, a, LONG_REPORT)
    assert done.status_code == 201, done.text
    finished = follow(client, f"{b.url}/jobs/{done.json()['jobID']}")[-1]
    assert finished["status"] == "successful", finished
    assert _seconds(finished, "started", "finished") > 5, finished
    before = client.get(f"{b.url}/jobs/{done.json()['jobID']}/results", timeout=60).content
    assert before[:5] == b"%PDF-"

    long = submit(client, a, LONG_REPORT)
    assert long.status_code == 201, long.text
    job_url = f"{b.url}/jobs/{long.json()['jobID']}"
    running = follow(client, job_url, until=("running", "successful", "failed"))[-1]
    assert running["status"] == "running", running  # the report runs on A
    cluster.kill(a)
    killed_at = time.monotonic()
    assert not cluster.alive(a)

    seen = follow(client, job_url, timeout=120)
    status = seen[-1]
    assert status["status"] == "failed", status
    assert status["message"].startswith("ServerStopped: the server running this job"), status
    assert "please submit the job again" in status["message"]
    assert time.monotonic() - killed_at < 60  # 5 s without a heartbeat, and B's next read
    assert all(s["status"] in ("running", "failed") for s in seen)
    results = client.get(f"{job_url}/results", params={"f": "json"}, timeout=60)
    assert results.status_code == 400  # pygeoapi's answer for a failed job
    # nothing acknowledged was lost, and B runs jobs as before
    assert client.get(f"{b.url}/jobs/{done.json()['jobID']}/results", timeout=60).content == before
    again = submit(client, b, SHORT_REPORT)
    assert again.status_code == 201, again.text
    assert follow(client, f"{b.url}/jobs/{again.json()['jobID']}")[-1]["status"] == "successful"


def test_purge_on_one_server_deletes_the_jobs_of_all(two_servers):
    """``coopatlas jobs purge`` run with A's configuration deletes every job and result of the cluster."""
    import subprocess
    import sys

    from support.servers import ROOT

    a, b = two_servers.servers
    client = requests.Session()
    r = submit(client, b, SHORT_REPORT)
    assert r.status_code == 201, r.text
    job_id = r.json()["jobID"]
    assert follow(client, f"{a.url}/jobs/{job_id}")[-1]["status"] == "successful"
    jobs = query(two_servers.database_url, "SELECT count(*) FROM coopatlas_jobs.jobs")[0][0]
    assert jobs >= 1
    proc = subprocess.run(
        [sys.executable, "-m", "coopatlas", "jobs", "--var", str(a.var), "purge", "--older-than-hours", "0"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == f"{jobs} job(s) deleted"
    assert query(two_servers.database_url, "SELECT count(*) FROM coopatlas_jobs.jobs") == [(0,)]
    assert client.get(f"{b.url}/jobs/{job_id}", params={"f": "json"}, timeout=60).status_code == 404
