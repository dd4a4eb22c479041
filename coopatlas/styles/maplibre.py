"""MapLibre GL / Mapbox GL style documents (``.maplibre.json``, style spec v8) from a
:class:`~coopatlas.styles.model.Style`.

Each document draws the collection from the atlas server's vector tiles (OGC API Tiles, Mapbox Vector
Tiles): a ``vector`` source named after the collection, whose tiles are
``<base_url>/collections/<id>/tiles/WebMercatorQuad/{z}/{y}/{x}?f=mvt`` (source layer: the collection id),
over a basemap made from the atlas's own ``pays`` tiles (source ``fond``: the sea, the countries, their
outlines; no external tile server, works offline). :func:`basemap_document` is that basemap alone
(``styles/fond.maplibre.json``). At low zooms the point collections and flows are aggregates (one
feature per place with ``nombre``; see ``coopatlas.server.tiles.spec``): the colour is the most frequent
type of the place, the size field (``nb_projets``) is summed, so the same expressions draw both.

The style spec wants absolute URLs, so the URLs are built from a base URL:

- the committed files use :data:`DEFAULT_BASE_URL` (``make serve`` on this machine) and say so in
  ``metadata`` (``coopatlas:base_url``);
- the server does not send the committed file: it writes the document again with its own public URL
  (pygeoapi's ``server.url``: ``COOPATLAS_URL``, or the address it was started on) when it serves
  ``/styles/<id>.maplibre.json`` (``coopatlas.server.tiles.routes``).

``metadata`` carries the legend (``coopatlas:legend``) since MapLibre has none. No layer draws text, so
no ``glyphs`` URL is needed. Sizes in pixels; ``circle-radius`` is half the diameter of the model.
"""

from __future__ import annotations

import json

from .model import Categorised, Graduated, Style

#: Base URL of the server in the committed files (``make serve``'s default host and port).
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
MEDIA_TYPE = "application/vnd.mapbox.style+json"
#: Zooms of the atlas's tiles (``coopatlas.server.tiles.spec``).
MIN_ZOOM, MAX_ZOOM = 0, 16
#: Name of the basemap source (the ``pays`` tiles) and of the basemap style file.
BASEMAP = "fond"
ATTRIBUTION = "CoopAtlas — Atlas de la coopération décentralisée ; pays : Natural Earth (domaine public)"
NOTE = (
    "URLs written for a server at {base}: the CoopAtlas server rewrites them to its own public URL "
    "(COOPATLAS_URL, or the address it listens on) when it serves this file at /styles/{name}."
)


def tile_url(collection: str, base_url: str = DEFAULT_BASE_URL) -> str:
    """The tile URL template of a collection (OGC API Tiles: ``{z}/{y}/{x}`` is tileMatrix/tileRow/tileCol)."""
    return f"{base_url.rstrip('/')}/collections/{collection}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"


def source(collection: str, base_url: str = DEFAULT_BASE_URL) -> dict:
    """The vector tile source of a collection."""
    return {
        "type": "vector",
        "tiles": [tile_url(collection, base_url)],
        "minzoom": MIN_ZOOM,
        "maxzoom": MAX_ZOOM,
        "attribution": ATTRIBUTION,
    }


def basemap_layers() -> list[dict]:
    """The sea, the countries and their outlines, from the ``pays`` tiles (source :data:`BASEMAP`)."""
    from ..vocabulary import PALETTE

    return [
        {"id": "fond-mer", "type": "background", "paint": {"background-color": PALETTE["mer"]}},
        {
            "id": "fond-pays",
            "type": "fill",
            "source": BASEMAP,
            "source-layer": "pays",
            "paint": {"fill-color": PALETTE["voisins"]},
        },
        {
            "id": "fond-contours",
            "type": "line",
            "source": BASEMAP,
            "source-layer": "pays",
            "paint": {"line-color": PALETTE["contour"], "line-width": 0.4, "line-opacity": 0.6},
        },
    ]


def _get(field: str, default=None) -> list:
    return ["get", field] if default is None else ["coalesce", ["get", field], default]


def colour_expression(style: Style) -> list:
    """The expression giving a feature's colour."""
    c = style.colour
    if isinstance(c, Categorised):
        # labels as one-element arrays and the input as a bare "get": the form QGIS 3.22's style converter
        # reads too (QgsMapBoxGlStyleConverter); a missing or unknown code gets the fallback colour
        expr: list = ["match", ["get", c.field]]
        for cat in c.categories:
            expr += [[cat.value], cat.colour]
        return expr + [c.other.colour]
    if isinstance(c, Graduated):
        expr = ["step", ["to-number", _get(c.field, 0)], c.no_data.colour]
        for cls in c.classes:
            expr += [cls.lower, cls.colour]
        return expr
    raise TypeError(type(c))  # pragma: no cover


def radius_expression(style: Style) -> float | list:
    """``circle-radius``: half the constant diameter, or half the proportional one."""
    p = style.proportional
    if p is None:
        return _num(style.size / 2)
    # t = ((max(v, vmin) - vmin) / (vmax - vmin)) ** exponent, then interpolate clamps t to [0, 1]
    v = ["to-number", _get(p.field, p.value_min)]
    t = ["^", ["/", ["-", ["max", v, p.value_min], p.value_min], p.value_max - p.value_min], p.exponent]
    return ["interpolate", ["linear"], t, 0, _num(p.size_min / 2), 1, _num(p.size_max / 2)]


