"""Every code list by the field name it constrains, and the JSON the server publishes."""

from __future__ import annotations

from .dac import CANAUX, GROUPES_CAD, MARQUEURS, SCORES_MARQUEUR, SECTEURS_CAD
from .geography import CONTINENTS, SOUS_CONTINENTS
from .model import CodeList
from .records import (
    COFINANCEMENTS,
    PRECISIONS_GEO,
    STATUTS,
    STATUTS_VALIDATION,
    TYPES_ACTION,
    TYPES_COLLECTIVITE,
    TYPES_PARTENAIRE,
)
from .themes import SOUS_SOUS_THEMATIQUES, SOUS_THEMATIQUES, THEMATIQUES

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
    "secteur_cad": SECTEURS_CAD,
    "groupe_cad": GROUPES_CAD,
    "canal": CANAUX,
    "marqueur": MARQUEURS,
    "score_marqueur": SCORES_MARQUEUR,
}


def vocabulary_json() -> dict:
    """Every code list as JSON, as the server publishes it."""
    return {name: cl.as_json() for name, cl in CODE_LISTS.items()}
