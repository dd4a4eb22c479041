"""The French collectivities of the demo atlas: real communes, departments, current and former regions, EPCI
and overseas collectivities at their seat, how many projects each leads, and their (fictitious) contacts."""

from __future__ import annotations

import numpy as np
import pandas as pd
from shapely.geometry import Point

from ...text import normalise
from ..reference import Reference
from .figures import MAX_HORS_TOP, N_ACTIONS, N_COLLECTIVITES, N_COOPERATIONS, TOP_10
from .plausible import NOMS, PRENOMS
from .sampling import scale_to_total

# The other former regions (before 2016) as the Atlas named their councils: code -> council name
CONSEILS_ANCIENNES_REGIONS = {
    "72": "Conseil régional d'Aquitaine",
    "83": "Conseil régional d'Auvergne",
    "25": "Conseil régional de Basse-Normandie",
    "26": "Conseil régional de Bourgogne",
    "53": "Conseil régional de Bretagne",
    "24": "Conseil régional du Centre",
    "94": "Collectivité territoriale de Corse",
    "43": "Conseil régional de Franche-Comté",
    "23": "Conseil régional de Haute-Normandie",
    "91": "Conseil régional du Languedoc-Roussillon",
    "74": "Conseil régional du Limousin",
    "73": "Conseil régional de Midi-Pyrénées",
    "31": "Conseil régional du Nord-Pas-de-Calais",
    "52": "Conseil régional des Pays de la Loire",
    "22": "Conseil régional de Picardie",
    "54": "Conseil régional de Poitou-Charentes",
}
CONSEILS_OUTRE_MER_REGIONS = {  # overseas regions: code_region -> (name, seat)
    "01": ("Conseil régional de la Guadeloupe", "97105"),
    "02": ("Conseil régional de la Martinique", "97209"),
    "03": ("Conseil régional de la Guyane", "97302"),
    "04": ("Conseil régional de La Réunion", "97411"),
}
# Overseas collectivities (COM), not in the COG's communes: name, INSEE code, seat (lon, lat)
COLLECTIVITES_OUTRE_MER = [
    ("Polynésie française", "987", (-149.5585, -17.5350)),
    ("Nouvelle-Calédonie", "988", (166.4572, -22.2758)),
    ("Collectivité territoriale de Saint-Pierre-et-Miquelon", "975", (-56.1773, 46.7811)),
    ("Wallis-et-Futuna", "986", (-176.1745, -13.2816)),
    ("Collectivité de Saint-Martin", "978", (-63.0822, 18.0679)),
]
# INSEE TNCC article type -> the preposition used after "Conseil général"
_CHARNIERES = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ", 8: "de los "}


def french_collectivities(ref: Reference, rng: np.random.Generator) -> pd.DataFrame:
    """The 4,777 French collectivities engaged abroad: the top 10, every region and department council,
    overseas collectivities, EPCI and other bodies, then real communes weighted by population."""
    communes = ref.communes.set_index("code_insee")
    deps = ref.departements.set_index("code_departement")
    anc = ref.anciennes_regions.set_index("code_ancienne_region")
    rows = []

    def add(nom, type_, code_insee, code_region, seat=None, point=None, siren=None, code_dep=None, n=None):
        if point is None:
            c = communes.loc[seat]
            point = c.geometry
            code_dep = code_dep or c["code_departement"]
        rows.append(
            dict(
                nom=nom,
                type_collectivite=type_,
                code_insee=code_insee,
                siren=siren,
                code_region=code_region,
                code_departement=code_dep,
                geometry=point,
                n_fixe=n,
            )
        )

    for nom, type_, n, code, reg, seat in TOP_10:
        siren = code if type_ == "epci" else None
        code_dep = "75" if code in ("11", "75056") else None
        add(nom, type_, code, reg, seat=seat, siren=siren, code_dep=code_dep, n=n)
    done_regions = {"11", "82", "93", "21", "42", "41"}
    for code, nom in CONSEILS_ANCIENNES_REGIONS.items():
        a = anc.loc[code]
        add(nom, "region", code, a["code_region"], seat=a["chef_lieu_insee"])
        done_regions.add(code)
    for code, (nom, seat) in CONSEILS_OUTRE_MER_REGIONS.items():
        add(nom, "region", code, code, seat=seat)
    # departments: councils of the departments ("Conseil général du Bas-Rhin"); a few not engaged
    dep_codes = list(deps.index)
    skip = set(rng.choice([d for d in dep_codes if d not in ("67", "68", "75")], 3, replace=False))
    for code in dep_codes:
        if code in skip or code == "75":  # Paris is a commune and a department: the Atlas lists Paris
            continue
        d = deps.loc[code]
        nom = f"Conseil général {_CHARNIERES.get(int(d['type_nom']), 'de ')}{d['nom']}"
        add(nom, "departement", code, d["code_region"], seat=d["chef_lieu_insee"], code_dep=code)
    for nom, code, (lon, lat) in COLLECTIVITES_OUTRE_MER:
        add(nom, "outre_mer", code, None, point=Point(lon, lat))
    # EPCI: the sample's legacy name, then real EPCI weighted by population (CA, CU, metropoles first)
    add("Communauté d'agglomération du Pays de Montbéliard", "epci", None, "27", seat="25388")
    epci = ref.epci[~ref.epci["code_insee_siege"].isin(["67482", "25388"])].reset_index(drop=True)
    w = epci["population"].fillna(0).to_numpy(float) ** 0.8 * np.where(epci["nature"] == "CC", 0.4, 1.0)
    n_epci = 340
    chosen = rng.choice(len(epci), n_epci, replace=False, p=w / w.sum())
    for i in sorted(chosen, key=lambda i: epci.loc[i, "siren"]):
        e = epci.loc[i]
        rows.append(
            dict(
                nom=e["nom"],
                type_collectivite="epci",
                code_insee=e["siren"],
                siren=e["siren"],
                code_region=e["code_region"],
                code_departement=e["code_departement"],
                geometry=e.geometry,
                n_fixe=None,
            )
        )
    # other bodies (water syndicates...), seated in real communes
    autres = [
        ("Syndicat des eaux d'Île-de-France (SEDIF)", "75056"),
        ("Syndicat interdépartemental pour l'assainissement de l'agglomération parisienne (SIAAP)", "75056"),
    ]
    big = communes[communes["population"] > 30000].sort_index()
    for code in rng.choice(big.index.to_numpy(), 14, replace=False):
        autres.append((f"Syndicat intercommunal des eaux de la région de {big.loc[code, 'nom']}", code))
    for nom, seat in autres:
        add(nom, "autre", None, communes.loc[seat, "code_region"], seat=seat)
    # communes: the sample commune, then real communes weighted by population
    add("Vouneuil-sous-Biard", "commune", "86297", "75", seat="86297")
    n_communes = N_COLLECTIVITES - len(rows)
    taken = {"75056", "13055", "86297"}
    cand = communes[~communes.index.isin(taken)]
    w = cand["population"].fillna(0).to_numpy(float).clip(50) ** 0.75
    chosen = rng.choice(len(cand), n_communes, replace=False, p=w / w.sum())
    for code in sorted(cand.index[chosen]):
        c = cand.loc[code]
        rows.append(
            dict(
                nom=c["nom"],
                type_collectivite="commune",
                code_insee=code,
                siren=None,
                code_region=c["code_region"],
                code_departement=c["code_departement"],
                geometry=c.geometry,
                n_fixe=None,
            )
        )
    df = pd.DataFrame(rows)
    df["population"] = [_population(r, communes) for r in df.itertuples()]
    df["id"] = [f"COL{i + 1:05d}" for i in range(len(df))]
    assert len(df) == N_COLLECTIVITES, len(df)
    return df


