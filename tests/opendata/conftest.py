"""The open-data tests share one server per pytest-xdist worker (the root conftest's ``atlas_server``, on the
fixtures' atlas): run them all on the same worker."""
import sys
from pathlib import Path

import pytest


def pytest_collection_modifyitems(config, items):
    here = __file__.rsplit("/", 1)[0]
    for item in items:
        if str(item.fspath).startswith(here):
            item.add_marker(pytest.mark.xdist_group("opendata"))


_TESTS = str(Path(__file__).resolve().parents[1])
if _TESTS not in sys.path:  # "support" lives in tests/ (the name "tests" is taken by pygeoapi's own tests)
    sys.path.insert(0, _TESTS)

from support.fixtures import postgis_cluster, postgis_url  # noqa: E402,F401
