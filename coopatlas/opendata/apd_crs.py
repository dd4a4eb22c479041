"""The declared APD as a CSV file in the layout of the OECD Creditor Reporting System (CRS): ``apd-crs.csv``
of the bulk downloads.

One row per line of declaration (collectivity × country × year × DAC sector × channel). Where a column of
the CRS files exists for the same thing, it has the CRS name and CRS content (English names of the OECD
lists); the others keep the atlas's names:

* ``Year``; ``RecipientName`` (English name of the country); ``PurposeCode`` / ``PurposeName`` (5-digit
  DAC purpose code); ``SectorCode`` / ``SectorName`` (its 3-digit DAC sector); ``ChannelCode`` /
  ``ChannelName`` (CRS channel of delivery); the policy markers ``Gender``, ``Environment``,
  ``Biodiversity``, ``ClimateMitigation``, ``ClimateAdaptation``, ``Desertification``, ``Nutrition``
  (0 not targeted, 1 significant, 2 principal; empty: not declared);
* ``EUR_Disbursement``: the amount in **euros** (units, not millions), as declared by the collectivity;
  NOT the ``USD_Disbursement`` of the CRS files (US dollars, millions): no conversion is made;
* the atlas's own: ``id``, ``collectivite_id``, ``collectivite_nom``, ``type_collectivite`` (the CRS
  reports France's local authorities as one agency) and ``pays_code`` (ISO 3166-1 alpha-2: the CRS's
  ``RecipientCode`` is the DAC numeric recipient code, which the atlas does not hold).
"""

from __future__ import annotations

import csv
from pathlib import Path

from .. import vocabulary as voc
from ..store import Store
from ..text import spreadsheet_safe

FILE_NAME = "apd-crs.csv"
MARKER_COLUMNS = [(t.extra["crs"], t.extra["champ"]) for t in voc.MARQUEURS]
COLUMNS = [
    "id",
    "Year",
    "collectivite_id",
    "collectivite_nom",
    "type_collectivite",
    "RecipientName",
    "pays_code",
    "PurposeCode",
    "PurposeName",
    "SectorCode",
    "SectorName",
    "ChannelCode",
    "ChannelName",
    "EUR_Disbursement",
    *(crs for crs, _ in MARKER_COLUMNS),
]


def _group(purpose: str | None) -> str | None:
    if purpose is None:
        return None
    return voc.SECTEURS_CAD[purpose].extra["groupe"] if purpose in voc.SECTEURS_CAD else purpose[:3]


def crs_rows(store: Store) -> list[list]:
    """The APD lines of the atlas in the order of :data:`COLUMNS` (``None`` for NULL), by id."""
    rows = []
    records = store.records(
        "SELECT a.*, p.nom_en AS recipient FROM apd a LEFT JOIN pays p ON p.pays_code = a.pays_code ORDER BY a.id"
    )
    for r in records:
        purpose, channel = r["secteur"], r["canal"]
        group = _group(purpose)
        rows.append(
            [
                r["id"],
                r["annee"],
                r["collectivite_id"],
                r["collectivite_nom"],
                r["type_collectivite"],
                r["recipient"],
                r["pays_code"],
                purpose,
                voc.SECTEURS_CAD.label(purpose, "en"),
                group,
                voc.GROUPES_CAD.label(group, "en"),
                channel,
                voc.CANAUX.label(channel, "en"),
                r["montant"],
                *(r[field] for _, field in MARKER_COLUMNS),
            ]
        )
    return rows


def write_crs_csv(store: Store, path: str | Path) -> int:
    """Write :data:`FILE_NAME` (UTF-8, comma, header line) at ``path``; the number of rows."""
    rows = crs_rows(store)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(["" if v is None else spreadsheet_safe(v) if isinstance(v, str) else v for v in row])
    return len(rows)
