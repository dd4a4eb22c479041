"""OGC API - Maps for the atlas: any spatial collection rendered in its style as a PNG image.

:class:`AtlasMapProvider` is a pygeoapi map provider (``type: map``). It reads the features of its
collection through the collection's feature provider (the GeoPackage provider or pygeoapi's PostgreSQL
provider, whichever the server runs on), so the map shows exactly what ``/items`` returns, and draws
them with matplotlib's object-oriented API (a :class:`~matplotlib.figure.Figure` per request and the
Agg canvas: no pyplot, whose global state is not thread-safe).

Split by idea: this module reads the features and answers pygeoapi (the provider, the offline basemap);
:mod:`coopatlas.server.map_parameters` checks the parameters, :mod:`coopatlas.server.map_drawing` draws.

Symbols are those of :data:`coopatlas.styles.definitions.STYLES`, the one style definition the QML, SLD
and MapLibre files of ``styles/`` are written from (colours of :data:`coopatlas.vocabulary.PALETTE`):
projects, requests, links and partners in their cooperation colour (blue decentralised cooperation,
yellow other external action, red cooperation request), French authorities by type with circles
growing with their number of projects, areas as a choropleth of their number of projects.

Parameters follow OGC API - Maps as pygeoapi passes them: ``bbox`` (minx, miny, maxx, maxy in
``bbox-crs``, default CRS84 longitude/latitude degrees), ``crs`` of the image (CRS84, EPSG:4326,
EPSG:3857 Web Mercator metres or EPSG:2154 Lambert-93 metres), ``width`` and ``height`` in pixels
(1 to :data:`~coopatlas.server.map_parameters.MAX_SIZE`), ``transparent``. Bad values raise
:class:`MapParameterError` (a pygeoapi ``ProviderInvalidQueryError``: HTTP 400 naming the parameter), never
a server error.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Mapping

import numpy as np
import shapely
from pygeoapi.provider.base import BaseProvider

from .. import schema as sch
from ..styles.definitions import STYLES
from ..vocabulary import PALETTE
from .map_drawing import BASEMAP_FILL, project, render_png, style_json
from .map_parameters import (
    CRS84,
    CRS_DOMAIN,
    DEFAULT_HEIGHT,
    DEFAULT_WIDTH,
    MAX_PIXELS,
    MapParameterError,
    MapRequest,
    check_bbox,
    crs_code,
    parse_bool,
    parse_map_args,
    parse_size,
    transform_bbox,
)

__all__ = [
    "AtlasMapProvider",
    "Basemap",
    "MapParameterError",
    "parse_map_args",
    "read_features",
    "spatial_collections",
    "style_json",
]

LOGGER = logging.getLogger(__name__)

#: Most features drawn on one map (more raise a 400 asking for a smaller bbox).
MAX_FEATURES = 200_000
STYLE_ID = "defaut"


# --- Reading features -------------------------------------------------------------------------------


def read_features(feature_def: dict, bbox84, fields: list[str], limit: int = MAX_FEATURES):
    """Geometries (shapely, CRS84) and properties of the features of a collection intersecting ``bbox84``.

    Reads through the collection's own pygeoapi feature provider (``feature_def``).
    """
    from pygeoapi.plugin import load_plugin

    provider = load_plugin("provider", feature_def)
    result = provider.query(
        offset=0,
        limit=limit + 1,
        resulttype="results",
        bbox=list(bbox84),
        select_properties=fields,
        skip_geometry=False,
    )
    features = result.get("features", [])
    if len(features) > limit:
        raise MapParameterError("bbox", f"more than {limit} features in the box: ask for a smaller one")
    geoms, props, points, point_at = [], [], [], []
    line_parts, line_at = [], []  # (Multi)LineStrings: coordinates of their parts, built all at once
    for feat in features:
        g = feat.get("geometry")
        if not g:
            continue
        kind, coords = g.get("type"), g.get("coordinates")
        if kind == "Point" and len(coords or ()) >= 2:
            point_at.append(len(geoms))
            points.append(coords[:2])
            geoms.append(None)
        elif kind in ("LineString", "MultiLineString") and coords:
            parts = [coords] if kind == "LineString" else [c for c in coords if len(c) >= 2]
            if not parts:
                continue
            line_at.append(len(geoms))
            line_parts.append([np.asarray(c, dtype=float)[:, :2] for c in parts])
            geoms.append(None)
        else:
            geoms.append(shapely.geometry.shape(g))
        props.append(feat.get("properties") or {})
    out = np.empty(len(geoms), dtype=object)
    out[:] = geoms
    if points:
        out[np.array(point_at)] = shapely.points(np.asarray(points, dtype=float))
    if line_parts:
        arrays = [a for parts in line_parts for a in parts]
        lines = shapely.linestrings(
            np.concatenate(arrays), indices=np.repeat(np.arange(len(arrays)), [len(a) for a in arrays])
        )
        owner = np.repeat(np.arange(len(line_parts)), [len(parts) for parts in line_parts])
        out[np.array(line_at)] = shapely.multilinestrings(lines, indices=owner)
    return out, props


# --- pygeoapi provider ------------------------------------------------------------------------------


class AtlasMapProvider(BaseProvider):
    """pygeoapi map provider of one collection.

    Configuration (``providers`` of a resource)::

        - type: map
          name: coopatlas.server.maps.AtlasMapProvider
          data: <the feature provider's data: GeoPackage path or database URL>
          options:
            collection: projets          # a spatial collection of coopatlas.schema
            features: {...}              # the collection's feature provider definition
          format: {name: png, mimetype: image/png}
    """

    def __init__(self, provider_def):
        super().__init__(provider_def)
        options = self.options or {}
        self.collection = options.get("collection")
        if self.collection not in STYLES:
            raise RuntimeError(f"AtlasMapProvider: options.collection must be one of {', '.join(STYLES)}")
        self.style = STYLES[self.collection]
        self.feature_def = options.get("features")
        if not self.feature_def:
            raise RuntimeError("AtlasMapProvider: options.features (the feature provider) is required")

    def get_fields(self):
        """No property can be selected on a map: ``properties=`` is refused."""
        return {}

    def query(
        self,
        style=None,
        bbox=None,
        width=DEFAULT_WIDTH,
        height=DEFAULT_HEIGHT,
        crs=CRS84,
        datetime_=None,
        transparent=True,
        format_="png",
        **kwargs,
    ):
        """The PNG image of the collection in ``bbox`` (in ``crs``), ``width`` × ``height`` pixels."""
        if style not in (None, STYLE_ID):
            raise MapParameterError("style", f"unknown style {style!r}; available: {STYLE_ID}")
        if datetime_ not in (None, ""):
            raise MapParameterError("datetime", "the maps of the atlas have no time dimension")
        if format_ not in (None, "png", "html"):
            raise MapParameterError("f", f"{format_!r} is not available; maps are PNG images (f=png)")
        code = crs_code(crs, "crs")
        w = parse_size(width, "width", DEFAULT_WIDTH)
        h = parse_size(height, "height", DEFAULT_HEIGHT)
        if w * h > MAX_PIXELS:
            raise MapParameterError("width", f"{w}×{h} pixels is more than the {MAX_PIXELS} allowed")
        box = check_bbox(bbox if bbox is not None else CRS_DOMAIN[code], code)
        req = MapRequest(box, code, w, h, parse_bool(transparent, "transparent", True))
        return self.render(req)

    def render(self, req: MapRequest) -> bytes:
        bbox84 = req.bbox if req.crs == 4326 else transform_bbox(req.bbox, req.crs, 4326)
        geoms, props = read_features(self.feature_def, bbox84, list(self.style.fields))
        return render_png(project(geoms, req.crs), props, self.style, req)

    def __repr__(self):
        return f"<AtlasMapProvider> {self.collection}"


def collection_png(resources: Mapping, collection_id: str, args: Mapping[str, str]) -> bytes:
    """The PNG of ``/collections/<collection_id>/map?<args>`` made in-process (the personal spaces of the
    Bourse keep such maps), with the checks of the route (:func:`parse_map_args`). ``resources``: pygeoapi's
    configured resources. Raises ``LookupError`` when the collection has no map, :class:`MapParameterError`
    naming a bad parameter."""
    from pygeoapi.plugin import load_plugin

    providers = (resources.get(collection_id) or {}).get("providers") or []
    definition = next((p for p in providers if p.get("type") == "map"), None)
    if definition is None:
        raise LookupError(f"no map of collection {collection_id!r}")
    request = parse_map_args(args)
    return load_plugin("provider", definition).render(request)


# --- Offline basemap --------------------------------------------------------------------------------

#: Half the side of the Web Mercator square, in metres.
MERCATOR_HALF = 20037508.342789244
MAX_ZOOM = 12


class Basemap:
    """Web Mercator tiles (256 px PNG) of the countries of ``pays`` on the sea, drawn by the server.

    The HTML map pages use it as their background, so they need no tile server on the internet.
    Country shapes are read once per process through the ``pays`` feature provider.
    """

    def __init__(self, feature_def: dict):
        self.feature_def = feature_def
        self._lock = threading.Lock()
        self._tree = None
        self._geoms = None

    def _load(self):
        with self._lock:
            if self._tree is None:
                geoms, _ = read_features(self.feature_def, CRS_DOMAIN[4326], [])
                self._geoms = project(geoms, 3857)
                self._tree = shapely.STRtree(self._geoms)
        return self._tree, self._geoms

    @staticmethod
    def tile_bbox(z: int, x: int, y: int) -> tuple[float, float, float, float]:
        """Bounds (EPSG:3857 metres) of the XYZ tile ``z/x/y`` (y from the top)."""
        if not 0 <= z <= MAX_ZOOM:
            raise MapParameterError("z", f"zoom {z} is out of range 0 to {MAX_ZOOM}")
        n = 2**z
        if not (0 <= x < n and 0 <= y < n):
            raise MapParameterError("x", f"tile {x}/{y} does not exist at zoom {z}")
        size = 2 * MERCATOR_HALF / n
        minx = -MERCATOR_HALF + x * size
        maxy = MERCATOR_HALF - y * size
        return minx, maxy - size, minx + size, maxy

    def tile(self, z: int, x: int, y: int) -> bytes:
        bbox = self.tile_bbox(z, x, y)
        tree, geoms = self._load()
        idx = tree.query(shapely.box(*bbox))
        req = MapRequest(bbox, 3857, 256, 256, False)
        return render_png(geoms[np.sort(idx)], [{}] * len(idx), None, req, background=PALETTE["mer"], fill=BASEMAP_FILL)


def spatial_collections() -> list[str]:
    """Ids of the collections that have a geometry (and so a map)."""
    return [cid for cid, c in sch.COLLECTIONS.items() if c.geometry]
