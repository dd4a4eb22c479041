"""The checks of the OGC API Tiles requests, made before pygeoapi 0.24 reads them.

pygeoapi answers a tile outside the matrix, an unknown tile matrix set or indices that are not integers
with a 500 (or a bare "Tile not found"); this guard answers 404 or 400 with an OGC exception that names
the bad input (:func:`.spec.parse_tile`), the same on every backend. It is registered on the server's
app as an extension (``coopatlas.server.app.EXTENSIONS``).
"""
from __future__ import annotations

import json

from flask import Blueprint, Response, request

from . import spec

blueprint = Blueprint("coopatlas_tiles", __name__)

_TILE_ENDPOINTS = ("pygeoapi.get_collection_tiles_data", "pygeoapi.get_collection_tiles_metadata",
                   "pygeoapi.get_collection_tiles")


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
                raise spec.TileRequestError(
                    404, f"tile matrix set {tms!r} is not offered: use {spec.TILE_MATRIX_SET}")
            return None
        spec.parse_tile(tms, args.get("tileMatrix"), args.get("tileRow"), args.get("tileCol"))
    except spec.TileRequestError as exc:
        return _exception(exc.status, f"collection {cid}: {exc.message}")
    fmt = request.args.get("f")
    if fmt not in (None, "", "mvt"):
        return _exception(400, f"f: tiles are served as Mapbox Vector Tiles only (f=mvt), not {fmt!r}")
    return None
