"""Cluster tests: two real ``coopatlas serve`` instances over one throwaway PostGIS (tests/support/cluster.py)."""

import sys
from pathlib import Path

_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:  # "support" lives in tests/ (the name "tests" is taken by pygeoapi's own tests)
    sys.path.insert(0, _TESTS)

from support.cluster import atlas_cluster, atlas_cluster_factory  # noqa: E402,F401
from support.fixtures import postgis_cluster  # noqa: E402,F401
