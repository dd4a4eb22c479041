"""Proportional symbols of the partner places: circles whose AREA is proportional to the number of
projects (and requests) at the place, split into sectors when the place has several types.

Colours are the cooperation colours of :data:`coopatlas.vocabulary.COULEURS_TYPE_ACTION` (blue
decentralised cooperation, yellow other external actions, red cooperation requests). A place with
several types is a pie: each type gets a sector proportional to its count, clockwise from the top in
the order blue, yellow, red, so that no colour hides another. Sizes are millimetres of paper.
"""

from __future__ import annotations

import math

from matplotlib.collections import PathCollection
from matplotlib.path import Path

from .. import vocabulary as voc
from .data import TYPES

COLOURS = {t: voc.COULEURS_TYPE_ACTION[t] for t in TYPES}
OUTLINE = "#3a3a3a"
#: Diameter (mm) of the symbol of one project, and the largest diameter on a map.
UNIT_DIAMETER = {"A4": 2.2, "A3": 2.5}
MAX_DIAMETER = {"A4": 13.0, "A3": 16.0}
MIN_DIAMETER = 1.4


class SymbolScale:
    """Diameter (mm) = ``k × √n``: area proportional to the count ``n``.

    ``k`` is the paper's unit diameter, lowered when the largest count would exceed the largest diameter
    (so symbols compare across the pages of an atlas unless one country has a huge place).
    """

    def __init__(self, max_count: int, paper: str = "A4"):
        self.k = UNIT_DIAMETER[paper]
        top = MAX_DIAMETER[paper]
        if max_count > 0 and self.k * math.sqrt(max_count) > top:
            self.k = top / math.sqrt(max_count)

    def diameter(self, n: int) -> float:
        return max(MIN_DIAMETER, self.k * math.sqrt(max(n, 0)))

    def legend_values(self, max_count: int, min_gap_mm: float = 2.4) -> list[int]:
        """Up to three counts for the size legend: the largest count, a round value near a third of it,
        and 1, keeping only values whose circles differ by ``min_gap_mm`` of diameter (room for labels)."""
        if max_count <= 1:
            return [1]
        nice = [2, 5, 10, 20, 50, 100, 200, 500, 1000]
        target = max_count / 3.0
        mid = min(nice, key=lambda v: abs(math.log(v) - math.log(max(target, 1.0))))
        kept = [max_count]
        for v in sorted({mid, 1}, reverse=True):
            if v < kept[-1] and self.diameter(kept[-1]) - self.diameter(v) >= min_gap_mm:
                kept.append(v)
        return sorted(kept)


_UNIT = Path.unit_circle()


def _circle(x: float, y: float, r: float) -> Path:
    return Path(_UNIT.vertices * r + (x, y), _UNIT.codes)


def _wedge(x: float, y: float, r: float, theta1: float, theta2: float) -> Path:
    unit = Path.wedge(theta1, theta2)
    return Path(unit.vertices * r + (x, y), unit.codes)


def symbol_paths(x: float, y: float, diameter: float, counts: dict[str, int]) -> tuple[list[Path], list[str]]:
    """The shapes (paths centred on ``x, y``, ``diameter`` in the units of the transform they are drawn
    with) of one place and their face colours: one circle, or one sector per type present, clockwise from
    the top in the order of :data:`~coopatlas.cartography.data.TYPES`, proportional to the counts."""
    r = diameter / 2.0
    present = [(t, counts.get(t, 0)) for t in TYPES if counts.get(t, 0) > 0]
    if len(present) <= 1:
        t = present[0][0] if present else TYPES[0]
        return [_circle(x, y, r)], [COLOURS[t]]
    total = float(sum(n for _, n in present))
    paths, colours = [], []
    start = 90.0
    for t, n in present:
        sweep = 360.0 * n / total
        paths.append(_wedge(x, y, r, start - sweep, start))
        colours.append(COLOURS[t])
        start -= sweep
    return paths, colours


def symbols_collection(items, transform, zorder: float = 5.0, gid: str | None = None) -> PathCollection:
    """One collection drawing the symbols ``items`` = ``[(x, y, diameter, counts)]`` in order (give the
    largest first, so that a smaller symbol on top of a larger one is whole): a place of one type is one
    circle in its colour with a dark outline (yellow stays visible on white); a place of several types
    is its sectors (white edges) then the dark outline circle."""
    paths, faces, edges, widths = [], [], [], []
    for x, y, d, counts in items:
        p, c = symbol_paths(x, y, d, counts)
        if len(p) == 1:
            paths.append(p[0])
            faces.append(c[0])
            edges.append(OUTLINE)
            widths.append(0.35)
            continue
        paths.extend(p)
        faces.extend(c)
        edges.extend(["#ffffff"] * len(p))
        widths.extend([0.25] * len(p))
        paths.append(_circle(x, y, d / 2.0))
        faces.append("none")
        edges.append(OUTLINE)
        widths.append(0.35)
    coll = PathCollection(
        paths, facecolors=faces, edgecolors=edges, linewidths=widths, transform=transform, zorder=zorder
    )
    if gid:
        coll.set_gid(gid)
    return coll
