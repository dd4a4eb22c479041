"""The figures of a :func:`coopatlas.stats.statistics` result as tables: the CSV export of the
``statistiques`` process and the data tables printed under the charts.

The CSV is one long table, one line per figure, comma-separated, UTF-8::

    section,rang,code,libelle,valeur,pourcentage
    indicateurs,,projets_cooperation_decentralisee,Projets de coopération décentralisée,12731,
    apd,,2012,APD déclarée 2012 (euros),64884374,
    top_collectivites,1,COL00001,Paris (Commune),344,
    repartition_continents,,afrique,Afrique,4388,32.58

``valeur`` is a count, or an amount in euros for the ``apd*`` sections; ``pourcentage`` is a percentage of
the projects (0-100) for the ``repartition_*`` sections, of the declared APD for ``apd_secteur`` (per DAC
group), ``apd_canal`` (per channel of delivery) and ``apd_marqueur`` (per OECD policy marker: the APD that
targets it, principal or significant objective). Column names are the same in both languages; the
labels follow ``lang``.
"""

from __future__ import annotations

import csv
import io

from .. import vocabulary as voc
from ..documents.texts import Texts

TEXTS = Texts(
    {
        # the counts of the Atlas's "Etat" panel
        "collectivites_francaises_engagees": (
            "Collectivités territoriales françaises engagées",
            "French local authorities engaged",
        ),
        "collectivites_partenaires": ("Collectivités locales partenaires", "Partner local authorities"),
        "collectivites_en_recherche": (
            "Collectivités locales en recherche de coopération (Bourse projets)",
            "Local authorities seeking cooperation (Bourse projets)",
        ),
        "projets_cooperation_decentralisee": (
            "Projets de coopération décentralisée",
            "Decentralised cooperation projects",
        ),
        "projets_actions_exterieures": (
            "Projets dans le cadre d'autres actions extérieures",
            "Projects of other external actions",
        ),
        "demandes_cooperation": ("Demandes de coopération (Bourse projets)", "Cooperation requests (Bourse projets)"),
        "pays": ("Pays concernés", "Countries concerned"),
        # the splits
        "repartition_continents": ("Répartition par continent", "Split by continent"),
        "repartition_thematiques": ("Répartition par thématique", "Split by theme"),
        "repartition_pays": ("Répartition par pays", "Split by country"),
        "apd_year": ("APD déclarée {year} (euros)", "Declared ODA {year} (euros)"),
    },
    "tables",
)

#: The counts of the Atlas's "Etat" panel, in order (their labels are in :data:`TEXTS`).
INDICATORS = (
    "collectivites_francaises_engagees",
    "collectivites_partenaires",
    "collectivites_en_recherche",
    "projets_cooperation_decentralisee",
    "projets_actions_exterieures",
    "demandes_cooperation",
    "pays",
)
#: The splits of the projects printed with their charts (their titles are in :data:`TEXTS`).
SPLITS = ("repartition_continents", "repartition_thematiques", "repartition_pays")

CSV_COLUMNS = ("section", "rang", "code", "libelle", "valeur", "pourcentage")


def indicator_rows(stats: dict, lang: str = "fr") -> list[tuple[str, str, int]]:
    """``[(code, label, count)]`` of the "Etat" panel."""
    return [(code, TEXTS(code, lang), int(stats.get(code) or 0)) for code in INDICATORS]


def statistics_rows(stats: dict, lang: str = "fr") -> list[dict]:
    """Every figure of ``stats`` as a row of :data:`CSV_COLUMNS`."""
    rows = []
    for code, label, value in indicator_rows(stats, lang):
        rows.append(
            {
                "section": "indicateurs",
                "rang": None,
                "code": code,
                "libelle": label,
                "valeur": value,
                "pourcentage": None,
            }
        )
    for r in stats.get("apd_par_annee") or []:
        rows.append(
            {
                "section": "apd",
                "rang": None,
                "code": str(r["annee"]),
                "libelle": TEXTS("apd_year", lang, year=r["annee"]),
                "valeur": r["montant"],
                "pourcentage": None,
            }
        )
    for r in stats.get("top_collectivites") or []:
        kind = voc.TYPES_COLLECTIVITE.label(r.get("type_collectivite"), lang)
        rows.append(
            {
                "section": "top_collectivites",
                "rang": r["rang"],
                "code": r["id"],
                "libelle": f"{r['nom']} ({kind})" if kind else r["nom"],
                "valeur": r["nb_projets"],
                "pourcentage": None,
            }
        )
    for section, key in (("apd_secteur", "apd_par_secteur"), ("apd_canal", "apd_par_canal")):
        for r in stats.get(key) or []:
            rows.append(
                {
                    "section": section,
                    "rang": None,
                    "code": r["code"],
                    "libelle": r["libelle"],
                    "valeur": r["montant"],
                    "pourcentage": r["pourcentage"],
                }
            )
    for r in stats.get("apd_par_marqueur") or []:
        rows.append(
            {
                "section": "apd_marqueur",
                "rang": None,
                "code": r["code"],
                "libelle": r["libelle_cible"],
                "valeur": r["montant_cible"],
                "pourcentage": r["pourcentage_cible"],
            }
        )
    for key in SPLITS + ("repartition_continents_demandes",):
        for r in stats.get(key) or []:
            rows.append(
                {
                    "section": key,
                    "rang": None,
                    "code": r["code"],
                    "libelle": r["libelle"],
                    "valeur": r["nombre"],
                    "pourcentage": r["pourcentage"],
                }
            )
    return rows


def _csv_value(v):
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def statistics_csv(stats: dict, lang: str = "fr") -> bytes:
    """The figures as CSV (UTF-8, comma, header line; see the module documentation)."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in statistics_rows(stats, lang):
        writer.writerow([_csv_value(row[c]) for c in CSV_COLUMNS])
    return buf.getvalue().encode("utf-8")
