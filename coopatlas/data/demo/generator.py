"""The demo generator: the steps of a build in their order (the order of the random draws, hence the bytes)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..reference import Reference
from ..tables import AtlasTables
from .apd import apd_declarations
from .collectivites import contacts, french_collectivities, project_counts
from .demandes import demandes
from .figures import N_ACTIONS, N_PARTENAIRES, NOTICE_EN, NOTICE_FR, SAMPLE_PROJECTS, SEED
from .partenaires import (
    PartnerRegistry,
    allocate_slots,
    assign_partners,
    country_totals,
    partner_pools,
    place_sample_partners,
)
from .plausible import PROJETS_PAR_PARTENAIRE
from .projets import cofinancements, project, sample_project
from .sampling import new_rng, scale_to_total


class DemoGenerator:
    """Generates the demo atlas. ``generate()`` returns the base tables; the same seed gives the same data."""

    def __init__(self, reference: Reference | None = None, progress=None):
        self.ref = reference or Reference()
        self.rng = new_rng()
        self.progress = progress or (lambda msg: None)

    def generate(self) -> AtlasTables:
        rng = self.rng
        ref = self.ref
        self.progress("demo: collectivités")
        coll = french_collectivities(ref, rng)
        counts = project_counts(coll, rng)
        pays = ref.pays.set_index("pays_code")
        continent = pays["continent"].to_dict()

        self.progress("demo: pays et partenaires")
        totals = country_totals(ref.pays, rng)
        # the four sample projects are placed first
        sample_coll = {s["collectivite"]: coll.index[coll["nom"] == s["collectivite"]][0] for s in SAMPLE_PROJECTS}
        counts_rest = counts.copy()
        totals_rest = totals.copy()
        for s in SAMPLE_PROJECTS:
            counts_rest[sample_coll[s["collectivite"]]] -= 1
            totals_rest[s["pays"]] -= 1
        slots = allocate_slots(coll, counts_rest, totals_rest, continent, rng)

        # partners per country
        ratio = np.array([PROJETS_PAR_PARTENAIRE.get(continent[c], 1.6) for c in totals.index])
        pools = partner_pools(ref, totals.index, rng)
        avail = np.array([len(pools[c]["lieux"]) + len(pools[c]["admin1"]) for c in totals.index])
        pre = pd.Series(0, index=totals.index)
        for s in SAMPLE_PROJECTS:
            pre[s["pays"]] += 1
        hi = np.minimum(totals.to_numpy(), avail + pre.to_numpy())
        n_part = pd.Series(scale_to_total(totals.to_numpy() / ratio, N_PARTENAIRES, lo=1, hi=hi), index=totals.index)

        self.progress("demo: partenaires et projets")
        registry = PartnerRegistry()
        partners = registry.partners
        sample_partner = place_sample_partners(registry, ref, pays)
        slot_partner = assign_partners(slots, totals, n_part, pre, pools, coll, registry, sample_partner, rng)

        # projects
        projets: list[dict] = []
        n_total = len(slots) + len(SAMPLE_PROJECTS)
        is_action = np.zeros(len(slots), dtype=bool)
        is_action[rng.choice(len(slots), N_ACTIONS, replace=False)] = True
        part_df = pd.DataFrame(partners).set_index("id")
        for k, (i, c) in enumerate(slots):
            projets.append(
                project(
                    coll.loc[i], part_df.loc[slot_partner[k]], slot_partner[k], c, continent[c], bool(is_action[k]), rng
                )
            )
        for s in SAMPLE_PROJECTS:
            i = sample_coll[s["collectivite"]]
            projets.append(sample_project(s, coll.at[i, "id"], sample_partner[s["partenaire"]]))
        # stable order: by collectivity, then partner, then title
        projets.sort(key=lambda p: (p["collectivite_id"], p["partenaire_id"], p["titre"]))
        for n, p in enumerate(projets):
            p["id"] = f"PRJ{n + 1:06d}"
        assert len(projets) == n_total

        self.progress("demo: Bourse projets")
        requests, seekers = demandes(ref, totals.index, continent, len(partners), rng)
        partners.extend(seekers)

        self.progress("demo: cofinancements et APD")
        cofin = cofinancements(projets, rng)
        apd = apd_declarations(coll, projets, continent, rng)
        people = contacts(coll, rng)

        coll_out = coll.drop(columns=["n_fixe", "population"]).join(people)
        coll_out["date_maj"] = "2013-06-30"
        projets_df = pd.DataFrame(projets).drop(columns=["cofinancements"])
        return AtlasTables(
            collectivites=coll_out,
            partenaires=pd.DataFrame(partners),
            projets=projets_df,
            demandes=pd.DataFrame(requests),
            apd=apd,
            cofinancements=cofin,
            metadata={
                "synthetique": True,
                "notice_fr": NOTICE_FR,
                "notice_en": NOTICE_EN,
                "graine": SEED,
                "date_donnees": "2013-06-30",
            },
        )


def generate(reference: Reference | None = None, progress=None) -> AtlasTables:
    """The demo atlas's base tables (deterministic)."""
    return DemoGenerator(reference, progress).generate()
