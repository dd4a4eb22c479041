"""What a personal space keeps of this server's own products: the PNG of one of its map URLs
(``/collections/<id>/map?...``) and the PDF of one of its report processes, made in-process by direct
calls (no HTTP request to itself); and how a kept item is downloaded.

The map is made by the server that mounts the Bourse: it puts its map maker in
``app.extensions[MAP_MAKER]``, a function ``(collection_id, query_args) -> PNG bytes`` that validates the
parameters as ``/collections/<id>/map`` does and raises ``LookupError`` for a collection with no map, or an
exception whose ``user_msg`` names the bad parameter (:func:`coopatlas.server.maps.collection_png`).
The PDF is made by the report process through pygeoapi's process manager, which validates its inputs
as ``/processes/<id>/execution`` does.
"""

from __future__ import annotations

import logging
import re
from urllib.parse import parse_qsl, urlsplit

from flask import Response, current_app, request
from werkzeug.datastructures import MultiDict

from ...store.faults import BackendUnavailable, unavailable_cause
from .. import space
from ..accounts import Account
from ..errors import WorkflowError
from .responses import ctx

LOGGER = logging.getLogger(__name__)

#: Key of ``app.extensions`` where the server puts its map maker.
MAP_MAKER = "coopatlas.map_png"
#: Report processes whose PDF a personal space can keep.
PDF_PROCESSES = ("rapport", "statistiques", "fiche-projet")
MEDIA_EXTENSIONS = {"application/json": "json", "image/png": "png", "application/pdf": "pdf"}


def map_png(source: str) -> tuple[bytes, dict]:
    """A PNG map made by this server from one of its ``/collections/<id>/map`` URLs, and its parameters."""
    parts = urlsplit((source or "").strip())
    path = parts.path
    if parts.netloc and parts.netloc != request.host:
        raise WorkflowError(400, "source", "a map URL of this server")
    root = request.script_root
    if root and path.startswith(root + "/"):
        path = path[len(root) :]
    found = re.fullmatch(r"/collections/([A-Za-z0-9_]+)/map", path)
    if not found:
        raise WorkflowError(400, "source", "a map URL of this server: /collections/<id>/map?...")
    maker = current_app.extensions.get(MAP_MAKER)
    if maker is None:
        raise WorkflowError(400, "source", "this server makes no maps")
    try:
        png = maker(found.group(1), MultiDict(parse_qsl(parts.query, keep_blank_values=True)))
    except BackendUnavailable:
        raise  # 503: the atlas cannot answer now, the request was right
    except LookupError:
        raise WorkflowError(
            400, "source", f"the map could not be made: no map of collection {found.group(1)!r}"
        ) from None
    except Exception as exc:  # noqa: BLE001 - a bad parameter (its message names it), or a failure (logged)
        if unavailable_cause(exc):
            raise BackendUnavailable("the atlas database is temporarily unavailable; please retry later") from exc
        detail = getattr(exc, "user_msg", None)
        if not detail:
            LOGGER.exception("map %s not made for a personal space", path)
        raise WorkflowError(400, "source", f"the map could not be made: {detail or 'the server failed'}") from None
    return png, {"source": path + (f"?{parts.query}" if parts.query else "")}


def report_pdf(account: Account, process: str, inputs) -> tuple[bytes, dict]:
    """A PDF made by one of this server's report processes for ``account``, and its parameters. Processes of
    ``COOPATLAS_RESTRICTED_PROCESSES`` are made for the roles listed only, as by the guard."""
    if process not in PDF_PROCESSES:
        raise WorkflowError(400, "processus", f"one of {', '.join(PDF_PROCESSES)}")
    if not isinstance(inputs, dict):
        raise WorkflowError(400, "inputs", "an object of the process's inputs")
    roles = ctx().settings.restricted_processes.get(process)
    if roles and account.role not in roles:
        raise WorkflowError(
            400, "inputs", f"the PDF could not be made: process {process}: not allowed for role {account.role}"
        )
    inputs = {**inputs, "format": "pdf"}
    from pygeoapi.flask_app import api_
    from pygeoapi.process.base import ProcessorExecuteError
    from pygeoapi.process.manager.base import UnknownProcessError

    try:
        media_type, pdf = api_.manager.get_processor(process).execute(inputs)
    except UnknownProcessError:
        raise WorkflowError(400, "processus", f"the PDF could not be made: no process {process} here") from None
    except BackendUnavailable:
        raise  # 503: the atlas cannot answer now, the request was right
    except ProcessorExecuteError as exc:
        raise WorkflowError(400, "inputs", f"the PDF could not be made: {exc.message}") from None
    except Exception as exc:  # noqa: BLE001 - the process failed: logged, and the request answered
        if unavailable_cause(exc):
            raise BackendUnavailable("the atlas database is temporarily unavailable; please retry later") from exc
        LOGGER.exception("process %s failed for a personal space", process)
        raise WorkflowError(400, "inputs", "the PDF could not be made: the process failed") from None
    if media_type != "application/pdf" or not isinstance(pdf, bytes):
        raise WorkflowError(400, "inputs", "the PDF could not be made: the process made no PDF")
    return pdf, {"processus": process, "inputs": inputs}


def criteria_from_text(text: str) -> dict:
    """The criteria of a search typed as a query string (``pays=BF&pays=SN`` → ``{"pays": "BF,SN"}``)."""
    pairs = parse_qsl((text or "").lstrip("?"), keep_blank_values=False)
    out: dict = {}
    for k, v in pairs:
        out[k] = f"{out[k]},{v}" if k in out else v
    return out


def download(account: Account, item_id: int) -> Response:
    """An item of the personal space of ``account`` as an attachment."""
    meta, data = space.get_item(ctx(), account, item_id)
    ext = MEDIA_EXTENSIONS[meta["media_type"]]
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", meta["nom"]).strip("_")[:60] or "element"
    resp = Response(data, mimetype=meta["media_type"])
    resp.headers["Content-Disposition"] = f'attachment; filename="{safe}.{ext}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp
