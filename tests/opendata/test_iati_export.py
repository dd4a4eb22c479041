"""``export-iati`` over real HTTP: the IATI 2.03 activities of a search, valid against the official activity
schema and code lists kept in datasets/iati, one activity per project, stable identifiers, no invented
amounts."""

from __future__ import annotations

import sqlite3

import pytest
from lxml import etree

from coopatlas.opendata import iati_codes as codes
from coopatlas.opendata.iati_validation import codelist_errors, parse_document, schema_errors

EXECUTE = "/processes/export-iati/execution"


def export(server, inputs: dict) -> bytes:
    response = server.session.post(server.url + EXECUTE, json={"inputs": inputs}, timeout=600)
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"].startswith("application/xml")
    return response.content


@pytest.fixture(scope="module")
def whole_atlas(atlas_server) -> etree._Element:
    """The export of the empty search: the whole atlas."""
    return parse_document(export(atlas_server, {}))


def projects(gpkg, where: str = "1=1", params=()) -> dict[str, tuple]:
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        return {
            r[0]: r
            for r in con.execute(
                "SELECT p.id, p.collectivite_id, c.siren, p.annee_lancement, p.annee_convention, p.annee_fin "
                f"FROM projets p JOIN collectivites c ON c.id = p.collectivite_id WHERE {where}",
                params,
            )
        }
    finally:
        con.close()


def test_whole_atlas_is_valid_iati(whole_atlas):
    assert whole_atlas.get("version") == "2.03"
    assert schema_errors(whole_atlas) == []
    assert codelist_errors(whole_atlas) == []


def test_one_activity_per_dated_project_with_stable_identifiers(whole_atlas, atlas_gpkg_path):
    rows = projects(atlas_gpkg_path)
    dated = {pid for pid, r in rows.items() if any(v is not None for v in r[3:])}
    activities = whole_atlas.findall("iati-activity")
    internal = [a.find("other-identifier[@type='A1']").get("ref") for a in activities]
    assert sorted(internal) == sorted(dated)
    # the undated projects are named in the file, not silently dropped
    undated = sorted(set(rows) - dated)
    comments = " ".join(c.text for c in whole_atlas.iter(etree.Comment))
    assert all(pid in comments for pid in undated)
    for activity in activities:
        pid = activity.find("other-identifier").get("ref")
        collectivite_id, siren = rows[pid][1], rows[pid][2]
        org = codes.SIREN_PREFIX + siren if siren else codes.OWN_PREFIX + collectivite_id
        assert activity.findtext("iati-identifier") == f"{org}-{pid}"
        assert activity.find("reporting-org").get("ref") == org
        assert activity.find("reporting-org").get("type") == "11"  # Local Government
    assert any(a.findtext("iati-identifier").startswith("FR-INSEE-") for a in activities)


def test_no_invented_amounts(whole_atlas, atlas_gpkg_path):
    """Amounts appear only as the co-financings the atlas holds, and every activity says why."""
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    total = con.execute(
        "SELECT sum(montant) FROM cofinancements WHERE annee IS NOT NULL AND projet_id IN "
        "(SELECT id FROM projets WHERE coalesce(annee_lancement, annee_convention, annee_fin) "
        "IS NOT NULL)"
    ).fetchone()[0]
    con.close()
    assert whole_atlas.find(".//budget") is None
    values = [float(v.text) for v in whole_atlas.iterfind("iati-activity/transaction/value")]
    assert sum(values) == pytest.approx(total)
    assert {t.get("code") for t in whole_atlas.iterfind("iati-activity/transaction/transaction-type")} == {"11"}
    for activity in whole_atlas.iterfind("iati-activity"):
        note = activity.find("description[@type='4']")
        assert "par collectivité, pays et année" in note.findtext("narrative")


