"""Statistics of the atlas for any search: the Atlas's "Etat", APD, top collectivities and splits.

Every figure is counted by the store's SQL (GeoPackage or PostGIS: same SQL, same results) from one
:class:`~coopatlas.criteria.Criteria`: the projects' figures from one read of the matching projects grouped
by country, partner, type, collectivity, theme and continent (:data:`GROUPED`, the columns of a covering
index), then summed here; names from the countries' and collectivities' records. Amounts are in euros.
Definitions (the Atlas's panels):

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

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

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


def _pct(n: int, total: int) -> float:
    return round(100.0 * n / total, 2) if total else 0.0


#: The columns the projects are grouped by, in the one read of their figures: the columns of the covering
#: index of ``projets`` (schema: ``PROJETS.covering``), so that a search whose criteria read no other
#: column is counted from the index alone (×100, the world: one scan of the index, 0.3 s, instead of six
#: reads of 1.35 M rows).
GROUPED = ("pays_code", "partenaire_id", "type_action", "collectivite_id", "thematique", "continent")

#: The columns whose counts per value are figures of the projects (each column's name is also the name of
#: its figure in the statement's rows).
_SPLITS = ("type_action", "pays_code", "thematique", "continent")


def _projects_sql(where: str, top: int) -> str:
    """One statement for every figure of the projects: the matching projects grouped once (``g``), then
    from those groups: the count per value of each split column, the distinct partners and
    collectivities, and the ``top`` collectivities (their records' name and type; ties by name, then id).
    Rows: (figure, code, name, type, count); some hundreds at most, whatever the number of projects."""
    columns = ", ".join(GROUPED)
    splits = " UNION ALL ".join(f"SELECT '{c}', {c}, NULL, NULL, SUM(n) FROM g GROUP BY {c}" for c in _SPLITS)
    return (
        f"WITH g AS (SELECT {columns}, COUNT(*) AS n FROM projets WHERE {where} GROUP BY {columns}) "
        f"{splits} "
        "UNION ALL SELECT 'partenaires', NULL, NULL, NULL, COUNT(DISTINCT partenaire_id) FROM g "
        "UNION ALL SELECT 'collectivites', NULL, NULL, NULL, COUNT(DISTINCT collectivite_id) FROM g "
        "UNION ALL SELECT * FROM (SELECT 'top', c.collectivite_id, r.nom, r.type_collectivite, c.n "
        "FROM (SELECT collectivite_id, SUM(n) AS n FROM g GROUP BY collectivite_id) AS c "
        "LEFT JOIN collectivites AS r ON r.id = c.collectivite_id "
        f"ORDER BY c.n DESC, r.nom, c.collectivite_id LIMIT {int(top)}) AS t"
    )


@dataclass
class _Projects:
    """The figures of the matching projects (an empty value of a split is a value: ``None``)."""

    splits: dict[str, Counter] = field(default_factory=lambda: {c: Counter() for c in _SPLITS})
    partners: int = 0
    collectivities: int = 0
    top: list[tuple] = field(default_factory=list)  # (id, name, type, projects), in order


def _projects(store: Store, where: str, params, top: int) -> _Projects:
    out = _Projects()
    for figure, code, name, kind, n in store.rows(_projects_sql(where, top), params):
        if figure in out.splits:
            out.splits[figure][code] += int(n)
        elif figure == "top":
            out.top.append((code, name, kind, int(n)))
        elif figure == "partenaires":
            out.partners = int(n)
        else:
            out.collectivities = int(n)
    return out


def _shares(counts: Counter, labels: dict, total: int) -> list[dict]:
    """The values of a split by count (most first), ties by code, the empty first (SQLite's ``ORDER BY n
    DESC, code``: the same order on both backends)."""
    ordered = sorted(counts, key=lambda code: (-counts[code], code is not None, code or ""))
    return [
        {
            "code": code,
            "libelle": labels.get(code, code),
            "nombre": counts[code],
            "pourcentage": _pct(counts[code], total),
        }
        for code in ordered
    ]


def _country_split(store: Store, counts: Counter, total: int, lang: str) -> list[dict]:
    """Projects per country; labels are the countries' names in ``lang`` (their record in ``pays``)."""
    names = _lookup(store, "pays", "pays_code", "nom_en" if lang == "en" else "nom", [c for c in counts if c])
    return _shares(counts, names, total)


def _codelist_split(counts: Counter, codelist: voc.CodeList, total: int, lang: str) -> list[dict]:
    return _shares(counts, {code: codelist.label(code, lang) for code in counts}, total)


def _requests_by_continent(store: Store, where: str, params) -> Counter:
    """The matching public requests counted per continent (ordered by :func:`_shares`)."""
    rows = store.rows(f"SELECT continent, COUNT(*) FROM demandes WHERE {where} GROUP BY continent", params)
    return Counter({code: int(n) for code, n in rows})


def statistics(store: Store, criteria: Criteria | None = None, top: int = DEFAULT_TOP, lang: str = "fr") -> dict:
    """The statistics of the projects and requests matching ``criteria`` (all of them when empty)."""
    criteria = criteria or Criteria()
    if not 1 <= top <= MAX_TOP:
        raise ValueError(f"top must be between 1 and {MAX_TOP}")
    store = cached(store)  # the reads of large tables, remembered per version of the tables (exact)
    wp, pp = criteria.where_in(store, "projets")
    projects = _projects(store, wp, pp, top)
    types = projects.splits["type_action"]
    n_cd, n_ae = types["cooperation_decentralisee"], types["action_exterieure"]
    total_projets = n_cd + n_ae

    # requests of the Bourse projets, when the criteria can apply to them
    dem_skipped = criteria.not_applicable("demandes")
    if dem_skipped or criteria.excludes("demandes"):
        n_dem = n_seek = 0
        wd, pd_ = "1=0", []
    else:
        wd, pd_ = criteria.where_in(store, "demandes")
        n_dem, n_seek = (
            int(v or 0)
            for v in store.rows(f"SELECT COUNT(*), COUNT(DISTINCT demandeur_id) FROM demandes WHERE {wd}", pd_)[0]
        )
    # countries of the projects and of the requests (live), counted together
    countries = set(projects.splits["pays_code"])
    if n_dem:
        countries |= {r[0] for r in store.rows(f"SELECT DISTINCT pays_code FROM demandes WHERE {wd}", pd_)}
    n_pays = len(countries)  # as COUNT(*) of their UNION: an unknown country (NULL) counts once

    # APD: the criteria that can apply to declarations
    apd_skipped = criteria.not_applicable("apd")
    wa, pa = criteria.where_in(store, "apd", skip=apd_skipped)
    apd = [
        {"annee": int(a), "montant": float(m)}
        for a, m in store.rows(f"SELECT annee, SUM(montant) FROM apd WHERE {wa} GROUP BY annee ORDER BY annee DESC", pa)
    ]

    return {
        "criteres": criteria.to_params(),
        "description": describe(store, criteria, lang),
        "collectivites_francaises_engagees": projects.collectivities,
        "collectivites_partenaires": projects.partners,
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
                "rang": rank,
                "id": cid,
                "nom": name,
                "type_collectivite": kind,
                "type_collectivite_libelle": voc.TYPES_COLLECTIVITE.label(kind, lang),
                "nb_projets": n,
            }
            for rank, (cid, name, kind, n) in enumerate(projects.top, start=1)
        ],
        "repartition_pays": _country_split(store, projects.splits["pays_code"], total_projets, lang),
        "repartition_thematiques": _codelist_split(projects.splits["thematique"], voc.THEMATIQUES, total_projets, lang),
        "repartition_continents": _codelist_split(projects.splits["continent"], voc.CONTINENTS, total_projets, lang),
        "repartition_continents_demandes": (
            _codelist_split(_requests_by_continent(store, wd, pd_), voc.CONTINENTS, n_dem, lang) if n_dem else []
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
