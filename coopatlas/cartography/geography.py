"""The reference geography of the maps: countries, their names and codes, admin-1 points.

The countries are the Natural Earth 1:10m polygons of ``datasets/reference/reference.gpkg`` (layer
``pays``, EPSG:4326, longitude/latitude in degrees), with their French and English names, continent and
sub-continent. First-level divisions abroad (admin-1) exist offline only as POINTS (GeoNames: the seat
or the centre of each division, with its name): the maps print their names at those points and draw
no admin-1 boundary (none is available offline, none is invented).

Everything here is read once per reference file and kept in memory (:func:`world`); the objects are
immutable and shared by the threads of a server.
"""

from __future__ import annotations

import difflib
import threading
import unicodedata
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np
import pyogrio
import shapely

from ..data.reference import REFERENCE_GPKG
from ..text import normalise

#: Simplification levels of the background polygons (degrees): a map takes the coarsest level finer than
#: what its paper shows (a continent-wide locator does not draw every cove of 1:10m coasts).
LEVELS = (0.005, 0.02, 0.08)


class UnknownCountry(LookupError):
    """No country of the reference geography matches the text (the message suggests close names)."""


def display_text(text: str | None) -> str:
    """``text`` in Unicode NFC (combining accents composed: they print as one glyph)."""
    return unicodedata.normalize("NFC", text or "")


@dataclass(frozen=True)
class Country:
    """One country of the reference geography. ``geometry`` is a shapely (Multi)Polygon in EPSG:4326."""

    code: str  # ISO 3166-1 alpha-2
    iso_a3: str
    nom_fr: str
    nom_en: str
    continent: str | None
    sous_continent: str | None
    geometry: object

    def name(self, lang: str = "fr") -> str:
        return self.nom_en if lang == "en" else self.nom_fr


@dataclass(frozen=True)
class Admin1Point:
    """The GeoNames point (seat or centre) of a first-level division abroad, EPSG:4326 degrees."""

    pays_code: str
    nom: str
    population: int
    lon: float
    lat: float


class World:
    """The countries (and admin-1 points) of one reference GeoPackage, indexed for the maps.

    ``parts`` holds every polygon of every country (exploded), with its country code, and two copies
    shifted by -360° and +360° of longitude, so that a map centred on any meridian gets the polygons
    "unwrapped" around it (see :meth:`unwrapped_parts`).
    """

    def __init__(self, path: str | Path = REFERENCE_GPKG):
        self.path = Path(path)
        if not self.path.exists():
            raise FileNotFoundError(f"reference geography {self.path} is missing")
        df = pyogrio.read_dataframe(self.path, layer="pays")
        self.countries: dict[str, Country] = {}
        for row in df.itertuples(index=False):
            geom = row.geometry
            if geom is None or geom.is_empty:
                continue
            self.countries[row.pays_code] = Country(
                row.pays_code,
                row.iso_a3,
                display_text(row.nom_fr),
                display_text(row.nom_en),
                row.continent,
                row.sous_continent,
                geom,
            )
        codes, polys = [], []
        for code, c in self.countries.items():
            for p in shapely.get_parts(np.asarray([c.geometry])):
                codes.append(code)
                polys.append(p)
        self.part_codes = np.asarray(codes, dtype=object)
        self.parts = np.asarray(polys, dtype=object)
        b = shapely.bounds(self.parts)
        #: centre longitude of each polygon (Natural Earth polygons never straddle ±180°)
        self.part_lon = (b[:, 0] + b[:, 2]) / 2.0
        #: polygons cut along the antimeridian, and their outlines without the cut
        self.part_seam = (b[:, 0] <= -180.0 + 1e-7) | (b[:, 2] >= 180.0 - 1e-7)
        self.seam_outlines = {int(i): seam_free_outline(self.parts[i]) for i in np.nonzero(self.part_seam)[0]}
        self._shifted = {
            -360: shapely.transform(self.parts, lambda c: c + np.array([-360.0, 0.0])),
            0: self.parts,
            360: shapely.transform(self.parts, lambda c: c + np.array([360.0, 0.0])),
        }
        self._levels: dict[float, dict] = {}
        self._levels_lock = threading.Lock()
        self._names: dict[str, str] = {}
        for code, c in self.countries.items():
            for name in (c.nom_fr, c.nom_en):
                n = normalise(name)
                self._names.setdefault(n, code)
                self._names.setdefault(n.replace(" ", ""), code)
        self._a3 = {c.iso_a3.upper(): code for code, c in self.countries.items() if c.iso_a3}

    # --- countries -------------------------------------------------------------------------------------
    def resolve(self, text: str) -> Country:
        """The country named by ``text``: an ISO 3166-1 alpha-2 or alpha-3 code, or its French (or English)
        name, accent-, case-, hyphen- and space-insensitive ("cote d'ivoire", "Viet Nam", "vietnam").

        Raises :class:`UnknownCountry` (with close names in the message) when nothing matches.
        """
        raw = (text or "").strip()
        if not raw:
            raise UnknownCountry("empty country")
        up = raw.upper()
        if len(up) == 2 and up in self.countries:
            return self.countries[up]
        if len(up) == 3 and up in self._a3:
            return self.countries[self._a3[up]]
        n = normalise(raw)
        code = self._names.get(n) or self._names.get(n.replace(" ", ""))
        if code:
            return self.countries[code]
        close = difflib.get_close_matches(n, [k for k in self._names if " " in k or len(k) > 3], n=3, cutoff=0.75)
        hint = (
            f"; did you mean {', '.join(repr(self.countries[self._names[c]].nom_fr) for c in close)}?" if close else ""
        )
        raise UnknownCountry(
            f"unknown country {raw!r}: give an ISO 3166-1 alpha-2 or alpha-3 code or the French name{hint}"
        )

    def in_continent(self, continent: str) -> list[Country]:
        """The countries of a continent code (``afrique``...), or of every continent for ``"monde"``."""
        return [c for c in self.countries.values() if continent == "monde" or c.continent == continent]

    @cached_property
    def anchors(self) -> dict[str, tuple[float, float]]:
        """A representative (lon, lat) of each country: inside its largest polygon (EPSG:4326 degrees)."""
        out = {}
        for code, c in self.countries.items():
            parts = shapely.get_parts(np.asarray([c.geometry]))
            big = parts[int(np.argmax(shapely.area(parts)))]
            p = big.representative_point()
            out[code] = (p.x, p.y)
        return out

    # --- admin-1 ------------------------------------------------------------------------------------------
    @cached_property
    def _admin1(self) -> dict[str, list[Admin1Point]]:
        df = pyogrio.read_dataframe(self.path, layer="admin1")
        out: dict[str, list[Admin1Point]] = {}
        for row in df.itertuples(index=False):
            g = row.geometry
            if g is None or g.is_empty or not isinstance(row.nom, str):
                continue
            pop = int(row.population) if row.population == row.population and row.population else 0
            out.setdefault(row.pays_code, []).append(Admin1Point(row.pays_code, display_text(row.nom), pop, g.x, g.y))
        for pts in out.values():
            pts.sort(key=lambda a: -a.population)
        return out

    def admin1(self, code: str) -> list[Admin1Point]:
        """The admin-1 points of a country, most populated first (may be empty)."""
        return self._admin1.get(code, [])

    # --- background -----------------------------------------------------------------------------------------
    def part_shifts(self, lon0: float) -> np.ndarray:
        """The shift (-360, 0 or +360 degrees of longitude) that brings each polygon's centre within
        ``lon0 ± 180°``."""
        d = self.part_lon - lon0
        return np.where(d < -180.0, 360.0, np.where(d > 180.0, -360.0, 0.0))

    def unwrapped_parts(self, lon0: float, tolerance: float = 0.0) -> np.ndarray:
        """Every country polygon with its longitudes shifted by a multiple of 360° so that its centre lies
        within ``lon0 ± 180°`` (EPSG:4326 degrees, longitudes possibly beyond ±180), simplified to the
        coarsest of :data:`LEVELS` not above ``tolerance`` degrees."""
        shifts = self.part_shifts(lon0)
        level = self._level(tolerance)
        out = level[0].copy()
        out[shifts == 360.0] = level[360][shifts == 360.0]
        out[shifts == -360.0] = level[-360][shifts == -360.0]
        return out

    def _level(self, tolerance: float) -> dict:
        step = max((t for t in LEVELS if t <= tolerance), default=0.0)
        if step == 0.0:
            return self._shifted
        with self._levels_lock:
            cached = self._levels.get(step)
            if cached is None:
                simple = shapely.simplify(self.parts, step, preserve_topology=True)
                cached = self._levels[step] = {
                    0: simple,
                    360: shapely.transform(simple, lambda c: c + np.array([360.0, 0.0])),
                    -360: shapely.transform(simple, lambda c: c + np.array([-360.0, 0.0])),
                }
            return cached


