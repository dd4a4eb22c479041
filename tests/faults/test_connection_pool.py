"""The read-only connection pool of the GeoPackage through a fault, in one process: what the server tests see
over HTTP, at the level where the race of issue 19 was."""

from __future__ import annotations

import os
import sqlite3

import pytest

from coopatlas.store import faults, geopackage
from support.atlas import copy_atlas


def _count(con) -> int:
    return con.execute("SELECT COUNT(*) FROM projets").fetchone()[0]


def test_original_moved_back_after_a_corrupt_file_gets_a_working_connection(tmp_path, atlas_gpkg_path):
    served = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    aside = tmp_path / "aside.gpkg"
    pool = geopackage.ReadOnlyConnections()
    n = _count(pool.get(str(served)))
    os.replace(served, aside)  # missing
    with pytest.raises(OSError):
        pool.get(str(served))
    served.write_bytes(os.urandom(65536))  # corrupt
    with pytest.raises((sqlite3.DatabaseError, geopackage.NotAGeoPackage)):
        pool.get(str(served))
    os.replace(aside, served)  # the original back: the same inode, size and time as before
    assert _count(pool.get(str(served))) == n  # not "Cannot operate on a closed database"


def test_a_connection_held_by_a_query_survives_the_file_being_replaced(tmp_path, atlas_gpkg_path):
    served = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    pool = geopackage.ReadOnlyConnections()
    held = pool.get(str(served))  # a query of this thread holds it...
    tmp = tmp_path / "new.gpkg"
    copy_atlas(atlas_gpkg_path, tmp)
    os.replace(tmp, served)  # ...when a rebuild replaces the file
    fresh = pool.get(str(served))
    assert fresh is not held
    assert _count(held) == _count(fresh)  # the held one still answers (closed when let go)
    assert pool.signature(str(served)) == geopackage.file_signature(served)


def test_a_fault_makes_every_pool_forget_the_connections_of_the_thread(tmp_path, atlas_gpkg_path):
    served = copy_atlas(atlas_gpkg_path, tmp_path / "atlas.gpkg")
    pool = geopackage.ReadOnlyConnections()
    con = pool.get(str(served))
    assert pool.get(str(served)) is con
    faults.forget_connections()  # what the server does after a request met a database that cannot answer
    assert pool.signature(str(served)) is None
    assert pool.get(str(served)) is not con


def test_unavailable_cause_tells_faults_from_bugs(tmp_path):
    ro = tmp_path / "ro.sqlite"
    sqlite3.connect(ro).execute("CREATE TABLE t (a)")
    con = sqlite3.connect(f"file:{ro}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError) as readonly:
        con.execute("INSERT INTO t VALUES (1)")
    assert faults.unavailable_cause(readonly.value)
    with pytest.raises(sqlite3.OperationalError) as syntax:
        con.execute("SELEC 1")
    assert not faults.unavailable_cause(syntax.value)
    assert faults.unavailable_cause(FileNotFoundError(2, "No such file or directory"))
    assert not faults.unavailable_cause(ValueError("bad input"))
