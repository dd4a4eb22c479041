"""QGIS layer style files (``.qml``, symbology only) from a :class:`~coopatlas.styles.model.Style`.

The file holds QGIS's own renderers so that a person can edit the style with QGIS's usual tools:
a *categorized* renderer for codes, a *graduated* one for choropleths (its value is the expression
``coalesce("field", 0)``, so that null falls in the no-data range), proportional circles as a
data-defined size with QGIS's size-scale transformer (and its size legend), and an ordering that
draws large circles first. Sizes are written in millimetres (pixels of 1/96 inch converted). Counts are integers:
the class ``lower <= v < upper`` is written as QGIS's inclusive range ``[lower, upper - 1]``.

The collections that live in time also carry the layer's temporal properties (``<temporal>``, category
"Temporal", :mod:`.temporal`), so that QGIS's Temporal Controller animates them once the style is loaded.

Readable by QGIS 3.22 and later (both the ``<Option>`` maps and the older ``<prop>`` lists are written).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from . import temporal
from .model import MM_PER_PX, Categorised, Graduated, ProportionalSize, Style, fmt, hex_to_rgb

QGIS_VERSION = "3.22.0-Białowieża"
DOCTYPE = "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
#: Upper bound written for the last, open class of a choropleth (no count of the atlas comes near it).
OPEN_UPPER = 999999999
_GEOMETRY_TYPE = {"point": 0, "line": 1, "polygon": 2}
_SYMBOL_TYPE = {"point": "marker", "line": "line", "polygon": "fill"}


def mm(px: float) -> str:
    """Pixels (1/96 inch) as millimetres, as QGIS text."""
    return fmt(round(px * MM_PER_PX, 4))


def qgis_colour(colour: str, alpha: int = 255) -> str:
    r, g, b = hex_to_rgb(colour)
    return f"{r},{g},{b},{alpha}"


def _option_map(parent: ET.Element, values: dict[str, str], name: str | None = None) -> ET.Element:
    attrs = {"type": "Map"} if name is None else {"name": name, "type": "Map"}
    m = ET.SubElement(parent, "Option", attrs)
    for k, v in values.items():
        ET.SubElement(m, "Option", {"name": k, "type": "QString", "value": v})
    return m


def _ddp(parent: ET.Element, size: ProportionalSize | None = None) -> None:
    """``<data_defined_properties>``, with a size driven by a field through QGIS's size transformer."""
    ddp = ET.SubElement(parent, "data_defined_properties")
    top = ET.SubElement(ddp, "Option", {"type": "Map"})
    ET.SubElement(top, "Option", {"name": "name", "type": "QString", "value": ""})
    if size is None:
        ET.SubElement(top, "Option", {"name": "properties"})
    else:
        props = ET.SubElement(top, "Option", {"name": "properties", "type": "Map"})
        prop = ET.SubElement(props, "Option", {"name": "size", "type": "Map"})
        ET.SubElement(prop, "Option", {"name": "active", "type": "bool", "value": "true"})
        ET.SubElement(prop, "Option", {"name": "field", "type": "QString", "value": size.field})
        transformer = ET.SubElement(prop, "Option", {"name": "transformer", "type": "Map"})
        d = ET.SubElement(transformer, "Option", {"name": "d", "type": "Map"})
        for k, v in (
            ("exponent", fmt(size.exponent)),
            ("maxSize", mm(size.size_max)),
            ("maxValue", fmt(size.value_max)),
            ("minSize", mm(size.size_min)),
            ("minValue", fmt(size.value_min)),
            ("nullSize", mm(size.size_min)),
        ):
            ET.SubElement(d, "Option", {"name": k, "type": "double", "value": v})
        # QgsSizeScaleTransformer::ScaleType: 1 "Area" (exponent 0.5), 3 "Exponential" (any exponent)
        scale_type = "1" if size.exponent == 0.5 else "3"
        ET.SubElement(d, "Option", {"name": "scaleType", "type": "int", "value": scale_type})
        ET.SubElement(transformer, "Option", {"name": "t", "type": "int", "value": "1"})  # size transformer
        ET.SubElement(prop, "Option", {"name": "type", "type": "int", "value": "2"})  # field-based property
    ET.SubElement(top, "Option", {"name": "type", "type": "QString", "value": "collection"})


