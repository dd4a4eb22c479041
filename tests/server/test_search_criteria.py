"""One search, two renderings: the rows ``Criteria.where()`` selects in the GeoPackage (statistics, reports,
maps) are exactly the features the server returns for the filter ``/criteres`` gives each collection (what
the QGIS plugin and web clients fetch), and ``/criteres`` publishes the criteria the core declares."""

from __future__ import annotations

import pytest

from coopatlas.criteria import SPECS, Criteria, NotApplicable, published
from coopatlas.server.search_api import SEARCH_COLLECTIONS
from coopatlas.store import Store

#: Searches that together use every criterion (ids of an authority and a partner are added at run time).
SEARCHES = [
    {"pays": "BF"},
    {"continent": "afrique", "thematique": "eau_assainissement"},
    {"sous_continent": "afrique_de_l_ouest", "statut": "en_cours,termine"},
    {"region": "84", "type_collectivite": "commune,epci"},
    {"departement": "69,2A,971"},
    {"cofinancement": "afd,ue", "annee_min": 2005, "annee_max": 2010},
    {"jumelage": "true", "loi_oudin": "false"},
    {"type_action": "action_exterieure"},
    {"type_action": "demande_cooperation,cooperation_decentralisee", "continent": "afrique"},
    {"q": "eau potable"},
    {"q": "Ziniaré"},
    {"actif_de": 2005, "actif_a": 2008, "continent": "afrique"},
    {"actif_de": 2012},
    {"actif_a": 1995, "type_action": "cooperation_decentralisee"},
    {"thematique": "sante", "sous_thematique": "", "sous_sous_thematique": ""},
]


@pytest.fixture(scope="module")
def store(atlas_server):
    return Store(atlas_server.gpkg)


@pytest.fixture(scope="module")
def searches(store):
    """:data:`SEARCHES` plus one authority and one partner among the most engaged."""
    collectivite = store.rows(
        "SELECT collectivite_id FROM projets GROUP BY collectivite_id ORDER BY COUNT(*) DESC, collectivite_id LIMIT 1"
    )[0][0]
    partenaire = store.rows(
        "SELECT partenaire_id FROM projets GROUP BY partenaire_id ORDER BY COUNT(*) DESC, partenaire_id LIMIT 1"
    )[0][0]
    theme = store.rows(
        "SELECT sous_thematique, sous_sous_thematique FROM projets WHERE thematique = 'sante' "
        "AND sous_sous_thematique IS NOT NULL ORDER BY id LIMIT 1"
    )[0]
    out = [dict(s) for s in SEARCHES]
    out[-1].update(sous_thematique=theme[0], sous_sous_thematique=theme[1])
    out.append({"collectivite": collectivite})
    out.append({"partenaire": partenaire, "annee_min": 1990})
    return out


def _server_ids(server, collection: str, params: dict) -> set[str]:
    if len(params.get("filter") or "") > 4000:  # lists of identifiers: POSTed as CQL2 JSON, as clients do
        return _posted_ids(server, collection, params)
    ids: set[str] = set()
    url, query = (
        f"{server.url}/collections/{collection}/items",
        {**params, "f": "json", "limit": 10000, "properties": "id", "skipGeometry": "true"},
    )
    while url:
        page = server.session.get(url, params=query, timeout=120)
        assert page.status_code == 200, page.text[:300]
        body = page.json()
        ids.update(str(f["id"]) for f in body["features"])
        url = next((link["href"] for link in body.get("links", []) if link.get("rel") == "next"), None)
        query = None
        if not body["features"]:
            break
    return ids


def _posted_ids(server, collection: str, params: dict) -> set[str]:
    from pygeofilter.backends.cql2_json import to_cql2

    from coopatlas.server import cql

    body = to_cql2(cql.parse(params["filter"], "cql2-text"))
    query = {k: v for k, v in params.items() if k not in ("filter", "filter-lang")}
    ids: set[str] = set()
    while True:
        page = server.session.post(
            f"{server.url}/collections/{collection}/items",
            params={
                **query,
                "f": "json",
                "limit": 10000,
                "offset": len(ids),
                "properties": "id",
                "skipGeometry": "true",
            },
            data=body.encode(),
            headers={"Content-Type": "application/query-cql-json"},
            timeout=120,
        )
        assert page.status_code == 200, page.text[:300]
        found = {str(f["id"]) for f in page.json()["features"]}
        if not found:
            return ids
        ids |= found


def test_every_criterion_is_exercised():
    assert set(SPECS) <= {name for s in SEARCHES for name in s} | {"collectivite", "partenaire"}


