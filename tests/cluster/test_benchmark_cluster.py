"""benchmarks/cluster.py still runs: two servers against one, a fraction of a second per cell, on a sample
atlas (the numbers are not looked at; benchmarks/README.md has the real ones)."""

from __future__ import annotations

import json

import pytest

from support.benchmark_runs import run_benchmark

pytestmark = [pytest.mark.slow]


def test_cluster_benchmark_runs(tmp_path):
    proc = run_benchmark("cluster.py", tmp_path)
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((tmp_path / "cluster.json").read_text())
    assert set(result["results"]) == {"landing", "page", "filtered", "item"}
    for row in result["results"].values():
        for setup in ("one", "two"):
            assert row[setup]["requests"] > 0 and row[setup]["errors"] == 0, row
    assert {"loadavg_1min_before", "loadavg_1min"} <= set(result["environment"])
    assert "| two / one |" in proc.stdout
