"""Series per year of any search: how cooperation evolved ("évolution").

For the projects matching one :class:`~coopatlas.criteria.Criteria`, year by year:

- ``projets_lances``: projects launched that year (their start year);
- ``projets_actifs``: projects active that year;
- ``projets_termines``: projects ended that year (their end year);
- ``collectivites_francaises_engagees``: distinct French collectivities with a project active that year;
- ``pays``: distinct countries with a project active that year;
- ``apd``: APD declared that year (euros) by the matching collectivities and countries. APD is declared per
  collectivity, country and year, not per project: the criteria that cannot apply to it (theme, status...)
  are listed in ``apd_criteres_non_appliques``, as :func:`coopatlas.stats.statistics` does.

When a project is active comes from the one declaration of time of the schema
(:attr:`coopatlas.schema.Collection.time`): from its start year to its end year, both included, open-ended
when it has no end year; years are whole calendar years. Hence, for every year ``y`` of the range,
``actifs(y) = actifs(y-1) + lances(y) - termines(y-1)``. Projects without a start year have no place in
time: they are left out of the series and counted in ``projets_sans_annee``.

The years run from ``de`` to ``a`` with no gap (zeros where nothing happens); by default from the first to
the last year of the matching data (start and end years of the projects, years of the APD declared).

``par`` splits the series by one dimension (a criterion: ``pays``, ``continent``, ``thematique``,
``type_collectivite``, ``type_action``): the ``groupes`` groups with the most projects active in the range,
the others together as one group ``_autres`` (counts of distinct collectivities and countries are exact in
every group, ``_autres`` included; they do not add up across groups, a collectivity may work in several
countries). APD is split only by the dimensions APD declarations carry (not by theme or type of action:
``apd_par_groupe`` is then false and the groups' ``apd`` is null).

Everything is computed in SQL by the store, the same SQL on the GeoPackage and on PostGIS.
"""

from __future__ import annotations

from . import schema as sch
from . import vocabulary as voc
from .criteria import Criteria
from .criteria_specs import SPECS, YEAR_MAX, YEAR_MIN
from .store import Store

#: The dimensions a series can be split by (names of criteria).
DIMENSIONS = ("pays", "continent", "thematique", "type_collectivite", "type_action")
DEFAULT_GROUPS = 8
MAX_GROUPS = 250
OTHERS = "_autres"
#: The figures of one year, in the order of the CSV columns.
FIGURES = (
    "projets_lances",
    "projets_actifs",
    "projets_termines",
    "collectivites_francaises_engagees",
    "pays",
    "apd",
)
_LABELS = {
    "continent": voc.CONTINENTS,
    "thematique": voc.THEMATIQUES,
    "type_collectivite": voc.TYPES_COLLECTIVITE,
    "type_action": voc.TYPES_ACTION,
}
_OTHERS_LABEL = {"fr": "Autres", "en": "Others"}


