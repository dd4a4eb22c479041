"""The official development aid (APD) declared in the demo atlas: per collectivity, country and year, summing to
the published yearly totals of the world and of Burkina Faso, spread over continents as published for 2017;
each declaration then split into lines per DAC sector and channel of delivery, with policy markers
(:mod:`.apd_lines`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from .apd_lines import declaration_lines
from .figures import APD_BF, APD_MONDE
from .plausible import APD_CONTINENT, APD_PAYS_FORTS
from .sampling import split_exact


def apd_declarations(
    coll: pd.DataFrame, projets: list[dict], continent: dict, rng: np.random.Generator
) -> pd.DataFrame:
    """APD declaration lines whose yearly totals are exactly the published world and Burkina Faso figures."""
    pairs = (
        pd.DataFrame(
            [(p["collectivite_id"], p["pays_code"]) for p in projets], columns=["collectivite_id", "pays_code"]
        )
        .value_counts()
        .reset_index(name="n")
    )
    types = coll.set_index("id")["type_collectivite"]
    tw = {"region": 6.0, "departement": 3.0, "epci": 1.5, "commune": 0.6, "outre_mer": 1.0, "autre": 2.0}
    pairs = pairs[
        pairs["pays_code"].map(
            lambda c: continent[c] != "europe" or c in ("AM", "MD", "UA", "GE", "AL", "RS", "BA", "MK")
        )
    ]
    pairs["w"] = (
        pairs["collectivite_id"].map(types).map(tw)
        * pairs["n"] ** 0.7
        * pairs["pays_code"].map(lambda c: APD_PAYS_FORTS.get(c, 1.0))
    )
    rows = []
    for year in sorted(APD_MONDE):
        # each year, a draw of the declaring pairs (declarations are not made every year by everybody)
        keep = pairs[rng.random(len(pairs)) < np.clip(0.25 * pairs["w"] ** 0.5, 0.08, 0.95)]
        amount = keep["w"].to_numpy() * rng.lognormal(0, 0.9, len(keep))
        cont = keep["pays_code"].map(continent).to_numpy()
        bf = keep["pays_code"].to_numpy() == "BF"
        euros = np.zeros(len(keep), dtype=np.int64)
        euros[bf] = split_exact(amount[bf], APD_BF[year])
        rest_total = APD_MONDE[year] - APD_BF[year]
        # continent shares, then countries within continent in proportion to the drawn amounts
        nbf = ~bf
        cont_total = {c: 0.0 for c in APD_CONTINENT}
        present = {c for c in cont[nbf]}
        shares = {c: s for c, s in APD_CONTINENT.items() if c in present}
        # Africa's share includes Burkina Faso's part
        shares["afrique"] = max(0.05, shares.get("afrique", 0) - APD_BF[year] / APD_MONDE[year])
        tot_share = sum(shares.values())
        cont_euros = dict(zip(shares, split_exact(np.array(list(shares.values())) / tot_share, rest_total)))
        for c, e in cont_euros.items():
            mask = nbf & (cont == c)
            euros[mask] = split_exact(amount[mask], int(e))
            cont_total[c] = e
        for (cid, pc), e in zip(keep[["collectivite_id", "pays_code"]].itertuples(index=False), euros):
            if e > 0:
                rows.append(dict(collectivite_id=cid, pays_code=pc, annee=year, montant=float(e)))
    df = pd.DataFrame(rows).sort_values(["annee", "collectivite_id", "pays_code"], kind="stable")
    return declaration_lines(df.reset_index(drop=True), projets)
