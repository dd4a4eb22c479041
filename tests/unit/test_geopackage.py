"""The GeoPackage format module (coopatlas.store.geopackage): blobs read back as written, by GDAL's rules
too; read-only connections that follow a rebuild; the Store reading a replaced file; the metadata."""

from __future__ import annotations

import os
import sqlite3
import struct
import sys
import threading
from pathlib import Path

import pytest
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon

from coopatlas.store import Store, geopackage
from coopatlas.store.faults import unavailable_cause

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for "support"
from support.sample_atlas import write_sample_atlas  # noqa: E402

GEOMETRIES = [
    Point(1.25, -3.5),
    LineString([(0, 0), (1, 1), (2, 0.5)]),
    Polygon([(0, 0), (4, 0), (4, 4), (0, 4), (0, 0)], [[(1, 1), (2, 1), (2, 2), (1, 1)]]),
    MultiPolygon(
        [Polygon([(10, 10), (11, 10), (11, 11), (10, 10)]), Polygon([(-5, -5), (-4, -5), (-4, -4), (-5, -5)])]
    ),
]


@pytest.mark.parametrize("geom", GEOMETRIES, ids=lambda g: g.geom_type)
def test_blobs_read_back_as_written(geom):
    blob = geopackage.encode_geometry(geom)
    assert blob[:2] == b"GP" and struct.unpack_from("<i", blob, 4)[0] == geopackage.SRS_ID
    assert geopackage.decode_geometry(blob).equals_exact(geom, 0)
    assert geopackage.decode_geometry(memoryview(blob)).equals_exact(geom, 0)  # as some drivers hand it over
    minx, miny, maxx, maxy = geom.bounds
    assert geopackage.blob_envelope(blob) == (minx, maxx, miny, maxy)
    assert geopackage.point_xy(blob) == ((geom.x, geom.y) if geom.geom_type == "Point" else None)
    assert list(geopackage.decode_geometries([blob, None])) == [geopackage.decode_geometry(blob), None]


def test_blobs_without_envelope_and_big_endian_are_read():
    # GeoPackage allows no envelope and big-endian headers and WKB (other writers than ours make them)
    point = Point(2.5, 48.75)
    big = b"GP" + bytes([0, 0b00000000]) + struct.pack(">i", 4326) + shapely.to_wkb(point, byte_order=0)
    assert geopackage.point_xy(big) == (2.5, 48.75)
    assert geopackage.decode_geometry(big).equals(point)
    assert geopackage.blob_envelope(big) == (2.5, 2.5, 48.75, 48.75)
    square = Polygon([(0, 0), (2, 0), (2, 3), (0, 3), (0, 0)])
    bare = b"GP" + bytes([0, 0b00000001]) + struct.pack("<i", 4326) + shapely.to_wkb(square, byte_order=1)
    assert geopackage.blob_envelope(bare) == (0.0, 2.0, 0.0, 3.0)


def test_empty_and_null_geometries():
    empty = geopackage.encode_geometry(Point())
    assert geopackage.is_empty(empty) and geopackage.blob_envelope(empty) is None
    assert geopackage.point_xy(empty) is None and geopackage.decode_geometry(empty).is_empty
    assert geopackage.encode_geometry(None) is None and geopackage.decode_geometry(None) is None
    with pytest.raises(ValueError, match="not a GeoPackage geometry blob"):
        geopackage.decode_geometry(shapely.to_wkb(Point(0, 0)))


def test_rtree_functions_follow_the_blob_header():
    con = sqlite3.connect(":memory:")
    geopackage.register_rtree_functions(con)
    blob = geopackage.encode_geometry(Polygon([(1, 2), (3, 2), (3, 5), (1, 2)]))
    row = con.execute(
        "SELECT ST_MinX(?), ST_MaxX(?), ST_MinY(?), ST_MaxY(?), ST_IsEmpty(?), ST_IsEmpty(?)",
        (blob, blob, blob, blob, blob, geopackage.encode_geometry(Point())),
    ).fetchone()
    assert row == (1.0, 3.0, 2.0, 5.0, 0, 1)


@pytest.fixture()
def two_atlases(tmp_path):
    """Two different sample atlases, and the path the server reads."""
    first = write_sample_atlas(tmp_path / "first.gpkg", n=12, seed=1)
    second = write_sample_atlas(tmp_path / "second.gpkg", n=30, seed=2)
    return first, second, tmp_path / "atlas.gpkg"


