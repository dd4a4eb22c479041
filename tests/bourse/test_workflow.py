"""The embassy's decisions: who sees what, the transitions, the audit trail, completion by the submitter,
and what becomes public (with the derived counts of partners and countries)."""

from __future__ import annotations

import html
import re

import bourse_helpers as H


def _public(server, ref):
    return server.get(f"/collections/demandes/items/{ref}?f=json")


def _partner(server, pid):
    r = server.get(f"/collections/partenaires/items/{pid}?f=json")
    return r.json()["properties"] if r.status_code == 200 else None


def _pays_count(server, code):
    return server.get(f"/collections/pays/items/{code}?f=json").json()["properties"]["nb_demandes"]


def test_embassy_sees_its_country_only(people, submitted):
    ref_bf, _ = submitted()
    ref_sn, _ = submitted(pays_code="SN", lieu="Ziguinchor")
    bf = people["bf"].get("/api/bourse/demandes?statut=soumise").json()["demandes"]
    assert ref_bf in {d["id"] for d in bf}
    assert {d["pays_code"] for d in bf} == {"BF"}
    sn = people["sn"].get("/api/bourse/demandes").json()["demandes"]
    assert ref_sn in {d["id"] for d in sn} and ref_bf not in {d["id"] for d in sn}
    # another country's request does not exist for an embassy, whatever it tries
    assert people["sn"].get(f"/api/bourse/demandes/{ref_bf}").status_code == 404
    assert people["sn"].transition(ref_bf, "validee", "x").status_code == 404
    r = people["bf"].get("/api/bourse/demandes?pays=SN")
    assert r.status_code == 403 and r.json()["parametre"] == "pays"
    assert people["bf"].get("/api/bourse/demandes?pays=bf").status_code == 200
    # an administrator sees every country
    every = people["admin"].get("/api/bourse/demandes?statut=soumise&limit=5000").json()["demandes"]
    assert {ref_bf, ref_sn} <= {d["id"] for d in every}
    only_sn = people["admin"].get("/api/bourse/demandes?pays=SN").json()["demandes"]
    assert {d["pays_code"] for d in only_sn} == {"SN"}


def test_validation_publishes_and_updates_the_counts(server, people, smtp, submitted):
    ref, inputs = submitted(
        demandeur_nom="Commune nouvelle de Sabou",
        lieu=None,
        lon=-2.236,
        lat=12.063,
        contact_email="sabou@commune.example",
    )
    assert _public(server, ref).status_code == 404
    n_bf = _pays_count(server, "BF")
    r = people["bf"].transition(ref, "validee", "Projet soutenu par le poste.")
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["statut_validation"] == "validee" and d["date_validation"]
    # public now, in red (type demande_cooperation), linked to a partner authority seeking cooperation
    feat = _public(server, ref).json()
    assert feat["properties"]["statut_validation"] == "validee"
    assert feat["properties"]["type_action"] == "demande_cooperation"
    pid = feat["properties"]["demandeur_id"]
    p = _partner(server, pid)
    assert p["nom"] == inputs["demandeur_nom"] and p["en_recherche"] is True and p["nb_demandes"] == 1
    assert p["type_action_principal"] == "demande_cooperation"
    assert _pays_count(server, "BF") == n_bf + 1
    # the submitter is told
    mail = smtp.wait_for(to="sabou@commune.example", contains="validée")
    assert "Projet soutenu par le poste." in H.SmtpSink.body(mail)
    # matched: still public, no longer seeking
    assert people["bf"].transition(ref, "pourvue").status_code == 200
    p = _partner(server, pid)
    assert p["en_recherche"] is False and p["nb_demandes"] == 1
    assert _public(server, ref).json()["properties"]["statut_validation"] == "pourvue"
    # the partnership fell through: validated again, then withdrawn: no longer public, counts back
    assert people["bf"].transition(ref, "validee").status_code == 200
    assert people["bf"].transition(ref, "rejetee", "Demande retirée par la commune.").status_code == 200
    assert _public(server, ref).status_code == 404
    assert _partner(server, pid) is None  # the partner the Bourse created has nothing public left
    assert _pays_count(server, "BF") == n_bf
    history = people["bf"].get(f"/api/bourse/demandes/{ref}").json()["historique"]
    assert [(h["de"], h["vers"]) for h in history] == [
        (None, "soumise"),
        ("soumise", "validee"),
        ("validee", "pourvue"),
        ("pourvue", "validee"),
        ("validee", "rejetee"),
    ]
    assert all(h["date"] for h in history)
    assert history[1]["acteur"].startswith("amb.bf@ambafrance.example") and history[1]["role"] == "ambassade"
    assert history[1]["commentaire"] == "Projet soutenu par le poste."


def test_request_of_a_known_partner_links_to_it(server, people, submitted):
    # a partner authority of the built atlas, with projects, in Burkina Faso
    feats = server.get(
        "/collections/partenaires/items",
        params={"f": "json", "pays_code": "BF", "type_action_principal": "cooperation_decentralisee", "limit": 1},
    ).json()
    known = feats["features"][0]["properties"]
    ref, _ = submitted(
        demandeur_nom=known["nom"].upper(),
        lieu=None,
        lon=feats["features"][0]["geometry"]["coordinates"][0],
        lat=feats["features"][0]["geometry"]["coordinates"][1],
    )
    assert people["bf"].transition(ref, "validee").status_code == 200
    assert _public(server, ref).json()["properties"]["demandeur_id"] == known["id"]
    p = _partner(server, known["id"])
    assert p["nb_demandes"] == known["nb_demandes"] + 1 and p["en_recherche"] is True
    assert p["type_action_principal"] == "cooperation_decentralisee"  # its projects still make its colour
    assert people["bf"].transition(ref, "rejetee", "Retrait.").status_code == 200
    p = _partner(server, known["id"])
    assert p["nb_demandes"] == known["nb_demandes"] and p["en_recherche"] == known["en_recherche"]


