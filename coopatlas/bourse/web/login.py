"""Logging in and out: the web session (``/compte/connexion``, ``/compte/deconnexion``) and the API tokens
(``POST /api/jetons``, ``DELETE /api/jetons``)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Response, redirect, request, url_for

from .. import accounts
from ..accounts import Account, LoginError
from ..errors import WorkflowError
from ..i18n import translator
from .auth import (
    SESSION_COOKIE,
    api,
    bearer_token,
    check_anonymous_csrf,
    check_session_csrf,
    secure_cookies,
    session_account,
)
from .rendering import render
from .responses import BLUEPRINT, api_error, api_json, client, ctx, form_too_big, json_body, lang, workflow_error

blueprint = Blueprint("login", __name__)

HOME_ENDPOINT = f"{BLUEPRINT}.compte.compte"


def _safe_next(target: str | None) -> str | None:
    """``target`` if it is a path of this server, else None: never another site, whatever a browser makes of
    it (browsers drop tabs and newlines from URLs, read ``\\`` as ``/``: ``/%09/evil.example`` is
    ``//evil.example``, another host), never a character a ``Location`` header cannot carry."""
    if not target or len(target) > 2000 or not target.startswith("/") or "\\" in target:
        return None
    if any(ch.isspace() or ord(ch) < 0x20 or ord(ch) == 0x7F for ch in target):
        return None
    parts = urlsplit(target)
    if target.startswith("//") or parts.scheme or parts.netloc:
        return None
    return target


@blueprint.route("/compte/connexion", methods=["GET", "POST"])
def connexion():
    tr = translator(lang())
    nxt = _safe_next(request.args.get("next"))
    if request.method == "GET":
        if session_account():
            return redirect(nxt or url_for(HOME_ENDPOINT, lang=lang()), 303)
        return render("connexion.html", next=nxt)
    email = (request.form.get("email") or "")[:254]
    if form_too_big() or not check_anonymous_csrf():
        return render("connexion.html", status=400, next=nxt, email=email, error=tr("csrf_error"))
    c = ctx()
    try:
        account = accounts.authenticate(
            c.live, email, request.form.get("password") or "", client(), c.settings.rate_login
        )
    except LoginError as exc:
        resp = render(
            "connexion.html",
            status=429 if exc.throttled else 401,
            next=nxt,
            email=email,
            error=tr("login_throttled") if exc.throttled else tr("login_failed"),
        )
        if exc.throttled:
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp
    resp = redirect(nxt or url_for(HOME_ENDPOINT, lang=lang()), 303)  # made first: no session for a failure
    token, _ = accounts.issue_token(c.live, account, "session", c.settings.session_hours, "web")
    resp.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(c.settings.session_hours * 3600),
        httponly=True,
        samesite="Lax",
        secure=secure_cookies(),
        path="/",
    )
    return resp


@blueprint.route("/compte/deconnexion", methods=["POST"])
def deconnexion():
    token = request.cookies.get(SESSION_COOKIE)
    if token and session_account() and check_session_csrf():
        accounts.revoke(ctx().live, token)
    resp = redirect(url_for(f"{BLUEPRINT}.bourse.index", lang=lang()), 303)
    resp.delete_cookie(SESSION_COOKIE, path="/", secure=secure_cookies(), httponly=True, samesite="Lax")
    return resp


@blueprint.route("/api/jetons", methods=["POST"])
def api_login():
    try:
        data = json_body()
    except WorkflowError as exc:
        return workflow_error(exc)
    email, password = data.get("email"), data.get("mot_de_passe")
    if not isinstance(email, str) or not email:
        return api_error(400, "required", "email")
    if not isinstance(password, str) or not password:
        return api_error(400, "required", "mot_de_passe")
    c = ctx()
    hours = data.get("duree_heures", c.settings.token_hours)
    if isinstance(hours, bool) or not isinstance(hours, (int, float)) or not 0 < hours <= accounts.MAX_TOKEN_HOURS:
        return api_error(400, f"hours, more than 0 and at most {accounts.MAX_TOKEN_HOURS}", "duree_heures")
    label = data.get("libelle")
    if label is not None and not isinstance(label, str):
        return api_error(400, "a string", "libelle")
    try:
        account = accounts.authenticate(c.live, email, password, client(), c.settings.rate_login)
    except LoginError as exc:
        if exc.throttled:
            return api_error(429, "too many failed logins: retry later", None, exc.retry_after)
        return api_error(401, "wrong e-mail or password")
    token, expires = accounts.issue_token(c.live, account, "api", float(hours), label)
    return api_json({"jeton": token, "type": "Bearer", "expire": expires, "compte": account.as_json()}, 201)


@blueprint.route("/api/jetons", methods=["DELETE"])
@api()
def api_logout(account: Account):
    accounts.revoke(ctx().live, bearer_token())
    return Response(status=204)
