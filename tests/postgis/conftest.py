"""Fixtures of the PostGIS tests: a throwaway PostgreSQL cluster (see tests/support/fixtures.py)."""

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:  # "support" lives in tests/ (the name "tests" is taken by pygeoapi's own tests)
    sys.path.insert(0, _TESTS)

from support.fixtures import postgis_cluster, postgis_empty_url, postgis_url  # noqa: E402,F401
