"""The results panel and what it opens: toggles, table, project sheet, contacts, statistics, exports,
the link of the map; the map tool. Driven as a user would; screenshots in test-artefacts/plugin/."""

from __future__ import annotations

import csv

import pytest
from helpers import moderate_country, wait_search, wait_task
from qgis.core import QgsCategorizedSymbolRenderer, QgsPointXY, QgsProject, QgsRasterLayer
from qgis.gui import QgsMapMouseEvent
from qgis.PyQt.QtCore import QEvent, QPoint, Qt

from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.gui.dlg_export import COUNTRY_MAP, REPORT
from coopatlas_qgis.gui.maptool import RecordTool
from coopatlas_qgis.gui.wdg_results import ResultsWidget


@pytest.fixture
def session(settings, qgis_iface, qgis_new_project, tmp_path):
    return Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)


@pytest.fixture
def results(qtbot, session):
    widget = ResultsWidget(session)
    qtbot.addWidget(widget)
    widget.resize(1100, 380)
    widget.show()
    return widget


@pytest.fixture
def world(qtbot, session, results, client):
    """A country's cooperation searched (projects, requests, authorities, partners, links), shown in the
    results panel."""
    country = moderate_country(client)["id"]
    return wait_search(qtbot, session, lambda: session.run_search(Search.of(pays=[country])))


def category_on(layer, code) -> bool:
    renderer = layer.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer)
    return renderer.categories()[renderer.categoryIndexForValue(code)].renderState()


def test_table_and_toggles(qtbot, results, world, screenshot):
    counts = world.result.counts
    assert results.model.rowCount() == counts["projets"] + counts["demandes"] > 0
    families = {row.family for row in results.model.rows}
    assert families <= {"cooperation_decentralisee", "action_exterieure", "demande_cooperation"}
    projets = world.layers["projets"]
    screenshot(results, "resultats")
    qtbot.mouseClick(results.chk_cooperation, Qt.LeftButton)
    assert not results.chk_cooperation.isChecked()
    assert not category_on(projets, "cooperation_decentralisee") and category_on(projets, "action_exterieure")
    shown = {results.proxy.index(r, 0).data(Qt.UserRole).family for r in range(results.proxy.rowCount())}
    assert "cooperation_decentralisee" not in shown  # the table follows the map
    assert results.proxy.rowCount() == sum(r.family != "cooperation_decentralisee" for r in results.model.rows)
    if "liens" in world.layers:
        assert not category_on(world.layers["liens"], "cooperation_decentralisee")
    qtbot.mouseClick(results.chk_actions, Qt.LeftButton)
    assert not category_on(projets, "action_exterieure")
    if "demandes" in world.layers:
        qtbot.mouseClick(results.chk_demandes, Qt.LeftButton)
        assert not category_on(world.layers["demandes"], "demande_cooperation")
    screenshot(results, "resultats-masques")
    for box in (results.chk_cooperation, results.chk_actions):
        qtbot.mouseClick(box, Qt.LeftButton)
    assert category_on(projets, "cooperation_decentralisee") and category_on(projets, "action_exterieure")


def test_sorting_and_selection_select_on_the_map(qtbot, results, world):
    results.table.sortByColumn(1, Qt.AscendingOrder)  # a click on the "Title" header
    titles = [results.proxy.index(r, 1).data() for r in range(results.proxy.rowCount())]
    assert titles == sorted(titles)
    results.select_row(0)
    row = results.selected_row()
    layer = world.layers[row.collection]
    assert layer.selectedFeatureIds() == [row.fid]
    assert layer.getFeature(row.fid)["id"] == row.id


def test_project_sheet_and_pdf(qtbot, results, world, client, screenshot, tmp_path):
    rows = [
        r
        for r in range(results.proxy.rowCount())
        if results.proxy.index(r, 0).data(Qt.UserRole).collection == "projets"
    ]
    results.select_row(rows[0])
    row = results.selected_row()
    qtbot.mouseClick(results.btn_fiche, Qt.LeftButton)
    dialog = results.dialog
    qtbot.addWidget(dialog)
    expected = client.item("projets", row.id)["properties"]
    assert dialog.windowTitle() == expected["titre"]
    text = dialog.browser.toPlainText()
    assert expected["titre"] in text and expected["partenaire_nom"] in text
    screenshot(dialog, "fiche-projet")
    pdf = tmp_path / "fiche.pdf"
    task = dialog.save_pdf(str(pdf))
    wait_task(qtbot, task)
    assert pdf.read_bytes().startswith(b"%PDF")
    assert str(pdf) in dialog.lbl_status.text()


def test_authority_contacts(qtbot, results, world, client, screenshot):
    rows = [
        r
        for r in range(results.proxy.rowCount())
        if results.proxy.index(r, 0).data(Qt.UserRole).collection == "projets"
    ]
    results.select_row(rows[0])
    row = results.selected_row()
    coll_id = world.layers["projets"].getFeature(row.fid)["collectivite_id"]
    qtbot.mouseClick(results.btn_contacts, Qt.LeftButton)
    dialog = results.dialog
    qtbot.addWidget(dialog)
    expected = client.item("collectivites", coll_id)["properties"]
    assert dialog.windowTitle() == expected["nom"]
    contacts = dialog.sheet.contacts()
    assert contacts == {k: v for k, v in expected.items() if k.startswith(("elu_", "directeur_")) and v}
    html = dialog.browser.toHtml()
    for key, value in contacts.items():
        if key.endswith("_email"):
            assert f"mailto:{value}" in html
    screenshot(dialog, "contacts-collectivite")


