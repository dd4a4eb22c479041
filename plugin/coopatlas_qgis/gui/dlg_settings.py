"""Connection settings: the server address (kept in the QGIS profile), with a test button."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QDialog

from ..core.client import AtlasClient, normalise_url
from ..core.errors import AtlasError
from ..core.i18n import tr
from ..core.settings import Settings
from .common import busy, form


class SettingsDialog(QDialog, form("dlg_settings")):
    def __init__(self, settings: Settings | None = None, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.settings = settings or Settings()
        self.le_url.setText(self.settings.server_url)
        self.sb_timeout.setValue(self.settings.timeout_s)
        self.sb_page_size.setValue(self.settings.page_size)
        self.btn_test.clicked.connect(lambda: self.test())

    @busy
    def test(self) -> bool:
        """Ask the server typed in the field for its landing page and vocabulary; say what happened."""
        client = AtlasClient(normalise_url(self.le_url.text()), self.sb_timeout.value())
        try:
            title = client.landing().get("title") or client.base_url
            voc = client.vocabulary()
            if "type_action" not in voc:
                raise AtlasError(tr("{base} answers but is not a CoopAtlas server.").format(base=client.base_url))
        except AtlasError as exc:
            self.lbl_result.setStyleSheet("color: #b00020;")
            self.lbl_result.setText(str(exc))
            return False
        self.lbl_result.setStyleSheet("color: #1b5e20;")
        self.lbl_result.setText(tr("Connected to “{title}”.").format(title=title))
        return True

    def accept(self):
        self.settings.server_url = self.le_url.text()
        self.settings.timeout_s = self.sb_timeout.value()
        self.settings.page_size = self.sb_page_size.value()
        super().accept()
