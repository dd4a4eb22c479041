"""The lines of the demo APD declarations: each declared amount (one collectivity, country and year) split
across DAC sectors and channels of delivery, with OECD policy markers, as the annual declaration of French
collectivities gives them. SYNTHETIC, like the rest of the demo.

* sectors: the DAC purpose codes of the collectivity's projects in that country (their leaf themes), one to
  three of them, drawn in proportion to the projects; "sectors not specified" (99810) when none;
* channels: mostly the partner authority (12000 recipient government) or the collectivity itself (11000
  donor government), then NGOs of France (22000) or of the country (23000), rarely a multilateral agency
  (41000), delegated co-operation (13000) or a university (51000); sometimes two channels;
* markers: scored from the sector (principal where the sector is the objective itself: 15170 for gender,
  41030 for biodiversity…; significant with a probability for related sectors); a declaration leaves its
  markers empty (not declared) now and then, the nutrition and desertification markers more often.

The split keeps every declared amount EXACTLY (integer euros summing to it), so the totals per
collectivity, country and year, hence the published figures, do not move. Its draws come from their own
random stream (seeded from the demo's seed), so that the rest of the demo keeps its draws.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np
import pandas as pd

from ... import vocabulary as voc
from .figures import SEED
from .sampling import split_exact

#: The spawn key of the random stream of the split (distinct from the demo's main stream).
STREAM = 16
NOT_SPECIFIED = "99810"
#: Channels of delivery of the demo and their weights.
CHANNELS = {"12000": 0.40, "11000": 0.25, "22000": 0.17, "23000": 0.11, "41000": 0.03, "13000": 0.02, "51000": 0.02}
#: Per marker: the sectors where it is the principal objective, those where it is significant with a
#: probability, and the probability of a significant score elsewhere.
MARKER_RULES = {
    "genre": ({"15170"}, {"11220": 0.45, "11330": 0.45, "12220": 0.45, "12240": 0.45, "24040": 0.5}, 0.2),
    "environnement": (
        {"41010", "41030", "41020", "14015", "23210", "14050"},
        {"14030": 0.5, "14031": 0.5, "14032": 0.5, "31120": 0.4, "31161": 0.4, "43030": 0.3, "43040": 0.3},
        0.04,
    ),
    "biodiversite": ({"41030"}, {"41010": 0.35, "14015": 0.35, "31120": 0.3, "31161": 0.3, "33210": 0.3}, 0.0),
    "climat_attenuation": ({"23210"}, {"21020": 0.35, "43030": 0.3, "14050": 0.35, "41010": 0.3}, 0.0),
    "climat_adaptation": (
        {"41020"},
        {"14015": 0.4, "31120": 0.4, "31161": 0.4, "74020": 0.5, "14030": 0.3, "14031": 0.3},
        0.0,
    ),
    "desertification": (set(), {"31120": 0.3, "31161": 0.3, "41030": 0.3, "41020": 0.3, "14015": 0.3}, 0.0),
    "nutrition": ({"12240"}, {"52010": 0.5, "31161": 0.5, "72040": 0.5, "12220": 0.3}, 0.0),
}
#: Probability that a declaration gives no marker at all, and that it leaves out the two least used ones.
NO_MARKERS, LEFT_OUT = 0.15, {"nutrition": 0.35, "desertification": 0.3}


def split_rng() -> np.random.Generator:
    """The random stream of the split: seeded from the demo's seed, its own spawn key."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(SEED, spawn_key=(STREAM,))))


def _sectors_by_pair(projets: list[dict]) -> dict[tuple[str, str], Counter]:
    """``(collectivite_id, pays_code)`` -> DAC purpose codes of its projects, counted."""
    out: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for p in projets:
        leaf = p.get("sous_sous_thematique")
        if leaf:
            out[(p["collectivite_id"], p["pays_code"])][voc.secteur_cad(leaf)] += 1
    return out


#: ``(marker code, its APD field)`` in the order of the rules.
_FIELDS = [(code, voc.MARQUEURS[code].extra["champ"]) for code in MARKER_RULES]


def _markers(sector: str, declared: dict[str, bool], rng: np.random.Generator) -> dict[str, int | None]:
    scores = {}
    for (code, field), draw in zip(_FIELDS, rng.random(len(_FIELDS))):
        principal, significant, elsewhere = MARKER_RULES[code]
        if not declared[code]:
            scores[field] = None
        elif sector in principal:
            scores[field] = 2
        else:
            scores[field] = 1 if draw < significant.get(sector, elsewhere) else 0
    return scores


def _weighted_sample(items: list[str], weights: np.ndarray, k: int, rng: np.random.Generator) -> list[str]:
    """``k`` distinct items drawn in proportion to ``weights`` (Gumbel top-k: one draw per item)."""
    keys = np.log(weights) + rng.gumbel(size=len(items))
    return [items[i] for i in np.argsort(-keys, kind="stable")[:k]]


def declaration_lines(apd: pd.DataFrame, projets: list[dict]) -> pd.DataFrame:
    """The lines of the declarations ``apd`` (``collectivite_id``, ``pays_code``, ``annee``, ``montant``):
    one per sector and channel, with markers; the amounts of a declaration sum to its ``montant``."""
    rng = split_rng()
    sectors = _sectors_by_pair(projets)
    channels, channel_weights = list(CHANNELS), np.array(list(CHANNELS.values()))
    rows = []
    for decl in apd.itertuples(index=False):
        counted = sectors.get((decl.collectivite_id, decl.pays_code)) or Counter({NOT_SPECIFIED: 1})
        codes = sorted(counted)
        weights = np.array([counted[c] for c in codes], dtype=float)
        draws = rng.random(4)
        n_sectors = min(len(codes), 1 + int(draws[0] < 0.5) + int(draws[1] < 0.15))
        chosen = _weighted_sample(codes, weights, n_sectors, rng)
        via = _weighted_sample(channels, channel_weights, 2 if draws[2] < 0.25 else 1, rng)
        cells = [(sector, channel) for sector in chosen for channel in via]
        euros = split_exact(rng.gamma(2.0, size=len(cells)), int(decl.montant))  # Dirichlet(2) shares
        left_out = rng.random(len(MARKER_RULES))
        declared = {
            code: draws[3] >= NO_MARKERS and draw >= LEFT_OUT.get(code, 0.0)
            for code, draw in zip(MARKER_RULES, left_out)
        }
        for (sector, channel), amount in zip(cells, euros):
            if amount > 0:
                rows.append(
                    dict(
                        collectivite_id=decl.collectivite_id,
                        pays_code=decl.pays_code,
                        annee=decl.annee,
                        secteur=sector,
                        canal=channel,
                        montant=float(amount),
                        **_markers(sector, declared, rng),
                    )
                )
    out = pd.DataFrame(rows).sort_values(["annee", "collectivite_id", "pays_code", "secteur", "canal"], kind="stable")
    for field in voc.champs_marqueurs():
        out[field] = out[field].astype("Int64")
    out.insert(0, "id", [f"APD{i + 1:06d}" for i in range(len(out))])
    return out.reset_index(drop=True)
