"""The Atlas's published figures that the tests assert against: the project's own copy,
``datasets/figures/*.csv`` (sources in ``datasets/figures/README.md``)."""

from __future__ import annotations

import csv
from pathlib import Path

FIGURES = Path(__file__).resolve().parents[2] / "datasets" / "figures"


def published_figures(name: str) -> list[dict]:
    """The rows of ``datasets/figures/<name>`` (e.g. ``seed_figures.csv``) as dictionaries."""
    with open(FIGURES / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))
