"""A database that cannot answer, as the server says it: HTTP 503, an OGC exception in JSON, ``Retry-After``.

Every layer raises :class:`coopatlas.store.faults.BackendUnavailable` (or, in a pygeoapi provider,
:class:`ProviderUnavailable`, which pygeoapi's own routes answer with its status, 503). :func:`install`
registers on the Flask app:

* an error handler for :class:`BackendUnavailable` and for the drivers' errors that mean a database cannot
  answer (:func:`coopatlas.store.faults.unavailable_cause`: SQLite file missing, corrupt, read-only or full;
  PostgreSQL down or restarting), on every route: the atlas's, the Bourse's, and any blueprint added later
  (tiles...): ``{"code": "ServiceUnavailable", "description": ...}`` with no path nor driver message (those
  are logged);
* ``Retry-After`` on every 503 that lacks it (pygeoapi's own exception responses have none), and the JSON
  media type on a 503 whose JSON body was sent as something else (pygeoapi's tiles route).
"""

from __future__ import annotations

import json
import logging
import sqlite3

from flask import Flask, Response
from pygeoapi.provider.base import ProviderConnectionError

from ..store.faults import RETRY_AFTER_SECONDS, BackendUnavailable, forget_connections, unavailable_cause

LOGGER = logging.getLogger(__name__)

#: What the user reads, by database.
MESSAGES = {
    "atlas": "the atlas database is temporarily unavailable; please retry later",
    "live": "the Bourse database is temporarily unavailable; nothing was recorded; please retry later",
    "jobs": "the job store is temporarily unavailable; please retry later",
}


class ProviderUnavailable(ProviderConnectionError, BackendUnavailable):
    """What a feature provider raises when its database cannot answer: pygeoapi answers it with HTTP 503."""

    http_status_code = 503
    ogc_exception_code = "ServiceUnavailable"
    default_msg = MESSAGES["atlas"]

    def __init__(self, detail: str | None = None, what: str = "atlas"):
        ProviderConnectionError.__init__(self, detail or MESSAGES[what], user_msg=MESSAGES[what])
        self.what = what
        self.retry_after = RETRY_AFTER_SECONDS


def unavailable_response(message: str, retry_after: int = RETRY_AFTER_SECONDS) -> Response:
    """The 503 of a database that cannot answer (OGC exception JSON, ``Retry-After``)."""
    body = {"code": "ServiceUnavailable", "type": "ServiceUnavailable", "description": message}
    resp = Response(json.dumps(body, ensure_ascii=False), status=503, mimetype="application/json")
    resp.headers["Retry-After"] = str(int(retry_after))
    return resp


def _backend_unavailable(exc: BackendUnavailable) -> Response:
    forget_connections()
    LOGGER.error("backend unavailable (%s): %s", getattr(exc, "what", "?"), exc, exc_info=exc)
    message = MESSAGES.get(getattr(exc, "what", "atlas"), MESSAGES["atlas"])
    if not isinstance(exc, ProviderConnectionError) and getattr(exc, "message", None):
        message = exc.message
    return unavailable_response(message, getattr(exc, "retry_after", RETRY_AFTER_SECONDS))


def _driver_error(exc: Exception) -> Response:
    if unavailable_cause(exc):
        forget_connections()
        LOGGER.error("database unavailable: %s", exc, exc_info=exc)
        return unavailable_response(MESSAGES["atlas"])
    LOGGER.error("database error", exc_info=exc)
    body = {"code": "NoApplicableCode", "type": "NoApplicableCode", "description": "internal server error"}
    return Response(json.dumps(body), status=500, mimetype="application/json")


def _retry_after(response: Response) -> Response:
    if response.status_code != 503:
        return response
    if "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if (
        response.mimetype not in ("application/json", "text/html")
        and not response.is_streamed
        and response.get_data()[:1] == b"{"
    ):
        # pygeoapi's tiles route keeps the tile's media type on its JSON exception
        response.headers["Content-Type"] = "application/json"
    return response


def driver_errors() -> tuple[type, ...]:
    """The exception classes of the database drivers in use (SQLite, and psycopg2/SQLAlchemy if installed)."""
    classes: list[type] = [sqlite3.Error]
    try:
        import psycopg2

        classes.append(psycopg2.Error)
    except ImportError:
        pass
    try:
        from sqlalchemy.exc import DBAPIError

        classes.append(DBAPIError)
    except ImportError:
        pass
    return tuple(classes)


def install(app: Flask) -> None:
    """Register the 503 handlers and the ``Retry-After`` header on ``app`` (once)."""
    if app.extensions.get("coopatlas.faults"):
        return
    app.extensions["coopatlas.faults"] = True
    app.register_error_handler(BackendUnavailable, _backend_unavailable)
    for cls in driver_errors():
        app.register_error_handler(cls, _driver_error)
    app.after_request(_retry_after)
