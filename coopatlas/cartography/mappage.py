"""The map page of a country (:func:`draw_map_page`): title and subtitle, the main map frame with its
symbols and labels, insets for remote parts, the scale bar and north arrow, the panel (legend, locator,
main partnerships), the credits and the page number.

Page coordinates are millimetres from the lower-left corner of the page (:class:`.canvas.PageCanvas`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.figure import Figure

from .canvas import NOTICE_COLOUR, PT, FrameCanvas, PageCanvas, draw_background
from .framecontent import (
    CORNERS,
    INSET_Z,
    admin1_specs,
    box_score,
    corner_box,
    country_specs,
    partner_specs,
    symbol_boxes,
    symbol_items,
)
from .furniture import ScaleBar, draw_north_arrow, draw_scale_bar, scale_bar
from .labels import PlacedLabel, place_labels, text_size, wrap_text
from .layout import Box, PageLayout, Typography
from .model import CountryMap, Frame, InsetModel, RenderInfo
from .panel import draw_panel
from .projection import fit_extent
from .symbols import SymbolScale, symbols_collection
from .textblocks import credits_wrapped, title_lines
from .texts import TEXTS

MM_PER_INCH = 25.4
#: The box of the scale bar and the north arrow (width, height, mm), this far inside a corner of the map.
FURNITURE_SIZE = (50.0, 14.0)
FURNITURE_INSET = 1.5
#: Margins around the content of the main map frame and of an inset, mm.
MAP_MARGIN, INSET_MARGIN = 7.0, 3.0
#: The page number: its right end and its bottom, mm from the right and bottom edges of the page.
PAGE_LABEL_RIGHT, PAGE_LABEL_BOTTOM = 8.0, 3.5
LABEL_GIDS = {"partner": "etiquettes", "admin1": "etiquettes-admin1", "country": "etiquettes-pays"}


@dataclass
class Corners:
    """Where the insets and the box of the scale bar go: the corners of the main frame that hide the
    least of the country and of its symbols (:func:`.framecontent.box_score`)."""

    insets: list[tuple[InsetModel, Box]]
    furniture: Box

    @property
    def boxes(self) -> list[tuple[float, float, float, float]]:
        """Their page boxes (mm), kept free of the main frame's labels."""
        return [box.bounds for _, box in self.insets] + [self.furniture.bounds]


def draw_map_page(
    fig: Figure,
    model: CountryMap,
    layout: PageLayout,
    annex_first_page: int | None = None,
    page_label: str | None = None,
    in_atlas: bool = False,
) -> RenderInfo:
    """Draw the map page of ``model`` on ``fig`` (sized to the page of ``layout``). ``annex_first_page``:
    the page where the complete table starts (PDF); ``in_atlas``: a page of an atlas (no annex)."""
    info = RenderInfo(layout=layout)
    typo = layout.typography
    fig.set_size_inches(layout.width / MM_PER_INCH, layout.height / MM_PER_INCH)
    page = PageCanvas(fig)
    draw_title_block(page, model, layout)

    extent, metres_per_mm = fit_extent(model.bounds, layout.map.w, layout.map.h, margin_mm=MAP_MARGIN)
    main = info.main = Frame(model.proj, extent, layout.map)
    main_background = draw_background(FrameCanvas(page, main, 0.0, "carte"), model.world, model.country.code)
    scale = SymbolScale(max([p.total for p in model.data.places], default=1), model.options.paper)
    symbols = symbol_items(model, main, model.split.main.points, scale)
    country_shape = shapely.simplify(model.proj.project(model.split.main.geometry), metres_per_mm * 0.5)
    corners = _choose_corners(model, layout, main, country_shape, symbols)
    if symbols:
        draw_symbols(page, symbols, layout.map, 5, "symboles")
    info.scale_bar, info.north_angle = _draw_furniture(page, model, main, corners.furniture, typo)

    all_symbol_boxes = symbol_boxes(symbols)
    inset_labels: list[PlacedLabel] = []
    for inset, box in corners.insets:
        frame, labels, boxes = _draw_inset(page, model, inset, box, scale, typo)
        info.insets.append(frame)
        inset_labels += labels
        all_symbol_boxes += boxes

    main_labels: list[PlacedLabel] = []
    if model.options.labels:  # partners first, then the neighbouring countries, then admin-1 names
        specs = (
            partner_specs(model, symbols, typo)
            + country_specs(model, main, typo, main_background)
            + admin1_specs(model, main, typo)
        )
        obstacles = np.vstack([np.array(symbol_boxes(symbols)).reshape(-1, 4), np.array(corners.boxes).reshape(-1, 4)])
        main_labels = place_labels(specs, obstacles, layout.map.shrink(0.8).bounds)
    draw_labels(page, main_labels, 0.0)
    draw_labels(page, inset_labels, INSET_Z)
    info.labels = main_labels + inset_labels
    info.symbol_boxes = np.array(all_symbol_boxes).reshape(-1, 4)

    if model.data.empty:
        _draw_nothing_to_show(page, model, layout)
    draw_panel(page, model, layout, scale, info, annex_first_page, in_atlas)
    draw_credits(page, model, layout)
    if page_label:
        page.text(
            layout.width - PAGE_LABEL_RIGHT,
            PAGE_LABEL_BOTTOM,
            page_label,
            typo.credits,
            ha="right",
            va="bottom",
            color="#666666",
            gid="page",
        )
    return info