def _layer_properties(style: Style, colour: str) -> tuple[str, dict[str, str]]:
    """The symbol layer class and its properties for one colour."""
    outline = "solid" if style.stroke_width > 0 else "no"
    if style.geometry == "point":
        return "SimpleMarker", {
            "angle": "0",
            "color": qgis_colour(colour),
            "horizontal_anchor_point": "1",
            "joinstyle": "bevel",
            "name": "circle",
            "offset": "0,0",
            "offset_unit": "MM",
            "outline_color": qgis_colour(style.stroke_colour),
            "outline_style": outline,
            "outline_width": mm(style.stroke_width),
            "outline_width_unit": "MM",
            "scale_method": "diameter",
            "size": mm(style.proportional.size_min if style.proportional else style.size),
            "size_unit": "MM",
            "vertical_anchor_point": "1",
        }
    if style.geometry == "line":
        return "SimpleLine", {
            "capstyle": "round",
            "joinstyle": "round",
            "line_color": qgis_colour(colour),
            "line_style": "solid",
            "line_width": mm(style.size),
            "line_width_unit": "MM",
            "offset": "0",
            "offset_unit": "MM",
            "use_custom_dash": "0",
        }
    return "SimpleFill", {
        "color": qgis_colour(colour),
        "joinstyle": "bevel",
        "offset": "0,0",
        "offset_unit": "MM",
        "outline_color": qgis_colour(style.stroke_colour),
        "outline_style": outline,
        "outline_width": mm(style.stroke_width),
        "outline_width_unit": "MM",
        "style": "solid",
    }


def _symbol(parent: ET.Element, style: Style, colour: str, name: str, tag: str = "symbol") -> None:
    sym = ET.SubElement(
        parent,
        tag,
        {
            "alpha": fmt(style.opacity),
            "clip_to_extent": "1",
            "force_rhr": "0",
            "name": name,
            "type": _SYMBOL_TYPE[style.geometry],
        },
    )
    _ddp(sym)
    cls, props = _layer_properties(style, colour)
    layer = ET.SubElement(sym, "layer", {"class": cls, "enabled": "1", "locked": "0", "pass": "0"})
    _option_map(layer, props)
    for k, v in props.items():
        ET.SubElement(layer, "prop", {"k": k, "v": v})
    _ddp(layer, style.proportional if style.geometry == "point" else None)


def _source_symbol(renderer: ET.Element, style: Style, colour: str) -> None:
    src = ET.SubElement(renderer, "source-symbol")
    _symbol(src, style, colour, "0")


def _size_legend(renderer: ET.Element, style: Style) -> None:
    size = style.proportional
    leg = ET.SubElement(
        renderer, "data-defined-size-legend", {"type": "collapsed", "title": size.legend_title, "valign": "bottom"}
    )
    line = ET.SubElement(leg, "lineSymbol")
    sym = ET.SubElement(
        line, "symbol", {"alpha": "1", "clip_to_extent": "1", "force_rhr": "0", "name": "lineSymbol", "type": "line"}
    )
    _ddp(sym)
    layer = ET.SubElement(sym, "layer", {"class": "SimpleLine", "enabled": "1", "locked": "0", "pass": "0"})
    props = {
        "line_color": qgis_colour(style.stroke_colour),
        "line_style": "solid",
        "line_width": "0.2",
        "line_width_unit": "MM",
    }
    _option_map(layer, props)
    for k, v in props.items():
        ET.SubElement(layer, "prop", {"k": k, "v": v})
    _ddp(layer)
    classes = ET.SubElement(leg, "classes")
    for v in size.legend_values:
        ET.SubElement(classes, "class", {"label": str(v), "size": fmt(v)})


