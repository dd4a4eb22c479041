"""The running server over HTTP: landing page, conformance, collections, styles, vocabulary, licences."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from coopatlas import schema as sch
from coopatlas.vocabulary import vocabulary_json

SPATIAL = [cid for cid, c in sch.COLLECTIONS.items() if c.geometry]


def test_landing_page_in_french_and_english(atlas_server):
    fr = atlas_server.get("/", f="json", lang="fr").json()
    en = atlas_server.get("/", f="json", lang="en").json()
    assert fr["title"] == "CoopAtlas : Atlas de la coopération décentralisée"
    assert en["title"] == "CoopAtlas: Atlas of French decentralised cooperation"
    assert "SYNTHÉTIQUES" in fr["description"] and "calibrés sur des chiffres publiés" in fr["description"]
    assert "SYNTHETIC" in en["description"] and "calibrated on published figures" in en["description"]
    for text in (fr["description"], en["description"]):
        assert "Natural Earth" in text and "GeoNames" in text and "CC BY 4.0" in text and "INSEE" in text
    rels = {link["rel"] for link in fr["links"]}
    assert {"service-desc", "service-doc", "conformance", "data"} <= rels


def test_landing_page_html_is_french_by_default(atlas_server):
    r = atlas_server.get("/", f="html")
    assert r.status_code == 200 and '<html lang="fr">' in r.text
    assert "SYNTHÉTIQUES" in r.text and "GeoNames" in r.text
    r = atlas_server.get("/", f="html", lang="en")
    assert '<html lang="en">' in r.text and "SYNTHETIC" in r.text


def test_conformance_declares_features_filter_and_maps(atlas_server):
    classes = set(atlas_server.get("/conformance", f="json").json()["conformsTo"])
    for c in (
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
        "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
        "http://www.opengis.net/spec/ogcapi-features-3/1.0/conf/queryables",
        "http://www.opengis.net/spec/ogcapi-maps-1/1.0/conf/core",
    ):
        assert c in classes


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_collection_with_its_title(atlas_server, lang):
    body = atlas_server.get("/collections", f="json", lang=lang).json()
    got = {c["id"]: c for c in body["collections"]}
    assert list(got) == list(sch.COLLECTIONS)
    for cid, coll in sch.COLLECTIONS.items():
        assert got[cid]["title"] == (coll.title_fr if lang == "fr" else coll.title_en)
        assert got[cid]["description"].startswith(coll.description_fr if lang == "fr" else coll.description_en)


def test_collection_links_styles_licences_and_map(atlas_server):
    for cid, coll in sch.COLLECTIONS.items():
        body = atlas_server.get(f"/collections/{cid}", f="json").json()
        rels = [link["rel"] for link in body["links"]]
        assert "license" in rels, cid
        if coll.geometry:
            assert rels.count("stylesheet") == 3, cid
            assert "http://www.opengis.net/def/rel/ogc/1.0/map" in rels, cid
            bbox = body["extent"]["spatial"]["bbox"][0]
            assert -180 <= bbox[0] <= bbox[2] <= 180 and -90 <= bbox[1] <= bbox[3] <= 90


@pytest.mark.parametrize("cid", SPATIAL)
def test_style_links_resolve(atlas_server, cid):
    links = [
        link
        for link in atlas_server.get(f"/collections/{cid}", f="json").json()["links"]
        if link["rel"] == "stylesheet"
    ]
    assert len(links) == 3
    for link in links:
        assert link["href"].startswith(atlas_server.url + "/styles/")
        r = atlas_server.session.get(link["href"], timeout=30)
        assert r.status_code == 200, link["href"]
        assert r.headers["Content-Type"].split(";")[0] == link["type"].split(";")[0]
        if link["href"].endswith(".json"):
            style = r.json()
            assert style["version"] == 8 and style["layers"]
        else:
            root = ET.fromstring(r.content)
            assert root.tag.endswith("qgis") or root.tag.endswith("StyledLayerDescriptor"), root.tag


def test_unknown_style_file_is_404(atlas_server):
    assert atlas_server.get("/styles/nope.qml").status_code == 404
    assert atlas_server.get("/styles/../pygeoapi-config.yml").status_code == 404


def test_vocabulary_endpoint_publishes_the_code_lists(atlas_server):
    r = atlas_server.get("/vocabulaire")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/json")
    assert r.json() == json.loads(json.dumps(vocabulary_json()))


def test_licences(atlas_server):
    body = atlas_server.get("/licences").json()
    assert body["logiciel"]["name"] == "GPL-3.0-or-later"
    ids = {s["id"] for s in body["sources"]}
    assert {"natural_earth", "insee_ign", "geonames", "synthetique"} <= ids
    for comp in body["composants_web"]:
        if comp["href"].startswith(atlas_server.url):
            assert atlas_server.session.get(comp["href"], timeout=30).status_code == 200, comp
    html = atlas_server.get("/licences", f="html", lang="en").text
    assert "CC BY 4.0" in html and "SYNTHETIC" in html


def test_openapi_document_is_self_contained_and_valid(atlas_server):
    from pygeoapi.openapi import validate_openapi_document

    from coopatlas.server.config import remote_refs

    r = atlas_server.get("/openapi", f="json")
    assert r.status_code == 200
    doc = r.json()
    assert remote_refs(doc) == set()
    assert "schemas.opengis.net" not in r.text
    validate_openapi_document(doc)
    assert doc["servers"][0]["url"] == atlas_server.url
    for cid in sch.COLLECTIONS:
        assert f"/collections/{cid}/items" in doc["paths"]


def test_jobs_endpoint_uses_the_file_job_store(atlas_server):
    r = atlas_server.get("/jobs", f="json")
    assert r.status_code == 200 and "jobs" in r.json()
    assert (atlas_server.var / "jobs.tinydb.json").exists()


def test_malformed_execute_requests_are_400(atlas_server):
    url = f"{atlas_server.url}/processes/statistiques/execution"
    for body, member in (
        ([None], "execute request"),
        ({"inputs": [1]}, "inputs"),
        ({"inputs": {}, "subscriber": [None]}, "subscriber"),
        ({"inputs": {}, "subscriber": {"successUri": 3}}, "subscriber.successUri"),
    ):
        r = atlas_server.session.post(url, json=body, timeout=60)
        assert r.status_code == 400, (body, r.status_code, r.text[:300])
        assert r.json()["description"].startswith(member), r.text
    r = atlas_server.session.post(url, data=b"\xff\xfe{", headers={"Content-Type": "application/json"}, timeout=60)
    assert r.status_code == 400, r.text[:300]
