"""The collections of money: declared official development aid (``apd``) and project co-financing."""

from __future__ import annotations

from .field_groups import _abroad_fields, _france_fields
from .model import INTEGER, REAL, TEXT, Collection, F, Period

APD = Collection(
    "apd",
    None,
    "Aide publique au développement déclarée",
    "Declared official development aid",
    "Une déclaration d'APD : une collectivité, un pays, une année, un montant en euros.",
    "One ODA declaration: one authority, one country, one year, one amount in euros.",
    (
        F("id", TEXT, "Identifiant", "Identifier", nullable=False),
        F("collectivite_id", TEXT, "Collectivité (identifiant)", "Authority (identifier)", indexed=True),
        F("collectivite_nom", TEXT, "Collectivité territoriale française", "French local authority", searchable=True),
        F(
            "type_collectivite",
            TEXT,
            "Type de collectivité",
            "Type of authority",
            codelist="type_collectivite",
            indexed=True,
        ),
        *_france_fields(),
        *_abroad_fields(),
        F("annee", INTEGER, "Année", "Year", indexed=True),
        F("montant", REAL, "Montant (euros)", "Amount (euros)"),
    ),
    keywords=("APD", "aide publique au développement"),
    time=Period("annee"),
)

COFINANCEMENTS = Collection(
    "cofinancements",
    None,
    "Cofinancements des projets",
    "Co-financing of projects",
    "Un cofinancement d'un projet : type, année, montant en euros.",
    "One co-financing of one project: type, year, amount in euros.",
    (
        F("id", TEXT, "Identifiant", "Identifier", nullable=False),
        F("projet_id", TEXT, "Projet (identifiant)", "Project (identifier)", indexed=True),
        F(
            "type_cofinancement",
            TEXT,
            "Type de cofinancement",
            "Co-financing type",
            codelist="cofinancement",
            indexed=True,
        ),
        F("annee", INTEGER, "Année", "Year", indexed=True),
        F("montant", REAL, "Montant (euros)", "Amount (euros)"),
        F("collectivite_id", TEXT, "Collectivité (identifiant)", "Authority (identifier)", indexed=True),
        F("pays_code", TEXT, "Pays (ISO 3166-1 alpha-2)", "Country (ISO 3166-1 alpha-2)", indexed=True),
    ),
    keywords=("cofinancement",),
    time=Period("annee"),
)
