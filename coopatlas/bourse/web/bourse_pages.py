"""The public pages of the Bourse projets: what it is, the request form (anonymous, CSRF-protected), the
confirmation, the completion of a request by its submitter, and the place type-ahead of the form."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for
from itsdangerous import BadSignature

from .. import workflow
from ..errors import WorkflowError
from ..i18n import translator
from ..submission import FIELDS, validate
from .auth import check_anonymous_csrf, signer
from .rendering import error_page, render
from .responses import BLUEPRINT, MAX_FORM_BYTES, api_error, api_json, client, ctx, form_too_big, lang

blueprint = Blueprint("bourse", __name__)

CONFIRMATION_ENDPOINT = f"{BLUEPRINT}.bourse.deposee"
#: How long the confirmation page of a request can be seen again, in seconds.
CONFIRMATION_SECONDS = 7 * 86400
#: Errors of fields the form does not show, shown next to the form field that sets them.
_FORM_FIELD = {"thematique": "sous_sous_thematique", "sous_thematique": "sous_sous_thematique", "geonameid": "lieu"}


@blueprint.route("/bourse")
def index():
    return render("index.html")


def _form_values() -> dict:
    values = {k: request.form.get(k) for k in FIELDS if k not in ("langues", "lang")}
    values["langues"] = request.form.getlist("langues")
    values["lang"] = lang()
    return values


def _form_errors(err) -> dict:
    out = {}
    for name, msg in err.messages(lang()).items():
        out.setdefault(_FORM_FIELD.get(name, name), msg)
    return out


def _submission_error(exc: WorkflowError, tr) -> dict:
    if exc.status == 429:
        return {(exc.field or "_form"): tr("too_many_pending") if exc.field else tr("rate_limited")}
    return {(exc.field or "_form"): exc.message}


@blueprint.route("/bourse/deposer", methods=["GET", "POST"])
def deposer():
    tr = translator(lang())
    if request.method == "GET":
        return render("deposer.html")
    if form_too_big():
        return error_page(413, f"at most {MAX_FORM_BYTES} bytes")
    values = _form_values()
    if not check_anonymous_csrf():
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
    token = signer("deposee").dumps({"r": res["reference"], "a": res["ambassade"]})
    return redirect(url_for(CONFIRMATION_ENDPOINT, token=token, lang=lang()), 303)


@blueprint.route("/bourse/deposee/<token>")
def deposee(token: str):
    try:
        data = signer("deposee").loads(token, max_age=CONFIRMATION_SECONDS)
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
    resp = api_json(
        {"pays": code, "q": q, "lieux": [p.as_json() for p in found], "source": "GeoNames (geonames.org), CC BY 4.0"}
    )
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


def _content_form_values(content: dict) -> dict:
    v = dict(content)
    if content.get("lieu_nom"):
        name = content["lieu_nom"]
        v["lieu"] = f"{name} ({content['admin1_nom']})" if content.get("admin1_nom") else name
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
    if form_too_big():
        return error_page(413, f"at most {MAX_FORM_BYTES} bytes")
    values = _form_values()
    values["pays_code"] = current_req["contenu"]["pays_code"]
    if not check_anonymous_csrf():
        return render("completer.html", status=400, values=values, errors={"_form": tr("csrf_error")}, **common)
    clean, err = validate(values, ctx().geo)
    if err:
        return render("completer.html", status=400, values=values, errors=_form_errors(err), **common)
    try:
        workflow.complete(ctx(), reference, jeton, clean)
    except WorkflowError as exc:
        return render(
            "completer.html", status=exc.status, values=values, errors={exc.field or "_form": exc.message}, **common
        )
    embassy = ctx().geo.embassy(clean["pays_code"])
    token = signer("deposee").dumps({"r": reference, "a": embassy.nom if embassy else ""})
    return redirect(url_for(CONFIRMATION_ENDPOINT, token=token, lang=lang()), 303)
