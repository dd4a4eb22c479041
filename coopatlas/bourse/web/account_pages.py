"""The pages of logged-in accounts: the account's home, the embassy's requests and decisions, the
collectivity's contacts and projects, the personal space."""

from __future__ import annotations

from flask import Blueprint, redirect, request, url_for

from ... import vocabulary as voc
from .. import accounts, edits, space, workflow
from ..accounts import Account
from ..errors import WorkflowError
from .exports import criteria_from_text, download, map_png
from .rendering import error_page, page, render
from .responses import BLUEPRINT, ctx, lang

blueprint = Blueprint("compte", __name__)

#: Fields of a project a collectivity edits on its page.
PROJECT_FORM_FIELDS = (
    "titre",
    "description",
    "statut",
    "sous_sous_thematique",
    "annee_convention",
    "annee_lancement",
    "annee_fin",
)


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
    return render(
        "compte.html", role_label=labels[1] if lg == "en" else labels[0], pending=pending, collectivite=coll_name
    )


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
            workflow.transition(
                ctx(), account, reference, request.form.get("vers") or "", request.form.get("commentaire")
            )
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
    return render(
        "collectivite.html",
        c=c,
        values=values,
        errors=errors,
        saved=saved,
        projects=projects,
        changes=changes,
        contact_fields=edits.EDITABLE["collectivites"],
        status=400 if errors else 200,
    )


@blueprint.route("/compte/projets/<pid>", methods=["GET", "POST"])
@page("collectivite", "administrateur")
def projet(account: Account, pid: str):
    p = edits.get_project(ctx(), account, pid)
    saved, errors = False, {}
    values = dict(p)
    if request.method == "POST":
        given = {k: request.form.get(k, "") for k in PROJECT_FORM_FIELDS}
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
    return render(
        "projet.html",
        p=p,
        values=values,
        errors=errors,
        saved=saved,
        statuts=voc.STATUTS,
        status=400 if errors else 200,
    )


# --- personal space pages ---------------------------------------------------------------------------------------


@blueprint.route("/compte/espace", methods=["GET", "POST"])
@page()
def espace(account: Account):
    saved, error = False, None
    if request.method == "POST":
        kind = request.form.get("genre")
        nom = request.form.get("nom")
        try:
            if kind == "recherche":
                space.add_search(ctx(), account, nom, criteria_from_text(request.form.get("criteres", "")))
            elif kind == "carte":
                data, params = map_png(request.form.get("source", ""))
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
    return render(
        "espace.html", items=space.list_items(ctx(), account), saved=saved, error=error, status=400 if error else 200
    )


@blueprint.route("/compte/espace/<int:item_id>")
@page()
def espace_contenu(account: Account, item_id: int):
    return download(account, item_id)


@blueprint.route("/compte/espace/<int:item_id>/supprimer", methods=["POST"])
@page()
def espace_supprimer(account: Account, item_id: int):
    space.delete_item(ctx(), account, item_id)
    return redirect(url_for(f"{BLUEPRINT}.compte.espace", lang=lang()), 303)
