"""Statistics of a search: counts, APD per year (table and chart), top authorities, split by country,
theme and continent; CSV and PNG export."""

from __future__ import annotations

from matplotlib.backends.backend_qt5agg import FigureCanvasQTAgg
from matplotlib.figure import Figure
from qgis.PyQt.QtWidgets import QDialog, QFileDialog

from ..core.i18n import tr
from ..core.stats import Statistics
from .common import fill_table, form


class StatsDialog(QDialog, form("dlg_stats")):
    """Shows a ``statistiques`` result; ``description`` is the search in words."""

    def __init__(self, data: dict, description: str = "", parent=None):
        super().__init__(parent)
        self.setupUi(self)
        self.stats = Statistics(data)
        self.lbl_description.setText(description)
        self.tables = {
            self.tab_counts: (self.tbl_counts, self.stats.counts()),
            self.tab_apd: (self.tbl_apd, self.stats.apd()),
            self.tab_top: (self.tbl_top, self.stats.top()),
            self.tab_pays: (self.tbl_pays, self.stats.repartition("repartition_pays")),
            self.tab_themes: (self.tbl_themes, self.stats.repartition("repartition_thematiques")),
            self.tab_continents: (self.tbl_continents, self.stats.repartition("repartition_continents")),
        }
        for widget, table in self.tables.values():
            fill_table(widget, table)
        self.figure = Figure(figsize=(5, 3), dpi=100)
        self.canvas = FigureCanvasQTAgg(self.figure)
        self.chart_container.layout().addWidget(self.canvas)
        self.stats.apd_figure(self.figure)
        self.canvas.draw()
        self.btn_csv.clicked.connect(lambda: self.export_csv())
        self.btn_png.clicked.connect(lambda: self.export_png())

    def current_table(self):
        return self.tables[self.tabs.currentWidget()][1]

    def export_csv(self, path: str | None = None):
        """Write the table of the current tab as CSV."""
        table = self.current_table()
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export the table"), "coopatlas.csv", tr("CSV (*.csv)"))
            if not path:
                return None
        return table.write_csv(path)

    def export_png(self, path: str | None = None, dpi: int = 150):
        """Save the APD chart as PNG (``dpi`` dots per inch)."""
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("Export the chart"), "coopatlas-apd.png", tr("PNG (*.png)"))
            if not path:
                return None
        self.figure.savefig(path, dpi=dpi, format="png")
        return path
