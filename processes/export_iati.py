"""OGC API process ``export-iati``: the projects of any search as an IATI 2.03 activity file.

The same search inputs as ``rapport`` and ``statistiques`` (``portee`` and every criterion); the result is
an ``iati-activities`` XML document, one activity per project; a search without any project is answered
400 (the IATI schema requires one activity at least). Core: :mod:`coopatlas.opendata.iati`.
"""

from __future__ import annotations

from coopatlas.documents.notices import atlas_metadata
from coopatlas.opendata.iati import NoActivity, activities_document

from ._common import OUTPUT, AtlasProcessor, InputError, common_metadata, parse_search, search_inputs

MEDIA_TYPE = "application/xml"

PROCESS_METADATA = common_metadata(
    "export-iati",
    {"fr": "Export IATI d'une recherche", "en": "IATI export of a search"},
    {
        "fr": "Les projets d'une recherche au format IATI 2.03 (iati-activities) : une activité par projet, la "
        "collectivité française comme organisation déclarante et financeur, l'autorité partenaire comme "
        "organisation de mise en œuvre, les cofinanceurs, le statut, les dates, le pays, le lieu, le secteur "
        "CAD de l'OCDE. Aucun montant par projet : l'APD est déclarée par collectivité, pays et année.",
        "en": "The projects of a search as an IATI 2.03 activity file (iati-activities): one activity per project, "
        "the French local authority as reporting and funding organisation, the partner authority as "
        "implementing organisation, the co-financers, status, dates, country, location, OECD DAC sector. No "
        "per-project amount: ODA is declared per authority, country and year.",
    },
    ["IATI", "export", "aid transparency"],
    search_inputs(),
    {
        OUTPUT: {
            "title": {"fr": "Activités IATI", "en": "IATI activities"},
            "description": {
                "fr": "Le document iati-activities (XML, IATI 2.03).",
                "en": "The iati-activities document (XML, IATI 2.03).",
            },
            "schema": {"type": "string", "contentEncoding": "8bit", "contentMediaType": MEDIA_TYPE},
        }
    },
    {"inputs": {"pays": ["BF"], "thematique": ["eau_assainissement"]}},
)


class ExportIatiProcessor(AtlasProcessor):
    """``export-iati``: see the module documentation."""

    METADATA = PROCESS_METADATA

    def is_binary(self, values: dict) -> bool:
        return True  # an XML file: sent raw only

    def check_request(self, data, response: str | None = "raw", outputs=None) -> dict:
        if (response or "raw") != "document":
            return super().check_request(data, response, outputs)
        self.validate(data)
        raise InputError("response", "the IATI file is an XML file: ask for response 'raw' (the default) to receive it")

    def check(self, values: dict) -> dict:
        criteria = parse_search(self.store, values)
        not_applicable = criteria.not_applicable("projets")
        if not_applicable:
            raise InputError(not_applicable[0], "does not apply to projects (an IATI activity is a project)")
        values["_criteria"] = criteria
        return values

    def run(self, values: dict):
        store = self.store
        try:
            return MEDIA_TYPE, activities_document(store, values["_criteria"], atlas_metadata(store))
        except NoActivity as exc:
            raise InputError("inputs", f"{exc}; an IATI activity file holds at least one activity") from None
