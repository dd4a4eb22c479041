"""The base tables of an atlas, before derivation: what the demo generator and the importers produce.

Each table is a :class:`pandas.DataFrame` (a GeoDataFrame-compatible ``geometry`` column of shapely
points in EPSG:4326 for collectivites, partenaires and demandes). Only the *base* fields are required:
names of places, counts, labels and flows are derived by :mod:`coopatlas.data.derive`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .. import vocabulary as voc

#: Required base fields of each table (the interchange format's columns, besides lon/lat).
BASE_FIELDS = {
    "collectivites": [
        "id",
        "nom",
        "type_collectivite",
        "code_insee",
        "siren",
        "code_region",
        "code_departement",
        "elu_nom",
        "elu_fonction",
        "elu_email",
        "elu_telephone",
        "directeur_nom",
        "directeur_fonction",
        "directeur_email",
        "directeur_telephone",
        "date_maj",
    ],
    "partenaires": [
        "id",
        "nom",
        "type_partenaire",
        "pays_code",
        "admin1_nom",
        "geonameid",
        "precision_geo",
        "en_recherche",
    ],
    "projets": [
        "id",
        "collectivite_id",
        "partenaire_id",
        "titre",
        "description",
        "type_action",
        "jumelage",
        "statut",
        "thematique",
        "sous_thematique",
        "sous_sous_thematique",
        "annee_convention",
        "annee_lancement",
        "annee_fin",
        "cofinancement_types",
        "loi_oudin",
        "date_maj",
    ],
    "demandes": [
        "id",
        "titre",
        "description",
        "demandeur_id",
        "demandeur_nom",
        "pays_code",
        "thematique",
        "sous_thematique",
        "sous_sous_thematique",
        "profil_partenaire",
        "langues",
        "contact_nom",
        "contact_email",
        "statut_validation",
        "date_depot",
        "date_validation",
    ],
    "apd": [
        "id",
        "collectivite_id",
        "pays_code",
        "annee",
        "secteur",
        "canal",
        "montant",
        *(t.extra["champ"] for t in voc.MARQUEURS),
    ],
    "cofinancements": ["id", "projet_id", "type_cofinancement", "annee", "montant"],
}
#: Tables whose rows carry a point (interchange: ``lon``/``lat`` columns, EPSG:4326 degrees).
POINT_TABLES = ("collectivites", "partenaires", "demandes")


@dataclass
class AtlasTables:
    """The base tables of one atlas plus its metadata (``synthetique``, notices, date of the data)."""

    collectivites: pd.DataFrame
    partenaires: pd.DataFrame
    projets: pd.DataFrame
    demandes: pd.DataFrame
    apd: pd.DataFrame
    cofinancements: pd.DataFrame
    metadata: dict = field(default_factory=dict)

    def tables(self) -> dict[str, pd.DataFrame]:
        return {name: getattr(self, name) for name in BASE_FIELDS}
