"""The errors of the Bourse projets and the accounts: what the web layer answers with a 4xx.

Their own module, below everything else of the package, so that any module may raise them (the context,
the workflow, the accounts, the edits, the personal spaces) without importing the others.
"""

from __future__ import annotations


class WorkflowError(Exception):
    """A request that cannot be honoured: HTTP ``status``, the parameter ``field`` and a message."""

    def __init__(self, status: int, field: str | None, message: str, retry_after: int | None = None):
        super().__init__(message)
        self.status = status
        self.field = field
        self.message = message
        self.retry_after = retry_after


class AccountError(ValueError):
    """A bad account request: ``field`` names the bad parameter."""

    def __init__(self, field: str, message: str):
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class LoginError(Exception):
    """Wrong e-mail or password (``throttled``: too many failures, retry after ``retry_after`` seconds)."""

    def __init__(self, throttled: bool = False, retry_after: int = 0):
        super().__init__("too many failed logins" if throttled else "wrong e-mail or password")
        self.throttled = throttled
        self.retry_after = retry_after
