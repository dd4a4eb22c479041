"""What the fault tests share: requests with a time limit, and what a 503 of a database that cannot answer
looks like."""

from __future__ import annotations

import os

import requests

#: Seconds any single request may take during a fault (a hung request fails the test).
REQUEST_TIMEOUT = 20


def get(server, path: str, **params) -> requests.Response:
    return requests.get(server.url + path, params=params, timeout=REQUEST_TIMEOUT)


def assert_unavailable(r: requests.Response, says: str = "temporarily unavailable") -> None:
    """A 503 in the OGC exception format, with Retry-After and no internal detail; its description ``says``."""
    assert r.status_code == 503, (r.request.url, r.status_code, r.text[:500])
    assert r.headers["Content-Type"].startswith("application/json"), r.headers["Content-Type"]
    body = r.json()
    assert body["code"] == "ServiceUnavailable", body
    assert says in body["description"], body
    for leak in ("/", "sqlite", "psycopg", "Errno", "closed", "Traceback", ".gpkg"):
        assert leak not in body["description"], body
    assert int(r.headers["Retry-After"]) > 0


def bourse_inputs(n: int) -> dict:
    return {
        "demandeur_nom": f"Commune de test des pannes {os.getpid()}-{n}",
        "demandeur_type": "localite",
        "pays_code": "BF",
        "lieu": "Ziniaré",
        "contact_nom": "Awa Test",
        "contact_email": f"awa.pannes.{n}@commune.example",
        "titre": f"Accès à l'eau potable, quartier {n}",
        "description": "Forages, bornes-fontaines et formation d'un service municipal de l'eau.",
        "sous_sous_thematique": "acces_eau_potable",
        "profil_partenaire": "Commune de taille comparable",
        "langues": ["fr"],
    }


def submit(server, n: int) -> requests.Response:
    """A Bourse request (``deposer-demande``) from a client address of its own."""
    return requests.post(
        server.url + "/processes/deposer-demande/execution",
        json={"inputs": bourse_inputs(n)},
        headers={"X-Forwarded-For": f"10.9.{os.getpid() % 250}.{n}"},
        timeout=120,
    )
