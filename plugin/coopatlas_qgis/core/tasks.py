"""Background work as :class:`qgis.core.QgsTask`: a search (filtered pages to GeoJSON files), a process
run (statistics, PDF report, country map) saved to a file.

Tasks never touch layers or widgets: they run in a worker thread and hand their result to the main
thread through their ``finished`` hook, which emits ``done(result)`` or ``failed(message)``.
"""

from __future__ import annotations

import json
import os
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

from qgis.core import QgsApplication, QgsFeedback, QgsTask
from qgis.PyQt.QtCore import QCoreApplication, pyqtSignal

from .client import SEARCH_COLLECTIONS, AtlasClient, Response
from .context import CONTEXT_PROPERTIES
from .errors import AtlasError, Cancelled
from .i18n import tr
from .layers import open_layers as open_result_layers
from .paging import page_matched
from .result import SearchResult, filter_params
from .results_model import build_rows
from .search import Search
from .tiles import FEATURES, TILES, use_tiles
from .vocabulary import Vocabulary


def results_dir(base: str | os.PathLike | None = None) -> Path:
    """A new folder for the files of one search: under ``base``, or the profile's ``coopatlas/resultats``."""
    root = Path(base) if base else Path(QgsApplication.qgisSettingsDirPath()) / "coopatlas" / "resultats"
    out = root / (time.strftime("%Y%m%d-%H%M%S") + "-" + uuid.uuid4().hex[:6])
    out.mkdir(parents=True, exist_ok=True)
    return out


def fetch_search(
    client: AtlasClient,
    search: Search,
    folder: Path,
    collections=SEARCH_COLLECTIONS,
    page_size: int = 1000,
    feedback: QgsFeedback | None = None,
    with_stats: bool = True,
    with_styles: bool = True,
    progress: Callable[[float], None] | None = None,
    lang: str = "fr",
    context: tuple = (),
    tiles_threshold: int | None = None,
) -> SearchResult:
    """Run ``search`` on the server: the filtered features of each collection into ``folder`` (one
    GeoJSON file each, CRS84), their QML styles, the statistics (labels in ``lang``) and the ``context``
    collections (countries, French regions and departments) the map lacks. Beyond ``tiles_threshold``
    records, a collection is not downloaded but shown as the server's vector tiles filtered by the
    search (:mod:`.tiles`). Progress goes 0 to 100."""
    started = time.monotonic()
    progress = progress or (lambda p: None)
    criteres = client.criteres(search.params(), feedback)
    result = SearchResult(search, criteres, Path(folder), lang=lang, tiles_threshold=tiles_threshold)
    steps = len(collections) + (1 if with_stats else 0)
    for i, coll in enumerate(collections):
        params = filter_params(criteres, coll)
        result.counts[coll] = 0
        if params is None:
            progress(100.0 * (i + 1) / steps)
            continue
        if tiles_threshold is not None:
            probe = client.get_json(  # resulttype=hits: the exact count (a page may leave it out when costly)
                f"/collections/{coll}/items", {"f": "json", "resulttype": "hits", **params}, feedback
            )
            matched, exact = page_matched(probe)
            result.matched[coll] = matched or 0
            if use_tiles(coll, params, result.matched[coll], tiles_threshold):
                result.tile_styles[coll] = client.get_json(f"/styles/{coll}.maplibre.json", None, feedback)
                result.tile_params[coll] = params
                result.modes[coll] = TILES
                result.counts[coll] = result.matched[coll]
                if not exact:
                    result.at_least.add(coll)
                progress(100.0 * (i + 1) / steps)
                continue
        result.modes[coll] = FEATURES
        path = Path(folder) / f"{coll}.geojson"
        count = 0
        with open(path, "w", encoding="utf-8") as fh:  # page by page: a world search stays small in memory
            fh.write('{"type":"FeatureCollection","features":[')
            for page in client.items_pages(coll, params, page_size, feedback):
                for feat in page["features"]:
                    props = feat.get("properties") or {}
                    if "id" not in props and feat.get("id") is not None:
                        props["id"] = feat["id"]
                    feat["properties"] = props
                    fh.write(
                        ("," if count else "")
                        + json.dumps(feat, ensure_ascii=False, separators=(",", ":"), check_circular=False)
                    )
                    count += 1
                progress(100.0 * (i + page_share(page, count, result.matched.get(coll), page_size)) / steps)
            fh.write("]}")
        result.counts[coll] = count
        if not count:
            path.unlink()
        else:
            result.files[coll] = path
            if with_styles:
                try:
                    qml = Path(folder) / f"{coll}.qml"
                    qml.write_text(client.style_qml(coll), encoding="utf-8")
                    result.styles[coll] = qml
                except AtlasError:
                    pass  # the layer keeps QGIS's default style
        progress(100.0 * (i + 1) / steps)
    for coll in context:
        path = Path(folder) / f"context-{coll}.geojson"
        features = client.items(coll, {"properties": CONTEXT_PROPERTIES[coll]}, page_size, feedback)
        path.write_text(
            json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False), encoding="utf-8"
        )
        result.context_files[coll] = path
    if with_stats:
        try:
            result.stats = client.execute_json("statistiques", {**search.inputs(), "lang": lang}, feedback=feedback)
        except Cancelled:
            raise
        except AtlasError as exc:
            result.stats_error = str(exc)
        progress(100.0)
    result.seconds = time.monotonic() - started
    return result


