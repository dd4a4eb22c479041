"""A query parameter a collection route does not define is refused with a 400 naming it (OGC API - Features
Core, ``/req/core/query-param-unknown``), with the right name suggested, on every collection, both backends
(GeoPackage and PostGIS), in JSON, HTML and CSV; the parameters the routes define still work."""

from __future__ import annotations

import pytest

from coopatlas import schema as sch


@pytest.fixture(scope="module")
def pg_server(server_factory, postgis_url):
    return server_factory(database_url=postgis_url)


def refused(server, path: str, **params) -> str:
    """The description of the 400 of ``path`` with ``params`` (JSON), checked to be the OGC exception."""
    r = server.get(path, **params)
    assert r.status_code == 400, (path, params, r.status_code, r.text[:300])
    assert r.headers["Content-Type"].startswith("application/json")
    body = r.json()
    assert body["code"] == body["type"] == "InvalidParameterValue"
    return body["description"]


@pytest.mark.parametrize("backend", ["gpkg", "postgis"])
def test_unknown_parameters_refused_on_every_collection(backend, request):
    server = request.getfixturevalue("atlas_server" if backend == "gpkg" else "pg_server")
    for cid, coll in sch.COLLECTIONS.items():
        path = f"/collections/{cid}/items"
        for fmt in ("json", "csv"):
            text = refused(server, path, f=fmt, foo="bar", limit=1)
            assert text.startswith("unknown query parameter 'foo'"), text
            assert f"{path} takes f, lang, bbox" in text and f"/collections/{cid}/queryables" in text
        html = server.get(path, f="html", foo="bar")
        assert html.status_code == 400 and html.headers["Content-Type"].startswith("text/html")
        assert "unknown query parameter" in html.text and "foo" in html.text
        if "pays_code" in coll.field_names:  # the name of /criteres, of the processes and of the plugin
            text = refused(server, path, pays="BF")
            assert "'pays': use pays_code=BF" in text, text
        # the same request with the right name is answered (the collection's own properties are parameters)
        r = server.get(path, f="json", limit=1, **{coll.id_field: "none-such"})
        assert r.status_code == 200 and r.json()["numberMatched"] == 0, (cid, r.text[:300])


def test_right_name_gives_the_answer_the_wrong_one_hid(atlas_server):
    text = refused(atlas_server, "/collections/projets/items", pays="BF")
    assert text.startswith("unknown query parameter 'pays': use pays_code=BF")
    every = atlas_server.get("/collections/projets/items", limit=1).json()["numberMatched"]
    burkina = atlas_server.get("/collections/projets/items", limit=1, pays_code="BF").json()["numberMatched"]
    assert 0 < burkina < every


@pytest.mark.parametrize(
    "param,value,hint",
    [
        ("startindex", "10", "use offset="),
        ("skipgeometry", "true", "did you mean skipGeometry?"),
        ("sortBy", "titre", "did you mean sortby?"),
        ("limt", "5", "did you mean limit?"),
        ("annee_min", "2005", "use filter=annee_lancement >= 2005"),
        ("region", "11", "use code_region=11"),
        ("type_actoin", "action_exterieure", "did you mean type_action?"),
        ("pays", "BF,ML", "use filter=pays_code IN ('BF', 'ML')"),
        ("typeName", "projets", "the collection is chosen by the path (/collections/{id}/items)"),
    ],
)
def test_suggestions(atlas_server, param, value, hint):
    text = refused(atlas_server, "/collections/projets/items", **{param: value})
    assert text.startswith(f"unknown query parameter '{param}': {hint}"), text


def test_every_unknown_parameter_named_at_once(atlas_server):
    text = refused(atlas_server, "/collections/projets/items", pays="BF", foo="1", limit=3)
    assert text.startswith("unknown query parameters 'pays': use pays_code=BF"), text
    assert "; 'foo'." in text and "'limit'" not in text


@pytest.mark.parametrize("backend", ["gpkg", "postgis"])
def test_other_collection_routes(backend, request):
    server = request.getfixturevalue("atlas_server" if backend == "gpkg" else "pg_server")
    refused_paths = {
        "/collections/projets/items/PRJ000001": (
            "pays_code",
            "/collections/projets/items/{featureId} takes f, lang, crs",
        ),
        "/collections/projets": ("limit", "/collections/projets takes f, lang"),
        "/collections": ("limit", "/collections takes f, lang"),
        "/collections/projets/queryables": ("foo", "/collections/projets/queryables takes f, lang, profile"),
        "/collections/projets/schema": ("foo", "/collections/projets/schema takes f, lang"),
        "/collections/projets/map": ("type_action", "/collections/projets/map takes f, lang, bbox"),
    }
    for path, (param, expected) in refused_paths.items():
        text = refused(server, path, **{param: "x"})
        assert text.startswith(f"unknown query parameter '{param}'") and expected in text, (path, text)
    for path, params in {
        "/collections/projets/items/PRJ000001": {"f": "json", "lang": "en"},
        "/collections/projets": {"f": "json", "lang": "en"},
        "/collections": {"f": "json"},
        "/collections/projets/queryables": {"f": "json"},
        "/collections/projets/schema": {"f": "json"},
        "/collections/projets/map": {"width": "60", "height": "40", "bbox": "-5,40,10,52", "transparent": "false"},
    }.items():
        r = server.get(path, **params)
        assert r.status_code == 200, (path, r.text[:300])


def test_defined_parameters_still_answered(atlas_server):
    r = atlas_server.get(
        "/collections/projets/items",
        f="json",
        limit=2,
        offset=1,
        bbox="-20,-35,40,60",
        **{
            "bbox-crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            "filter-lang": "cql2-text",
            "filter": "annee_lancement >= 2005",
            "sortby": "-annee_lancement",
            "q": "eau",
            "properties": "titre,annee_lancement",
            "skipGeometry": "true",
            "lang": "en",
            "type_action": "cooperation_decentralisee",
            "resulttype": "results",
            "crs": "http://www.opengis.net/def/crs/EPSG/0/4326",
        },
    )
    assert r.status_code == 200, r.text[:300]
    assert r.json()["numberMatched"] > 0
    # an unknown collection is still pygeoapi's 404, whatever its parameters
    assert atlas_server.get("/collections/nulle_part/items", foo="bar").status_code == 404
