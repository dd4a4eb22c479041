"""Small maps for documents: the results map of a search (PDF report) and the locator map of a project
sheet. The print-quality maps of the atlas live in the rest of :mod:`coopatlas.cartography`.

Data are read from the store in EPSG:4326 (longitude, latitude, degrees) and projected with pyproj:

- the whole world in **Equal Earth** (EPSG:8857, an equal-area projection for world maps);
- results gathered in one region of the world, and the locator map, in a **Lambert azimuthal equal-area**
  projection centred on them (``+proj=laea``), so that a country or a sub-continent keeps its shape.

The background is the ``pays`` collection of the atlas (Natural Earth countries); the points are the
projects (placed at the partner's location) and the public cooperation requests that match the criteria,
coloured by type of action (:data:`coopatlas.vocabulary.COULEURS_TYPE_ACTION`: blue, yellow, red).

matplotlib's object-oriented API only (thread-safe in a server). Map units are metres of the projection.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
import shapely
import shapely.affinity
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from pyproj import Transformer
from shapely.geometry import box

from .. import vocabulary as voc
from ..criteria import Criteria
from ..documents.formats import number
from ..documents.texts import Texts
from ..store import Store

WORLD_CRS = "EPSG:8857"  # WGS 84 / Equal Earth Greenwich
#: Beyond this extent of the results (degrees of longitude / latitude) the map shows the whole world.
LOCAL_MAX_LON, LOCAL_MAX_LAT = 100.0, 65.0
#: Smallest half-width of a regional map, metres (a single partner still shows its region).
MIN_HALF_SIZE = 700_000.0

SEA = voc.PALETTE["mer"]
LAND = voc.PALETTE["voisins"]
LAND_WITH_RESULTS = "#ffffff"
OUTLINE = voc.PALETTE["contour"]
#: Drawing order: requests (red) on top of external actions (yellow) on top of cooperations (blue).
TYPES = ("cooperation_decentralisee", "action_exterieure", "demande_cooperation")

TEXTS = Texts(
    {
        "eqearth": ("Projection : Equal Earth", "Projection: Equal Earth"),
        "laea": ("Projection : Lambert azimutale équivalente", "Projection: Lambert azimuthal equal-area"),
        "fond": ("Fond : Natural Earth (domaine public)", "Background: Natural Earth (public domain)"),
    },
    "overview",
)


# --- data ------------------------------------------------------------------------------------------------

_countries_cache: dict[str, list[tuple[str, object]]] = {}
_lock = threading.Lock()


def countries(store: Store) -> list[tuple[str, object]]:
    """``[(pays_code, shapely geometry in EPSG:4326)]`` of the ``pays`` collection (read once per store)."""
    with _lock:
        cached = _countries_cache.get(store.location)
    if cached is not None:
        return cached
    rows = store.rows(f"SELECT pays_code, {store.geometry_sql('geom')} FROM pays")
    out = [(code, store.decode_geometry(g)) for code, g in rows]
    out = [(c, g) for c, g in out if g is not None and not g.is_empty]
    with _lock:
        _countries_cache[store.location] = out
    return out


def result_points(store: Store, criteria: Criteria | None = None) -> dict[str, np.ndarray]:
    """``{type_action: array of (lon, lat)}`` of the projects and public requests matching ``criteria``
    (requests left out when a criterion cannot apply to them, as in :func:`coopatlas.stats.statistics`)."""
    criteria = criteria or Criteria()
    out: dict[str, list] = {t: [] for t in TYPES}
    geom = store.geometry_sql("geom")
    where, params = criteria.where_in(store, "projets")
    for type_action, g in store.rows(f"SELECT type_action, {geom} FROM projets WHERE {where}", params):
        p = store.decode_geometry(g)
        if p is not None and not p.is_empty and type_action in out:
            out[type_action].append((p.x, p.y))
    if not criteria.not_applicable("demandes") and not criteria.excludes("demandes"):
        where, params = criteria.where_in(store, "demandes")
        for (g,) in store.rows(f"SELECT {geom} FROM demandes WHERE {where}", params):
            p = store.decode_geometry(g)
            if p is not None and not p.is_empty:
                out["demande_cooperation"].append((p.x, p.y))
    return {t: np.asarray(v, dtype=float).reshape(-1, 2) for t, v in out.items()}


def countries_with_results(store: Store, criteria: Criteria | None = None) -> set[str]:
    """Country codes of the matching projects and requests."""
    criteria = criteria or Criteria()
    where, params = criteria.where_in(store, "projets")
    codes = {r[0] for r in store.rows(f"SELECT DISTINCT pays_code FROM projets WHERE {where}", params)}
    if not criteria.not_applicable("demandes") and not criteria.excludes("demandes"):
        where, params = criteria.where_in(store, "demandes")
        codes |= {r[0] for r in store.rows(f"SELECT DISTINCT pays_code FROM demandes WHERE {where}", params)}
    return codes


# --- projection and view ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class View:
    """A map view: the projection (``crs``, PROJ string or EPSG code), the clip window of the background in
    degrees (``None``: the whole world) and the map extent in projected metres."""

    crs: str
    kind: str  # "eqearth" or "laea"
    window: tuple[float, float, float, float] | None
    extent: tuple[float, float, float, float]


def _transformer(crs: str) -> Transformer:
    return Transformer.from_crs("EPSG:4326", crs, always_xy=True)


def _project(geom, tr: Transformer):
    return shapely.transform(geom, lambda xy: np.column_stack(tr.transform(xy[:, 0], xy[:, 1])))


def _circular_mean(lons: np.ndarray) -> float:
    rad = np.radians(lons)
    return math.degrees(math.atan2(np.sin(rad).mean(), np.cos(rad).mean()))


def _fit(extent, aspect: float, min_half: float, pad: float = 0.12):
    """``extent`` (x0, y0, x1, y1) padded, at least ``2 * min_half`` wide or high, with the ``aspect``
    (width / height) of the axes."""
    x0, y0, x1, y1 = extent
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    hw = max((x1 - x0) / 2 * (1 + pad), min_half)
    hh = max((y1 - y0) / 2 * (1 + pad), min_half / aspect)
    if hw / hh < aspect:
        hw = hh * aspect
    else:
        hh = hw / aspect
    return cx - hw, cy - hh, cx + hw, cy + hh


def world_view() -> View:
    tr = _transformer(WORLD_CRS)
    xs, _ = tr.transform([-180.0, 180.0], [0.0, 0.0])
    _, ys = tr.transform([0.0, 0.0], [-90.0, 90.0])
    return View(WORLD_CRS, "eqearth", None, (xs[0], ys[0], xs[1], ys[1]))


def local_view(
    lon0: float, lat0: float, lons: np.ndarray, lats: np.ndarray, aspect: float, min_half: float = MIN_HALF_SIZE
) -> View:
    """A Lambert azimuthal equal-area view centred on (lon0, lat0) holding the points."""
    crs = f"+proj=laea +lat_0={lat0:.4f} +lon_0={lon0:.4f} +datum=WGS84 +units=m +no_defs"
    tr = _transformer(crs)
    xs, ys = tr.transform(lons, lats)
    extent = _fit((min(xs), min(ys), max(xs), max(ys)), aspect, min_half)
    # background clipped to a window of the globe around the centre (no point near the antipode)
    window = (lon0 - 80.0, max(lat0 - 70.0, -89.5), lon0 + 80.0, min(lat0 + 70.0, 89.5))
    return View(crs, "laea", window, extent)


def choose_view(points: dict[str, np.ndarray], aspect: float) -> View:
    """The world in Equal Earth, or a regional view when the points are gathered (see
    :data:`LOCAL_MAX_LON`, :data:`LOCAL_MAX_LAT`)."""
    pts = np.vstack([p for p in points.values() if len(p)] or [np.empty((0, 2))])
    if not len(pts):
        return world_view()
    lon_c = _circular_mean(pts[:, 0])
    lons = (pts[:, 0] - lon_c + 180.0) % 360.0 - 180.0 + lon_c  # unwrapped around the centre
    lats = pts[:, 1]
    if lons.max() - lons.min() > LOCAL_MAX_LON or lats.max() - lats.min() > LOCAL_MAX_LAT:
        return world_view()
    lon0 = (lons.max() + lons.min()) / 2
    lat0 = (lats.max() + lats.min()) / 2
    return local_view(lon0, lat0, lons, lats, aspect)


# --- drawing ---------------------------------------------------------------------------------------------


def _path(geom) -> Path | None:
    """A matplotlib path of a (multi)polygon (holes included)."""
    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        for ring in (poly.exterior, *poly.interiors):
            xy = np.asarray(ring.coords)
            if len(xy) < 3:
                continue
            verts.append(xy)
            codes.append(np.r_[Path.MOVETO, np.full(len(xy) - 2, Path.LINETO), Path.CLOSEPOLY])
    if not verts:
        return None
    return Path(np.vstack(verts), np.concatenate(codes).astype(Path.code_type))


def _polygons(geom):
    """Only the polygon parts of a clipped geometry."""
    if geom.is_empty:
        return None
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in getattr(geom, "geoms", []) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else None


_world_paths: dict[str, list[tuple[str, Path]]] = {}


def _background(store: Store, view: View) -> list[tuple[str, Path]]:
    """``[(pays_code, projected path)]`` of the countries in the view (the world ones cached per store)."""
    key = store.location
    if view.window is None:
        with _lock:
            cached = _world_paths.get(key)
        if cached is not None:
            return cached
    tr = _transformer(view.crs)
    out = []
    if view.window is None:
        clip = None
    else:
        w = view.window
        clip = box(*w)
    for code, geom in countries(store):
        if clip is not None:
            pieces = []
            for shift in (0.0, 360.0, -360.0):
                g = shapely.affinity.translate(geom, xoff=shift) if shift else geom
                if g.intersects(clip):
                    pieces.append(g.intersection(clip))
            geom = _polygons(shapely.union_all(pieces)) if pieces else None
            if geom is None:
                continue
        path = _path(_project(geom, tr))
        if path is not None:
            out.append((code, path))
    if view.window is None:
        with _lock:
            _world_paths[key] = out
    return out


def _globe_outline(view: View) -> Path:
    """The edge of the Equal Earth world (meridians ±180°), for the sea."""
    tr = _transformer(view.crs)
    lat = np.linspace(-90, 90, 181)
    lon = np.r_[np.full(181, -180.0), np.full(181, 180.0)]
    lat = np.r_[lat, lat[::-1]]
    x, y = tr.transform(lon, lat)
    xy = np.column_stack([x, y])
    return Path(np.vstack([xy, xy[:1]]), closed=True)


def draw_background(
    ax, store: Store, view: View, highlight: set[str] = frozenset(), strong: set[str] = frozenset()
) -> None:
    """Sea, countries (``highlight`` ones in white, ``strong`` ones in light yellow) and outlines."""
    if view.window is None:
        ax.add_patch(PathPatch(_globe_outline(view), facecolor=SEA, edgecolor=OUTLINE, linewidth=0.4, zorder=0))
        ax.set_facecolor("white")
    else:
        ax.set_facecolor(SEA)
    paths = _background(store, view)
    colors = [("#fff4c2" if c in strong else LAND_WITH_RESULTS if c in highlight else LAND) for c, _ in paths]
    coll = PatchCollection(
        [PathPatch(p) for _, p in paths], facecolors=colors, edgecolors=OUTLINE, linewidths=0.2, zorder=1
    )
    ax.add_collection(coll)


def _setup(ax, view: View) -> None:
    x0, y0, x1, y1 = view.extent
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_visible(view.window is not None)
        spine.set_linewidth(0.5)
        spine.set_color(OUTLINE)


def _marker_size(n: int) -> float:
    """Marker area (points²): big for a few points, small for thousands."""
    return float(np.clip(400.0 / math.sqrt(max(n, 1)), 3.0, 40.0))


def results_map(
    store: Store,
    criteria: Criteria | None = None,
    lang: str = "fr",
    size: tuple[float, float] = (7.2, 3.9),
    points: dict[str, np.ndarray] | None = None,
) -> Figure:
    """The map of the results of ``criteria``: projects and requests coloured by type, on the countries
    (those with results in white). ``size`` in inches. Legend with the counts of each type."""
    criteria = criteria or Criteria()
    points = points if points is not None else result_points(store, criteria)
    fig = Figure(figsize=size)
    ax = fig.add_axes((0, 0.07, 1, 0.93))
    view = choose_view(points, size[0] / (size[1] * 0.93))
    draw_background(ax, store, view, highlight=countries_with_results(store, criteria), strong=set(criteria.pays))
    tr = _transformer(view.crs)
    total = sum(len(p) for p in points.values())
    size_pt = _marker_size(total)
    handles, labels = [], []
    for i, t in enumerate(TYPES):
        pts = points.get(t)
        if pts is None or not len(pts):
            continue
        x, y = tr.transform(pts[:, 0], pts[:, 1])
        color = voc.COULEURS_TYPE_ACTION[t]
        ax.scatter(
            x,
            y,
            s=size_pt,
            c=color,
            edgecolors="#333333",
            linewidths=0.25 if total > 500 else 0.5,
            alpha=0.85,
            zorder=3 + i,
        )
        handles.append(
            Line2D([], [], marker="o", linestyle="", markerfacecolor=color, markeredgecolor="#333333", markersize=6)
        )
        labels.append(f"{voc.TYPES_ACTION.label(t, lang)} ({number(len(pts), lang)})")
    _setup(ax, view)
    if handles:
        fig.legend(
            handles,
            labels,
            loc="lower left",
            ncol=3,
            fontsize=7,
            frameon=False,
            bbox_to_anchor=(0.0, 0.0),
            handletextpad=0.3,
            columnspacing=1.2,
        )
    fig.text(
        0.995,
        0.995,
        f"{TEXTS(view.kind, lang)} · {TEXTS('fond', lang)}",
        ha="right",
        va="top",
        fontsize=5.5,
        color="#555555",
        zorder=10,
    )
    return fig


def locator_map(
    store: Store,
    lon: float,
    lat: float,
    pays_code: str | None = None,
    type_action: str = "cooperation_decentralisee",
    lang: str = "fr",
    size: tuple[float, float] = (3.2, 2.4),
    half_size_m: float = 1_300_000.0,
) -> Figure:
    """A small map locating one point (a project at its partner's place), its country in light yellow.
    Lambert azimuthal equal-area centred on the point; ``half_size_m`` is the half-width in metres."""
    fig = Figure(figsize=size)
    ax = fig.add_axes((0, 0.08, 1, 0.92))
    view = local_view(lon, lat, np.array([lon]), np.array([lat]), size[0] / (size[1] * 0.92), half_size_m)
    draw_background(ax, store, view, strong={pays_code} if pays_code else set())
    tr = _transformer(view.crs)
    x, y = tr.transform([lon], [lat])
    ax.scatter(
        x,
        y,
        s=60,
        c=voc.COULEURS_TYPE_ACTION.get(type_action, "#1f5fbf"),
        edgecolors="#222222",
        linewidths=0.8,
        zorder=5,
    )
    _setup(ax, view)
    fig.text(
        0.99,
        0.01,
        f"{TEXTS('laea', lang)} · {TEXTS('fond', lang)}",
        ha="right",
        va="bottom",
        fontsize=4.5,
        color="#555555",
    )
    return fig


__all__ = ["results_map", "locator_map", "result_points", "choose_view", "countries", "View"]
