"""Groups of fields that several collections share: themes, place abroad, place in France, project
counts, co-financing flags."""

from __future__ import annotations

from .. import vocabulary as voc
from .model import BOOLEAN, INTEGER, TEXT, F, Field


def _theme_fields() -> tuple[Field, ...]:
    return (
        F("thematique", TEXT, "Thématique (code)", "Theme (code)", codelist="thematique", indexed=True),
        F("thematique_libelle", TEXT, "Thématique", "Theme"),
        F(
            "sous_thematique",
            TEXT,
            "Sous-thématique (code)",
            "Sub-theme (code)",
            codelist="sous_thematique",
            indexed=True,
        ),
        F("sous_thematique_libelle", TEXT, "Sous-thématique", "Sub-theme"),
        F(
            "sous_sous_thematique",
            TEXT,
            "Sous-sous-thématique (code)",
            "Sub-sub-theme (code)",
            codelist="sous_sous_thematique",
            indexed=True,
        ),
        F("sous_sous_thematique_libelle", TEXT, "Sous-sous-thématique", "Sub-sub-theme"),
        F("secteur_cad", TEXT, "Secteur CAD de l'OCDE (5 chiffres)", "OECD DAC purpose code (5 digits)"),
    )


def _abroad_fields() -> tuple[Field, ...]:
    return (
        F("pays_code", TEXT, "Pays (ISO 3166-1 alpha-2)", "Country (ISO 3166-1 alpha-2)", indexed=True),
        F("pays_nom", TEXT, "Pays", "Country", searchable=True),
        F("continent", TEXT, "Continent", "Continent", codelist="continent", indexed=True),
        F("sous_continent", TEXT, "Sous-continent", "Sub-continent", codelist="sous_continent", indexed=True),
    )


def _france_fields() -> tuple[Field, ...]:
    return (
        F("code_region", TEXT, "Région (code INSEE)", "French region (INSEE code)", indexed=True),
        F("code_departement", TEXT, "Département (code INSEE)", "French department (INSEE code)", indexed=True),
    )


def _count_fields() -> tuple[Field, ...]:
    return (
        F("nb_projets", INTEGER, "Nombre de projets", "Number of projects"),
        F("nb_cooperations", INTEGER, "Projets de coopération décentralisée", "Decentralised cooperation projects"),
        F("nb_actions", INTEGER, "Autres actions extérieures", "Other external actions"),
    )


COFINANCEMENT_FIELDS = tuple(
    F(
        f"cofinance_{t.code}",
        BOOLEAN,
        f"Cofinancement : {t.fr}",
        f"Co-financing: {t.en}",
        indexed=t.code in ("mae", "afd", "ue"),
    )
    for t in voc.COFINANCEMENTS
)