def _renderer(root: ET.Element, style: Style) -> None:
    colour = style.colour
    common = {
        "enableorderby": "1" if style.sort_desc else "0",
        "forceraster": "0",
        "referencescale": "-1",
        "symbollevels": "0",
    }
    if isinstance(colour, Categorised):
        r = ET.SubElement(root, "renderer-v2", {"type": "categorizedSymbol", "attr": colour.field, **common})
        cats = ET.SubElement(r, "categories")
        for i, c in enumerate(colour.entries):
            value = c.value if c is not colour.other else ""  # "" is QGIS's "all other values"
            ET.SubElement(cats, "category", {"label": c.label, "render": "true", "symbol": str(i), "value": value})
        symbols = ET.SubElement(r, "symbols")
        for i, c in enumerate(colour.entries):
            _symbol(symbols, style, c.colour, str(i))
        _source_symbol(r, style, colour.other.colour)
    elif isinstance(colour, Graduated):
        r = ET.SubElement(
            root,
            "renderer-v2",
            {
                "type": "graduatedSymbol",
                "attr": f'coalesce("{colour.field}", 0)',
                "graduatedMethod": "GraduatedColor",
                **common,
            },
        )
        ranges = ET.SubElement(r, "ranges")
        bounds = [(0, colour.classes[0].lower - 1)] + [
            (c.lower, (c.upper - 1) if c.upper is not None else OPEN_UPPER) for c in colour.classes
        ]
        for i, (entry, (lo, up)) in enumerate(zip(colour.entries, bounds)):
            ET.SubElement(
                ranges,
                "range",
                {"label": entry.label, "lower": fmt(lo), "render": "true", "symbol": str(i), "upper": fmt(up)},
            )
        symbols = ET.SubElement(r, "symbols")
        for i, entry in enumerate(colour.entries):
            _symbol(symbols, style, entry.colour, str(i))
        _source_symbol(r, style, colour.classes[-1].colour)
        method = ET.SubElement(r, "classificationMethod", {"id": "Custom"})
        ET.SubElement(method, "symmetricMode", {"astride": "0", "enabled": "0", "symmetrypoint": "0"})
        ET.SubElement(method, "labelFormat", {"format": "%1 - %2", "labelprecision": "0", "trimtrailingzeroes": "1"})
        params = ET.SubElement(method, "parameters")
        ET.SubElement(params, "Option")
        ET.SubElement(method, "extraInformation")
    else:  # pragma: no cover - the model has two kinds
        raise TypeError(type(colour))
    ET.SubElement(r, "rotation")
    ET.SubElement(r, "sizescale")
    if style.proportional and style.geometry == "point":
        _size_legend(r, style)
    if style.sort_desc:
        order = ET.SubElement(r, "orderby")
        clause = ET.SubElement(order, "orderByClause", {"asc": "0", "nullsFirst": "0"})
        clause.text = f'"{style.sort_desc}"'


def _temporal(root: ET.Element, expressions: temporal.TemporalExpressions) -> None:
    """The layer's temporal properties as QGIS 3.22 writes them (start and end from expressions)."""
    element = ET.SubElement(
        root,
        "temporal",
        {
            "accumulate": "0",
            "durationField": "",
            "durationUnit": "min",
            "enabled": "1",
            "endExpression": expressions.end,
            "endField": "",
            "fixedDuration": "0",
            "limitMode": str(temporal.LIMIT_INCLUDE_BEGIN_EXCLUDE_END),
            "mode": str(temporal.MODE_EXPRESSIONS),
            "startExpression": expressions.start,
            "startField": "",
        },
    )
    fixed = ET.SubElement(element, "fixedRange")
    ET.SubElement(fixed, "start")
    ET.SubElement(fixed, "end")


def write(style: Style) -> str:
    """The ``.qml`` text of ``style``."""
    time = temporal.expressions(style.collection)
    categories = "Symbology|Temporal" if time else "Symbology"
    root = ET.Element("qgis", {"styleCategories": categories, "version": QGIS_VERSION})
    _renderer(root, style)
    if time:
        _temporal(root, time)
    ET.SubElement(root, "blendMode").text = "0"
    ET.SubElement(root, "featureBlendMode").text = "0"
    ET.SubElement(root, "layerGeometryType").text = str(_GEOMETRY_TYPE[style.geometry])
    ET.indent(root, space="  ")
    return DOCTYPE + "\n" + ET.tostring(root, encoding="unicode") + "\n"
