"""The WSGI application of the atlas: pygeoapi's Flask app plus the atlas's own routes.

``coopatlas serve`` runs it with gunicorn (``coopatlas.server.app:APP``) after writing the effective
configuration and the OpenAPI document into ``var/`` (``PYGEOAPI_CONFIG``, ``PYGEOAPI_OPENAPI``; both
default to ``var/pygeoapi-config.yml`` and ``var/openapi.json``). Later features (Bourse forms,
authentication) register their blueprints on :data:`APP` the same way.

Routes added to pygeoapi's:

* ``/vendor/<package>/<file>``: the third-party web assets (Leaflet, Bootstrap, Swagger UI), installed
  from npm at build time into ``coopatlas/server/static/node_modules`` (``make vendor``), so that no
  page loads anything from the internet;
* ``/assets/<file>``: the atlas's own CSS, JavaScript and images (``coopatlas/server/static``);
* ``/styles/<file>``: the style files of the collections (``styles/``: QML, SLD, MapLibre JSON);
* ``/vocabulaire``: every code list with its French and English labels and colours (JSON);
* ``/licences``: the licences and attributions of the software, the data sources and the web assets;
* ``/basemap/<z>/<x>/<y>.png``: the offline background of the HTML maps (countries, Web Mercator);
* ``/health`` (:mod:`coopatlas.server.health`); and on every route, a database that cannot answer is a 503
  with ``Retry-After`` (:mod:`coopatlas.server.faults`);
* a check of the ``/collections/<id>/map`` parameters before pygeoapi reads them (400 naming the bad
  parameter instead of pygeoapi's 500 on, e.g., an unknown ``crs``), and of the ``/items`` requests
  pygeoapi would misread (CQL2 JSON in the query string, a POST with no ``Content-Type`` or a body that
  is not UTF-8), and of the shape of the execute requests of the processes (pygeoapi's 500s on a body
  that is not a JSON object).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import posixpath
from pathlib import Path

from ..paths import ROOT

SERVER_DIR = Path(__file__).resolve().parent
STATIC_DIR = SERVER_DIR / "static"

os.environ.setdefault("PYGEOAPI_CONFIG", str(ROOT / "var" / "pygeoapi-config.yml"))
os.environ.setdefault("PYGEOAPI_OPENAPI", str(ROOT / "var" / "openapi.json"))

from flask import Blueprint, Response, abort, request, send_from_directory
from pygeoapi.api import APIRequest
from pygeoapi.flask_app import APP, CONFIG, api_
from pygeoapi.util import render_j2_template

from ..vocabulary import vocabulary_json
from . import cql, faults, jobs_policy, limits, maps
from .config import LICENCE_SOFTWARE, NOTICE, SOURCES

LOGGER = logging.getLogger(__name__)

VENDOR_DIR = Path(os.environ.get("COOPATLAS_VENDOR_DIR") or STATIC_DIR / "node_modules")
STYLES_DIR = Path(os.environ.get("COOPATLAS_STYLES_DIR") or ROOT / "styles")

#: Public name → (npm package, folder of the package served, licence).
VENDOR = {
    "leaflet": ("leaflet", "dist", "BSD-2-Clause"),
    "bootstrap": ("bootstrap", "dist", "MIT"),
    "swagger-ui": ("swagger-ui-dist", "", "Apache-2.0"),
}

#: Media type of each style file suffix (the ``type`` of the ``stylesheet`` links of the collections).
STYLE_MEDIA_TYPES = {
    ".maplibre.json": "application/vnd.mapbox.style+json",
    ".qml": "application/vnd.qgis.qml",
    ".sld": "application/vnd.ogc.sld+xml;version=1.1.0",
}

atlas = Blueprint("coopatlas", __name__)

#: The largest integer of SQLite and PostgreSQL (``bigint``): a larger ``offset`` or ``limit`` is a 400.
MAX_INT64 = 2**63 - 1


def _exception(status: int, code: str, description: str) -> Response:
    """An OGC API exception, as pygeoapi writes them."""
    body = json.dumps({"code": code, "type": code, "description": description}, ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json")


@atlas.route("/vendor/<name>/<path:filename>")
def vendor(name: str, filename: str):
    """A vendored web asset (or its package's ``LICENSE``)."""
    if name not in VENDOR:
        abort(404)
    package, folder, _ = VENDOR[name]
    base = VENDOR_DIR / package
    if filename in ("LICENSE", "NOTICE"):
        return send_from_directory(base, filename, mimetype="text/plain", max_age=86400)
    return send_from_directory(base / folder if folder else base, filename, max_age=86400)


@atlas.route("/assets/<path:filename>")
def assets(filename: str):
    """The atlas's own static files (CSS, JavaScript, images); not the npm files next to them, whatever the
    spelling of the path (``./``, ``../``, ``//``: only the plain path of a file is served)."""
    if posixpath.normpath(filename) != filename or filename.split("/", 1)[0] in (
        "node_modules",
        "package.json",
        "package-lock.json",
    ):
        abort(404)
    return send_from_directory(STATIC_DIR, filename, max_age=3600)


@atlas.route("/styles/<path:filename>")
def styles(filename: str):
    """A style file of ``styles/`` with the media type of its ``stylesheet`` link."""
    for suffix, media_type in STYLE_MEDIA_TYPES.items():
        if filename.endswith(suffix):
            return send_from_directory(STYLES_DIR, filename, mimetype=media_type, max_age=3600)
    abort(404)


@atlas.route("/vocabulaire")
def vocabulaire():
    """Every code list of :mod:`coopatlas.vocabulary`: codes, French and English labels, colours."""
    return Response(json.dumps(vocabulary_json(), ensure_ascii=False), mimetype="application/json")


def licences_json() -> dict:
    """Licences and attributions: the software, each data source, the web assets."""
    return {
        "logiciel": {"nom": "CoopAtlas", **LICENCE_SOFTWARE},
        "avertissement": NOTICE,
        "sources": [{"id": k, "fr": v["fr"], "en": v["en"], "href": v["href"]} for k, v in SOURCES.items()],
        "composants_web": [
            {"nom": package, "licence": licence, "href": f"{CONFIG['server']['url']}/vendor/{name}/LICENSE"}
            for name, (package, _, licence) in VENDOR.items()
        ]
        + [{"nom": "pygeoapi", "licence": "MIT", "href": "https://pygeoapi.io"}],
    }


@atlas.route("/licences")
def licences():
    """The licences page (``f=json`` or ``f=html``; ``lang=fr|en``)."""
    api_request = APIRequest.from_flask(request, api_.locales)
    data = licences_json()
    if api_request.format == "html":
        content = render_j2_template(
            api_.tpl_config, CONFIG["server"].get("templates"), "licences.html", data, api_request.locale
        )
        return Response(content, mimetype="text/html")
    return Response(json.dumps(data, ensure_ascii=False), mimetype="application/json")


@functools.lru_cache(maxsize=1)
def _basemap() -> maps.Basemap | None:
    res = CONFIG.get("resources", {}).get("pays")
    if not res:
        return None
    feature = next((p for p in res.get("providers", []) if p.get("type") == "feature"), None)
    return maps.Basemap(feature) if feature else None


@functools.lru_cache(maxsize=2048)
def _tile(z: int, x: int, y: int) -> bytes:
    return _basemap().tile(z, x, y)


@atlas.route("/basemap/<int:z>/<int:x>/<int:y>.png")
def basemap(z: int, x: int, y: int):
    """A 256-pixel Web Mercator tile of the offline background (countries of ``pays`` on the sea)."""
    if _basemap() is None:
        return _exception(404, "NotFound", "no 'pays' collection: no basemap")
    try:
        maps.Basemap.tile_bbox(z, x, y)
    except maps.MapParameterError as exc:
        return _exception(400, "InvalidParameterValue", exc.message)
    return Response(_tile(z, x, y), mimetype="image/png", headers={"Cache-Control": "public, max-age=86400"})


@atlas.before_app_request
def _check_items_requests():
    """What pygeoapi 0.24 would misread on ``/collections/<id>/items``, refused with a clear 4xx.

    * ``GET ...?filter-lang=cql2-json&filter=...``: pygeoapi parses a ``filter`` parameter as CQL2 text
      whatever ``filter-lang`` says; CQL2 JSON goes in the body of a POST;
    * a POST with no ``Content-Type``: pygeoapi answers nothing (HTTP 500); a body that is not UTF-8:
      pygeoapi fails on it (HTTP 500);
    * a ``filter`` that is not valid CQL2 text: pygeoapi says "Bad CQL text"; the 400 says where (line,
      column) and what was expected there.
    """
    if request.endpoint != "pygeoapi.collection_items" or (request.view_args or {}).get("item_id"):
        return None
    args = request.args
    for name in ("offset", "limit"):  # pygeoapi checks the form, not the size: SQL integers are 64-bit
        value = args.get(name, "").strip()
        if value.isascii() and value.isdigit() and int(value) > MAX_INT64:
            return _exception(
                400,
                "InvalidParameterValue",
                f"{name}: {value} is beyond the largest {name} this server takes ({MAX_INT64})",
            )
    if request.method == "GET" and args.get("filter-lang") in ("cql2-json", "cql-json") and "filter" in args:
        return _exception(
            400,
            "InvalidParameterValue",
            "filter-lang: CQL2 JSON is read from the body of a POST to this URL (Content-Type: "
            "application/query-cql-json); in the query string, use filter-lang=cql2-text",
        )
    if request.method == "GET" and args.get("filter"):
        try:
            cql.parse(args["filter"], "cql2-text")  # as pygeoapi parses it
        except cql.FilterError as exc:
            return _exception(400, "InvalidParameterValue", str(exc))
    if request.method == "POST":
        if not request.content_type:
            return _exception(
                415, "InvalidParameterValue", "Content-Type: POST a CQL2 JSON filter as application/query-cql-json"
            )
        try:
            text = request.get_data(cache=True).decode("utf-8")
        except UnicodeDecodeError:  # pygeoapi fails on it with a 500
            return _exception(400, "InvalidParameterValue", "filter: the body is not UTF-8 text (CQL2 JSON)")
        try:  # pygeoapi reads any text as some date: {"interval": ["x"]} would be a day of this year
            cql.check_temporal_literals(json.loads(text))
        except cql.FilterError as exc:
            return _exception(400, "InvalidParameterValue", str(exc))
        except (ValueError, RecursionError):
            pass  # not JSON, or nested too deep: pygeoapi's own answer
    if "offset" not in args:
        # pygeoapi reads a missing offset as 0, but through a TypeError it logs as a warning on every such
        # request: it is given the 0 it would use (its links leave offset out, the answer is the same)
        request.args = request.parameter_storage_class([*args.items(multi=True), ("offset", "0")])
    return None


@atlas.before_app_request
def _check_execute_request():
    """The shape of an OGC API - Processes execute request, checked before pygeoapi 0.24 reads it.

    pygeoapi fails with a 500 on a body that is not UTF-8, is JSON but not an object, or has a
    ``subscriber`` that is not an object; the processes validate the values of their inputs themselves.
    """
    if request.endpoint != "pygeoapi.execute_process_jobs" or request.method != "POST":
        return None
    raw = request.get_data(cache=True)
    if not raw:
        return None  # pygeoapi: 400 missing request data
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:  # pygeoapi fails on it with a 500
        return _exception(400, "InvalidParameterValue", "execute request: the body is not UTF-8 text (JSON)")
    try:
        body = json.loads(text)
    except ValueError:
        return None  # pygeoapi: 400 invalid request data
    except RecursionError:  # nested thousands of levels deep: pygeoapi fails on it with a 500
        return _exception(400, "InvalidParameterValue", "execute request: the JSON body is nested too deep")
    if not isinstance(body, dict):
        return _exception(
            400, "InvalidParameterValue", 'execute request: a JSON object is expected ({"inputs": {...}})'
        )
    for member, kind, name in (
        ("inputs", dict, "an object"),
        ("outputs", dict, "an object"),
        ("subscriber", dict, "an object"),
        ("response", str, "a string"),
    ):
        if member in body and body[member] is not None and not isinstance(body[member], kind):
            return _exception(400, "InvalidParameterValue", f"{member}: must be {name}")
    sub = body.get("subscriber")
    if isinstance(sub, dict):
        for key in ("successUri", "inProgressUri", "failedUri"):
            if key in sub and not isinstance(sub[key], str):
                return _exception(400, "InvalidParameterValue", f"subscriber.{key}: must be a URI (string)")
    return None


@atlas.before_app_request
def _check_map_parameters():
    """Refuse bad ``/collections/<id>/map`` parameters with a 400 before pygeoapi reads them."""
    if request.endpoint != "pygeoapi.collection_map":
        return None
    cid = (request.view_args or {}).get("collection_id")
    res = CONFIG.get("resources", {}).get(cid)
    if not res or not any(p.get("type") == "map" for p in res.get("providers", [])):
        return None  # pygeoapi answers 404 (or 400 for a collection with no map)
    try:
        maps.parse_map_args(request.args)
    except maps.MapParameterError as exc:
        return _exception(400, "InvalidParameterValue", exc.message)
    return None


@atlas.after_app_request
def _html_charset(response: Response) -> Response:
    """pygeoapi sends its HTML pages as ``text/html`` with no charset: say UTF-8 (clients default to Latin-1)."""
    ctype = response.headers.get("Content-Type", "")
    if ctype.split(";")[0].strip() in ("text/html", "text/csv") and "charset" not in ctype:
        response.headers["Content-Type"] = ctype.split(";")[0].strip() + "; charset=utf-8"
    return response


APP.register_blueprint(atlas)
#: A database that cannot answer: 503 with Retry-After on every route (:mod:`coopatlas.server.faults`).
faults.install(APP)

#: Blueprints of the atlas's other features, registered on the same app when their module is present
#: (``module:attribute``). Routes of :data:`atlas` registered above win over duplicates.
EXTENSIONS = (
    "coopatlas.server.health:blueprint",  # /health: 200 only when the atlas and live databases answer
    "coopatlas.server.search_api:blueprint",  # /criteres: the search criteria as OGC API queries
    "coopatlas.server.query_params:blueprint",  # 400 for a query parameter a collection route does not define
    "coopatlas.server.queryables:blueprint",  # French and English titles of the queryables, from the schema
    "coopatlas.bourse.web:blueprint",  # Bourse projets, accounts, personal spaces; guard of the write routes
    "coopatlas.server.csv_formatter:blueprint",  # /items?f=csv: the whole result, streamed, with coordinates
    "coopatlas.server.tiles.routes:blueprint",  # checks of the OGC API Tiles requests (404/400 that say why)
    "coopatlas.server.downloads:blueprint",  # /downloads, /catalogue.jsonld: bulk downloads, DCAT-AP catalogue
    "coopatlas.web.blueprint:blueprint",  # /atlas: the public web atlas (MapLibre on the tiles and processes)
)


def _register_extensions() -> None:
    import importlib

    for spec in EXTENSIONS:
        module, _, attr = spec.partition(":")
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name and module.startswith(exc.name):
                LOGGER.info("extension %s is not installed", module)
                continue
            raise
        APP.register_blueprint(getattr(mod, attr))


_register_extensions()
#: How the personal spaces of the Bourse make a map of this server (:mod:`coopatlas.bourse.web.exports`).
APP.extensions["coopatlas.map_png"] = functools.partial(maps.collection_png, CONFIG.get("resources", {}))

#: Jobs seen by whoever started them only, capped, purged (:mod:`coopatlas.server.jobs_policy`).
jobs_policy.install(APP, api_.manager)
#: Every 429 says when to retry; request bodies over the limit are refused with 413 at once
#: (:mod:`coopatlas.server.limits`).
APP.after_request(limits.retry_after)
APP.wsgi_app = limits.BodyLimit(APP.wsgi_app, limits.max_body_bytes(), APP.extensions.get(limits.UPLOAD_LIMITS))

if not VENDOR_DIR.is_dir():
    LOGGER.warning("no vendored web assets in %s: run 'make vendor' (npm ci) for the HTML pages", VENDOR_DIR)
