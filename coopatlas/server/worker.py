"""The gunicorn worker of ``coopatlas serve``: gunicorn's threaded worker (``gthread``) with read and
write timeouts on every client connection.

With threads, an idle or slow client holds one thread of one worker, not the worker: the others keep
serving. gunicorn waits for the first bytes of a connection without taking a thread, but once a request
has begun, its parser reads the rest with blocking reads and no deadline: a client that sends half a
request and waits would hold its thread for ever. Here every connection gets kernel timeouts
(``SO_RCVTIMEO``, ``SO_SNDTIMEO``): a read that waits more than :envvar:`COOPATLAS_READ_TIMEOUT` seconds
(headers or body), or a write to a client that reads nothing for :envvar:`COOPATLAS_WRITE_TIMEOUT` seconds,
fails and the connection is closed, freeing the thread.
"""

from __future__ import annotations

import errno
import logging
import os
import socket
import struct

from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker

#: Default seconds a client may keep the server waiting between two reads (request line, headers, body).
DEFAULT_READ_TIMEOUT = 10
#: Default seconds a client may keep the server waiting while it sends the answer.
DEFAULT_WRITE_TIMEOUT = 60
#: Errors of a read or write that timed out (what a blocking socket raises when ``SO_*TIMEO`` expires).
TIMEOUT_ERRNOS = (errno.EAGAIN, errno.EWOULDBLOCK, errno.ETIMEDOUT)


def _seconds(name: str, default: int) -> float:
    text = os.environ.get(name, "").strip()
    return float(text) if text else float(default)


def _timeval(seconds: float) -> bytes:
    whole = int(seconds)
    return struct.pack("ll", whole, int((seconds - whole) * 1_000_000))


class _QuietTimeouts(logging.Filter):
    """Drop gunicorn's traceback of a connection closed because its client was too slow."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not (isinstance(exc, OSError) and exc.errno in TIMEOUT_ERRNOS)


class ThreadWorker(GunicornThreadWorker):
    """gunicorn's ``gthread`` worker whose client sockets time out (see the module)."""

    def init_process(self):
        self.read_timeout = _timeval(_seconds("COOPATLAS_READ_TIMEOUT", DEFAULT_READ_TIMEOUT))
        self.write_timeout = _timeval(_seconds("COOPATLAS_WRITE_TIMEOUT", DEFAULT_WRITE_TIMEOUT))
        self.log.error_log.addFilter(_QuietTimeouts())
        super().init_process()

    def enqueue_req(self, conn):
        try:
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, self.read_timeout)
            conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, self.write_timeout)
        except OSError:  # the client is gone already: gunicorn closes the connection
            pass
        super().enqueue_req(conn)
