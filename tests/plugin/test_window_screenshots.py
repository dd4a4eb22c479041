"""The whole QGIS window after a search of each panel (Accès Monde, Accès France, Recherche avancée): the
map with its context and results, the layers panel, the search dock and the results dock, captured as a
user sees them. The windows go to ``test-artefacts/plugin/window-*.png``; with ``COOPATLAS_DOCS_IMG=1``
also to ``docs/img/plugin-*.png`` (the documentation's pictures), best made under Xvfb::

    COOPATLAS_DOCS_IMG=1 QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" \\
        .venv-qgis/bin/python -m pytest -c tests/plugin/pytest.ini tests/plugin/test_window_screenshots.py
"""

from __future__ import annotations

import os
import shutil

import pytest
from conftest import ROOT
from helpers import wait_search
from qgis.core import QgsLayerTreeModel, QgsProject
from qgis.gui import QgsLayerTreeMapCanvasBridge, QgsLayerTreeView, QgsMapCanvas
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtWidgets import QDockWidget

from coopatlas_qgis.core.context import context_layers
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.gui.wdg_results import ResultsWidget
from coopatlas_qgis.gui.wdg_search import SearchWidget

DOCS_IMG = ROOT / "docs" / "img"
WINDOW = QSize(1500, 940)


@pytest.fixture
def window(qtbot, qgis_parent, qgis_canvas, qgis_iface, qgis_new_project, settings, tmp_path):
    """The main window: the canvas in the middle, the layers panel on the left, the plugin's search dock on
    the right and its results dock at the bottom, as the plugin places them in QGIS."""
    main = qgis_parent
    session = Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)
    main.setCentralWidget(qgis_canvas)
    qgis_canvas.setCanvasColor(Qt.white)
    docks = []

    def dock(title, widget, area):
        d = QDockWidget(title, main)
        d.setWidget(widget)
        main.addDockWidget(area, d)
        docks.append(d)
        return widget

    # the canvas draws the layer tree's layers in its order, as in QGIS
    bridge = QgsLayerTreeMapCanvasBridge(QgsProject.instance().layerTreeRoot(), qgis_canvas)
    tree = QgsLayerTreeView()
    tree.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot(), tree))
    dock("Couches", tree, Qt.LeftDockWidgetArea)
    search = dock("CoopAtlas", SearchWidget(session), Qt.RightDockWidgetArea)
    results = dock("CoopAtlas — résultats", ResultsWidget(session), Qt.BottomDockWidgetArea)
    main.resize(WINDOW)
    main.show()
    docks[0].setMinimumWidth(260)
    docks[1].setMinimumWidth(380)
    qtbot.waitUntil(lambda: search.loaded or bool(search.lbl_status.text()), timeout=30000)
    assert search.loaded, search.lbl_status.text()
    yield main, session, search, results, tree
    bridge.deleteLater()
    for d in docks:
        main.removeDockWidget(d)
        d.deleteLater()
    main.hide()


def capture(qtbot, main, canvas: QgsMapCanvas, tree, name: str, artefacts) -> None:
    tree.expandAll()
    with qtbot.waitSignal(canvas.mapCanvasRefreshed, timeout=60000):
        canvas.refresh()
    qtbot.wait(200)
    pixmap = main.grab()
    assert not pixmap.isNull() and pixmap.width() >= 1200
    path = artefacts / f"window-{name}.png"
    assert pixmap.save(str(path), "PNG")
    image = pixmap.toImage()
    # the map is drawn: the canvas holds more than its background colour
    centre = canvas.mapTo(main, canvas.rect().center())
    colours = {
        image.pixel(centre.x() + dx, centre.y() + dy) for dx in range(-200, 201, 20) for dy in range(-150, 151, 20)
    }
    assert len(colours) > 3, f"the canvas of {name} is blank"
    if os.environ.get("COOPATLAS_DOCS_IMG"):
        shutil.copyfile(path, DOCS_IMG / f"plugin-{name}.png")


def choose(combo, code):
    index = combo.findData(code)
    assert index >= 0, f"{code!r} is not offered by {combo.objectName()}"
    combo.setCurrentIndex(index)


def test_window_acces_monde(qtbot, window, qgis_canvas, artefacts):
    main, session, search, results, tree = window
    search.tabs.setCurrentIndex(0)
    choose(search.cb_continent, "afrique")
    choose(search.cb_sous_continent, "afrique_de_l_ouest")
    choose(search.cb_pays, "BF")
    loaded = wait_search(qtbot, session, lambda: qtbot.mouseClick(search.btn_monde_search, Qt.LeftButton))
    assert loaded.result.counts["collectivites"] == 227 and "227 " in results.lbl_counts.text()
    assert set(context_layers(QgsProject.instance())) == {"pays"}
    capture(qtbot, main, qgis_canvas, tree, "acces-monde", artefacts)


def test_window_acces_france(qtbot, window, qgis_canvas, artefacts):
    main, session, search, results, tree = window
    search.tabs.setCurrentIndex(1)
    choose(search.cb_region, "84")
    choose(search.cb_departement, "69")
    loaded = wait_search(qtbot, session, lambda: qtbot.mouseClick(search.btn_france_search, Qt.LeftButton))
    assert loaded.result.search.get("departement") == ("69",)
    assert set(context_layers(QgsProject.instance())) == {"pays", "regions", "departements"}
    capture(qtbot, main, qgis_canvas, tree, "acces-france", artefacts)


def test_window_recherche_avancee(qtbot, window, qgis_canvas, artefacts):
    main, session, search, results, tree = window
    search.tabs.setCurrentIndex(2)
    for name, code in (("ccb_pays", "SN"), ("ccb_thematique", "eau_assainissement")):
        ccb = getattr(search, name)
        index = ccb.findData(code)
        assert index >= 0, (name, code)
        ccb.setItemCheckState(index, Qt.Checked)
    loaded = wait_search(qtbot, session, lambda: qtbot.mouseClick(search.btn_adv_search, Qt.LeftButton))
    assert loaded.result.search.get("pays") == ("SN",)
    assert loaded.result.counts["projets"] > 0
    capture(qtbot, main, qgis_canvas, tree, "recherche-avancee", artefacts)
