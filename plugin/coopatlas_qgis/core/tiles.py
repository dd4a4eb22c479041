"""Searches too large to page as GeoJSON: the server's vector tiles, drawn with its MapLibre style.

Beyond :data:`DEFAULT_TILES_THRESHOLD` matching records (the setting ``tiles_threshold``), a collection
of a search is not downloaded: the map shows the collection's OGC API Tiles
(``/collections/{id}/tiles/WebMercatorQuad/{z}/{x}/{y}``, the URL the served MapLibre style names) as a
:class:`QgsVectorTileLayer` with that style, and the results table reads the features page by page as the
user scrolls (:class:`~.results_model.ResultsModel` with a :class:`ServerRows` source).

The tiles hold every record of a collection and cannot be filtered: they are used when they are exactly
the search, i.e. for a search without criteria (the world). A larger search with criteria is still paged
as GeoJSON (correct, slower), and the user is told which mode each search used (:func:`mode_text`).
"""

from __future__ import annotations

from qgis.core import (
    QgsDataSourceUri,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
    QgsProperty,
    QgsSymbol,
    QgsVectorTileLayer,
)

from .i18n import tr

DEFAULT_TILES_THRESHOLD = 10000
#: Collections the server publishes as vector tiles with a MapLibre style.
TILED_COLLECTIONS = ("projets", "demandes", "collectivites", "partenaires", "liens")
TILES, FEATURES = "tuiles", "entites"


def use_tiles(search_is_empty: bool, collection: str, matched: int, threshold: int) -> bool:
    """Whether a collection of a search is shown as vector tiles (see the module documentation)."""
    return search_is_empty and collection in TILED_COLLECTIONS and matched > threshold


def tile_layer(style: dict, collection: str, name: str) -> QgsVectorTileLayer:
    """A vector tile layer of ``collection`` from its served MapLibre ``style`` (tile URL, zooms, layers)."""
    source = style["sources"][collection]
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", source["tiles"][0])
    uri.setParam("zmin", str(source.get("minzoom", 0)))
    uri.setParam("zmax", str(source.get("maxzoom", 16)))
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), name)
    own = {**style, "layers": [lay for lay in style.get("layers", []) if lay.get("source") == collection]}
    converter = QgsMapBoxGlStyleConverter()
    converter.convert(own, QgsMapBoxGlStyleConversionContext())
    renderer = converter.renderer()
    if renderer is not None:
        styles = renderer.styles()
        for rule in styles:
            _colours_on_symbol_layers(rule.symbol())
        renderer.setStyles(styles)
        layer.setRenderer(renderer)
    labeling = converter.labeling()
    if labeling is not None:
        layer.setLabeling(labeling)
    return layer


def _colours_on_symbol_layers(symbol) -> None:
    """QGIS 3.22's converter puts a circle's data-defined colours on the marker symbol, where they do
    nothing: move them to its symbol layers, as later QGIS versions do."""
    if symbol is None:
        return
    props = symbol.dataDefinedProperties()
    keys = [k for k in props.propertyKeys() if k != QgsSymbol.PropertyOpacity]
    for i in range(symbol.symbolLayerCount()):
        layer_props = symbol.symbolLayer(i).dataDefinedProperties()
        for k in keys:
            if not layer_props.isActive(k):
                layer_props.setProperty(k, props.property(k))
    for k in keys:
        props.setProperty(k, QgsProperty())


def mode_text(modes: dict, matched: dict, threshold: int) -> str:
    """What the user is told of how a search's results came (vector tiles or downloaded features)."""
    tiled = [c for c, m in modes.items() if m == TILES]
    if tiled:
        return tr("Vector tiles: more than {n} results ({what}); the table loads them page by page.").format(
            n=threshold, what=", ".join(f"{c} {matched.get(c, 0)}" for c in tiled)
        )
    big = [c for c in modes if matched.get(c, 0) > threshold]
    if big:
        return tr(
            "Features downloaded: more than {n} results, but vector tiles cannot be filtered by the criteria."
        ).format(n=threshold)
    return tr("Features downloaded (GeoJSON).")


class ServerRows:
    """The rows of the results table read from the server page by page: ``fetch(n)`` returns the next
    records (properties only) of ``collection`` matching ``params``."""

    def __init__(self, client, collection: str, params: dict, total: int, page_size: int = 500):
        self.collection, self.total = collection, total
        self._pages = client.items_pages(collection, {**params, "skipGeometry": "true"}, page_size)
        self._buffer: list[dict] = []
        self.fetched = 0

    def can_fetch(self) -> bool:
        return self.fetched < self.total

    def fetch(self) -> list[dict]:
        """The next page of records (an empty list at the end)."""
        page = next(self._pages, None)
        if page is None:
            self.total = self.fetched
            return []
        records = []
        for feat in page["features"]:
            props = dict(feat.get("properties") or {})
            props.setdefault("id", feat.get("id"))
            records.append(props)
        self.fetched += len(records)
        return records
