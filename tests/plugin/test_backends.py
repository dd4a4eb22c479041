"""The same searches in the plugin against both backends of the server, the GeoPackage and PostGIS: the same
records, the État panel's counts, the French collectivities of a search abroad, the context layers and the
view on the place searched."""

from __future__ import annotations

import pytest
from helpers import wait_search
from qgis.core import QgsProject

from coopatlas_qgis.core.context import context_layers
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session

SEARCHES = {
    "monde-BF": Search.of(pays=["BF"]),
    "france-69": Search.of(departement=["69"], type_collectivite=["commune"]),
    "avancee": Search.of(pays=["SN", "ML"], thematique=["eau_assainissement"], annee_min=2005),
}


@pytest.fixture(params=["geopackage", "postgis"])
def backend(request, server_url):
    return server_url if request.param == "geopackage" else request.getfixturevalue("postgis_server_url")


@pytest.fixture
def session(backend, settings, qgis_iface, qgis_new_project, tmp_path):
    settings.server_url = backend
    yield Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)


def ids(layer) -> set:
    return {str(f["id"]) for f in layer.getFeatures()} if layer is not None else set()


_seen: dict = {}


@pytest.mark.parametrize("name", list(SEARCHES))
def test_the_same_search_on_both_backends(qtbot, session, backend, server_url, name):
    loaded = wait_search(qtbot, session, lambda: session.run_search(SEARCHES[name]))
    result = loaded.result
    stats = result.stats
    assert stats is not None, result.stats_error
    # the État panel's figures are what the layers hold
    assert result.counts["collectivites"] == stats["collectivites_francaises_engagees"] > 0
    assert result.counts["projets"] == (
        stats["projets_cooperation_decentralisee"] + stats["projets_actions_exterieures"]
    )
    assert context_layers(QgsProject.instance())
    # the same records on both backends (whichever runs second compares with the first)
    got = {coll: ids(layer) for coll, layer in loaded.layers.items()}
    key = (name, "records")
    if key in _seen:
        assert got == _seen[key], f"{name}: the backends disagree"
    else:
        _seen[key] = got
    assert session.client.base_url == backend
