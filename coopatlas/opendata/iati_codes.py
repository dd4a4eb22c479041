"""How the atlas's records map to the IATI 2.03 activity standard: identifiers and codes, written once and
read by both the export (:mod:`coopatlas.opendata.iati`) and the import (:mod:`coopatlas.opendata.iati_import`).

Identifiers (stable across rebuilds: made only of stored identifiers, never of row numbers or dates):

* a French local authority is identified by its SIREN in the SIRENE register kept by INSEE, the
  registration agency ``FR-INSEE`` of IATI's OrganisationRegistrationAgency list (org-id.guide):
  ``FR-INSEE-<SIREN>``. An authority without a SIREN in the atlas gets ``XX-COOPATLAS-<atlas id>``
  (characters other than letters, digits and ``._:-`` replaced by ``_`` in ids)
  (``XX``: no country, no registration agency; the prefix says the identifier is the atlas's own);
* an activity is ``<reporting organisation identifier>-<project id>`` (IATI's rule: the activity
  identifier starts with its reporting organisation's identifier), and the project id is repeated as
  ``other-identifier`` of type ``A1`` (the reporting organisation's internal activity identifier);
* the partner's location carries ``ref="partenaire:<atlas id>"`` and, when known, its GeoNames id
  (``location-id`` of vocabulary ``G1``).

Codes are those of the IATI code lists kept in ``datasets/iati/codelists`` (the tests check each one).
"""

from __future__ import annotations

import re

from .. import vocabulary as voc

IATI_VERSION = "2.03"
SIREN = re.compile(r"\d{9}")
SIREN_PREFIX = "FR-INSEE-"
OWN_PREFIX = "XX-COOPATLAS-"
PARTNER_REF = "partenaire:"
CURRENCY = "EUR"
#: CRS of the point of a location (IATI: "latitude longitude" in WGS 84).
SRS_NAME = "http://www.opengis.net/def/crs/EPSG/0/4326"

# OrganisationType
LOCAL_GOVERNMENT, GOVERNMENT = "11", "10"
# OrganisationRole
ROLE_FUNDING, ROLE_IMPLEMENTING = "1", "4"
# DescriptionType
DESCRIPTION_GENERAL, DESCRIPTION_OTHER = "1", "4"
# ActivityDateType
PLANNED_START, ACTUAL_START, PLANNED_END, ACTUAL_END = "1", "2", "3", "4"
# SectorVocabulary: OECD DAC 5-digit; the reporting organisation's own (the atlas's leaf themes)
SECTOR_DAC, SECTOR_OWN = "1", "99"
# TagVocabulary: the reporting organisation's own
TAG_OWN = "99"
# OtherIdentifierType: the reporting organisation's internal activity identifier
INTERNAL_ID = "A1"
# GeographicVocabulary: GeoNames
GEONAMES = "G1"
# TransactionType: incoming commitment (a co-financing granted to the project)
INCOMING_COMMITMENT = "11"

#: ``statut`` -> IATI ActivityStatus (the mapping of :data:`coopatlas.vocabulary.STATUTS`).
ACTIVITY_STATUS = {t.code: str(t.extra["iati"]) for t in voc.STATUTS}
STATUT_OF_STATUS = {v: k for k, v in ACTIVITY_STATUS.items()}

#: ``precision_geo`` -> (GeographicExactness, GeographicLocationClass, LocationType feature designation).
#: IATI 2.03 has no "precision" of a point (GeographicalPrecision was 1.x): the place's kind says it.
LOCATION_CODES = {
    "localite": ("1", "2", "PPL"),  # exact, populated place
    "admin2": ("2", "1", "ADM2"),  # approximate, second-order administrative division
    "admin1": ("2", "1", "ADM1"),  # approximate, first-order administrative division
    "pays": ("2", "1", "PCLI"),  # approximate, independent political entity
}
PRECISION_OF_FEATURE = {codes[2]: precision for precision, codes in LOCATION_CODES.items()}

#: ``type_partenaire`` -> OrganisationType of the implementing partner.
PARTNER_TYPE = {"localite": LOCAL_GOVERNMENT, "region": LOCAL_GOVERNMENT, "etat": GOVERNMENT}

#: ``cofinancement`` -> OrganisationType of the co-financer (a funding participating organisation).
COFINANCER_TYPE = {"mae": "10", "afd": "10", "ue": "40", "agence_eau": "15", "collectivite": "11", "autre": "90"}

#: The atlas's own codes carried as tags of vocabulary 99 (``<name>:<value>``), restored by the import.
TAG_FIELDS = ("type_action", "jumelage", "loi_oudin", "annee_convention", "type_collectivite", "type_partenaire")

#: Said by every activity (a description of type 4, Other): why it holds no per-project amount, and its dates.
NOTE = {
    "fr": "L'APD des collectivités est déclarée par collectivité, pays et année, non par projet : aucun montant "
    "par projet. Transactions : les seuls cofinancements connus. Dates : l'atlas ne connaît que les années.",
    "en": "Local authorities declare ODA per authority, country and year, not per project: no per-project "
    "amount. Transactions: the known co-financings only. Dates: the atlas knows years only.",
}


#: Characters IATI identifiers avoid (``/``, ``&``, ``|``, ``?``, white space...): replaced by ``_``.
UNSAFE = re.compile(r"[^A-Za-z0-9._:-]")


def safe(part: str) -> str:
    """An atlas id as a part of an IATI identifier."""
    return UNSAFE.sub("_", str(part))


def organisation_ref(siren: str | None, collectivite_id: str) -> str:
    """The IATI organisation identifier of a French local authority (see the module documentation)."""
    siren = (siren or "").replace(" ", "")
    if SIREN.fullmatch(siren):
        return SIREN_PREFIX + siren
    return OWN_PREFIX + safe(collectivite_id)


def activity_identifier(org_ref: str, projet_id: str) -> str:
    """``<organisation>-<project id>`` (the project id as is in ``other-identifier``)."""
    return f"{org_ref}-{safe(projet_id)}"


def is_french_local_authority(org_ref: str | None) -> bool:
    """True for the identifiers this module gives French local authorities."""
    org_ref = org_ref or ""
    return bool(
        (org_ref.startswith(SIREN_PREFIX) and SIREN.fullmatch(org_ref[len(SIREN_PREFIX) :]))
        or (org_ref.startswith(OWN_PREFIX) and len(org_ref) > len(OWN_PREFIX))
    )
