"""What the fault tests share: requests with a time limit, and what a 503 of a database that cannot answer
looks like."""
from __future__ import annotations

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
