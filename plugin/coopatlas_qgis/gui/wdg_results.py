"""The results panel: family toggles, the table of projects and requests, and the actions on them."""

from __future__ import annotations

from qgis.core import Qgis, QgsVectorLayer
from qgis.PyQt.QtCore import QSortFilterProxyModel, Qt
from qgis.PyQt.QtGui import QColor, QIcon, QPixmap
from qgis.PyQt.QtWidgets import QFileDialog, QWidget

from ..core.errors import AtlasError
from ..core.i18n import tr
from ..core.iati import export_iati
from ..core.paging import ServerRows
from ..core.result import filter_params
from ..core.results_model import ResultsModel, Row
from ..core.tiles import TILES, mode_text
from .common import form
from .dlg_export import COUNTRY_MAP, REPORT, ExportDialog, countries_of
from .dlg_fiche import FicheDialog
from .dlg_link import LinkDialog
from .dlg_stats import StatsDialog

FAMILY_BOXES = (
    ("chk_cooperation", "cooperation_decentralisee"),
    ("chk_actions", "action_exterieure"),
    ("chk_demandes", "demande_cooperation"),
)


class FamilyFilter(QSortFilterProxyModel):
    """Sorts the table and leaves out the rows of the families hidden by the toggles."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.hidden: set[str] = set()

    def set_hidden(self, family: str, hidden: bool) -> None:
        (self.hidden.add if hidden else self.hidden.discard)(family)
        self.invalidateFilter()

    def filterAcceptsRow(self, source_row, source_parent):  # noqa: N802 - Qt API
        rows = self.sourceModel().rows
        return source_row >= len(rows) or rows[source_row].family not in self.hidden


def counts_text(result) -> str:
    """The header of the results: how many records of each kind (``more than N`` for a lower bound)."""
    counts = result.counts

    def number(coll: str) -> str:
        n = counts.get(coll, 0)
        return tr("more than {n}").format(n=n) if coll in result.at_least else str(n)

    return tr("{p} projects, {d} requests, {c} French authorities, {a} partners").format(
        p=number("projets"), d=number("demandes"), c=number("collectivites"), a=number("partenaires")
    )


class ResultsWidget(QWidget, form("wdg_results")):
    def __init__(self, session, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.session = session
        self.model = ResultsModel(self)
        self.proxy = FamilyFilter(self)
        self.proxy.setSourceModel(self.model)
        self.table.setModel(self.proxy)
        self.dialog = None  # the last dialog opened (non-modal)
        for box, family in FAMILY_BOXES:
            getattr(self, box).toggled.connect(lambda on, f=family: self.show_family(f, on))
        self.table.doubleClicked.connect(lambda _i: self.open_fiche())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selection_changed())
        self.btn_fiche.clicked.connect(lambda: self.open_fiche())
        self.btn_contacts.clicked.connect(lambda: self.open_contacts())
        self.btn_stats.clicked.connect(lambda: self.open_stats())
        self.btn_pdf.clicked.connect(lambda: self.open_export(REPORT))
        self.btn_carte.clicked.connect(lambda: self.open_export(COUNTRY_MAP))
        self.btn_link.clicked.connect(lambda: self.open_link())
        self.btn_iati.clicked.connect(lambda: self.export_iati())
        self.iati_task = None
        self.model.loading.connect(self._page_loading)
        self.model.pageFailed.connect(lambda message: self.session.message.emit(message, int(Qgis.Warning)))
        session.searchFinished.connect(self.show_results)
        session.resultsCleared.connect(self.clear)
        self._enable(False)

    def clear(self):
        """No search shown any more (a new project, or the layers removed)."""
        self.model.clear()
        self.lbl_counts.clear()
        self._enable(False)

    def show_family(self, family: str, visible: bool):
        """Show or hide a family of records on the map and in the table."""
        self.session.set_family_visible(family, visible)
        self.proxy.set_hidden(family, not visible)

    def _enable(self, has_result: bool):
        for btn in (self.btn_stats, self.btn_pdf, self.btn_carte, self.btn_link, self.btn_iati):
            btn.setEnabled(has_result)
        for box, _ in FAMILY_BOXES:
            getattr(self, box).setEnabled(has_result)
        self._selection_changed()

    def show_results(self, loaded):
        """Fill the table with the projects and requests of ``loaded``; reset the toggles."""
        try:
            voc = self.session.vocabulary()
        except AtlasError:
            voc = None
        result = loaded.result
        tiled = [c for c in ResultsModel.COLLECTIONS if result.modes.get(c) == TILES]
        if tiled:  # vector tiles: the table reads the records from the server as the user scrolls
            self.model.set_server_rows(
                [
                    ServerRows(
                        self.session.client,
                        c,
                        filter_params(result.criteres, c) or {},
                        result.counts[c],
                        exact=c not in result.at_least,
                    )
                    for c in tiled
                ],
                voc,
                result.rows or [],
            )
            if self.model.canFetchMore():
                self.model.fetchMore()
        elif result.rows is not None:  # built by the search task
            self.model.set_rows(result.rows, voc)
        else:
            self.model.set_layers(loaded.layers, voc)
        self.table.resizeColumnsToContents()
        self.proxy.hidden.clear()
        self.proxy.invalidateFilter()
        for box, family in FAMILY_BOXES:
            chk = getattr(self, box)
            chk.blockSignals(True)
            chk.setChecked(True)
            chk.blockSignals(False)
            if voc is not None and voc.colour("type_action", family):
                pix = QPixmap(12, 12)
                pix.fill(QColor(voc.colour("type_action", family)))
                chk.setIcon(QIcon(pix))
        self.lbl_counts.setText(counts_text(result))
        if result.tiles_threshold is not None:
            filtered = any((result.tile_params.get(c) or {}).get("filter") for c in result.tile_params)
            self.lbl_mode.setText(mode_text(result.modes, result.matched, result.tiles_threshold, filtered))
        self._enable(True)
        self.btn_stats.setEnabled(loaded.result.stats is not None)

    def _page_loading(self, loading: bool) -> None:
        """Say that the next page of the table is on its way (read in the background)."""
        base = self.lbl_counts.text().split(" — ")[0]
        self.lbl_counts.setText(base + (" — " + tr("loading more results…") if loading else ""))

    def export_iati(self, path: str | None = None):
        """Export the current search's projects as an IATI activity file, saved at ``path`` (asked when
        not given); the task, or None when there is nothing to export or the user cancelled."""
        cur = self.session.current
        if cur is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export as IATI"), "iati-activities.xml", "IATI (*.xml)")
            if not path:
                return None
        self.btn_iati.setEnabled(False)
        task = export_iati(self.session, cur.result.search, path)
        self.iati_task = task
        task.done.connect(lambda saved: self._iati_finished(tr("IATI file saved: {path}").format(path=saved), True))
        task.failed.connect(lambda message: self._iati_finished(message, False))
        return task

    def _iati_finished(self, message: str, ok: bool) -> None:
        self.btn_iati.setEnabled(self.session.current is not None)
        self.session.message.emit(message, int(Qgis.Success if ok else Qgis.Warning))

    # --- the selected row -------------------------------------------------------------------------------
    def selected_row(self) -> Row | None:
        index = self.table.currentIndex()
        if not index.isValid():
            return None
        return self.proxy.data(index, Qt.UserRole)

    def select_row(self, row_number: int) -> None:
        """Select the ``row_number``-th row of the table as shown (sorted)."""
        self.table.selectRow(row_number)
        self.table.setCurrentIndex(self.proxy.index(row_number, 0))

    def _layer(self, collection: str):
        """The current search's layer of ``collection``, if it is still in the project."""
        cur = self.session.current
        layer = cur.layers.get(collection) if cur is not None else None
        # vector tiles have no features to select nor read: the sheets are fetched from the server
        return layer if isinstance(layer, QgsVectorLayer) and layer in self.session.layers() else None

    def _selection_changed(self):
        row = self.selected_row()
        self.btn_fiche.setEnabled(row is not None)
        self.btn_contacts.setEnabled(row is not None and row.collection == "projets")
        if row is not None:
            layer = self._layer(row.collection)
            if layer is not None:
                for other in (self._layer("projets"), self._layer("demandes")):
                    if other is not None and other is not layer:
                        other.removeSelection()
                if row.fid >= 0:
                    layer.selectByIds([row.fid])

    def open_fiche(self, row: Row | None = None):
        row = row or self.selected_row()
        if row is None:
            return None
        self.dialog = FicheDialog(self.session, row.collection, row.id, self)
        self.dialog.show()
        return self.dialog

    def open_contacts(self, row: Row | None = None):
        """The sheet of the French authority of the selected project, with its contacts."""
        row = row or self.selected_row()
        layer = self._layer("projets") if row is not None else None
        if row is None or layer is None:
            return None
        feat = layer.getFeature(row.fid)
        ident = feat["collectivite_id"] if layer.fields().indexOf("collectivite_id") >= 0 else None
        if not ident:
            return None
        self.dialog = FicheDialog(self.session, "collectivites", str(ident), self)
        self.dialog.show()
        return self.dialog

    def open_stats(self):
        cur = self.session.current
        if cur is None or cur.result.stats is None:
            return None
        self.dialog = StatsDialog(cur.result.stats, cur.result.description(self.session.lang), self)
        self.dialog.show()
        return self.dialog

    def open_export(self, mode: str):
        cur = self.session.current
        if cur is None:
            return None
        countries = countries_of(self.session, cur) if mode == COUNTRY_MAP else ()
        self.dialog = ExportDialog(
            self.session, cur.result.search, mode, cur.result.description(self.session.lang), countries, self
        )
        self.dialog.show()
        return self.dialog

    def open_link(self):
        cur = self.session.current
        if cur is None:
            return None
        self.dialog = LinkDialog(
            self.session.client, cur.result.search, cur.result.criteres, cur.result.description(self.session.lang), self
        )
        self.dialog.show()
        return self.dialog
