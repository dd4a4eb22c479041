"""The plugin's core against the real server: a search in a QgsTask, its layers, styles and toggles."""

from __future__ import annotations

import json

import pytest
from helpers import moderate_country
from qgis.core import (
    QgsApplication,
    QgsCategorizedSymbolRenderer,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProject,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

from coopatlas_qgis.core.layers import PROP_COLLECTION, load_search, set_family_visible, zoom_to
from coopatlas_qgis.core.result import filter_params
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.session import Session
from coopatlas_qgis.core.tasks import SearchTask


def run_task(qtbot, task, timeout=60000):
    """Run a task in QGIS's task manager; (ok, result or error message)."""
    outcome = {}
    task.done.connect(lambda r: outcome.setdefault("ok", r))
    task.failed.connect(lambda m: outcome.setdefault("error", m))
    QgsApplication.taskManager().addTask(task)
    qtbot.waitUntil(lambda: bool(outcome), timeout=timeout)
    return ("ok" in outcome), outcome.get("ok", outcome.get("error"))


def test_search_parameters_round_trip():
    s = Search.of(continent="afrique, asie", jumelage="oui", annee_min="2005", q="  eau ", pays=[])
    assert s.params() == {"q": "eau", "continent": "afrique,asie", "jumelage": "true", "annee_min": "2005"}
    assert s.inputs() == {"q": "eau", "continent": ["afrique", "asie"], "jumelage": True, "annee_min": 2005}
    assert Search.from_json(s.to_json()) == s
    assert Search.of().is_empty()
    with pytest.raises(KeyError):
        Search.of(planete="mars")


def test_search_task_fetches_what_the_server_filters(qtbot, client, tmp_path):
    search = Search.of(type_action=["cooperation_decentralisee"], pays=[moderate_country(client)["id"]])
    ok, result = run_task(qtbot, SearchTask(client, search, tmp_path, page_size=25))
    assert ok, result
    crit = client.criteres(search.params())
    expected = client.get_json(
        "/collections/projets/items", {**filter_params(crit, "projets"), "f": "json", "limit": 1}
    )["numberMatched"]
    assert result.counts["projets"] == expected > 0
    assert result.counts["demandes"] == 0 and "demandes" not in result.files  # ruled out by the criteria
    data = json.loads(result.files["projets"].read_text(encoding="utf-8"))
    assert {f["properties"]["type_action"] for f in data["features"]} == {"cooperation_decentralisee"}
    assert len({f["properties"]["id"] for f in data["features"]}) == expected  # no page twice
    assert "categorizedSymbol" in result.styles["projets"].read_text(encoding="utf-8")


def test_search_task_reports_a_bad_criterion(qtbot, client, tmp_path):
    ok, message = run_task(qtbot, SearchTask(client, Search.of(continent=["atlantide"]), tmp_path))
    assert not ok and "continent" in message and "atlantide" in message


def test_search_task_can_be_cancelled(qtbot, client, tmp_path):
    task = SearchTask(client, Search(), tmp_path, page_size=10, with_stats=False)
    outcome = {}
    task.failed.connect(lambda m: outcome.setdefault("error", m))
    task.done.connect(lambda r: outcome.setdefault("ok", r))
    QgsApplication.taskManager().addTask(task)
    task.cancel()
    qtbot.waitUntil(lambda: bool(outcome), timeout=30000)
    assert "error" in outcome


def _render(layers, extent, size=200):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(layers[0].crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(size, size))
    settings.setBackgroundColor(QColor("white"))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def _count_colour(image, colour: str, tolerance: int = 12) -> int:
    target = QColor(colour)
    n = 0
    for x in range(0, image.width()):
        for y in range(0, image.height()):
            c = QColor(image.pixel(x, y))
            if (
                abs(c.red() - target.red()) <= tolerance
                and abs(c.green() - target.green()) <= tolerance
                and abs(c.blue() - target.blue()) <= tolerance
            ):
                n += 1
    return n


def test_layers_are_grouped_styled_zoomed_and_toggled(qtbot, client, tmp_path, qgis_iface, qgis_new_project):
    project = QgsProject.instance()
    search = Search.of(pays=[moderate_country(client)["id"]])
    ok, result = run_task(qtbot, SearchTask(client, search, tmp_path, page_size=500, with_stats=False))
    assert ok, result
    loaded = load_search(result, project, "fr")
    assert not loaded.errors
    root = project.layerTreeRoot()
    assert root.children()[0] is loaded.group and loaded.group.name().startswith("CoopAtlas")
    names = [node.layer().customProperty(PROP_COLLECTION) for node in loaded.group.findLayers()]
    assert names == [c for c in ("demandes", "projets", "partenaires", "collectivites", "liens") if c in result.files]
    projets = loaded.layers["projets"]
    assert projets.featureCount() == result.counts["projets"]
    renderer = projets.renderer()
    assert isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "type_action"

    canvas = qgis_iface.mapCanvas()
    assert zoom_to(loaded, canvas, project)
    assert canvas.extent().contains(projets.extent()) or canvas.extent().intersects(projets.extent())

    blue = client.vocabulary()["type_action"][0]["couleur"]  # decentralised cooperation
    extent = projets.extent()
    extent.scale(1.2)
    before = _count_colour(_render([projets], extent), blue)
    assert before > 0
    assert set_family_visible([projets], "cooperation_decentralisee", False) == 1
    assert _count_colour(_render([projets], extent), blue) == 0
    set_family_visible([projets], "cooperation_decentralisee", True)
    assert _count_colour(_render([projets], extent), blue) == before


def test_session_replaces_the_previous_search(qtbot, settings, client, qgis_iface, qgis_new_project, tmp_path):
    session = Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)
    country = moderate_country(client)["id"]
    finished = []
    session.searchFinished.connect(finished.append)
    session.run_search(Search.of(type_action=["action_exterieure"], pays=[country]))
    qtbot.waitUntil(lambda: len(finished) == 1, timeout=60000)
    first_ids = [lyr.id() for lyr in finished[0].layers.values()]
    assert first_ids
    session.run_search(Search.of(type_action=["demande_cooperation"], pays=[country]))
    qtbot.waitUntil(lambda: len(finished) == 2, timeout=60000)
    project = QgsProject.instance()
    assert all(project.mapLayer(i) is None for i in first_ids)
    searches = [n for n in project.layerTreeRoot().children() if not n.customProperty("coopatlas/context-group")]
    assert len(searches) == 1  # (the context group of countries stays)
    assert set(finished[1].layers) <= {"demandes", "partenaires"}
