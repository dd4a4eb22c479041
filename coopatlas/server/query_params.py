"""Unknown query parameters of the collection routes, refused with a 400 that names them.

pygeoapi 0.24 silently drops a query parameter it does not know (``/collections/projets/items?pays=BF``
answered the whole atlas). OGC API - Features Core says the server answers 400 to a parameter it does not
define (``/req/core/query-param-unknown``): this check, run before pygeoapi reads the request, refuses
them, says which parameter to use instead (``pays`` → ``pays_code``) and lists the parameters of the route.

What each route defines (pygeoapi 0.24, ``pygeoapi/api/itemtypes.py`` and ``api/maps.py``, and what the
atlas's providers honour):

* ``/collections/{id}/items``: pygeoapi's reserved names (:data:`ITEMS_PARAMETERS`, its local
  ``reserved_fieldnames``) plus the collection's properties as equality filters (the queryables, from
  :mod:`coopatlas.schema`);
* ``/collections/{id}/items/{featureId}``: ``f``, ``lang``, ``crs``;
* ``/collections/{id}/map``: the parameters :func:`coopatlas.server.maps.parse_map_args` reads;
* ``/collections/{id}/queryables``: ``f``, ``lang``, ``profile``, ``properties``;
* ``/collections``, ``/collections/{id}``, ``/collections/{id}/schema``: ``f``, ``lang``.

The suggestion comes from the Atlas's search criteria (:data:`coopatlas.criteria.SPECS`: the names that
``/criteres``, the processes and the QGIS plugin use, e.g. ``pays`` → ``pays_code``), from names of other
web-map protocols (``startindex`` → ``offset``), else from the closest name (:mod:`difflib`).
"""

from __future__ import annotations

import difflib
import json

from flask import Blueprint, Response, make_response, request
from pygeoapi.api import APIRequest

from .. import criteria as crit
from .. import schema as sch
from . import temporal

blueprint = Blueprint("coopatlas_query_params", __name__)
temporal.install()  # datetime: checked by the atlas's rule before pygeoapi reads it (see temporal)

#: Parameters of every route (output format, language).
COMMON = ("f", "lang")
#: The parameters pygeoapi 0.24 reads on ``/collections/{id}/items`` (``reserved_fieldnames`` of
#: ``pygeoapi.api.itemtypes.get_collection_items``); other names are property filters.
ITEMS_PARAMETERS = COMMON + (
    "bbox",
    "bbox-crs",
    "crs",
    "limit",
    "offset",
    "resulttype",
    "datetime",
    "sortby",
    "properties",
    "skipGeometry",
    "q",
    "filter",
    "filter-lang",
    "filter-crs",
)
ITEM_PARAMETERS = COMMON + ("crs",)
MAP_PARAMETERS = COMMON + ("bbox", "bbox-crs", "crs", "width", "height", "transparent", "datetime")
QUERYABLES_PARAMETERS = COMMON + ("profile", "properties")

#: Names other protocols (WFS, OGC API drafts) give to a parameter of OGC API - Features.
OTHER_NAMES = {
    "startindex": "offset",
    "start": "offset",
    "page": "offset",
    "count": "limit",
    "maxfeatures": "limit",
    "max_features": "limit",
    "typename": "/collections/{id}",
    "typenames": "/collections/{id}",
    "outputformat": "f",
    "format": "f",
    "srsname": "crs",
    "propertyname": "properties",
    "sort": "sortby",
    "cql_filter": "filter",
    "cql": "filter",
    "langue": "lang",
    "language": "lang",
}


def route_parameters(
    endpoint: str | None, view_args: dict
) -> tuple[str, tuple[str, ...], sch.Collection | None] | None:
    """``(route, parameters, collection)`` of a collection route (``collection`` when property filters are
    parameters too), or None for the other routes (not checked here)."""
    cid = view_args.get("collection_id")
    if endpoint == "pygeoapi.collection_items":
        if view_args.get("item_id"):
            return f"/collections/{cid}/items/{{featureId}}", ITEM_PARAMETERS, None
        return f"/collections/{cid}/items", ITEMS_PARAMETERS, sch.COLLECTIONS.get(cid)
    if endpoint == "pygeoapi.collection_map":
        return f"/collections/{cid}/map", MAP_PARAMETERS, None
    if endpoint == "pygeoapi.collection_queryables":
        return f"/collections/{cid}/queryables", QUERYABLES_PARAMETERS, None
    if endpoint == "pygeoapi.collection_schema":
        return f"/collections/{cid}/schema", COMMON, None
    if endpoint == "pygeoapi.collections":
        return "/collections" + (f"/{cid}" if cid else ""), COMMON, None
    return None


def properties(coll: sch.Collection | None) -> list[str]:
    """The property names usable as filters on the items of ``coll``."""
    if coll is None:
        return []
    return list(dict.fromkeys([coll.id_field, *coll.field_names]))


