"""The GeoPackage feature provider (coopatlas.server.provider) and the CSV formatter, called directly.

A small atlas GeoPackage is written by :mod:`coopatlas.store.build_writer` in a fixture: hand-made
``projets`` (accents, NULLs, points on bbox edges and on the antimeridian) and generated rows for the
other collections. Every answer is compared with what plain Python computes from the same rows
(shapely for geometry), so the tests assert what a user gets. The demo atlas (the atlas of the tests,
tests/support/atlas.py) is checked too.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import shapely
from pygeofilter.parsers.cql2_text import parse as cql2_text
from shapely.geometry import Point, box

from coopatlas import schema as sch
from coopatlas import vocabulary as voc
from coopatlas.server import csv_formatter
from coopatlas.server.provider import AtlasGeoPackageProvider
from coopatlas.store import build_writer
from coopatlas.text import normalise

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for "support"
from pygeoapi.provider.base import ProviderConnectionError, ProviderInvalidQueryError, ProviderItemNotFoundError

from support.sample_atlas import sample_tables

TITLES = [
    "Accès à l'eau potable à Ziniaré",
    "Bureau de la coopération",
    "ÉCOLE de Dakar",
    "école de Thiès",
    "Œuvre d'eau et assainissement",
    None,
    "Jumelage Łódź – Lyon",
    "Santé maternelle",
    "Eaux usées",
    "100% jeunesse",
    "Réseau des villes",
]
SPECIAL_POINTS = {
    0: Point(-1.5, 12.4),
    1: Point(10.0, 20.0),
    2: Point(-17.45, 14.69),
    3: Point(-16.9, 14.8),
    5: None,
    6: Point(180.0, -17.0),
    7: Point(-179.5, -16.0),
    8: Point(179.5, 10.0),
    9: Point(-20.0, 0.0),
    10: Point(10.0, 0.0),
}


def _projets(n: int = 60) -> list[dict]:
    rng = random.Random(42)
    rows = []
    for i in range(n):
        row = {f.name: None for f in sch.PROJETS.fields}
        row.update(
            id=f"P{i:03d}",
            titre=TITLES[i] if i < len(TITLES) else f"Projet {rng.choice(['eau', 'santé', 'école', 'culture'])} {i}",
            description="Description avec « guillemets », virgule; et retour\nà la ligne" if i % 7 == 0 else None,
            type_action=voc.TYPES_ACTION_PROJET[i % 2],
            jumelage=[True, False, None][i % 3],
            statut=None if i % 11 == 4 else voc.STATUTS.codes[i % 4],
            thematique=voc.THEMATIQUES.codes[i % 5],
            annee_lancement=None if i % 13 == 5 else 1995 + (i * 7) % 30,
            annee_fin=None if i % 2 else 2000 + i % 25,
            loi_oudin=i % 5 == 0,
            cofinance_mae=i % 4 == 0,
            collectivite_nom=["Ville de Lyon", "Région Île-de-France", "Département du Nord"][i % 3],
            type_collectivite=voc.TYPES_COLLECTIVITE.codes[i % 6],
            pays_code=["BF", "SN", "FJ", "PL"][i % 4],
            continent=["afrique", "afrique", "oceanie", "europe"][i % 4],
            date_maj=None if i % 9 == 8 else f"20{10 + i % 14:02d}-0{1 + i % 9}-1{i % 10}",
        )
        if i in SPECIAL_POINTS:
            row["geometry"] = SPECIAL_POINTS[i]
        else:
            row["geometry"] = Point(round(rng.uniform(-60, 60), 6), round(rng.uniform(-40, 60), 6))
        rows.append(row)
    return rows


@pytest.fixture(scope="module")
def atlas(tmp_path_factory):
    """(path, tables) of a small atlas GeoPackage."""
    tables = sample_tables(n=24, seed=11)
    tables["projets"] = _projets()
    path = tmp_path_factory.mktemp("atlas") / "atlas.gpkg"
    con = build_writer.new_geopackage(str(path))
    with con:
        build_writer.write_collections(con, tables)  # with the keyword indexes
    con.close()
    return path, tables


def make(path, table, **kw) -> AtlasGeoPackageProvider:
    return AtlasGeoPackageProvider(
        {
            "name": "coopatlas.server.provider.AtlasGeoPackageProvider",
            "type": "feature",
            "data": str(path),
            "id_field": "id",
            "table": table,
            **kw,
        }
    )


def source_rows(tables, cid) -> list[dict]:
    """The rows a collection publishes (the demandes view keeps the public requests only)."""
    if cid == "demandes":
        return [r for r in tables[sch.DEMANDES_TABLE] if r["statut_validation"] in voc.STATUTS_VALIDATION_PUBLICS]
    return tables[cid]


def everything(p, **kw) -> dict:
    return p.query(limit=100_000, **kw)


def ids(result) -> list[str]:
    return [f["id"] for f in result["features"]]


# --- every collection -----------------------------------------------------------------------------


@pytest.mark.parametrize("cid", list(sch.COLLECTIONS))
def test_every_collection_lists_its_rows_in_id_order(atlas, cid):
    path, tables = atlas
    coll = sch.COLLECTIONS[cid]
    rows = source_rows(tables, cid)
    result = everything(make(path, cid))
    assert result["numberMatched"] == result["numberReturned"] == len(rows)
    assert ids(result) == sorted(r["id"] for r in rows)
    by_id = {r["id"]: r for r in rows}
    for feat in result["features"]:
        assert list(feat["properties"]) == coll.field_names  # never fid nor recherche
        src = by_id[feat["id"]]
        for f in coll.fields:
            v = feat["properties"][f.name]
            if f.type == sch.BOOLEAN:
                assert v is None or isinstance(v, bool)
                assert v == (None if src[f.name] is None else bool(src[f.name]))
            elif f.type == sch.REAL and v is not None:
                assert v == pytest.approx(src[f.name])
            else:  # the writer stores an empty text as NULL
                assert v == (None if src[f.name] == "" else src[f.name]), f.name
        if coll.geometry:
            geom = src.get("geometry")
            if geom is None:
                assert feat["geometry"] is None
            else:
                assert shapely.geometry.shape(feat["geometry"]).equals_exact(geom, 0)
        else:
            assert feat["geometry"] is None
    json.dumps(result)  # plain JSON types only


def test_fast_geojson_is_shapely_mapping():
    from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, mapping

    from coopatlas.server.gpkg_geojson import geojson_many

    square = Polygon([(0, 0), (1, 0), (1, 1), (0, 0)], [[(0.1, 0.1), (0.2, 0.1), (0.2, 0.2), (0.1, 0.1)]])
    cases = [
        [LineString([(0, 0), (1, 1)]), LineString([(2, 2), (3, 3), (4.000000000000001, 5)])],
        [square, Polygon([(5, 5), (6, 5), (6, 6), (5, 5)])],
        [MultiPolygon([square, Polygon([(5, 5), (6, 5), (6, 6), (5, 5)])]), MultiPolygon([square])],
        [MultiLineString([[(0, 0), (1, 1)], [(2, 2), (3, 3)]])],
        [square, MultiPolygon([square])],  # mixed types: shapely's own mapping
        [MultiPolygon([square]), MultiPolygon()],  # with an empty one
    ]
    for geoms in cases:
        got = geojson_many(shapely.from_wkb(shapely.to_wkb(geoms)))
        assert json.dumps(got) == json.dumps([mapping(g) for g in geoms])


def test_fast_points_are_shapely_mapping():
    """Points read at the fixed offsets of the atlas's own blobs, and every other layout (no envelope,
    big-endian, a Z point, empty, a line in a point column, NULL) through the general decoder: all as
    shapely's GeoJSON of the decoded blob."""
    import struct

    from shapely.geometry import LineString, mapping

    from coopatlas.server.gpkg_geojson import points
    from coopatlas.store import geopackage

    p = Point(2.5, -48.000000000000014)
    header = b"GP" + bytes([0, 0b011]) + struct.pack("<i4d", 4326, 1, 1, 2, 2)
    blobs = [
        geopackage.encode_geometry(p),
        geopackage.encode_geometry(Point(-180, 90)),
        b"GP" + bytes([0, 0]) + struct.pack(">i", 4326) + shapely.to_wkb(p, byte_order=0),
        b"GP" + bytes([0, 1]) + struct.pack("<i", 4326) + shapely.to_wkb(p, byte_order=1),
        header + shapely.to_wkb(Point(1, 2, 3), byte_order=1),
        header + shapely.to_wkb(p, byte_order=0),
        geopackage.encode_geometry(Point()),
        geopackage.encode_geometry(LineString([(0, 0), (1, 1)])),
        None,
    ]
    expected = [None if b is None else mapping(geopackage.decode_geometry(b)) for b in blobs]
    assert json.dumps(points(blobs)) == json.dumps(expected)
    assert points(blobs[:1]) == [{"type": "Point", "coordinates": [2.5, -48.000000000000014]}]


