"""The ``fiche-projet`` process over HTTP: one project's sheet as JSON and PDF, checked against the
GeoPackage the server reads."""

from __future__ import annotations

import io

import pytest
from process_helpers import pdf_pages, save_pdf
from pypdf import PdfReader


@pytest.fixture(scope="module")
def project(process_server):
    """A project of Burkina Faso with two co-financings, with its collectivity and partner."""
    pid = process_server.gpkg_rows(
        "SELECT p.id FROM projets p JOIN cofinancements c ON c.projet_id = p.id WHERE p.pays_code = 'BF' "
        "GROUP BY p.id HAVING COUNT(*) >= 2 ORDER BY p.id LIMIT 1"
    )[0][0]
    cols = ("id", "titre", "statut", "collectivite_id", "partenaire_nom", "annee_lancement", "secteur_cad")
    p = dict(zip(cols, process_server.gpkg_rows(f"SELECT {', '.join(cols)} FROM projets WHERE id = ?", [pid])[0]))
    ccols = ("nom", "elu_nom", "elu_email", "directeur_nom", "directeur_telephone")
    p["collectivite"] = dict(
        zip(
            ccols,
            process_server.gpkg_rows(
                f"SELECT {', '.join(ccols)} FROM collectivites WHERE id = ?", [p["collectivite_id"]]
            )[0],
        )
    )
    p["cofinancements"] = process_server.gpkg_rows(
        "SELECT type_cofinancement, annee, montant FROM cofinancements WHERE projet_id = ? ORDER BY annee, "
        "type_cofinancement, id",
        [pid],
    )
    return p


def _fields(sheet, section):
    return {c["champ"]: c for s in sheet["sections"] if s["id"] == section for c in s["champs"]}


def test_sheet_json(process_server, project):
    r = process_server.execute("fiche-projet", {"id": project["id"], "format": "json"})
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    sheet = r.json()
    assert sheet["id"] == project["id"] and sheet["titre"] == project["titre"]
    fields = _fields(sheet, "projet")
    assert fields["statut"]["code"] == project["statut"]
    assert fields["statut"]["valeur"] in ("En projet", "En cours", "Terminé", "Suspendu")  # a label, not a code
    assert fields["pays_nom"]["valeur"] == "Burkina Faso"
    assert fields["continent"]["valeur"] == "Afrique"
    assert fields["secteur_cad"]["valeur"] == project["secteur_cad"]
    assert fields["annee_lancement"]["valeur"] == project["annee_lancement"]
    assert all("(code" not in c["libelle"] for s in sheet["sections"] for c in s["champs"])
    contacts = _fields(sheet, "contacts")
    for key in ("elu_nom", "elu_email", "directeur_nom", "directeur_telephone"):
        assert contacts[key]["valeur"] == project["collectivite"][key]
    assert _fields(sheet, "collectivite")["nom"]["valeur"] == project["collectivite"]["nom"]
    assert _fields(sheet, "partenaire")["nom"]["valeur"] == project["partenaire_nom"]
    assert [(c["type"], c["annee"], c["montant"]) for c in sheet["cofinancements"]] == project["cofinancements"]
    assert sheet["cofinancements_total"] == sum(c[2] for c in project["cofinancements"])
    assert sheet["localisation"]["crs"].endswith("CRS84")
    assert -6 < sheet["localisation"]["lon"] < 3 and 9 < sheet["localisation"]["lat"] < 16  # in Burkina Faso
    assert sheet["donnees"]["synthetique"] is True


def test_sheet_json_in_english(process_server, project):
    r = process_server.execute("fiche-projet", {"id": project["id"], "format": "json", "lang": "en"})
    sheet = r.json()
    assert _fields(sheet, "projet")["continent"]["valeur"] == "Africa"
    assert [s["titre"] for s in sheet["sections"]][:2] == ["Project", "French local authority"]


def test_sheet_pdf(process_server, project, artefacts):
    r = process_server.execute("fiche-projet", {"id": project["id"]})  # PDF by default
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    save_pdf(artefacts, "fiche-projet", r.content, pages=2, resolution=80)
    pages = pdf_pages(r.content)
    text = "\n".join(pages)
    assert f"Fiche projet · {project['id']}" in pages[0]
    assert project["titre"] in text.replace("\n", " ")
    assert "Situation du partenaire" in pages[0]
    assert len(PdfReader(io.BytesIO(r.content)).pages[0].images) >= 1, "the locator map"
    for key in ("nom", "elu_nom", "elu_email", "directeur_nom", "directeur_telephone"):
        assert project["collectivite"][key] in text
    assert project["partenaire_nom"] in text
    total = sum(c[2] for c in project["cofinancements"])
    assert f"{int(total):,} €".replace(",", " ") in text
    assert "SYNTHÉTIQUES" in text and "Sources et attributions" in text
    assert len(pages) <= 3
