"""Code lists of the records: families of actions and their colours, statuses, kinds of local
authorities and partners, request statuses, co-funders, geographical precision."""

from __future__ import annotations

from .model import CodeList, _terms

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
