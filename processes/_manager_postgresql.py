"""The job manager of the atlas on PostgreSQL: every server over one database sees every job and its result.

pygeoapi 0.24's :class:`~pygeoapi.process.manager.postgresql.PostgreSQLManager` (SQLAlchemy; its
``add_job``, ``update_job``, ``delete_job``) with what the atlas adds to a manager
(:class:`processes._manager.AtlasJobs`: validation first, progress, faults, the job policy), on its own table
``coopatlas_jobs.jobs`` (:data:`SCHEMA`: not the schema of the atlas, which ``coopatlas postgis`` replaces
as a whole), which also holds:

* ``owner``: the client who started the job (the job policy: jobs private to their client);
* ``output``: the job's result (``bytea``), written in the same ``UPDATE`` that marks the job successful, so
  that any server serves any job's result and no result is ever half written;
* ``server`` (``host:pid:start``) and ``heartbeat``: the process running the job, and when it last said it was
  alive (every :data:`HEARTBEAT_ENV` seconds, from a thread of that process, with the database's clock).
  A job still ``accepted`` or ``running`` whose heartbeat is older than :data:`ORPHAN_ENV` seconds belonged to
  a server that stopped (``kill -9``, a crash, a machine lost): whichever server reads the jobs next marks it
  ``failed``, with a message saying so (:data:`SERVER_STOPPED`). No job stays ``running`` for ever.

The schema and the table are created by the server when it starts (``CREATE ... IF NOT EXISTS`` under an
advisory lock: idempotent, several servers may start at once); the role of ``COOPATLAS_DATABASE_URL`` needs
the right to create a schema in the database, or an operator creates ``coopatlas_jobs`` for it beforehand.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import socket
import threading
import time

from pygeoapi.formats import F_JSON, F_JSONLD, FORMAT_TYPES
from pygeoapi.process.base import JobNotFoundError, JobResultNotFoundError
from pygeoapi.process.manager.base import BaseManager
from pygeoapi.process.manager.postgresql import PostgreSQLManager
from pygeoapi.util import JobStatus
from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    create_engine,
    delete,
    func,
    select,
    text,
    update,
)

from ._manager import AtlasJobs

LOGGER = logging.getLogger(__name__)

#: Schema of the jobs (created by the server; never replaced by ``coopatlas postgis``).
SCHEMA = "coopatlas_jobs"
#: Seconds between two heartbeats of a process running jobs (default :data:`DEFAULT_HEARTBEAT_SECONDS`).
HEARTBEAT_ENV = "COOPATLAS_JOBS_HEARTBEAT_SECONDS"
#: Seconds without a heartbeat after which a job still running is failed (default :data:`DEFAULT_ORPHAN_SECONDS`).
ORPHAN_ENV = "COOPATLAS_JOBS_ORPHAN_SECONDS"
DEFAULT_HEARTBEAT_SECONDS = 5.0
DEFAULT_ORPHAN_SECONDS = 60.0
#: The message of a job whose server stopped (``{server}`` and ``{seconds}`` filled in by the database).
SERVER_STOPPED = (
    "ServerStopped: the server running this job ({server}) stopped (no sign of life for {seconds} s); "
    "please submit the job again"
)
ACTIVE = (JobStatus.accepted.value, JobStatus.running.value)
#: Key of the advisory lock held while the job policy counts the jobs running and adds one.
_ADMISSION_LOCK = 0x636F6F704A4F4253  # "coopJOBS"
_DDL_LOCK = _ADMISSION_LOCK + 1
_TIMES = ("created", "started", "finished", "updated", "heartbeat")


def _seconds(name: str, default: float) -> float:
    text_ = os.environ.get(name, "").strip()
    if not text_:
        return default
    try:
        value = float(text_)
    except ValueError:
        raise SystemExit(f"{name}: a number of seconds, not {text_!r}") from None
    if value <= 0:
        raise SystemExit(f"{name}: a number of seconds > 0, not {text_!r}")
    return value


def jobs_table(metadata: MetaData) -> Table:
    """pygeoapi's job table (:func:`pygeoapi.process.manager.postgresql.get_table_model`, times with their
    time zone) and the atlas's columns."""
    return Table(
        "jobs",
        metadata,
        Column("identifier", String, primary_key=True, nullable=False),
        Column("type", String, nullable=False, server_default=text("'process'")),
        Column("process_id", String, nullable=False),
        Column("created", DateTime(timezone=True)),
        Column("started", DateTime(timezone=True)),
        Column("finished", DateTime(timezone=True)),
        Column("updated", DateTime(timezone=True)),
        Column("status", String, nullable=False),
        Column("location", String),
        Column("mimetype", String),
        Column("message", String),
        Column("progress", Integer, nullable=False),
        Column("owner", String),
        Column("server", String),
        Column("heartbeat", DateTime(timezone=True)),
        Column("output", LargeBinary),
        # the jobs still to end, by heartbeat: what every read of the jobs looks for (fail_orphans)
        Index("jobs_active", "heartbeat", postgresql_where=text("status IN ('accepted', 'running')")),
        schema=SCHEMA,
    )


