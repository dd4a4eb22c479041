"""Two real servers on the same atlas: the GeoPackage one and the PostGIS one.

The GeoPackage server is the session's ``atlas_server`` (tests/conftest.py); the PostGIS one is started
by ``server_factory`` on the throwaway PostGIS where the same GeoPackage is loaded (tests/support).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:  # "support" lives in tests/ (the name "tests" is taken by pygeoapi's own tests)
    sys.path.insert(0, _TESTS)

from support.fixtures import postgis_cluster, postgis_url  # noqa: E402,F401


@pytest.fixture(scope="session")
def parity_servers(server_factory, atlas_gpkg_path, postgis_url):  # noqa: F811
    """(GeoPackage server URL, PostGIS server URL), both serving ``atlas_gpkg_path``, both counting every
    ``numberMatched`` exactly (no time budget: the answers are compared whole; the budget is tested by
    tests/server/test_counts.py and tests/postgis/test_counts.py)."""
    exact = {"COOPATLAS_COUNT_BUDGET_MS": "0"}
    gpkg = server_factory(gpkg=atlas_gpkg_path, env=exact)
    postgis = server_factory(database_url=postgis_url, env=exact)
    return gpkg.url, postgis.url
