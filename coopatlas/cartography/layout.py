"""Page layouts of the country maps: paper sizes, the boxes of the title, map frame, side panel and
credits, and the choice of orientation and panel side that gives the map the largest scale.

All boxes are in millimetres from the lower-left corner of the page (the PDF convention).

A page is: the title block at the top, the credits band at the bottom, and between them the map frame
and a panel (legend, locator map, table of the partnerships) either on the right of the map or below
it. :func:`choose_layout` tries the allowed orientations and both panel sides and keeps the one where
the country's extent (its aspect ratio in the map projection) is drawn largest: tall countries (Chile)
get a portrait page with the panel on the right, wide ones (Russia, Indonesia) a landscape page with
the panel below.
"""

from __future__ import annotations

from dataclasses import dataclass

#: Paper sizes in millimetres (portrait width, height), ISO 216.
PAPERS = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
ORIENTATIONS = ("portrait", "landscape")
MARGIN = 8.0  # mm around the page
GUTTER = 4.0  # mm between the map frame and the panel


@dataclass(frozen=True)
class Box:
    """A rectangle in millimetres: lower-left corner ``(x, y)``, width ``w``, height ``h``."""

    x: float
    y: float
    w: float
    h: float

    @property
    def x1(self) -> float:
        return self.x + self.w

    @property
    def y1(self) -> float:
        return self.y + self.h

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        return (self.x, self.y, self.x1, self.y1)

    def shrink(self, d: float) -> Box:
        return Box(self.x + d, self.y + d, max(self.w - 2 * d, 0.0), max(self.h - 2 * d, 0.0))


@dataclass(frozen=True)
class Typography:
    """Font sizes (points) of one paper size."""

    title: float = 15.0
    subtitle: float = 8.5
    heading: float = 7.5
    legend: float = 6.5
    label: float = 6.0
    label_major: float = 6.8
    admin1: float = 5.6
    country: float = 6.4
    credits: float = 5.4
    table: float = 6.0
    furniture: float = 5.8

    def scaled(self, k: float) -> Typography:
        return Typography(**{f: getattr(self, f) * k for f in self.__dataclass_fields__})


TYPOGRAPHY = {"A4": Typography(), "A3": Typography().scaled(1.15)}
#: Panel width (panel on the right) and height (panel below), millimetres.
PANEL = {"A4": (66.0, 64.0), "A3": (82.0, 78.0)}


@dataclass(frozen=True)
class PageLayout:
    """The boxes of one page (millimetres)."""

    paper: str
    orientation: str
    width: float
    height: float
    title: Box
    map: Box
    panel: Box
    credits: Box
    panel_side: str  # "right" or "bottom"

    @property
    def typography(self) -> Typography:
        return TYPOGRAPHY[self.paper]


def page_size(paper: str, orientation: str) -> tuple[float, float]:
    """Width and height (mm) of ``paper`` (``A4``/``A3``) in ``orientation``."""
    w, h = PAPERS[paper]
    return (h, w) if orientation == "landscape" else (w, h)


def page_layout(paper: str, orientation: str, panel_side: str, title_h: float, credits_h: float) -> PageLayout:
    """The layout of one page for the given title block and credits heights (mm)."""
    W, H = page_size(paper, orientation)
    inner_w = W - 2 * MARGIN
    title = Box(MARGIN, H - MARGIN - title_h, inner_w, title_h)
    credits = Box(MARGIN, MARGIN, inner_w, credits_h)
    top = title.y - 2.0
    bottom = credits.y1 + 2.0
    pw, ph = PANEL[paper]
    if panel_side == "right":
        map_box = Box(MARGIN, bottom, inner_w - pw - GUTTER, top - bottom)
        panel = Box(map_box.x1 + GUTTER, bottom, pw, top - bottom)
    else:
        map_box = Box(MARGIN, bottom + ph + GUTTER, inner_w, top - bottom - ph - GUTTER)
        panel = Box(MARGIN, bottom, inner_w, ph)
    return PageLayout(paper, orientation, W, H, title, map_box, panel, credits, panel_side)


def map_scale(layout: PageLayout, content_w: float, content_h: float) -> float:
    """Millimetres of paper per unit of content when ``content_w × content_h`` fits the map frame."""
    return min(layout.map.w / max(content_w, 1e-9), layout.map.h / max(content_h, 1e-9))


def choose_layout(
    paper: str, orientation: str | None, content_w: float, content_h: float, title_h, credits_h
) -> PageLayout:
    """The layout (orientation unless given, and panel side) drawing the content largest.

    ``content_w``/``content_h``: the extent to show (any unit, e.g. map metres); ``title_h`` and
    ``credits_h``: functions ``(page_width_mm) -> height_mm`` (their text wraps to the page width).
    Ties go to portrait and to the panel on the right.
    """
    best = None
    for orient in [orientation] if orientation in ORIENTATIONS else list(ORIENTATIONS):
        W, _ = page_size(paper, orient)
        inner = W - 2 * MARGIN
        for side in ("right", "bottom"):
            lay = page_layout(paper, orient, side, title_h(inner), credits_h(inner))
            s = map_scale(lay, content_w, content_h)
            if best is None or s > best[0] * 1.02:
                best = (s, lay)
    return best[1]
