"""Where the projects of the demo atlas go and with whom: projects per country, one slot per project for a
collectivity and a country, and the foreign partners (real GeoNames places or admin-1 regions) of each slot."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..reference import Reference
from .figures import N_ACTIONS, N_COOPERATIONS, N_PAYS_PROJETS, PAYS_DEMANDES_SEULEMENT, SAMPLE_PROJECTS
from .plausible import POIDS_PAYS
from .sampling import scale_to_total


def country_totals(pays: pd.DataFrame, rng: np.random.Generator) -> pd.Series:
    """Projects per country: the 144 countries of ``POIDS_PAYS`` (or completed by a draw), scaled to the
    published total of projects."""
    codes = [c for c in POIDS_PAYS if c in set(pays["pays_code"])]
    weights = pd.Series({c: POIDS_PAYS[c] for c in codes}, dtype=float)
    if len(weights) > N_PAYS_PROJETS:
        weights = weights.sort_values(ascending=False, kind="stable").iloc[:N_PAYS_PROJETS]
    elif len(weights) < N_PAYS_PROJETS:
        extra = [
            c
            for c in pays.sort_values("pays_code")["pays_code"]
            if c not in weights.index
            and c not in ("FR", PAYS_DEMANDES_SEULEMENT)
            and pays.set_index("pays_code").loc[c, "continent"] not in ("antarctique",)
        ]
        extra = list(rng.choice(extra, N_PAYS_PROJETS - len(weights), replace=False))
        weights = pd.concat([weights, pd.Series(3.0, index=sorted(extra))])
    totals = scale_to_total(weights.to_numpy(), N_COOPERATIONS + N_ACTIONS, lo=1)
    return pd.Series(totals, index=weights.index)


def partner_pools(ref: Reference, pays_codes, rng: np.random.Generator) -> dict[str, dict[str, pd.DataFrame]]:
    """For each country, its GeoNames places (bigger towns first, by a weighted draw) and admin-1 regions
    (shuffled), from which partners are taken in turn."""
    lieux = ref.lieux
    admin1 = ref.admin1
    pools = {}
    for code in pays_codes:
        pl = lieux[lieux["pays_code"] == code]
        pa = admin1[(admin1["pays_code"] == code) & admin1["nom"].notna()]
        # draw an order of places weighted by sqrt(population): bigger towns are more often partners
        if len(pl):
            w = np.sqrt(pl["population"].fillna(0).to_numpy(float).clip(1000))
            order = rng.choice(len(pl), len(pl), replace=False, p=w / w.sum())
            pl = pl.iloc[order]
        if len(pa):
            pa = pa.iloc[rng.permutation(len(pa))]
        pools[code] = {"lieux": pl, "admin1": pa}
    return pools


def allocate_slots(
    coll: pd.DataFrame, counts: np.ndarray, totals: pd.Series, continent: dict, rng: np.random.Generator
) -> list[tuple[int, str]]:
    """One ``(collectivity row, country)`` slot per project: each collectivity's ``counts`` spread over the
    countries' ``totals`` (a transport problem solved greedily, biggest collectivities first, with
    preferences of each type of collectivity for each continent)."""
    ctry = totals.index.to_numpy()
    cap = totals.to_numpy().astype(int).copy()
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
    order = np.argsort(-counts, kind="stable")
    for i in order:
        need = int(counts[i])
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
    return slots


class PartnerRegistry:
    """The partners created so far (ids ``PAR00001``... in order of creation)."""

    def __init__(self):
        self.partners: list[dict] = []

    def new(self, code, kind, row=None, nom=None, point=None, precision="localite") -> str:
        """Add a partner in country ``code``: a GeoNames place or admin-1 region (``row``), or a name and a
        point; its id."""
        pid = f"PAR{len(self.partners) + 1:05d}"
        if row is not None and kind == "localite":
            nom, point = row["nom"], row.geometry
            geonameid, admin1_nom = int(row["geonameid"]), row.get("admin1_nom")
        elif row is not None:
            nom = row["nom"]  # the reference's name (French where it has one): no French prefix grafted on
            point, geonameid, admin1_nom = row.geometry, None, row["nom"]
            precision = "admin1"
        else:
            geonameid, admin1_nom = None, None
        self.partners.append(
            dict(
                id=pid,
                nom=nom,
                type_partenaire="region" if kind == "admin1" else "localite",
                pays_code=code,
                admin1_nom=admin1_nom,
                geonameid=geonameid,
                precision_geo=precision,
                en_recherche=False,
                geometry=point,
            )
        )
        return pid


def place_sample_partners(registry: PartnerRegistry, ref: Reference, pays: pd.DataFrame) -> dict[str, str]:
    """The partners of the guide's four sample projects, placed as the guide names them: partner name -> id."""
    sample_partner = {}
    lieux = ref.lieux
    for s in SAMPLE_PROJECTS:
        code = s["pays"]
        if s["partenaire"] == "Ziniaré":
            row = lieux[(lieux["pays_code"] == "BF") & (lieux["nom"] == "Ziniaré")].iloc[0]
            pid = registry.new(code, "localite", row=row)
        elif s["partenaire"] == "Voïvodie de Silésie":
            row = lieux[(lieux["pays_code"] == "PL") & (lieux["nom"] == "Katowice")].iloc[0]
            pid = registry.new(code, "admin1", nom=s["partenaire"], point=row.geometry, precision="admin1")
            registry.partners[-1]["admin1_nom"] = "Silésie"
        elif s["partenaire"] == "Powiat de Wrocław":
            row = lieux[(lieux["pays_code"] == "PL") & (lieux["nom"] == "Wrocław")].iloc[0]
            pid = registry.new(code, "localite", nom=s["partenaire"], point=row.geometry, precision="admin2")
            registry.partners[-1]["admin1_nom"] = "Basse-Silésie"
        else:  # Zimanga is not in the gazetteer: placed at the country, and said so
            pt = pays.loc[code].geometry.representative_point()
            pid = registry.new(code, "localite", nom=s["partenaire"], point=pt, precision="pays")
        sample_partner[s["partenaire"]] = pid
    return sample_partner


def assign_partners(
    slots: list[tuple[int, str]],
    totals: pd.Series,
    n_part: pd.Series,
    pre: pd.Series,
    pools: dict,
    coll: pd.DataFrame,
    registry: PartnerRegistry,
    sample_partner: dict[str, str],
    rng: np.random.Generator,
) -> list[str]:
    """The partner of each slot: ``n_part`` partners per country (``pre`` of them the samples'), new ones
    taken from the country's pools, the others shared by the projects of a collectivity."""
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
            use_admin1 = ia < len(pool_a) and (
                t in ("region", "departement") and rng.random() < 0.6 or il >= len(pool_l) or rng.random() < 0.06
            )
            if use_admin1:
                pid = registry.new(c, "admin1", row=pool_a.iloc[ia])
                ia += 1
            else:
                pid = registry.new(c, "localite", row=pool_l.iloc[il])
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
    return slot_partner
