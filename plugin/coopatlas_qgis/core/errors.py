"""Errors of the CoopAtlas server, as messages a person can act on."""

from __future__ import annotations

from .i18n import tr


class AtlasError(Exception):
    """The server could not answer, or answered an error.

    ``status`` is the HTTP status (None when no answer came), ``code`` the OGC exception code
    (e.g. ``InvalidParameterValue``) and ``param`` the request parameter the server named, when known.
    """

    def __init__(
        self,
        message: str,
        status: int | None = None,
        code: str | None = None,
        param: str | None = None,
        url: str | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.param = param
        self.url = url

    def __str__(self) -> str:
        return self.message


class ServerUnreachable(AtlasError):
    """No HTTP answer: wrong address, server stopped, network down or timeout."""


class Cancelled(AtlasError):
    """The user cancelled the request."""

    def __init__(self):
        super().__init__(tr("Cancelled."))


class BadParameter(AtlasError):
    """The server refused a parameter (HTTP 400 ``InvalidParameterValue``): ``param`` names it."""
