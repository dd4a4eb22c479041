"""Fault tests (``fault_helpers``): real servers (gunicorn, 2 workers) over real HTTP while their databases fail
and come back. Each test starts its own server on its own copy of the test atlas and its own live database."""

from __future__ import annotations

import sys
from pathlib import Path

HERE = str(Path(__file__).resolve().parent)
if HERE not in sys.path:
    sys.path.insert(0, HERE)
