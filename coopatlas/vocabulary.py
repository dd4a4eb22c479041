"""The one vocabulary of the atlas: codes, French and English labels, colours.

Every code list that the server, the processes and the QGIS plugin use is defined here, once.
The server publishes these lists (``/queryables`` enums, collection metadata, the ``vocabulaire``
endpoint); the QGIS plugin reads them from the server and hard-codes none of them; the style files in
``styles/`` are generated from :data:`PALETTE` and the lists below.

Codes are French, ASCII, ``snake_case``. Every code has a French (``fr``) and an English (``en``)
label. Where an international code list exists, the mapping to it is given (IATI ActivityStatus,
IATI GeographicalPrecision, OECD DAC 5-digit purpose codes, UN M49 geoscheme).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One entry of a code list.

    ``extra`` carries the mapping to an external code list (e.g. ``{"iati": 2}``) or a colour.
    """

    code: str
    fr: str
    en: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def label(self, lang: str = "fr") -> str:
        """The label in ``lang`` (``"fr"`` or ``"en"``); French for any other value."""
        return self.en if lang == "en" else self.fr


class CodeList:
    """An ordered, immutable list of :class:`Term` looked up by code."""

    def __init__(self, name: str, terms: Iterable[Term]):
        self.name = name
        self.terms: tuple[Term, ...] = tuple(terms)
        self._by_code = {t.code: t for t in self.terms}
        if len(self._by_code) != len(self.terms):
            raise ValueError(f"duplicate code in {name}")

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Term:
        return self._by_code[code]

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str | None, lang: str = "fr") -> str | None:
        """Label of ``code``; ``None`` for ``None``; the code itself if unknown."""
        if code is None:
            return None
        term = self._by_code.get(code)
        return term.label(lang) if term else code

    def as_json(self) -> list[dict]:
        """The list as JSON-ready dicts: ``code``, ``fr``, ``en`` and the extra mappings."""
        return [{"code": t.code, "fr": t.fr, "en": t.en, **t.extra} for t in self.terms]


def _terms(rows) -> list[Term]:
    """Terms from ``(code, fr, en[, extra])`` tuples."""
    return [Term(r[0], r[1], r[2], dict(r[3]) if len(r) > 3 else {}) for r in rows]


# --- Families of records and their colours --------------------------------------------------------

COULEURS_TYPE_ACTION = {
    "cooperation_decentralisee": "#1f5fbf",  # blue
    "action_exterieure": "#f2c500",  # yellow
    "demande_cooperation": "#d62728",  # red
}

TYPES_ACTION = CodeList(
    "type_action",
    _terms(
        [
            (
                "cooperation_decentralisee",
                "Coopération décentralisée",
                "Decentralised cooperation",
                {"couleur": COULEURS_TYPE_ACTION["cooperation_decentralisee"]},
            ),
            (
                "action_exterieure",
                "Autre action extérieure",
                "Other external action",
                {"couleur": COULEURS_TYPE_ACTION["action_exterieure"]},
            ),
            (
                "demande_cooperation",
                "Demande de coopération (Bourse projets)",
                "Cooperation request (Bourse projets)",
                {"couleur": COULEURS_TYPE_ACTION["demande_cooperation"]},
            ),
        ]
    ),
)

#: The two families a project (``projets``) can have; requests are the third family.
TYPES_ACTION_PROJET = ("cooperation_decentralisee", "action_exterieure")

STATUTS = CodeList(
    "statut",
    _terms(
        [
            ("en_projet", "En projet", "Planned", {"iati": 1}),
            ("en_cours", "En cours", "Ongoing", {"iati": 2}),
            ("termine", "Terminé", "Completed", {"iati": 4}),
            ("suspendu", "Suspendu", "Suspended", {"iati": 6}),
        ]
    ),
)

TYPES_COLLECTIVITE = CodeList(
    "type_collectivite",
    _terms(
        [
            ("region", "Conseil régional", "Regional council", {"couleur": "#6a3d9a"}),
            ("departement", "Conseil départemental (général)", "Departmental council", {"couleur": "#33a02c"}),
            ("commune", "Commune", "Municipality", {"couleur": "#1f78b4"}),
            ("epci", "Structure intercommunale", "Inter-municipal body (EPCI)", {"couleur": "#ff7f00"}),
            ("outre_mer", "Collectivité d'outre-mer", "Overseas collectivity", {"couleur": "#b15928"}),
            ("autre", "Autre (syndicat, ...)", "Other (syndicate, ...)", {"couleur": "#7f7f7f"}),
        ]
    ),
)

