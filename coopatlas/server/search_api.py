"""``/criteres``: the atlas's search criteria turned into OGC API Features queries, for every client.

Clients that cannot import the core (the QGIS plugin, web maps) send the Atlas's criteria here and get,
for each collection, the CQL2 filter and keywords to put on ``/collections/{id}/items`` — so that a
search means the same in every client. Each answer also lists the criteria themselves
(``specifications``: name, kind, labels, the code list or collection their values come from, whether they
take several), which the QGIS plugin's criteria must match. ``/vocabulaire`` publishes every code list.
"""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, jsonify, request
from pygeofilter.backends.cql2_json import to_cql2

from ..criteria import Criteria, CriteriaError, NotApplicable, published
from ..store import open_store
from . import cql

blueprint = Blueprint("coopatlas_search", __name__)

#: Collections a search applies to, in the order clients show them.
SEARCH_COLLECTIONS = ("projets", "demandes", "liens", "collectivites", "partenaires", "apd")
IGNORED_PARAMS = ("f", "lang")


@lru_cache(maxsize=1)
def known_countries() -> frozenset[str]:
    """ISO alpha-2 codes of the countries in the served atlas."""
    return frozenset(r[0] for r in open_store().rows("SELECT pays_code FROM pays"))


def bad_request(param: str, message: str):
    response = jsonify({"code": "InvalidParameterValue", "description": message, "parameter": param})
    response.status_code = 400
    return response


def criteria_from_request() -> Criteria:
    """The criteria of the current request's query string (repeated parameters are joined)."""
    params = {k: ",".join(request.args.getlist(k)) for k in request.args}
    return Criteria.from_params(params, known_countries=known_countries(), ignore=IGNORED_PARAMS)


def translate(criteria: Criteria) -> dict:
    """For each searchable collection: its query parameters, or ``None`` when the criteria exclude it or
    cannot apply to it (with the reason)."""
    out = {}
    for cid in SEARCH_COLLECTIONS:
        try:
            if cid == "collectivites":  # the French collectivities of any search, abroad too
                out[cid] = criteria.collectivities_params(open_store())
                continue
            if cid == "partenaires":  # the partners of any search, in France too
                out[cid] = criteria.partners_params(open_store())
                continue
            if criteria.excludes(cid):
                out[cid] = None
                continue
            out[cid] = criteria.query_params(cid)
        except NotApplicable as exc:
            out[cid] = None
            out.setdefault("_non_applicables", {})[cid] = list(exc.names)
    return out


def cql2_json(collections: dict) -> dict:
    """The same filters in CQL2 JSON, collection -> filter: what a client POSTs to ``/collections/{id}/items``
    (``Content-Type: application/query-cql-json``) when the text is too long for a URL (id lists)."""
    return {
        cid: json.loads(to_cql2(cql.parse(params["filter"], "cql2-text")))
        for cid, params in collections.items()
        if params and params.get("filter")
    }


@blueprint.route("/criteres")
def criteres():
    try:
        criteria = criteria_from_request()
    except CriteriaError as exc:
        return bad_request(exc.param, str(exc))
    collections = translate(criteria)
    skipped = collections.pop("_non_applicables", {})
    return jsonify(
        {
            "criteres": criteria.to_params(),
            "description": {"fr": criteria.describe("fr"), "en": criteria.describe("en")},
            "collections": collections,
            "filtres_json": cql2_json(collections),
            "non_applicables": skipped,
            "specifications": published(),
        }
    )
