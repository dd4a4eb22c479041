"""What the vector tiles of the atlas hold, the same on every backend (GeoPackage and PostGIS).

One Mapbox Vector Tile layer per tile, named after the collection (``projets``, ``pays``...), in the
``WebMercatorQuad`` tile matrix set, zooms :data:`MIN_ZOOM` to :data:`MAX_ZOOM`, extent :data:`EXTENT`
with a buffer of :data:`BUFFER` units around the tile.

Features carry what styling, labels and a popup need (:attr:`TileLayer.properties`: id, type, title,
counts), never whole records. Only public data: the tiles read the same tables and views as the
features (``demandes`` is the view of the validated requests, on both backends).

**Aggregates.** At zooms up to :data:`AGGREGATE_MAX_ZOOM` the features of the point collections and of
``liens`` that share one geometry (one place, one flow) are merged into one feature, so that no tile
grows with the number of records; nothing is dropped, and a tile says what it holds:

* every feature of such a tile has ``agregat = true`` and ``nombre``, the number of records it stands
  for; the sums of the record counts (``nb_projets``, ``nb_demandes``) of its records; the most
  frequent value of the colour field (``type_action``, ``type_collectivite`` or
  ``type_action_principal``; ties go to the first code of the code list); for ``projets`` and
  ``demandes`` the number of records of each type (``nb_cooperation_decentralisee``...); no text (ids,
  names and titles are in the tiles of the higher zooms, and in the features API);
* ``liens`` are aggregated up to :data:`LINKS_AGGREGATE_MAX_ZOOM`;
* above these zooms every record is one feature with its :attr:`TileLayer.properties`
  and ``nombre = 1`` (no ``agregat``).

The tileset metadata (``/collections/{id}/tiles/WebMercatorQuad``) repeats this convention.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ... import schema as sch

TILE_MATRIX_SET = "WebMercatorQuad"
MIN_ZOOM = 0
MAX_ZOOM = 16
#: Point collections and flows are aggregated per geometry at zooms 0 to this one.
AGGREGATE_MAX_ZOOM = 5
#: Flows (``liens``, thousands of lines leaving France) are aggregated per geometry up to this zoom.
LINKS_AGGREGATE_MAX_ZOOM = 7
EXTENT = 4096
BUFFER = 64
MEDIA_TYPE = "application/vnd.mapbox-vector-tile"
#: Half the width of the Web Mercator world, metres.
HALF_WORLD = 20037508.342789244
#: Web Mercator latitude limit, degrees.
MAX_LATITUDE = 85.0511287798066


@dataclass(frozen=True)
class TileLayer:
    """The tile layer of one collection."""

    collection: str
    #: Properties of a feature standing for one record.
    properties: tuple[str, ...]
    #: Field giving the colour (the majority value in an aggregate).
    category: str | None = None
    #: Aggregates count their records per code of :attr:`category` (``nb_<code>``).
    category_counts: bool = False
    #: Aggregated per geometry up to this zoom (``None``: never).
    aggregate_max_zoom: int | None = None

    @property
    def sums(self) -> tuple[str, ...]:
        """Count fields summed in an aggregate."""
        return tuple(p for p in self.properties if p.startswith("nb_"))

    @property
    def codes(self) -> tuple[str, ...]:
        """Codes of :attr:`category`, in the order of its code list."""
        if not self.category:
            return ()
        return tuple(sch.COLLECTIONS[self.collection].field(self.category).vocabulary.codes)

    @property
    def geometry(self) -> str:
        return sch.COLLECTIONS[self.collection].geometry

    @property
    def aggregated(self) -> bool:
        return self.aggregate_max_zoom is not None

    def aggregates_at(self, zoom: int) -> bool:
        return self.aggregated and zoom <= self.aggregate_max_zoom

    def aggregate_properties(self) -> tuple[str, ...]:
        """Every property an aggregate has: counts only (no text, so a tile stays small)."""
        out = ["agregat", "nombre", *self.sums]
        if self.category:
            out.append(self.category)
        if self.category_counts:
            out += [f"nb_{c}" for c in self.codes]
        return tuple(dict.fromkeys(out))


_ACTION = ("type_action",)
LAYERS: dict[str, TileLayer] = {
    layer.collection: layer
    for layer in (
        TileLayer(
            "projets",
            ("id", "titre", *_ACTION, "collectivite_nom", "partenaire_nom", "pays_code"),
            "type_action",
            True,
            AGGREGATE_MAX_ZOOM,
        ),
        TileLayer(
            "demandes", ("id", "titre", *_ACTION, "demandeur_nom", "pays_code"), "type_action", True, AGGREGATE_MAX_ZOOM
        ),
        TileLayer(
            "collectivites",
            ("id", "nom", "type_collectivite", "type_action_principal", "nb_projets"),
            "type_collectivite",
            False,
            AGGREGATE_MAX_ZOOM,
        ),
        TileLayer(
            "partenaires",
            (
                "id",
                "nom",
                "type_partenaire",
                "type_action_principal",
                "pays_code",
                "nb_projets",
                "nb_demandes",
                "en_recherche",
            ),
            "type_action_principal",
            False,
            AGGREGATE_MAX_ZOOM,
        ),
        TileLayer(
            "liens",
            ("id", *_ACTION, "collectivite_nom", "partenaire_nom"),
            "type_action",
            False,
            LINKS_AGGREGATE_MAX_ZOOM,
        ),
        TileLayer(
            "pays",
            (
                "id",
                "nom",
                "nom_en",
                "pays_code",
                "continent",
                "nb_projets",
                "nb_demandes",
                "nb_collectivites",
                "nb_partenaires",
            ),
        ),
        TileLayer("regions", ("id", "nom", "code_region", "nb_projets", "nb_collectivites")),
        TileLayer("departements", ("id", "nom", "code_departement", "nb_projets", "nb_collectivites")),
    )
}


class TileRequestError(Exception):
    """A tile request that cannot be answered: HTTP ``status`` and a message naming the bad input."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def parse_tile(tile_matrix_set: str, z, row, col) -> tuple[int, int, int]:
    """``(z, x, y)`` (``x`` the column, ``y`` the row from the top) of a tile request, checked.

    Raises :class:`TileRequestError`: 404 for an unknown tile matrix set or a tile outside the matrix
    (zoom outside :data:`MIN_ZOOM`-:data:`MAX_ZOOM`, row or column outside ``0 .. 2**z - 1``), 400 for
    indices that are not integers.
    """
    if tile_matrix_set != TILE_MATRIX_SET:
        raise TileRequestError(404, f"tile matrix set {tile_matrix_set!r} is not offered: use {TILE_MATRIX_SET}")
    values = []
    for name, value in (("tileMatrix", z), ("tileRow", row), ("tileCol", col)):
        try:
            values.append(int(str(value), 10))
        except ValueError:
            raise TileRequestError(400, f"{name} must be an integer, not {value!r}") from None
    z, y, x = values
    if not MIN_ZOOM <= z <= MAX_ZOOM:
        raise TileRequestError(
            404, f"tileMatrix {z} is outside the zooms {MIN_ZOOM} to {MAX_ZOOM} of {TILE_MATRIX_SET}"
        )
    size = 2**z
    for name, value in (("tileRow", y), ("tileCol", x)):
        if not 0 <= value < size:
            raise TileRequestError(
                404, f"{name} {value} is outside the matrix {z} of {TILE_MATRIX_SET} (0 to {size - 1})"
            )
    return z, x, y


