"""``/collections/{id}/items?f=csv`` over HTTP: the whole result (beyond one page of 10,000), coordinates,
``true``/``false``, a label next to every code, read back by GDAL (``ogr2ogr``) and pandas; a result too
large is refused with a 400 that says how to get it."""

from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess

import pandas as pd
import pytest

from coopatlas import schema as sch

needs_gdal = pytest.mark.skipif(shutil.which("ogr2ogr") is None, reason="GDAL is not installed (make system-deps)")


@pytest.fixture(scope="module")
def db(atlas_server):
    con = sqlite3.connect(f"file:{atlas_server.gpkg}?mode=ro", uri=True)
    yield con
    con.close()


def export(server, cid: str, **params):
    r = server.get(f"/collections/{cid}/items", f="csv", timeout=300, **params)
    assert r.status_code == 200, r.text[:300]
    assert r.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert r.headers["Content-Disposition"] == f'attachment; filename="{cid}.csv"'
    return r


def rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_whole_result_beyond_one_page(atlas_server, db):
    """13,468 projects: more than the 10,000 of one page, all exported, each once."""
    expected = {r[0] for r in db.execute("SELECT id FROM projets")}
    assert len(expected) > 10_000
    got = rows(export(atlas_server, "projets"))
    assert len(got) == len(expected)
    assert {r["id"] for r in got} == expected
    # from an offset, up to a limit: exactly those rows, in the JSON's order
    page = rows(export(atlas_server, "projets", offset=9_998, limit=5, sortby="id"))
    as_json = atlas_server.get("/collections/projets/items", offset=9_998, limit=5, sortby="id").json()
    assert [r["id"] for r in page] == [f["id"] for f in as_json["features"]]


def test_filters_are_those_of_the_request(atlas_server, db):
    expected = db.execute("SELECT COUNT(*) FROM projets WHERE pays_code = 'BF' AND jumelage = 1").fetchone()[0]
    got = rows(export(atlas_server, "projets", pays_code="BF", filter="jumelage = true"))
    assert len(got) == expected > 0
    assert {r["pays_code"] for r in got} == {"BF"} and {r["jumelage"] for r in got} == {"true"}
    empty = export(atlas_server, "projets", pays_code="ZZ").content.decode("utf-8")
    assert empty.startswith("longitude,latitude,id,titre,") and empty.count("\n") == 1  # the header alone


def test_coordinates_booleans_and_labels(atlas_server, db):
    coll = sch.PROJETS
    got = rows(export(atlas_server, "projets", limit=300))
    header = list(got[0])
    assert header[:2] == ["longitude", "latitude"]
    coded = [f.name for f in coll.fields if f.vocabulary is not None]
    assert {"type_action", "statut", "continent", "type_collectivite"} <= set(coded)
    for name in coded:  # a label right after every coded field
        assert header[header.index(name) + 1] == name + "_libelle", name
    as_json = atlas_server.get("/collections/projets/items", limit=300).json()["features"]
    xy = {f["id"]: tuple(f["geometry"]["coordinates"]) for f in as_json}
    assert [r["id"] for r in got] == [f["id"] for f in as_json]
    booleans = [f.name for f in coll.fields if f.type == sch.BOOLEAN]
    for row in got:
        assert (float(row["longitude"]), float(row["latitude"])) == xy[row["id"]]
        for name in booleans:
            assert row[name] in ("true", "false", ""), (name, row[name])
        for name in coded:
            vocabulary = coll.field(name).vocabulary
            assert row[name + "_libelle"] == (vocabulary.label(row[name], "fr") if row[name] else ""), name


