"""How live changes reach the served atlas (:mod:`coopatlas.bourse.atlas`), and are re-applied after a rebuild.

What a request's status does to the atlas:

* every request is a row of ``bourse_demandes``; only ``validee`` and ``pourvue`` ones are in the public
  ``demandes`` view (the build's VIEW, restricted to
  :data:`~coopatlas.vocabulary.STATUTS_VALIDATION_PUBLICS`);
* a public request is linked (``demandeur_id``) to the partner authority of the same country with the
  same name (accents and case ignored), else of the same type at the same GeoNames place, else to a new
  partner ``PAR-<reference>`` placed at the request's point; a non-public request has no
  ``demandeur_id`` (as in the built atlas);
* ``partenaires.nb_demandes`` (public requests), ``en_recherche`` (a ``validee`` request: still seeking),
  ``type_action_principal`` (the majority type of its projects; ``demande_cooperation`` when it has none
  but public requests) and ``pays.nb_demandes`` (public requests of the country) are recomputed for the
  partners and countries a change touches; a partner created by the Bourse that has neither projects nor
  public requests any more is deleted.

:func:`sync` applies the changes the atlas lacks in one atlas transaction that records how far it went;
:func:`pending` tells cheaply whether there are any.
"""

from __future__ import annotations

import json
import logging

from shapely.geometry import Point

from .. import schema as sch
from .. import vocabulary as voc
from ..text import normalise
from .atlas import DEMANDES, TABLE, Atlas, AtlasTx
from .geo import Geography, geography
from .live import LiveDB
from .submission import langues_codes, langues_text

LOGGER = logging.getLogger(__name__)

#: Prefix of the ids of the partner authorities the Bourse creates.
PARTNER_PREFIX = "PAR-"
#: Fields of a project a collectivity may update, and those of its own record (contacts).
EDITABLE = {
    "projets": (
        "titre",
        "description",
        "statut",
        "jumelage",
        "thematique",
        "sous_thematique",
        "sous_sous_thematique",
        "annee_convention",
        "annee_lancement",
        "annee_fin",
    ),
    "collectivites": (
        "elu_nom",
        "elu_fonction",
        "elu_email",
        "elu_telephone",
        "directeur_nom",
        "directeur_fonction",
        "directeur_email",
        "directeur_telephone",
    ),
}
#: Fields of ``liens`` that repeat those of its project.
LIENS_MIRROR = ("titre", "jumelage", "statut", "thematique", "annee_lancement", "annee_fin")


# --- requests --------------------------------------------------------------------------------------


def request_row(
    content: dict,
    ref: str,
    statut: str,
    date_depot: str,
    date_validation: str | None,
    pays: dict | None,
    geo: Geography,
) -> dict:
    """The ``bourse_demandes`` row of a request (without ``demandeur_id``)."""
    code = content["pays_code"]
    country = geo.country(code)
    embassy = geo.embassy(code)
    t, st, sst = content.get("thematique"), content.get("sous_thematique"), content.get("sous_sous_thematique")
    return {
        "id": ref,
        "titre": content["titre"],
        "description": content["description"],
        "type_action": "demande_cooperation",
        "demandeur_id": None,
        "demandeur_nom": content["demandeur_nom"],
        "pays_code": code,
        "pays_nom": (pays or {}).get("nom") or (country.nom_fr if country else None),
        "continent": (pays or {}).get("continent") or (country.continent if country else None),
        "sous_continent": (pays or {}).get("sous_continent") or (country.sous_continent if country else None),
        "thematique": t,
        "thematique_libelle": voc.THEMATIQUES.label(t),
        "sous_thematique": st,
        "sous_thematique_libelle": voc.SOUS_THEMATIQUES.label(st),
        "sous_sous_thematique": sst,
        "sous_sous_thematique_libelle": voc.SOUS_SOUS_THEMATIQUES.label(sst),
        "secteur_cad": voc.secteur_cad(sst) if sst else None,
        "profil_partenaire": content.get("profil_partenaire"),
        "langues": langues_text(content.get("langues") or []) or None,
        "contact_nom": content.get("contact_nom"),
        "contact_email": content.get("contact_email"),
        "statut_validation": statut,
        "date_depot": date_depot,
        "date_validation": date_validation,
        "ambassade": embassy.nom if embassy else (f"Ambassade de France ({country.nom_fr})" if country else None),
        "geometry": Point(content["lon"], content["lat"]) if content.get("lon") is not None else None,
    }


def content_from_atlas_row(row: dict) -> dict:
    """The live content of a request found in the built atlas (adopted when an embassy first acts on it)."""
    g = row.get("geometry")
    return {
        "demandeur_nom": row.get("demandeur_nom"),
        "demandeur_type": "localite",
        "pays_code": row["pays_code"],
        "geonameid": None,
        "lieu_nom": None,
        "admin1_nom": None,
        "lon": None if g is None else round(g.x, 6),
        "lat": None if g is None else round(g.y, 6),
        "contact_nom": row.get("contact_nom"),
        "contact_email": row.get("contact_email"),
        "titre": row.get("titre"),
        "description": row.get("description"),
        "thematique": row.get("thematique"),
        "sous_thematique": row.get("sous_thematique"),
        "sous_sous_thematique": row.get("sous_sous_thematique"),
        "profil_partenaire": row.get("profil_partenaire"),
        "langues": langues_codes(row.get("langues")),
        "lang": "fr",
        "demandeur_id_atlas": row.get("demandeur_id"),
    }


