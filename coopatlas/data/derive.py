"""From base tables to the collections of the atlas: names, labels, counts, flows and aggregates.

The same derivation serves demo and imported data, so that every collection of
:mod:`coopatlas.schema` is computed one way. Input and output geometries are in EPSG:4326.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString

from .. import schema as sch
from .. import vocabulary as voc
from .reference import Reference
from .tables import AtlasTables

_GEOD = Geod(ellps="WGS84")


class DataError(ValueError):
    """Inconsistent atlas data (unknown reference, duplicate id...): the message says what and where."""


def geodesic_line(p1, p2, step_km: float = 150.0) -> MultiLineString:
    """The geodesic from ``p1`` to ``p2`` (shapely points, lon/lat degrees), densified every ``step_km``
    kilometres and split at the antimeridian so that no segment spans the whole map."""
    lon1, lat1, lon2, lat2 = p1.x, p1.y, p2.x, p2.y
    _, _, dist = _GEOD.inv(lon1, lat1, lon2, lat2)
    n = int(dist / 1000 / step_km)
    pts = [(lon1, lat1)] + (_GEOD.npts(lon1, lat1, lon2, lat2, n) if n > 0 else []) + [(lon2, lat2)]
    parts, cur = [], [pts[0]]
    for (xa, ya), (xb, yb) in zip(pts, pts[1:]):
        if abs(xb - xa) > 180:  # crossing the antimeridian: cut at ±180 by linear interpolation in latitude
            xb_u = xb + 360 if xb < xa else xb - 360
            edge = 180 if xb_u > 180 else -180
            t = (edge - xa) / (xb_u - xa)
            ym = ya + t * (yb - ya)
            cur.append((edge, ym))
            parts.append(cur)
            cur = [(-edge, ym)]
        cur.append((xb, yb))
    parts.append(cur)
    return MultiLineString([LineString(p) for p in parts if len(p) >= 2])


def _check_unique(df: pd.DataFrame, table: str) -> None:
    dup = df["id"][df["id"].duplicated()]
    if len(dup):
        raise DataError(f"{table}: duplicate id {dup.iloc[0]!r}")


def _check_codes(df: pd.DataFrame, table: str, column: str, codelist: voc.CodeList, nullable=True) -> None:
    values = df[column]
    bad = values[~values.isin(codelist.codes) & (values.notna() if nullable else True)]
    if len(bad):
        raise DataError(
            f"{table}: unknown {column} {bad.iloc[0]!r} (id {df.loc[bad.index[0], 'id']}); "
            f"known: {', '.join(codelist.codes)}"
        )


def _main_type(cd: pd.Series, ae: pd.Series, demandes: pd.Series | None = None) -> pd.Series:
    out = np.where(cd >= ae, "cooperation_decentralisee", "action_exterieure")
    out = np.where((cd + ae) == 0, "demande_cooperation" if demandes is not None else None, out)
    return pd.Series(out, index=cd.index)


def _count(keys: pd.Series, values: pd.Series) -> pd.Series:
    """``values`` (a per-key aggregate) looked up for ``keys``, 0 where a key has none."""
    return keys.map(values).fillna(0).astype(int)


def _add_project_counts(target: pd.DataFrame, keys: pd.Series, grouped) -> None:
    """``nb_cooperations``, ``nb_actions`` and ``nb_projets`` of ``target`` from projects grouped by key
    (``grouped`` has boolean columns ``cd`` and ``ae``)."""
    target["nb_cooperations"] = _count(keys, grouped["cd"].sum())
    target["nb_actions"] = _count(keys, grouped["ae"].sum())
    target["nb_projets"] = target["nb_cooperations"] + target["nb_actions"]


def _join_collectivite(df: pd.DataFrame, coll: pd.DataFrame) -> None:
    """Name, type, region and department of each row's French collectivity (``coll`` indexed by id)."""
    for target, source in (
        ("collectivite_nom", "nom"),
        ("type_collectivite", "type_collectivite"),
        ("code_region", "code_region"),
        ("code_departement", "code_departement"),
    ):
        df[target] = df["collectivite_id"].map(coll[source])


