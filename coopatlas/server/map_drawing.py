"""The drawing of the maps: features in their collection's style, into a PNG image, with matplotlib.

Matplotlib's object-oriented API (a :class:`~matplotlib.figure.Figure` per request and the Agg canvas: no
pyplot, whose global state is not thread-safe). Symbols are those of
:data:`coopatlas.styles.definitions.STYLES`, the one style definition the QML, SLD and MapLibre files of
``styles/`` are written from (colours of :data:`coopatlas.vocabulary.PALETTE`); :func:`style_json` gives
them, with their legends, to the HTML pages.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import numpy as np
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection, PathCollection
from matplotlib.figure import Figure
from matplotlib.path import Path

from .. import schema as sch
from ..styles.definitions import STYLES
from ..styles.model import Categorised, Graduated, Style
from ..vocabulary import PALETTE
from .map_parameters import WEB_MERCATOR_MAX_LAT, MapRequest, transformer

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
        return colour.colour_for(value if isinstance(value, (int, float)) and not isinstance(value, bool) else None)
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
            entry["proportional"] = {
                "field": p.field,
                "value_min": p.value_min,
                "value_max": p.value_max,
                "size_min": p.size_min,
                "size_max": p.size_max,
                "exponent": p.exponent,
            }
        out[cid] = entry
    return out


# --- Drawing ----------------------------------------------------------------------------------------


def project(geoms: np.ndarray, crs: int) -> np.ndarray:
    """CRS84 geometries in the map CRS ``crs`` (an EPSG code; clipped to the latitudes of Web Mercator)."""
    if crs == 4326 or len(geoms) == 0:
        return geoms
    if crs == 3857:
        geoms = shapely.clip_by_rect(geoms, -180.0, -WEB_MERCATOR_MAX_LAT, 180.0, WEB_MERCATOR_MAX_LAT)
    tr = transformer(4326, crs)

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


def render_png(
    geoms, props, style: Style | None, req: MapRequest, background: str | None = None, fill: str | None = None
) -> bytes:
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
            ax.add_collection(
                PathCollection(
                    paths,
                    facecolors=np.asarray(fills).reshape(-1, 4),
                    edgecolors=edge,
                    alpha=alpha,
                    linewidths=_px_to_pt(width, dpi),
                    antialiaseds=True,
                )
            )
        elif kind == "line":
            segs, cols = [], []
            for i, c in zip(order, colours):
                for line in getattr(geoms[i], "geoms", [geoms[i]]):
                    if not line.is_empty:
                        segs.append(np.asarray(line.coords)[:, :2])
                        cols.append(c)
            ax.add_collection(
                LineCollection(
                    segs,
                    colors=np.asarray(cols).reshape(-1, 4),
                    alpha=alpha,
                    linewidths=_px_to_pt(style.size or 1.0, dpi),
                )
            )
        else:
            ordered = geoms[order]
            single = shapely.get_type_id(ordered) == 0  # Point: its coordinates; others: their centroid
            pts = np.empty((len(ordered), 2))
            if single.any():
                pts[single] = shapely.get_coordinates(ordered[single])
            if (~single).any():
                pts[~single] = shapely.get_coordinates(shapely.centroid(ordered[~single]))
            sizes = [_px_to_pt(point_diameter(style, props[i]), dpi) ** 2 for i in order]
            ax.scatter(
                pts[:, 0],
                pts[:, 1],
                s=sizes,
                c=colours,
                alpha=alpha,
                edgecolors=style.stroke_colour,
                linewidths=_px_to_pt(style.stroke_width, dpi) if style.stroke_width else 0,
            )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, transparent=bool(req.transparent and not background))
    return buf.getvalue()
