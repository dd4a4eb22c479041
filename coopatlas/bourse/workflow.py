"""The life of a Bourse projets request: submission, the embassy's decisions, completion, audit trail.

::

    (dépôt) ──► soumise ──► validee ──► pourvue
                  │  ▲         │  ▲        │
                  │  └─────┐   │  └────────┘ (the partnership fell through)
                  ▼        │   ▼
              a_completer ─┘ rejetee        (a validated request can be withdrawn)

* :func:`submit`: a valid request (:func:`coopatlas.bourse.submission.validate`) is stored as ``soumise``
  with a reference ``BP-<year>-<number>``, routed to the embassy of its country (directory
  ``datasets/ambassades.csv``), which is notified by e-mail, as is the submitter. Abuse limits: requests
  per client address (``COOPATLAS_BOURSE_RATE``), pending requests per authority
  (``COOPATLAS_BOURSE_MAX_PENDING``).
* :func:`transition`: an embassy account (its country only) or an administrator validates, rejects, asks
  for completion, marks as matched (``pourvue``), with a comment (required to reject or ask for
  completion). Requests of the built atlas are taken into the live database the first time someone acts
  on them.
* :func:`complete`: the submitter, with the secret link of the "to complete" e-mail, edits the request,
  which goes back to ``soumise``.

Every change of status is kept in the audit trail (``transitions``: who, when, from, to, comment) and
journaled for the atlas (:mod:`coopatlas.bourse.atlas`), where only ``validee`` and ``pourvue`` requests
are public.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets

from .. import schema as sch
from .. import vocabulary as voc
from .accounts import Account
from .atlas import DEMANDES, TABLE
from .atlas_sync import content_from_atlas_row
from .context import Context
from .errors import WorkflowError
from .live import LiveDB, Tx, now, today
from .mail import queue
from .request_mails import _completion_link, _embassy_mail, _submitter_mail
from .submission import LANGUES, authority_key, clean_text

#: Who may move a request from one status to another (embassy of its country and administrators).
TRANSITIONS = {
    "soumise": ("validee", "rejetee", "a_completer"),
    "a_completer": ("validee", "rejetee"),
    "validee": ("pourvue", "rejetee"),
    "pourvue": ("validee",),
    "rejetee": (),
}
#: Administrators may also reopen a rejected request.
ADMIN_TRANSITIONS = {"rejetee": ("soumise",)}
#: Transitions that need a comment (the submitter is told why).
COMMENT_REQUIRED = ("rejetee", "a_completer")
MAX_COMMENT = 2000
PENDING = ("soumise", "a_completer")


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reference(numero: int, year: int | None = None) -> str:
    return f"BP-{year or dt.date.today().year}-{numero:05d}"


# --- submission -------------------------------------------------------------------------------------------


def submit(ctx: Context, clean: dict, client: str) -> dict:
    """Store a validated request (:func:`~coopatlas.bourse.submission.validate`) as ``soumise``; queue the
    e-mails to the embassy and to the submitter; apply it to the atlas. Returns ``reference``,
    ``statut_validation``, ``ambassade``, ``date_depot``. Raises :class:`WorkflowError` 429 when the client
    address has sent too many requests or the authority has too many pending ones (nothing is stored)."""
    ctx.check_writable()
    s = ctx.settings
    limit, window = s.rate_submissions
    rate_key = f"depot:{client}"
    key = authority_key(clean["demandeur_nom"])
    embassy = ctx.geo.embassy(clean["pays_code"])
    content = dict(clean)
    with ctx.live.tx() as t:
        if LiveDB.count(t, rate_key, window) >= limit:
            raise WorkflowError(
                429,
                None,
                f"too many requests from this address ({limit} per {window} s): retry later",
                retry_after=LiveDB.retry_after(t, rate_key, window, limit),
            )
        pending = t.execute(
            "SELECT COUNT(*) FROM demandes WHERE pays_code = ? AND cle_demandeur = ? AND statut IN (?, ?)",
            (clean["pays_code"], key, *PENDING),
        ).scalar()
        if pending >= s.max_pending:
            raise WorkflowError(
                429,
                "demandeur_nom",
                f"{clean['demandeur_nom']} already has {pending} request(s) "
                "awaiting the embassy: wait for its decision before submitting "
                "another one",
            )
        stamp, day = now(), today()
        numero = t.execute(
            "INSERT INTO demandes (origine, statut, pays_code, cle_demandeur, contenu, contact_email, lang, adresse, "
            "date_depot, cree, modifie) VALUES ('depot', 'soumise', ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING numero",
            (
                clean["pays_code"],
                key,
                json.dumps(content, ensure_ascii=False),
                clean["contact_email"],
                clean["lang"],
                client[:100],
                day,
                stamp,
                stamp,
            ),
        ).scalar()
        ref = reference(int(numero), int(day[:4]))
        t.execute("UPDATE demandes SET reference = ? WHERE numero = ?", (ref, numero))
        t.execute(
            "INSERT INTO transitions (reference, de, vers, compte_id, acteur, role, commentaire, date) "
            "VALUES (?, NULL, 'soumise', NULL, ?, 'demandeur', NULL, ?)",
            (ref, f"demandeur {clean['contact_email']}", stamp),
        )
        LiveDB.record_change(t, "demande", ref)
        LiveDB.hit(t, rate_key, window)
        if embassy:
            queue(t, embassy.email, *_embassy_mail(ctx, content, ref))
        queue(t, clean["contact_email"], *_submitter_mail(ctx, content, ref, "soumise"))
    ctx.after_change()
    return {
        "reference": ref,
        "statut_validation": "soumise",
        "ambassade": embassy.nom if embassy else None,
        "date_depot": day,
    }


# --- reading requests (accounts) --------------------------------------------------------------------------

LIST_FIELDS = (
    "id",
    "titre",
    "demandeur_nom",
    "pays_code",
    "pays_nom",
    "thematique",
    "statut_validation",
    "date_depot",
    "date_validation",
    "ambassade",
    "contact_nom",
    "contact_email",
)


def list_requests(
    ctx: Context, account: Account, statuts: list[str] | None = None, pays: str | None = None, limit: int = 500
) -> list[dict]:
    """The requests an account may see (its country's; every country for an administrator), newest first."""
    if not (account.is_admin or account.role == "ambassade"):
        raise WorkflowError(403, None, "only embassy and administrator accounts see the Bourse requests")
    if account.role == "ambassade" and pays and pays.upper() != account.pays_code:
        raise WorkflowError(
            403, "pays", f"an embassy account sees the requests of its country only ({account.pays_code})"
        )
    where, params = [], []
    if account.role == "ambassade":
        where.append("pays_code = ?")
        params.append(account.pays_code)
    elif pays:
        where.append("pays_code = ?")
        params.append(pays.upper())
    if statuts:
        where.append(f"statut_validation IN ({', '.join('?' * len(statuts))})")
        params += statuts
    sql = (
        f"SELECT {', '.join(LIST_FIELDS)} FROM {TABLE}"
        + (" WHERE " + " AND ".join(where) if where else "")
        + " ORDER BY date_depot DESC, id DESC LIMIT ?"
    )
    ctx.ensure_synced(force=True)
    with ctx.atlas.read() as a:
        return a.query(sql, params + [int(limit)])


def get_request(ctx: Context, account: Account, ref: str) -> dict:
    """One request with its audit trail; 404 when it does not exist or the account may not see it."""
    ctx.ensure_synced(force=True)
    with ctx.atlas.read() as a:
        row = a.get(DEMANDES, ref, TABLE)
    if row is None or not account.can_handle_country(row["pays_code"]):
        raise WorkflowError(404, "reference", f"no request {ref!r} for this account")
    g = row.pop("geometry", None)
    row["lon"], row["lat"] = (None, None) if g is None else (round(g.x, 6), round(g.y, 6))
    with ctx.live.tx(write=False) as t:
        row["historique"] = t.execute(
            "SELECT de, vers, acteur, role, commentaire, date FROM transitions WHERE reference = ? ORDER BY id", (ref,)
        ).all()
    statut = row["statut_validation"]
    allowed = TRANSITIONS.get(statut, ()) + (ADMIN_TRANSITIONS.get(statut, ()) if account.is_admin else ())
    row["transitions_possibles"] = list(allowed)
    return row


# --- the embassy's decisions ---------------------------------------------------------------------------------


def _adopt(t: Tx, ctx: Context, ref: str) -> dict | None:
    """The live row of request ``ref``, taken from the built atlas if it is not live yet."""
    row = t.execute("SELECT * FROM demandes WHERE reference = ?", (ref,)).one()
    if row is not None:
        return row
    with ctx.atlas.read() as a:
        built = a.get(DEMANDES, ref, TABLE)
    if built is None:
        return None
    content = content_from_atlas_row(built)
    stamp = now()
    return t.execute(
        "INSERT INTO demandes (reference, origine, statut, pays_code, cle_demandeur, contenu, contact_email, lang, "
        "date_depot, date_validation, cree, modifie) VALUES (?, 'atlas', ?, ?, ?, ?, ?, 'fr', ?, ?, ?, ?) RETURNING *",
        (
            ref,
            built["statut_validation"],
            built["pays_code"],
            authority_key(built.get("demandeur_nom") or ""),
            json.dumps(content, ensure_ascii=False),
            built.get("contact_email"),
            built.get("date_depot") or stamp[:10],
            built.get("date_validation"),
            stamp,
            stamp,
        ),
    ).one()


def transition(ctx: Context, account: Account, ref: str, to: str, comment: str | None = None) -> dict:
    """Move request ``ref`` to status ``to`` on behalf of ``account``; the updated request.

    404 when the request does not exist or belongs to another country than the embassy's; 400 for an
    unknown status or a missing comment; 409 when the transition is not allowed from the current status.
    """
    if not (account.is_admin or account.role == "ambassade"):
        raise WorkflowError(403, None, "only embassy and administrator accounts decide on requests")
    ctx.check_writable()
    if to not in voc.STATUTS_VALIDATION:
        raise WorkflowError(400, "vers", f"unknown status {to!r}; one of {', '.join(voc.STATUTS_VALIDATION.codes)}")
    comment = clean_text(comment, multiline=True) or None
    if comment and len(comment) > MAX_COMMENT:
        raise WorkflowError(400, "commentaire", f"at most {MAX_COMMENT} characters")
    if to in COMMENT_REQUIRED and not comment:
        raise WorkflowError(
            400, "commentaire", f"a comment is required to move a request to {to} (the submitter is told why)"
        )
    with ctx.live.tx() as t:
        row = _adopt(t, ctx, ref)
        if row is None or not account.can_handle_country(row["pays_code"]):
            raise WorkflowError(404, "reference", f"no request {ref!r} for this account")
        frm = row["statut"]
        allowed = TRANSITIONS.get(frm, ()) + (ADMIN_TRANSITIONS.get(frm, ()) if account.is_admin else ())
        if to not in allowed:
            raise WorkflowError(
                409, "vers", f"a request {frm} cannot become {to}; allowed: {', '.join(allowed) or 'none'}"
            )
        stamp = now()
        content = json.loads(row["contenu"])
        date_validation = row["date_validation"]
        if to == "validee" and not date_validation:
            date_validation = today()
        token = None
        if to == "a_completer":
            token = secrets.token_urlsafe(24)
        t.execute(
            "UPDATE demandes SET statut = ?, date_validation = ?, jeton_completion = ?, modifie = ? "
            "WHERE reference = ?",
            (to, date_validation, _digest(token) if token else None, stamp, ref),
        )
        t.execute(
            "INSERT INTO transitions (reference, de, vers, compte_id, acteur, role, commentaire, date) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (ref, frm, to, account.id, account.label(), account.role, comment, stamp),
        )
        LiveDB.record_change(t, "demande", ref)
        if content.get("contact_email"):
            link = _completion_link(ctx, ref, token, content.get("lang") or "fr") if token else None
            queue(t, content["contact_email"], *_submitter_mail(ctx, content, ref, to, comment, link))
    ctx.after_change()
    return get_request(ctx, account, ref)


# --- the submitter completes a request ---------------------------------------------------------------------


def completion_request(ctx: Context, ref: str, token: str | None) -> dict:
    """The live request ``ref`` if ``token`` is its completion token and it is ``a_completer``; 404 otherwise
    (whether the request exists or not)."""
    with ctx.live.tx(write=False) as t:
        row = t.execute("SELECT * FROM demandes WHERE reference = ?", (ref,)).one()
    if (
        row is None
        or row["statut"] != "a_completer"
        or not token
        or not row["jeton_completion"]
        or not secrets.compare_digest(row["jeton_completion"], _digest(token))
    ):
        raise WorkflowError(404, "jeton", "no request to complete with this link (already completed, or wrong link)")
    content = json.loads(row["contenu"])
    with ctx.live.tx(write=False) as t:
        last = t.execute(
            "SELECT commentaire FROM transitions WHERE reference = ? AND vers = 'a_completer' ORDER BY id DESC LIMIT 1",
            (ref,),
        ).one()
    return {"reference": ref, "contenu": content, "commentaire": (last or {}).get("commentaire")}


def complete(ctx: Context, ref: str, token: str, clean: dict) -> dict:
    """Replace the content of request ``ref`` (the country cannot change) and send it back to the embassy."""
    ctx.check_writable()
    current = completion_request(ctx, ref, token)
    if clean["pays_code"] != current["contenu"]["pays_code"]:
        raise WorkflowError(400, "pays_code", "the country of a request cannot change (submit a new request)")
    with ctx.live.tx() as t:
        row = t.execute("SELECT statut, jeton_completion FROM demandes WHERE reference = ?", (ref,)).one()
        if row["statut"] != "a_completer" or row["jeton_completion"] != _digest(token):
            raise WorkflowError(404, "jeton", "no request to complete with this link")
        stamp = now()
        t.execute(
            "UPDATE demandes SET statut = 'soumise', contenu = ?, contact_email = ?, lang = ?, cle_demandeur = ?, "
            "jeton_completion = NULL, modifie = ? WHERE reference = ?",
            (
                json.dumps(clean, ensure_ascii=False),
                clean["contact_email"],
                clean["lang"],
                authority_key(clean["demandeur_nom"]),
                stamp,
                ref,
            ),
        )
        t.execute(
            "INSERT INTO transitions (reference, de, vers, compte_id, acteur, role, commentaire, date) "
            "VALUES (?, 'a_completer', 'soumise', NULL, ?, 'demandeur', NULL, ?)",
            (ref, f"demandeur {clean['contact_email']}", stamp),
        )
        LiveDB.record_change(t, "demande", ref)
        embassy = ctx.geo.embassy(clean["pays_code"])
        if embassy:
            queue(t, embassy.email, *_embassy_mail(ctx, clean, ref, completed=True))
        queue(t, clean["contact_email"], *_submitter_mail(ctx, clean, ref, "soumise"))
    ctx.after_change()
    return {"reference": ref, "statut_validation": "soumise"}


__all__ = [
    "LANGUES",
    "TRANSITIONS",
    "WorkflowError",
    "complete",
    "completion_request",
    "get_request",
    "list_requests",
    "sch",
    "submit",
    "transition",
]
