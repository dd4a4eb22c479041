"""The formats of a statistical answer of ``statistiques`` (its panels, its series per year): JSON with the
scope and the data notice, CSV, a chart (PNG, SVG), a PDF; the one choice between them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from coopatlas.documents.figures import render

from ._common import MEDIA_TYPES

FORMATS = ("json", "csv", "png", "svg", "pdf")
#: What makes one format of the answer (called only when that format is asked for).
Make = Callable[[], Any]


def in_format(values: dict, result: dict, notice: dict, csv: Make, chart: Make, pdf: Make, dpi: int) -> tuple[str, Any]:
    """``(media type, content)`` of ``result`` in the ``format`` of the process's ``values``: the JSON
    ``result`` with the scope asked for (``portee``) and the data ``notice`` (``donnees``), else what
    ``csv()``, ``chart()`` (rendered at ``dpi``) or ``pdf()`` makes: only the one asked for is made."""
    fmt = values["format"]
    if fmt == "json":
        result["portee"] = values.get("portee")
        result["donnees"] = notice
        return MEDIA_TYPES["json"], result
    if fmt == "csv":
        return MEDIA_TYPES["csv"], csv()
    if fmt in ("png", "svg"):
        return MEDIA_TYPES[fmt], render(chart(), fmt, dpi=dpi)
    return MEDIA_TYPES["pdf"], pdf()
