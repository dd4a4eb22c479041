"""A bounded schemathesis run over the served OpenAPI document: no request may get a 5xx answer."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

#: Examples per operation and time budget of the run (seconds): about 2 minutes on 2 cores.
MAX_EXAMPLES = 6
MAX_TIME = 110


@pytest.mark.slow
def test_schemathesis_finds_no_server_error(atlas_server, tmp_path):
    st = shutil.which("schemathesis", path=str(Path(sys.executable).parent)) or shutil.which("schemathesis")
    assert st, "schemathesis is not installed (pip install -e '.[test]')"
    cmd = [
        st,
        "run",
        f"{atlas_server.url}/openapi?f=json",
        "--checks",
        "not_a_server_error",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--max-time",
        str(MAX_TIME),
        "--workers",
        "2",
        "--seed",
        "20130630",
        "--request-timeout",
        "60",
        "--phases",
        "examples,coverage,fuzzing",
        "--no-shrink",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
        "--wait-for-schema",
        "30",
    ]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=MAX_TIME + 120, cwd=tmp_path, check=False)
    out = proc.stdout + proc.stderr
    failures = [line for line in out.splitlines() if "curl -X" in line]
    assert proc.returncode == 0 and "ST101" not in out, (
        "server errors found:\n" + "\n".join(failures[:30]) + "\n\n" + out[-4000:]
    )
