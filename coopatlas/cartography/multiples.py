"""A small multiple (input ``dates`` of ``carte-pays``): one page where the same country is drawn at 2 to 6
dates (years or intervals of years, :mod:`.period`), one panel each, all with the same extent and the
same scale, the same symbol sizes, one shared legend and one scale bar.

The extent is the one of the country map over the whole span of the dates (the country's main part and
every partner place active at any of them); remote parts (insets) are not drawn, and the credits say how
many places they hold. Each panel is titled with its period and its counts of projects and requests.

Page coordinates are millimetres from the lower-left corner of the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle

from .. import vocabulary as voc
from ..documents.formats import number
from ..store import Store
from . import export
from .canvas import PT, FrameCanvas, PageCanvas, draw_background
from .countrymap import build_country_map, document_metadata
from .data import TYPES, CountryData, country_data
from .framecontent import symbol_items
from .furniture import draw_scale_bar, scale_bar
from .geography import World
from .geography import world as load_world
from .labels import wrap_text
from .layout import GUTTER, MARGIN, TYPOGRAPHY, Box, page_layout, page_size
from .mappage import MM_PER_INCH, draw_credits, draw_symbols, draw_title_block
from .model import CountryMap, Frame
from .options import MapOptions
from .period import MapPeriod
from .projection import fit_extent, split_country
from .symbols import SymbolScale, symbols_collection
from .textblocks import credits_height, title_height
from .texts import TEXTS, plural

#: Width of the shared legend on the right of the panels, and the height of a panel's caption, mm.
LEGEND_WIDTH = {"A4": 52.0, "A3": 64.0}
CAPTION_HEIGHT = 6.0
#: Margin around the content of a panel, mm.
PANEL_MARGIN = 3.0


@dataclass
class SmallMultipleInfo:
    """What was drawn: the panels' frames (same extent, same scale) and their periods and data."""

    frames: list[Frame] = field(default_factory=list)
    periods: list[MapPeriod] = field(default_factory=list)
    data: list[CountryData] = field(default_factory=list)
    grid: tuple[int, int] = (1, 1)  # columns, rows


def _span(periods: tuple[MapPeriod, ...]) -> MapPeriod:
    """The period from the first year of ``periods`` to the last (open when one of them is)."""
    firsts = [p.first for p in periods]
    lasts = [p.last for p in periods]
    return MapPeriod(None if None in firsts else min(firsts), None if None in lasts else max(lasts))


def _grid(n: int, area: Box, content_w: float, content_h: float) -> tuple[int, int, float, float]:
    """``(columns, rows, panel width, panel height)`` drawing ``n`` panels of the content largest in
    ``area``."""
    best = None
    for cols in range(1, n + 1):
        rows = math.ceil(n / cols)
        w = (area.w - (cols - 1) * GUTTER) / cols
        h = (area.h - (rows - 1) * GUTTER) / rows - CAPTION_HEIGHT
        if w <= 10 or h <= 10:
            continue
        scale = min(w / content_w, h / content_h)
        if best is None or scale > best[0] * 1.001:
            best = (scale, cols, rows, w, h)
    _, cols, rows, w, h = best
    return cols, rows, w, h


def _layout(model: CountryMap, n: int):
    """The page layout (orientation from the input, else the one that draws the panels largest), the area
    of the panels, their grid and the box of the legend on their right."""
    options = model.options
    typo = TYPOGRAPHY[options.paper]
    b = model.bounds
    content = (max(b[2] - b[0], 20_000.0), max(b[3] - b[1], 20_000.0))
    best = None
    orientations = ("landscape", "portrait") if options.orientation == "auto" else (options.orientation,)
    for orientation in orientations:
        width, _ = page_size(options.paper, orientation)
        inner = width - 2 * MARGIN
        lay = page_layout(
            options.paper, orientation, "right", title_height(model, inner, typo), credits_height(model, inner, typo)
        )
        legend_w = LEGEND_WIDTH[options.paper]
        area = Box(lay.map.x, lay.map.y, lay.panel.x1 - lay.map.x - legend_w - GUTTER, lay.map.h)
        legend = Box(area.x1 + GUTTER, area.y, legend_w, area.h)
        cols, rows, w, h = _grid(n, area, *content)
        scale = min(w / content[0], h / content[1])
        if best is None or scale > best[0] * 1.02:
            best = (scale, lay, area, (cols, rows, w, h), legend)
    return best[1:]


def _caption(period: MapPeriod, data: CountryData, lang: str) -> str:
    counts = plural(data.n_projects, "n_projects", lang)
    if data.requests_shown:
        counts += ", " + plural(data.totals.get("demande_cooperation", 0), "n_requests", lang)
    return f"{period.short(lang)} — {counts}"