def test_point_coordinates_are_the_stored_doubles(atlas):
    path, tables = atlas
    feats = {f["id"]: f for f in everything(make(path, "projets"))["features"]}
    for row in tables["projets"]:
        g = row["geometry"]
        if g is not None:
            assert feats[row["id"]]["geometry"] == {"type": "Point", "coordinates": [g.x, g.y]}


# --- fields / queryables --------------------------------------------------------------------------


def test_fields_types_titles_and_code_lists(atlas):
    path, _ = atlas
    fields = make(path, "projets").get_fields()
    assert list(fields) == sch.PROJETS.field_names
    assert "recherche" not in fields and "fid" not in fields
    assert fields["annee_lancement"]["type"] == "integer"
    assert fields["jumelage"]["type"] == "boolean"
    assert fields["date_maj"] == {
        "type": "string",
        "format": "date",
        "title": "Date de mise à jour",
        "description": "Last update",
    }
    statut = fields["statut"]
    assert statut["enum"] == statut["values"] == voc.STATUTS.codes
    assert statut["x-enum-descriptions"] == ["En projet", "En cours", "Terminé", "Suspendu"]
    assert statut["title"] == "Statut"
    assert make(path, "apd").get_fields()["montant"]["type"] == "number"


def test_fields_are_a_fresh_copy_per_provider(atlas):
    path, _ = atlas
    a = make(path, "projets").fields
    a["statut"]["x-ogc-role"] = "id"  # pygeoapi's /schema does this kind of edit
    a.pop("titre")
    b = make(path, "projets").fields
    assert "x-ogc-role" not in b["statut"] and "titre" in b


def test_domains_are_the_values_present(atlas):
    path, tables = atlas
    domains, current = make(path, "projets").get_domains(["statut", "jumelage", "titre"])
    assert current
    assert domains["statut"] == sorted({r["statut"] for r in tables["projets"]} - {None})
    assert domains["jumelage"] == [False, True]
    assert "titre" not in domains  # free text: no domain


# --- property filters -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name,value,pred",
    [
        ("statut", "en_cours", lambda r: r["statut"] == "en_cours"),
        ("jumelage", "true", lambda r: r["jumelage"] is True),
        ("jumelage", "false", lambda r: r["jumelage"] is False),
        ("annee_lancement", "2002", lambda r: r["annee_lancement"] == 2002),
        ("date_maj", "2010-01-10", lambda r: r["date_maj"] == "2010-01-10"),
        ("pays_code", "FJ", lambda r: r["pays_code"] == "FJ"),
    ],
)
def test_property_filters(atlas, name, value, pred):
    path, tables = atlas
    got = everything(make(path, "projets"), properties=[(name, value)])
    assert ids(got) == sorted(r["id"] for r in tables["projets"] if pred(r))
    assert got["numberMatched"] == len(got["features"])


