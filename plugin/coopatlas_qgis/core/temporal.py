"""The results layers live in time: QGIS's Temporal Controller shows the projects, requests and links
active in its range.

The server's QML styles carry the layers' temporal properties; a layer whose style did not set them (a
server of an older version, a style that could not be fetched) gets them here, from :data:`TEMPORAL`,
the plugin's copy of the server's rule (the main test suite fails when the two differ): a project is
active from its launch year to its end year (open-ended when it has none), a request from its submission
to its validation, a link in its launch year. Each expression is a date-time (QGIS 3.22 compares only
date-times with the controller's range); the end is excluded.
"""

from __future__ import annotations

from qgis.core import QgsVectorLayer, QgsVectorLayerTemporalProperties

#: Collection -> (start expression, end expression (excluded)), as the server's QML writes them.
TEMPORAL: dict[str, tuple[str, str]] = {
    "projets": (
        'make_datetime("annee_lancement",1,1,0,0,0)',
        'coalesce(make_datetime("annee_fin"+1,1,1,0,0,0),make_datetime(9999,1,1,0,0,0))',
    ),
    "demandes": (
        'to_datetime(to_date("date_depot"))',
        "coalesce(to_datetime(to_date(\"date_validation\"))+to_interval('1 day'),make_datetime(9999,1,1,0,0,0))",
    ),
    "liens": (
        'make_datetime("annee_lancement",1,1,0,0,0)',
        'coalesce(make_datetime("annee_fin"+1,1,1,0,0,0),make_datetime(9999,1,1,0,0,0))',
    ),
}


def make_temporal(layer: QgsVectorLayer, collection: str) -> bool:
    """Make ``layer`` of ``collection`` temporal unless its style already did; True when the layer is
    temporal afterwards (False for a collection that does not live in time)."""
    props = layer.temporalProperties()
    if props.isActive():
        return True
    if collection not in TEMPORAL or not isinstance(layer, QgsVectorLayer):
        return False
    start, end = TEMPORAL[collection]
    props.setMode(QgsVectorLayerTemporalProperties.ModeFeatureDateTimeStartAndEndFromExpressions)
    props.setStartExpression(start)
    props.setEndExpression(end)
    props.setIsActive(True)
    return True
