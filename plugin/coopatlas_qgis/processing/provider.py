"""Processing provider "CoopAtlas" (algorithm ids ``coopatlas:<name>``)."""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..core.i18n import tr
from .algorithms import ALGORITHMS

ICON = Path(__file__).resolve().parents[1] / "resources" / "icon.svg"


class AtlasProvider(QgsProcessingProvider):
    def id(self):
        return "coopatlas"

    def name(self):
        return "CoopAtlas"

    def longName(self):  # noqa: N802 - QGIS API
        return tr("CoopAtlas — Atlas of decentralised cooperation")

    def icon(self):
        return QIcon(str(ICON))

    def loadAlgorithms(self):  # noqa: N802 - QGIS API
        for alg in ALGORITHMS:
            self.addAlgorithm(alg())
