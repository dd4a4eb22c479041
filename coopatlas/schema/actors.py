"""The collections of actors: French local authorities, their foreign partners and the links between
them."""

from __future__ import annotations

from .field_groups import _abroad_fields, _count_fields, _france_fields
from .model import BOOLEAN, DATE, INTEGER, REAL, TEXT, Collection, F, Period

COLLECTIVITES = Collection(
    "collectivites",
    "POINT",
    "Collectivités territoriales françaises engagées à l'international",
    "French local authorities engaged abroad",
    "Une collectivité territoriale française (région, département, commune, intercommunalité, "
    "collectivité d'outre-mer) menant au moins un projet à l'international, à son siège, avec ses "
    "nombres de projets et les contacts de ses élus et directeurs des relations internationales.",
    "A French local authority with at least one international project, at its seat, with its project "
    "counts and the contacts of its elected official and director of international affairs.",
    (
        F("id", TEXT, "Identifiant", "Identifier", nullable=False),
        F("nom", TEXT, "Nom", "Name", searchable=True),
        F(
            "type_collectivite",
            TEXT,
            "Type de collectivité",
            "Type of authority",
            codelist="type_collectivite",
            indexed=True,
        ),
        F("code_insee", TEXT, "Code du territoire (COG INSEE)", "Territory code (INSEE COG)", indexed=True),
        F("siren", TEXT, "SIREN", "SIREN"),
        F("code_region", TEXT, "Région (code INSEE)", "Region (INSEE code)", indexed=True),
        F("nom_region", TEXT, "Région", "Region", searchable=True),
        F("code_departement", TEXT, "Département (code INSEE)", "Department (INSEE code)", indexed=True),
        F("nom_departement", TEXT, "Département", "Department", searchable=True),
        *_count_fields(),
        F("nb_pays", INTEGER, "Nombre de pays", "Number of countries"),
        F("nb_partenaires", INTEGER, "Nombre de partenaires", "Number of partners"),
        F("type_action_principal", TEXT, "Type d'action principal", "Main type of action", codelist="type_action"),
        F("apd_total", REAL, "APD déclarée, total (euros)", "Declared ODA, total (euros)"),
        F("elu_nom", TEXT, "Élu(e) en charge : nom", "Elected official: name"),
        F("elu_fonction", TEXT, "Élu(e) en charge : fonction", "Elected official: function"),
        F("elu_email", TEXT, "Élu(e) en charge : courriel", "Elected official: e-mail"),
        F("elu_telephone", TEXT, "Élu(e) en charge : téléphone", "Elected official: phone"),
        F(
            "directeur_nom",
            TEXT,
            "Directeur(trice) des relations internationales : nom",
            "Director of international affairs: name",
        ),
        F("directeur_fonction", TEXT, "Directeur(trice) : fonction", "Director: function"),
        F("directeur_email", TEXT, "Directeur(trice) : courriel", "Director: e-mail"),
        F("directeur_telephone", TEXT, "Directeur(trice) : téléphone", "Director: phone"),
        F("date_maj", DATE, "Date de mise à jour", "Last update"),
    ),
    keywords=("collectivités territoriales", "action extérieure"),
)

PARTENAIRES = Collection(
    "partenaires",
    "POINT",
    "Autorités locales partenaires à l'étranger",
    "Foreign partner local authorities",
    "Une autorité locale étrangère partenaire d'au moins un projet, ou en recherche d'un partenaire "
    "français (Bourse projets).",
    "A foreign local authority partner of at least one project, or seeking a French partner (Bourse projets).",
    (
        F("id", TEXT, "Identifiant", "Identifier", nullable=False),
        F("nom", TEXT, "Nom", "Name", searchable=True),
        F("type_partenaire", TEXT, "Type d'autorité", "Type of authority", codelist="type_partenaire", indexed=True),
        F("admin1_nom", TEXT, "Région ou province", "Region or province", searchable=True),
        *_abroad_fields(),
        F("geonameid", INTEGER, "Identifiant GeoNames", "GeoNames identifier"),
        F("precision_geo", TEXT, "Précision de la localisation", "Location precision", codelist="precision_geo"),
        *_count_fields(),
        F(
            "nb_collectivites",
            INTEGER,
            "Nombre de collectivités françaises partenaires",
            "Number of French partner authorities",
        ),
        F(
            "en_recherche",
            BOOLEAN,
            "En recherche de coopération (Bourse)",
            "Seeking cooperation (Bourse)",
            indexed=True,
        ),
        F("nb_demandes", INTEGER, "Demandes de coopération publiées", "Published cooperation requests"),
        F(
            "type_action_principal",
            TEXT,
            "Type d'action principal",
            "Main type of action",
            codelist="type_action",
            indexed=True,
        ),
    ),
    keywords=("autorités locales étrangères", "partenaires"),
)

LIENS = Collection(
    "liens",
    "MULTILINESTRING",
    "Liens de coopération (collectivité française → partenaire)",
    "Cooperation links (French authority → partner)",
    "Un projet comme un flux : ligne géodésique du siège de la collectivité française au lieu du "
    "partenaire, coupée à l'antiméridien (d'où MultiLineString).",
    "One project as a flow: geodesic line from the French authority's seat to the partner's location, "
    "split at the antimeridian (hence MultiLineString).",
    (
        F("id", TEXT, "Identifiant du projet", "Project identifier", nullable=False),
        F("titre", TEXT, "Titre du projet", "Project title", searchable=True),
        F("type_action", TEXT, "Type", "Type", codelist="type_action", indexed=True),
        F("jumelage", BOOLEAN, "Jumelage", "Twinning"),
        F("statut", TEXT, "Statut", "Status", codelist="statut"),
        F("thematique", TEXT, "Thématique (code)", "Theme (code)", codelist="thematique", indexed=True),
        F("annee_lancement", INTEGER, "Année de début du projet", "Start year"),
        F("annee_fin", INTEGER, "Année de fin du projet", "End year"),
        F(
            "collectivite_id",
            TEXT,
            "Collectivité française (identifiant)",
            "French authority (identifier)",
            indexed=True,
        ),
        F("collectivite_nom", TEXT, "Collectivité territoriale française", "French local authority", searchable=True),
        F("type_collectivite", TEXT, "Type de collectivité", "Type of French authority", codelist="type_collectivite"),
        *_france_fields(),
        F("partenaire_id", TEXT, "Partenaire (identifiant)", "Partner (identifier)"),
        F("partenaire_nom", TEXT, "Collectivité locale partenaire", "Partner local authority", searchable=True),
        *_abroad_fields(),
        F("distance_km", REAL, "Distance géodésique (km)", "Geodesic distance (km)"),
    ),
    keywords=("flux", "liens de coopération"),
    time=Period("annee_lancement", "annee_fin"),  # the project's years, as in PROJETS
)
