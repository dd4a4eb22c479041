"""benchmarks/features.py still runs: every backend and request, a fraction of a second each, on a sample
atlas (the numbers are not looked at; benchmarks/README.md has the real ones)."""

from __future__ import annotations

import json

import pytest

from support.benchmark_runs import run_benchmark

pytestmark = [pytest.mark.xdist_group("postgis"), pytest.mark.slow]


def test_benchmark_script_runs(tmp_path):
    proc = run_benchmark("features.py", tmp_path, "--no-readme")
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
