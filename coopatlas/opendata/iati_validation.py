"""Validation of IATI activity files against the official 2.03 activity schema and code lists kept in
``datasets/iati`` (see its README: source commits and licences).

* :func:`schema_errors`: the XSD errors (lxml), with their line;
* :func:`codelist_errors`: every code checked against its code list, using IATI's own ``mapping.xml``
  (which path takes which list, under which condition). A mapped path that occurs in the document but
  whose code list is not kept is itself an error (the check never passes by ignoring a code);
* :func:`parse_document`: an activity file as lxml elements, comments and all.

Every file is read with a parser of its own (:func:`parser`), never with lxml's default parser: that one is
shared by the whole process (per thread), and a library may replace it. OWSLib does, on import, with a parser
that drops comments: the comments of an export (the projects left out, and why) then vanished from every
document parsed afterwards in that process.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree

IATI_DIR = Path(__file__).resolve().parents[2] / "datasets" / "iati"
SCHEMA = IATI_DIR / "schemas" / "iati-activities-schema.xsd"
CODELISTS = IATI_DIR / "codelists"
MAPPING = IATI_DIR / "mapping.xml"


def parser() -> etree.XMLParser:
    """A parser of this module's own (lxml's settings, large documents allowed, no network, no entity
    expanded), whatever lxml's process-wide default parser has become."""
    return etree.XMLParser(huge_tree=True, no_network=True, resolve_entities=False)


@functools.cache
def activity_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA), parser()))


@functools.cache
def codelist(name: str) -> frozenset[str]:
    """The codes of a kept code list (``FileNotFoundError`` when it is not kept)."""
    tree = etree.parse(str(CODELISTS / f"{name}.xml"), parser())
    return frozenset(c.text.strip() for c in tree.iterfind(".//codelist-item/code") if c.text)


@functools.cache
def mappings() -> tuple[tuple[str, str, str | None], ...]:
    """``(path, code list, condition)`` of IATI's mapping file, activity paths only."""
    out = []
    for mapping in etree.parse(str(MAPPING), parser()).iterfind("mapping"):
        path = mapping.findtext("path").strip()
        if "iati-organisation" in path:
            continue
        condition = mapping.findtext("condition")
        out.append((path, mapping.find("codelist").get("ref"), condition.strip() if condition else None))
    return tuple(out)


def parse_document(document: bytes | etree._Element) -> etree._Element:
    """The root of an activity file given as bytes (with its comments), or the element given."""
    if isinstance(document, (bytes, bytearray)):
        return etree.fromstring(bytes(document), parser())
    return document


def schema_errors(document: bytes | etree._Element) -> list[str]:
    """The document's errors against the IATI 2.03 activity schema (``[]`` when valid)."""
    schema = activity_schema()
    root = parse_document(document)
    if schema.validate(root):
        return []
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _elements_by_path(root: etree._Element) -> dict[str, list[etree._Element]]:
    """Every element of the document by its path from the root (``/iati-activities/iati-activity/...``)."""
    index: dict[str, list[etree._Element]] = {}
    stack = [(root, "/" + root.tag)]
    while stack:
        element, path = stack.pop()
        index.setdefault(path, []).append(element)
        stack.extend((child, f"{path}/{child.tag}") for child in element if isinstance(child.tag, str))
    return index


def _values(index: dict, mapping_path: str, condition: str | None) -> list[str]:
    """The values a mapping's path selects (``//a/b/@c``, ``//a/b/text()``), its condition checked on the
    element holding them."""
    if mapping_path == "//@xml:lang":
        return [
            v
            for elements in index.values()
            for e in elements
            for v in [e.get("{http://www.w3.org/XML/1998/namespace}lang")]
            if v is not None
        ]
    element_path, last = mapping_path.lstrip("/").rsplit("/", 1)
    values = []
    for path, elements in index.items():
        if not (path == "/" + element_path or path.endswith("/" + element_path)):
            continue
        for element in elements:
            if condition and not element.xpath(condition):
                continue
            value = element.text if last == "text()" else element.get(last[1:])
            if value is not None:
                values.append(value)
    return values


def codelist_errors(document: bytes | etree._Element) -> list[str]:
    """Every code of the document that is not in its IATI code list (``[]`` when all are)."""
    index = _elements_by_path(parse_document(document))
    errors = []
    for path, name, condition in mappings():
        values = _values(index, path, condition)
        if not values:
            continue
        try:
            codes = codelist(name)
        except OSError:
            errors.append(f"{path}: code list {name} is not kept in {CODELISTS}")
            continue
        bad = sorted({str(v).strip() for v in values} - codes)
        if bad:
            errors.append(f"{path}: not in {name}: {', '.join(bad[:10])}")
    return errors
