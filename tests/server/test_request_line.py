"""A request line longer than the server reads (8 KB) is a 414 in JSON that says to POST the filter, read
by the client whole, not a reset connection; a request line under the limit is served."""

from __future__ import annotations

import sqlite3

import pytest

from coopatlas.server.serve import MAX_REQUEST_LINE


@pytest.mark.parametrize("ids", [1200, 20000])  # 16 KB and 270 KB of URL
def test_a_too_long_request_line_is_a_414_not_a_reset(atlas_server, ids):
    cql = "id IN (" + ", ".join(f"'PRJ{i:06d}'" for i in range(ids)) + ")"
    r = atlas_server.session.get(f"{atlas_server.url}/collections/projets/items", params={"filter": cql}, timeout=60)
    assert r.status_code == 414
    assert r.headers["Content-Type"] == "application/json"
    assert "POST" in r.json()["description"] and "application/query-cql-json" in r.json()["description"]
    # the server is still there, and the same filter POSTed as CQL2 JSON is answered
    body = {"op": "in", "args": [{"property": "id"}, [f"PRJ{i:06d}" for i in range(ids)]]}
    posted = atlas_server.session.post(
        f"{atlas_server.url}/collections/projets/items",
        params={"f": "json", "resulttype": "hits"},
        json=body,
        headers={"Content-Type": "application/query-cql-json"},
        timeout=60,
    )
    assert posted.status_code == 200, posted.text[:300]
    wanted = [f"PRJ{i:06d}" for i in range(ids)]
    con = sqlite3.connect(f"file:{atlas_server.gpkg}?mode=ro", uri=True)
    try:
        expected = sum(con.execute("SELECT count(*) FROM projets WHERE id = ?", (i,)).fetchone()[0] for i in wanted)
    finally:
        con.close()
    assert posted.json()["numberMatched"] == expected > 1000


def test_a_request_line_under_the_limit_is_served(atlas_server):
    cql = "id IN (" + ", ".join(f"'PRJ{i:06d}'" for i in range(400)) + ")"
    r = atlas_server.session.get(
        f"{atlas_server.url}/collections/projets/items", params={"filter": cql, "resulttype": "hits"}, timeout=60
    )
    assert len(r.url) < MAX_REQUEST_LINE and r.status_code == 200, r.text[:300]
