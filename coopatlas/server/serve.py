"""``coopatlas serve``: the OGC API server of the atlas (pygeoapi under gunicorn).

It builds nothing (``make serve`` builds the GeoPackage and installs the web assets first). It:

1. reads ``pygeoapi-config.yml`` (placeholders filled from the environment) and writes the effective
   configuration into ``var/pygeoapi-config.yml`` (:func:`coopatlas.server.config.effective_config`):
   the GeoPackage ``COOPATLAS_GPKG`` (default ``build/atlas.gpkg``), or, when
   ``COOPATLAS_DATABASE_URL=postgresql://...`` is set, every collection on PostGIS through the provider
   stanza of :func:`coopatlas.store.postgis.pygeoapi_provider_config`;
2. generates the OpenAPI document with pygeoapi (as ``pygeoapi openapi generate`` does), made
   self-contained (:func:`coopatlas.server.config.offline_openapi`), into ``var/openapi.json``;
3. replaces itself with gunicorn serving :data:`coopatlas.server.app.APP` with several workers, each with
   several threads (:class:`coopatlas.server.worker.ThreadWorker`: gunicorn's ``gthread`` with read and write
   timeouts on every connection), so that idle or slow clients hold a thread each, never a whole worker;
   kept-alive connections stay open longer than their clients keep them (:data:`DEFAULT_KEEPALIVE`), so that a
   client never reuses one the server is closing.

Host and port: ``--host``/``--port``, else ``HOST``/``PORT``, else 127.0.0.1:5000. The public URL:
``--url``, else ``COOPATLAS_URL``, else ``http://<host>:<port>``.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

from . import config as C

DATABASE_URL_ENV = "COOPATLAS_DATABASE_URL"
#: Seconds an idle kept-alive connection stays open (gunicorn's ``--keep-alive``; its default, 2, is meant for
#: clients that connect directly). A client that reuses a connection at the moment the server closes it gets
#: "connection reset by peer" (or a connection closed without an answer): the one who closes an idle
#: connection must be the client. So the server waits longer than the clients and proxies that keep
#: connections: a reverse proxy's pool of upstream connections (nginx's ``keepalive_timeout``, 60 s by
#: default; most load balancers' idle timeout, 60 s), and HTTP libraries that reuse a connection after a pause
#: of a few seconds (``requests`` sessions, QGIS, browsers). An idle connection holds no thread (gunicorn's
#: threaded worker waits for it in its event loop), only a socket among the worker's ``worker_connections``.
DEFAULT_KEEPALIVE = 75

#: A read replica of COOPATLAS_DATABASE_URL: the collections (features, tiles, maps) and the processes read
#: it; every write (the Bourse, the live database, the jobs) still goes to COOPATLAS_DATABASE_URL.
READ_URL_ENV = "COOPATLAS_DATABASE_READ_URL"


def read_from_replica(cfg: dict, read_url: str) -> None:
    """Point every collection's PostGIS providers of ``cfg`` at the replica ``read_url`` (same schema)."""
    from ..store.postgis import connection_parameters

    params = connection_parameters(read_url)
    for res in cfg["resources"].values():
        for prov in res.get("providers", []) if res.get("type") == "collection" else ():
            for data in (prov.get("data"), ((prov.get("options") or {}).get("features") or {}).get("data")):
                if isinstance(data, dict) and data.get("dbname"):
                    data.update(params)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    env = os.environ
    parser.add_argument(
        "--host", default=env.get("HOST") or "127.0.0.1", help="address to bind (default: $HOST or 127.0.0.1)"
    )
    parser.add_argument(
        "--port", type=int, default=int(env.get("PORT") or 5000), help="port to bind (default: $PORT or 5000)"
    )
    parser.add_argument(
        "--url",
        default=env.get("COOPATLAS_URL"),
        help="public URL of the server (default: $COOPATLAS_URL or http://HOST:PORT)",
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(env.get("WORKERS") or 4),
        help="gunicorn worker processes (default: $WORKERS or 4)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=int(env.get("THREADS") or 16),
        help="threads of each worker: requests served at once by one worker (default: $THREADS or 16)",
    )
    parser.add_argument(
        "--read-timeout",
        type=float,
        default=float(env.get("COOPATLAS_READ_TIMEOUT") or 10),
        help="seconds a client may keep the server waiting between two reads of its request "
        "(default: $COOPATLAS_READ_TIMEOUT or 10)",
    )
    parser.add_argument(
        "--keep-alive",
        type=int,
        default=int(env.get("COOPATLAS_KEEPALIVE") or DEFAULT_KEEPALIVE),
        help="seconds an idle kept-alive connection stays open for the client's next request "
        f"(default: $COOPATLAS_KEEPALIVE or {DEFAULT_KEEPALIVE})",
    )
    parser.add_argument("--timeout", type=int, default=120, help="gunicorn worker timeout, seconds")
    parser.add_argument(
        "--gpkg",
        default=env.get("COOPATLAS_GPKG") or C.DEFAULT_GPKG,
        help="the atlas GeoPackage (default: $COOPATLAS_GPKG or build/atlas.gpkg)",
    )
    parser.add_argument(
        "--database-url",
        default=env.get(DATABASE_URL_ENV),
        help=f"serve from PostGIS instead (default: ${DATABASE_URL_ENV})",
    )
    parser.add_argument(
        "--feature-provider",
        default=env.get("COOPATLAS_FEATURE_PROVIDER"),
        help="dotted path of the GeoPackage feature provider class "
        f"(default: $COOPATLAS_FEATURE_PROVIDER or {C.FEATURE_PROVIDER})",
    )
    parser.add_argument("--config", default=str(C.CONFIG_FILE), help="pygeoapi configuration to start from")
    parser.add_argument(
        "--var",
        default=str(C.ROOT / "var"),
        help="folder of the effective configuration, OpenAPI document and jobs (default: var/)",
    )
    parser.add_argument("--access-log", action="store_true", help="log every request on standard output")
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="write the effective configuration and the OpenAPI document, then exit",
    )


