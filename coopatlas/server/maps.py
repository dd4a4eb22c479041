"""OGC API - Maps for the atlas: any spatial collection rendered in its style as a PNG image.

:class:`AtlasMapProvider` is a pygeoapi map provider (``type: map``). It reads the features of its
collection through the collection's feature provider (the GeoPackage provider or pygeoapi's PostgreSQL
provider, whichever the server runs on), so the map shows exactly what ``/items`` returns, and draws
them with matplotlib's object-oriented API (a :class:`~matplotlib.figure.Figure` per request and the
Agg canvas: no pyplot, whose global state is not thread-safe).

Symbols are those of :data:`coopatlas.styles.definitions.STYLES`, the one style definition the QML, SLD
and MapLibre files of ``styles/`` are written from (colours of :data:`coopatlas.vocabulary.PALETTE`):
projects, requests, links and partners in their cooperation colour (blue decentralised cooperation,
yellow other external action, red cooperation request), French authorities by type with circles
growing with their number of projects, areas as a choropleth of their number of projects.

Parameters follow OGC API - Maps as pygeoapi passes them: ``bbox`` (minx, miny, maxx, maxy in
``bbox-crs``, default CRS84 longitude/latitude degrees), ``crs`` of the image (CRS84, EPSG:4326,
EPSG:3857 Web Mercator metres or EPSG:2154 Lambert-93 metres), ``width`` and ``height`` in pixels
(1 to :data:`MAX_SIZE`), ``transparent``. Bad values raise :class:`MapParameterError` (a pygeoapi
``ProviderInvalidQueryError``: HTTP 400 naming the parameter), never a server error.
"""
from __future__ import annotations

import functools
import io
import logging
import math
import threading
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.path import Path
from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError

from .. import schema as sch
from ..styles.definitions import STYLES
from ..styles.model import Categorised, Graduated, Style
from ..vocabulary import PALETTE

LOGGER = logging.getLogger(__name__)

#: Largest image side, in pixels.
MAX_SIZE = 4096
#: Largest image, in pixels (width × height).
MAX_PIXELS = 4096 * 4096
#: Default image size of OGC API - Maps in pygeoapi, in pixels.
DEFAULT_WIDTH, DEFAULT_HEIGHT = 500, 300
#: Most features drawn on one map (more raise a 400 asking for a smaller bbox).
MAX_FEATURES = 200_000

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: CRS accepted for ``crs`` and ``bbox-crs``: URI → EPSG code (4326 with longitude first for CRS84).
SUPPORTED_CRS = {
    CRS84: 4326,
    "http://www.opengis.net/def/crs/EPSG/0/4326": 4326,
    "http://www.opengis.net/def/crs/EPSG/0/3857": 3857,
    "http://www.opengis.net/def/crs/EPSG/0/2154": 2154,
}
#: Valid coordinate ranges (minx, miny, maxx, maxy) of each supported CRS.
CRS_DOMAIN = {
    4326: (-180.0, -90.0, 180.0, 90.0),
    3857: (-20037508.342789244, -20048966.1040146, 20037508.342789244, 20048966.1040146),
    2154: (-3.5e6, 1.0e6, 4.5e6, 9.5e6),  # Lambert-93 and well beyond metropolitan France
}
WEB_MERCATOR_MAX_LAT = 85.0511287798066
STYLE_ID = "defaut"


class MapParameterError(ProviderInvalidQueryError):
    """A bad map parameter: pygeoapi answers HTTP 400 ``InvalidParameterValue`` with this message."""

    ogc_exception_code = "InvalidParameterValue"

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}", user_msg=f"{parameter}: {message}")


# --- Styles -----------------------------------------------------------------------------------------
#
# The styles are those of :mod:`coopatlas.styles.definitions`, the one definition the QML, SLD and
# MapLibre files of ``styles/`` are written from. Sizes there are CSS pixels; one CSS pixel is drawn as
# one image pixel.

#: The uniform style of the basemap (countries on the sea).
BASEMAP_FILL = PALETTE["voisins"]


