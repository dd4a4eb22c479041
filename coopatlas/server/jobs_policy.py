"""The jobs of the processes: who sees which, how many run at once, how long they are kept.

pygeoapi keeps every execution as a job (``/jobs``) that anyone may list and read, for ever. The server
installs a :class:`JobPolicy` on its job manager (:class:`processes._manager.AtlasManager`) and on the app
(:func:`install`):

* **owner**: every job records who started it: an account (``compte:<id>``, from the account of the
  request, given by the Bourse in ``app.extensions[ACCOUNT_OF_REQUEST]``), else an anonymous client,
  known by an unguessable cookie (:data:`OWNER_COOKIE`, set on the answer of its first execution; only
  its SHA-256 digest is recorded);
* **visibility**: ``/jobs`` lists, and ``/jobs/<id>`` and ``/jobs/<id>/results`` show, only the jobs of
  the client asking (an administrator sees all); another client's job is a 404, its id is not enough;
* **caps**: at most ``COOPATLAS_JOBS_PER_CLIENT`` asynchronous jobs running at once per client and
  ``COOPATLAS_JOBS_TOTAL`` for the whole service; beyond them an execution is refused with HTTP 429 and
  ``Retry-After`` (the check and the creation of the job hold one lock, the job store's
  ``admission_lock``: a file lock across the server's processes on the GeoPackage, an advisory lock of
  PostgreSQL across every server over the database on PostGIS, where the jobs counted are those of all
  servers: the caps hold for the cluster as a whole);
* **synchronous executions are not stored**: their job is deleted once answered (no ``Location``);
* **retention**: jobs finished (or last updated) more than ``COOPATLAS_JOBS_RETENTION_HOURS`` ago are
  deleted with their results, by the server (at most every :data:`PURGE_EVERY_SECONDS`) and by
  ``coopatlas jobs purge`` (``--older-than-hours`` to choose another age).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import re
import secrets
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pygeoapi.process.base import ProcessorExecuteError

LOGGER = logging.getLogger(__name__)

#: Cookie of an anonymous client's jobs (a random token; its digest is the owner of its jobs).
OWNER_COOKIE = "coopatlas_travaux"
#: Key of ``app.extensions``: a function ``() -> (owner, is_admin) | None``, the account of the request.
ACCOUNT_OF_REQUEST = "coopatlas.account_of_request"
#: Statuses of a job that is still to run or running.
ACTIVE = ("accepted", "running")
#: Seconds the client is told to wait when the caps are reached.
RETRY_AFTER_SECONDS = 30
#: How often a server process purges the jobs past their retention, at most.
PURGE_EVERY_SECONDS = 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")


def _env_number(name: str, default: float, kind=float):
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = kind(text)
    except ValueError:
        raise SystemExit(f"{name}: a number, not {text!r}") from None
    if value < 0:
        raise SystemExit(f"{name}: a number >= 0, not {text!r}")
    return value


@dataclass(frozen=True)
class Limits:
    """The caps and the retention of the jobs (environment variables of the same names)."""

    per_client: int = 3  # COOPATLAS_JOBS_PER_CLIENT
    total: int = 8  # COOPATLAS_JOBS_TOTAL
    retention_hours: float = 24.0  # COOPATLAS_JOBS_RETENTION_HOURS
    #: An active job older than this no longer counts against the caps (its server was stopped mid-job).
    stale_hours: float = 2.0  # COOPATLAS_JOBS_STALE_HOURS

    @classmethod
    def from_env(cls) -> Limits:
        return cls(
            per_client=_env_number("COOPATLAS_JOBS_PER_CLIENT", cls.per_client, int),
            total=_env_number("COOPATLAS_JOBS_TOTAL", cls.total, int),
            retention_hours=_env_number("COOPATLAS_JOBS_RETENTION_HOURS", cls.retention_hours),
            stale_hours=_env_number("COOPATLAS_JOBS_STALE_HOURS", cls.stale_hours),
        )


class JobsBusy(ProcessorExecuteError):
    """Too many asynchronous jobs running: HTTP 429 (the app adds ``Retry-After``)."""

    http_status_code = 429
    ogc_exception_code = "TooManyRequests"

    def __init__(self, message: str):
        super().__init__(message, user_msg=message)


def _time(text) -> float | None:
    """Seconds since the epoch of a job's ISO 8601 time (``2026-03-01T09:30:00.123456Z``), or None."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


