"""The Bourse projets of the demo atlas: foreign authorities seeking a French partner and their requests,
public (validated or matched) and private (submitted, to complete, rejected)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from ... import vocabulary as voc
from ...text import normalise
from ..reference import Reference
from .figures import N_DEMANDES, N_EN_RECHERCHE, PAYS_DEMANDES_SEULEMENT
from .plausible import NOMS, PRENOMS, THEMES_CONTINENT


def demandes(
    ref: Reference, project_countries, continent: dict, n_partners: int, rng: np.random.Generator
) -> tuple[list[dict], list[dict]]:
    """137 public requests (validated or matched) from 110 seeking authorities, plus private ones; the
    requests and the seeking authorities (partners numbered after the ``n_partners`` first)."""
    lieux = ref.lieux
    pays = ref.pays.set_index("pays_code")
    n_places = lieux["pays_code"].value_counts()
    candidates = [
        c for c in project_countries if continent[c] in ("afrique", "asie", "ameriques") and n_places.get(c, 0) >= 10
    ]
    w = np.array([{"afrique": 5.0, "asie": 1.5, "ameriques": 1.5}[continent[c]] for c in candidates])
    seekers, demandes = [], []
    countries = [PAYS_DEMANDES_SEULEMENT] + list(rng.choice(candidates, N_EN_RECHERCHE - 1, p=w / w.sum()))
    used_places = set()
    for n, code in enumerate(countries):
        pl = lieux[(lieux["pays_code"] == code) & ~lieux["geonameid"].isin(used_places)]
        if not len(pl):  # every place of the country already seeks: take the largest again
            pl = lieux[lieux["pays_code"] == code].sort_values("population", ascending=False).iloc[:1]
        row = pl.iloc[int(rng.integers(len(pl)))]
        used_places.add(int(row["geonameid"]))
        seekers.append(
            dict(
                id=f"PAR{n_partners + n + 1:05d}",
                nom=row["nom"],
                type_partenaire="localite",
                pays_code=code,
                admin1_nom=row.get("admin1_nom"),
                geonameid=int(row["geonameid"]),
                precision_geo="localite",
                en_recherche=True,
                geometry=row.geometry,
            )
        )
    # 110 authorities, 137 public requests: 27 authorities post a second request
    authors = list(range(N_EN_RECHERCHE)) + list(rng.choice(N_EN_RECHERCHE, N_DEMANDES - N_EN_RECHERCHE, replace=False))
    statuses = ["validee"] * (N_DEMANDES - 15) + ["pourvue"] * 15
    private = ["soumise"] * 9 + ["a_completer"] * 4 + ["rejetee"] * 6
    for k, (a, st) in enumerate(
        list(zip(authors, statuses)) + [(int(rng.integers(N_EN_RECHERCHE)), s) for s in private]
    ):
        s = seekers[a]
        code = s["pays_code"]
        themes = THEMES_CONTINENT[continent.get(code, "afrique")]
        codes = [c for c in themes if c != "aide"]
        ww = np.array([themes[c] for c in codes], float)
        theme = rng.choice(codes, p=ww / ww.sum())
        sub = [t for t in voc.SOUS_THEMATIQUES if t.extra["thematique"] == theme][0]
        leaf = [t for t in voc.SOUS_SOUS_THEMATIQUES if t.extra["sous_thematique"] == sub.code][0]
        depot = dt.date(2010, 1, 1) + dt.timedelta(days=int(rng.integers(0, 1200)))
        valid = depot + dt.timedelta(days=int(rng.integers(7, 60))) if st in ("validee", "pourvue") else None
        contact = f"{PRENOMS[rng.integers(len(PRENOMS))]} {NOMS[rng.integers(len(NOMS))]}"
        demandes.append(
            dict(
                id=f"DEM{k + 1:05d}",
                titre=f"{leaf.fr} à {s['nom']}",
                description=(
                    f"{s['nom']} ({pays.loc[code, 'nom_fr']}) recherche une collectivité territoriale "
                    f"française pour un projet de {voc.THEMATIQUES[theme].fr.lower()}. Demande fictive "
                    "de démonstration."
                ),
                type_action="demande_cooperation",
                demandeur_id=s["id"] if st in ("validee", "pourvue") else None,
                demandeur_nom=s["nom"],
                pays_code=code,
                thematique=theme,
                sous_thematique=sub.code,
                sous_sous_thematique=leaf.code,
                profil_partenaire=rng.choice(
                    ["Commune de taille comparable", "Département ou région", "Intercommunalité", "Toute collectivité"]
                ),
                langues=rng.choice(["français", "français, anglais", "anglais", "espagnol, français"]),
                contact_nom=contact,
                contact_email=f"contact{k + 1}@{normalise(s['nom']).replace(' ', '-')}.example",
                statut_validation=st,
                date_depot=depot.isoformat(),
                date_validation=valid.isoformat() if valid else None,
                geometry=s["geometry"],
            )
        )
    return demandes, seekers
