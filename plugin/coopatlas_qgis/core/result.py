"""What a search brought back: the ``/criteres`` answer, the GeoJSON files, counts, styles and statistics.

Plain data shared by the task that fetches a search (:mod:`.tasks`) and the code that loads its layers
(:mod:`.layers`); it imports neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .search import Search


@dataclass
class SearchResult:
    """What a search brought back.

    ``files``: collection -> GeoJSON file (CRS84) of the matching features; ``counts``: collection ->
    number of features fetched (0 for a collection the criteria rule out); ``styles``: collection -> QML
    file; ``criteres``: the server's ``/criteres`` answer; ``stats``: the ``statistiques`` result (or
    None, with ``stats_error`` saying why).
    """

    search: Search
    criteres: dict
    folder: Path
    files: dict[str, Path] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    styles: dict[str, Path] = field(default_factory=dict)
    #: context collection (countries, French regions, departments) -> GeoJSON file, for the map's background
    context_files: dict[str, Path] = field(default_factory=dict)
    #: collection -> records matching on the server; how each came (``tuiles`` or ``entites``, see
    #: :mod:`.tiles`); the MapLibre styles of the collections shown as vector tiles
    matched: dict[str, int] = field(default_factory=dict)
    modes: dict[str, str] = field(default_factory=dict)
    tile_styles: dict[str, dict] = field(default_factory=dict)
    #: collection -> the Features API parameters its tiles are filtered by (the search's ``filter``)
    tile_params: dict[str, dict] = field(default_factory=dict)
    #: collections whose count is a lower bound (the server gave ``numberMatchedAtLeast`` only)
    at_least: set = field(default_factory=set)
    tiles_threshold: int | None = None
    stats: dict | None = None
    stats_error: str | None = None
    seconds: float = 0.0
    lang: str = "fr"  # of the statistics' labels
    #: layers opened by the task (moved to the main thread), their errors, and the results table's rows
    layers: dict | None = None
    layer_errors: list = field(default_factory=list)
    rows: list | None = None

    def description(self, lang: str = "fr") -> str:
        """The search in words: the statistics' (with the names of countries, authorities...) when they
        are in ``lang``, else ``/criteres``'s (codes for what is not a vocabulary)."""
        if lang == self.lang and isinstance((self.stats or {}).get("description"), str) and self.stats["description"]:
            return self.stats["description"]
        desc = self.criteres.get("description") or {}
        if isinstance(desc, dict):
            return str(desc.get(lang) or desc.get("fr") or "")
        return str(desc)

    def excluded(self, collection: str) -> bool:
        """True when the criteria rule the whole collection out."""
        return (self.criteres.get("collections") or {}).get(collection, {}) is None


#: A CQL2 text filter longer than this (lists of identifiers) is sent as CQL2 JSON in a POST body.
LONG_FILTER = 1500


def filter_params(criteres: dict, collection: str) -> dict | None:
    """The Features API parameters (``filter``, ``filter-lang``, ``q``) of ``collection`` from a
    ``/criteres`` answer; ``None`` when the criteria rule the collection out.

    A filter longer than :data:`LONG_FILTER` (the French authorities or partners of a search, as lists
    of identifiers) comes as its CQL2 JSON (a dict under ``filter``, from ``filtres_json``): the client
    POSTs it (:meth:`~.client.AtlasClient.get`) rather than putting identifiers in URLs."""
    colls = criteres.get("collections") or {}
    if collection in colls and colls[collection] is None:
        return None
    spec = colls.get(collection) or {}
    out = {k: spec[k] for k in ("filter", "filter-lang", "q") if spec.get(k) not in (None, "")}
    as_json = (criteres.get("filtres_json") or {}).get(collection)
    if as_json is not None and len(str(out.get("filter", ""))) > LONG_FILTER:
        out["filter"] = as_json
        out.pop("filter-lang", None)
    return out
