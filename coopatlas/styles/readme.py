"""``styles/README.md``: what the style files are and what each one draws, written from the styles
themselves so that the page never disagrees with the files."""

from __future__ import annotations

from . import maplibre, temporal
from .model import Categorised, ColourClass, Style, fmt

HEAD = """# Styles of the atlas's collections

GENERATED files, this page included: do not edit them by hand. They come from the one palette and code
lists of `coopatlas/vocabulary.py` through `coopatlas/styles/` (the styles as data in `definitions.py`,
one writer per format). After a change there:

    python -m coopatlas.styles --out styles/          # rewrite every file
    python -m coopatlas.styles --out styles/ --check  # exit 1 if a committed file is out of date

`tests/unit/test_styles.py` fails when a committed file differs from what the generator writes.

| file | format | media type |
|---|---|---|
{formats}

Sizes are pixels of 1/96 inch (the QML has millimetres: 1 px = 0.2646 mm). Legend labels are French.

## MapLibre sources and the server URL

The style spec wants absolute URLs. Each `.maplibre.json` draws the collection from the server's vector
tiles (OGC API Tiles, Mapbox Vector Tiles; source layer = the collection id), a `vector` source named
after the collection reading

    {url}

over the basemap `fond` made from the atlas's own `pays` tiles (the sea, the countries, their outlines:
no external tile server, works offline; `fond.maplibre.json` is that basemap alone). The URLs of the
committed files are `make serve`'s default address (`metadata["coopatlas:base_url"]`). The server does
not send the committed file as is: when it serves `/styles/<id>.maplibre.json` it writes the document
again with its own public URL (`COOPATLAS_URL`, or the address it was started on), with
`coopatlas.styles.maplibre.write(coopatlas.styles.style(id), base_url=<its public URL>)`. At low zooms the
points and flows of one place are aggregates (`agregat`, `nombre`; the tileset metadata says how): the
same expressions draw them. The legend is in `metadata["coopatlas:legend"]`.
"""

FORMAT_ROWS = {
    ".qml": "QGIS layer style (symbology), QGIS 3.22 and later",
    ".sld": "OGC SLD 1.1.0 with Symbology Encoding 1.1 and Filter Encoding 1.1",
    ".maplibre.json": "MapLibre GL / Mapbox GL style spec v8",
}


def _entry_rule(style: Style, entry) -> str:
    c = style.colour
    if isinstance(entry, ColourClass):
        return f"{entry.lower} <= `{c.field}`" + (f" < {entry.upper}" if entry.upper is not None else "")
    if isinstance(c, Categorised):
        return f"`{c.field}` = `{entry.value}`" if entry is not c.other else "any other value, or null"
    return f"`{c.field}` null or < {c.classes[0].lower}"


def _section(style: Style) -> str:
    kind = {"point": "points", "line": "lines", "polygon": "polygons"}[style.geometry]
    lines = [f"### `{style.collection}`: {style.title}", ""]
    how = f"{kind.capitalize()} coloured by `{style.colour.field}`"
    if style.proportional:
        p = style.proportional
        how += (
            f"; circle diameter `{fmt(p.size_min)} + {fmt(p.size_max - p.size_min)} * "
            f"((n - {fmt(p.value_min)}) / {fmt(p.value_max - p.value_min)}) ^ {fmt(p.exponent)}` px, "
            f"`n` = `{p.field}` clamped to [{fmt(p.value_min)}, {fmt(p.value_max)}] (null: "
            f"{fmt(p.value_min)})"
        )
    elif style.geometry == "point":
        how += f"; {fmt(style.size)} px wide"
    elif style.geometry == "line":
        how += f"; {fmt(style.size)} px wide"
    if style.opacity < 1:
        how += f"; {round(style.opacity * 100)} % opaque"
    if style.stroke_width:
        how += f"; outline {style.stroke_colour}, {fmt(style.stroke_width)} px"
    if style.sort_desc:
        how += f"; largest `{style.sort_desc}` drawn first (QML, MapLibre)"
    time = temporal.expressions(style.collection)
    if time:  # (the MapLibre and SLD styles draw every feature)
        how += (
            f". The QML makes the layer temporal (QGIS's Temporal Controller): from `{time.start}` "
            f"to `{time.end}` (excluded)"
        )
    lines += [how + ".", "", "| legend | colour | features |", "|---|---|---|"]
    for e in style.colour.entries:
        lines.append(f"| {e.label} | `{e.colour}` | {_entry_rule(style, e)} |")
    return "\n".join(lines) + "\n"


def write(styles: dict[str, Style], media_types: dict[str, str]) -> str:
    formats = "\n".join(f"| `<id>{suffix}` | {FORMAT_ROWS[suffix]} | `{mt}` |" for suffix, mt in media_types.items())
    some = next(iter(styles.values()))
    url = maplibre.tile_url(some.collection).replace(f"/{some.collection}/", "/<id>/")
    head = HEAD.format(formats=formats, url=url)
    return head + "\n## What each style draws\n\n" + "\n".join(_section(s) for s in styles.values())
