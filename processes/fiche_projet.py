"""OGC API process ``fiche-projet``: one project's sheet, as PDF or JSON.

Every field with its label (labels, not codes), a small locator map (PDF), the French collectivity with
the contacts of its elected official and of its director of international affairs, the co-financings and
the partner. Core: :mod:`coopatlas.reports.fiche`.
"""

from __future__ import annotations

from ._common import (
    LANG_INPUT,
    MEDIA_TYPES,
    AtlasProcessor,
    InputError,
    common_metadata,
    format_input,
    output_description,
)

FORMATS = ("pdf", "json")

PROCESS_METADATA = common_metadata(
    "fiche-projet",
    {"fr": "Fiche projet", "en": "Project sheet"},
    {
        "fr": "La fiche d'un projet : tous ses champs avec leurs libellés, une carte de situation, la collectivité "
        "française et ses contacts (élu, directeur des relations internationales), les cofinancements, "
        "le partenaire. En PDF ou en JSON.",
        "en": "The sheet of one project: every field with its label, a locator map, the French authority and its "
        "contacts (elected official, director of international affairs), co-financings, the partner. As PDF "
        "or JSON.",
    },
    ["fiche projet", "PDF"],
    {
        "id": {
            "title": {"fr": "Identifiant du projet", "en": "Project identifier"},
            "description": {
                "fr": "L'identifiant (id) d'un projet de la collection projets.",
                "en": "The identifier (id) of a project of the projets collection.",
            },
            "schema": {"type": "string", "pattern": r"^[A-Za-z0-9_.:-]{1,64}$"},
            "minOccurs": 1,
            "maxOccurs": 1,
        },
        "format": format_input(FORMATS, "pdf"),
        "lang": LANG_INPUT,
    },
    output_description(
        FORMATS,
        {"fr": "Fiche projet", "en": "Project sheet"},
        {
            "fr": "PDF (A4) ou JSON : id, titre, sections [{id, titre, champs [{champ, libelle, "
            "valeur, code}]}], cofinancements, localisation, donnees.",
            "en": "PDF (A4) or JSON: id, titre, sections [{id, titre, champs [{champ, libelle, "
            "valeur, code}]}], cofinancements, localisation, donnees.",
        },
    ),
    {"inputs": {"id": "PRJ000001", "format": "pdf", "lang": "fr"}},
)


class FicheProjetProcessor(AtlasProcessor):
    """``fiche-projet``: see the module documentation."""

    METADATA = PROCESS_METADATA
    BINARY_FORMATS = ("pdf",)

    def check(self, values: dict) -> dict:
        found = self.store.scalar(f"SELECT COUNT(*) FROM projets WHERE id = {self.store.placeholder()}", [values["id"]])
        if not found:
            raise InputError("id", f"no project {values['id']!r}")
        return values

    def run(self, values: dict):
        from coopatlas.reports.fiche import ProjectNotFound, project_sheet, project_sheet_pdf

        try:
            sheet = project_sheet(self.store, values["id"], values["lang"])
        except ProjectNotFound:
            raise InputError("id", f"no project {values['id']!r}") from None
        if values["format"] == "json":
            return MEDIA_TYPES["json"], sheet
        from coopatlas.cartography.overview import locator_map

        return MEDIA_TYPES["pdf"], project_sheet_pdf(
            self.store, values["id"], values["lang"], sheet=sheet, locator_map=locator_map
        )
