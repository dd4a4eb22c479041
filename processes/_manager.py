"""The job manager of the atlas: pygeoapi's TinyDB manager (jobs in a JSON file, so they survive a
restart) that refuses a bad execution request with HTTP 400 BEFORE creating a job, and reports the
progress of the jobs it runs.

pygeoapi 0.24 creates the job first and runs the process after: a bad input then becomes a failed job
(HTTP 400 with a generic message in synchronous mode, HTTP 201 and a failed job in asynchronous mode).
This manager asks the processor (:meth:`processes._common.AtlasProcessor.check_request`) to validate the
inputs, ``response`` and ``outputs`` first; the :class:`~processes._common.InputError` it raises is
answered by pygeoapi with its status (400) and a message naming the bad input, in both modes.

pygeoapi 0.24 also leaves a job ``accepted`` at 5 % until it ends: this manager marks it ``running`` when
its process starts (:data:`START_PROGRESS`) and gives the processor a :class:`JobProgress`
(``report_progress``), through which the process reports how far it is (``/jobs/<id>``: ``status``,
``progress``, ``message``), e.g. each country of an atlas of ``carte-pays``.

What the atlas adds to a job manager is :class:`AtlasJobs`; :class:`AtlasManager` keeps the jobs in TinyDB
(the GeoPackage mode: one server), :class:`processes._manager_postgresql.AtlasPostgreSQLManager` in PostgreSQL
(the PostGIS mode: any number of servers over one database). Configuration (``server.manager`` of
``pygeoapi-config.yml``, written by :func:`coopatlas.server.config_providers.job_manager_stanza`)::

    manager:
      name: processes._manager.AtlasManager
      connection: var/jobs.tinydb.json
      output_dir: var/jobs
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import threading
import time
from pathlib import Path

import tinydb
from pygeoapi.process.base import JobNotFoundError, ProcessorExecuteError
from pygeoapi.process.manager.tinydb_ import TinyDBManager
from pygeoapi.util import JobStatus, RequestedResponse, get_current_datetime

from coopatlas.store.faults import RETRY_AFTER_SECONDS, BackendUnavailable, forget_connections, unavailable_cause

LOGGER = logging.getLogger(__name__)

#: Progress of a job once its process runs; the process's own reports go from there to :data:`END_PROGRESS`
#: (pygeoapi writes 95 % while it stores the result, 100 % when done).
START_PROGRESS = 10
END_PROGRESS = 94


#: What a job that met a fault says (``/jobs/<id>``: ``message``; in synchronous mode, the 503's description).
DATABASE_UNAVAILABLE = "the atlas database is temporarily unavailable; please submit the job again later"
RESULT_NOT_WRITTEN = (
    "the job result could not be stored (the server's disk is full or not writable); please submit the job again later"
)


class JobFault(ProcessorExecuteError):
    """A job that met a fault, not a bad input: answered 503 (``Retry-After``) in synchronous mode."""

    http_status_code = 503
    ogc_exception_code = "ServiceUnavailable"

    def __init__(self, message: str):
        super().__init__(message, user_msg=message)
        self.retry_after = RETRY_AFTER_SECONDS


def _fault_message(exc: BaseException) -> str:
    """The user's message of the :class:`BackendUnavailable` behind ``exc`` if there is one (e.g. the live
    database's), else :data:`DATABASE_UNAVAILABLE`."""
    while exc is not None:
        if (
            isinstance(exc, BackendUnavailable)
            and not isinstance(exc, ProcessorExecuteError)
            and getattr(exc, "what", "atlas") != "atlas"
        ):
            return exc.message
        exc = exc.__cause__ or exc.__context__
    return DATABASE_UNAVAILABLE


def write_result(path, outputs) -> None:
    """Write a job result whole or not at all: into a temporary file next to ``path``, flushed to disk, then
    renamed onto ``path``; on any error the temporary file is removed and ``OSError`` raised."""
    import json
    import os

    if isinstance(outputs, (dict, list)):
        data = json.dumps(outputs, sort_keys=True, indent=4).encode("utf-8")
    elif isinstance(outputs, str):
        data = outputs.encode("utf-8")
    else:
        data = bytes(outputs)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


class JobProgress:
    """``report(fraction, message)``: writes ``running``, a progress between :data:`START_PROGRESS` and
    :data:`END_PROGRESS` (``fraction`` 0 to 1) and ``message`` into the job, at most every ``interval``
    seconds (the job store is shared by the server's workers, and by every server in PostgreSQL)."""

    def __init__(self, manager, job_id: str, interval: float = 0.5):
        self.manager, self.job_id, self.interval = manager, job_id, interval
        self._last = float("-inf")
        self._progress = START_PROGRESS

    def __call__(self, fraction: float, message: str) -> None:
        now = time.monotonic()
        progress = int(START_PROGRESS + (END_PROGRESS - START_PROGRESS) * max(0.0, min(1.0, float(fraction))))
        if progress <= self._progress or now - self._last < self.interval:
            return  # never backwards, never more often than every interval
        self._write(progress, message)
        self._last = now

    def start(self, message: str) -> None:
        self._write(START_PROGRESS, message)

    def _write(self, progress: int, message: str) -> None:
        self._progress = progress
        try:
            self.manager.update_job(
                self.job_id,
                {
                    "status": "running",
                    "progress": progress,
                    "message": str(message)[:200],
                    "updated": get_current_datetime(),
                },
            )
        except Exception:  # a progress report never fails the job
            LOGGER.warning("could not write the progress of job %s", self.job_id, exc_info=True)


