"""Live changes written into the served atlas (GeoPackage or PostGIS), and re-applied after a rebuild.

The live database (:mod:`coopatlas.bourse.live`) is the authoritative copy of what the server writes;
the atlas is where it becomes visible (the private table ``bourse_demandes`` and the public ``demandes``
view, the derived counts of ``partenaires`` and ``pays``, the collectivities' updates of ``projets``,
``liens`` and ``collectivites``). Every live change appends a row to the live journal ``changements``;
:func:`sync` applies to the atlas the changes it has not seen yet, in one atlas transaction that also
records how far it went (the marker: :func:`coopatlas.store.live_writer.set_marker`, or the table
``coopatlas_live`` of the PostGIS schema). A rebuilt (or reloaded) atlas has no marker: the whole live
journal is applied again. Every application is idempotent: it writes the *current* live state of a
request or of an updated record, so applying a change twice, or a crash between the live commit and
the atlas commit, leaves the atlas right.

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

Geometries are EPSG:4326 (longitude, latitude in degrees).
"""
from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import shapely
from shapely.geometry import Point

from .. import schema as sch
from .. import vocabulary as voc
from ..store import live_writer as gpkgw
from ..store.geopackage import GEOM, SEARCH, open_readonly, search_text
from ..text import normalise
from .geo import Geography, geography
from .live import LiveDB, now
from .settings import is_postgresql
from .submission import langues_codes, langues_text

LOGGER = logging.getLogger(__name__)

DEMANDES = sch.DEMANDES
TABLE = sch.DEMANDES_TABLE
#: Prefix of the ids of the partner authorities the Bourse creates.
PARTNER_PREFIX = "PAR-"
#: Advisory lock key of the atlas writers on PostgreSQL.
PG_ATLAS_LOCK = 0x41746C73  # 'Atls'
MARKER_TABLE = gpkgw.MARKER_TABLE

