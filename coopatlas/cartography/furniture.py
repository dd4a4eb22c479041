"""Map furniture computed from the projection: the scale bar (true at the centre of the map) and the
north arrow (pointing to true north at the centre).

The scale bar is measured, not assumed: :meth:`MapProjection.ground_per_map_metre` gives the geodesic
metres (WGS 84 ellipsoid) per map metre along the map's x axis at the centre of the frame; with the
frame's map metres per millimetre of paper, a bar of ``km`` kilometres is ``km × 1000 / (ground per map
metre × map metres per mm)`` millimetres long. The representative fraction (1 : N) is the same scale
(true at the centre, for a print at 100 %).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from matplotlib.patches import Polygon, Rectangle

from .fonts import font
from .projection import MapProjection
from .typeset import PageText

_NICE = (1.0, 2.0, 2.5, 5.0)


@dataclass(frozen=True)
class ScaleBar:
    """A scale bar: ``km`` kilometres drawn ``length_mm`` long, true at map point ``centre`` (metres)."""

    km: float
    length_mm: float
    ground_per_map_metre: float
    metres_per_mm: float  # map metres per mm of paper
    centre: tuple[float, float]

    @property
    def denominator(self) -> float:
        """N of the representative fraction 1 : N at the centre (paper printed at 100 %)."""
        return self.metres_per_mm * self.ground_per_map_metre * 1000.0

    @property
    def divisions(self) -> int:
        lead = round(self.km / 10 ** math.floor(math.log10(self.km)), 3)
        return 5 if lead in (2.5, 5.0) else 4


def nice_km(target_km: float) -> float:
    """The largest "round" distance (1, 2, 2.5 or 5 × 10^k km) not above ``target_km``."""
    if target_km <= 0:
        return 1.0
    exp = math.floor(math.log10(target_km))
    best = 10.0**exp
    for m in _NICE:
        if m * 10.0**exp <= target_km:
            best = m * 10.0**exp
    return best


def scale_bar(
    proj: MapProjection, centre: tuple[float, float], metres_per_mm: float, target_mm: float = 28.0
) -> ScaleBar:
    """The scale bar of a frame whose centre is ``centre`` (map metres), for about ``target_mm``."""
    g = proj.ground_per_map_metre(*centre)
    mm_per_km = 1000.0 / (g * metres_per_mm)
    km = nice_km(target_mm / mm_per_km)
    return ScaleBar(km, km * mm_per_km, g, metres_per_mm, centre)


def format_km(v: float, lang: str) -> str:
    s = f"{v:,.1f}" if v != int(v) else f"{int(v):,}"
    return s.replace(",", " ").replace(".", ",") if lang != "en" else s


def format_denominator(n: float, lang: str) -> str:
    """``1 : 12 500 000`` (French) or ``1:12,500,000``, to three significant digits."""
    digits = max(0, int(math.floor(math.log10(n))) - 2) if n > 0 else 0
    r = int(round(n / 10**digits) * 10**digits)
    return f"1 : {r:,}".replace(",", " ") if lang != "en" else f"1:{r:,}"


def draw_scale_bar(
    fig,
    trans,
    x: float,
    y: float,
    bar: ScaleBar,
    size: float,
    lang: str = "fr",
    caption: bool = True,
    gid: str = "scalebar",
    zorder: float = 20.0,
) -> tuple[float, float, float, float]:
    """Draw ``bar`` with its left end at ``(x, y)`` (mm, on the page transform ``trans``); returns its box
    (mm). Alternate black and white divisions, labels 0 … km, and the 1 : N fraction at the centre."""
    h = 1.2
    n = bar.divisions if bar.length_mm >= 18 else 2
    step = bar.length_mm / n
    artists = []
    for i in range(n):
        artists.append(
            Rectangle(
                (x + i * step, y),
                step,
                h,
                transform=trans,
                facecolor="#222222" if i % 2 == 0 else "#ffffff",
                edgecolor="#222222",
                linewidth=0.4,
                zorder=zorder,
            )
        )
    for a in artists:
        a.set_gid(gid)
        fig.add_artist(a)
    ty = y + h + 0.7
    texts = [(x, "0"), (x + bar.length_mm, f"{format_km(bar.km, lang)} km")]
    if n == 4 and bar.length_mm >= 22:
        texts.insert(1, (x + bar.length_mm / 2, format_km(bar.km / 2, lang)))
    for tx, s in texts:
        fig.add_artist(
            PageText(trans, tx, ty, s, size, ha="center", va="bottom", color="#222222", zorder=zorder + 1, gid=gid)
        )
    top = ty + size * 0.3528 * 1.2
    bottom = y
    if caption:
        cap = (
            f"{format_denominator(bar.denominator, lang)} (au centre de la carte)"
            if lang != "en"
            else f"{format_denominator(bar.denominator, lang)} (at the map centre)"
        )
        fig.add_artist(
            PageText(
                trans, x, y - 0.8, cap, size * 0.85, ha="left", va="top", color="#444444", zorder=zorder + 1, gid=gid
            )
        )
        bottom = y - 0.8 - size * 0.85 * 0.3528 * 1.25
    right = x + bar.length_mm + 6.0
    return (x - 2.0, bottom - 0.5, right, top + 0.5)


def draw_north_arrow(
    fig, trans, x: float, y: float, angle_deg: float, size_mm: float, fontsize: float, gid: str = "north-arrow"
) -> tuple[float, float, float, float]:
    """A north arrow centred at ``(x, y)`` (mm) pointing ``angle_deg`` counter-clockwise from the page's
    up direction (true north at the map centre); returns its box (mm)."""
    a = math.radians(angle_deg)
    rot = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    L = size_mm
    left = np.array([[0.0, L / 2], [-L * 0.22, -L / 2], [0.0, -L * 0.28]]) @ rot.T + [x, y]
    right = np.array([[0.0, L / 2], [L * 0.22, -L / 2], [0.0, -L * 0.28]]) @ rot.T + [x, y]
    for pts, face in ((left, "#222222"), (right, "#ffffff")):
        p = Polygon(pts, closed=True, transform=trans, facecolor=face, edgecolor="#222222", linewidth=0.4, zorder=20)
        p.set_gid(gid)
        fig.add_artist(p)
    tip = np.array([0.0, L / 2 + 0.6]) @ rot.T + [x, y]
    t = fig.text(
        tip[0],
        tip[1],
        "N",
        transform=trans,
        fontproperties=font(fontsize, "bold"),
        ha="center",
        va="bottom",
        rotation=angle_deg,
        rotation_mode="anchor",
        color="#222222",
        zorder=21,
    )
    t.set_gid(gid)
    r = L / 2 + 0.6 + fontsize * 0.3528 * 1.3
    return (x - r, y - r, x + r, y + r)
