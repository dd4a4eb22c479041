"""Fixtures for every test folder: the REAL atlas server, started as ``make serve`` starts it.

``python -m coopatlas serve`` (gunicorn, several workers, the effective configuration and the OpenAPI
document written by the command itself) on a free port of 127.0.0.1, waited for, and stopped at the
end of the session. Each pytest-xdist worker starts its own server, with its own ``var/`` folder.

* ``atlas_gpkg_path`` (session): the atlas of the tests, the demo GeoPackage built once per test run in a
  temporary folder (``tests/support/atlas.py``): never the user's ``build/atlas.gpkg``. Tests only read it;
  a test that writes takes a copy (``support.atlas.copy_atlas``);
* ``atlas_server`` (session): the server on that atlas;
* ``server_factory`` (session): ``server_factory(database_url=..., gpkg=..., env={...})`` starts another
  server (e.g. on PostGIS) and stops it at the end of the session.

A :class:`RunningServer` has ``url`` (no trailing slash) and ``get(path, **params)`` (``requests``).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT / "tests") not in sys.path:  # "support" lives in tests/ ("tests" is pygeoapi's own tests)
    sys.path.insert(0, str(ROOT / "tests"))

from support.atlas import AtlasBuildError, session_atlas  # noqa: E402
from support.postgis import free_port  # noqa: E402
from support.servers import answers_within, http_session, server_env, spawn_server  # noqa: E402

#: Seconds to wait for a server to answer.
START_TIMEOUT = 180
#: Where the code's defaults would look for the user's data (``build/atlas.gpkg``, a PostGIS database, the
#: live database of ``var/``): the tests name their own atlas and folders; a default is never the user's.
USER_DATA_VARIABLES = (
    "COOPATLAS_GPKG",
    "COOPATLAS_DATABASE_URL",
    "COOPATLAS_LIVE_DATABASE",
    "COOPATLAS_URL",
    "PYGEOAPI_CONFIG",
    "PYGEOAPI_OPENAPI",
)
#: What ``$COOPATLAS_GPKG`` holds during the tests: no file, so that code relying on the default atlas fails
#: loudly instead of reading the user's ``build/atlas.gpkg``.
NO_DEFAULT_ATLAS = Path(tempfile.gettempdir()) / "coopatlas-tests-name-their-atlas" / "no-default-atlas.gpkg"


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: a long test (real clients, browser, fuzzing); -m 'not slow' skips them")
    for name in USER_DATA_VARIABLES:
        os.environ.pop(name, None)
    os.environ["COOPATLAS_GPKG"] = str(NO_DEFAULT_ATLAS)


def _atlas_state(path: Path) -> tuple | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


@pytest.fixture(autouse=True)
def _shared_atlas_untouched(request):
    """No test writes into the atlas the whole run shares (``COOPATLAS_TEST_ATLAS``, built by ``make test``):
    the test that changes it fails, by name, instead of a later test that reads it."""
    given = os.environ.get("COOPATLAS_TEST_ATLAS")
    if not given:
        yield
        return
    path = Path(given)
    before = _atlas_state(path)
    yield
    after = _atlas_state(path)
    assert after == before, f"{request.node.nodeid} changed the shared test atlas {path} (use copy_atlas)"


@pytest.fixture(scope="session")
def atlas_gpkg_path(tmp_path_factory) -> Path:
    """The atlas of the tests (read only): see tests/support/atlas.py."""
    try:
        return session_atlas(tmp_path_factory)
    except AtlasBuildError as exc:
        pytest.fail(str(exc))


@dataclass
class RunningServer:
    url: str
    process: subprocess.Popen
    var: Path
    log: Path
    gpkg: Path | None = None
    database_url: str | None = None
    _session: object = field(default=None, repr=False)

    @property
    def session(self):
        """The client session of the tests (:func:`support.servers.http_session`)."""
        if self._session is None:
            self._session = http_session()
        return self._session

    def get(self, path: str, timeout: float = 60, **params):
        """GET ``path`` (relative to the landing page) with query ``params``."""
        return self.session.get(self.url + path, params=params or None, timeout=timeout)

    def log_tail(self, n: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-n:])
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop gunicorn (the command replaced itself with it, so this is its master process)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start_server(
    var: Path, *, gpkg: Path | None = None, database_url: str | None = None, workers: int = 2, env: dict | None = None
) -> RunningServer:
    """Start ``python -m coopatlas serve`` on a free port of 127.0.0.1 and wait until it answers."""
    port = free_port()
    log = var / "server.log"
    environ = server_env(env, gpkg=gpkg, database_url=database_url)  # read only: Bourse tests use copies
    proc = spawn_server(port, var, environ, workers=workers)
    server = RunningServer(f"http://127.0.0.1:{port}", proc, var, log, gpkg, database_url)
    if answers_within(proc, server.url + "/conformance?f=json", START_TIMEOUT, server.log_tail):
        return server
    server.stop()
    raise RuntimeError(f"the server did not answer within {START_TIMEOUT} s:\n{server.log_tail()}")


@pytest.fixture(scope="session")
def server_factory(tmp_path_factory):
    started: list[RunningServer] = []

    def factory(**kwargs) -> RunningServer:
        var = tmp_path_factory.mktemp("server-var")
        try:
            server = start_server(var, **kwargs)
        except RuntimeError as exc:
            pytest.fail(str(exc))
        started.append(server)
        return server

    yield factory
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def atlas_server(server_factory, atlas_gpkg_path) -> RunningServer:
    return server_factory(gpkg=atlas_gpkg_path)