def _request():
    """Flask's request, or None outside one (the server's own threads, the command line)."""
    from flask import has_request_context, request

    return request if has_request_context() else None


class JobPolicy:
    """The policy of the jobs of ``manager`` (a :class:`processes._manager.AtlasJobs`: its job store gives
    ``all_jobs``, ``admission_lock``, ``remove_job`` and ``result_files``); see the module."""

    def __init__(self, manager, limits: Limits | None = None):
        self.manager = manager
        self.limits = limits or Limits.from_env()
        self._last_purge = 0.0
        self._purge_lock = threading.Lock()

    # --- who asks ---
    def identity(self) -> tuple[str, bool] | None:
        """(owner, is administrator) of the current request, or None (an anonymous client with no cookie)."""
        from flask import current_app

        account_of_request = current_app.extensions.get(ACCOUNT_OF_REQUEST)
        found = account_of_request() if account_of_request else None
        if found:
            return found
        token = _request().cookies.get(OWNER_COOKIE, "")
        return (self._anonymous(token), False) if _TOKEN.fullmatch(token) else None

    @staticmethod
    def _anonymous(token: str) -> str:
        return "anonyme:" + hashlib.sha256(token.encode()).hexdigest()

    def owner(self) -> str | None:
        """The owner of a job created now: the client of the request (a new anonymous one gets its cookie)."""
        if _request() is None:
            return None
        found = self.identity()
        if found:
            return found[0]
        from flask import g

        if "job_owner_cookie" not in g:
            g.job_owner_cookie = secrets.token_urlsafe(32)
        return self._anonymous(g.job_owner_cookie)

    def may_see(self, job: dict) -> bool:
        """Whether the current request may see ``job`` (always, outside a request: the server itself)."""
        if _request() is None:
            return True
        found = self.identity()
        if found is None:
            return False
        owner, is_admin = found
        return is_admin or (job.get("owner") is not None and job.get("owner") == owner)

    # --- caps ---
    @contextmanager
    def admission(self, processor, execution_mode):
        """Around the creation of a job: refuse an asynchronous one beyond the caps (:class:`JobsBusy`)."""
        if not self.manager.runs_async(processor, execution_mode):
            yield
            return
        owner = self.owner()
        with self.manager.admission_lock():
            fresh = time.time() - self.limits.stale_hours * 3600
            active = [
                j
                for j in self.manager.all_jobs()
                if j.get("status") in ACTIVE and (_time(j.get("created")) or 0) > fresh
            ]
            if len(active) >= self.limits.total:
                raise JobsBusy(f"the atlas runs {len(active)} asynchronous jobs, its most: retry later")
            mine = sum(1 for j in active if owner is not None and j.get("owner") == owner)
            if mine >= self.limits.per_client:
                raise JobsBusy(f"you run {mine} asynchronous jobs, the most per client: wait until one ends")
            yield

    # --- retention ---
    def purge(self, older_than_hours: float | None = None) -> int:
        """Delete the jobs (and their results) finished or last updated more than ``older_than_hours`` ago
        (default: the retention; jobs still running: once stale), and result files of no job as old; the number
        of jobs deleted."""
        hours = self.limits.retention_hours if older_than_hours is None else older_than_hours
        cutoff = time.time() - hours * 3600
        stale = min(cutoff, time.time() - self.limits.stale_hours * 3600)  # a job still running is kept
        deleted = 0
        for job in self.manager.all_jobs():
            when = _time(job.get("finished")) or _time(job.get("updated")) or _time(job.get("created")) or 0
            if when <= (stale if job.get("status") in ACTIVE else cutoff) and self.delete(job.get("identifier")):
                deleted += 1
        files = self.manager.result_files()
        if files:
            known = {str(j.get("location")) for j in self.manager.all_jobs() if j.get("location")}
            for path in files:
                try:
                    if str(path) not in known and path.stat().st_mtime <= cutoff:
                        path.unlink()
                except OSError:
                    pass
        return deleted

    def maybe_purge(self) -> None:
        """:meth:`purge`, if this process has not done it in the last :data:`PURGE_EVERY_SECONDS`."""
        every = min(PURGE_EVERY_SECONDS, self.limits.retention_hours * 3600 / 2)
        if time.monotonic() - self._last_purge < every or not self._purge_lock.acquire(blocking=False):
            return
        try:
            self._last_purge = time.monotonic()
            self.purge()
        except Exception:  # noqa: BLE001 - a purge that failed is retried later; the request goes on
            LOGGER.exception("jobs not purged")
        finally:
            self._purge_lock.release()

    def delete(self, job_id: str | None) -> bool:
        """Delete a job and its result (missing ones included); whether it existed."""
        return bool(job_id) and self.manager.remove_job(job_id)


