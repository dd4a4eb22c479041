"""What a collection's style says, as plain data that every writer (QML, SLD, MapLibre) reads.

A :class:`Style` is one symbol kind (point, line or polygon) whose colour is chosen either by a code
(:class:`Categorised`) or by classes of a count (:class:`Graduated`), and, for points, whose size may
follow a count (:class:`ProportionalSize`). Nothing here knows a file format.

Units: every size and width is in **pixels** of 1/96 inch (CSS pixels, 0.2646 mm), the unit of
MapLibre and of SE's default ``uom``; the QML writer converts them to millimetres. Point sizes are
**diameters**. Colours are ``#rrggbb``; opacities are 0 (transparent) to 1 (opaque). Counts are numbers
of records (integers).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

GeometryKind = Literal["point", "line", "polygon"]

#: Millimetres per pixel (1/96 inch).
MM_PER_PX = 25.4 / 96


@dataclass(frozen=True)
class Category:
    """Features whose ``field`` equals ``value`` get ``colour``; ``label`` is the legend text."""

    value: str
    colour: str
    label: str


@dataclass(frozen=True)
class Categorised:
    """Colour by a code: one :class:`Category` per code, ``other`` for any other value or null."""

    field: str
    categories: tuple[Category, ...]
    other: Category  # its ``value`` is ignored: it catches every value not listed, null included

    @property
    def entries(self) -> tuple[Category, ...]:
        """Legend entries, ``other`` last."""
        return (*self.categories, self.other)


@dataclass(frozen=True)
class ColourClass:
    """Features whose value ``v`` satisfies ``lower <= v < upper`` (``upper`` ``None``: no bound)."""

    lower: int
    upper: int | None
    colour: str
    label: str


@dataclass(frozen=True)
class Graduated:
    """Colour by classes of a count (a choropleth).

    ``classes`` are contiguous, in increasing order, the first starting at ``classes[0].lower``;
    a null value, or one below the first lower bound (``0`` projects), gets ``no_data``.
    """

    field: str
    classes: tuple[ColourClass, ...]
    no_data: Category  # its ``value`` is ignored

    def __post_init__(self):
        for a, b in zip(self.classes, self.classes[1:]):
            if a.upper != b.lower:
                raise ValueError(f"classes of {self.field} are not contiguous: {a} then {b}")
        if self.classes[-1].upper is not None:
            raise ValueError("the last class must have no upper bound")

    @property
    def breaks(self) -> tuple[int, ...]:
        """Lower bounds of the classes (the class of ``v`` is the last break ``<= v``)."""
        return tuple(c.lower for c in self.classes)

    def colour_for(self, value: float | None) -> str:
        """The colour of ``value`` (``None`` for null)."""
        colour = self.no_data.colour
        for c in self.classes:
            if value is not None and value >= c.lower:
                colour = c.colour
        return colour

    @property
    def entries(self) -> tuple[Category | ColourClass, ...]:
        """Legend entries, no-data first."""
        return (self.no_data, *self.classes)


@dataclass(frozen=True)
class ProportionalSize:
    """Point diameter following a count, circle area growing like the count (exponent 0.5).

    ``diameter(v) = size_min + ((v' - value_min) / (value_max - value_min)) ** exponent * (size_max - size_min)``
    where ``v'`` is ``v`` clamped to ``[value_min, value_max]`` and a null ``v`` counts as
    ``value_min``. This is QGIS's size assistant formula (``QgsSizeScaleTransformer``, "Area" with
    exponent 0.5), written out the same way for SLD and MapLibre. Sizes in pixels (diameters).
    """

    field: str
    value_min: float
    value_max: float
    size_min: float
    size_max: float
    exponent: float = 0.5
    legend_title: str = ""
    legend_values: tuple[int, ...] = ()

    def diameter(self, value: float | None) -> float:
        """Diameter in pixels for ``value``."""
        v = self.value_min if value is None else min(max(value, self.value_min), self.value_max)
        t = (v - self.value_min) / (self.value_max - self.value_min)
        return self.size_min + t**self.exponent * (self.size_max - self.size_min)

    def samples(self, n: int = 12) -> list[tuple[float, float]]:
        """``(value, diameter)`` pairs on the curve, for formats that interpolate linearly (SE).

        The values are spaced evenly in ``t ** exponent``, plus every integer of the first five
        (where the curve bends most), and rounded to integers (counts); ends included.
        """
        span = self.value_max - self.value_min
        values = {round(self.value_min + (i / n) ** (1 / self.exponent) * span) for i in range(n + 1)}
        values |= {self.value_min + k for k in range(5) if self.value_min + k < self.value_max}
        values = sorted(values)
        return [(v, self.diameter(v)) for v in values]


@dataclass(frozen=True)
class Style:
    """The style of one collection.

    ``size`` is the constant point diameter or line width (pixels) when ``proportional`` is
    ``None``; ``stroke_colour``/``stroke_width`` draw the outline of points and polygons (width
    0: none); ``opacity`` applies to the whole symbol (fill and outline). ``sort_desc`` draws
    features with the largest value of that field first (small proportional circles on top).
    ``view`` is the initial view of a map of the collection: ``(longitude, latitude, zoom)``,
    EPSG:4326 degrees and a web-mercator zoom level.
    """

    collection: str
    title: str
    geometry: GeometryKind
    colour: Categorised | Graduated
    size: float = 0.0
    proportional: ProportionalSize | None = None
    stroke_colour: str = "#000000"
    stroke_width: float = 0.0
    opacity: float = 1.0
    sort_desc: str | None = None
    view: tuple[float, float, float] = (10.0, 20.0, 1.5)

    @property
    def fields(self) -> tuple[str, ...]:
        """The attributes the style reads, in a stable order."""
        names = [self.colour.field]
        for extra in (self.proportional.field if self.proportional else None, self.sort_desc):
            if extra and extra not in names:
                names.append(extra)
        return tuple(names)


def hex_to_rgb(colour: str) -> tuple[int, int, int]:
    """``#rrggbb`` as an ``(r, g, b)`` tuple of 0-255 integers."""
    if len(colour) != 7 or colour[0] != "#":
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def fmt(x: float) -> str:
    """A number as short, stable text: integers without a decimal point, others to 4 decimals."""
    if float(x).is_integer():
        return str(int(x))
    return f"{x:.4f}".rstrip("0").rstrip(".")
