"""The Flask blueprint of the Bourse projets, the accounts and the personal spaces, and the guard in front
of pygeoapi.

Register it on the server's app (``coopatlas.server.app``: ``"coopatlas.bourse.web:blueprint"`` in
``EXTENSIONS``). Web pages (French and English: ``?lang=fr|en``, else the browser's language; plain HTML
and local CSS, a small local script for the place type-ahead):

==============================================  ===========================================================
``/bourse``                                     what the Bourse is, links
``/bourse/deposer``                             the request form (anonymous; CSRF-protected)
``/bourse/deposee/<token>``                     the confirmation with the reference number
``/bourse/completer/<ref>?jeton=...``           the submitter completes a request (link of the e-mail)
``/bourse/lieux?pays=BF&q=zin``                 GeoNames places of a country (JSON, for the form)
``/compte/connexion``, ``/compte/deconnexion``  web login (session cookie) and logout
``/compte``                                     the account's home
``/bourse/ambassade[/demandes/<ref>]``          embassy: requests of its country, decisions, audit trail
``/compte/collectivite``, ``/compte/projets/<id>``  collectivity: contacts and projects
``/compte/espace``                              personal space: list, add, download, delete
==============================================  ===========================================================

JSON API (``Authorization: Bearer <token>``; the token from ``POST /api/jetons``):

==================================================  ======================================================
``POST /api/jetons`` ``{email, mot_de_passe}``      a token (``duree_heures``: at most 720); ``DELETE``: revoke
``GET /api/moi``                                    the account
``GET /api/bourse/demandes?statut=&pays=``          requests the account may see
``GET /api/bourse/demandes/<ref>``                  one request and its audit trail
``POST /api/bourse/demandes/<ref>/transitions``     ``{vers, commentaire}``: a decision
``GET|PATCH /api/collectivites/<id>``               a collectivity's record (contacts)
``GET /api/collectivites/<id>/projets``             its projects
``GET|PATCH /api/projets/<id>``                     one project
``GET /api/modifications``                          the journal of updates (who, when, what)
``GET|POST /api/espace``                            personal space: list; add (JSON or multipart)
``GET|DELETE /api/espace/<id>``, ``.../contenu``    one item: metadata, delete; its file
==================================================  ======================================================

Errors are JSON ``{"code", "description", "parametre"}`` with 400, 401 (``WWW-Authenticate: Bearer``),
403, 404, 409, 413 or 429 (``Retry-After``).

The guard (``before_app_request``), for every request of the server:

* pygeoapi's write routes are refused (its transactions stay off: creating, replacing or deleting
  items of any collection): 401 without a token, 403 with one;
* ``DELETE /jobs/<id>`` is for administrators; the jobs of ``deposer-demande`` (whose results name a
  private request) are deleted once answered and hidden from everybody else;
* processes listed in ``COOPATLAS_RESTRICTED_PROCESSES`` are executed only by the roles listed;
* a hot journal left in the GeoPackage by a killed writer is rolled back, and every
  :data:`~coopatlas.bourse.context.SYNC_CHECK_SECONDS` the atlas is checked against the live database.

Behind a reverse proxy set ``COOPATLAS_PROXY_FIX`` (werkzeug ProxyFix) so that the client address and the
scheme come from ``X-Forwarded-For``/``X-Forwarded-Proto``: cookies are then ``Secure`` on HTTPS.
"""
from __future__ import annotations

import functools
import hashlib
import hmac
import json
import logging
import re
import secrets
from urllib.parse import urlsplit

from flask import Blueprint, Response, current_app, g, redirect, render_template, request, url_for
from itsdangerous import BadSignature, URLSafeTimedSerializer

from .. import vocabulary as voc
from . import accounts, edits, space, workflow
from .accounts import Account, AccountError, LoginError
from .context import current
from .i18n import GENRE_LABELS, translator
from .submission import FIELDS, LANGUES, validate
from .workflow import WorkflowError

LOGGER = logging.getLogger(__name__)

blueprint = Blueprint("coopatlas_bourse", __name__, template_folder="templates", static_folder="static",
                      static_url_path="/bourse/static")

SESSION_COOKIE = "coopatlas_session"
CSRF_COOKIE = "coopatlas_csrf"
MAX_FORM_BYTES = 100_000
#: Processes whose jobs name private data: deleted once answered, hidden from all but administrators.
PRIVATE_JOB_PROCESSES = ("deposer-demande",)
#: Report processes whose PDF a personal space can keep.
PDF_PROCESSES = ("rapport", "statistiques", "fiche-projet")
CODES = {400: "InvalidParameterValue", 401: "NotAuthenticated", 403: "Forbidden", 404: "NotFound",
         405: "MethodNotAllowed", 409: "Conflict", 413: "PayloadTooLarge", 415: "UnsupportedMediaType",
         429: "TooManyRequests", 503: "ServiceUnavailable"}


