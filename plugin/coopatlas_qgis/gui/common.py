"""Helpers shared by the widgets: forms, combo boxes filled from the server, messages."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt import uic
from qgis.PyQt.QtCore import Qt
from qgis.PyQt.QtWidgets import QApplication, QComboBox, QTableWidget, QTableWidgetItem

from ..core.i18n import tr

UI_DIR = Path(__file__).resolve().parent / "ui"


def form(name: str):
    """The form class of ``ui/<name>.ui`` (to mix into a widget class)."""
    return uic.loadUiType(str(UI_DIR / f"{name}.ui"))[0]


def fill_combo(combo: QComboBox, choices, empty: str | None = None, keep: bool = True) -> None:
    """Fill ``combo`` with ``(code, label)`` choices (code as item data), after an ``empty`` entry
    (data None) when given; the selected code is kept when still offered."""
    previous = combo.currentData() if keep else None
    combo.blockSignals(True)
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for code, label in choices:
        combo.addItem(str(label), code)
    if previous is not None:
        i = combo.findData(previous)
        if i >= 0:
            combo.setCurrentIndex(i)
    combo.blockSignals(False)


def fill_checkable(combo, choices) -> None:
    """Fill a ``QgsCheckableComboBox`` with ``(code, label)`` choices, keeping the checked codes."""
    checked = set(checked_codes(combo))
    combo.blockSignals(True)
    combo.clear()
    for code, label in choices:
        combo.addItem(str(label), code)
    for i in range(combo.count()):
        if combo.itemData(i) in checked:
            combo.setItemCheckState(i, Qt.Checked)
    combo.blockSignals(False)


def checked_codes(combo) -> list[str]:
    """Codes (item data) of the checked items of a ``QgsCheckableComboBox``, in list order."""
    return [combo.itemData(i) for i in range(combo.count()) if combo.itemCheckState(i) == Qt.Checked]


def set_checked_codes(combo, codes) -> None:
    codes = set(codes or ())
    for i in range(combo.count()):
        combo.setItemCheckState(i, Qt.Checked if combo.itemData(i) in codes else Qt.Unchecked)


def fill_table(widget: QTableWidget, table) -> None:
    """Show a :class:`~..core.stats.Table` in a ``QTableWidget`` (numbers right-aligned)."""
    widget.clear()
    widget.setColumnCount(len(table.headers))
    widget.setRowCount(len(table.rows))
    widget.setHorizontalHeaderLabels(table.headers)
    for r, row in enumerate(table.rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(format_value(value))
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                item.setTextAlignment(int(Qt.AlignRight | Qt.AlignVCenter))
                item.setData(Qt.UserRole, value)
            widget.setItem(r, c, item)
    widget.verticalHeader().setVisible(False)
    widget.resizeColumnsToContents()


def format_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if isinstance(value, float):
        return f"{value:,.1f}".replace(",", "\u202f") if abs(value) < 1000 else f"{value:,.0f}".replace(",", "\u202f")
    if isinstance(value, int):
        return f"{value:,}".replace(",", "\u202f") if abs(value) >= 10000 else str(value)
    return str(value)


def busy(func):
    """Decorator: show a wait cursor while ``func`` runs (short, blocking server calls)."""

    def wrapper(*args, **kwargs):
        QApplication.setOverrideCursor(Qt.WaitCursor)
        try:
            return func(*args, **kwargs)
        finally:
            QApplication.restoreOverrideCursor()

    wrapper.__name__ = func.__name__
    wrapper.__doc__ = func.__doc__
    return wrapper
