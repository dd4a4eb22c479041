"""The panel of a map page, beside or below the map: the legend (types with their counts, a place with
several types, the symbol sizes, the areas), the locator map (the country in its continent) and the
table of the main partnerships (as many rows as fit; the complete table is in the PDF's annex).

Page coordinates are millimetres from the lower-left corner of the page.
"""

from __future__ import annotations

import numpy as np
import shapely
from matplotlib.patches import Circle, PathPatch
from matplotlib.path import Path

from .. import vocabulary as voc
from ..documents.formats import number
from .basemap import background, polygon_path
from .canvas import COUNTRY_EDGE, COUNTRY_FILL, GREY_TEXT, LAND, LOCATOR_RED, PT, SEA, FrameCanvas, PageCanvas
from .data import TYPES
from .labels import ellipsize, text_size, wrap_text
from .layout import Box, PageLayout, Typography
from .model import CountryMap, Frame, RenderInfo
from .projection import MapProjection, fit_extent
from .symbols import SymbolScale, symbols_collection
from .texts import TEXTS, plural


def draw_panel(
    page: PageCanvas,
    model: CountryMap,
    layout: PageLayout,
    scale: SymbolScale,
    info: RenderInfo,
    annex_first_page: int | None,
    in_atlas: bool = False,
) -> None:
    """The legend, the locator map and the table of the main partnerships in the panel of ``layout``
    (stacked when the panel is on the right, side by side when it is below the map)."""
    p = layout.panel
    typo = layout.typography
    admin1 = any(pl.spec.kind == "admin1" for pl in info.labels)
    if layout.panel_side == "right":
        used = draw_legend(page, model, p, scale, typo, admin1)
        loc_h = min(p.w * 0.8, 54.0)
        loc_box = Box(p.x, p.y1 - used - 4.0 - loc_h, p.w, loc_h)
        draw_locator(page, model, loc_box, info.main, layout)
        table_box = Box(p.x, p.y, p.w, loc_box.y - 4.0 - p.y)
    else:
        lw = min(62.0, p.w * 0.3)
        draw_legend(page, model, Box(p.x, p.y, lw, p.h), scale, typo, admin1)
        loc_w = min(p.h * (1.15 if p.w > 250 else 0.95), 74.0)
        loc_box = Box(p.x + lw + 4.0, p.y, loc_w, p.h)
        draw_locator(page, model, loc_box, info.main, layout)
        table_box = Box(loc_box.x1 + 5.0, p.y, p.x1 - loc_box.x1 - 5.0, p.h)
    info.table_rows_on_page = draw_page_table(page, model, table_box, typo, annex_first_page, in_atlas)


