#!/usr/bin/env python
"""OGC API Tiles latency and size: the GeoPackage tile provider against PostGIS ``ST_AsMVT``, in one run.

    .venv/bin/python benchmarks/tiles.py                    # demo atlas (build/atlas.gpkg)
    .venv/bin/python benchmarks/tiles.py --gpkg other.gpkg  # another atlas (e.g. a x100 build)

Backends, each a real ``coopatlas serve`` (gunicorn, ``--workers`` processes) on 127.0.0.1:

* ``gpkg``: the atlas's tile provider on the GeoPackage (:mod:`coopatlas.server.tiles.gpkg`: R-tree,
  shapely, mapbox-vector-tile, tiles made at request time);
* ``postgis``: the atlas's PostGIS tile provider (:mod:`coopatlas.server.tiles.postgis`: ``ST_AsMVTGeom``
  and ``ST_AsMVT``) on the same atlas loaded into a throwaway PostgreSQL cluster (tests/support/postgis.py).

Tiles timed: on ``projets`` and ``partenaires``, at zooms 2, 5 (aggregates) and 8 (one feature per
record), the ``--tiles`` fullest tiles of each zoom (counted from the GeoPackage's points). Each tile is
requested once per backend (the "first request": the tile is made from the data on both backends), then
``--rounds`` times again, the backends taking turns at every round (so that a change of load on the
machine hits them alike): the GeoPackage provider answers these from the tiles it keeps until the file
changes, PostGIS runs ``ST_AsMVT`` every time. One client, one request at a time, on loopback: the
latency of a tile as a map client waits for it. The machine's load average is recorded
before and after (other work on the machine slows both backends alike).

Results: ``benchmarks/results/tiles-x<scale>.json`` and the table of the "Tiles" section of
``benchmarks/README.md`` (unless ``--no-readme``).
"""

from __future__ import annotations

import argparse
import collections
import http.client
import json
import math
import os
import platform
import sqlite3
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)

from support.postgis import PostgresCluster, loaded_atlas  # noqa: E402
from support.servers import AtlasServer  # noqa: E402

RESULTS_DIR = ROOT / "benchmarks" / "results"
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- tiles:begin -->", "<!-- tiles:end -->"
BACKENDS = {"gpkg": "GeoPackage (atlas tile provider)", "postgis": "PostGIS (ST_AsMVT)"}
COLLECTIONS = ("projets", "partenaires")
ZOOMS = (2, 5, 8)


def tile_of(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    lat = max(-85.05, min(85.05, lat))
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return min(max(x, 0), n - 1), min(max(y, 0), n - 1)


def fullest_tiles(gpkg: Path, collection: str, z: int, count: int) -> list[tuple[int, int, int]]:
    """The ``count`` tiles of zoom ``z`` holding the most points of ``collection`` (from its R-tree)."""
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        rows = con.execute(f'SELECT minx, miny FROM "rtree_{collection}_geom"').fetchall()
    finally:
        con.close()
    counts = collections.Counter(tile_of(x, y, z) for x, y in rows)
    return [(z, x, y) for (x, y), _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:count]]


