"""benchmarks/features.py still runs: every backend and request, a fraction of a second each, on a sample
atlas (the numbers are not looked at; benchmarks/README.md has the real ones)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.sample_atlas import write_sample_atlas

pytestmark = [pytest.mark.xdist_group("postgis"), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]


def test_benchmark_script_runs(tmp_path):
    gpkg = write_sample_atlas(tmp_path / "sample.gpkg", n=120)
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "features.py"),
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
            "--no-readme",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((tmp_path / "features-x1.json").read_text())
    assert set(result["results"]) == {"landing", "page", "filtered", "bbox", "cql2", "q", "sorted", "deep", "item"}
    try:
        import osgeo.ogr  # noqa: F401

        backends = ("gpkg", "ogr", "postgis")
    except ImportError:  # GDAL's Python bindings are optional (benchmark only)
        backends = ("gpkg", "postgis")
    assert result["backends"] == list(backends)
    for endpoint, row in result["results"].items():
        for backend in backends:
            m = row[backend]
            if endpoint == "cql2" and backend == "ogr":
                assert m is None  # the OGR provider ignores filter: not timed
                continue
            assert m["requests"] > 0 and m["errors"] == 0, (endpoint, backend, m)
    assert "| `/items/{id}` |" in proc.stdout
