"""Submitting a request: the OGC API process and the web form, their validation, the e-mails, the limits."""

from __future__ import annotations

import re

import bourse_helpers as H
import pytest
import requests


def _live_count(server) -> int:
    from coopatlas.bourse.live import LiveDB

    live = LiveDB(server.live_db)
    try:
        with live.tx(write=False) as t:
            return t.execute("SELECT COUNT(*) FROM demandes").scalar()
    finally:
        live.close()


def test_process_stores_a_pending_request_routes_it_and_mails(server, smtp, people):
    inputs = H.request_inputs(contact_email="awa.ziniare@commune.example")
    r = H.submit(server, inputs, H.new_ip())
    assert r.status_code == 200, r.text
    out = r.json()
    assert H.REF.match(out["reference"])
    assert out["statut_validation"] == "soumise"
    assert out["ambassade"] == "Ambassade de France (Burkina Faso)"
    ref = out["reference"]
    # the embassy of the country is notified (directory datasets/ambassades.csv), with the link to decide
    mail = smtp.wait_for(to="bourse-projets.bf@ambafrance.example", contains=ref)
    assert f"/bourse/ambassade/demandes/{ref}" in smtp.body(mail)
    assert inputs["titre"] in str(mail["Subject"])
    # the submitter gets the reference
    mine = smtp.wait_for(to="awa.ziniare@commune.example", contains=ref)
    assert "ambassade de france (burkina faso)" in smtp.body(mine).lower()
    # the embassy sees it, pending, with its audit trail
    d = people["bf"].get(f"/api/bourse/demandes/{ref}").json()
    assert d["statut_validation"] == "soumise"
    assert d["demandeur_nom"] == inputs["demandeur_nom"]
    assert (d["lon"], d["lat"]) == (-1.29753, 12.58236)  # GeoNames place Ziniaré
    assert d["thematique"] == "eau_assainissement" and d["sous_thematique"] == "eau_potable"
    assert d["langues"] == "français"
    assert [(h["de"], h["vers"]) for h in d["historique"]] == [(None, "soumise")]


def test_the_process_job_is_not_kept(server):
    r = H.submit(server, H.request_inputs(), H.new_ip())
    assert r.status_code == 200
    assert "Location" not in r.headers
    jobs = server.get("/jobs?f=json").json()["jobs"]
    assert not [j for j in jobs if j.get("processID") == "deposer-demande"]


def test_process_accepts_coordinates_and_a_geonames_id(server, people):
    r = H.submit(server, H.request_inputs(lieu=None, lon=-4.3, lat=11.18), H.new_ip())  # Bobo-Dioulasso area
    assert r.status_code == 200, r.text
    d = people["bf"].get(f"/api/bourse/demandes/{r.json()['reference']}").json()
    assert (d["lon"], d["lat"]) == (-4.3, 11.18)
    r = H.submit(server, H.request_inputs(lieu=None, geonameid=2353257), H.new_ip())
    assert r.status_code == 200, r.text


BAD = [
    ({"titre": None}, "titre"),
    ({"titre": "Eau"}, "titre"),
    ({"description": "x" * 5001}, "description"),
    ({"contact_email": "awa@"}, "contact_email"),
    ({"contact_email": "awa @commune.example"}, "contact_email"),
    ({"pays_code": "ZZ"}, "pays_code"),
    ({"pays_code": "FR"}, "pays_code"),
    ({"lieu": "Nulle-Part-Sur-Mer"}, "lieu"),
    ({"lieu": None, "lon": 2.35, "lat": 48.85}, "lon"),  # Paris is not in Burkina Faso
    ({"lieu": None, "lon": -1.5}, "lat"),
    ({"lieu": None}, "lieu"),
    ({"geonameid": 2988507, "lieu": None}, "geonameid"),  # a place of another country
    ({"sous_sous_thematique": "acces_eau_potable", "thematique": "sante"}, "thematique"),
    ({"sous_sous_thematique": "pas_un_theme"}, "sous_sous_thematique"),
    ({"langues": ["klingon"]}, "langues"),
    ({"langues": []}, "langues"),
    ({"demandeur_type": "galaxie"}, "demandeur_type"),
    ({"inconnu": "x"}, "inconnu"),
]


@pytest.mark.parametrize("change,field", BAD, ids=[f for _, f in BAD])
def test_process_refuses_bad_inputs_naming_them_and_stores_nothing(server, change, field):
    before = _live_count(server)
    inputs = H.request_inputs()
    for k, v in change.items():
        if v is None:
            inputs.pop(k, None)
        else:
            inputs[k] = v
    r = H.submit(server, inputs, H.new_ip())
    assert r.status_code == 400, r.text
    assert r.json()["description"].startswith(f"{field}:"), r.json()
    assert _live_count(server) == before


def test_process_lists_every_missing_or_bad_input_at_once(server):
    """As the web form lists every error, the process names every missing and every bad input in one 400."""
    before = _live_count(server)
    r = H.submit(server, {}, H.new_ip())
    assert r.status_code == 400, r.text
    text = r.json()["description"]
    required = (
        "demandeur_nom",
        "demandeur_type",
        "pays_code",
        "contact_nom",
        "contact_email",
        "titre",
        "description",
        "langues",
    )
    assert text.startswith("demandeur_nom: required input is missing"), text
    for name in required:
        assert f"{name}: required input is missing" in text, (name, text)
    inputs = H.request_inputs(contact_email="awa@", pays_code="ZZ", langues=["klingon"], titre=None)
    r = H.submit(server, inputs, H.new_ip())
    assert r.status_code == 400, r.text
    text = r.json()["description"]
    for name in ("pays_code:", "contact_email:", "titre: required input is missing", "langues:"):
        assert name in text, (name, text)
    assert text.index("pays_code:") < text.index("contact_email:") < text.index("titre:")  # the form's order
    assert _live_count(server) == before


