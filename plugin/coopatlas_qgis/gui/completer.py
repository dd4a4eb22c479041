"""Type-ahead on a line edit, fed by the server as the user types (communes, EPCI, partners)."""

from __future__ import annotations

from collections.abc import Callable

from qgis.PyQt.QtCore import QObject, QStringListModel, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QCompleter, QLineEdit

from ..core.errors import AtlasError


class ServerCompleter(QObject):
    """Suggestions under ``edit`` from ``fetch(text) -> [(id, label)]``, asked ``delay_ms`` after the last
    key stroke once ``min_chars`` characters are typed. ``selected`` is the id of the chosen label
    (or of a typed label that matches one suggestion exactly); ``chosen(id, label)`` is emitted."""

    chosen = pyqtSignal(str, str)
    failed = pyqtSignal(str)

    def __init__(
        self, edit: QLineEdit, fetch: Callable[[str], list[tuple[str, str]]], min_chars: int = 2, delay_ms: int = 250
    ):
        super().__init__(edit)
        self.edit = edit
        self.fetch = fetch
        self.min_chars = min_chars
        self.ids: dict[str, str] = {}
        self.selected: str | None = None
        self.model = QStringListModel(self)
        self.completer = QCompleter(self.model, edit)
        self.completer.setCaseSensitivity(Qt.CaseInsensitive)
        self.completer.setFilterMode(Qt.MatchContains)
        self.completer.setCompletionMode(QCompleter.PopupCompletion)
        edit.setCompleter(self.completer)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.refresh)
        edit.textEdited.connect(self._edited)
        self.completer.activated[str].connect(self._activated)

    def _edited(self, text: str) -> None:
        self.selected = self.ids.get(text)
        if len(text.strip()) >= self.min_chars:
            self.timer.start()

    def refresh(self) -> None:
        """Ask the server for the suggestions of the current text and show them."""
        text = self.edit.text().strip()
        if len(text) < self.min_chars:
            return
        try:
            pairs = self.fetch(text)
        except AtlasError as exc:
            self.failed.emit(str(exc))
            return
        self.ids = {}
        for fid, label in pairs:
            key = label if label not in self.ids else f"{label} ({fid})"
            self.ids[key] = fid
        self.model.setStringList(list(self.ids))
        self.selected = self.ids.get(self.edit.text())
        if self.ids and self.edit.hasFocus():
            self.completer.complete()

    def _activated(self, label: str) -> None:
        self.selected = self.ids.get(label)
        if self.selected:
            self.chosen.emit(self.selected, label)

    def choose(self, label: str) -> None:
        """Select ``label`` among the suggestions, as a click in the popup does."""
        self.edit.setText(label)
        self._activated(label)

    def clear(self) -> None:
        self.edit.clear()
        self.selected = None
