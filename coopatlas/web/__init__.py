"""The public web atlas (``/atlas``): a MapLibre GL JS client of the server's own public HTTP API.

Like the QGIS plugin, it holds no search logic: the code lists come from ``/vocabulaire``, a search is
turned into CQL2 filters by ``/criteres``, the map draws the OGC API Tiles of the collections with the
published MapLibre styles, the list pages through ``/collections/{id}/items``, the figures, sheets and
exports are the OGC API processes (``statistiques``, ``fiche-projet``, ``rapport``, ``carte-pays``).
This package is only the page, its scripts and its styles (:mod:`coopatlas.web.blueprint`).
"""
