"""The search panel driven as a user would: Accès Monde, Accès France, Recherche avancée, saved
searches, the settings dialog. Screenshots in test-artefacts/plugin/."""

from __future__ import annotations

import threading

import pytest
from helpers import attribute_values, consistent_project, first, matched, type_text, wait_search
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QInputDialog, QMessageBox

from coopatlas_qgis.core.result import filter_params
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.core.stats import Statistics
from coopatlas_qgis.gui.dlg_settings import SettingsDialog
from coopatlas_qgis.gui.wdg_search import SearchWidget
from support.postgis import free_port


@pytest.fixture
def session(settings, qgis_iface, qgis_new_project, tmp_path):
    return Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)


@pytest.fixture
def panel(qtbot, session):
    widget = SearchWidget(session)
    qtbot.addWidget(widget)
    widget.resize(430, 980)
    widget.show()
    qtbot.waitUntil(lambda: widget.loaded or bool(widget.lbl_status.text()), timeout=30000)
    assert widget.loaded, widget.lbl_status.text()
    return widget


def choose(combo, code):
    """Select the entry of ``code`` in a combo box, as picking it in the list does."""
    index = combo.findData(code)
    assert index >= 0, f"{code!r} is not offered by {combo.objectName()}"
    combo.setCurrentIndex(index)


def check(ccb, *codes):
    """Tick ``codes`` in a checkable combo box, as a click on their item in its list does."""
    for code in codes:
        index = ccb.findData(code)
        assert index >= 0, f"{code!r} is not offered by {ccb.objectName()}"
        if ccb.itemCheckState(index) != Qt.Checked:
            ccb.toggleItemCheckState(index)


def test_settings_dialog_tests_the_connection(qtbot, settings, server_url, screenshot):
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.le_url.clear()
    qtbot.keyClicks(dialog.le_url, f"127.0.0.1:{free_port()}")
    dialog.sb_timeout.setValue(5)
    qtbot.mouseClick(dialog.btn_test, Qt.LeftButton)
    assert "does not answer" in dialog.lbl_result.text()
    screenshot(dialog, "settings-server-down")
    dialog.le_url.clear()
    qtbot.keyClicks(dialog.le_url, server_url)
    qtbot.mouseClick(dialog.btn_test, Qt.LeftButton)
    assert "Connected" in dialog.lbl_result.text()
    screenshot(dialog, "settings-connected")
    dialog.sb_page_size.setValue(300)
    dialog.accept()
    assert settings.server_url == server_url and settings.page_size == 300


def test_acces_monde_continent_then_country(qtbot, panel, session, client, screenshot):
    project = consistent_project(client)
    continent, sous_continent, pays = project["continent"], project["sous_continent"], project["pays_code"]
    choose(panel.cb_continent, continent)
    subs = [panel.cb_sous_continent.itemData(i) for i in range(1, panel.cb_sous_continent.count())]
    voc = client.vocabulary()
    assert subs == [t["code"] for t in voc["sous_continent"] if t["continent"] == continent]
    choose(panel.cb_sous_continent, sous_continent)
    countries = [panel.cb_pays.itemData(i) for i in range(1, panel.cb_pays.count())]
    assert pays in countries
    choose(panel.cb_pays, pays)
    assert panel.monde_search() == Search.of(pays=[pays])
    loaded = wait_search(qtbot, session, lambda: qtbot.mouseClick(panel.btn_monde_search, Qt.LeftButton))
    layer = loaded.layers["projets"]
    assert attribute_values(layer, "pays_code") == {pays}
    crit = client.criteres({"pays": pays})
    assert layer.featureCount() == matched(client, "projets", filter_params(crit, "projets"))
    assert panel.lbl_description.text() == loaded.result.description(session.lang)
    if loaded.result.stats is not None:  # the Etat panel shows the server's statistics of the search
        stats = Statistics(loaded.result.stats)
        assert (
            stats.count("projets_cooperation_decentralisee") + stats.count("projets_actions_exterieures")
            == layer.featureCount()
        )
        assert panel._count_labels["pays"].text() == "1"
    screenshot(panel, "acces-monde")
    qtbot.mouseClick(panel.btn_monde_reset, Qt.LeftButton)
    assert panel.cb_continent.currentIndex() == 0 and panel.monde_search().is_empty()