def feature_colour(style: Style, props: Mapping) -> str:
    """The colour (``#rrggbb``) of a feature from its properties."""
    colour = style.colour
    value = props.get(colour.field)
    if isinstance(colour, Categorised):
        for c in colour.categories:
            if c.value == value:
                return c.colour
        return colour.other.colour
    if isinstance(colour, Graduated):
        return colour.colour_for(value if isinstance(value, (int, float)) and not isinstance(value, bool)
                                 else None)
    raise TypeError(f"unknown colour rule {colour!r}")


def point_diameter(style: Style, props: Mapping) -> float:
    """Diameter of a point symbol in pixels."""
    if style.proportional is not None:
        value = props.get(style.proportional.field)
        return style.proportional.diameter(value if isinstance(value, (int, float)) else None)
    return style.size or 6.0


def _labels(style: Style) -> list[dict]:
    """Legend entries ``{"colour", "label": {"fr", "en"}}`` of a style (English from the code lists)."""
    coll = sch.COLLECTIONS[style.collection]
    colour = style.colour
    out = []
    if isinstance(colour, Categorised):
        codelist = coll.field(colour.field).vocabulary
        for c in colour.categories:
            en = codelist.label(c.value, "en") if codelist is not None else c.label
            out.append({"colour": c.colour, "label": {"fr": c.label, "en": en}})
    else:
        out.append({"colour": colour.no_data.colour, "label": {"fr": colour.no_data.label, "en": "No project"}})
        for c in colour.classes:
            if c.upper is None:
                en = f"{c.lower} and more"
            elif c.upper - 1 == c.lower:
                en = str(c.lower)
            else:
                en = f"{c.lower} to {c.upper - 1}"
            out.append({"colour": c.colour, "label": {"fr": c.label, "en": en}})
    return out


def style_json() -> dict:
    """The styles as JSON for the HTML pages (``coopatlas.styles`` of the configuration): per collection,
    the geometry kind, the colour rule, the symbol sizes (pixels) and the legend (French and English)."""
    out = {}
    for cid, st in STYLES.items():
        c = st.colour
        entry = {
            "kind": st.geometry,
            "colour_by": c.field if isinstance(c, Categorised) else None,
            "colours": {cat.value: cat.colour for cat in c.categories} if isinstance(c, Categorised) else {},
            "default": c.other.colour if isinstance(c, Categorised) else c.no_data.colour,
            "class_by": c.field if isinstance(c, Graduated) else None,
            "classes": [[cl.lower, cl.colour] for cl in c.classes] if isinstance(c, Graduated) else [],
            "size": st.size,
            "stroke_colour": st.stroke_colour,
            "stroke_width": st.stroke_width,
            "opacity": st.opacity,
            "legend": _labels(st),
        }
        if st.proportional is not None:
            p = st.proportional
            entry["proportional"] = {"field": p.field, "value_min": p.value_min, "value_max": p.value_max,
                                     "size_min": p.size_min, "size_max": p.size_max, "exponent": p.exponent}
        out[cid] = entry
    return out


# --- Parameters -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MapRequest:
    """A validated map request. ``bbox`` is in ``crs`` (an EPSG code; 4326 means longitude first)."""

    bbox: tuple[float, float, float, float]
    crs: int
    width: int
    height: int
    transparent: bool


def crs_code(value: str | None, parameter: str = "crs") -> int:
    """EPSG code of a CRS given as an OGC URI or a CURIE (``EPSG:3857``, ``[EPSG:3857]``, ``CRS:84``)."""
    if value is None or value == "":
        return 4326
    v = value.strip()
    if v in SUPPORTED_CRS:
        return SUPPORTED_CRS[v]
    curie = v.strip("[]").upper()
    if curie in ("CRS:84", "OGC:CRS84"):
        return 4326
    if curie.startswith("EPSG:"):
        uri = f"http://www.opengis.net/def/crs/EPSG/0/{curie[5:]}"
        if uri in SUPPORTED_CRS:
            return SUPPORTED_CRS[uri]
    raise MapParameterError(parameter, f"unsupported CRS {value!r}; supported: {', '.join(SUPPORTED_CRS)}")


