"""OGC Styled Layer Descriptor 1.1.0 / Symbology Encoding 1.1 (``.sld``) from a :class:`~coopatlas.styles.model.Style`.

One ``NamedLayer`` named after the collection, one ``UserStyle``, one ``se:Rule`` per legend entry
(its ``se:Title`` is the French label). Codes are matched with ``ogc:PropertyIsEqualTo`` and the
catch-all entry with "null, or none of the codes" (not ``se:ElseFilter``, that QGIS 3.22 reads as
"every feature"); choropleth classes with ``>= lower`` and ``< upper`` (Filter
Encoding 1.1) and the no-data entry with "null or below the first class". Proportional circles use
SE 1.1's ``se:Interpolate`` (linear, numeric) through points sampled on the size curve. Sizes and
widths are in pixels (SE's default unit of measure).

SE has no drawing order within a FeatureTypeStyle: clients draw features in the order they receive
them, so the large-circles-first order of the other formats is not expressed here (GeoServer users
can add their ``sortBy`` vendor option).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from .model import Categorised, Category, ColourClass, Graduated, Style, fmt

SLD = "http://www.opengis.net/sld"
SE = "http://www.opengis.net/se"
OGC = "http://www.opengis.net/ogc"
XLINK = "http://www.w3.org/1999/xlink"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
SCHEMA_LOCATION = f"{SLD} http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd"

for _prefix, _uri in (("sld", SLD), ("se", SE), ("ogc", OGC), ("xlink", XLINK), ("xsi", XSI)):
    ET.register_namespace(_prefix, _uri)


def _el(parent: ET.Element, ns: str, tag: str, text: str | None = None, **attrs) -> ET.Element:
    e = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs)
    if text is not None:
        e.text = text
    return e


def _svg(parent: ET.Element, name: str, value: str) -> None:
    _el(parent, SE, "SvgParameter", value, name=name)


def _property(parent: ET.Element, name: str) -> None:
    _el(parent, OGC, "PropertyName", name)


def _compare(parent: ET.Element, op: str, field: str, literal: str) -> None:
    e = _el(parent, OGC, op)
    _property(e, field)
    _el(e, OGC, "Literal", literal)


def _filter_for(rule: ET.Element, colour: Categorised | Graduated, entry) -> None:
    """The ``ogc:Filter`` (or ``se:ElseFilter``) selecting the features of one legend entry."""
    if isinstance(colour, Categorised):
        f = _el(rule, OGC, "Filter")
        if entry is not colour.other:
            _compare(f, "PropertyIsEqualTo", colour.field, entry.value)
            return
        # "null or none of the codes", spelt out: QGIS 3.22 reads se:ElseFilter as "every feature"
        either = _el(f, OGC, "Or")
        _property(_el(either, OGC, "PropertyIsNull"), colour.field)
        listed = _el(either, OGC, "Not")
        if len(colour.categories) > 1:
            listed = _el(listed, OGC, "Or")
        for cat in colour.categories:
            _compare(listed, "PropertyIsEqualTo", colour.field, cat.value)
        return
    f = _el(rule, OGC, "Filter")
    if entry is colour.no_data:
        either = _el(f, OGC, "Or")
        is_null = _el(either, OGC, "PropertyIsNull")
        _property(is_null, colour.field)
        _compare(either, "PropertyIsLessThan", colour.field, fmt(colour.classes[0].lower))
        return
    if entry.upper is None:
        _compare(f, "PropertyIsGreaterThanOrEqualTo", colour.field, fmt(entry.lower))
        return
    both = _el(f, OGC, "And")
    _compare(both, "PropertyIsGreaterThanOrEqualTo", colour.field, fmt(entry.lower))
    _compare(both, "PropertyIsLessThan", colour.field, fmt(entry.upper))


def _stroke(parent: ET.Element, style: Style) -> None:
    if style.stroke_width > 0:
        stroke = _el(parent, SE, "Stroke")
        _svg(stroke, "stroke", style.stroke_colour)
        _svg(stroke, "stroke-width", fmt(style.stroke_width))
        if style.opacity < 1:
            _svg(stroke, "stroke-opacity", fmt(style.opacity))


def _symbolizer(rule: ET.Element, style: Style, colour: str) -> None:
    if style.geometry == "point":
        graphic = _el(_el(rule, SE, "PointSymbolizer"), SE, "Graphic")
        mark = _el(graphic, SE, "Mark")
        _el(mark, SE, "WellKnownName", "circle")
        fill = _el(mark, SE, "Fill")
        _svg(fill, "fill", colour)
        _stroke(mark, style)
        if style.opacity < 1:
            _el(graphic, SE, "Opacity", fmt(style.opacity))
        size = _el(graphic, SE, "Size")
        p = style.proportional
        if p is None:
            size.text = fmt(style.size)
        else:
            interp = _el(size, SE, "Interpolate", fallbackValue=fmt(p.size_min), mode="linear", method="numeric")
            _property(_el(interp, SE, "LookupValue"), p.field)
            for value, diameter in p.samples():
                point = _el(interp, SE, "InterpolationPoint")
                _el(point, SE, "Data", fmt(value))
                _el(point, SE, "Value", fmt(round(diameter, 2)))
    elif style.geometry == "line":
        stroke = _el(_el(rule, SE, "LineSymbolizer"), SE, "Stroke")
        _svg(stroke, "stroke", colour)
        _svg(stroke, "stroke-width", fmt(style.size))
        _svg(stroke, "stroke-linecap", "round")
        if style.opacity < 1:
            _svg(stroke, "stroke-opacity", fmt(style.opacity))
    else:
        sym = _el(rule, SE, "PolygonSymbolizer")
        fill = _el(sym, SE, "Fill")
        _svg(fill, "fill", colour)
        if style.opacity < 1:
            _svg(fill, "fill-opacity", fmt(style.opacity))
        _stroke(sym, style)


def _rule_name(colour: Categorised | Graduated, entry: Category | ColourClass) -> str:
    if isinstance(entry, ColourClass):
        upper = "plus" if entry.upper is None else entry.upper
        return f"{colour.field}_{entry.lower}_{upper}"
    if isinstance(colour, Categorised) and entry is not colour.other:
        return entry.value
    return "sans_donnee" if isinstance(colour, Graduated) else "autre"


def write(style: Style) -> str:
    """The ``.sld`` text (SLD 1.1.0, UTF-8) of ``style``."""
    root = ET.Element(
        f"{{{SLD}}}StyledLayerDescriptor", {"version": "1.1.0", f"{{{XSI}}}schemaLocation": SCHEMA_LOCATION}
    )
    layer = _el(root, SLD, "NamedLayer")
    _el(layer, SE, "Name", style.collection)
    user = _el(layer, SLD, "UserStyle")
    _el(user, SE, "Name", f"coopatlas_{style.collection}")
    desc = _el(user, SE, "Description")
    _el(desc, SE, "Title", style.title)
    _el(
        desc,
        SE,
        "Abstract",
        "Style CoopAtlas généré depuis la palette du vocabulaire "
        "(python -m coopatlas.styles) : ne pas modifier à la main.",
    )
    _el(user, SLD, "IsDefault", "1")
    fts = _el(user, SE, "FeatureTypeStyle", version="1.1.0")
    for entry in style.colour.entries:
        rule = _el(fts, SE, "Rule")
        _el(rule, SE, "Name", _rule_name(style.colour, entry))
        _el(_el(rule, SE, "Description"), SE, "Title", entry.label)
        _filter_for(rule, style.colour, entry)
        _symbolizer(rule, style, entry.colour)
    ET.indent(root, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
