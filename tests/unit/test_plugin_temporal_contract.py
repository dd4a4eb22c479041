"""The QGIS plugin's copy of the time of the collections is the server's: the temporal expressions the
plugin gives a results layer whose style has none (``plugin/coopatlas_qgis/core/temporal.py``, which needs
QGIS and is read here as text) are those of the published QML styles, for every collection that lives in
time and is drawn."""

from __future__ import annotations

import ast
from pathlib import Path

from coopatlas import schema
from coopatlas.styles import STYLES, temporal

MODULE = Path(__file__).resolve().parents[2] / "plugin" / "coopatlas_qgis" / "core" / "temporal.py"


def plugin_table() -> dict:
    tree = ast.parse(MODULE.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", None) == "TEMPORAL":
            return ast.literal_eval(node.value)
    raise AssertionError(f"no TEMPORAL table in {MODULE}")


def test_plugin_temporal_expressions_are_the_styles():
    published = {cid: (exprs.start, exprs.end) for cid in STYLES if (exprs := temporal.expressions(cid)) is not None}
    assert set(published) == {cid for cid, c in schema.COLLECTIONS.items() if c.time and c.geometry}
    assert plugin_table() == published
