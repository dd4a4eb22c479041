"""Titles and descriptions of the queryables, in the language of the request, from the schema.

pygeoapi 0.24 writes every queryable's ``title`` as the property name (``titre``, ``type_action``) and
takes from the provider only its type, format and values. The schema (:mod:`coopatlas.schema`) has a
French and an English title for every field: this hook puts them into the JSON answer of
``/collections/{id}/queryables`` (``f=json``, the form clients read), with a description that says which
code list a coded property takes its values from and where its labels are (``/vocabulaire``).
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, request

from .. import schema as sch

blueprint = Blueprint("coopatlas_queryables", __name__)

DESCRIPTIONS = {
    "fr": {
        "codes": "Code de la liste « {name} » ; libellés français et anglais : /vocabulaire.",
        "id": "Identifiant de l'objet.",
        "geometry": "Géométrie de l'objet (CRS84).",
    },
    "en": {
        "codes": "Code of the list '{name}'; French and English labels: /vocabulaire.",
        "id": "Identifier of the feature.",
        "geometry": "Geometry of the feature (CRS84).",
    },
}


def request_language() -> str:
    """``fr`` or ``en``: the language pygeoapi answers the current request in (``lang``, then
    ``Accept-Language``, then the server's default)."""
    from pygeoapi.api import APIRequest
    from pygeoapi.flask_app import api_

    locale = APIRequest.from_flask(request, api_.locales).locale
    return "en" if getattr(locale, "language", "fr") == "en" else "fr"


def describe(queryables: dict, coll: sch.Collection, lang: str) -> dict:
    """``queryables`` (pygeoapi's JSON Schema) with each property titled and described from ``coll``."""
    texts = DESCRIPTIONS[lang]
    fields = {f.name: f for f in coll.fields}
    for name, prop in (queryables.get("properties") or {}).items():
        field = fields.get(name)
        if field is not None:
            prop["title"] = field.fr if lang == "fr" else field.en
            if field.codelist:
                prop["description"] = texts["codes"].format(name=field.codelist)
        elif name == coll.id_field:
            prop["description"] = texts["id"]
        elif prop.get("format", "").startswith("geometry"):
            prop["description"] = texts["geometry"]
    return queryables


@blueprint.after_app_request
def titled_queryables(response: Response) -> Response:
    """The JSON answer of ``/collections/{id}/queryables``, titled and described (see the module)."""
    if request.endpoint != "pygeoapi.collection_queryables" or response.status_code != 200:
        return response
    if (
        not str(response.headers.get("Content-Type", "")).startswith("application/schema+json")
        or response.direct_passthrough
    ):
        return response
    coll = sch.COLLECTIONS.get((request.view_args or {}).get("collection_id"))
    if coll is None:
        return response
    queryables = describe(json.loads(response.get_data(as_text=True)), coll, request_language())
    response.set_data(json.dumps(queryables, ensure_ascii=False))
    return response
