"""Type-ahead on a line edit, fed by the server as the user types (communes, EPCI, partners).

The server is asked in the background (a :class:`~..core.tasks.CallTask`): typing never waits for it, and
an answer that arrives after the text changed again is dropped."""

from __future__ import annotations

from collections.abc import Callable

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QObject, QStringListModel, Qt, QTimer, pyqtSignal
from qgis.PyQt.QtWidgets import QCompleter, QLineEdit

from ..core.i18n import tr
from ..core.tasks import CallTask

#: ``query(text)``, called in the user interface thread (it may read the form): a function of a
#: :class:`~qgis.core.QgsFeedback` that asks the server, in a worker thread, for ``[(id, label)]``.
Query = Callable[[str], Callable[..., list[tuple[str, str]]]]


class ServerCompleter(QObject):
    """Suggestions under ``edit`` from ``query(text)``, asked ``delay_ms`` after the last key stroke once
    ``min_chars`` characters are typed. ``selected`` is the id of the chosen label (or of a typed label that
    matches one suggestion exactly); ``chosen(id, label)`` is emitted; ``failed(message)`` when the server
    cannot be asked."""

    chosen = pyqtSignal(str, str)
    failed = pyqtSignal(str)

    def __init__(self, edit: QLineEdit, query: Query, min_chars: int = 2, delay_ms: int = 250):
        super().__init__(edit)
        self.edit = edit
        self.query = query
        self.min_chars = min_chars
        self.ids: dict[str, str] = {}
        self.selected: str | None = None
        self.task: CallTask | None = None  # the request under way, if any
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
        """Ask the server, in the background, for the suggestions of the current text."""
        text = self.edit.text().strip()
        if len(text) < self.min_chars:
            return
        self._cancel()
        task = CallTask(self.query(text), tr("CoopAtlas: suggestions for “{text}”").format(text=text))
        task.done.connect(lambda pairs, t=task, asked=text: self._answered(t, asked, pairs))
        task.failed.connect(lambda message, t=task: self._failed(t, message))
        self.task = task
        QgsApplication.taskManager().addTask(task)

    def _cancel(self) -> None:
        task, self.task = self.task, None
        if task is not None:
            try:
                task.cancel()
            except RuntimeError:  # already finished and deleted by the task manager
                pass

    def _answered(self, task: CallTask, asked: str, pairs: list[tuple[str, str]]) -> None:
        if task is not self.task:  # a later request replaced it
            return
        self.task = None
        if self.edit.text().strip() != asked:  # typed on meanwhile: the next answer will come
            return
        self.ids = {}
        for fid, label in pairs:
            key = label if label not in self.ids else f"{label} ({fid})"
            self.ids[key] = fid
        self.model.setStringList(list(self.ids))
        self.selected = self.ids.get(self.edit.text())
        if self.ids and self.edit.hasFocus():
            self.completer.complete()

    def _failed(self, task: CallTask, message: str) -> None:
        if task is not self.task:  # cancelled for a later request
            return
        self.task = None
        self.failed.emit(message)

    def _activated(self, label: str) -> None:
        self.selected = self.ids.get(label)
        if self.selected:
            self.chosen.emit(self.selected, label)

    def choose(self, label: str) -> None:
        """Select ``label`` among the suggestions, as a click in the popup does."""
        self.edit.setText(label)
        self._activated(label)

    def clear(self) -> None:
        self.timer.stop()
        self._cancel()
        self.edit.clear()
        self.selected = None