@pytest.mark.parametrize("index", range(len(SEARCHES) + 2))
def test_where_selects_what_the_server_returns_for_criteres(atlas_server, store, searches, index):
    params = searches[index]
    criteria = Criteria.from_params(params)
    answer = atlas_server.get("/criteres", **criteria.to_params())
    assert answer.status_code == 200, answer.text
    filters = answer.json()["collections"]
    compared = 0
    for collection in SEARCH_COLLECTIONS:
        if collection == "collectivites":
            continue  # the collectivities of the matching projects: see the tests below
        if collection == "partenaires" and criteria.not_applicable("partenaires"):
            # the partners of the matching projects and the authorities of the matching requests
            expected = set()
            for source, column in (("projets", "partenaire_id"), ("demandes", "demandeur_id")):
                try:
                    sql, sql_params = criteria.where(source)
                except NotApplicable:
                    continue
                expected |= {str(r[0]) for r in store.rows(f"SELECT {column} FROM {source} WHERE {sql}", sql_params)}
            if not expected:
                assert filters[collection] is None
            else:
                assert _server_ids(atlas_server, collection, filters[collection]) == expected, params
            continue
        try:
            sql, sql_params = criteria.where(collection)
        except NotApplicable:
            assert filters[collection] is None
            continue
        expected = {str(r[0]) for r in store.rows(f"SELECT id FROM {collection} WHERE {sql}", sql_params)}
        if criteria.excludes(collection):
            assert filters[collection] is None and expected == set()
            continue
        assert filters[collection] == criteria.query_params(collection)
        assert _server_ids(atlas_server, collection, filters[collection]) == expected, collection
        compared += 1
    assert compared, params
    # a search that selects something, but not everything, of the projects or the requests
    for collection in ("projets", "demandes"):
        if filters.get(collection):
            total = store.rows(f"SELECT COUNT(*) FROM {collection}")[0][0]
            sql, sql_params = criteria.where(collection)
            selected = store.rows(f"SELECT COUNT(*) FROM {collection} WHERE {sql}", sql_params)[0][0]
            assert 0 < selected < total, (collection, params)
            break


def _statistics(server, criteria: Criteria) -> dict:
    inputs = {
        name: (list(value) if isinstance(value, tuple) else value)
        for name, value in ((n, getattr(criteria, n)) for n in criteria.active)
    }
    answer = server.session.post(f"{server.url}/processes/statistiques/execution", json={"inputs": inputs}, timeout=120)
    assert answer.status_code == 200, answer.text[:300]
    return answer.json()


@pytest.mark.parametrize("index", range(len(SEARCHES) + 2))
def test_collectivities_of_every_search_are_those_of_the_etat_panel(atlas_server, store, searches, index):
    """``/criteres`` gives ``collectivites`` a filter for every search, abroad too: the French collectivities
    of the matching projects, as many as the État panel (``statistiques``) counts."""
    criteria = Criteria.from_params(searches[index])
    filters = atlas_server.get("/criteres", **criteria.to_params()).json()["collections"]
    sql, sql_params = criteria.where("projets")
    expected = {str(r[0]) for r in store.rows(f"SELECT DISTINCT collectivite_id FROM projets WHERE {sql}", sql_params)}
    stats = _statistics(atlas_server, criteria)
    assert stats["collectivites_francaises_engagees"] == len(expected)
    if not expected:
        assert filters["collectivites"] is None
        return
    assert _server_ids(atlas_server, "collectivites", filters["collectivites"]) == expected


@pytest.mark.parametrize(
    "params, engaged",
    [
        ({"pays": "BF"}, 227),
        ({"pays": "SN", "thematique": "sante"}, None),
        ({"pays": "VN"}, None),
        ({"region": "84", "pays": "MA"}, None),
    ],
)
def test_collectivities_abroad_count_as_the_etat_panel(atlas_server, params, engaged):
    criteria = Criteria.from_params(params)
    spec = atlas_server.get("/criteres", **criteria.to_params()).json()["collections"]["collectivites"]
    stats = _statistics(atlas_server, criteria)
    assert stats["collectivites_francaises_engagees"] > 0
    if engaged is not None:  # the seed figure of Burkina Faso
        assert stats["collectivites_francaises_engagees"] == engaged
    assert len(_server_ids(atlas_server, "collectivites", spec)) == stats["collectivites_francaises_engagees"]


def test_criteres_publishes_the_criteria_specifications(atlas_server):
    body = atlas_server.get("/criteres").json()
    specs = body["specifications"]
    assert specs == published()
    assert [s["nom"] for s in specs] == list(SPECS)
    by_name = {s["nom"]: s for s in specs}
    assert by_name["thematique"]["vocabulaire"] == "thematique" and by_name["thematique"]["multiple"] is True
    assert by_name["pays"]["collection"] == "pays" and by_name["pays"]["vocabulaire"] is None
    assert by_name["jumelage"]["type"] == "bool" and by_name["jumelage"]["multiple"] is False
    assert by_name["annee_min"]["minimum"] == 1900 and by_name["annee_min"]["en"] == "Start year, from"


@pytest.mark.parametrize(
    "params",
    [
        {"departement": "69"},
        {"region": "84", "thematique": "sante"},
        {"type_collectivite": "commune", "statut": "en_cours"},
    ],
)
def test_partners_of_a_search_in_france_count_as_the_etat_panel(atlas_server, params):
    """Criteria that do not apply to requests (a French department...): the partners ``/criteres`` selects
    are the partner authorities the État panel counts."""
    criteria = Criteria.from_params(params)
    spec = atlas_server.get("/criteres", **criteria.to_params()).json()["collections"]["partenaires"]
    stats = _statistics(atlas_server, criteria)
    assert stats["collectivites_partenaires"] > 0
    assert len(_server_ids(atlas_server, "partenaires", spec)) == stats["collectivites_partenaires"]
