"""The ``filter`` of a tile request: the features of a tile restricted by a CQL2 filter, as tipg and the
draft OGC API - Tiles / Features "filter" extension do (``?filter=pays_code IN ('BF')&filter-lang=cql2-text``).

The filter is parsed by the project's CQL2 parser (:func:`coopatlas.server.cql.parse`) and checked against
the collection's queryables by the same :func:`coopatlas.server.cql.to_sql` as ``/items``, so a filter has
the same meaning (and the same 400 naming ``filter``) on ``/items`` and on the tiles; each backend then
renders it (:mod:`.gpkg`: the SQLite SQL of that evaluator; :mod:`.postgis`: the PostGIS provider's
SQLAlchemy translation).

A filtered tile is cached apart from the unfiltered one: the GeoPackage cache key holds
:attr:`TileFilter.digest`, the SHA-256 of the filter's normalised form (its CQL2 JSON, so that two
spellings of one filter share their tiles).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from ... import schema as sch
from .. import cql

#: The query parameters of a tile request (beyond them: 400 naming the unknown one).
TILE_PARAMETERS = ("f", "lang", "filter", "filter-lang")
#: Languages of a filter in the query string.
FILTER_LANGUAGES = ("cql2-text",)


class TileFilterError(Exception):
    """A filter a tile request cannot honour; the message names ``filter`` or ``filter-lang``."""


@dataclass(frozen=True)
class TileFilter:
    """A parsed tile filter: the text as given, pygeofilter's AST, the digest of its normalised form."""

    text: str
    node: object
    digest: str


def normalised(node) -> str:
    """One text per filter whatever its spelling (spaces, case of keywords): its CQL2 JSON."""
    try:
        from pygeofilter.backends.cql2_json import to_cql2

        return to_cql2(node)
    except Exception:  # noqa: BLE001 - a node the encoder does not know: the AST's own text
        return repr(node)


def parse(text: str | None, lang: str | None) -> TileFilter | None:
    """The :class:`TileFilter` of the ``filter`` and ``filter-lang`` parameters (``None``: no filter)."""
    if lang not in (None, "") and lang not in FILTER_LANGUAGES:
        raise TileFilterError(f"filter-lang: tiles take a CQL2 text filter (filter-lang=cql2-text), not {lang!r}")
    if text is None:
        if lang:
            raise TileFilterError("filter-lang: given without filter")
        return None
    if not text.strip():
        raise TileFilterError("filter: empty (leave the parameter out for every feature)")
    try:
        node = cql.parse(text, "cql2-text")
    except cql.FilterError as exc:
        raise TileFilterError(str(exc)) from None
    return TileFilter(text, node, hashlib.sha256(normalised(node).encode("utf-8")).hexdigest())


def queryables(collection: str) -> dict[str, cql.Queryable]:
    """The queryables of a collection, as the feature providers build them (types and code lists)."""
    out = {}
    for f in sch.COLLECTIONS[collection].fields:
        voc = f.vocabulary
        out[f.name] = cql.Queryable(f.name, f.type, frozenset(voc.codes) if voc else None)
    return out


def sqlite_condition(tile_filter: TileFilter, collection: str, alias: str = "t") -> cql.Sql:
    """The SQLite condition of ``tile_filter`` on the rows of ``collection`` named ``alias`` (checked:
    :class:`TileFilterError` naming the bad property or value)."""
    target = cql.Target(
        queryables=queryables(collection),
        geometry=f'{alias}."geom"',
        geometry_names=frozenset({"geometry", "geom"}),
        rtree=None,  # the tile query reads the R-tree already
        rowid=f'{alias}."fid"',
        column=lambda name: f'{alias}."{name}"',
    )
    try:
        return cql.to_sql(tile_filter.node, target)
    except cql.FilterError as exc:
        raise TileFilterError(str(exc)) from None


#: The OpenAPI parameters of a filtered tile request.
OPENAPI_PARAMETERS = [
    {
        "name": "filter",
        "in": "query",
        "required": False,
        "description": "A CQL2 text filter on the collection's queryables (as on /items): the tile holds only "
        "the features it selects (at the zooms of aggregates, the aggregates of those features).",
        "schema": {"type": "string"},
    },
    {
        "name": "filter-lang",
        "in": "query",
        "required": False,
        "description": "The language of filter: cql2-text.",
        "schema": {"type": "string", "enum": list(FILTER_LANGUAGES), "default": FILTER_LANGUAGES[0]},
    },
]


def with_openapi_parameters(doc: dict) -> dict:
    """The OpenAPI document ``doc`` with ``filter`` and ``filter-lang`` on every tile's path."""
    for path, item in (doc.get("paths") or {}).items():
        if "/tiles/" in path and path.endswith("{tileCol}") and "get" in item:
            params = item["get"].setdefault("parameters", [])
            names = {p.get("name") for p in params if isinstance(p, dict)}
            params += [dict(p) for p in OPENAPI_PARAMETERS if p["name"] not in names]
    return doc


def from_request() -> TileFilter | None:
    """The filter of the Flask request being served (``None`` outside a request, or without filter)."""
    from flask import has_request_context, request

    if not has_request_context():
        return None
    args = request.args
    return parse(args.get("filter"), args.get("filter-lang"))
