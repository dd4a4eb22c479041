"""Fixtures of the web atlas tests: the real server of the root ``conftest.py`` (``atlas_server``) and
Debian's Chromium driven by selenium (:mod:`web_browser`). Every test of this folder runs on the same
pytest-xdist worker (group ``webatlas``)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

import web_browser  # noqa: E402

from support.xdist import group_folder  # noqa: E402


def pytest_collection_modifyitems(config, items):
    group_folder(items, __file__, "webatlas")


@pytest.fixture(scope="module")
def browser():
    pytest.importorskip("selenium", reason="pip install selenium (test dependency)")
    driver = web_browser.chrome()
    yield driver
    driver.quit()
