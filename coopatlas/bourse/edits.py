"""The collectivities' updates of their own data (the Atlas's update procedure).

A collectivity account updates its projects (title, description, status, twinning, themes, years) and
the contacts of its record (elected official, director of international affairs); never another
collectivity's (an administrator may update any). Each changed field is journaled in the live database
(``modifications``: account, collection, record, field, old and new value, time) — the journal is what
:mod:`coopatlas.bourse.atlas` applies to the atlas, again after a rebuild — and ``date_maj`` of the record
becomes the day of the change. The project's flow in ``liens`` follows its title, status, theme,
twinning and start year.
"""

from __future__ import annotations

import json
import re

from .. import schema as sch
from .. import vocabulary as voc
from .accounts import Account
from .atlas_sync import EDITABLE
from .context import Context
from .errors import WorkflowError
from .live import LiveDB, now
from .submission import Errors, clean_text, resolve_themes, valid_email

_PHONE = re.compile(r"^[0-9+() .\-/]{4,30}$")
PROJECT_LIST_FIELDS = (
    "id",
    "titre",
    "type_action",
    "statut",
    "thematique",
    "partenaire_nom",
    "pays_nom",
    "annee_lancement",
    "annee_fin",
    "date_maj",
)


def _bool(v):
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, str) and v.lower() in ("1", "true", "on", "oui", "yes"):
        return True
    if isinstance(v, str) and v.lower() in ("0", "false", "off", "non", "no", ""):
        return False
    raise ValueError


def _year(v):
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError
    y = int(str(v).strip()) if isinstance(v, str) else v
    if not isinstance(y, int) or not 1945 <= y <= 2100:
        raise ValueError
    return y


def validate_project(values: dict, current: dict) -> tuple[dict, Errors]:
    """The new values of a project's editable fields (only those given), or errors by field."""
    err, out = Errors(), {}
    for k in values:
        if k not in EDITABLE["projets"]:
            err.add(k, "champ non modifiable", f"not an editable field; editable: {', '.join(EDITABLE['projets'])}")
    if "titre" in values:
        t = clean_text(values["titre"]) if isinstance(values["titre"], str) else None
        if not t or not 5 <= len(t) <= 300:
            err.add("titre", "5 à 300 caractères", "5 to 300 characters")
        out["titre"] = t
    if "description" in values:
        if not isinstance(values["description"], (str, type(None))):
            err.add("description", "texte attendu", "must be a string (or null to clear it)")
        d = clean_text(values["description"], multiline=True) if isinstance(values["description"], str) else None
        if d is not None and len(d) > 10000:
            err.add("description", "au plus 10 000 caractères", "at most 10000 characters")
        out["description"] = d or None
    if "statut" in values:
        if not isinstance(values["statut"], str) or values["statut"] not in voc.STATUTS:
            err.add("statut", "statut inconnu", f"one of {', '.join(voc.STATUTS.codes)}")
        out["statut"] = values["statut"]
    if "jumelage" in values:
        try:
            out["jumelage"] = _bool(values["jumelage"])
        except ValueError:
            err.add("jumelage", "vrai ou faux", "true or false")
    if any(k in values for k in ("thematique", "sous_thematique", "sous_sous_thematique")):
        given = {k: values.get(k) for k in ("thematique", "sous_thematique", "sous_sous_thematique")}
        t, st, sst = resolve_themes(given, err)
        out.update(thematique=t, sous_thematique=st, sous_sous_thematique=sst)
    for k in ("annee_convention", "annee_lancement", "annee_fin"):
        if k in values:
            try:
                out[k] = _year(values[k])
            except (TypeError, ValueError):
                err.add(k, "année entre 1945 et 2100", "a year between 1945 and 2100")
    start = out.get("annee_lancement", current.get("annee_lancement"))
    end = out.get("annee_fin", current.get("annee_fin"))
    if "annee_fin" not in err and start and end and end < start:
        err.add("annee_fin", "avant l'année de début", f"ends ({end}) before it starts ({start})")
    return out, err


def validate_contacts(values: dict) -> tuple[dict, Errors]:
    err, out = Errors(), {}
    for k, v in values.items():
        if k not in EDITABLE["collectivites"]:
            err.add(
                k, "champ non modifiable", f"not an editable field; editable: {', '.join(EDITABLE['collectivites'])}"
            )
            continue
        if not isinstance(v, (str, type(None))):
            err.add(k, "texte attendu", "must be a string")
            continue
        text = clean_text(v) or None
        if text and k.endswith("_email") and not valid_email(text):
            err.add(k, "adresse électronique invalide", "not a valid e-mail address")
        elif text and k.endswith("_telephone") and not _PHONE.match(text):
            err.add(k, "numéro de téléphone invalide", "not a phone number (digits, spaces, + ( ) . - /)")
        elif text and len(text) > (200 if k.endswith("_fonction") else 120):
            err.add(k, "trop long", "too long")
        out[k] = text
    return out, err


