"""The guard in front of pygeoapi: hooks run for every request of the server, whatever its blueprint.

Before the request (:func:`refuse`):

* pygeoapi's write routes are refused (its transactions stay off: creating, replacing or deleting
  items of any collection): 401 without a token, 403 with one;
* pygeoapi's admin API and ``DELETE /jobs/<id>`` are for administrators;
* processes listed in ``COOPATLAS_RESTRICTED_PROCESSES`` are executed only by the roles listed;
* the jobs of :data:`PRIVATE_JOB_PROCESSES` (whose results name a private request) are hidden from all but
  administrators;
* a hot journal left in the GeoPackage by a killed writer is rolled back, and every
  :data:`~coopatlas.bourse.context.SYNC_CHECK_SECONDS` the atlas is checked against the live database.

The jobs a request starts belong to its account (:func:`job_owner`, for the server's job policy: a job is
seen by its owner and administrators only).

After the request (:func:`protect`): the jobs of :data:`PRIVATE_JOB_PROCESSES` are deleted once answered
and left out of the job list; the Bourse's own answers get their security headers (no sniffing, no
framing, a strict content security policy, no caching of private pages).
"""

from __future__ import annotations

import json
import logging

from flask import Blueprint, Response, request

from .auth import bearer_account, session_account
from .responses import BLUEPRINT, api_error, ctx

LOGGER = logging.getLogger(__name__)

blueprint = Blueprint("guard", __name__)

#: Processes whose jobs name private data: deleted once answered, hidden from all but administrators.
PRIVATE_JOB_PROCESSES = ("deposer-demande",)
#: Paths of the Bourse whose answers are private (never cached).
PRIVATE_PATHS = ("/compte", "/api", "/bourse/ambassade", "/bourse/completer")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"
)


def _need(roles: tuple[str, ...] | frozenset, what: str) -> Response | None:
    account = bearer_account()
    if account is None:
        return api_error(401, f"{what}: authentication required (Authorization: Bearer <token>)")
    if account.role not in roles:
        return api_error(403, f"{what}: not allowed for role {account.role}")
    return None


def job_owner() -> tuple[str, bool] | None:
    """The account of the request as the owner of the jobs it starts and sees, and whether it sees all
    (an administrator): ``app.extensions["coopatlas.account_of_request"]`` of the server's job policy."""
    account = bearer_account() or session_account()
    return (f"compte:{account.id}", account.is_admin) if account else None


def _job_process(job_id: str) -> str | None:
    try:
        from pygeoapi.flask_app import api_

        return (api_.manager.get_job(job_id) or {}).get("process_id")
    except Exception:  # noqa: BLE001 - unknown job: pygeoapi answers 404 itself
        return None


@blueprint.before_app_request
def refuse():
    """None to let the request through, else the refusal."""
    c = ctx()
    try:
        c.start_mail_sender()
        c.atlas.recover()
        c.ensure_synced()
    except Exception:
        LOGGER.exception("live features check failed")
    ep, method, args = request.endpoint or "", request.method, request.view_args or {}
    if ep == "pygeoapi.collection_items":
        creating = method == "POST" and not args.get("item_id") and request.mimetype == "application/geo+json"
        if method in ("PUT", "PATCH", "DELETE") or creating:
            if bearer_account() is None:
                return api_error(
                    401,
                    "writing items: authentication required; the collections are read-only "
                    "(use the Bourse and account API)",
                )
            return api_error(
                403,
                "the collections are read-only: pygeoapi transactions are off (use the Bourse and account API, /api)",
            )
    elif ep.startswith("admin."):
        return _need(("administrateur",), "pygeoapi admin API")
    elif ep == "pygeoapi.get_jobs" and method == "DELETE":
        return _need(("administrateur",), "deleting a job")
    elif ep == "pygeoapi.execute_process_jobs":
        roles = c.settings.restricted_processes.get(args.get("process_id"))
        if roles:
            return _need(roles, f"process {args.get('process_id')}")
    if ep in ("pygeoapi.get_jobs", "pygeoapi.get_job_result") and args.get("job_id"):
        if _job_process(args["job_id"]) in PRIVATE_JOB_PROCESSES:
            account = bearer_account()
            if account is None or not account.is_admin:
                return api_error(404, f"job {args['job_id']} not found", "job_id")
    return None


@blueprint.after_app_request
def protect(resp: Response) -> Response:
    ep, args = request.endpoint or "", request.view_args or {}
    if ep == "pygeoapi.execute_process_jobs" and args.get("process_id") in PRIVATE_JOB_PROCESSES:
        loc = resp.headers.get("Location", "")
        job_id = loc.rstrip("/").rsplit("/", 1)[-1] if "/jobs/" in loc else None
        if job_id:
            try:
                from pygeoapi.flask_app import api_

                api_.manager.delete_job(job_id)
            except Exception:
                LOGGER.exception("job %s of %s not deleted", job_id, args.get("process_id"))
            del resp.headers["Location"]
    elif ep == "pygeoapi.get_jobs" and not args.get("job_id") and resp.mimetype == "application/json":
        account = bearer_account()
        if account is None or not account.is_admin:
            try:
                data = json.loads(resp.get_data())
                jobs = data.get("jobs")
                if isinstance(jobs, list):
                    data["jobs"] = [j for j in jobs if j.get("processID") not in PRIVATE_JOB_PROCESSES]
                    resp.set_data(json.dumps(data, ensure_ascii=False))
            except (ValueError, AttributeError):
                pass
    if BLUEPRINT in request.blueprints:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if resp.mimetype == "text/html":
            resp.headers.setdefault("X-Frame-Options", "DENY")
            resp.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        if request.path.startswith(PRIVATE_PATHS):
            resp.headers["Cache-Control"] = "no-store"
    return resp
