"""The country map of a period and the small multiple (``carte-pays``'s ``datetime`` and ``dates``) from
the plugin: the "Country map…" dialog builds these inputs and shows the server's refusal; the Processing
algorithm ``coopatlas:carte_pays`` passes ``DATETIME`` and ``DATES`` to the real server."""

from __future__ import annotations

import pytest
from helpers import moderate_country, wait_task
from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import Qt

from coopatlas_qgis import classFactory
from coopatlas_qgis.core.periods import date_list, period
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.gui.dlg_export import COUNTRY_MAP, YEAR_UNSET, ExportDialog

PNG = b"\x89PNG\r\n\x1a\n"


def wait_failure(qtbot, task, timeout=120000) -> str:
    """Wait for a plugin task that must fail; its message."""
    outcome = {}
    task.done.connect(lambda r: outcome.setdefault("ok", r))
    task.failed.connect(lambda m: outcome.setdefault("error", m))
    qtbot.waitUntil(lambda: bool(outcome), timeout=timeout)
    assert "error" in outcome, f"the task succeeded: {outcome.get('ok')}"
    return outcome["error"]


def test_period_and_dates_written_as_the_server_reads_them():
    assert period(None, None) is None
    assert period(1995, 1995) == "1995"
    assert period(2000, 2010) == "2000/2010"
    assert period(2012, None) == "2012/.."
    assert period(None, 1990) == "../1990"
    assert date_list(" ../1990, 1995 ,2000 / 2005,, ") == ["../1990", "1995", "2000/2005"]
    assert date_list("  ") is None


@pytest.fixture
def country(client) -> str:
    return moderate_country(client)["id"]


@pytest.fixture
def dialog(qtbot, settings, qgis_iface, qgis_new_project, tmp_path, country):
    session = Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)
    dlg = ExportDialog(session, Search.of(), COUNTRY_MAP, countries=[(country, country)])
    qtbot.addWidget(dlg)
    dlg.show()
    assert dlg.info.available, dlg.lbl_status.text()
    return dlg


def test_the_dialog_builds_the_period_and_the_dates(dialog, country, screenshot):
    for widget in (dialog.sb_year_from, dialog.sb_year_to, dialog.le_dates):
        assert widget.isVisible()  # the server describes datetime and dates
    assert "datetime" not in dialog.inputs() and "dates" not in dialog.inputs()
    dialog.sb_year_from.setValue(2000)
    dialog.sb_year_to.setValue(2010)
    assert dialog.inputs()["datetime"] == "2000/2010"
    dialog.sb_year_to.setValue(YEAR_UNSET)
    assert dialog.inputs()["datetime"] == "2000/.."
    dialog.sb_year_from.setValue(YEAR_UNSET)
    dialog.sb_year_to.setValue(1990)
    assert dialog.inputs()["datetime"] == "../1990"
    dialog.sb_year_from.setValue(1995)
    dialog.sb_year_to.setValue(1995)
    inputs = dialog.inputs()
    assert inputs["datetime"] == "1995" and inputs["country"] == country
    dialog.sb_year_from.setValue(YEAR_UNSET)
    dialog.sb_year_to.setValue(YEAR_UNSET)
    dialog.le_dates.setText("../1990, 1995, 2000/2005")
    inputs = dialog.inputs()
    assert inputs["dates"] == ["../1990", "1995", "2000/2005"] and "datetime" not in inputs
    screenshot(dialog, "export-carte-pays-dates")


def test_the_dialog_maps_a_period_and_shows_a_refused_value(qtbot, dialog, tmp_path):
    dialog.cb_format.setCurrentIndex(dialog.cb_format.findData("png"))
    dialog.sb_year_from.setValue(1995)
    dialog.sb_year_to.setValue(1995)
    qtbot.mouseClick(dialog.btn_export, Qt.LeftButton)  # the file field is empty: the dialog asks for it
    assert dialog.task is None and dialog.lbl_status.text()
    dialog.fw_output.setFilePath(str(tmp_path / "carte-1995"))
    qtbot.mouseClick(dialog.btn_export, Qt.LeftButton)
    wait_task(qtbot, dialog.task)
    assert dialog.saved_path == tmp_path / "carte-1995.png"
    assert dialog.saved_path.read_bytes().startswith(PNG)

    dialog.sb_year_from.setValue(YEAR_UNSET)
    dialog.sb_year_to.setValue(YEAR_UNSET)
    dialog.le_dates.setText("1995")  # a small multiple needs 2 to 6 dates
    dialog.fw_output.setFilePath(str(tmp_path / "multiple"))
    qtbot.mouseClick(dialog.btn_export, Qt.LeftButton)
    failure = wait_failure(qtbot, dialog.task)
    assert dialog.saved_path is None and not (tmp_path / "multiple.png").exists()
    message = dialog.lbl_status.text()
    assert message == failure and "dates" in message and "refused" in message, message
    assert dialog.btn_export.isEnabled()


@pytest.fixture
def algorithms(qgis_processing, settings):
    plugin = classFactory(None)
    plugin.initProcessing()
    yield
    QgsApplication.processingRegistry().removeProvider(plugin.provider)


def test_processing_country_map_of_a_period(algorithms, server_url, country, tmp_path):
    from processing import run  # QGIS's processing plugin

    def country_map(name, **extra):
        params = {"SERVER": server_url, "PAYS": country, "FORMAT": 2, "OUTPUT": str(tmp_path / name), **extra}
        return run("coopatlas:carte_pays", params)["OUTPUT"]

    of_1995 = country_map("carte-1995.png", DATETIME="1995")
    assert of_1995 == str(tmp_path / "carte-1995.png")
    data = (tmp_path / "carte-1995.png").read_bytes()
    assert data.startswith(PNG) and len(data) > 10_000
    every_year = (tmp_path / country_map("carte.png")).read_bytes()
    assert every_year.startswith(PNG) and every_year != data  # the period is drawn (title, legend, projects)

    with pytest.raises(Exception) as err:
        country_map("multiple.png", DATES="1995, 2000/1990")
    message = str(err.value) + str(err.value.__cause__ or "")
    assert "dates" in message and "refused" in message, message
    assert not (tmp_path / "multiple.png").exists()
