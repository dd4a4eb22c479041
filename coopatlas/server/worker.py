"""The gunicorn worker of ``coopatlas serve``: gunicorn's threaded worker (``gthread``) with read and
write timeouts on every client connection.

With threads, an idle or slow client holds one thread of one worker, not the worker: the others keep
serving. gunicorn waits for the first bytes of a connection without taking a thread, but once a request
has begun, its parser reads the rest with blocking reads and no deadline: a client that sends half a
request and waits would hold its thread for ever. Here every connection gets kernel timeouts
(``SO_RCVTIMEO``, ``SO_SNDTIMEO``): a read that waits more than :envvar:`COOPATLAS_READ_TIMEOUT` seconds
(headers or body), or a write to a client that reads nothing for :envvar:`COOPATLAS_WRITE_TIMEOUT` seconds,
fails and the connection is closed, freeing the thread.

A request line longer than gunicorn's ``--limit-request-line`` gets a 414 in JSON that says what to do
(POST a long filter as CQL2 JSON) and the connection is drained before it is closed: closed with the
rest of the client's request unread, the kernel would answer with a reset, and the client would see
"connection reset" instead of the 414.
"""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import struct
import time

from gunicorn.http.errors import LimitRequestLine
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker

#: Default seconds a client may keep the server waiting between two reads (request line, headers, body).
DEFAULT_READ_TIMEOUT = 10
#: Default seconds a client may keep the server waiting while it sends the answer.
DEFAULT_WRITE_TIMEOUT = 60
#: Errors of a read or write that timed out (what a blocking socket raises when ``SO_*TIMEO`` expires).
TIMEOUT_ERRNOS = (errno.EAGAIN, errno.EWOULDBLOCK, errno.ETIMEDOUT)
#: How long, and how many bytes, the rest of a refused request is read before its connection is closed.
DRAIN_SECONDS = 2.0
DRAIN_BYTES = 4 * 1024 * 1024


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

    def handle_error(self, req, client, addr, exc):
        if not isinstance(exc, LimitRequestLine):
            return super().handle_error(req, client, addr, exc)
        limit = self.cfg.limit_request_line
        self.log.warning("Request line too long from ip=%s: %s", (addr or ("",))[0], exc)
        description = (
            f"the request line is longer than {limit} bytes. Send a long filter as CQL2 JSON in the body of a "
            "POST to /collections/{id}/items (Content-Type: application/query-cql-json)"
        )
        body = json.dumps({"code": "URITooLong", "type": "URITooLong", "description": description}).encode()
        head = (
            "HTTP/1.1 414 URI Too Long\r\nConnection: close\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        ).encode("latin-1")
        try:
            client.sendall(head + body)
            drain(client)
        except OSError:
            self.log.debug("Failed to send the 414.")


def drain(sock) -> None:
    """Read what the client still sends (at most :data:`DRAIN_BYTES` for :data:`DRAIN_SECONDS`) after our
    answer, so that closing the connection does not reset it before the client has read the answer."""
    sock.shutdown(socket.SHUT_WR)
    sock.settimeout(0.2)
    deadline, read = time.monotonic() + DRAIN_SECONDS, 0
    while time.monotonic() < deadline and read < DRAIN_BYTES:
        try:
            chunk = sock.recv(65536)
        except TimeoutError:
            continue
        except OSError:
            return
        if not chunk:
            return
        read += len(chunk)
