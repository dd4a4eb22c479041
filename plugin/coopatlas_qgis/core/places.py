"""The server's places and authorities offered by the search forms, as ``(identifier, label)`` pairs:
regions, departments and countries to choose from, French and partner authorities by type-ahead.

Blocking HTTP calls through an :class:`~.client.AtlasClient` (short lists: the user interface thread may
make them, except the type-ahead, asked in the background by :class:`~..gui.completer.ServerCompleter`);
they raise :class:`~.errors.AtlasError`.
"""

from __future__ import annotations

from collections.abc import Iterable

from .client import AtlasClient

Choices = list[tuple[str, str]]


def regions(client: AtlasClient) -> Choices:
    """French regions (INSEE code, name), in the server's order."""
    return [(r["id"], r.get("nom") or r["id"]) for r in client.names("regions", fields="id,nom")]


def departements(client: AtlasClient, regions: Iterable[str] = ()) -> Choices:
    """Departments (INSEE code, "code name") of the given regions (all when none), by code."""
    queries = [{"code_region": r} for r in regions] or [{}]
    pairs = {}
    for query in queries:
        for r in client.names("departements", query, fields="id,nom", sortby="id"):
            pairs[r["id"]] = f"{r['id']} {r.get('nom') or ''}".strip()
    return sorted(pairs.items())


def countries(
    client: AtlasClient,
    lang: str = "fr",
    params: dict | None = None,
    field: str | None = None,
    codes: Iterable[str] = (),
) -> Choices:
    """Countries (ISO code, name in ``lang``) of the server, of one ``field`` value among ``codes`` when
    given (one request per code: property filters take one value), sorted by name."""
    codes = list(codes)
    name_field = "nom_en" if lang == "en" else "nom"
    queries = [{**(params or {}), field: c} for c in codes] if field and codes else [params or {}]
    pairs = {}
    for query in queries:
        for r in client.names("pays", query, fields="id,nom,nom_en", sortby=name_field):
            pairs[r["id"]] = r.get(name_field) or r.get("nom") or r["id"]
    return sorted(pairs.items(), key=lambda p: str(p[1]).casefold())


def collectivites(client: AtlasClient, text: str, params: dict | None = None) -> Choices:
    """French authorities whose words start with those of ``text`` (the most engaged first), within
    ``params`` (a region, a department, a type)."""
    return [
        (r["id"], r.get("nom") or r["id"]) for r in client.find("collectivites", text, "id,nom,nb_projets", 30, params)
    ]


def partenaires(client: AtlasClient, text: str) -> Choices:
    """Partner authorities whose words start with those of ``text``, labelled with their country."""
    rows = client.find("partenaires", text, "id,nom,pays_nom,nb_projets", 30)
    return [(r["id"], f"{r.get('nom') or r['id']} ({r.get('pays_nom') or ''})") for r in rows]
