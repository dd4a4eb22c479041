"""Routes of the bulk downloads and of the DCAT-AP catalogue (:mod:`coopatlas.opendata`).

* ``/downloads``: the index of the downloads (JSON; ``f=html`` or a browser: an HTML list), each file with
  its size, SHA-256 and licences;
* ``/downloads/<file>``: one file (the styled GeoPackage of the whole atlas, each collection as FlatGeobuf,
  GeoParquet and CSV);
* ``/catalogue.jsonld``: the DCAT-AP catalogue of the datasets, distributions, licences and the OGC API.

The downloads are built on the first request from the atlas the server serves (its GeoPackage, or its
PostGIS database), into ``$COOPATLAS_DOWNLOADS_DIR`` (default: ``downloads/`` beside the effective
configuration, i.e. ``var/``), in a folder named after the atlas's version: a rebuilt or reloaded atlas, or
a newly validated Bourse request, gets new downloads on the next request.
"""

from __future__ import annotations

import html
import json
import os
from pathlib import Path

from flask import Blueprint, Response, request, send_from_directory
from pygeoapi.flask_app import CONFIG

from ..opendata.catalogue import catalogue
from ..opendata.downloads import FORMATS, downloads_for
from ..store import default_location
from .config import COLLECTION_SOURCES, SOURCES

blueprint = Blueprint("coopatlas_downloads", __name__)


def _error(status: int, code: str, description: str) -> Response:
    return Response(json.dumps({"code": code, "description": description}), status=status, mimetype="application/json")


def _atlas_location() -> str:
    """The GeoPackage of the server's ``projets`` collection, else its PostGIS database."""
    for provider in CONFIG.get("resources", {}).get("projets", {}).get("providers", []):
        if provider.get("type") == "feature" and isinstance(provider.get("data"), str):
            return provider["data"]
    return default_location()


def _cache_dir() -> Path:
    configured = os.environ.get("COOPATLAS_DOWNLOADS_DIR")
    if configured:
        return Path(configured)
    return Path(os.environ.get("PYGEOAPI_CONFIG", "var/pygeoapi-config.yml")).resolve().parent / "downloads"


def _licences() -> dict[str, list[dict]]:
    return {
        cid: [{"title": f"{SOURCES[s]['fr']} / {SOURCES[s]['en']}", "href": SOURCES[s]["href"]} for s in sources]
        for cid, sources in COLLECTION_SOURCES.items()
    }


def _downloads():
    return downloads_for(_atlas_location(), _cache_dir(), _licences())


def _url() -> str:
    return str(CONFIG["server"]["url"]).rstrip("/")


def _index_html(index: dict) -> str:
    rows = "".join(
        f'<tr><td><a href="{_url()}/downloads/{html.escape(e["file"])}">{html.escape(e["file"])}</a></td>'
        f"<td>{html.escape(e['format'])}</td><td>{e['size']:,}</td><td><code>{e['sha256']}</code></td>"
        f"<td>{'<br>'.join(html.escape(s['title']) for s in e['licences'])}</td></tr>"
        for e in index["files"]
    )
    return (
        '<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Téléchargements / Downloads'
        "</title></head><body><h1>Téléchargements de l'atlas / Downloads</h1>"
        f'<p><a href="{_url()}/catalogue.jsonld">Catalogue DCAT-AP (JSON-LD)</a></p>'
        "<table><tr><th>Fichier / File</th><th>Format</th><th>Octets / Bytes</th><th>SHA-256</th>"
        f"<th>Licences</th></tr>{rows}</table></body></html>"
    )


@blueprint.route("/downloads")
def downloads_index():
    _, index = _downloads()
    files = [{**e, "href": f"{_url()}/downloads/{e['file']}"} for e in index["files"]]
    wants_html = request.args.get("f") == "html" or (
        request.args.get("f") is None and request.accept_mimetypes.best == "text/html"
    )
    if request.args.get("f") not in (None, "json", "html"):
        return _error(400, "InvalidParameterValue", f"f: must be json or html, not {request.args.get('f')!r}")
    if wants_html:
        return Response(_index_html(index), mimetype="text/html")
    links = [
        {
            "rel": "describedby",
            "type": "application/ld+json",
            "title": "DCAT-AP catalogue",
            "href": f"{_url()}/catalogue.jsonld",
        }
    ]
    return Response(
        json.dumps({**index, "files": files, "links": links}, ensure_ascii=False), mimetype="application/json"
    )


@blueprint.route("/downloads/<path:filename>")
def download(filename: str):
    folder, index = _downloads()
    entry = next((e for e in index["files"] if e["file"] == filename), None)
    if entry is None:
        return _error(404, "NotFound", f"no download {filename!r}; see {_url()}/downloads")
    return send_from_directory(folder, filename, mimetype=FORMATS[entry["format"]][1], as_attachment=True, max_age=3600)


@blueprint.route("/catalogue.jsonld")
def catalogue_jsonld():
    _, index = _downloads()
    identification = CONFIG.get("metadata", {}).get("identification", {})
    title = identification.get("title") or {"fr": "CoopAtlas", "en": "CoopAtlas"}
    description = identification.get("description") or title
    if isinstance(title, str):
        title = {"fr": title, "en": title}
    if isinstance(description, str):
        description = {"fr": description, "en": description}
    publisher = CONFIG.get("metadata", {}).get("provider", {}).get("name") or "CoopAtlas"
    document = catalogue(_url(), index, title, description, publisher)
    return Response(json.dumps(document, ensure_ascii=False), mimetype="application/ld+json")
