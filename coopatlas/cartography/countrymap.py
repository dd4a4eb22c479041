"""The map of one country's decentralised cooperation, at print quality (process ``carte-pays``).

:func:`build_country_map` reads what the map shows (:mod:`.data`) and decides its geography: the
country's main extent, its insets and its projection (:mod:`.projection`). :func:`draw_map_page` draws
the page on a matplotlib :class:`~matplotlib.figure.Figure` (object-oriented API only: no pyplot, a
server renders in threads): title and subtitle (the criteria in words), the map frame (sea, neighbours
in grey, the country, admin-1 names at their GeoNames points, the partner places as proportional symbols split by
type, their names placed without collisions), insets for remote parts, the scale bar (true at the
centre) and north arrow (true north at the centre), the legend with counts, the locator map (the country
in its continent), the table of the main partnerships and the credits (sources and licences, the
SYNTHETIC-data notice on demo data, the date of the data, the projection). In PDF the complete table
of the partnerships follows on annex pages (:mod:`.annex`). :func:`render_country_map` returns the bytes
of one format (:mod:`.export`).

Units: geographic coordinates EPSG:4326 degrees; map coordinates metres of the map's projection; page
coordinates millimetres from the lower-left corner of the page.
"""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np
import shapely
from matplotlib.figure import Figure
from matplotlib.patches import Circle, PathPatch, Rectangle
from matplotlib.path import Path
from matplotlib.transforms import Affine2D, Bbox, TransformedBbox

from .. import vocabulary as voc
from ..data.reference import attributions
from ..documents.formats import long_date, number
from ..documents.notices import atlas_metadata, data_notice
from ..documents.texts import TEXTS as SHARED
from ..stats import describe
from ..store import Store
from . import export
from .annex import annex_pdf
from .basemap import background, line_path, polygon_path
from .data import TYPES, CountryData, country_data
from .fonts import font
from .furniture import ScaleBar, draw_north_arrow, draw_scale_bar, scale_bar
from .geography import Country, World, unwrap_lon
from .geography import world as load_world
from .labels import LabelSpec, PlacedLabel, ellipsize, place_labels, text_size, wrap_text
from .layout import TYPOGRAPHY, Box, PageLayout, Typography, choose_layout
from .options import MapOptions
from .projection import CountrySplit, MapProjection, PartGroup, choose_projection, fit_extent, split_country
from .symbols import SymbolScale, symbols_collection
from .texts import TEXTS, plural
from .typeset import PageText

SEA = voc.PALETTE["mer"]
LAND = voc.PALETTE["voisins"]
COUNTRY_FILL = "#ffffff"
COUNTRY_EDGE = "#4a4a4a"
BORDER = "#ffffff"
INK = "#222222"
GREY_TEXT = "#6e6e6e"
NOTICE_COLOUR = "#a50f15"
LOCATOR_RED = "#b2182b"
PT = 25.4 / 72.0  # mm per point

# --- the model of a map (no drawing) ---------------------------------------------------------------------

