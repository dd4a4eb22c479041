"""Drawing on a map page: :class:`PageCanvas` (texts and boxes placed in millimetres of the page) and
:class:`FrameCanvas` (a map frame drawn in metres of its projection, clipped to its box), the colours
of the maps, and the background of a frame (the neighbours in grey, the country in white).

Straight on a matplotlib :class:`~matplotlib.figure.Figure` (no Axes: lighter; object-oriented API
only: a server renders in threads). Page coordinates are millimetres from the lower-left corner.
"""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.transforms import Affine2D, Bbox, TransformedBbox

from .. import vocabulary as voc
from .basemap import background, line_path, polygon_path
from .fonts import font
from .geography import World
from .layout import Box
from .model import Frame
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


def mm_transform(fig: Figure):
    """The transform from page millimetres to display units of ``fig``."""
    return Affine2D().scale(1.0 / 25.4) + fig.dpi_scale_trans


class PageCanvas:
    """The page of ``fig``: artists placed in millimetres (``mm`` is the transform from page millimetres
    to the figure's display units)."""

    def __init__(self, fig: Figure):
        self.fig = fig
        self.mm = mm_transform(fig)

    def add(self, artist):
        """Add ``artist`` (already in page millimetres) to the page."""
        self.fig.add_artist(artist)
        return artist

    def text(self, x, y, s, size, *, weight="normal", style="normal", gid=None, **kw):
        """A text at ``(x, y)`` mm of the page, in the maps' font (:mod:`.fonts`): a :class:`PageText`, or a
        matplotlib :class:`~matplotlib.text.Text` for a text in a box (``bbox``)."""
        kw.setdefault("color", INK)
        if "bbox" in kw:
            t = self.fig.text(x, y, s, transform=self.mm, fontproperties=font(size, weight, style, s), **kw)
            if gid:
                t.set_gid(gid)
            return t
        t = PageText(
            self.mm,
            x,
            y,
            s,
            size,
            weight=weight,
            style=style,
            color=kw.pop("color"),
            ha=kw.pop("ha", "left"),
            va=kw.pop("va", "baseline"),
            linespacing=kw.pop("linespacing", 1.25),
            zorder=kw.pop("zorder", 3.0),
            gid=gid,
        )
        if kw:
            raise TypeError(f"unsupported text options {sorted(kw)}")
        return self.add(t)

    def rect(self, x, y, w, h, gid=None, **kw):
        """A rectangle of ``w`` × ``h`` mm with its lower-left corner at ``(x, y)``."""
        r = Rectangle((x, y), w, h, transform=self.mm, **kw)
        if gid:
            r.set_gid(gid)
        return self.add(r)

    def clip(self, artist, box: Box) -> None:
        """Clip ``artist`` to ``box`` of the page."""
        artist.set_clip_box(TransformedBbox(Bbox.from_extents(*box.bounds), self.mm))


class FrameCanvas:
    """Draws one map frame straight on the page, in map metres.

    ``trans`` maps map metres to the page (via millimetres); everything added is clipped to the frame's
    box; ``z`` is the frame's base z-order (an inset is drawn above the main frame's symbols and labels).
    """

    def __init__(
        self, page: PageCanvas, frame: Frame, z: float = 0.0, gid: str = "carte", lw: float = 0.6, border: bool = True
    ):
        self.page, self.frame, self.z = page, frame, z
        extent, box = frame.extent, frame.box
        self.trans = (
            Affine2D().translate(-extent[0], -extent[1]).scale(1.0 / frame.metres_per_mm).translate(box.x, box.y)
            + page.mm
        )
        self.clip = TransformedBbox(Bbox.from_extents(*box.bounds), page.mm)
        page.rect(box.x, box.y, box.w, box.h, gid=gid, facecolor=SEA, edgecolor="none", zorder=z + 0.5)
        if border:
            page.rect(
                box.x,
                box.y,
                box.w,
                box.h,
                gid=gid + "-cadre",
                facecolor="none",
                edgecolor="#333333",
                linewidth=lw,
                zorder=z + 9.9,
            )

    def add(self, artist, z: float, gid: str | None = None):
        """Add ``artist`` (in map metres) at z-order ``z`` above the frame's base."""
        artist.set_transform(self.trans)
        artist.set_clip_box(self.clip)
        artist.set_zorder(self.z + z)
        if gid:
            artist.set_gid(gid)
        return self.page.add(artist)


def draw_background(canvas: FrameCanvas, world: World, code: str, fine: bool = True):
    """Neighbours (grey, white borders) and the country ``code`` (white, dark outline) in the canvas's
    frame; polygons cut along the antimeridian get their outline without the cut. Returns the
    background (:func:`.basemap.background`)."""
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
            canvas.add(
                PathPatch(path, facecolor="none", edgecolor=edge, linewidth=lw), z, "pays" if is_mine else "voisins"
            )
    return bg