def test_property_filters_combine_with_and(atlas):
    path, tables = atlas
    got = everything(make(path, "projets"), properties=[("statut", "en_cours"), ("continent", "afrique")])
    assert ids(got) == sorted(
        r["id"] for r in tables["projets"] if r["statut"] == "en_cours" and r["continent"] == "afrique"
    )


@pytest.mark.parametrize(
    "name,value,message",
    [
        ("statut", "ongoing", "'ongoing' is not a code of statut"),
        ("annee_lancement", "deux mille", "annee_lancement is an integer"),
        ("jumelage", "peut-être", "jumelage is a boolean"),
        ("date_maj", "hier", "date_maj is a date"),
        ("recherche", "eau", "unknown property 'recherche'"),
    ],
)
def test_bad_property_filters_are_400_naming_the_parameter(atlas, name, value, message):
    path, _ = atlas
    with pytest.raises(ProviderInvalidQueryError) as err:
        make(path, "projets").query(properties=[(name, value)])
    assert message in err.value.message
    assert err.value.http_status_code == 400


# --- bbox ------------------------------------------------------------------------------------------

BOXES = [
    [-20.0, 0.0, 10.0, 20.0],  # P001 (10, 20), P009 (-20, 0), P010 (10, 0) are on its edges: included
    [-18.0, 14.0, -16.0, 15.0],  # Dakar and Thiès
    [-180.0, -90.0, 180.0, 90.0],
    [0.0, 0.0, 0.0, 0.0],
    [10.0, 20.0, 10.0, 20.0],  # a degenerate box on a point
    [-180.0, -90.0, -179.0, 90.0],
    [-5.0, 0.0, 5.0, 12.4],  # P000 (-1.5, 12.4) on the top edge; 12.4 is not a float32: exact test
    [-5.0, 12.400000000000002, 5.0, 20.0],  # P000 just outside, although its float32 R-tree box overlaps
    [-1.5, 12.4, -1.5, 12.4],
]


def _in_box(geom, b):
    return geom is not None and box(*b).intersects(geom)


@pytest.mark.parametrize("b", BOXES, ids=[str(b) for b in BOXES])
def test_bbox_on_points_is_exact_and_closed(atlas, b):
    path, tables = atlas
    want = sorted(r["id"] for r in tables["projets"] if _in_box(r["geometry"], b))
    got = everything(make(path, "projets"), bbox=b)
    assert ids(got) == want and got["numberMatched"] == len(want)
    assert make(path, "projets").query(bbox=b, resulttype="hits")["numberMatched"] == len(want)
    page = make(path, "projets").query(bbox=b, limit=1)
    assert ids(page) == want[:1] and page["numberMatched"] == len(want)


def test_bbox_edges_include_points_on_them(atlas):
    path, _ = atlas
    got = set(ids(everything(make(path, "projets"), bbox=[-20.0, 0.0, 10.0, 20.0])))
    assert {"P001", "P009", "P010"} <= got


def test_bbox_crossing_the_antimeridian(atlas):
    path, tables = atlas
    got = ids(everything(make(path, "projets"), bbox=[179.0, -20.0, -179.0, 20.0]))
    want = sorted(
        r["id"]
        for r in tables["projets"]
        if _in_box(r["geometry"], [179, -20, 180, 20]) or _in_box(r["geometry"], [-180, -20, -179, 20])
    )
    assert got == want and {"P006", "P007", "P008"} <= set(got)


def test_bbox_with_six_values_ignores_z(atlas):
    path, _ = atlas
    p = make(path, "projets")
    assert ids(everything(p, bbox=[-20, 0, -100, 10, 20, 100])) == ids(everything(p, bbox=[-20, 0, 10, 20]))


@pytest.mark.parametrize("cid", ["pays", "regions", "liens", "demandes", "collectivites"])
@pytest.mark.parametrize("b", [[-10.0, 10.0, 20.0, 30.0], [100.0, -50.0, 180.0, 0.0], [-3.0, 44.0, 3.0, 46.0]])
def test_bbox_on_every_geometry_type(atlas, cid, b):
    path, tables = atlas
    want = sorted(r["id"] for r in source_rows(tables, cid) if _in_box(r.get("geometry"), b))
    got = everything(make(path, cid), bbox=b)
    assert ids(got) == want and got["numberMatched"] == len(want)
    assert make(path, cid).query(bbox=b, resulttype="hits")["numberMatched"] == len(want)
    page = make(path, cid).query(bbox=b, limit=2)
    assert ids(page) == want[:2] and page["numberMatched"] == len(want)


def test_bbox_on_a_collection_without_geometry_is_400(atlas):
    path, _ = atlas
    with pytest.raises(ProviderInvalidQueryError, match="no geometry"):
        make(path, "apd").query(bbox=[0, 0, 1, 1])
    with pytest.raises(ProviderInvalidQueryError) as err:
        make(path, "projets").query(bbox=[0, 10, 1, 1])
    assert "miny" in err.value.message


PLAN_CASES = [
    dict(bbox=[-18.0, 14.0, -16.0, 15.0]),
    dict(bbox=[-180.0, -90.0, 180.0, 90.0], q="eau"),
    dict(bbox=[179.0, -20.0, -179.0, 20.0], properties=[("statut", "en_cours")]),
    dict(q="projet ecole"),
    dict(q="l'eau potable", bbox=[-30.0, 0.0, 30.0, 30.0]),
    dict(q="sante", filterq="annee_lancement > 2005"),
]