TYPES_PARTENAIRE = CodeList(
    "type_partenaire",
    _terms(
        [
            ("localite", "Collectivité locale (ville, commune)", "Local authority (city, municipality)"),
            ("region", "Collectivité régionale (province, région)", "Regional authority (province, region)"),
            ("etat", "Autorité nationale ou fédérée", "National or federated authority"),
        ]
    ),
)

STATUTS_VALIDATION = CodeList(
    "statut_validation",
    _terms(
        [
            ("soumise", "Soumise, en attente de l'ambassade", "Submitted, awaiting the embassy"),
            ("a_completer", "À compléter", "To be completed"),
            ("validee", "Validée par l'ambassade", "Validated by the embassy"),
            ("rejetee", "Rejetée", "Rejected"),
            ("pourvue", "Pourvue (partenaire français trouvé)", "Matched (French partner found)"),
        ]
    ),
)

#: Only these request statuses are public; the others are seen by the embassy and administrators only.
STATUTS_VALIDATION_PUBLICS = ("validee", "pourvue")

COFINANCEMENTS = CodeList(
    "cofinancement",
    _terms(
        [
            (
                "mae",
                "Ministère des Affaires étrangères (appels à projets DAECT)",
                "Ministry of Foreign Affairs (DAECT calls for projects)",
            ),
            ("afd", "Agence française de développement (FICOL)", "French Development Agency (FICOL)"),
            ("ue", "Union européenne", "European Union"),
            ("agence_eau", "Agence de l'eau", "Water agency"),
            ("collectivite", "Autre collectivité", "Another local authority"),
            ("autre", "Autre cofinancement", "Other co-financing"),
        ]
    ),
)

PRECISIONS_GEO = CodeList(
    "precision_geo",
    _terms(
        [
            ("localite", "Localité", "Locality", {"iati": 2}),
            (
                "admin2",
                "Subdivision de second niveau (district, powiat)",
                "Second-order administrative division",
                {"iati": 3},
            ),
            ("admin1", "Région ou province (admin-1)", "First-order administrative division", {"iati": 4}),
            ("pays", "Pays", "Country", {"iati": 6}),
        ]
    ),
)

# --- Geography abroad: UN M49 geoscheme, French labels -------------------------------------------

CONTINENTS = CodeList(
    "continent",
    _terms(
        [
            ("afrique", "Afrique", "Africa"),
            ("ameriques", "Amériques", "Americas"),
            ("asie", "Asie", "Asia"),
            ("europe", "Europe", "Europe"),
            ("oceanie", "Océanie", "Oceania"),
            ("antarctique", "Antarctique", "Antarctica"),
        ]
    ),
)

SOUS_CONTINENTS = CodeList(
    "sous_continent",
    _terms(
        [
            ("afrique_du_nord", "Afrique du Nord", "Northern Africa", {"continent": "afrique"}),
            ("afrique_de_l_ouest", "Afrique de l'Ouest", "Western Africa", {"continent": "afrique"}),
            ("afrique_centrale", "Afrique centrale", "Middle Africa", {"continent": "afrique"}),
            ("afrique_de_l_est", "Afrique de l'Est", "Eastern Africa", {"continent": "afrique"}),
            ("afrique_australe", "Afrique australe", "Southern Africa", {"continent": "afrique"}),
            ("amerique_du_nord", "Amérique du Nord", "Northern America", {"continent": "ameriques"}),
            ("amerique_centrale", "Amérique centrale", "Central America", {"continent": "ameriques"}),
            ("caraibes", "Caraïbes", "Caribbean", {"continent": "ameriques"}),
            ("amerique_du_sud", "Amérique du Sud", "South America", {"continent": "ameriques"}),
            ("asie_centrale", "Asie centrale", "Central Asia", {"continent": "asie"}),
            ("asie_de_l_est", "Asie de l'Est", "Eastern Asia", {"continent": "asie"}),
            ("asie_du_sud_est", "Asie du Sud-Est", "South-Eastern Asia", {"continent": "asie"}),
            ("asie_du_sud", "Asie du Sud", "Southern Asia", {"continent": "asie"}),
            ("asie_de_l_ouest", "Asie de l'Ouest (Moyen-Orient)", "Western Asia (Middle East)", {"continent": "asie"}),
            ("europe_du_nord", "Europe du Nord", "Northern Europe", {"continent": "europe"}),
            ("europe_de_l_ouest", "Europe de l'Ouest", "Western Europe", {"continent": "europe"}),
            ("europe_de_l_est", "Europe de l'Est", "Eastern Europe", {"continent": "europe"}),
            ("europe_du_sud", "Europe du Sud", "Southern Europe", {"continent": "europe"}),
            (
                "australie_nouvelle_zelande",
                "Australie et Nouvelle-Zélande",
                "Australia and New Zealand",
                {"continent": "oceanie"},
            ),
            ("melanesie", "Mélanésie", "Melanesia", {"continent": "oceanie"}),
            ("micronesie", "Micronésie", "Micronesia", {"continent": "oceanie"}),
            ("polynesie", "Polynésie", "Polynesia", {"continent": "oceanie"}),
            ("antarctique", "Antarctique", "Antarctica", {"continent": "antarctique"}),
        ]
    ),
)

