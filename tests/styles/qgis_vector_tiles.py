"""Load the atlas's vector tiles in QGIS as vector tile layers styled with the served MapLibre styles, and
render them: run by Debian's QGIS Python, not the venv.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/styles/qgis_vector_tiles.py SERVER_URL OUT_PNG CID...

For each collection ``CID``: ``GET SERVER_URL/styles/CID.maplibre.json``, a ``QgsVectorTileLayer`` with
``type=xyz&url=<the style's tile URL of CID>``, its renderer converted from the style by QGIS's own
``QgsMapBoxGlStyleConverter``. The layers are rendered together (world, Web Mercator, 96 dpi, white
background) into ``OUT_PNG``; prints JSON: the QGIS version, per layer whether it is valid, the converter's
warnings and the number of rendering rules; the pixel checks are on the pytest side.
"""

import json
import sys
import urllib.request

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsDataSourceUri,
    QgsMapBoxGlStyleConversionContext,
    QgsMapBoxGlStyleConverter,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProperty,
    QgsRectangle,
    QgsSymbol,
    QgsVectorTileLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def vector_tile_layer(server, cid):
    with urllib.request.urlopen(f"{server}/styles/{cid}.maplibre.json", timeout=60) as r:
        style = json.loads(r.read().decode("utf-8"))
    uri = QgsDataSourceUri()
    uri.setParam("type", "xyz")
    uri.setParam("url", style["sources"][cid]["tiles"][0])
    uri.setParam("zmin", str(style["sources"][cid]["minzoom"]))
    uri.setParam("zmax", str(style["sources"][cid]["maxzoom"]))
    layer = QgsVectorTileLayer(bytes(uri.encodedUri()).decode(), cid)
    # the collection's own layers (the basemap reads another source)
    style = {**style, "layers": [lay for lay in style["layers"] if lay.get("source") == cid]}
    converter = QgsMapBoxGlStyleConverter()
    context = QgsMapBoxGlStyleConversionContext()
    converter.convert(style, context)
    renderer = converter.renderer()
    moved = 0
    if renderer is not None:
        styles = renderer.styles()
        for rule in styles:
            moved += symbol_properties_to_layers(rule.symbol())
        renderer.setStyles(styles)
        layer.setRenderer(renderer)
    return layer, {
        "valid": layer.isValid(),
        "warnings": list(converter.warnings()),
        "moved": moved,
        "rules": len(renderer.styles()) if renderer is not None else 0,
        "url": uri.param("url"),
    }


def symbol_properties_to_layers(symbol):
    """QGIS 3.22's converter puts a circle layer's data-defined colours on the marker SYMBOL, where they do
    nothing (a symbol has no fill colour property; later QGIS put them on its symbol layers): move them to
    the symbol layers, as later versions do. The number of properties moved."""
    if symbol is None:
        return 0
    props = symbol.dataDefinedProperties()
    keys = [k for k in props.propertyKeys() if k != QgsSymbol.PropertyOpacity]
    for i in range(symbol.symbolLayerCount()):
        layer_props = symbol.symbolLayer(i).dataDefinedProperties()
        for k in keys:
            if not layer_props.isActive(k):
                layer_props.setProperty(k, props.property(k))
    for k in keys:
        props.setProperty(k, QgsProperty())
    return len(keys)


def main():
    server, out_png, cids = sys.argv[1], sys.argv[2], sys.argv[3:]
    app = QgsApplication([], False)
    app.initQgis()
    layers, report = [], {}
    for cid in cids:
        layer, info = vector_tile_layer(server, cid)
        layers.append(layer)
        report[cid] = info
    settings = QgsMapSettings()
    settings.setLayers(list(reversed(layers)))  # the first one on top
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    settings.setExtent(QgsRectangle(-20037508, -12000000, 20037508, 16000000))
    settings.setOutputSize(QSize(1024, 716))
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(255, 255, 255))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(out_png, "PNG")
    print(json.dumps({"qgis": Qgis.version(), "layers": report, "errors": [e.message for e in job.errors()]}))
    app.exitQgis()


if __name__ == "__main__":
    main()
