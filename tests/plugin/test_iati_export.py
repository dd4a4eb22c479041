"""The results panel's "Exporter en IATI": the server's export-iati process run as a job (followed with its
cookie) in a task, the XML saved where the user chose; checked against the real server."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from helpers import matched, wait_search, wait_task
from qgis.core import QgsProject

from coopatlas_qgis.core.result import filter_params
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.gui.wdg_results import ResultsWidget


@pytest.fixture
def session(settings, qgis_iface, qgis_new_project, tmp_path):
    return Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path / "resultats")


def test_export_the_search_as_iati(qtbot, session, client, tmp_path):
    results = ResultsWidget(session)
    qtbot.addWidget(results)
    assert not results.btn_iati.isEnabled()  # nothing to export before a search
    search = Search.of(pays=["BF"], thematique=["eau_assainissement"])
    loaded = wait_search(qtbot, session, lambda: session.run_search(search))
    assert results.btn_iati.isEnabled()
    messages = []
    session.message.connect(lambda text, level: messages.append(text))
    task = results.export_iati(str(tmp_path / "export" / "burkina"))
    assert task.prefer_async  # a job, followed with its cookie
    saved = wait_task(qtbot, task)
    assert saved.name == "burkina.xml" and saved.is_file()
    root = ET.parse(saved).getroot()
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    activities = root.findall("iati-activity")
    # one activity per project of the search
    expected = matched(client, "projets", filter_params(loaded.result.criteres, "projets"))
    assert len(activities) == expected == loaded.result.counts["projets"] > 0
    qtbot.waitUntil(lambda: any(str(saved) in m for m in messages), timeout=5000)
    assert results.btn_iati.isEnabled()


def test_an_iati_export_the_server_refuses_says_why(qtbot, session, tmp_path):
    """A search without any project (requests only): the server's 400 reaches the user, nothing is saved."""
    results = ResultsWidget(session)
    qtbot.addWidget(results)
    wait_search(qtbot, session, lambda: session.run_search(Search.of(pays=["BF"], annee_min=2099)))
    messages = []
    session.message.connect(lambda text, level: messages.append(text))
    task = results.export_iati(str(tmp_path / "vide.xml"))
    outcome = []
    task.failed.connect(outcome.append)
    qtbot.waitUntil(lambda: bool(outcome), timeout=60000)
    assert "activit" in outcome[0]
    assert not (tmp_path / "vide.xml").exists()