# --- Themes: three levels, each leaf mapped to an OECD DAC 5-digit purpose code -------------------
# (code, fr, en, children) ; leaves: (code, fr, en, dac)

_THEMES_TREE = [
    (
        "gouvernance",
        "Gouvernance et appui institutionnel",
        "Governance and institutional support",
        [
            (
                "decentralisation",
                "Décentralisation et gouvernance locale",
                "Decentralisation and local governance",
                [
                    ("appui_decentralisation", "Appui à la décentralisation", "Support to decentralisation", "15112"),
                    (
                        "gestion_municipale",
                        "Gestion et services municipaux",
                        "Municipal management and services",
                        "15110",
                    ),
                ],
            ),
            (
                "finances_locales",
                "Finances locales",
                "Local finance",
                [
                    ("fiscalite_locale", "Fiscalité et budget locaux", "Local taxation and budgets", "15111"),
                ],
            ),
            (
                "democratie_locale",
                "Démocratie locale et société civile",
                "Local democracy and civil society",
                [
                    ("participation_citoyenne", "Participation citoyenne", "Citizen participation", "15150"),
                    ("etat_civil", "État civil", "Civil registration", "15110"),
                ],
            ),
        ],
    ),
    (
        "eau_assainissement",
        "Eau et assainissement",
        "Water and sanitation",
        [
            (
                "eau_potable",
                "Eau potable",
                "Drinking water",
                [
                    ("acces_eau_potable", "Accès à l'eau potable", "Access to drinking water", "14031"),
                    (
                        "eau_et_assainissement_base",
                        "Eau et assainissement de base",
                        "Basic water and sanitation",
                        "14030",
                    ),
                ],
            ),
            (
                "assainissement",
                "Assainissement",
                "Sanitation",
                [
                    ("assainissement_base", "Assainissement de base", "Basic sanitation", "14032"),
                ],
            ),
            (
                "ressource_en_eau",
                "Gestion de la ressource en eau",
                "Water resource management",
                [
                    (
                        "gestion_integree_eau",
                        "Gestion intégrée de la ressource",
                        "Integrated water resource management",
                        "14015",
                    ),
                ],
            ),
        ],
    ),
    (
        "education_jeunesse",
        "Éducation et jeunesse",
        "Education and youth",
        [
            (
                "education",
                "Éducation",
                "Education",
                [
                    ("education_primaire", "Éducation primaire", "Primary education", "11220"),
                    ("enseignement_superieur", "Enseignement supérieur", "Higher education", "11420"),
                ],
            ),
            (
                "formation",
                "Formation professionnelle",
                "Vocational training",
                [
                    ("formation_professionnelle", "Formation professionnelle", "Vocational training", "11330"),
                ],
            ),
            (
                "jeunesse",
                "Jeunesse et échanges",
                "Youth and exchanges",
                [
                    ("echanges_jeunes", "Échanges de jeunes", "Youth exchanges", "11230"),
                ],
            ),
        ],
    ),
    (
        "sante",
        "Santé",
        "Health",
        [
            (
                "soins_base",
                "Soins de santé de base",
                "Basic health care",
                [
                    ("centres_sante", "Centres de santé", "Health centres", "12220"),
                    ("nutrition", "Nutrition", "Nutrition", "12240"),
                ],
            ),
            (
                "prevention",
                "Prévention et éducation sanitaire",
                "Prevention and health education",
                [
                    ("education_sanitaire", "Éducation sanitaire", "Health education", "12261"),
                ],
            ),
        ],
    ),
    (
        "agriculture",
        "Agriculture et sécurité alimentaire",
        "Agriculture and food security",
        [
            (
                "developpement_agricole",
                "Développement agricole",
                "Agricultural development",
                [
                    ("appui_agriculteurs", "Appui aux agriculteurs", "Support to farmers", "31120"),
                    ("cultures_vivrieres", "Cultures vivrières", "Food crop production", "31161"),
                ],
            ),
            (
                "securite_alimentaire",
                "Sécurité alimentaire",
                "Food security",
                [
                    (
                        "securite_alimentaire_programmes",
                        "Programmes de sécurité alimentaire",
                        "Food security programmes",
                        "52010",
                    ),
                ],
            ),
        ],
    ),
    (
        "developpement_urbain",
        "Développement urbain et aménagement",
        "Urban development and planning",
        [
            (
                "urbanisme",
                "Urbanisme et gestion urbaine",
                "Urban planning and management",
                [
                    ("planification_urbaine", "Planification urbaine", "Urban planning", "43030"),
                    ("habitat", "Habitat", "Housing", "16030"),
                ],
            ),
            (
                "developpement_rural",
                "Développement rural",
                "Rural development",
                [
                    ("amenagement_rural", "Aménagement rural", "Rural development", "43040"),
                ],
            ),
            (
                "transports",
                "Transports",
                "Transport",
                [
                    ("transports_urbains", "Transports urbains", "Urban transport", "21020"),
                ],
            ),
        ],
    ),
    (
        "environnement",
        "Environnement, climat et énergie",
        "Environment, climate and energy",
        [
            (
                "environnement_biodiversite",
                "Environnement et biodiversité",
                "Environment and biodiversity",
                [
                    ("politique_environnement", "Politique environnementale", "Environmental policy", "41010"),
                    ("biodiversite", "Biodiversité", "Biodiversity", "41030"),
                ],
            ),
            (
                "dechets",
                "Déchets",
                "Waste",
                [
                    ("gestion_dechets", "Gestion des déchets", "Waste management", "14050"),
                ],
            ),
            (
                "energie_climat",
                "Énergie et climat",
                "Energy and climate",
                [
                    ("energies_renouvelables", "Énergies renouvelables", "Renewable energy", "23210"),
                    ("climat", "Adaptation au changement climatique", "Climate change adaptation", "41020"),
                ],
            ),
        ],
    ),
    (
        "economie_tourisme",
        "Développement économique et tourisme",
        "Economic development and tourism",
        [
            (
                "developpement_economique",
                "Développement économique local",
                "Local economic development",
                [
                    ("appui_entreprises", "Appui aux petites entreprises", "Small business support", "32130"),
                    ("microfinance", "Microfinance", "Microfinance", "24040"),
                ],
            ),
            (
                "tourisme",
                "Tourisme",
                "Tourism",
                [
                    ("tourisme_responsable", "Tourisme responsable", "Responsible tourism", "33210"),
                ],
            ),
        ],
    ),
    (
        "culture_patrimoine_sport",
        "Culture, patrimoine et sport",
        "Culture, heritage and sport",
        [
            (
                "culture",
                "Culture",
                "Culture",
                [
                    ("echanges_culturels", "Échanges culturels", "Cultural exchanges", "16061"),
                ],
            ),
            (
                "patrimoine",
                "Patrimoine",
                "Heritage",
                [
                    ("valorisation_patrimoine", "Valorisation du patrimoine", "Heritage enhancement", "16066"),
                ],
            ),
            (
                "sport",
                "Sport",
                "Sport",
                [
                    ("echanges_sportifs", "Échanges sportifs", "Sports exchanges", "16065"),
                ],
            ),
        ],
    ),
    (
        "action_sociale",
        "Action sociale et solidarité",
        "Social action and solidarity",
        [
            (
                "protection_sociale",
                "Protection sociale",
                "Social protection",
                [
                    (
                        "aide_sociale",
                        "Aide sociale (jeunes, personnes âgées, familles)",
                        "Social welfare (youth, elderly, families)",
                        "16010",
                    ),
                    ("handicap", "Handicap", "Disability", "16010"),
                ],
            ),
            (
                "egalite",
                "Égalité femmes-hommes",
                "Gender equality",
                [
                    ("droits_femmes", "Droits des femmes", "Women's rights", "15170"),
                ],
            ),
        ],
    ),
    (
        "urgence_humanitaire",
        "Urgence et aide humanitaire",
        "Emergency and humanitarian aid",
        [
            (
                "urgence",
                "Aide d'urgence",
                "Emergency response",
                [
                    ("secours", "Secours matériels", "Material relief", "72010"),
                    ("aide_alimentaire_urgence", "Aide alimentaire d'urgence", "Emergency food assistance", "72040"),
                ],
            ),
            (
                "reconstruction",
                "Reconstruction et prévention des catastrophes",
                "Reconstruction and disaster prevention",
                [
                    ("reconstruction_post_crise", "Reconstruction", "Reconstruction", "73010"),
                    ("prevention_catastrophes", "Prévention des catastrophes", "Disaster prevention", "74020"),
                ],
            ),
        ],
    ),
    (
        "sensibilisation",
        "Sensibilisation au développement",
        "Development awareness",
        [
            (
                "education_citoyennete",
                "Éducation à la citoyenneté mondiale",
                "Global citizenship education",
                [
                    ("sensibilisation_publics", "Sensibilisation des publics", "Public awareness", "99820"),
                ],
            ),
        ],
    ),
    # The Atlas's own records printed in its guide show the legacy catch-all theme "Aide".
    (
        "aide",
        "Aide",
        "Aid (theme not specified)",
        [
            (
                "aide_non_specifiee",
                "Aide (non spécifiée)",
                "Aid (not specified)",
                [
                    ("aide_non_specifiee", "Aide (non spécifiée)", "Aid (not specified)", "99810"),
                ],
            ),
        ],
    ),
]