def page_share(page: dict, count: int, matched: int | None, page_size: int) -> float:
    """The share (0 to 1) of a collection read once ``count`` records came, the last ``page`` included.

    An exact count (``numberMatched``, or the probe's ``matched``) gives ``count / matched``. A page may
    leave the count out when it is costly and give ``numberMatchedAtLeast`` (a lower bound): then at least
    a page more may come, and the share never claims the collection done before its last page."""
    number, exact = page_matched(page)
    if exact and number:
        return min(1.0, count / number)
    if matched:
        return min(1.0, count / matched)
    if number:
        return min(0.99, count / (number + page_size))
    return 0.0


class _Task(QgsTask):
    """A cancellable task: ``work(feedback)`` runs in a worker thread; ``done``/``failed`` in the main one."""

    done = pyqtSignal(object)
    failed = pyqtSignal(str)

    def __init__(self, description: str):
        super().__init__(description, QgsTask.CanCancel)
        self.feedback = QgsFeedback()
        self.result: Any = None
        self.error: str | None = None
        self.exception: Exception | None = None

    def work(self, feedback: QgsFeedback) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def run(self) -> bool:
        try:
            self.result = self.work(self.feedback)
            return True
        except Cancelled:
            self.error = tr("Cancelled.")
            return False
        except AtlasError as exc:
            self.exception = exc
            self.error = str(exc)
            return False
        except Exception as exc:  # noqa: BLE001 - shown to the user rather than lost in a thread
            self.exception = exc
            self.error = f"{type(exc).__name__}: {exc}"
            return False

    def cancel(self) -> None:
        self.feedback.cancel()
        super().cancel()

    def finished(self, ok: bool) -> None:
        if ok:
            self.done.emit(self.result)
        else:
            if self.isCanceled() and not self.error:
                self.error = tr("Cancelled.")
            self.failed.emit(self.error or tr("The task failed."))


class CallTask(_Task):
    """``call(feedback)`` in the background (a short request whose answer the user interface awaits, such as
    the suggestions of a type-ahead): its result is ``call``'s."""

    def __init__(self, call: Callable[[QgsFeedback], Any], description: str):
        super().__init__(description)
        self.call = call

    def work(self, feedback: QgsFeedback) -> Any:
        return self.call(feedback)


class SearchTask(_Task):
    """Run a search in the background (see :func:`fetch_search`); with ``open_layers``, also open its
    layers and build the results table's rows there (labels from ``vocabulary``, the ``/vocabulaire``
    data), so that showing them costs the user interface nothing."""

    def __init__(
        self,
        client: AtlasClient,
        search: Search,
        folder: Path | None = None,
        collections=SEARCH_COLLECTIONS,
        page_size: int = 1000,
        with_stats: bool = True,
        lang: str = "fr",
        open_layers: bool = False,
        vocabulary: dict | None = None,
        context: tuple = (),
        tiles_threshold: int | None = None,
    ):
        super().__init__(tr("CoopAtlas search"))
        self.lang = lang
        self.open_layers = open_layers
        self.vocabulary = vocabulary
        self.client = client
        self.search = search
        self.folder = folder
        self.collections = collections
        self.page_size = page_size
        self.with_stats = with_stats
        self.context = tuple(context)
        self.tiles_threshold = tiles_threshold

    def work(self, feedback: QgsFeedback) -> SearchResult:
        folder = self.folder or results_dir()
        Path(folder).mkdir(parents=True, exist_ok=True)
        result = fetch_search(
            self.client,
            self.search,
            Path(folder),
            self.collections,
            self.page_size,
            feedback,
            self.with_stats,
            progress=self.setProgress,
            lang=self.lang,
            context=self.context,
            tiles_threshold=self.tiles_threshold,
        )
        if self.open_layers and not feedback.isCanceled():
            result.layers, result.layer_errors = open_result_layers(result)
            try:
                voc = Vocabulary(self.vocabulary or self.client.vocabulary(), self.lang)
            except AtlasError:
                voc = None
            result.rows = build_rows(result.layers, voc)
            main = QCoreApplication.instance().thread()
            for layer in result.layers.values():
                layer.moveToThread(main)
        return result


class ProcessTask(_Task):
    """Execute an OGC API process in the background; its result is the :class:`Response`, also written to
    ``path`` when given (the result is then that path)."""

    def __init__(
        self,
        client: AtlasClient,
        process: str,
        inputs: dict,
        path: str | os.PathLike | None = None,
        prefer_async: bool = True,
        description: str | None = None,
    ):
        super().__init__(description or tr("CoopAtlas: {process}").format(process=process))
        self.client = client
        self.process = process
        self.inputs = inputs
        self.path = path
        self.prefer_async = prefer_async

    def work(self, feedback: QgsFeedback) -> Response | Path:
        resp = self.client.execute(self.process, self.inputs, prefer_async=self.prefer_async, feedback=feedback)
        if self.path is None:
            return resp
        path = Path(self.path)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(resp.content)
        return path
