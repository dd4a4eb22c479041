"""Smoke runs of the scripts of ``benchmarks/``: a fraction of a second per cell on a small sample atlas, to
keep them working (the numbers are not looked at; ``benchmarks/README.md`` has the real ones)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .sample_atlas import write_sample_atlas

ROOT = Path(__file__).resolve().parents[2]


def run_benchmark(script: str, folder: Path, *extra: str) -> subprocess.CompletedProcess:
    """``benchmarks/<script>`` on a 120-project sample atlas written into ``folder``, 0.3 s per cell, one
    round, two clients, one worker per server, its results into ``folder``."""
    gpkg = write_sample_atlas(folder / "sample.gpkg", n=120)
    command = [sys.executable, str(ROOT / "benchmarks" / script), "--gpkg", str(gpkg), "--duration", "0.3"]
    command += ["--warmup", "0", "--rounds", "1", "--clients", "2", "--workers", "1", "--results", str(folder)]
    return subprocess.run([*command, *extra], cwd=ROOT, capture_output=True, text=True, timeout=600)