@pytest.mark.parametrize("kw", PLAN_CASES, ids=[str(k) for k in PLAN_CASES])
def test_every_plan_gives_the_same_answer(atlas, kw):
    """The R-tree first, the keyword index first or the table first: the same rows, the same counts."""
    import sqlite3

    path, _ = atlas
    p = make(path, "projets")
    f = p._filters(kw.get("bbox"), None, kw.get("properties"), kw.get("q"), kw.get("filterq"))
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    from coopatlas.server import cql
    from coopatlas.server.gpkg_planner import Planner

    cql.register_functions(con)
    plan = Planner(p._layer, p.path, con)
    results = {}
    for mode in ("scan", "rtree", "fts"):
        from_sql, where, params = plan.sql(f, mode)
        results[mode] = [r[0] for r in con.execute(f"SELECT t.id FROM {from_sql}{where} ORDER BY t.id", params)]
    assert results["scan"] == results["rtree"] == results["fts"]
    got = everything(p, **kw)
    assert ids(got) == results["scan"] and got["numberMatched"] == len(results["scan"])
    assert p.query(resulttype="hits", **kw)["numberMatched"] == len(results["scan"])
    for limit, offset in [(1, 0), (3, 2), (5, 1000)]:
        page = p.query(limit=limit, offset=offset, **kw)
        assert ids(page) == results["scan"][offset : offset + limit]
        assert page["numberMatched"] == len(results["scan"])
    con.close()


# --- CQL2 -----------------------------------------------------------------------------------------

CQL = [
    ("statut = 'en_cours' AND jumelage = true", lambda r: r["statut"] == "en_cours" and r["jumelage"] is True),
    (
        "statut IN ('en_cours', 'termine') OR loi_oudin = true",
        lambda r: r["statut"] in ("en_cours", "termine") or r["loi_oudin"],
    ),
    (
        "annee_lancement BETWEEN 2000 AND 2010",
        lambda r: r["annee_lancement"] is not None and 2000 <= r["annee_lancement"] <= 2010,
    ),
    ("annee_lancement IS NULL", lambda r: r["annee_lancement"] is None),
    ("NOT (jumelage = true)", lambda r: r["jumelage"] is False),
    ("date_maj >= DATE('2020-01-01')", lambda r: r["date_maj"] is not None and r["date_maj"] >= "2020-01-01"),
    ("titre LIKE '%eau%'", lambda r: r["titre"] is not None and "eau" in r["titre"]),
    ("CASEI(titre) LIKE '%eau%'", lambda r: r["titre"] is not None and "eau" in r["titre"].lower()),
    (
        "annee_fin - annee_lancement > 5",
        lambda r: None not in (r["annee_fin"], r["annee_lancement"]) and r["annee_fin"] - r["annee_lancement"] > 5,
    ),
    (
        "S_INTERSECTS(geometry, POLYGON((-20 0, 10 0, 10 20, -20 20, -20 0)))",
        lambda r: _in_box(r["geometry"], [-20, 0, 10, 20]),
    ),
    (
        "S_WITHIN(geometry, POLYGON((-20 0, 10 0, 10 20, -20 20, -20 0)))",
        lambda r: r["geometry"] is not None and r["geometry"].within(box(-20, 0, 10, 20)),
    ),
    (
        "S_INTERSECTS(geometry, BBOX(-20, 0, 10, 20)) AND statut = 'en_projet'",
        lambda r: _in_box(r["geometry"], [-20, 0, 10, 20]) and r["statut"] == "en_projet",
    ),
]


@pytest.mark.parametrize("text,pred", CQL, ids=[c[0] for c in CQL])
def test_cql2_filters(atlas, text, pred):
    path, tables = atlas
    p = make(path, "projets")
    want = sorted(r["id"] for r in tables["projets"] if pred(r))
    got = everything(p, filterq=cql2_text(text))
    assert ids(got) == want and got["numberMatched"] == len(want)
    assert ids(everything(p, filterq=text)) == want  # the provider also takes the text itself


def test_cql2_json_filter(atlas):
    path, tables = atlas
    f = {
        "op": "and",
        "args": [
            {"op": "=", "args": [{"property": "continent"}, "afrique"]},
            {"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": [-20, 0, 10, 20]}]},
        ],
    }
    got = ids(everything(make(path, "projets"), filterq=f))
    assert got == sorted(
        r["id"] for r in tables["projets"] if r["continent"] == "afrique" and _in_box(r["geometry"], [-20, 0, 10, 20])
    )


def test_cql2_filter_on_the_demandes_view_and_with_bbox(atlas):
    path, tables = atlas
    rows = source_rows(tables, "demandes")
    got = ids(
        everything(make(path, "demandes"), bbox=[-180, -90, 0, 90], filterq=cql2_text("statut_validation = 'validee'"))
    )
    assert got == sorted(
        r["id"] for r in rows if r["statut_validation"] == "validee" and _in_box(r["geometry"], [-180, -90, 0, 90])
    )
    # a private status is a valid code but never public
    assert everything(make(path, "demandes"), filterq=cql2_text("statut_validation = 'soumise'"))["features"] == []


@pytest.mark.parametrize(
    "text,message",
    [
        ("foo = 1 AND bar = 2", "unknown properties bar, foo"),
        ("recherche LIKE '%eau%'", "unknown property recherche"),
        ("statut = 'ongoing'", "'ongoing' is not a code of statut"),
        ("annee_lancement = 'deux mille'", "annee_lancement is an integer"),
        ("titre = 2", "titre is text"),
        ("T_BEFORE(date_maj, DATE('2020-01-01'))", "not valid CQL2 text"),
    ],
)
def test_cql2_filters_that_cannot_be_honoured_are_400(atlas, text, message):
    path, _ = atlas
    with pytest.raises(ProviderInvalidQueryError) as err:
        make(path, "projets").query(filterq=text)
    assert message in err.value.message


def test_long_filters_work_or_are_400(atlas):
    path, tables = atlas
    p = make(path, "projets")
    years = " OR ".join(f"annee_lancement = {1990 + i}" for i in range(900))  # a flat OR, not nested SQL
    assert p.query(filterq=years, resulttype="hits")["numberMatched"] == sum(
        r["annee_lancement"] is not None for r in tables["projets"]
    )
    with pytest.raises(ProviderInvalidQueryError, match="too complex"):
        p.query(filterq=" OR ".join(f"annee_lancement = {i}" for i in range(1500)), resulttype="hits")