def parse_size(value, parameter: str, default: int) -> int:
    """An image side in pixels, 1 to :data:`MAX_SIZE`."""
    if value is None or value == "":
        return default
    try:
        n = int(str(value).strip())
    except ValueError:
        raise MapParameterError(parameter, f"{value!r} is not an integer number of pixels") from None
    if not 1 <= n <= MAX_SIZE:
        raise MapParameterError(parameter, f"{n} is out of range: 1 to {MAX_SIZE} pixels")
    return n


def parse_bool(value, parameter: str, default: bool) -> bool:
    if value is None or value == "" or isinstance(value, bool):
        return default if value in (None, "") else value
    v = str(value).strip().lower()
    if v in ("true", "1", "yes"):
        return True
    if v in ("false", "0", "no"):
        return False
    raise MapParameterError(parameter, f"{value!r} is not a boolean (true or false)")


def check_bbox(bbox, crs: int, parameter: str = "bbox") -> tuple[float, float, float, float]:
    """Four finite numbers, minimum before maximum, inside the domain of ``crs``."""
    if isinstance(bbox, str):
        parts = [p for p in bbox.split(",")]
    else:
        parts = list(bbox)
    if len(parts) != 4:
        raise MapParameterError(parameter, "four numbers are needed: minx,miny,maxx,maxy")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise MapParameterError(parameter, f"{bbox!r} holds a value that is not a number") from None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise MapParameterError(parameter, "values must be finite numbers")
    if not (minx < maxx and miny < maxy):
        raise MapParameterError(parameter, "inverted or empty box: minx < maxx and miny < maxy are needed")
    dminx, dminy, dmaxx, dmaxy = CRS_DOMAIN[crs]
    if minx < dminx or maxx > dmaxx or miny < dminy or maxy > dmaxy:
        raise MapParameterError(parameter, f"outside the valid range ({dminx}, {dminy}, {dmaxx}, {dmaxy}) "
                                           f"of EPSG:{crs}")
    return minx, miny, maxx, maxy


def parse_map_args(args: Mapping[str, str]) -> MapRequest:
    """Validate the query parameters of ``/collections/{id}/map`` (before pygeoapi reads them).

    Raises :class:`MapParameterError` naming the first bad parameter.
    """
    if args.get("datetime"):
        raise MapParameterError("datetime", "the maps of the atlas have no time dimension")
    f = args.get("f")
    if f not in (None, "", "png", "html"):
        raise MapParameterError("f", f"{f!r} is not available; maps are PNG images (f=png)")
    width = parse_size(args.get("width"), "width", DEFAULT_WIDTH)
    height = parse_size(args.get("height"), "height", DEFAULT_HEIGHT)
    if width * height > MAX_PIXELS:
        raise MapParameterError("width", f"{width}×{height} pixels is more than the {MAX_PIXELS} allowed")
    crs = crs_code(args.get("crs"), "crs")
    bbox_crs = crs_code(args.get("bbox-crs"), "bbox-crs")
    transparent = parse_bool(args.get("transparent"), "transparent", True)
    raw = args.get("bbox")
    if raw is None or raw == "":
        bbox = CRS_DOMAIN[4326] if bbox_crs == 4326 else CRS_DOMAIN[bbox_crs]
    else:
        bbox = check_bbox(raw, bbox_crs, "bbox")
    if bbox_crs != crs:
        bbox = transform_bbox(bbox, bbox_crs, crs)
        if not (bbox[0] < bbox[2] and bbox[1] < bbox[3]):
            raise MapParameterError("bbox", "the box is empty once transformed to the map CRS")
    return MapRequest(tuple(bbox), crs, width, height, transparent)


@functools.lru_cache(maxsize=16)
def _transformer(src: int, dst: int):
    from pyproj import Transformer
    return Transformer.from_crs(f"EPSG:{src}", f"EPSG:{dst}", always_xy=True)