@blueprint.record_once
def _setup(state) -> None:
    """Behind a reverse proxy (``COOPATLAS_PROXY_FIX``): werkzeug's ProxyFix, once, on the whole app."""
    fix = current().settings.proxy_fix
    if fix:
        from werkzeug.middleware.proxy_fix import ProxyFix
        state.app.wsgi_app = ProxyFix(state.app.wsgi_app, **fix)
        LOGGER.info("ProxyFix(%s): client address and scheme from the X-Forwarded-* headers", fix)


# --- request helpers -------------------------------------------------------------------------------------

def ctx():
    return current()


def lang() -> str:
    v = request.args.get("lang") or (request.form.get("lang") if request.method == "POST" and request.form else None)
    if v in ("fr", "en"):
        return v
    return request.accept_languages.best_match(["fr", "en"]) or "fr"


def client() -> str:
    return (request.remote_addr or "inconnu")[:100]


def _secret() -> str:
    c = ctx()
    key = getattr(c, "_secret", None)
    if key is None:
        key = c._secret = c.settings.secret_key or c.live.parameter("secret")
    return key


def _signer(salt: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(), salt=salt)


def _secure() -> bool:
    mode = ctx().settings.secure_cookies
    return request.is_secure if mode == "auto" else mode == "1"


def api_error(status: int, message: str, field: str | None = None, retry_after: int | None = None) -> Response:
    body = {"code": CODES.get(status, "Error"), "description": message}
    if field:
        body["parametre"] = field
    resp = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")
    if status == 401:
        resp.headers["WWW-Authenticate"] = 'Bearer realm="coopatlas"'
    if retry_after:
        resp.headers["Retry-After"] = str(int(retry_after))
    return resp


def api_json(data, status: int = 200) -> Response:
    return Response(json.dumps(data, ensure_ascii=False, default=str), status=status, mimetype="application/json")


def _workflow_error(exc: WorkflowError) -> Response:
    return api_error(exc.status, exc.message, exc.field, exc.retry_after)


# --- who is asking --------------------------------------------------------------------------------------------

def bearer_account() -> Account | None:
    if "bearer_account" not in g:
        auth = request.headers.get("Authorization", "")
        token = auth[7:].strip() if auth[:7].lower() == "bearer " else None
        g.bearer_account = accounts.account_of_token(ctx().live, token, "api") if token else None
    return g.bearer_account


def session_account() -> Account | None:
    if "session_account" not in g:
        token = request.cookies.get(SESSION_COOKIE)
        g.session_account = accounts.account_of_token(ctx().live, token, "session") if token else None
    return g.session_account


def session_csrf() -> str:
    token = request.cookies.get(SESSION_COOKIE) or ""
    return hmac.new(_secret().encode(), b"csrf:" + accounts.digest(token).encode(), hashlib.sha256).hexdigest()[:48]


def check_session_csrf() -> bool:
    return bool(session_account()) and hmac.compare_digest(request.form.get("csrf", ""), session_csrf())


def _anon_csrf() -> tuple[str, str | None]:
    """(token for the form, cookie value to set or None): double-submit, the form token signed."""
    cookie = request.cookies.get(CSRF_COOKIE)
    new = None
    if not cookie or len(cookie) > 100:
        cookie = new = secrets.token_urlsafe(24)
    return _signer("csrf").dumps(cookie), new


def check_anon_csrf() -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie:
        return False
    try:
        value = _signer("csrf").loads(request.form.get("csrf", ""), max_age=4 * 3600)
    except BadSignature:
        return False
    return hmac.compare_digest(str(value), cookie)


# --- rendering ---------------------------------------------------------------------------------------------

def _themes(lg: str) -> list[tuple[str, list[tuple[str, str]]]]:
    out = []
    for st in voc.SOUS_THEMATIQUES:
        t = voc.THEMATIQUES[st.extra["thematique"]]
        leaves = [(leaf.code, leaf.label(lg)) for leaf in voc.SOUS_SOUS_THEMATIQUES
                  if leaf.extra["sous_thematique"] == st.code and leaf.extra["thematique"] == t.code]
        out.append((f"{t.label(lg)} — {st.label(lg)}", leaves))
    return out


def _when(iso: str | None) -> str:
    """``2026-03-01T09:30:00Z`` as ``2026-03-01 09:30 UTC``."""
    if not iso or "T" not in iso:
        return iso or ""
    return f"{iso[:10]} {iso[11:16]} UTC"


