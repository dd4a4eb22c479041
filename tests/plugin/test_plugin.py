"""The plugin as QGIS loads it: start-up without network, docks, locator, Processing, French, the
package and ``qgis_process`` on a fresh profile; only HTTP to the server (no server package import)."""

from __future__ import annotations

import ast
import json
import os
import socket
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import PLUGIN_DIR
from helpers import first, moderate_country
from qgis.core import QgsApplication, QgsProcessingUtils, QgsProject
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from coopatlas_qgis import classFactory
from coopatlas_qgis.core.i18n import CONTEXT
from coopatlas_qgis.core.search import Search
from coopatlas_qgis.core.settings import Settings
from coopatlas_qgis.locator import AtlasLocatorFilter

PACKAGE_DIR = PLUGIN_DIR / "coopatlas_qgis"
#: Debian's ``qgis_process`` shell wrapper is broken on 3.22: the binary itself (its place varies).
QGIS_PROCESS = os.environ.get("QGIS_PROCESS") or next(
    (p for p in ("/usr/lib/qgis/qgis_process.bin", "/usr/bin/qgis_process.bin") if os.path.exists(p)),
    "/usr/bin/qgis_process.bin",
)
ALLOWED_IMPORTS = {"qgis", "matplotlib", "osgeo"}  # besides the standard library and the plugin itself


def test_the_plugin_imports_nothing_but_qgis_and_the_standard_library():
    stdlib = set(sys.stdlib_module_names)
    for path in PACKAGE_DIR.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                assert top in stdlib or top in ALLOWED_IMPORTS, f"{path.name} imports {name}"
                assert top != "coopatlas", f"{path.name} imports the server package"