def transform_bbox(bbox, src: int, dst: int) -> tuple[float, float, float, float]:
    """A bbox from EPSG ``src`` to ``dst`` (x first), densified edges; latitudes clipped for Web Mercator."""
    minx, miny, maxx, maxy = bbox
    if src == 4326 and dst == 3857:
        miny, maxy = max(miny, -WEB_MERCATOR_MAX_LAT), min(maxy, WEB_MERCATOR_MAX_LAT)
        if miny >= maxy:
            raise MapParameterError("bbox", "the box lies beyond the latitudes of Web Mercator (±85.05°)")
    out = _transformer(src, dst).transform_bounds(minx, miny, maxx, maxy, densify_pts=21)
    if not all(math.isfinite(v) for v in out):
        raise MapParameterError("bbox", f"the box cannot be transformed from EPSG:{src} to EPSG:{dst}")
    if dst == 4326:
        out = (max(out[0], -180.0), max(out[1], -90.0), min(out[2], 180.0), min(out[3], 90.0))
    return tuple(out)


# --- Reading features -------------------------------------------------------------------------------

def read_features(feature_def: dict, bbox84, fields: list[str], limit: int = MAX_FEATURES):
    """Geometries (shapely, CRS84) and properties of the features of a collection intersecting ``bbox84``.

    Reads through the collection's own pygeoapi feature provider (``feature_def``).
    """
    from pygeoapi.plugin import load_plugin
    provider = load_plugin("provider", feature_def)
    result = provider.query(offset=0, limit=limit + 1, resulttype="results", bbox=list(bbox84),
                            select_properties=fields, skip_geometry=False)
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
        lines = shapely.linestrings(np.concatenate(arrays),
                                    indices=np.repeat(np.arange(len(arrays)), [len(a) for a in arrays]))
        owner = np.repeat(np.arange(len(line_parts)), [len(parts) for parts in line_parts])
        out[np.array(line_at)] = shapely.multilinestrings(lines, indices=owner)
    return out, props


# --- Drawing ----------------------------------------------------------------------------------------

def _project(geoms: np.ndarray, crs: int) -> np.ndarray:
    if crs == 4326 or len(geoms) == 0:
        return geoms
    if crs == 3857:
        geoms = shapely.clip_by_rect(geoms, -180.0, -WEB_MERCATOR_MAX_LAT, 180.0, WEB_MERCATOR_MAX_LAT)
    tr = _transformer(4326, crs)

    def fn(coords):
        x, y = tr.transform(coords[:, 0], coords[:, 1])
        return np.column_stack([x, y])

    return shapely.transform(geoms, fn)


def _polygon_path(geom) -> Path | None:
    """One compound matplotlib path for a (multi)polygon: exteriors and holes."""
    parts = []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)[:, :2]
            if len(xy) < 3:
                continue
            codes = np.full(len(xy), Path.LINETO, dtype=np.uint8)
            codes[0], codes[-1] = Path.MOVETO, Path.CLOSEPOLY
            parts.append(Path(xy, codes))
    return Path.make_compound_path(*parts) if parts else None


def _rgba(colours: list[str]) -> np.ndarray:
    """``#rrggbb`` strings as an N×4 RGBA array (each distinct colour converted once)."""
    from matplotlib.colors import to_rgba
    if not colours:
        return np.zeros((0, 4))
    distinct = {c: to_rgba(c) for c in set(colours)}
    return np.array([distinct[c] for c in colours])


def _px_to_pt(px: float, dpi: float) -> float:
    return px * 72.0 / dpi


