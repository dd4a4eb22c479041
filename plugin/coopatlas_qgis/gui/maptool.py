"""Map tool: a click on a record of the atlas opens its sheet (a project's, a request's, a French
authority's with its contacts, a partner's)."""

from __future__ import annotations

from qgis.gui import QgsMapToolIdentify
from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtGui import QCursor

from ..core.layers import PROP_COLLECTION

#: Which layer wins when records overlap: requests and projects first, links last.
PRIORITY = ("demandes", "projets", "partenaires", "collectivites", "liens")


class RecordTool(QgsMapToolIdentify):
    """Emits ``recordClicked(collection, id)`` for the top-most record of the session's layers under a click."""

    recordClicked = pyqtSignal(str, str)

    def __init__(self, canvas, session):
        super().__init__(canvas)
        self.session = session
        self.setCursor(QCursor(Qt.WhatsThisCursor))

    def layers(self):
        layers = self.session.layers()
        return sorted(
            layers,
            key=lambda lyr: (
                PRIORITY.index(lyr.customProperty(PROP_COLLECTION))
                if lyr.customProperty(PROP_COLLECTION) in PRIORITY
                else len(PRIORITY)
            ),
        )

    def record_at(self, x: int, y: int):
        """``(collection, id)`` of the record under the canvas pixel ``x, y``; None when there is none."""
        layers = self.layers()
        if not layers:
            return None
        results = self.identify(x, y, layers, QgsMapToolIdentify.TopDownStopAtFirst)
        for res in results:
            coll = res.mLayer.customProperty(PROP_COLLECTION)
            fields = res.mFeature.fields()
            if coll and fields.indexOf("id") >= 0 and res.mFeature["id"]:
                return coll, str(res.mFeature["id"])
        return None

    def canvasReleaseEvent(self, event):  # noqa: N802 - Qt API
        found = self.record_at(event.pos().x(), event.pos().y())
        if found:
            self.recordClicked.emit(*found)
