"""The projection of a country map, and where the country's remote parts go.

**Projection** (:func:`choose_projection`): never plain longitude/latitude. From the extent of the part
of the country shown in the main frame (longitudes "unwrapped" around it, so that countries across the
antimeridian, like Russia or Fiji, are one piece):

- taller than wide (north-south span ≥ 1.5 × east-west span: Chile, Vietnam, Norway): **transverse
  Mercator** (conformal) on the central meridian of the country, scale factor 1 on it;
- wider than tall (≥ 1.5 ×) away from the equator (centre latitude ≥ 20°: Russia, the contiguous United
  States, Mexico): **Lambert conformal conic** with standard parallels at 1/6 and 5/6 of the latitude span
  (the classic rule), central meridian and latitude of origin at the centre;
- otherwise (compact countries, and the equatorial archipelagos like Indonesia): **Lambert azimuthal
  equal-area** centred on the country; around a pole (Antarctica), its polar aspect.

Parameters are rounded (0.5°) so that the projection can be written down and reused (the PROJ string is
printed on the map and is the CRS of the GeoTIFF output). Datum WGS 84, units metres.

**Remote parts** (:func:`split_country`): the polygons of the country are grouped (single linkage at a
distance that grows with the country's size); the largest group is the main extent, and the other
groups join it one by one, nearest first, when they are within :data:`JOIN_DISTANCE` of it or when the
bounding box grows by less than :data:`MAX_GROWTH` (more for a large group): archipelagos such as
Indonesia, Cap-Vert or Fiji stay whole, Kaliningrad stays with Russia, Alaska and Hawaii do not join the
contiguous United States. The groups left are drawn as **insets** (each in its own projection, with its own
scale bar) when they hold partners or are large (Alaska and Hawaii for the United States; at most :data:`MAX_INSETS`);
the smaller ones without partners are left out and the map says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import shapely
from pyproj import CRS, Geod, Transformer

from .geography import unwrap_geometry, unwrap_lon

GEOD = Geod(ellps="WGS84")
#: Largest growth of the main extent's bounding-box area when a remote group of polygons joins it.
MAX_GROWTH = 1.6
#: A remote group of polygons this close to the main extent (map metres) always joins it (small archipelagos).
JOIN_DISTANCE = 300_000.0
#: Most insets on one map.
MAX_INSETS = 3
#: A remote group without partners gets an inset when its area is at least this share of the main part
#: and at least INSET_MIN_AREA_KM2 (Hawaii, the Galápagos, the Canaries, the Azores: yes; Rotuma: no).
INSET_MIN_AREA_SHARE = 0.001
INSET_MIN_AREA_KM2 = 200.0

_KIND_NAMES = {
    "laea": ("Projection azimutale équivalente de Lambert", "Lambert azimuthal equal-area projection"),
    "tmerc": ("Projection transverse de Mercator (conforme)", "Transverse Mercator projection (conformal)"),
    "lcc": ("Projection conique conforme de Lambert", "Lambert conformal conic projection"),
}


def _deg(value: float, pos: str, neg: str, lang: str = "fr") -> str:
    v = f"{abs(value):g}"
    return f"{v if lang == 'en' else v.replace('.', ',')}° {pos if value >= 0 else neg}"


def _round(value: float, step: float = 0.5) -> float:
    return round(value / step) * step + 0.0


def _norm_lon(lon: float) -> float:
    return (lon + 180.0) % 360.0 - 180.0


@dataclass(frozen=True)
class MapProjection:
    """A projection centred on a map: ``kind`` is ``laea``, ``tmerc`` or ``lcc``; angles in degrees.

    Map coordinates are metres (x east, y north at the centre) on the WGS 84 ellipsoid.
    """

    kind: str
    lon0: float
    lat0: float
    lat1: float | None = None
    lat2: float | None = None

    @property
    def proj4(self) -> str:
        """The PROJ string of the projection."""
        lon0 = _norm_lon(self.lon0)
        if self.kind == "laea":
            p = f"+proj=laea +lat_0={self.lat0:g} +lon_0={lon0:g}"
        elif self.kind == "tmerc":
            p = f"+proj=tmerc +lat_0={self.lat0:g} +lon_0={lon0:g} +k=1"
        elif self.kind == "lcc":
            p = f"+proj=lcc +lat_1={self.lat1:g} +lat_2={self.lat2:g} +lat_0={self.lat0:g} +lon_0={lon0:g}"
        else:
            raise ValueError(f"unknown projection kind {self.kind!r}")
        return p + " +x_0=0 +y_0=0 +datum=WGS84 +units=m +no_defs +type=crs"

    @cached_property
    def crs(self) -> CRS:
        return CRS.from_proj4(self.proj4)

    @cached_property
    def _fwd(self) -> Transformer:
        return Transformer.from_crs("EPSG:4326", self.crs, always_xy=True)

    @cached_property
    def _inv(self) -> Transformer:
        return Transformer.from_crs(self.crs, "EPSG:4326", always_xy=True)

    def describe(self, lang: str = "fr") -> str:
        """The projection in words, with its parameters (for the credits of the map)."""
        fr, en = _KIND_NAMES[self.kind]
        name = en if lang == "en" else fr
        lon0 = _norm_lon(self.lon0)
        w = ("W", "E") if lang == "en" else ("O", "E")
        mer = _deg(lon0, w[1], w[0], lang)
        if self.kind == "lcc":
            par = (
                f"{_deg(self.lat1, 'N', 'S', lang)} et {_deg(self.lat2, 'N', 'S', lang)}"
                if lang != "en"
                else f"{_deg(self.lat1, 'N', 'S', lang)} and {_deg(self.lat2, 'N', 'S', lang)}"
            )
            return (
                f"{name}, standard parallels {par}, central meridian {mer}"
                if lang == "en"
                else f"{name}, parallèles de référence {par}, méridien central {mer}"
            )
        centre = f"{_deg(self.lat0, 'N', 'S', lang)}, {mer}"
        if self.kind == "tmerc":
            return f"{name}, central meridian {mer}" if lang == "en" else f"{name}, méridien central {mer}"
        return f"{name}, centred on {centre}" if lang == "en" else f"{name}, centrée sur {centre}"

    # --- transformations ---------------------------------------------------------------------------------
    def forward(self, lon, lat) -> tuple[np.ndarray, np.ndarray]:
        """Map metres of longitudes/latitudes (degrees, EPSG:4326)."""
        x, y = self._fwd.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
        return np.asarray(x, dtype=float), np.asarray(y, dtype=float)

    def inverse(self, x, y) -> tuple[np.ndarray, np.ndarray]:
        """Longitudes/latitudes (degrees, EPSG:4326, longitudes within ±180) of map metres."""
        lon, lat = self._inv.transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
        return np.asarray(lon, dtype=float), np.asarray(lat, dtype=float)

    def project(self, geoms):
        """Shapely geometries (or an array of them) from EPSG:4326 degrees to map metres."""

        def fn(xy):
            x, y = self._fwd.transform(xy[:, 0], xy[:, 1])
            return np.column_stack([x, y])

        return shapely.transform(geoms, fn)

    # --- scale and north ------------------------------------------------------------------------------------
    def ground_per_map_metre(self, x: float, y: float, step: float = 1000.0) -> float:
        """Metres on the ellipsoid per map metre along the map's x axis at ``(x, y)`` (map metres).

        Measured, not assumed: the geodesic length between the points ``x ± step`` (inverse-projected),
        divided by ``2 × step``. A scale bar of ``L`` ground metres drawn along x at that point is
        ``L / ground_per_map_metre`` map metres long.
        """
        lon, lat = self.inverse([x - step, x + step], [y, y])
        _, _, dist = GEOD.inv(lon[0], lat[0], lon[1], lat[1])
        return dist / (2.0 * step)

    def north_angle(self, x: float, y: float) -> float:
        """Direction of true north at ``(x, y)`` (map metres), in degrees counter-clockwise from the map's
        +y axis (0 when the meridian there is vertical)."""
        lon, lat = self.inverse([x], [y])
        dlat = 0.01 if lat[0] < 89.9 else -0.01
        x2, y2 = self.forward([lon[0], lon[0]], [lat[0], lat[0] + dlat])
        dx, dy = x2[1] - x2[0], y2[1] - y2[0]
        if dlat < 0:
            dx, dy = -dx, -dy
        return math.degrees(math.atan2(-dx, dy))


def choose_projection(geom, lon_ref: float | None = None) -> MapProjection:
    """The projection for a map of ``geom`` (shapely geometry, EPSG:4326 degrees), see the module's rules.

    ``lon_ref`` (degrees) is a longitude inside the area (default: the centre of its largest polygon): the
    longitudes are unwrapped around it first, so that areas across the antimeridian are handled whole.
    """
    if lon_ref is None:
        parts = shapely.get_parts(np.asarray([geom]))
        big = parts[int(np.argmax(shapely.area(parts)))]
        lon_ref = big.centroid.x
    g = unwrap_geometry(geom, lon_ref) if geom.geom_type in ("Polygon", "MultiPolygon") else geom
    xmin, ymin, xmax, ymax = g.bounds
    if geom.geom_type not in ("Polygon", "MultiPolygon"):
        lons = unwrap_lon(shapely.get_coordinates(geom)[:, 0], lon_ref)
        xmin, xmax = float(lons.min()), float(lons.max())
    lonc = (xmin + xmax) / 2.0
    latc = (ymin + ymax) / 2.0
    width_km = (xmax - xmin) * 111.32 * max(math.cos(math.radians(latc)), 0.05)
    height_km = (ymax - ymin) * 110.6
    lon0 = _round(lonc)
    lat0 = max(-89.5, min(89.5, _round(latc)))
    if xmax - xmin >= 300.0:  # around a pole (Antarctica): polar azimuthal
        return MapProjection("laea", 0.0, 90.0 if latc >= 0 else -90.0)
    if height_km >= 1.5 * max(width_km, 1.0):
        return MapProjection("tmerc", lon0, lat0)
    if width_km >= 1.5 * max(height_km, 1.0) and abs(latc) >= 20.0 and ymin * ymax > 0:
        span = ymax - ymin
        lat1 = _round(ymin + span / 6.0)
        lat2 = _round(ymax - span / 6.0)
        if lat1 == lat2:
            lat2 = lat1 + (0.5 if latc >= 0 else -0.5)
        lat1, lat2 = (max(-89.0, min(89.0, v)) for v in (lat1, lat2))
        return MapProjection("lcc", lon0, lat0, lat1, lat2)
    return MapProjection("laea", lon0, lat0)


# --- extents --------------------------------------------------------------------------------------------

Extent = tuple  # (xmin, ymin, xmax, ymax), map metres


def fit_extent(
    bounds, width_mm: float, height_mm: float, margin_mm: float = 6.0, min_size_m: float = 20_000.0
) -> tuple[tuple[float, float, float, float], float]:
    """The extent (map metres) showing ``bounds`` (map metres) in a frame of ``width_mm × height_mm``
    with ``margin_mm`` around, centred, with the frame's aspect ratio; and the map metres per millimetre
    of paper. ``min_size_m`` keeps tiny areas from being blown up (an island still shows its sea)."""
    xmin, ymin, xmax, ymax = bounds
    w = max(xmax - xmin, min_size_m)
    h = max(ymax - ymin, min_size_m)
    scale = max(w / max(width_mm - 2 * margin_mm, 1.0), h / max(height_mm - 2 * margin_mm, 1.0))
    cx, cy = (xmin + xmax) / 2.0, (ymin + ymax) / 2.0
    half_w, half_h = width_mm * scale / 2.0, height_mm * scale / 2.0
    return (cx - half_w, cy - half_h, cx + half_w, cy + half_h), scale


def geographic_window(proj: MapProjection, extent, margin_deg: float = 3.0) -> tuple[float, float, float, float]:
    """The longitude/latitude box (degrees; longitudes unwrapped around the projection's central
    meridian, possibly beyond ±180) that covers the map ``extent`` (map metres), with ``margin_deg``.

    Found by inverse-projecting the frame's edges and a grid inside it; a pole inside the frame extends
    the box to that pole and to every longitude. Transverse Mercator windows stay within 80° of the
    central meridian (the projection diverges at 90°).
    """
    xmin, ymin, xmax, ymax = extent
    n = 24
    xs = np.linspace(xmin, xmax, n)
    ys = np.linspace(ymin, ymax, n)
    gx, gy = np.meshgrid(xs, ys)
    lon, lat = proj.inverse(gx.ravel(), gy.ravel())
    ok = np.isfinite(lon) & np.isfinite(lat)
    lon, lat = unwrap_lon(lon[ok], proj.lon0), lat[ok]
    if lon.size == 0:
        return (proj.lon0 - 180.0, -90.0, proj.lon0 + 180.0, 90.0)
    w = [
        lon.min() - margin_deg,
        max(lat.min() - margin_deg, -90.0),
        lon.max() + margin_deg,
        min(lat.max() + margin_deg, 90.0),
    ]
    for pole in (90.0, -90.0):
        px, py = proj.forward([proj.lon0], [pole])
        if np.isfinite(px[0]) and xmin <= px[0] <= xmax and ymin <= py[0] <= ymax:
            w[0], w[2] = proj.lon0 - 180.0, proj.lon0 + 180.0
            if pole > 0:
                w[3] = 90.0
            else:
                w[1] = -90.0
    # a frame spanning nearly all longitudes: take them all
    if w[2] - w[0] >= 300.0:
        w[0], w[2] = proj.lon0 - 180.0, proj.lon0 + 180.0
    if proj.kind == "tmerc":
        w[0], w[2] = max(w[0], proj.lon0 - 80.0), min(w[2], proj.lon0 + 80.0)
    w[0], w[2] = max(w[0], proj.lon0 - 180.0), min(w[2], proj.lon0 + 180.0)
    return tuple(float(v) for v in w)


def densify_step(window) -> float:
    """Longest segment (degrees) kept before projecting: long straight edges (the 49th parallel) curve."""
    span = max(window[2] - window[0], window[3] - window[1])
    return float(min(1.0, max(0.05, span / 150.0)))


# --- remote parts ---------------------------------------------------------------------------------------


@dataclass
class PartGroup:
    """A group of polygons of the country (EPSG:4326, unwrapped), with the partner points it holds."""

    geometry: object
    area_km2: float
    points: list[int] = field(default_factory=list)  # indices into the points given to split_country
    name: str | None = None


@dataclass
class CountrySplit:
    """The country cut into what the main frame shows, the insets, and the parts left out."""

    main: PartGroup
    insets: list[PartGroup]
    omitted: list[PartGroup]
    lon_ref: float
    #: indices of the points in omitted groups (not drawn)
    outside_points: list[int] = field(default_factory=list)


def _laea_for(lon: float, lat: float) -> MapProjection:
    return MapProjection("laea", lon, max(-89.5, min(89.5, lat)))


def _union_find_groups(geoms, distance: float) -> list[list[int]]:
    """Single-linkage groups (lists of indices) of ``geoms`` (map metres) closer than ``distance``."""
    n = len(geoms)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    if n > 1:
        tree = shapely.STRtree(geoms)
        left, right = tree.query(geoms, predicate="dwithin", distance=distance)
        for i, j in zip(left, right):
            ri, rj = find(int(i)), find(int(j))
            if ri != rj:
                parent[ri] = rj
    groups: dict[int, list[int]] = {}
    for i in range(n):
        groups.setdefault(find(i), []).append(i)
    return list(groups.values())


def _multi(geoms):
    """One geometry of many (their parts together: MultiPolygon, or GeometryCollection when mixed)."""
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    if len(geoms) == 1:
        return geoms[0]
    flat = shapely.get_parts(np.asarray(geoms, dtype=object))
    if all(g.geom_type == "Polygon" for g in flat):
        return shapely.multipolygons(flat)
    return shapely.geometrycollections(flat)


def split_country(geom, points_lonlat: np.ndarray | None = None) -> CountrySplit:
    """Cut a country (shapely (Multi)Polygon, EPSG:4326) into the main frame, insets and omitted parts.

    ``points_lonlat`` (N × 2 array of lon, lat degrees): the partner places, each assigned to the nearest
    group (a point out at sea goes to the group it is nearest to). Points of omitted groups are listed in
    :attr:`CountrySplit.outside_points` (the map says they are not shown).
    """
    pts = np.zeros((0, 2)) if points_lonlat is None else np.asarray(points_lonlat, dtype=float).reshape(-1, 2)
    raw = list(shapely.get_parts(np.asarray([geom])))
    big = max(raw, key=lambda p: p.area)
    lon_ref = big.centroid.x
    parts = [unwrap_geometry(p, lon_ref) for p in raw]
    tmp = _laea_for(lon_ref, big.centroid.y)
    proj_parts = tmp.project(np.asarray(parts, dtype=object))
    areas = shapely.area(proj_parts) / 1e6
    total = float(areas.sum())
    # coarse copies for the distances (grouping only): 1 km tolerance
    coarse = shapely.simplify(proj_parts, 1000.0)
    coarse = np.where(shapely.is_empty(coarse), shapely.centroid(proj_parts), coarse)
    # 1. single-linkage groups of polygons
    threshold = max(30_000.0, 0.08 * math.sqrt(total * 1e6))
    members = _union_find_groups(coarse, threshold)
    gcoarse = [_multi(coarse[m]) if len(m) > 1 else coarse[m[0]] for m in members]
    garea = [float(areas[m].sum()) for m in members]
    # 2. the largest group, and the groups that join it
    ig_main = int(np.argmax(garea))
    main_ids = [ig_main]
    main_area = garea[ig_main]
    box = np.array(shapely.bounds(gcoarse[ig_main]))
    rest = [k for k in range(len(members)) if k != ig_main]
    changed = True
    while changed and rest:
        changed = False
        dist = {k: float(shapely.distance(shapely.box(*box), gcoarse[k])) for k in rest}
        rest.sort(key=lambda k: dist[k])
        for k in list(rest):
            b = np.array(shapely.bounds(gcoarse[k]))
            nb = np.array([min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3])])
            area_now = max((box[2] - box[0]) * (box[3] - box[1]), 1.0)
            area_new = (nb[2] - nb[0]) * (nb[3] - nb[1])
            allowed = MAX_GROWTH * (1.0 + garea[k] / max(main_area, 1e-9))
            if dist[k] <= JOIN_DISTANCE or area_new <= allowed * area_now:
                box = nb
                main_ids.append(k)
                main_area += garea[k]
                rest.remove(k)
                changed = True
                break
    # 3. the remote groups, grouped again at JOIN_DISTANCE (the Canary Islands are one inset)
    remote = (
        [[rest[i] for i in grp] for grp in _union_find_groups([gcoarse[k] for k in rest], JOIN_DISTANCE)]
        if rest
        else []
    )
    clusters = [main_ids] + remote
    cl_geom = [_multi([gcoarse[k] for k in ks]) for ks in clusters]
    # 4. points: nearest cluster
    assign = np.zeros(len(pts), dtype=int)
    if len(pts) and len(clusters) > 1:
        px, py = tmp.forward(unwrap_lon(pts[:, 0], lon_ref), pts[:, 1])
        ppts = shapely.points(px, py)
        dists = np.stack([shapely.distance(g, ppts) for g in cl_geom])
        assign = np.argmin(dists, axis=0)

    def group(ci: int) -> PartGroup:
        idx = [i for k in clusters[ci] for i in members[k]]
        g = PartGroup(_multi([parts[i] for i in idx]), float(areas[idx].sum()))
        g.points = [int(i) for i in np.nonzero(assign == ci)[0]]
        return g

    main = group(0)
    others = sorted((group(ci) for ci in range(1, len(clusters))), key=lambda g: (-len(g.points), -g.area_km2))
    insets, omitted, outside = [], [], []
    for g in others:
        wanted = bool(g.points) or g.area_km2 >= max(INSET_MIN_AREA_SHARE * main.area_km2, INSET_MIN_AREA_KM2)
        if wanted and len(insets) < MAX_INSETS:
            insets.append(g)
        else:
            outside.extend(g.points)
            g.points = []
            omitted.append(g)
    return CountrySplit(main, insets, omitted, lon_ref, sorted(outside))