def test_statistics_dialog_tables_chart_and_exports(qtbot, results, world, screenshot, tmp_path):
    assert world.result.stats is not None, world.result.stats_error
    qtbot.mouseClick(results.btn_stats, Qt.LeftButton)
    dialog = results.dialog
    qtbot.addWidget(dialog)
    dialog.resize(900, 560)
    stats = dialog.stats
    assert dialog.tbl_counts.rowCount() == len(stats.counts().rows) > 0
    apd = stats.apd()
    dialog.tabs.setCurrentWidget(dialog.tab_apd)
    assert dialog.tbl_apd.rowCount() == len(apd.rows)
    screenshot(dialog, "statistiques-apd")
    path = dialog.export_csv(str(tmp_path / "apd.csv"))
    with open(path, encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == apd.headers and len(lines) == len(apd.rows) + 1
    assert [int(r[0]) for r in lines[1:]] == [r[0] for r in apd.rows]
    png = dialog.export_png(str(tmp_path / "apd.png"))
    assert open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n"
    for tab, key in (
        (dialog.tab_pays, "repartition_pays"),
        (dialog.tab_themes, "repartition_thematiques"),
        (dialog.tab_continents, "repartition_continents"),
    ):
        dialog.tabs.setCurrentWidget(tab)
        rows = stats.repartition(key).rows
        if rows:
            assert sum(r[2] or 0 for r in rows) == pytest.approx(100.0, abs=1.0)
    dialog.tabs.setCurrentWidget(dialog.tab_continents)
    screenshot(dialog, "statistiques-continents")
    dialog.tabs.setCurrentWidget(dialog.tab_top)
    screenshot(dialog, "statistiques-top")


def test_export_report_pdf(qtbot, results, world, screenshot, tmp_path):
    qtbot.mouseClick(results.btn_pdf, Qt.LeftButton)
    dialog = results.dialog
    qtbot.addWidget(dialog)
    assert dialog.mode == REPORT and dialog.info.available, dialog.lbl_status.text()
    dialog.le_title.setText("Coopération décentralisée — test")
    dialog.fw_output.setFilePath(str(tmp_path / "rapport.pdf"))
    qtbot.mouseClick(dialog.btn_export, Qt.LeftButton)
    wait_task(qtbot, dialog.task)
    assert (tmp_path / "rapport.pdf").read_bytes().startswith(b"%PDF")
    screenshot(dialog, "export-rapport")


def test_country_map_geotiff_added_to_the_map(qtbot, results, world, screenshot, tmp_path):
    qtbot.mouseClick(results.btn_carte, Qt.LeftButton)
    dialog = results.dialog
    qtbot.addWidget(dialog)
    assert dialog.mode == COUNTRY_MAP and dialog.info.available, dialog.lbl_status.text()
    assert dialog.cb_pays.count() > 0
    dialog.cb_format.setCurrentIndex(dialog.cb_format.findData("geotiff"))
    dialog.fw_output.setFilePath(str(tmp_path / "carte"))
    qtbot.mouseClick(dialog.btn_export, Qt.LeftButton)
    wait_task(qtbot, dialog.task)
    assert dialog.saved_path.suffix == ".tif"
    raster = dialog.raster
    assert isinstance(raster, QgsRasterLayer) and raster.isValid()
    assert QgsProject.instance().mapLayer(raster.id()) is raster
    screenshot(dialog, "export-carte-pays")


def test_link_of_the_map(qtbot, results, world, server_url, client, screenshot):
    qtbot.mouseClick(results.btn_link, Qt.LeftButton)
    dialog = results.dialog
    qtbot.addWidget(dialog)
    assert dialog.url.startswith(f"{server_url}/criteres?pays=")
    assert set(dialog.items) >= {"projets"}
    page = client.get_json(dialog.items["projets"])
    assert page["numberMatched"] == world.result.counts["projets"]
    qtbot.mouseClick(dialog.btn_copy, Qt.LeftButton)
    from qgis.PyQt.QtWidgets import QApplication

    assert QApplication.clipboard().text() == dialog.url
    screenshot(dialog, "lien-carte")


def test_map_tool_opens_the_sheet_of_the_clicked_record(qtbot, session, results, world, qgis_iface):
    canvas = qgis_iface.mapCanvas()
    layer = world.layers["projets"]
    feat = next(layer.getFeatures())
    point = feat.geometry().asPoint()
    canvas.setDestinationCrs(layer.crs())
    canvas.setExtent(layer.extent().buffered(1.0))
    canvas.refresh()
    tool = RecordTool(canvas, session)
    clicked = []
    tool.recordClicked.connect(lambda c, i: clicked.append((c, i)))
    pixel = canvas.getCoordinateTransform().transform(QgsPointXY(point))
    event = QgsMapMouseEvent(
        canvas,
        QEvent.MouseButtonRelease,
        QPoint(int(pixel.x()), int(pixel.y())),
        Qt.LeftButton,
        Qt.LeftButton,
        Qt.NoModifier,
    )
    tool.canvasReleaseEvent(event)
    assert len(clicked) == 1
    coll, fid = clicked[0]
    assert coll in ("projets", "demandes", "partenaires")
    if coll == "projets":  # several records may share the partner's place: any of them is right
        ids = {f["id"] for f in layer.getFeatures() if f.geometry().asPoint() == point}
        assert fid in ids


def test_a_new_project_clears_the_results(qtbot, results, world, session):
    assert results.model.rowCount() > 0 and results.btn_link.isEnabled()
    QgsProject.instance().clear()
    assert session.current is None and session.layers() == []
    assert results.model.rowCount() == 0 and not results.btn_link.isEnabled()
    assert not results.chk_cooperation.isEnabled()
