"""The geocoding report: where each partner and French collectivity was placed, for a human to check."""

from __future__ import annotations

import csv
import io

from .registries import Collectivities, Partners

REPORT_COLUMNS = [
    "objet",
    "id",
    "nom",
    "type",
    "pays_code",
    "pays_nom",
    "precision_geo",
    "lieu_retenu",
    "geonameid",
    "admin1_nom",
    "code_insee",
    "lon",
    "lat",
    "nb_lignes",
    "premiere_ligne",
    "remarque",
]
REPORT_FILE = "rapport_geocodage.csv"
_PRECISION_ORDER = {"pays": 0, "admin1": 1, "admin2": 2, "localite": 3}


def report_rows(colls: Collectivities, parts: Partners) -> list[dict]:
    """One row per partner (those placed at the country first, then admin-1, then localities), then one
    per French collectivity whose placement deserves a look (approximate seat, homonyms)."""
    gz = parts.gazetteer
    rows = []
    for item in sorted(parts.items.values(), key=lambda i: (_PRECISION_ORDER[i.place.precision_geo], i.id)):
        p = item.place
        rows.append(
            dict(
                objet="partenaire",
                id=item.id,
                nom=item.nom,
                type=p.type_partenaire,
                pays_code=item.pays_code,
                pays_nom=gz.country_name(item.pays_code),
                precision_geo=p.precision_geo,
                lieu_retenu=p.lieu,
                geonameid=p.geonameid,
                admin1_nom=p.admin1_nom,
                code_insee=None,
                lon=round(p.geometry.x, 6),
                lat=round(p.geometry.y, 6),
                nb_lignes=item.rows,
                premiere_ligne=item.first,
                remarque=item.note,
            )
        )
    for item in sorted(colls.items.values(), key=lambda i: i.id):
        s = item.seat
        rows.append(
            dict(
                objet="collectivite",
                id=item.id,
                nom=item.nom,
                type=s.type_collectivite,
                pays_code="FR",
                pays_nom="France",
                precision_geo=None,
                lieu_retenu=s.reference_nom,
                geonameid=None,
                admin1_nom=None,
                code_insee=s.code_insee or s.siren,
                lon=round(s.geometry.x, 6),
                lat=round(s.geometry.y, 6),
                nb_lignes=item.rows,
                premiere_ligne=item.first,
                remarque=item.note,
            )
        )
    return rows


def report_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, REPORT_COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r[k]) for k in REPORT_COLUMNS})
    return buf.getvalue()
