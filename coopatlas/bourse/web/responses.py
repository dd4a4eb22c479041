"""What every route of the Bourse reads from a request and how it answers: the language, the client's
address, JSON answers and JSON errors ``{"code", "description", "parametre"}``."""

from __future__ import annotations

import json

from flask import Response, request

from ..context import current
from ..errors import WorkflowError

#: Name of the Bourse's blueprint (its pages and routes are in blueprints nested in it).
BLUEPRINT = "coopatlas_bourse"
#: Largest body of an HTML form (request, completion, login), in bytes.
MAX_FORM_BYTES = 100_000
#: OGC-style codes of the JSON errors, by HTTP status.
CODES = {
    400: "InvalidParameterValue",
    401: "NotAuthenticated",
    403: "Forbidden",
    404: "NotFound",
    405: "MethodNotAllowed",
    409: "Conflict",
    413: "PayloadTooLarge",
    415: "UnsupportedMediaType",
    429: "TooManyRequests",
    503: "ServiceUnavailable",
}


def ctx():
    """The live features' context of this process (:func:`coopatlas.bourse.context.current`)."""
    return current()


def lang() -> str:
    """``fr`` or ``en``: ``?lang=``, the form's ``lang``, else the browser's language, else French."""
    v = request.args.get("lang") or (request.form.get("lang") if request.method == "POST" and request.form else None)
    if v in ("fr", "en"):
        return v
    return request.accept_languages.best_match(["fr", "en"]) or "fr"


def client() -> str:
    """The client's address (from ``X-Forwarded-For`` behind a trusted proxy, see ``COOPATLAS_PROXY_FIX``)."""
    return (request.remote_addr or "inconnu")[:100]


def form_too_big() -> bool:
    """Whether the request's ``Content-Length`` is over :data:`MAX_FORM_BYTES`."""
    return (request.content_length or 0) > MAX_FORM_BYTES


def api_error(status: int, message: str, field: str | None = None, retry_after: int | None = None) -> Response:
    body = {"code": CODES.get(status, "Error"), "description": message}
    if field:
        body["parametre"] = field
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    if status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="coopatlas"'
    if retry_after:
        resp.headers["Retry-After"] = str(int(retry_after))
    return resp


def api_json(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), status=status, mimetype="application/json")


def workflow_error(exc: WorkflowError) -> Response:
    """The JSON error of a :class:`~coopatlas.bourse.errors.WorkflowError`."""
    return api_error(exc.status, exc.message, exc.field, exc.retry_after)


def json_body() -> dict:
    """The request's JSON object; :class:`~coopatlas.bourse.errors.WorkflowError` 400 otherwise."""
    try:
        data = request.get_json(silent=True)
    except RecursionError:  # the json module's recursion limit: nested thousands of levels deep
        raise WorkflowError(400, "body", "the JSON body is nested too deep") from None
    if not isinstance(data, dict):
        raise WorkflowError(400, "body", "a JSON object is expected (Content-Type: application/json)")
    return data
