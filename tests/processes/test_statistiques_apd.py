"""The ``statistiques`` process over HTTP gives the declared APD by DAC sector, channel and policy marker
(JSON), summing to its APD per year, which is what it was before the declarations had lines."""

from __future__ import annotations

import pytest
from process_helpers import reference_csv

from coopatlas import vocabulary as voc


@pytest.fixture(scope="module")
def burkina(process_server) -> dict:
    r = process_server.execute("statistiques", {"portee": {"type": "pays", "code": "BF"}})
    assert r.status_code == 200, r.text
    return r.json()


def test_yearly_apd_is_still_the_published_one(burkina):
    expected = {
        int(r["indicator"][4:]): int(r["value"])
        for r in reference_csv("seed_figures.csv")
        if r["scope"] == "pays:BF" and r["indicator"].startswith("apd_")
    }
    assert {r["annee"]: r["montant"] for r in burkina["apd_par_annee"]} == expected
    assert all(set(r) == {"annee", "montant"} for r in burkina["apd_par_annee"])


def test_apd_by_sector_channel_and_marker(burkina, process_server):
    total = burkina["apd_total"]
    sectors = burkina["apd_par_secteur"]
    assert sectors and all(s["code"] in voc.GROUPES_CAD for s in sectors)
    assert sum(s["montant"] for s in sectors) == pytest.approx(total, abs=0.01)
    assert [s["montant"] for s in sectors] == sorted((s["montant"] for s in sectors), reverse=True)
    water = next(s for s in sectors if s["code"] == "140")
    assert water["libelle"] == voc.GROUPES_CAD["140"].fr
    assert sum(d["montant"] for d in water["secteurs"]) == pytest.approx(water["montant"], abs=0.01)
    # the oracle of one figure: the water and sanitation lines of Burkina Faso, summed in SQLite
    (water_total,) = process_server.gpkg_rows(
        "SELECT SUM(montant) FROM apd WHERE pays_code = 'BF' AND secteur LIKE '140%'"
    )[0]
    assert water["montant"] == round(water_total, 2)
    assert sum(c["montant"] for c in burkina["apd_par_canal"]) == pytest.approx(total, abs=0.01)
    gender = next(m for m in burkina["apd_par_marqueur"] if m["code"] == "genre")
    assert gender["colonne_crs"] == "Gender"
    assert gender["libelle_cible"] == "APD ciblant « Égalité femmes-hommes » (objectif principal ou significatif)"
    by_score = {s["score"]: s["montant"] for s in gender["scores"]}
    assert gender["montant_cible"] == pytest.approx(by_score[2] + by_score[1], abs=0.01)
    (principal,) = process_server.gpkg_rows(
        "SELECT SUM(montant) FROM apd WHERE pays_code = 'BF' AND marqueur_genre = 2"
    )[0]
    assert by_score[2] == round(principal, 2)


def test_in_english(process_server):
    r = process_server.execute("statistiques", {"portee": {"type": "pays", "code": "BF"}, "lang": "en"})
    assert r.status_code == 200, r.text
    nutrition = next(m for m in r.json()["apd_par_marqueur"] if m["code"] == "nutrition")
    assert nutrition["libelle_cible"] == "ODA targeting “Nutrition” (principal or significant objective)"
    assert nutrition["scores"][0]["libelle"] == "Principal objective"


def test_the_csv_holds_the_apd_splits(burkina, process_server):
    """The CSV export carries the same splits as the JSON: sector, channel, and the APD targeting each marker."""
    import csv
    import io

    r = process_server.execute("statistiques", {"portee": {"type": "pays", "code": "BF"}, "format": "csv"})
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    for section, key, value in (
        ("apd_secteur", "apd_par_secteur", "montant"),
        ("apd_canal", "apd_par_canal", "montant"),
        ("apd_marqueur", "apd_par_marqueur", "montant_cible"),
    ):
        listed = {row["code"]: float(row["valeur"]) for row in rows if row["section"] == section}
        assert listed == {str(s["code"] or ""): pytest.approx(s[value], abs=0.01) for s in burkina[key]}, section
