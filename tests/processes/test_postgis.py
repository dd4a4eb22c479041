"""The processes on PostGIS (``COOPATLAS_DATABASE_URL``): the same answers as on the GeoPackage."""

from __future__ import annotations

import pytest
from process_helpers import pdf_pages

pytestmark = pytest.mark.slow


def _post(session, url, process, inputs):
    return session.post(f"{url}/processes/{process}/execution", json={"inputs": inputs}, timeout=300)


@pytest.mark.parametrize(
    "inputs",
    [
        {},
        {"portee": {"type": "france"}},
        {"pays": "BF", "top": 20},
        {"q": "eau potable", "continent": ["afrique"]},
        {"portee": {"type": "region", "code": "84"}, "statut": ["en_cours"]},
    ],
    ids=["monde", "france", "BF", "q", "region"],
)
def test_statistiques_same_on_both_backends(process_server, postgis_server, inputs):
    gpkg = process_server.execute("statistiques", inputs)
    pg = _post(process_server.http, postgis_server.url, "statistiques", inputs)
    assert gpkg.status_code == pg.status_code == 200, pg.text[:300]
    a, b = gpkg.json(), pg.json()
    a.pop("donnees"), b.pop("donnees")  # the metadata table lives in the GeoPackage only
    assert a == b


def test_bad_input_on_postgis(process_server, postgis_server):
    r = _post(process_server.http, postgis_server.url, "statistiques", {"portee": {"type": "pays", "code": "ZZ"}})
    assert r.status_code == 400 and r.json()["description"].startswith("portee:")


def test_rapport_and_fiche_on_postgis(process_server, postgis_server):
    r = _post(process_server.http, postgis_server.url, "rapport", {"pays": ["BF"]})
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/pdf"
    text = "\n".join(pdf_pages(r.content))
    assert "Liste des projets (515)" in text
    gpkg = process_server.execute("fiche-projet", {"id": "PRJ000001", "format": "json"}).json()
    pg = _post(process_server.http, postgis_server.url, "fiche-projet", {"id": "PRJ000001", "format": "json"}).json()
    gpkg.pop("donnees"), pg.pop("donnees")
    assert gpkg == pg
