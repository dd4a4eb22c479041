#!/usr/bin/env python
"""OGC API Features throughput and latency of the feature backends, side by side, in one run.

    .venv/bin/python benchmarks/features.py                 # demo atlas (build/atlas.gpkg)
    .venv/bin/python benchmarks/features.py --scale 100     # build/atlas-x100.gpkg (built if missing)

Backends, each a real ``coopatlas serve`` (gunicorn, ``--workers`` processes) on 127.0.0.1:

* ``gpkg``: the atlas's GeoPackage provider (:mod:`coopatlas.server.provider`);
* ``ogr``: pygeoapi's OGR provider on the same GeoPackage (:mod:`benchmarks.ogr_provider`);
* ``prebuilt``: a provider that costs nothing (:mod:`benchmarks.prebuilt_provider`: the same answer,
  built in advance, to every request): pygeoapi's own ceiling, timed for the landing page and the page
  of 100 only;
* ``postgis``: pygeoapi's core PostgreSQL provider (:mod:`coopatlas.server.postgis_provider`) on the same
  atlas loaded by ``coopatlas postgis`` into a throwaway PostgreSQL 15 cluster (tests/support/postgis.py).

Requests timed (on ``projets``, the largest collection): the landing page (pygeoapi's own per-request cost, no
provider), a page of 100 items, a property filter, a bbox, a CQL2 filter (not on OGR, which ignores
``filter``), keywords ``q``, ``sortby`` on a filtered set, a deep ``offset`` and ``/items/{id}`` (ids taken in
turn from a list). For each request, every backend is warmed up, then measured for ``--duration`` seconds in
``--rounds`` turns (the backends take turns, so that a change of load on the machine hits them alike): a
closed loop of ``--clients`` Python threads, each sending its next request when the previous answer is read,
on loopback. The load generator runs on the same machine as the servers and takes CPU from them: compare the
backends with each other (the ratios), not with another machine.

Results: ``benchmarks/results/features-x<scale>.json``, and the tables of ``benchmarks/README.md``
(rewritten from every results file, unless ``--no-readme``).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
for p in (str(ROOT), str(ROOT / "tests")):
    if p not in sys.path:
        sys.path.insert(0, p)

from support.postgis import PostgresCluster  # noqa: E402
from support.servers import AtlasServer  # noqa: E402

RESULTS_DIR = ROOT / "benchmarks" / "results"
README = ROOT / "benchmarks" / "README.md"
BEGIN, END = "<!-- results:begin -->", "<!-- results:end -->"

BACKENDS = {
    "gpkg": "GeoPackage (atlas provider)",
    "ogr": "GeoPackage (pygeoapi OGR provider)",
    "prebuilt": "no provider cost (an answer built in advance)",
    "postgis": "PostGIS (pygeoapi PostgreSQL provider)",
}
ITEMS = "/collections/projets/items"
#: The backends that answer every request (``prebuilt`` answers the page of 100 to any request).
ANSWERING = {"gpkg", "ogr", "postgis"}
#: name -> (title, path or None for /items/{id}, backends it applies to)
ENDPOINTS = {
    "landing": ("landing page `/`", "/?f=json", set(BACKENDS)),
    "page": ("`/items`, page of 100", f"{ITEMS}?f=json&limit=100", set(BACKENDS)),
    "filtered": (
        "`/items`, property filter",
        f"{ITEMS}?f=json&limit=100&type_action=cooperation_decentralisee&continent=afrique",
        ANSWERING,
    ),
    "bbox": ("`/items`, bbox (West Africa)", f"{ITEMS}?f=json&limit=100&bbox=-20,0,20,25", ANSWERING),
    "cql2": (
        "`/items`, CQL2 filter",
        f"{ITEMS}?f=json&limit=100&filter="
        + urllib.parse.quote("annee_lancement BETWEEN 2005 AND 2015 AND thematique IN ('eau_assainissement','sante')"),
        {"gpkg", "postgis"},
    ),
    "q": ("`/items`, keywords `q`", f"{ITEMS}?f=json&limit=100&q=eau", ANSWERING),
    "sorted": (
        "`/items`, `sortby` on a filtered set",
        f"{ITEMS}?f=json&limit=100&continent=afrique&sortby=-annee_lancement",
        ANSWERING,
    ),
    "deep": ("`/items`, `offset` 12,000", f"{ITEMS}?f=json&limit=100&offset=12000", ANSWERING),
    "item": ("`/items/{id}`", None, ANSWERING),
}


# --- load generation --------------------------------------------------------------------------------
def _one(conn: http.client.HTTPConnection, path: str) -> tuple[float, int]:
    t0 = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    resp.read()
    if resp.getheader("Connection", "").lower() == "close":
        conn.close()  # gunicorn's sync workers close after each answer: reconnect next time
    return time.perf_counter() - t0, resp.status


def run_load(
    port: int | list[int], paths: list[str], duration: float, clients: int, max_requests: int = 1_000_000
) -> dict:
    """A closed loop of ``clients`` threads for ``duration`` seconds; requests/s and latency percentiles.
    With several ports (servers), client k talks to ``port[k % len(port)]``."""
    ports = [port] if isinstance(port, int) else list(port)
    stop = time.perf_counter() + duration
    lock = threading.Lock()
    latencies, errors, sent = [], [0], [0]

    def client(k: int):
        conn = http.client.HTTPConnection("127.0.0.1", ports[k % len(ports)], timeout=60)
        local, bad, i = [], 0, k
        while time.perf_counter() < stop:
            with lock:
                if sent[0] >= max_requests:
                    break
                sent[0] += 1
            try:
                dt, status = _one(conn, paths[i % len(paths)])
            except (OSError, http.client.HTTPException):
                conn.close()
                bad += 1
                continue
            i += clients
            if status != 200:
                bad += 1
            local.append(dt)
        conn.close()
        with lock:
            latencies.extend(local)
            errors[0] += bad

    t0 = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(client, range(clients)))
    return {"latencies": latencies, "errors": errors[0], "seconds": time.perf_counter() - t0}


def summarize(runs: list[dict]) -> dict:
    """Requests/s (all requests over all measured time) and latency percentiles (ms) of several runs."""
    latencies = sorted(x for r in runs for x in r["latencies"])
    seconds = sum(r["seconds"] for r in runs)

    def pct(p):
        return 1000 * latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else None

    return {
        "requests": len(latencies),
        "errors": sum(r["errors"] for r in runs),
        "seconds": round(seconds, 3),
        "rps": round(len(latencies) / seconds, 2) if seconds else 0.0,
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p95_ms": pct(95),
        "p99_ms": pct(99),
    }


# --- setup ------------------------------------------------------------------------------------------
def atlas_path(scale: int, gpkg: str | None) -> Path:
    if gpkg:
        return Path(gpkg).resolve()
    if scale == 1:
        return Path(os.environ.get("COOPATLAS_GPKG") or ROOT / "build" / "atlas.gpkg").resolve()
    return ROOT / "build" / f"atlas-x{scale}.gpkg"


def ensure_atlas(path: Path, scale: int) -> None:
    if path.is_file():
        return
    print(f"building {path} (scale {scale})", file=sys.stderr, flush=True)
    cmd = [sys.executable, "-m", "coopatlas", "build", "--out", str(path)]
    if scale != 1:
        cmd += ["--scale", str(scale)]
    subprocess.run(cmd, cwd=ROOT, check=True, env={**os.environ, "PYTHONPATH": str(ROOT)})


def sample_ids(gpkg: Path, n: int = 500) -> list[str]:
    with sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True) as con:
        total = con.execute("SELECT COUNT(*) FROM projets").fetchone()[0]
        step = max(1, total // n)
        return [r[0] for r in con.execute("SELECT id FROM projets WHERE fid % ? = 0 ORDER BY fid LIMIT ?", (step, n))]


def count_rows(gpkg: Path) -> dict[str, int]:
    with sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True) as con:
        return {
            t: con.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
            for t in ("projets", "collectivites", "partenaires", "liens")
        }


def start_servers(backends, gpkg: Path, database_url: str | None, workers: int) -> dict[str, AtlasServer]:
    servers = {}
    for b in backends:
        if b == "gpkg":
            servers[b] = AtlasServer(gpkg=gpkg, workers=workers)
        elif b == "ogr":
            servers[b] = AtlasServer(
                gpkg=gpkg,
                workers=workers,
                extra_args=["--feature-provider", "benchmarks.ogr_provider.GeoPackageOGRProvider"],
            )
        elif b == "prebuilt":
            servers[b] = AtlasServer(
                gpkg=gpkg,
                workers=workers,
                extra_args=["--feature-provider", "benchmarks.prebuilt_provider.PrebuiltAnswerProvider"],
            )
        else:
            servers[b] = AtlasServer(database_url=database_url, workers=workers)
    with ThreadPoolExecutor(len(servers)) as pool:
        futures = {b: pool.submit(s.start) for b, s in servers.items()}
        failed = [b for b, f in futures.items() if f.exception() is not None]
    if failed:
        for s in servers.values():
            s.stop()
        raise futures[failed[0]].exception()
    return servers


def check(servers: dict[str, AtlasServer], endpoint: str, paths: list[str], slow: float) -> tuple[dict, dict]:
    """One request to every backend before anything is timed: (numberMatched per backend, reason why a
    backend is left out of this request: an error, or an answer slower than ``slow`` seconds)."""
    import requests

    matched, left_out = {}, {}
    for b, s in servers.items():
        t0 = time.perf_counter()
        try:
            r = requests.get(s.url + paths[0], timeout=max(slow, 1) * 4)
        except requests.RequestException as exc:
            left_out[b] = f"no answer ({type(exc).__name__})"
            continue
        took = time.perf_counter() - t0
        if r.status_code != 200:
            raise SystemExit(f"{b} {paths[0]}: HTTP {r.status_code}: {r.text[:300]}")
        if took > slow:
            left_out[b] = f"{took:.0f} s per request"
            continue
        matched[b] = r.json().get("numberMatched") if endpoint not in ("landing", "item") else None
    return matched, left_out


# --- report -----------------------------------------------------------------------------------------
def fmt_rps(m: dict | None) -> str:
    if not m:
        return "n/a"
    if "left_out" in m:
        return f"not timed: {m['left_out']}"
    return f"{m['rps']:.0f} ({m['p50_ms']:.1f} / {m.get('p95_ms') or m['p99_ms']:.1f})"


def fmt_ratio(a: dict | None, b: dict | None) -> str:
    if not a or not b or "rps" not in a or not b.get("rps"):
        return "n/a"
    return f"{a['rps'] / b['rps']:.2f}"


def table(result: dict) -> str:
    env, res = result["environment"], result["results"]
    lines = [
        f"### Scale ×{result['scale']} ({', '.join(f'{k} {v:,}' for k, v in result['rows'].items())} rows)",
        "",
        f"{result['date']}; {env['cpus']} CPUs, {env['machine']}; Python {env['python']}, pygeoapi "
        f"{env['pygeoapi']}, GDAL {env['gdal']}, {env['postgresql']}; {result['workers']} gunicorn workers "
        f"per server, {result['clients']} clients, {result['duration']} s per cell in {result.get('rounds', 1)} "
        "turns; 1-minute load average "
        f"{env.get('loadavg_1min_before', '?')} before, {env.get('loadavg_1min', '?')} after (other work on the "
        "machine shows here).",
        "",
        "Requests per second (median / 95th percentile latency in ms); ratios of requests per second "
        "(above 1: faster than the atlas's GeoPackage provider)." + _extras(result),
        "",
        "| request | "
        + " | ".join(BACKENDS[b] for b in result["backends"])
        + " | "
        + " | ".join(f"{b} ÷ gpkg" for b in result["backends"] if b != "gpkg")
        + " |",
        "|---|" + "---:|" * (2 * len(result["backends"]) - 1),
    ]
    for e, (title, _, _) in ENDPOINTS.items():
        if e not in res:
            continue
        row = res[e]
        cells = [fmt_rps(row.get(b)) for b in result["backends"]]
        ratios = [fmt_ratio(row.get(b), row.get("gpkg")) for b in result["backends"] if b != "gpkg"]
        lines.append(f"| {title} | " + " | ".join(cells) + " | " + " | ".join(ratios) + " |")
    errors = sum(m.get("errors", 0) for row in res.values() for m in row.values() if m)
    lines += ["", f"Errors (non-200 answers or connection failures): {errors}."]
    shares = [
        f"{b} {100 * res['page'][b]['rps'] / res['landing'][b]['rps']:.0f} %"
        for b in result["backends"]
        if (res.get("page", {}).get(b) or {}).get("rps") and (res.get("landing", {}).get(b) or {}).get("rps")
    ]
    if shares:
        lines += ["", "Page of 100 ÷ landing page, requests per second (target ≥ 60 %): " + ", ".join(shares) + "."]
    return "\n".join(lines)


def _extras(result: dict) -> str:
    """The PostGIS load time and the peak memory of the run, when recorded."""
    out = []
    if result.get("postgis_load_s") is not None:
        out.append(
            f"PostGIS load (`coopatlas postgis`) {result['postgis_load_s']:.0f} s, peak memory of the "
            f"loading process {result.get('postgis_load_peak_rss_mib') or 0:.0f} MiB"
        )
    memory = result.get("worker_memory_mib") or {}
    peaks = result.get("peak_rss_mib") or {}
    if memory:
        out.append(
            "memory of one worker: "
            + ", ".join(
                f"{b} peak {m['VmHWM']:.0f} MiB (VmHWM), private {m.get('RssAnon', 0):.0f} MiB and file-mapped "
                f"{m.get('RssFile', 0):.0f} MiB after the run (RssAnon, RssFile)"
                for b, m in memory.items()
            )
        )
    elif peaks:
        out.append(
            "peak memory of one worker after the run: " + ", ".join(f"{b} {v:.0f} MiB" for b, v in peaks.items())
        )
    return (" " + "; ".join(out) + ".") if out else ""


def scale_ratios(results: list[dict]) -> str:
    """The table of requests per second at each scale divided by the same at ×1 (target ≥ 0.5)."""
    base = next((r for r in results if r["scale"] == 1), None)
    others = [r for r in results if r["scale"] != 1]
    if base is None or not others:
        return ""
    backends = [b for b in base["backends"] if all(b in r["backends"] for r in others)]
    head = [f"×{r['scale']} ÷ ×1, {b}" for r in others for b in backends]
    lines = [
        "### Requests per second at scale ÷ at ×1 (target: at least 0.5)",
        "",
        "| request | " + " | ".join(head) + " |",
        "|---|" + "---:|" * len(head),
    ]
    for e, (title, _, _) in ENDPOINTS.items():
        if e not in base["results"]:
            continue
        cells = [fmt_ratio(r["results"].get(e, {}).get(b), base["results"][e].get(b)) for r in others for b in backends]
        lines.append(f"| {title} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def worker_memory_mib(pid: int) -> dict:
    """The memory (MiB) of the largest of ``pid``'s child processes (gunicorn workers), from its
    ``/proc/<pid>/status``: ``VmHWM``, the peak resident set, which counts the pages of a file a process maps
    (``RssFile``: shared with the kernel's page cache and the other processes, and counted once per mapping)
    as well as its private memory; and, at the end of the run, ``RssAnon`` (private: the Python heap,
    SQLite's page caches) and ``RssFile``."""
    best: dict = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("PPid", "0").strip() or 0) != pid or "VmHWM" not in fields:
            continue
        mem = {k: round(int(fields[k].split()[0]) / 1024, 1) for k in ("VmHWM", "RssAnon", "RssFile") if k in fields}
        if mem["VmHWM"] > best.get("VmHWM", -1):
            best = mem
    return best


def write_readme(results_dir: Path = RESULTS_DIR, readme: Path = README) -> None:
    files = sorted(results_dir.glob("features-x*.json"), key=lambda p: int(p.stem.split("-x")[1]))
    results = [json.loads(f.read_text()) for f in files]
    body = "\n\n".join([table(r) for r in results] + [t for t in [scale_ratios(results)] if t]) or "(no results yet)"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(BEGIN) + len(BEGIN), text.index(END)
    readme.write_text(text[:start] + "\n" + body + "\n" + text[end:], encoding="utf-8")


def environment() -> dict:
    import pygeoapi

    try:
        from osgeo import gdal

        gdal_version = gdal.__version__
    except ImportError:
        gdal_version = "absent"
    return {
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
        "python": platform.python_version(),
        "pygeoapi": pygeoapi.__version__,
        "gdal": gdal_version,
        "postgresql": pg_version(),
        "loadavg_1min": round(os.getloadavg()[0], 2),
    }


def available_backends() -> list[str]:
    try:
        import osgeo.ogr  # noqa: F401 - pygeoapi's OGR provider needs GDAL's Python bindings

        return list(BACKENDS)
    except ImportError:
        return [b for b in BACKENDS if b != "ogr"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scale", type=int, default=1, help="atlas scale: 1 (demo) or the --scale of coopatlas build")
    ap.add_argument("--gpkg", help="atlas GeoPackage to measure (default: by --scale)")
    ap.add_argument(
        "--backends",
        default=",".join(available_backends()),
        help="comma-separated, among " + ", ".join(BACKENDS) + " (default: those available; ogr "
        "needs GDAL's Python bindings, pip install GDAL==$(gdal-config --version))",
    )
    ap.add_argument("--endpoints", default=",".join(ENDPOINTS), help="comma-separated, among " + ", ".join(ENDPOINTS))
    ap.add_argument("--duration", type=float, default=10.0, help="seconds of measurement per request and backend")
    ap.add_argument("--warmup", type=float, default=1.0, help="seconds of warm-up of each backend, per request")
    ap.add_argument("--rounds", type=int, default=5, help="turns the backends take within --duration")
    ap.add_argument("--clients", type=int, default=4, help="concurrent clients (threads)")
    ap.add_argument(
        "--slow",
        type=float,
        default=10.0,
        help="a backend whose first answer to a request takes longer (seconds) is not timed on it",
    )
    ap.add_argument("--workers", type=int, default=2, help="gunicorn workers per server")
    ap.add_argument("--results", default=str(RESULTS_DIR), help="folder of the JSON results")
    ap.add_argument("--no-readme", action="store_true", help="do not rewrite benchmarks/README.md")
    args = ap.parse_args(argv)
    backends = [b for b in args.backends.split(",") if b]
    endpoints = [e for e in args.endpoints.split(",") if e]
    for b in backends:
        if b not in BACKENDS:
            ap.error(f"--backends: unknown backend {b!r}")
        if b not in available_backends():
            ap.error(f"--backends: {b} is not available here (GDAL's Python bindings are missing)")
    for e in endpoints:
        if e not in ENDPOINTS:
            ap.error(f"--endpoints: unknown endpoint {e!r}")
    gpkg = atlas_path(args.scale, args.gpkg)
    ensure_atlas(gpkg, args.scale)
    load_before = round(os.getloadavg()[0], 2)
    rows = count_rows(gpkg)
    ids = sample_ids(gpkg)
    cluster = None
    servers = {}
    load_seconds, load_peak, memory = None, None, {}
    try:
        database_url = None
        if "postgis" in backends:
            from coopatlas.store.postgis import load

            cluster = PostgresCluster().start()
            database_url = cluster.create_database("atlas")
            t0 = time.perf_counter()
            load(gpkg, database_url)
            load_seconds = round(time.perf_counter() - t0, 1)
            import resource  # the load runs in this process: its peak memory is this process's

            load_peak = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
            print(f"PostGIS loaded in {load_seconds:.1f} s", file=sys.stderr, flush=True)
        servers = start_servers(backends, gpkg, database_url, args.workers)
        results: dict[str, dict] = {}
        for e in endpoints:
            _, path, applies = ENDPOINTS[e]
            paths = [f"{ITEMS}/{i}?f=json" for i in ids] if path is None else [path]
            active = {b: s for b, s in servers.items() if b in applies}
            matched, left_out = check(active, e, paths, args.slow)
            if len({v for b, v in matched.items() if b != "ogr"}) > 1:
                print(f"warning: {e}: numberMatched differs: {matched}", file=sys.stderr)
            for b, reason in left_out.items():
                print(f"{e:9s} {b:8s} left out: {reason}", file=sys.stderr, flush=True)
                del active[b]
            runs: dict[str, list] = {b: [] for b in active}
            for b in active:
                if args.warmup > 0:
                    run_load(active[b].port, paths, args.warmup, args.clients)
            # rounds: the backends take turns, so that a change of load on the machine hits them alike
            for _ in range(args.rounds):
                for b in active:
                    runs[b].append(run_load(active[b].port, paths, args.duration / args.rounds, args.clients))
            results[e] = {
                b: (summarize(runs[b]) if b in active else {"left_out": left_out[b]} if b in left_out else None)
                for b in backends
            }
            for b in active:
                m = results[e][b]
                print(
                    f"{e:9s} {b:8s} {m['rps']:8.1f} req/s  p50 {m['p50_ms'] or 0:7.1f} ms  "
                    f"p95 {m['p95_ms'] or 0:7.1f} ms  errors {m['errors']}",
                    file=sys.stderr,
                    flush=True,
                )
        memory = {b: worker_memory_mib(s.proc.pid) for b, s in servers.items() if s.proc is not None}
    finally:
        for s in servers.values():
            s.stop()
        if cluster is not None:
            cluster.stop()
    result = {
        "scale": args.scale,
        "atlas": gpkg.name,
        "rows": rows,
        "backends": backends,
        "date": time.strftime("%Y-%m-%d"),
        "duration": args.duration,
        "rounds": args.rounds,
        "clients": args.clients,
        "workers": args.workers,
        "environment": environment() | {"loadavg_1min_before": load_before},
        "postgis_load_s": load_seconds,
        "postgis_load_peak_rss_mib": load_peak,
        "peak_rss_mib": {b: m.get("VmHWM") for b, m in memory.items()},
        "worker_memory_mib": memory,
        "results": results,
    }
    out = Path(args.results)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"features-x{args.scale}.json"
    path.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(table(result))
    if not args.no_readme:
        write_readme(out)
    return 0


def pg_version() -> str:
    try:
        out = subprocess.run(["/usr/lib/postgresql/15/bin/postgres", "--version"], capture_output=True, text=True)
        return "PostgreSQL " + out.stdout.split()[-1]
    except (OSError, IndexError):
        return "PostgreSQL (unknown)"


if __name__ == "__main__":
    sys.exit(main())
