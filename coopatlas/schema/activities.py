"""The collections of activities: the projects (``projets``) and the Bourse requests (``demandes``)."""

from __future__ import annotations

from .field_groups import COFINANCEMENT_FIELDS, _abroad_fields, _france_fields, _theme_fields
from .model import BOOLEAN, DATE, INTEGER, TEXT, Collection, CoveringIndex, F, Period, SortIndex

PROJETS = Collection(
    "projets",
    "POINT",
    "Projets de coopération décentralisée et autres actions extérieures",
    "Decentralised cooperation projects and other external actions",
    "Un projet mené à l'international par une collectivité territoriale française avec une autorité "
    "locale partenaire, placé sur le lieu du partenaire.",
    "One international project of a French local authority with a foreign partner authority, placed at "
    "the partner's location.",
    (
        F("id", TEXT, "Identifiant", "Identifier", nullable=False),
        F("titre", TEXT, "Titre du projet", "Project title", searchable=True),
        F("description", TEXT, "Description", "Description", searchable=True),
        F("type_action", TEXT, "Type", "Type", codelist="type_action", indexed=True),
        F("jumelage", BOOLEAN, "Jumelage", "Twinning", indexed=True),
        F("statut", TEXT, "Statut", "Status", codelist="statut", indexed=True),
        *_theme_fields(),
        F("annee_convention", INTEGER, "Année de la convention", "Year of the agreement"),
        F("annee_lancement", INTEGER, "Année de début du projet", "Start year", indexed=True),
        F("annee_fin", INTEGER, "Année de fin", "End year"),
        F("cofinancement_types", TEXT, "Types de cofinancement (codes)", "Co-financing types (codes)"),
        *COFINANCEMENT_FIELDS,
        F("loi_oudin", BOOLEAN, "Loi Oudin-Santini", "Oudin-Santini law (1 % water, energy, waste)", indexed=True),
        F(
            "collectivite_id",
            TEXT,
            "Collectivité française (identifiant)",
            "French authority (identifier)",
            indexed=True,
        ),
        F("collectivite_nom", TEXT, "Collectivité territoriale française", "French local authority", searchable=True),
        F(
            "type_collectivite",
            TEXT,
            "Type de collectivité",
            "Type of French authority",
            codelist="type_collectivite",
            indexed=True,
        ),
        *_france_fields(),
        F("partenaire_id", TEXT, "Partenaire (identifiant)", "Partner (identifier)", indexed=True),
        F("partenaire_nom", TEXT, "Collectivité locale partenaire", "Partner local authority", searchable=True),
        *_abroad_fields(),
        F("precision_geo", TEXT, "Précision de la localisation", "Location precision", codelist="precision_geo"),
        F("date_maj", DATE, "Date de mise à jour", "Last update"),
    ),
    keywords=("coopération décentralisée", "action extérieure des collectivités territoriales", "projets"),
    time=Period("annee_lancement", "annee_fin"),
    # the newest (or oldest) projects, of the whole atlas, of a continent, of a country
    sorts=(
        SortIndex("annee_lancement"),
        SortIndex("annee_lancement", within=("continent",)),
        SortIndex("annee_lancement", within=("pays_code",)),
    ),
    # a country map's counts by partner, type, French collectivity and theme (cartography.data), and the
    # statistics' counts of any search (stats.GROUPED)
    covering=(
        CoveringIndex(
            "pays_partenaires",
            ("pays_code", "partenaire_id", "type_action", "collectivite_id", "thematique", "continent"),
        ),
    ),
)

DEMANDES = Collection(
    "demandes",
    "POINT",
    "Demandes de coopération (Bourse projets)",
    "Cooperation requests (Bourse projets)",
    "Projets d'autorités locales étrangères en recherche d'un partenaire français, validés par "
    "l'ambassade de France du pays. Seules les demandes validées ou pourvues sont publiques.",
    "Projects of foreign local authorities seeking a French partner, validated by the French embassy of "
    "their country. Only validated or matched requests are public.",
    (
        F("id", TEXT, "Référence", "Reference", nullable=False),
        F("titre", TEXT, "Titre du projet", "Project title", searchable=True),
        F("description", TEXT, "Description", "Description", searchable=True),
        F("type_action", TEXT, "Type", "Type", codelist="type_action"),
        F("demandeur_id", TEXT, "Autorité demandeuse (identifiant)", "Requesting authority (identifier)", indexed=True),
        F("demandeur_nom", TEXT, "Autorité locale demandeuse", "Requesting local authority", searchable=True),
        *_abroad_fields(),
        *_theme_fields(),
        F("profil_partenaire", TEXT, "Profil du partenaire recherché", "Desired partner profile", searchable=True),
        F("langues", TEXT, "Langues de travail", "Working languages"),
        F("contact_nom", TEXT, "Personne à contacter", "Contact person"),
        F("contact_email", TEXT, "Courriel du contact", "Contact e-mail"),
        F(
            "statut_validation",
            TEXT,
            "Statut de validation",
            "Validation status",
            codelist="statut_validation",
            indexed=True,
        ),
        F("date_depot", DATE, "Date de dépôt", "Submission date"),
        F("date_validation", DATE, "Date de validation", "Validation date"),
        F("ambassade", TEXT, "Ambassade de France", "French embassy"),
    ),
    keywords=("Bourse projets", "demandes de coopération"),
    time=Period("date_depot", "date_validation"),
)