def _criterion_field(name: str, coll: sch.Collection) -> str | None:
    """The property of ``coll`` a search criterion of ``/criteres`` filters on (``pays`` → ``pays_code``)."""
    spec = crit.SPECS.get(name)
    if spec is None:
        return None
    field = spec.fields_by_collection.get(coll.id, spec.default_field)
    return field if field in coll.field_names else None


def suggestion(name: str, parameters: tuple[str, ...], coll: sch.Collection | None, value: str = "") -> str | None:
    """What to write instead of the unknown parameter ``name`` (a sentence), or None."""
    lowered = name.lower()
    if coll is not None and name in crit.SPECS:
        field = _criterion_field(name, coll)
        spec = crit.SPECS[name]
        if spec.time_bound and coll.time is not None:
            year = value.strip() if value.strip().isdigit() else "2010"
            interval = f"{year}-01-01/.." if spec.time_bound == "first" else f"../{year}-12-31"
            return f"use datetime={interval} (the features active then; the criterion {name} of /criteres)"
        if name in ("annee_min", "annee_max") and field:
            op = ">=" if name == "annee_min" else "<="
            return f"use filter={field} {op} {value or '2010'} (CQL2 text)"
        if field and "," in value:  # a property filter takes one value
            codes = ", ".join("'" + v.strip().replace("'", "''") + "'" for v in value.split(",") if v.strip())
            return f"use filter={field} IN ({codes}) (CQL2 text; the criterion {name} of /criteres is {field} here)"
        if field:
            return f"use {field}={value or '...'} (the criterion {name} of /criteres is the property {field} here)"
        if spec.kind == "text":
            return "use q=..."
        return (
            f"the criterion {name!r} of /criteres does not apply to this collection "
            f"(GET /criteres?{name}=... gives the query of each collection)"
        )
    if lowered in OTHER_NAMES:
        target = OTHER_NAMES[lowered]
        if target.startswith("/"):
            return f"the collection is chosen by the path ({target}/items), not by a parameter"
        if target in parameters:
            return f"use {target}=..."
    names = list(parameters) + properties(coll)
    same_but_case = [n for n in names if n.lower() == lowered]
    if same_but_case:
        return f"did you mean {same_but_case[0]}? (names are case-sensitive)"
    close = difflib.get_close_matches(lowered, [n.lower() for n in names], n=1, cutoff=0.7)
    if close:
        return f"did you mean {next(n for n in names if n.lower() == close[0])}?"
    return None


def unknown_parameters_message(
    unknown: list[str], args, route: str, parameters: tuple[str, ...], coll: sch.Collection | None
) -> str:
    """``unknown query parameter 'pays': use pays_code=BF ...; the parameters of the route``."""
    parts = []
    for name in unknown:
        hint = suggestion(name, parameters, coll, args.get(name, ""))
        parts.append(f"{name!r}" + (f": {hint}" if hint else ""))
    plural = "s" if len(unknown) > 1 else ""
    text = f"unknown query parameter{plural} {'; '.join(parts)}. {route} takes {', '.join(parameters)}"
    if coll is not None:
        text += f", and the properties of the collection as filters ({route.rsplit('/', 1)[0]}/queryables)"
    return text


def unknown(args, parameters: tuple[str, ...], coll: sch.Collection | None) -> list[str]:
    """The names of ``args`` (a query string's keys) that the route does not define."""
    allowed = set(parameters) | set(properties(coll))
    return [name for name in dict.fromkeys(args.keys()) if name not in allowed]


def _error(description: str) -> Response:
    """A 400 ``InvalidParameterValue`` as pygeoapi renders its errors: its HTML page for ``f=html``, else
    the OGC exception JSON (also for ``f=csv``)."""
    from pygeoapi.flask_app import api_

    api_request = APIRequest.from_flask(request, api_.locales)
    if api_request.format == "html":
        headers = api_request.get_response_headers(**api_.api_headers)
        headers, status, content = api_.get_exception(400, headers, "html", "InvalidParameterValue", description)
        response = make_response(content, status)
        response.headers.update(headers)
        return response
    body = {"code": "InvalidParameterValue", "type": "InvalidParameterValue", "description": description}
    return Response(json.dumps(body, ensure_ascii=False), status=400, mimetype="application/json")


@blueprint.before_app_request
def refuse_unknown_parameters():
    """The 400 of an unknown query parameter on a collection route of a configured collection."""
    found = route_parameters(request.endpoint, request.view_args or {})
    if found is None or not request.args:
        return None
    route, parameters, coll = found
    from pygeoapi.flask_app import CONFIG

    cid = (request.view_args or {}).get("collection_id")
    if cid and cid not in CONFIG.get("resources", {}):
        return None  # pygeoapi answers 404
    names = unknown(request.args, parameters, coll)
    if not names:
        return None
    return _error(unknown_parameters_message(names, request.args, route, parameters, coll))