def test_acces_france_commune_by_type_ahead(qtbot, panel, session, client, screenshot):
    commune = first(client, "collectivites", type_collectivite="commune")
    panel.tabs.setCurrentWidget(panel.page_france)
    choose(panel.cb_region, commune["code_region"])
    assert commune["code_departement"] in [
        panel.cb_departement.itemData(i) for i in range(panel.cb_departement.count())
    ]
    choose(panel.cb_departement, commune["code_departement"])
    choose(panel.cb_type_collectivite, "commune")
    assert panel.le_collectivite.isVisible() and not panel.cb_collectivite.isVisible()
    panel.le_collectivite.setFocus()
    type_text(panel.le_collectivite, commune["nom"][:4])
    qtbot.waitUntil(lambda: panel.communes.model.rowCount() > 0, timeout=10000)
    offered = panel.communes.model.stringList()
    assert commune["nom"] in offered
    popup = panel.communes.completer.popup()
    if popup.isVisible():  # pick it in the pop-up list
        row = offered.index(commune["nom"])
        popup.setCurrentIndex(panel.communes.completer.completionModel().index(row, 0))
        qtbot.keyClick(popup, Qt.Key_Return)
    else:
        panel.communes.choose(commune["nom"])
    assert panel.communes.selected == commune["id"]
    assert panel.france_search() == Search.of(collectivite=[commune["id"]])
    screenshot(panel, "acces-france-type-ahead")
    loaded = wait_search(qtbot, session, lambda: qtbot.mouseClick(panel.btn_france_search, Qt.LeftButton))
    assert attribute_values(loaded.layers["projets"], "collectivite_id") == {commune["id"]}
    screenshot(panel, "acces-france")


def test_type_ahead_asks_the_server_in_the_background(qtbot, panel, client):
    """Typing never waits for the server: the suggestions are asked in a worker thread, and the answer to a
    text the user has typed past is dropped for the answer to what the field holds."""
    commune = first(client, "collectivites", type_collectivite="commune")
    prefix = commune["nom"][:4]
    panel.tabs.setCurrentWidget(panel.page_france)
    choose(panel.cb_type_collectivite, "commune")
    completer, query = panel.communes, panel.communes.query
    asked, first_held = [], threading.Event()

    def held_first(text):
        call = query(text)

        def run(feedback):
            asked.append((text, threading.current_thread() is threading.main_thread()))
            if len(asked) == 1:
                first_held.wait(30)
            return call(feedback)

        return run

    completer.query = held_first
    shown = []
    completer.model.modelReset.connect(lambda: shown.append(completer.model.stringList()))
    panel.le_collectivite.setFocus()
    try:
        type_text(panel.le_collectivite, prefix[:2])
        qtbot.waitUntil(lambda: len(asked) == 1, timeout=10000)
        assert asked == [(prefix[:2], False)]  # in a worker thread, held there: the form takes more keys
        type_text(panel.le_collectivite, prefix[2:])
        qtbot.waitUntil(lambda: bool(shown), timeout=10000)
    finally:
        first_held.set()
    assert asked[1] == (prefix, False)
    assert commune["nom"] in completer.model.stringList()
    qtbot.waitUntil(lambda: not QgsApplication.taskManager().countActiveTasks(), timeout=10000)
    assert len(shown) == 1  # the held answer, for the first two letters, was never shown


def test_acces_france_councils_are_listed(qtbot, panel, session, client):
    council = first(client, "collectivites", type_collectivite="region")
    panel.tabs.setCurrentWidget(panel.page_france)
    choose(panel.cb_region, council["code_region"])
    choose(panel.cb_type_collectivite, "region")
    assert panel.cb_collectivite.isVisible() and not panel.le_collectivite.isVisible()
    choose(panel.cb_collectivite, council["id"])
    assert panel.france_search() == Search.of(collectivite=[council["id"]])
    panel.cb_collectivite.setCurrentIndex(0)  # any regional council of the region
    assert panel.france_search() == Search.of(region=[council["code_region"]], type_collectivite=["region"])