def test_spatial_filter_on_a_collection_without_geometry_is_400(atlas):
    path, _ = atlas
    with pytest.raises(ProviderInvalidQueryError, match="unknown property geometry"):
        make(path, "apd").query(filterq="S_INTERSECTS(geometry, POINT(0 0))")


# --- q --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "q,want",
    [
        ("eau", {"P000", "P004", "P008"}),  # words starting with "eau": eau, eaux — not "bureau", "réseau"
        ("EAU potable", {"P000"}),
        ("ecole", {"P002", "P003"}),  # accents and case do not matter
        ("École THIÈS", {"P003"}),
        ("jumelage LYON", {"P006"}),
        ("oeuvre", {"P004"}),
        ("ziniare dakar", set()),  # every word must match
    ],
)
def test_q_keywords(atlas, q, want):
    path, tables = atlas
    got = set(ids(everything(make(path, "projets"), q=q)))
    assert {i for i in got if int(i[1:]) < len(TITLES)} == want


def test_q_gives_the_same_answers_without_the_keyword_index(atlas, tmp_path):
    import shutil
    import sqlite3

    path, _ = atlas
    plain = tmp_path / "plain.gpkg"
    shutil.copy(path, plain)
    con = sqlite3.connect(plain)
    for (name,) in con.execute(
        "SELECT name FROM sqlite_master WHERE name LIKE 'fts\\_%' ESCAPE '\\' AND type = 'table' AND sql LIKE '%fts5%'"
    ).fetchall():
        con.execute(f'DROP TABLE "{name}"')
    con.commit()
    con.close()
    assert make(path, "projets")._layer.keyword_index == "fts_projets"
    assert make(plain, "projets")._layer.keyword_index is None
    assert make(path, "demandes")._layer.keyword_index == "fts_bourse_demandes"
    for cid in ("projets", "demandes", "collectivites", "liens"):
        for q in ("eau", "l'eau", "ecole de", "sante climat", "a", "zzz", "Île"):
            a, b = everything(make(path, cid), q=q), everything(make(plain, cid), q=q)
            assert ids(a) == ids(b) and a["numberMatched"] == b["numberMatched"], (cid, q)
            assert make(path, cid).query(q=q, resulttype="hits")["numberMatched"] == b["numberMatched"]


def test_q_matches_collectivite_nom_too(atlas):
    path, tables = atlas
    got = ids(everything(make(path, "projets"), q="ile-de-france"))
    assert got == sorted(r["id"] for r in tables["projets"] if r["collectivite_nom"] == "Région Île-de-France")


def test_q_without_words_or_without_search_column_is_400(atlas):
    path, _ = atlas
    with pytest.raises(ProviderInvalidQueryError, match="no word"):
        make(path, "projets").query(q=" ,;! ")
    with pytest.raises(ProviderInvalidQueryError, match="no keyword search"):
        make(path, "cofinancements").query(q="eau")


# --- sortby, properties, skipGeometry, paging ---------------------------------------------------------


def _sorted(rows, keys):
    out = sorted(rows, key=lambda r: r["id"])
    for prop, order in reversed(keys):
        out.sort(key=lambda r: (r[prop] is not None, r[prop] if r[prop] is not None else 0), reverse=order == "-")
    return [r["id"] for r in out]


@pytest.mark.parametrize(
    "keys",
    [
        [("annee_lancement", "+")],
        [("annee_lancement", "-")],
        [("statut", "+"), ("annee_lancement", "-")],
        [("titre", "+")],
        [("jumelage", "-"), ("date_maj", "+")],
        [("id", "-")],
    ],
)
def test_sortby_several_keys_nulls_as_sqlite_ties_by_id(atlas, keys):
    path, tables = atlas
    got = everything(make(path, "projets"), sortby=[{"property": p, "order": o} for p, o in keys])
    assert ids(got) == _sorted(tables["projets"], keys)


def test_sortby_unknown_property_is_400(atlas):
    path, _ = atlas
    with pytest.raises(ProviderInvalidQueryError, match="sortby"):
        make(path, "projets").query(sortby=[{"property": "recherche", "order": "+"}])


def test_properties_subset_in_the_requested_order_and_skip_geometry(atlas):
    path, _ = atlas
    got = make(path, "projets").query(select_properties=["statut", "titre", "statut"], skip_geometry=True, limit=5)
    for feat in got["features"]:
        assert list(feat["properties"]) == ["statut", "titre"]
        assert feat["geometry"] is None and feat["id"].startswith("P")
    with pytest.raises(ProviderInvalidQueryError, match="unknown property nope"):
        make(path, "projets").query(select_properties=["titre", "nope"])


def test_configured_properties_restrict_the_output(atlas):
    path, _ = atlas
    feat = make(path, "projets", properties=["titre", "statut"]).get("P000")
    assert list(feat["properties"]) == ["titre", "statut"]


@pytest.mark.parametrize("limit", [1, 7, 60, 100])
def test_paging_covers_everything_once_with_correct_counts(atlas, limit):
    path, tables = atlas
    p = make(path, "projets")
    want = _sorted([r for r in tables["projets"] if r["statut"] != "termine"], [("annee_lancement", "-")])
    seen, offset = [], 0
    while True:
        page = p.query(
            offset=offset,
            limit=limit,
            filterq="statut <> 'termine' OR statut IS NULL",
            sortby=[{"property": "annee_lancement", "order": "-"}],
        )
        assert page["numberMatched"] == len(want)
        assert page["numberReturned"] == len(page["features"]) <= limit
        if not page["features"]:
            break
        seen += ids(page)
        offset += limit
    assert seen == want


def test_offset_beyond_the_end_and_hits(atlas):
    path, tables = atlas
    p = make(path, "projets")
    page = p.query(offset=1000, limit=10)
    assert page["features"] == [] and page["numberMatched"] == len(tables["projets"])
    hits = p.query(resulttype="hits", properties=[("statut", "en_cours")])
    assert hits["features"] == [] and hits["numberReturned"] == 0
    assert hits["numberMatched"] == sum(r["statut"] == "en_cours" for r in tables["projets"])
    assert make(path, "projets", count=False).query(limit=5).get("numberMatched") is None
    assert p.query(limit=0)["features"] == []
    with pytest.raises(ProviderInvalidQueryError):
        p.query(offset=-1)


