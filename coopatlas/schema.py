"""The collections of the atlas and their fields: one schema for every backend.

The GeoPackage build, the PostGIS load, the feature providers (queryables), the CSV exports and the
interchange format all read this module. Geometries are in EPSG:4326 (longitude, latitude, degrees).
Amounts are in euros; years are calendar years; dates are ISO 8601 text (``YYYY-MM-DD``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import vocabulary as voc

#: SQL types used by the schema (GeoPackage declared types; PostgreSQL equivalents in ``PG_TYPES``).
TEXT, INTEGER, REAL, BOOLEAN, DATE = "TEXT", "INTEGER", "REAL", "BOOLEAN", "DATE"
PG_TYPES = {TEXT: "text", INTEGER: "integer", REAL: "double precision", BOOLEAN: "boolean", DATE: "date"}
JSON_TYPES = {TEXT: "string", INTEGER: "integer", REAL: "number", BOOLEAN: "boolean", DATE: "string"}


@dataclass(frozen=True)
class Field:
    """One attribute of a collection.

    ``codelist`` names a list of :data:`coopatlas.vocabulary.CODE_LISTS` that constrains the values;
    ``indexed`` asks the builders for an index (search fields); ``searchable`` puts the field in the
    accent-insensitive keyword search (``q=``).
    """

    name: str
    type: str
    fr: str
    en: str
    codelist: str | None = None
    indexed: bool = False
    searchable: bool = False
    nullable: bool = True

    @property
    def vocabulary(self) -> voc.CodeList | None:
        return voc.CODE_LISTS[self.codelist] if self.codelist else None


@dataclass(frozen=True)
class Collection:
    """One OGC API Features collection, stored as one table (or view) of the same name."""

    id: str
    geometry: str | None  # "POINT", "MULTIPOLYGON", "MULTILINESTRING" or None
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    fields: tuple[Field, ...]
    id_field: str = "id"
    keywords: tuple[str, ...] = ()
    table: str | None = None  # the stored table or view, when it differs from ``id``
    extra: dict = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.table or self.id

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.id} has no field {name!r}")

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def F(name, type_, fr, en="", **kw) -> Field:  # noqa: N802 - a short constructor for the tables below
    return Field(name, type_, fr, en or fr, **kw)


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
)

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
)

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
)

#: Every collection, in the order the server lists them.
COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        PROJETS,
        DEMANDES,
        COLLECTIVITES,
        PARTENAIRES,
        LIENS,
        PAYS,
        REGIONS,
        DEPARTEMENTS,
        APD,
        COFINANCEMENTS,
    )
}

#: The private table behind ``demandes``: every request, whatever its validation status. The public
#: collection is a view of it restricted to :data:`coopatlas.vocabulary.STATUTS_VALIDATION_PUBLICS`.
DEMANDES_TABLE = "bourse_demandes"


def collection(cid: str) -> Collection:
    """The collection ``cid``; ``KeyError`` naming the known ids otherwise."""
    try:
        return COLLECTIONS[cid]
    except KeyError:
        raise KeyError(f"unknown collection {cid!r}; known: {', '.join(COLLECTIONS)}") from None
