"""Processes described and executed the OGC way: process list and descriptions, synchronous and
asynchronous execution (job, status, results with their media type), OWSLib as a client."""

from __future__ import annotations

import concurrent.futures as cf
from http.cookies import SimpleCookie

import pytest
from jsonschema import Draft202012Validator
from owslib.ogcapi.processes import Processes
from process_helpers import pdf_pages

PROCESSES = ("statistiques", "rapport", "fiche-projet")


def test_processes_listed_and_described(process_server):
    api = Processes(process_server.url)
    listed = {p["id"]: p for p in api.processes()}
    assert set(PROCESSES) <= set(listed)
    for pid in PROCESSES:
        assert {"sync-execute", "async-execute"} <= set(listed[pid]["jobControlOptions"])
        desc = api.process(pid)
        assert desc["id"] == pid and desc["inputs"] and "resultat" in desc["outputs"]
        for _name, inp in desc["inputs"].items():
            Draft202012Validator.check_schema(inp["schema"])  # every input publishes a valid JSON Schema
            assert inp["title"] and inp["description"]
    stats = api.process("statistiques")["inputs"]
    assert stats["format"]["schema"]["enum"] == ["json", "csv", "png", "svg", "pdf"]
    assert stats["top"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 500, "default": 10}
    assert stats["portee"]["schema"]["properties"]["type"]["enum"][:2] == ["monde", "france"]
    themes = stats["thematique"]["schema"]["oneOf"][0]["enum"]
    assert "eau_assainissement" in themes


def test_descriptions_in_english(process_server):
    desc = process_server.http.get(
        f"{process_server.url}/processes/statistiques", params={"f": "json", "lang": "en"}
    ).json()
    assert desc["title"] == "Cooperation statistics"
    assert desc["inputs"]["pays"]["title"] == "Country"


def test_owslib_execute_json(process_server):
    api = Processes(process_server.url)
    result = api.execute("statistiques", {"portee": {"type": "pays", "code": "BF"}}, response="raw")
    assert result["projets_cooperation_decentralisee"] == 477
    doc = api.execute("fiche-projet", {"id": "PRJ000001", "format": "json"}, response="document")
    assert doc["outputs"][0]["id"] == "PRJ000001"


def test_owslib_async_job(process_server):
    api = Processes(process_server.url)
    status = api.execute("statistiques", {"pays": ["ML"], "format": "json"}, async_=True, response="raw")
    assert status["status"] == "accepted" and status["jobID"]
    location = api.response_headers["Location"]
    owner = SimpleCookie(api.response_headers["Set-Cookie"])  # a job is seen by the client that started it only
    process_server.http.cookies.update({name: morsel.value for name, morsel in owner.items()})
    final = process_server.wait_job(location)
    assert final["status"] == "successful"
    link = next(link for link in final["links"] if link["rel"].endswith("/results"))
    r = process_server.http.get(link["href"], params={"f": "json"})
    assert r.status_code == 200
    assert r.json()["description"] == "Pays : Mali"


