"""A collectivity updates its own projects and contacts (who and when kept); personal spaces keep searches,
maps and PDF exports (list, download, delete)."""

from __future__ import annotations

import datetime as dt
import io
import json
import re

import bourse_helpers as H
from pypdf import PdfReader


def _item(server, collection, idv):
    r = server.get(f"/collections/{collection}/items/{idv}?f=json")
    assert r.status_code == 200, r.text[:200]
    return r.json()["properties"]


def test_collectivity_updates_its_project(server, people):
    pid, api = people["projet_a"], people["col_a"]
    r = api.patch(
        f"/api/projets/{pid}",
        json={
            "titre": "Réseau d'eau potable de Tabligbo",
            "statut": "termine",
            "sous_sous_thematique": "acces_eau_potable",
            "annee_fin": 2015,
        },
    )
    assert r.status_code == 200, r.text
    assert set(r.json()["champs_modifies"]) >= {"titre", "statut", "sous_sous_thematique"}
    today = dt.datetime.now(dt.UTC).date().isoformat()
    p = _item(server, "projets", pid)
    assert p["titre"] == "Réseau d'eau potable de Tabligbo" and p["statut"] == "termine"
    assert (p["thematique"], p["sous_thematique"]) == ("eau_assainissement", "eau_potable")
    assert p["secteur_cad"] == "14031" and p["annee_fin"] == 2015 and p["date_maj"] == today
    lien = _item(server, "liens", pid)  # the flow follows its project
    assert lien["titre"] == p["titre"] and lien["statut"] == "termine" and lien["thematique"] == "eau_assainissement"
    assert lien["annee_fin"] == 2015  # its period too (datetime on liens)
    found = server.get("/collections/projets/items", params={"f": "json", "q": "tabligbo"}).json()
    assert pid in [f["id"] for f in found["features"]]  # the keyword index follows
    journal = api.get("/api/modifications").json()["modifications"]
    mine = [m for m in journal if m["objet_id"] == pid and m["champ"] == "titre"]
    assert mine and mine[0]["acteur"].startswith("col.a@collectivite.example") and mine[0]["date"].startswith(today)
    assert mine[0]["nouvelle"] == "Réseau d'eau potable de Tabligbo"
    # nothing to change: nothing journaled
    again = api.patch(f"/api/projets/{pid}", json={"statut": "termine"})
    assert again.json()["champs_modifies"] == []


def test_project_updates_are_validated(people):
    pid, api = people["projet_a"], people["col_a"]
    bad = [
        ({"titre": "x"}, "titre"),
        ({"statut": "fini"}, "statut"),
        ({"annee_fin": 1200}, "annee_fin"),
        ({"annee_lancement": 2020, "annee_fin": 2010}, "annee_fin"),
        ({"collectivite_id": "X"}, "collectivite_id"),
        ({"sous_sous_thematique": "acces_eau_potable", "thematique": "sante"}, "thematique"),
        ({"jumelage": "peut-être"}, "jumelage"),
    ]
    for body, field in bad:
        r = api.patch(f"/api/projets/{pid}", json=body)
        assert r.status_code == 400 and r.json()["parametre"] == field, (body, r.text)
    assert (
        api.patch(f"/api/projets/{pid}", data="pas du json", headers={"Content-Type": "application/json"}).json()[
            "parametre"
        ]
        == "body"
    )


def test_collectivity_updates_its_contacts(server, people):
    cid, api = people["coll_a"], people["col_a"]
    r = api.patch(
        f"/api/collectivites/{cid}",
        json={
            "elu_nom": "Marie Exemple",
            "elu_email": "m.exemple@ville.example",
            "directeur_telephone": "01 99 00 12 34",
        },
    )
    assert r.status_code == 200, r.text
    c = _item(server, "collectivites", cid)
    assert c["elu_nom"] == "Marie Exemple" and c["elu_email"] == "m.exemple@ville.example"
    assert c["directeur_telephone"] == "01 99 00 12 34"
    assert (
        api.patch(f"/api/collectivites/{cid}", json={"elu_email": "pas une adresse"}).json()["parametre"] == "elu_email"
    )
    assert api.patch(f"/api/collectivites/{cid}", json={"nom": "Autre nom"}).json()["parametre"] == "nom"