# --- items/{id} -----------------------------------------------------------------------------------


def test_get_by_text_id_with_prev_and_next(atlas):
    path, tables = atlas
    p = make(path, "projets")
    feat = p.get("P010")
    assert feat["id"] == "P010" and feat["properties"]["titre"] == "Réseau des villes"
    assert feat["geometry"] == {"type": "Point", "coordinates": [10.0, 0.0]}
    assert (feat["prev"], feat["next"]) == ("P009", "P011")
    assert p.get("P000")["prev"] == "P000"
    assert p.get("P005")["geometry"] is None


@pytest.mark.parametrize("ident", ["P999", "p000", "", "P000' OR '1'='1"])
def test_get_unknown_id_is_404(atlas, ident):
    path, _ = atlas
    with pytest.raises(ProviderItemNotFoundError) as err:
        make(path, "projets").get(ident)
    assert err.value.http_status_code == 404


def test_private_requests_are_not_items_of_demandes(atlas):
    path, tables = atlas
    private = next(r["id"] for r in tables[sch.DEMANDES_TABLE] if r["statut_validation"] == "soumise")
    with pytest.raises(ProviderItemNotFoundError):
        make(path, "demandes").get(private)


# --- output CRS ------------------------------------------------------------------------------------


def test_crs_transform_of_the_output(atlas):
    from pygeoapi.crs import create_crs_transform_spec

    path, tables = atlas
    pdef = {
        "name": "x",
        "type": "feature",
        "data": str(path),
        "id_field": "id",
        "table": "projets",
        "crs": ["http://www.opengis.net/def/crs/EPSG/0/3857"],
    }
    spec = create_crs_transform_spec(pdef, "http://www.opengis.net/def/crs/EPSG/0/3857")
    p = make(path, "projets")
    feat = p.query(properties=[("id", "P002")], crs_transform_spec=spec)["features"][0]
    x, y = feat["geometry"]["coordinates"]
    assert x == pytest.approx(-17.45 * 20037508.342789244 / 180) and y == pytest.approx(1_654_000, rel=1e-3)
    assert p.get("P002", crs_transform_spec=spec)["geometry"]["coordinates"][0] == pytest.approx(x)


# --- read-only, concurrent ----------------------------------------------------------------------------


def _digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_never_writes_and_serves_concurrent_threads(atlas):
    path, tables = atlas
    before, mtime = _digest(path), os.stat(path).st_mtime_ns
    expected = {cid: len(source_rows(tables, cid)) for cid in sch.COLLECTIONS}
    west_africa = [-20, 0, 10, 20]
    with_status = sum(1 for r in tables["projets"] if r["statut"] is not None and _in_box(r["geometry"], west_africa))
    assert with_status > 0

    def work(i):
        cid = list(sch.COLLECTIONS)[i % len(expected)]
        p = make(path, cid)
        r = p.query(limit=3, offset=i % 5)
        assert r["numberMatched"] == expected[cid]
        if cid == "projets":
            hits = p.query(bbox=west_africa, filterq="statut IS NOT NULL", resulttype="hits")["numberMatched"]
            assert hits == with_status
        return cid

    with ThreadPoolExecutor(max_workers=8) as pool:
        assert len(list(pool.map(work, range(200)))) == 200
    assert _digest(path) == before and os.stat(path).st_mtime_ns == mtime
    assert not [p for p in Path(path).parent.iterdir() if p.name != Path(path).name]  # no journal, no WAL


def _child(path, q):
    try:
        q.put(make(path, "projets").query(resulttype="hits")["numberMatched"])
    except Exception as exc:  # pragma: no cover - reported to the parent
        q.put(repr(exc))


def test_works_in_forked_workers(atlas):
    path, tables = atlas
    make(path, "projets").query(limit=1)  # the parent has a connection open
    ctx = multiprocessing.get_context("fork")
    q = ctx.Queue()
    procs = [ctx.Process(target=_child, args=(str(path), q)) for _ in range(3)]
    for pr in procs:
        pr.start()
    results = [q.get(timeout=60) for _ in procs]
    for pr in procs:
        pr.join(timeout=60)
    assert results == [len(tables["projets"])] * 3


def test_a_replaced_file_is_picked_up(tmp_path):
    tables = sample_tables(n=6, seed=1)
    path = tmp_path / "a.gpkg"
    for n in (6, 9):
        tmp = tmp_path / "new.gpkg"
        con = build_writer.new_geopackage(str(tmp))
        with con:
            build_writer.write_collections(con, sample_tables(n=n, seed=1) if n != 6 else tables)
        con.close()
        os.replace(tmp, path)  # as the build does: write aside, rename
        assert make(path, "pays").query(resulttype="hits")["numberMatched"] == n


def test_configuration_errors_are_clear(atlas, tmp_path):
    path, _ = atlas
    with pytest.raises(ProviderConnectionError, match="collection id"):
        make(path, "bourse_demandes")
    with pytest.raises(ProviderConnectionError, match="id_field"):
        AtlasGeoPackageProvider({"name": "x", "type": "feature", "data": str(path), "id_field": "fid", "table": "pays"})
    with pytest.raises(ProviderConnectionError, match="not readable"):
        make(tmp_path / "missing.gpkg", "pays")


# --- CSV ---------------------------------------------------------------------------------------------


def _csv(features, table="projets", **fdef):
    import csv
    import io

    fmt = csv_formatter.AtlasCSVFormatter({"name": "coopatlas.server.csv_formatter.AtlasCSVFormatter", **fdef})
    out = fmt.write(
        options={"provider_def": {"table": table}}, data={"type": "FeatureCollection", "features": features}
    )
    return list(csv.reader(io.StringIO(out.decode("utf-8"))))


