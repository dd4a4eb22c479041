"""Links of a search on the server, to share a map: ``/criteres?...`` and each collection's items URL."""

from __future__ import annotations

from .client import AtlasClient
from .result import filter_params
from .search import Search


def search_url(client: AtlasClient, search: Search) -> str:
    """The URL of the search itself (``/criteres`` with the criteria as parameters)."""
    return client.url("/criteres", search.params())


def items_urls(client: AtlasClient, criteres: dict, fmt: str = "json") -> dict[str, str]:
    """Collection -> URL of its matching features (OGC API Features, CQL2 filter) for a ``/criteres``
    answer; collections the criteria rule out are left out, and so are those whose filter is too long
    for a URL (lists of identifiers: the plugin POSTs them as CQL2 JSON)."""
    out = {}
    for coll in criteres.get("collections") or {}:
        if coll.startswith("_"):
            continue
        params = filter_params(criteres, coll)
        if params is None or isinstance(params.get("filter"), dict):
            continue
        out[coll] = client.url(f"/collections/{coll}/items", {**params, "f": fmt})
    return out