def draw_legend(
    page: PageCanvas, model: CountryMap, box: Box, scale: SymbolScale, typo: Typography, admin1_shown: bool = False
) -> float:
    """Draw the legend from the top of ``box``; returns the height used (mm). ``admin1_shown``: admin-1
    names were placed on the map (their key is then given)."""
    lang = model.lang
    data = model.data
    size = typo.legend
    line = size * PT * 1.45
    x, y = box.x, box.y1
    d = 3.2
    tx = x + d + 2.2
    tw = box.w - d - 2.2

    def lines(s, width, sz=size, weight="normal"):
        return wrap_text(s, width, sz, weight)

    page.text(x, y, TEXTS("legend", lang), typo.heading, weight="bold", ha="left", va="top", gid="legende")
    y -= typo.heading * PT * 1.25 + 1.2
    if model.options.period:  # the period mapped, before the counts it gives
        for ln in lines(TEXTS("legend_period", lang, period=model.options.period.label(lang)), box.w, size, "bold"):
            y -= line / 2
            page.text(x, y, ln, size, weight="bold", ha="left", va="center", gid="legende-periode")
            y -= line / 2
    entries = [(t, plural(data.totals.get(t, 0), "n_projects", lang)) for t in TYPES[:2]]
    if data.requests_shown:
        entries.append(("demande_cooperation", plural(data.totals.get("demande_cooperation", 0), "n_requests", lang)))
    sep = ": " if lang == "en" else " : "
    for t_, count in entries:
        ls = lines(f"{voc.TYPES_ACTION.label(t_, lang)}{sep}{count}", tw)
        y -= line / 2
        page.add(symbols_collection([(x + d / 2 + 0.2, y, d, {t_: 1})], page.mm, zorder=6, gid="legende"))
        for i, ln in enumerate(ls):
            page.text(tx, y - i * line, ln, size, ha="left", va="center", gid="legende")
        y -= line * (len(ls) - 1) + line / 2 + 0.3
    if not data.requests_shown:
        crit = model.options.criteria
        msg = (
            TEXTS("requests_off", lang, names=", ".join(data.requests_not_applied))
            if data.requests_not_applied
            else TEXTS("requests_excluded", lang)
            if crit.excludes("demandes")
            else None
        )
        if msg:
            for ln in lines(msg, box.w, size * 0.9):
                y -= line * 0.9
                page.text(x, y + line * 0.45, ln, size * 0.9, ha="left", va="center", color="#555555", gid="legende")
    if data.places:
        # a place with several types
        counts = {"cooperation_decentralisee": 2, "action_exterieure": 1}
        if data.requests_shown:
            counts["demande_cooperation"] = 1
        ls = lines(TEXTS("several", lang), tw)
        y -= line / 2 + 0.3
        page.add(symbols_collection([(x + d / 2 + 0.2, y, d + 0.8, counts)], page.mm, zorder=6, gid="legende"))
        for i, ln in enumerate(ls):
            page.text(tx, y - i * line, ln, size, ha="left", va="center", gid="legende")
        y -= line * (len(ls) - 1) + line / 2 + 1.2
        # sizes: circles side by side, bottoms aligned, their count below
        vals = scale.legend_values(max(p.total for p in data.places), min_gap_mm=0.6)
        for ln in lines(TEXTS("sizes", lang), box.w, size, "bold"):
            y -= line / 2
            page.text(x, y, ln, size, weight="bold", ha="left", va="center", gid="legende")
            y -= line / 2
        dmax = scale.diameter(vals[-1])
        base = y - 0.8 - dmax
        cx = x
        for v in vals:
            dv = scale.diameter(v)
            c = Circle(
                (cx + dv / 2, base + dv / 2),
                dv / 2,
                transform=page.mm,
                facecolor="#ffffff",
                edgecolor="#3a3a3a",
                linewidth=0.4,
            )
            c.set_gid("legende-tailles")
            page.add(c)
            page.text(
                cx + dv / 2, base - 0.6, number(v, lang), size * 0.9, ha="center", va="top", gid="legende-tailles"
            )
            cx += max(dv, text_size(number(v, lang), size * 0.9)[0]) + 3.0
        y = base - 0.6 - size * 0.9 * PT * 1.2 - 1.0
    # areas
    for face, edge, label in (
        (COUNTRY_FILL, COUNTRY_EDGE, model.country.name(lang)),
        (LAND, "#bbbbbb", TEXTS("neighbours", lang)),
        (SEA, "#bbbbbb", TEXTS("sea", lang)),
    ):
        y -= line / 2
        page.rect(x, y - 1.3, 4.2, 2.6, facecolor=face, edgecolor=edge, linewidth=0.4, gid="legende")
        page.text(tx, y, ellipsize(label, tw, size), size, ha="left", va="center", gid="legende")
        y -= line / 2 + 0.3
    if admin1_shown:
        ls = lines(TEXTS("admin1_key", lang), box.w - 9.0)
        y -= line / 2
        page.text(
            x,
            y,
            TEXTS("name", lang),
            typo.admin1,
            style="italic",
            ha="left",
            va="center",
            color=GREY_TEXT,
            gid="legende",
        )
        for i, ln in enumerate(ls):
            page.text(x + 9.0, y - i * line, ln, size, ha="left", va="center", gid="legende")
        y -= line * (len(ls) - 1) + line / 2
    y -= 1.2
    for ln in lines(
        TEXTS("partners", lang, p=number(data.n_partners, lang), c=number(data.n_collectivites, lang)),
        box.w,
        size,
        "bold",
    ):
        y -= line / 2
        page.text(x, y, ln, size, weight="bold", ha="left", va="center", gid="legende")
        y -= line / 2
    return box.y1 - y