def mercator_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """Web Mercator (EPSG:3857) bounds of tile ``z/x/y`` (``y`` from the top)."""
    size = 2 * HALF_WORLD / 2**z
    minx = -HALF_WORLD + x * size
    maxy = HALF_WORLD - y * size
    return minx, maxy - size, minx + size, maxy


def lonlat(mx: float, my: float) -> tuple[float, float]:
    """Longitude and latitude (degrees) of a Web Mercator point."""
    lon = mx / HALF_WORLD * 180.0
    lat = math.degrees(2 * math.atan(math.exp(my / HALF_WORLD * math.pi)) - math.pi / 2)
    return lon, lat


def query_bounds(z: int, x: int, y: int) -> tuple[float, float, float, float]:
    """CRS84 box of the tile and its buffer (what the features are searched in)."""
    minx, miny, maxx, maxy = mercator_bounds(z, x, y)
    pad = (maxx - minx) * BUFFER / EXTENT
    west, south = lonlat(max(-HALF_WORLD, minx - pad), max(-HALF_WORLD, miny - pad))
    east, north = lonlat(min(HALF_WORLD, maxx + pad), min(HALF_WORLD, maxy + pad))
    if south <= -MAX_LATITUDE + 1e-9:
        south = -90.0
    if north >= MAX_LATITUDE - 1e-9:
        north = 90.0
    return west, south, east, north


def majority(counts: dict[str, int], codes: tuple[str, ...]) -> str | None:
    """The most frequent code of ``counts`` (ties: the first in ``codes``); ``None`` if none counted."""
    best = None
    for code in codes:
        if counts.get(code, 0) > 0 and (best is None or counts[code] > counts[best]):
            best = code
    return best


def description(layer: TileLayer, lang: str = "en") -> str:
    """The tile convention of ``layer`` in words (tileset metadata)."""
    props = ", ".join(layer.properties)
    if not layer.aggregated:
        return (
            f"Layer {layer.collection}: one feature per record with {props}."
            if lang == "en"
            else f"Couche {layer.collection} : un objet par enregistrement avec {props}."
        )
    agg = ", ".join(layer.aggregate_properties())
    if lang == "en":
        return (
            f"Layer {layer.collection}. Zooms {MIN_ZOOM}-{layer.aggregate_max_zoom}: AGGREGATES, one feature "
            f"per geometry (place or flow) with agregat=true, nombre = the number of records it stands for, and "
            f"{agg} (sums of the counts; {layer.category} = the most frequent value; no text). "
            f"Zooms {layer.aggregate_max_zoom + 1}-{MAX_ZOOM}: one feature per record with {props} "
            "and nombre = 1. No record is ever left out of a tile of its area."
        )
    return (
        f"Couche {layer.collection}. Zooms {MIN_ZOOM}-{layer.aggregate_max_zoom} : AGRÉGATS, un objet par "
        f"géométrie (lieu ou flux) avec agregat=true, nombre = le nombre d'enregistrements qu'il représente, "
        f"et {agg}. "
        f"Zooms {layer.aggregate_max_zoom + 1}-{MAX_ZOOM} : un objet par enregistrement avec {props} et "
        "nombre = 1. Aucun enregistrement n'est omis d'une tuile de sa zone."
    )