def _num(x: float) -> int | float:
    """``x`` as an int when it is one (``2`` rather than ``2.0`` in the files)."""
    return int(x) if float(x).is_integer() else x


def _layers(style: Style) -> list[dict]:
    cid = style.collection
    colour = colour_expression(style)
    if style.geometry == "point":
        layer = {
            "id": cid,
            "type": "circle",
            "source": cid,
            "source-layer": cid,
            "paint": {
                "circle-color": colour,
                "circle-radius": radius_expression(style),
                "circle-opacity": _num(style.opacity),
                "circle-stroke-color": style.stroke_colour,
                "circle-stroke-width": style.stroke_width,
                "circle-stroke-opacity": _num(style.opacity),
            },
        }
        if style.sort_desc:
            layer["layout"] = {"circle-sort-key": ["-", 0, ["to-number", _get(style.sort_desc, 0)]]}
        return [layer]
    if style.geometry == "line":
        return [
            {
                "id": cid,
                "type": "line",
                "source": cid,
                "source-layer": cid,
                "layout": {"line-cap": "round", "line-join": "round"},
                "paint": {"line-color": colour, "line-width": style.size, "line-opacity": _num(style.opacity)},
            }
        ]
    layers = [
        {
            "id": cid,
            "type": "fill",
            "source": cid,
            "source-layer": cid,
            "paint": {"fill-color": colour, "fill-opacity": _num(style.opacity)},
        }
    ]
    if style.stroke_width > 0:
        layers.append(
            {
                "id": f"{cid}-contour",
                "type": "line",
                "source": cid,
                "source-layer": cid,
                "paint": {
                    "line-color": style.stroke_colour,
                    "line-width": style.stroke_width,
                    "line-opacity": _num(style.opacity),
                },
            }
        )
    return layers


def _legend(style: Style) -> dict:
    legend = {
        "field": style.colour.field,
        "entries": [{"label": e.label, "colour": e.colour} for e in style.colour.entries],
    }
    if style.proportional:
        p = style.proportional
        legend["size"] = {
            "field": p.field,
            "title": p.legend_title,
            "entries": [{"value": v, "diameter": round(p.diameter(v), 2)} for v in p.legend_values],
        }
    return legend


def document(style: Style, base_url: str = DEFAULT_BASE_URL) -> dict:
    """The style document of ``style`` reading the tiles of the server at ``base_url``, over the basemap."""
    lon, lat, zoom = style.view
    return {
        "version": 8,
        "name": style.title,
        "metadata": {
            "coopatlas:collection": style.collection,
            "coopatlas:legend": _legend(style),
            "coopatlas:base_url": base_url.rstrip("/"),
            "coopatlas:note": NOTE.format(base=base_url.rstrip("/"), name=f"{style.collection}.maplibre.json"),
            "coopatlas:generator": "python -m coopatlas.styles (do not edit by hand)",
        },
        "center": [lon, lat],
        "zoom": zoom,
        "sources": {BASEMAP: source("pays", base_url), style.collection: source(style.collection, base_url)},
        "layers": basemap_layers() + _layers(style),
    }


def basemap_document(base_url: str = DEFAULT_BASE_URL) -> dict:
    """The basemap alone (``fond.maplibre.json``): the atlas's countries on the sea."""
    return {
        "version": 8,
        "name": "Fond de carte CoopAtlas (pays)",
        "metadata": {
            "coopatlas:base_url": base_url.rstrip("/"),
            "coopatlas:note": NOTE.format(base=base_url.rstrip("/"), name=f"{BASEMAP}.maplibre.json"),
            "coopatlas:generator": "python -m coopatlas.styles (do not edit by hand)",
        },
        "center": [10.0, 20.0],
        "zoom": 1.5,
        "sources": {BASEMAP: source("pays", base_url)},
        "layers": basemap_layers(),
    }


def dumps(value, indent: int = 0, width: int = 100) -> str:
    """JSON text that a person can read and diff: a list or object short enough stays on one line."""
    flat = json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
    if not isinstance(value, (list, dict)) or len(flat) + indent <= width:
        return flat
    pad = " " * (indent + 2)
    if isinstance(value, list):
        items = [pad + dumps(v, indent + 2, width) for v in value]
        return "[\n" + ",\n".join(items) + "\n" + " " * indent + "]"
    items = [pad + json.dumps(k, ensure_ascii=False) + ": " + dumps(v, indent + 2, width) for k, v in value.items()]
    return "{\n" + ",\n".join(items) + "\n" + " " * indent + "}"


def write(style: Style, base_url: str = DEFAULT_BASE_URL) -> str:
    """The ``.maplibre.json`` text of ``style`` (UTF-8, trailing newline)."""
    return dumps(document(style, base_url)) + "\n"


def write_basemap(base_url: str = DEFAULT_BASE_URL) -> str:
    """The text of ``fond.maplibre.json``."""
    return dumps(basemap_document(base_url)) + "\n"