def _resolve_partner(
    a: AtlasTx, content: dict, ref: str, previous: str | None, geometry, pays: dict | None, geo: Geography
) -> str:
    """The partner authority of a public request: its previous one if still there, an existing partner of
    the same country and name, or a new one ``PAR-<ref>``."""
    for pid in (previous, content.get("demandeur_id_atlas")):
        if pid and a.scalar("SELECT COUNT(*) FROM partenaires WHERE id = ?", [pid]):
            return pid
    key = normalise(content["demandeur_nom"])
    rows = a.query(
        "SELECT id, nom, geonameid, type_partenaire FROM partenaires WHERE pays_code = ? ORDER BY id",
        [content["pays_code"]],
    )
    gid, kind = content.get("geonameid"), content.get("demandeur_type") or "localite"
    same_name = [r for r in rows if normalise(r["nom"]) == key]
    same_place = [r for r in rows if gid and r["geonameid"] == gid and (r["type_partenaire"] or "localite") == kind]
    for found in ([r for r in same_name if r in same_place], same_name, same_place):
        if found:
            return found[0]["id"]
    pid = PARTNER_PREFIX + ref
    country = geo.country(content["pays_code"])
    a.upsert(
        sch.PARTENAIRES,
        {
            "id": pid,
            "nom": content["demandeur_nom"],
            "type_partenaire": content.get("demandeur_type") or "localite",
            "admin1_nom": content.get("admin1_nom"),
            "pays_code": content["pays_code"],
            "pays_nom": (pays or {}).get("nom") or (country.nom_fr if country else None),
            "continent": (pays or {}).get("continent") or (country.continent if country else None),
            "sous_continent": (pays or {}).get("sous_continent") or (country.sous_continent if country else None),
            "geonameid": content.get("geonameid"),
            "precision_geo": "localite",
            "nb_projets": 0,
            "nb_cooperations": 0,
            "nb_actions": 0,
            "nb_collectivites": 0,
            "en_recherche": False,
            "nb_demandes": 0,
            "type_action_principal": None,
            "geometry": geometry,
        },
    )
    return pid


def refresh_partner(a: AtlasTx, pid: str) -> None:
    """Recompute ``nb_demandes``, ``en_recherche`` and ``type_action_principal`` of partner ``pid`` from
    the public requests; delete a Bourse-created partner left with nothing public."""
    p = a.get(sch.PARTENAIRES, pid)
    if p is None:
        return
    n = int(a.scalar("SELECT COUNT(*) FROM demandes WHERE demandeur_id = ?", [pid]) or 0)
    seeking = bool(
        a.scalar("SELECT COUNT(*) FROM demandes WHERE demandeur_id = ? AND statut_validation = 'validee'", [pid])
    )
    cd, ae = int(p.get("nb_cooperations") or 0), int(p.get("nb_actions") or 0)
    if pid.startswith(PARTNER_PREFIX) and n == 0 and cd + ae == 0:
        a.delete(sch.PARTENAIRES, pid)
        return
    if cd + ae > 0:
        main = "cooperation_decentralisee" if cd >= ae else "action_exterieure"
    else:
        main = "demande_cooperation" if n else None
    if (p.get("nb_demandes"), bool(p.get("en_recherche")), p.get("type_action_principal")) != (n, seeking, main):
        p.update(nb_demandes=n, en_recherche=seeking, type_action_principal=main)
        a.upsert(sch.PARTENAIRES, p)


def refresh_country(a: AtlasTx, code: str) -> None:
    """Recompute ``pays.nb_demandes`` (public requests of the country)."""
    n = int(a.scalar("SELECT COUNT(*) FROM demandes WHERE pays_code = ?", [code]) or 0)
    p = a.get(sch.PAYS, code)
    if p is not None and p.get("nb_demandes") != n:
        p["nb_demandes"] = n
        a.upsert(sch.PAYS, p)


def apply_request(a: AtlasTx, live_row: dict, geo: Geography | None = None) -> None:
    """Write the current live state of one request into the atlas, and the counts it touches."""
    geo = geo or geography()
    content = json.loads(live_row["contenu"])
    ref, statut = live_row["reference"], live_row["statut"]
    old = a.get(DEMANDES, ref, TABLE)
    pays = a.get(sch.PAYS, content["pays_code"])
    row = request_row(content, ref, statut, live_row["date_depot"], live_row.get("date_validation"), pays, geo)
    if statut in voc.STATUTS_VALIDATION_PUBLICS:
        row["demandeur_id"] = _resolve_partner(
            a, content, ref, (old or {}).get("demandeur_id"), row["geometry"], pays, geo
        )
    a.upsert(DEMANDES, row, TABLE)
    for pid in {(old or {}).get("demandeur_id"), row["demandeur_id"]} - {None}:
        refresh_partner(a, pid)
    for code in {(old or {}).get("pays_code"), row["pays_code"]} - {None}:
        refresh_country(a, code)


