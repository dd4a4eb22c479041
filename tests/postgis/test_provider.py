"""The pygeoapi provider over PostGIS (core PostgreSQL provider + q), driven through pygeoapi's plugin API.

Expected answers are computed in Python from the sample rows, not from another query.
"""

from __future__ import annotations

import pytest
from pygeoapi.plugin import load_plugin
from pygeoapi.provider.base import ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeofilter.parsers.cql2_text import parse as cql2

from coopatlas import schema as sch
from coopatlas.store import postgis
from coopatlas.store.geopackage import search_text
from coopatlas.text import keywords
from support.sample_atlas import sample_tables, write_sample_atlas

pytestmark = pytest.mark.xdist_group("postgis")
N = 80


@pytest.fixture(scope="module")
def url(postgis_cluster, tmp_path_factory) -> str:
    gpkg = write_sample_atlas(tmp_path_factory.mktemp("prov") / "sample.gpkg", n=N, seed=3)
    url = postgis_cluster.create_database("provider_sample")
    postgis.load(gpkg, url)
    return url


@pytest.fixture(scope="module")
def rows():
    return sample_tables(N, seed=3)


def provider(url, cid):
    return load_plugin("provider", postgis.pygeoapi_provider_config(url, cid))


def test_config_stanza_uses_the_core_postgresql_provider(url):
    cfg = postgis.pygeoapi_provider_config(url, "demandes")
    assert cfg["table"] == "demandes" and cfg["id_field"] == "id" and cfg["geom_field"] == "geom"
    assert cfg["data"]["search_path"] == ["atlas", "public"] and cfg["data"]["dbname"] == "provider_sample"
    from pygeoapi.provider.sql import PostgreSQLProvider

    assert isinstance(provider(url, "demandes"), PostgreSQLProvider)
    with pytest.raises(ValueError, match="PostgreSQL URL"):
        postgis.pygeoapi_provider_config("sqlite:///x.db", "projets")


def test_internal_columns_are_not_published(url):
    p = provider(url, "projets")
    assert list(p.fields) == sch.PROJETS.field_names
    assert p.fields["date_maj"]["format"] == "date" and p.fields["jumelage"]["type"] == "boolean"
    feature = p.query(limit=1)["features"][0]
    assert set(feature["properties"]) == set(sch.PROJETS.field_names)


@pytest.mark.parametrize(
    "q", ["eau", "SANTÉ école", "sante,ecole!", "Ziniaré", "oeuvre", "patrimoine femmes jeunesse", "ass", "nement"]
)
def test_q_requires_every_normalised_word_at_the_start_of_a_word(url, rows, q):
    expected = sorted(
        r["id"] for r in rows["projets"] if all(f" {w}" in search_text(sch.PROJETS, r) for w in keywords(q))
    )
    got = provider(url, "projets").query(q=q, limit=1000, skip_geometry=True)
    assert sorted(f["id"] for f in got["features"]) == expected
    assert got["numberMatched"] == len(expected)
    assert (len(expected) == 0) == (q == "nement")  # a word is matched from its start only


def test_q_on_the_public_view_and_without_search_column(url, rows):
    public = [r for r in rows[sch.DEMANDES_TABLE] if r["statut_validation"] in ("validee", "pourvue")]
    expected = sorted(r["id"] for r in public if " eau" in search_text(sch.DEMANDES, r))
    got = provider(url, "demandes").query(q="eau", limit=1000)
    assert sorted(f["id"] for f in got["features"]) == expected
    with pytest.raises(ProviderInvalidQueryError, match="q:"):
        provider(url, "cofinancements").query(q="eau")
    with pytest.raises(ProviderInvalidQueryError, match="no word"):
        provider(url, "projets").query(q="«—»")


def test_private_requests_are_not_served(url, rows):
    hidden = next(r["id"] for r in rows[sch.DEMANDES_TABLE] if r["statut_validation"] == "soumise")
    with pytest.raises(ProviderItemNotFoundError):
        provider(url, "demandes").get(hidden)


def test_cql2_filters(url, rows):
    p = provider(url, "projets")
    got = p.query(filterq=cql2("annee_lancement BETWEEN 2000 AND 2010 AND jumelage = true"), limit=1000)
    expected = sorted(
        r["id"]
        for r in rows["projets"]
        if r["annee_lancement"] is not None and 2000 <= r["annee_lancement"] <= 2010 and r["jumelage"] is True
    )
    assert sorted(f["id"] for f in got["features"]) == expected and expected


