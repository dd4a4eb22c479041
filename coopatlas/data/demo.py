"""The demo atlas: SYNTHETIC records on real geography, calibrated on the Atlas's published figures.

No project-level export of the Atlas is reachable offline, so this module generates one, deterministically
(fixed seed: the same tables on every run), whose statistics reproduce exactly the figures printed in the
Atlas's user guide (``shared/reference/seed_figures.csv``: counts for the world and for France, APD per
year for the world and for Burkina Faso), its top-10 of collectivities (``seed_top_collectivites.csv``,
nobody else above 84 projects) and its four sample projects (``seed_sample_projects.csv``), verbatim.

Beyond those figures the data is made to look plausible to a GIS specialist, not to be true: projects
concentrated in Africa outside Europe (Mali > Burkina Faso > Sénégal), twinnings mostly in Europe, a
theme mix that depends on the continent, years from the 1980s to 2013, statuses, co-financing (Loi Oudin
for water projects), French collectivities of every type on real communes, departments, regions and EPCI
(INSEE COG), partners on real GeoNames places of the right country. Names of people, e-mails (reserved
``.example`` domains) and phone numbers (the ``01 99 00`` range reserved for fiction) are fictitious.

The output is :class:`coopatlas.data.tables.AtlasTables` (base tables only); the derived fields and
collections (names, counts, flows, aggregates) are computed by :mod:`coopatlas.data.derive`, the same way
for demo and imported data.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd
from shapely.geometry import Point

from .. import vocabulary as voc
from ..text import normalise
from .reference import Reference
from .tables import AtlasTables

SEED = 20130630
NOTICE_FR = ("Données de démonstration SYNTHÉTIQUES, générées sur une géographie réelle et calibrées sur les "
             "chiffres publiés de l'Atlas (guide pratique, vers 2012-2013) : ce ne sont pas les projets réels.")
NOTICE_EN = ("SYNTHETIC demo data, generated on real geography and calibrated on the Atlas's published figures "
             "(user guide, c. 2012-2013): these are not the real projects.")

# --- Calibration targets (shared/reference/seed_figures.csv, seed_top_collectivites.csv) -----------------
N_COLLECTIVITES = 4777
N_PARTENAIRES = 8625
N_EN_RECHERCHE = 110
N_COOPERATIONS = 12731
N_ACTIONS = 737
N_DEMANDES = 137
N_PAYS_PROJETS = 144
PAYS_DEMANDES_SEULEMENT = "GW"  # the one country reached only through Bourse requests (145 in all)
APD_MONDE = {2012: 64884374, 2011: 65568380, 2010: 64858548, 2009: 71160392, 2008: 73420532}
APD_BF = {2012: 4801733, 2011: 3224327, 2010: 4156489, 2009: 4255922, 2008: 4924420}
MAX_HORS_TOP = 84  # "nobody else above 85": strictly below the 10th of the list

# name, type, projects, code_insee (territory), code_region, seat commune (INSEE)
TOP_10 = [
    ("Paris", "commune", 344, "75056", "11", "75056"),
    ("Conseil régional d'Île-de-France", "region", 155, "11", "11", "75056"),
    ("Conseil régional de Rhône-Alpes", "region", 151, "82", "84", "69123"),
    ("Conseil régional de Provence-Alpes-Côte d'Azur", "region", 125, "93", "93", "13055"),
    ("Région Île-de-France", "region", 124, "11", "11", "75056"),
    ("Conseil régional de Champagne-Ardenne", "region", 105, "21", "44", "51108"),
    ("Ville et Communauté Urbaine de Strasbourg", "epci", 105, "246700488", "44", "67482"),
    ("Marseille", "commune", 103, "13055", "93", "13055"),
    ("Conseil régional d'Alsace", "region", 90, "42", "44", "67482"),
    ("Conseil régional de Lorraine", "region", 85, "41", "44", "57463"),
]

# The other former regions (before 2016) as the Atlas named their councils: code -> council name
CONSEILS_ANCIENNES_REGIONS = {
    "72": "Conseil régional d'Aquitaine", "83": "Conseil régional d'Auvergne",
    "25": "Conseil régional de Basse-Normandie", "26": "Conseil régional de Bourgogne",
    "53": "Conseil régional de Bretagne", "24": "Conseil régional du Centre",
    "94": "Collectivité territoriale de Corse", "43": "Conseil régional de Franche-Comté",
    "23": "Conseil régional de Haute-Normandie", "91": "Conseil régional du Languedoc-Roussillon",
    "74": "Conseil régional du Limousin", "73": "Conseil régional de Midi-Pyrénées",
    "31": "Conseil régional du Nord-Pas-de-Calais", "52": "Conseil régional des Pays de la Loire",
    "22": "Conseil régional de Picardie", "54": "Conseil régional de Poitou-Charentes",
}
CONSEILS_OUTRE_MER_REGIONS = {  # overseas regions: code_region -> (name, seat)
    "01": ("Conseil régional de la Guadeloupe", "97105"), "02": ("Conseil régional de la Martinique", "97209"),
    "03": ("Conseil régional de la Guyane", "97302"), "04": ("Conseil régional de La Réunion", "97411"),
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
_CHARNIERES = {0: "de ", 1: "d'", 2: "du ", 3: "de la ", 4: "des ", 5: "de l'", 6: "des ", 7: "de las ",
               8: "de los "}

SAMPLE_PROJECTS = [  # shared/reference/seed_sample_projects.csv, verbatim
    dict(collectivite="Vouneuil-sous-Biard", type_collectivite="commune", code="86297", partenaire="Ziniaré",
         pays="BF", titre="Aménagement d'un espace d'échanges", statut="en_cours", annee_convention=2007,
         annee_lancement=2007),
    dict(collectivite="Communauté d'agglomération du Pays de Montbéliard", type_collectivite="epci",
         code="25388", partenaire="Zimanga", pays="BF", titre="Ensemble pour Zimanga", statut="en_cours",
         annee_convention=2009, annee_lancement=2009),
    dict(collectivite="Conseil général du Bas-Rhin", type_collectivite="departement", code="67",
         partenaire="Voïvodie de Silésie", pays="PL",
         titre="Echanges d'expériences en matière d'action sociale", statut="en_cours",
         annee_convention=None, annee_lancement=None),
    dict(collectivite="Conseil général du Haut-Rhin", type_collectivite="departement", code="68",
         partenaire="Powiat de Wrocław", pays="PL",
         titre="Action en matière sociale (aide aux jeunes en difficulté, aux personnes âgées et à la famille)",
         statut="termine", annee_convention=None, annee_lancement=None),
]

# Projects per country (relative weights; scaled to the exact total). Outside Europe: Mali > Burkina
# Faso > Sénégal, as published; Europe carries the twinnings.
POIDS_PAYS = {
    # Europe
    "DE": 1300, "IT": 700, "PL": 650, "GB": 650, "RO": 480, "ES": 420, "BE": 250, "PT": 200, "HU": 180,
    "CZ": 150, "RU": 150, "CH": 110, "AM": 110, "IE": 90, "GR": 90, "NL": 80, "AT": 70, "UA": 70, "BG": 70,
    "MD": 60, "SK": 60, "LU": 40, "HR": 40, "LT": 40, "SE": 40, "GE": 40, "RS": 40, "DK": 30, "BA": 30,
    "SI": 25, "LV": 25, "FI": 25, "NO": 25, "AL": 25, "EE": 20, "MK": 20, "BY": 15, "CY": 10, "MT": 10,
    "ME": 8, "IS": 5,
    # Africa
    "ML": 560, "BF": 520, "SN": 470, "MA": 330, "MG": 300, "BJ": 250, "NE": 230, "CM": 200, "TN": 200,
    "DZ": 150, "TG": 150, "MR": 130, "CI": 120, "GN": 90, "TD": 60, "CD": 50, "EG": 50, "ZA": 50, "CG": 40,
    "KM": 40, "CV": 40, "GA": 30, "RW": 30, "BI": 30, "ET": 30, "MZ": 30, "KE": 25, "MU": 25, "CF": 20,
    "TZ": 20, "UG": 20, "GH": 20, "DJ": 15, "NG": 15, "AO": 10, "LY": 10, "GM": 10, "SC": 10, "NA": 10,
    "SD": 5, "SL": 5, "LR": 5, "ST": 5, "BW": 5, "ZM": 5, "ZW": 5, "MW": 5,
    # Asia
    "VN": 250, "CN": 220, "JP": 150, "PS": 120, "LB": 110, "IN": 90, "KH": 70, "LA": 60, "TR": 50, "IL": 40,
    "KR": 40, "TH": 30, "ID": 20, "PH": 20, "JO": 20, "MN": 20, "UZ": 15, "NP": 15, "LK": 15, "SY": 10,
    "AF": 10, "KZ": 10, "MM": 10, "BD": 10, "PK": 5, "IR": 5, "IQ": 5, "SG": 5, "MY": 5, "KG": 5, "TJ": 5,
    "AZ": 5, "TW": 5,
    # Americas
    "CA": 200, "HT": 180, "BR": 150, "US": 150, "MX": 80, "CL": 60, "PE": 60, "AR": 50, "NI": 50, "BO": 40,
    "CO": 40, "CU": 30, "EC": 20, "GT": 20, "DO": 20, "UY": 20, "HN": 10, "SV": 10, "CR": 10, "PY": 10,
    "VE": 10, "PA": 5, "DM": 5, "LC": 5,
    # Oceania
    "VU": 30, "AU": 10, "NZ": 10, "FJ": 10, "PG": 5,
}
# Projects per partner, by continent (twinnings in Europe: one partner, one project, often)
PROJETS_PAR_PARTENAIRE = {"europe": 1.35, "afrique": 1.9, "asie": 1.7, "ameriques": 1.6, "oceanie": 1.5}
# Share of the APD by continent (2017 published split as an order of magnitude) and APD-heavy countries
APD_CONTINENT = {"afrique": 0.65, "asie": 0.11, "ameriques": 0.09, "europe": 0.09, "oceanie": 0.01}
APD_PAYS_FORTS = {"MG": 3.0, "SN": 2.6, "ML": 2.4, "HT": 2.0, "MA": 1.6, "BJ": 1.6, "VN": 1.8, "AM": 2.0,
                  "CM": 1.4, "NE": 1.3, "MR": 1.2, "TD": 1.1, "PS": 1.3, "LB": 1.2}

# Theme weights by continent (top-level theme codes)
THEMES_CONTINENT = {
    "afrique": {"eau_assainissement": 16, "gouvernance": 15, "education_jeunesse": 13, "sante": 11,
                "agriculture": 10, "developpement_urbain": 6, "environnement": 5, "economie_tourisme": 5,
                "culture_patrimoine_sport": 6, "action_sociale": 4, "urgence_humanitaire": 3, "sensibilisation": 3,
                "aide": 3},
    "europe": {"culture_patrimoine_sport": 22, "education_jeunesse": 20, "gouvernance": 12, "economie_tourisme": 9,
               "action_sociale": 9, "environnement": 7, "developpement_urbain": 5, "sante": 3, "agriculture": 3,
               "eau_assainissement": 2, "sensibilisation": 3, "urgence_humanitaire": 1, "aide": 4},
    "asie": {"culture_patrimoine_sport": 16, "developpement_urbain": 13, "economie_tourisme": 14,
             "gouvernance": 12, "education_jeunesse": 12, "environnement": 8, "eau_assainissement": 6, "sante": 6,
             "agriculture": 5, "urgence_humanitaire": 3, "action_sociale": 2, "sensibilisation": 1, "aide": 2},
    "ameriques": {"culture_patrimoine_sport": 16, "education_jeunesse": 14, "economie_tourisme": 13,
                  "gouvernance": 12, "environnement": 8, "urgence_humanitaire": 8, "sante": 7, "agriculture": 6,
                  "developpement_urbain": 6, "eau_assainissement": 5, "action_sociale": 3, "sensibilisation": 1,
                  "aide": 2},
    "oceanie": {"environnement": 20, "culture_patrimoine_sport": 18, "education_jeunesse": 15, "gouvernance": 12,
                "sante": 10, "economie_tourisme": 10, "eau_assainissement": 8, "urgence_humanitaire": 5,
                "aide": 2},
}
ADMIN1_PREFIXES = {"PL": "Voïvodie de ", "RO": "Județ de ", "DE": "Land de ", "CN": "Province du ",
                   "CA": "Province de ", "MA": "Région de ", "IT": "Région ", "ES": "Communauté de ",
                   "VN": "Province de ", "BF": "Région du ", "HU": "Comitat de ", "US": "État de ",
                   "JP": "Préfecture de ", "BR": "État de ", "MX": "État de ", "RU": "Oblast de "}

PRENOMS = ("Marie Nathalie Isabelle Sylvie Catherine Françoise Christine Anne Valérie Sandrine Sophie Martine "
           "Jean Philippe Michel Alain Patrick Nicolas Christophe Pierre Laurent Éric Frédéric Thierry Olivier "
           "Bernard Dominique Pascal Claire Hélène Julie Céline Élodie Karim Nadia Yves Luc Paul").split()
NOMS = ("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel "
        "Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet "
        "François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin "
        "Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Diallo Traoré Nguyen").split()


@dataclass
class _Slot:
    collectivite: int
    pays: str


def _rng() -> np.random.Generator:
    return np.random.Generator(np.random.PCG64(SEED))


def _scale_to_total(weights: np.ndarray, total: int, lo: np.ndarray | int = 1, hi: np.ndarray | int | None = None,
                    ) -> np.ndarray:
    """Integers proportional to ``weights`` that sum to ``total`` exactly, within [lo, hi] (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    lo = np.broadcast_to(np.asarray(lo, dtype=float), w.shape)
    hi = np.broadcast_to(np.asarray(np.inf if hi is None else hi, dtype=float), w.shape)
    if lo.sum() > total or hi.sum() < total:
        raise ValueError("bounds cannot reach the total")
    # find the scale factor by bisection so that sum(clip(w*k, lo, hi)) == total
    a, b = 0.0, 1.0
    while np.clip(w * b, lo, hi).sum() < total:
        b *= 2
    for _ in range(200):
        k = (a + b) / 2
        if np.clip(w * k, lo, hi).sum() < total:
            a = k
        else:
            b = k
    x = np.clip(w * b, lo, hi)
    base = np.floor(x).astype(int)
    base = np.maximum(base, lo.astype(int))
    rest = total - base.sum()
    frac = x - np.floor(x)
    order = np.argsort(-frac, kind="stable")
    i = 0
    while rest != 0:
        j = order[i % len(order)]
        if rest > 0 and base[j] < hi[j]:
            base[j] += 1
            rest -= 1
        elif rest < 0 and base[j] > lo[j]:
            base[j] -= 1
            rest += 1
        i += 1
    return base


def _split_exact(amounts: np.ndarray, total: int) -> np.ndarray:
    """Integer euros proportional to ``amounts`` summing exactly to ``total``."""
    x = amounts / amounts.sum() * total
    base = np.floor(x).astype(np.int64)
    rest = int(total - base.sum())
    order = np.argsort(-(x - base), kind="stable")
    base[order[:rest]] += 1
    return base


class DemoGenerator:
    """Generates the demo atlas. ``generate()`` returns the base tables; the same seed gives the same data."""

    def __init__(self, reference: Reference | None = None, progress=None):
        self.ref = reference or Reference()
        self.rng = _rng()
        self.progress = progress or (lambda msg: None)

    # --- French collectivities ---------------------------------------------------------------------------
    def _collectivites(self) -> pd.DataFrame:
        ref, rng = self.ref, self.rng
        communes = ref.communes.set_index("code_insee")
        deps = ref.departements.set_index("code_departement")
        anc = ref.anciennes_regions.set_index("code_ancienne_region")
        regs = ref.regions.set_index("code_region")
        rows = []

        def add(nom, type_, code_insee, code_region, seat=None, point=None, siren=None, code_dep=None, n=None):
            if point is None:
                c = communes.loc[seat]
                point = c.geometry
                code_dep = code_dep or c["code_departement"]
            rows.append(dict(nom=nom, type_collectivite=type_, code_insee=code_insee, siren=siren,
                             code_region=code_region, code_departement=code_dep, geometry=point, n_fixe=n))

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
            rows.append(dict(nom=e["nom"], type_collectivite="epci", code_insee=e["siren"], siren=e["siren"],
                             code_region=e["code_region"], code_departement=e["code_departement"],
                             geometry=e.geometry, n_fixe=None))
        # other bodies (water syndicates...), seated in real communes
        autres = [("Syndicat des eaux d'Île-de-France (SEDIF)", "75056"),
                  ("Syndicat interdépartemental pour l'assainissement de l'agglomération parisienne (SIAAP)", "75056")]
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
            rows.append(dict(nom=c["nom"], type_collectivite="commune", code_insee=code, siren=None,
                             code_region=c["code_region"], code_departement=c["code_departement"],
                             geometry=c.geometry, n_fixe=None))
        df = pd.DataFrame(rows)
        df["population"] = [self._population(r, communes, deps, regs) for r in df.itertuples()]
        df["id"] = [f"COL{i + 1:05d}" for i in range(len(df))]
        assert len(df) == N_COLLECTIVITES, len(df)
        return df

    @staticmethod
    def _population(r, communes, deps, regs) -> float:
        if r.type_collectivite == "commune":
            return float(communes.loc[r.code_insee, "population"] or 0)
        return {"region": 3e6, "departement": 8e5, "epci": 2e5, "outre_mer": 2e5, "autre": 1e5}[r.type_collectivite]

    def _project_counts(self, coll: pd.DataFrame) -> np.ndarray:
        rng = self.rng
        fixed = coll["n_fixe"].notna().to_numpy()
        total_rest = N_COOPERATIONS + N_ACTIONS - int(coll.loc[fixed, "n_fixe"].sum())
        t = coll["type_collectivite"].to_numpy()
        pop = coll["population"].to_numpy(float)
        base = np.select(
            [t == "region", t == "departement", t == "epci", t == "outre_mer", t == "autre"],
            [45.0, 14.0, 3.5, 8.0, 4.0], default=0.0)
        base = np.where(t == "commune", 0.55 + (pop / 1.5e4) ** 0.8, base)
        w = base * rng.lognormal(0, 0.55, len(coll))
        counts = np.zeros(len(coll), dtype=int)
        counts[fixed] = coll.loc[fixed, "n_fixe"].astype(int)
        counts[~fixed] = _scale_to_total(w[~fixed], total_rest, lo=1, hi=MAX_HORS_TOP)
        return counts

    # --- Countries and partners -------------------------------------------------------------------------------
    def _country_totals(self, pays: pd.DataFrame) -> pd.Series:
        codes = [c for c in POIDS_PAYS if c in set(pays["pays_code"])]
        weights = pd.Series({c: POIDS_PAYS[c] for c in codes}, dtype=float)
        if len(weights) > N_PAYS_PROJETS:
            weights = weights.sort_values(ascending=False, kind="stable").iloc[:N_PAYS_PROJETS]
        elif len(weights) < N_PAYS_PROJETS:
            extra = [c for c in pays.sort_values("pays_code")["pays_code"]
                     if c not in weights.index and c not in ("FR", PAYS_DEMANDES_SEULEMENT)
                     and pays.set_index("pays_code").loc[c, "continent"] not in ("antarctique",)]
            extra = list(self.rng.choice(extra, N_PAYS_PROJETS - len(weights), replace=False))
            weights = pd.concat([weights, pd.Series(3.0, index=sorted(extra))])
        totals = _scale_to_total(weights.to_numpy(), N_COOPERATIONS + N_ACTIONS, lo=1)
        return pd.Series(totals, index=weights.index)

    def _partner_pools(self, pays_codes) -> dict[str, dict[str, pd.DataFrame]]:
        lieux = self.ref.lieux
        admin1 = self.ref.admin1
        pools = {}
        for code in pays_codes:
            pl = lieux[lieux["pays_code"] == code]
            pa = admin1[(admin1["pays_code"] == code) & admin1["nom"].notna()]
            # draw an order of places weighted by sqrt(population): bigger towns are more often partners
            if len(pl):
                w = np.sqrt(pl["population"].fillna(0).to_numpy(float).clip(1000))
                order = self.rng.choice(len(pl), len(pl), replace=False, p=w / w.sum())
                pl = pl.iloc[order]
            if len(pa):
                pa = pa.iloc[self.rng.permutation(len(pa))]
            pools[code] = {"lieux": pl, "admin1": pa}
        return pools

    # --- The whole dataset ----------------------------------------------------------------------------------
    def generate(self) -> AtlasTables:
        rng = self.rng
        ref = self.ref
        self.progress("demo: collectivités")
        coll = self._collectivites()
        counts = self._project_counts(coll)
        pays = ref.pays.set_index("pays_code")
        continent = pays["continent"].to_dict()

        self.progress("demo: pays et partenaires")
        totals = self._country_totals(ref.pays)
        # the four sample projects are placed first
        sample_coll = {s["collectivite"]: coll.index[coll["nom"] == s["collectivite"]][0] for s in SAMPLE_PROJECTS}
        counts_rest = counts.copy()
        totals_rest = totals.copy()
        for s in SAMPLE_PROJECTS:
            counts_rest[sample_coll[s["collectivite"]]] -= 1
            totals_rest[s["pays"]] -= 1

        # collectivity -> countries (a transport problem solved greedily, biggest collectivities first)
        ctry = totals_rest.index.to_numpy()
        cap = totals_rest.to_numpy().astype(int).copy()
        cont = np.array([continent[c] for c in ctry])
        pref = {
            "region": {"afrique": 1.3, "europe": 0.8, "asie": 1.2, "ameriques": 1.0, "oceanie": 0.5},
            "departement": {"afrique": 1.3, "europe": 1.0, "asie": 0.8, "ameriques": 0.8, "oceanie": 0.3},
            "commune": {"afrique": 0.8, "europe": 1.4, "asie": 0.6, "ameriques": 0.7, "oceanie": 0.2},
            "epci": {"afrique": 1.1, "europe": 1.0, "asie": 0.8, "ameriques": 0.8, "oceanie": 0.3},
            "outre_mer": {"afrique": 0.3, "europe": 0.2, "asie": 0.5, "ameriques": 2.0, "oceanie": 6.0},
            "autre": {"afrique": 2.0, "europe": 0.5, "asie": 1.0, "ameriques": 0.8, "oceanie": 0.2},
        }
        slots: list[tuple[int, str]] = []
        order = np.argsort(-counts_rest, kind="stable")
        for i in order:
            need = int(counts_rest[i])
            t = coll.at[i, "type_collectivite"]
            pvec = np.array([pref[t].get(c, 0.1) for c in cont])
            while need > 0:
                w = cap * pvec
                if w.sum() <= 0:
                    w = cap.astype(float)
                j = rng.choice(len(ctry), p=w / w.sum())
                chunk = max(1, int(round(need * rng.uniform(0.3, 1.0)))) if need > 3 else need
                take = int(min(need, cap[j], chunk))
                slots.extend([(i, ctry[j])] * take)
                cap[j] -= take
                need -= take
        assert cap.sum() == 0

        # partners per country
        ratio = np.array([PROJETS_PAR_PARTENAIRE.get(continent[c], 1.6) for c in totals.index])
        pools = self._partner_pools(totals.index)
        avail = np.array([len(pools[c]["lieux"]) + len(pools[c]["admin1"]) for c in totals.index])
        pre = pd.Series(0, index=totals.index)
        for s in SAMPLE_PROJECTS:
            pre[s["pays"]] += 1
        hi = np.minimum(totals.to_numpy(), avail + pre.to_numpy())
        n_part = pd.Series(_scale_to_total(totals.to_numpy() / ratio, N_PARTENAIRES, lo=1, hi=hi), index=totals.index)

        self.progress("demo: partenaires et projets")
        partners: list[dict] = []
        projets: list[dict] = []

        def new_partner(code, kind, row=None, nom=None, point=None, precision="localite"):
            pid = f"PAR{len(partners) + 1:05d}"
            if row is not None and kind == "localite":
                nom, point = row["nom"], row.geometry
                geonameid, admin1_nom = int(row["geonameid"]), row.get("admin1_nom")
            elif row is not None:
                nom = ADMIN1_PREFIXES.get(code, "Région de ") + row["nom"]
                point, geonameid, admin1_nom = row.geometry, None, row["nom"]
                precision = "admin1"
            else:
                geonameid, admin1_nom = None, None
            partners.append(dict(id=pid, nom=nom, type_partenaire="region" if kind == "admin1" else "localite",
                                 pays_code=code, admin1_nom=admin1_nom, geonameid=geonameid,
                                 precision_geo=precision, en_recherche=False, geometry=point))
            return pid

        # sample partners
        sample_partner = {}
        lieux = ref.lieux
        for s in SAMPLE_PROJECTS:
            code = s["pays"]
            if s["partenaire"] == "Ziniaré":
                row = lieux[(lieux["pays_code"] == "BF") & (lieux["nom"] == "Ziniaré")].iloc[0]
                pid = new_partner(code, "localite", row=row)
            elif s["partenaire"] == "Voïvodie de Silésie":
                row = lieux[(lieux["pays_code"] == "PL") & (lieux["nom"] == "Katowice")].iloc[0]
                pid = new_partner(code, "admin1", nom=s["partenaire"], point=row.geometry, precision="admin1")
                partners[-1]["admin1_nom"] = "Silésie"
            elif s["partenaire"] == "Powiat de Wrocław":
                row = lieux[(lieux["pays_code"] == "PL") & (lieux["nom"] == "Wrocław")].iloc[0]
                pid = new_partner(code, "localite", nom=s["partenaire"], point=row.geometry, precision="admin2")
                partners[-1]["admin1_nom"] = "Basse-Silésie"
            else:  # Zimanga is not in the gazetteer: placed at the country, and said so
                pt = pays.loc[code].geometry.representative_point()
                pid = new_partner(code, "localite", nom=s["partenaire"], point=pt, precision="pays")
            sample_partner[s["partenaire"]] = pid

        by_country: dict[str, list[int]] = {}
        for k, (_, c) in enumerate(slots):
            by_country.setdefault(c, []).append(k)
        slot_partner = [None] * len(slots)
        for c in totals.index:
            ks = by_country.get(c, [])
            want = int(n_part[c]) - int(pre[c])
            pool_l, pool_a = pools[c]["lieux"], pools[c]["admin1"]
            il = ia = 0
            groups: dict[int, list[int]] = {}
            for k in ks:
                groups.setdefault(slots[k][0], []).append(k)
            firsts = [g[0] for g in groups.values()]
            others = [k for g in groups.values() for k in g[1:]]
            if want <= len(firsts):
                new_slots = list(rng.choice(firsts, want, replace=False)) if want > 0 else []
            else:
                extra = list(rng.choice(others, min(want - len(firsts), len(others)), replace=False))
                new_slots = firsts + extra
            created = []
            for k in sorted(new_slots):
                t = coll.at[slots[k][0], "type_collectivite"]
                use_admin1 = ia < len(pool_a) and (t in ("region", "departement") and rng.random() < 0.6
                                                   or il >= len(pool_l) or rng.random() < 0.06)
                if use_admin1:
                    pid = new_partner(c, "admin1", row=pool_a.iloc[ia])
                    ia += 1
                else:
                    pid = new_partner(c, "localite", row=pool_l.iloc[il])
                    il += 1
                slot_partner[k] = pid
                created.append(pid)
            pre_ids = [sample_partner[s["partenaire"]] for s in SAMPLE_PROJECTS if s["pays"] == c]
            country_partners = created + pre_ids
            for g in groups.values():
                used = [slot_partner[k] for k in g if slot_partner[k]]
                for k in g:
                    if slot_partner[k] is None:
                        if used and rng.random() < 0.7:
                            slot_partner[k] = used[rng.integers(len(used))]
                        else:
                            slot_partner[k] = country_partners[rng.integers(len(country_partners))]
                            used.append(slot_partner[k])

        # projects
        n_total = len(slots) + len(SAMPLE_PROJECTS)
        is_action = np.zeros(len(slots), dtype=bool)
        is_action[rng.choice(len(slots), N_ACTIONS, replace=False)] = True
        part_df = pd.DataFrame(partners).set_index("id")
        for k, (i, c) in enumerate(slots):
            projets.append(self._project(coll.loc[i], part_df.loc[slot_partner[k]], slot_partner[k], c,
                                         continent[c], bool(is_action[k])))
        for s in SAMPLE_PROJECTS:
            i = sample_coll[s["collectivite"]]
            projets.append(dict(
                collectivite_id=coll.at[i, "id"], partenaire_id=sample_partner[s["partenaire"]], pays_code=s["pays"],
                titre=s["titre"], description=f"{s['titre']}. Projet cité dans le guide pratique de l'Atlas.",
                type_action="cooperation_decentralisee", jumelage=False, statut=s["statut"],
                thematique="aide", sous_thematique="aide_non_specifiee", sous_sous_thematique="aide_non_specifiee",
                annee_convention=s["annee_convention"], annee_lancement=s["annee_lancement"], annee_fin=None,
                cofinancements=[], loi_oudin=False, date_maj="2012-11-15"))
        # stable order: by collectivity, then partner, then title
        projets.sort(key=lambda p: (p["collectivite_id"], p["partenaire_id"], p["titre"]))
        for n, p in enumerate(projets):
            p["id"] = f"PRJ{n + 1:06d}"
        assert len(projets) == n_total

        self.progress("demo: Bourse projets")
        demandes, seekers = self._demandes(totals.index, continent, len(partners))
        partners.extend(seekers)

        self.progress("demo: cofinancements et APD")
        cofin = self._cofinancements(projets)
        apd = self._apd(coll, projets, continent)
        contacts = self._contacts(coll)

        coll_out = coll.drop(columns=["n_fixe", "population"]).join(contacts)
        coll_out["date_maj"] = "2013-06-30"
        projets_df = pd.DataFrame(projets).drop(columns=["cofinancements"])
        return AtlasTables(
            collectivites=coll_out, partenaires=pd.DataFrame(partners), projets=projets_df,
            demandes=pd.DataFrame(demandes), apd=apd, cofinancements=cofin,
            metadata={"synthetique": True, "notice_fr": NOTICE_FR, "notice_en": NOTICE_EN, "graine": SEED,
                      "date_donnees": "2013-06-30"},
        )

    # --- One project -----------------------------------------------------------------------------------------
    def _project(self, coll_row, partner_row, partner_id, pays_code, continent, action: bool) -> dict:
        rng = self.rng
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
        leaves = [t for t in voc.SOUS_SOUS_THEMATIQUES if t.extra["sous_thematique"] == sub.code
                  and t.extra["thematique"] == theme]
        leaf = leaves[rng.integers(len(leaves))]
        start = int(np.clip(round(rng.normal(2004, 5.5)), 1982, 2013))
        if jumelage:
            start = int(np.clip(round(rng.normal(1994, 10)), 1959, 2013))
        conv = start - int(rng.integers(0, 2)) if rng.random() < 0.75 else None
        age = 2013 - start
        p_fin = min(0.85, age / 14)
        statut = ("en_projet" if start >= 2012 and rng.random() < 0.6 else
                  "termine" if rng.random() < p_fin else "suspendu" if rng.random() < 0.04 else "en_cours")
        fin = int(min(2013, start + rng.integers(1, 6))) if statut == "termine" else None
        water = theme == "eau_assainissement"
        cof = []
        if not jumelage:
            for code, p in (("mae", 0.13), ("afd", 0.03), ("ue", 0.06), ("agence_eau", 0.45 if water else 0.0),
                            ("collectivite", 0.07), ("autre", 0.08)):
                if rng.random() < p:
                    cof.append(code)
        oudin = bool(water and rng.random() < 0.55) or (leaf.code in ("gestion_dechets", "energies_renouvelables")
                                                          and rng.random() < 0.2)
        partner = partner_row["nom"]
        titre = (f"Jumelage {coll_row['nom']} – {partner}" if jumelage else f"{leaf.fr} à {partner}")
        if action:
            titre = f"{sub.fr} : action ponctuelle à {partner}"
        desc = (f"{'Action extérieure' if action else 'Coopération'} de {coll_row['nom']} avec {partner} "
                f"({voc.THEMATIQUES[theme].fr.lower()} : {leaf.fr.lower()}). Projet fictif de démonstration.")
        maj = dt.date(2010, 1, 1) + dt.timedelta(days=int(rng.integers(0, 1276)))
        return dict(collectivite_id=coll_row["id"], partenaire_id=partner_id, pays_code=pays_code, titre=titre,
                    description=desc, type_action="action_exterieure" if action else "cooperation_decentralisee",
                    jumelage=jumelage, statut=statut, thematique=theme, sous_thematique=sub.code,
                    sous_sous_thematique=leaf.code, annee_convention=conv, annee_lancement=start, annee_fin=fin,
                    cofinancements=cof, cofinancement_types=",".join(cof) or None, loi_oudin=oudin,
                    date_maj=maj.isoformat())

    def _cofinancements(self, projets) -> pd.DataFrame:
        rng = self.rng
        rows = []
        scale = {"mae": 25000, "afd": 120000, "ue": 80000, "agence_eau": 30000, "collectivite": 8000, "autre": 10000}
        for p in projets:
            for code in p.get("cofinancements") or []:
                year = p["annee_lancement"] or 2010
                rows.append(dict(projet_id=p["id"], type_cofinancement=code, annee=int(year),
                                 montant=float(round(scale[code] * rng.lognormal(0, 0.6), -2)),
                                 collectivite_id=p["collectivite_id"], pays_code=p["pays_code"]))
        df = pd.DataFrame(rows)
        df.insert(0, "id", [f"COF{i + 1:06d}" for i in range(len(df))])
        return df

    def _apd(self, coll: pd.DataFrame, projets, continent) -> pd.DataFrame:
        """APD declarations whose yearly totals are exactly the published world and Burkina Faso figures."""
        rng = self.rng
        pairs = pd.DataFrame([(p["collectivite_id"], p["pays_code"]) for p in projets],
                             columns=["collectivite_id", "pays_code"]).value_counts().reset_index(name="n")
        types = coll.set_index("id")["type_collectivite"]
        tw = {"region": 6.0, "departement": 3.0, "epci": 1.5, "commune": 0.6, "outre_mer": 1.0, "autre": 2.0}
        pairs = pairs[pairs["pays_code"].map(lambda c: continent[c] != "europe" or c in ("AM", "MD", "UA", "GE", "AL",
                                                                                         "RS", "BA", "MK"))]
        pairs["w"] = (pairs["collectivite_id"].map(types).map(tw) * pairs["n"] ** 0.7
                      * pairs["pays_code"].map(lambda c: APD_PAYS_FORTS.get(c, 1.0)))
        rows = []
        for year in sorted(APD_MONDE):
            # each year, a draw of the declaring pairs (declarations are not made every year by everybody)
            keep = pairs[rng.random(len(pairs)) < np.clip(0.25 * pairs["w"] ** 0.5, 0.08, 0.95)]
            amount = keep["w"].to_numpy() * rng.lognormal(0, 0.9, len(keep))
            cont = keep["pays_code"].map(continent).to_numpy()
            bf = keep["pays_code"].to_numpy() == "BF"
            euros = np.zeros(len(keep), dtype=np.int64)
            euros[bf] = _split_exact(amount[bf], APD_BF[year])
            rest_total = APD_MONDE[year] - APD_BF[year]
            # continent shares, then countries within continent in proportion to the drawn amounts
            nbf = ~bf
            cont_total = {c: 0.0 for c in APD_CONTINENT}
            present = {c for c in cont[nbf]}
            shares = {c: s for c, s in APD_CONTINENT.items() if c in present}
            # Africa's share includes Burkina Faso's part
            shares["afrique"] = max(0.05, shares.get("afrique", 0) - APD_BF[year] / APD_MONDE[year])
            tot_share = sum(shares.values())
            cont_euros = dict(zip(shares, _split_exact(np.array(list(shares.values())) / tot_share, rest_total)))
            for c, e in cont_euros.items():
                mask = nbf & (cont == c)
                euros[mask] = _split_exact(amount[mask], int(e))
                cont_total[c] = e
            for (cid, pc), e in zip(keep[["collectivite_id", "pays_code"]].itertuples(index=False), euros):
                if e > 0:
                    rows.append(dict(collectivite_id=cid, pays_code=pc, annee=year, montant=float(e)))
        df = pd.DataFrame(rows).sort_values(["annee", "collectivite_id", "pays_code"], kind="stable")
        df.insert(0, "id", [f"APD{i + 1:06d}" for i in range(len(df))])
        return df.reset_index(drop=True)

    def _contacts(self, coll: pd.DataFrame) -> pd.DataFrame:
        rng = self.rng
        out = []
        for r in coll.itertuples():
            slug = normalise(r.nom).replace(" ", "-")[:40].strip("-")
            pe, ne = PRENOMS[rng.integers(len(PRENOMS))], NOMS[rng.integers(len(NOMS))]
            pd_, nd = PRENOMS[rng.integers(len(PRENOMS))], NOMS[rng.integers(len(NOMS))]
            fonction = {"commune": "Adjoint(e) au maire chargé(e) des relations internationales",
                        "region": "Vice-président(e) chargé(e) des relations internationales",
                        "departement": "Vice-président(e) chargé(e) de la coopération décentralisée"}.get(
                r.type_collectivite, "Élu(e) délégué(e) à l'action internationale")
            out.append(dict(
                elu_nom=f"{pe} {ne}", elu_fonction=fonction,
                elu_email=f"{normalise(pe)[:1]}.{normalise(ne).replace(' ', '')}@{slug}.example",
                elu_telephone=f"01 99 00 {rng.integers(0, 100):02d} {rng.integers(0, 100):02d}",
                directeur_nom=f"{pd_} {nd}", directeur_fonction="Directeur(trice) des relations internationales",
                directeur_email=f"{normalise(pd_)[:1]}.{normalise(nd).replace(' ', '')}@{slug}.example",
                directeur_telephone=f"01 99 00 {rng.integers(0, 100):02d} {rng.integers(0, 100):02d}",
            ))
        return pd.DataFrame(out, index=coll.index)

    # --- Bourse projets ---------------------------------------------------------------------------------------
    def _demandes(self, project_countries, continent, n_partners) -> tuple[list[dict], list[dict]]:
        """137 public requests (validated or matched) from 110 seeking authorities, plus private ones."""
        rng = self.rng
        lieux = self.ref.lieux
        pays = self.ref.pays.set_index("pays_code")
        n_places = lieux["pays_code"].value_counts()
        candidates = [c for c in project_countries if continent[c] in ("afrique", "asie", "ameriques")
                      and n_places.get(c, 0) >= 10]
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
            seekers.append(dict(id=f"PAR{n_partners + n + 1:05d}", nom=row["nom"], type_partenaire="localite",
                                pays_code=code, admin1_nom=row.get("admin1_nom"), geonameid=int(row["geonameid"]),
                                precision_geo="localite", en_recherche=True, geometry=row.geometry))
        # 110 authorities, 137 public requests: 27 authorities post a second request
        authors = list(range(N_EN_RECHERCHE)) + list(rng.choice(N_EN_RECHERCHE, N_DEMANDES - N_EN_RECHERCHE,
                                                                 replace=False))
        statuses = ["validee"] * (N_DEMANDES - 15) + ["pourvue"] * 15
        private = ["soumise"] * 9 + ["a_completer"] * 4 + ["rejetee"] * 6
        for k, (a, st) in enumerate(list(zip(authors, statuses)) + [(int(rng.integers(N_EN_RECHERCHE)), s)
                                                                     for s in private]):
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
            demandes.append(dict(
                id=f"DEM{k + 1:05d}", titre=f"{leaf.fr} à {s['nom']}",
                description=(f"{s['nom']} ({pays.loc[code, 'nom_fr']}) recherche une collectivité territoriale "
                             f"française pour un projet de {voc.THEMATIQUES[theme].fr.lower()}. Demande fictive "
                             "de démonstration."),
                type_action="demande_cooperation",
                demandeur_id=s["id"] if st in ("validee", "pourvue") else None, demandeur_nom=s["nom"],
                pays_code=code, thematique=theme, sous_thematique=sub.code, sous_sous_thematique=leaf.code,
                profil_partenaire=rng.choice(["Commune de taille comparable", "Département ou région",
                                              "Intercommunalité", "Toute collectivité"]),
                langues=rng.choice(["français", "français, anglais", "anglais", "espagnol, français"]),
                contact_nom=contact,
                contact_email=f"contact{k + 1}@{normalise(s['nom']).replace(' ', '-')}.example",
                statut_validation=st, date_depot=depot.isoformat(),
                date_validation=valid.isoformat() if valid else None,
                geometry=s["geometry"],
            ))
        return demandes, seekers


def generate(reference: Reference | None = None, progress=None) -> AtlasTables:
    """The demo atlas's base tables (deterministic)."""
    return DemoGenerator(reference, progress).generate()
