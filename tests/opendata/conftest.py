"""The open-data tests share one server per pytest-xdist worker (the root conftest's ``atlas_server``, on the
fixtures' atlas): run them all on the same worker."""

import sys
from pathlib import Path


def pytest_collection_modifyitems(config, items):
    group_folder(items, __file__, "opendata")


_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:  # "support" lives in tests/ (the name "tests" is taken by pygeoapi's own tests)
    sys.path.insert(0, _TESTS)

from support.fixtures import postgis_cluster, postgis_url  # noqa: E402,F401
from support.xdist import group_folder  # noqa: E402
