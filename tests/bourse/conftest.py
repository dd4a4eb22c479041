"""Fixtures of the Bourse projets tests: one real server (gunicorn, 2 workers) on a private copy of the
atlas of the tests, a real SMTP sink, accounts of every role. Every test of this folder runs on the same
pytest-xdist worker (group ``bourse``)."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))
_TESTS = str(HERE.parent)
if _TESTS not in sys.path:  # "support" lives in tests/ (the name "tests" is taken by pygeoapi's own tests)
    sys.path.insert(0, _TESTS)

import bourse_helpers as H


def pytest_collection_modifyitems(config, items):
    for item in items:
        if str(item.fspath).startswith(str(HERE)):
            item.add_marker(pytest.mark.xdist_group("bourse"))


SERVER_ENV, smtp_env = H.SERVER_ENV, H.smtp_env


@pytest.fixture(scope="session")
def smtp():
    sink = H.SmtpSink()
    yield sink
    sink.stop()


@pytest.fixture(scope="session")
def server(tmp_path_factory, smtp, atlas_gpkg_path):
    base = tmp_path_factory.mktemp("bourse")
    gpkg = H.copy_atlas(atlas_gpkg_path, base / "atlas.gpkg")
    try:
        srv = H.start_server(base / "var", gpkg=gpkg, env={**SERVER_ENV, **smtp_env(smtp)})
    except RuntimeError as exc:
        pytest.fail(str(exc))
    yield srv
    srv.stop()


def two_collectivities(gpkg: Path) -> tuple[str, str, str, str]:
    """(collectivity A, one of its projects, collectivity B, one of its projects)."""
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT collectivite_id, MIN(id) FROM projets GROUP BY collectivite_id "
            "HAVING COUNT(*) >= 2 ORDER BY collectivite_id LIMIT 2"
        ).fetchall()
    finally:
        con.close()
    (a, pa), (b, pb) = rows
    return a, pa, b, pb


@pytest.fixture(scope="session")
def people(server):
    """Accounts of every role (the embassy of Burkina Faso through the command line) and their API clients."""
    a, pa, b, pb = two_collectivities(server.gpkg)
    H.create_account(server, "admin@coopatlas.example", "administrateur")
    H.create_account(server, "amb.bf@ambafrance.example", "ambassade", pays="BF", via_cli=True)
    H.create_account(server, "amb.sn@ambafrance.example", "ambassade", pays="SN")
    H.create_account(server, "col.a@collectivite.example", "collectivite", collectivite=a)
    H.create_account(server, "col.b@collectivite.example", "collectivite", collectivite=b)
    return {
        "admin": H.Api(server, "admin@coopatlas.example"),
        "bf": H.Api(server, "amb.bf@ambafrance.example"),
        "sn": H.Api(server, "amb.sn@ambafrance.example"),
        "col_a": H.Api(server, "col.a@collectivite.example"),
        "col_b": H.Api(server, "col.b@collectivite.example"),
        "anon": H.Api(server),
        "coll_a": a,
        "projet_a": pa,
        "coll_b": b,
        "projet_b": pb,
    }


@pytest.fixture
def submitted(server):
    """Submit a request through the process; returns (reference, inputs)."""

    def make(**over):
        inputs = H.request_inputs(**over)
        r = H.submit(server, inputs, H.new_ip())
        assert r.status_code == 200, r.text
        return r.json()["reference"], inputs

    return make
