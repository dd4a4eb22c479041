"""The ``carte-pays`` process through a REAL server over HTTP (``python -m coopatlas serve``, gunicorn):
its description, a synchronous map, bad inputs answered 400 naming the input (before any job is made, in
both modes), and an atlas as an asynchronous job whose progress shows in ``/jobs/<id>``."""

from __future__ import annotations

import io
import json
import time

import pytest
import requests
from jsonschema import Draft202012Validator
from PIL import Image
from pypdf import PdfReader

PROCESS = "carte-pays"


#: The client of these tests: it keeps the job cookie (a job is seen only by the client that started it).
CLIENT = requests.Session()


def execute(server, inputs, prefer=None, timeout=180):
    headers = {"Content-Type": "application/json"}
    if prefer:
        headers["Prefer"] = prefer
    return CLIENT.post(
        f"{server.url}/processes/{PROCESS}/execution",
        data=json.dumps({"inputs": inputs}),
        headers=headers,
        timeout=timeout,
    )


def test_process_is_described(map_server):
    desc = requests.get(f"{map_server.url}/processes/{PROCESS}", params={"f": "json"}, timeout=60).json()
    assert desc["id"] == PROCESS
    assert {"sync-execute", "async-execute"} <= set(desc["jobControlOptions"])
    inputs = desc["inputs"]
    for name in (
        "country",
        "atlas",
        "format",
        "paper",
        "orientation",
        "dpi",
        "lang",
        "title",
        "subtitle",
        "labels",
        "thematique",
        "type_action",
        "statut",
        "annee_min",
        "annee_max",
    ):
        assert name in inputs, name
        Draft202012Validator.check_schema(inputs[name]["schema"])
    assert "pays" not in inputs
    assert inputs["format"]["schema"]["enum"] == ["pdf", "svg", "png", "geotiff"]
    assert (inputs["dpi"]["schema"]["minimum"], inputs["dpi"]["schema"]["maximum"]) == (72, 600)


def test_synchronous_png_map(map_server):
    r = execute(map_server, {"country": "burkina faso", "format": "png", "dpi": 72, "thematique": "sante"})
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"].startswith("image/png")
    img = Image.open(io.BytesIO(r.content))
    assert img.size in ((842, 595), (841, 595), (595, 842), (595, 841))  # A4 at 72 dpi


def test_synchronous_pdf_map_in_english(map_server):
    r = execute(map_server, {"country": "VNM", "lang": "en", "title": "Vietnam: health", "thematique": ["sante"]})
    assert r.status_code == 200, r.text[:500]
    assert r.headers["Content-Type"] == "application/pdf"
    text = " ".join((PdfReader(io.BytesIO(r.content)).pages[0].extract_text() or "").split())
    assert "Vietnam: health" in text and "Theme: Health" in text and "SYNTHETIC" in text


BAD = [
    ({"country": "XX"}, "country"),
    ({}, "country"),
    ({"country": "BF", "format": "jpeg"}, "format"),
    ({"country": "BF", "format": "png", "dpi": 1000}, "dpi"),
    ({"country": "BF", "dpi": 300}, "dpi"),
    ({"country": "BF", "paper": "A0"}, "paper"),
    ({"country": "BF", "pays": ["BF"]}, "pays"),
    ({"country": "BF", "thematique": ["eau"]}, "thematique"),
    ({"country": "BF", "annee_min": 2012, "annee_max": 2000}, "annee_min"),
    ({"country": "BF", "title": "x" * 121}, "title"),
    ({"country": "BF", "labels": "oui-non"}, "labels"),
    ({"country": "BF", "atlas": "afrique"}, "country"),
    ({"atlas": "afrique", "format": "png"}, "format"),
]


@pytest.mark.parametrize("prefer", [None, "respond-async"])
@pytest.mark.parametrize("inputs,name", BAD, ids=[n for _, n in BAD])
def test_bad_inputs_are_400_naming_them(map_server, inputs, name, prefer):
    r = execute(map_server, inputs, prefer=prefer)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    body = r.json()
    assert body["code"] == "InvalidParameterValue"
    assert body["description"].startswith(f"{name}: "), body["description"]


def test_a_large_atlas_must_be_asynchronous(map_server):
    r = execute(map_server, {"atlas": "afrique"})
    assert r.status_code == 400
    assert "atlas: " in r.json()["description"] and "respond-async" in r.json()["description"]


def test_atlas_job_reports_its_progress(map_server):
    r = execute(map_server, {"atlas": "oceanie", "lang": "fr"}, prefer="respond-async")
    assert r.status_code == 201, r.text[:300]
    location = r.headers["Location"]
    seen = []
    deadline = time.monotonic() + 300
    while True:
        status = CLIENT.get(location, params={"f": "json"}, timeout=30).json()
        seen.append((status["status"], status.get("progress"), status.get("message")))
        if status["status"] in ("successful", "failed"):
            break
        assert time.monotonic() < deadline, seen[-3:]
        time.sleep(0.1)
    assert status["status"] == "successful", status
    running = [(p, m) for s, p, m in seen if s == "running" and p is not None and 5 < p < 95]
    assert running, seen  # progress written by the process while it runs
    # the process's own words (its messages are written at most every 0.5 s, so which country shows
    # depends on the machine's speed: "4 pays" at the start, or a country's name)
    names = ("4 pays", "Australie", "Fidji", "Nouvelle-Zélande", "Papouasie", "Vanuatu")
    assert any(any(name in (m or "") for name in names) for _, m in running), running
    progress = [p for p, _ in running]
    assert progress == sorted(progress)
    link = next(link for link in status["links"] if link["rel"].endswith("/results"))
    result = CLIENT.get(link["href"], timeout=60)
    assert result.status_code == 200 and result.headers["Content-Type"] == "application/pdf"
    pages = [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(result.content)).pages]
    assert "Atlas de la coopération décentralisée : Océanie" in pages[0] and "Sommaire" in pages[0]
    assert "Australie" in pages[0] and "Fidji" in pages[0]
    assert any("Fidji : coopération décentralisée" in p for p in pages[1:])
