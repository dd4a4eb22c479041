"""OGC API process ``rapport``: "Exporter les résultats en PDF" of any search.

Title, the criteria in words, summary counts, APD table and chart, a map of the results coloured by type
of action, charts of the splits, the evolution per year (page "Évolution"), then the list of the projects
as the Atlas shows it, page numbers, sources, attributions, the date of the data and the SYNTHETIC-data
notice on demo data. Core: :func:`coopatlas.reports.rapport.report_pdf`.
"""

from __future__ import annotations

from ._common import (
    LANG_INPUT,
    MEDIA_TYPES,
    AtlasProcessor,
    common_metadata,
    format_input,
    output_description,
    parse_search,
    search_inputs,
)

FORMATS = ("pdf",)
MAX_TITLE = 200

PROCESS_METADATA = common_metadata(
    "rapport",
    {"fr": "Rapport PDF d'une recherche", "en": "PDF report of a search"},
    {
        "fr": "Les résultats d'une recherche en PDF : critères, chiffres clés, APD, carte des résultats par type "
        "(bleu : coopération décentralisée, jaune : autre action extérieure, rouge : demande de coopération), "
        "graphiques, l'évolution par année (projets lancés, actifs, terminés), puis la liste des projets "
        "(Collectivité, Partenaire, Projet, Type, Thématique, Statut, "
        "Convention / Lancement), les sources et attributions.",
        "en": "The results of a search as PDF: criteria, key figures, ODA, map of the results by type (blue: "
        "decentralised cooperation, yellow: other external action, red: cooperation request), charts, the "
        "evolution per year (projects started, active, ended), then "
        "the list of the projects, the sources and attributions.",
    },
    ["rapport", "PDF", "export"],
    {
        **search_inputs(),
        "titre": {
            "title": {"fr": "Titre du rapport", "en": "Title of the report"},
            "description": {
                "fr": "Titre imprimé en tête du rapport (par défaut : « Coopération décentralisée : "
                "résultats de la recherche »).",
                "en": "Title printed at the top of the report.",
            },
            "schema": {"type": "string", "minLength": 1, "maxLength": MAX_TITLE},
            "minOccurs": 0,
            "maxOccurs": 1,
        },
        "format": format_input(FORMATS, "pdf"),
        "lang": LANG_INPUT,
    },
    output_description(
        FORMATS, {"fr": "Rapport", "en": "Report"}, {"fr": "Le rapport PDF (A4).", "en": "The PDF report (A4)."}
    ),
    {"inputs": {"pays": ["BF"], "thematique": ["eau_assainissement"], "titre": "L'eau au Burkina Faso"}},
)


class RapportProcessor(AtlasProcessor):
    """``rapport``: see the module documentation."""

    METADATA = PROCESS_METADATA

    def check(self, values: dict) -> dict:
        if "titre" in values:
            values["titre"] = values["titre"].strip()
            if not values["titre"]:
                from ._common import InputError

                raise InputError("titre", "must not be blank")
        values["_criteria"] = parse_search(self.store, values)
        return values

    def run(self, values: dict):
        from coopatlas.cartography.overview import results_map
        from coopatlas.reports.rapport import report_pdf

        return MEDIA_TYPES["pdf"], report_pdf(
            self.store,
            values["_criteria"],
            values.get("titre"),
            values["lang"],
            results_map=results_map,
            progress=self.progress,
        )
