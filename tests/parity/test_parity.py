"""Parity of the two backends over real HTTP: the same requests to the GeoPackage server and to the PostGIS
server (``coopatlas serve`` with ``COOPATLAS_GPKG`` / ``COOPATLAS_DATABASE_URL`` on the same atlas) give
the same answers: status, ``numberMatched``, ``numberReturned``, the ids in the same order, every property
value, geometries within 1e-9 degree, and the same 4xx for bad input.
"""

from __future__ import annotations

import json
import math
import sqlite3
from dataclasses import dataclass, field

import pytest
import requests
import shapely.geometry

from coopatlas.vocabulary import STATUTS_VALIDATION_PUBLICS

pytestmark = pytest.mark.xdist_group("postgis")

#: Tolerance on coordinates (degrees) and on real numbers (relative).
GEOMETRY_TOLERANCE = 1e-9
REAL_TOLERANCE = 1e-12


@dataclass
class Query:
    name: str
    collection: str = "projets"
    params: dict = field(default_factory=dict)
    body: dict | None = None  # a CQL2 JSON filter, POSTed
    status: int = 200
    nonempty: bool = True  # the query must match something on the demo atlas (it tests something)


Q = Query
QUERIES = [
    # paging and order
    Q("first page", params={"limit": 50}),
    Q("page 3 of 20", params={"limit": 20, "offset": 40}),
    Q("beyond the end", params={"limit": 10, "offset": 10_000_000}, nonempty=False),
    Q("sortby year desc then title", params={"sortby": "-annee_lancement,titre", "limit": 100}),
    Q("sortby title (accents, C order)", params={"sortby": "titre", "limit": 200, "skipGeometry": "true"}),
    Q("sortby a nullable property", params={"sortby": "annee_fin", "limit": 100, "offset": 10}),
    Q("sortby desc nullable, page 2", params={"sortby": "-annee_fin", "limit": 100, "offset": 100}),
    # bbox
    Q("bbox West Africa", params={"bbox": "-20,0,20,25", "limit": 100}),
    Q("bbox across the antimeridian", params={"bbox": "170,-60,-170,10", "limit": 100}, nonempty=False),
    Q("bbox and property", params={"bbox": "-10,35,30,60", "type_action": "action_exterieure", "limit": 100}),
    # property filters
    Q("type and continent", params={"type_action": "cooperation_decentralisee", "continent": "afrique", "limit": 100}),
    Q("boolean property", params={"jumelage": "true", "limit": 100}),
    Q("integer property", params={"annee_lancement": "2010", "limit": 100}),
    # CQL2 text
    Q(
        "CQL2 BETWEEN",
        params={"filter": "annee_lancement BETWEEN 2005 AND 2010", "sortby": "-annee_lancement", "limit": 100},
    ),
    Q(
        "CQL2 IN and NOT",
        params={"filter": "thematique IN ('eau_assainissement','sante') AND NOT jumelage = true", "limit": 100},
    ),
    Q("CQL2 LIKE", params={"filter": "titre LIKE '%eau%'", "limit": 100}),
    Q("CQL2 OR", params={"filter": "pays_code = 'SN' OR continent = 'oceanie'", "limit": 100}),
    Q("CQL2 IS NULL", params={"filter": "annee_fin IS NULL", "limit": 100}),
    Q("CQL2 date", params={"filter": "date_maj >= DATE('2012-01-01')", "limit": 100}),
    Q(
        "CQL2 comparisons",
        params={"filter": "annee_lancement > 2005 AND annee_lancement <= 2012 AND statut <> 'termine'", "limit": 100},
    ),
    Q(
        "CQL2 S_INTERSECTS polygon",
        params={"filter": "S_INTERSECTS(geometry, POLYGON((-20 0, 20 0, 20 25, -20 25, -20 0)))", "limit": 100},
    ),
    Q("CQL2 CASEI", params={"filter": "CASEI(pays_nom) LIKE CASEI('%SÉNÉGAL%')", "limit": 100}),
    Q("CQL2 ACCENTI", params={"filter": "ACCENTI(pays_nom) = ACCENTI('Senegal')", "limit": 100}),
    Q(
        "CQL2 on countries, BBOX literal",
        "pays",
        params={"filter": "S_INTERSECTS(geometry, BBOX(0, 40, 10, 50))", "limit": 50},
    ),
    # CQL2 JSON (POST)
    Q(
        "CQL2 JSON AND",
        body={
            "op": "and",
            "args": [
                {"op": ">=", "args": [{"property": "annee_lancement"}, 2008]},
                {"op": "=", "args": [{"property": "type_action"}, "action_exterieure"]},
            ],
        },
        params={"limit": 100},
    ),
    Q(
        "CQL2 JSON IN",
        body={"op": "in", "args": [{"property": "statut"}, ["en_cours", "termine"]]},
        params={"limit": 100, "sortby": "statut,-annee_lancement"},
    ),
    Q(
        "CQL2 JSON NOT LIKE",
        body={"op": "not", "args": [{"op": "like", "args": [{"property": "titre"}, "%a%"]}]},
        params={"limit": 100},
    ),
    Q(
        "CQL2 JSON S_INTERSECTS polygon",
        body={
            "op": "s_intersects",
            "args": [
                {"property": "geometry"},
                {"type": "Polygon", "coordinates": [[[95, -10], [140, -10], [140, 25], [95, 25], [95, -10]]]},
            ],
        },
        params={"limit": 100},
    ),
    Q(
        "CQL2 JSON envelope",
        body={"op": "s_intersects", "args": [{"property": "geometry"}, {"bbox": [-10, 35, 30, 60]}]},
        params={"limit": 100},
    ),
    # properties, skipGeometry, q, hits
    Q("properties", params={"properties": "titre,annee_lancement,pays_code", "limit": 50}),
    Q("skipGeometry", params={"skipGeometry": "true", "limit": 50}),
    Q("q one word", params={"q": "eau", "limit": 100}),
    Q("q start of a word", params={"q": "assain", "limit": 100}),
    Q("q inside a word matches nothing", params={"q": "ssainissement"}, nonempty=False),
    Q("q two words with accents", params={"q": "Coopération Sénégal", "limit": 100}, nonempty=False),
    Q("q and bbox", params={"q": "eau", "bbox": "-20,0,20,25", "limit": 100}, nonempty=False),
    Q("hits", params={"resulttype": "hits", "continent": "asie"}),
    Q("hits with CQL2", params={"resulttype": "hits", "filter": "annee_lancement < 2000"}, nonempty=False),
    # the other collections
    Q("demandes (public view)", "demandes", params={"limit": 100}),
    Q("demandes q", "demandes", params={"q": "eau", "limit": 100}, nonempty=False),
    Q("collectivites top", "collectivites", params={"sortby": "-nb_projets", "limit": 20}),
    Q("partenaires seeking", "partenaires", params={"en_recherche": "true", "limit": 100}),
    Q("liens (multilinestrings) bbox", "liens", params={"bbox": "-5,40,10,52", "limit": 50}),
    Q("pays (multipolygons)", "pays", params={"continent": "afrique", "limit": 30}),
    Q("regions", "regions", params={"limit": 30}),
    Q("departements top", "departements", params={"sortby": "-nb_projets,nom", "limit": 20}),
    Q("apd (no geometry)", "apd", params={"annee": "2019", "sortby": "-montant", "limit": 100}, nonempty=False),
    Q(
        "cofinancements CQL2",
        "cofinancements",
        params={"filter": "type_cofinancement = 'ue' AND montant > 10000", "limit": 100},
        nonempty=False,
    ),
    # bad input: the same 400 on both
    Q("unknown property in CQL2", params={"filter": "nope = 1"}, status=400),
    Q("wrong type in CQL2", params={"filter": "annee_lancement = 'abc'"}, status=400),
    Q("unknown code", params={"statut": "fini"}, status=400),
    Q("wrong type in a property filter", params={"jumelage": "peut-etre"}, status=400),
    Q("bbox on a collection without geometry", "apd", params={"bbox": "0,0,1,1"}, status=400),
    Q("q without a word", params={"q": "!!!"}, status=400),
    Q("bad CQL2 text", params={"filter": "annee_lancement >>> 3"}, status=400),
]