def public_url(host: str, port: int, url: str | None = None) -> str:
    """The URL clients use: ``url`` if given, else ``http://host:port`` (127.0.0.1 for a wildcard host)."""
    if url:
        return url.rstrip("/")
    shown = "127.0.0.1" if host in ("0.0.0.0", "", "::", "[::]") else host
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}"


def load_config(path: str | Path) -> dict:
    """The configuration file with its ``${VAR:-default}`` placeholders filled (as pygeoapi reads it)."""
    from pygeoapi.util import yaml_load

    with open(path, encoding="utf-8") as fh:
        return yaml_load(io.StringIO(fh.read()))


def write_effective_config(args) -> tuple[Path, dict]:
    """Write ``var/pygeoapi-config.yml``; returns its path and content."""
    var = Path(args.var).resolve()
    var.mkdir(parents=True, exist_ok=True)
    (var / "jobs").mkdir(exist_ok=True)
    url = public_url(args.host, args.port, args.url)
    database_url = args.database_url or None
    gpkg = None
    if database_url:
        if not database_url.startswith(("postgresql://", "postgresql+psycopg2://", "postgres://")):
            raise SystemExit(f"coopatlas serve: {DATABASE_URL_ENV} must be a postgresql:// URL")
    else:
        gpkg = str(Path(args.gpkg).resolve())
        if not Path(gpkg).is_file():
            raise SystemExit(
                f"coopatlas serve: no GeoPackage at {gpkg}: build it with 'make data' (or set COOPATLAS_GPKG)"
            )
    base = load_config(args.config)
    cfg = C.effective_config(
        base,
        url=url,
        host=args.host,
        port=args.port,
        gpkg=gpkg,
        database_url=database_url,
        var=var,
        feature_provider_name=args.feature_provider,
    )
    if database_url and os.environ.get(READ_URL_ENV):
        read_from_replica(cfg, os.environ[READ_URL_ENV])
    path = var / "pygeoapi-config.yml"
    tmp = path.with_suffix(".yml.tmp")
    tmp.write_text(
        C.render_yaml(cfg).replace(C.HEADER, "# Effective configuration written by `coopatlas serve`: do not edit.\n"),
        encoding="utf-8",
    )
    tmp.replace(path)
    return path, cfg


def write_openapi(cfg: dict, var: Path) -> Path:
    """Generate the OpenAPI document of ``cfg`` with pygeoapi, self-contained, into ``var/openapi.json``."""
    from pygeoapi.openapi import get_oas, validate_openapi_document

    from .tiles import filters as tile_filters

    doc = C.clean_openapi(C.offline_openapi(get_oas(cfg, fail_on_invalid_collection=True)))
    doc = tile_filters.with_openapi_parameters(doc)
    doc = json.loads(json.dumps(doc, default=str))
    validate_openapi_document(doc)
    path = var / "openapi.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    tmp.replace(path)
    return path


#: Longest request line (method, URL, version) the server reads: gunicorn's largest. A longer one is a 414
#: that says to POST the filter as CQL2 JSON (:class:`coopatlas.server.worker.ThreadWorker`); the
#: /criteres filters that list identifiers are sent that way by the QGIS plugin.
MAX_REQUEST_LINE = 8190


def gunicorn_argv(args, bind: str) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "gunicorn",
        "--bind",
        bind,
        "--workers",
        str(max(1, args.workers)),
        "--worker-class",
        "coopatlas.server.worker.ThreadWorker",
        "--threads",
        str(max(1, args.threads)),
        "--timeout",
        str(args.timeout),
        "--keep-alive",
        str(args.keep_alive),
        "--graceful-timeout",
        "10",
        "--pythonpath",
        str(C.ROOT),
        "--preload",
        "--no-control-socket",
        "--limit-request-line",
        str(MAX_REQUEST_LINE),
        "--name",
        "coopatlas",
    ]
    if args.access_log:
        argv += ["--access-logfile", "-"]
    return argv + ["coopatlas.server.app:APP"]


def run(args) -> int:
    config_path, cfg = write_effective_config(args)
    var = config_path.parent
    openapi_path = write_openapi(cfg, var)
    os.environ["PYGEOAPI_CONFIG"] = str(config_path)
    os.environ["PYGEOAPI_OPENAPI"] = str(openapi_path)
    if not args.database_url:  # the atlas's own endpoints (/criteres, processes) read the same GeoPackage
        os.environ["COOPATLAS_GPKG"] = str(Path(args.gpkg).resolve())
    if args.prepare_only:
        print(f"PYGEOAPI_CONFIG={config_path}\nPYGEOAPI_OPENAPI={openapi_path}")
        return 0
    host = args.host if ":" not in args.host or args.host.startswith("[") else f"[{args.host}]"
    bind = f"{host}:{args.port}"
    print(
        f"coopatlas serve: {cfg['server']['url']} (bind {bind}, {args.workers} workers of "
        f"{args.threads} threads, "
        f"{'PostGIS' if args.database_url else 'GeoPackage ' + str(args.gpkg)})",
        file=sys.stderr,
        flush=True,
    )
    argv = gunicorn_argv(args, bind)
    os.environ["COOPATLAS_READ_TIMEOUT"] = str(args.read_timeout)
    os.execv(argv[0], argv)
    return 0  # not reached
