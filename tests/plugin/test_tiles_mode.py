"""Searches beyond the tiles threshold: the server's vector tiles with its MapLibre style, the table read
page by page as the user scrolls, and the user told which mode was used."""

from __future__ import annotations

import pytest
from helpers import matched, wait_search
from qgis.core import QgsProject, QgsVectorLayer, QgsVectorTileLayer

from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.core.tiles import FEATURES, TILES
from coopatlas_qgis.gui.wdg_results import ResultsWidget


@pytest.fixture
def session(settings, qgis_iface, qgis_new_project, tmp_path):
    settings.tiles_threshold = 10000
    yield Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)
    settings.tiles_threshold = 10000


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
    assert layer.renderer() is not None and len(layer.renderer().styles()) > 0
    assert result.counts["projets"] == total
    assert "Vector tiles" in results.lbl_mode.text() or "Tuiles vectorielles" in results.lbl_mode.text()
    # the table holds a first page, then reads more as asked
    first = results.model.rowCount()
    assert 0 < first < total
    assert results.model.canFetchMore()
    results.model.fetchMore()
    assert results.model.rowCount() > first
    assert len({row.id for row in results.model.rows}) == results.model.rowCount()
    # the points' extent is not read from tiles: the view is still a valid one
    assert not session.iface.mapCanvas().extent().isEmpty()


def test_search_with_criteria_beyond_the_threshold_is_downloaded(qtbot, session, settings):
    """Tiles cannot be filtered by the criteria: a large search with criteria is paged as features, and
    the user is told so."""
    settings.tiles_threshold = 100
    session.settings = settings
    results = ResultsWidget(session)
    qtbot.addWidget(results)
    loaded = wait_search(qtbot, session, lambda: session.run_search(Search.of(pays=["BF"])))
    assert loaded.result.matched["projets"] > 100
    assert loaded.result.modes["projets"] == FEATURES
    assert isinstance(loaded.layers["projets"], QgsVectorLayer)
    assert loaded.layers["projets"].featureCount() == loaded.result.matched["projets"]
    assert results.model.rowCount() == loaded.result.matched["projets"] + loaded.result.counts["demandes"]
    assert "cannot be filtered" in results.lbl_mode.text() or "filtr" in results.lbl_mode.text()