_THREAD = threading.local()


class AtlasJobs:
    """What the atlas adds to a pygeoapi job manager (mixed in before it): requests validated before their job
    is created, progress, faults ending a job with a clear message, the server's job policy. The store of the
    jobs (TinyDB here, PostgreSQL in :mod:`processes._manager_postgresql`) gives :meth:`all_jobs`,
    :meth:`admission_lock`, :meth:`remove_job` and :meth:`_store_result`."""

    def execute_process(
        self,
        process_id,
        data_dict,
        execution_mode=None,
        requested_outputs=None,
        subscriber=None,
        requested_response="raw",
    ):
        processor = self.get_processor(process_id)
        check = getattr(processor, "check_request", None)
        if check is not None:
            try:
                check(data_dict, requested_response, requested_outputs)
            except Exception as exc:  # the inputs are checked against the database: it may not answer
                if isinstance(exc, ProcessorExecuteError) or not unavailable_cause(exc):
                    raise
                forget_connections()
                raise JobFault(_fault_message(exc)) from exc
        admission = self.policy.admission(processor, execution_mode) if self.policy else contextlib.nullcontext()
        _THREAD.synchronous = not self.runs_async(processor, execution_mode)
        try:
            with admission:
                return super().execute_process(
                    process_id,
                    data_dict,
                    execution_mode=execution_mode,
                    requested_outputs=requested_outputs,
                    subscriber=subscriber,
                    requested_response=requested_response,
                )
        except Exception as exc:  # the job store (PostgreSQL) may not answer: no job was created
            if isinstance(exc, JobFault) or not unavailable_cause(exc):
                raise
            forget_connections()
            raise JobFault(DATABASE_UNAVAILABLE) from exc
        finally:
            _THREAD.synchronous = False

    def runs_async(self, processor, execution_mode) -> bool:
        """Whether pygeoapi runs this execution as an asynchronous job (as its manager decides)."""
        options = (getattr(processor, "metadata", None) or {}).get("jobControlOptions", [])
        if getattr(execution_mode, "value", execution_mode) == "respond-async":
            return bool(self.is_async) and "async-execute" in options
        return "sync-execute" not in options

    @staticmethod
    def synchronous() -> bool:
        """Whether this thread is executing a synchronous request (its job is answered, never kept: a job
        store may keep it in memory only)."""
        return getattr(_THREAD, "synchronous", False)

    def _execute_handler_async(self, p, job_id, *args, **kwargs):
        p.atlas_async = True  # a fault ends the job failed; there is no request to answer 503
        return super()._execute_handler_async(p, job_id, *args, **kwargs)

    def _execute_handler_sync(
        self, p, job_id, data_dict, requested_outputs=None, subscriber=None, requested_response="raw"
    ):
        """pygeoapi's handler (both modes run it; asynchronous jobs in a thread), after marking the job
        ``running`` and giving the processor its :class:`JobProgress`; a fault (a database that cannot
        answer, a result that cannot be written) ends the job ``failed`` with a clear message (HTTP 503
        in synchronous mode) and never leaves a half-written result (:func:`write_result`)."""
        report = JobProgress(self, job_id)
        report.start(f"Job running ({p.metadata.get('id', 'process')})")
        p.report_progress = report
        try:
            return self._run_and_store(p, job_id, data_dict, requested_outputs, subscriber, requested_response)
        except JobFault as fault:
            LOGGER.error("job %s failed: %s", job_id, fault.message, exc_info=fault.__cause__)
            forget_connections()  # this thread's connections: the next job opens new ones
            try:
                self.update_job(
                    job_id,
                    {
                        "finished": get_current_datetime(),
                        "updated": get_current_datetime(),
                        "status": JobStatus.failed.value,
                        "location": None,
                        "mimetype": "application/octet-stream",
                        "message": f"ServiceUnavailable: {fault.message}",
                    },
                )
            except Exception:  # the job store itself cannot be written
                LOGGER.error("could not mark job %s failed", job_id, exc_info=True)
            self._send_failed_notification(subscriber)
            if getattr(p, "atlas_async", False):
                return "application/json", None, JobStatus.failed
            raise fault from None

    def _run_and_store(self, p, job_id, data_dict, requested_outputs, subscriber, requested_response):
        """The process run, its result written whole (:func:`write_result`), the job marked successful."""
        extra = {"outputs": requested_outputs} if p.supports_outputs else {}
        self._send_in_progress_notification(subscriber)
        try:
            mimetype, outputs = p.execute(data_dict, **extra)
        except Exception as exc:
            if not unavailable_cause(exc):
                return self._failed(job_id, exc, subscriber)
            raise JobFault(_fault_message(exc)) from exc
        if isinstance(outputs, bytes) and outputs.isascii():
            outputs = outputs.decode("utf-8")
        if requested_response == RequestedResponse.document.value:
            outputs = {"outputs": [outputs]}
        self.update_job(
            job_id,
            {
                "updated": get_current_datetime(),
                "status": JobStatus.running.value,
                "message": "Writing job output",
                "progress": 95,
            },
        )
        self.update_job(
            job_id,
            {
                **self._store_result(p, job_id, outputs),
                "finished": get_current_datetime(),
                "updated": get_current_datetime(),
                "status": JobStatus.successful.value,
                "mimetype": mimetype,
                "message": "Job complete",
                "progress": 100,
            },
        )
        self._send_success_notification(subscriber, outputs=outputs)
        return mimetype, outputs, JobStatus.successful

    def _failed(self, job_id, exc, subscriber):
        """A process error that is no fault (pygeoapi's answer: the job failed, HTTP 400)."""
        LOGGER.exception(exc)
        code = "InvalidParameterValue"
        outputs = {"type": code, "code": code, "description": f"Error executing process: {exc}"}
        self.update_job(
            job_id,
            {
                "finished": get_current_datetime(),
                "updated": get_current_datetime(),
                "status": JobStatus.failed.value,
                "location": None,
                "mimetype": "application/octet-stream",
                "message": f"{code}: {outputs['description']}",
            },
        )
        self._send_failed_notification(subscriber)
        return "application/json", outputs, JobStatus.failed

    # --- served by threads, under the server's job policy ---------------------------------------------------
    #: The server's :class:`coopatlas.server.jobs_policy.JobPolicy` (owners, visibility, caps), or None.
    policy = None

    @property
    def processor(self):
        """pygeoapi keeps the processor being executed on the manager, shared by the server's threads: one
        per thread here, so that two executions at once never swap processors (the background thread of an
        asynchronous job, which sets none, reads the last one set, as pygeoapi does)."""
        return getattr(_THREAD, "processor", None) or self.__dict__.get("_last_processor")

    @processor.setter
    def processor(self, value):
        _THREAD.processor = self.__dict__["_last_processor"] = value

    def add_job(self, job_metadata):
        if self.policy is not None:
            job_metadata = {**job_metadata, "owner": self.policy.owner()}
        return super().add_job(job_metadata)

    def get_jobs(self, status=None, limit=None, offset=None):
        if self.policy is None:
            return super().get_jobs(status, limit, offset)
        jobs = [j for j in super().get_jobs(status)["jobs"] if self.policy.may_see(j)]
        start = offset or 0
        return {"jobs": jobs[start : start + limit] if limit else jobs[start:], "numberMatched": len(jobs)}

    def get_job(self, job_id):
        job = super().get_job(job_id)
        if self.policy is not None and not self.policy.may_see(job):
            raise JobNotFoundError()
        return job


