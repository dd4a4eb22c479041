#!/usr/bin/env python
"""Requests per second of two atlas servers against one, over the same PostGIS, in one run.

    .venv/bin/python benchmarks/cluster.py                  # demo atlas (build/atlas.gpkg)

One throwaway PostgreSQL 15 + PostGIS (tests/support/postgis.py), the atlas loaded by ``coopatlas postgis``,
and two ``coopatlas serve`` instances (gunicorn, ``--workers`` processes each) on 127.0.0.1 with the same
``COOPATLAS_DATABASE_URL`` and their own ``var/`` (tests/support/cluster.py), as a deployment runs them
behind a load balancer. For each request, both set-ups are warmed up, then measured for ``--duration``
seconds in ``--rounds`` turns taken in alternation (a change of load on the machine hits them alike): a
closed loop of ``--clients`` Python threads, each sending its next request when the previous answer is read,
on loopback; with **one** server all clients send to A, with **two** the clients are shared between A and B
(client k sends to server k mod 2, as a round-robin balancer would). The 1-minute load average is recorded
before and after the run. The load generator, both servers and PostgreSQL share the machine's cores: the
ratio two/one says how far a second server helps on THIS machine; on separate machines it is the upper
bound of what a second server brings, until PostgreSQL is the bottleneck.

Results: ``benchmarks/results/cluster.json`` (``--results`` to write elsewhere) and a table on stdout.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "tests"), str(ROOT / "benchmarks")):
    if p not in sys.path:
        sys.path.insert(0, p)

from features import environment, run_load, summarize  # noqa: E402

from support.cluster import AtlasCluster  # noqa: E402
from support.postgis import PostgresCluster  # noqa: E402

ITEMS = "/collections/projets/items"
#: name -> (title, paths: None for /items/{id} of ids read from the server)
ENDPOINTS = {
    "landing": ("landing page `/`", ["/?f=json"]),
    "page": ("`/items`, page of 100", [f"{ITEMS}?f=json&limit=100"]),
    "filtered": ("`/items`, property filter", [f"{ITEMS}?f=json&limit=100&continent=afrique"]),
    "item": ("`/items/{id}`", None),
}
SETUPS = ("one", "two")


def item_paths(port: int, n: int = 200) -> list[str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", f"{ITEMS}?f=json&limit={n}&skipGeometry=true")
    features = json.loads(conn.getresponse().read())["features"]
    conn.close()
    return [f"{ITEMS}/{f['id']}?f=json" for f in features]


def measure(cluster: AtlasCluster, duration: float, rounds: int, clients: int, warmup: float) -> dict:
    ports = {"one": [cluster.a.port], "two": [cluster.a.port, cluster.b.port]}
    results = {}
    for name, (_title, paths) in ENDPOINTS.items():
        paths = paths or item_paths(cluster.a.port)
        if warmup > 0:
            for setup in SETUPS:
                run_load(ports[setup], paths, warmup, clients)
        runs = {setup: [] for setup in SETUPS}
        for _round in range(rounds):
            for setup in SETUPS:
                runs[setup].append(run_load(ports[setup], paths, duration / rounds, clients))
        results[name] = {setup: summarize(runs[setup]) for setup in SETUPS}
        one, two = results[name]["one"]["rps"], results[name]["two"]["rps"]
        results[name]["ratio"] = round(two / one, 2) if one else None
        print(f"{name}: one {one} req/s, two {two} req/s", file=sys.stderr)
    return results


def table(result: dict) -> str:
    env = result["environment"]
    lines = [
        f"{env['cpus']} CPUs, {result['clients']} clients, {result['workers']} workers per server, "
        f"{result['duration']} s per cell; 1-minute load average {env['loadavg_1min_before']} before, "
        f"{env['loadavg_1min']} after",
        "",
        "| request | one server (req/s) | two servers (req/s) | two / one | p50 one / two (ms) |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, row in result["results"].items():
        one, two = row["one"], row["two"]
        p50 = f"{one['p50_ms'] or 0:.0f} / {two['p50_ms'] or 0:.0f}"
        lines.append(f"| {ENDPOINTS[name][0]} | {one['rps']} | {two['rps']} | {row['ratio']} | {p50} |")
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", default=str(ROOT / "build" / "atlas.gpkg"), help="the built atlas to load")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds measured per request and set-up")
    parser.add_argument("--rounds", type=int, default=5, help="turns the set-ups take in each cell")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up per request and set-up")
    parser.add_argument("--clients", type=int, default=4, help="client threads (closed loop)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each server")
    parser.add_argument("--results", default=str(ROOT / "benchmarks" / "results"), help="folder of cluster.json")
    args = parser.parse_args(argv)
    if not Path(args.gpkg).is_file():
        print(f"no atlas {args.gpkg}: make data", file=sys.stderr)
        return 2
    load_before = round(os.getloadavg()[0], 2)
    with PostgresCluster() as postgres, AtlasCluster(args.gpkg, workers=args.workers, postgres=postgres) as cluster:
        results = measure(cluster, args.duration, max(1, args.rounds), args.clients, args.warmup)
        errors = sum(row[setup]["errors"] for row in results.values() for setup in SETUPS)
    result = {
        "duration": args.duration,
        "rounds": args.rounds,
        "clients": args.clients,
        "workers": args.workers,
        "environment": environment() | {"loadavg_1min_before": load_before},
        "results": results,
    }
    out = Path(args.results)
    out.mkdir(parents=True, exist_ok=True)
    (out / "cluster.json").write_text(json.dumps(result, indent=2, sort_keys=True) + "\n")
    print(table(result))
    if errors:
        print(f"{errors} request(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
