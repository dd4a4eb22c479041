"""Load every style file of ``styles/`` in QGIS and render it: run by Debian's QGIS Python, not the venv.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/styles/qgis_render.py STYLES_DIR OUT_DIR CASES_JSON

``CASES_JSON`` (written by the pytest side from the venv, which knows the schema and the palette) lists,
per case: the style file, the memory layer to build (geometry type, fields, features as WKT and
attributes) and the map extent. For each case this script loads the style (QML with
``loadNamedStyle``, SLD with ``loadSldStyle``), renders the layer to a PNG in ``OUT_DIR`` with
``QgsMapRendererSequentialJob`` (96 dpi, white background, so that a style's pixel sizes are image
pixels) and reports, as JSON on stdout: whether the style loaded, the renderer's class, its legend,
and for each probe point the RGB colour of the rendered pixel there, and for each "run" probe the
width in pixels of the run of a given colour through a point along its row. The assertions are on the pytest side.
"""

import json
import sys

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize, QVariant
from qgis.PyQt.QtGui import QColor

QVARIANT = {
    "string": QVariant.String,
    "integer": QVariant.Int,
    "double": QVariant.Double,
    "boolean": QVariant.Bool,
    "date": QVariant.Date,
}


def build_layer(case):
    if "gpkg" in case:  # a table of a real GeoPackage, read by QGIS's OGR provider
        layer = QgsVectorLayer(f"{case['gpkg']}|layername={case['table']}", case["collection"], "ogr")
        assert layer.isValid(), f"{case['gpkg']}|layername={case['table']} is not a valid layer"
        return layer
    fields = QgsFields()
    uri_fields = []
    for name, kind in case["fields"]:
        fields.append(QgsField(name, QVARIANT[kind]))
        uri_fields.append(f"field={name}:{kind}")
    layer = QgsVectorLayer(f"{case['geometry']}?crs=EPSG:4326&" + "&".join(uri_fields), case["collection"], "memory")
    assert layer.isValid(), "memory layer is not valid"
    feats = []
    for wkt, attrs in case["features"]:
        f = QgsFeature(layer.fields())
        f.setGeometry(QgsGeometry.fromWkt(wkt))
        for k, v in attrs.items():
            f[k] = v
        feats.append(f)
    ok, _ = layer.dataProvider().addFeatures(feats)
    assert ok, "features not added"
    layer.updateExtents()
    return layer


def render(layer, case, png):
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(QgsCoordinateReferenceSystem("EPSG:4326"))
    settings.setExtent(QgsRectangle(*case["extent"]) if case.get("extent") else layer.extent())
    settings.setOutputSize(QSize(*case["size"]))
    settings.setOutputDpi(96)
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setFlag(QgsMapSettings.Antialiasing, case.get("antialiasing", True))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    image.save(png, "PNG")
    return settings, image


def pixel(image, settings, lon, lat):
    p = settings.mapToPixel().transform(lon, lat)
    c = QColor(image.pixel(int(round(p.x())), int(round(p.y()))))
    return [c.red(), c.green(), c.blue()]


def run_through(image, settings, lon, lat, rgb, tol):
    """Length of the run of pixels of colour ``rgb`` (± ``tol`` per channel) through the pixel of
    ``(lon, lat)`` along its row: the width of a circle of that colour centred there."""
    p = settings.mapToPixel().transform(lon, lat)
    x0, y = int(round(p.x())), int(round(p.y()))

    def same(x):
        c = QColor(image.pixel(x, y))
        return all(abs(a - b) <= tol for a, b in zip((c.red(), c.green(), c.blue()), rgb))

    if not same(x0):
        return 0
    left, right = x0, x0
    while left > 0 and same(left - 1):
        left -= 1
    while right < image.width() - 1 and same(right + 1):
        right += 1
    return right - left + 1


def colour_counts(image, colours):
    """How many pixels of the image have each of ``colours`` (``#rrggbb``) exactly, and how many are
    not white (``"non_white"``)."""
    wanted = {QColor(c).rgb() & 0xFFFFFF: c for c in colours}
    counts = dict.fromkeys(colours, 0)
    counts["non_white"] = 0
    for y in range(image.height()):
        for x in range(image.width()):
            rgb = image.pixel(x, y) & 0xFFFFFF
            if rgb != 0xFFFFFF:
                counts["non_white"] += 1
                c = wanted.get(rgb)
                if c:
                    counts[c] += 1
    return counts


def legend(renderer):
    items = []
    for item in renderer.legendSymbolItems():
        sym = item.symbol()
        items.append(
            {
                "label": item.label(),
                "colour": sym.color().name() if sym else None,
                "data_defined_size": item.dataDefinedSizeLegendSettings() is not None,
            }
        )
    return items


def run_case(case, styles_dir, out_dir):
    layer = build_layer(case)
    path = f"{styles_dir}/{case['file']}"
    if case["file"].endswith(".sld"):
        msg, ok = layer.loadSldStyle(path)
    else:
        msg, ok = layer.loadNamedStyle(path)
    result = {"name": case["name"], "loaded": bool(ok), "message": msg}
    if not ok:
        return result
    renderer = layer.renderer()
    result["renderer"] = type(renderer).__name__
    result["legend"] = legend(renderer)
    if hasattr(renderer, "orderByEnabled"):
        result["order_by"] = renderer.orderBy().dump() if renderer.orderByEnabled() else ""
    png = f"{out_dir}/{case['name']}.png"
    settings, image = render(layer, case, png)
    result["png"] = png
    result["probes"] = {key: pixel(image, settings, lon, lat) for key, (lon, lat) in case.get("probes", {}).items()}
    result["features"] = layer.featureCount()
    result["colour_counts"] = colour_counts(image, case.get("count_colours", []))
    result["runs"] = {
        key: run_through(image, settings, lon, lat, rgb, tol)
        for key, (lon, lat, rgb, tol) in case.get("runs", {}).items()
    }
    return result


def main():
    styles_dir, out_dir, cases_json = sys.argv[1:4]
    with open(cases_json, encoding="utf-8") as f:
        cases = json.load(f)
    app = QgsApplication([], False)
    app.initQgis()
    results = [run_case(case, styles_dir, out_dir) for case in cases]
    print(json.dumps({"qgis": Qgis.version(), "results": results}))
    app.exitQgis()


if __name__ == "__main__":
    main()
