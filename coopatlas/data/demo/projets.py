"""The projects of the demo atlas, one at a time, the guide's four sample projects, and their co-financing."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ... import vocabulary as voc
from .plausible import THEMES_CONTINENT


def project(coll_row, partner_row, partner_id, pays_code, continent, action: bool, rng: np.random.Generator) -> dict:
    """One project of a collectivity with a partner: twinning or not, theme by continent, years, status,
    co-financing, Loi Oudin, a title and a description that say it is fictitious."""
    europe = continent == "europe"
    jumelage = (not action) and rng.random() < (0.55 if europe else 0.06)
    themes = THEMES_CONTINENT.get(continent, THEMES_CONTINENT["afrique"])
    if jumelage:
        theme = rng.choice(["culture_patrimoine_sport", "education_jeunesse", "gouvernance"], p=[0.5, 0.35, 0.15])
    else:
        codes = list(themes)
        w = np.array([themes[c] for c in codes], float)
        theme = rng.choice(codes, p=w / w.sum())
    subs = [t for t in voc.SOUS_THEMATIQUES if t.extra["thematique"] == theme]
    sub = subs[rng.integers(len(subs))]
    leaves = [
        t
        for t in voc.SOUS_SOUS_THEMATIQUES
        if t.extra["sous_thematique"] == sub.code and t.extra["thematique"] == theme
    ]
    leaf = leaves[rng.integers(len(leaves))]
    start = int(np.clip(round(rng.normal(2004, 5.5)), 1982, 2013))
    if jumelage:
        start = int(np.clip(round(rng.normal(1994, 10)), 1959, 2013))
    conv = start - int(rng.integers(0, 2)) if rng.random() < 0.75 else None
    age = 2013 - start
    p_fin = min(0.85, age / 14)
    statut = (
        "en_projet"
        if start >= 2012 and rng.random() < 0.6
        else "termine"
        if rng.random() < p_fin
        else "suspendu"
        if rng.random() < 0.04
        else "en_cours"
    )
    fin = int(min(2013, start + rng.integers(1, 6))) if statut == "termine" else None
    water = theme == "eau_assainissement"
    cof = []
    if not jumelage:
        for code, p in (
            ("mae", 0.13),
            ("afd", 0.03),
            ("ue", 0.06),
            ("agence_eau", 0.45 if water else 0.0),
            ("collectivite", 0.07),
            ("autre", 0.08),
        ):
            if rng.random() < p:
                cof.append(code)
    oudin = bool(water and rng.random() < 0.55) or (
        leaf.code in ("gestion_dechets", "energies_renouvelables") and rng.random() < 0.2
    )
    partner = partner_row["nom"]
    titre = f"Jumelage {coll_row['nom']} – {partner}" if jumelage else f"{leaf.fr} à {partner}"
    if action:
        titre = f"{sub.fr} : action ponctuelle à {partner}"
    desc = (
        f"{'Action extérieure' if action else 'Coopération'} de {coll_row['nom']} avec {partner} "
        f"({voc.THEMATIQUES[theme].fr.lower()} : {leaf.fr.lower()}). Projet fictif de démonstration."
    )
    maj = dt.date(2010, 1, 1) + dt.timedelta(days=int(rng.integers(0, 1276)))
    return dict(
        collectivite_id=coll_row["id"],
        partenaire_id=partner_id,
        pays_code=pays_code,
        titre=titre,
        description=desc,
        type_action="action_exterieure" if action else "cooperation_decentralisee",
        jumelage=jumelage,
        statut=statut,
        thematique=theme,
        sous_thematique=sub.code,
        sous_sous_thematique=leaf.code,
        annee_convention=conv,
        annee_lancement=start,
        annee_fin=fin,
        cofinancements=cof,
        cofinancement_types=",".join(cof) or None,
        loi_oudin=oudin,
        date_maj=maj.isoformat(),
    )


def sample_project(s: dict, collectivite_id: str, partenaire_id: str) -> dict:
    """One of the guide's four sample projects (``SAMPLE_PROJECTS``), verbatim."""
    return dict(
        collectivite_id=collectivite_id,
        partenaire_id=partenaire_id,
        pays_code=s["pays"],
        titre=s["titre"],
        description=f"{s['titre']}. Projet cité dans le guide pratique de l'Atlas.",
        type_action="cooperation_decentralisee",
        jumelage=False,
        statut=s["statut"],
        thematique="aide",
        sous_thematique="aide_non_specifiee",
        sous_sous_thematique="aide_non_specifiee",
        annee_convention=s["annee_convention"],
        annee_lancement=s["annee_lancement"],
        annee_fin=None,
        cofinancements=[],
        loi_oudin=False,
        date_maj="2012-11-15",
    )


def cofinancements(projets: list[dict], rng: np.random.Generator) -> pd.DataFrame:
    """One row per co-financing of a project, with a drawn amount by type of co-financer."""
    rows = []
    scale = {"mae": 25000, "afd": 120000, "ue": 80000, "agence_eau": 30000, "collectivite": 8000, "autre": 10000}
    for p in projets:
        for code in p.get("cofinancements") or []:
            year = p["annee_lancement"] or 2010
            rows.append(
                dict(
                    projet_id=p["id"],
                    type_cofinancement=code,
                    annee=int(year),
                    montant=float(round(scale[code] * rng.lognormal(0, 0.6), -2)),
                    collectivite_id=p["collectivite_id"],
                    pays_code=p["pays_code"],
                )
            )
    df = pd.DataFrame(rows)
    df.insert(0, "id", [f"COF{i + 1:06d}" for i in range(len(df))])
    return df
