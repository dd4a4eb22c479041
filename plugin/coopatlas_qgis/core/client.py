"""HTTP client of the CoopAtlas OGC API server (Features, Processes, ``/vocabulaire``, ``/criteres``).

Every request goes through :class:`qgis.core.QgsBlockingNetworkRequest`, hence through QGIS's network
stack (proxy, SSL settings, authentication configurations): the client blocks the calling thread, so
long calls are made from a :class:`qgis.core.QgsTask` (see :mod:`.tasks`); short ones (a vocabulary, a
list of countries) may be made from the user interface thread.

Errors become :class:`~.errors.AtlasError` with a message a person can act on: no answer (server
stopped, wrong address) raises :class:`~.errors.ServerUnreachable`; a refused parameter (HTTP 400)
raises :class:`~.errors.BadParameter` naming it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from qgis.core import QgsBlockingNetworkRequest, QgsFeedback
from qgis.PyQt.QtCore import QByteArray, QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

from .errors import AtlasError, BadParameter, Cancelled, ServerUnreachable
from .i18n import tr

DEFAULT_URL = "http://127.0.0.1:5000"
#: The collections a search loads as layers, in drawing order (bottom to top).
SEARCH_COLLECTIONS = ("liens", "collectivites", "partenaires", "projets", "demandes")
JSON = "application/json"
#: Media type of a CQL2 JSON filter POSTed to ``/collections/{id}/items`` (OGC API Features Part 3; pygeoapi).
CQL2_JSON = "application/query-cql-json"
USER_AGENT = b"CoopAtlas-QGIS"
#: Longest URL the plugin sends (the server refuses a request line beyond 8 KB with a 414).
MAX_URL_LENGTH = 6000


@dataclass
class Response:
    """One HTTP answer: ``status`` code, ``content_type`` (without parameters), body ``content``."""

    url: str
    status: int
    content_type: str
    content: bytes
    headers: dict = field(default_factory=dict)

    def json(self) -> Any:
        try:
            return json.loads(self.content.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise AtlasError(
                tr("The server's answer is not valid JSON ({url}): {error}").format(url=self.url, error=exc),
                self.status,
                url=self.url,
            ) from None


def normalise_url(url: str) -> str:
    """The server's base URL without trailing slash; ``http://`` added when no scheme is given."""
    url = (url or "").strip()
    if not url:
        return DEFAULT_URL
    if "://" not in url:
        url = "http://" + url
    return url.rstrip("/")


def split_filter(params: Mapping[str, Any] | None) -> tuple[dict | None, dict]:
    """``(filter, other parameters)``: the CQL2 JSON filter of ``params`` (a dict under ``filter``, see
    :func:`~.result.filter_params`), to be POSTed, and the parameters left for the URL; ``(None, params)``
    when the filter is text (or absent)."""
    params = dict(params or {})
    if isinstance(params.get("filter"), dict):
        cql2 = params.pop("filter")
        params.pop("filter-lang", None)
        return cql2, params
    return None, params


def encode_params(params: Mapping[str, Any] | None) -> str:
    """``a=1&b=x%2Cy``: values percent-encoded (``+`` and spaces too: CQL2 filters keep their meaning)."""
    if not params:
        return ""
    flat = []
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            value = "true" if value else "false"
        elif isinstance(value, (list, tuple)):
            value = ",".join(str(v) for v in value)
        flat.append((key, str(value)))
    return urlencode(flat, quote_via=quote, safe="")