def render(template: str, status: int = 200, **kw) -> Response:
    lg = kw.pop("lang", None) or lang()
    c = ctx()
    csrf, new_cookie = _anon_csrf()
    account = session_account()

    def lang_url(code):
        args = {**request.args.to_dict(), "lang": code}
        try:
            return url_for(request.endpoint, **(request.view_args or {}), **args)
        except Exception:  # noqa: BLE001
            return f"?lang={code}"

    def country_name(code):
        country = c.geo.country(code) if code else None
        return country.name(lg) if country else (code or "")

    context = dict(
        t=translator(lg), lang=lg, root=request.script_root, account=account, csrf=csrf,
        session_csrf=session_csrf() if account else "", lang_url=lang_url, country_name=country_name,
        status_label=lambda code: voc.STATUTS_VALIDATION.label(code, lg),
        statut_label=lambda code: voc.STATUTS.label(code, lg),
        genre_label=lambda code: GENRE_LABELS.get(code, (code, code))[1 if lg == "en" else 0],
        countries=sorted(c.geo.countries.values(), key=lambda x: x.name(lg)),
        types_partenaire=voc.TYPES_PARTENAIRE, themes=_themes(lg), langues=LANGUES,
        statuts=voc.STATUTS_VALIDATION, errors={}, values={}, when=_when,
    )
    context.update(kw)
    resp = Response(render_template(f"bourse/{template}", **context), status=status, mimetype="text/html")
    if new_cookie:
        resp.set_cookie(CSRF_COOKIE, new_cookie, httponly=True, samesite="Strict", secure=_secure(), path="/")
    return resp


def error_page(status: int, message: str) -> Response:
    return render("erreur.html", status=status, code=status, message=message)


