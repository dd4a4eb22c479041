"""The published QML styles make the layers of the collections that live in time temporal in QGIS 3.22,
and QGIS's Temporal Controller then draws exactly the features active in its range.

Oracle: the rule of the schema (a project is active from its launch year to its end year, open-ended when
it has none; a request from its submission to its validation; a link as its project), written out
here on the rows of the atlas of the tests, against the features QGIS keeps with the committed QML
(``qgis_temporal.py``, run by Debian's QGIS Python) for fixed and random ranges of years.
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STYLES_DIR = ROOT / "styles"
SCRIPT = Path(__file__).with_name("qgis_temporal.py")
QGIS_PYTHON = "/usr/bin/python3"

#: The ranges of years asked for: fixed ones (a year, a decade, the ends of the data) and random ones.
FIXED_RANGES = [(1995, 1995), (2000, 2010), (1960, 1960), (2013, 2013), (2014, 2020)]
RANDOM_RANGES = [tuple(sorted(random.Random(seed).sample(range(1955, 2016), 2))) for seed in range(6)]
RANGES = FIXED_RANGES + RANDOM_RANGES

pytestmark = pytest.mark.xdist_group("styles-qgis")


def active(collection: str, row: tuple, first: int, last: int) -> bool:
    """The rule of the schema, written out (years are whole calendar years, ends included)."""
    if collection in ("projets", "liens"):
        start, end = row
        return start is not None and start <= last and (end is None or end >= first)
    if collection == "demandes":
        submitted, validated = row
        return (
            submitted is not None
            and submitted <= f"{last}-12-31"
            and (validated is None or validated >= f"{first}-01-01")
        )
    raise KeyError(collection)


TIME_COLUMNS = {
    "projets": "annee_lancement, annee_fin",
    "liens": "annee_lancement, annee_fin",
    "demandes": "date_depot, date_validation",
}


@pytest.fixture(scope="module")
def atlas_copy(tmp_path_factory, atlas_gpkg_path) -> Path:
    """A copy of the atlas of the tests (QGIS may write into a GeoPackage it opens)."""
    copy = tmp_path_factory.mktemp("temporal") / "atlas.gpkg"
    shutil.copyfile(atlas_gpkg_path, copy)
    return copy


@pytest.fixture(scope="module")
def oracle(atlas_copy) -> dict[str, list[set[str]]]:
    con = sqlite3.connect(f"file:{atlas_copy}?mode=ro", uri=True)
    try:
        out = {}
        for coll, columns in TIME_COLUMNS.items():
            rows = con.execute(f"SELECT id, {columns} FROM {coll}").fetchall()
            out[coll] = [{str(r[0]) for r in rows if active(coll, r[1:], a, b)} for a, b in RANGES]
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def qgis_answers(atlas_copy, tmp_path_factory) -> dict:
    spec = tmp_path_factory.mktemp("temporal-spec") / "cases.json"
    spec.write_text(
        json.dumps(
            {
                "gpkg": str(atlas_copy),
                "styles": str(STYLES_DIR),
                "cases": [{"collection": c, "ranges": RANGES} for c in TIME_COLUMNS],
            }
        ),
        encoding="utf-8",
    )
    proc = subprocess.run(
        [QGIS_PYTHON, str(SCRIPT), str(spec)],
        capture_output=True,
        text=True,
        timeout=600,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(spec.parent)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("collection", list(TIME_COLUMNS))
def test_published_qml_makes_the_layer_temporal(qgis_answers, collection):
    answer = qgis_answers[collection]
    assert answer["loaded"], answer["message"]
    assert answer["temporal"], f"{collection}: the layer is not temporal once its QML is loaded"
    assert answer["mode"] == 4  # start and end from expressions
    assert answer["start"] and answer["end"]


@pytest.mark.parametrize("collection", list(TIME_COLUMNS))
def test_temporal_controller_draws_the_features_active_in_its_range(qgis_answers, oracle, collection):
    for (first, last), kept, expected in zip(RANGES, qgis_answers[collection]["ranges"], oracle[collection]):
        kept = set(kept)
        assert kept == expected, (
            f"{collection} {first}–{last}: QGIS keeps {len(kept)}, the rule {len(expected)} "
            f"(extra {sorted(kept - expected)[:5]}, missing {sorted(expected - kept)[:5]})"
        )


def test_the_ranges_are_not_trivial(oracle):
    """The oracle is not empty where the data is, nor full: the test can fail."""
    projets = oracle["projets"]
    assert 0 < len(projets[RANGES.index((1995, 1995))]) < len(projets[RANGES.index((2000, 2010))])
    assert projets[RANGES.index((2014, 2020))], "open-ended projects are active after the last year of the data"
    assert oracle["demandes"][RANGES.index((2000, 2010))]