def test_a_search_exports_exactly_its_projects(atlas_server, atlas_gpkg_path):
    doc = parse_document(export(atlas_server, {"pays": ["BF"], "thematique": "eau_assainissement"}))
    rows = projects(atlas_gpkg_path, "p.pays_code = 'BF' AND p.thematique = 'eau_assainissement'")
    assert rows, "the demo has water projects in Burkina Faso"
    ids = sorted(a.find("other-identifier").get("ref") for a in doc.iterfind("iati-activity"))
    assert ids == sorted(rows)
    assert {c.get("code") for c in doc.iterfind("iati-activity/recipient-country")} == {"BF"}
    sectors = {s.get("code") for s in doc.iterfind("iati-activity/sector[@vocabulary='1']")}
    assert sectors and sectors <= {"14015", "14030", "14031", "14032"}
    assert schema_errors(doc) == [] and codelist_errors(doc) == []
    # the same search gives the same bytes (identifiers and order stable)
    assert (
        export(atlas_server, {"pays": ["BF"], "thematique": "eau_assainissement"})
        == etree.tostring(doc, encoding="UTF-8", xml_declaration=True) + b"\n"
    )


@pytest.mark.parametrize("inputs", [{"type_action": ["demande_cooperation"]}, {"pays": "BF", "annee_min": 2100}])
def test_a_search_without_projects_is_a_clear_400(atlas_server, inputs):
    """The IATI schema requires one activity at least: no invalid empty file, a 400 that says why."""
    response = atlas_server.session.post(atlas_server.url + EXECUTE, json={"inputs": inputs}, timeout=60)
    assert response.status_code == 400, response.text[:300]
    assert "no project matches this search" in response.json()["description"]


@pytest.mark.parametrize(
    "inputs, name",
    [
        ({"pays": ["ZZ"]}, "pays"),
        ({"portee": {"type": "pays", "code": "ZZ"}}, "portee"),
        ({"format": "pdf"}, "format"),
    ],
)
def test_bad_inputs_are_400_naming_them(atlas_server, inputs, name):
    response = atlas_server.session.post(atlas_server.url + EXECUTE, json={"inputs": inputs}, timeout=60)
    assert response.status_code == 400, response.text[:300]
    assert name in response.json()["description"]


def test_the_code_list_check_catches_a_bad_code(whole_atlas):
    """The check itself can fail: a code outside its list is reported."""
    activity = etree.fromstring(etree.tostring(whole_atlas.find("iati-activity")))
    doc = etree.Element("iati-activities", version="2.03")
    doc.append(activity)
    activity.find("activity-status").set("code", "9")
    activity.find("sector[@vocabulary='1']").set("code", "99999")
    errors = codelist_errors(doc)
    assert any("ActivityStatus" in e and "9" in e for e in errors)
    assert any("Sector" in e and "99999" in e for e in errors)


def test_same_file_from_postgis(server_factory, postgis_url, atlas_server):
    """The PostGIS backend gives the same bytes as the GeoPackage (same identifiers, codes and values)."""
    postgis_server = server_factory(database_url=postgis_url)
    inputs = {"pays": ["BF", "SN"], "annee_min": 2005}
    assert export(postgis_server, inputs) == export(atlas_server, inputs)


def test_a_document_response_is_refused_clearly(atlas_server):
    response = atlas_server.session.post(
        atlas_server.url + EXECUTE, timeout=60, json={"inputs": {"pays": ["BF"]}, "response": "document"}
    )
    assert response.status_code == 400, response.text[:300]
    assert response.json()["description"].startswith("response: the IATI file is an XML file")


def test_async_job_gives_the_same_file(atlas_server):
    import time

    inputs = {"pays": ["SN"], "thematique": ["sante"]}
    response = atlas_server.session.post(
        atlas_server.url + EXECUTE, json={"inputs": inputs}, timeout=120, headers={"Prefer": "respond-async"}
    )
    assert response.status_code == 201, response.text[:300]
    deadline = time.monotonic() + 300
    while True:
        status = atlas_server.session.get(response.headers["Location"], params={"f": "json"}, timeout=30).json()
        if status["status"] in ("successful", "failed", "dismissed"):
            break
        assert time.monotonic() < deadline, status
        time.sleep(0.2)
    assert status["status"] == "successful", status
    result = atlas_server.session.get(f"{atlas_server.url}/jobs/{status['jobID']}/results", timeout=60)
    assert result.status_code == 200 and result.headers["Content-Type"].startswith("application/xml")
    assert result.content == export(atlas_server, inputs)