# --- collectivities' updates ----------------------------------------------------------------------------


def apply_edits(a: AtlasTx, collection: str, objet_id: str, values: dict, date: str) -> bool:
    """Set updated fields of a project (and its flow in ``liens``) or of a collectivity's record;
    ``date_maj`` becomes ``date`` (ISO date). False when the record is not in the atlas."""
    coll = sch.COLLECTIONS[collection]
    row = a.get(coll, objet_id)
    if row is None:
        return False
    values = {k: v for k, v in values.items() if k in EDITABLE[collection]}
    row.update(values)
    if collection == "projets":
        t, st, sst = row.get("thematique"), row.get("sous_thematique"), row.get("sous_sous_thematique")
        row.update(
            thematique_libelle=voc.THEMATIQUES.label(t),
            sous_thematique_libelle=voc.SOUS_THEMATIQUES.label(st),
            sous_sous_thematique_libelle=voc.SOUS_SOUS_THEMATIQUES.label(sst),
            secteur_cad=voc.secteur_cad(sst) if sst else None,
        )
    row["date_maj"] = date
    a.upsert(coll, row)
    if collection == "projets":
        lien = a.get(sch.LIENS, objet_id)
        if lien is not None:
            lien.update({k: row.get(k) for k in LIENS_MIRROR})
            a.upsert(sch.LIENS, lien)
    return True


# --- synchronisation -------------------------------------------------------------------------------------


def _live_state(live: LiveDB, keys: set[tuple[str, str]] | None):
    """The live requests and per-record updates to apply (all of them when ``keys`` is None)."""
    with live.tx(write=False) as t:
        requests = t.execute("SELECT * FROM demandes WHERE reference IS NOT NULL ORDER BY numero").all()
        edits = t.execute("SELECT collection, objet_id, champ, nouvelle, date FROM modifications ORDER BY id").all()
    if keys is not None:
        wanted = {k for g, k in keys if g == "demande"}
        requests = [r for r in requests if r["reference"] in wanted]
        objs = {(g, k) for g, k in keys if g in EDITABLE}
        edits = [e for e in edits if (e["collection"], e["objet_id"]) in objs]
    by_obj: dict[tuple[str, str], dict] = {}
    for e in edits:
        d = by_obj.setdefault((e["collection"], e["objet_id"]), {"values": {}, "date": None})
        d["values"][e["champ"]] = json.loads(e["nouvelle"]) if e["nouvelle"] is not None else None
        d["date"] = e["date"][:10]
    return requests, by_obj


def pending(live: LiveDB, atlas: Atlas) -> bool:
    """Whether the atlas lacks live changes (cheap: the marker and the journal's last number)."""
    with live.tx(write=False) as t:
        top = int(t.execute("SELECT COALESCE(MAX(seq), 0) FROM changements").scalar() or 0)
    if top == 0:
        return False
    with atlas.read() as a:
        marker = a.marker()
    return marker is None or marker.get("base") != live.base or int(marker.get("sequence") or 0) < top


def sync(live: LiveDB, atlas: Atlas, geo: Geography | None = None) -> int:
    """Apply to the atlas the live changes it lacks (all of them to a rebuilt atlas); how many records
    were written. Safe to call from any number of processes at once (one atlas transaction)."""
    geo = geo or geography()
    base = live.base
    with atlas.write() as a:
        marker = a.marker()
        full = marker is None or marker.get("base") != base
        since = 0 if full else int(marker.get("sequence") or 0)
        # the journal is read BEFORE the states: a state read later is as new or newer (applying it is right),
        # and a change recorded after the journal was read has a higher number: it waits for the next sync
        with live.tx(write=False) as t:
            if full:
                top = int(t.execute("SELECT COALESCE(MAX(seq), 0) FROM changements").scalar() or 0)
                keys = None
            else:
                rows = t.execute("SELECT seq, genre, cle FROM changements WHERE seq > ?", (since,)).all()
                top = max((int(r["seq"]) for r in rows), default=since)
                keys = {(r["genre"], r["cle"]) for r in rows}
        if top == 0 or (keys is not None and not keys):
            return 0  # nothing live (leave a fresh build untouched), or nothing new
        requests, by_obj = _live_state(live, keys)
        for r in requests:
            apply_request(a, r, geo)
        for (collection, objet_id), d in by_obj.items():
            apply_edits(a, collection, objet_id, d["values"], d["date"])
        a.set_marker(base, top)
        if full:
            LOGGER.warning(
                "atlas %s had no record of the live changes (rebuilt?): %d requests and %d updated records re-applied",
                atlas,
                len(requests),
                len(by_obj),
            )
    return len(requests) + len(by_obj)