def fetch(con: http.client.HTTPConnection, path: str) -> tuple[float, int]:
    start = time.perf_counter()
    con.request("GET", path)
    resp = con.getresponse()
    body = resp.read()
    elapsed = (time.perf_counter() - start) * 1000
    if resp.status not in (200, 204):
        raise RuntimeError(f"{path}: HTTP {resp.status} {body[:200]!r}")
    return elapsed, len(body)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def run(args) -> dict:
    gpkg = Path(args.gpkg).resolve()
    plan = {(c, z): fullest_tiles(gpkg, c, z, args.tiles) for c in COLLECTIONS for z in ZOOMS}
    load_before = [round(v, 2) for v in os.getloadavg()]
    cluster = PostgresCluster().start()
    servers = {}
    try:
        database_url = loaded_atlas(cluster, gpkg, dbname="atlas_tiles_bench")
        servers["gpkg"] = AtlasServer(gpkg=gpkg, workers=args.workers).start()
        servers["postgis"] = AtlasServer(database_url=database_url, workers=args.workers).start()
        conns = {b: http.client.HTTPConnection("127.0.0.1", s.port, timeout=120) for b, s in servers.items()}
        samples = {(b, c, z): [] for b in BACKENDS for c, z in plan}
        first = {(b, c, z): [] for b in BACKENDS for c, z in plan}
        sizes = {(b, c, z): [] for b in BACKENDS for c, z in plan}
        path = "/collections/{c}/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt"
        for (c, z), tiles in plan.items():  # first request of each tile: made from the data on both backends
            for b in BACKENDS:
                for _, x, y in tiles:
                    first[(b, c, z)].append(fetch(conns[b], path.format(c=c, z=z, x=x, y=y))[0])
        for r in range(args.rounds):
            order = list(BACKENDS) if r % 2 == 0 else list(reversed(BACKENDS))
            for b in order:
                for (c, z), tiles in plan.items():
                    for _, x, y in tiles:
                        ms, size = fetch(conns[b], path.format(c=c, z=z, x=x, y=y))
                        samples[(b, c, z)].append(ms)
                        sizes[(b, c, z)].append(size)
    finally:
        for s in servers.values():
            s.stop()
        cluster.stop()
    rows = []
    for (b, c, z), values in samples.items():
        rows.append(
            {
                "backend": b,
                "collection": c,
                "zoom": z,
                "tiles": len(plan[(c, z)]),
                "requests": len(values),
                "p50_ms": round(statistics.median(values), 1),
                "p95_ms": round(percentile(values, 0.95), 1),
                "first_p50_ms": round(statistics.median(first[(b, c, z)]), 1),
                "first_max_ms": round(max(first[(b, c, z)]), 1),
                "mean_kb": round(statistics.mean(sizes[(b, c, z)]) / 1024, 1),
                "max_kb": round(max(sizes[(b, c, z)]) / 1024, 1),
            }
        )
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "gpkg": gpkg.name,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "workers": args.workers,
        "rounds": args.rounds,
        "loadavg_before": load_before,
        "loadavg_after": [round(v, 2) for v in os.getloadavg()],
        "results": rows,
    }


def table(result: dict) -> str:
    by = {(r["backend"], r["collection"], r["zoom"]): r for r in result["results"]}
    lines = [
        f"Run of {result['date']} on `{result['gpkg']}`: {result['machine']['cpus']} CPUs, "
        f"{result['workers']} gunicorn workers per backend, {result['rounds']} rounds; load average "
        f"(1, 5, 15 min) {result['loadavg_before']} before, {result['loadavg_after']} after.",
        "",
        "| collection | zoom | tiles | GeoPackage first request p50 / max ms | PostGIS first request p50 / max ms "
        "| GeoPackage again p50 / p95 ms | PostGIS again p50 / p95 ms | GeoPackage mean / max KB "
        "| PostGIS mean / max KB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for c in COLLECTIONS:
        for z in ZOOMS:
            g, p = by[("gpkg", c, z)], by[("postgis", c, z)]
            lines.append(
                f"| {c} | {z} | {g['tiles']} | {g['first_p50_ms']} / {g['first_max_ms']} | "
                f"{p['first_p50_ms']} / {p['first_max_ms']} | {g['p50_ms']} / {g['p95_ms']} | {p['p50_ms']} / "
                f"{p['p95_ms']} | {g['mean_kb']} / {g['max_kb']} | {p['mean_kb']} / {p['max_kb']} |"
            )
    return "\n".join(lines)


def write_readme(result: dict) -> None:
    text = README.read_text(encoding="utf-8")
    block = f"{BEGIN}\n{table(result)}\n{END}"
    if BEGIN in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", default=str(ROOT / "build" / "atlas.gpkg"), help="the atlas GeoPackage")
    parser.add_argument("--scale", default="1", help="label of the results file (tiles-x<scale>.json)")
    parser.add_argument("--tiles", type=int, default=8, help="tiles per collection and zoom (the fullest)")
    parser.add_argument("--rounds", type=int, default=5, help="measured requests of each tile per backend")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per backend")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite the table of benchmarks/README.md")
    args = parser.parse_args(argv)
    result = run(args)
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    out = RESULTS_DIR / f"tiles-x{args.scale}.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    if not args.no_readme:
        write_readme(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