def test_process_rate_limit_per_address(server):
    ip = H.new_ip()
    codes = [H.submit(server, H.request_inputs(), ip).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]  # COOPATLAS_BOURSE_RATE=3/3600 on the test server
    assert H.submit(server, H.request_inputs(), H.new_ip()).status_code == 200  # another address


def test_pending_cap_per_authority(server, people):
    name = "Commune plafonnée"
    refs = []
    for _ in range(2):  # COOPATLAS_BOURSE_MAX_PENDING=2
        r = H.submit(server, H.request_inputs(demandeur_nom=name), H.new_ip())
        assert r.status_code == 200
        refs.append(r.json()["reference"])
    r = H.submit(server, H.request_inputs(demandeur_nom="COMMUNE PLAFONNÉE"), H.new_ip())
    assert r.status_code == 429
    assert "demandeur_nom" in r.json()["description"]
    # once the embassy has decided on one, the authority may submit again
    assert people["bf"].transition(refs[0], "rejetee", "Hors champ.").status_code == 200
    assert H.submit(server, H.request_inputs(demandeur_nom=name), H.new_ip()).status_code == 200


def test_places_endpoint(server):
    r = server.get("/bourse/lieux", params={"pays": "bf", "q": "zini"})
    assert r.status_code == 200
    names = [p["nom"] for p in r.json()["lieux"]]
    assert "Ziniaré" in names
    assert server.get("/bourse/lieux", params={"pays": "FR", "q": "par"}).status_code == 400
    assert server.get("/bourse/lieux", params={"pays": "BF", "limit": "0"}).json()["parametre"] == "limit"


# --- the web form (plain HTTP; the browser tests drive it in Chromium) -----------------------------------------


def _csrf(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def _form(inputs: dict) -> dict:
    data = {k: v for k, v in inputs.items() if k != "langues"}
    data["langues"] = inputs.get("langues", [])
    return data


def test_form_success_redirects_to_the_reference(server, smtp):
    s = H.http_session()
    s.headers["X-Forwarded-For"] = H.new_ip()
    page = s.get(server.url + "/bourse/deposer?lang=en")
    assert page.status_code == 200 and 'lang="en"' in page.text
    inputs = H.request_inputs(contact_email="form.en@commune.example")
    r = s.post(
        server.url + "/bourse/deposer?lang=en",
        data={**_form(inputs), "csrf": _csrf(page.text), "lang": "en"},
        allow_redirects=False,
    )
    assert r.status_code == 303, r.text[:500]
    done = s.get(server.url + r.headers["Location"])
    ref = re.search(r'id="reference">(BP-\d{4}-\d{5})<', done.text).group(1)
    mail = smtp.wait_for(to="form.en@commune.example", contains=ref)
    assert "Your cooperation request has been received" in smtp.body(mail)


def test_form_without_csrf_token_stores_nothing(server):
    before = _live_count(server)
    r = requests.post(
        server.url + "/bourse/deposer", data=_form(H.request_inputs()), headers={"X-Forwarded-For": H.new_ip()}
    )
    assert r.status_code == 400
    assert _live_count(server) == before
    # a token from another browser (another cookie) does not do either
    page = requests.get(server.url + "/bourse/deposer")
    r = requests.post(
        server.url + "/bourse/deposer",
        data={**_form(H.request_inputs()), "csrf": _csrf(page.text)},
        headers={"X-Forwarded-For": H.new_ip()},
    )
    assert r.status_code == 400
    assert _live_count(server) == before


def test_form_errors_are_shown_next_to_their_field(server):
    s = H.http_session()
    page = s.get(server.url + "/bourse/deposer?lang=fr")
    inputs = H.request_inputs(contact_email="pas-une-adresse", lieu="Nulle-Part-Sur-Mer", titre="")
    before = _live_count(server)
    r = s.post(
        server.url + "/bourse/deposer",
        data={**_form(inputs), "csrf": _csrf(page.text)},
        headers={"X-Forwarded-For": H.new_ip()},
    )
    assert r.status_code == 400
    for field in ("contact_email", "lieu", "titre"):
        block = re.search(rf'<div class="field invalid" id="champ-{field}">(.*?)</div>', r.text, re.DOTALL)
        assert block, field
        assert f'id="e-{field}"' in block.group(1)
        assert 'aria-invalid="true"' in block.group(1)
    assert 'id="champ-demandeur_nom"' in r.text and 'class="field invalid" id="champ-demandeur_nom"' not in r.text
    assert "adresse électronique invalide" in r.text
    assert f'value="{inputs["demandeur_nom"]}"' in r.text  # what was typed is kept
    assert _live_count(server) == before


def test_form_honeypot(server):
    s = H.http_session()
    page = s.get(server.url + "/bourse/deposer")
    before = _live_count(server)
    r = s.post(
        server.url + "/bourse/deposer",
        data={**_form(H.request_inputs()), "csrf": _csrf(page.text), "site_web": "http://spam.example"},
        headers={"X-Forwarded-For": H.new_ip()},
    )
    assert r.status_code == 400
    assert _live_count(server) == before


def test_form_too_large_is_refused(server):
    r = requests.post(server.url + "/bourse/deposer", data={"description": "x" * 200_000})
    assert r.status_code == 413


def test_pages_load_nothing_from_elsewhere(server):
    for path in ("/bourse", "/bourse/deposer", "/compte/connexion"):
        html = server.get(path).text
        for url in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert not url.startswith(("http://", "https://", "//")) or url.startswith(server.url), (path, url)
        r = server.get(path)
        assert "default-src 'self'" in r.headers["Content-Security-Policy"]
