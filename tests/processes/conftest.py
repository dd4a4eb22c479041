"""Fixtures of the process tests: a REAL atlas server (``python -m coopatlas serve``, gunicorn, 2 workers)
serving the processes, on a free port of 127.0.0.1, and helpers to call them over HTTP.

The server runs with the committed ``pygeoapi-config.yml`` (the processes of ``processes/`` and the job
manager of :mod:`processes._manager`), on the atlas of the tests. All tests of this folder run on the
same pytest-xdist worker (one server).
"""

from __future__ import annotations

import sqlite3
import sys
import time
from pathlib import Path

import pytest
import requests

_TESTS = Path(__file__).resolve().parents[1]
for _path in (_TESTS, _TESTS / "processes"):  # "support" lives in tests/ ("tests" is pygeoapi's own tests)
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

from support.fixtures import postgis_cluster, postgis_url  # noqa: E402,F401
from support.servers import AtlasServer, ServerError, http_session  # noqa: E402
from support.xdist import group_folder  # noqa: E402

ROOT = _TESTS.parent
ARTEFACTS = ROOT / "test-artefacts" / "processes"


def pytest_collection_modifyitems(config, items):
    group_folder(items, __file__, "processes")


class ProcessServer:
    def __init__(self, server: AtlasServer, gpkg: Path):
        self.server, self.gpkg = server, gpkg
        self.url = server.url
        self.http = http_session()

    def execute(
        self, process: str, inputs, *, prefer: str | None = None, timeout: float = 300, body=None, **extra
    ) -> requests.Response:
        """POST /processes/<process>/execution with ``{"inputs": inputs, **extra}`` (or ``body``)."""
        headers = {"Content-Type": "application/json"}
        if prefer:
            headers["Prefer"] = prefer
        import json

        data = body if body is not None else json.dumps({"inputs": inputs, **extra})
        return self.http.post(f"{self.url}/processes/{process}/execution", data=data, headers=headers, timeout=timeout)

    def wait_job(self, location: str, timeout: float = 300) -> dict:
        """Poll a job until it is finished; its status document."""
        deadline = time.monotonic() + timeout
        while True:
            status = self.http.get(location, params={"f": "json"}, timeout=30).json()
            if status["status"] in ("successful", "failed", "dismissed"):
                return status
            assert time.monotonic() < deadline, f"job not finished in {timeout} s: {status}"
            time.sleep(0.2)

    def gpkg_rows(self, sql: str, params=()):
        con = sqlite3.connect(f"file:{self.gpkg}?mode=ro", uri=True)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()


@pytest.fixture(scope="session")
def process_server(atlas_gpkg_path) -> ProcessServer:
    try:
        server = AtlasServer(gpkg=atlas_gpkg_path, workers=2, timeout=180).start()
    except ServerError as exc:
        pytest.fail(str(exc))
    yield ProcessServer(server, atlas_gpkg_path)
    server.stop()


@pytest.fixture(scope="module")
def postgis_server(process_server, postgis_url) -> AtlasServer:  # noqa: F811 - the fixture of support.fixtures
    """A server of the same atlas on PostGIS (``COOPATLAS_DATABASE_URL``), for a module of parity tests."""
    try:
        server = AtlasServer(database_url=postgis_url, workers=2, timeout=180).start()
    except ServerError as exc:
        pytest.fail(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """test-artefacts/processes/: PDFs and PNG renderings of their first pages, for people to look at."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS
