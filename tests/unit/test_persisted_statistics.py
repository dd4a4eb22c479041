"""The statistics of the standard searches are read from the reads persisted by the build, exactly.

``coopatlas build`` (the test atlas is built by it) stores the reads of the standard searches in the table
``coopatlas_reads`` (coopatlas.store.persisted_reads, coopatlas.stats_warm). Oracle: the statistics
computed by the SQL on a copy of the atlas without that table. Proof that the persisted level answers:
SQLite's trace of the statements the store's connection runs (no statement reads ``projets`` when every
read is found). After a live change of a table, its persisted reads no longer match (new version): its
SQL runs again and the figures are those of the changed data. Runs on private copies of the test atlas.
"""

from __future__ import annotations

import math
import re
import sqlite3
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyogrio
import pytest

from coopatlas import schema as sch
from coopatlas import stats, stats_warm
from coopatlas.criteria import Criteria
from coopatlas.store import Store, live_writer, persisted_reads
from coopatlas.store.cached_reads import cache

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for "support"
from support.atlas import copy_atlas, copy_without_reads

ROOT = Path(__file__).resolve().parents[2]
STANDARD = [
    {},
    {"pays": "BF"},
    {"continent": "afrique"},
    {"type_action": "cooperation_decentralisee,action_exterieure"},
]
#: a statement that reads a table of projects or requests (not the versions nor the persisted reads)
_READS = re.compile(r"\bFROM\s+(projets|demandes|bourse_demandes|apd)\b", re.IGNORECASE)


@pytest.fixture()
def warmed(atlas_gpkg_path, tmp_path) -> Path:
    return copy_atlas(atlas_gpkg_path, tmp_path / "warmed.gpkg")


def sql_figures(path: Path, criteria: Criteria, **kw) -> dict:
    store = Store(path)
    cache.clear()
    try:
        return stats.statistics(store, criteria, **kw)
    finally:
        store.close()


def traced(store: Store, criteria: Criteria, **kw) -> tuple[dict, list[str]]:
    """The statistics of ``criteria`` with an empty cache of the process, and the statements that read
    the large tables on the way."""
    seen: list[str] = []
    cache.clear()
    store.connection.set_trace_callback(seen.append)
    try:
        figures = stats.statistics(store, criteria, **kw)
    finally:
        store.connection.set_trace_callback(None)
    return figures, [s for s in seen if _READS.search(s)]


def test_the_build_persists_the_reads_of_the_standard_searches(atlas_gpkg_path):
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    n = con.execute(f"SELECT COUNT(*) FROM {persisted_reads.READS_TABLE}").fetchone()[0]
    registered = con.execute("SELECT COUNT(*) FROM gpkg_contents WHERE table_name LIKE 'coopatlas%'").fetchone()[0]
    con.close()
    assert n > 100 and registered == 0
    assert persisted_reads.READS_TABLE not in dict(pyogrio.list_layers(atlas_gpkg_path))  # not a layer


@pytest.mark.parametrize("params", STANDARD, ids=[str(p) for p in STANDARD])
def test_an_empty_cache_answers_from_the_persisted_reads(warmed, tmp_path, params):
    criteria = Criteria.from_params(params)
    store = Store(warmed)
    plain = copy_without_reads(warmed, tmp_path / "plain.gpkg")
    for kw in ({}, {"lang": "en"}):
        figures, reads = traced(store, criteria, **kw)
        assert reads == []  # no SQL on projects, requests nor APD: every read was found
        assert figures == sql_figures(plain, criteria, **kw)
    # and the trace sees them when the persisted level is absent (the proof above can fail)
    assert traced(Store(plain), criteria)[1]
    store.close()


def test_a_search_that_is_not_standard_runs_its_sql(warmed):
    store = Store(warmed)
    figures, reads = traced(store, Criteria.from_params({"thematique": "eau_assainissement"}))
    assert reads and figures["total_projets"] > 0
    store.close()