def fetch(base: str, query: Query) -> requests.Response:
    url = f"{base}/collections/{query.collection}/items"
    params = {"f": "json", **query.params}
    if query.body is not None:
        return requests.post(
            url,
            params=params,
            data=json.dumps(query.body),
            headers={"Content-Type": "application/query-cql-json"},
            timeout=60,
        )
    return requests.get(url, params=params, timeout=60)


def same_value(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
            return False
        return math.isclose(a, b, rel_tol=REAL_TOLERANCE, abs_tol=0.0)
    return a == b and type(a) is type(b)


def assert_same_geometry(ga, gb, where):
    assert (ga is None) == (gb is None), where
    if ga is None:
        return
    assert ga["type"] == gb["type"], where
    sa, sb = shapely.geometry.shape(ga), shapely.geometry.shape(gb)
    assert shapely.equals_exact(sa, sb, tolerance=GEOMETRY_TOLERANCE), f"{where}: {sa.wkt[:200]} != {sb.wkt[:200]}"


def assert_same_feature(fa: dict, fb: dict, where: str):
    assert fa["id"] == fb["id"], where
    pa, pb = fa["properties"], fb["properties"]
    assert sorted(pa) == sorted(pb), f"{where}: properties {sorted(set(pa) ^ set(pb))} differ"
    for k in pa:
        assert same_value(pa[k], pb[k]), f"{where}.{k}: {pa[k]!r} != {pb[k]!r}"
    assert_same_geometry(fa.get("geometry"), fb.get("geometry"), where)


@pytest.mark.parametrize("query", QUERIES, ids=[q.name for q in QUERIES])
def test_same_answers(parity_servers, query):
    gpkg, pg = parity_servers
    ra, rb = fetch(gpkg, query), fetch(pg, query)
    assert ra.status_code == query.status, ra.text[:500]
    assert rb.status_code == ra.status_code, f"GeoPackage {ra.status_code}, PostGIS {rb.status_code}: {rb.text[:500]}"
    a, b = ra.json(), rb.json()
    if query.status != 200:
        assert a.get("code") == b.get("code")
        assert a.get("description") == b.get("description")
        return
    assert a.get("numberMatched") == b.get("numberMatched")
    assert a["numberReturned"] == b["numberReturned"] == len(a["features"]) == len(b["features"])
    if query.nonempty:
        assert a["numberMatched"] > 0, "the query matches nothing: it tests nothing"
    assert [f["id"] for f in a["features"]] == [f["id"] for f in b["features"]]
    for fa, fb in zip(a["features"], b["features"]):
        assert_same_feature(fa, fb, f"{query.collection}/{fa['id']}")


@pytest.mark.parametrize(
    "collection",
    [
        "projets",
        "demandes",
        "collectivites",
        "partenaires",
        "liens",
        "pays",
        "regions",
        "departements",
        "apd",
        "cofinancements",
    ],
)
def test_same_items(parity_servers, collection):
    """/items/{id}: a few features of every collection, the same on both (id, properties, geometry)."""
    gpkg, pg = parity_servers
    page = requests.get(f"{gpkg}/collections/{collection}/items", params={"f": "json", "limit": 400}, timeout=60).json()
    ids = [f["id"] for f in page["features"]]
    assert ids, f"{collection} is empty"
    for fid in ids[:: max(1, len(ids) // 4)][:5]:
        ra = requests.get(f"{gpkg}/collections/{collection}/items/{fid}", params={"f": "json"}, timeout=60)
        rb = requests.get(f"{pg}/collections/{collection}/items/{fid}", params={"f": "json"}, timeout=60)
        assert ra.status_code == rb.status_code == 200, (ra.text[:300], rb.text[:300])
        assert_same_feature(ra.json(), rb.json(), f"{collection}/{fid}")


def test_unknown_and_private_items_are_404_on_both(parity_servers, atlas_gpkg_path):
    gpkg, pg = parity_servers
    with sqlite3.connect(atlas_gpkg_path) as con:
        statuses = ", ".join(f"'{s}'" for s in STATUTS_VALIDATION_PUBLICS)
        private = con.execute(
            f"SELECT id FROM bourse_demandes WHERE statut_validation NOT IN ({statuses}) LIMIT 1"
        ).fetchone()
    assert private, "the demo atlas has no private request"
    for collection, fid in (("projets", "no-such-project"), ("demandes", private[0]), ("apd", "no-such-line")):
        ra = requests.get(f"{gpkg}/collections/{collection}/items/{fid}", params={"f": "json"}, timeout=60)
        rb = requests.get(f"{pg}/collections/{collection}/items/{fid}", params={"f": "json"}, timeout=60)
        assert ra.status_code == rb.status_code == 404, (collection, ra.status_code, rb.status_code)


def test_paging_walks_the_same_features(parity_servers):
    """Following the ``next`` links page by page gives the same sequence on both backends."""
    gpkg, pg = parity_servers
    seqs = []
    for base in (gpkg, pg):
        url, ids = f"{base}/collections/partenaires/items?f=json&limit=97&sortby=pays_code", []
        for _ in range(200):
            doc = requests.get(url, timeout=60).json()
            ids += [f["id"] for f in doc["features"]]
            nxt = [link["href"] for link in doc["links"] if link["rel"] == "next"]
            if not nxt or not doc["features"]:
                break
            url = nxt[0]
        seqs.append(ids)
    assert seqs[0] == seqs[1] and len(seqs[0]) == len(set(seqs[0])) > 97


def test_q_matches_words_from_their_start_on_both(parity_servers):
    """``q`` is the same keyword search on both backends: every word must start a word of the record."""
    for base in parity_servers:

        def matched(q, base=base):
            return requests.get(
                f"{base}/collections/projets/items", params={"f": "json", "q": q, "limit": 1}, timeout=60
            ).json()["numberMatched"]

        assert matched("assainissement") > 0
        assert matched("ASSAINISSEMENT") == matched("assainissement") == matched("Assaînissement")
        assert matched("ssainissement") == 0
        assert 0 < matched("eau assainissement") <= min(matched("eau"), matched("assainissement"))