# --- the app's side: cookies, synchronous executions, purges ------------------------------------------------------


def install(app, manager) -> JobPolicy | None:
    """Put a :class:`JobPolicy` on ``manager`` (if it takes one) and its hooks on ``app``."""
    if not hasattr(type(manager), "policy"):
        LOGGER.warning("job manager %r takes no job policy: jobs are visible to all, kept for ever", manager)
        return None
    policy = manager.policy = JobPolicy(manager)

    @app.before_request
    def _purge():
        policy.maybe_purge()

    @app.after_request
    def _after(response):
        from flask import g, request
        from werkzeug.datastructures import Headers

        if isinstance(response.headers, dict):  # pygeoapi's answers carry a plain dict
            response.headers = Headers(response.headers)
        if request.endpoint == "pygeoapi.execute_process_jobs":
            location = response.headers.get("Location", "")
            if "/jobs/" in location and response.headers.get("Preference-Applied") != "respond-async":
                policy.delete(location.rstrip("/").rsplit("/", 1)[-1])  # synchronous: answered, not kept
                del response.headers["Location"]
                g.pop("job_owner_cookie", None)  # no job kept: no owner to remember
        cookie = g.pop("job_owner_cookie", None)
        if cookie:
            response.set_cookie(
                OWNER_COOKIE,
                cookie,
                max_age=int(max(policy.limits.retention_hours, 1) * 3600),
                httponly=True,
                samesite="Lax",
                secure=request.is_secure,
                path="/",
            )
        return response

    return policy


# --- command line: coopatlas jobs ---------------------------------------------------------------------------


def add_arguments(parser) -> None:
    parser.add_argument(
        "--var", default=None, help="the server's var/ folder, with its effective configuration (default: var/)"
    )
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    p = sub.add_parser("purge", help="delete the jobs (and their results) past their retention")
    p.add_argument(
        "--older-than-hours",
        type=float,
        default=None,
        help="delete the jobs finished more than this many hours ago (default: $COOPATLAS_JOBS_RETENTION_HOURS or 24)",
    )


def run(args) -> int:
    from pygeoapi.process.manager.base import get_manager

    from .serve import load_config

    root = Path(__file__).resolve().parents[2]
    if str(root) not in sys.path:  # the job manager of the configuration: processes._manager
        sys.path.insert(0, str(root))
    var = Path(args.var or root / "var").resolve()
    config_path = var / "pygeoapi-config.yml"
    if not config_path.is_file():
        print(
            f"coopatlas jobs: no {config_path}: start the server once (coopatlas serve) or give --var", file=sys.stderr
        )
        return 2
    if args.older_than_hours is not None and args.older_than_hours < 0:
        print("coopatlas jobs: --older-than-hours: a number >= 0", file=sys.stderr)
        return 2
    manager = get_manager(load_config(config_path))
    deleted = JobPolicy(manager).purge(args.older_than_hours)
    print(f"{deleted} job(s) deleted")
    return 0