def _draw_legend(page: PageCanvas, model: CountryMap, box: Box, scale: SymbolScale, max_total: int) -> None:
    """The legend shared by the panels: what each panel shows, the families, the symbol sizes."""
    lang, typo = model.lang, TYPOGRAPHY[model.options.paper]
    size, line = typo.legend, typo.legend * PT * 1.45
    x, y = box.x, box.y1
    page.text(x, y, TEXTS("legend", lang), typo.heading, weight="bold", ha="left", va="top", gid="legende")
    y -= typo.heading * PT * 1.25 + 1.2
    for ln in wrap_text(TEXTS("multiples_note", lang), box.w, size):
        y -= line / 2
        page.text(x, y, ln, size, ha="left", va="center", gid="legende-periode")
        y -= line / 2
    y -= 1.0
    d = 3.2
    for kind in TYPES if model.data.requests_shown else TYPES[:2]:
        lines = wrap_text(voc.TYPES_ACTION.label(kind, lang), box.w - d - 2.2, size)
        y -= line / 2
        page.add(symbols_collection([(x + d / 2 + 0.2, y, d, {kind: 1})], page.mm, zorder=6, gid="legende"))
        for i, ln in enumerate(lines):
            page.text(x + d + 2.2, y - i * line, ln, size, ha="left", va="center", gid="legende")
        y -= line * (len(lines) - 1) + line / 2 + 0.3
    y -= 1.0
    for ln in wrap_text(TEXTS("sizes", lang), box.w, size, "bold"):
        y -= line / 2
        page.text(x, y, ln, size, weight="bold", ha="left", va="center", gid="legende")
        y -= line / 2
    values = scale.legend_values(max(max_total, 1), min_gap_mm=0.6)
    base = y - 0.8 - scale.diameter(values[-1])
    cx = x
    for v in values:
        dv = scale.diameter(v)
        circle = Circle(
            (cx + dv / 2, base + dv / 2), dv / 2, transform=page.mm, facecolor="#ffffff", edgecolor="#3a3a3a", lw=0.4
        )
        circle.set_gid("legende-tailles")
        page.add(circle)
        page.text(cx + dv / 2, base - 0.6, number(v, lang), size * 0.9, ha="center", va="top", gid="legende-tailles")
        cx += max(dv, 4.0) + 3.0


def build_models(store: Store, options: MapOptions, world: World | None = None) -> tuple[CountryMap, list]:
    """The country map over the span of the dates (its extent and projection are the panels'), and the
    data of each date."""
    world = world or load_world()
    span = _span(options.dates)
    model = build_country_map(store, replace(options, period=span, dates=()), world)
    code, lang = options.country.code, options.lang
    datas = [country_data(store, options.criteria, code, lang, period) for period in options.dates]
    title = options.title or TEXTS(
        "multiples_title",
        lang,
        country=options.country.name(lang),
        dates=", ".join(p.short(lang) for p in options.dates),
    )
    return replace(model, title=title, options=replace(model.options, period=None)), datas


def small_multiple_figure(
    store: Store, options: MapOptions, world: World | None = None, dpi: float = 72
) -> tuple[Figure, CountryMap, SmallMultipleInfo]:
    """The page of the small multiple of ``options`` (``options.dates``)."""
    model, datas = build_models(store, options, world)
    lay, area, (cols, rows, panel_w, panel_h), legend = _layout(model, len(datas))
    fig = Figure(figsize=(lay.width / MM_PER_INCH, lay.height / MM_PER_INCH), dpi=dpi)
    page = PageCanvas(fig)
    draw_title_block(page, model, lay)
    typo = lay.typography
    max_total = max([p.total for data in datas for p in data.places], default=1)
    scale = SymbolScale(max_total, options.paper)
    extent, metres_per_mm = fit_extent(model.bounds, panel_w, panel_h, margin_mm=PANEL_MARGIN)
    info = SmallMultipleInfo(grid=(cols, rows))
    for i, (period, data) in enumerate(zip(options.dates, datas)):
        col, row = i % cols, i // cols
        x = area.x + col * (panel_w + GUTTER)
        top = area.y1 - row * (panel_h + CAPTION_HEIGHT + GUTTER)
        box = Box(x, top - CAPTION_HEIGHT - panel_h, panel_w, panel_h)
        frame = Frame(model.proj, extent, box)
        gid = f"panneau-{i + 1}"
        draw_background(FrameCanvas(page, frame, 0.0, gid, lw=0.5), model.world, model.country.code, fine=False)
        panel_model = replace(model, data=data)
        points = np.array([[p.lon, p.lat] for p in data.places], dtype=float).reshape(-1, 2)
        main_points = split_country(model.country.geometry, points).main.points
        symbols = symbol_items(panel_model, frame, main_points, scale)
        if symbols:
            draw_symbols(page, symbols, box, 5, f"symboles-{i + 1}")
        page.text(
            x, top - 0.6, _caption(period, data, model.lang), typo.heading, weight="bold", ha="left", va="top", gid=gid
        )
        if i == 0:
            bar = scale_bar(model.proj, frame.centre, metres_per_mm, target_mm=min(22.0, panel_w * 0.3))
            draw_scale_bar(fig, page.mm, box.x + 2.0, box.y + 2.0, bar, typo.furniture * 0.9, model.lang)
        info.frames.append(frame)
        info.periods.append(period)
        info.data.append(data)
    _draw_legend(page, model, legend, scale, max_total)
    draw_credits(page, model, lay)
    return fig, model, info


def render_small_multiple(
    store: Store, options: MapOptions, world: World | None = None
) -> tuple[bytes, SmallMultipleInfo]:
    """The small multiple of ``options`` in ``options.format`` (pdf, svg or png): ``(bytes, info)``."""
    fmt = options.format
    dpi = options.dpi if fmt == "png" else 72
    fig, model, info = small_multiple_figure(store, options, world, dpi)
    if fmt == "pdf":
        return export.pdf_bytes([fig], document_metadata(model)), info
    if fmt == "svg":
        return export.svg_bytes(fig, model.title), info
    if fmt == "png":
        return export.png_bytes(fig, options.dpi, document_metadata(model)), info
    raise ValueError(f"a small multiple is pdf, svg or png, not {fmt!r}")
