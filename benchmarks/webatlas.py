#!/usr/bin/env python
"""The web atlas: time from opening ``/atlas`` to the first complete map, in Debian's Chromium.

    .venv/bin/python benchmarks/webatlas.py                    # build/atlas.gpkg ($COOPATLAS_GPKG)
    .venv/bin/python benchmarks/webatlas.py --gpkg build/atlas-x100.gpkg --runs 3

A real ``coopatlas serve`` (gunicorn, ``--workers``, 4 as ``make serve``) on 127.0.0.1 and headless
Chromium (selenium, WebGL by SwiftShader: no GPU, so the drawing itself is slower than on a desktop).
For each run, the page is opened (``/atlas?lang=fr``, the world) and the time is read from the
Performance API: the ``atlas-complete`` mark, which the page sets once the first search has answered
(list, État panel, result) and MapLibre has fired ``idle`` (every tile and source drawn), relative to
the start of the navigation. ``cold``: a new browser profile (empty HTTP cache) for each run; ``warm``:
the same page reloaded in the same browser (MapLibre and the styles from the HTTP cache, the tiles asked
again). Also recorded: the steps (the map's style loaded, ``atlas-map-load``; the first search
answered, ``atlas-search``), the resources the page fetched and their bytes, the vector tiles received.
The 1-minute load average before and after: other work on the machine slows everything.
Results: ``benchmarks/results/webatlas-x<scale>.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sqlite3
import statistics as st
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "tests"), str(ROOT / "tests" / "web")):
    if p not in sys.path:
        sys.path.insert(0, p)

from web_browser import chrome  # noqa: E402

from support.servers import AtlasServer  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
READ_MARK = """
const at = (name) => (performance.getEntriesByName(name)[0] || {}).startTime ?? null;
const resources = performance.getEntriesByType('resource');
return {complete_ms: at('atlas-complete'), map_load_ms: at('atlas-map-load'), search_ms: at('atlas-search'),
        requests: resources.length, bytes: resources.reduce((n, r) => n + (r.transferSize || 0), 0),
        tiles: window.coopatlas.atlas.tilesLoaded};"""


def open_atlas(driver, url: str, timeout: float = 180) -> dict:
    driver.get(url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = driver.execute_script("return document.body && document.body.dataset.ready")
        if state == "true":
            return driver.execute_script(READ_MARK)
        if state == "error":
            raise RuntimeError("the page failed: " + driver.find_element("id", "description").text)
        time.sleep(0.05)
    raise TimeoutError(f"no complete map within {timeout} s")


def summary(values: list[float]) -> dict:
    return {
        "median_ms": round(st.median(values), 1),
        "min_ms": round(min(values), 1),
        "max_ms": round(max(values), 1),
        "runs": [round(v, 1) for v in values],
    }


def projects(gpkg: Path) -> int:
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        return con.execute("SELECT COUNT(*) FROM projets").fetchone()[0]
    finally:
        con.close()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", default=os.environ.get("COOPATLAS_GPKG") or str(ROOT / "build" / "atlas.gpkg"))
    parser.add_argument("--runs", type=int, default=5, help="cold and warm openings each (default 5)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, as make serve)")
    parser.add_argument("--scale", default=None, help="name of the results file (default: from the row count)")
    args = parser.parse_args(argv)
    gpkg = Path(args.gpkg).resolve()
    if not gpkg.is_file():
        print(f"no atlas GeoPackage at {gpkg}: make data", file=sys.stderr)
        return 2
    rows = projects(gpkg)
    scale = args.scale or ("x100" if rows > 200_000 else "x1")
    load_before = round(os.getloadavg()[0], 2)
    cold, warm, fetched, steps = [], [], [], {"map_load_ms": [], "search_ms": []}
    with AtlasServer(gpkg=gpkg, workers=args.workers, timeout=180) as server:
        url = server.url + "/atlas?lang=fr"
        open_atlas_once = chrome()  # warm the server (first requests of each worker), not measured
        try:
            open_atlas(open_atlas_once, url)
        finally:
            open_atlas_once.quit()
        for _ in range(args.runs):
            driver = chrome()
            try:
                first = open_atlas(driver, url)
                cold.append(first["complete_ms"])
                for step in steps:
                    steps[step].append(first[step])
                fetched.append(first)
                warm.append(open_atlas(driver, url)["complete_ms"])
            finally:
                driver.quit()
    result = {
        "environment": {
            "date": time.strftime("%Y-%m-%d"),
            "cpus": os.cpu_count(),
            "machine": platform.machine(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": round(os.getloadavg()[0], 2),
            "gpkg": str(gpkg),
            "projets": rows,
            "browser": "Debian chromium, headless, SwiftShader WebGL",
            "workers": args.workers,
        },
        "cold": summary(cold),
        "warm": summary(warm),
        "cold_steps": {step: round(st.median(values), 1) for step, values in steps.items()},
        "requests": fetched[0]["requests"],
        "bytes": fetched[0]["bytes"],
        "tile_requests": fetched[0]["tiles"],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"webatlas-{scale}.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    print(
        f"{scale} ({rows:,} projects): first complete map, cold median {result['cold']['median_ms']:.0f} ms "
        f"(min {result['cold']['min_ms']:.0f}, max {result['cold']['max_ms']:.0f}); warm median "
        f"{result['warm']['median_ms']:.0f} ms; cold steps (median): map style loaded "
        f"{result['cold_steps']['map_load_ms']:.0f} ms, first search answered "
        f"{result['cold_steps']['search_ms']:.0f} ms; "
        f"{result['requests']} requests, {result['bytes'] / 1e6:.1f} MB "
        f"({result['tile_requests']} tiles); load {load_before} → {result['environment']['load_after']}"
    )
    print(f"written {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