def draw_title_block(page: PageCanvas, model: CountryMap, layout: PageLayout) -> None:
    """The title (bold, at most two lines) and the subtitle (the criteria in words) from the top of the
    title box."""
    typo, box = layout.typography, layout.title
    titles, subtitles = title_lines(model, box.w, typo)
    y = box.y1
    for line in titles:
        page.text(box.x, y, line, typo.title, weight="bold", ha="left", va="top", gid="title")
        y -= typo.title * PT * 1.18
    y -= 0.6
    for line in subtitles:
        page.text(box.x, y, line, typo.subtitle, ha="left", va="top", color="#444444", gid="subtitle")
        y -= typo.subtitle * PT * 1.3


def _choose_corners(model: CountryMap, layout: PageLayout, main: Frame, country_shape, symbols) -> Corners:
    """The insets first (sized from their area and shape), each in the free corner that hides the least,
    then the scale bar's box in the best corner left."""
    free = list(CORNERS)
    insets = []
    main_area = max(model.split.main.area_km2, 1e-6)
    for inset in model.insets:
        content_w, content_h = inset.bounds[2] - inset.bounds[0], inset.bounds[3] - inset.bounds[1]
        share = min(0.3, max(0.17, 0.16 + 0.25 * math.sqrt(inset.group.area_km2 / main_area)))
        width = layout.map.w * share
        height = min(width * max(0.55, min(1.3, content_h / max(content_w, 1.0))), layout.map.h * 0.42)
        best = min(free, key=lambda c: box_score(main, corner_box(main, c, width, height), country_shape, symbols))
        free.remove(best)
        x0, y0, _, _ = corner_box(main, best, width, height)
        insets.append((inset, Box(x0, y0, width, height)))
    width, height = FURNITURE_SIZE
    best = min(
        free, key=lambda c: box_score(main, corner_box(main, c, width, height, FURNITURE_INSET), country_shape, symbols)
    )
    x0, y0, _, _ = corner_box(main, best, width, height, FURNITURE_INSET)
    return Corners(insets, Box(x0, y0, width, height))


def draw_symbols(page: PageCanvas, symbols, clip: Box, zorder: float, gid: str) -> None:
    """The proportional symbols ``symbols`` (:func:`.framecontent.symbol_items`), clipped to ``clip``."""
    collection = symbols_collection(
        [(x, y, d, counts) for x, y, d, counts, _ in symbols], page.mm, zorder=zorder, gid=gid
    )
    page.clip(collection, clip)
    page.add(collection)


def _draw_furniture(
    page: PageCanvas, model: CountryMap, main: Frame, box: Box, typo: Typography
) -> tuple[ScaleBar, float]:
    """The scale bar (true at the centre of the map) and the north arrow (true north at the centre) on a
    light box; returns the scale bar and the north angle."""
    bar = scale_bar(model.proj, main.centre, main.metres_per_mm, target_mm=26.0)
    page.rect(
        box.x, box.y, box.w, box.h, gid="echelle-fond", facecolor="#ffffff", alpha=0.85, edgecolor="none", zorder=19
    )
    draw_scale_bar(page.fig, page.mm, box.x + 2.5, box.y + 5.4, bar, typo.furniture, model.lang)
    north = model.proj.north_angle(*main.centre)
    draw_north_arrow(page.fig, page.mm, box.x1 - 5.5, box.y + box.h / 2.0, north, 7.0, typo.furniture)
    return bar, north


