"""The atlas in time in QGIS: the results layers loaded from the server with its QML are temporal, the
canvas set to a year draws only the projects active then, Recherche avancée sends the time criteria, and
QGIS's Temporal Controller animates the atlas (a screenshot of the window).

Oracle: the rule of the schema written out here (a project is active from its launch year to its end
year, open-ended when it has none; a request from its submission to its validation; a link as its
project), evaluated in Python on the rows of the served atlas (its GeoPackage, read with sqlite3).

The window goes to ``test-artefacts/plugin/window-temporal-controller.png``; with ``COOPATLAS_DOCS_IMG=1``
also to ``docs/img/plugin-temporal-controller.png``, best made under Xvfb::

    COOPATLAS_DOCS_IMG=1 QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \\
        .venv-qgis/bin/python -m pytest -c tests/plugin/pytest.ini tests/plugin/test_temporal.py
"""

from __future__ import annotations

import sqlite3

import pytest
from conftest import atlas_gpkg
from helpers import wait_search
from qgis.core import (
    QgsApplication,
    QgsDateTimeRange,
    QgsFeatureRequest,
    QgsInterval,
    QgsProject,
    QgsRenderContext,
    QgsTemporalNavigationObject,
    QgsUnitTypes,
    QgsVectorLayer,
    QgsVectorLayerTemporalContext,
)
from qgis.gui import QgsTemporalControllerWidget
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime
from qgis.PyQt.QtWidgets import QDockWidget
from test_window_screenshots import WINDOW, capture, window  # noqa: F401 - the window fixture

from coopatlas_qgis.core.layers import load_search
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.tasks import SearchTask
from coopatlas_qgis.core.temporal import make_temporal

COUNTRY = "BF"
YEAR = 1995
TIME_COLLECTIONS = ("projets", "demandes", "liens")


def year_range(first: int, last: int) -> QgsDateTimeRange:
    """The years ``first`` to ``last`` as the Temporal Controller steps them (end excluded)."""
    return QgsDateTimeRange(
        QDateTime(QDate(first, 1, 1), QTime(0, 0)), QDateTime(QDate(last + 1, 1, 1), QTime(0, 0)), True, False
    )


def active_ids(gpkg, collection: str, country: str, first: int, last: int) -> set[str]:
    """The ids of ``collection`` in ``country`` active in the years ``first`` to ``last``: the rule, in Python."""
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        if collection in ("projets", "liens"):  # a link lives as its project
            rows = con.execute(
                f"SELECT id, annee_lancement, annee_fin FROM {collection} WHERE pays_code = ?", [country]
            )
            return {i for i, s, e in rows if s is not None and s <= last and (e is None or e >= first)}
        rows = con.execute("SELECT id, date_depot, date_validation FROM demandes WHERE pays_code = ?", [country])
        return {
            i for i, s, v in rows if s is not None and s <= f"{last}-12-31" and (v is None or v >= f"{first}-01-01")
        }
    finally:
        con.close()


def drawn_ids(layer: QgsVectorLayer, canvas) -> set[str]:
    """The ids of the features of ``layer`` that the canvas, in its temporal range, draws (the filter QGIS's
    renderer applies, made from the canvas's map settings)."""
    settings = canvas.mapSettings()
    assert settings.isTemporal()
    render = QgsRenderContext.fromMapSettings(settings)
    props = layer.temporalProperties()
    if not props.isVisibleInTemporalRange(render.temporalRange()):
        return set()
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    expression = props.createFilterString(context, render.temporalRange())
    request = QgsFeatureRequest().setFilterExpression(expression) if expression else QgsFeatureRequest()
    return {str(f["id"]) for f in layer.getFeatures(request)}


@pytest.fixture(scope="module")
def gpkg(tmp_path_factory):
    return atlas_gpkg(tmp_path_factory)


@pytest.fixture
def loaded(qtbot, client, tmp_path, qgis_iface, qgis_new_project):
    """The layers of a search of one country, loaded from the server as the plugin loads them."""
    outcome = {}
    task = SearchTask(client, Search.of(pays=[COUNTRY]), tmp_path, page_size=1000, with_stats=False)
    task.done.connect(lambda r: outcome.setdefault("ok", r))
    task.failed.connect(lambda m: outcome.setdefault("error", m))
    QgsApplication.taskManager().addTask(task)
    qtbot.waitUntil(lambda: bool(outcome), timeout=120000)
    assert "ok" in outcome, outcome.get("error")
    return load_search(outcome["ok"], QgsProject.instance(), "fr")


def test_layers_loaded_with_the_published_qml_are_temporal(loaded):
    assert not loaded.errors
    for coll in TIME_COLLECTIONS:
        assert coll in loaded.layers, coll
        assert "<temporal" in loaded.result.styles[coll].read_text(encoding="utf-8"), f"{coll}: QML not temporal"
        props = loaded.layers[coll].temporalProperties()
        assert props.isActive(), f"{coll}: the layer is not temporal"
    for coll in ("collectivites", "partenaires"):  # they do not live in time
        if coll in loaded.layers:
            assert not loaded.layers[coll].temporalProperties().isActive(), coll


def test_the_canvas_in_1995_draws_only_what_was_active_then(loaded, qgis_iface, gpkg):
    canvas = qgis_iface.mapCanvas()
    canvas.setTemporalRange(year_range(YEAR, YEAR))
    try:
        for coll in TIME_COLLECTIONS:
            layer = loaded.layers[coll]
            expected = active_ids(gpkg, coll, COUNTRY, YEAR, YEAR)
            assert drawn_ids(layer, canvas) == expected, coll
            assert len(expected) < layer.featureCount(), f"{coll}: every feature is active: the test cannot fail"
        assert active_ids(gpkg, "projets", COUNTRY, YEAR, YEAR), "no project active in 1995: the test cannot fail"
        canvas.setTemporalRange(year_range(2000, 2010))
        assert drawn_ids(loaded.layers["projets"], canvas) == active_ids(gpkg, "projets", COUNTRY, 2000, 2010)
    finally:
        canvas.setTemporalRange(QgsDateTimeRange(QDateTime(), QDateTime()))  # no range: not temporal


