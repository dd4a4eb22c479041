"""The queryables carry the schema's French or English title of each property, in the language asked, and
say which code list a coded property takes its values from (not the bare field name pygeoapi writes)."""

from __future__ import annotations

import pytest

from coopatlas import schema as sch


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_property_of_every_collection_is_titled_in_the_language_asked(atlas_server, lang):
    for cid, coll in sch.COLLECTIONS.items():
        r = atlas_server.get(f"/collections/{cid}/queryables", f="json", lang=lang)
        assert r.status_code == 200, (cid, r.text[:200])
        assert r.headers["Content-Type"].startswith("application/schema+json")
        properties = r.json()["properties"]
        for field in coll.fields:
            if field.name not in properties:
                continue
            expected = field.fr if lang == "fr" else field.en
            assert properties[field.name]["title"] == expected, (cid, field.name)
            if field.codelist:
                assert f"{field.codelist}" in properties[field.name]["description"], (cid, field.name)
                assert "/vocabulaire" in properties[field.name]["description"]


def test_accept_language_chooses_english(atlas_server):
    field = next(f for f in sch.COLLECTIONS["projets"].fields if f.fr != f.en)
    r = atlas_server.session.get(
        atlas_server.url + "/collections/projets/queryables",
        params={"f": "json"},
        headers={"Accept-Language": "en"},
        timeout=60,
    )
    assert r.json()["properties"][field.name]["title"] == field.en


def test_queryables_keep_their_types_and_code_lists(atlas_server):
    properties = atlas_server.get("/collections/projets/queryables", f="json").json()["properties"]
    assert properties["type_action"]["type"] == "string"
    assert properties["type_action"]["enum"], "the code list's values stay in the enum"