def _draw_inset(
    page: PageCanvas, model: CountryMap, inset: InsetModel, box: Box, scale: SymbolScale, typo: Typography
) -> tuple[Frame, list[PlacedLabel], list[tuple]]:
    """A remote part of the country in ``box``, in its own projection, with its caption, scale bar,
    symbols and labels; returns its frame, its labels (placed, not drawn) and its symbols' boxes."""
    lang = model.lang
    extent, _ = fit_extent(inset.bounds, box.w, box.h, margin_mm=INSET_MARGIN, min_size_m=50_000.0)
    frame = Frame(inset.proj, extent, box)
    draw_background(FrameCanvas(page, frame, INSET_Z, "encart", lw=0.5), model.world, model.country.code)
    symbols = symbol_items(model, frame, inset.group.points, scale)
    if symbols:
        draw_symbols(page, symbols, box, INSET_Z + 5, "symboles-encart")
    boxes = symbol_boxes(symbols)
    caption = f"{inset.name} ({TEXTS('inset_scale', lang)})" if inset.name else TEXTS("inset_scale", lang)
    caption_w, caption_h = text_size(caption, typo.furniture)
    caption_box = (box.x, box.y1 - caption_h - 1.6, box.x + caption_w + 2.4, box.y1)
    page.rect(
        caption_box[0],
        caption_box[1],
        caption_w + 2.4,
        caption_h + 1.6,
        facecolor="#ffffff",
        alpha=0.85,
        edgecolor="none",
        zorder=INSET_Z + 8,
        gid="encart-titre",
    )
    page.text(
        box.x + 1.2,
        box.y1 - 0.8,
        caption,
        typo.furniture,
        ha="left",
        va="top",
        zorder=INSET_Z + 8.5,
        gid="encart-titre",
    )
    bar = scale_bar(inset.proj, frame.centre, frame.metres_per_mm, target_mm=min(14.0, box.w * 0.35))
    draw_scale_bar(
        page.fig,
        page.mm,
        box.x + 2.0,
        box.y + 1.6,
        bar,
        typo.furniture * 0.85,
        lang,
        caption=False,
        gid="echelle-encart",
        zorder=INSET_Z + 8,
    )
    labels: list[PlacedLabel] = []
    if model.options.labels and symbols:
        bar_box = (box.x, box.y, box.x + bar.length_mm + 12.0, box.y + 6.0)
        obstacles = np.vstack([np.array(boxes), np.array([caption_box, bar_box])])
        labels = place_labels(partner_specs(model, symbols, typo), obstacles, box.shrink(0.8).bounds)
    return frame, labels, boxes


def draw_labels(page: PageCanvas, labels: list[PlacedLabel], base_z: float) -> None:
    """The placed labels, partners above the names of places (countries, admin-1); ``base_z``: the
    z-order of the frame (0 for the main frame and the GeoTIFF's, :data:`INSET_Z` in an inset)."""
    for placed in labels:
        spec = placed.spec
        page.text(
            placed.cx,
            placed.cy,
            spec.text,
            spec.size,
            weight=spec.weight,
            style=spec.style,
            color=spec.colour,
            ha="center",
            va="center",
            zorder=base_z + (12 if spec.kind == "partner" else 4),
            gid=LABEL_GIDS[spec.kind],
        )


def _draw_nothing_to_show(page: PageCanvas, model: CountryMap, layout: PageLayout) -> None:
    """ "No project nor request matches", in a box at the centre of the map."""
    box, size = layout.map, layout.typography.subtitle
    lines = wrap_text(TEXTS("empty", model.lang), min(box.w * 0.7, 110.0), size, "bold")
    page.text(
        box.x + box.w / 2,
        box.y + box.h / 2,
        "\n".join(lines),
        size,
        weight="bold",
        ha="center",
        va="center",
        zorder=25,
        linespacing=1.3,
        gid="aucun-projet",
        bbox=dict(boxstyle="round,pad=0.6", facecolor="#ffffff", edgecolor="#888888", linewidth=0.5),
    )


def draw_credits(page: PageCanvas, model: CountryMap, layout: PageLayout) -> None:
    """The credits from the top of their box, the SYNTHETIC-data notice in bold red."""
    typo, box = layout.typography, layout.credits
    y = box.y1
    for line, style in credits_wrapped(model, box.w, typo):
        notice = style == "notice"
        page.text(
            box.x,
            y,
            line,
            typo.credits,
            weight="bold" if notice else "normal",
            ha="left",
            va="top",
            color=NOTICE_COLOUR if notice else "#444444",
            gid="avertissement" if notice else "credits",
        )
        y -= typo.credits * PT * 1.3
