"""When a database cannot answer: one exception, :class:`BackendUnavailable`, that every layer raises and the
server turns into an HTTP 503 (``Retry-After``, an OGC exception with a message for the user, no internals).

A database "cannot answer" when it is missing, unreadable, corrupt, read-only for a write, full, locked for
too long, or (PostgreSQL) unreachable or restarting: nothing the client did wrong, something that a retry
after the operator's fix (or by itself) will cure. :func:`unavailable_cause` tells these errors from
programming errors (bad SQL, a missing table in a healthy file), which stay errors of the server.
"""

from __future__ import annotations

import errno
import sqlite3
import weakref
from collections.abc import Callable

#: Seconds a client is told to wait before retrying (``Retry-After``).
RETRY_AFTER_SECONDS = 30

#: Words of SQLite's messages that say the file, not the statement, is at fault.
_SQLITE_UNAVAILABLE = (
    "readonly database",
    "read-only",
    "unable to open",
    "disk i/o error",
    "database is locked",
    "database or disk is full",
    "disk is full",
    "not a database",
    "malformed",
    "no such table",
    "closed database",
    "database table is locked",
)
#: ``errno`` of the file-system errors that an operator fixes (missing file, full or read-only disk...).
_OS_UNAVAILABLE = {
    errno.ENOENT,
    errno.ENOSPC,
    errno.EROFS,
    errno.EACCES,
    errno.EPERM,
    errno.EIO,
    errno.EDQUOT,
    errno.ESTALE,
    errno.ENOTDIR,
}


class BackendUnavailable(Exception):
    """A database (``what``: "atlas", "live", "jobs"...) cannot answer now; ``message`` is for the user (no
    paths, no driver messages: those go to the log through ``__cause__``)."""

    status = 503

    def __init__(self, message: str, what: str = "atlas", retry_after: int = RETRY_AFTER_SECONDS):
        super().__init__(message)
        self.what = what
        self.retry_after = retry_after

    @property
    def message(self) -> str:
        return str(self.args[0]) if self.args else ""


def unavailable_cause(exc: BaseException) -> bool:
    """Whether ``exc`` (or what caused it) says a database or its disk cannot answer, rather than a bug."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, BackendUnavailable):
            return True
        if isinstance(exc, sqlite3.ProgrammingError) and "closed" in str(exc).lower():
            return True
        if isinstance(exc, (sqlite3.OperationalError, sqlite3.DatabaseError)) and not isinstance(
            exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError, sqlite3.DataError)
        ):
            text = str(exc).lower()
            if any(w in text for w in _SQLITE_UNAVAILABLE):
                return True
        if isinstance(exc, OSError) and exc.errno in _OS_UNAVAILABLE:
            return True
        module = type(exc).__module__ or ""
        name = type(exc).__name__
        # psycopg2 / SQLAlchemy: a lost or refused connection, a server shutting down or starting up
        if name in ("OperationalError", "InterfaceError") and module.split(".")[0] in (
            "psycopg2",
            "psycopg",
            "sqlalchemy",
        ):
            return True
        if getattr(exc, "connection_invalidated", False):
            return True
        exc = exc.__cause__ or exc.__context__ or getattr(exc, "orig", None)
    return False


_on_fault: list = []


def on_fault(forget: Callable[[], None]) -> None:
    """Register ``forget`` (a bound method: held weakly), called by :func:`forget_connections`."""
    _on_fault.append(weakref.WeakMethod(forget) if hasattr(forget, "__self__") else (lambda: forget))


def forget_connections() -> None:
    """After a request of this thread met a database that cannot answer: every connection pool registered
    with :func:`on_fault` forgets this thread's connections, so that the next request opens new ones."""
    for ref in list(_on_fault):
        forget = ref()
        if forget is None:
            _on_fault.remove(ref)
            continue
        try:
            forget()
        except Exception:  # noqa: BLE001 - forgetting never fails the answer
            pass
