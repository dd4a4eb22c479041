"""benchmarks/cluster.py still runs: two servers against one, a fraction of a second per cell, on a sample
atlas (the numbers are not looked at; benchmarks/README.md has the real ones)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.sample_atlas import write_sample_atlas

pytestmark = [pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def test_cluster_benchmark_runs(tmp_path):
    gpkg = write_sample_atlas(tmp_path / "sample.gpkg", n=120)
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "cluster.py"),
            "--gpkg",
            str(gpkg),
            "--duration",
            "0.3",
            "--warmup",
            "0",
            "--rounds",
            "1",
            "--clients",
            "2",
            "--workers",
            "1",
            "--results",
            str(tmp_path),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((tmp_path / "cluster.json").read_text())
    assert set(result["results"]) == {"landing", "page", "filtered", "item"}
    for row in result["results"].values():
        for setup in ("one", "two"):
            assert row[setup]["requests"] > 0 and row[setup]["errors"] == 0, row
    assert {"loadavg_1min_before", "loadavg_1min"} <= set(result["environment"])
    assert "| two / one |" in proc.stdout