def _join_pays(df: pd.DataFrame, pays: pd.DataFrame) -> None:
    """French name, continent and sub-continent of each row's country (``pays`` indexed by ISO code)."""
    df["pays_nom"] = df["pays_code"].map(pays["nom_fr"])
    df["continent"] = df["pays_code"].map(pays["continent"])
    df["sous_continent"] = df["pays_code"].map(pays["sous_continent"])


class Records(Sequence):
    """The rows of a derived table as dicts, made :data:`CHUNK_ROWS` at a time when read (a list of 1.35 M
    dicts of 50 fields would take gigabytes: the build writes them as they come); a sequence (length,
    index, iteration) whose items can be changed in place like a list's."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame
        self._changed: dict[int, dict] = {}

    def _chunk(self, start: int) -> list[dict]:
        part = self.frame.iloc[start : start + CHUNK_ROWS].astype(object)
        return part.where(part.notna(), None).to_dict("records")

    def __len__(self) -> int:
        return len(self.frame)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(len(self)))]
        i = range(len(self))[i]
        if i not in self._changed:  # kept: a caller may change the row it was given
            part = self.frame.iloc[i : i + 1].astype(object)
            self._changed[i] = part.where(part.notna(), None).to_dict("records")[0]
        return self._changed[i]

    def __iter__(self):
        for start in range(0, len(self.frame), CHUNK_ROWS):
            for k, row in enumerate(self._chunk(start)):
                yield self._changed.get(start + k, row)


#: Rows of a derived table made into dicts at a time (:class:`Records`).
CHUNK_ROWS = 10_000


def derive(tables: AtlasTables, reference: Reference | None = None, progress=None) -> dict[str, Records]:
    """Every collection's rows (dicts with the schema's fields and a shapely ``geometry``) from base tables.

    Returns a mapping from stored table name (collection id, or ``bourse_demandes`` for all requests) to
    rows (:class:`Records`, made as they are read), ready for
    :func:`coopatlas.store.build_writer.write_collections`. Raises :class:`DataError` on inconsistent data.
    """
    ref = reference or Reference()
    say = progress or (lambda msg: None)
    coll = tables.collectivites.copy()
    part = tables.partenaires.copy()
    proj = tables.projets.copy()
    dem = tables.demandes.copy()
    apd = tables.apd.copy()
    cof = tables.cofinancements.copy()
    for name, df in (
        ("collectivites", coll),
        ("partenaires", part),
        ("projets", proj),
        ("demandes", dem),
        ("apd", apd),
        ("cofinancements", cof),
    ):
        _check_unique(df, name)

    pays = ref.pays.set_index("pays_code")
    regions = ref.regions.set_index("code_region")
    deps = ref.departements.set_index("code_departement")
    say("derive: référentiels")
    for name, df in (("partenaires", part), ("demandes", dem), ("apd", apd)):
        unknown = df.loc[~df["pays_code"].isin(pays.index), "pays_code"]
        if len(unknown):
            raise DataError(f"{name}: unknown country {unknown.iloc[0]!r}")
    _check_codes(coll, "collectivites", "type_collectivite", voc.TYPES_COLLECTIVITE, nullable=False)
    _check_codes(proj, "projets", "type_action", voc.TYPES_ACTION, nullable=False)
    _check_codes(proj, "projets", "statut", voc.STATUTS)
    for level, cl in (
        ("thematique", voc.THEMATIQUES),
        ("sous_thematique", voc.SOUS_THEMATIQUES),
        ("sous_sous_thematique", voc.SOUS_SOUS_THEMATIQUES),
    ):
        _check_codes(proj, "projets", level, cl)
        _check_codes(dem, "demandes", level, cl)
    _check_codes(dem, "demandes", "statut_validation", voc.STATUTS_VALIDATION, nullable=False)

    # --- projects: joins -------------------------------------------------------------------------------
    say("derive: projets")
    missing = ~proj["collectivite_id"].isin(coll["id"])
    if missing.any():
        raise DataError(
            f"projets: unknown collectivite_id {proj.loc[missing, 'collectivite_id'].iloc[0]!r} "
            f"(project {proj.loc[missing, 'id'].iloc[0]})"
        )
    missing = ~proj["partenaire_id"].isin(part["id"])
    if missing.any():
        raise DataError(
            f"projets: unknown partenaire_id {proj.loc[missing, 'partenaire_id'].iloc[0]!r} "
            f"(project {proj.loc[missing, 'id'].iloc[0]})"
        )
    c = coll.set_index("id")
    p = part.set_index("id")
    _join_collectivite(proj, c)
    proj["partenaire_nom"] = proj["partenaire_id"].map(p["nom"])
    proj["pays_code"] = proj["partenaire_id"].map(p["pays_code"])
    proj["precision_geo"] = proj["partenaire_id"].map(p["precision_geo"])
    proj["geometry"] = proj["partenaire_id"].map(p["geometry"])
    for df in (proj, dem):
        _join_pays(df, pays)
        df["thematique_libelle"] = df["thematique"].map(lambda v: voc.THEMATIQUES.label(v))
        df["sous_thematique_libelle"] = df["sous_thematique"].map(lambda v: voc.SOUS_THEMATIQUES.label(v))
        df["sous_sous_thematique_libelle"] = df["sous_sous_thematique"].map(
            lambda v: voc.SOUS_SOUS_THEMATIQUES.label(v)
        )
        df["secteur_cad"] = df["sous_sous_thematique"].map(lambda v: voc.secteur_cad(v) if isinstance(v, str) else None)
    parsed = {v: frozenset(t for t in v.split(",") if t) for v in proj["cofinancement_types"].fillna("").unique()}
    types = proj["cofinancement_types"].fillna("").map(parsed)  # one set per distinct text, shared
    unknown = types.map(lambda s: sorted(s - set(voc.COFINANCEMENTS.codes)))
    if unknown.map(bool).any():
        i = unknown.map(bool).idxmax()
        raise DataError(f"projets: unknown cofinancement type {unknown[i][0]!r} (project {proj.at[i, 'id']})")
    for t in voc.COFINANCEMENTS.codes:
        proj[f"cofinance_{t}"] = types.map(lambda s, t=t: t in s)

    cd = proj["type_action"] == "cooperation_decentralisee"
    public = dem["statut_validation"].isin(voc.STATUTS_VALIDATION_PUBLICS)
    dem["type_action"] = "demande_cooperation"
    dem["ambassade"] = dem["pays_nom"].map(lambda n: f"Ambassade de France ({n})")

    # --- collectivities: names of places, counts ------------------------------------------------------
    say("derive: collectivités et partenaires")
    g = proj.assign(cd=cd, ae=~cd).groupby("collectivite_id")
    coll["nom_region"] = coll["code_region"].map(regions["nom"])
    coll["nom_departement"] = coll["code_departement"].map(deps["nom"])
    _add_project_counts(coll, coll["id"], g)
    coll["nb_pays"] = _count(coll["id"], g["pays_code"].nunique())
    coll["nb_partenaires"] = _count(coll["id"], g["partenaire_id"].nunique())
    coll["type_action_principal"] = _main_type(coll["nb_cooperations"], coll["nb_actions"])
    coll["apd_total"] = coll["id"].map(apd.groupby("collectivite_id")["montant"].sum()).fillna(0.0)

    gp = proj.assign(cd=cd, ae=~cd).groupby("partenaire_id")
    _join_pays(part, pays)
    _add_project_counts(part, part["id"], gp)
    part["nb_collectivites"] = _count(part["id"], gp["collectivite_id"].nunique())
    part["nb_demandes"] = _count(part["id"], dem[public].groupby("demandeur_id").size())
    part["type_action_principal"] = _main_type(part["nb_cooperations"], part["nb_actions"], part["nb_demandes"])

    # --- flows ----------------------------------------------------------------------------------------
    say("derive: liens géodésiques")
    liens = proj[[f.name for f in sch.LIENS.fields if f.name in proj.columns]].copy()
    flows = {}  # one line per (collectivity, partner): shared by the projects of a pair (×100: 100 copies)
    seat_of, place_of = c["geometry"].to_dict(), p["geometry"].to_dict()
    for pair in zip(proj["collectivite_id"], proj["partenaire_id"]):
        if pair not in flows:
            a, b = seat_of[pair[0]], place_of[pair[1]]
            flows[pair] = (geodesic_line(a, b), round(_GEOD.inv(a.x, a.y, b.x, b.y)[2] / 1000, 1))
    pairs = list(zip(proj["collectivite_id"], proj["partenaire_id"]))
    liens["geometry"] = [flows[pair][0] for pair in pairs]
    liens["distance_km"] = [flows[pair][1] for pair in pairs]
    del pairs, flows

    # --- aggregates ------------------------------------------------------------------------------------
    say("derive: pays, régions, départements")
    gpays = proj.assign(cd=cd, ae=~cd).groupby("pays_code")
    pays_rows = ref.pays.copy()
    pays_rows["id"] = pays_rows["pays_code"]
    pays_rows["nom"] = pays_rows["nom_fr"]
    _add_project_counts(pays_rows, pays_rows["pays_code"], gpays)
    pays_rows["nb_demandes"] = _count(pays_rows["pays_code"], dem[public].groupby("pays_code").size())
    pays_rows["nb_collectivites"] = _count(pays_rows["pays_code"], gpays["collectivite_id"].nunique())
    pays_rows["nb_partenaires"] = _count(pays_rows["pays_code"], gpays["partenaire_id"].nunique())
    pays_rows["apd_total"] = pays_rows["pays_code"].map(apd.groupby("pays_code")["montant"].sum()).fillna(0.0)

    _join_collectivite(apd, c)
    _join_pays(apd, pays)
    if apd["collectivite_nom"].isna().any():
        raise DataError(
            f"apd: unknown collectivite_id {apd.loc[apd['collectivite_nom'].isna(), 'collectivite_id'].iloc[0]!r}"
        )

    def area_rows(layer, code_field):
        out = layer.copy()
        out["id"] = out[code_field]
        gp_ = proj.assign(cd=cd, ae=~cd).groupby(code_field)
        out["nb_collectivites"] = _count(out[code_field], coll.groupby(code_field)["id"].nunique())
        _add_project_counts(out, out[code_field], gp_)
        out["nb_pays"] = _count(out[code_field], gp_["pays_code"].nunique())
        out["apd_total"] = out[code_field].map(apd.groupby(code_field)["montant"].sum()).fillna(0.0)
        return out

    regions_rows = area_rows(ref.regions, "code_region")
    deps_rows = area_rows(ref.departements, "code_departement")
    deps_rows["nom_region"] = deps_rows["code_region"].map(regions["nom"])

    missing = ~cof["projet_id"].isin(proj["id"])
    if missing.any():
        raise DataError(f"cofinancements: unknown projet_id {cof.loc[missing, 'projet_id'].iloc[0]!r}")
    pr = proj.set_index("id")
    cof["collectivite_id"] = cof["projet_id"].map(pr["collectivite_id"])
    cof["pays_code"] = cof["projet_id"].map(pr["pays_code"])

    def records(df, coll_):
        cols = [f.name for f in coll_.fields] + (["geometry"] if coll_.geometry else [])
        for col in cols:
            if col not in df.columns:
                df[col] = None
        return Records(df[cols])

    return {
        "projets": records(proj, sch.PROJETS),
        sch.DEMANDES_TABLE: records(dem, sch.DEMANDES),
        "collectivites": records(coll, sch.COLLECTIVITES),
        "partenaires": records(part, sch.PARTENAIRES),
        "liens": records(liens, sch.LIENS),
        "pays": records(pays_rows, sch.PAYS),
        "regions": records(regions_rows, sch.REGIONS),
        "departements": records(deps_rows, sch.DEPARTEMENTS),
        "apd": records(apd, sch.APD),
        "cofinancements": records(cof, sch.COFINANCEMENTS),
    }
