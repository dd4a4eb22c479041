"""The map of a search as a GIS user reads it: the atlas's countries (and French regions and departments
for a search in France) under the results, once per project; the view on the place searched; the French
collectivities of a search abroad as a layer and a count equal to the État panel's."""

from __future__ import annotations

import pytest
from helpers import wait_search
from qgis.core import QgsCoordinateReferenceSystem, QgsCoordinateTransform, QgsProject, QgsRectangle

from coopatlas_qgis.core.context import PROP_CONTEXT, PROP_CONTEXT_GROUP, context_layers
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.gui.wdg_results import ResultsWidget

WGS84 = QgsCoordinateReferenceSystem("EPSG:4326")


@pytest.fixture
def session(settings, qgis_iface, qgis_new_project, tmp_path):
    return Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)


def view_in_degrees(canvas) -> QgsRectangle:
    ext = canvas.extent()
    crs = canvas.mapSettings().destinationCrs()
    if crs.isValid() and crs != WGS84:
        ext = QgsCoordinateTransform(crs, WGS84, QgsProject.instance()).transformBoundingBox(ext)
    return ext


def context_groups(project):
    return [n for n in project.layerTreeRoot().children() if n.customProperty(PROP_CONTEXT_GROUP)]


def test_search_abroad_context_view_and_collectivities(qtbot, session, qgis_iface, client):
    results = ResultsWidget(session)
    qtbot.addWidget(results)
    loaded = wait_search(qtbot, session, lambda: session.run_search(Search.of(pays=["BF"])))
    project = QgsProject.instance()

    # the French collectivities engaged in Burkina Faso: a layer, and the État panel's count
    stats = loaded.result.stats
    assert stats["collectivites_francaises_engagees"] == 227
    assert loaded.result.counts["collectivites"] == 227
    assert loaded.layers["collectivites"].featureCount() == 227
    assert "227 " in results.lbl_counts.text()

    # the countries under the results, muted, in their own group at the bottom of the tree
    layers = context_layers(project)
    assert set(layers) == {"pays"}
    countries = layers["pays"]
    assert (
        countries.featureCount()
        == client.get_json("/collections/pays/items", {"f": "json", "limit": 1})["numberMatched"]
    )
    assert project.layerTreeRoot().children()[-1].customProperty(PROP_CONTEXT_GROUP)
    assert project.layerTreeRoot().children()[0].findLayer(loaded.layers["projets"].id()) is not None
    assert countries.labelsEnabled()

    # the view is Burkina Faso (about 6 by 5 degrees), not the flows to France
    view = view_in_degrees(qgis_iface.mapCanvas())
    assert view.contains(QgsRectangle(-5.0, 10.5, 2.0, 14.8)), view.toString()
    assert min(view.width(), view.height()) < 10, view.toString()  # (the canvas's shape sets the other side)
    assert QgsRectangle(-5.5, 9.4, 2.4, 15.1).contains(view.center()), view.toString()
    assert not view.contains(QgsRectangle(2.0, 46.0, 2.5, 46.5))  # France is off the view

    # a second search abroad adds no context layer
    wait_search(qtbot, session, lambda: session.run_search(Search.of(pays=["SN"])))
    assert len(context_groups(project)) == 1
    assert [
        lyr.customProperty(PROP_CONTEXT) for lyr in project.mapLayers().values() if lyr.customProperty(PROP_CONTEXT)
    ] == ["pays"]
    view = view_in_degrees(qgis_iface.mapCanvas())
    assert view.contains(QgsRectangle(-17.0, 12.5, -11.5, 16.5)), view.toString()
    assert min(view.width(), view.height()) < 10 and view.center().x() < -10, view.toString()


def test_search_in_france_adds_regions_and_departments_once(qtbot, session, qgis_iface):
    project = QgsProject.instance()
    wait_search(qtbot, session, lambda: session.run_search(Search.of(region=["84"])))
    assert list(context_layers(project)) == ["departements", "regions", "pays"]  # top to bottom
    view = view_in_degrees(qgis_iface.mapCanvas())
    assert view.contains(QgsRectangle(3.0, 45.0, 6.5, 46.0)), view.toString()  # Auvergne-Rhône-Alpes
    assert min(view.width(), view.height()) < 8, view.toString()
    wait_search(qtbot, session, lambda: session.run_search(Search.of(departement=["69"])))
    assert len(context_groups(project)) == 1
    assert sorted(
        lyr.customProperty(PROP_CONTEXT) for lyr in project.mapLayers().values() if lyr.customProperty(PROP_CONTEXT)
    ) == ["departements", "pays", "regions"]
    view = view_in_degrees(qgis_iface.mapCanvas())
    assert view.contains(QgsRectangle(4.5, 45.6, 4.9, 46.2)) and min(view.width(), view.height()) < 3, (
        view.toString()
    )  # Rhône