def _check_collectivite(account: Account, cid: str) -> None:
    if not account.can_edit_collectivite(cid):
        raise WorkflowError(403, "collectivite", f"this account cannot update collectivity {cid!r}")


def get_collectivite(ctx: Context, account: Account, cid: str) -> dict:
    _check_collectivite(account, cid)
    ctx.ensure_synced()
    with ctx.atlas.read() as a:
        row = a.get(sch.COLLECTIVITES, cid)
    if row is None:
        raise WorkflowError(404, "collectivite", f"no collectivity {cid!r}")
    row.pop("geometry", None)
    return row


def list_projects(ctx: Context, account: Account, cid: str) -> list[dict]:
    _check_collectivite(account, cid)
    ctx.ensure_synced()
    with ctx.atlas.read() as a:
        return a.query(
            f"SELECT {', '.join(PROJECT_LIST_FIELDS)} FROM projets WHERE collectivite_id = ? ORDER BY id", [cid]
        )


def get_project(ctx: Context, account: Account, pid: str) -> dict:
    ctx.ensure_synced()
    with ctx.atlas.read() as a:
        row = a.get(sch.PROJETS, pid)
    if row is None:
        raise WorkflowError(404, "projet", f"no project {pid!r}")
    if not account.can_edit_collectivite(row["collectivite_id"]):
        raise WorkflowError(403, "projet", f"project {pid!r} belongs to another collectivity")
    row.pop("geometry", None)
    return row


def _journal(ctx: Context, account: Account, collection: str, objet_id: str, current: dict, new: dict) -> list[str]:
    changed = [k for k, v in new.items() if current.get(k) != v]
    if not changed:
        return []
    ctx.check_writable()
    with ctx.live.tx() as t:
        stamp = now()
        for k in changed:
            t.execute(
                "INSERT INTO modifications (compte_id, acteur, collection, objet_id, champ, ancienne, nouvelle, "
                "date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    account.id,
                    account.label(),
                    collection,
                    objet_id,
                    k,
                    json.dumps(current.get(k), ensure_ascii=False),
                    json.dumps(new[k], ensure_ascii=False),
                    stamp,
                ),
            )
        LiveDB.record_change(t, collection, objet_id)
    ctx.after_change()
    return changed


def update_project(ctx: Context, account: Account, pid: str, values: dict) -> tuple[dict, list[str]]:
    """Update a project of the account's collectivity; (the project, the fields changed)."""
    if not isinstance(values, dict) or not values:
        raise WorkflowError(400, "body", "a JSON object of the fields to change")
    current = get_project(ctx, account, pid)
    new, err = validate_project(values, current)
    if err:
        name, msg = err.first()
        raise WorkflowError(400, name, f"{name}: {msg}")
    changed = _journal(ctx, account, "projets", pid, current, new)
    return get_project(ctx, account, pid), changed


def update_contacts(ctx: Context, account: Account, cid: str, values: dict) -> tuple[dict, list[str]]:
    """Update the contacts of the account's collectivity; (the record, the fields changed)."""
    if not isinstance(values, dict) or not values:
        raise WorkflowError(400, "body", "a JSON object of the fields to change")
    current = get_collectivite(ctx, account, cid)
    new, err = validate_contacts(values)
    if err:
        name, msg = err.first()
        raise WorkflowError(400, name, f"{name}: {msg}")
    changed = _journal(ctx, account, "collectivites", cid, current, new)
    return get_collectivite(ctx, account, cid), changed


def history(ctx: Context, account: Account, limit: int = 200) -> list[dict]:
    """The journal of updates an account may see: its own collectivity's records (all for administrators)."""
    with ctx.live.tx(write=False) as t:
        if account.is_admin:
            rows = t.execute("SELECT * FROM modifications ORDER BY id DESC LIMIT ?", (limit,)).all()
        elif account.role == "collectivite":
            rows = t.execute(
                "SELECT * FROM modifications WHERE compte_id = ? OR (collection = 'collectivites' AND "
                "objet_id = ?) ORDER BY id DESC LIMIT ?",
                (account.id, account.collectivite_id, limit),
            ).all()
        else:
            rows = []
    for r in rows:
        r["ancienne"] = json.loads(r["ancienne"]) if r["ancienne"] is not None else None
        r["nouvelle"] = json.loads(r["nouvelle"]) if r["nouvelle"] is not None else None
    return rows
