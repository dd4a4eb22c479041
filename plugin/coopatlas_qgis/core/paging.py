"""The results table of a search shown as vector tiles, read from the server page by page in the
background: :class:`ServerRows` (where the next page comes from) and :class:`PageTask` (one page read in a
:class:`qgis.core.QgsTask`, so that QGIS never waits for the network while the user scrolls).
"""

from __future__ import annotations

from qgis.core import QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from .errors import AtlasError
from .i18n import tr


def page_matched(page: dict) -> tuple[int | None, bool]:
    """``(count, exact)`` of a page of ``/items``: ``numberMatched`` (exact), else ``numberMatchedAtLeast``
    (a lower bound: the server leaves the count out when counting costs more than its budget), else
    ``(None, False)``."""
    if page.get("numberMatched") is not None:
        return int(page["numberMatched"]), True
    if page.get("numberMatchedAtLeast") is not None:
        return int(page["numberMatchedAtLeast"]), False
    return None, False


class ServerRows:
    """The rows of the results table read from the server page by page: :meth:`fetch` returns the next
    records (properties only) of ``collection`` matching ``params``. ``total`` is the number of records
    (a lower bound while ``exact`` is false)."""

    def __init__(self, client, collection: str, params: dict, total: int, page_size: int = 500, exact: bool = True):
        self.collection, self.total, self.exact = collection, total, exact
        self._pages = client.items_pages(collection, {**params, "skipGeometry": "true"}, page_size)
        self.fetched = 0
        self.finished = False

    def can_fetch(self) -> bool:
        return not self.finished and (self.fetched < self.total or not self.exact)

    def fetch(self) -> list[dict]:
        """The next page of records (an empty list at the end). Blocks: call it from a task."""
        page = next(self._pages, None)
        if page is None:
            self.finished, self.total, self.exact = True, self.fetched, True
            return []
        records = []
        for feat in page["features"]:
            props = dict(feat.get("properties") or {})
            props.setdefault("id", feat.get("id"))
            records.append(props)
        self.fetched += len(records)
        count, exact = page_matched(page)
        if count is not None and (exact or count > self.total):
            self.total, self.exact = count, exact
        if not records:
            self.finished, self.total, self.exact = True, self.fetched, True
        return records


class PageTask(QgsTask):
    """Read the next page of a :class:`ServerRows` in a worker thread; ``done(records)`` or ``failed(message)``
    in the main thread."""

    done = pyqtSignal(list)
    failed = pyqtSignal(str)

    def __init__(self, source: ServerRows):
        super().__init__(tr("CoopAtlas: next results"), QgsTask.CanCancel)
        self.source = source
        self.records: list[dict] = []
        self.error: str | None = None

    def run(self) -> bool:
        try:
            self.records = self.source.fetch()
            return True
        except AtlasError as exc:
            self.error = str(exc)
        except Exception as exc:  # noqa: BLE001 - shown to the user rather than lost in a thread
            self.error = f"{type(exc).__name__}: {exc}"
        return False

    def finished(self, ok: bool) -> None:
        if ok:
            self.done.emit(self.records)
        else:
            self.failed.emit(self.error or tr("Cancelled."))
