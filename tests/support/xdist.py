"""Keep the tests of one folder on one pytest-xdist worker, where they share one session server.

In the folder's ``conftest.py``::

    def pytest_collection_modifyitems(config, items):
        group_folder(items, __file__, "processes")
"""

from __future__ import annotations

from pathlib import Path

import pytest


def group_folder(items, conftest: str, group: str, *, fixture: str | None = None) -> None:
    """Mark the ``items`` below the folder of ``conftest`` (those using ``fixture``, if given) with the
    pytest-xdist group ``group``."""
    folder = str(Path(conftest).resolve().parent)
    for item in items:
        if str(item.fspath).startswith(folder) and (fixture is None or fixture in getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.xdist_group(group))
