"""The JSON API of the accounts (``Authorization: Bearer <token>``, the token from ``POST /api/jetons``):
the account, the Bourse requests and decisions, the collectivities' records and projects, the journal of
updates, the personal space."""

from __future__ import annotations

import re

from flask import Blueprint, Response, request

from ... import vocabulary as voc
from .. import edits, space, workflow
from ..accounts import Account
from .auth import api
from .exports import download, map_png, report_pdf
from .responses import api_error, api_json, ctx, json_body

blueprint = Blueprint("api", __name__)

#: Room for the multipart envelope around a file of the personal space, in bytes.
MULTIPART_OVERHEAD = 65536


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
    data = json_body()
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
        row, changed = edits.update_contacts(ctx(), account, cid, json_body())
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
        row, changed = edits.update_project(ctx(), account, pid, json_body())
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
    if (request.content_length or 0) > c.settings.space_max_bytes + MULTIPART_OVERHEAD:
        return api_error(413, f"at most {c.settings.space_max_bytes // (1024 * 1024)} MB per file", "fichier")
    if request.mimetype == "multipart/form-data":
        f = request.files.get("fichier")
        if f is None:
            return api_error(400, "the file, as the multipart field 'fichier'", "fichier")
        kind = request.form.get("genre")
        if kind not in ("carte", "export"):
            return api_error(400, "carte (PNG) or export (PDF)", "genre")
        item = space.add_file(
            c,
            account,
            kind,
            request.form.get("nom"),
            f.read(c.settings.space_max_bytes + 1),
            {"fichier": (f.filename or "")[:200]},
        )
        return api_json(item, 201)
    data = json_body()
    kind = data.get("genre")
    if kind == "recherche":
        item = space.add_search(c, account, data.get("nom"), data.get("criteres"))
    elif kind == "carte":
        png, params = map_png(data.get("source") if isinstance(data.get("source"), str) else "")
        item = space.add_file(c, account, "carte", data.get("nom"), png, params)
    elif kind == "export":
        pdf, params = report_pdf(account, data.get("processus"), data.get("inputs"))
        item = space.add_file(c, account, "export", data.get("nom"), pdf, params)
    else:
        return api_error(
            400,
            "recherche (criteres), carte (source: a /collections/<id>/map URL) or export "
            "(processus, inputs); files: multipart/form-data",
            "genre",
        )
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
    return download(account, item_id)
