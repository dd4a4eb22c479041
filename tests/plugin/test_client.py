"""The plugin's HTTP client against the real server: vocabulary, criteria, paging, errors, styles."""

from __future__ import annotations

import pytest
from helpers import moderate_country
from qgis.core import QgsFeedback

from coopatlas_qgis.core.client import AtlasClient, encode_params, normalise_url
from coopatlas_qgis.core.errors import AtlasError, BadParameter, Cancelled, ServerUnreachable
from coopatlas_qgis.core.result import filter_params
from coopatlas_qgis.core.search import CRITERIA, LIST_KINDS, YEAR_RANGE, Search
from support.postgis import free_port


def test_url_helpers():
    assert normalise_url("example.org:5000/") == "http://example.org:5000"
    assert normalise_url("") == "http://127.0.0.1:5000"
    # '+' and spaces of a CQL2 filter must survive (a server reads '+' as a space)
    assert (
        encode_params({"filter": "a = 'x+y' AND b IN ('1', '2')", "n": 3, "ok": True})
        == "filter=a%20%3D%20%27x%2By%27%20AND%20b%20IN%20%28%271%27%2C%20%272%27%29&n=3&ok=true"
    )
    client = AtlasClient("http://127.0.0.1:5000")
    assert (
        client.rebase("http://localhost:9999/collections/projets/items?offset=10")
        == "http://127.0.0.1:5000/collections/projets/items?offset=10"
    )


def test_vocabulary_shapes(client):
    voc = client.vocabulary()
    for name in (
        "type_action",
        "statut",
        "continent",
        "sous_continent",
        "thematique",
        "sous_thematique",
        "sous_sous_thematique",
        "type_collectivite",
        "cofinancement",
    ):
        assert voc[name], name
        assert {"code", "fr", "en"} <= set(voc[name][0]), name
    assert all(t.get("couleur", "").startswith("#") for t in voc["type_action"])
    continents = {t["code"] for t in voc["continent"]}
    assert all(t["continent"] in continents for t in voc["sous_continent"])


def test_server_down_is_a_clear_message():
    client = AtlasClient(f"http://127.0.0.1:{free_port()}", timeout_s=5)
    with pytest.raises(ServerUnreachable) as err:
        client.vocabulary()
    assert "127.0.0.1" in str(err.value) and err.value.status is None


def test_bad_criterion_names_the_parameter(client):
    with pytest.raises(BadParameter) as err:
        client.criteres({"continent": "atlantide"})
    assert err.value.status == 400 and err.value.param == "continent"
    assert "atlantide" in str(err.value)


def test_the_servers_criteria_are_the_plugins(client):
    """The plugin's forms and Processing parameters offer exactly the criteria the server publishes."""
    specs = client.criteres({})["specifications"]
    assert [(spec["nom"], spec["type"]) for spec in specs] == list(CRITERIA.items())
    assert all(spec["multiple"] == (spec["type"] in LIST_KINDS) for spec in specs)
    assert {(spec["minimum"], spec["maximum"]) for spec in specs if spec["type"] == "year"} == {YEAR_RANGE}


def test_unknown_collection_is_404(client):
    with pytest.raises(AtlasError) as err:
        client.get_json("/collections/nope/items", {"f": "json"})
    assert err.value.status == 404


def test_paging_follows_next_links(client):
    country = {"pays_code": moderate_country(client)["id"]}
    first = next(client.items_pages("projets", country, page_size=1000))
    matched = first.get("numberMatched")
    small = list(client.items_pages("projets", country, page_size=7))
    feats = [f for page in small for f in page["features"]]
    assert len(small) > 1
    assert all(len(p["features"]) <= 7 for p in small)
    ids = [f["id"] for f in feats]
    assert len(ids) == len(set(ids)), "a page repeated features"
    if matched is not None:
        assert len(feats) == matched
    else:
        assert len(feats) == len(first["features"])


def test_criteres_filter_is_applied_by_the_server(client):
    voc = client.vocabulary()
    country = moderate_country(client)["id"]
    search = Search.of(type_action=["cooperation_decentralisee"], pays=[country])
    crit = client.criteres(search.params())
    assert crit["collections"]["demandes"] is None  # requests are ruled out
    params = filter_params(crit, "projets")
    assert params["filter-lang"] == "cql2-text"
    feats = client.items("projets", params, page_size=500)
    every = client.items("projets", {"pays_code": country}, page_size=500)
    assert feats and len(feats) < len(every)
    assert {f["properties"]["type_action"] for f in feats} == {"cooperation_decentralisee"}
    assert {f["properties"]["pays_code"] for f in feats} == {country}
    assert set(crit["description"]) >= {"fr", "en"}
    assert voc  # the vocabulary and the criteria come from the same server


def test_names_for_lists(client):
    names = client.names("collectivites", {"type_collectivite": "commune"}, fields="id,nom,type_collectivite")
    assert names
    assert all(n["type_collectivite"] == "commune" for n in names)
    assert all(set(n) >= {"id", "nom"} for n in names)


def test_style_is_the_servers_qml(client):
    url = client.style_url("projets")
    assert url.endswith(".qml")
    qml = client.style_qml("projets")
    assert "categorizedSymbol" in qml and 'attr="type_action"' in qml


def test_cancelled_feedback_stops_before_the_request(client):
    fb = QgsFeedback()
    fb.cancel()
    with pytest.raises(Cancelled):
        client.get_json("/", {"f": "json"}, fb)


def test_processes_sync_and_as_jobs(client):
    inputs = {"continent": ["afrique"], "top": 3, "lang": "fr"}
    sync = client.execute("statistiques", inputs)
    assert sync.status == 200 and sync.content_type == "application/json"
    job = client.execute("statistiques", inputs, prefer_async=True, poll_s=0.2)  # 201, Location, polled
    assert job.json() == sync.json()
    assert len(sync.json()["top_collectivites"]) == 3
    with pytest.raises(BadParameter) as err:
        client.execute("statistiques", {"continent": ["atlantide"]})
    assert err.value.param == "continent"
