"""A CQL2 text filter that does not parse is a 400 that says where and what was expected, over HTTP."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "text,where,expected",
    [
        ("annee_lancement = 2010 AND", "at line 1, column 27 (the end of the filter)", "a property name"),
        ("annee_lancement == 2010", "at line 1, column 18 ('=')", "a number"),
        ("(annee_lancement = 2010", "at line 1, column 24 (the end of the filter)", "')'"),
        ("statut IN 'en_cours'", "at line 1, column 11 (\"'en_cours'\")", "'('"),
        # pygeofilter's grammar takes spaces and tabs between tokens, not line breaks: the 400 shows the one it met
        ("titre = 'eau'\nAND annee_lancement > 2000", "at line 1, column 14 ('\\n')", "AND"),
    ],
)
def test_cql2_text_syntax_error_names_the_position_and_the_expected_token(atlas_server, text, where, expected):
    r = atlas_server.get("/collections/projets/items", filter=text)
    assert r.status_code == 400, r.text
    body = r.json()
    assert body["code"] == "InvalidParameterValue"
    assert body["description"].startswith("filter: not valid CQL2 text " + where + ": expected ")
    assert expected in body["description"].split(": expected ", 1)[1]


def test_a_valid_filter_still_passes(atlas_server):
    r = atlas_server.get("/collections/projets/items", filter="annee_lancement = 2010", limit=1)
    assert r.status_code == 200 and r.json()["numberMatched"] > 0
