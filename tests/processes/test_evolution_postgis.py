"""The series per year of ``statistiques`` on PostGIS (``COOPATLAS_DATABASE_URL``): the same answers as on
the GeoPackage, whole and split by every dimension."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.slow


SEARCHES = [
    {},
    {"pays": "BF"},
    {"thematique": "eau_assainissement", "de": 1995, "a": 2020},
    {"q": "eau potable", "continent": ["afrique"], "lang": "en"},
    {"portee": {"type": "region", "code": "84"}, "statut": ["en_cours"]},
    {"par": "pays", "groupes": 12},
    {"continent": "afrique", "par": "continent"},
    {"portee": {"type": "france"}, "par": "thematique", "groupes": 4},
    {"pays": "ML", "par": "type_collectivite"},
    {"par": "type_action", "de": 2000, "a": 2005},
    {"pays": "BF", "annee_min": 2030},  # no project, the APD of Burkina Faso (annee_min does not apply to it)
    {"q": "zzyzx introuvable"},  # nothing matches: no year
]


@pytest.mark.parametrize("inputs", SEARCHES, ids=[str(i) for i in range(len(SEARCHES))])
def test_series_same_on_both_backends(process_server, postgis_server, inputs):
    inputs = {**inputs, "evolution": True}
    gpkg = process_server.execute("statistiques", inputs)
    pg = process_server.http.post(
        f"{postgis_server.url}/processes/statistiques/execution", json={"inputs": inputs}, timeout=300
    )
    assert gpkg.status_code == pg.status_code == 200, pg.text[:300]
    a, b = gpkg.json(), pg.json()
    a.pop("donnees"), b.pop("donnees")  # the metadata table lives in the GeoPackage only
    assert a == b
    if "annee_min" in inputs:
        assert {r["annee"] for r in a["annees"] if r["apd"]} == set(range(2008, 2013))
        assert not any(r["projets_actifs"] for r in a["annees"])
        assert a["apd_criteres_non_appliques"] == ["annee_min"]
    elif inputs.get("q") == "zzyzx introuvable":
        assert a["annees"] == [] and a["de"] is None and a["totaux"]["projets_lances"] == 0
    else:
        assert a["annees"] and all(r["projets_actifs"] >= 0 for r in a["annees"])
