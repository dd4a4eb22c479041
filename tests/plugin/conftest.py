"""Fixtures of the QGIS plugin tests: Debian's QGIS 3.22 (Python 3.11) against the real CoopAtlas server.

Run them apart from the main suite (they need QGIS's Python, not the server's)::

    QT_QPA_PLATFORM=offscreen .venv-qgis/bin/python -m pytest -c tests/plugin/pytest.ini tests/plugin

* the QGIS profile (settings, saved searches, result files) is pytest-qgis's ``tests/plugin/.qgis-settings``
  (ignored by git), removed when the run ends: every run starts from a fresh profile;
* ``server_url`` (session): the real server (``python -m coopatlas serve`` of the main venv, gunicorn,
  2 workers) on a free port of 127.0.0.1, on ``$COOPATLAS_TEST_ATLAS`` or a demo atlas built for the run; or the
  server already running at ``$COOPATLAS_TEST_SERVER_URL``;
* screenshots of the dialogs go to ``test-artefacts/plugin/``.
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "tests") not in sys.path:  # tests/support: the server's command line and its wait (stdlib, requests)
    sys.path.append(str(ROOT / "tests"))
PLUGIN_DIR = ROOT / "plugin"
ARTEFACTS = ROOT / "test-artefacts" / "plugin"

try:  # the main (Python 3.12) suite has no QGIS: it skips this folder
    import qgis  # noqa: F401
except ImportError:
    collect_ignore_glob = ["test_*.py"]
else:
    # pytest-qgis points QGIS_CUSTOM_CONFIG_PATH at <rootdir>/.qgis-settings; removed at exit, after QGIS
    # has written into it for the last time (exitQgis)
    atexit.register(shutil.rmtree, Path(__file__).resolve().parent / ".qgis-settings", True)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if str(PLUGIN_DIR) not in sys.path:
        sys.path.insert(0, str(PLUGIN_DIR))

import pytest  # noqa: E402

from support.servers import AtlasServer, ServerError, answers_within  # noqa: E402

SERVER_PYTHON = Path(os.environ.get("COOPATLAS_SERVER_PYTHON") or ROOT / ".venv" / "bin" / "python")


def atlas_gpkg(tmp_path_factory) -> Path:
    """The atlas of this run: ``$COOPATLAS_TEST_ATLAS`` (built by ``make test``), else the demo atlas built
    by the server's Python into the run's temporary folder (never the user's ``build/atlas.gpkg``)."""
    given = os.environ.get("COOPATLAS_TEST_ATLAS")
    if given:
        return Path(given).resolve()
    folder = tmp_path_factory.getbasetemp() / "coopatlas-test-atlas"
    if not (folder / "atlas.gpkg").is_file():
        proc = subprocess.run(
            [str(SERVER_PYTHON), str(ROOT / "tests" / "support" / "atlas.py"), str(folder)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        if proc.returncode != 0:
            pytest.fail(f"building the test atlas failed:\n{(proc.stdout + proc.stderr)[-4000:]}")
    return folder / "atlas.gpkg"


@pytest.fixture(scope="session")
def server_url(tmp_path_factory):
    """Base URL of a running CoopAtlas server."""
    given = os.environ.get("COOPATLAS_TEST_SERVER_URL")
    if given:
        if not answers_within(None, given.rstrip("/") + "/?f=json", 30):
            pytest.fail(f"no answer from {given} within 30 s")
        yield given.rstrip("/")
        return
    if not SERVER_PYTHON.exists():
        pytest.fail(f"no server Python at {SERVER_PYTHON}: run 'make venv'")
    gpkg = atlas_gpkg(tmp_path_factory)
    if not gpkg.is_file():
        pytest.fail(f"no atlas GeoPackage at {gpkg}")
    try:
        server = AtlasServer(gpkg=gpkg, workers=2, python=SERVER_PYTHON).start()
    except ServerError as exc:
        pytest.fail(str(exc))
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def postgis_server_url(tmp_path_factory):
    """Base URL of a CoopAtlas server on PostGIS (a throwaway cluster loaded with the test atlas), started by
    the server's Python (``tests/plugin/postgis_server.py``); skipped where PostgreSQL is not installed."""
    if not SERVER_PYTHON.exists():
        pytest.fail(f"no server Python at {SERVER_PYTHON}: run 'make venv'")
    gpkg = atlas_gpkg(tmp_path_factory)
    log = open(tmp_path_factory.mktemp("postgis-server") / "server.log", "w+")
    proc = subprocess.Popen(
        [str(SERVER_PYTHON), str(Path(__file__).with_name("postgis_server.py")), str(gpkg)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=log,
        text=True,
        start_new_session=True,
    )
    line = proc.stdout.readline().strip()
    if line.startswith("UNAVAILABLE"):
        proc.stdin.close()
        proc.wait(30)
        pytest.skip(line)
    if not line.startswith("URL "):
        proc.kill()
        log.seek(0)
        pytest.fail(f"the PostGIS server did not start: {line}\n{log.read()[-4000:]}")
    url = line.split(" ", 1)[1]
    if not answers_within(proc, url + "/?f=json", 120):
        raise RuntimeError(f"no answer from {url} within 120 s")
    yield url
    proc.stdin.close()  # the script stops its server and removes its cluster
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)
    log.close()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


@pytest.fixture
def settings(server_url, qgis_app):
    """The plugin's settings pointing to the test server (restored afterwards)."""
    from coopatlas_qgis.core.settings import Settings

    s = Settings()
    s.server_url = server_url
    s.timeout_s = 60
    s.page_size = 1000
    yield s
    s.server_url = server_url


@pytest.fixture
def client(settings):
    return settings.client()


@pytest.fixture
def screenshot(artefacts):
    """``screenshot(widget, name)``: save ``widget.grab()`` as ``test-artefacts/plugin/<name>.png``."""

    def grab(widget, name: str) -> Path:
        path = artefacts / f"{name}.png"
        pixmap = widget.grab()
        assert not pixmap.isNull(), f"empty screenshot of {name}"
        assert pixmap.save(str(path), "PNG"), f"cannot write {path}"
        return path

    return grab


@pytest.fixture(autouse=True)
def _no_task_left(qgis_app):
    """After each test, cancel the plugin's background tasks still running and wait for them, events
    flowing (a task blocked on the main thread must not meet QGIS's exit); collect garbage."""
    yield
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QCoreApplication

    manager = QgsApplication.taskManager()
    manager.cancelAll()
    deadline = time.monotonic() + 30
    while manager.countActiveTasks() and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.02)
    assert not manager.countActiveTasks(), "a background task did not stop within 30 s of its cancellation"
    # free the layers held by reference cycles (e.g. a frame kept by pytest.raises) while QGIS is alive:
    # destroyed after exitQgis, at the interpreter's exit, they crash in GDAL
    gc.collect()
