"""The provider's share of a page of 100 items, and pygeoapi's own ceiling, in one worker's CPU time.

    .venv/bin/python benchmarks/provider_share.py [--gpkg build/atlas.gpkg] [--batches 60]

In this process, pygeoapi's Flask application on the atlas (the configuration ``coopatlas serve`` writes,
into a temporary folder) answers, through Flask's test client, in alternating batches of 10 requests so
that other work on the machine hits each alike (the minimum over the batches is kept):

* ``landing``: the landing page ``/?f=json`` (the per-request cost of pygeoapi, Flask and our hooks);
* ``page``: ``/collections/projets/items?f=json&limit=100`` with the atlas's provider;
* ``prebuilt``: the same request, the provider replaced by one that hands pygeoapi the same answer
  built in advance (:mod:`benchmarks.prebuilt_provider`): what the page costs when the provider costs
  nothing, pygeoapi's ceiling for this page (``benchmarks/features.py`` times it over HTTP too);
* ``to_json``: pygeoapi's serialisation of that answer alone (``pygeoapi.util.to_json``).

Issue 12's target is the page at 60 % of the landing page's requests per second; the ratios below say
how far the page is, and how far any provider could get inside pygeoapi 0.24.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the project's packages, not this folder's scripts (benchmarks/processes.py would hide the package)
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent)]
PAGE = "/collections/projets/items?f=json&limit=100&offset=0"
LANDING = "/?f=json"

#: pygeoapi loads a provider by its dotted name
PREBUILT = "benchmarks.prebuilt_provider.PrebuiltAnswerProvider"


def _configure(gpkg: Path, var: Path) -> None:
    from coopatlas.server import serve

    parser = argparse.ArgumentParser()
    serve.add_arguments(parser)
    args = parser.parse_args(["--var", str(var), "--gpkg", str(gpkg)])
    path, cfg = serve.write_effective_config(args)
    os.environ["PYGEOAPI_CONFIG"] = str(path)
    os.environ["PYGEOAPI_OPENAPI"] = str(serve.write_openapi(cfg, var))
    os.environ["COOPATLAS_ATLAS_READONLY"] = "1"


def _cpu_ms(client, path: str, n: int = 10) -> float:
    start = time.process_time()
    for _ in range(n):
        answer = client.get(path)
        if answer.status_code != 200:
            raise SystemExit(f"{path}: HTTP {answer.status_code}")
    return 1000 * (time.process_time() - start) / n


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gpkg", default=os.environ.get("COOPATLAS_GPKG", str(ROOT / "build" / "atlas.gpkg")))
    parser.add_argument("--batches", type=int, default=60, help="alternating batches of 10 requests each")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="coopatlas-share-") as var:
        _configure(Path(args.gpkg).resolve(), Path(var))
        from pygeoapi.flask_app import api_
        from pygeoapi.util import to_json

        from coopatlas.server.app import APP

        client = APP.test_client()
        provider = api_.config["resources"]["projets"]["providers"][0]
        ours = provider["name"]

        def with_provider(name):
            provider["name"] = name
            return client

        body_ours = with_provider(ours).get(PAGE).get_json()
        body_prebuilt = with_provider(PREBUILT).get(PAGE).get_json()
        for body in (body_ours, body_prebuilt):
            body.pop("timeStamp")
        if body_ours != body_prebuilt:
            raise SystemExit("the prebuilt answer differs from the provider's: the comparison would be unfair")

        load_before = os.getloadavg()[0]
        best = {"landing": [], "page": [], "prebuilt": [], "to_json": []}
        answer = {**body_ours, "timeStamp": "2026-01-01T00:00:00.000000Z"}
        for _ in range(args.batches):
            best["landing"].append(_cpu_ms(with_provider(ours), LANDING))
            best["page"].append(_cpu_ms(with_provider(ours), PAGE))
            best["prebuilt"].append(_cpu_ms(with_provider(PREBUILT), PAGE))
            start = time.process_time()
            for _ in range(10):
                to_json(answer, False)
            best["to_json"].append(100 * (time.process_time() - start))
        provider["name"] = ours
    ms = {k: min(v) for k, v in best.items()}
    size = len(to_json(answer, False).encode())
    print(f"atlas {args.gpkg}; {args.batches} batches of 10; minimum CPU ms per request; page {size:,} bytes of JSON")
    print(f"  landing page            {ms['landing']:6.2f} ms")
    print(f"  page, atlas provider    {ms['page']:6.2f} ms   {100 * ms['landing'] / ms['page']:5.1f} % of the landing")
    ceiling = 100 * ms["landing"] / ms["prebuilt"]
    print(f"  page, prebuilt answer   {ms['prebuilt']:6.2f} ms   {ceiling:5.1f} % of the landing")
    print(f"  pygeoapi's to_json      {ms['to_json']:6.2f} ms")
    print(f"  the provider's part     {ms['page'] - ms['prebuilt']:6.2f} ms of {ms['page']:.2f}")
    print(f"  load average {load_before:.2f} -> {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