def test_recherche_avancee_every_criterion(qtbot, panel, session, client, screenshot):
    project = consistent_project(client, type_action="cooperation_decentralisee")
    panel.tabs.setCurrentWidget(panel.page_avancee)
    word = max(project["titre"].split(), key=len)
    type_text(panel.le_q, word)
    check(panel.ccb_type_action, "cooperation_decentralisee")
    check(panel.ccb_continent, project["continent"])
    check(panel.ccb_sous_continent, project["sous_continent"])
    check(panel.ccb_pays, project["pays_code"])
    check(panel.ccb_thematique, project["thematique"])
    voc = client.vocabulary()
    offered = [panel.ccb_sous_thematique.itemData(i) for i in range(panel.ccb_sous_thematique.count())]
    assert offered == [t["code"] for t in voc["sous_thematique"] if t["thematique"] == project["thematique"]]
    check(panel.ccb_sous_thematique, project["sous_thematique"])
    offered = [panel.ccb_sous_sous_thematique.itemData(i) for i in range(panel.ccb_sous_sous_thematique.count())]
    assert offered == [
        t["code"] for t in voc["sous_sous_thematique"] if t["sous_thematique"] == project["sous_thematique"]
    ]
    check(panel.ccb_sous_sous_thematique, project["sous_sous_thematique"])
    check(panel.ccb_statut, project["statut"])
    choose(panel.cb_jumelage, bool(project["jumelage"]))
    if project.get("annee_lancement"):
        panel.sb_annee_min.setValue(project["annee_lancement"])
        panel.sb_annee_max.setValue(project["annee_lancement"])
    search = panel.advanced_search()
    assert search.get("q") == word and search.get("pays") == (project["pays_code"],)
    assert search.get("jumelage") is bool(project["jumelage"])
    screenshot(panel, "recherche-avancee")
    loaded = wait_search(qtbot, session, lambda: qtbot.mouseClick(panel.btn_adv_search, Qt.LeftButton))
    ids = attribute_values(loaded.layers["projets"], "id")
    assert project["id"] in ids
    crit = client.criteres(search.params())
    assert len(ids) == matched(client, "projets", filter_params(crit, "projets"))
    qtbot.mouseClick(panel.btn_adv_reset, Qt.LeftButton)
    assert panel.advanced_search().is_empty()


def test_a_refused_criterion_is_shown(qtbot, panel, session):
    panel.tabs.setCurrentWidget(panel.page_avancee)
    panel.sb_annee_min.setValue(2020)
    panel.sb_annee_max.setValue(2010)
    failed = []
    session.searchFailed.connect(failed.append)
    qtbot.mouseClick(panel.btn_adv_search, Qt.LeftButton)
    qtbot.waitUntil(lambda: bool(failed), timeout=30000)
    assert "annee_min" in panel.lbl_status.text()
    assert not panel.progress.isVisible()


def test_saved_searches(qtbot, panel, session, client, monkeypatch, screenshot):
    project_type = "action_exterieure"
    project = consistent_project(client, type_action=project_type)
    panel.tabs.setCurrentWidget(panel.page_avancee)
    check(panel.ccb_type_action, project_type)
    check(panel.ccb_continent, project["continent"])
    check(panel.ccb_pays, project["pays_code"])
    expected = Search.of(type_action=[project_type], continent=[project["continent"]], pays=[project["pays_code"]])
    wait_search(qtbot, session, lambda: qtbot.mouseClick(panel.btn_adv_search, Qt.LeftButton))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("Actions extérieures", True))
    panel.tabs.setCurrentWidget(panel.page_saved)
    qtbot.mouseClick(panel.btn_saved_save, Qt.LeftButton)
    items = [panel.lw_saved.item(i).text() for i in range(panel.lw_saved.count())]
    assert "Actions extérieures" in items
    screenshot(panel, "recherches-enregistrees")
    qtbot.mouseClick(panel.btn_adv_reset, Qt.LeftButton)
    panel.lw_saved.setCurrentRow(items.index("Actions extérieures"))
    loaded = wait_search(qtbot, session, lambda: qtbot.mouseClick(panel.btn_saved_run, Qt.LeftButton))
    assert loaded.result.search == expected
    assert panel.advanced_search() == expected  # the form shows it again
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.Yes)
    qtbot.mouseClick(panel.btn_saved_delete, Qt.LeftButton)
    assert "Actions extérieures" not in [panel.lw_saved.item(i).text() for i in range(panel.lw_saved.count())]


def test_cancel_a_search(qtbot, panel, session):
    failed = []
    session.searchFailed.connect(failed.append)
    session.settings.page_size = 10  # many pages: time to cancel
    qtbot.mouseClick(panel.btn_monde_search, Qt.LeftButton)
    assert panel.btn_cancel.isVisible()
    qtbot.mouseClick(panel.btn_cancel, Qt.LeftButton)
    assert failed and "cancelled" in failed[0].lower()
    assert not panel.btn_cancel.isVisible() and session.current is None