@pytest.mark.parametrize(
    "text,message",
    [
        ("nope = 1", "unknown property nope"),
        ("recherche LIKE '%eau%'", "unknown property recherche"),
        ("annee_lancement = 'deux mille'", "annee_lancement is an integer"),
        ("statut = 'fini'", "not a code of statut"),
        ("FOO(titre) = 'x'", "unknown function"),
    ],
)
def test_bad_filters_are_invalid_queries(url, text, message):
    with pytest.raises(ProviderInvalidQueryError, match=message):
        provider(url, "projets").query(filterq=cql2(text))


def test_bbox_on_a_collection_without_geometry(url):
    with pytest.raises(ProviderInvalidQueryError, match="bbox"):
        provider(url, "apd").query(bbox=[0, 0, 10, 10])
    assert provider(url, "apd").query(limit=2)["features"][0]["geometry"] is None


def test_sortby_nulls_first_and_ties_by_id(url, rows):
    p = provider(url, "projets")
    got = p.query(sortby=[{"property": "annee_fin", "order": "+"}], limit=1000, skip_geometry=True)
    key = [
        (f["properties"]["annee_fin"] is not None, f["properties"]["annee_fin"] or 0, f["id"]) for f in got["features"]
    ]
    assert key == sorted(key) and not key[0][0]
    got = p.query(sortby=[{"property": "annee_fin", "order": "-"}], limit=1000, skip_geometry=True)
    values = [f["properties"]["annee_fin"] for f in got["features"]]
    assert values[-1] is None and values[0] == max(v for v in values if v is not None)


def _ids(result):
    return sorted(f["id"] for f in result["features"])


def test_property_filters_are_typed_and_checked(url, rows):
    p = provider(url, "projets")
    got = p.query(properties=[("jumelage", "true"), ("annee_lancement", "2001")], limit=1000)
    expected = sorted(r["id"] for r in rows["projets"] if r["jumelage"] is True and r["annee_lancement"] == 2001)
    assert _ids(got) == expected
    with pytest.raises(ProviderInvalidQueryError, match="jumelage is a boolean"):
        p.query(properties=[("jumelage", "peut-etre")])
    with pytest.raises(ProviderInvalidQueryError, match="not a code of statut"):
        p.query(properties=[("statut", "fini")])


def test_bbox_across_the_antimeridian(url, rows):
    got = provider(url, "projets").query(bbox=[170, -90, -170, 90], limit=1000)
    expected = sorted(
        r["id"]
        for r in rows["projets"]
        if r.get("geometry") is not None and (r["geometry"].x >= 170 or r["geometry"].x <= -170)
    )
    assert _ids(got) == expected and expected  # the sample has points on the antimeridian


def test_cql2_spatial_literals(url, rows):
    from pygeofilter.parsers.cql2_json import parse as cql2_json
    from shapely.geometry import box

    p = provider(url, "projets")
    area = box(-20, -10, 40, 30)
    expected = sorted(
        r["id"] for r in rows["projets"] if r.get("geometry") is not None and r["geometry"].intersects(area)
    )
    assert expected
    for f in (
        cql2("S_INTERSECTS(geometry, POLYGON((-20 -10, 40 -10, 40 30, -20 30, -20 -10)))"),
        cql2("S_INTERSECTS(geom, BBOX(-20, -10, 40, 30))"),
        cql2_json({"op": "s_intersects", "args": [{"property": "geom"}, {"bbox": [-20, -10, 40, 30]}]}),
    ):
        assert _ids(p.query(filterq=f, limit=1000)) == expected


def test_cql2_casei_and_accenti(url, rows):
    p = provider(url, "projets")
    from coopatlas.server.cql import unaccent

    got = p.query(filterq=cql2("CASEI(titre) LIKE CASEI('%ZINIARÉ%')"), limit=1000)
    assert _ids(got) == sorted(r["id"] for r in rows["projets"] if r["titre"] and "ziniaré" in r["titre"].lower())
    got = p.query(filterq=cql2("ACCENTI(titre) LIKE ACCENTI('%Silesie, Łodz%')"), limit=1000)
    expected = sorted(
        r["id"] for r in rows["projets"] if r["titre"] and "Silesie, Łodz" in unaccent(r["titre"])
    )  # Ł has no accent
    assert _ids(got) == expected and expected