def test_csv_has_labels_next_to_codes(atlas):
    path, tables = atlas
    feats = make(path, "projets").query(limit=5)["features"]
    rows = _csv(feats)
    header = rows[0]
    assert header[:3] == ["longitude", "latitude", "id"]
    assert header[header.index("statut") + 1] == "statut_libelle"
    assert header[header.index("type_action") + 1] == "type_action_libelle"
    assert header.count("thematique_libelle") == 1  # stored already: not added twice
    by_id = {r["id"]: r for r in tables["projets"]}
    for line in rows[1:]:
        rec = dict(zip(header, line))
        src = by_id[rec["id"]]
        assert rec["statut_libelle"] == (voc.STATUTS.label(src["statut"]) or "")
        assert rec["jumelage"] == {True: "true", False: "false", None: ""}[src["jumelage"]]
        if src["geometry"] is not None:
            assert (float(rec["longitude"]), float(rec["latitude"])) == (src["geometry"].x, src["geometry"].y)


def test_csv_of_selected_properties_polygons_and_empty_results(atlas):
    path, _ = atlas
    feats = make(path, "projets").query(select_properties=["statut"], skip_geometry=True, limit=3)["features"]
    rows = _csv(feats, geom=False)
    assert rows[0] == ["statut", "statut_libelle"] and len(rows) == 4
    pays = make(path, "pays").query(limit=2)["features"]
    rows = _csv(pays, table="pays")
    assert rows[0][-1] == "wkt" and rows[1][-1].startswith("MULTIPOLYGON")
    assert rows[0][rows[0].index("continent") + 1] == "continent_libelle"
    header = _csv([], table="apd")
    assert header == [csv_formatter.columns(sch.APD.field_names, sch.APD)]  # the header even when empty
    assert header[0][header[0].index("type_collectivite") + 1] == "type_collectivite_libelle"


# --- through pygeoapi (in process, no HTTP: the HTTP tests are in tests/server) ----------------------------


@pytest.fixture(scope="module")
def api(atlas):
    from pygeoapi.api import API

    path, _ = atlas
    crs84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"

    def res(cid):
        return {
            "type": "collection",
            "title": cid,
            "description": cid,
            "keywords": [cid],
            "extents": {"spatial": {"bbox": [-180, -90, 180, 90], "crs": crs84}},
            "providers": [
                {
                    "type": "feature",
                    "name": "coopatlas.server.provider.AtlasGeoPackageProvider",
                    "data": str(path),
                    "id_field": "id",
                    "table": cid,
                    "geom_field": "geom",
                    "storage_crs": crs84,
                    "crs": [
                        crs84,
                        "http://www.opengis.net/def/crs/EPSG/0/4326",
                        "http://www.opengis.net/def/crs/EPSG/0/3857",
                    ],
                }
            ],
            "formatters": [{"name": "coopatlas.server.csv_formatter.AtlasCSVFormatter", "attachment": True}],
        }

    cfg = {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 5000},
            "url": "http://127.0.0.1:5000",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["fr", "en"],
            "limits": {"default_items": 10, "max_items": 1000},
            "map": {"url": "x", "attribution": "x"},
        },
        "logging": {"level": "CRITICAL"},
        "metadata": {
            "identification": {"title": "t", "description": "d", "keywords": [], "terms_of_service": "", "url": "x"},
            "license": {"name": "x"},
            "provider": {"name": "x"},
            "contact": {"name": "x"},
        },
        "resources": {cid: res(cid) for cid in ("projets", "demandes", "apd")},
    }
    return API(cfg, {})


def _call(api, fn, path, *args, data=b"", method="GET", headers=None):
    from pygeoapi.api import APIRequest
    from werkzeug.test import create_environ
    from werkzeug.wrappers import Request

    req = APIRequest.from_flask(
        Request(create_environ(path, method=method, data=data, headers=headers or {})), ["fr", "en"]
    )
    headers, status, content = fn(api, req, *args)
    return headers, status, content


def test_pygeoapi_items_filter_csv_and_errors(api, atlas):
    from pygeoapi.api import itemtypes

    path, tables = atlas
    want = sorted(r["id"] for r in tables["projets"] if r["statut"] == "en_cours" and r["jumelage"] is True)
    h, s, c = _call(
        api,
        itemtypes.get_collection_items,
        "/collections/projets/items?filter=statut%3D%27en_cours%27%20AND%20jumelage%3Dtrue&limit=3",
        "projets",
    )
    doc = json.loads(c)
    assert s == 200 and doc["numberMatched"] == len(want) and [f["id"] for f in doc["features"]] == want[:3]
    assert any(link["rel"] == "next" for link in doc["links"]) == (len(want) > 3)
    csv_link = next(link["href"] for link in doc["links"] if link["type"].startswith("text/csv"))
    assert "f=csv" in csv_link
    h, s, c = _call(
        api, itemtypes.get_collection_items, "/collections/projets/items?f=csv&statut=en_cours&limit=1000", "projets"
    )
    assert s == 200 and h["Content-Type"].startswith("text/csv")
    assert h["Content-Disposition"] == 'attachment; filename="projets.csv"'
    import csv
    import io

    lines = list(csv.reader(io.StringIO(c.decode())))
    assert "statut_libelle" in lines[0] and len(lines) - 1 == sum(r["statut"] == "en_cours" for r in tables["projets"])
    # CQL2 JSON in the body of a POST
    body = json.dumps({"op": "=", "args": [{"property": "statut"}, "en_cours"]}).encode()
    h, s, c = _call(
        api,
        itemtypes.get_collection_items,
        "/collections/projets/items",
        "projets",
        data=body,
        method="POST",
        headers={"Content-Type": "application/query-cql-json"},
    )
    assert s == 200 and json.loads(c)["numberMatched"] == sum(r["statut"] == "en_cours" for r in tables["projets"])
    for query, message in [
        ("filter=foo%3D1", "unknown property foo"),
        ("statut=ongoing", "not a code of statut"),
        ("bbox=0,0,1,1", "no geometry"),
    ]:
        cid = "apd" if query.startswith("bbox") else "projets"
        h, s, c = _call(api, itemtypes.get_collection_items, f"/collections/{cid}/items?{query}", cid)
        assert s == 400 and message in json.loads(c)["description"], query
    h, s, c = _call(api, itemtypes.get_collection_item, "/collections/projets/items/NOPE", "projets", "NOPE")
    assert s == 404