def test_connections_are_reopened_when_a_rebuild_replaces_the_file(two_atlases):
    first, second, served = two_atlases
    os.link(first, served)
    connections = geopackage.ReadOnlyConnections()
    con = connections.get(str(served))
    assert connections.get(str(served)) is con  # one connection per thread while the file is the same
    assert con.execute("SELECT COUNT(*) FROM projets").fetchone()[0] == 12
    os.replace(second, served)  # what coopatlas build does
    assert connections.get(str(served)).execute("SELECT COUNT(*) FROM projets").fetchone()[0] == 30
    other = []
    thread = threading.Thread(target=lambda: other.append(connections.get(str(served))))
    thread.start()
    thread.join()
    assert other[0] is not connections.get(str(served))  # another thread, another connection


def test_the_store_reads_the_rebuilt_file(two_atlases):
    first, second, served = two_atlases
    os.link(first, served)
    store = Store(served)
    assert store.scalar("SELECT COUNT(*) FROM projets") == 12
    os.replace(second, served)
    assert store.scalar("SELECT COUNT(*) FROM projets") == 30
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        store.rows("CREATE TABLE t (a)")


def test_readonly_connections_refuse_writes_and_other_files(tmp_path, two_atlases):
    first, _, _ = two_atlases
    con = geopackage.open_readonly(first)
    with pytest.raises(sqlite3.OperationalError):
        con.execute("DELETE FROM projets")
    con.close()
    plain = tmp_path / "plain.sqlite"
    sqlite3.connect(plain).execute("CREATE TABLE t (a)").connection.close()
    with pytest.raises(geopackage.NotAGeoPackage):
        geopackage.open_readonly(plain)
    with pytest.raises(FileNotFoundError, match="not found"):
        Store(tmp_path / "missing.gpkg").scalar("SELECT 1")


def test_metadata_is_read_back(tmp_path):
    path = write_sample_atlas(tmp_path / "atlas.gpkg", n=3)
    con = sqlite3.connect(path)
    with con:
        geopackage.write_metadata(con, {"synthetique": True, "notice_fr": "Données « synthétiques »"})
    con.close()
    assert geopackage.read_metadata(path) == {"synthetique": True, "notice_fr": "Données « synthétiques »"}


def test_atlas_metadata_is_empty_without_its_table_and_never_hides_a_failing_database(tmp_path):
    """No metadata table: no metadata (documents then say the origin is unknown). A database that cannot
    answer is an error, not "no metadata": a document would call demo data "of unknown origin"."""
    from coopatlas.documents.notices import atlas_metadata

    path = write_sample_atlas(tmp_path / "atlas.gpkg", n=3)
    con = sqlite3.connect(path)
    with con:
        con.execute(f"DROP TABLE IF EXISTS {geopackage.METADATA_TABLE}")
    con.close()
    assert atlas_metadata(Store(path)) == {}
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"not a database " * 512)
    with pytest.raises(Exception) as raised:
        atlas_metadata(Store(broken))
    assert unavailable_cause(raised.value) or isinstance(raised.value, geopackage.NotAGeoPackage)


def _memory_kib() -> dict[str, int]:
    lines = Path("/proc/self/status").read_text().splitlines()
    return {k: int(v.split()[0]) for k, _, v in (line.partition(":") for line in lines) if k in ("RssAnon", "RssFile")}


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the memory figures of Linux's /proc")
def test_threads_reading_a_large_file_keep_a_bounded_memory(tmp_path):
    """A worker reads the atlas with one connection per thread: what each connection keeps of the file is its
    bounded page cache (private), not a map of the file, whose pages would count in the worker's resident
    memory once per connection (issue 12: a worker of 16 threads at 4.7 GiB on the x100 atlas)."""
    path = tmp_path / "large.gpkg"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA application_id = {geopackage.APPLICATION_ID}")
    con.execute("CREATE TABLE t (b BLOB)")
    with con:  # 300,000 rows of 200 bytes: about 66 MB, more than the page cache of a connection
        con.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 300000) "
            "INSERT INTO t SELECT randomblob(200) FROM n"
        )
    con.close()
    size_kib = path.stat().st_size // 1024
    connections, threads = geopackage.ReadOnlyConnections(), 4
    before, after, sums = _memory_kib(), {}, []
    barrier = threading.Barrier(threads + 1)

    def read():
        sums.append(connections.get(str(path)).execute("SELECT sum(length(b)) FROM t").fetchone()[0])
        barrier.wait()  # every connection still open while the memory is read
        barrier.wait()
        connections.close()

    workers = [threading.Thread(target=read) for _ in range(threads)]
    for w in workers:
        w.start()
    barrier.wait()
    after = _memory_kib()
    barrier.wait()
    for w in workers:
        w.join()
    assert sums == [300000 * 200] * threads  # every thread read every row
    assert after["RssFile"] - before["RssFile"] < size_kib // 2  # no connection holds the file mapped
    bound = threads * (geopackage.CACHE_MIB + 4) * 1024  # each connection's page cache, and some slack
    assert after["RssAnon"] - before["RssAnon"] < bound
