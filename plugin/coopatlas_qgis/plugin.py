"""The QGIS plugin: menu, toolbar, docks, map tool, Processing provider and locator filter.

Nothing here calls the network: the server is first asked when the user opens the search panel,
runs a search, tests the connection or uses the locator.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QCoreApplication, Qt
from qgis.PyQt.QtGui import QIcon
from qgis.PyQt.QtWidgets import QAction

from .core.i18n import install_translator, tr
from .core.search import Search
from .core.session import Session

ICON = Path(__file__).resolve().parent / "resources" / "icon.svg"
MENU = "&CoopAtlas"


class CoopAtlasPlugin:
    def __init__(self, iface):
        self.iface = iface
        self.translator = install_translator()
        self.session: Session | None = None
        self.provider = None
        self.locator = None
        self.actions: list[QAction] = []
        self.search_dock = self.results_dock = None
        self.search_widget = self.results_widget = None
        self.tool = None
        self.dialog = None

    # --- Processing (also called by qgis_process, without a user interface) ----------------------------
    def initProcessing(self):  # noqa: N802 - QGIS plugin API
        from .processing.provider import AtlasProvider

        if self.provider is None:
            self.provider = AtlasProvider()
            QgsApplication.processingRegistry().addProvider(self.provider)

    # --- user interface ------------------------------------------------------------------------------------
    def initGui(self):  # noqa: N802 - QGIS plugin API
        from .locator import AtlasLocatorFilter

        self.initProcessing()
        self.session = Session(self.iface)
        icon = QIcon(str(ICON))
        self.act_search = self._action(icon, tr("CoopAtlas search"), self.toggle_search, checkable=True, toolbar=True)
        self.act_results = self._action(icon, tr("CoopAtlas results"), self.toggle_results, checkable=True)
        self.act_identify = self._action(
            QgsApplication.getThemeIcon("/mActionIdentify.svg"),
            tr("CoopAtlas sheet on click"),
            self.toggle_tool,
            checkable=True,
            toolbar=True,
        )
        self.act_settings = self._action(
            QgsApplication.getThemeIcon("/mActionOptions.svg"), tr("CoopAtlas settings…"), self.open_settings
        )
        self.locator = AtlasLocatorFilter(self.run_search)
        self.iface.registerLocatorFilter(self.locator)

    def _action(self, icon, text, slot, checkable=False, toolbar=False) -> QAction:
        action = QAction(icon, text, self.iface.mainWindow())
        action.setCheckable(checkable)
        action.triggered.connect(slot)
        self.iface.addPluginToWebMenu(MENU, action)
        if toolbar:
            self.iface.addWebToolBarIcon(action)
        self.actions.append(action)
        return action

    def unload(self):
        for action in self.actions:
            self.iface.removePluginWebMenu(MENU, action)
            self.iface.removeWebToolBarIcon(action)
        self.actions = []
        if self.locator is not None:
            self.iface.deregisterLocatorFilter(self.locator)
            self.locator = None
        if self.tool is not None:
            self.iface.mapCanvas().unsetMapTool(self.tool)
            self.tool = None
        for dock in (self.search_dock, self.results_dock):
            if dock is not None:
                self.iface.removeDockWidget(dock)
                dock.deleteLater()
        self.search_dock = self.results_dock = None
        if self.session is not None:
            self.session.cancel_search(notify=False)
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None

    # --- docks -------------------------------------------------------------------------------------------
    def ensure_docks(self):
        """Create the search and results panels (once)."""
        from .gui.wdg_results import ResultsWidget
        from .gui.wdg_search import SearchWidget

        if self.search_dock is None:
            self.search_widget = SearchWidget(self.session)
            self.search_dock = QgsDockWidget(tr("CoopAtlas"), self.iface.mainWindow())
            self.search_dock.setObjectName("CoopAtlasSearchDock")
            self.search_dock.setWidget(self.search_widget)
            self.search_dock.visibilityChanged.connect(self.act_search.setChecked)
            self.search_widget.statsRequested.connect(self.open_stats)
            self.iface.addDockWidget(Qt.RightDockWidgetArea, self.search_dock)
        if self.results_dock is None:
            self.results_widget = ResultsWidget(self.session)
            self.results_dock = QgsDockWidget(tr("CoopAtlas results"), self.iface.mainWindow())
            self.results_dock.setObjectName("CoopAtlasResultsDock")
            self.results_dock.setWidget(self.results_widget)
            self.results_dock.visibilityChanged.connect(self.act_results.setChecked)
            self.iface.addDockWidget(Qt.BottomDockWidgetArea, self.results_dock)
            self.results_dock.hide()
            self.session.searchFinished.connect(lambda _loaded: self.results_dock.show())

    def toggle_search(self, checked: bool = True):
        """Show (and fill from the server, the first time) or hide the search panel."""
        self.ensure_docks()
        self.search_dock.setUserVisible(checked)
        if checked and not self.search_widget.loaded:
            self.search_widget.load_lists()

    def toggle_results(self, checked: bool = True):
        self.ensure_docks()
        self.results_dock.setUserVisible(checked)

    def run_search(self, search: Search):
        """Run ``search`` (from the locator): show the panels and start it."""
        self.toggle_search(True)
        self.session.run_search(search)

    def open_stats(self):
        self.ensure_docks()
        return self.results_widget.open_stats()

    # --- map tool, settings ----------------------------------------------------------------------------
    def toggle_tool(self, checked: bool = True):
        from .gui.maptool import RecordTool

        canvas = self.iface.mapCanvas()
        if not checked:
            if self.tool is not None:
                canvas.unsetMapTool(self.tool)
            return
        if self.tool is None:
            self.tool = RecordTool(canvas, self.session)
            self.tool.setAction(self.act_identify)
            self.tool.recordClicked.connect(self.open_record)
        canvas.setMapTool(self.tool)

    def open_record(self, collection: str, fid: str):
        from .gui.dlg_fiche import FicheDialog

        self.dialog = FicheDialog(self.session, collection, fid, self.iface.mainWindow())
        self.dialog.show()
        return self.dialog

    def open_settings(self):
        from .gui.dlg_settings import SettingsDialog

        self.dialog = SettingsDialog(self.session.settings, self.iface.mainWindow())
        accepted = self.dialog.exec_()
        if accepted and self.search_widget is not None and self.search_widget.isVisible():
            self.search_widget.load_lists()  # the lists of the (maybe new) server
        return accepted