def render_png(geoms, props, style: Style | None, req: MapRequest, background: str | None = None,
               fill: str | None = None) -> bytes:
    """Draw projected geometries (in ``req.crs``) into a ``req.width`` × ``req.height`` PNG image.

    ``style`` colours and sizes each feature from ``props``; ``fill`` instead gives every polygon one
    colour (the basemap). ``background`` fills the image (else transparent or white per ``req``).
    """
    dpi = 100.0
    fig = Figure(figsize=(req.width / dpi, req.height / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    ax.set_xlim(req.bbox[0], req.bbox[2])
    ax.set_ylim(req.bbox[1], req.bbox[3])
    ax.set_aspect("auto")
    if background:
        fig.patch.set_facecolor(background)
        fig.patch.set_alpha(1.0)
    elif req.transparent:
        fig.patch.set_alpha(0.0)
    else:
        fig.patch.set_facecolor("white")
    kind = style.geometry if style is not None else "polygon"
    if len(geoms):
        order = list(range(len(geoms)))
        if style is not None and style.sort_desc:
            def key(i):
                v = props[i].get(style.sort_desc)
                return -(v if isinstance(v, (int, float)) else float("-inf"))
            order.sort(key=key)
        colours = _rgba([fill or feature_colour(style, props[i]) for i in order])
        alpha = style.opacity if style is not None else 1.0
        if kind == "polygon":
            paths, fills = [], []
            for i, c in zip(order, colours):
                p = _polygon_path(geoms[i])
                if p is not None:
                    paths.append(p)
                    fills.append(c)
            edge = style.stroke_colour if style is not None else PALETTE["contour"]
            width = style.stroke_width if style is not None else 0.5
            ax.add_collection(PathCollection(paths, facecolors=np.asarray(fills).reshape(-1, 4), edgecolors=edge,
                                             alpha=alpha,
                                             linewidths=_px_to_pt(width, dpi), antialiaseds=True))
        elif kind == "line":
            segs, cols = [], []
            for i, c in zip(order, colours):
                for line in getattr(geoms[i], "geoms", [geoms[i]]):
                    if not line.is_empty:
                        segs.append(np.asarray(line.coords)[:, :2])
                        cols.append(c)
            ax.add_collection(LineCollection(segs, colors=np.asarray(cols).reshape(-1, 4), alpha=alpha,
                                             linewidths=_px_to_pt(style.size or 1.0, dpi)))
        else:
            ordered = geoms[order]
            single = shapely.get_type_id(ordered) == 0  # Point: its coordinates; others: their centroid
            pts = np.empty((len(ordered), 2))
            if single.any():
                pts[single] = shapely.get_coordinates(ordered[single])
            if (~single).any():
                pts[~single] = shapely.get_coordinates(shapely.centroid(ordered[~single]))
            sizes = [_px_to_pt(point_diameter(style, props[i]), dpi) ** 2 for i in order]
            ax.scatter(pts[:, 0], pts[:, 1], s=sizes, c=colours, alpha=alpha, edgecolors=style.stroke_colour,
                       linewidths=_px_to_pt(style.stroke_width, dpi) if style.stroke_width else 0)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, transparent=bool(req.transparent and not background))
    return buf.getvalue()


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

    def query(self, style=None, bbox=None, width=DEFAULT_WIDTH, height=DEFAULT_HEIGHT, crs=CRS84,
              datetime_=None, transparent=True, format_="png", **kwargs):
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
        return render_png(_project(geoms, req.crs), props, self.style, req)

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
                self._geoms = _project(geoms, 3857)
                self._tree = shapely.STRtree(self._geoms)
        return self._tree, self._geoms

    @staticmethod
    def tile_bbox(z: int, x: int, y: int) -> tuple[float, float, float, float]:
        """Bounds (EPSG:3857 metres) of the XYZ tile ``z/x/y`` (y from the top)."""
        if not 0 <= z <= MAX_ZOOM:
            raise MapParameterError("z", f"zoom {z} is out of range 0 to {MAX_ZOOM}")
        n = 2 ** z
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
        return render_png(geoms[np.sort(idx)], [{}] * len(idx), None, req, background=PALETTE["mer"],
                          fill=BASEMAP_FILL)


def spatial_collections() -> list[str]:
    """Ids of the collections that have a geometry (and so a map)."""
    return [cid for cid, c in sch.COLLECTIONS.items() if c.geometry]
