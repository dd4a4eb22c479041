"""Country maps of every country: the ``carte-pays`` A4 PDF of each country that has projects, warm.

    .venv/bin/python benchmarks/countries.py [--gpkg build/atlas-x100.gpkg] [--limit N]

In this process, after one warm-up render (fonts, reference geography, imports), each country's whole
``carte-pays`` output (:func:`coopatlas.cartography.countrymap.render_country_map`: data query, map page,
complete table of the partnerships on annex pages) is made once; the median, the 90th percentile and the
slowest country are printed with the 1-minute load average before and after (other work on the machine
shows in wall time; CPU time is the process's own). Results: ``benchmarks/results/countries-<atlas>.json``
(``--out`` another file: to run an older checkout's code side by side, put it first on ``PYTHONPATH``; the
JSON names the code it ran).
Target (issue 12): under 1 s for any country at ×100.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", default=os.environ.get("COOPATLAS_GPKG", str(ROOT / "build" / "atlas.gpkg")))
    parser.add_argument("--limit", type=int, default=0, help="only the N countries with the most projects")
    parser.add_argument("--out", help="the JSON results (default: benchmarks/results/countries-<atlas>.json)")
    args = parser.parse_args(argv)

    from coopatlas.cartography import countrymap as cm
    from coopatlas.cartography.geography import world
    from coopatlas.cartography.options import parse_options
    from coopatlas.store import open_store

    store = open_store(args.gpkg)
    geography = world()
    countries = [
        code
        for code, _ in store.rows(
            "SELECT pays_code, COUNT(*) AS n FROM projets GROUP BY pays_code ORDER BY n DESC, pays_code"
        )
        if code
    ]
    if args.limit:
        countries = countries[: args.limit]
    load_before = os.getloadavg()[0]
    cm.render_country_map(store, parse_options({"country": countries[0], "format": "pdf"}, geography), geography)
    runs = []
    for code in countries:
        options = parse_options({"country": code, "format": "pdf"}, geography)
        t0, c0 = time.perf_counter(), time.process_time()
        data, info = cm.render_country_map(store, options, geography)
        runs.append(
            {
                "country": code,
                "wall_ms": round(1000 * (time.perf_counter() - t0), 1),
                "cpu_ms": round(1000 * (time.process_time() - c0), 1),
                "pages": info.pages,
                "bytes": len(data),
            }
        )
    load_after = os.getloadavg()[0]
    walls = sorted(r["wall_ms"] for r in runs)
    cpus = sorted(r["cpu_ms"] for r in runs)
    slowest = max(runs, key=lambda r: r["wall_ms"])
    slowest_cpu = max(runs, key=lambda r: r["cpu_ms"])
    summary = {
        "atlas": str(args.gpkg),
        "code": str(Path(cm.__file__).parents[2]),
        "countries": len(runs),
        "wall_median_ms": round(statistics.median(walls), 1),
        "wall_p90_ms": walls[int(0.9 * (len(walls) - 1))],
        "cpu_median_ms": round(statistics.median(cpus), 1),
        "cpu_p90_ms": cpus[int(0.9 * (len(cpus) - 1))],
        "cpu_over_1s": [r["country"] for r in runs if r["cpu_ms"] > 1000],
        "slowest": slowest,
        "slowest_cpu": slowest_cpu,
        "load_average": [load_before, load_after],
        "runs": runs,
    }
    out = Path(args.out) if args.out else ROOT / "benchmarks" / "results" / f"countries-{Path(args.gpkg).stem}.json"
    out.write_text(json.dumps(summary, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(
        f"{len(runs)} countries: wall median {summary['wall_median_ms']} ms, p90 {summary['wall_p90_ms']} ms, "
        f"slowest {slowest['country']} {slowest['wall_ms']} ms ({slowest['pages']} pages); CPU median "
        f"{summary['cpu_median_ms']} ms, p90 {summary['cpu_p90_ms']} ms, max {slowest_cpu['country']} "
        f"{slowest_cpu['cpu_ms']} ms, over 1 s: {len(summary['cpu_over_1s'])}; load average {load_before:.2f} -> "
        f"{load_after:.2f}; {out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
