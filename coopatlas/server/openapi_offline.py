"""pygeoapi's OpenAPI document made self-contained and valid OpenAPI 3.0.

:func:`offline_openapi` replaces the document's references to the OGC schemas on the internet by the local
definitions of ``coopatlas/server/static/openapi/ogc-components.yaml``, so Swagger UI and schemathesis
work offline; :func:`clean_openapi` drops the JSON Schema keywords OpenAPI 3.0 does not know.
"""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

OGC_COMPONENTS_FILE = Path(__file__).resolve().parent / "static" / "openapi" / "ogc-components.yaml"


def load_ogc_components() -> dict:
    """The local definitions of the OGC components that pygeoapi's OpenAPI document refers to.

    ``{kind: {name: definition}}`` with kinds ``parameters``, ``responses``, ``schemas``; inside the
    file, definitions refer to each other as ``#/<kind>/<name>``.
    """
    with OGC_COMPONENTS_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class UnresolvedReference(LookupError):
    pass


_KINDS = ("parameters", "responses", "schemas")


def ogc_ref_key(ref: str) -> tuple[str, str] | None:
    """``(kind, name)`` of a remote reference: from its ``#/components/<kind>/<name>`` fragment, or for a
    reference to a whole file from its folder and file name (``.../parameters/sortby.yaml`` →
    ``("parameters", "sortby")``; a file elsewhere, like ``cql2.json``, is a schema)."""
    url, _, frag = ref.partition("#")
    if frag:
        parts = frag.strip("/").split("/")
        if len(parts) == 3 and parts[0] == "components" and parts[1] in _KINDS:
            return parts[1], parts[2]
        return None
    path = [p for p in url.split("/") if p]
    if not path:
        return None
    name = path[-1].rsplit(".", 1)[0]
    kind = path[-2] if len(path) > 1 and path[-2] in _KINDS else "schemas"
    return kind, name


def offline_openapi(doc: dict, components: dict | None = None) -> dict:
    """A copy of ``doc`` whose remote ``$ref`` point inside it.

    Each remote component (see :func:`ogc_ref_key`) is copied from ``components`` (default:
    :func:`load_ogc_components`) into ``doc["components"][kind]["ogc-<name>"]``, with the components it
    refers to. Raises :class:`UnresolvedReference` listing the remote references no local definition
    covers.
    """
    components = load_ogc_components() if components is None else components
    doc = copy.deepcopy(doc)
    comps = doc.setdefault("components", {})
    missing: set[str] = set()

    def import_component(kind: str, name: str, ref: str) -> str:
        if name not in components.get(kind, {}):
            missing.add(ref)
            return ref
        local = f"ogc-{name}"
        target = comps.setdefault(kind, {})
        if local not in target:
            target[local] = {}  # reserved first: components may refer to each other
            target[local] = walk(copy.deepcopy(components[kind][name]))
        return f"#/components/{kind}/{local}"

    def resolve(ref: str) -> str:
        if ref.startswith("#/components/"):
            return ref
        if ref.startswith("#/"):  # inside the components file: #/<kind>/<name>
            parts = ref[2:].split("/")
            if len(parts) == 2 and parts[0] in _KINDS:
                return import_component(parts[0], parts[1], ref)
            missing.add(ref)
            return ref
        key = ogc_ref_key(ref)
        if key is None:
            missing.add(ref)
            return ref
        return import_component(*key, ref)

    def walk(node):
        if isinstance(node, dict):
            out = {k: walk(v) for k, v in node.items() if k != "$ref"}
            if isinstance(node.get("$ref"), str):
                out["$ref"] = resolve(node["$ref"])
            elif "$ref" in node:
                out["$ref"] = node["$ref"]
            return out
        if isinstance(node, list):
            return [walk(v) for v in node]
        return node

    doc["paths"] = walk(doc.get("paths", {}))
    for kind in list(comps):
        for name in list(comps[kind] or {}):
            if not name.startswith("ogc-"):
                comps[kind][name] = walk(comps[kind][name])
    if missing:
        raise UnresolvedReference("no local definition for: " + ", ".join(sorted(missing)))
    return doc


#: Keywords of an OpenAPI 3.0 Schema Object (others, but ``x-`` extensions, make the document invalid).
OAS30_SCHEMA_KEYWORDS = frozenset(
    {
        "title",
        "multipleOf",
        "maximum",
        "exclusiveMaximum",
        "minimum",
        "exclusiveMinimum",
        "maxLength",
        "minLength",
        "pattern",
        "maxItems",
        "minItems",
        "uniqueItems",
        "maxProperties",
        "minProperties",
        "required",
        "enum",
        "type",
        "not",
        "allOf",
        "oneOf",
        "anyOf",
        "items",
        "properties",
        "additionalProperties",
        "description",
        "format",
        "default",
        "nullable",
        "discriminator",
        "readOnly",
        "writeOnly",
        "example",
        "externalDocs",
        "deprecated",
        "xml",
        "$ref",
    }
)


def clean_schema(schema):
    """An OpenAPI 3.0 Schema Object without the JSON Schema keywords 3.0 does not know.

    pygeoapi copies the provider's field descriptions (e.g. ``values``, the enum list of its queryables)
    into the parameter schemas of the document, which then fails OpenAPI validation.
    """
    if not isinstance(schema, dict):
        return schema
    out = {}
    for k, v in schema.items():
        if k not in OAS30_SCHEMA_KEYWORDS and not k.startswith("x-"):
            continue
        if k in ("items", "not") or (k == "additionalProperties" and isinstance(v, dict)):
            v = clean_schema(v)
        elif k == "properties" and isinstance(v, dict):
            v = {name: clean_schema(sub) for name, sub in v.items()}
        elif k in ("allOf", "oneOf", "anyOf") and isinstance(v, list):
            v = [clean_schema(sub) for sub in v]
        out[k] = v
    return out


def clean_openapi(doc: dict) -> dict:
    """A copy of ``doc`` whose parameter and content schemas are valid OpenAPI 3.0 Schema Objects."""
    doc = copy.deepcopy(doc)

    def walk(node, key=None):
        if isinstance(node, dict):
            for k, v in list(node.items()):
                if k == "schema" and isinstance(v, dict):
                    node[k] = clean_schema(v)
                else:
                    walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)

    walk(doc.get("paths", {}))
    for kind in ("parameters", "responses", "requestBodies"):
        walk(doc.get("components", {}).get(kind, {}))
    schemas = doc.get("components", {}).get("schemas", {})
    for name in list(schemas):
        schemas[name] = clean_schema(schemas[name])
    return doc


def remote_refs(node) -> set[str]:
    """Every ``$ref`` of a document that does not point inside it."""
    found = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and not ref.startswith("#"):
            found.add(ref)
        for v in node.values():
            found |= remote_refs(v)
    elif isinstance(node, list):
        for v in node:
            found |= remote_refs(v)
    return found