def draw_locator(page: PageCanvas, model: CountryMap, box: Box, main: Frame, layout: PageLayout) -> None:
    """The country in its continent: an equal-area map centred on the country (the anchors of the
    continent's countries within 6 500 km set its extent), the main frame outlined in red."""
    world = model.world
    country = model.country
    anchor = world.anchors[country.code]
    proj = MapProjection("laea", round(anchor[0] * 2) / 2, max(-89.5, min(89.5, round(anchor[1] * 2) / 2)))
    members = [c.code for c in world.in_continent(country.continent)] if country.continent else [country.code]
    pts = np.array([world.anchors[c] for c in members if c in world.anchors])
    x, y = proj.forward(pts[:, 0], pts[:, 1])
    ok = np.isfinite(x) & np.isfinite(y) & (np.hypot(x, y) < 6_500_000)
    ex = main.extent
    n = 24
    fx = np.concatenate(
        [np.linspace(ex[0], ex[2], n), np.full(n, ex[2]), np.linspace(ex[2], ex[0], n), np.full(n, ex[0])]
    )
    fy = np.concatenate(
        [np.full(n, ex[1]), np.linspace(ex[1], ex[3], n), np.full(n, ex[3]), np.linspace(ex[3], ex[1], n)]
    )
    lon, lat = main.proj.inverse(fx, fy)
    gx, gy = proj.forward(lon, lat)
    fin = np.isfinite(gx) & np.isfinite(gy)
    allx = np.concatenate([x[ok], gx[fin], [0.0]])
    ally = np.concatenate([y[ok], gy[fin], [0.0]])
    ext, _ = fit_extent(
        (allx.min(), ally.min(), allx.max(), ally.max()), box.w, box.h, margin_mm=2.5, min_size_m=1_500_000.0
    )
    fr = Frame(proj, ext, box)
    canvas = FrameCanvas(page, fr, 0.0, "situation", lw=0.5)
    bg = background(world, proj, ext, fr.metres_per_mm * 0.3)
    same = np.isin(bg.codes, members)
    for sel, face in (
        (~same, "#efefef"),
        (same & (bg.codes != country.code), "#cdcdcd"),
        (bg.codes == country.code, LOCATOR_RED),
    ):
        path = polygon_path(bg.geoms[sel])
        if path is not None:
            canvas.add(PathPatch(path, facecolor=face, edgecolor="#ffffff", linewidth=0.2), 1.0, "situation")
    outline = Path(np.column_stack([gx[fin], gy[fin]]))
    canvas.add(PathPatch(outline, facecolor="none", edgecolor=LOCATOR_RED, linewidth=0.7), 3.0, "situation")
    # a country too small to see: a ring around it
    cb = shapely.bounds(proj.project(country.geometry))
    if max(cb[2] - cb[0], cb[3] - cb[1]) / fr.metres_per_mm < 2.0:
        cx_, cy_ = proj.forward([anchor[0]], [anchor[1]])
        canvas.add(
            Circle((cx_[0], cy_[0]), 2.2 * fr.metres_per_mm, facecolor="none", edgecolor=LOCATOR_RED, linewidth=0.8),
            3.0,
            "situation",
        )
    typo = layout.typography
    cw, ch = text_size(TEXTS("locator", model.lang), typo.furniture)
    page.rect(
        box.x,
        box.y1 - ch - 1.4,
        cw + 2.2,
        ch + 1.4,
        facecolor="#ffffff",
        alpha=0.85,
        edgecolor="none",
        zorder=5,
        gid="situation",
    )
    page.text(
        box.x + 1.1,
        box.y1 - 0.7,
        TEXTS("locator", model.lang),
        typo.furniture,
        ha="left",
        va="top",
        zorder=6,
        gid="situation",
    )


