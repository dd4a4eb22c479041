"""What the importers share: reading typed values out of source rows, the registries of French
collectivities and foreign partners they create, and the geocoding report."""

from __future__ import annotations

import sys

from .geocoding_report import REPORT_FILE, report_csv, report_rows
from .registries import Collectivities, Partners
from .row_values import RowContext, parse_amount
from .sources import Problem


def progress_bar(iterable, total: int, desc: str, quiet: bool):
    """A tqdm progress bar on stderr for long loops (off when ``quiet`` or stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=" lignes",
        file=sys.stderr,
        leave=False,
        disable=True if quiet else None,
        mininterval=0.5,
    )


__all__ = [
    "RowContext",
    "Collectivities",
    "Partners",
    "report_rows",
    "report_csv",
    "REPORT_FILE",
    "Problem",
    "parse_amount",
    "progress_bar",
]