def test_after_a_change_of_projects_their_persisted_reads_are_not_used(warmed, tmp_path):
    criteria = Criteria.from_params({"pays": "BF"})
    store = Store(warmed)
    before, _ = traced(store, criteria)
    con = sqlite3.connect(warmed)
    pid = con.execute(
        "SELECT id FROM projets WHERE pays_code = 'BF' AND type_action = 'action_exterieure' LIMIT 1"
    ).fetchone()[0]
    con.close()
    with live_writer.transaction(warmed) as con:
        assert live_writer.update_fields(con, sch.PROJETS, pid, {"type_action": "cooperation_decentralisee"})
    after, reads = traced(store, criteria)
    assert any("projets" in s for s in reads)  # computed again
    assert after["projets_actions_exterieures"] == before["projets_actions_exterieures"] - 1
    assert after == sql_figures(copy_without_reads(warmed, tmp_path / "plain.gpkg"), criteria)
    store.close()


def test_after_a_bourse_request_the_projects_are_still_read_from_the_persisted_level(warmed, tmp_path):
    with live_writer.transaction(warmed) as con:
        row = live_writer.read_row(
            con,
            sch.DEMANDES,
            con.execute(f"SELECT id FROM {sch.DEMANDES_TABLE} ORDER BY id LIMIT 1").fetchone()[0],
            sch.DEMANDES_TABLE,
        )
        row.update(id="TEST-PERSIST-1", statut_validation="validee", pays_code="FJ", pays_nom="Fidji")
        live_writer.upsert(con, sch.DEMANDES, row, sch.DEMANDES_TABLE)
    store = Store(warmed)
    figures, reads = traced(store, Criteria())
    assert reads and not [s for s in reads if "projets" in s]  # only the requests' reads ran
    assert figures == sql_figures(copy_without_reads(warmed, tmp_path / "plain.gpkg"), Criteria())
    store.close()


def test_the_command_writes_the_reads_of_the_build(warmed, tmp_path):
    plain = copy_without_reads(warmed, tmp_path / "plain.gpkg")
    proc = subprocess.run(
        [sys.executable, "-m", "coopatlas", "statistiques-cache", "--gpkg", str(plain)],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    assert "lectures écrites" in proc.stderr  # its progress

    def entries(path):
        con = sqlite3.connect(path)
        out = dict(con.execute(f"SELECT key, rows_json FROM {persisted_reads.READS_TABLE}"))
        con.close()
        return out

    assert entries(plain) == entries(warmed)
    (tmp_path / "text.gpkg").write_text("not a database")
    for name, message in (("none.gpkg", "no atlas GeoPackage"), ("text.gpkg", "not a database")):
        bad = subprocess.run(
            [sys.executable, "-m", "coopatlas", "statistiques-cache", "--gpkg", str(tmp_path / name)],
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert bad.returncode == 1 and message in bad.stderr and "Traceback" not in bad.stderr, bad.stderr


def test_the_standard_searches_are_the_atlas_scopes(warmed):
    store = Store(warmed)
    labels = [label for label, _ in stats_warm.standard_searches(store)]
    countries = {r[0] for r in store.rows("SELECT pays_code FROM projets UNION SELECT pays_code FROM demandes")}
    store.close()
    assert labels[:2] == ["monde", "france"]
    assert {f"pays {c}" for c in countries if c} <= set(labels)
    assert "continent afrique" in labels and "sous_continent afrique_de_l_ouest" in labels


@pytest.mark.parametrize(
    "rows",
    [
        [(1, 2**70, -3)],
        [(0.1, 1e-300, -0.0, 1 / 3, float("inf"))],
        [("é", None, ""), ("x", "y", "z")],
        [(Decimal("12.30"), Decimal("-1E+3"), True)],
        [],
    ],
)
def test_values_read_back_exactly(rows):
    back = persisted_reads.decode_rows(persisted_reads.encode_rows(rows))
    assert back == rows
    assert [[(type(v), repr(v)) for v in r] for r in back] == [[(type(v), repr(v)) for v in r] for r in rows]


def test_a_value_that_would_not_read_back_is_not_persisted():
    assert persisted_reads.encode_rows([(b"\x00",)]) is None
    assert persisted_reads.key("SELECT 1", [b"x"], []) is None
    assert math.isnan(persisted_reads.decode_rows(persisted_reads.encode_rows([(float("nan"),)]))[0][0])