def test_pandas_reads_it(atlas_server, db):
    frame = pd.read_csv(io.BytesIO(export(atlas_server, "projets").content), dtype={"code_region": str})
    assert len(frame) == db.execute("SELECT COUNT(*) FROM projets").fetchone()[0]
    assert frame["jumelage"].dtype == bool  # true/false: one spelling, read as booleans
    assert frame["jumelage"].sum() == db.execute("SELECT COUNT(*) FROM projets WHERE jumelage = 1").fetchone()[0]
    assert frame["longitude"].between(-180, 180).all() and frame["latitude"].between(-90, 90).all()
    counts = frame.groupby("continent_libelle").size()
    assert counts["Afrique"] == db.execute("SELECT COUNT(*) FROM projets WHERE continent = 'afrique'").fetchone()[0]


@needs_gdal
def test_gdal_reads_points_and_polygons(atlas_server, db, tmp_path):
    points = tmp_path / "projets.csv"
    points.write_bytes(export(atlas_server, "projets", pays_code="SN").content)
    out = tmp_path / "projets.geojson"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            str(out),
            str(points),
            "-oo",
            "X_POSSIBLE_NAMES=longitude",
            "-oo",
            "Y_POSSIBLE_NAMES=latitude",
            "-oo",
            "AUTODETECT_TYPE=YES",
            "-a_srs",
            "OGC:CRS84",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    features = json.loads(out.read_text())["features"]
    expected = {
        f["id"]: tuple(f["geometry"]["coordinates"])
        for f in atlas_server.get("/collections/projets/items", pays_code="SN", limit=10_000).json()["features"]
    }
    assert len(features) == len(expected) > 0
    for f in features:
        assert f["geometry"]["type"] == "Point"
        assert tuple(f["geometry"]["coordinates"]) == pytest.approx(expected[f["properties"]["id"]], abs=1e-9)
        assert f["properties"]["jumelage"] in (True, False, None)  # GDAL reads true/false as booleans
    polygons = tmp_path / "pays.csv"
    polygons.write_bytes(export(atlas_server, "pays", continent="oceanie").content)
    out = tmp_path / "pays.geojson"
    subprocess.run(
        [
            "ogr2ogr",
            "-f",
            "GeoJSON",
            str(out),
            str(polygons),
            "-oo",
            "GEOM_POSSIBLE_NAMES=wkt",
            "-oo",
            "KEEP_GEOM_COLUMNS=NO",
            "-a_srs",
            "OGC:CRS84",
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    features = json.loads(out.read_text())["features"]
    n = db.execute("SELECT COUNT(*) FROM pays WHERE continent = 'oceanie'").fetchone()[0]
    assert len(features) == n > 0
    assert {f["geometry"]["type"] for f in features} == {"MultiPolygon"}
    assert {f["properties"]["continent_libelle"] for f in features} == {"Océanie"}


def test_too_large_an_export_is_refused_with_the_way_to_get_it(server_factory, atlas_server):
    server = server_factory(gpkg=atlas_server.gpkg, env={"COOPATLAS_CSV_MAX_ROWS": "10000"})
    r = server.get("/collections/projets/items", f="csv")
    assert r.status_code == 400 and r.headers["Content-Type"].startswith("application/json")
    text = r.json()["description"]
    assert text.startswith("limit: this CSV export would hold 13468 rows, more than the 10000 exported at once")
    assert "limit=10000&offset=0" in text and "ogr2ogr" in text
    first = rows(export(server, "projets", limit=10_000, sortby="id"))
    rest = rows(export(server, "projets", limit=10_000, offset=10_000, sortby="id"))
    assert len(first) == 10_000 and len(rest) == 3_468
    assert not {r["id"] for r in first} & {r["id"] for r in rest}


def test_postgis_export_is_the_same(server_factory, postgis_url, atlas_server):
    pg = server_factory(database_url=postgis_url)
    params = {"pays_code": "ML", "sortby": "id", "properties": "titre,statut,jumelage"}
    from_pg, from_gpkg = rows(export(pg, "projets", **params)), rows(export(atlas_server, "projets", **params))
    assert from_pg == from_gpkg and len(from_pg) > 0
    assert len(rows(export(pg, "liens"))) == len(rows(export(atlas_server, "liens")))
