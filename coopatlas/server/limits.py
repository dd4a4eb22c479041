"""The request body limit of the server: a WSGI middleware in front of the whole app.

Every request body, whether its size is announced (``Content-Length``) or not (``Transfer-Encoding:
chunked``), is limited: a body announced larger than the limit is refused at once with HTTP 413, before a
byte of it is read; a chunked body is read up to the limit and refused with 413 as soon as it passes it
(else it is handed to the app as an ordinary body of known length). Every body is read whole before the
app runs: a client that stops sending it is answered 408 after the server's read timeout
(:mod:`coopatlas.server.worker`), a body shorter than announced 400. The answer says the limit, as JSON
(OGC API exception) or as a small HTML page for browsers, and closes the connection (the rest of the
body is never read).

Limits (``COOPATLAS_MAX_BODY_KB``, default :data:`DEFAULT_MAX_BODY_BYTES`): every route, except the
uploads of the personal spaces (``/api/espace``, ``/compte/espace``), whose limit is the largest file of a
personal space plus the multipart envelope: the Bourse declares them in
``app.extensions[UPLOAD_LIMITS]`` (path prefix → bytes).

Every HTTP 429 of the server says when to retry (:func:`retry_after`).
"""

from __future__ import annotations

import errno
import html
import json
import os
import tempfile

#: Default largest request body, in bytes (JSON requests, forms, CQL2 filters, execute requests).
DEFAULT_MAX_BODY_BYTES = 1024 * 1024
#: Key of ``app.extensions`` where extensions declare the routes taking larger bodies (path prefix → bytes).
UPLOAD_LIMITS = "coopatlas.upload_limits"
#: How much of a body is read at a time.
CHUNK = 64 * 1024
#: Bodies up to this size are held in memory, larger ones in a temporary file.
SPOOL_BYTES = 1024 * 1024


def max_body_bytes() -> int:
    """``COOPATLAS_MAX_BODY_KB`` in bytes, else :data:`DEFAULT_MAX_BODY_BYTES`."""
    text = os.environ.get("COOPATLAS_MAX_BODY_KB", "").strip()
    if not text:
        return DEFAULT_MAX_BODY_BYTES
    try:
        value = int(float(text) * 1024)
    except ValueError:
        raise SystemExit(f"COOPATLAS_MAX_BODY_KB: a size in kilobytes, not {text!r}") from None
    if value <= 0:
        raise SystemExit(f"COOPATLAS_MAX_BODY_KB: a positive size in kilobytes, not {text!r}")
    return value


class BodyLimit:
    """WSGI middleware: bodies over ``limit`` bytes (``uploads[prefix]`` on paths under a prefix) → HTTP 413."""

    def __init__(self, app, limit: int, uploads: dict[str, int] | None = None):
        self.app = app
        self.limit = limit
        self.uploads = dict(uploads or {})

    def limit_of(self, path: str) -> int:
        for prefix, limit in self.uploads.items():
            if path == prefix or path.startswith(prefix.rstrip("/") + "/"):
                return max(limit, self.limit)
        return self.limit

    def __call__(self, environ, start_response):
        limit = self.limit_of(environ.get("PATH_INFO") or "")
        announced = environ.get("CONTENT_LENGTH")
        chunked = "chunked" in (environ.get("HTTP_TRANSFER_ENCODING") or "").lower()
        size = None
        if announced and not chunked:
            try:
                size = int(announced)
            except ValueError:
                return self._refuse(environ, start_response, 400, "Content-Length: not a number of bytes")
            if size > limit:
                return self._too_large(environ, start_response, limit)
        if chunked or size:
            # the whole body is read here, before the app: a client that stops sending is a 408 (the server's
            # read timeout), not an error of the app; at most the limit is held (on disk beyond SPOOL_BYTES)
            body = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
            stream = environ.get("wsgi.input")
            wanted = limit + 1 if size is None else size
            try:
                while stream is not None and body.tell() < wanted:
                    chunk = stream.read(min(CHUNK, wanted - body.tell()))
                    if not chunk:
                        break
                    body.write(chunk)
            except OSError as exc:
                if exc.errno in (errno.EAGAIN, errno.EWOULDBLOCK, errno.ETIMEDOUT) or isinstance(exc, TimeoutError):
                    return self._refuse(environ, start_response, 408, "request body: the client stopped sending it")
                raise
            if body.tell() > limit:
                return self._too_large(environ, start_response, limit)
            if size is not None and body.tell() < size:
                return self._refuse(
                    environ,
                    start_response,
                    400,
                    f"request body: {body.tell()} bytes of the {size} announced (Content-Length)",
                )
            environ["CONTENT_LENGTH"] = str(body.tell())
            environ.pop("HTTP_TRANSFER_ENCODING", None)
            body.seek(0)
            environ["wsgi.input"] = body
        return self.app(environ, start_response)

    def _too_large(self, environ, start_response, limit: int):
        return self._refuse(
            environ,
            start_response,
            413,
            f"request body too large: at most {_size(limit)} ({limit} bytes) on this route",
        )

    @staticmethod
    def _refuse(environ, start_response, status: int, message: str):
        reason = {400: "Bad Request", 408: "Request Timeout", 413: "Content Too Large"}[status]
        code = {400: "InvalidParameterValue", 408: "RequestTimeout", 413: "PayloadTooLarge"}[status]
        accept = environ.get("HTTP_ACCEPT") or ""
        if "text/html" in accept and not (environ.get("PATH_INFO") or "").startswith("/api/"):
            text = html.escape(message)
            body = (
                f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{status} {reason}</title></head>'
                f"<body><h1>{status} {reason}</h1><p>{text}</p></body></html>"
            ).encode()
            media_type = "text/html; charset=utf-8"
        else:
            body = json.dumps({"code": code, "type": code, "description": message}).encode("utf-8")
            media_type = "application/json"
        start_response(
            f"{status} {reason}",
            [("Content-Type", media_type), ("Content-Length", str(len(body))), ("Connection", "close")],
        )
        return [body]


#: Seconds to wait given with a 429 whose maker said none.
DEFAULT_RETRY_AFTER = 30


def retry_after(response):
    """Every 429 says when to retry (``Retry-After``): a Flask ``after_request`` hook."""
    if response.status_code == 429 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(DEFAULT_RETRY_AFTER)
    return response


def _size(n: int) -> str:
    return f"{n / (1024 * 1024):g} MB" if n >= 1024 * 1024 else f"{n / 1024:g} kB"
