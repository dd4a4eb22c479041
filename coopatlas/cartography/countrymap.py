"""The map of one country's decentralised cooperation, at print quality (process ``carte-pays``).

:func:`build_country_map` reads what the map shows (:mod:`.data`) and decides its geography (the model,
:mod:`.model`): the country's main extent, its insets and its projection (:mod:`.projection`).
:func:`.mappage.draw_map_page` draws the page on a matplotlib :class:`~matplotlib.figure.Figure`
(object-oriented API only: no pyplot, a server renders in threads): title and subtitle (the criteria in
words), the map frame (sea, neighbours in grey, the country, admin-1 names at their GeoNames points, the
partner places as proportional symbols split by type, their names placed without collisions), insets
for remote parts, the scale bar (true at the centre) and north arrow (true north at the centre), the
legend with counts, the locator map (the country in its continent), the table of the main partnerships
and the credits (sources and licences, the SYNTHETIC-data notice on demo data, the date of the data,
the projection); :mod:`.panel` draws the legend, the locator and the table, with :mod:`.canvas`,
:mod:`.framecontent` and :mod:`.textblocks`. In PDF the complete table of the partnerships follows on
annex pages (:mod:`.annex`). :func:`render_country_map` returns the bytes of one format (:mod:`.export`).

Units: geographic coordinates EPSG:4326 degrees; map coordinates metres of the map's projection; page
coordinates millimetres from the lower-left corner of the page.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import shapely
from matplotlib.figure import Figure
from reportlab.lib.units import mm

from ..documents.notices import atlas_metadata, data_notice
from ..documents.texts import TEXTS
from ..stats import describe
from ..store import Store
from . import export
from .annex import annex_pdf
from .canvas import SEA, FrameCanvas, PageCanvas, draw_background
from .data import CountryData, country_data
from .framecontent import admin1_specs, country_specs, partner_specs, symbol_boxes, symbol_items
from .geography import Country, World, unwrap_lon
from .geography import world as load_world
from .labels import place_labels
from .layout import Box, PageLayout, page_size
from .mappage import MM_PER_INCH, draw_labels, draw_map_page
from .model import CountryMap, Frame, InsetModel, RenderInfo
from .options import MapOptions
from .projection import PartGroup, choose_projection, fit_extent, split_country
from .symbols import SymbolScale, symbols_collection
from .textblocks import layout_for
from .texts import TEXTS as MAP_TEXTS


def _place_lonlat(data: CountryData) -> np.ndarray:
    return np.array([[p.lon, p.lat] for p in data.places], dtype=float).reshape(-1, 2)


def _name_group(world: World, country: Country, group: PartGroup, lon_ref: float) -> str | None:
    """The name of a remote group of the country: its nearest admin-1 point within 1.5° (GeoNames points
    are the seat of the division, or its centre: the Azores' falls between the islands)."""
    seats = world.admin1(country.code)
    if not seats:
        return None
    pts = shapely.points(unwrap_lon([a.lon for a in seats], lon_ref), [a.lat for a in seats])
    d = shapely.distance(group.geometry, pts)  # degrees: a rough test is enough here
    i = int(np.argmin(d))
    return seats[i].nom if d[i] < 1.5 else None


def build_country_map(
    store: Store,
    options: MapOptions,
    world: World | None = None,
    data: CountryData | None = None,
    meta: dict | None = None,
) -> CountryMap:
    """The model of the map of ``options.country`` (data read from ``store``)."""
    world = world or load_world()
    country = options.country
    lang = options.lang
    if data is None:
        data = country_data(store, options.criteria, country.code, lang, options.period)
    pts = _place_lonlat(data)
    split = split_country(country.geometry, pts)
    main_geom = split.main.geometry
    proj = choose_projection(main_geom, split.lon_ref)
    pgeom = proj.project(main_geom)
    bounds = list(pgeom.bounds)
    if split.main.points:
        mp = pts[split.main.points]
        x, y = proj.forward(mp[:, 0], mp[:, 1])
        bounds = [min(bounds[0], x.min()), min(bounds[1], y.min()), max(bounds[2], x.max()), max(bounds[3], y.max())]
    insets = []
    for g in split.insets:
        ip = choose_projection(g.geometry, split.lon_ref)
        b = list(ip.project(g.geometry).bounds)
        if g.points:
            gp = pts[g.points]
            x, y = ip.forward(gp[:, 0], gp[:, 1])
            b = [min(b[0], x.min()), min(b[1], y.min()), max(b[2], x.max()), max(b[3], y.max())]
        insets.append(InsetModel(g, ip, tuple(b), _name_group(world, country, g, split.lon_ref)))
    if meta is None:
        meta = atlas_metadata(store)
    name = country.name(lang)
    if options.title:
        title = options.title
    elif options.period:
        title = MAP_TEXTS("default_title_period", lang, country=name, period=options.period.label(lang))
    else:
        title = MAP_TEXTS("default_title", lang, country=name)
    crit = options.criteria.merge(pays=())
    if options.subtitle:
        subtitle = options.subtitle
    elif crit.is_empty():
        subtitle = MAP_TEXTS("default_subtitle_all", lang)
    else:
        subtitle = describe(store, crit, lang)
    return CountryMap(
        options, country, data, split, proj, tuple(bounds), insets, meta, title, subtitle, dt.date.today(), world
    )


# --- one map, one format ---------------------------------------------------------------------------------------


def map_figure(
    model: CountryMap,
    layout: PageLayout | None = None,
    dpi: float = 72,
    annex_first_page: int | None = None,
    page_label: str | None = None,
    in_atlas: bool = False,
) -> tuple[Figure, RenderInfo]:
    """The map page of ``model`` as a new :class:`Figure` (``dpi`` only matters for raster output)."""
    layout = layout or layout_for(model)
    fig = Figure(figsize=(layout.width / 25.4, layout.height / 25.4), dpi=dpi)
    info = draw_map_page(fig, model, layout, annex_first_page, page_label, in_atlas)
    return fig, info


def geotiff_figure(
    model: CountryMap, layout: PageLayout | None = None, dpi: int = 150
) -> tuple[Figure, Frame, RenderInfo]:
    """The main frame alone (no inset, no furniture), sized to whole pixels at ``dpi``, for a GeoTIFF.

    The frame has the page's map-frame size; its extent is set so that pixels are square and the image is
    exactly the extent: the upper-left corner of pixel (0, 0) is (xmin, ymax) of the extent.
    """
    layout = layout or layout_for(model)
    width_px = max(1, int(round(layout.map.w / MM_PER_INCH * dpi)))
    height_px = max(1, int(round(layout.map.h / MM_PER_INCH * dpi)))
    width_mm, height_mm = width_px / dpi * MM_PER_INCH, height_px / dpi * MM_PER_INCH
    extent, _ = fit_extent(model.bounds, width_mm, height_mm, margin_mm=7.0)
    fig = Figure(figsize=(width_px / dpi, height_px / dpi), dpi=dpi)
    box = Box(0.0, 0.0, width_mm, height_mm)
    frame = Frame(model.proj, extent, box)
    page = PageCanvas(fig)
    fig.patch.set_facecolor(SEA)
    bg = draw_background(FrameCanvas(page, frame, 0.0, "carte", border=False), model.world, model.country.code)
    scale = SymbolScale(max([p.total for p in model.data.places], default=1), model.options.paper)
    symbols = symbol_items(model, frame, model.split.main.points, scale)
    if symbols:
        page.add(symbols_collection([(x, y, d, c) for x, y, d, c, _ in symbols], page.mm, zorder=5, gid="symboles"))
    info = RenderInfo(layout=layout, main=frame)
    info.symbol_boxes = np.array(symbol_boxes(symbols)).reshape(-1, 4)
    if model.options.labels:
        typo = layout.typography
        specs = (
            partner_specs(model, symbols, typo)
            + country_specs(model, frame, typo, bg)
            + admin1_specs(model, frame, typo)
        )
        info.labels = place_labels(specs, info.symbol_boxes, box.shrink(0.5).bounds)
        draw_labels(page, info.labels, 0.0)
    return fig, frame, info


def document_metadata(model: CountryMap) -> dict:
    """Title, subject (with the SYNTHETIC notice on demo data), creator and keywords of the file."""
    notice = data_notice(model.meta or {}, model.lang)["avertissement"]
    return {
        "Title": model.title,
        "Subject": model.subtitle + (f" — {notice}" if notice else ""),
        "Creator": "CoopAtlas (GPL-3.0-or-later)",
        "Author": "CoopAtlas",
        "Keywords": f"coopération décentralisée; {model.country.nom_fr}; {model.country.code}",
    }


def annex_for(model: CountryMap, first_page: int, total_pages: int | None = None) -> tuple[bytes, int]:
    """The annex pages of ``model`` (complete table of the partnerships) and their number."""
    w, h = page_size(model.options.paper, "portrait")
    notice = data_notice(model.meta or {}, model.lang)
    return annex_pdf(
        model.data,
        country=model.country.name(model.lang),
        subtitle=model.subtitle,
        notice=notice["avertissement"],
        synthetic=notice["synthetique"],
        pagesize=(w * mm, h * mm),
        first_page=first_page,
        total_pages=total_pages,
        lang=model.lang,
        footer=f"CoopAtlas · {model.title}",
    )


def country_pdf(model: CountryMap, layout: PageLayout | None = None) -> tuple[bytes, RenderInfo]:
    """The PDF of a country map: the map page, then the complete table on annex pages."""
    layout = layout or layout_for(model)
    if model.data.rows:
        annex, n = annex_for(model, 2)
    else:
        annex, n = None, 0
    total = 1 + n
    fig, info = map_figure(
        model,
        layout,
        annex_first_page=2 if n else None,
        page_label=TEXTS("page", model.lang, n=1, total=total) if n else None,
    )
    page = export.pdf_bytes([fig], document_metadata(model))
    info.pages = total
    if not annex:
        return page, info
    return export.merge_pdfs([page, annex], document_metadata(model)), info


def render_country_map(store: Store, options: MapOptions, world: World | None = None) -> tuple[bytes, RenderInfo]:
    """The map of ``options`` in ``options.format``: ``(bytes, info)``.

    PDF: the map page then the complete table of the partnerships on annex pages; SVG and PNG: the map
    page (with the main partnerships); GeoTIFF: the main frame, georeferenced in the map's projection.
    """
    model = build_country_map(store, options, world)
    layout = layout_for(model)
    fmt = options.format
    if fmt == "pdf":
        return country_pdf(model, layout)
    if fmt == "svg":
        fig, info = map_figure(model, layout)
        return export.svg_bytes(fig, model.title), info
    if fmt == "png":
        fig, info = map_figure(model, layout, dpi=options.dpi)
        return export.png_bytes(fig, options.dpi, document_metadata(model)), info
    if fmt == "geotiff":
        fig, frame, info = geotiff_figure(model, layout, options.dpi)
        return export.geotiff_bytes(fig, options.dpi, model.proj.crs, frame.extent, document_metadata(model)), info
    raise ValueError(f"unknown format {fmt!r}")
