"""Every bad input of every process is refused with HTTP 400 naming it (never a 500)."""

from __future__ import annotations

import pytest

BAD = [
    # (process, inputs, the input the message must name)
    ("statistiques", {"pays": ["XX"]}, "pays"),
    ("statistiques", {"pays": "bf"}, "pays"),
    ("statistiques", {"pays": 12}, "pays"),
    ("statistiques", {"thematique": ["eau"]}, "thematique"),
    ("statistiques", {"sous_thematique": "nope"}, "sous_thematique"),
    ("statistiques", {"continent": ["atlantide"]}, "continent"),
    ("statistiques", {"statut": ["fini"]}, "statut"),
    ("statistiques", {"cofinancement": ["banque"]}, "cofinancement"),
    ("statistiques", {"type_action": "jumelage"}, "type_action"),
    ("statistiques", {"region": ["1"]}, "region"),
    ("statistiques", {"departement": "100"}, "departement"),
    ("statistiques", {"collectivite": ["pas un id!"]}, "collectivite"),
    ("statistiques", {"jumelage": "peut-être"}, "jumelage"),
    ("statistiques", {"loi_oudin": 1}, "loi_oudin"),
    ("statistiques", {"annee_min": 1800}, "annee_min"),
    ("statistiques", {"annee_max": "2010"}, "annee_max"),
    ("statistiques", {"annee_min": 2012, "annee_max": 2000}, "annee_min"),
    ("statistiques", {"q": "   "}, "q"),
    ("statistiques", {"q": "x" * 201}, "q"),
    ("statistiques", {"top": 0}, "top"),
    ("statistiques", {"top": 501}, "top"),
    ("statistiques", {"top": 2.5}, "top"),
    ("statistiques", {"format": "xlsx"}, "format"),
    ("statistiques", {"lang": "de"}, "lang"),
    ("statistiques", {"portee": "monde"}, "portee"),
    ("statistiques", {"portee": {"type": "planete"}}, "portee"),
    ("statistiques", {"portee": {"type": "pays"}}, "portee"),
    ("statistiques", {"portee": {"type": "pays", "code": "ZZ"}}, "portee"),
    ("statistiques", {"portee": {"type": "region", "code": "99"}}, "portee"),
    ("statistiques", {"portee": {"type": "departement", "code": "96"}}, "portee"),
    ("statistiques", {"portee": {"type": "collectivite", "code": "COL99999"}}, "portee"),
    ("statistiques", {"portee": {"type": "monde", "code": "FR"}}, "portee"),
    ("statistiques", {"portee": {"type": "pays", "code": "BF", "niveau": 2}}, "portee"),
    ("statistiques", {"portee": {"type": "pays", "code": "BF"}, "pays": "ML"}, "portee"),
    ("statistiques", {"pays_code": "BF"}, "pays_code"),
    ("rapport", {"titre": ""}, "titre"),
    ("rapport", {"titre": "   "}, "titre"),
    ("rapport", {"titre": "x" * 201}, "titre"),
    ("rapport", {"format": "docx"}, "format"),
    ("rapport", {"pays": ["QQ"]}, "pays"),
    ("rapport", {"top": 5}, "top"),
    ("fiche-projet", {}, "id"),
    ("fiche-projet", {"id": "PRJ999999"}, "id"),
    ("fiche-projet", {"id": "../etc/passwd"}, "id"),
    ("fiche-projet", {"id": 1}, "id"),
    ("fiche-projet", {"id": "PRJ000001", "format": "docx"}, "format"),
    ("fiche-projet", {"id": "PRJ000001", "pays": "BF"}, "pays"),
]


@pytest.mark.parametrize("process,inputs,name", BAD, ids=[f"{p}-{i}" for i, (p, _, _) in enumerate(BAD)])
def test_bad_input_is_400_naming_it(process_server, process, inputs, name):
    r = process_server.execute(process, inputs)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    body = r.json()
    assert body["code"] == "InvalidParameterValue"
    assert f"{name}:" in body["description"], body["description"]


@pytest.mark.parametrize(
    "body,name",
    [
        ('{"inputs": []}', "inputs"),
        ('{"inputs": "pays=BF"}', "inputs"),
        ('{"inputs": {"pays": ["BF"]}, "response": "page"}', "response"),
        ('{"inputs": {"format": "pdf"}, "response": "document"}', "response"),
        ('{"inputs": {}, "outputs": {"graphique": {}}}', "outputs"),
    ],
)
def test_bad_request_is_400_naming_it(process_server, body, name):
    r = process_server.execute("statistiques", None, body=body)
    assert r.status_code == 400, r.text[:300]
    assert f"{name}:" in r.json()["description"]


def test_not_json_is_400(process_server):
    r = process_server.execute("statistiques", None, body="{pays: BF")
    assert r.status_code == 400


def _job_ids(process_server) -> set[str]:
    r = process_server.http.get(f"{process_server.url}/jobs", params={"f": "json", "limit": 1000}, timeout=30)
    return {j["jobID"] for j in r.json()["jobs"]}


def test_bad_input_of_an_async_job_is_refused(process_server):
    """Asynchronous requests are validated before a job is created (processes._manager.AtlasManager): a
    400 at once naming the input, and no job left behind."""
    jobs_before = _job_ids(process_server)
    r = process_server.execute("rapport", {"pays": ["XX"]}, prefer="respond-async")
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert r.json()["code"] == "InvalidParameterValue"
    assert r.json()["description"].startswith("pays:"), r.json()["description"]
    assert "Location" not in r.headers
    assert _job_ids(process_server) == jobs_before


def test_valid_json_payloads_of_the_wrong_shape_are_400(process_server):
    """Payloads pygeoapi 0.24 itself fails on (HTTP 500), refused by the server before it."""
    for body in ("[]", '"statistiques"', '{"inputs": {}, "subscriber": "http://x"}'):
        r = process_server.execute("statistiques", None, body=body)
        assert r.status_code == 400, (body, r.status_code)