@pytest.fixture
def listener():
    """A TCP port that records connection attempts (nothing answers)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    yield sock
    sock.close()


def _connections(sock) -> int:
    n = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return n
        conn.close()
        n += 1


def test_start_up_makes_no_network_call(qtbot, qgis_iface, listener):
    settings = Settings()
    previous = settings.server_url
    settings.server_url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    settings.timeout_s = 2
    plugin = classFactory(qgis_iface)
    try:
        plugin.initGui()
        qtbot.wait(300)
        assert _connections(listener) == 0
        assert QgsApplication.processingRegistry().providerById("coopatlas") is not None
        assert {a.text() for a in plugin.actions} >= {"CoopAtlas search", "CoopAtlas settings…"}
        plugin.toggle_search(True)  # the user opens the panel: now the server is asked
        qtbot.wait(300)
        assert _connections(listener) >= 1
        assert "does not answer" in plugin.search_widget.lbl_status.text()  # and its silence is reported
    finally:
        plugin.unload()
        settings.server_url = previous
    assert QgsApplication.processingRegistry().providerById("coopatlas") is None


def test_docks_search_and_map_tool_from_the_plugin(qtbot, qgis_iface, qgis_new_project, settings, client, screenshot):
    plugin = classFactory(qgis_iface)
    plugin.initGui()
    try:
        plugin.toggle_search(True)
        assert plugin.search_widget.loaded
        plugin.search_widget.resize(430, 900)
        country = moderate_country(client)["id"]
        plugin.run_search(Search.of(type_action=["cooperation_decentralisee"], pays=[country]))
        qtbot.waitUntil(lambda: plugin.session.current is not None, timeout=60000)
        assert plugin.results_widget.model.rowCount() == plugin.session.current.result.counts["projets"]
        screenshot(plugin.search_widget, "panneau-recherche")
        plugin.toggle_tool(True)
        assert qgis_iface.mapCanvas().mapTool() is plugin.tool
        first_row = plugin.results_widget.model.rows[0]
        collectivite = plugin.session.current.layers["projets"].getFeature(first_row.fid)["collectivite_id"]
        dialog = plugin.open_record("collectivites", collectivite)
        qtbot.addWidget(dialog)
        assert "Contacts" in dialog.browser.toPlainText()
    finally:
        plugin.unload()


def test_locator_finds_authorities_partners_and_countries(qtbot, settings, client):
    commune = first(client, "collectivites", type_collectivite="commune")
    searches = []
    loc = AtlasLocatorFilter(searches.append, settings=settings)
    clone = loc.clone()  # QGIS runs the search on a clone, in a thread
    results = clone.search(commune["nom"])
    authorities = [r for r in results if r.group == "French local authorities"]
    assert authorities and authorities[0].displayString == commune["nom"]  # the exact name comes first
    chosen = next(r for r in results if r.displayString == commune["nom"])
    loc.triggerResult(chosen)  # QGIS triggers on the original filter
    assert searches == [Search.of(collectivite=[commune["id"]])]
    pays = first(client, "pays")
    results = clone.search(pays["nom"][:4])
    assert any(r.displayString == pays["nom"] and r.group == "Countries" for r in results)
    assert clone.search("z") == []


def _values(path, field) -> set:
    """The values of ``field`` in a vector file (the layer lives in this frame only: a layer kept alive
    by a test's traceback until the interpreter exits crashes GDAL after QGIS has exited)."""
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(str(path), "out", "ogr")
    assert layer.isValid() and layer.featureCount() > 0
    return {f[field] for f in layer.getFeatures()}


def test_processing_algorithm_in_process(qgis_processing, settings, server_url, client, tmp_path):
    from processing import run  # QGIS's processing plugin

    plugin = classFactory(None)
    plugin.initProcessing()

    def intermediate_files():  # in the system's temporary folder and in QGIS's processing one
        return set(Path(tempfile.gettempdir()).glob("*/*.geojson")) | set(
            Path(QgsProcessingUtils.tempFolder()).rglob("*.geojson")
        )

    before = intermediate_files()
    try:
        out = run(
            "coopatlas:rechercher",
            {
                "SERVER": server_url,
                "COLLECTION": 0,
                "TYPE_ACTION": "action_exterieure",
                "PAYS": moderate_country(client)["id"],
                "OUTPUT": str(tmp_path / "actions.geojson"),
            },
        )
        assert _values(out["OUTPUT"], "type_action") == {"action_exterieure"}
        assert intermediate_files() == before  # its intermediate GeoJSON is gone
        with pytest.raises(Exception) as err:
            run("coopatlas:rechercher", {"SERVER": server_url, "CONTINENT": "atlantide", "OUTPUT": "TEMPORARY_OUTPUT"})
        assert "continent" in str(err.value) or "continent" in str(err.value.__cause__)
    finally:
        QgsApplication.processingRegistry().removeProvider(plugin.provider)


@pytest.fixture(scope="session")
def plugin_zip(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, str(PLUGIN_DIR / "package.py"), "--out", str(out)], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stderr
    zips = list(out.glob("coopatlas_qgis-*.zip"))
    assert len(zips) == 1
    return zips[0]


def test_the_zip_is_installable(plugin_zip):
    with zipfile.ZipFile(plugin_zip) as zf:
        names = zf.namelist()
    assert all(n.startswith("coopatlas_qgis/") for n in names)
    for required in (
        "__init__.py",
        "metadata.txt",
        "LICENSE",
        "plugin.py",
        "i18n/coopatlas_fr.qm",
        "resources/icon.svg",
        "gui/ui/wdg_search.ui",
        "processing/provider.py",
    ):
        assert f"coopatlas_qgis/{required}" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith((".pyc", ".ts"))]