def test_async_pdf_job(process_server):
    r = process_server.execute("rapport", {"pays": "SN", "thematique": ["sante"]}, prefer="respond-async")
    assert r.status_code == 201
    assert r.headers["Preference-Applied"] == "respond-async"
    status = process_server.wait_job(r.headers["Location"])
    assert status["status"] == "successful", status
    link = next(link for link in status["links"] if link["rel"].endswith("/results"))
    assert link["type"] == "application/pdf"
    result = process_server.http.get(link["href"])
    assert result.status_code == 200 and result.headers["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_pages(result.content))
    assert "Recherche : Pays : Sénégal · Thématique : Santé" in text


def test_jobs_survive_in_the_job_store(process_server):
    """Jobs are kept by the TinyDB manager: listed by /jobs with their status."""
    r = process_server.execute("statistiques", {"pays": "BF"}, prefer="respond-async")
    job = r.json()["jobID"]
    process_server.wait_job(r.headers["Location"])
    jobs = process_server.http.get(f"{process_server.url}/jobs", params={"f": "json", "limit": 1000}).json()["jobs"]
    assert any(j["jobID"] == job and j["status"] == "successful" for j in jobs)


@pytest.mark.parametrize(
    "fmt,media_type",
    [
        ("json", "application/json"),
        ("csv", "text/csv"),
        ("png", "image/png"),
        ("svg", "image/svg+xml"),
        ("pdf", "application/pdf"),
    ],
)
def test_media_types_sync_and_async(process_server, fmt, media_type):
    inputs = {"portee": {"type": "sous_continent", "code": "afrique_de_l_ouest"}, "format": fmt}
    sync = process_server.execute("statistiques", inputs)
    assert sync.status_code == 200 and sync.headers["Content-Type"].startswith(media_type)
    r = process_server.execute("statistiques", inputs, prefer="respond-async")
    status = process_server.wait_job(r.headers["Location"])
    result = process_server.http.get(f"{process_server.url}/jobs/{status['jobID']}/results", params={"f": "json"})
    assert result.status_code == 200 and result.headers["Content-Type"].startswith(media_type)
    if fmt == "json":
        assert result.json()["pays"] == sync.json()["pays"]
    elif fmt in ("csv", "svg"):
        assert result.content == sync.content
    else:
        assert result.content[:4] == sync.content[:4]


def test_concurrent_executions(process_server):
    """Charts and PDFs made at the same time in the same server (threads of async jobs, workers)."""

    def sync_png(code):
        return process_server.execute("statistiques", {"pays": code, "format": "png"})

    jobs = [
        process_server.execute("statistiques", {"pays": c, "format": "pdf"}, prefer="respond-async")
        for c in ("BF", "ML", "SN")
    ]
    with cf.ThreadPoolExecutor(4) as pool:
        pngs = list(pool.map(sync_png, ["BF", "ML", "SN", "MG"]))
    assert all(r.status_code == 200 and r.content[:4] == b"\x89PNG" for r in pngs)
    for r in jobs:
        assert process_server.wait_job(r.headers["Location"])["status"] == "successful"


def _follow(process_server, location: str, timeout: float = 300) -> tuple[dict, list[tuple]]:
    """Poll a job until it ends: its final status and every (status, progress, message) seen."""
    import time

    seen, deadline = [], time.monotonic() + timeout
    while True:
        status = process_server.http.get(location, params={"f": "json"}, timeout=30).json()
        seen.append((status["status"], status.get("progress"), status.get("message")))
        if status["status"] in ("successful", "failed", "dismissed"):
            return status, seen
        assert time.monotonic() < deadline, seen[-3:]
        time.sleep(0.1)


def test_a_long_job_reports_running_and_its_progress(process_server):
    """A whole-world report (about half a minute here): ``running`` with a growing progress, not ``accepted``
    at 5 % until it ends."""
    r = process_server.execute("rapport", {"lang": "en"}, prefer="respond-async")
    assert r.status_code == 201, r.text[:300]
    status, seen = _follow(process_server, r.headers["Location"])
    assert status["status"] == "successful" and status["progress"] == 100, status
    running = [(p, m) for s, p, m in seen if s == "running"]
    assert running, seen
    progress = [p for p, _ in running]
    assert progress == sorted(progress), progress  # never backwards
    assert len({p for p in progress if 10 < p < 95}) >= 3, progress  # real steps, not one jump
    assert any("layout" in (m or "") for _, m in running), running
    assert [s for s, _, _ in seen].count("accepted") <= 1  # running as soon as the process starts


def test_carte_pays_atlas_job_progress_by_country(process_server):
    r = process_server.execute("carte-pays", {"atlas": "oceanie"}, prefer="respond-async")
    assert r.status_code == 201, r.text[:300]
    status, seen = _follow(process_server, r.headers["Location"])
    assert status["status"] == "successful", status
    running = [(p, m) for s, p, m in seen if s == "running" and 10 < p < 95]
    assert running and [p for p, _ in running] == sorted(p for p, _ in running), seen
    assert any(name in (m or "") for _, m in running for name in ("Australie", "Fidji", "Nouvelle-Zélande"))
