"""Client of the CoopAtlas OGC API server: its own endpoints (``/vocabulaire``, ``/criteres``), its
features (OGC API Features: pages, counts, names, styles) and its processes (OGC API Processes).

Every call blocks the calling thread, through QGIS's network stack (:mod:`.http`: the requests and the
errors they raise): long calls are made from a :class:`qgis.core.QgsTask` (see :mod:`.tasks`). The pages
of a search are :mod:`.paging`'s; a job followed to its results :mod:`.jobs`'.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from qgis.core import QgsFeedback

from . import jobs, paging
from .errors import AtlasError
from .http import (
    DEFAULT_URL,
    MAX_URL_LENGTH,
    HttpClient,
    Response,
    encode_params,
    normalise_url,
)
from .i18n import tr

__all__ = [
    "DEFAULT_URL",
    "MAX_URL_LENGTH",
    "SEARCH_COLLECTIONS",
    "AtlasClient",
    "Response",
    "encode_params",
    "normalise_url",
    "rank_by_name",
]

#: The collections a search loads as layers, in drawing order (bottom to top).
SEARCH_COLLECTIONS = ("liens", "collectivites", "partenaires", "projets", "demandes")


class AtlasClient(HttpClient):
    """Client of one CoopAtlas server at ``base_url`` (e.g. ``http://127.0.0.1:5000``).

    ``timeout_s`` is the transfer timeout of one request in seconds (no byte received for that long).
    """

    def __init__(self, base_url: str = DEFAULT_URL, timeout_s: float = 60.0):
        super().__init__(base_url, timeout_s)
        self._vocabulary: dict | None = None
        self._styles: dict[str, str] = {}
        self._labels: dict[str, dict[str, str]] = {}

    # --- the atlas's own endpoints ---------------------------------------------------------------------
    def landing(self) -> dict:
        """The landing page (``/``), used to test the connection: title, description, links."""
        data = self.get_json("/", {"f": "json"})
        if not isinstance(data, dict) or "links" not in data:
            raise AtlasError(tr("{base} answers, but is not an OGC API server.").format(base=self.base_url))
        return data

    def vocabulary(self, refresh: bool = False) -> dict:
        """``/vocabulaire``: every code list of the atlas (kept for the life of the client)."""
        if self._vocabulary is None or refresh:
            data = self.get_json("/vocabulaire", {"f": "json"})
            if not isinstance(data, dict):
                raise AtlasError(tr("Unexpected answer of {url}").format(url=self.url("/vocabulaire")))
            self._vocabulary = data
        return self._vocabulary

    def criteres(self, params: Mapping[str, Any], feedback: QgsFeedback | None = None) -> dict:
        """``/criteres``: the criteria normalised, described in words, and the CQL2 filter of each
        collection (``None`` for a collection the criteria rule out)."""
        return self.get_json("/criteres", dict(params), feedback)

    # --- OGC API Features --------------------------------------------------------------------------------
    #: The pages (GeoJSON FeatureCollections) of a collection's ``/items``: :func:`.paging.feature_pages`.
    items_pages = paging.feature_pages

    def hits(self, collection: str, params: Mapping[str, Any] | None = None, feedback=None) -> int:
        """The exact number of records of ``collection`` matching ``params`` (``resulttype=hits``)."""
        page = self.get_json(
            f"/collections/{collection}/items", {"f": "json", "resulttype": "hits", **(params or {})}, feedback
        )
        return int(page.get("numberMatched") or 0)

    def items(
        self,
        collection: str,
        params: Mapping[str, Any] | None = None,
        page_size: int = 500,
        feedback: QgsFeedback | None = None,
    ) -> list[dict]:
        """Every feature of ``collection`` matching ``params`` (all pages)."""
        out: list[dict] = []
        for page in self.items_pages(collection, params, page_size, feedback):
            out.extend(page["features"])
        return out

    def item(self, collection: str, fid: str, feedback: QgsFeedback | None = None) -> dict:
        """One feature (GeoJSON) by its identifier."""
        return self.get_json(f"/collections/{collection}/items/{quote(str(fid), safe='')}", {"f": "json"}, feedback)

    def names(
        self,
        collection: str,
        params: Mapping[str, Any] | None = None,
        fields: str = "id,nom",
        sortby: str | None = "nom",
        limit: int = 1000,
    ) -> list[dict]:
        """The properties ``fields`` of the matching features, without geometry: for lists and completers."""
        query = {"properties": fields, "skipGeometry": "true", **(params or {})}
        if sortby:
            query["sortby"] = sortby
        feats = []
        for page in self.items_pages(collection, query, page_size=limit):
            feats.extend(page["features"])
            if len(feats) >= limit:
                break
        out = []
        for f in feats[:limit]:
            props = dict(f.get("properties") or {})
            props.setdefault("id", f.get("id"))
            out.append(props)
        return out

    def field_labels(self, collection: str, lang: str = "fr") -> dict[str, str]:
        """Field name -> label of ``collection`` from its ``/schema`` (``title`` is French, ``description``
        English); the field names themselves when the server publishes no schema."""
        key = f"{collection}:{lang}"
        if key not in self._labels:
            try:
                props = self.get_json(f"/collections/{collection}/schema", {"f": "json"}).get("properties", {})
            except AtlasError:
                props = {}
            self._labels[key] = {
                name: str((p.get("description") if lang == "en" else p.get("title")) or p.get("title") or name)
                for name, p in props.items()
                if isinstance(p, dict)
            }
        return self._labels[key]

    def find(
        self,
        collection: str,
        text: str,
        fields: str = "id,nom",
        limit: int = 20,
        params: Mapping[str, Any] | None = None,
    ) -> list[dict]:
        """Records of ``collection`` whose words start with the words of ``text`` (the server's ``q``), the
        most engaged first (``nb_projets``), then re-ranked: exact name, name starting with ``text``, others."""
        rows = self.names(collection, {"q": text, **(params or {})}, fields=fields, sortby="-nb_projets", limit=limit)
        return rank_by_name(rows, text)

    def style_url(self, collection: str) -> str:
        """URL of the QGIS style (QML) the server publishes for ``collection`` (``rel: stylesheet``)."""
        if collection in self._styles:
            return self._styles[collection]
        url = self.url(f"/styles/{collection}.qml")
        try:
            meta = self.get_json(f"/collections/{collection}", {"f": "json"})
            for link in meta.get("links", []):
                if link.get("rel") == "stylesheet" and (
                    "qml" in (link.get("type") or "") or str(link.get("href", "")).endswith(".qml")
                ):
                    url = self.rebase(link["href"])
                    break
        except AtlasError:
            pass
        self._styles[collection] = url
        return url

    def style_qml(self, collection: str) -> str:
        """The QML text of the server's style of ``collection``."""
        return self.check(self.request(self.style_url(collection), accept=None)).content.decode("utf-8")

    # --- OGC API Processes ------------------------------------------------------------------------------
    #: Execute a process, as a job polled to its results with ``prefer_async``: :func:`.jobs.execute`.
    execute = jobs.execute

    def execute_json(self, process: str, inputs: Mapping[str, Any], **kw) -> Any:
        """Execute ``process`` and return its JSON result."""
        return self.execute(process, inputs, **kw).json()


def rank_by_name(rows: list[dict], text: str, field: str = "nom") -> list[dict]:
    """``rows`` with the exact names of ``text`` first, then the names starting with it, the order of
    ``rows`` kept otherwise (case and accents as typed)."""
    wanted = text.strip().casefold()

    def rank(item):
        name = str(item[1].get(field) or "").casefold()
        return (0 if name == wanted else 1 if name.startswith(wanted) else 2, item[0])

    return [row for _, row in sorted(enumerate(rows), key=rank)]