def test_collectivity_web_page(server, people):
    s = H.http_session()
    page = s.get(server.url + "/compte/connexion")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    s.post(
        server.url + "/compte/connexion",
        data={"email": "col.b@collectivite.example", "password": H.PASSWORD, "csrf": csrf},
    )
    page = s.get(server.url + "/compte/collectivite")
    assert page.status_code == 200 and people["projet_b"] in page.text
    token = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    r = s.post(
        server.url + f"/compte/projets/{people['projet_b']}",
        data={
            "csrf": token,
            "titre": "Titre mis à jour par la page",
            "description": "",
            "statut": "en_cours",
            "sous_sous_thematique": "echanges_culturels",
            "annee_convention": "",
            "annee_lancement": "2011",
            "annee_fin": "",
            "jumelage": "1",
        },
    )
    assert r.status_code == 200 and "Enregistré" in r.text
    p = _item(server, "projets", people["projet_b"])
    assert (
        p["titre"] == "Titre mis à jour par la page"
        and p["jumelage"] is True
        and p["thematique"] == "culture_patrimoine_sport"
    )
    # another collectivity's project: refused
    assert s.get(server.url + f"/compte/projets/{people['projet_a']}").status_code == 403


def test_personal_space(server, people):
    api = people["sn"]
    r = api.post(
        "/api/espace",
        json={
            "genre": "recherche",
            "nom": "Eau au Sénégal",
            "criteres": {"pays": "SN", "thematique": "eau_assainissement"},
        },
    )
    assert r.status_code == 201, r.text
    search = r.json()
    doc = api.get(f"/api/espace/{search['id']}/contenu").json()
    assert doc["criteres"] == {"pays": "SN", "thematique": "eau_assainissement"}
    q = doc["requetes"]["projets"]
    assert server.get("/collections/projets/items", params={"f": "json", "limit": 1, **q}).status_code == 200
    assert (
        api.post("/api/espace", json={"genre": "recherche", "nom": "x", "criteres": {"pays": "ZZ"}}).json()["parametre"]
        == "criteres.pays"
    )
    # a map the server renders
    r = api.post(
        "/api/espace",
        json={
            "genre": "carte",
            "nom": "Projets au Sénégal",
            "source": "/collections/projets/map?bbox=-17.6,12.2,-11.3,16.8&width=400&height=300",
        },
    )
    assert r.status_code == 201, r.text
    png = api.get(f"/api/espace/{r.json()['id']}/contenu")
    assert png.headers["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert "attachment" in png.headers["Content-Disposition"]
    assert (
        api.post("/api/espace", json={"genre": "carte", "nom": "x", "source": "http://ailleurs.example/x.png"}).json()[
            "parametre"
        ]
        == "source"
    )
    assert (
        api.post("/api/espace", json={"genre": "carte", "nom": "x", "source": "/openapi"}).json()["parametre"]
        == "source"
    )
    # a PDF export made by a report process
    r = api.post(
        "/api/espace",
        json={
            "genre": "export",
            "nom": "Statistiques du Sénégal",
            "processus": "statistiques",
            "inputs": {"portee": {"type": "pays", "code": "SN"}},
        },
    )
    assert r.status_code == 201, r.text
    pdf = api.get(f"/api/espace/{r.json()['id']}/contenu")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert len(PdfReader(io.BytesIO(pdf.content)).pages) >= 1
    # an uploaded file, checked by its signature
    up = api.post(
        "/api/espace",
        data={"genre": "carte", "nom": "Ma carte"},
        files={"fichier": ("carte.png", png.content, "image/png")},
    )
    assert up.status_code == 201
    bad = api.post(
        "/api/espace",
        data={"genre": "export", "nom": "Faux"},
        files={"fichier": ("faux.pdf", b"<html>pas un pdf</html>", "application/pdf")},
    )
    assert bad.status_code == 400 and bad.json()["parametre"] == "fichier"
    names = [e["nom"] for e in api.get("/api/espace").json()["elements"]]
    assert {"Eau au Sénégal", "Projets au Sénégal", "Statistiques du Sénégal", "Ma carte"} <= set(names)
    assert api.delete(f"/api/espace/{search['id']}").status_code == 204
    assert api.get(f"/api/espace/{search['id']}").status_code == 404
    assert "Eau au Sénégal" not in [e["nom"] for e in api.get("/api/espace").json()["elements"]]


def test_personal_space_quota(server, people, tmp_path):
    api = people["admin"]
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 + 10)  # one byte more than COOPATLAS_ESPACE_MAX_MB=10
    r = api.post(
        "/api/espace",
        data={"genre": "export", "nom": "Trop gros"},
        files={"fichier": ("gros.pdf", big, "application/pdf")},
    )
    assert r.status_code == 413
    assert json.loads(r.text)["code"] == "PayloadTooLarge"
