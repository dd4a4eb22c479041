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
def parity_servers(atlas_server, server_factory, atlas_gpkg_path, postgis_url):  # noqa: F811
    """(GeoPackage server URL, PostGIS server URL), both serving ``atlas_gpkg_path``."""
    assert Path(atlas_server.gpkg).resolve() == Path(atlas_gpkg_path).resolve()
    postgis = server_factory(database_url=postgis_url)
    return atlas_server.url, postgis.url
