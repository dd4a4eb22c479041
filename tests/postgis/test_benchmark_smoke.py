"""benchmarks/features.py still runs: every backend and request, a fraction of a second each, on a sample
atlas (the numbers are not looked at; benchmarks/README.md has the real ones)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from support.benchmark_runs import run_benchmark

pytestmark = [pytest.mark.xdist_group("postgis"), pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
#: The requests timed on the prebuilt answer (a page of 100: any other request would get it too).
PREBUILT = {"landing", "page"}


def test_benchmark_script_runs(tmp_path):
    proc = run_benchmark("features.py", tmp_path, "--no-readme")
    assert proc.returncode == 0, proc.stderr[-3000:]
    result = json.loads((tmp_path / "features-x1.json").read_text())
    assert set(result["results"]) == {"landing", "page", "filtered", "bbox", "cql2", "q", "sorted", "deep", "item"}
    try:
        import osgeo.ogr  # noqa: F401

        backends = ("gpkg", "ogr", "prebuilt", "postgis")
    except ImportError:  # GDAL's Python bindings are optional (benchmark only)
        backends = ("gpkg", "prebuilt", "postgis")
    assert result["backends"] == list(backends)
    for endpoint, row in result["results"].items():
        for backend in backends:
            m = row[backend]
            if (endpoint == "cql2" and backend == "ogr") or (backend == "prebuilt" and endpoint not in PREBUILT):
                assert m is None  # the OGR provider ignores filter; the prebuilt answer is a page: not timed
                continue
            assert m["requests"] > 0 and m["errors"] == 0, (endpoint, backend, m)
    assert "| `/items/{id}` |" in proc.stdout
    assert "Page of 100 ÷ landing page" in proc.stdout


def test_the_provider_share_script_runs(tmp_path):
    """benchmarks/provider_share.py, in-process: the same page from the atlas's provider and from the
    prebuilt answer (it stops when they differ), a batch of each."""
    from support.sample_atlas import write_sample_atlas

    gpkg = write_sample_atlas(tmp_path / "sample.gpkg", n=120)
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "provider_share.py"), "--gpkg", str(gpkg), "--batches", "1"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "page, prebuilt answer" in proc.stdout