@dataclass
class Frame:
    """A map frame: ``extent`` (xmin, ymin, xmax, ymax, map metres of ``proj``) drawn in ``box`` (mm)."""

    proj: MapProjection
    extent: tuple[float, float, float, float]
    box: Box

    @property
    def metres_per_mm(self) -> float:
        return (self.extent[2] - self.extent[0]) / self.box.w

    @property
    def centre(self) -> tuple[float, float]:
        return ((self.extent[0] + self.extent[2]) / 2.0, (self.extent[1] + self.extent[3]) / 2.0)

    def to_mm(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        s = self.metres_per_mm
        return (self.box.x + (np.asarray(x) - self.extent[0]) / s, self.box.y + (np.asarray(y) - self.extent[1]) / s)

    def box_to_map(self, b) -> tuple[float, float, float, float]:
        """A page box (x0, y0, x1, y1 mm) in map metres."""
        s = self.metres_per_mm
        return (self.extent[0] + (b[0] - self.box.x) * s, self.extent[1] + (b[1] - self.box.y) * s,
                self.extent[0] + (b[2] - self.box.x) * s, self.extent[1] + (b[3] - self.box.y) * s)


@dataclass
class InsetModel:
    group: PartGroup
    proj: MapProjection
    bounds: tuple[float, float, float, float]  # content, map metres
    name: str | None


@dataclass
class CountryMap:
    """Everything a country map shows, decided before drawing."""

    options: MapOptions
    country: Country
    data: CountryData
    split: CountrySplit
    proj: MapProjection
    bounds: tuple[float, float, float, float]  # content of the main frame, map metres
    insets: list[InsetModel]
    meta: dict
    title: str
    subtitle: str
    generated: dt.date
    world: World = field(repr=False)

    @property
    def lang(self) -> str:
        return self.options.lang


@dataclass
class RenderInfo:
    """What was drawn, for callers and tests: frames, scale bar, north angle, labels."""

    layout: PageLayout | None = None
    main: Frame | None = None
    insets: list[Frame] = field(default_factory=list)
    scale_bar: ScaleBar | None = None
    north_angle: float | None = None
    labels: list[PlacedLabel] = field(default_factory=list)
    table_rows_on_page: int = 0
    pages: int = 1
    symbol_boxes: np.ndarray | None = None


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


def build_country_map(store: Store, options: MapOptions, world: World | None = None,
                      data: CountryData | None = None, meta: dict | None = None) -> CountryMap:
    """The model of the map of ``options.country`` (data read from ``store``)."""
    world = world or load_world()
    country = options.country
    lang = options.lang
    if data is None:
        data = country_data(store, options.criteria, country.code, lang)
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
    title = options.title or TEXTS("default_title", lang, country=name)
    crit = options.criteria.merge(pays=())
    if options.subtitle:
        subtitle = options.subtitle
    elif crit.is_empty():
        subtitle = TEXTS("default_subtitle_all", lang)
    else:
        subtitle = describe(store, crit, lang)
    return CountryMap(options, country, data, split, proj, tuple(bounds), insets, meta, title, subtitle,
                      dt.date.today(), world)


# --- text blocks ---------------------------------------------------------------------------------------------

def _title_lines(model: CountryMap, width: float, typo: Typography) -> tuple[list[str], list[str]]:
    t = wrap_text(model.title, width, typo.title, "bold", max_lines=2)
    s = wrap_text(model.subtitle, width, typo.subtitle, max_lines=3)
    return t, s


def _title_height(model: CountryMap, width: float, typo: Typography) -> float:
    t, s = _title_lines(model, width, typo)
    return len(t) * typo.title * PT * 1.18 + len(s) * typo.subtitle * PT * 1.3 + 2.0


def credit_lines(model: CountryMap) -> list[tuple[str, str]]:
    """The credits of the map: ``[(text, style)]`` with style ``notice`` or ``normal``."""
    lang = model.lang
    out = []
    meta = model.meta or {}
    notice = data_notice(meta, lang)["avertissement"]
    if notice:
        out.append((notice, "notice"))
    gen = long_date(model.generated.isoformat(), lang)
    d = long_date(meta.get("date_donnees"), lang)
    out.append((TEXTS("made_with_data_date", lang, d=d, g=gen) if d else TEXTS("made_without_data_date", lang, g=gen), "normal"))
    out.append((TEXTS("sources_line", lang, s=(" ; " if lang != "en" else "; ").join(
        a.rstrip(".") for a in attributions(lang))), "normal"))
    out.append((TEXTS("projection", lang, p=model.proj.describe(lang)), "normal"))
    if model.world.admin1(model.country.code) and model.options.labels:
        out.append((TEXTS("admin1_note", lang), "normal"))  # also when none fits: no boundary is drawn either
    if model.split.omitted:
        out.append((TEXTS("omitted", lang, n=len(model.split.omitted)), "normal"))
    if model.split.outside_points:
        out.append((TEXTS("outside", lang, n=len(model.split.outside_points)), "normal"))
    return out


def _credits_wrapped(model: CountryMap, width: float, typo: Typography) -> list[tuple[str, str]]:
    lines = []
    for text, style in credit_lines(model):
        weight = "bold" if style == "notice" else "normal"
        for ln in wrap_text(text, width, typo.credits, weight):
            lines.append((ln, style))
    return lines


def _credits_height(model: CountryMap, width: float, typo: Typography) -> float:
    return len(_credits_wrapped(model, width, typo)) * typo.credits * PT * 1.3 + 1.0


def layout_for(model: CountryMap) -> PageLayout:
    """The page layout of a model: its orientation (``auto``: from the country's shape) and panel side."""
    o = model.options
    typo = TYPOGRAPHY[o.paper]
    b = model.bounds
    w, h = max(b[2] - b[0], 20_000.0), max(b[3] - b[1], 20_000.0)
    return choose_layout(o.paper, None if o.orientation == "auto" else o.orientation, w, h,
                         lambda width: _title_height(model, width, typo),
                         lambda width: _credits_height(model, width, typo))


# --- drawing helpers --------------------------------------------------------------------------------------------

def mm_transform(fig: Figure):
    """The transform from page millimetres to display units of ``fig``."""
    return Affine2D().scale(1.0 / 25.4) + fig.dpi_scale_trans


class FrameCanvas:
    """Draws one map frame straight on the figure (no matplotlib Axes: lighter), in map metres.

    ``trans`` maps map metres to the page (via millimetres); everything added is clipped to the frame's
    box; ``z`` is the frame's base z-order (an inset is drawn above the main frame's symbols and labels).
    """

    def __init__(self, fig: Figure, MM, frame: Frame, z: float = 0.0, gid: str = "carte", lw: float = 0.6,
                 border: bool = True):
        self.fig, self.MM, self.frame, self.z = fig, MM, frame, z
        e, b, s = frame.extent, frame.box, frame.metres_per_mm
        self.trans = Affine2D().translate(-e[0], -e[1]).scale(1.0 / s).translate(b.x, b.y) + MM
        self.clip = TransformedBbox(Bbox.from_extents(*b.bounds), MM)
        sea = Rectangle((b.x, b.y), b.w, b.h, transform=MM, facecolor=SEA, edgecolor="none", zorder=z + 0.5)
        sea.set_gid(gid)
        fig.add_artist(sea)
        if border:
            line = Rectangle((b.x, b.y), b.w, b.h, transform=MM, facecolor="none", edgecolor="#333333",
                             linewidth=lw, zorder=z + 9.9)
            line.set_gid(gid + "-cadre")
            fig.add_artist(line)

    def add(self, artist, z: float, gid: str | None = None):
        """Add ``artist`` (in map metres) at z-order ``z`` above the frame's base."""
        artist.set_transform(self.trans)
        artist.set_clip_box(self.clip)
        artist.set_zorder(self.z + z)
        if gid:
            artist.set_gid(gid)
        self.fig.add_artist(artist)
        return artist


def _draw_background(canvas: FrameCanvas, world: World, code: str, fine: bool = True):
    """Neighbours (grey, white borders) and the country (white, dark outline) in the canvas's frame;
    polygons cut along the antimeridian get their outline without the cut. Returns the background."""
    frame = canvas.frame
    resolution = frame.metres_per_mm * (0.12 if fine else 0.3)
    bg = background(world, frame.proj, frame.extent, resolution)
    mine = bg.codes == code
    styles = ((~mine, LAND, BORDER, 0.45, 1.0, "voisins"), (mine, COUNTRY_FILL, COUNTRY_EDGE, 0.6, 2.0, "pays"))
    for sel, face, edge, lw, z, gid in styles:
        for seam, ec in ((False, edge), (True, "none")):
            path = polygon_path(bg.geoms[sel & (bg.seam == seam)])
            if path is not None:
                canvas.add(PathPatch(path, facecolor=face, edgecolor=ec, linewidth=lw), z, gid)
    for is_mine, edge, lw, z in ((False, BORDER, 0.45, 1.1), (True, COUNTRY_EDGE, 0.6, 2.1)):
        sel = (bg.outline_codes == code) if is_mine else (bg.outline_codes != code)
        path = line_path(bg.outlines[sel]) if len(bg.outlines) else None
        if path is not None:
            canvas.add(PathPatch(path, facecolor="none", edgecolor=edge, linewidth=lw), z,
                       "pays" if is_mine else "voisins")
    return bg


def _clip(artist, box: Box, trans):
    artist.set_clip_box(TransformedBbox(Bbox.from_extents(*box.bounds), trans))


def _symbol_items(model: CountryMap, frame: Frame, idx: list[int], scale: SymbolScale):
    """``[(x_mm, y_mm, diameter_mm, counts, place_index)]`` of the places ``idx`` in ``frame``, largest first."""
    if not idx:
        return []
    pl = [model.data.places[i] for i in idx]
    x, y = frame.proj.forward([p.lon for p in pl], [p.lat for p in pl])
    X, Y = frame.to_mm(x, y)
    items = [(float(X[k]), float(Y[k]), scale.diameter(p.total), p.counts, i) for k, (i, p) in enumerate(zip(idx, pl))]
    items.sort(key=lambda t: -t[2])
    return items


def _box_score(frame: Frame, box, country_map_geom, items) -> float:
    """How much a page box (mm) of the frame hides: mm² of the country plus 60 mm² per symbol."""
    mb = frame.box_to_map(box)
    area = shapely.area(shapely.intersection(country_map_geom, shapely.box(*mb))) / frame.metres_per_mm ** 2
    n = sum(1 for x, y, d, _, _ in items if box[0] - d / 2 < x < box[2] + d / 2 and box[1] - d / 2 < y < box[3] + d / 2)
    return float(area) + 60.0 * n


def _corner_box(frame: Frame, corner: str, w: float, h: float, inset: float = 0.0):
    b = frame.box
    x0 = b.x + inset if "left" in corner else b.x1 - inset - w
    y0 = b.y + inset if "bottom" in corner else b.y1 - inset - h
    return (x0, y0, x0 + w, y0 + h)


CORNERS = ("bottom left", "bottom right", "top left", "top right")
#: z-order base of the insets: above everything of the main frame (symbols 5, labels 12, furniture 20).
INSET_Z = 30.0


# --- the page ----------------------------------------------------------------------------------------------------

def _text(fig, MM, x, y, s, size, *, weight="normal", style="normal", gid=None, **kw):
    """A text at ``(x, y)`` mm of the page, in the maps' font (:mod:`.fonts`): a :class:`PageText`, or a
    matplotlib :class:`~matplotlib.text.Text` for a text in a box (``bbox``)."""
    kw.setdefault("color", INK)
    if "bbox" in kw:
        t = fig.text(x, y, s, transform=MM, fontproperties=font(size, weight, style, s), **kw)
        if gid:
            t.set_gid(gid)
        return t
    t = PageText(MM, x, y, s, size, weight=weight, style=style, color=kw.pop("color"), ha=kw.pop("ha", "left"),
                 va=kw.pop("va", "baseline"), linespacing=kw.pop("linespacing", 1.25), zorder=kw.pop("zorder", 3.0),
                 gid=gid)
    if kw:
        raise TypeError(f"unsupported text options {sorted(kw)}")
    fig.add_artist(t)
    return t


def _box_rect(fig, MM, x, y, w, h, gid=None, **kw):
    r = Rectangle((x, y), w, h, transform=MM, **kw)
    if gid:
        r.set_gid(gid)
    fig.add_artist(r)
    return r


def draw_map_page(fig: Figure, model: CountryMap, layout: PageLayout, annex_first_page: int | None = None,
                  page_label: str | None = None, in_atlas: bool = False) -> RenderInfo:
    """Draw the map page of ``model`` on ``fig`` (sized to the page of ``layout``). ``annex_first_page``:
    the page where the complete table starts (PDF); ``in_atlas``: a page of an atlas (no annex)."""
    info = RenderInfo(layout=layout)
    lang = model.lang
    typo = layout.typography
    paper = model.options.paper
    W, H = layout.width, layout.height
    fig.set_size_inches(W / 25.4, H / 25.4)
    MM = mm_transform(fig)

    # title block
    tl, sl = _title_lines(model, layout.title.w, typo)
    y = layout.title.y1
    for ln in tl:
        _text(fig, MM, layout.title.x, y, ln, typo.title, weight="bold", ha="left", va="top", gid="title")
        y -= typo.title * PT * 1.18
    y -= 0.6
    for ln in sl:
        _text(fig, MM, layout.title.x, y, ln, typo.subtitle, ha="left", va="top", color="#444444", gid="subtitle")
        y -= typo.subtitle * PT * 1.3

    # main frame
    extent, mpm = fit_extent(model.bounds, layout.map.w, layout.map.h, margin_mm=7.0)
    main = Frame(model.proj, extent, layout.map)
    info.main = main
    canvas = FrameCanvas(fig, MM, main, 0.0, "carte")
    main_bg = _draw_background(canvas, model.world, model.country.code)
    scale = SymbolScale(max([p.total for p in model.data.places], default=1), paper)
    items = _symbol_items(model, main, model.split.main.points, scale)
    country_geom = shapely.simplify(model.proj.project(model.split.main.geometry), mpm * 0.5)

    # insets, then the scale bar and north arrow, in the corners that hide the least
    free = list(CORNERS)
    reserved: list[tuple] = []
    inset_boxes = []
    main_area = max(model.split.main.area_km2, 1e-6)
    for im in model.insets:
        bw, bh = im.bounds[2] - im.bounds[0], im.bounds[3] - im.bounds[1]
        frac = min(0.3, max(0.17, 0.16 + 0.25 * math.sqrt(im.group.area_km2 / main_area)))
        w = layout.map.w * frac
        h = min(w * max(0.55, min(1.3, bh / max(bw, 1.0))), layout.map.h * 0.42)
        best = min(free, key=lambda c: _box_score(main, _corner_box(main, c, w, h), country_geom, items))
        free.remove(best)
        bx = _corner_box(main, best, w, h)
        inset_boxes.append((im, Box(bx[0], bx[1], w, h)))
        reserved.append(bx)
    fw, fh = 50.0, 14.0
    corner = min(free, key=lambda c: _box_score(main, _corner_box(main, c, fw, fh, 1.5), country_geom, items))
    fbox = _corner_box(main, corner, fw, fh, 1.5)
    reserved.append(fbox)

    # symbols of the main frame (largest first)
    if items:
        coll = symbols_collection([(x, y_, d, c) for x, y_, d, c, _ in items], MM, zorder=5, gid="symboles")
        _clip(coll, layout.map, MM)
        fig.add_artist(coll)
    sym_boxes = [(x - d / 2, y_ - d / 2, x + d / 2, y_ + d / 2) for x, y_, d, _, _ in items]

    # scale bar (true at the centre) and north arrow (true north at the centre)
    bar = scale_bar(model.proj, main.centre, main.metres_per_mm, target_mm=26.0)
    info.scale_bar = bar
    _box_rect(fig, MM, fbox[0], fbox[1], fw, fh, gid="echelle-fond", facecolor="#ffffff", alpha=0.85,
              edgecolor="none", zorder=19)
    draw_scale_bar(fig, MM, fbox[0] + 2.5, fbox[1] + 5.4, bar, typo.furniture, lang)
    info.north_angle = model.proj.north_angle(*main.centre)
    draw_north_arrow(fig, MM, fbox[2] - 5.5, fbox[1] + fh / 2.0, info.north_angle, 7.0, typo.furniture)

    # insets: their own projection, scale bar, symbols and labels
    labels: list[PlacedLabel] = []
    inset_labels: list[PlacedLabel] = []
    all_boxes = list(sym_boxes)
    for im, ibox in inset_boxes:
        ext, _ = fit_extent(im.bounds, ibox.w, ibox.h, margin_mm=3.0, min_size_m=50_000.0)
        fr = Frame(im.proj, ext, ibox)
        info.insets.append(fr)
        icanvas = FrameCanvas(fig, MM, fr, INSET_Z, "encart", lw=0.5)
        _draw_background(icanvas, model.world, model.country.code)
        it = _symbol_items(model, fr, im.group.points, scale)
        if it:
            coll = symbols_collection([(x, y_, d, c) for x, y_, d, c, _ in it], MM, zorder=INSET_Z + 5,
                                      gid="symboles-encart")
            _clip(coll, ibox, MM)
            fig.add_artist(coll)
        iboxes = [(x - d / 2, y_ - d / 2, x + d / 2, y_ + d / 2) for x, y_, d, _, _ in it]
        all_boxes.extend(iboxes)
        cap = f"{im.name} ({TEXTS('inset_scale', lang)})" if im.name else TEXTS("inset_scale", lang)
        cw, ch = text_size(cap, typo.furniture)
        _box_rect(fig, MM, ibox.x, ibox.y1 - ch - 1.6, cw + 2.4, ch + 1.6, facecolor="#ffffff", alpha=0.85,
                  edgecolor="none", zorder=INSET_Z + 8, gid="encart-titre")
        _text(fig, MM, ibox.x + 1.2, ibox.y1 - 0.8, cap, typo.furniture, ha="left", va="top", zorder=INSET_Z + 8.5,
              gid="encart-titre")
        ibar = scale_bar(im.proj, fr.centre, fr.metres_per_mm, target_mm=min(14.0, ibox.w * 0.35))
        draw_scale_bar(fig, MM, ibox.x + 2.0, ibox.y + 1.6, ibar, typo.furniture * 0.85, lang, caption=False,
                       gid="echelle-encart", zorder=INSET_Z + 8)
        if model.options.labels and it:
            keep_out = np.array([(ibox.x, ibox.y1 - ch - 1.6, ibox.x + cw + 2.4, ibox.y1),
                                 (ibox.x, ibox.y, ibox.x + ibar.length_mm + 12.0, ibox.y + 6.0)])
            inset_labels += place_labels(_partner_specs(model, it, typo), np.vstack([np.array(iboxes), keep_out]),
                                         ibox.shrink(0.8).bounds)

    # labels of the main frame: partners first, then the neighbouring countries, then admin-1 names
    if model.options.labels:
        specs = _partner_specs(model, items, typo) + _country_specs(model, main, typo, main_bg) + \
            _admin1_specs(model, main, typo)
        obst = np.vstack([np.array(sym_boxes).reshape(-1, 4), np.array(reserved).reshape(-1, 4)])
        labels += place_labels(specs, obst, layout.map.shrink(0.8).bounds)
    for group, base in ((labels, 0.0), (inset_labels, INSET_Z)):
        for pl in group:
            s = pl.spec
            _text(fig, MM, pl.cx, pl.cy, s.text, s.size, weight=s.weight, style=s.style, color=s.colour,
                  ha="center", va="center", zorder=base + (12 if s.kind == "partner" else 4),
                  gid={"partner": "etiquettes", "admin1": "etiquettes-admin1", "country": "etiquettes-pays"}[s.kind])
    info.labels = labels + inset_labels
    info.symbol_boxes = np.array(all_boxes).reshape(-1, 4)

    if model.data.empty:
        c = layout.map
        lines = wrap_text(TEXTS("empty", lang), min(c.w * 0.7, 110.0), typo.subtitle, "bold")
        _text(fig, MM, c.x + c.w / 2, c.y + c.h / 2, "\n".join(lines), typo.subtitle, weight="bold", ha="center",
              va="center", zorder=25, linespacing=1.3, gid="aucun-projet",
              bbox=dict(boxstyle="round,pad=0.6", facecolor="#ffffff", edgecolor="#888888", linewidth=0.5))

    # panel: legend, locator, table of the main partnerships
    _draw_panel(fig, MM, model, layout, scale, info, annex_first_page, in_atlas)

    # credits
    y = layout.credits.y1
    for line, style in _credits_wrapped(model, layout.credits.w, typo):
        notice = style == "notice"
        _text(fig, MM, layout.credits.x, y, line, typo.credits, weight="bold" if notice else "normal", ha="left",
              va="top", color=NOTICE_COLOUR if notice else "#444444", gid="avertissement" if notice else "credits")
        y -= typo.credits * PT * 1.3
    if page_label:
        _text(fig, MM, W - 8.0, 3.5, page_label, typo.credits, ha="right", va="bottom", color="#666666", gid="page")
    return info


def _partner_specs(model: CountryMap, items, typo: Typography) -> list[LabelSpec]:
    """Labels of the places ``items`` (as :func:`_symbol_items` returns them), most projects first; the ten
    largest places are labelled larger and bold."""
    order = sorted(range(len(items)), key=lambda k: (-model.data.places[items[k][4]].total,
                                                      model.data.places[items[k][4]].label))
    totals = [model.data.places[items[k][4]].total for k in order]
    major = totals[min(len(totals) - 1, 9)] if totals else 0
    specs = []
    for k in order:
        x, y, d, _, i = items[k]
        place = model.data.places[i]
        big = place.total >= max(major, 2)
        size = typo.label_major if big else typo.label
        weight = "bold" if big else "normal"
        specs.append(LabelSpec(ellipsize(place.label, 42.0, size, weight), x, y, d / 2.0, size, weight, "normal",
                               INK, "around", k, "partner"))
    return specs


def _admin1_specs(model: CountryMap, frame: Frame, typo: Typography) -> list[LabelSpec]:
    """Names of the country's admin-1 divisions, centred on their GeoNames points (seat or centre)."""
    seats = model.world.admin1(model.country.code)[:80]
    if not seats:
        return []
    lon = unwrap_lon([a.lon for a in seats], frame.proj.lon0)
    x, y = frame.proj.forward(lon, [a.lat for a in seats])
    X, Y = frame.to_mm(x, y)
    b = frame.box
    return [LabelSpec(a.nom, float(xx), float(yy), 0.0, typo.admin1, "normal", "italic", GREY_TEXT, "centre", None,
                      "admin1")
            for a, xx, yy in zip(seats, X, Y) if np.isfinite(xx) and b.x <= xx <= b.x1 and b.y <= yy <= b.y1]


def _country_specs(model: CountryMap, frame: Frame, typo: Typography, bg=None) -> list[LabelSpec]:
    """Names of the neighbouring countries, on the largest visible part of each (≥ 150 mm² of paper);
    ``bg``: the frame's background if already computed."""
    if bg is None:
        bg = background(model.world, frame.proj, frame.extent, frame.metres_per_mm * 0.5)
    ext = shapely.box(*frame.extent)
    best: dict[str, tuple[float, object]] = {}
    for g, code in zip(bg.geoms, bg.codes):
        if code == model.country.code:
            continue
        vis = shapely.intersection(g, ext)
        for part in shapely.get_parts(np.asarray([vis])):
            if part.geom_type == "Polygon" and part.area > best.get(code, (0.0, None))[0]:
                best[code] = (part.area, part)
    out = []
    for code, (area, part) in sorted(best.items(), key=lambda kv: -kv[1][0]):
        c = model.world.countries.get(code)
        if c is None or area / frame.metres_per_mm ** 2 < 150.0:
            continue
        p = part.representative_point()
        X, Y = frame.to_mm(p.x, p.y)
        out.append(LabelSpec(c.name(model.lang).upper(), float(X), float(Y), 0.0, typo.country, "normal", "normal",
                             "#8c8c8c", "centre", None, "country"))
    return out


# --- panel ------------------------------------------------------------------------------------------------------

def _draw_panel(fig, MM, model: CountryMap, layout: PageLayout, scale: SymbolScale, info: RenderInfo,
                annex_first_page: int | None, in_atlas: bool = False) -> None:
    p = layout.panel
    typo = layout.typography
    admin1 = any(pl.spec.kind == "admin1" for pl in info.labels)
    if layout.panel_side == "right":
        used = _draw_legend(fig, MM, model, p, scale, typo, admin1)
        loc_h = min(p.w * 0.8, 54.0)
        loc_box = Box(p.x, p.y1 - used - 4.0 - loc_h, p.w, loc_h)
        _draw_locator(fig, MM, model, loc_box, info.main, layout)
        table_box = Box(p.x, p.y, p.w, loc_box.y - 4.0 - p.y)
    else:
        lw = min(62.0, p.w * 0.3)
        _draw_legend(fig, MM, model, Box(p.x, p.y, lw, p.h), scale, typo, admin1)
        loc_w = min(p.h * (1.15 if p.w > 250 else 0.95), 74.0)
        loc_box = Box(p.x + lw + 4.0, p.y, loc_w, p.h)
        _draw_locator(fig, MM, model, loc_box, info.main, layout)
        table_box = Box(loc_box.x1 + 5.0, p.y, p.x1 - loc_box.x1 - 5.0, p.h)
    info.table_rows_on_page = _draw_page_table(fig, MM, model, table_box, typo, annex_first_page, in_atlas)


def _draw_legend(fig, MM, model: CountryMap, box: Box, scale: SymbolScale, typo: Typography,
                 admin1_shown: bool = False) -> float:
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

    _text(fig, MM, x, y, TEXTS("legend", lang), typo.heading, weight="bold", ha="left", va="top", gid="legende")
    y -= typo.heading * PT * 1.25 + 1.2
    entries = [(t, plural(data.totals.get(t, 0), "n_projects", lang)) for t in TYPES[:2]]
    if data.requests_shown:
        entries.append(("demande_cooperation", plural(data.totals.get("demande_cooperation", 0), "n_requests", lang)))
    sep = ": " if lang == "en" else " : "
    for t_, count in entries:
        ls = lines(f"{voc.TYPES_ACTION.label(t_, lang)}{sep}{count}", tw)
        y -= line / 2
        fig.add_artist(symbols_collection([(x + d / 2 + 0.2, y, d, {t_: 1})], MM, zorder=6, gid="legende"))
        for i, ln in enumerate(ls):
            _text(fig, MM, tx, y - i * line, ln, size, ha="left", va="center", gid="legende")
        y -= line * (len(ls) - 1) + line / 2 + 0.3
    if not data.requests_shown:
        crit = model.options.criteria
        msg = (TEXTS("requests_off", lang, names=", ".join(data.requests_not_applied)) if data.requests_not_applied
               else TEXTS("requests_excluded", lang) if crit.excludes("demandes") else None)
        if msg:
            for ln in lines(msg, box.w, size * 0.9):
                y -= line * 0.9
                _text(fig, MM, x, y + line * 0.45, ln, size * 0.9, ha="left", va="center", color="#555555",
                      gid="legende")
    if data.places:
        # a place with several types
        counts = {"cooperation_decentralisee": 2, "action_exterieure": 1}
        if data.requests_shown:
            counts["demande_cooperation"] = 1
        ls = lines(TEXTS("several", lang), tw)
        y -= line / 2 + 0.3
        fig.add_artist(symbols_collection([(x + d / 2 + 0.2, y, d + 0.8, counts)], MM, zorder=6, gid="legende"))
        for i, ln in enumerate(ls):
            _text(fig, MM, tx, y - i * line, ln, size, ha="left", va="center", gid="legende")
        y -= line * (len(ls) - 1) + line / 2 + 1.2
        # sizes: circles side by side, bottoms aligned, their count below
        vals = scale.legend_values(max(p.total for p in data.places), min_gap_mm=0.6)
        for ln in lines(TEXTS("sizes", lang), box.w, size, "bold"):
            y -= line / 2
            _text(fig, MM, x, y, ln, size, weight="bold", ha="left", va="center", gid="legende")
            y -= line / 2
        dmax = scale.diameter(vals[-1])
        base = y - 0.8 - dmax
        cx = x
        for v in vals:
            dv = scale.diameter(v)
            c = Circle((cx + dv / 2, base + dv / 2), dv / 2, transform=MM, facecolor="#ffffff", edgecolor="#3a3a3a",
                       linewidth=0.4)
            c.set_gid("legende-tailles")
            fig.add_artist(c)
            _text(fig, MM, cx + dv / 2, base - 0.6, number(v, lang), size * 0.9, ha="center", va="top",
                  gid="legende-tailles")
            cx += max(dv, text_size(number(v, lang), size * 0.9)[0]) + 3.0
        y = base - 0.6 - size * 0.9 * PT * 1.2 - 1.0
    # areas
    for face, edge, label in ((COUNTRY_FILL, COUNTRY_EDGE, model.country.name(lang)),
                              (LAND, "#bbbbbb", TEXTS("neighbours", lang)), (SEA, "#bbbbbb", TEXTS("sea", lang))):
        y -= line / 2
        _box_rect(fig, MM, x, y - 1.3, 4.2, 2.6, facecolor=face, edgecolor=edge, linewidth=0.4, gid="legende")
        _text(fig, MM, tx, y, ellipsize(label, tw, size), size, ha="left", va="center", gid="legende")
        y -= line / 2 + 0.3
    if admin1_shown:
        ls = lines(TEXTS("admin1_key", lang), box.w - 9.0)
        y -= line / 2
        _text(fig, MM, x, y, TEXTS("name", lang), typo.admin1, style="italic", ha="left", va="center", color=GREY_TEXT,
              gid="legende")
        for i, ln in enumerate(ls):
            _text(fig, MM, x + 9.0, y - i * line, ln, size, ha="left", va="center", gid="legende")
        y -= line * (len(ls) - 1) + line / 2
    y -= 1.2
    for ln in lines(TEXTS("partners", lang, p=number(data.n_partners, lang), c=number(data.n_collectivites, lang)),
                    box.w, size, "bold"):
        y -= line / 2
        _text(fig, MM, x, y, ln, size, weight="bold", ha="left", va="center", gid="legende")
        y -= line / 2
    return box.y1 - y


def _draw_locator(fig, MM, model: CountryMap, box: Box, main: Frame, layout: PageLayout) -> None:
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
    fx = np.concatenate([np.linspace(ex[0], ex[2], n), np.full(n, ex[2]), np.linspace(ex[2], ex[0], n),
                         np.full(n, ex[0])])
    fy = np.concatenate([np.full(n, ex[1]), np.linspace(ex[1], ex[3], n), np.full(n, ex[3]),
                         np.linspace(ex[3], ex[1], n)])
    lon, lat = main.proj.inverse(fx, fy)
    gx, gy = proj.forward(lon, lat)
    fin = np.isfinite(gx) & np.isfinite(gy)
    allx = np.concatenate([x[ok], gx[fin], [0.0]])
    ally = np.concatenate([y[ok], gy[fin], [0.0]])
    ext, _ = fit_extent((allx.min(), ally.min(), allx.max(), ally.max()), box.w, box.h, margin_mm=2.5,
                        min_size_m=1_500_000.0)
    fr = Frame(proj, ext, box)
    canvas = FrameCanvas(fig, MM, fr, 0.0, "situation", lw=0.5)
    bg = background(world, proj, ext, fr.metres_per_mm * 0.3)
    same = np.isin(bg.codes, members)
    for sel, face in ((~same, "#efefef"), (same & (bg.codes != country.code), "#cdcdcd"),
                      (bg.codes == country.code, LOCATOR_RED)):
        path = polygon_path(bg.geoms[sel])
        if path is not None:
            canvas.add(PathPatch(path, facecolor=face, edgecolor="#ffffff", linewidth=0.2), 1.0, "situation")
    outline = Path(np.column_stack([gx[fin], gy[fin]]))
    canvas.add(PathPatch(outline, facecolor="none", edgecolor=LOCATOR_RED, linewidth=0.7), 3.0, "situation")
    # a country too small to see: a ring around it
    cb = shapely.bounds(proj.project(country.geometry))
    if max(cb[2] - cb[0], cb[3] - cb[1]) / fr.metres_per_mm < 2.0:
        cx_, cy_ = proj.forward([anchor[0]], [anchor[1]])
        canvas.add(Circle((cx_[0], cy_[0]), 2.2 * fr.metres_per_mm, facecolor="none", edgecolor=LOCATOR_RED,
                          linewidth=0.8), 3.0, "situation")
    typo = layout.typography
    cw, ch = text_size(TEXTS("locator", model.lang), typo.furniture)
    _box_rect(fig, MM, box.x, box.y1 - ch - 1.4, cw + 2.2, ch + 1.4, facecolor="#ffffff", alpha=0.85,
              edgecolor="none", zorder=5, gid="situation")
    _text(fig, MM, box.x + 1.1, box.y1 - 0.7, TEXTS("locator", model.lang), typo.furniture, ha="left", va="top",
          zorder=6, gid="situation")


# --- the table on the page ---------------------------------------------------------------------------------------

def _coll_text(row, limit: int | None = None) -> str:
    items = row.collectivites if limit is None else row.collectivites[:limit]
    s = ", ".join(f"{name} ({n})" for name, n in items)
    rest = len(row.collectivites) - len(items)
    if rest > 0:
        s += f" +{rest}"
    return s or "—"


def _draw_page_table(fig, MM, model: CountryMap, box: Box, typo: Typography, annex_first_page: int | None,
                     in_atlas: bool = False) -> int:
    """The main partnerships, as many rows as fit in ``box``; returns the number of rows drawn."""
    lang = model.lang
    rows = model.data.rows
    if box.h < 18.0 or box.w < 45.0:
        return 0
    size = typo.table
    line = size * PT * 1.3
    x, y = box.x, box.y1
    _text(fig, MM, x, y, TEXTS("table_title", lang), typo.heading, weight="bold", ha="left", va="top", gid="tableau")
    y -= typo.heading * PT * 1.25 + 1.2
    if not rows:
        _text(fig, MM, x, y, TEXTS("table_none", lang), size, ha="left", va="top", gid="tableau")
        return 0
    wn = 11.0
    wp = (box.w - wn) * 0.42
    wc = box.w - wn - wp - 1.5
    xc = x + wp + 1.0
    head_h = line + 0.6
    _box_rect(fig, MM, x, y - head_h, box.w, head_h, facecolor="#e8e8e8", edgecolor="none", gid="tableau")
    for cx, cw, key, ha in ((x + 0.5, wp, "col_partner", "left"), (xc + 0.5, wc, "col_coll", "left"),
                            (box.x1 - 0.5, wn, "col_n", "right")):
        _text(fig, MM, cx, y - head_h / 2, ellipsize(TEXTS(key, lang), cw - 1.0, size, "bold"), size, weight="bold",
              ha=ha, va="center", gid="tableau")
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
            _box_rect(fig, MM, x, y - h, box.w, h, facecolor="#f4f4f4", edgecolor="none", gid="tableau")
        for j, ln in enumerate(partner):
            _text(fig, MM, x + 0.5, y - 0.25 - (j + 0.5) * line, ln, size, ha="left", va="center", gid="tableau")
        for j, ln in enumerate(coll):
            _text(fig, MM, xc + 0.5, y - 0.25 - (j + 0.5) * line, ln, size, ha="left", va="center", color="#333333",
                  gid="tableau")
        n = str(row.projects) + (f" + {row.requests} {TEXTS('req_short', lang)}" if row.requests else "")
        _text(fig, MM, box.x1 - 0.5, y - 0.25 - 0.5 * line, n, size, ha="right", va="center", gid="tableau")
        y -= h
        drawn += 1
    rest = len(rows) - drawn
    if rest > 0:
        n = number(rest, lang)
        msg = (TEXTS("table_more_pdf", lang, n=n, p=annex_first_page) if annex_first_page
               else TEXTS("table_more_atlas", lang, n=n) if in_atlas else TEXTS("table_more", lang, n=n))
        for j, ln in enumerate(wrap_text(msg, box.w, size * 0.95)):
            _text(fig, MM, x, y - 0.8 - j * line, ln, size * 0.95, style="italic", ha="left", va="top",
                  color="#444444", gid="tableau")
    return drawn


# --- one map, one format ---------------------------------------------------------------------------------------

def map_figure(model: CountryMap, layout: PageLayout | None = None, dpi: float = 72,
               annex_first_page: int | None = None, page_label: str | None = None,
               in_atlas: bool = False) -> tuple[Figure, RenderInfo]:
    """The map page of ``model`` as a new :class:`Figure` (``dpi`` only matters for raster output)."""
    layout = layout or layout_for(model)
    fig = Figure(figsize=(layout.width / 25.4, layout.height / 25.4), dpi=dpi)
    info = draw_map_page(fig, model, layout, annex_first_page, page_label, in_atlas)
    return fig, info


def geotiff_figure(model: CountryMap, layout: PageLayout | None = None, dpi: int = 150
                   ) -> tuple[Figure, Frame, RenderInfo]:
    """The main frame alone (no inset, no furniture), sized to whole pixels at ``dpi``, for a GeoTIFF.

    The frame has the page's map-frame size; its extent is set so that pixels are square and the image is
    exactly the extent: the upper-left corner of pixel (0, 0) is (xmin, ymax) of the extent.
    """
    layout = layout or layout_for(model)
    box = layout.map
    wpx = max(1, int(round(box.w / 25.4 * dpi)))
    hpx = max(1, int(round(box.h / 25.4 * dpi)))
    wmm, hmm = wpx / dpi * 25.4, hpx / dpi * 25.4
    ext, _ = fit_extent(model.bounds, wmm, hmm, margin_mm=7.0)
    fig = Figure(figsize=(wpx / dpi, hpx / dpi), dpi=dpi)
    fbox = Box(0.0, 0.0, wmm, hmm)
    frame = Frame(model.proj, ext, fbox)
    MM = mm_transform(fig)
    fig.patch.set_facecolor(SEA)
    canvas = FrameCanvas(fig, MM, frame, 0.0, "carte", border=False)
    bg = _draw_background(canvas, model.world, model.country.code)
    scale = SymbolScale(max([p.total for p in model.data.places], default=1), model.options.paper)
    items = _symbol_items(model, frame, model.split.main.points, scale)
    if items:
        fig.add_artist(symbols_collection([(x, y, d, c) for x, y, d, c, _ in items], MM, zorder=5, gid="symboles"))
    info = RenderInfo(layout=layout, main=frame)
    info.symbol_boxes = np.array([(x - d / 2, y - d / 2, x + d / 2, y + d / 2) for x, y, d, _, _ in items]
                                 ).reshape(-1, 4)
    if model.options.labels:
        typo = layout.typography
        specs = _partner_specs(model, items, typo) + _country_specs(model, frame, typo, bg) + \
            _admin1_specs(model, frame, typo)
        info.labels = place_labels(specs, info.symbol_boxes, fbox.shrink(0.5).bounds)
        for pl in info.labels:
            s = pl.spec
            _text(fig, MM, pl.cx, pl.cy, s.text, s.size, weight=s.weight, style=s.style, color=s.colour,
                  ha="center", va="center", zorder=12)
    return fig, frame, info


def document_metadata(model: CountryMap) -> dict:
    """Title, subject (with the SYNTHETIC notice on demo data), creator and keywords of the file."""
    notice = data_notice(model.meta or {}, model.lang)["avertissement"]
    return {"Title": model.title, "Subject": model.subtitle + (f" — {notice}" if notice else ""),
            "Creator": "CoopAtlas (GPL-3.0-or-later)", "Author": "CoopAtlas",
            "Keywords": f"coopération décentralisée; {model.country.nom_fr}; {model.country.code}"}


def annex_for(model: CountryMap, first_page: int, total_pages: int | None = None) -> tuple[bytes, int]:
    """The annex pages of ``model`` (complete table of the partnerships) and their number."""
    from reportlab.lib.units import mm

    from .layout import page_size
    w, h = page_size(model.options.paper, "portrait")
    notice = data_notice(model.meta or {}, model.lang)
    return annex_pdf(model.data, country=model.country.name(model.lang), subtitle=model.subtitle,
                     notice=notice["avertissement"], synthetic=notice["synthetique"], pagesize=(w * mm, h * mm),
                     first_page=first_page, total_pages=total_pages, lang=model.lang,
                     footer=f"CoopAtlas · {model.title}")


def country_pdf(model: CountryMap, layout: PageLayout | None = None) -> tuple[bytes, RenderInfo]:
    """The PDF of a country map: the map page, then the complete table on annex pages."""
    layout = layout or layout_for(model)
    if model.data.rows:
        annex, n = annex_for(model, 2)
    else:
        annex, n = None, 0
    total = 1 + n
    fig, info = map_figure(model, layout, annex_first_page=2 if n else None,
                           page_label=SHARED("page", model.lang, n=1, total=total) if n else None)
    page = export.pdf_bytes([fig], document_metadata(model))
    info.pages = total
    if not annex:
        return page, info
    return export.merge_pdfs([page, annex], document_metadata(model)), info


def render_country_map(store: Store, options: MapOptions, world: World | None = None
                       ) -> tuple[bytes, RenderInfo]:
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
