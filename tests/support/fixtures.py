"""pytest fixtures of a throwaway PostGIS, for any test folder.

Use them from a ``conftest.py``::

    import sys, pathlib
    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # tests/, for "support"
    from support.fixtures import postgis_cluster, postgis_url  # noqa: F401

(``tests`` cannot be imported as a package name: pygeoapi installs a top-level ``tests`` package.)

* ``postgis_cluster`` (session): a running :class:`support.postgis.PostgresCluster`, one per test
  process (stopped and removed at exit);
* ``postgis_url`` (session): URL of a database where the atlas of the tests (``atlas_gpkg_path`` of
  ``tests/conftest.py``) is loaded (schema ``atlas``), the same for the whole session: do not write to it;
* ``postgis_empty_url`` (function): URL of a new, empty database with PostGIS, for tests that load.

A missing PostgreSQL/PostGIS fails the tests that need it (``make test`` installs it): a test that cannot
run is not a passing test.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest

from .postgis import PostgresCluster, available, loaded_atlas

_counter = itertools.count()

_shared: dict = {}  # one cluster (and one loaded atlas per GeoPackage) per test process


def shared_cluster() -> PostgresCluster:
    """The test process's cluster, started on first use and stopped at exit (whatever conftest files
    import these fixtures: pytest would make one session fixture per conftest)."""
    cluster = _shared.get("cluster")
    if cluster is None or not cluster.started:
        reason = available()
        if reason:
            pytest.fail(f"no PostgreSQL/PostGIS for the tests: {reason} (make system-deps)")
        cluster = _shared["cluster"] = PostgresCluster().start()  # stopped by an atexit hook
    return cluster


def shared_atlas_url(gpkg: Path) -> str:
    """URL of the database of the shared cluster where ``gpkg`` is loaded (loaded once per process)."""
    key = ("atlas", str(Path(gpkg).resolve()))
    if key not in _shared:
        _shared[key] = loaded_atlas(shared_cluster(), gpkg, dbname=f"atlas_{len(_shared)}")
    return _shared[key]


@pytest.fixture(scope="session")
def postgis_cluster():
    yield shared_cluster()
    # pytest-xdist workers leave without running exit hooks: stop it here (again for a second conftest
    # importing this fixture: stopping twice is harmless)
    cluster = _shared.pop("cluster", None)
    if cluster is not None:
        cluster.stop()
    for key in [k for k in _shared if k[0] == "atlas"]:
        del _shared[key]


@pytest.fixture(scope="session")
def postgis_url(postgis_cluster, atlas_gpkg_path) -> str:
    return shared_atlas_url(atlas_gpkg_path)


@pytest.fixture
def postgis_empty_url(postgis_cluster) -> str:
    return postgis_cluster.create_database(f"empty_{os.getpid()}_{next(_counter)}")
