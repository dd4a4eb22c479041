"""What goes into a map frame: the proportional symbols of the partner places, the labels to place
(partners, neighbouring countries, admin-1 names), and the corners where insets and the scale bar hide
the least of the country."""

from __future__ import annotations

import numpy as np
import shapely

from .basemap import background
from .canvas import GREY_TEXT, INK
from .geography import unwrap_lon
from .labels import LabelSpec, ellipsize
from .layout import Typography
from .model import CountryMap, Frame
from .symbols import SymbolScale

CORNERS = ("bottom left", "bottom right", "top left", "top right")
#: z-order base of the insets: above everything of the main frame (symbols 5, labels 12, furniture 20).
INSET_Z = 30.0


def symbol_items(model: CountryMap, frame: Frame, idx: list[int], scale: SymbolScale):
    """``[(x_mm, y_mm, diameter_mm, counts, place_index)]`` of the places ``idx`` in ``frame``, largest
    first."""
    if not idx:
        return []
    pl = [model.data.places[i] for i in idx]
    x, y = frame.proj.forward([p.lon for p in pl], [p.lat for p in pl])
    X, Y = frame.to_mm(x, y)
    items = [(float(X[k]), float(Y[k]), scale.diameter(p.total), p.counts, i) for k, (i, p) in enumerate(zip(idx, pl))]
    items.sort(key=lambda t: -t[2])
    return items


def box_score(frame: Frame, box, country_map_geom, items) -> float:
    """How much a page box (mm) of the frame hides: mm² of the country plus 60 mm² per symbol."""
    mb = frame.box_to_map(box)
    area = shapely.area(shapely.intersection(country_map_geom, shapely.box(*mb))) / frame.metres_per_mm**2
    n = sum(1 for x, y, d, _, _ in items if box[0] - d / 2 < x < box[2] + d / 2 and box[1] - d / 2 < y < box[3] + d / 2)
    return float(area) + 60.0 * n


def corner_box(frame: Frame, corner: str, w: float, h: float, inset: float = 0.0):
    """The page box ``(x0, y0, x1, y1)`` mm of ``w`` × ``h`` in ``corner`` of the frame, ``inset`` mm inside."""
    b = frame.box
    x0 = b.x + inset if "left" in corner else b.x1 - inset - w
    y0 = b.y + inset if "bottom" in corner else b.y1 - inset - h
    return (x0, y0, x0 + w, y0 + h)


def partner_specs(model: CountryMap, items, typo: Typography) -> list[LabelSpec]:
    """Labels of the places ``items`` (as :func:`_symbol_items` returns them), most projects first; the ten
    largest places are labelled larger and bold."""
    order = sorted(
        range(len(items)), key=lambda k: (-model.data.places[items[k][4]].total, model.data.places[items[k][4]].label)
    )
    totals = [model.data.places[items[k][4]].total for k in order]
    major = totals[min(len(totals) - 1, 9)] if totals else 0
    specs = []
    for k in order:
        x, y, d, _, i = items[k]
        place = model.data.places[i]
        big = place.total >= max(major, 2)
        size = typo.label_major if big else typo.label
        weight = "bold" if big else "normal"
        specs.append(
            LabelSpec(
                ellipsize(place.label, 42.0, size, weight),
                x,
                y,
                d / 2.0,
                size,
                weight,
                "normal",
                INK,
                "around",
                k,
                "partner",
            )
        )
    return specs


def admin1_specs(model: CountryMap, frame: Frame, typo: Typography) -> list[LabelSpec]:
    """Names of the country's admin-1 divisions, centred on their GeoNames points (seat or centre)."""
    seats = model.world.admin1(model.country.code)[:80]
    if not seats:
        return []
    lon = unwrap_lon([a.lon for a in seats], frame.proj.lon0)
    x, y = frame.proj.forward(lon, [a.lat for a in seats])
    X, Y = frame.to_mm(x, y)
    b = frame.box
    return [
        LabelSpec(
            a.nom, float(xx), float(yy), 0.0, typo.admin1, "normal", "italic", GREY_TEXT, "centre", None, "admin1"
        )
        for a, xx, yy in zip(seats, X, Y)
        if np.isfinite(xx) and b.x <= xx <= b.x1 and b.y <= yy <= b.y1
    ]


def country_specs(model: CountryMap, frame: Frame, typo: Typography, bg=None) -> list[LabelSpec]:
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
        if c is None or area / frame.metres_per_mm**2 < 150.0:
            continue
        p = part.representative_point()
        X, Y = frame.to_mm(p.x, p.y)
        out.append(
            LabelSpec(
                c.name(model.lang).upper(),
                float(X),
                float(Y),
                0.0,
                typo.country,
                "normal",
                "normal",
                "#8c8c8c",
                "centre",
                None,
                "country",
            )
        )
    return out


def symbol_boxes(items) -> list[tuple[float, float, float, float]]:
    """The page boxes (mm) of the symbols ``items`` (as :func:`symbol_items` returns them)."""
    return [(x - d / 2, y - d / 2, x + d / 2, y + d / 2) for x, y, d, _, _ in items]