class AtlasClient:
    """Client of one CoopAtlas server at ``base_url`` (e.g. ``http://127.0.0.1:5000``).

    ``timeout_s`` is the transfer timeout of one request in seconds (no byte received for that long).
    """

    def __init__(self, base_url: str = DEFAULT_URL, timeout_s: float = 60.0):
        self.base_url = normalise_url(base_url)
        self.timeout_s = timeout_s
        self._vocabulary: dict | None = None
        self._styles: dict[str, str] = {}
        self._labels: dict[str, dict[str, str]] = {}

    # --- URLs ---------------------------------------------------------------------------------------
    def url(self, path: str, params: Mapping[str, Any] | None = None) -> str:
        """Absolute URL of ``path`` (``/collections/...``) on the server, with query ``params``."""
        if path.startswith("http://") or path.startswith("https://"):
            base = path
        else:
            base = self.base_url + "/" + path.lstrip("/")
        query = encode_params(params)
        if not query:
            return base
        return base + ("&" if "?" in base else "?") + query

    def rebase(self, href: str) -> str:
        """A link of the server's answer, moved onto our base URL when the server named itself otherwise
        (e.g. a server configured as ``localhost`` and reached as ``127.0.0.1``)."""
        parts = urlsplit(href)
        base = urlsplit(self.base_url)
        if (parts.scheme, parts.netloc) == (base.scheme, base.netloc):
            return href
        for marker in ("/collections/", "/processes/", "/jobs/", "/styles/"):
            i = parts.path.find(marker)
            if i >= 0:
                return urlunsplit((base.scheme, base.netloc, base.path.rstrip("/") + parts.path[i:], parts.query, ""))
        return href

    # --- raw requests ----------------------------------------------------------------------------------
    def request(
        self,
        url: str,
        method: str = "GET",
        body: bytes | None = None,
        headers: Mapping[str, str] | None = None,
        feedback: QgsFeedback | None = None,
        accept: str | None = JSON,
    ) -> Response:
        """One HTTP request; the :class:`Response` whatever its status (errors are raised by callers).

        Raises :class:`ServerUnreachable` when no HTTP answer came, :class:`Cancelled` when ``feedback``
        was cancelled.
        """
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        req = QNetworkRequest(QUrl.fromEncoded(url.encode("ascii")))
        req.setRawHeader(b"User-Agent", USER_AGENT)
        if accept:
            req.setRawHeader(b"Accept", accept.encode())
        for key, value in (headers or {}).items():
            req.setRawHeader(key.encode(), value.encode())
        if hasattr(req, "setTransferTimeout"):
            req.setTransferTimeout(int(self.timeout_s * 1000))
        req.setAttribute(QNetworkRequest.CacheLoadControlAttribute, QNetworkRequest.AlwaysNetwork)
        blocking = QgsBlockingNetworkRequest()
        # The feedback is not handed to QGIS: in 3.22 a request aborted through it from a worker thread
        # never returns (its reply is deleted without "finished"), which stalls the task for good.
        # Cancellation is checked between requests instead (each page, each job poll).
        if method == "GET":
            code = blocking.get(req, True)
        elif method == "POST":
            code = blocking.post(req, QByteArray(body or b""), True)
        else:
            raise ValueError(method)
        reply = blocking.reply()
        status = reply.attribute(QNetworkRequest.HttpStatusCodeAttribute)
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        if status is None:
            if code == QgsBlockingNetworkRequest.TimeoutError or reply.error() == QNetworkReply.OperationCanceledError:
                why = tr("no answer within {s} s").format(s=int(self.timeout_s))
            else:
                why = blocking.errorMessage() or reply.errorString() or tr("no answer")
            raise ServerUnreachable(
                tr(
                    "The CoopAtlas server does not answer at {base} ({why}). Check the server address "
                    "in the plugin settings and that the server is running."
                ).format(base=self.base_url, why=why),
                url=url,
            )
        ctype = bytes(reply.rawHeader(b"Content-Type")).decode("latin-1").split(";")[0].strip().lower()
        heads = {
            bytes(k).decode("latin-1").lower(): bytes(reply.rawHeader(k)).decode("latin-1")
            for k in reply.rawHeaderList()
        }
        return Response(url, int(status), ctype, bytes(reply.content()), heads)

    def _check(self, resp: Response) -> Response:
        """``resp`` when its status is 2xx; else the server's error as an :class:`AtlasError`."""
        if 200 <= resp.status < 300:
            return resp
        code = description = param = None
        try:
            body = json.loads(resp.content.decode("utf-8"))
            if isinstance(body, dict):
                code = body.get("code") or body.get("type")
                description = body.get("description") or body.get("detail") or body.get("title")
                param = body.get("parameter")
        except (UnicodeDecodeError, ValueError):
            pass
        if description is None:
            if resp.content_type in ("text/html", "application/xhtml+xml") or not resp.content.strip():
                description = resp.url.split("?")[0]
            else:
                description = resp.content[:300].decode("utf-8", "replace").strip()
        if param is None and resp.status == 400 and ":" in str(description):
            head = str(description).split(":", 1)[0].strip()
            if head and " " not in head:
                param = head
        if resp.status == 400:
            msg = tr("The server refused the request: {description}").format(description=description)
            raise BadParameter(msg, resp.status, code, param, resp.url)
        if resp.status == 404:
            msg = tr("Not found on the server: {description}").format(description=description)
        elif resp.status >= 500:
            msg = tr("The server failed (HTTP {status}): {description}").format(
                status=resp.status, description=description
            )
        else:
            msg = tr("The server answered HTTP {status}: {description}").format(
                status=resp.status, description=description
            )
        raise AtlasError(msg, resp.status, code, param, resp.url)

    def get(
        self,
        path: str,
        params: Mapping[str, Any] | None = None,
        feedback: QgsFeedback | None = None,
        accept: str | None = JSON,
    ) -> Response:
        """GET ``path`` with ``params``; raises :class:`AtlasError` on a non-2xx answer. A CQL2 JSON filter
        (a dict under ``filter``: a long one, lists of identifiers) goes in the body of a POST instead, as
        OGC API Features Part 3 allows on ``/items``: no identifiers in the URL."""
        cql2, query = split_filter(params)
        if cql2 is not None:
            return self.post_filter(path, cql2, query, feedback, accept)
        return self._check(self.request(self.url(path, params), feedback=feedback, accept=accept))

    def post_filter(
        self,
        path: str,
        cql2: dict,
        params: Mapping[str, Any] | None = None,
        feedback: QgsFeedback | None = None,
        accept: str | None = JSON,
    ) -> Response:
        """POST the CQL2 JSON filter ``cql2`` to ``path`` (``/collections/{id}/items``), the other
        ``params`` in the query string; the checked :class:`Response`."""
        body = json.dumps(cql2, ensure_ascii=False).encode("utf-8")
        heads = {"Content-Type": CQL2_JSON}
        return self._check(self.request(self.url(path, params), "POST", body, heads, feedback, accept))

    def get_json(self, path: str, params: Mapping[str, Any] | None = None, feedback: QgsFeedback | None = None) -> Any:
        return self.get(path, params, feedback).json()

    def post_json(
        self,
        path: str,
        payload: Any,
        headers: Mapping[str, str] | None = None,
        feedback: QgsFeedback | None = None,
        accept: str | None = None,
    ) -> Response:
        """POST ``payload`` as JSON; the checked :class:`Response`."""
        heads = {"Content-Type": JSON, **(headers or {})}
        body = json.dumps(payload).encode("utf-8")
        return self._check(self.request(self.url(path), "POST", body, heads, feedback, accept))

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
    def items_pages(
        self,
        collection: str,
        params: Mapping[str, Any] | None = None,
        page_size: int = 500,
        feedback: QgsFeedback | None = None,
        max_pages: int = 10000,
    ) -> Iterator[dict]:
        """The pages (GeoJSON FeatureCollections) of ``/collections/{collection}/items``, following the
        ``next`` links. Geometries are in CRS84 (longitude, latitude, degrees). With a CQL2 JSON filter
        (see :meth:`get`) every page is a POST of the filter, the next one at the next ``offset`` (the
        server's ``next`` link, a GET, would leave the body out)."""
        cql2, query = split_filter(params)
        if cql2 is not None:
            yield from self._posted_pages(collection, cql2, query, page_size, feedback, max_pages)
            return
        query = {"f": "json", "limit": page_size, **query}
        url = self.url(f"/collections/{collection}/items", query)
        seen = set()
        for _ in range(max_pages):
            page = self._check(self.request(url, feedback=feedback, accept="application/geo+json")).json()
            if not isinstance(page, dict) or "features" not in page:
                raise AtlasError(tr("Unexpected answer of {url}").format(url=url))
            yield page
            nxt = next(
                (link.get("href") for link in page.get("links", []) if link.get("rel") == "next" and link.get("href")),
                None,
            )
            if not nxt or not page["features"]:
                return
            url = self.rebase(nxt)
            if url in seen:
                return
            seen.add(url)

    def _posted_pages(self, collection, cql2, params, page_size, feedback, max_pages) -> Iterator[dict]:
        path = f"/collections/{collection}/items"
        offset = int(params.pop("offset", 0) or 0)
        for _ in range(max_pages):
            query = {"f": "json", **params, "limit": page_size, "offset": offset}
            page = self.post_filter(path, cql2, query, feedback, "application/geo+json").json()
            if not isinstance(page, dict) or "features" not in page:
                raise AtlasError(tr("Unexpected answer of {url}").format(url=self.url(path, query)))
            yield page
            has_next = any(link.get("rel") == "next" for link in page.get("links", []))
            if not page["features"] or not has_next:
                return
            offset += len(page["features"])

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
        return self._check(self.request(self.style_url(collection), accept=None)).content.decode("utf-8")

    # --- OGC API Processes ------------------------------------------------------------------------------
    def execute(
        self,
        process: str,
        inputs: Mapping[str, Any],
        prefer_async: bool = False,
        feedback: QgsFeedback | None = None,
        poll_s: float = 0.5,
        max_wait_s: float = 600.0,
    ) -> Response:
        """Execute ``process`` with ``inputs``; the result (JSON, PDF, PNG, SVG, GeoTIFF...) as a Response.

        ``prefer_async`` asks for a job (``Prefer: respond-async``) that is polled every ``poll_s``
        seconds (at most ``max_wait_s``) and whose results are then fetched; a server that answers
        synchronously anyway is accepted.
        """
        heads = {"Prefer": "respond-async"} if prefer_async else {}
        payload = {"inputs": {k: v for k, v in inputs.items() if v is not None}}
        resp = self.post_json(f"/processes/{process}/execution", payload, heads, feedback)
        if resp.status != 201 and "respond-async" not in resp.headers.get("preference-applied", ""):
            return resp
        location = resp.headers.get("location")
        if not location:
            raise AtlasError(tr("The server started a job but gave no Location to follow."), resp.status)
        job_url = self.rebase(location)
        # a job is shown only to the client that started it: the server's cookie goes with every poll
        cookie = resp.headers.get("set-cookie", "").split(";")[0].strip()
        job_headers = {"Cookie": cookie} if cookie else None
        deadline = time.monotonic() + max_wait_s
        while True:
            status = self._check(
                self.request(self.url(job_url, {"f": "json"}), headers=job_headers, feedback=feedback)
            ).json()
            state = str(status.get("status", "")).lower()
            if feedback is not None and "progress" in status:
                try:
                    feedback.setProgress(float(status["progress"]))
                except (TypeError, ValueError):
                    pass
            if state == "successful":
                break
            if state in ("failed", "dismissed"):
                raise AtlasError(
                    tr("The job {job} of {process} {state}: {message}").format(
                        job=status.get("jobID", ""), process=process, state=state, message=status.get("message", "")
                    ),
                    resp.status,
                )
            if time.monotonic() > deadline:
                raise ServerUnreachable(
                    tr("The job of {process} did not finish within {s} s.").format(process=process, s=int(max_wait_s))
                )
            _sleep(poll_s, feedback)
        results = None
        for link in status.get("links", []):
            if link.get("rel", "").endswith("results"):
                results = self.rebase(link["href"])
        results = results or (job_url.split("?")[0] + "/results")
        return self._check(
            self.request(
                self.url(results, {"f": "json"} if "f=" not in results else None),
                headers=job_headers,
                feedback=feedback,
                accept=None,
            )
        )

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


def _sleep(seconds: float, feedback: QgsFeedback | None) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if feedback is not None and feedback.isCanceled():
            raise Cancelled()
        time.sleep(min(0.05, max(0.0, end - time.monotonic())))
