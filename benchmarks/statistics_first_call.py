"""The first statistics of a search in a new process: the world, two countries (BF, DE), a continent
(Afrique), and searches that are not standard (never persisted): a theme, a type, a keyword, a status.

``python benchmarks/statistics_first_call.py ATLAS.gpkg|postgresql://...`` runs each search in a fresh
process (empty in-process cache), prints the first call and the median of the next ones (milliseconds)
and the load average. Run it on an atlas with and without the persisted reads (``coopatlas
statistiques-cache``; ``coopatlas build --no-stats-cache``) to compare.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

SEARCHES = {
    "world": {},
    "BF": {"pays": "BF"},
    "DE": {"pays": "DE"},
    "Afrique": {"continent": "afrique"},
    "theme": {"thematique": "sante"},
    "type": {"type_action": "action_exterieure"},
    "keyword": {"q": "eau"},
    "status": {"statut": "en_cours"},
}


def one(location: str, params: dict) -> dict:
    from coopatlas import stats
    from coopatlas.criteria import Criteria
    from coopatlas.store import open_store

    store, criteria = open_store(location), Criteria.from_params(params)
    times = []
    for _ in range(6):
        t0 = time.perf_counter()
        stats.statistics(store, criteria)
        times.append((time.perf_counter() - t0) * 1000)
    return {"first": times[0], "then": statistics.median(times[1:])}


def main() -> None:
    if len(sys.argv) == 3:  # the child: one search
        print(json.dumps(one(sys.argv[1], SEARCHES[sys.argv[2]])))
        return
    location = sys.argv[1]
    print(f"{location}  load average {os.getloadavg()[0]:.1f}")
    for name in SEARCHES:
        out = subprocess.run([sys.executable, __file__, location, name], capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"{name:8} first {r['first']:9.1f} ms   then {r['then']:7.2f} ms   load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
