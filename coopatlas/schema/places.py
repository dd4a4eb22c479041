"""The collections of places: countries, French regions and departments, with their counts and ODA."""

from __future__ import annotations

from .field_groups import _count_fields
from .model import INTEGER, REAL, TEXT, Collection, F

PAYS = Collection(
    "pays",
    "MULTIPOLYGON",
    "Pays, avec leurs nombres de projets et l'APD",
    "Countries with their project counts and ODA",
    "Un pays (Natural Earth 1:10m, simplifié) avec les nombres de projets des collectivités françaises, "
    "de demandes de coopération, de collectivités et de partenaires, et l'aide publique au développement "
    "déclarée.",
    "A country (Natural Earth 1:10m, simplified) with the counts of French authorities' projects, of "
    "cooperation requests, of authorities and partners, and the declared official development aid.",
    (
        F("id", TEXT, "Code ISO 3166-1 alpha-2", "ISO 3166-1 alpha-2 code", nullable=False),
        F("pays_code", TEXT, "Code ISO 3166-1 alpha-2", "ISO 3166-1 alpha-2 code", indexed=True),
        F("iso_a3", TEXT, "Code ISO 3166-1 alpha-3", "ISO 3166-1 alpha-3 code"),
        F("nom", TEXT, "Nom", "Name", searchable=True),
        F("nom_en", TEXT, "Nom (anglais)", "Name (English)", searchable=True),
        F("continent", TEXT, "Continent", "Continent", codelist="continent", indexed=True),
        F("sous_continent", TEXT, "Sous-continent", "Sub-continent", codelist="sous_continent", indexed=True),
        *_count_fields(),
        F("nb_demandes", INTEGER, "Demandes de coopération", "Cooperation requests"),
        F("nb_collectivites", INTEGER, "Collectivités françaises engagées", "French authorities engaged"),
        F("nb_partenaires", INTEGER, "Autorités locales partenaires", "Partner authorities"),
        F("apd_total", REAL, "APD déclarée, total (euros)", "Declared ODA, total (euros)"),
    ),
    keywords=("pays",),
)


def _french_area_collection(cid, level_fr, title_fr, level_en, code_field, extra_fields=()):
    return Collection(
        cid,
        "MULTIPOLYGON",
        f"{title_fr}, avec leurs nombres de projets et l'APD",
        f"French {level_en} with their project counts and ODA",
        f"{level_fr} (COG INSEE, découpage actuel) avec les nombres de projets de leurs collectivités et "
        "l'aide publique au développement déclarée.",
        f"French {level_en} (INSEE COG, current boundaries) with the project counts of their authorities and "
        "the declared official development aid.",
        (
            F("id", TEXT, "Code INSEE", "INSEE code", nullable=False),
            F(code_field, TEXT, "Code INSEE", "INSEE code", indexed=True),
            F("nom", TEXT, "Nom", "Name", searchable=True),
            *extra_fields,
            F("nb_collectivites", INTEGER, "Collectivités engagées", "Authorities engaged"),
            *_count_fields(),
            F("nb_pays", INTEGER, "Nombre de pays", "Number of countries"),
            F("apd_total", REAL, "APD déclarée, total (euros)", "Declared ODA, total (euros)"),
        ),
        keywords=("France", level_fr.lower()),
    )


REGIONS = _french_area_collection("regions", "Régions", "Régions françaises", "regions", "code_region")
DEPARTEMENTS = _french_area_collection(
    "departements",
    "Départements",
    "Départements français",
    "departments",
    "code_departement",
    (
        F("code_region", TEXT, "Région (code INSEE)", "Region (INSEE code)", indexed=True),
        F("nom_region", TEXT, "Région", "Region"),
    ),
)
