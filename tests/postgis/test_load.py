"""The PostGIS load (coopatlas postgis): every value carried, the layout of the schema, atomic replacement."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from coopatlas import schema as sch
from coopatlas.store import postgis
from coopatlas.store.geopackage import search_text
from coopatlas.vocabulary import STATUTS_VALIDATION_PUBLICS
from support.postgis import query
from support.sample_atlas import sample_tables, write_sample_atlas

pytestmark = pytest.mark.xdist_group("postgis")
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def sample_gpkg(tmp_path_factory) -> Path:
    path = write_sample_atlas(tmp_path_factory.mktemp("sample") / "sample.gpkg", n=60)
    with sqlite3.connect(path) as con:  # the atlas build writes no empty text, another writer may
        con.execute("UPDATE projets SET titre = '' WHERE fid = 20")
    return path


@pytest.fixture(scope="module")
def loaded_sample(postgis_cluster, sample_gpkg) -> str:
    url = postgis_cluster.create_database("sample_loaded")
    postgis.load(sample_gpkg, url)
    return url


def _gpkg_geometry(blob):
    from coopatlas.store.geopackage import decode_geometry

    return decode_geometry(blob)


@pytest.mark.parametrize("table,coll", postgis.stored_tables(), ids=[t for t, _ in postgis.stored_tables()])
def test_every_value_is_carried_unchanged(loaded_sample, sample_gpkg, table, coll):
    cols = [f.name for f in coll.fields]
    lite = sqlite3.connect(sample_gpkg)
    geom = ', "geom"' if coll.geometry else ""
    src = lite.execute(
        f'SELECT "fid"{geom}, {", ".join(cols)}, '
        f'{"recherche" if postgis._searchable(coll) else "NULL"} FROM "{table}" ORDER BY fid'
    ).fetchall()
    lite.close()
    pgeom = ", ST_AsBinary(geom)" if coll.geometry else ""
    dst = query(
        loaded_sample,
        f"SELECT fid{pgeom}, {', '.join(cols)}, "
        f'{"recherche" if postgis._searchable(coll) else "NULL"} FROM atlas."{table}" '
        "ORDER BY fid",
    )
    assert len(dst) == len(src) == 60
    types = [f.type for f in coll.fields]
    for s, d in zip(src, dst):
        assert s[0] == d[0]
        i = 1
        if coll.geometry:
            gs, gd = _gpkg_geometry(s[1]), (None if d[1] is None else shapely.from_wkb(bytes(d[1])))
            assert (gs is None) == (gd is None)
            if gs is not None:
                assert shapely.equals_exact(gs, gd, tolerance=0), (gs.wkt, gd.wkt)
            i = 2
        for t, vs, vd in zip(types, s[i:-1], d[i:-1]):
            if vs is None:
                assert vd is None
            elif t == sch.BOOLEAN:
                assert vd is bool(vs)
            elif t == sch.DATE:
                assert vd.isoformat() == vs
            else:
                assert vd == vs and type(vd) is type(vs)
        assert s[-1] == d[-1]


def test_text_awkward_values_survive(loaded_sample):
    text_cols = [f.name for f in sch.PROJETS.fields if f.type == sch.TEXT]
    got = {v for r in query(loaded_sample, f"SELECT {', '.join(text_cols)} FROM atlas.projets") for v in r}
    assert "Tabulation\tet\nretour à la ligne\r\nWindows" in got
    assert "Barre oblique inverse \\N et \\\\ et \\t" in got
    assert "" in got and None in got  # an empty string is not a NULL


def test_layout_follows_the_schema(loaded_sample):
    for table, coll in postgis.stored_tables():
        cols = dict(
            query(
                loaded_sample,
                """
            SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'atlas' AND c.relname = %s AND a.attnum > 0 AND NOT a.attisdropped""",
                (table,),
            )
        )
        expected = {"fid": "integer", **{f.name: sch.PG_TYPES[f.type] for f in coll.fields}}
        if coll.geometry:
            name = {"POINT": "Point", "MULTIPOLYGON": "MultiPolygon", "MULTILINESTRING": "MultiLineString"}
            expected["geom"] = f"geometry({name[coll.geometry]},4326)"
        if postgis._searchable(coll):
            expected["recherche"] = "text"
        assert cols == expected, table
        pk = query(
            loaded_sample,
            """
            SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid
              AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary""",
            (f"atlas.{table}",),
        )
        assert pk == [("id",)]
        indexes = dict(
            query(
                loaded_sample,
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'atlas' AND tablename = %s",
                (table,),
            )
        )
        defs = " | ".join(indexes.values())
        if coll.geometry:
            assert "USING gist (geom)" in defs
        for f in coll.fields:
            if f.indexed:
                assert f"USING btree ({f.name})" in defs, (table, f.name)
        assert "UNIQUE INDEX" in defs and "(fid)" in defs
        if postgis._searchable(coll):
            assert "USING gin (recherche" in defs


def test_text_sorts_as_in_the_geopackage(loaded_sample, sample_gpkg):
    """Text columns use the C collation: the order of SQLite (UTF-8 bytes), whatever the database locale."""
    lite = sqlite3.connect(sample_gpkg)
    src = [r[0] for r in lite.execute("SELECT titre FROM projets WHERE titre IS NOT NULL ORDER BY titre, id")]
    lite.close()
    dst = [
        r[0] for r in query(loaded_sample, "SELECT titre FROM atlas.projets WHERE titre IS NOT NULL ORDER BY titre, id")
    ]
    assert dst == src


def test_demandes_view_publishes_validated_requests_only(loaded_sample):
    statuses = {r[0] for r in query(loaded_sample, "SELECT DISTINCT statut_validation FROM atlas.demandes")}
    assert statuses == set(STATUTS_VALIDATION_PUBLICS)
    everything = sample_tables(60)[sch.DEMANDES_TABLE]
    public = sorted(r["id"] for r in everything if r["statut_validation"] in STATUTS_VALIDATION_PUBLICS)
    assert [r[0] for r in query(loaded_sample, "SELECT id FROM atlas.demandes ORDER BY id")] == public
    assert query(loaded_sample, "SELECT relkind FROM pg_class WHERE oid = 'atlas.demandes'::regclass") == [("v",)]
    assert query(loaded_sample, "SELECT count(*) FROM atlas.bourse_demandes") == [(60,)]


def test_recherche_is_the_normalised_search_text(loaded_sample):
    rows = {r["id"]: search_text(sch.PROJETS, r) for r in sample_tables(60)["projets"]}
    got = dict(query(loaded_sample, "SELECT id, recherche FROM atlas.projets"))
    assert got == rows


def test_a_failed_load_leaves_the_previous_atlas_untouched(postgis_cluster, sample_gpkg, tmp_path):
    url = postgis_cluster.create_database("atomic")
    postgis.load(sample_gpkg, url)
    broken = tmp_path / "broken.gpkg"
    shutil.copy(sample_gpkg, broken)
    lite = sqlite3.connect(broken)
    # the last table loaded (cofinancements) gets a text in an integer column: the failure comes late
    lite.execute("UPDATE cofinancements SET annee = 'deux mille' WHERE fid = 2")
    lite.execute("DELETE FROM projets WHERE fid > 10")
    lite.commit()
    lite.close()
    with pytest.raises(postgis.LoadError, match=r"cofinancements.*nothing was changed"):
        postgis.load(broken, url)
    assert query(url, "SELECT count(*) FROM atlas.projets") == [(60,)]
    assert query(url, "SELECT count(*) FROM atlas.cofinancements") == [(60,)]
    schemas = {r[0] for r in query(url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'atlas%'")}
    assert schemas == {"atlas"}


def test_a_new_load_replaces_the_previous_one(postgis_cluster, sample_gpkg, tmp_path):
    url = postgis_cluster.create_database("reload")
    postgis.load(sample_gpkg, url)
    smaller = write_sample_atlas(tmp_path / "smaller.gpkg", n=25, seed=99)
    counts = postgis.load(smaller, url)
    assert set(counts.values()) == {25}
    assert query(url, "SELECT count(*) FROM atlas.projets") == [(25,)]
    schemas = {r[0] for r in query(url, "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'atlas%'")}
    assert schemas == {"atlas"}


def test_a_database_without_postgis_gets_it_or_a_clear_error(postgis_cluster, sample_gpkg):
    url = postgis_cluster.create_database("nopostgis", postgis=False)
    postgis.load(sample_gpkg, url)  # the superuser may create the extension
    assert query(url, "SELECT count(*) FROM atlas.pays") == [(60,)]
    postgis_cluster.execute("CREATE ROLE lambda LOGIN")
    postgis_cluster.execute('CREATE DATABASE "lambda_db" OWNER lambda')
    lambda_url = postgis_cluster.url("lambda_db").replace("postgres@", "lambda@")
    with pytest.raises(postgis.LoadError, match="PostGIS extension"):
        postgis.load(sample_gpkg, lambda_url)


def _cli(*args):
    env = {"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}
    return subprocess.run(
        [sys.executable, "-m", "coopatlas", "postgis", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
    )


def test_cli_loads_and_reports(postgis_cluster, sample_gpkg):
    url = postgis_cluster.create_database("cli")
    proc = _cli("--gpkg", str(sample_gpkg), "--url", url, "--quiet")
    assert proc.returncode == 0, proc.stderr
    assert "projets\t60" in proc.stdout and "bourse_demandes\t60" in proc.stdout
    assert query(url, "SELECT count(*) FROM atlas.liens") == [(60,)]


def test_cli_errors_are_clear(postgis_cluster, sample_gpkg, tmp_path):
    proc = _cli("--gpkg", str(tmp_path / "missing.gpkg"), "--url", postgis_cluster.url("postgres"))
    assert proc.returncode == 1 and "no GeoPackage at" in proc.stderr and "Traceback" not in proc.stderr
    from support.postgis import free_port

    proc = _cli("--gpkg", str(sample_gpkg), "--url", f"postgresql://postgres:secret@127.0.0.1:{free_port()}/x")
    assert proc.returncode == 1 and "cannot connect" in proc.stderr and "secret" not in proc.stderr
    proc = _cli("--gpkg", str(sample_gpkg), "--url", "mysql://u@h/db")
    assert proc.returncode == 1 and "not a PostgreSQL URL" in proc.stderr
    proc = _cli("--gpkg", str(sample_gpkg))
    assert proc.returncode == 2 and "--url is required" in proc.stderr


def test_the_built_atlas_loads_completely(postgis_url, atlas_gpkg_path):
    lite = sqlite3.connect(atlas_gpkg_path)
    for table, _ in postgis.stored_tables():
        n = lite.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        assert query(postgis_url, f'SELECT count(*) FROM atlas."{table}"') == [(n,)], table
    n = lite.execute('SELECT count(*) FROM "demandes"').fetchone()[0]
    assert query(postgis_url, 'SELECT count(*) FROM atlas."demandes"') == [(n,)]
    lite.close()


def test_the_atlas_tables_are_found_unqualified(loaded_sample):
    """The database's default search_path leads to the atlas (psql, QGIS and the store query ``projets``)."""
    assert query(loaded_sample, "SELECT count(*) FROM projets") == [(60,)]
    assert query(loaded_sample, "SELECT count(*) FROM demandes") == query(
        loaded_sample, "SELECT count(*) FROM atlas.demandes"
    )
    assert query(loaded_sample, "SELECT ST_SRID(geom) FROM pays LIMIT 1") == [(4326,)]


def test_loaded_tables_need_no_vacuum(loaded_sample):
    """COPY FREEZE: every page all-visible, so counts (numberMatched) are index-only scans."""
    rows = query(
        loaded_sample,
        """SELECT c.relname, c.relpages, c.relallvisible FROM pg_class c
        JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'atlas' AND c.relkind = 'r'
        AND c.relname NOT IN ('coopatlas_metadata', 'coopatlas_versions')""",
    )  # the metadata and the tables' versions: a few rows each, not collections
    assert len(rows) == 10
    for name, pages, visible in rows:
        assert pages > 0 and visible == pages, name
