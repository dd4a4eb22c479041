"""Load the committed QML of the collections that live in time onto the real tables of a GeoPackage and
ask QGIS which features its Temporal Controller would draw: run by Debian's QGIS Python, not the venv.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 tests/styles/qgis_temporal.py CASES_JSON

``CASES_JSON``: ``{"gpkg": path, "styles": folder, "cases": [{"collection", "ranges": [[y0, y1], ...]}]}``.
Each range is the years ``y0`` to ``y1`` as the Temporal Controller steps them: from 1 January of ``y0``
(included) to 1 January of ``y1 + 1`` (excluded). Reported as JSON on stdout, per collection: whether the
style loaded, whether the layer is temporal and in which mode, and per range the ``id`` of the features
the layer's temporal filter keeps (QGIS's own filter: ``createFilterString`` in a temporal render context
made from ``QgsMapSettings``). The assertions are on the pytest side.
"""

import json
import sys

from qgis.core import (
    QgsApplication,
    QgsDateTimeRange,
    QgsFeatureRequest,
    QgsMapSettings,
    QgsRenderContext,
    QgsVectorLayer,
    QgsVectorLayerTemporalContext,
)
from qgis.PyQt.QtCore import QDate, QDateTime, QTime


def year_range(first: int, last: int) -> QgsDateTimeRange:
    return QgsDateTimeRange(
        QDateTime(QDate(first, 1, 1), QTime(0, 0)), QDateTime(QDate(last + 1, 1, 1), QTime(0, 0)), True, False
    )


def kept_ids(layer: QgsVectorLayer, first: int, last: int) -> list:
    settings = QgsMapSettings()
    settings.setIsTemporal(True)
    settings.setTemporalRange(year_range(first, last))
    render = QgsRenderContext.fromMapSettings(settings)
    context = QgsVectorLayerTemporalContext()
    context.setLayer(layer)
    props = layer.temporalProperties()
    if not props.isVisibleInTemporalRange(render.temporalRange()):
        return []
    expression = props.createFilterString(context, render.temporalRange())
    request = QgsFeatureRequest().setFilterExpression(expression) if expression else QgsFeatureRequest()
    return sorted(str(f["id"]) for f in layer.getFeatures(request))


def run_case(spec: dict, case: dict) -> dict:
    """One collection (its layer is freed before QGIS exits: a layer alive at exit crashes QGIS 3.22)."""
    coll = case["collection"]
    layer = QgsVectorLayer(f"{spec['gpkg']}|layername={coll}", coll, "ogr")
    assert layer.isValid(), f"{coll} is not a valid layer"
    message, loaded = layer.loadNamedStyle(f"{spec['styles']}/{coll}.qml")
    props = layer.temporalProperties()
    return {
        "loaded": bool(loaded),
        "message": message,
        "temporal": props.isActive(),
        "mode": int(props.mode()),
        "start": props.startExpression(),
        "end": props.endExpression(),
        "ranges": [kept_ids(layer, first, last) for first, last in case["ranges"]],
    }


def main(path: str) -> None:
    with open(path, encoding="utf-8") as f:
        spec = json.load(f)
    app = QgsApplication([], False)
    app.initQgis()
    out = {case["collection"]: run_case(spec, case) for case in spec["cases"]}
    print(json.dumps(out))
    app.exitQgis()


if __name__ == "__main__":
    main(sys.argv[1])
