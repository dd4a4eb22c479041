"""Exports made by the server: "Exporter les résultats en PDF" (process ``rapport``) and the country
cooperation map (process ``carte-pays``: PDF, SVG, PNG or GeoTIFF, the latter addable as a raster layer; optionally
of a period, ``datetime``, or as a small multiple at several dates, ``dates``)."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtWidgets import QDialog

from ..core.errors import AtlasError
from ..core.i18n import tr
from ..core.layers import add_raster
from ..core.periods import date_list, period
from ..core.processes import describe
from ..core.search import YEAR_RANGE, Search
from .common import busy, fill_combo, form

REPORT, COUNTRY_MAP = "rapport", "carte-pays"
MAP_FORMATS = ("pdf", "svg", "png", "geotiff")
YEAR_UNSET = YEAR_RANGE[0] - 1  # the year boxes' minimum, shown as "from —" / "to —"
SUFFIX = {"pdf": ".pdf", "svg": ".svg", "png": ".png", "geotiff": ".tif", "tiff": ".tif"}


class ExportDialog(QDialog, form("dlg_export")):
    """Export the search ``search`` as a PDF report (``mode="rapport"``) or a country map
    (``mode="carte-pays"``, the countries offered being ``countries``: ``[(code, name)]``)."""

    def __init__(self, session, search: Search, mode: str = REPORT, description: str = "", countries=(), parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.session = session
        self.search = search
        self.mode = mode
        self.task = None
        self.saved_path: Path | None = None
        self.raster = None
        self.progress.setVisible(False)
        self.lbl_description.setText(description)
        self.info = self._describe()
        is_map = mode == COUNTRY_MAP
        for widget in (
            self.lbl_pays,
            self.cb_pays,
            self.lbl_format,
            self.cb_format,
            self.lbl_paper,
            self.cb_paper,
            self.chk_add_layer,
        ):
            widget.setVisible(is_map)
        # a server without these inputs (an older version) is not offered them
        for widgets, name in (
            ((self.lbl_period, self.sb_year_from, self.sb_year_to), "datetime"),
            ((self.lbl_dates, self.le_dates), "dates"),
        ):
            for widget in widgets:
                widget.setVisible(is_map and name in self.info.inputs)
        if is_map:
            self.setWindowTitle(tr("Country cooperation map"))
            self.le_title.setPlaceholderText(tr("The server's title"))
            fill_combo(self.cb_pays, countries, keep=False)
            searched = search.get("pays") or ()
            if len(searched) == 1 and self.cb_pays.findData(searched[0]) >= 0:
                self.cb_pays.setCurrentIndex(self.cb_pays.findData(searched[0]))
            formats = self.info.enum(self.info.pick("format"), MAP_FORMATS)
            fill_combo(self.cb_format, [(f, f.upper() if f != "geotiff" else "GeoTIFF") for f in formats], keep=False)
            papers = self.info.enum(self.info.pick("papier", "paper", "format_papier"), ())
            fill_combo(self.cb_paper, [(p, str(p)) for p in papers], keep=False)
            default = self.info.default(self.info.pick("papier", "paper", "format_papier"))
            if default is not None and self.cb_paper.findData(default) >= 0:
                self.cb_paper.setCurrentIndex(self.cb_paper.findData(default))
            for widget in (self.lbl_paper, self.cb_paper):
                widget.setVisible(bool(papers))
            self.cb_format.currentIndexChanged.connect(self._format_changed)
        else:
            self.setWindowTitle(tr("Export the results as PDF"))
            self.le_title.setText(description or tr("Decentralised cooperation"))
            self.fw_output.setFilter(tr("PDF (*.pdf)"))
        self._format_changed()
        self.btn_export.clicked.connect(lambda: self.export())
        if not self.info.available:
            self.lbl_status.setStyleSheet("color: #b00020;")
            self.lbl_status.setText(tr("The server offers no process “{id}”.").format(id=mode))

    @busy
    def _describe(self):
        return describe(self.session.client, self.mode)

    def _format_changed(self, *_):
        fmt = self.cb_format.currentData() if self.mode == COUNTRY_MAP else "pdf"
        self.chk_add_layer.setEnabled(fmt == "geotiff")
        suffix = SUFFIX.get(fmt or "pdf", ".pdf")
        if self.mode == COUNTRY_MAP:
            self.fw_output.setFilter(f"{(fmt or '').upper()} (*{suffix})")
        current = self.fw_output.filePath()
        if current:
            self.fw_output.setFilePath(str(Path(current).with_suffix(suffix)))

    def inputs(self) -> dict:
        """The process inputs: the criteria, plus the title (report) or country, format, paper, period and
        dates of a small multiple (map)."""
        values = self.search.inputs()
        values[self.info.pick("titre", "title")] = self.le_title.text().strip() or None
        if self.mode == REPORT:
            values[self.info.pick("format")] = "pdf"
        else:
            values.pop("pays", None)  # the map's country replaces the countries of the search
            values[self.info.pick("country", "pays")] = self.cb_pays.currentData()
            values[self.info.pick("format")] = self.cb_format.currentData()
            if self.cb_paper.count():
                values[self.info.pick("papier", "paper", "format_papier")] = self.cb_paper.currentData()
            values["datetime"] = period(self._year(self.sb_year_from), self._year(self.sb_year_to))
            values["dates"] = date_list(self.le_dates.text())
        if "lang" in self.info.inputs:
            values["lang"] = self.session.lang
        return {k: v for k, v in values.items() if v is not None}

    @staticmethod
    def _year(box) -> int | None:
        return None if box.value() == YEAR_UNSET else box.value()

    def export(self, path: str | None = None):
        """Run the process in the background and save its result at ``path`` (the file field's by default)."""
        path = path or self.fw_output.filePath()
        if not path:
            self._error(tr("Choose where to save the file."))
            return None
        fmt = self.cb_format.currentData() if self.mode == COUNTRY_MAP else "pdf"
        if self.mode == COUNTRY_MAP and not self.cb_pays.currentData():
            self._error(tr("Choose a country."))
            return None
        path = str(Path(path).with_suffix(SUFFIX.get(fmt, Path(path).suffix)))
        self.fw_output.setFilePath(path)
        self.saved_path = None
        self.progress.setVisible(True)
        self.btn_export.setEnabled(False)
        self.lbl_status.setStyleSheet("")
        self.lbl_status.setText(tr("The server is making the file…"))
        self.task = self.session.run_process(self.mode, self.inputs(), path, prefer_async=True)
        self.task.done.connect(self._done)
        self.task.failed.connect(self._failed)
        return self.task

    def _done(self, path):
        self.progress.setVisible(False)
        self.btn_export.setEnabled(True)
        self.saved_path = Path(path)
        self.lbl_status.setStyleSheet("color: #1b5e20;")
        self.lbl_status.setText(tr("Saved: {path}").format(path=path))
        if self.mode == COUNTRY_MAP and self.cb_format.currentData() == "geotiff" and self.chk_add_layer.isChecked():
            name = tr("Cooperation map — {country}").format(country=self.cb_pays.currentText())
            self.raster = add_raster(str(path), name, self.session.project)
            if self.raster is None:
                self._error(tr("Saved, but QGIS cannot read {path} as a raster.").format(path=path))

    def _failed(self, message):
        self.progress.setVisible(False)
        self.btn_export.setEnabled(True)
        self._error(message)

    def _error(self, message: str):
        self.lbl_status.setStyleSheet("color: #b00020;")
        self.lbl_status.setText(message)


def countries_of(session, loaded) -> list[tuple[str, str]]:
    """Countries (code, name) of a loaded search's projects and requests, the most frequent first; all
    the server's countries when there is no search."""
    counts: dict[str, list] = {}
    if loaded is not None:
        for coll in ("projets", "demandes"):
            layer = loaded.layers.get(coll)
            if layer is None or layer.fields().indexOf("pays_code") < 0:
                continue
            name_field = "pays_nom" if layer.fields().indexOf("pays_nom") >= 0 else "pays_code"
            for feat in layer.getFeatures():
                code = feat["pays_code"]
                if code:
                    entry = counts.setdefault(code, [feat[name_field] or code, 0])
                    entry[1] += 1
    if counts:
        return [
            (code, f"{name} ({n})")
            for code, (name, n) in sorted(counts.items(), key=lambda kv: (-kv[1][1], str(kv[1][0])))
        ]
    try:
        rows = session.client.names("pays", fields="id,nom,nom_en")
    except AtlasError:
        return []
    field = "nom_en" if session.lang == "en" else "nom"
    return sorted(((r["id"], r.get(field) or r.get("nom") or r["id"]) for r in rows), key=lambda p: str(p[1]))
