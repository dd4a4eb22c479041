"""The collections of the atlas and their fields: one schema for every backend.

The GeoPackage build, the PostGIS load, the feature providers (queryables), the CSV exports and the
interchange format all read this package. Geometries are in EPSG:4326 (longitude, latitude, degrees).
Amounts are in euros; years are calendar years; dates are ISO 8601 text (``YYYY-MM-DD``).
"""

from .activities import DEMANDES, PROJETS
from .actors import COLLECTIVITES, LIENS, PARTENAIRES
from .catalogue import COLLECTIONS, DEMANDES_TABLE, collection
from .field_groups import COFINANCEMENT_FIELDS, _abroad_fields, _count_fields, _france_fields, _theme_fields
from .funding import APD, COFINANCEMENTS
from .model import (
    BOOLEAN,
    DATE,
    INTEGER,
    JSON_TYPES,
    PG_TYPES,
    REAL,
    TEXT,
    Collection,
    CoveringIndex,
    F,
    Field,
    Period,
    SortIndex,
)
from .places import DEPARTEMENTS, PAYS, REGIONS, _french_area_collection

__all__ = [
    "APD",
    "BOOLEAN",
    "COFINANCEMENTS",
    "COFINANCEMENT_FIELDS",
    "COLLECTIONS",
    "COLLECTIVITES",
    "Collection",
    "CoveringIndex",
    "DATE",
    "DEMANDES",
    "DEMANDES_TABLE",
    "DEPARTEMENTS",
    "F",
    "Field",
    "INTEGER",
    "JSON_TYPES",
    "LIENS",
    "PARTENAIRES",
    "PAYS",
    "Period",
    "PG_TYPES",
    "PROJETS",
    "REAL",
    "REGIONS",
    "SortIndex",
    "TEXT",
    "_abroad_fields",
    "_count_fields",
    "_france_fields",
    "_french_area_collection",
    "_theme_fields",
    "collection",
]
