"""Query behaviour over HTTP, checked against the GeoPackage itself (read with sqlite3 as ground truth)."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3

import pytest

from coopatlas import schema as sch
from coopatlas import vocabulary as voc
from coopatlas.text import keywords, normalise


@pytest.fixture(scope="module")
def db(atlas_server):
    con = sqlite3.connect(f"file:{atlas_server.gpkg}?mode=ro", uri=True)
    yield con
    con.close()


def scalar(db, sql, *args):
    return db.execute(sql, args).fetchone()[0]


def matched(server, cid, **params):
    r = server.get(f"/collections/{cid}/items", f="json", limit=1, **params)
    assert r.status_code == 200, r.text
    return r.json()["numberMatched"]


def test_counts_of_every_collection(atlas_server, db):
    for cid in sch.COLLECTIONS:
        assert matched(atlas_server, cid) == scalar(db, f'SELECT COUNT(*) FROM "{cid}"'), cid


def test_bbox(atlas_server, db):
    expected = scalar(
        db,
        "SELECT COUNT(*) FROM projets p JOIN rtree_projets_geom r ON r.id = p.fid "
        "WHERE r.minx >= -20 AND r.maxx <= 40 AND r.miny >= -35 AND r.maxy <= 60",
    )
    assert matched(atlas_server, "projets", bbox="-20,-35,40,60") == expected
    assert expected > 0
    body = atlas_server.get("/collections/projets/items", bbox="-20,-35,40,60", limit=200).json()
    for f in body["features"]:
        x, y = f["geometry"]["coordinates"]
        assert -20 <= x <= 40 and -35 <= y <= 60


def test_property_filter(atlas_server, db):
    for code in voc.TYPES_ACTION_PROJET:
        assert matched(atlas_server, "projets", type_action=code) == scalar(
            db, "SELECT COUNT(*) FROM projets WHERE type_action = ?", code
        )


def test_cql2_text_and_json(atlas_server, db):
    expected = scalar(db, "SELECT COUNT(*) FROM projets WHERE annee_lancement >= 2005 AND jumelage = 1")
    text = "annee_lancement >= 2005 AND jumelage = true"
    assert matched(atlas_server, "projets", filter=text) == expected
    assert matched(atlas_server, "projets", filter=text, **{"filter-lang": "cql2-text"}) == expected
    js = {
        "op": "and",
        "args": [
            {"op": ">=", "args": [{"property": "annee_lancement"}, 2005]},
            {"op": "=", "args": [{"property": "jumelage"}, True]},
        ],
    }
    r = atlas_server.session.post(
        f"{atlas_server.url}/collections/projets/items?limit=1",
        json=js,
        headers={"Content-Type": "application/query-cql-json"},
        timeout=60,
    )
    assert r.status_code == 200, r.text
    assert r.json()["numberMatched"] == expected
    # pygeoapi reads CQL2 JSON from a POST body only: in the query string it is refused, not misread
    r = atlas_server.get("/collections/projets/items", filter=json.dumps(js), **{"filter-lang": "cql2-json"})
    assert r.status_code == 400 and "filter-lang" in r.json()["description"]
    r = atlas_server.session.post(f"{atlas_server.url}/collections/projets/items", data=b"x", timeout=60)
    assert r.status_code == 415


def test_sortby(atlas_server):
    body = atlas_server.get(
        "/collections/projets/items", sortby="-annee_lancement", limit=500, properties="annee_lancement"
    ).json()
    years = [f["properties"]["annee_lancement"] for f in body["features"]]
    present = [y for y in years if y is not None]
    assert present == sorted(present, reverse=True)
    assert years[: len(present)] == present, "nulls must come last when descending"


def test_properties_and_skip_geometry(atlas_server):
    body = atlas_server.get(
        "/collections/projets/items", properties="titre,statut", skipGeometry="true", limit=20
    ).json()
    assert body["features"]
    for f in body["features"]:
        assert set(f["properties"]) <= {"titre", "statut"} and f["geometry"] is None


def test_keyword_search_ignores_accents_and_case(atlas_server, db):
    title = scalar(db, "SELECT titre FROM projets WHERE titre LIKE '%é%' OR titre LIKE '%è%' LIMIT 1") or scalar(
        db, "SELECT titre FROM projets WHERE titre <> '' LIMIT 1"
    )
    word = max(title.split(), key=lambda w: len(normalise(w)))
    words = keywords(word)
    sql = "SELECT COUNT(*) FROM projets WHERE " + " AND ".join("recherche LIKE ?" for _ in words)
    expected = scalar(db, sql, *[f"%{w}%" for w in words])
    assert expected > 0
    assert matched(atlas_server, "projets", q=word.upper()) == expected
    assert matched(atlas_server, "projets", q=normalise(word)) == expected


def test_paging_walks_the_whole_collection(atlas_server, db):
    total = scalar(db, "SELECT COUNT(*) FROM partenaires")
    url = f"{atlas_server.url}/collections/partenaires/items?f=json&limit=97&skipGeometry=true"
    seen, pages = [], 0
    while url:
        body = atlas_server.session.get(url, timeout=60).json()
        seen += [f["id"] for f in body["features"]]
        pages += 1
        url = next((link["href"] for link in body["links"] if link["rel"] == "next"), None)
        assert pages <= total // 97 + 2
    assert len(seen) == total == len(set(seen))


def test_item_by_id_and_unknown_id(atlas_server, db):
    fid = scalar(db, "SELECT id FROM projets ORDER BY id DESC LIMIT 1")
    r = atlas_server.get(f"/collections/projets/items/{fid}", f="json")
    assert r.status_code == 200 and r.json()["id"] == fid
    assert r.json()["properties"]["titre"] == scalar(db, "SELECT titre FROM projets WHERE id = ?", fid)
    assert atlas_server.get("/collections/projets/items/pas-un-identifiant", f="json").status_code == 404


def test_queryables_publish_the_code_lists(atlas_server):
    props = atlas_server.get("/collections/projets/queryables", f="json").json()["properties"]
    assert props["type_action"]["enum"] == voc.TYPES_ACTION.codes
    assert props["statut"]["enum"] == voc.STATUTS.codes
    assert props["continent"]["enum"] == voc.CONTINENTS.codes
    assert "recherche" not in props and "fid" not in props


def test_csv_has_every_field_and_keeps_accents(atlas_server):
    r = atlas_server.get("/collections/projets/items", f="csv", limit=25)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    assert len(rows) == 25
    assert set(sch.PROJETS.field_names) <= set(rows[0])
    as_json = atlas_server.get("/collections/projets/items", f="json", limit=25).json()["features"]
    for row, feat in zip(rows, as_json):
        assert row["id"] == feat["id"]
        assert row["titre"] == (feat["properties"]["titre"] or "")


def test_csv_labels_match_the_vocabulary(atlas_server):
    """The label columns (``*_libelle``) of the CSV are the French labels of the codes."""
    r = atlas_server.get("/collections/projets/items", f="csv", limit=200)
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8"))))
    checked = 0
    for row in rows:
        for code_field in ("thematique", "sous_thematique", "sous_sous_thematique"):
            if row[code_field]:
                assert row[f"{code_field}_libelle"] == voc.CODE_LISTS[code_field].label(row[code_field], "fr")
                checked += 1
    assert checked > 0


@pytest.mark.parametrize(
    "params, parameter",
    [
        ({"bbox": "1,2,3"}, "bbox"),
        ({"bbox": "a,b,c,d"}, "bbox"),
        ({"limit": "abc"}, "limit"),
        ({"limit": "0"}, "limit"),
        ({"offset": "-1"}, "offset"),
        ({"sortby": "nope"}, "sortby"),
        ({"properties": "nope"}, "propert"),
        ({"filter": "titre LIKE"}, "CQL"),
        ({"filter": "nope = 1"}, "nope"),
        ({"type_action": "pas_un_code"}, "type_action"),
        ({"f": "xyz"}, "format"),
    ],
)
def test_bad_parameters_are_400_naming_the_problem(atlas_server, params, parameter):
    r = atlas_server.get("/collections/projets/items", **params)
    assert r.status_code == 400, (params, r.status_code, r.text[:300])
    assert parameter.lower() in r.json()["description"].lower(), r.text


def test_a_page_without_offset_is_the_first_with_no_warning_logged(atlas_server, db):
    """A page asked for without ``offset`` is the first one; its links carry no offset but the next page's,
    and the server logs no warning for it (pygeoapi reads a missing ``offset`` through a ``TypeError`` it
    logs on every such request: the server hands it the 0 it would read)."""
    r = atlas_server.get("/collections/projets/items", limit=3)
    assert r.status_code == 200, r.text[:300]
    body = r.json()
    assert [f["id"] for f in body["features"]] == [
        row[0] for row in db.execute("SELECT id FROM projets ORDER BY id LIMIT 3")
    ]
    links = {link["rel"]: link["href"] for link in body["links"]}
    assert "prev" not in links and "offset" not in links["self"]
    assert "offset=3" in links["next"]
    log = atlas_server.log.read_text(errors="replace")
    assert not re.search(r"itemtypes\.py:\d+\} WARNING - int\(\) argument must be", log), log[-2000:]
