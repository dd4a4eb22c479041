"""The model of a country map, decided before anything is drawn (:class:`CountryMap`, made by
:func:`.countrymap.build_country_map`), its map frames (:class:`Frame`) and what a drawing reports
(:class:`RenderInfo`).

Map coordinates are metres of the map's projection; page coordinates millimetres from the lower-left
corner of the page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from .data import CountryData
from .furniture import ScaleBar
from .geography import Country, World
from .labels import PlacedLabel
from .layout import Box, PageLayout
from .options import MapOptions
from .projection import CountrySplit, MapProjection, PartGroup


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
        return (
            self.extent[0] + (b[0] - self.box.x) * s,
            self.extent[1] + (b[1] - self.box.y) * s,
            self.extent[0] + (b[2] - self.box.x) * s,
            self.extent[1] + (b[3] - self.box.y) * s,
        )


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