# --- the table on the page ---------------------------------------------------------------------------------------


def _coll_text(row, limit: int | None = None) -> str:
    items = row.collectivites if limit is None else row.collectivites[:limit]
    s = ", ".join(f"{name} ({n})" for name, n in items)
    rest = len(row.collectivites) - len(items)
    if rest > 0:
        s += f" +{rest}"
    return s or "—"


def draw_page_table(
    page: PageCanvas,
    model: CountryMap,
    box: Box,
    typo: Typography,
    annex_first_page: int | None,
    in_atlas: bool = False,
) -> int:
    """The main partnerships, as many rows as fit in ``box``; returns the number of rows drawn."""
    lang = model.lang
    rows = model.data.rows
    if box.h < 18.0 or box.w < 45.0:
        return 0
    size = typo.table
    line = size * PT * 1.3
    x, y = box.x, box.y1
    page.text(x, y, TEXTS("table_title", lang), typo.heading, weight="bold", ha="left", va="top", gid="tableau")
    y -= typo.heading * PT * 1.25 + 1.2
    if not rows:
        page.text(x, y, TEXTS("table_none", lang), size, ha="left", va="top", gid="tableau")
        return 0
    wn = 11.0
    wp = (box.w - wn) * 0.42
    wc = box.w - wn - wp - 1.5
    xc = x + wp + 1.0
    head_h = line + 0.6
    page.rect(x, y - head_h, box.w, head_h, facecolor="#e8e8e8", edgecolor="none", gid="tableau")
    for cx, cw, key, ha in (
        (x + 0.5, wp, "col_partner", "left"),
        (xc + 0.5, wc, "col_coll", "left"),
        (box.x1 - 0.5, wn, "col_n", "right"),
    ):
        page.text(
            cx,
            y - head_h / 2,
            ellipsize(TEXTS(key, lang), cw - 1.0, size, "bold"),
            size,
            weight="bold",
            ha=ha,
            va="center",
            gid="tableau",
        )
    y -= head_h + 0.4
    footer_h = line * 2.4
    drawn = 0
    for k, row in enumerate(rows):
        partner = wrap_text(row.partner, wp - 1.0, size, max_lines=2)
        coll = wrap_text(_coll_text(row, 3), wc - 1.0, size, max_lines=2)
        h = max(len(partner), len(coll)) * line + 0.5
        if y - h < box.y + (footer_h if k < len(rows) - 1 else 0.0):
            break
        if k % 2 == 1:
            page.rect(x, y - h, box.w, h, facecolor="#f4f4f4", edgecolor="none", gid="tableau")
        for j, ln in enumerate(partner):
            page.text(x + 0.5, y - 0.25 - (j + 0.5) * line, ln, size, ha="left", va="center", gid="tableau")
        for j, ln in enumerate(coll):
            page.text(
                xc + 0.5, y - 0.25 - (j + 0.5) * line, ln, size, ha="left", va="center", color="#333333", gid="tableau"
            )
        n = str(row.projects) + (f" + {row.requests} {TEXTS('req_short', lang)}" if row.requests else "")
        page.text(box.x1 - 0.5, y - 0.25 - 0.5 * line, n, size, ha="right", va="center", gid="tableau")
        y -= h
        drawn += 1
    rest = len(rows) - drawn
    if rest > 0:
        n = number(rest, lang)
        msg = (
            TEXTS("table_more_pdf", lang, n=n, p=annex_first_page)
            if annex_first_page
            else TEXTS("table_more_atlas", lang, n=n)
            if in_atlas
            else TEXTS("table_more", lang, n=n)
        )
        for j, ln in enumerate(wrap_text(msg, box.w, size * 0.95)):
            page.text(
                x,
                y - 0.8 - j * line,
                ln,
                size * 0.95,
                style="italic",
                ha="left",
                va="top",
                color="#444444",
                gid="tableau",
            )
    return drawn
