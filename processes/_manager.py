"""The job manager of the atlas: pygeoapi's TinyDB manager (jobs in a JSON file, so they survive a
restart) that refuses a bad execution request with HTTP 400 BEFORE creating a job.

pygeoapi 0.24 creates the job first and runs the process after: a bad input then becomes a failed job
(HTTP 400 with a generic message in synchronous mode, HTTP 201 and a failed job in asynchronous mode).
This manager asks the processor (:meth:`processes._common.AtlasProcessor.check_request`) to validate the
inputs, ``response`` and ``outputs`` first; the :class:`~processes._common.InputError` it raises is
answered by pygeoapi with its status (400) and a message naming the bad input, in both modes.

Configuration (``server.manager`` of ``pygeoapi-config.yml``)::

    manager:
      name: processes._manager.AtlasManager
      connection: var/jobs.tinydb.json
      output_dir: var/jobs
"""
from __future__ import annotations

from pygeoapi.process.manager.tinydb_ import TinyDBManager


class AtlasManager(TinyDBManager):
    """TinyDB job manager validating execution requests before creating their job."""

    def execute_process(self, process_id, data_dict, execution_mode=None, requested_outputs=None,
                        subscriber=None, requested_response="raw"):
        processor = self.get_processor(process_id)
        check = getattr(processor, "check_request", None)
        if check is not None:
            check(data_dict, requested_response, requested_outputs)
        return super().execute_process(process_id, data_dict, execution_mode=execution_mode,
                                       requested_outputs=requested_outputs, subscriber=subscriber,
                                       requested_response=requested_response)

    def __repr__(self):
        return f"<AtlasManager> {self.name}"
