"""The sheet of one record: a project or request (with its PDF "fiche projet"), a French authority with
its contacts, a partner."""

from __future__ import annotations

from qgis.PyQt.QtWidgets import QDialog, QFileDialog

from ..core.errors import AtlasError
from ..core.fiche import Sheet, fetch_sheet
from ..core.i18n import tr
from ..core.layers import zoom_to_feature
from .common import busy, form


class FicheDialog(QDialog, form("dlg_fiche")):
    """Shows :func:`~..core.fiche.fetch_sheet` of ``collection``/``fid``."""

    def __init__(self, session, collection: str, fid: str, parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.session = session
        self.sheet: Sheet | None = None
        self.task = None
        self.pdf_path: str | None = None
        self.btn_pdf.clicked.connect(lambda: self.save_pdf())
        self.btn_zoom.clicked.connect(self.zoom)
        self.load(collection, fid)

    @busy
    def load(self, collection: str, fid: str) -> bool:
        try:
            voc = self.session.vocabulary()
            self.sheet = fetch_sheet(self.session.client, collection, fid, voc, self.session.lang)
        except AtlasError as exc:
            self.browser.setHtml("")
            self.lbl_status.setStyleSheet("color: #b00020;")
            self.lbl_status.setText(str(exc))
            self.btn_pdf.setEnabled(False)
            self.btn_zoom.setEnabled(False)
            return False
        self.setWindowTitle(self.sheet.title)
        self.browser.setHtml(self.sheet.html)
        self.btn_pdf.setEnabled(self.sheet.collection == "projets")
        self.btn_zoom.setEnabled(bool(self.sheet.feature.get("geometry")) and self.session.iface is not None)
        self.lbl_status.clear()
        return True

    def save_pdf(self, path: str | None = None):
        """Ask the server for the project's PDF sheet (process ``fiche-projet``) and save it."""
        if self.sheet is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, tr("Save the project sheet"), f"fiche-{self.sheet.id}.pdf", tr("PDF (*.pdf)")
            )
            if not path:
                return None
        self.pdf_path = None
        self.lbl_status.setStyleSheet("")
        self.lbl_status.setText(tr("Asking the server for the PDF sheet…"))
        self.task = self.session.run_process(
            "fiche-projet", {"id": self.sheet.id, "format": "pdf", "lang": self.session.lang}, path
        )
        self.task.done.connect(self._pdf_done)
        self.task.failed.connect(self._pdf_failed)
        return self.task

    def _pdf_done(self, path):
        self.pdf_path = str(path)
        self.lbl_status.setText(tr("Saved: {path}").format(path=path))

    def _pdf_failed(self, message):
        self.lbl_status.setStyleSheet("color: #b00020;")
        self.lbl_status.setText(message)

    def zoom(self):
        if self.sheet is not None and self.session.iface is not None:
            zoom_to_feature(self.sheet.feature, self.session.iface.mapCanvas(), self.session.project)
