"""Load collections of an OGC API Features server with QGIS's OAPIF provider; print a JSON report.

Run with Debian's Python and QGIS (not the project's venv)::

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/server/qgis_oapif.py http://127.0.0.1:5000 projets pays

For each collection: whether the layer is valid, its geometry type, field names, the number of features
read by iterating the layer, and the first feature's id field and geometry (WKT, shortened).
"""

import json
import sys

from qgis.core import QgsApplication, QgsVectorLayer, QgsWkbTypes


def main(url: str, collections: list[str]) -> dict:
    report = {}
    for cid in collections:
        layer = QgsVectorLayer(f"url='{url}' typename='{cid}'", cid, "OAPIF")
        entry = {"valid": layer.isValid(), "error": layer.error().summary() if not layer.isValid() else ""}
        if layer.isValid():
            entry["geometry"] = QgsWkbTypes.displayString(layer.wkbType())
            entry["fields"] = [f.name() for f in layer.fields()]
            count, first = 0, None
            for feature in layer.getFeatures():
                if first is None:
                    geom = feature.geometry()
                    first = {
                        "id": feature["id"] if "id" in entry["fields"] else None,
                        "wkt": geom.asWkt(3)[:80] if not geom.isNull() else None,
                    }
                count += 1
            entry["count"] = count
            entry["first"] = first
        report[cid] = entry
    return report


if __name__ == "__main__":
    app = QgsApplication([], False)
    app.initQgis()
    try:
        print(json.dumps(main(sys.argv[1], sys.argv[2:]), ensure_ascii=False, default=str))
    finally:
        app.exitQgis()