def test_a_layer_without_temporal_style_gets_the_same_rule(loaded, qgis_iface):
    """A style without temporal properties (an older server): the plugin's copy of the rule selects the
    same features as the published QML."""
    canvas = qgis_iface.mapCanvas()
    canvas.setTemporalRange(year_range(YEAR, YEAR))
    try:
        for coll in TIME_COLLECTIONS:
            bare = QgsVectorLayer(str(loaded.result.files[coll]), coll, "ogr")
            assert bare.isValid() and not bare.temporalProperties().isActive()
            assert make_temporal(bare, coll)
            assert drawn_ids(bare, canvas) == drawn_ids(loaded.layers[coll], canvas), coll
    finally:
        canvas.setTemporalRange(QgsDateTimeRange(QDateTime(), QDateTime()))  # no range: not temporal
    pays = QgsVectorLayer("Point?crs=EPSG:4326", "pays", "memory")
    assert not make_temporal(pays, "pays") and not pays.temporalProperties().isActive()


@pytest.fixture
def panel(qtbot, settings, qgis_iface, qgis_new_project, tmp_path):
    from coopatlas_qgis.core.session import Session
    from coopatlas_qgis.gui.wdg_search import SearchWidget

    widget = SearchWidget(Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded or bool(widget.lbl_status.text()), timeout=30000)
    assert widget.loaded, widget.lbl_status.text()
    return widget


def test_recherche_avancee_sends_the_time_filter(panel, screenshot):
    assert panel.advanced_search().get("actif_de") is None and panel.advanced_search().get("actif_a") is None
    panel.tabs.setCurrentIndex(2)
    panel.sb_actif_de.setValue(1995)
    panel.sb_actif_a.setValue(2000)
    search = panel.advanced_search()
    assert search.params()["actif_de"] == "1995" and search.params()["actif_a"] == "2000"
    assert search.inputs()["actif_de"] == 1995 and search.inputs()["actif_a"] == 2000
    screenshot(panel, "recherche-avancee-periode")
    panel.sb_actif_de.setValue(panel.sb_actif_de.minimum())  # "from —": either end is optional
    assert "actif_de" not in panel.advanced_search().params()
    assert panel.advanced_search().params()["actif_a"] == "2000"
    panel.show_search(Search.of(actif_de=2005, pays=["BF"]))
    assert (panel.sb_actif_de.value(), panel.sb_actif_a.value()) == (2005, panel.sb_actif_a.minimum())
    panel.reset_advanced()
    assert panel.advanced_search().is_empty()


def test_window_temporal_controller(qtbot, window, qgis_canvas, artefacts, gpkg):  # noqa: F811 - the fixture
    """The Temporal Controller of QGIS, docked under the map, stepping the atlas year by year: at 1995 the
    canvas shows the projects of Burkina Faso active then."""
    main, session, search, results, tree = window
    search.tabs.setCurrentIndex(0)
    for combo, code in ((search.cb_continent, "afrique"), (search.cb_sous_continent, "afrique_de_l_ouest")):
        combo.setCurrentIndex(combo.findData(code))
    search.cb_pays.setCurrentIndex(search.cb_pays.findData(COUNTRY))
    loaded = wait_search(qtbot, session, lambda: qtbot.mouseClick(search.btn_monde_search, Qt.LeftButton))
    controller_widget = QgsTemporalControllerWidget()
    dock = QDockWidget("Contrôleur temporel", main)
    dock.setWidget(controller_widget)
    main.addDockWidget(Qt.BottomDockWidgetArea, dock)
    main.splitDockWidget(results.parentWidget(), dock, Qt.Vertical)  # under the results, as in QGIS
    main.resize(WINDOW)
    for coll in ("partenaires", "collectivites"):  # the places, which do not live in time, hidden
        node = QgsProject.instance().layerTreeRoot().findLayer(loaded.layers[coll].id())
        node.setItemVisibilityChecked(False)
    navigation = controller_widget.temporalController()
    # the controller drives the canvas as in QGIS; a plain connection (gone with the controller), not
    # QgsMapCanvas.setTemporalController: the canvas of the tests outlives this controller
    navigation.updateTemporalRange.connect(qgis_canvas.setTemporalRange)
    try:
        navigation.setNavigationMode(QgsTemporalNavigationObject.Animated)
        navigation.setTemporalExtents(year_range(1960, 2013))
        navigation.setFrameDuration(QgsInterval(1, QgsUnitTypes.TemporalYears))
        navigation.setCurrentFrameNumber(YEAR - 1960)
        qtbot.waitUntil(lambda: qgis_canvas.temporalRange().begin().date() == QDate(YEAR, 1, 1), timeout=10000)
        assert qgis_canvas.mapSettings().isTemporal()
        assert drawn_ids(loaded.layers["projets"], qgis_canvas) == active_ids(gpkg, "projets", COUNTRY, YEAR, YEAR)
        capture(qtbot, main, qgis_canvas, tree, "temporal-controller", artefacts)  # (and docs/img, see above)
    finally:
        qgis_canvas.setTemporalRange(QgsDateTimeRange(QDateTime(), QDateTime()))  # no range: not temporal
        main.removeDockWidget(dock)
        dock.deleteLater()
