"""The HTML pages of the Bourse and of the accounts: the templates' context (language, account, CSRF
tokens, labels of the vocabulary), error pages, and :func:`page` for the pages of logged-in accounts."""

from __future__ import annotations

import functools

from flask import Response, redirect, render_template, request, url_for

from ... import vocabulary as voc
from ..errors import WorkflowError
from ..i18n import GENRE_LABELS, translator
from ..submission import LANGUES
from .auth import CSRF_COOKIE, anonymous_csrf, check_session_csrf, secure_cookies, session_account, session_csrf
from .responses import BLUEPRINT, ctx, lang

LOGIN_ENDPOINT = f"{BLUEPRINT}.login.connexion"


def _themes(lg: str) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for st in voc.SOUS_THEMATIQUES:
        t = voc.THEMATIQUES[st.extra["thematique"]]
        leaves = [
            (leaf.code, leaf.label(lg))
            for leaf in voc.SOUS_SOUS_THEMATIQUES
            if leaf.extra["sous_thematique"] == st.code and leaf.extra["thematique"] == t.code
        ]
        out.append((f"{t.label(lg)} — {st.label(lg)}", leaves))
    return out


def _when(iso: str | None) -> str:
    """``2026-03-01T09:30:00Z`` as ``2026-03-01 09:30 UTC``."""
    if not iso or "T" not in iso:
        return iso or ""
    return f"{iso[:10]} {iso[11:16]} UTC"


def render(template: str, status: int = 200, **kw) -> Response:
    """The page ``bourse/<template>`` (sets the anonymous CSRF cookie when the client has none)."""
    lg = kw.pop("lang", None) or lang()
    c = ctx()
    csrf, new_cookie = anonymous_csrf()
    account = session_account()

    def lang_url(code):
        # url_for reads _external, _anchor, _scheme, _method as options, not parameters: never from the client
        args = {**{k: v for k, v in request.args.items() if not k.startswith("_")}, "lang": code}
        try:
            return url_for(request.endpoint, **(request.view_args or {}), **args)
        except Exception:  # noqa: BLE001
            return f"?lang={code}"

    def country_name(code):
        country = c.geo.country(code) if code else None
        return country.name(lg) if country else (code or "")

    context = dict(
        t=translator(lg),
        lang=lg,
        root=request.script_root,
        account=account,
        csrf=csrf,
        session_csrf=session_csrf() if account else "",
        lang_url=lang_url,
        country_name=country_name,
        status_label=lambda code: voc.STATUTS_VALIDATION.label(code, lg),
        statut_label=lambda code: voc.STATUTS.label(code, lg),
        genre_label=lambda code: GENRE_LABELS.get(code, (code, code))[1 if lg == "en" else 0],
        countries=sorted(c.geo.countries.values(), key=lambda x: x.name(lg)),
        types_partenaire=voc.TYPES_PARTENAIRE,
        themes=_themes(lg),
        langues=LANGUES,
        statuts=voc.STATUTS_VALIDATION,
        errors={},
        values={},
        when=_when,
    )
    context.update(kw)
    resp = Response(render_template(f"bourse/{template}", **context), status=status, mimetype="text/html")
    if new_cookie:
        resp.set_cookie(CSRF_COOKIE, new_cookie, httponly=True, samesite="Strict", secure=secure_cookies(), path="/")
    return resp


def error_page(status: int, message: str) -> Response:
    return render("erreur.html", status=status, code=status, message=message)


def page(*roles: str):
    """An HTML page for logged-in accounts (of ``roles`` if given); others are sent to the login page. A
    POST needs the session's CSRF token; a :class:`~coopatlas.bourse.errors.WorkflowError` is an error page."""

    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            account = session_account()
            if account is None:
                return redirect(url_for(LOGIN_ENDPOINT, next=request.full_path.rstrip("?"), lang=lang()), 303)
            if roles and account.role not in roles:
                return error_page(403, translator(lang())("forbidden"))
            if request.method == "POST" and not check_session_csrf():
                return error_page(400, translator(lang())("csrf_error"))
            try:
                return fn(account, *args, **kwargs)
            except WorkflowError as exc:
                return error_page(exc.status, exc.message)

        return wrapper

    return deco
