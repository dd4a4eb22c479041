"""The one vocabulary of the atlas: codes, French and English labels, colours.

Every code list that the server, the processes and the QGIS plugin use is defined in this package, once.
The server publishes these lists (``/queryables`` enums, collection metadata, the ``vocabulaire``
endpoint); the QGIS plugin reads them from the server and hard-codes none of them; the style files in
``styles/`` are generated from :data:`PALETTE` and the lists of its modules.

Codes are French, ASCII, ``snake_case``. Every code has a French (``fr``) and an English (``en``)
label. Where an international code list exists, the mapping to it is given (IATI ActivityStatus,
IATI GeographicalPrecision, OECD DAC 5-digit purpose codes, UN M49 geoscheme); the OECD DAC/CRS lists of
the APD declaration (sectors, channels, policy markers) are read from the IATI replicas kept in
``datasets/iati/codelists`` (:mod:`.dac`).
"""

from .code_lists import CODE_LISTS, vocabulary_json
from .dac import CANAUX, GROUPES_CAD, MARQUEURS, SCORES_MARQUEUR, SECTEURS_CAD, canal_agrege, champs_marqueurs
from .geography import CONTINENTS, SOUS_CONTINENTS
from .model import CodeList, Term, _terms
from .palette import PALETTE
from .records import (
    COFINANCEMENTS,
    COULEURS_TYPE_ACTION,
    PRECISIONS_GEO,
    STATUTS,
    STATUTS_VALIDATION,
    STATUTS_VALIDATION_PUBLICS,
    TYPES_ACTION,
    TYPES_ACTION_PROJET,
    TYPES_COLLECTIVITE,
    TYPES_PARTENAIRE,
)
from .themes import _THEMES_TREE, SOUS_SOUS_THEMATIQUES, SOUS_THEMATIQUES, THEMATIQUES, secteur_cad

__all__ = [
    "CANAUX",
    "GROUPES_CAD",
    "MARQUEURS",
    "SCORES_MARQUEUR",
    "SECTEURS_CAD",
    "canal_agrege",
    "champs_marqueurs",
    "CODE_LISTS",
    "COFINANCEMENTS",
    "CONTINENTS",
    "COULEURS_TYPE_ACTION",
    "PALETTE",
    "PRECISIONS_GEO",
    "SOUS_CONTINENTS",
    "SOUS_SOUS_THEMATIQUES",
    "SOUS_THEMATIQUES",
    "STATUTS",
    "STATUTS_VALIDATION",
    "STATUTS_VALIDATION_PUBLICS",
    "THEMATIQUES",
    "TYPES_ACTION",
    "TYPES_ACTION_PROJET",
    "TYPES_COLLECTIVITE",
    "TYPES_PARTENAIRE",
    "CodeList",
    "Term",
    "_THEMES_TREE",
    "_terms",
    "secteur_cad",
    "vocabulary_json",
]