#: Fields of a project a collectivity may update, and those of its own record (contacts).
EDITABLE = {
    "projets": ("titre", "description", "statut", "jumelage", "thematique", "sous_thematique",
                "sous_sous_thematique", "annee_convention", "annee_lancement", "annee_fin"),
    "collectivites": ("elu_nom", "elu_fonction", "elu_email", "elu_telephone", "directeur_nom",
                      "directeur_fonction", "directeur_email", "directeur_telephone"),
}
#: Fields of ``liens`` that repeat those of its project.
LIENS_MIRROR = ("titre", "jumelage", "statut", "thematique", "annee_lancement")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class AtlasTx:
    """One transaction (or read) on the atlas, the same methods on both backends. Rows are dicts of the
    collection's fields plus ``geometry`` (shapely)."""

    def __init__(self, con, pg: bool):
        self.con = con
        self.pg = pg
        self._cur = con.cursor() if pg else None

    # --- plain SQL, '?' placeholders ---
    def query(self, sql: str, params=()) -> list[dict]:
        if self.pg:
            self._cur.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
            cols = [d[0] for d in self._cur.description]
            return [dict(zip(cols, r)) for r in self._cur.fetchall()]
        cur = self.con.execute(sql, tuple(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def scalar(self, sql: str, params=()):
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None

    # --- rows of a collection ---
    def get(self, coll: sch.Collection, idv: str, table: str | None = None) -> dict | None:
        table = table or coll.source
        if not self.pg:
            return gpkgw.read_row(self.con, coll, idv, table)
        cols = ([f"ST_AsBinary({_q(GEOM)}) AS geom"] if coll.geometry else []) + [_q(n) for n in coll.field_names]
        self._cur.execute(f"SELECT {', '.join(cols)} FROM {_q(table)} WHERE {_q(coll.id_field)} = %s", (idv,))
        r = self._cur.fetchone()
        if r is None:
            return None
        vals = list(r)
        out = {}
        if coll.geometry:
            g = vals.pop(0)
            out["geometry"] = None if g is None else shapely.from_wkb(bytes(g))
        out.update(zip(coll.field_names, vals))
        return out

    def upsert(self, coll: sch.Collection, row: dict, table: str | None = None) -> None:
        table = table or coll.source
        if not self.pg:
            gpkgw.upsert(self.con, coll, row, table)
            return
        searchable = any(f.searchable for f in coll.fields)
        cols, vals, marks = [], [], []
        if coll.geometry:
            g = row.get("geometry")
            cols.append(GEOM)
            vals.append(None if g is None else shapely.to_wkb(g, output_dimension=2))
            marks.append("ST_SetSRID(ST_GeomFromWKB(%s), 4326)")
        for f in coll.fields:
            v = row.get(f.name)
            cols.append(f.name)
            vals.append(bool(v) if (f.type == sch.BOOLEAN and v is not None) else v)
            marks.append("%s")
        if searchable:
            cols.append(SEARCH)
            vals.append(search_text(coll, row))
            marks.append("%s")
        sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in cols if c != coll.id_field)
        self._cur.execute(
            f"INSERT INTO {_q(table)} (fid, {', '.join(_q(c) for c in cols)}) "
            f"VALUES ((SELECT COALESCE(MAX(fid), 0) + 1 FROM {_q(table)}), {', '.join(marks)}) "
            f"ON CONFLICT ({_q(coll.id_field)}) DO UPDATE SET {sets}", vals)

    def delete(self, coll: sch.Collection, idv: str, table: str | None = None) -> None:
        table = table or coll.source
        if not self.pg:
            gpkgw.delete(self.con, coll, idv, table)
            return
        self._cur.execute(f"DELETE FROM {_q(table)} WHERE {_q(coll.id_field)} = %s", (idv,))

    # --- marker of the live changes applied ---
    def marker(self) -> dict | None:
        if not self.pg:
            return gpkgw.get_marker(self.con)
        self._cur.execute("SELECT to_regclass(%s)", (MARKER_TABLE,))
        if self._cur.fetchone()[0] is None:
            return None
        self._cur.execute(f"SELECT cle, valeur FROM {_q(MARKER_TABLE)}")
        return {k: json.loads(v) for k, v in self._cur.fetchall()} or None

    def set_marker(self, base: str, sequence: int) -> None:
        if not self.pg:
            gpkgw.set_marker(self.con, base, sequence)
            return
        self._cur.execute(f"CREATE TABLE IF NOT EXISTS {_q(MARKER_TABLE)} (cle text PRIMARY KEY, valeur text NOT NULL)")
        for k, v in {"base": base, "sequence": int(sequence), "date": now()}.items():
            self._cur.execute(f"INSERT INTO {_q(MARKER_TABLE)} (cle, valeur) VALUES (%s, %s) "
                              "ON CONFLICT (cle) DO UPDATE SET valeur = EXCLUDED.valeur", (k, json.dumps(v)))


class Atlas:
    """The served atlas database: a GeoPackage path, or a ``postgresql://`` URL and its schema."""

    def __init__(self, location: str, schema: str | None = None):
        self.location = str(location)
        self.pg = is_postgresql(self.location)
        self.schema = schema or ("atlas" if self.pg else None)
        self._local = threading.local()

    def __repr__(self):
        return f"<Atlas {'postgresql ' + self.schema if self.pg else self.location}>"

    def _pg(self):
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:
            self._local.con, self._local.pid = None, pid
        con = self._local.con
        if con is None or con.closed:
            import psycopg2
            con = self._local.con = psycopg2.connect(self.location,
                                                      options=f"-c search_path={self.schema},public")
        return con

    @contextmanager
    def write(self) -> Iterator[AtlasTx]:
        """One write transaction (serialised with every other atlas writer)."""
        if not self.pg:
            with gpkgw.transaction(self.location) as con:
                yield AtlasTx(con, False)
            return
        import psycopg2
        con = self._pg()
        try:
            tx = AtlasTx(con, True)
            tx._cur.execute("SELECT pg_advisory_xact_lock(%s)", (PG_ATLAS_LOCK,))
            yield tx
            con.commit()
        except psycopg2.OperationalError:
            self._local.con = None
            raise
        except BaseException:
            if not con.closed:
                con.rollback()
            raise

    @contextmanager
    def read(self) -> Iterator[AtlasTx]:
        """A read-only view of the atlas (a hot journal left by a killed writer is rolled back first)."""
        if not self.pg:
            gpkgw.recover(self.location)
            con = open_readonly(self.location, timeout=gpkgw.BUSY_TIMEOUT_MS / 1000)
            try:
                con.execute("BEGIN")
                yield AtlasTx(con, False)
            finally:
                con.close()
            return
        con = self._pg()
        try:
            yield AtlasTx(con, True)
        finally:
            if not con.closed:
                con.rollback()

    def recover(self) -> bool:
        return False if self.pg else gpkgw.recover(self.location)

    def integrity(self) -> str:
        """SQLite's integrity check of the GeoPackage (``ok``), or ``ok`` on PostGIS."""
        if self.pg:
            return "ok"
        with self.read() as a:
            return a.scalar("PRAGMA integrity_check")


# --- requests --------------------------------------------------------------------------------------

def request_row(content: dict, ref: str, statut: str, date_depot: str, date_validation: str | None,
                pays: dict | None, geo: Geography) -> dict:
    """The ``bourse_demandes`` row of a request (without ``demandeur_id``)."""
    code = content["pays_code"]
    country = geo.country(code)
    embassy = geo.embassy(code)
    t, st, sst = content.get("thematique"), content.get("sous_thematique"), content.get("sous_sous_thematique")
    return {
        "id": ref, "titre": content["titre"], "description": content["description"],
        "type_action": "demande_cooperation", "demandeur_id": None, "demandeur_nom": content["demandeur_nom"],
        "pays_code": code,
        "pays_nom": (pays or {}).get("nom") or (country.nom_fr if country else None),
        "continent": (pays or {}).get("continent") or (country.continent if country else None),
        "sous_continent": (pays or {}).get("sous_continent") or (country.sous_continent if country else None),
        "thematique": t, "thematique_libelle": voc.THEMATIQUES.label(t),
        "sous_thematique": st, "sous_thematique_libelle": voc.SOUS_THEMATIQUES.label(st),
        "sous_sous_thematique": sst, "sous_sous_thematique_libelle": voc.SOUS_SOUS_THEMATIQUES.label(sst),
        "secteur_cad": voc.secteur_cad(sst) if sst else None,
        "profil_partenaire": content.get("profil_partenaire"),
        "langues": langues_text(content.get("langues") or []) or None,
        "contact_nom": content.get("contact_nom"), "contact_email": content.get("contact_email"),
        "statut_validation": statut, "date_depot": date_depot, "date_validation": date_validation,
        "ambassade": embassy.nom if embassy else (f"Ambassade de France ({country.nom_fr})" if country else None),
        "geometry": Point(content["lon"], content["lat"]) if content.get("lon") is not None else None,
    }


def content_from_atlas_row(row: dict) -> dict:
    """The live content of a request found in the built atlas (adopted when an embassy first acts on it)."""
    g = row.get("geometry")
    return {
        "demandeur_nom": row.get("demandeur_nom"), "demandeur_type": "localite", "pays_code": row["pays_code"],
        "geonameid": None, "lieu_nom": None, "admin1_nom": None,
        "lon": None if g is None else round(g.x, 6), "lat": None if g is None else round(g.y, 6),
        "contact_nom": row.get("contact_nom"), "contact_email": row.get("contact_email"),
        "titre": row.get("titre"), "description": row.get("description"),
        "thematique": row.get("thematique"), "sous_thematique": row.get("sous_thematique"),
        "sous_sous_thematique": row.get("sous_sous_thematique"),
        "profil_partenaire": row.get("profil_partenaire"), "langues": langues_codes(row.get("langues")),
        "lang": "fr", "demandeur_id_atlas": row.get("demandeur_id"),
    }


def _resolve_partner(a: AtlasTx, content: dict, ref: str, previous: str | None, geometry, pays: dict | None,
                     geo: Geography) -> str:
    """The partner authority of a public request: its previous one if still there, an existing partner of
    the same country and name, or a new one ``PAR-<ref>``."""
    for pid in (previous, content.get("demandeur_id_atlas")):
        if pid and a.scalar("SELECT COUNT(*) FROM partenaires WHERE id = ?", [pid]):
            return pid
    key = normalise(content["demandeur_nom"])
    rows = a.query("SELECT id, nom, geonameid, type_partenaire FROM partenaires WHERE pays_code = ? ORDER BY id",
                   [content["pays_code"]])
    gid, kind = content.get("geonameid"), content.get("demandeur_type") or "localite"
    same_name = [r for r in rows if normalise(r["nom"]) == key]
    same_place = [r for r in rows if gid and r["geonameid"] == gid and (r["type_partenaire"] or "localite") == kind]
    for found in ([r for r in same_name if r in same_place], same_name, same_place):
        if found:
            return found[0]["id"]
    pid = PARTNER_PREFIX + ref
    country = geo.country(content["pays_code"])
    a.upsert(sch.PARTENAIRES, {
        "id": pid, "nom": content["demandeur_nom"], "type_partenaire": content.get("demandeur_type") or "localite",
        "admin1_nom": content.get("admin1_nom"), "pays_code": content["pays_code"],
        "pays_nom": (pays or {}).get("nom") or (country.nom_fr if country else None),
        "continent": (pays or {}).get("continent") or (country.continent if country else None),
        "sous_continent": (pays or {}).get("sous_continent") or (country.sous_continent if country else None),
        "geonameid": content.get("geonameid"), "precision_geo": "localite",
        "nb_projets": 0, "nb_cooperations": 0, "nb_actions": 0, "nb_collectivites": 0,
        "en_recherche": False, "nb_demandes": 0, "type_action_principal": None, "geometry": geometry,
    })
    return pid


def refresh_partner(a: AtlasTx, pid: str) -> None:
    """Recompute ``nb_demandes``, ``en_recherche`` and ``type_action_principal`` of partner ``pid`` from
    the public requests; delete a Bourse-created partner left with nothing public."""
    p = a.get(sch.PARTENAIRES, pid)
    if p is None:
        return
    n = int(a.scalar("SELECT COUNT(*) FROM demandes WHERE demandeur_id = ?", [pid]) or 0)
    seeking = bool(a.scalar("SELECT COUNT(*) FROM demandes WHERE demandeur_id = ? AND statut_validation = 'validee'",
                            [pid]))
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
        row["demandeur_id"] = _resolve_partner(a, content, ref, (old or {}).get("demandeur_id"), row["geometry"],
                                               pays, geo)
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
        row.update(thematique_libelle=voc.THEMATIQUES.label(t), sous_thematique_libelle=voc.SOUS_THEMATIQUES.label(st),
                   sous_sous_thematique_libelle=voc.SOUS_SOUS_THEMATIQUES.label(sst),
                   secteur_cad=voc.secteur_cad(sst) if sst else None)
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
            LOGGER.warning("atlas %s had no record of the live changes (rebuilt?): %d requests and %d updated "
                           "records re-applied", atlas, len(requests), len(by_obj))
    return len(requests) + len(by_obj)
