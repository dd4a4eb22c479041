"""The search panel's "saved searches" tab: the list of the searches kept in the QGIS settings, and
saving the last search run, running or deleting the chosen one."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QInputDialog, QMessageBox

from ..core.i18n import tr
from ..core.settings import SavedSearches


class SavedSearchesTab:
    """Wires the tab's widgets of ``panel`` (a :class:`~.wdg_search.SearchWidget`): ``lw_saved`` and the
    ``btn_saved_*`` buttons. A search run is shown in the advanced form when its lists are loaded."""

    def __init__(self, panel, saved: SavedSearches | None = None):
        self.panel = panel
        self.saved = saved or SavedSearches()
        panel.btn_saved_run.clicked.connect(self.run_selected)
        panel.btn_saved_delete.clicked.connect(self.delete_selected)
        panel.btn_saved_save.clicked.connect(lambda: self.save_current())
        panel.lw_saved.itemDoubleClicked.connect(lambda _item: self.run_selected())
        self.refresh()

    def refresh(self):
        self.panel.lw_saved.clear()
        self.panel.lw_saved.addItems(self.saved.names())

    def save_current(self, name: str | None = None) -> str | None:
        """Save the last search run under ``name`` (asked to the user when not given)."""
        if name is None:
            name, ok = QInputDialog.getText(self.panel, tr("Save the search"), tr("Name of the search:"))
            if not ok:
                return None
        if not name.strip():
            return None
        self.saved.save(name, self.panel.session.search)
        self.refresh()
        return name.strip()

    def selected(self) -> str | None:
        item = self.panel.lw_saved.currentItem()
        return item.text() if item else None

    def run_selected(self):
        name = self.selected()
        if not name:
            return
        search = self.saved.load(name)
        if self.panel.loaded:
            self.panel.show_search(search)
        self.panel.run(search)

    def delete_selected(self):
        name = self.selected()
        if (
            name
            and QMessageBox.question(self.panel, tr("Delete"), tr("Delete the search “{name}”?").format(name=name))
            == QMessageBox.Yes
        ):
            self.saved.remove(name)
            self.refresh()
