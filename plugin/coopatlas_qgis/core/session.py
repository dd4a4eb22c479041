"""The plugin's state and actions, without widgets: the client of the configured server, the
vocabulary, the current search and its layers.

Widgets call a :class:`Session` and listen to its signals; every network call of a search runs in a
:class:`~.tasks.SearchTask`. Nothing here touches the network until asked (no call at QGIS start-up).
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import Qgis, QgsApplication, QgsProject
from qgis.PyQt.QtCore import QObject, QTimer, pyqtSignal

from .client import AtlasClient
from .context import add_context, missing_context, scope_extent
from .errors import AtlasError
from .i18n import lang, tr
from .layers import LoadedSearch, load_search, set_family_visible, zoom_to, zoom_to_extent
from .result import SearchResult
from .search import Search
from .settings import Settings
from .tasks import ProcessTask, SearchTask, results_dir
from .vocabulary import Vocabulary


class Session(QObject):
    """One user's session of the atlas in QGIS.

    Signals: ``searchStarted(Search)``, ``searchProgress(float 0-100)``, ``searchFinished(LoadedSearch)``,
    ``searchFailed(str)``, ``message(str, Qgis.MessageLevel)``.
    """

    searchStarted = pyqtSignal(object)
    searchProgress = pyqtSignal(float)
    searchFinished = pyqtSignal(object)
    searchFailed = pyqtSignal(str)
    resultsCleared = pyqtSignal()
    message = pyqtSignal(str, int)

    def __init__(
        self,
        iface=None,
        project: QgsProject | None = None,
        settings: Settings | None = None,
        results_base: str | Path | None = None,
    ):
        super().__init__()
        self.iface = iface
        self.project = project or QgsProject.instance()
        self.settings = settings or Settings()
        self.results_base = results_base
        self._client: AtlasClient | None = None
        self._vocabulary: Vocabulary | None = None
        self.task: SearchTask | None = None
        self.current: LoadedSearch | None = None
        self.search = Search()
        self.replace_previous = True
        self._tasks: set = set()  # process tasks running (kept alive until they finish)
        self.project.cleared.connect(self._project_cleared)

    def _project_cleared(self) -> None:
        """A new or closed project: the search's layers are gone with it."""
        if self.current is not None:
            self.current = None
            self.resultsCleared.emit()

    # --- server -------------------------------------------------------------------------------------
    @property
    def client(self) -> AtlasClient:
        """The client of the server configured in the settings (a new one when the URL changed)."""
        url, timeout = self.settings.server_url, self.settings.timeout_s
        if self._client is None or self._client.base_url != url or self._client.timeout_s != timeout:
            self._client = AtlasClient(url, timeout)
            self._vocabulary = None
        return self._client

    @property
    def lang(self) -> str:
        return lang()

    def vocabulary(self, refresh: bool = False) -> Vocabulary:
        """The server's code lists (fetched once per server; raises :class:`AtlasError`)."""
        client = self.client
        if self._vocabulary is None or refresh:
            self._vocabulary = Vocabulary(client.vocabulary(refresh), self.lang)
        return self._vocabulary

    # --- searches -----------------------------------------------------------------------------------
    def run_search(self, search: Search) -> SearchTask:
        """Start ``search`` in the background; the previous one still running is cancelled."""
        self.cancel_search(notify=False)
        self.search = search
        folder = results_dir(self.results_base)
        task = SearchTask(
            self.client,
            search,
            folder,
            page_size=self.settings.page_size,
            lang=self.lang,
            open_layers=True,
            vocabulary=self._vocabulary.data if self._vocabulary else None,
            context=missing_context(search, self.project),
            tiles_threshold=self.settings.tiles_threshold,
        )
        task.progressChanged.connect(self.searchProgress.emit)
        task.done.connect(lambda result, t=task: self._search_done(t, result))
        task.failed.connect(lambda message, t=task: self._search_failed(t, message))
        self.task = task
        self.searchStarted.emit(search)
        QgsApplication.taskManager().addTask(task)
        return task

    def cancel_search(self, notify: bool = True) -> None:
        """Cancel the running search (``searchFailed("...cancelled")`` when ``notify``)."""
        if self.task is not None:
            task, self.task = self.task, None
            try:
                task.cancel()
            except RuntimeError:  # already deleted by the task manager
                pass
            if notify:
                self.searchFailed.emit(tr("Search cancelled."))

    def is_running(self) -> bool:
        return self.task is not None

    def _search_done(self, task: SearchTask, result: SearchResult) -> None:
        if task is not self.task:  # a search replaced meanwhile
            return
        self.task = None
        try:
            loaded = self.show_result(result)
        except Exception as exc:  # noqa: BLE001 - reported to the user
            self.searchFailed.emit(tr("Cannot load the results: {error}").format(error=exc))
            return
        self.searchFinished.emit(loaded)

    def _search_failed(self, task: SearchTask, message: str) -> None:
        if task is not self.task:
            return
        self.task = None
        self.searchFailed.emit(message)

    def show_result(self, result: SearchResult) -> LoadedSearch:
        """Load the layers of ``result`` (replacing the previous search's) over the context layers the
        project lacks; zoom to the place searched (else to the points found, links not driving the extent)."""
        if self.replace_previous:
            self.remove_current()
        _added, context_errors = add_context(result.context_files, self.project)
        loaded = load_search(result, self.project, self.lang)
        loaded.errors.extend(context_errors)
        for error in loaded.errors:
            self.message.emit(error, int(Qgis.Warning))
        if self.iface is not None:
            self._zoom(loaded)
            # again once QGIS has set the canvas up for the layers just added: on the first layers of a
            # project it zooms to their full extent (QgsLayerTreeMapCanvasBridge, deferred)
            QTimer.singleShot(0, lambda: self._zoom(loaded) if self.current is loaded else None)
        self.current = loaded
        return loaded

    def _zoom(self, loaded: LoadedSearch) -> None:
        """Zoom to the place searched, else to the points found (links do not drive the extent)."""
        canvas = self.iface.mapCanvas()
        scope = scope_extent(loaded.result.search, self.project, canvas.mapSettings().destinationCrs())
        if scope is not None:
            zoom_to_extent(canvas, scope)
        elif loaded.layers:
            zoom_to(loaded, canvas, self.project)

    def remove_current(self) -> None:
        """Remove the current search's layers and group from the project."""
        cur, self.current = self.current, None
        if cur is None:
            return
        self.resultsCleared.emit()
        ids = []
        for layer in cur.layers.values():
            try:
                ids.append(layer.id())
            except RuntimeError:  # the user already removed it
                pass
        if ids:
            self.project.removeMapLayers([i for i in ids if self.project.mapLayer(i) is not None])
        try:
            if cur.group is not None and cur.group.parent() is not None:
                cur.group.parent().removeChildNode(cur.group)
        except RuntimeError:
            pass

    def layers(self) -> list:
        """The current search's layers that are still in the project."""
        if self.current is None:
            return []
        out = []
        for layer in self.current.layers.values():
            try:
                if self.project.mapLayer(layer.id()) is not None:
                    out.append(layer)
            except RuntimeError:
                pass
        return out

    def set_family_visible(self, family: str, visible: bool) -> None:
        """Show or hide a family of records (``type_action`` code) on the current layers."""
        layers = self.layers()
        set_family_visible(layers, family, visible)
        if self.iface is not None:
            view = self.iface.layerTreeView()
            if view is not None:
                for layer in layers:
                    view.refreshLayerSymbology(layer.id())

    def run_process(self, process: str, inputs: dict, path=None, prefer_async: bool = False) -> ProcessTask:
        """Execute ``process`` in the background (result written to ``path`` when given); connect to the
        returned task's ``done``/``failed`` signals."""
        task = ProcessTask(self.client, process, inputs, path, prefer_async)
        self._tasks.add(task)
        task.done.connect(lambda _r, t=task: self._tasks.discard(t))
        task.failed.connect(lambda _m, t=task: self._tasks.discard(t))
        QgsApplication.taskManager().addTask(task)
        return task

    def check_server(self) -> str:
        """Test the connection: the server's title; raises :class:`AtlasError` with a clear message."""
        data = self.client.landing()
        try:
            self.vocabulary(refresh=True)
        except AtlasError as exc:
            raise AtlasError(
                tr("{base} answers but is not a CoopAtlas server (no /vocabulaire): {error}").format(
                    base=self.client.base_url, error=exc
                )
            ) from None
        return str(data.get("title") or self.client.base_url)
