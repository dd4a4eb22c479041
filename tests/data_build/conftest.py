"""Fixtures of the dataset tests: the built GeoPackage, and the same atlas loaded into a throwaway PostGIS."""

import sys
from pathlib import Path

import pytest

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:  # "support" lives in tests/ (the name "tests" is taken by pygeoapi's own tests)
    sys.path.insert(0, _TESTS)

from support.fixtures import postgis_cluster, postgis_url  # noqa: E402,F401


@pytest.fixture(scope="session")
def atlas_gpkg(atlas_gpkg_path) -> Path:
    """The demo GeoPackage of the tests (built once per test run, see tests/support/atlas.py)."""
    return atlas_gpkg_path