def test_french_translation(plugin_zip, tmp_path, qtbot, settings, client, qgis_iface, qgis_new_project, screenshot):
    """With QGIS in French, the panels speak French: the plugin's strings (the .qm of the zip) and the
    server's labels (the vocabulary in French)."""
    from helpers import wait_search
    from qgis.core import QgsSettings

    from coopatlas_qgis.core.session import Session
    from coopatlas_qgis.gui.dlg_settings import SettingsDialog
    from coopatlas_qgis.gui.wdg_search import SearchWidget

    with zipfile.ZipFile(plugin_zip) as zf:
        zf.extract("coopatlas_qgis/i18n/coopatlas_fr.qm", tmp_path)
    translator = QTranslator()
    assert translator.load(str(tmp_path / "coopatlas_qgis/i18n/coopatlas_fr.qm"))
    QCoreApplication.installTranslator(translator)
    qs = QgsSettings()
    qs.setValue("locale/overrideFlag", True)
    qs.setValue("locale/userLocale", "fr_FR")
    try:
        assert QCoreApplication.translate(CONTEXT, "Search cancelled.") == "Recherche annulée."
        dialog = SettingsDialog(Settings())
        qtbot.addWidget(dialog)
        assert dialog.btn_test.text() == "Tester la connexion"
        session = Session(qgis_iface, QgsProject.instance(), settings, results_base=tmp_path)
        assert session.lang == "fr"
        panel = SearchWidget(session)
        qtbot.addWidget(panel)
        panel.resize(430, 980)
        panel.show()
        qtbot.waitUntil(lambda: panel.loaded, timeout=30000)
        assert [panel.tabs.tabText(i) for i in range(3)] == ["Accès Monde", "Accès France", "Recherche avancée"]
        voc = client.vocabulary()
        panel.cb_continent.setCurrentIndex(panel.cb_continent.findData("afrique"))
        assert panel.cb_continent.currentText() == next(t["fr"] for t in voc["continent"] if t["code"] == "afrique")
        loaded = wait_search(qtbot, session, lambda: panel.btn_monde_search.click())
        assert loaded.group.name().startswith("CoopAtlas — ") and "Afrique" in loaded.group.name()
        assert panel.grp_etat.title() == "État"
        screenshot(panel, "acces-monde-fr")
    finally:
        qs.setValue("locale/overrideFlag", False)
        qs.remove("locale/userLocale")
        QCoreApplication.removeTranslator(translator)


def test_every_string_is_translated_to_french():
    import xml.etree.ElementTree as ET

    ts = ET.parse(PACKAGE_DIR / "i18n" / "coopatlas_fr.ts").getroot()
    missing = [
        m.findtext("source")
        for m in ts.iter("message")
        if m.find("translation").get("type") == "unfinished" or not m.findtext("translation")
    ]
    assert not missing, f"untranslated: {missing[:10]}"
    proc = subprocess.run(
        [sys.executable, str(PLUGIN_DIR / "tools" / "update_ts.py"), "--check"], capture_output=True, text=True
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.slow
def test_qgis_process_runs_the_installed_plugin(plugin_zip, server_url, tmp_path):
    profile_root = tmp_path / "qgis-config"
    plugins = profile_root / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    with zipfile.ZipFile(plugin_zip) as zf:
        zf.extractall(plugins)
    env = {**os.environ, "QGIS_CUSTOM_CONFIG_PATH": str(profile_root), "QT_QPA_PLATFORM": "offscreen"}

    def qgis_process(*args):
        proc = subprocess.run([QGIS_PROCESS, *args], capture_output=True, text=True, env=env, timeout=300)
        assert proc.returncode == 0, proc.stdout + proc.stderr
        return proc.stdout

    qgis_process("plugins", "enable", "coopatlas_qgis")
    assert "coopatlas:rechercher" in qgis_process("list")
    out = tmp_path / "demandes.geojson"
    result = json.loads(
        qgis_process(
            "--json", "run", "coopatlas:rechercher", "--", f"SERVER={server_url}", "COLLECTION=1", f"OUTPUT={out}"
        )
    )
    assert result["results"]["OUTPUT"] == str(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["features"] and {f["properties"]["statut_validation"] for f in data["features"]} <= {
        "validee",
        "pourvue",
    }
    stats = tmp_path / "stats.json"
    result = json.loads(
        qgis_process(
            "--json",
            "run",
            "coopatlas:statistiques",
            "--",
            f"SERVER={server_url}",
            "CONTINENT=afrique",
            f"OUTPUT={stats}",
        )
    )
    assert result["results"]["PAYS"] is not None and json.loads(stats.read_text(encoding="utf-8"))
    # QGIS in French: the installed plugin speaks French (its .qm compiled into the zip)
    ini = profile_root / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    with open(ini, "a", encoding="utf-8") as fh:
        fh.write("\n[locale]\noverrideFlag=true\nuserLocale=fr_FR\n")
    assert "Rechercher dans l'atlas (coopatlas:rechercher)" in qgis_process("help", "coopatlas:rechercher")