def _population(r, communes) -> float:
    if r.type_collectivite == "commune":
        return float(communes.loc[r.code_insee, "population"] or 0)
    return {"region": 3e6, "departement": 8e5, "epci": 2e5, "outre_mer": 2e5, "autre": 1e5}[r.type_collectivite]


def project_counts(coll: pd.DataFrame, rng: np.random.Generator) -> np.ndarray:
    """Projects of each collectivity: the published ones for the top 10, the rest drawn by type and size
    (at least 1, at most ``MAX_HORS_TOP``) to the exact published total."""
    fixed = coll["n_fixe"].notna().to_numpy()
    total_rest = N_COOPERATIONS + N_ACTIONS - int(coll.loc[fixed, "n_fixe"].sum())
    t = coll["type_collectivite"].to_numpy()
    pop = coll["population"].to_numpy(float)
    base = np.select(
        [t == "region", t == "departement", t == "epci", t == "outre_mer", t == "autre"],
        [45.0, 14.0, 3.5, 8.0, 4.0],
        default=0.0,
    )
    base = np.where(t == "commune", 0.55 + (pop / 1.5e4) ** 0.8, base)
    w = base * rng.lognormal(0, 0.55, len(coll))
    counts = np.zeros(len(coll), dtype=int)
    counts[fixed] = coll.loc[fixed, "n_fixe"].astype(int)
    counts[~fixed] = scale_to_total(w[~fixed], total_rest, lo=1, hi=MAX_HORS_TOP)
    return counts


def contacts(coll: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Fictitious elected officials and directors of international relations (reserved e-mail domains and
    phone numbers)."""
    out = []
    for r in coll.itertuples():
        slug = normalise(r.nom).replace(" ", "-")[:40].strip("-")
        pe, ne = PRENOMS[rng.integers(len(PRENOMS))], NOMS[rng.integers(len(NOMS))]
        pd_, nd = PRENOMS[rng.integers(len(PRENOMS))], NOMS[rng.integers(len(NOMS))]
        fonction = {
            "commune": "Adjoint(e) au maire chargé(e) des relations internationales",
            "region": "Vice-président(e) chargé(e) des relations internationales",
            "departement": "Vice-président(e) chargé(e) de la coopération décentralisée",
        }.get(r.type_collectivite, "Élu(e) délégué(e) à l'action internationale")
        out.append(
            dict(
                elu_nom=f"{pe} {ne}",
                elu_fonction=fonction,
                elu_email=f"{normalise(pe)[:1]}.{normalise(ne).replace(' ', '')}@{slug}.example",
                elu_telephone=f"01 99 00 {rng.integers(0, 100):02d} {rng.integers(0, 100):02d}",
                directeur_nom=f"{pd_} {nd}",
                directeur_fonction="Directeur(trice) des relations internationales",
                directeur_email=f"{normalise(pd_)[:1]}.{normalise(nd).replace(' ', '')}@{slug}.example",
                directeur_telephone=f"01 99 00 {rng.integers(0, 100):02d} {rng.integers(0, 100):02d}",
            )
        )
    return pd.DataFrame(out, index=coll.index)
