"""The projected background of a map frame: the countries cut to the frame, as matplotlib paths.

:func:`background` takes the reference countries (EPSG:4326), keeps what falls in the geographic window
of the frame (:func:`~coopatlas.cartography.projection.geographic_window`, longitudes unwrapped around the
central meridian), densifies long edges, projects, simplifies to the printing resolution and clips to the
frame (map metres). :func:`polygon_path` turns polygons into one compound matplotlib path.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely
from matplotlib.path import Path

from .geography import World
from .projection import MapProjection, densify_step, geographic_window


@dataclass
class Background:
    """Country polygons of one frame, in map metres: ``geoms[i]`` belongs to country ``codes[i]``;
    ``seam[i]`` tells a polygon cut along the antimeridian, whose outline is drawn from ``outlines``
    (lines of country ``outline_codes``) instead of its own edges, so that the cut does not show."""

    geoms: np.ndarray
    codes: np.ndarray
    seam: np.ndarray | None = None
    outlines: np.ndarray | None = None
    outline_codes: np.ndarray | None = None

    def of(self, code: str) -> np.ndarray:
        return self.geoms[self.codes == code]

    def others(self, code: str) -> np.ndarray:
        return self.geoms[self.codes != code]


def background(world: World, proj: MapProjection, extent, resolution_m: float) -> Background:
    """The countries in ``extent`` (xmin, ymin, xmax, ymax in map metres of ``proj``).

    ``resolution_m``: the map metres below which detail is not printed (e.g. what 0.1 mm of paper
    covers); the polygons are simplified to it.
    """
    empty = np.asarray([], dtype=object)
    window = geographic_window(proj, extent)
    shifts = world.part_shifts(proj.lon0)
    # detail finer than resolution_m is not printed: start from pre-simplified polygons (degrees, taking
    # 111 km per degree, the longest: never coarser than asked)
    parts = world.unwrapped_parts(proj.lon0, tolerance=resolution_m / 111_320.0)
    b = shapely.bounds(parts)
    near = (b[:, 2] >= window[0]) & (b[:, 0] <= window[2]) & (b[:, 3] >= window[1]) & (b[:, 1] <= window[3])
    candidates = np.nonzero(near)[0]
    clipped = np.full(len(parts), None, dtype=object)
    clipped[candidates] = shapely.clip_by_rect(parts[candidates], *window)
    idx = candidates[~shapely.is_empty(clipped[candidates])]
    if len(idx) == 0:
        return Background(empty, empty, np.zeros(0, bool), empty, empty)
    xmin, ymin, xmax, ymax = extent
    pad = 0.02 * max(xmax - xmin, ymax - ymin)
    step = densify_step(window)

    def to_map(geoms):
        projected = proj.project(shapely.segmentize(geoms, step))
        finite = np.isfinite(shapely.bounds(projected)).all(axis=1)
        out = shapely.clip_by_rect(projected, xmin - pad, ymin - pad, xmax + pad, ymax + pad)
        out = shapely.simplify(out, resolution_m)
        return np.where(finite, out, None)

    polys = to_map(clipped[idx])
    keep = np.array([g is not None and not g.is_empty for g in polys], dtype=bool)
    idx, polys = idx[keep], polys[keep]
    seam = world.part_seam[idx]
    lines, line_codes = [], []
    for i in idx[seam]:
        ol = world.seam_outlines[int(i)]
        if shifts[i]:
            ol = shapely.transform(ol, lambda xy, s=shifts[i]: xy + np.array([s, 0.0]))
        ol = shapely.clip_by_rect(ol, *window)
        if not ol.is_empty:
            lines.append(ol)
            line_codes.append(world.part_codes[i])
    outlines = to_map(np.asarray(lines, dtype=object)) if lines else empty
    ok = np.array([g is not None and not g.is_empty for g in outlines], dtype=bool)
    return Background(
        polys,
        world.part_codes[idx],
        seam,
        np.asarray(outlines, dtype=object)[ok] if lines else empty,
        np.asarray(line_codes, dtype=object)[ok] if lines else empty,
    )


def _ring_arrays(ring) -> tuple[np.ndarray, np.ndarray]:
    xy = np.asarray(ring.coords)[:, :2]
    codes = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
    codes[0] = Path.MOVETO
    codes[-1] = Path.CLOSEPOLY
    return xy, codes


def polygon_path(geoms) -> Path | None:
    """One compound :class:`~matplotlib.path.Path` of the polygons in ``geoms`` (holes included), in the
    geometries' own coordinates; ``None`` when there is nothing to draw."""
    verts, codes = [], []
    for g in np.atleast_1d(np.asarray(geoms, dtype=object)):
        if g is None or g.is_empty:
            continue
        for poly in shapely.get_parts(np.asarray([g])):
            if poly.geom_type != "Polygon" or poly.is_empty:
                continue
            for ring in (poly.exterior, *poly.interiors):
                if len(ring.coords) < 4:
                    continue
                v, c = _ring_arrays(ring)
                verts.append(v)
                codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))


def line_path(geoms) -> Path | None:
    """One matplotlib path of the lines in ``geoms`` (LineStrings, MultiLineStrings), unfilled."""
    verts, codes = [], []
    for g in np.atleast_1d(np.asarray(geoms, dtype=object)):
        if g is None or g.is_empty:
            continue
        for line in shapely.get_parts(np.asarray([g])):
            if line.geom_type not in ("LineString", "LinearRing") or len(line.coords) < 2:
                continue
            xy = np.asarray(line.coords)[:, :2]
            c = np.full(len(xy), Path.LINETO, dtype=Path.code_type)
            c[0] = Path.MOVETO
            verts.append(xy)
            codes.append(c)
    if not verts:
        return None
    return Path(np.concatenate(verts), np.concatenate(codes))
