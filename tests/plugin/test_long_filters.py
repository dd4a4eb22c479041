"""Long filters (the French authorities or partners of a search, as lists of identifiers) never go in URLs:
the plugin POSTs them as CQL2 JSON to ``/collections/{id}/items``; a URL too long for the server is a 414
that says what to do, never a reset connection. Against both backends."""

from __future__ import annotations

import json

import pytest
from helpers import wait_search
from qgis.core import QgsProject

from coopatlas_qgis.core.client import AtlasClient
from coopatlas_qgis.core.errors import AtlasError
from coopatlas_qgis.core.result import LONG_FILTER, filter_params
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session


@pytest.fixture(params=["geopackage", "postgis"])
def backend(request, server_url):
    return server_url if request.param == "geopackage" else request.getfixturevalue("postgis_server_url")


@pytest.fixture
def backend_client(backend):
    return AtlasClient(backend)


def ids(features) -> set:
    return {str(f["id"]) for f in features}


def test_a_long_filter_is_posted_and_selects_what_its_text_selects(backend_client):
    client = backend_client
    criteres = client.criteres(Search.of(pays=["BF"]).params())
    text = criteres["collections"]["collectivites"]["filter"]
    assert len(text) > LONG_FILTER, "the French authorities of a search abroad: a list of identifiers"
    params = filter_params(criteres, "collectivites")
    assert isinstance(params["filter"], dict) and "filter-lang" not in params
    posted = client.items("collectivites", {**params, "properties": "id", "skipGeometry": "true"}, page_size=50)
    # the same filter as text in a GET (still short enough for a URL) selects the same records
    got = client.items("collectivites", {"filter": text, "filter-lang": "cql2-text", "properties": "id"}, 1000)
    assert ids(posted) == ids(got) and len(posted) == len(ids(posted)) > 50  # several pages, none twice
    stats = client.execute_json("statistiques", Search.of(pays=["BF"]).inputs())
    assert len(posted) == stats["collectivites_francaises_engagees"]
    hits = client.get_json("/collections/collectivites/items", {"f": "json", "resulttype": "hits", **params})
    assert hits["numberMatched"] == len(posted)


def test_a_too_long_url_is_a_414_that_says_to_post(backend_client):
    client = backend_client
    criteres = client.criteres(Search.of(region=["11"]).params())
    text = criteres["collections"]["partenaires"]["filter"]
    url = client.url("/collections/partenaires/items", {"f": "json", "filter": text})
    assert len(url) > 8190
    resp = client.request(url)  # an HTTP answer, not a reset connection
    assert resp.status == 414
    assert "POST" in json.loads(resp.content)["description"]
    with pytest.raises(AtlasError) as err:
        client.get_json("/collections/partenaires/items", {"filter": text})
    assert err.value.status == 414 and "CQL2 JSON" in str(err.value)


def test_a_search_with_a_long_filter_works_from_the_plugin(
    qtbot, backend, settings, qgis_iface, qgis_new_project, tmp_path
):
    settings.server_url = backend
    session = Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)
    search = Search.of(region=["11"])
    loaded = wait_search(qtbot, session, lambda: session.run_search(search))
    params = filter_params(loaded.result.criteres, "partenaires")
    assert isinstance(params["filter"], dict)
    hits = session.client.get_json("/collections/partenaires/items", {"f": "json", "resulttype": "hits", **params})
    assert loaded.result.counts["partenaires"] == hits["numberMatched"] > 1000
    assert loaded.layers["partenaires"].featureCount() == hits["numberMatched"]
