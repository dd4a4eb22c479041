"""The GeoPackage writer helpers (coopatlas.store.live_writer) on a small atlas made from the schema: rows with
their R-tree and keyword index kept right, a hot journal left by a killed writer rolled back, the
rebuild guard; and the embassy directory generated for every country."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap

import pytest
from shapely.geometry import Point

from coopatlas import schema as sch
from coopatlas.store import live_writer as g

ROOT = __import__("pathlib").Path(__file__).resolve().parents[2]


@pytest.fixture
def small(tmp_path):
    from support.sample_atlas import write_sample_atlas

    return write_sample_atlas(tmp_path / "small.gpkg", n=30)


def _rtree_matches(path, table):
    con = sqlite3.connect(path)
    try:
        rows = con.execute(f"SELECT COUNT(*) FROM {table} WHERE geom IS NOT NULL").fetchone()[0]
        tree = con.execute(f"SELECT COUNT(*) FROM rtree_{table}_geom").fetchone()[0]
        return rows == tree
    finally:
        con.close()


def test_upsert_and_delete_keep_the_rtree_and_the_extent(small):
    coll = sch.DEMANDES
    row = {f.name: None for f in coll.fields}
    row.update(
        id="BP-2030-00001",
        titre="Château d'eau",
        statut_validation="validee",
        pays_code="NZ",
        geometry=Point(178.5, -46.9),
    )
    with g.transaction(small) as con:
        g.upsert(con, coll, row, sch.DEMANDES_TABLE)
    assert _rtree_matches(small, sch.DEMANDES_TABLE)
    con = sqlite3.connect(small)
    env = con.execute(
        "SELECT minx, maxx, miny, maxy FROM rtree_bourse_demandes_geom r JOIN bourse_demandes t "
        "ON t.fid = r.id WHERE t.id = 'BP-2030-00001'"
    ).fetchone()
    assert env[0] == pytest.approx(178.5, abs=1e-4) and env[2] == pytest.approx(-46.9, abs=1e-4)
    ext = con.execute("SELECT max_x, min_y FROM gpkg_contents WHERE table_name = 'bourse_demandes'").fetchone()
    assert ext[0] >= 178.5 and ext[1] <= -46.9
    found = con.execute("SELECT id FROM demandes WHERE recherche LIKE '% chateau%'").fetchall()
    con.close()
    assert found == [("BP-2030-00001",)]
    row["geometry"] = Point(2.0, 47.0)
    with g.transaction(small) as con:
        g.upsert(con, coll, row, sch.DEMANDES_TABLE)  # moved: the R-tree follows
        assert con.execute(
            "SELECT minx FROM rtree_bourse_demandes_geom r JOIN bourse_demandes t ON t.fid = r.id "
            "WHERE t.id = 'BP-2030-00001'"
        ).fetchone()[0] == pytest.approx(2.0, abs=1e-4)
        assert g.delete(con, coll, "BP-2030-00001", sch.DEMANDES_TABLE)
    assert _rtree_matches(small, sch.DEMANDES_TABLE)


@pytest.mark.parametrize("triggers", [True, False], ids=["index-with-triggers", "index-without-triggers"])
def test_the_keyword_index_follows(small, triggers):
    from coopatlas.store.build_writer import keyword_index_sql

    con = sqlite3.connect(small)
    con.execute("DROP TABLE IF EXISTS fts_projets")
    for name in ("insert", "update", "delete"):
        con.execute(f'DROP TRIGGER IF EXISTS "projets_fts_{name}"')
    for stmt in keyword_index_sql("projets"):
        if triggers or "TRIGGER" not in stmt:
            con.execute(stmt)
    con.commit()
    con.close()
    with g.transaction(small) as con:
        assert g.update_fields(con, sch.PROJETS, "PRO-00003", {"titre": "Quetzalcoatl irrigation"})

    def match(word):
        c = sqlite3.connect(small)
        try:
            return [
                r[0]
                for r in c.execute(
                    "SELECT p.id FROM fts_projets f JOIN projets p ON p.fid = f.rowid WHERE fts_projets MATCH ?",
                    (f'"{word}"*',),
                )
            ]
        finally:
            c.close()

    assert match("quetzalcoatl") == ["PRO-00003"]
    with g.transaction(small) as con:
        g.update_fields(con, sch.PROJETS, "PRO-00003", {"titre": "Autre titre"})
    assert match("quetzalcoatl") == []
    assert match("autre") == ["PRO-00003"] or "PRO-00003" in match("autre")
    c = sqlite3.connect(small)
    c.execute("INSERT INTO fts_projets (fts_projets) VALUES ('integrity-check')")  # raises if the index is corrupt
    c.close()


def test_a_hot_journal_is_rolled_back(small):
    """A writer SIGKILLed mid-transaction leaves a hot journal that read-only readers cannot handle;
    recover() rolls it back (the server does it before serving)."""
    code = textwrap.dedent(f"""
        import os, signal, sqlite3
        from coopatlas.store import live_writer as g
        con = g.open_writer({str(small)!r})
        con.execute("PRAGMA cache_size = 5")
        con.execute("BEGIN IMMEDIATE")
        for i in range(3000):
            con.execute("UPDATE projets SET description = ? WHERE fid = ?", ("x" * 2000, i % 30 + 1))
            con.execute("INSERT INTO apd (id, montant) VALUES (?, 1.0)", (f"X{{i}}",))
        os.kill(os.getpid(), signal.SIGKILL)
    """)
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.returncode == -signal.SIGKILL
    assert g.journal_path(small).exists()
    ro = sqlite3.connect(f"file:{small}?mode=ro", uri=True)
    with pytest.raises(sqlite3.OperationalError):
        ro.execute("SELECT COUNT(*) FROM apd").fetchone()
    ro.close()
    assert g.recover(small) is True
    assert not g.journal_path(small).exists()
    con = sqlite3.connect(f"file:{small}?mode=ro", uri=True)
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert con.execute("SELECT COUNT(*) FROM apd WHERE id LIKE 'X%'").fetchone()[0] == 0
    con.close()
    assert g.recover(small) is False


def test_rebuild_guard(small, tmp_path):
    assert g.live_changes(small) == 0
    g.check_replaceable(small)  # a fresh build: nothing to lose
    with g.transaction(small) as con:
        g.set_marker(con, "base-1", 7)
    assert g.live_changes(small) == 7
    with pytest.raises(g.LiveChangesError, match="--force"):
        g.check_replaceable(small)
    new = tmp_path / "new.gpkg"
    new.write_bytes(small.read_bytes())
    with pytest.raises(g.LiveChangesError):
        g.replace_atlas(new, small)
    assert new.exists()
    # a stray WAL next to the file would be paired with the new file: refused even with --force
    wal = small.with_name(small.name + "-wal")
    wal.write_bytes(b"")
    with pytest.raises(g.LiveChangesError, match="WAL"):
        g.replace_atlas(new, small, force=True)
    wal.unlink()
    g.replace_atlas(new, small, force=True)
    assert not new.exists() and g.live_changes(small) == 7  # (the copy had the marker too)


def test_write_lock_waits_then_gives_up(small):
    with g.write_lock(small):
        assert g.is_locked(small)
        with pytest.raises(g.AtlasLockTimeout), g.write_lock(small, timeout=0.2):
            pass
    assert not g.is_locked(small)


def test_embassy_directory_is_up_to_date_and_covers_every_country():
    out = subprocess.run(
        [sys.executable, "datasets/build_ambassades.py", "--check"], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    from coopatlas.bourse.geo import Geography

    geo = Geography()
    assert set(geo.countries) <= set(geo.embassies)
    for e in geo.embassies.values():
        assert e.email.endswith("@ambafrance.example")
