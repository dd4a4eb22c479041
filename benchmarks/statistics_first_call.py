"""The first statistics of a search in a new process: the world, two countries (BF, DE), a continent
(Afrique), and searches that are not standard (never persisted): a theme, a type, a keyword, a status.

``python benchmarks/statistics_first_call.py ATLAS.gpkg|postgresql://... [--sql]`` runs each search in a
fresh process (empty in-process cache), prints the first call and the median of the next ones
(milliseconds) and the load average. ``--sql``: the persisted reads (``coopatlas statistiques-cache``)
are not looked up, the first call runs the SQL (as on an atlas built with ``--no-stats-cache``).
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


def one(location: str, params: dict, sql: bool) -> dict:
    from coopatlas import stats
    from coopatlas.criteria import Criteria
    from coopatlas.store import open_store, persisted_reads

    if sql:  # no persisted level: every first read runs its SQL
        persisted_reads.lookup = lambda store, key: None

    store, criteria = open_store(location), Criteria.from_params(params)
    times = []
    for _ in range(6):
        t0 = time.perf_counter()
        stats.statistics(store, criteria)
        times.append((time.perf_counter() - t0) * 1000)
    return {"first": times[0], "then": statistics.median(times[1:])}


def main() -> None:
    sql = "--sql" in sys.argv[1:]
    argv = [a for a in sys.argv[1:] if a != "--sql"]
    if len(argv) == 2:  # the child: one search
        print(json.dumps(one(argv[0], SEARCHES[argv[1]], sql)))
        return
    location = argv[0]
    print(f"{location}{'  (SQL, no persisted reads)' if sql else ''}  load average {os.getloadavg()[0]:.1f}")
    for name in SEARCHES:
        child = [sys.executable, __file__, location, name, *(["--sql"] if sql else [])]
        out = subprocess.run(child, capture_output=True, text=True, check=True)
        r = json.loads(out.stdout)
        print(f"{name:8} first {r['first']:9.1f} ms   then {r['then']:7.2f} ms   load {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
