"""HTTP with a CoopAtlas server: URLs, one request, the check of its status (the atlas's endpoints are
:mod:`.client`'s).

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from qgis.core import QgsBlockingNetworkRequest, QgsFeedback
from qgis.PyQt.QtCore import QByteArray, QUrl
from qgis.PyQt.QtNetwork import QNetworkReply, QNetworkRequest

from .errors import AtlasError, BadParameter, Cancelled, ServerUnreachable
from .i18n import tr

DEFAULT_URL = "http://127.0.0.1:5000"
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


class HttpClient:
    """Requests to one server at ``base_url`` (e.g. ``http://127.0.0.1:5000``).

    ``timeout_s`` is the transfer timeout of one request in seconds (no byte received for that long).
    """

    def __init__(self, base_url: str = DEFAULT_URL, timeout_s: float = 60.0):
        self.base_url = normalise_url(base_url)
        self.timeout_s = timeout_s

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

    def check(self, resp: Response) -> Response:
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
        return self.check(self.request(self.url(path, params), feedback=feedback, accept=accept))

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
        return self.check(self.request(self.url(path, params), "POST", body, heads, feedback, accept))

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
        return self.check(self.request(self.url(path), "POST", body, heads, feedback, accept))