class AtlasManager(AtlasJobs, TinyDBManager):
    """TinyDB job manager (jobs in a JSON file of the server's ``var/``, results in files of ``output_dir``)
    validating execution requests before creating their job, reporting progress."""

    def _store_result(self, p, job_id, outputs) -> dict:
        """Write the result into ``output_dir`` (:func:`write_result`); the job's fields saying where."""
        location = None
        if self.output_dir is not None:
            location = self.output_dir / f"{p.metadata['id']}-{job_id}"
            try:
                write_result(location, outputs)
            except OSError as exc:
                raise JobFault(RESULT_NOT_WRITTEN) from exc
        return {"location": str(location)}

    def all_jobs(self) -> list[dict]:
        """Every job, whoever started it (the job policy's own view)."""
        return TinyDBManager.get_jobs(self)["jobs"]

    @contextlib.contextmanager
    def admission_lock(self):
        """Held while the job policy counts the jobs running and adds one: a file lock next to the job store,
        across the server's processes."""
        with open(f"{self.connection}.admission.lock", "a") as fh:
            fcntl.flock(fh, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh, fcntl.LOCK_UN)

    def remove_job(self, job_id: str) -> bool:
        """Delete a job and its result file (a missing one included), whoever started it; whether it existed."""
        try:
            job = TinyDBManager.get_job(self, job_id)
        except JobNotFoundError:
            return False
        location = job.get("location")
        if location and location != "None":
            Path(location).unlink(missing_ok=True)
        with self._db() as db:
            return bool(db.remove(tinydb.where("identifier") == job_id))

    def result_files(self) -> list[Path]:
        """The result files of ``output_dir`` (those of no job are purged by the job policy)."""
        if self.output_dir is None or not Path(self.output_dir).is_dir():
            return []
        return [path for path in Path(self.output_dir).iterdir() if path.is_file()]

    def __repr__(self):
        return f"<AtlasManager> {self.name}"
