"""``benchmarks/maps.py`` keeps working: one turn, QGIS included when its Python is installed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.atlas import copy_atlas

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_maps_benchmark_runs(tmp_path, gpkg):
    gpkg = copy_atlas(gpkg, tmp_path / "atlas.gpkg")  # QGIS opens a GeoPackage for update, and writes into it
    out = tmp_path / "maps.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "maps.py"), "--runs", "1", "--no-readme", "--results", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        env={**__import__("os").environ, "COOPATLAS_GPKG": str(gpkg)},
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads(out.read_text(encoding="utf-8"))
    assert len(res["coopatlas"]["map_page"]) == 1 and res["coopatlas"]["sizes"]["pages"] >= 2
    if Path("/usr/bin/python3").exists():
        assert res["qgis"] and len(res["qgis"]["build_export"]) == 1
        assert (ROOT / "test-artefacts" / "benchmarks" / "qgis-BF.pdf").stat().st_size > 10_000
    assert "| CoopAtlas: map page, PDF (1 page) |" in proc.stdout
