"""Statistics of the atlas for any search: the Atlas's "Etat", APD, top collectivities and splits.

Every figure is computed in SQL by the store (GeoPackage or PostGIS: same SQL, same results) from one
:class:`~coopatlas.criteria.Criteria`. Amounts are in euros. Definitions (the Atlas's panels):

- ``collectivites_francaises_engagees``: distinct French collectivities of the matching projects;
- ``collectivites_partenaires``: distinct partner authorities of the matching projects;
- ``collectivites_en_recherche``: distinct authorities of the matching public cooperation requests;
- ``projets_cooperation_decentralisee`` / ``projets_actions_exterieures``: matching projects by type;
- ``demandes_cooperation``: matching public requests (validated or matched) of the Bourse projets;
- ``pays``: distinct countries of the matching projects and requests;
- ``apd_par_annee``: declared APD per year of the matching collectivities and countries. APD is declared
  per collectivity, country and year, not per project: criteria on projects (theme, status...) cannot
  split it; they are listed in ``apd_criteres_non_appliques``.

Requests are left out when a criterion cannot apply to them (a French region, a status...); the
criteria thus left out are listed in ``demandes_criteres_non_appliques``.
"""

from __future__ import annotations

from collections.abc import Iterable

from . import vocabulary as voc
from .criteria import Criteria, NotApplicable
from .store import Store
from .store.cached_reads import cached

DEFAULT_TOP = 10
MAX_TOP = 500

_NAME_SOURCES = {
    "pays": ("pays", "pays_code", "nom"),
    "region": ("regions", "code_region", "nom"),
    "departement": ("departements", "code_departement", "nom"),
    "collectivite": ("collectivites", "id", "nom"),
    "partenaire": ("partenaires", "id", "nom"),
}


def _lookup(store: Store, table: str, key: str, name: str, values: Iterable[str]) -> dict[str, str]:
    values = list(values)
    if not values:
        return {}
    ph = ", ".join([store.placeholder()] * len(values))
    return {str(k): n for k, n in store.rows(f"SELECT {key}, {name} FROM {table} WHERE {key} IN ({ph})", values)}


def criteria_names(store: Store, criteria: Criteria, lang: str = "fr") -> dict[str, dict[str, str]]:
    """``{criterion: {code or id: display name}}`` for the criteria whose values are not vocabulary codes
    (countries, French regions and departments, collectivities, partners), for
    :meth:`coopatlas.criteria.Criteria.describe`. English country names when ``lang="en"``."""
    out = {}
    for name, (table, key, col) in _NAME_SOURCES.items():
        values = getattr(criteria, name)
        if values:
            column = "nom_en" if (name == "pays" and lang == "en") else col
            out[name] = _lookup(store, table, key, column, values)
    return out


def describe(store: Store, criteria: Criteria, lang: str = "fr") -> str:
    """The criteria in words, with the names of countries, territories and authorities."""
    return criteria.describe(lang, criteria_names(store, criteria, lang))


def _where(store: Store, criteria: Criteria, collection: str, skip=()) -> tuple[str, list]:
    sql, params = criteria.where(collection, store.dialect, skip=skip)
    return sql, params


def _pct(n: int, total: int) -> float:
    return round(100.0 * n / total, 2) if total else 0.0


def _split(
    store: Store,
    where,
    params,
    code_col: str,
    label_col: str | None,
    total: int,
    codelist: voc.CodeList | None = None,
    table: str = "projets",
    lang: str = "fr",
) -> list[dict]:
    label_sql = f", {label_col}" if label_col else ""
    rows = store.rows(
        f"SELECT {code_col}{label_sql}, COUNT(*) AS n FROM {table} WHERE {where} "
        f"GROUP BY {code_col}{label_sql} ORDER BY n DESC, {code_col}",
        params,
    )
    out = []
    for r in rows:
        code, n = r[0], r[-1]
        label = codelist.label(code, lang) if codelist else r[1] if label_col else code
        out.append({"code": code, "libelle": label, "nombre": int(n), "pourcentage": _pct(int(n), total)})
    return out


def _country_split(store: Store, where, params, total: int, lang: str) -> list[dict]:
    """Projects per country; labels are the countries' names in ``lang``."""
    split = _split(store, where, params, "pays_code", "pays_nom", total)
    if lang == "en" and split:
        names = _lookup(store, "pays", "pays_code", "nom_en", [s["code"] for s in split])
        for s in split:
            s["libelle"] = names.get(s["code"], s["libelle"])
    return split


