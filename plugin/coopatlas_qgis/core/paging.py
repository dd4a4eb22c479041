"""Results read from the server page by page: :func:`feature_pages` (the pages of ``/items``, following
the server's ``next`` links, or the next ``offset`` of a POSTed filter); the results table of a search shown
as vector tiles, read in the background: :class:`ServerRows` (where the next page comes from) and
:class:`PageTask` (one page read in a :class:`qgis.core.QgsTask`, so that QGIS never waits for the network
while the user scrolls).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from qgis.core import QgsFeedback, QgsTask
from qgis.PyQt.QtCore import pyqtSignal

from .errors import AtlasError
from .http import HttpClient, split_filter
from .i18n import tr

GEOJSON = "application/geo+json"


def feature_pages(
    client: HttpClient,
    collection: str,
    params: Mapping[str, Any] | None = None,
    page_size: int = 500,
    feedback: QgsFeedback | None = None,
    max_pages: int = 10000,
) -> Iterator[dict]:
    """The pages (GeoJSON FeatureCollections) of ``/collections/{collection}/items``, following the
    ``next`` links. Geometries are in CRS84 (longitude, latitude, degrees). With a CQL2 JSON filter
    (see :meth:`.http.HttpClient.get`) every page is a POST of the filter, the next one at the next
    ``offset`` (the server's ``next`` link, a GET, would leave the body out)."""
    cql2, query = split_filter(params)
    if cql2 is not None:
        yield from _posted_pages(client, collection, cql2, query, page_size, feedback, max_pages)
        return
    query = {"f": "json", "limit": page_size, **query}
    url = client.url(f"/collections/{collection}/items", query)
    seen = set()
    for _ in range(max_pages):
        page = client.check(client.request(url, feedback=feedback, accept=GEOJSON)).json()
        if not isinstance(page, dict) or "features" not in page:
            raise AtlasError(tr("Unexpected answer of {url}").format(url=url))
        yield page
        nxt = next(
            (link.get("href") for link in page.get("links", []) if link.get("rel") == "next" and link.get("href")),
            None,
        )
        if not nxt or not page["features"]:
            return
        url = client.rebase(nxt)
        if url in seen:
            return
        seen.add(url)


def _posted_pages(client, collection, cql2, params, page_size, feedback, max_pages) -> Iterator[dict]:
    path = f"/collections/{collection}/items"
    offset = int(params.pop("offset", 0) or 0)
    for _ in range(max_pages):
        query = {"f": "json", **params, "limit": page_size, "offset": offset}
        page = client.post_filter(path, cql2, query, feedback, GEOJSON).json()
        if not isinstance(page, dict) or "features" not in page:
            raise AtlasError(tr("Unexpected answer of {url}").format(url=client.url(path, query)))
        yield page
        has_next = any(link.get("rel") == "next" for link in page.get("links", []))
        if not page["features"] or not has_next:
            return
        offset += len(page["features"])


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
