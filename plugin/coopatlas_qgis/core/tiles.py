"""Searches too large to page as GeoJSON: the server's vector tiles, drawn with its MapLibre style.

Beyond :data:`DEFAULT_TILES_THRESHOLD` matching records (the setting ``tiles_threshold``), a collection
of a search is not downloaded: the map shows the collection's OGC API Tiles
(``/collections/{id}/tiles/WebMercatorQuad/{z}/{y}/{x}``, the URL the served MapLibre style names) as a
:class:`QgsVectorTileLayer` with that style, and the results table reads the features page by page as the
user scrolls (:class:`~.results_model.ResultsModel` with a :class:`~.paging.ServerRows` source, read in a task).

A search with criteria gets tiles filtered by the CQL2 text filter ``/criteres`` gives the collection
(the tiles' ``filter`` parameter): the tiles hold exactly the search's records. Two searches cannot be
drawn as tiles and are still paged as GeoJSON (correct, slower): keywords (``q``, a full-text search the
tiles do not have) and filters too long for a URL (lists of identifiers, POSTed as CQL2 JSON). The user
is told which mode each search used (:func:`mode_text`).
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

from .client import MAX_URL_LENGTH, encode_params
from .i18n import tr

DEFAULT_TILES_THRESHOLD = 10000
#: Collections the server publishes as vector tiles with a MapLibre style.
TILED_COLLECTIONS = ("projets", "demandes", "collectivites", "partenaires", "liens")
TILES, FEATURES = "tuiles", "entites"
#: Longest filter (percent-encoded) put in tile URLs; longer ones (lists of identifiers) are POSTed as features.
MAX_TILE_FILTER = 4000


def tileable(params: dict) -> bool:
    """Whether tiles can hold exactly the records of the Features API ``params`` of a search: no keywords,
    a filter (if any) in CQL2 text short enough for a tile URL."""
    cql2 = params.get("filter")
    return (
        not params.get("q") and not isinstance(cql2, dict) and len(encode_params({"filter": cql2})) <= MAX_TILE_FILTER
    )


def use_tiles(collection: str, params: dict, matched: int, threshold: int) -> bool:
    """Whether a collection of a search is shown as vector tiles (see the module documentation)."""
    return collection in TILED_COLLECTIONS and matched > threshold and tileable(params)


def tile_url(template: str, params: dict) -> str:
    """The tile URL ``template`` of a style's source with the search's filter (``filter``, CQL2 text)."""
    if not params.get("filter"):
        return template
    query = encode_params({"filter": params["filter"], "filter-lang": "cql2-text"})
    url = template + ("&" if "?" in template else "?") + query
    if len(url) > MAX_URL_LENGTH:
        raise ValueError("filter too long for a tile URL")
    return url


def tile_layer(style: dict, collection: str, name: str, params: dict | None = None) -> QgsVectorTileLayer:
    """A vector tile layer of ``collection`` from its served MapLibre ``style`` (tile URL, zooms, layers),
    its tiles filtered by the search's ``params`` (``filter``) when given."""
    source = style["sources"][collection]
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", tile_url(source["tiles"][0], params or {}))
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


def mode_text(modes: dict, matched: dict, threshold: int, filtered: bool = False) -> str:
    """What the user is told of how a search's results came (vector tiles, filtered by the search's
    criteria when ``filtered``, or downloaded features)."""
    tiled = [c for c, m in modes.items() if m == TILES]
    big = [c for c, m in modes.items() if m != TILES and matched.get(c, 0) > threshold]
    if tiled:
        what = ", ".join(f"{c} {matched.get(c, 0)}" for c in tiled)
        text = (
            tr(
                "Vector tiles filtered by the criteria: more than {n} results ({what}); the table loads them "
                "page by page."
            )
            if filtered
            else tr("Vector tiles: more than {n} results ({what}); the table loads them page by page.")
        ).format(n=threshold, what=what)
        if big:
            text += " " + tr("Downloaded as features: {what} (keywords or long lists of identifiers).").format(
                what=", ".join(big)
            )
        return text
    if big:
        return tr(
            "Features downloaded: more than {n} results, but vector tiles cannot draw keywords nor long lists "
            "of identifiers."
        ).format(n=threshold)
    return tr("Features downloaded (GeoJSON).")