def seam_free_outline(poly, eps: float = 1e-7):
    """The outline of a polygon (EPSG:4326) without its segments along the antimeridian (longitude ±180°
    modulo 360°), where Natural Earth cuts the countries that cross it (Russia, Fiji, the United States):
    a MultiLineString, so that the cut is not drawn."""
    lines = []
    for ring in (poly.exterior, *poly.interiors):
        xy = np.asarray(ring.coords)[:, :2]
        on = np.abs((xy[:, 0] + 180.0) % 360.0) < eps
        on |= np.abs(((xy[:, 0] + 180.0) % 360.0) - 360.0) < eps
        seam = on[:-1] & on[1:]
        if not seam.any():
            lines.append(xy)
            continue
        start = 0
        for i in np.nonzero(seam)[0]:
            if i + 1 - start >= 2:
                lines.append(xy[start : i + 1])
            start = i + 1
        if len(xy) - start >= 2:
            lines.append(xy[start:])
    return (
        shapely.multilinestrings([shapely.linestrings(line) for line in lines]) if lines else shapely.MultiLineString()
    )


_worlds: dict[str, World] = {}
_lock = threading.Lock()


def world(path: str | Path = REFERENCE_GPKG) -> World:
    """The :class:`World` of a reference GeoPackage, loaded once per process."""
    key = str(Path(path).resolve())
    with _lock:
        w = _worlds.get(key)
        if w is None:
            w = _worlds[key] = World(path)
        return w


def unwrap_lon(lon, lon0: float):
    """Longitudes (degrees) shifted by multiples of 360° into ``[lon0 - 180, lon0 + 180)``."""
    return (np.asarray(lon, dtype=float) - lon0 + 180.0) % 360.0 - 180.0 + lon0


def unwrap_geometry(geom, lon0: float):
    """A (multi)polygon whose polygons are each shifted by a multiple of 360° of longitude so that their
    centre lies within ``lon0 ± 180°`` (keeps countries across the antimeridian, like Fiji, in one piece)."""
    parts = shapely.get_parts(np.asarray([geom]))
    out = []
    for p in parts:
        xmin, _, xmax, _ = p.bounds
        c = (xmin + xmax) / 2.0
        shift = 0.0
        if c - lon0 > 180.0:
            shift = -360.0
        elif c - lon0 < -180.0:
            shift = 360.0
        out.append(shapely.transform(p, lambda xy, s=shift: xy + np.array([s, 0.0])) if shift else p)
    return shapely.multipolygons(out) if len(out) > 1 else out[0]
