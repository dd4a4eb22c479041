"""MapLibre GL / Mapbox GL style documents (``.maplibre.json``, style spec v8) from a
:class:`~coopatlas.styles.model.Style`.

Each document has one GeoJSON source, named after the collection, whose ``data`` is the collection's
items on an OGC API Features server: ``<base_url>/collections/<id>/items?f=json&limit=<n>&properties=<fields>``.
The style spec wants an absolute URL there, so the URL is built from a base URL:

- the committed files use :data:`DEFAULT_BASE_URL` (``make serve`` on this machine);
- a server serving them calls :func:`document` with its own public URL (pygeoapi's ``server.url``)
  instead of sending the committed file, and :func:`source_url` gives the same URL to its tests.

``properties=`` asks only for the attributes the style reads (a 13,000-project layer stays small) and
``limit`` is above the size of every collection (the server's ``max_items`` must allow it, or the
map is silently incomplete). ``metadata`` carries the legend (``coopatlas:legend``) since MapLibre has
none. No layer draws text, so no ``glyphs`` URL is needed. Sizes in pixels; ``circle-radius`` is half
the diameter of the model.
"""
from __future__ import annotations

import json

from .model import Categorised, Graduated, Style

#: Base URL of the server in the committed files (``make serve``'s default host and port).
DEFAULT_BASE_URL = "http://127.0.0.1:5000"
#: ``limit`` of the source URL: above the largest collection (13,468 projects and as many links).
DEFAULT_LIMIT = 20000
MEDIA_TYPE = "application/vnd.mapbox.style+json"


def source_url(style: Style, base_url: str = DEFAULT_BASE_URL, limit: int = DEFAULT_LIMIT) -> str:
    """The GeoJSON items URL the style's source reads (``base_url`` without a trailing slash or with)."""
    props = ",".join(style.fields)
    return f"{base_url.rstrip('/')}/collections/{style.collection}/items?f=json&limit={limit}&properties={props}"


def _get(field: str, default=None) -> list:
    return ["get", field] if default is None else ["coalesce", ["get", field], default]


def colour_expression(style: Style) -> list:
    """The expression giving a feature's colour."""
    c = style.colour
    if isinstance(c, Categorised):
        expr: list = ["match", ["to-string", _get(c.field, "")]]
        for cat in c.categories:
            expr += [cat.value, cat.colour]
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
            "id": cid, "type": "circle", "source": cid,
            "paint": {
                "circle-color": colour, "circle-radius": radius_expression(style),
                "circle-opacity": _num(style.opacity),
                "circle-stroke-color": style.stroke_colour, "circle-stroke-width": style.stroke_width,
                "circle-stroke-opacity": _num(style.opacity),
            },
        }
        if style.sort_desc:
            layer["layout"] = {"circle-sort-key": ["-", 0, ["to-number", _get(style.sort_desc, 0)]]}
        return [layer]
    if style.geometry == "line":
        return [{
            "id": cid, "type": "line", "source": cid,
            "layout": {"line-cap": "round", "line-join": "round"},
            "paint": {"line-color": colour, "line-width": style.size, "line-opacity": _num(style.opacity)},
        }]
    layers = [{
        "id": cid, "type": "fill", "source": cid,
        "paint": {"fill-color": colour, "fill-opacity": _num(style.opacity)},
    }]
    if style.stroke_width > 0:
        layers.append({
            "id": f"{cid}-contour", "type": "line", "source": cid,
            "paint": {"line-color": style.stroke_colour, "line-width": style.stroke_width,
                      "line-opacity": _num(style.opacity)},
        })
    return layers


def _legend(style: Style) -> dict:
    legend = {
        "field": style.colour.field,
        "entries": [{"label": e.label, "colour": e.colour} for e in style.colour.entries],
    }
    if style.proportional:
        p = style.proportional
        legend["size"] = {
            "field": p.field, "title": p.legend_title,
            "entries": [{"value": v, "diameter": round(p.diameter(v), 2)} for v in p.legend_values],
        }
    return legend


def document(style: Style, base_url: str = DEFAULT_BASE_URL, limit: int = DEFAULT_LIMIT) -> dict:
    """The style document of ``style`` reading the server at ``base_url``."""
    lon, lat, zoom = style.view
    return {
        "version": 8,
        "name": style.title,
        "metadata": {
            "coopatlas:collection": style.collection,
            "coopatlas:legend": _legend(style),
            "coopatlas:generator": "python -m coopatlas.styles (do not edit by hand)",
        },
        "center": [lon, lat],
        "zoom": zoom,
        "sources": {
            style.collection: {
                "type": "geojson",
                "data": source_url(style, base_url, limit),
                "attribution": "CoopAtlas — Atlas de la coopération décentralisée",
            },
        },
        "layers": _layers(style),
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


def write(style: Style, base_url: str = DEFAULT_BASE_URL, limit: int = DEFAULT_LIMIT) -> str:
    """The ``.maplibre.json`` text of ``style`` (UTF-8, trailing newline)."""
    return dumps(document(style, base_url, limit)) + "\n"
