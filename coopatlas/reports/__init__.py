"""The atlas's documents: the PDF report of a search, the project sheet, the statistics as PDF and CSV.

Everything here is core code (no pygeoapi): the OGC API processes of ``processes/`` validate their inputs
and call these functions. PDFs are laid out with the kit of :mod:`coopatlas.documents` (reportlab
platypus), charts come from :mod:`coopatlas.charts`. The reports draw no map: the small maps of
:mod:`coopatlas.cartography.overview` are given by the caller (the processes), so that the reports and
the cartography, side by side above :mod:`coopatlas.documents`, never import each other.

- :func:`coopatlas.reports.rapport.report_pdf`: "Exporter les résultats en PDF" of any search;
- :func:`coopatlas.reports.fiche.project_sheet` / :func:`~coopatlas.reports.fiche.project_sheet_pdf`: the
  "fiche projet" of one project (JSON and PDF);
- :func:`coopatlas.reports.statistiques.statistics_pdf` / :func:`~coopatlas.reports.tables.statistics_csv`:
  the figures of a search with their charts and data tables.

The submodules are imported on demand (reportlab and matplotlib are loaded only by those that need them).
"""
