"""Who is asking: web sessions (cookie), API bearer tokens, and the CSRF tokens of the forms.

* a bearer token (``Authorization: Bearer ca_...``, from ``POST /api/jetons``) identifies the account of
  a JSON API request (:func:`bearer_account`); :func:`api` makes a route need one;
* the session cookie (:data:`SESSION_COOKIE`, from the web login) identifies the account of a page
  (:func:`session_account`); its forms carry a CSRF token derived from the session (:func:`session_csrf`);
* anonymous forms (request, completion, login) are protected by a double-submit CSRF token: a random
  cookie (:data:`CSRF_COOKIE`) and the same value signed in the form (:func:`anonymous_csrf`).

The tokens themselves (issued, checked, revoked, digests stored) are :mod:`coopatlas.bourse.accounts`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets

from flask import g, request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import accounts
from ..accounts import Account
from ..errors import WorkflowError
from .responses import api_error, ctx, workflow_error

SESSION_COOKIE = "coopatlas_session"
CSRF_COOKIE = "coopatlas_csrf"
#: How long the signed CSRF token of an anonymous form is valid, in seconds.
ANONYMOUS_CSRF_SECONDS = 4 * 3600


def secret() -> str:
    """The server's signing key: ``COOPATLAS_SECRET_KEY``, else one kept in the live database."""
    c = ctx()
    key = getattr(c, "_secret", None)
    if key is None:
        key = c._secret = c.settings.secret_key or c.live.parameter("secret")
    return key


def signer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret(), salt=salt)


def secure_cookies() -> bool:
    """Whether cookies are ``Secure`` (``COOPATLAS_SECURE_COOKIES``: ``auto`` follows the request's scheme)."""
    mode = ctx().settings.secure_cookies
    return request.is_secure if mode == "auto" else mode == "1"


# --- accounts ----------------------------------------------------------------------------------------------


def bearer_token() -> str | None:
    auth = request.headers.get("Authorization", "")
    return auth[7:].strip() if auth[:7].lower() == "bearer " else None


def bearer_account() -> Account | None:
    """The account of the request's bearer token, or None (cached for the request)."""
    if "bearer_account" not in g:
        token = bearer_token()
        g.bearer_account = accounts.account_of_token(ctx().live, token, "api") if token else None
    return g.bearer_account


def session_account() -> Account | None:
    """The account of the request's session cookie, or None (cached for the request)."""
    if "session_account" not in g:
        token = request.cookies.get(SESSION_COOKIE)
        g.session_account = accounts.account_of_token(ctx().live, token, "session") if token else None
    return g.session_account


def api(*roles: str):
    """A JSON API route for bearer-token accounts (of ``roles`` if given): the view gets the account first;
    a :class:`~coopatlas.bourse.errors.WorkflowError` it raises is answered as a JSON error."""

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            account = bearer_account()
            if account is None:
                return api_error(401, "a valid bearer token is required (POST /api/jetons)")
            if roles and account.role not in roles:
                return api_error(403, f"role {account.role} cannot use this route")
            try:
                return fn(account, *args, **kwargs)
            except WorkflowError as exc:
                return workflow_error(exc)

        return wrapper

    return deco


# --- CSRF --------------------------------------------------------------------------------------------------


def session_csrf() -> str:
    """The CSRF token of the forms of a session (derived from the session token, never stored)."""
    token = request.cookies.get(SESSION_COOKIE) or ""
    return hmac.new(secret().encode(), b"csrf:" + accounts.digest(token).encode(), hashlib.sha256).hexdigest()[:48]


def check_session_csrf() -> bool:
    return bool(session_account()) and hmac.compare_digest(request.form.get("csrf", ""), session_csrf())


def anonymous_csrf() -> tuple[str, str | None]:
    """(token for the form, cookie value to set or None): double-submit, the form token signed."""
    cookie = request.cookies.get(CSRF_COOKIE)
    new = None
    if not cookie or len(cookie) > 100:
        cookie = new = secrets.token_urlsafe(24)
    return signer("csrf").dumps(cookie), new


def check_anonymous_csrf() -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie:
        return False
    try:
        value = signer("csrf").loads(request.form.get("csrf", ""), max_age=ANONYMOUS_CSRF_SECONDS)
    except BadSignature:
        return False
    return hmac.compare_digest(str(value), cookie)
