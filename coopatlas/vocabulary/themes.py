"""Themes in three levels, each leaf mapped to an OECD DAC 5-digit purpose code."""

from __future__ import annotations

from .model import CodeList, Term

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