def page(*roles: str):
    """An HTML page for logged-in accounts (of ``roles`` if given); others are sent to the login page."""
    def deco(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            account = session_account()
            if account is None:
                return redirect(url_for("coopatlas_bourse.connexion", next=request.full_path.rstrip("?"),
                                        lang=lang()), 303)
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


def api(*roles: str):
    """A JSON API route for bearer-token accounts (of ``roles`` if given)."""
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
                return _workflow_error(exc)
        return wrapper
    return deco


def _json_body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise WorkflowError(400, "body", "a JSON object is expected (Content-Type: application/json)")
    return data


# --- the guard in front of pygeoapi ----------------------------------------------------------------------------

def _need(roles: tuple[str, ...] | frozenset, what: str) -> Response | None:
    account = bearer_account()
    if account is None:
        return api_error(401, f"{what}: authentication required (Authorization: Bearer <token>)")
    if account.role not in roles:
        return api_error(403, f"{what}: not allowed for role {account.role}")
    return None


def _job_process(job_id: str) -> str | None:
    try:
        from pygeoapi.flask_app import api_
        return (api_.manager.get_job(job_id) or {}).get("process_id")
    except Exception:  # noqa: BLE001 - unknown job: pygeoapi answers 404 itself
        return None


@blueprint.before_app_request
def _guard():
    c = ctx()
    try:
        c.atlas.recover()
        c.ensure_synced()
    except Exception:
        LOGGER.exception("live features check failed")
    ep, method, args = request.endpoint or "", request.method, request.view_args or {}
    if ep == "pygeoapi.collection_items":
        creating = method == "POST" and not args.get("item_id") and request.mimetype == "application/geo+json"
        if method in ("PUT", "PATCH", "DELETE") or creating:
            if bearer_account() is None:
                return api_error(401, "writing items: authentication required; the collections are read-only "
                                      "(use the Bourse and account API)")
            return api_error(403, "the collections are read-only: pygeoapi transactions are off (use the Bourse "
                                  "and account API, /api)")
    elif ep.startswith("admin."):
        return _need(("administrateur",), "pygeoapi admin API")
    elif ep == "pygeoapi.get_jobs" and method == "DELETE":
        return _need(("administrateur",), "deleting a job")
    elif ep == "pygeoapi.execute_process_jobs":
        roles = c.settings.restricted_processes.get(args.get("process_id"))
        if roles:
            return _need(roles, f"process {args.get('process_id')}")
    if ep in ("pygeoapi.get_jobs", "pygeoapi.get_job_result") and args.get("job_id"):
        if _job_process(args["job_id"]) in PRIVATE_JOB_PROCESSES:
            account = bearer_account()
            if account is None or not account.is_admin:
                return api_error(404, f"job {args['job_id']} not found", "job_id")
    return None


@blueprint.after_app_request
def _after(resp: Response) -> Response:
    ep, args = request.endpoint or "", request.view_args or {}
    if ep == "pygeoapi.execute_process_jobs" and args.get("process_id") in PRIVATE_JOB_PROCESSES:
        loc = resp.headers.get("Location", "")
        job_id = loc.rstrip("/").rsplit("/", 1)[-1] if "/jobs/" in loc else None
        if job_id:
            try:
                from pygeoapi.flask_app import api_
                api_.manager.delete_job(job_id)
            except Exception:
                LOGGER.exception("job %s of %s not deleted", job_id, args.get("process_id"))
            del resp.headers["Location"]
    elif ep == "pygeoapi.get_jobs" and not args.get("job_id") and resp.mimetype == "application/json":
        account = bearer_account()
        if account is None or not account.is_admin:
            try:
                data = json.loads(resp.get_data())
                jobs = data.get("jobs")
                if isinstance(jobs, list):
                    data["jobs"] = [j for j in jobs if j.get("processID") not in PRIVATE_JOB_PROCESSES]
                    resp.set_data(json.dumps(data, ensure_ascii=False))
            except (ValueError, AttributeError):
                pass
    if request.blueprint == blueprint.name:
        resp.headers.setdefault("X-Content-Type-Options", "nosniff")
        resp.headers.setdefault("Referrer-Policy", "same-origin")
        if resp.mimetype == "text/html":
            resp.headers.setdefault("X-Frame-Options", "DENY")
            resp.headers.setdefault("Content-Security-Policy",
                                    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                                    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'")
        if request.path.startswith(("/compte", "/api", "/bourse/ambassade", "/bourse/completer")):
            resp.headers["Cache-Control"] = "no-store"
    return resp


# --- public pages: the Bourse ----------------------------------------------------------------------------------

@blueprint.route("/bourse")
def index():
    return render("index.html")


def _form_values() -> dict:
    values = {k: request.form.get(k) for k in FIELDS if k not in ("langues", "lang")}
    values["langues"] = request.form.getlist("langues")
    values["lang"] = lang()
    return values


#: Errors of fields the form does not show, shown next to the form field that sets them.
_FORM_FIELD = {"thematique": "sous_sous_thematique", "sous_thematique": "sous_sous_thematique", "geonameid": "lieu"}


def _form_errors(err) -> dict:
    out = {}
    for name, msg in err.messages(lang()).items():
        out.setdefault(_FORM_FIELD.get(name, name), msg)
    return out


def _too_big() -> bool:
    return (request.content_length or 0) > MAX_FORM_BYTES


def _submission_error(exc: WorkflowError, tr) -> dict:
    if exc.status == 429:
        return {(exc.field or "_form"): tr("too_many_pending") if exc.field else tr("rate_limited")}
    return {(exc.field or "_form"): exc.message}


@blueprint.route("/bourse/deposer", methods=["GET", "POST"])
def deposer():
    tr = translator(lang())
    if request.method == "GET":
        return render("deposer.html")
    if _too_big():
        return error_page(413, f"at most {MAX_FORM_BYTES} bytes")
    values = _form_values()
    if not check_anon_csrf():
        return render("deposer.html", status=400, values=values, errors={"_form": tr("csrf_error")})
    if request.form.get("site_web"):  # the honeypot field, invisible to people
        return render("deposer.html", status=400, values=values, errors={"_form": tr("spam")})
    clean, err = validate(values, ctx().geo)
    if err:
        return render("deposer.html", status=400, values=values, errors=_form_errors(err))
    try:
        res = workflow.submit(ctx(), clean, client())
    except WorkflowError as exc:
        resp = render("deposer.html", status=exc.status, values=values, errors=_submission_error(exc, tr))
        if exc.retry_after:
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp
    token = _signer("deposee").dumps({"r": res["reference"], "a": res["ambassade"]})
    return redirect(url_for("coopatlas_bourse.deposee", token=token, lang=lang()), 303)


@blueprint.route("/bourse/deposee/<token>")
def deposee(token: str):
    try:
        data = _signer("deposee").loads(token, max_age=7 * 86400)
    except BadSignature:
        return error_page(404, translator(lang())("not_found"))
    return render("deposee.html", reference=data["r"], ambassade=data.get("a") or "")


@blueprint.route("/bourse/lieux")
def lieux():
    unknown = [k for k in request.args if k not in ("pays", "q", "limit", "lang", "f")]
    if unknown:
        return api_error(400, "unknown parameter; known: pays, q, limit", unknown[0])
    code = (request.args.get("pays") or "").upper()
    q = request.args.get("q") or ""
    if ctx().geo.country(code) is None:
        return api_error(400, f"unknown country {code!r} (ISO 3166-1 alpha-2, not FR)", "pays")
    if len(q) > 100:
        return api_error(400, "at most 100 characters", "q")
    try:
        limit = int(request.args.get("limit", 20))
        if not 1 <= limit <= 50:
            raise ValueError
    except ValueError:
        return api_error(400, "an integer from 1 to 50", "limit")
    found = ctx().geo.search_places(code, q, limit)
    resp = api_json({"pays": code, "q": q, "lieux": [p.as_json() for p in found],
                     "source": "GeoNames (geonames.org), CC BY 4.0"})
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


def _content_form_values(content: dict) -> dict:
    v = dict(content)
    if content.get("lieu_nom"):
        v["lieu"] = f"{content['lieu_nom']} ({content['admin1_nom']})" if content.get("admin1_nom") else content["lieu_nom"]
        v["lon"] = v["lat"] = None
    return v


@blueprint.route("/bourse/completer/<reference>", methods=["GET", "POST"])
def completer(reference: str):
    tr = translator(lang())
    jeton = request.args.get("jeton", "")
    try:
        current_req = workflow.completion_request(ctx(), reference, jeton)
    except WorkflowError:
        return error_page(404, tr("not_found"))
    common = dict(reference=reference, jeton=jeton, commentaire=current_req["commentaire"])
    if request.method == "GET":
        return render("completer.html", values=_content_form_values(current_req["contenu"]), **common)
    if _too_big():
        return error_page(413, f"at most {MAX_FORM_BYTES} bytes")
    values = _form_values()
    values["pays_code"] = current_req["contenu"]["pays_code"]
    if not check_anon_csrf():
        return render("completer.html", status=400, values=values, errors={"_form": tr("csrf_error")}, **common)
    clean, err = validate(values, ctx().geo)
    if err:
        return render("completer.html", status=400, values=values, errors=_form_errors(err), **common)
    try:
        workflow.complete(ctx(), reference, jeton, clean)
    except WorkflowError as exc:
        return render("completer.html", status=exc.status, values=values, errors={exc.field or "_form": exc.message},
                      **common)
    embassy = ctx().geo.embassy(clean["pays_code"])
    token = _signer("deposee").dumps({"r": reference, "a": embassy.nom if embassy else ""})
    return redirect(url_for("coopatlas_bourse.deposee", token=token, lang=lang()), 303)


# --- web login ---------------------------------------------------------------------------------------------

def _safe_next(target: str | None) -> str | None:
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return None


@blueprint.route("/compte/connexion", methods=["GET", "POST"])
def connexion():
    tr = translator(lang())
    nxt = _safe_next(request.args.get("next"))
    if request.method == "GET":
        if session_account():
            return redirect(nxt or url_for("coopatlas_bourse.compte", lang=lang()), 303)
        return render("connexion.html", next=nxt)
    email = (request.form.get("email") or "")[:254]
    if _too_big() or not check_anon_csrf():
        return render("connexion.html", status=400, next=nxt, email=email, error=tr("csrf_error"))
    c = ctx()
    try:
        account = accounts.authenticate(c.live, email, request.form.get("password") or "", client(),
                                        c.settings.rate_login)
    except LoginError as exc:
        resp = render("connexion.html", status=429 if exc.throttled else 401, next=nxt, email=email,
                      error=tr("login_throttled") if exc.throttled else tr("login_failed"))
        if exc.throttled:
            resp.headers["Retry-After"] = str(exc.retry_after)
        return resp
    token, _ = accounts.issue_token(c.live, account, "session", c.settings.session_hours, "web")
    resp = redirect(nxt or url_for("coopatlas_bourse.compte", lang=lang()), 303)
    resp.set_cookie(SESSION_COOKIE, token, max_age=int(c.settings.session_hours * 3600), httponly=True,
                    samesite="Lax", secure=_secure(), path="/")
    return resp


@blueprint.route("/compte/deconnexion", methods=["POST"])
def deconnexion():
    token = request.cookies.get(SESSION_COOKIE)
    if token and session_account() and check_session_csrf():
        accounts.revoke(ctx().live, token)
    resp = redirect(url_for("coopatlas_bourse.index", lang=lang()), 303)
    resp.delete_cookie(SESSION_COOKIE, path="/", secure=_secure(), httponly=True, samesite="Lax")
    return resp


@blueprint.route("/compte")
@page()
def compte(account: Account):
    lg = lang()
    pending = None
    if account.role in ("ambassade", "administrateur"):
        pending = len(workflow.list_requests(ctx(), account, ["soumise", "a_completer"]))
    coll_name = None
    if account.collectivite_id:
        try:
            coll_name = edits.get_collectivite(ctx(), account, account.collectivite_id)["nom"]
        except WorkflowError:
            coll_name = account.collectivite_id
    labels = accounts.ROLE_LABELS[account.role]
    return render("compte.html", role_label=labels[1] if lg == "en" else labels[0], pending=pending,
                  collectivite=coll_name)


# --- embassy pages ---------------------------------------------------------------------------------------------

@blueprint.route("/bourse/ambassade")
@page("ambassade", "administrateur")
def ambassade(account: Account):
    statut = request.args.get("statut") or ""
    if statut and statut not in voc.STATUTS_VALIDATION:
        return error_page(400, f"statut: one of {', '.join(voc.STATUTS_VALIDATION.codes)}")
    rows = workflow.list_requests(ctx(), account, [statut] if statut else None, request.args.get("pays"))
    return render("ambassade.html", rows=rows, statut=statut)


@blueprint.route("/bourse/ambassade/demandes/<reference>", methods=["GET", "POST"])
@page("ambassade", "administrateur")
def ambassade_demande(account: Account, reference: str):
    saved, error = False, None
    if request.method == "POST":
        try:
            workflow.transition(ctx(), account, reference, request.form.get("vers") or "",
                                request.form.get("commentaire"))
            saved = True
        except WorkflowError as exc:
            if exc.status == 404:
                raise
            error = exc.message
    d = workflow.get_request(ctx(), account, reference)
    return render("ambassade_demande.html", d=d, saved=saved, error=error, status=400 if error else 200)


# --- collectivity pages -------------------------------------------------------------------------------------------

@blueprint.route("/compte/collectivite", methods=["GET", "POST"])
@page("collectivite")
def collectivite(account: Account):
    cid = account.collectivite_id
    saved, errors = False, {}
    c = edits.get_collectivite(ctx(), account, cid)
    values = {k: c.get(k) for k in edits.EDITABLE["collectivites"]}
    if request.method == "POST":
        given = {k: request.form.get(k, "") for k in edits.EDITABLE["collectivites"]}
        new, err = edits.validate_contacts(given)
        if err:
            errors = err.messages(lang())
            values.update(given)
        else:
            c, _ = edits.update_contacts(ctx(), account, cid, new)
            values = {k: c.get(k) for k in edits.EDITABLE["collectivites"]}
            saved = True
    projects = edits.list_projects(ctx(), account, cid)
    changes = edits.history(ctx(), account, limit=20)
    return render("collectivite.html", c=c, values=values, errors=errors, saved=saved, projects=projects,
                  changes=changes, contact_fields=edits.EDITABLE["collectivites"], status=400 if errors else 200)


@blueprint.route("/compte/projets/<pid>", methods=["GET", "POST"])
@page("collectivite", "administrateur")
def projet(account: Account, pid: str):
    p = edits.get_project(ctx(), account, pid)
    saved, errors = False, {}
    values = dict(p)
    if request.method == "POST":
        given = {k: request.form.get(k, "") for k in ("titre", "description", "statut", "sous_sous_thematique",
                                                       "annee_convention", "annee_lancement", "annee_fin")}
        given["jumelage"] = bool(request.form.get("jumelage"))
        given["thematique"] = given["sous_thematique"] = None
        new, err = edits.validate_project(given, p)
        if err:
            errors = err.messages(lang())
            values.update(given)
        else:
            p, _ = edits.update_project(ctx(), account, pid, new)
            values = dict(p)
            saved = True
    return render("projet.html", p=p, values=values, errors=errors, saved=saved, statuts=voc.STATUTS,
                  status=400 if errors else 200)


# --- personal space pages ---------------------------------------------------------------------------------------

def _render_internal_map(source: str) -> tuple[bytes, dict]:
    """A PNG map made by this server from one of its ``/collections/<id>/map`` URLs (in-process)."""
    parts = urlsplit((source or "").strip())
    path = parts.path
    if parts.netloc and parts.netloc != request.host:
        raise WorkflowError(400, "source", "a map URL of this server")
    root = request.script_root
    if root and path.startswith(root + "/"):
        path = path[len(root):]
    if not re.fullmatch(r"/collections/[A-Za-z0-9_]+/map", path):
        raise WorkflowError(400, "source", "a map URL of this server: /collections/<id>/map?...")
    with current_app.test_client() as tc:
        r = tc.get(path, query_string=parts.query, headers={"Accept": "image/png"})
    if r.status_code != 200 or r.mimetype != "image/png":
        detail = r.get_data(as_text=True)[:300] if r.mimetype == "application/json" else r.status
        raise WorkflowError(400, "source", f"the map could not be made: {detail}")
    return r.get_data(), {"source": path + (f"?{parts.query}" if parts.query else "")}


def _render_internal_pdf(process: str, inputs) -> tuple[bytes, dict]:
    """A PDF made by one of this server's report processes (in-process)."""
    if process not in PDF_PROCESSES:
        raise WorkflowError(400, "processus", f"one of {', '.join(PDF_PROCESSES)}")
    if not isinstance(inputs, dict):
        raise WorkflowError(400, "inputs", "an object of the process's inputs")
    inputs = {**inputs, "format": "pdf"}
    with current_app.test_client() as tc:
        r = tc.post(f"/processes/{process}/execution", json={"inputs": inputs})
    if r.status_code != 200 or r.mimetype != "application/pdf":
        detail = r.get_data(as_text=True)[:300] if r.mimetype == "application/json" else r.status
        raise WorkflowError(400, "inputs", f"the PDF could not be made: {detail}")
    return r.get_data(), {"processus": process, "inputs": inputs}


def _criteria_from_text(text: str) -> dict:
    from urllib.parse import parse_qsl
    pairs = parse_qsl((text or "").lstrip("?"), keep_blank_values=False)
    out: dict = {}
    for k, v in pairs:
        out[k] = f"{out[k]},{v}" if k in out else v
    return out


@blueprint.route("/compte/espace", methods=["GET", "POST"])
@page()
def espace(account: Account):
    saved, error = False, None
    if request.method == "POST":
        kind = request.form.get("genre")
        nom = request.form.get("nom")
        try:
            if kind == "recherche":
                space.add_search(ctx(), account, nom, _criteria_from_text(request.form.get("criteres", "")))
            elif kind == "carte":
                data, params = _render_internal_map(request.form.get("source", ""))
                space.add_file(ctx(), account, "carte", nom, data, params)
            elif kind == "fichier":
                f = request.files.get("fichier")
                data = f.read(ctx().settings.space_max_bytes + 1) if f else b""
                genre = "export" if data.startswith(b"%PDF-") else "carte"
                space.add_file(ctx(), account, genre, nom, data, {"fichier": (f.filename or "")[:200]} if f else None)
            else:
                raise WorkflowError(400, "genre", "recherche, carte or fichier")
            saved = True
        except WorkflowError as exc:
            error = f"{exc.field}: {exc.message}" if exc.field else exc.message
    return render("espace.html", items=space.list_items(ctx(), account), saved=saved, error=error,
                  status=400 if error else 200)


@blueprint.route("/compte/espace/<int:item_id>")
@page()
def espace_contenu(account: Account, item_id: int):
    return _download(account, item_id)


@blueprint.route("/compte/espace/<int:item_id>/supprimer", methods=["POST"])
@page()
def espace_supprimer(account: Account, item_id: int):
    space.delete_item(ctx(), account, item_id)
    return redirect(url_for("coopatlas_bourse.espace", lang=lang()), 303)


def _download(account: Account, item_id: int) -> Response:
    meta, data = space.get_item(ctx(), account, item_id)
    ext = {"application/json": "json", "image/png": "png", "application/pdf": "pdf"}[meta["media_type"]]
    safe = re.sub(r"[^A-Za-z0-9._-]+", "_", meta["nom"]).strip("_")[:60] or "element"
    resp = Response(data, mimetype=meta["media_type"])
    resp.headers["Content-Disposition"] = f'attachment; filename="{safe}.{ext}"'
    resp.headers["Cache-Control"] = "no-store"
    return resp


# --- JSON API ---------------------------------------------------------------------------------------------------

@blueprint.route("/api/jetons", methods=["POST"])
def api_login():
    try:
        data = _json_body()
    except WorkflowError as exc:
        return _workflow_error(exc)
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
    token = request.headers.get("Authorization", "")[7:].strip()
    accounts.revoke(ctx().live, token)
    return Response(status=204)


@blueprint.route("/api/moi")
@api()
def api_me(account: Account):
    return api_json(account.as_json())


@blueprint.route("/api/bourse/demandes")
@api("ambassade", "administrateur")
def api_requests(account: Account):
    statuts = [s for s in (request.args.get("statut") or "").split(",") if s]
    bad = [s for s in statuts if s not in voc.STATUTS_VALIDATION]
    if bad:
        return api_error(400, f"unknown status {bad[0]!r}; one of {', '.join(voc.STATUTS_VALIDATION.codes)}", "statut")
    pays = request.args.get("pays")
    if pays and not re.fullmatch(r"[A-Za-z]{2}", pays):
        return api_error(400, "an ISO 3166-1 alpha-2 code", "pays")
    unknown = [k for k in request.args if k not in ("statut", "pays", "limit")]
    if unknown:
        return api_error(400, "unknown parameter; known: statut, pays, limit", unknown[0])
    try:
        limit = int(request.args.get("limit", 500))
        if not 1 <= limit <= 5000:
            raise ValueError
    except ValueError:
        return api_error(400, "an integer from 1 to 5000", "limit")
    rows = workflow.list_requests(ctx(), account, statuts or None, pays, limit)
    return api_json({"demandes": rows, "nombre": len(rows)})


@blueprint.route("/api/bourse/demandes/<reference>")
@api("ambassade", "administrateur")
def api_request(account: Account, reference: str):
    return api_json(workflow.get_request(ctx(), account, reference))


@blueprint.route("/api/bourse/demandes/<reference>/transitions", methods=["POST"])
@api("ambassade", "administrateur")
def api_transition(account: Account, reference: str):
    data = _json_body()
    unknown = [k for k in data if k not in ("vers", "commentaire")]
    if unknown:
        return api_error(400, "unknown field; known: vers, commentaire", unknown[0])
    if not isinstance(data.get("vers"), str):
        return api_error(400, f"required: one of {', '.join(voc.STATUTS_VALIDATION.codes)}", "vers")
    if data.get("commentaire") is not None and not isinstance(data["commentaire"], str):
        return api_error(400, "a string", "commentaire")
    return api_json(workflow.transition(ctx(), account, reference, data["vers"], data.get("commentaire")))


@blueprint.route("/api/collectivites/<cid>", methods=["GET", "PATCH"])
@api("collectivite", "administrateur")
def api_collectivite(account: Account, cid: str):
    if request.method == "PATCH":
        row, changed = edits.update_contacts(ctx(), account, cid, _json_body())
        return api_json({**row, "champs_modifies": changed})
    return api_json(edits.get_collectivite(ctx(), account, cid))


@blueprint.route("/api/collectivites/<cid>/projets")
@api("collectivite", "administrateur")
def api_collectivite_projets(account: Account, cid: str):
    rows = edits.list_projects(ctx(), account, cid)
    return api_json({"projets": rows, "nombre": len(rows)})


@blueprint.route("/api/projets/<pid>", methods=["GET", "PATCH"])
@api("collectivite", "administrateur")
def api_projet(account: Account, pid: str):
    if request.method == "PATCH":
        row, changed = edits.update_project(ctx(), account, pid, _json_body())
        return api_json({**row, "champs_modifies": changed})
    return api_json(edits.get_project(ctx(), account, pid))


@blueprint.route("/api/modifications")
@api()
def api_modifications(account: Account):
    return api_json({"modifications": edits.history(ctx(), account)})


@blueprint.route("/api/espace", methods=["GET", "POST"])
@api()
def api_space(account: Account):
    c = ctx()
    if request.method == "GET":
        return api_json({"elements": space.list_items(c, account)})
    if (request.content_length or 0) > c.settings.space_max_bytes + 65536:
        return api_error(413, f"at most {c.settings.space_max_bytes // (1024 * 1024)} MB per file", "fichier")
    if request.mimetype == "multipart/form-data":
        f = request.files.get("fichier")
        if f is None:
            return api_error(400, "the file, as the multipart field 'fichier'", "fichier")
        kind = request.form.get("genre")
        if kind not in ("carte", "export"):
            return api_error(400, "carte (PNG) or export (PDF)", "genre")
        item = space.add_file(c, account, kind, request.form.get("nom"), f.read(c.settings.space_max_bytes + 1),
                              {"fichier": (f.filename or "")[:200]})
        return api_json(item, 201)
    data = _json_body()
    kind = data.get("genre")
    if kind == "recherche":
        item = space.add_search(c, account, data.get("nom"), data.get("criteres"))
    elif kind == "carte":
        png, params = _render_internal_map(data.get("source") if isinstance(data.get("source"), str) else "")
        item = space.add_file(c, account, "carte", data.get("nom"), png, params)
    elif kind == "export":
        pdf, params = _render_internal_pdf(data.get("processus"), data.get("inputs"))
        item = space.add_file(c, account, "export", data.get("nom"), pdf, params)
    else:
        return api_error(400, "recherche (criteres), carte (source: a /collections/<id>/map URL) or export "
                              "(processus, inputs); files: multipart/form-data", "genre")
    return api_json(item, 201)


@blueprint.route("/api/espace/<int:item_id>", methods=["GET", "DELETE"])
@api()
def api_space_item(account: Account, item_id: int):
    if request.method == "DELETE":
        space.delete_item(ctx(), account, item_id)
        return Response(status=204)
    meta, _ = space.get_item(ctx(), account, item_id, with_content=False)
    return api_json(meta)


@blueprint.route("/api/espace/<int:item_id>/contenu")
@api()
def api_space_content(account: Account, item_id: int):
    return _download(account, item_id)


# errors of the routes above that are not WorkflowError: JSON for /api, pages for the rest
@blueprint.errorhandler(AccountError)
def _account_error(exc: AccountError):
    return api_error(400, exc.message, exc.field)