class SeriesError(ValueError):
    """A bad argument of :func:`series`; ``param`` names it."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


def _column(dimension: str, collection: str) -> str | None:
    """The property of ``collection`` that the criterion ``dimension`` filters (None when it has none)."""
    return SPECS[dimension].property_in(sch.collection(collection))


def _years_cte(ph: str) -> str:
    """The years from the first parameter to the second, one row each (the same SQL on both backends)."""
    return (
        f"WITH RECURSIVE annees(annee) AS (SELECT CAST({ph} AS INTEGER) "
        f"UNION ALL SELECT annee + 1 FROM annees WHERE annee < {ph}) "
    )


def _group_sql(column: str | None, codes: list[str], ph: str, alias: str) -> tuple[str, list]:
    """The SELECT expression of the group of a row: its code when in ``codes``, else ``_autres``; NULL for
    a series that is not split (``column`` None)."""
    if column is None:
        return "NULL", []
    if not codes:
        return f"'{OTHERS}'", []
    listed = ", ".join([ph] * len(codes))
    return f"CASE WHEN {alias}{column} IN ({listed}) THEN {alias}{column} ELSE '{OTHERS}' END", list(codes)


def year_range(store: Store, criteria: Criteria, de: int | None = None, a: int | None = None) -> tuple[int, int] | None:
    """``(first, last)`` year of the series: ``de`` and ``a`` when given, else those of the matching data
    (start and end years of the projects with a start year, years of the APD); None when neither is given
    and nothing matches."""
    for name, value in (("de", de), ("a", a)):
        if value is not None and not YEAR_MIN <= value <= YEAR_MAX:
            raise SeriesError(name, f"{value} is not a year between {YEAR_MIN} and {YEAR_MAX}")
    if de is not None and a is not None:
        if de > a:
            raise SeriesError("de", f"{de} is after a {a}")
        return de, a
    start, end = sch.collection("projets").time.fields
    wp, pp = criteria.where_in(store, "projets")
    spans = store.rows(
        f"SELECT MIN({start}), MAX(CASE WHEN {end} > {start} THEN {end} ELSE {start} END) FROM projets "
        f"WHERE {wp} AND {start} IS NOT NULL",
        pp,
    )
    wa, pa = criteria.where_in(store, "apd", skip=criteria.not_applicable("apd"))
    apd_year = sch.collection("apd").time.start
    spans += store.rows(f"SELECT MIN({apd_year}), MAX({apd_year}) FROM apd WHERE {wa}", pa)
    spans = [(int(first), int(last)) for first, last in spans if first is not None]
    if not spans:
        return (de, de) if de is not None else (a, a) if a is not None else None
    first, last = min(f for f, _l in spans), max(last for _f, last in spans)
    if de is not None:
        return de, max(de, last)
    if a is not None:
        return min(first, a), a
    return first, last


def _top_groups(store, criteria, column, first, last, groups) -> list[str]:
    """The codes of the ``groups`` groups with the most projects active in the range (ties: by code)."""
    start, end = sch.collection("projets").time.fields
    ph = store.placeholder()
    wp, pp = criteria.where_in(store, "projets")
    rows = store.rows(
        f"SELECT {column}, COUNT(*) AS n FROM projets WHERE {wp} AND {column} IS NOT NULL "
        f"AND {start} <= {ph} AND ({end} IS NULL OR {end} >= {ph}) "
        f"GROUP BY {column} ORDER BY n DESC, {column} LIMIT {int(groups)}",
        [*pp, last, first],
    )
    return [str(r[0]) for r in rows]


def _project_figures(store, criteria, first, last, group_sql, group_params) -> dict:
    """``{(year, group): {figure: value}}`` of the projects (APD aside)."""
    period = sch.collection("projets").time
    ph = store.placeholder()
    wp, pp = criteria.where_in(store, "projets", alias="p")
    out: dict = {}

    def cell(year, group):
        return out.setdefault((int(year), group), dict.fromkeys(FIGURES[:-1], 0))

    active = store.rows(
        _years_cte(ph) + f"SELECT y.annee, {group_sql}, COUNT(*), COUNT(DISTINCT p.collectivite_id), "
        "COUNT(DISTINCT p.pays_code) FROM annees y JOIN projets p "
        f"ON p.{period.start} <= y.annee AND (p.{period.end} IS NULL OR p.{period.end} >= y.annee) "
        f"WHERE {wp} GROUP BY 1, 2",
        [first, last, *group_params, *pp],
    )
    for year, group, n, n_coll, n_countries in active:
        c = cell(year, group)
        c["projets_actifs"], c["collectivites_francaises_engagees"], c["pays"] = int(n), int(n_coll), int(n_countries)
    for figure, column, extra in (
        ("projets_lances", period.start, ""),
        ("projets_termines", period.end, f" AND p.{period.start} IS NOT NULL"),
    ):
        rows = store.rows(
            f"SELECT p.{column}, {group_sql}, COUNT(*) FROM projets p WHERE {wp}{extra} "
            f"AND p.{column} BETWEEN {ph} AND {ph} GROUP BY 1, 2",
            [*group_params, *pp, first, last],
        )
        for year, group, n in rows:
            cell(year, group)[figure] = int(n)
    return out


def _apd_figures(store, criteria, first, last, group_sql, group_params) -> dict:
    """``{(year, group): amount}`` of the APD declared by the matching collectivities and countries."""
    year = sch.collection("apd").time.start
    ph = store.placeholder()
    wa, pa = criteria.where_in(store, "apd", alias="d", skip=criteria.not_applicable("apd"))
    rows = store.rows(
        f"SELECT d.{year}, {group_sql}, SUM(d.montant) FROM apd d WHERE {wa} "
        f"AND d.{year} BETWEEN {ph} AND {ph} GROUP BY 1, 2",
        [*group_params, *pa, first, last],
    )
    return {(int(y), g): float(m or 0) for y, g, m in rows}


def _rows(first: int, last: int, projects: dict, apd: dict | None, group) -> list[dict]:
    out = []
    for year in range(first, last + 1):
        row = {"annee": year, **projects.get((year, group), dict.fromkeys(FIGURES[:-1], 0))}
        row["apd"] = None if apd is None else apd.get((year, group), 0.0)
        out.append(row)
    return out


def _labels(store: Store, dimension: str, codes: list[str], lang: str) -> dict[str, str]:
    if dimension == "pays":
        if not codes:
            return {}
        column = "nom_en" if lang == "en" else "nom"
        ph = ", ".join([store.placeholder()] * len(codes))
        return {
            str(c): n for c, n in store.rows(f"SELECT pays_code, {column} FROM pays WHERE pays_code IN ({ph})", codes)
        }
    return {c: _LABELS[dimension].label(c, lang) for c in codes}


def series(
    store: Store,
    criteria: Criteria | None = None,
    de: int | None = None,
    a: int | None = None,
    par: str | None = None,
    groupes: int = DEFAULT_GROUPS,
    lang: str = "fr",
) -> dict:
    """The series per year of the projects (and the APD) matching ``criteria``: see the module's
    documentation. Raises :class:`SeriesError` naming a bad argument."""
    criteria = criteria or Criteria()
    if par is not None and par not in DIMENSIONS:
        raise SeriesError("par", f"unknown dimension {par!r}; known: {', '.join(DIMENSIONS)}")
    if not 1 <= groupes <= MAX_GROUPS:
        raise SeriesError("groupes", f"must be between 1 and {MAX_GROUPS}")
    period = sch.collection("projets").time
    wp, pp = criteria.where_in(store, "projets")
    apd_skipped = criteria.not_applicable("apd")
    result = {
        "criteres": criteria.to_params(),
        "de": None,
        "a": None,
        "par": par,
        "annees": [],
        "totaux": {"projets_lances": 0, "projets_termines": 0, "apd": 0.0},
        "projets_sans_annee": int(
            store.scalar(f"SELECT COUNT(*) FROM projets WHERE {wp} AND {period.start} IS NULL", pp) or 0
        ),
        "apd_criteres_non_appliques": apd_skipped,
    }
    if par is not None:
        result["par_libelle"] = SPECS[par].en if lang == "en" else SPECS[par].fr
        result["groupes"] = []
        result["apd_par_groupe"] = _column(par, "apd") is not None
    span = year_range(store, criteria, de, a)
    if span is None:
        return result
    first, last = span
    ph = store.placeholder()
    projects = _project_figures(store, criteria, first, last, "NULL", [])
    apd = _apd_figures(store, criteria, first, last, "NULL", [])
    result.update(de=first, a=last, annees=_rows(first, last, projects, apd, None))
    result["totaux"] = {
        "projets_lances": sum(r["projets_lances"] for r in result["annees"]),
        "projets_termines": sum(r["projets_termines"] for r in result["annees"]),
        "apd": float(sum(r["apd"] for r in result["annees"])),
    }
    if par is None:
        return result

    column = _column(par, "projets")
    codes = _top_groups(store, criteria, column, first, last, groupes)
    group_sql, group_params = _group_sql(column, codes, ph, "p.")
    projects = _project_figures(store, criteria, first, last, group_sql, group_params)
    apd_column = _column(par, "apd")
    apd = None
    if apd_column is not None:
        apd_sql, apd_params = _group_sql(apd_column, codes, ph, "d.")
        apd = _apd_figures(store, criteria, first, last, apd_sql, apd_params)
    labels = _labels(store, par, codes, lang)
    # the others: the groups not in the first ``groupes``, projects with no value, APD declared elsewhere
    others = any(group == OTHERS for _year, group in [*projects, *(apd or {})])
    for code in codes + ([OTHERS] if others else []):
        label = _OTHERS_LABEL[lang] if code == OTHERS else labels.get(code) or code
        result["groupes"].append({"code": code, "libelle": label, "annees": _rows(first, last, projects, apd, code)})
    return result


__all__ = ["series", "year_range", "SeriesError", "DIMENSIONS", "FIGURES", "DEFAULT_GROUPS", "MAX_GROUPS"]