def statistics(store: Store, criteria: Criteria | None = None, top: int = DEFAULT_TOP, lang: str = "fr") -> dict:
    """The statistics of the projects and requests matching ``criteria`` (all of them when empty)."""
    criteria = criteria or Criteria()
    if not 1 <= top <= MAX_TOP:
        raise ValueError(f"top must be between 1 and {MAX_TOP}")
    store = cached(store)  # the reads of large tables, remembered per version of the tables (exact)
    wp, pp = _where(store, criteria, "projets")
    counts = store.rows(
        "SELECT COUNT(DISTINCT collectivite_id), COUNT(DISTINCT partenaire_id), "
        "SUM(CASE WHEN type_action = 'cooperation_decentralisee' THEN 1 ELSE 0 END), "
        "SUM(CASE WHEN type_action = 'action_exterieure' THEN 1 ELSE 0 END) "
        f"FROM projets WHERE {wp}",
        pp,
    )[0]
    n_coll, n_part, n_cd, n_ae = (int(v or 0) for v in counts)
    total_projets = n_cd + n_ae

    # requests of the Bourse projets, when the criteria can apply to them
    dem_skipped = criteria.not_applicable("demandes")
    if dem_skipped or criteria.excludes("demandes"):
        n_dem = n_seek = 0
        wd, pd_ = "1=0", []
    else:
        wd, pd_ = _where(store, criteria, "demandes")
        n_dem, n_seek = (
            int(v or 0)
            for v in store.rows(f"SELECT COUNT(*), COUNT(DISTINCT demandeur_id) FROM demandes WHERE {wd}", pd_)[0]
        )
    # countries of the projects (cached with them) and of the requests (live), counted together
    countries = {r[0] for r in store.rows(f"SELECT DISTINCT pays_code FROM projets WHERE {wp}", pp)}
    if n_dem:
        countries |= {r[0] for r in store.rows(f"SELECT DISTINCT pays_code FROM demandes WHERE {wd}", pd_)}
    n_pays = len(countries)  # as COUNT(*) of their UNION: an unknown country (NULL) counts once

    # APD: the criteria that can apply to declarations
    apd_skipped = criteria.not_applicable("apd")
    wa, pa = _where(store, criteria, "apd", skip=apd_skipped)
    apd = [
        {"annee": int(a), "montant": float(m)}
        for a, m in store.rows(f"SELECT annee, SUM(montant) FROM apd WHERE {wa} GROUP BY annee ORDER BY annee DESC", pa)
    ]

    top_rows = store.rows(
        "SELECT collectivite_id, collectivite_nom, type_collectivite, COUNT(*) AS n FROM projets "
        f"WHERE {wp} GROUP BY collectivite_id, collectivite_nom, type_collectivite "
        f"ORDER BY n DESC, collectivite_nom, collectivite_id LIMIT {int(top)}",
        pp,
    )

    return {
        "criteres": criteria.to_params(),
        "description": describe(store, criteria, lang),
        "collectivites_francaises_engagees": n_coll,
        "collectivites_partenaires": n_part,
        "collectivites_en_recherche": n_seek,
        "projets_cooperation_decentralisee": n_cd,
        "projets_actions_exterieures": n_ae,
        "demandes_cooperation": n_dem,
        "pays": n_pays,
        "apd_par_annee": apd,
        "apd_total": float(sum(r["montant"] for r in apd)),
        "apd_criteres_non_appliques": apd_skipped,
        "demandes_criteres_non_appliques": dem_skipped,
        "top_collectivites": [
            {
                "rang": i + 1,
                "id": r[0],
                "nom": r[1],
                "type_collectivite": r[2],
                "type_collectivite_libelle": voc.TYPES_COLLECTIVITE.label(r[2], lang),
                "nb_projets": int(r[3]),
            }
            for i, r in enumerate(top_rows)
        ],
        "repartition_pays": _country_split(store, wp, pp, total_projets, lang),
        "repartition_thematiques": _split(store, wp, pp, "thematique", None, total_projets, voc.THEMATIQUES, lang=lang),
        "repartition_continents": _split(store, wp, pp, "continent", None, total_projets, voc.CONTINENTS, lang=lang),
        "repartition_continents_demandes": (
            _split(store, wd, pd_, "continent", None, n_dem, voc.CONTINENTS, table="demandes", lang=lang)
            if n_dem
            else []
        ),
        "total_projets": total_projets,
    }


#: The Atlas's scopes, as criteria: "monde" (everything) and "france" (projects of French collectivities,
#: without the Bourse requests); the others take a code.
SCOPES = ("monde", "france", "continent", "sous_continent", "pays", "region", "departement", "collectivite")


def scope_criteria(scope: str, code: str | None = None) -> Criteria:
    """The criteria of an Atlas scope (``monde``, ``france``, or a kind with its ``code``)."""
    if scope == "monde":
        return Criteria()
    if scope == "france":
        return Criteria(type_action=voc.TYPES_ACTION_PROJET)
    if scope not in SCOPES:
        raise ValueError(f"unknown scope {scope!r}; known: {', '.join(SCOPES)}")
    if not code:
        raise ValueError(f"scope {scope} needs a code")
    return Criteria.from_params({scope: code})


__all__ = ["statistics", "scope_criteria", "SCOPES", "NotApplicable"]
