"""The IATI writer on edge cases the demo does not hold: ids with characters IATI identifiers avoid, projects
without a status or a year (left out and named, never given an invented value)."""

from __future__ import annotations

import shutil
import sqlite3

from lxml import etree

from coopatlas.criteria import Criteria
from coopatlas.opendata import iati_codes as codes
from coopatlas.opendata.iati import activities_document
from coopatlas.opendata.iati_validation import codelist_errors, parse_document, schema_errors
from coopatlas.store import Store


def test_identifiers_avoid_unsafe_characters():
    assert codes.organisation_ref(None, "COL 1/2") == "XX-COOPATLAS-COL_1_2"
    assert codes.organisation_ref("200 005 932", "COL1") == "FR-INSEE-200005932"
    assert codes.organisation_ref("12345", "COL1") == "XX-COOPATLAS-COL1"  # not a SIREN
    assert codes.activity_identifier("FR-INSEE-200005932", "P 1&2?") == "FR-INSEE-200005932-P_1_2_"


def test_projects_without_status_or_year_are_left_out_and_named(atlas_gpkg_path, tmp_path):
    atlas = tmp_path / "atlas.gpkg"
    shutil.copyfile(atlas_gpkg_path, atlas)
    con = sqlite3.connect(atlas)
    ids = [
        r[0]
        for r in con.execute(
            "SELECT id FROM projets WHERE pays_code = 'ML' AND annee_lancement IS NOT NULL ORDER BY id LIMIT 3"
        )
    ]
    con.execute("UPDATE projets SET statut = NULL WHERE id = ?", (ids[0],))
    con.execute(
        "UPDATE projets SET annee_lancement = NULL, annee_convention = NULL, annee_fin = NULL WHERE id = ?", (ids[1],)
    )
    con.commit()
    con.close()
    store = Store(atlas)
    try:
        first = activities_document(store, Criteria.from_params({"pays": "ML"}))
        again = activities_document(store, Criteria.from_params({"pays": "ML"}))
        doc = parse_document(first)
    finally:
        store.close()
    assert schema_errors(doc) == [] and codelist_errors(doc) == []
    exported = [a.find("other-identifier").get("ref") for a in doc.iterfind("iati-activity")]
    assert ids[2] in exported and ids[0] not in exported and ids[1] not in exported
    comments = [c.text for c in doc.iter(etree.Comment)]
    assert any("without a status" in c and ids[0] in c for c in comments)
    assert any("without any year" in c and ids[1] in c for c in comments)
    assert first == again  # the same bytes for the same atlas and search


def test_comments_survive_a_replaced_default_parser(atlas_gpkg_path):
    """lxml's default parser is the process's: a library may replace it (OWSLib does, on import, with one
    that drops comments). The left-out projects named in comments are still read from the document."""
    store = Store(atlas_gpkg_path)
    try:
        document = activities_document(store, Criteria.from_params({"pays": "ML"}))
    finally:
        store.close()
    etree.set_default_parser(etree.XMLParser(remove_comments=True))
    try:
        assert not list(etree.fromstring(document).iter(etree.Comment))  # what the replaced parser does
        comments = [c.text for c in parse_document(document).iter(etree.Comment)]
    finally:
        etree.set_default_parser()  # lxml's own again
    assert comments and "IATI 2.03 activities" in comments[0]
    assert codelist_errors(document) == [] and schema_errors(document) == []