def test_pygeoapi_applies_filter_crs_and_bbox_crs_before_the_provider(api, atlas):
    """pygeoapi transforms ``filter-crs`` geometries and ``bbox-crs`` boxes into the storage CRS (CRS84)
    before calling the provider (``storage_crs`` must be configured for ``filter-crs``)."""
    from urllib.parse import quote

    from pygeoapi.api import itemtypes

    path, tables = atlas
    want = sorted(r["id"] for r in tables["projets"] if _in_box(r["geometry"], [-20, 0, 10, 20]))
    lonlat = quote("S_INTERSECTS(geometry, POLYGON((-20 0, 10 0, 10 20, -20 20, -20 0)))")
    latlon = quote("S_INTERSECTS(geometry, POLYGON((0 -20, 0 10, 20 10, 20 -20, 0 -20)))")
    epsg4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"
    for query in (
        f"filter={lonlat}",
        f"filter={latlon}&filter-crs={epsg4326}",
        "bbox=-20,0,10,20",
        f"bbox=0,-20,20,10&bbox-crs={epsg4326}",
    ):
        _, s, c = _call(
            api, itemtypes.get_collection_items, f"/collections/projets/items?limit=1000&{query}", "projets"
        )
        assert s == 200, c
        assert [f["id"] for f in json.loads(c)["features"]] == want, query


def test_datetime_selects_the_features_living_then(atlas):
    """``datetime`` reads the collection's period (schema), whatever the configured ``time_field``: a
    project lives from 1 January of its launch year to 31 December of its end year (open-ended without)."""
    path, tables = atlas

    def active(r, first, last):
        if r["annee_lancement"] is None:
            return False
        return r["annee_lancement"] <= last and (r["annee_fin"] is None or r["annee_fin"] >= first)

    p = make(path, "projets", time_field="date_maj")
    got = ids(everything(p, datetime_="2005-12-31T23:30:00-01:00/2008-01-01"))  # 2006-01-01T00:30Z
    assert got == sorted(r["id"] for r in tables["projets"] if active(r, 2006, 2008))
    assert got and len(got) < len(tables["projets"])
    assert ids(everything(p, datetime_="../2003-06-30")) == sorted(
        r["id"] for r in tables["projets"] if active(r, 1, 2003)
    )
    for bad, why in (("hier", "RFC 3339"), ("../..", "both ends"), ("2010-01-01/2009-12-31", "before it starts")):
        with pytest.raises(ProviderInvalidQueryError, match=f"datetime: .*{why}"):
            p.query(datetime_=bad)
    with pytest.raises(ProviderInvalidQueryError, match="datetime: collection pays has no time property"):
        make(path, "pays").query(datetime_="2020-01-01")


def test_pygeoapi_queryables_publish_the_code_lists(api):
    from pygeoapi.api import itemtypes

    h, s, c = _call(api, itemtypes.get_collection_queryables, "/collections/projets/queryables?f=json", "projets")
    props = json.loads(c)["properties"]
    assert s == 200 and props["statut"]["enum"] == voc.STATUTS.codes and props["statut"]["type"] == "string"
    assert props["date_maj"]["format"] == "date" and "recherche" not in props
    assert props["id"]["x-ogc-role"] == "id"


# --- the built atlas -------------------------------------------------------------------------------


@pytest.mark.parametrize("cid", list(sch.COLLECTIONS))
def test_built_atlas_every_collection(cid, atlas_gpkg_path):
    import sqlite3

    path = atlas_gpkg_path
    p = make(path, cid)
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    n = con.execute(f'SELECT COUNT(*) FROM "{sch.COLLECTIONS[cid].source}"').fetchone()[0]
    first = con.execute(f'SELECT id FROM "{sch.COLLECTIONS[cid].source}" ORDER BY id LIMIT 5').fetchall()
    con.close()
    page = p.query(limit=5)
    assert page["numberMatched"] == n and ids(page) == [r[0] for r in first]
    if page["features"]:
        assert p.get(page["features"][0]["id"])["id"] == page["features"][0]["id"]
    if sch.COLLECTIONS[cid].geometry:
        world = p.query(bbox=[-180, -90, 180, 90], resulttype="hits")["numberMatched"]
        nulls = p.query(filterq="geometry IS NULL", resulttype="hits")["numberMatched"]
        assert world + nulls == n
    if any(f.searchable for f in sch.COLLECTIONS[cid].fields) and page["features"]:
        word = normalise(
            next(
                (
                    page["features"][0]["properties"][f.name]
                    for f in sch.COLLECTIONS[cid].fields
                    if f.searchable and page["features"][0]["properties"][f.name]
                ),
                "x",
            )
        ).split(" ")[0]
        if word:
            assert page["features"][0]["id"] in ids(p.query(q=word, limit=100_000, skip_geometry=True))


@pytest.mark.parametrize(
    "kw",
    [
        {"properties": [("annee_fin", "-1169773020139265589248")]},
        {"filter_text": "annee_fin = 99999999999999999999999"},
    ],
)
def test_integers_beyond_64_bits_are_refused_not_crashed(atlas, kw):
    """Found by schemathesis: an integer SQLite cannot bind must be a 400, never a 500."""
    from pygeoapi.provider.base import ProviderInvalidQueryError
    from pygeofilter.parsers.cql2_text import parse

    path, _ = atlas
    if "filter_text" in kw:
        kw = {"filterq": parse(kw.pop("filter_text"))}
    with pytest.raises(ProviderInvalidQueryError, match="out of range"):
        make(path, "projets").query(**kw)