def _result_bytes(outputs) -> bytes:
    """A job result as stored (as :func:`processes._manager.write_result` writes it into a file)."""
    if isinstance(outputs, (dict, list)):
        return json.dumps(outputs, sort_keys=True, indent=4).encode("utf-8")
    if isinstance(outputs, str):
        return outputs.encode("utf-8")
    return bytes(outputs)


def _iso(value):
    """A time of the table as pygeoapi writes it (``2026-03-01T09:30:00.123456Z``)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


class Heartbeat:
    """The thread of one process that says, every ``interval`` seconds, that the jobs it runs are alive."""

    def __init__(self, manager: PostgreSQLJobStore, interval: float):
        self.manager, self.interval = manager, interval
        self.jobs: set[str] = set()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._pid = None

    def add(self, job_id: str) -> None:
        with self._lock:
            self.jobs.add(job_id)
            if self._thread is None or self._pid != os.getpid() or not self._thread.is_alive():
                self._pid = os.getpid()  # a thread of the parent does not run in a forked worker
                self._thread = threading.Thread(target=self._run, name="coopatlas-jobs-heartbeat", daemon=True)
                self._thread.start()

    def discard(self, job_id: str) -> None:
        with self._lock:
            self.jobs.discard(job_id)

    def _run(self) -> None:
        while True:
            time.sleep(self.interval)
            with self._lock:
                jobs = list(self.jobs)
            if not jobs:
                continue
            try:
                self.manager.beat(jobs)
            except Exception:  # noqa: BLE001 - a database that does not answer: the next beat may
                LOGGER.warning("heartbeat of jobs %s not written", jobs, exc_info=True)


class PostgreSQLJobStore(PostgreSQLManager):
    """pygeoapi's PostgreSQL manager on the table :func:`jobs_table` (``connection``: the database URL), with the
    heartbeats of the jobs and their results in the table; see the module."""

    def __init__(self, manager_def: dict):
        BaseManager.__init__(self, manager_def)  # PostgreSQLManager's own model has no owner, heartbeat
        self.is_async = True
        self.id_field = "identifier"
        self.supports_subscribing = True
        self.output_dir = None  # results in the table, never in a server's folder
        self.connection = manager_def["connection"]
        url = self.connection
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg2://" + url[len("postgresql://") :]
        self._engine = create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=8)
        os.register_at_fork(after_in_child=lambda: self._engine.dispose(close=False))  # gunicorn --preload
        self.table_model = jobs_table(MetaData())
        self.c = self.table_model.c
        self.heartbeat_seconds = _seconds(HEARTBEAT_ENV, DEFAULT_HEARTBEAT_SECONDS)
        self.orphan_seconds = _seconds(ORPHAN_ENV, DEFAULT_ORPHAN_SECONDS)
        if self.orphan_seconds <= 2 * self.heartbeat_seconds:
            raise SystemExit(f"{ORPHAN_ENV} must be more than twice {HEARTBEAT_ENV}")
        self._heartbeat = Heartbeat(self, self.heartbeat_seconds)
        self._answered_only: dict[str, dict] = {}  # jobs of synchronous executions being answered
        self._local = threading.local()
        self._server = f"{socket.gethostname()}:{os.getpid()}:{int(time.time())}"
        self.create_table()

    def create_table(self) -> None:
        """The schema :data:`SCHEMA` and its table, if missing (idempotent, servers starting at once)."""
        with self._engine.begin() as con:
            con.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _DDL_LOCK})
            con.execute(text(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}"))
            self.table_model.create(con, checkfirst=True)

    @property
    def server(self) -> str:
        """``host:pid:start`` of this process (a gunicorn worker has its own id)."""
        host, pid, start = self._server.split(":")
        if int(pid) != os.getpid():
            self._server = f"{host}:{os.getpid()}:{int(time.time())}"
        return self._server

    # --- the jobs, without their result -----------------------------------------------------------------------
    def _columns(self):
        return [c for c in self.table_model.c if c.name != "output"]

    @staticmethod
    def _row(row) -> dict:
        job = dict(row._mapping)
        return {k: (_iso(v) if k in _TIMES else v) for k, v in job.items()}

    def fail_orphans(self) -> int:
        """Mark ``failed`` every job still active whose server gave no sign of life for :attr:`orphan_seconds`;
        how many (one ``UPDATE``: any server may run it at any time)."""
        message = (
            SERVER_STOPPED.replace("'", "''")
            .replace("{server}", "' || coalesce(server, '?') || '")
            .replace("{seconds}", f"{self.orphan_seconds:g}")
        )
        stmt = text(
            f"UPDATE {SCHEMA}.jobs SET status = 'failed', finished = now(), updated = now(), location = NULL, "
            f"mimetype = 'application/octet-stream', message = '{message}' "
            "WHERE status IN ('accepted', 'running') AND heartbeat < now() - make_interval(secs => :seconds)"
        )
        with self._engine.begin() as con:
            found = con.execute(stmt, {"seconds": self.orphan_seconds}).rowcount
        if found:
            LOGGER.warning("%d job(s) of a stopped server marked failed", found)
        return found

    def all_jobs(self) -> list[dict]:
        """Every job, whoever started it (the job policy's own view), after :meth:`fail_orphans`."""
        self.fail_orphans()
        with self._engine.connect() as con:
            return [self._row(r) for r in con.execute(select(*self._columns()))]

    def get_jobs(self, status=None, limit=None, offset=None) -> dict:
        self.fail_orphans()
        stmt = select(*self._columns()).order_by(self.c.created.desc())
        if status is not None:
            stmt = stmt.where(self.c.status == getattr(status, "value", status))
        with self._engine.connect() as con:
            jobs = [self._row(r) for r in con.execute(stmt)]
        start = offset or 0
        return {"jobs": jobs[start : start + limit] if limit else jobs[start:], "numberMatched": len(jobs)}

    def get_job(self, job_id: str) -> dict:
        if job_id in self._answered_only:
            return dict(self._answered_only[job_id])
        self.fail_orphans()
        with self._engine.connect() as con:
            row = con.execute(select(*self._columns()).where(self.c.identifier == job_id)).first()
        if row is None:
            raise JobNotFoundError()
        return self._row(row)

    # --- writing ----------------------------------------------------------------------------------------------
    def add_job(self, job_metadata: dict) -> str:
        """A job in the table; the job of a synchronous execution in memory only, until it is answered: no
        server needs it, and a synchronous execution writes nothing to the job store."""
        if self.synchronous():
            self._answered_only[job_metadata["identifier"]] = dict(job_metadata)
            self._local.answered = job_metadata["identifier"]
            return job_metadata["identifier"]
        return super().add_job({**job_metadata, "server": self.server, "heartbeat": func.now()})

    def update_job(self, job_id: str, update_dict: dict) -> bool:
        if job_id in self._answered_only:
            self._answered_only[job_id].update(update_dict)
            return True
        if update_dict.get("status") in ACTIVE:
            update_dict = {**update_dict, "heartbeat": func.now()}
        return super().update_job(job_id, update_dict)

    def beat(self, job_ids: list[str]) -> None:
        """This process still runs ``job_ids``."""
        with self._engine.begin() as con:
            con.execute(
                update(self.table_model)
                .where(self.c.identifier.in_(job_ids), self.c.status.in_(ACTIVE))
                .values(heartbeat=func.now(), server=self.server)
            )

    def _store_result(self, p, job_id, outputs) -> dict:
        """The result goes into the job's row, with its ``successful`` status (one ``UPDATE``); a synchronous
        execution's result only goes to its answer."""
        if job_id in self._answered_only:
            return {"location": None}
        return {"location": None, "output": _result_bytes(outputs)}

    def get_job_result(self, job_id: str):
        job = self.get_job(job_id)  # the job policy's check, through AtlasJobs
        if job["status"] != JobStatus.successful.value:
            return (None,)
        with self._engine.connect() as con:
            data = con.execute(select(self.c.output).where(self.c.identifier == job_id)).scalar()
        if data is None:
            raise JobResultNotFoundError()
        data = bytes(data)
        if job.get("mimetype") in (None, FORMAT_TYPES[F_JSON], FORMAT_TYPES[F_JSONLD]):
            try:
                return job.get("mimetype"), json.loads(data.decode("utf-8"))
            except ValueError as exc:
                raise JobResultNotFoundError() from exc
        return job["mimetype"], data

    @contextlib.contextmanager
    def admission_lock(self):
        """Held while the job policy counts the jobs running and adds one: an advisory lock of the database,
        so that the caps hold across every server."""
        with self._engine.begin() as con:
            con.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADMISSION_LOCK})
            yield

    def remove_job(self, job_id: str) -> bool:
        """Delete a job and its result, whoever started it; whether it existed."""
        if self._answered_only.pop(job_id, None) is not None:
            return True
        with self._engine.begin() as con:
            return con.execute(delete(self.table_model).where(self.c.identifier == job_id)).rowcount == 1

    def delete_job(self, job_id: str) -> bool:
        self.get_job(job_id)  # JobNotFoundError for a job the client may not see
        return self.remove_job(job_id)

    def result_files(self) -> list:
        return []


class AtlasPostgreSQLManager(AtlasJobs, PostgreSQLJobStore):
    """The atlas's job manager (:class:`processes._manager.AtlasJobs`) on PostgreSQL: see the module."""

    def execute_process(self, process_id, *args, **kwargs):
        """An execution; the job of a synchronous one is forgotten when answered (the job policy deletes it,
        :meth:`remove_job`), or here if the execution raised (no job to answer)."""
        self._local.answered = None
        try:
            return super().execute_process(process_id, *args, **kwargs)
        except BaseException:
            self._answered_only.pop(getattr(self._local, "answered", None), None)
            raise

    def _execute_handler_sync(self, p, job_id, *args, **kwargs):
        """The job runs (:class:`processes._manager.AtlasJobs`) while this process's heartbeat says so."""
        if job_id in self._answered_only:
            return super()._execute_handler_sync(p, job_id, *args, **kwargs)
        self._heartbeat.add(job_id)
        try:
            return super()._execute_handler_sync(p, job_id, *args, **kwargs)
        finally:
            self._heartbeat.discard(job_id)

    def __repr__(self):
        return f"<AtlasPostgreSQLManager> {self.name}"
