"""The checks of the OGC API Tiles requests, and the MapLibre styles served with the server's own URL.

* pygeoapi 0.24 answers a tile outside the matrix, an unknown tile matrix set or indices that are not
  integers with a 500 (or a bare "Tile not found"); :func:`check_tile_request` answers 404 or 400 with an
  OGC exception that names the bad input (:func:`.spec.parse_tile`), the same on every backend;
* ``/styles/<id>.maplibre.json``: the committed files read the tiles of ``http://127.0.0.1:5000``;
  :func:`maplibre_style` sends the same document written with the server's public URL (pygeoapi's
  ``server.url``: ``COOPATLAS_URL``, or the address the server was started on).

Registered on the server's app as an extension (``coopatlas.server.app.EXTENSIONS``).
"""

from __future__ import annotations

import json
from urllib.parse import parse_qs, urlencode

from flask import Blueprint, Response, request

from ...styles import STYLES, maplibre
from . import filters, spec

blueprint = Blueprint("coopatlas_tiles", __name__)

_TILE_ENDPOINTS = (
    "pygeoapi.get_collection_tiles_data",
    "pygeoapi.get_collection_tiles_metadata",
    "pygeoapi.get_collection_tiles",
)


def _exception(status: int, description: str) -> Response:
    code = "NotFound" if status == 404 else "InvalidParameterValue"
    body = json.dumps({"code": code, "type": code, "description": description}, ensure_ascii=False)
    return Response(body, status=status, mimetype="application/json")


def _tiles(collection_id: str) -> bool | None:
    """Whether a collection has tiles (``None``: no such collection)."""
    from pygeoapi.flask_app import CONFIG

    res = CONFIG.get("resources", {}).get(collection_id)
    if not res or res.get("type") != "collection":
        return None
    return any(p.get("type") == "tile" for p in res.get("providers", []))


@blueprint.before_app_request
def check_tile_request():
    """404/400 naming the bad part of a ``/collections/{id}/tiles/{tms}[/{z}/{row}/{col}]`` request."""
    if request.endpoint not in _TILE_ENDPOINTS:
        return None
    args = request.view_args or {}
    cid = args.get("collection_id")
    has_tiles = _tiles(cid)
    if has_tiles is None:
        return _exception(404, f"collection {cid!r} not found")
    if not has_tiles:
        return _exception(404, f"collection {cid} has no geometry: no tiles (use /collections/{cid}/items)")
    if request.endpoint == "pygeoapi.get_collection_tiles":
        return None
    tms = args.get("tileMatrixSetId")
    try:
        if request.endpoint == "pygeoapi.get_collection_tiles_metadata":
            if tms != spec.TILE_MATRIX_SET:
                raise spec.TileRequestError(404, f"tile matrix set {tms!r} is not offered: use {spec.TILE_MATRIX_SET}")
            return None
        spec.parse_tile(tms, args.get("tileMatrix"), args.get("tileRow"), args.get("tileCol"))
    except spec.TileRequestError as exc:
        return _exception(exc.status, f"collection {cid}: {exc.message}")
    query = parse_qs(request.environ.get("QUERY_STRING", ""), keep_blank_values=True)
    unknown = [name for name in query if name not in filters.TILE_PARAMETERS]
    if unknown:
        return _exception(
            400,
            f"{', '.join(unknown)}: unknown parameter{'s' if len(unknown) > 1 else ''} of a tile request "
            f"(parameters: {', '.join(filters.TILE_PARAMETERS)}; filter is CQL2 text)",
        )
    fmt = (query.get("f") or [None])[-1]
    if fmt in (None, ""):
        # the tile of a URL without f (what most tile clients ask for): Mapbox Vector Tiles, the only
        # format, instead of pygeoapi's 400 "Invalid format requested"
        query["f"] = ["mvt"]
        current = request._get_current_object()
        current.environ["QUERY_STRING"] = urlencode(query, doseq=True)
        current.query_string = current.environ["QUERY_STRING"].encode("latin-1")
        for cached in ("args", "values"):  # parsed already by an earlier hook: parse the new query string
            current.__dict__.pop(cached, None)
    elif fmt != "mvt":
        return _exception(400, f"f: tiles are served as Mapbox Vector Tiles only (f=mvt), not {fmt!r}")
    return None


@blueprint.before_app_request
def maplibre_style():
    """``/styles/<id>.maplibre.json`` (and the basemap ``fond.maplibre.json``) with the server's own URL."""
    if request.endpoint != "coopatlas.styles":
        return None
    name = (request.view_args or {}).get("filename", "")
    if not name.endswith(".maplibre.json"):
        return None
    from pygeoapi.flask_app import CONFIG

    url = CONFIG["server"]["url"]
    cid = name[: -len(".maplibre.json")]
    if cid == maplibre.BASEMAP:
        text = maplibre.write_basemap(url)
    elif cid in STYLES:
        text = maplibre.write(STYLES[cid], url)
    else:
        return None  # the styles route answers 404
    return Response(text, mimetype=maplibre.MEDIA_TYPE, headers={"Cache-Control": "public, max-age=3600"})
