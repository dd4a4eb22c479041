"""The plugin's settings and saved searches, kept in the QGIS user profile (:class:`QgsSettings`).

Keys live under ``coopatlas/``: ``server_url``, ``timeout_s``, ``page_size``, ``tiles_threshold`` and one
``coopatlas/recherches/<name>`` JSON value per saved search.
"""

from __future__ import annotations

from qgis.core import QgsSettings

from .client import DEFAULT_URL, AtlasClient, normalise_url
from .search import Search
from .tiles import DEFAULT_TILES_THRESHOLD

PREFIX = "coopatlas"
SEARCHES = f"{PREFIX}/recherches"
DEFAULT_TIMEOUT_S = 60
DEFAULT_PAGE_SIZE = 1000


class Settings:
    """Typed access to the plugin's settings."""

    def __init__(self, settings: QgsSettings | None = None):
        self.s = settings or QgsSettings()

    @property
    def server_url(self) -> str:
        """Base URL of the CoopAtlas OGC API server (default ``http://127.0.0.1:5000``)."""
        return normalise_url(str(self.s.value(f"{PREFIX}/server_url", DEFAULT_URL) or DEFAULT_URL))

    @server_url.setter
    def server_url(self, value: str) -> None:
        self.s.setValue(f"{PREFIX}/server_url", normalise_url(value))

    @property
    def timeout_s(self) -> int:
        """Transfer timeout of one request, in seconds."""
        try:
            return max(1, int(self.s.value(f"{PREFIX}/timeout_s", DEFAULT_TIMEOUT_S)))
        except (TypeError, ValueError):
            return DEFAULT_TIMEOUT_S

    @timeout_s.setter
    def timeout_s(self, value: int) -> None:
        self.s.setValue(f"{PREFIX}/timeout_s", int(value))

    @property
    def page_size(self) -> int:
        """Features asked per page of ``/items``."""
        try:
            return max(10, int(self.s.value(f"{PREFIX}/page_size", DEFAULT_PAGE_SIZE)))
        except (TypeError, ValueError):
            return DEFAULT_PAGE_SIZE

    @page_size.setter
    def page_size(self, value: int) -> None:
        self.s.setValue(f"{PREFIX}/page_size", int(value))

    @property
    def tiles_threshold(self) -> int:
        """Beyond this number of records, a search without criteria is shown as vector tiles."""
        try:
            return max(1, int(self.s.value(f"{PREFIX}/tiles_threshold", DEFAULT_TILES_THRESHOLD)))
        except (TypeError, ValueError):
            return DEFAULT_TILES_THRESHOLD

    @tiles_threshold.setter
    def tiles_threshold(self, value: int) -> None:
        self.s.setValue(f"{PREFIX}/tiles_threshold", int(value))

    def client(self) -> AtlasClient:
        """A client of the configured server."""
        return AtlasClient(self.server_url, self.timeout_s)


class SavedSearches:
    """Named searches kept in the QGIS profile."""

    def __init__(self, settings: QgsSettings | None = None):
        self.s = settings or QgsSettings()

    def names(self) -> list[str]:
        self.s.beginGroup(SEARCHES)
        try:
            keys = self.s.childKeys()
        finally:
            self.s.endGroup()
        return sorted(keys, key=str.casefold)

    def save(self, name: str, search: Search) -> None:
        name = name.strip().replace("/", "-").replace("\\", "-")
        if not name:
            raise ValueError("a saved search needs a name")
        self.s.setValue(f"{SEARCHES}/{name}", search.to_json())

    def load(self, name: str) -> Search:
        value = self.s.value(f"{SEARCHES}/{name}")
        if value is None:
            raise KeyError(name)
        return Search.from_json(str(value))

    def remove(self, name: str) -> None:
        self.s.remove(f"{SEARCHES}/{name}")
