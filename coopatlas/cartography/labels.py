"""A greedy label placer in page space (millimetres), for partner names, admin-1 names and countries.

Labels are taken in the order given (most important first). A point label tries eight positions around
its symbol, in the cartographers' order of preference (right, upper right, lower right, left, upper
left, lower left, above, below); an area label (``mode="centre"``) only its centred position. The first
position whose box stays inside the frame and overlaps no obstacle (the symbols, the furniture drawn on
the map) and no label already placed wins; a label with no free position is left out (the table of the
map lists every partner anyway). Overlap tests are vectorised with numpy.

Text sizes come from matplotlib's own font metrics (an Agg renderer at :data:`MEASURE_DPI`, per thread),
so the boxes are those of the text as it is printed in PDF, SVG or PNG.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from matplotlib.backends.backend_agg import RendererAgg

from .fonts import font, in_light_copy

PT_TO_MM = 25.4 / 72.0
#: Resolution of the renderer that measures texts: high, so that hinting does not distort small sizes
#: (at 72 dpi a 5.4 pt line measures 7 % narrower than it prints).
MEASURE_DPI = 720.0
ELLIPSIS = "…"

_local = threading.local()


def _renderer() -> RendererAgg:
    r = getattr(_local, "renderer", None)
    if r is None:
        r = _local.renderer = RendererAgg(10, 10, MEASURE_DPI)
    return r


@lru_cache(maxsize=16384)
def _measure(text: str, size: float, weight: str, style: str) -> tuple[float, float, float]:
    w, h, d = _renderer().get_text_width_height_descent(text, font(size, weight, style, text), ismath=False)
    k = 25.4 / MEASURE_DPI
    return w * k, h * k, d * k


def text_size(text: str, size: float, weight: str = "normal", style: str = "normal") -> tuple[float, float]:
    """Width and height (millimetres) of one line of ``text`` at ``size`` points (:mod:`.fonts`)."""
    w, h, _ = _measure(text, float(size), weight, style)
    return w, h


def wrap_text(
    text: str, width_mm: float, size: float, weight: str = "normal", style: str = "normal", max_lines: int | None = None
) -> list[str]:
    """``text`` cut into lines no wider than ``width_mm`` (at word boundaries; a too-long word is cut).
    With ``max_lines``, the last line ends with :data:`ELLIPSIS` when text is left over."""
    words = text.split()
    lines: list[str] = []
    cur = ""
    for word in words:
        cand = f"{cur} {word}" if cur else word
        if text_size(cand, size, weight, style)[0] <= width_mm:
            cur = cand
            continue
        if cur:
            lines.append(cur)
        cur = word
        while text_size(cur, size, weight, style)[0] > width_mm and len(cur) > 1:
            n = len(cur)
            while n > 1 and text_size(cur[:n], size, weight, style)[0] > width_mm:
                n -= 1
            hyphen = cur.rfind("-", 0, n)
            if hyphen > 0:  # "Blankenfelde-" / "Mahlow" rather than "Blankenfelde-Mahlo" / "w"
                n = hyphen + 1
            lines.append(cur[:n])
            cur = cur[n:]
    if cur:
        lines.append(cur)
    if max_lines is not None and len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and text_size(last + ELLIPSIS, size, weight, style)[0] > width_mm:
            last = last[:-1]
        lines[-1] = last.rstrip() + ELLIPSIS
    return lines


def ellipsize(text: str, width_mm: float, size: float, weight: str = "normal") -> str:
    """``text`` shortened with :data:`ELLIPSIS` to fit ``width_mm``."""
    if text_size(text, size, weight)[0] <= width_mm:
        return text
    while text and text_size(text + ELLIPSIS, size, weight)[0] > width_mm:
        text = text[:-1]
    return text.rstrip() + ELLIPSIS


@dataclass
class LabelSpec:
    """A label to place: ``text`` at anchor ``(x, y)`` (mm), clear of a symbol of ``radius`` mm.

    ``owner``: index of the obstacle that is the label's own symbol (not an obstacle to it).
    """

    text: str
    x: float
    y: float
    radius: float = 0.0
    size: float = 6.0
    weight: str = "normal"
    style: str = "normal"
    colour: str = "#222222"
    mode: str = "around"  # or "centre"
    owner: int | None = None
    kind: str = "partner"  # partner, admin1, country (for styling and tests)


@dataclass
class PlacedLabel:
    spec: LabelSpec
    cx: float  # centre of the text box, mm
    cy: float
    box: tuple[float, float, float, float]  # x0, y0, x1, y1 in mm


#: (dx, dy) unit offsets of the candidate positions, in order of preference, and the box alignment:
#: the box's (fx, fy) fraction sits at anchor + offset (0 = left/bottom, 1 = right/top).
_AROUND = (
    ((1.0, 0.0), (0.0, 0.5)),  # right
    ((0.72, 0.72), (0.0, 0.0)),  # upper right
    ((0.72, -0.72), (0.0, 1.0)),  # lower right
    ((-1.0, 0.0), (1.0, 0.5)),  # left
    ((-0.72, 0.72), (1.0, 0.0)),  # upper left
    ((-0.72, -0.72), (1.0, 1.0)),  # lower left
    ((0.0, 1.0), (0.5, 0.0)),  # above
    ((0.0, -1.0), (0.5, 1.0)),  # below
)


class _Boxes:
    """A growable array of boxes (x0, y0, x1, y1) with a vectorised overlap test."""

    def __init__(self, initial: np.ndarray | None = None):
        self.data = np.zeros((max(64, 0 if initial is None else len(initial) * 2), 4))
        self.n = 0
        if initial is not None and len(initial):
            self.extend(initial)

    def extend(self, boxes: np.ndarray) -> None:
        boxes = np.asarray(boxes, dtype=float).reshape(-1, 4)
        while self.n + len(boxes) > len(self.data):
            self.data = np.vstack([self.data, np.zeros_like(self.data)])
        self.data[self.n : self.n + len(boxes)] = boxes
        self.n += len(boxes)

    def hits(self, box, ignore: int | None = None) -> bool:
        if not self.n:
            return False
        d = self.data[: self.n]
        over = (d[:, 0] < box[2]) & (d[:, 2] > box[0]) & (d[:, 1] < box[3]) & (d[:, 3] > box[1])
        if ignore is not None and 0 <= ignore < self.n:
            over[ignore] = False
        return bool(over.any())


def _floor_size(text: str, size: float, weight: str, style: str) -> tuple[float, float]:
    """A lower bound of :func:`text_size` (mm): the largest width and height of the text's characters
    alone (the box of a line holds the box of each of its glyphs), from a few cached measures; none
    (0, 0) for a text drawn with the original font (its characters alone may take the light copy)."""
    if not in_light_copy(text, weight, style):
        return 0.0, 0.0
    sizes = [_measure(ch, size, weight, style) for ch in set(text)]
    return max(w for w, _, _ in sizes), max(h for _, h, _ in sizes)


def place_labels(specs: list[LabelSpec], obstacles, bounds, gap: float = 0.45, pad: float = 0.25) -> list[PlacedLabel]:
    """Place ``specs`` greedily (in order) and return those placed.

    ``obstacles``: N × 4 array of boxes (x0, y0, x1, y1, mm) no label may overlap (``spec.owner`` indexes
    into it); ``bounds``: the box (mm) every label must stay inside; ``gap``: mm between a symbol and its
    label; ``pad``: mm of free space kept around each label's text.

    A label is measured only when one of its positions is free for a box of a lower bound of its size
    (:func:`_floor_size`): each position's box grows around the same anchor with the text, so a position
    taken for the smaller box is taken for the real one (on a crowded map most labels stop there).
    """
    obst = _Boxes(np.asarray(obstacles, dtype=float).reshape(-1, 4) if obstacles is not None else None)
    placed_boxes = _Boxes()
    bx0, by0, bx1, by1 = bounds
    out: list[PlacedLabel] = []
    for spec in specs:
        if not spec.text:
            continue
        d = 0.0 if spec.mode == "centre" else spec.radius + gap
        fw, fh = _floor_size(spec.text, spec.size, spec.weight, spec.style)
        free = _free(_boxes_around(spec, d, fw + 2 * pad, fh + 2 * pad), obst, placed_boxes, spec.owner, bounds)
        if not free.any():
            continue
        w, h = text_size(spec.text, spec.size, spec.weight, spec.style)
        w += 2 * pad
        h += 2 * pad
        candidates = [((0.0, 0.0), (0.5, 0.5))] if spec.mode == "centre" else _AROUND
        for (ux, uy), (fx, fy) in (c for c, ok in zip(candidates, free) if ok):
            ax_, ay_ = spec.x + ux * d, spec.y + uy * d
            x0, y0 = ax_ - fx * w, ay_ - fy * h
            box = (x0, y0, x0 + w, y0 + h)
            if box[0] < bx0 or box[1] < by0 or box[2] > bx1 or box[3] > by1:
                continue
            if obst.hits(box, spec.owner) or placed_boxes.hits(box):
                continue
            placed_boxes.extend([box])
            out.append(PlacedLabel(spec, x0 + w / 2.0, y0 + h / 2.0, box))
            break
    return out


_AROUND_UNITS = np.array([[ux, uy, fx, fy] for (ux, uy), (fx, fy) in _AROUND])
_CENTRE_UNITS = np.array([[0.0, 0.0, 0.5, 0.5]])


def _boxes_around(spec: LabelSpec, d: float, w: float, h: float) -> np.ndarray:
    """The boxes (x0, y0, x1, y1 mm, one row per candidate position, in order) of a ``w`` × ``h`` label
    whose positions are ``d`` mm from its anchor."""
    u = _CENTRE_UNITS if spec.mode == "centre" else _AROUND_UNITS
    x0 = spec.x + u[:, 0] * d - u[:, 2] * w
    y0 = spec.y + u[:, 1] * d - u[:, 3] * h
    return np.column_stack([x0, y0, x0 + w, y0 + h])


def _free(boxes: np.ndarray, obst: _Boxes, placed: _Boxes, owner: int | None, bounds) -> np.ndarray:
    """Which of ``boxes`` stay inside ``bounds`` and overlap no obstacle (but ``owner``) nor placed label."""
    bx0, by0, bx1, by1 = bounds
    ok = (boxes[:, 0] >= bx0) & (boxes[:, 1] >= by0) & (boxes[:, 2] <= bx1) & (boxes[:, 3] <= by1)
    for others, ignore in ((obst, owner), (placed, None)):
        if not ok.any() or not others.n:
            continue
        d = others.data[: others.n]
        over = (
            (d[None, :, 0] < boxes[:, None, 2])
            & (d[None, :, 2] > boxes[:, None, 0])
            & (d[None, :, 1] < boxes[:, None, 3])
            & (d[None, :, 3] > boxes[:, None, 1])
        )
        if ignore is not None and 0 <= ignore < others.n:
            over[:, ignore] = False
        ok &= ~over.any(axis=1)
    return ok
