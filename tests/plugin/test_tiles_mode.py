"""Searches beyond the tiles threshold: the server's vector tiles with its MapLibre style (filtered by the
search's criteria), the table read page by page in the background as the user scrolls, and the user told
which mode was used. Against both backends (GeoPackage and PostGIS) where a search is compared."""

from __future__ import annotations

import time
from urllib.parse import parse_qs, urlsplit

import pytest
from helpers import matched, wait_search
from qgis.core import QgsDataSourceUri, QgsProject, QgsVectorLayer, QgsVectorTileLayer

from coopatlas_qgis.core.result import filter_params
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.core.tiles import FEATURES, TILES
from coopatlas_qgis.gui.wdg_results import ResultsWidget


@pytest.fixture(params=["geopackage", "postgis"])
def backend(request, server_url):
    return server_url if request.param == "geopackage" else request.getfixturevalue("postgis_server_url")


@pytest.fixture
def session(settings, qgis_iface, qgis_new_project, tmp_path):
    settings.tiles_threshold = 10000
    yield Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)
    settings.tiles_threshold = 10000


def tile_template(layer: QgsVectorTileLayer) -> str:
    uri = QgsDataSourceUri()
    uri.setEncodedUri(layer.source())
    return uri.param("url")


def read_all_rows(qtbot, model) -> None:
    """Scroll to the end: ask for pages until none is left, each read in the background."""
    for _ in range(1000):
        qtbot.waitUntil(lambda: model.pending is None, timeout=60000)
        if not model.canFetchMore():
            return
        model.fetchMore()
    raise AssertionError("the table never ends")


@pytest.mark.slow
def test_world_search_beyond_the_threshold_comes_as_vector_tiles(qtbot, session, client):
    results = ResultsWidget(session)
    qtbot.addWidget(results)
    total = matched(client, "projets", {})
    assert total > 10000, "the demo atlas has more than 10,000 projects"
    loaded = wait_search(qtbot, session, lambda: session.run_search(Search()))
    result = loaded.result
    assert result.modes["projets"] == TILES and result.modes["liens"] == TILES
    assert result.modes["collectivites"] == FEATURES  # fewer than the threshold: downloaded
    assert "projets" not in result.files  # nothing paged as GeoJSON
    layer = loaded.layers["projets"]
    assert isinstance(layer, QgsVectorTileLayer) and layer.isValid()
    assert "/collections/projets/tiles/WebMercatorQuad/" in layer.source()
    assert "filter" not in parse_qs(urlsplit(tile_template(layer)).query)  # the world: no filter
    assert layer.renderer() is not None and len(layer.renderer().styles()) > 0
    assert result.counts["projets"] == total
    assert "Vector tiles:" in results.lbl_mode.text() or "Tuiles vectorielles :" in results.lbl_mode.text()
    # the table holds a first page (read in the background), then reads more as asked
    # (the downloaded requests come first; the projects' first page may still be on its way: wait for it)
    qtbot.waitUntil(lambda: results.model.rowCount() > 0 and results.model.pending is None, timeout=60000)
    first = results.model.rowCount()
    assert 0 < first < total
    assert results.model.canFetchMore()
    started = time.monotonic()
    results.model.fetchMore()
    # the view does not wait for the page: it comes later, from a task
    assert results.model.pending is not None and results.model.rowCount() == first
    assert time.monotonic() - started < 0.5
    assert not results.model.canFetchMore()  # one page at a time
    qtbot.waitUntil(lambda: results.model.rowCount() > first, timeout=60000)
    assert len({row.id for row in results.model.rows}) == results.model.rowCount()
    # the points' extent is not read from tiles: the view is still a valid one
    assert not session.iface.mapCanvas().extent().isEmpty()


def test_search_with_criteria_beyond_the_threshold_comes_as_filtered_tiles(qtbot, session, settings, backend):
    """The tiles of a search with criteria are filtered by the /criteres filter: the tile the plugin draws
    is the server's tile with that filter, not the whole collection's; the table holds exactly the
    records of the search, read page by page."""
    settings.tiles_threshold = 100
    settings.server_url = backend
    session.settings = settings
    client = session.client
    results = ResultsWidget(session)
    qtbot.addWidget(results)
    loaded = wait_search(qtbot, session, lambda: session.run_search(Search.of(pays=["BF"])))
    result = loaded.result
    params = filter_params(result.criteres, "projets")
    assert result.matched["projets"] == matched(client, "projets", params) > 100
    assert result.modes["projets"] == TILES
    layer = loaded.layers["projets"]
    assert isinstance(layer, QgsVectorTileLayer) and layer.isValid()
    template = tile_template(layer)
    query = parse_qs(urlsplit(template).query)
    assert query["filter"] == [params["filter"]] and query["filter-lang"] == ["cql2-text"]
    # the world tile the layer reads is the filtered one
    drawn = client.request(template.replace("{z}/{y}/{x}", "0/0/0"), accept=None)
    filtered = client.get("/collections/projets/tiles/WebMercatorQuad/0/0/0", {"f": "mvt", **params}, accept=None)
    whole = client.get("/collections/projets/tiles/WebMercatorQuad/0/0/0", {"f": "mvt"}, accept=None)
    assert drawn.status == 200 and drawn.content == filtered.content != whole.content
    assert (
        "filtered by the criteria" in results.lbl_mode.text() or "filtrées par les critères" in results.lbl_mode.text()
    )
    # the table: every record of the search, once, read in the background
    read_all_rows(qtbot, results.model)
    projets = [row.id for row in results.model.rows if row.collection == "projets"]
    expected = {str(f["id"]) for f in client.items("projets", {**params, "properties": "id", "skipGeometry": "true"})}
    assert len(projets) == len(set(projets)) and set(projets) == expected


def test_keyword_search_beyond_the_threshold_is_downloaded(qtbot, session, settings):
    """Keywords (full-text) are not in the tiles: such a search is paged as features, and the user told why."""
    settings.tiles_threshold = 20
    session.settings = settings
    results = ResultsWidget(session)
    qtbot.addWidget(results)
    loaded = wait_search(qtbot, session, lambda: session.run_search(Search.of(q="eau")))
    assert loaded.result.matched["projets"] > 20
    assert loaded.result.modes["projets"] == FEATURES
    assert isinstance(loaded.layers["projets"], QgsVectorLayer)
    assert loaded.layers["projets"].featureCount() == loaded.result.matched["projets"]
    assert "keywords" in results.lbl_mode.text() or "mots" in results.lbl_mode.text()
