"""OGC API process ``statistiques``: the Atlas's panels of any scope or search.

"Etat au niveau Monde / France" (counts), "Aide publique au développement" (APD per year, euros), "Les
collectivités territoriales menant le plus de projets" (top ``top``), the splits by country, theme and
continent in figures and percentages, as JSON (the contract of the QGIS plugin), CSV, charts (PNG, SVG)
or a PDF of the charts with their data. Core: :func:`coopatlas.stats.statistics`.
"""

from __future__ import annotations

from coopatlas.charts import dashboard
from coopatlas.documents.notices import atlas_metadata, data_notice
from coopatlas.stats import DEFAULT_TOP, MAX_TOP, describe, statistics
from coopatlas.stats_apd import apd_breakdowns

from . import _evolution
from ._common import (
    LANG_INPUT,
    AtlasProcessor,
    common_metadata,
    format_input,
    output_description,
    parse_search,
    search_inputs,
)
from ._formats import FORMATS, in_format

PROCESS_METADATA = common_metadata(
    "statistiques",
    {"fr": "Statistiques de la coopération", "en": "Cooperation statistics"},
    {
        "fr": "Les chiffres de l'Atlas pour une échelle (monde, France, continent, pays, région, département, "
        "collectivité) ou pour toute recherche : collectivités françaises engagées, partenaires, "
        "collectivités en recherche, projets par type, demandes de coopération, pays, APD déclarée par "
        "année (euros), collectivités menant le plus de projets, répartitions par pays, thématique et "
        "continent en nombres et pourcentages. En JSON, CSV, graphiques PNG ou SVG, ou PDF (graphiques et "
        "tableaux de données).",
        "en": "The Atlas's figures for a level (world, France, continent, country, region, department, "
        "authority) or any search: French authorities engaged, partners, authorities seeking cooperation, "
        "projects by type, cooperation requests, countries, declared ODA per year (euros), authorities with "
        "the most projects, splits by country, theme and continent in counts and percentages. As JSON, CSV, "
        "PNG or SVG charts, or PDF (charts and data tables).",
    },
    ["statistiques", "APD", "coopération décentralisée"],
    {
        **search_inputs(),
        "top": {
            "title": {"fr": "Nombre de collectivités du classement", "en": "Number of authorities ranked"},
            "description": {
                "fr": f"Les collectivités menant le plus de projets : combien (1 à {MAX_TOP}).",
                "en": f"The authorities with the most projects: how many (1 to {MAX_TOP}).",
            },
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_TOP, "default": DEFAULT_TOP},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
        **_evolution.INPUTS,
        "format": format_input(FORMATS, "json"),
        "lang": LANG_INPUT,
    },
    output_description(
        FORMATS,
        {"fr": "Statistiques", "en": "Statistics"},
        {
            "fr": "JSON : collectivites_francaises_engagees, collectivites_partenaires, "
            "collectivites_en_recherche, projets_cooperation_decentralisee, "
            "projets_actions_exterieures, demandes_cooperation, pays, apd_par_annee "
            "[{annee, montant}], top_collectivites [{rang, id, nom, type_collectivite, "
            "nb_projets}], repartition_pays, repartition_thematiques, repartition_continents "
            "[{code, libelle, nombre, pourcentage}], apd_par_secteur (groupes CAD), apd_par_canal, "
            "apd_par_marqueur (montant par score : principal, significatif, non ciblé, non déclaré), "
            "description, donnees. CSV : section, "
            "rang, code, libelle, valeur, pourcentage. PNG/SVG : les graphiques. PDF : "
            "graphiques et tableaux de données. " + _evolution.OUTPUT["fr"],
            "en": "JSON: collectivites_francaises_engagees, collectivites_partenaires, "
            "collectivites_en_recherche, projets_cooperation_decentralisee, "
            "projets_actions_exterieures, demandes_cooperation, pays, apd_par_annee "
            "[{annee, montant}], top_collectivites [{rang, id, nom, type_collectivite, "
            "nb_projets}], repartition_pays, repartition_thematiques, repartition_continents "
            "[{code, libelle, nombre, pourcentage}], apd_par_secteur (DAC groups), apd_par_canal, "
            "apd_par_marqueur (amount per score: principal, significant, not targeted, not declared), "
            "description, donnees. CSV: section, rang, "
            "code, libelle, valeur, pourcentage. PNG/SVG: the charts. PDF: charts and data "
            "tables. " + _evolution.OUTPUT["en"],
        },
    ),
    {"inputs": {"portee": {"type": "pays", "code": "BF"}, "top": 10, "format": "json"}},
)


class StatistiquesProcessor(AtlasProcessor):
    """``statistiques``: see the module documentation."""

    METADATA = PROCESS_METADATA

    def with_defaults(self, values: dict) -> dict:
        given = set(values)
        return {**super().with_defaults(values), "_given": given}

    def check(self, values: dict) -> dict:
        _evolution.check(values, values.pop("_given"))
        values["_criteria"] = parse_search(self.store, values)
        return values

    def run(self, values: dict):
        store, lang = self.store, values["lang"]
        criteria = values["_criteria"]
        if values["evolution"]:
            notice = data_notice(atlas_metadata(store), lang)
            return _evolution.run(store, values, describe(store, criteria, lang), notice)
        stats = statistics(store, criteria, top=values["top"], lang=lang)
        stats.update(apd_breakdowns(store, criteria, lang))  # APD by DAC sector, channel and policy marker
        stats["description"] = describe(store, criteria, lang)
        notice = data_notice(atlas_metadata(store), lang)

        def csv():
            from coopatlas.reports.tables import statistics_csv

            return statistics_csv(stats, lang)

        def pdf():
            from coopatlas.reports.statistiques import statistics_pdf

            return statistics_pdf(stats, lang, description=stats["description"], notice=notice)

        return in_format(
            values, stats, notice, csv, lambda: dashboard(stats, lang, title=stats["description"]), pdf, dpi=100
        )
