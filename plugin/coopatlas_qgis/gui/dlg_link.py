"""“Afficher le lien de cette carte”: the URL of the search on the server and of its features."""

from __future__ import annotations

from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QApplication, QDialog

from ..core.links import items_urls, search_url
from ..core.search import Search
from .common import form


class LinkDialog(QDialog, form("dlg_link")):
    def __init__(self, client, search: Search, criteres: dict | None = None, description: str = "", parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.lbl_description.setText(description)
        self.url = search_url(client, search)
        self.le_url.setText(self.url)
        self.items = items_urls(client, criteres) if criteres else {}
        self.te_items.setPlainText("\n".join(f"{coll}: {url}" for coll, url in self.items.items()))
        self.btn_copy.clicked.connect(self.copy)
        self.btn_open.clicked.connect(lambda: QDesktopServices.openUrl(QUrl(self.url)))

    def copy(self):
        QApplication.clipboard().setText(self.url)
