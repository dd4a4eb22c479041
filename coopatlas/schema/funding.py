"""The collections of money: declared official development aid (``apd``) and project co-financing."""

from __future__ import annotations

from .. import vocabulary as voc
from .field_groups import _abroad_fields, _france_fields
from .model import INTEGER, REAL, TEXT, Collection, F, Period


def _marker_fields() -> tuple:
    """One field per policy marker of :data:`coopatlas.vocabulary.MARQUEURS`: its score 0, 1 or 2
    (:data:`coopatlas.vocabulary.SCORES_MARQUEUR`), NULL when not declared."""
    return tuple(
        F(
            t.extra["champ"],
            INTEGER,
            f"Marqueur {t.fr.lower()} (0 non ciblé, 1 significatif, 2 principal)",
            f"{t.en} marker (0 not targeted, 1 significant, 2 principal)",
        )
        for t in voc.MARQUEURS
    )


APD = Collection(
    "apd",
    None,
    "Aide publique au développement déclarée",
    "Declared official development aid",
    "Une ligne de déclaration d'APD : une collectivité, un pays, une année, un secteur CAD et un canal "
    "d'acheminement, un montant en euros et les marqueurs de politique de l'OCDE. Les montants d'une "
    "collectivité, d'un pays et d'une année sont la somme de ses lignes.",
    "One line of an ODA declaration: one authority, one country, one year, one DAC sector and one channel of "
    "delivery, an amount in euros and the OECD policy markers. The amount of an authority, a country and a "
    "year is the sum of its lines.",
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
        F(
            "secteur",
            TEXT,
            "Secteur CAD (code objet à 5 chiffres)",
            "DAC sector (5-digit purpose code)",
            codelist="secteur_cad",
            indexed=True,
        ),
        F("canal", TEXT, "Canal d'acheminement (code CRS)", "Channel of delivery (CRS code)", codelist="canal"),
        F("montant", REAL, "Montant (euros)", "Amount (euros)"),
        *_marker_fields(),
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