def test_transition_rules(people, submitted):
    ref, _ = submitted()
    bf = people["bf"]
    assert bf.transition(ref, "pourvue").status_code == 409  # not validated yet
    r = bf.transition(ref, "rejetee")
    assert r.status_code == 400 and r.json()["parametre"] == "commentaire"
    assert bf.transition(ref, "a_completer").json()["parametre"] == "commentaire"
    assert bf.transition(ref, "inconnu").json()["parametre"] == "vers"
    assert (
        bf.post(f"/api/bourse/demandes/{ref}/transitions", json={"vers": "validee", "x": 1}).json()["parametre"] == "x"
    )
    assert bf.transition(ref, "rejetee", "Incomplet.").status_code == 200
    assert bf.transition(ref, "validee").status_code == 409  # rejected is final for an embassy...
    assert people["admin"].transition(ref, "soumise", "Rouvert après appel.").status_code == 200  # ...not for admins
    assert bf.get(f"/api/bourse/demandes/{ref}").json()["statut_validation"] == "soumise"
    assert bf.get("/api/bourse/demandes/BP-1999-99999").status_code == 404


def test_completion_by_the_submitter(server, people, smtp, submitted):
    ref, inputs = submitted(contact_email="completer@commune.example", lang="en")
    assert people["bf"].transition(ref, "a_completer", "Précisez le budget et le calendrier.").status_code == 200
    mail = smtp.wait_for(to="completer@commune.example", contains="Complete your request")
    link = re.search(r"(http://\S+/bourse/completer/\S+)", H.SmtpSink.body(mail)).group(1)
    assert link.startswith(server.url)
    s = H.http_session()
    page = s.get(link)
    assert page.status_code == 200 and "Précisez le budget" in page.text
    assert inputs["titre"] in html.unescape(page.text)
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    data = {k: v for k, v in inputs.items() if k != "langues"}
    data.update(
        langues=["fr", "en"],
        csrf=csrf,
        description=inputs["description"] + " Budget : 40 000 euros sur 2 ans.",
        lieu="Ziniaré (Plateau-Central)",
    )
    # a wrong token changes nothing
    bad = s.post(link.replace("jeton=", "jeton=x"), data=data, allow_redirects=False)
    assert bad.status_code == 404
    r = s.post(link, data=data, allow_redirects=False)
    assert r.status_code == 303, r.text[:400]
    d = people["bf"].get(f"/api/bourse/demandes/{ref}").json()
    assert d["statut_validation"] == "soumise" and "40 000 euros" in d["description"]
    assert d["langues"] == "français, anglais"
    assert [(h["de"], h["vers"]) for h in d["historique"]][-2:] == [
        ("soumise", "a_completer"),
        ("a_completer", "soumise"),
    ]
    smtp.wait_for(to="bourse-projets.bf@ambafrance.example", contains=f"Demande complétée {ref}")
    # the link works once
    assert s.get(link).status_code == 404


def test_a_request_of_the_built_atlas_can_be_decided(server, people):
    built = people["bf"].get("/api/bourse/demandes?statut=soumise").json()["demandes"]
    demo = [d for d in built if d["id"].startswith("DEM")]
    if not demo:  # the demo atlas has pending requests in a few countries: take one with the administrator
        demo = [
            d
            for d in people["admin"].get("/api/bourse/demandes?statut=soumise&limit=5000").json()["demandes"]
            if d["id"].startswith("DEM")
        ]
    ref = demo[0]["id"]
    assert _public(server, ref).status_code == 404
    assert people["admin"].transition(ref, "validee", "Validée par l'administrateur.").status_code == 200
    feat = _public(server, ref).json()["properties"]
    assert feat["statut_validation"] == "validee" and feat["demandeur_id"]
    assert people["admin"].transition(ref, "rejetee", "Annulé.").status_code == 200
    assert _public(server, ref).status_code == 404


def test_embassy_web_pages(server, people, submitted):
    ref, _ = submitted(titre="Maraîchage communal de Ziniaré")
    s = H.http_session()
    login = s.get(server.url + "/compte/connexion")
    csrf = re.search(r'name="csrf" value="([^"]+)"', login.text).group(1)
    r = s.post(
        server.url + "/compte/connexion",
        data={"email": "amb.bf@ambafrance.example", "password": H.PASSWORD, "csrf": csrf},
        allow_redirects=False,
    )
    assert r.status_code == 303
    assert "HttpOnly" in r.headers["Set-Cookie"] and "SameSite=Lax" in r.headers["Set-Cookie"]
    listing = s.get(server.url + "/bourse/ambassade?statut=soumise")
    assert ref in listing.text and "Maraîchage communal de Ziniaré" in html.unescape(listing.text)
    page = s.get(server.url + f"/bourse/ambassade/demandes/{ref}")
    assert page.status_code == 200
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    # a decision without the page's token is refused
    assert s.post(server.url + f"/bourse/ambassade/demandes/{ref}", data={"vers": "validee"}).status_code == 400
    r = s.post(
        server.url + f"/bourse/ambassade/demandes/{ref}",
        data={"vers": "validee", "csrf": token, "commentaire": "Bon projet."},
    )
    assert r.status_code == 200 and "Bon projet." in html.unescape(r.text)
    assert _public(server, ref).status_code == 200
    # another country's request is not found
    other, _ = H.submit(server, H.request_inputs(pays_code="SN", lieu="Ziguinchor"), H.new_ip()).json()["reference"], 0
    assert s.get(server.url + f"/bourse/ambassade/demandes/{other}").status_code == 404
