"""The series per year of the ``statistiques`` process (``evolution: true``): its inputs, their checks and
its result in each format. Core: :func:`coopatlas.stats_series.series`."""

from __future__ import annotations

from coopatlas.charts import evolution
from coopatlas.criteria import YEAR_MAX, YEAR_MIN
from coopatlas.stats_series import DEFAULT_GROUPS, DIMENSIONS, MAX_GROUPS, SeriesError, series

from ._common import InputError
from ._formats import in_format


def _year(fr: str, en: str) -> dict:
    return {
        "title": {"fr": fr, "en": en},
        "description": {
            "fr": f"{fr} de la série (avec evolution) ; par défaut, celle des données.",
            "en": f"{en} of the series (with evolution); by default, that of the data.",
        },
        "schema": {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX},
        "minOccurs": 0,
        "maxOccurs": 1,
    }


#: The inputs of the series; all but ``evolution`` only with ``evolution: true``.
INPUTS = {
    "evolution": {
        "title": {"fr": "Évolution par année", "en": "Evolution per year"},
        "description": {
            "fr": "Vrai : au lieu de l'état, la série par année des projets lancés, actifs et terminés, des "
            "collectivités françaises engagées, des pays et de l'APD déclarée (JSON, CSV, graphique PNG, "
            "SVG, PDF). Un projet est actif de son année de début à son année de fin incluses.",
            "en": "True: instead of the state, the series per year of the projects started, active and "
            "ended, French authorities engaged, countries and declared ODA (JSON, CSV, PNG, SVG chart, PDF). "
            "A project is active from its start year to its end year, both included.",
        },
        "schema": {"type": "boolean", "default": False},
        "minOccurs": 0,
        "maxOccurs": 1,
    },
    "de": _year("Première année", "First year"),
    "a": _year("Dernière année", "Last year"),
    "par": {
        "title": {"fr": "Répartir par", "en": "Split by"},
        "description": {
            "fr": "Avec evolution : une série par groupe de cette dimension (les « groupes » premiers par "
            "nombre de projets actifs sur la période, les autres ensemble dans « _autres »).",
            "en": 'With evolution: one series per group of this dimension (the first "groupes" by number '
            'of projects active over the period, the others together in "_autres").',
        },
        "schema": {"type": "string", "enum": list(DIMENSIONS)},
        "minOccurs": 0,
        "maxOccurs": 1,
    },
    "groupes": {
        "title": {"fr": "Nombre de groupes", "en": "Number of groups"},
        "description": {
            "fr": f"Avec par : combien de groupes montrer un à un (1 à {MAX_GROUPS}, défaut {DEFAULT_GROUPS}).",
            "en": f"With par: how many groups to show one by one (1 to {MAX_GROUPS}, default {DEFAULT_GROUPS}).",
        },
        "schema": {"type": "integer", "minimum": 1, "maximum": MAX_GROUPS},
        "minOccurs": 0,
        "maxOccurs": 1,
    },
}
#: What the output is with ``evolution`` (appended to the description of the process's output).
OUTPUT = {
    "fr": "Avec evolution : JSON de, a, annees [{annee, projets_lances, projets_actifs, projets_termines, "
    "collectivites_francaises_engagees, pays, apd}], totaux, projets_sans_annee, apd_criteres_non_appliques "
    "et, avec par, groupes [{code, libelle, annees}] ; CSV : groupe, libelle, annee et ces chiffres ; "
    "PNG/SVG : le graphique ; PDF : le graphique et le tableau des années.",
    "en": "With evolution: JSON de, a, annees [{annee, projets_lances, projets_actifs, projets_termines, "
    "collectivites_francaises_engagees, pays, apd}], totaux, projets_sans_annee, apd_criteres_non_appliques "
    "and, with par, groupes [{code, libelle, annees}]; CSV: groupe, libelle, annee and these figures; "
    "PNG/SVG: the chart; PDF: the chart and the table of the years.",
}
#: The inputs of the state that a series does not use.
STATE_ONLY = ("top",)


def check(values: dict, given: set[str]) -> None:
    """Refuse the inputs of a series without ``evolution`` and those of the state with it."""
    if values.get("evolution"):
        for name in STATE_ONLY:
            if name in given:
                raise InputError(name, "is not used by the series per year (evolution true)")
        if "groupes" in given and "par" not in given:
            raise InputError("groupes", "needs par (the dimension to split by)")
        if "de" in given and "a" in given and values["de"] > values["a"]:
            raise InputError("de", f"{values['de']} is after a {values['a']}")
        return
    for name in INPUTS:
        if name != "evolution" and name in given:
            raise InputError(name, "only with evolution true (the series per year)")


def run(store, values: dict, description: str, notice: dict):
    """The series of the search in the requested format: ``(media type, content)``."""
    lang = values["lang"]
    try:
        result = series(
            store,
            values["_criteria"],
            de=values.get("de"),
            a=values.get("a"),
            par=values.get("par"),
            groupes=values.get("groupes", DEFAULT_GROUPS),
            lang=lang,
        )
    except SeriesError as exc:
        raise InputError(exc.param, str(exc).split(": ", 1)[-1]) from None
    result["description"] = description

    def csv():
        from coopatlas.reports.evolution import series_csv

        return series_csv(result, lang)

    def pdf():
        from coopatlas.reports.evolution import evolution_pdf

        return evolution_pdf(result, lang, description, notice)

    return in_format(
        values,
        result,
        notice,
        csv,
        lambda: evolution(result, lang, title=description, footnote=notice.get("avertissement")),
        pdf,
        dpi=150,
    )
