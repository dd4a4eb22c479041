"""Routes of the web atlas: the page ``/atlas`` (``?lang=fr|en``), its own scripts and styles under
``/atlas/static/``, and the vendored MapLibre GL JS under ``/atlas/vendor/maplibre-gl/`` (npm, installed by
``make vendor`` into ``coopatlas/server/static/node_modules``: nothing is loaded from the internet).

Registered on pygeoapi's Flask app by :mod:`coopatlas.server.app` (its ``EXTENSIONS``).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Blueprint, Response, abort, render_template, request, send_from_directory

from .i18n import LANGS, strings

HERE = Path(__file__).resolve().parent
STATIC_DIR = HERE / "static"
VENDOR_DIR = Path(os.environ.get("COOPATLAS_VENDOR_DIR") or HERE.parent / "server" / "static" / "node_modules")
#: The one vendored package of the page: MapLibre GL JS (ES modules, its CSS and licence).
MAPLIBRE_DIR = VENDOR_DIR / "maplibre-gl"
#: JavaScript modules must be sent as JavaScript (``.mjs`` is unknown to some ``mimetypes`` tables).
JS_TYPES = {".js": "text/javascript", ".mjs": "text/javascript"}

#: The page's ES modules, preloaded all at once (not one import level after the other).
MODULES = tuple(sorted(p.name for p in (STATIC_DIR / "js").glob("*.js")))

blueprint = Blueprint("coopatlas_web", __name__, template_folder="templates")


def _send(folder: Path, filename: str, max_age: int):
    mimetype = JS_TYPES.get(Path(filename).suffix)
    return send_from_directory(folder, filename, mimetype=mimetype, max_age=max_age)


def page_lang() -> str:
    """The page's language: ``lang`` of the query string, else the browser's preference, else French."""
    asked = request.args.get("lang")
    if asked in LANGS:
        return asked
    return request.accept_languages.best_match(LANGS) or "fr"


@blueprint.route("/atlas")
def atlas_page():
    """The web atlas (HTML); its state (search, view, tab, sheet) is in the query string."""
    lang = request.args.get("lang")
    if lang is not None and lang not in LANGS:
        body = json.dumps(
            {"code": "InvalidParameterValue", "description": f"lang: {lang!r} is not one of {', '.join(LANGS)}"}
        )
        return Response(body, status=400, mimetype="application/json")
    lang = page_lang()
    html = render_template(
        "web/atlas.html",
        lang=lang,
        t=strings(lang),
        modules=MODULES,
        strings_json=json.dumps(strings(lang), ensure_ascii=False),
    )
    return Response(html, mimetype="text/html")


@blueprint.route("/atlas/static/<path:filename>")
def atlas_static(filename: str):
    """The page's own scripts (ES modules) and styles."""
    return _send(STATIC_DIR, filename, 3600)


@blueprint.route("/atlas/vendor/maplibre-gl/<path:filename>")
def maplibre(filename: str):
    """MapLibre GL JS: ``dist/`` of the npm package, and its ``LICENSE.txt``."""
    if filename == "LICENSE.txt":
        return send_from_directory(MAPLIBRE_DIR, filename, mimetype="text/plain", max_age=86400)
    if not (MAPLIBRE_DIR / "dist").is_dir():
        abort(404, "MapLibre GL JS is not vendored: run 'make vendor'")
    return _send(MAPLIBRE_DIR / "dist", filename, 86400)
