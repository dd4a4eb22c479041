"""Locator filter (the search bar at the bottom left of QGIS): a French authority, a partner or a country
by name; choosing one runs the atlas search for it.

QGIS 3.22 crashes when ``QgsLocatorResult.userData`` is set from Python: the results are kept in a
dictionary shared by the filter and its clones, keyed by display string and description.
"""

from __future__ import annotations

from qgis.core import QgsLocatorFilter, QgsLocatorResult

from .core.errors import AtlasError
from .core.i18n import tr
from .core.search import Search
from .core.settings import Settings

#: collection -> (criterion its id fills, properties asked, group label function)
SOURCES = {
    "collectivites": ("collectivite", "id,nom,type_collectivite,nom_departement,nb_projets"),
    "partenaires": ("partenaire", "id,nom,pays_nom,nb_projets"),
    "pays": ("pays", "id,nom,nom_en"),
}
MAX_PER_SOURCE = 8


def group_label(collection: str) -> str:
    return {
        "collectivites": tr("French local authorities"),
        "partenaires": tr("Partner authorities"),
        "pays": tr("Countries"),
    }[collection]


class AtlasLocatorFilter(QgsLocatorFilter):
    """Prefix ``atlas``: ``atlas Rennes`` finds Rennes among authorities, partners and countries."""

    def __init__(self, on_search=None, results: dict | None = None, settings: Settings | None = None):
        super().__init__()
        self.on_search = on_search  # called with a Search when a result is chosen
        self.results = results if results is not None else {}
        self.settings = settings

    def clone(self):
        return AtlasLocatorFilter(self.on_search, self.results, self.settings)

    def name(self):
        return "coopatlas"

    def displayName(self):  # noqa: N802 - QGIS API
        return tr("CoopAtlas: authorities, partners, countries")

    def prefix(self):
        return "atlas"

    def priority(self):
        return QgsLocatorFilter.Medium

    @staticmethod
    def key(display: str, description: str) -> str:
        return f"{display}\u241f{description}"

    def search(self, text: str, feedback=None) -> list[QgsLocatorResult]:
        """The results for ``text`` (at least 2 characters), asked to the server."""
        text = (text or "").strip()
        if len(text) < 2:
            return []
        client = (self.settings or Settings()).client()
        out = []
        for coll, (criterion, fields) in SOURCES.items():
            if feedback is not None and feedback.isCanceled():
                break
            try:
                rows = (
                    client.find(coll, text, fields, limit=MAX_PER_SOURCE)
                    if coll != "pays"
                    else client.names(coll, {"q": text}, fields=fields, limit=MAX_PER_SOURCE)
                )
            except AtlasError:
                continue
            for row in rows[:MAX_PER_SOURCE]:
                result = QgsLocatorResult()
                result.filter = self
                if coll == "pays":
                    result.displayString = str(row.get("nom") or row["id"])
                    result.description = f"{row['id']}"
                elif coll == "collectivites":
                    result.displayString = str(row.get("nom") or row["id"])
                    result.description = " · ".join(str(v) for v in (row.get("nom_departement"), row["id"]) if v)
                else:
                    result.displayString = str(row.get("nom") or row["id"])
                    result.description = " · ".join(str(v) for v in (row.get("pays_nom"), row["id"]) if v)
                result.group = group_label(coll)
                result.score = 1.0 if str(result.displayString).lower().startswith(text.lower()) else 0.5
                self.results[self.key(result.displayString, result.description)] = (criterion, str(row["id"]))
                out.append(result)
        return out

    def fetchResults(self, string, context, feedback):  # noqa: N802 - QGIS API
        for result in self.search(string, feedback):
            self.resultFetched.emit(result)

    def triggerResult(self, result):  # noqa: N802 - QGIS API
        found = self.results.get(self.key(result.displayString, result.description))
        if found is None or self.on_search is None:
            return
        criterion, ident = found
        self.on_search(Search.of({criterion: [ident]}))