THEMATIQUES = CodeList("thematique", [Term(c, fr, en) for c, fr, en, _ in _THEMES_TREE])
SOUS_THEMATIQUES = CodeList(
    "sous_thematique",
    [Term(sc, sfr, sen, {"thematique": c}) for c, _, _, subs in _THEMES_TREE for sc, sfr, sen, _ in subs],
)
SOUS_SOUS_THEMATIQUES = CodeList(
    "sous_sous_thematique",
    [
        Term(lc, lfr, len_, {"sous_thematique": sc, "thematique": c, "secteur_cad": dac})
        for c, _, _, subs in _THEMES_TREE
        for sc, _, _, leaves in subs
        for lc, lfr, len_, dac in leaves
    ],
)


def secteur_cad(sous_sous_thematique: str) -> str:
    """OECD DAC 5-digit purpose code of a leaf theme."""
    return SOUS_SOUS_THEMATIQUES[sous_sous_thematique].extra["secteur_cad"]


# --- Palette for choropleths and sizes (styles are generated from it) -------------------------------

PALETTE = {
    "type_action": COULEURS_TYPE_ACTION,
    "type_collectivite": {t.code: t.extra["couleur"] for t in TYPES_COLLECTIVITE},
    # Sequential ramp (light to dark blue) for counts of projects on countries, regions, departments.
    "choroplethe": ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    "sans_donnee": "#d9d9d9",
    "contour": "#666666",
    "mer": "#dcebf5",
    "voisins": "#e6e6e6",
}

#: Every code list, by the field name it constrains.
CODE_LISTS: dict[str, CodeList] = {
    "type_action": TYPES_ACTION,
    "statut": STATUTS,
    "type_collectivite": TYPES_COLLECTIVITE,
    "type_partenaire": TYPES_PARTENAIRE,
    "statut_validation": STATUTS_VALIDATION,
    "cofinancement": COFINANCEMENTS,
    "precision_geo": PRECISIONS_GEO,
    "continent": CONTINENTS,
    "sous_continent": SOUS_CONTINENTS,
    "thematique": THEMATIQUES,
    "sous_thematique": SOUS_THEMATIQUES,
    "sous_sous_thematique": SOUS_SOUS_THEMATIQUES,
}


def vocabulary_json() -> dict:
    """Every code list as JSON, as the server publishes it."""
    return {name: cl.as_json() for name, cl in CODE_LISTS.items()}
