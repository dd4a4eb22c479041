"""Titles and descriptions of the queryables, in the language of the request, from the schema.

pygeoapi 0.24 writes every queryable's ``title`` as the property name (``titre``, ``type_action``) and
takes from the provider only its type, format and values. The schema (:mod:`coopatlas.schema`) has a
French and an English title for every field: this hook puts them into the JSON answer of
``/collections/{id}/queryables`` (``f=json``, the form clients read), with a description that says which
code list a coded property takes its values from and where its labels are (``/vocabulaire``). The time
properties of a collection (its :class:`~coopatlas.schema.Period`) say that they are the start or the end of
the feature's period, whole years or days, as ``datetime`` reads them, with the role OGC API - Features
Part 5 gives them (``x-ogc-role``: ``primary-interval-start``/``-end``, or ``primary-instant``; pygeoapi
marks the provider's ``time_field`` ``primary-instant`` whatever it is).
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
        "start": "Début de la période de l'objet ({unit}) ; lu par datetime et les critères actif_de, actif_a.",
        "end": "Fin de la période de l'objet ({unit}) ; vide : en cours, période ouverte.",
        "instant": "Période de l'objet ({unit}) ; lue par datetime et les critères actif_de, actif_a.",
        "start year": "une année : à partir du 1er janvier",
        "end year": "une année : jusqu'au 31 décembre inclus",
        "instant year": "une année : du 1er janvier au 31 décembre",
        "start day": "un jour, inclus",
        "end day": "un jour, inclus",
        "instant day": "un jour entier",
    },
    "en": {
        "codes": "Code of the list '{name}'; French and English labels: /vocabulaire.",
        "id": "Identifier of the feature.",
        "geometry": "Geometry of the feature (CRS84).",
        "start": "Start of the feature's period ({unit}); read by datetime and the criteria actif_de, actif_a.",
        "end": "End of the feature's period ({unit}); empty: still running, open-ended.",
        "instant": "Period of the feature ({unit}); read by datetime and the criteria actif_de, actif_a.",
        "start year": "a year: from 1 January",
        "end year": "a year: to 31 December included",
        "instant year": "a year: 1 January to 31 December",
        "start day": "a day, included",
        "end day": "a day, included",
        "instant day": "a whole day",
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
    if coll.time is not None:
        _describe_time(queryables.get("properties") or {}, coll, texts)
    return queryables


def _describe_time(properties: dict, coll: sch.Collection, texts: dict) -> None:
    """The description and ``x-ogc-role`` of the start and end properties of the collection's period."""
    start, end = coll.time.start, coll.time.end
    roles = {start: "instant"} if end is None else {start: "start", end: "end"}
    for name, role in roles.items():
        prop = properties.get(name)
        if prop is None:
            continue
        unit = texts[f"{role} {'year' if coll.field(name).type == sch.INTEGER else 'day'}"]
        prop["description"] = texts[role].format(unit=unit)
        prop["x-ogc-role"] = "primary-instant" if role == "instant" else f"primary-interval-{role}"


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
