"""The personal space of an account: named searches, maps and PDF exports kept on the server.

Each item belongs to one account, which alone lists, downloads and deletes it (an administrator
included: a personal space is personal). Kinds (:data:`KINDS`):

* ``recherche``: a named search, the Atlas's criteria (:class:`coopatlas.criteria.Criteria`, validated),
  stored as JSON with, for each collection, the OGC API query parameters that run it;
* ``carte``: a map, PNG (uploaded, or rendered by the server from one of its ``/collections/<id>/map``
  URLs);
* ``export``: a PDF export (uploaded, or produced by one of the server's report processes).

Files are checked by their signature (PNG, PDF), limited in size (``COOPATLAS_ESPACE_MAX_MB``) and per
account (``COOPATLAS_ESPACE_QUOTA_MB``), and stored in the live database (never lost by a rebuild).
"""

from __future__ import annotations

import json

from ..criteria import Criteria, CriteriaError, NotApplicable
from .accounts import Account
from .context import Context
from .errors import WorkflowError
from .live import now
from .submission import clean_text

KINDS = {
    "recherche": ("application/json", "Recherche enregistrée", "Saved search"),
    "carte": ("image/png", "Carte", "Map"),
    "export": ("application/pdf", "Export PDF", "PDF export"),
}
SIGNATURES = {"image/png": b"\x89PNG\r\n\x1a\n", "application/pdf": b"%PDF-"}
#: Collections a saved search gives query parameters for.
SEARCH_COLLECTIONS = ("projets", "demandes", "liens", "collectivites", "partenaires", "apd")
MAX_ITEMS = 500
#: Item ids are 64-bit integers of the database: larger numbers name no item.
MAX_ID = 2**63 - 1


def _name(nom) -> str:
    text = clean_text(nom) if isinstance(nom, str) else ""
    if not 1 <= len(text) <= 120:
        raise WorkflowError(400, "nom", "a name of 1 to 120 characters")
    return text


def _meta(row: dict) -> dict:
    return {
        "id": int(row["id"]),
        "genre": row["genre"],
        "nom": row["nom"],
        "media_type": row["media_type"],
        "taille": int(row["taille"]),
        "cree": row["cree"],
        "parametres": json.loads(row["parametres"]) if row.get("parametres") else None,
    }


def list_items(ctx: Context, account: Account) -> list[dict]:
    with ctx.live.tx(write=False) as t:
        rows = t.execute(
            "SELECT id, genre, nom, media_type, taille, cree, parametres FROM espace WHERE compte_id = ? "
            "ORDER BY id DESC",
            (account.id,),
        ).all()
    return [_meta(r) for r in rows]


def _store(
    ctx: Context, account: Account, kind: str, nom: str, media_type: str, data: bytes, parametres: dict | None
) -> dict:
    s = ctx.settings
    if len(data) > s.space_max_bytes:
        raise WorkflowError(413, "fichier", f"at most {s.space_max_bytes // (1024 * 1024)} MB per file")
    with ctx.live.tx() as t:
        usage = t.execute(
            "SELECT COALESCE(SUM(taille), 0) AS used, COUNT(*) AS n FROM espace WHERE compte_id = ?", (account.id,)
        ).one()
        used, count = usage["used"], usage["n"]
        if int(used) + len(data) > s.space_quota_bytes:
            raise WorkflowError(
                413,
                "fichier",
                f"the personal space is full ({s.space_quota_bytes // (1024 * 1024)} MB): delete some items first",
            )
        if int(count) >= MAX_ITEMS:
            raise WorkflowError(413, "fichier", f"at most {MAX_ITEMS} items per personal space")
        row = t.execute(
            "INSERT INTO espace (compte_id, genre, nom, media_type, taille, contenu, parametres, cree) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id, genre, nom, media_type, taille, cree, parametres",
            (
                account.id,
                kind,
                nom,
                media_type,
                len(data),
                data,
                json.dumps(parametres, ensure_ascii=False) if parametres else None,
                now(),
            ),
        ).one()
    return _meta(row)


def add_search(ctx: Context, account: Account, nom, criteres) -> dict:
    """Save a named search (criteria as request parameters: ``{"pays": "BF", "thematique": "sante"}``)."""
    nom = _name(nom)
    if not isinstance(criteres, dict):
        raise WorkflowError(400, "criteres", 'an object of search criteria, e.g. {"pays": "BF"}')
    countries = set(ctx.geo.countries) | {"FR"}
    try:
        crit = Criteria.from_params(criteres, known_countries=countries)
    except CriteriaError as exc:
        raise WorkflowError(400, f"criteres.{exc.param}", str(exc)) from None
    queries = {}
    for cid in SEARCH_COLLECTIONS:
        try:
            queries[cid] = None if crit.excludes(cid) else crit.query_params(cid)
        except NotApplicable:
            queries[cid] = None
    doc = {
        "nom": nom,
        "criteres": crit.to_params(),
        "description": {"fr": crit.describe("fr"), "en": crit.describe("en")},
        "requetes": queries,
    }
    return _store(
        ctx,
        account,
        "recherche",
        nom,
        KINDS["recherche"][0],
        json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8"),
        {"criteres": crit.to_params()},
    )


def add_file(ctx: Context, account: Account, kind: str, nom, data: bytes, parametres: dict | None = None) -> dict:
    """Save a map (PNG) or a PDF export; the file is checked by its signature."""
    if kind not in ("carte", "export"):
        raise WorkflowError(400, "genre", "carte (PNG) or export (PDF); a search is saved with its criteria")
    nom = _name(nom)
    media_type = KINDS[kind][0]
    if not data or not data.startswith(SIGNATURES[media_type]):
        raise WorkflowError(400, "fichier", f"a {kind} must be a {media_type} file")
    return _store(ctx, account, kind, nom, media_type, bytes(data), parametres)


def get_item(ctx: Context, account: Account, item_id: int, with_content: bool = True) -> tuple[dict, bytes | None]:
    """(metadata, content) of one item of the account's space; 404 for anybody else's."""
    _check_id(item_id)
    with ctx.live.tx(write=False) as t:
        row = t.execute("SELECT * FROM espace WHERE id = ? AND compte_id = ?", (int(item_id), account.id)).one()
    if row is None:
        raise WorkflowError(404, "id", f"no item {item_id} in this personal space")
    return _meta(row), (bytes(row["contenu"]) if with_content else None)


def _check_id(item_id) -> None:
    if not 0 < int(item_id) <= MAX_ID:
        raise WorkflowError(404, "id", f"no item {item_id} in this personal space (ids are 1 to {MAX_ID})")


def delete_item(ctx: Context, account: Account, item_id: int) -> None:
    _check_id(item_id)
    with ctx.live.tx() as t:
        n = t.execute("DELETE FROM espace WHERE id = ? AND compte_id = ?", (int(item_id), account.id)).rowcount
    if not n:
        raise WorkflowError(404, "id", f"no item {item_id} in this personal space")
