"""Requests that are not public (soumise, a_completer, rejetee) never leak through any endpoint of the
server: items (JSON, HTML, CSV, keywords, bbox), items/{id}, queryables, schema, collection metadata,
statistics, maps, partners, OpenAPI, jobs — and a validated one does appear in each of them."""

from __future__ import annotations

import io
import json

import bourse_helpers as H
import numpy as np
import pytest
from PIL import Image

MARKER = "Quorbazyx"
#: A quiet corner of Burkina Faso (lon, lat, EPSG:4326) with no published request nearby.
POINT = (-0.62, 13.48)
BBOX = f"{POINT[0] - 0.15},{POINT[1] - 0.15},{POINT[0] + 0.15},{POINT[1] + 0.15}"


def _map(server, collection):
    r = server.get(
        f"/collections/{collection}/map", params={"bbox": BBOX, "width": 120, "height": 120, "transparent": "true"}
    )
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("image/png"), r.text[:300]
    return Image.open(io.BytesIO(r.content)).convert("RGBA")


def _reddish(img) -> int:
    """Pixels of the requests' red (#d62728), give or take antialiasing."""
    px = np.asarray(img).astype(int)
    r, g, b, a = px[..., 0], px[..., 1], px[..., 2], px[..., 3]
    return int(((a > 128) & (r > 150) & (g < 90) & (b < 90)).sum())


def _stats(server, **inputs):
    r = server.post("/processes/statistiques/execution", json={"inputs": {"format": "json", **inputs}})
    assert r.status_code == 200, r.text[:300]
    return r.json()


def _features(r) -> str:
    data = r.json()
    return json.dumps({"numberMatched": data["numberMatched"], "features": data["features"]}, ensure_ascii=False)


def _everything(server, refs) -> dict[str, str]:
    """The text of every public endpoint that could show a request."""
    out = {}
    for f in ("json", "html", "csv"):
        out[f"items.{f}"] = server.get("/collections/demandes/items", params={"f": f, "limit": 10000}).text
    # (a query with the marker is echoed in the links: keep the features only)
    out["items.q"] = _features(server.get("/collections/demandes/items", params={"f": "json", "q": MARKER}))
    out["items.bbox"] = server.get("/collections/demandes/items", params={"f": "json", "bbox": BBOX}).text
    out["items.filter"] = server.get(
        "/collections/demandes/items",
        params={
            "f": "json",
            "filter": "statut_validation IN ('soumise','a_completer','rejetee')",
            "filter-lang": "cql2-text",
        },
    ).text
    for ref in refs:
        for f in ("json", "html"):
            r = server.get(f"/collections/demandes/items/{ref}", params={"f": f})
            out[f"item.{ref}.{f}"] = f"{r.status_code} {r.text}"
    for path in (
        "/collections/demandes",
        "/collections/demandes/queryables",
        "/collections/demandes/schema",
        "/collections/partenaires/items?limit=10000",
        "/collections/partenaires/queryables",
        "/openapi",
        "/jobs",
        "/collections",
    ):
        sep = "&" if "?" in path else "?"
        out[path] = server.get(f"{path}{sep}f=json").text
    out["partenaires.q"] = _features(server.get("/collections/partenaires/items", params={"f": "json", "q": MARKER}))
    stats = _stats(server, q=MARKER)
    out["stats.q"] = json.dumps({k: v for k, v in stats.items() if k not in ("criteres", "description")})
    return out


@pytest.fixture(scope="module")
def private_requests(server, people):
    """Three requests, one per non-public status, with a marker word, at POINT."""
    r = server.get("/collections/demandes/items", params={"f": "json", "bbox": BBOX})
    assert r.json()["numberMatched"] == 0, "precondition: no published request around POINT"
    before = {
        "demandes": _map(server, "demandes"),
        "partenaires": _map(server, "partenaires"),
        "stats": _stats(server)["demandes_cooperation"],
        "matched": server.get("/collections/demandes/items", params={"f": "json", "limit": 1}).json()["numberMatched"],
    }
    refs = {}
    for status in ("soumise", "a_completer", "rejetee"):
        inputs = H.request_inputs(
            demandeur_nom=f"{MARKER} {status}", titre=f"Projet {MARKER} {status}", lieu=None, lon=POINT[0], lat=POINT[1]
        )
        r = H.submit(server, inputs, H.new_ip())
        assert r.status_code == 200, r.text
        ref = r.json()["reference"]
        if status != "soumise":
            assert people["bf"].transition(ref, status, "Pour le test.").status_code == 200
        refs[status] = ref
    return refs, before


def test_private_requests_never_leak(server, private_requests):
    refs, before = private_requests
    texts = _everything(server, refs.values())
    for name, text in texts.items():
        assert MARKER not in text, name
        for ref in refs.values():
            if not name.startswith("item."):
                assert ref not in text, (name, ref)
    for ref in refs.values():
        assert texts[f"item.{ref}.json"].startswith("404"), ref
        assert texts[f"item.{ref}.html"].startswith("404"), ref
    assert json.loads(texts["items.bbox"])["numberMatched"] == 0
    # the private table is not a collection
    assert server.get("/collections/bourse_demandes/items?f=json").status_code == 404
    assert json.loads(texts["items.filter"])["numberMatched"] == 0
    assert json.loads(texts["stats.q"])["demandes_cooperation"] == 0
    assert _stats(server)["demandes_cooperation"] == before["stats"]
    assert (
        server.get("/collections/demandes/items", params={"f": "json", "limit": 1}).json()["numberMatched"]
        == before["matched"]
    )
    # maps: the same pixels as before the private requests were made
    for coll in ("demandes", "partenaires"):
        assert _map(server, coll).tobytes() == before[coll].tobytes(), coll


def test_a_validated_request_shows_everywhere(server, people, private_requests):
    refs, before = private_requests
    ref = refs["soumise"]
    assert people["bf"].transition(ref, "validee", "Publication.").status_code == 200
    try:
        texts = _everything(server, [ref])
        for name in (
            "items.json",
            "items.html",
            "items.csv",
            "items.q",
            "items.bbox",
            f"item.{ref}.json",
            f"item.{ref}.html",
            "partenaires.q",
        ):
            assert MARKER in texts[name], name
        assert json.loads(texts["items.q"])["numberMatched"] == 1
        assert json.loads(texts["stats.q"])["demandes_cooperation"] == 1
        assert _stats(server)["demandes_cooperation"] == before["stats"] + 1
        assert _reddish(before["demandes"]) == 0
        assert _reddish(_map(server, "demandes")) > 10  # a red point
        # only the validated one: the others stay hidden
        for other in (refs["a_completer"], refs["rejetee"]):
            assert server.get(f"/collections/demandes/items/{other}?f=json").status_code == 404
            assert other not in texts["items.json"]
    finally:
        assert people["bf"].transition(ref, "rejetee", "Fin du test.").status_code == 200
    assert server.get(f"/collections/demandes/items/{ref}?f=json").status_code == 404
    assert _stats(server)["demandes_cooperation"] == before["stats"]


def test_openapi_examples_are_fictitious(server):
    doc = server.get("/openapi?f=json").json()
    proc = server.get("/processes/deposer-demande?f=json").json()
    example = proc["example"]["inputs"] if "example" in proc else None
    text = json.dumps(doc, ensure_ascii=False) + json.dumps(proc, ensure_ascii=False)
    assert "BP-20" not in text  # no reference of a real request
    if example:
        assert example["contact_email"].endswith(".example")
