"""Declared APD of any search split by DAC sector, channel of delivery and OECD policy marker.

The lines of the APD declarations (collectivity × country × year × sector × channel, with markers) matching
the criteria that can apply to declarations (the others are those of ``apd_criteres_non_appliques``), summed
in SQL by the store (GeoPackage or PostGIS: same SQL, same results). Amounts in euros, rounded to the cent.

- ``apd_par_secteur``: per DAC group (3-digit sector, names fr/en of the OECD list), its 5-digit purpose
  codes in ``secteurs``; lines without a sector (declarations of the old form) under ``code: null``;
- ``apd_par_canal``: per channel of delivery (CRS channel code);
- ``apd_par_marqueur``: per policy marker, the amount of each score (2 principal, 1 significant, 0 not
  targeted, ``null`` not declared) and ``montant_cible``, the APD that targets it (principal or
  significant), as the OECD counts it.

The amounts of each split sum to ``apd_total`` of :func:`coopatlas.stats.statistics` for the same criteria.
"""

from __future__ import annotations

from . import vocabulary as voc
from .criteria import Criteria
from .store import Store

NOT_DECLARED = {"fr": "Non déclaré", "en": "Not declared"}
SCORES = (2, 1, 0, None)


def _cents(value) -> float:
    return round(float(value or 0), 2)


def _pct(amount: float, total: float) -> float:
    return round(100.0 * amount / total, 2) if total else 0.0


def _sectors(rows: list[tuple], total: float, lang: str) -> list[dict]:
    groups: dict[str | None, dict] = {}
    for code, amount in rows:
        group = voc.SECTEURS_CAD[code].extra["groupe"] if code in voc.SECTEURS_CAD else None
        if code is not None and group is None:  # a code outside the list: its own group, never lost
            group = code[:3]
        entry = groups.setdefault(
            group,
            {
                "code": group,
                "libelle": voc.GROUPES_CAD.label(group, lang) if group else NOT_DECLARED[lang],
                "montant": 0.0,
                "secteurs": [],
            },
        )
        entry["montant"] += float(amount or 0)
        if code is not None:
            entry["secteurs"].append(
                {"code": code, "libelle": voc.SECTEURS_CAD.label(code, lang), "montant": _cents(amount)}
            )
    out = sorted(groups.values(), key=lambda g: (-g["montant"], g["code"] or "~"))
    for g in out:
        g["montant"] = _cents(g["montant"])
        g["pourcentage"] = _pct(g["montant"], total)
        g["secteurs"].sort(key=lambda s: (-s["montant"], s["code"]))
    return out


def _channels(rows: list[tuple], total: float, lang: str) -> list[dict]:
    out = [
        {
            "code": code,
            "libelle": voc.CANAUX.label(code, lang) if code else NOT_DECLARED[lang],
            "montant": _cents(amount),
            "pourcentage": _pct(_cents(amount), total),
        }
        for code, amount in rows
    ]
    return sorted(out, key=lambda c: (-c["montant"], c["code"] or "~"))


def _marker_sql(field: str) -> list[str]:
    return [
        f"SUM(CASE WHEN {field} IS NULL THEN montant ELSE 0 END)"
        if score is None
        else f"SUM(CASE WHEN {field} = {score} THEN montant ELSE 0 END)"
        for score in SCORES
    ]


def _markers(sums: tuple, total: float, lang: str) -> list[dict]:
    out = []
    for i, term in enumerate(voc.MARQUEURS):
        amounts = [_cents(v) for v in sums[i * len(SCORES) : (i + 1) * len(SCORES)]]
        by_score = dict(zip(SCORES, amounts))
        targeted = _cents(by_score[2] + by_score[1])
        label = term.label(lang)
        out.append(
            {
                "code": term.code,
                "libelle": label,
                "champ": term.extra["champ"],
                "colonne_crs": term.extra["crs"],
                "scores": [
                    {
                        "score": score,
                        "libelle": voc.SCORES_MARQUEUR.label(str(score), lang)
                        if score is not None
                        else NOT_DECLARED[lang],
                        "montant": amount,
                        "pourcentage": _pct(amount, total),
                    }
                    for score, amount in by_score.items()
                ],
                "montant_cible": targeted,
                "pourcentage_cible": _pct(targeted, total),
                "libelle_cible": (
                    f"APD ciblant « {label} » (objectif principal ou significatif)"
                    if lang != "en"
                    else f"ODA targeting “{label}” (principal or significant objective)"
                ),
            }
        )
    return out


def apd_breakdowns(store: Store, criteria: Criteria | None = None, lang: str = "fr") -> dict:
    """The declared APD matching ``criteria`` by sector, channel and marker (see the module)."""
    criteria = criteria or Criteria()
    where, params = criteria.where_in(store, "apd", skip=criteria.not_applicable("apd"))
    total = _cents(store.scalar(f"SELECT SUM(montant) FROM apd WHERE {where}", params))
    sectors = store.rows(f"SELECT secteur, SUM(montant) FROM apd WHERE {where} GROUP BY secteur", params)
    channels = store.rows(f"SELECT canal, SUM(montant) FROM apd WHERE {where} GROUP BY canal", params)
    columns = [sql for field in voc.champs_marqueurs() for sql in _marker_sql(field)]
    markers = store.rows(f"SELECT {', '.join(columns)} FROM apd WHERE {where}", params)[0]
    return {
        "apd_par_secteur": _sectors(sectors, total, lang),
        "apd_par_canal": _channels(channels, total, lang),
        "apd_par_marqueur": _markers(markers, total, lang),
    }
