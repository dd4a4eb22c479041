"""The results table: one row per project or cooperation request of the current search (a Qt model,
shown by a ``QTableView``)."""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsApplication, QgsVectorLayer
from qgis.PyQt.QtCore import QAbstractTableModel, QModelIndex, Qt, pyqtSignal
from qgis.PyQt.QtGui import QColor

from .i18n import tr
from .paging import PageTask
from .vocabulary import Vocabulary


@dataclass
class Row:
    collection: str  # "projets" or "demandes"
    id: str
    fid: int  # feature id in the layer
    values: list
    family: str = ""  # type_action code


def columns() -> list[tuple[str, str]]:
    """(key, header) of the table's columns."""
    return [
        ("type_action", tr("Type")),
        ("titre", tr("Title")),
        ("collectivite_nom", tr("French local authority")),
        ("partenaire_nom", tr("Partner authority")),
        ("pays_nom", tr("Country")),
        ("thematique", tr("Theme")),
        ("statut", tr("Status")),
        ("annee_lancement", tr("Start year")),
        ("id", tr("Identifier")),
    ]


COLLECTIONS = ("projets", "demandes")


def _cell(coll: str, key: str, attrs: dict, vocabulary: Vocabulary | None):
    if key == "type_action" and coll == "demandes" and not attrs.get("type_action"):
        value = "demande_cooperation"
    elif key == "partenaire_nom" and coll == "demandes":
        value = attrs.get("demandeur_nom")
    elif key == "collectivite_nom" and coll == "demandes":
        value = ""
    else:
        value = attrs.get(key)
    if value is None or (hasattr(value, "isNull") and value.isNull()):
        return ""
    if key in ("type_action", "statut", "thematique"):
        lib = attrs.get(f"{key}_libelle")
        if lib and not (hasattr(lib, "isNull") and lib.isNull()):
            return str(lib)
        if vocabulary is not None:
            return vocabulary.label(key, str(value))
    return value


def build_rows(layers: dict[str, QgsVectorLayer], vocabulary: Vocabulary | None = None) -> list[Row]:
    """The table's rows: the features of the ``projets`` then ``demandes`` layers (any thread that may
    read the layers: a search task builds them before handing its layers over)."""
    cols = [key for key, _ in columns()]
    rows = []
    for coll in COLLECTIONS:
        layer = layers.get(coll)
        if not isinstance(layer, QgsVectorLayer):  # none, or vector tiles (rows read from the server)
            continue
        names = layer.fields().names()
        for feat in layer.getFeatures():
            attrs = dict(zip(names, feat.attributes()))
            values = [_cell(coll, key, attrs, vocabulary) for key in cols]
            family = attrs.get("type_action") or ("demande_cooperation" if coll == "demandes" else "")
            rows.append(Row(coll, str(attrs.get("id")), feat.id(), values, str(family)))
    return rows


class ResultsModel(QAbstractTableModel):
    """Rows of the ``projets`` and ``demandes`` layers; ``Qt.UserRole`` of any cell is the Row.

    Signals of the rows read from the server (a search shown as vector tiles): ``loading(bool)`` while a
    page is read in the background, ``pageFailed(str)`` when it could not be."""

    COLLECTIONS = COLLECTIONS
    loading = pyqtSignal(bool)
    pageFailed = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.rows: list[Row] = []
        self.cols = columns()
        self.vocabulary: Vocabulary | None = None
        self.sources: list = []
        self.pending: PageTask | None = None  # the page being read (one at a time)

    def set_rows(self, rows: list[Row], vocabulary: Vocabulary | None = None) -> None:
        self.beginResetModel()
        self.vocabulary = vocabulary
        self.rows = list(rows)
        self.endResetModel()

    def set_layers(self, layers: dict[str, QgsVectorLayer], vocabulary: Vocabulary | None = None) -> None:
        self.sources, self.pending = [], None
        self.set_rows(build_rows(layers, vocabulary), vocabulary)

    def clear(self) -> None:
        self.set_layers({})

    # --- rows read from the server page by page (a search shown as vector tiles) -------------------------
    def set_server_rows(self, sources: list, vocabulary: Vocabulary | None = None, rows=()) -> None:
        """``rows``, then rows read from ``sources`` (:class:`~.paging.ServerRows`) as the view asks for
        more, each page in a :class:`~.paging.PageTask` (the view never waits for the network)."""
        self.beginResetModel()
        self.vocabulary = vocabulary
        self.rows = list(rows)
        self.sources = list(sources)
        self.pending = None
        self.endResetModel()

    def canFetchMore(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return not parent.isValid() and self.pending is None and any(src.can_fetch() for src in self.sources)

    def fetchMore(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        """Start reading the next page in the background; its rows are added when it arrives."""
        source = next((src for src in self.sources if src.can_fetch()), None)
        if parent.isValid() or source is None or self.pending is not None:
            return
        task = PageTask(source)
        self.pending = task
        task.done.connect(lambda records, t=task: self._page_read(t, records))
        task.failed.connect(lambda message, t=task: self._page_failed(t, message))
        self.loading.emit(True)
        QgsApplication.taskManager().addTask(task)

    def _page_failed(self, task: PageTask, message: str) -> None:
        if task is not self.pending:  # a page of a search replaced meanwhile
            return
        self.pending = None
        self.loading.emit(False)
        self.pageFailed.emit(message)

    def _page_read(self, task: PageTask, records: list[dict]) -> None:
        if task is not self.pending or task.source not in self.sources:
            return
        self.pending = None
        self.loading.emit(False)
        self.append_records(task.source, records)

    def append_records(self, source, records: list[dict]) -> None:
        """Add the rows of ``records`` of ``source`` at the end of the table."""
        cols = [key for key, _ in self.cols]
        if not records:
            return
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(records) - 1)
        for attrs in records:
            family = attrs.get("type_action") or ("demande_cooperation" if source.collection == "demandes" else "")
            self.rows.append(
                Row(
                    source.collection,
                    str(attrs.get("id")),
                    -1,
                    [_cell(source.collection, key, attrs, self.vocabulary) for key in cols],
                    str(family),
                )
            )
        self.endInsertRows()

    # --- Qt model ---------------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()):  # noqa: N802 - Qt API
        return 0 if parent.isValid() else len(self.cols)

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if role in (Qt.DisplayRole, Qt.ToolTipRole):
            value = row.values[index.column()]
            return "" if value is None else str(value) if role == Qt.ToolTipRole else value
        if role == Qt.UserRole:
            return row
        if role == Qt.DecorationRole and index.column() == 0 and self.vocabulary is not None:
            colour = self.vocabulary.colour("type_action", row.family)
            if colour:
                return QColor(colour)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # noqa: N802 - Qt API
        if role == Qt.DisplayRole and orientation == Qt.Horizontal:
            return self.cols[section][1]
        return None
