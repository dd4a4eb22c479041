"""Accès France (region › department › type › authority by type-ahead) and Recherche avancée (the three theme
levels, years, booleans) driven in Chromium: each search sends the criteria the server defines
(``/criteres``), and the État panel shows the ``statistiques`` of exactly those criteria."""

from __future__ import annotations

import urllib.parse

import pytest
import requests
import web_browser as W
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = pytest.mark.slow

FIGURES = (
    "collectivites_francaises_engagees",
    "collectivites_partenaires",
    "projets_cooperation_decentralisee",
    "projets_actions_exterieures",
    "demandes_cooperation",
    "pays",
)


def statistics(server, inputs: dict) -> dict:
    r = requests.post(
        f"{server.url}/processes/statistiques/execution", json={"inputs": {**inputs, "format": "json"}}, timeout=120
    )
    assert r.status_code == 200, r.text
    return r.json()


def shown(driver) -> dict:
    return driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#etat dd[data-figure]')]"
        ".map(dd => [dd.dataset.figure, Number(dd.dataset.value)]))"
    )


def url_criteria(driver) -> dict:
    query = urllib.parse.parse_qs(urllib.parse.urlparse(driver.current_url).query)
    return {k: v[0] for k, v in query.items() if k not in ("onglet", "vue", "page", "fiche", "couches", "lang")}


def test_acces_france_type_ahead(browser, atlas_server):
    d = browser
    found = atlas_server.get(
        "/collections/collectivites/items",
        f="json",
        limit=1,
        sortby="-nb_projets",
        properties="id,nom,code_region,type_collectivite",
        skipGeometry="true",
    ).json()
    authority = found["features"][0]["properties"]
    d.get(atlas_server.url + "/atlas?lang=fr&onglet=france")
    W.wait_ready(d, searches=1)
    form = d.find_element("id", "recherche-france")
    Select(form.find_element("name", "region")).select_by_value(authority["code_region"])
    Select(form.find_element("name", "type_collectivite")).select_by_value(authority["type_collectivite"])
    box = form.find_element("name", "collectivite")
    box.send_keys(authority["nom"][:4])
    options = WebDriverWait(d, 20).until(
        lambda drv: drv.execute_script("return [...arguments[0].list.options].map(o => o.value)", box) or None
    )
    assert authority["nom"] in options
    box.clear()
    box.send_keys(authority["nom"])
    form.find_element("css selector", "button[type=submit]").click()
    W.wait_ready(d, searches=2)
    criteria = url_criteria(d)
    assert criteria == {"collectivite": authority["id"], "type_collectivite": authority["type_collectivite"]}
    expected = statistics(
        atlas_server, {"collectivite": [authority["id"]], "type_collectivite": [authority["type_collectivite"]]}
    )
    assert {k: shown(d)[k] for k in FIGURES} == {k: expected[k] for k in FIGURES}
    assert authority["nom"] in d.find_element("id", "description").text
    W.shot(d, "atlas-acces-france")


def test_recherche_avancee_theme_levels(browser, atlas_server):
    d = browser
    vocabulary = atlas_server.get("/vocabulaire").json()
    sub_sub = next(t for t in vocabulary["sous_sous_thematique"] if t["thematique"] == "eau_assainissement")
    d.get(atlas_server.url + "/atlas?lang=fr&onglet=avancee")
    W.wait_ready(d, searches=1)
    form = d.find_element("id", "recherche-avancee")
    Select(form.find_element("name", "thematique")).select_by_value(sub_sub["thematique"])
    # each level lists only the children of the level above
    listed = [o.get_attribute("value") for o in Select(form.find_element("name", "sous_thematique")).options][1:]
    assert set(listed) == {t["code"] for t in vocabulary["sous_thematique"] if t["thematique"] == sub_sub["thematique"]}
    Select(form.find_element("name", "sous_thematique")).select_by_value(sub_sub["sous_thematique"])
    Select(form.find_element("name", "sous_sous_thematique")).select_by_value(sub_sub["code"])
    Select(form.find_element("name", "jumelage")).select_by_value("false")
    form.find_element("name", "annee_min").send_keys("2008")
    form.find_element("css selector", "input[name=type_action][value=cooperation_decentralisee]").click()
    form.find_element("css selector", "button[type=submit]").click()
    W.wait_ready(d, searches=2)
    assert url_criteria(d) == {
        "type_action": "cooperation_decentralisee",
        "thematique": sub_sub["thematique"],
        "sous_thematique": sub_sub["sous_thematique"],
        "sous_sous_thematique": sub_sub["code"],
        "jumelage": "false",
        "annee_min": "2008",
    }
    expected = statistics(
        atlas_server,
        {
            "type_action": ["cooperation_decentralisee"],
            "thematique": [sub_sub["thematique"]],
            "sous_thematique": [sub_sub["sous_thematique"]],
            "sous_sous_thematique": [sub_sub["code"]],
            "jumelage": False,
            "annee_min": 2008,
        },
    )
    assert {k: shown(d)[k] for k in FIGURES} == {k: expected[k] for k in FIGURES}
    assert expected["projets_cooperation_decentralisee"] > 0
    total = int(d.find_element("id", "resultats").get_attribute("data-total"))
    assert total == expected["projets_cooperation_decentralisee"]
    # the permalink reopens the same form
    d.get(d.current_url)
    W.wait_ready(d, searches=1)
    form = d.find_element("id", "recherche-avancee")
    assert (
        Select(form.find_element("name", "sous_sous_thematique")).first_selected_option.get_attribute("value")
        == sub_sub["code"]
    )
    assert form.find_element("name", "annee_min").get_attribute("value") == "2008"
    W.shot(d, "atlas-recherche-avancee")
    assert not W.axe_violations(d)


def test_a_large_result_draws_the_listed_page(browser, atlas_server):
    """Beyond the features the page draws over the tiles (the tiles show every symbol), the map marks the
    projects of the page of the list, and follows the list from page to page."""
    d = browser
    d.get(atlas_server.url + "/atlas?lang=fr&onglet=monde&continent=europe")
    W.wait_ready(d, searches=1)
    assert int(d.find_element("id", "resultats").get_attribute("data-total")) > 2000

    def marked_and_listed():
        return d.execute_script(
            "return [window.coopatlas.atlas.map.querySourceFeatures('resultat').map(f => f.properties.id).sort(),"
            "[...document.querySelectorAll('#resultats .result')].map(b => b.dataset.id).sort()]"
        )

    marked, listed = marked_and_listed()
    assert len(listed) == 20 and set(marked) == set(listed)
    d.find_element("css selector", "#resultats .next").click()
    WebDriverWait(d, W.WAIT).until(lambda drv: "page=2" in drv.current_url)
    marked2, listed2 = WebDriverWait(d, W.WAIT).until(
        lambda drv: (lambda m, shown: (m, shown) if set(m) == set(shown) and shown != listed else None)(
            *marked_and_listed()
        )
    )
    assert not set(listed2) & set(listed)


def listed_ids(driver) -> list[str]:
    """The identifiers of every page of the result list (the pages turned by its "next" button)."""
    script = "return [...document.querySelectorAll('#resultats .result')].map(b => b.dataset.id)"
    ids = []
    while True:
        page = driver.execute_script(script)
        ids += page
        following = driver.find_element("css selector", "#resultats .next")
        if not following.is_enabled():
            return ids
        following.click()
        WebDriverWait(driver, W.WAIT).until(lambda drv, before=page: drv.execute_script(script) not in ([], before))


def test_recherche_avancee_active_in_a_year(browser, atlas_server, atlas_gpkg_path):
    """ "Actif entre … et …" (actif_de, actif_a) lists exactly the projects running in those years: started
    by then and not ended before (counted here from the atlas's GeoPackage), and stays in the permalink."""
    import sqlite3

    with sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True) as db:
        expected = sorted(
            r[0]
            for r in db.execute(
                "SELECT id FROM projets WHERE pays_code = 'BF' AND annee_lancement <= 1995"
                " AND (annee_fin IS NULL OR annee_fin >= 1995)"
            )
        )
        started = db.execute("SELECT count(*) FROM projets WHERE pays_code = 'BF' AND annee_lancement <= 1995")
        assert 0 < len(expected) < started.fetchone()[0]  # some of those started by then had ended
    d = browser
    d.get(atlas_server.url + "/atlas?lang=fr&onglet=avancee")
    W.wait_ready(d, searches=1)
    form = d.find_element("id", "recherche-avancee")
    labels = form.text
    assert "Actif entre l'année" in labels and "… et l'année" in labels
    Select(form.find_element("name", "continent")).select_by_value("afrique")
    Select(form.find_element("name", "pays")).select_by_value("BF")
    form.find_element("name", "actif_de").send_keys("1995")
    form.find_element("name", "actif_a").send_keys("1995")
    form.find_element("css selector", "button[type=submit]").click()
    W.wait_ready(d, searches=2)
    assert url_criteria(d) == {"pays": "BF", "actif_de": "1995", "actif_a": "1995"}
    assert int(d.find_element("id", "resultats").get_attribute("data-total")) == len(expected)
    assert sorted(listed_ids(d)) == expected
    # a small result is drawn from its features (GeoJSON), not from filtered tiles
    W.wait_map_idle(d)
    marked, tiled = d.execute_script(
        "const map = window.coopatlas.atlas.map;"
        "return [map.querySourceFeatures('resultat').filter(f => f.properties.collection === 'projets')"
        ".map(f => f.properties.id), Boolean(map.getSource('resultat-projets'))]"
    )
    assert sorted(set(marked)) == expected and not tiled
    # the permalink reopens the same form
    d.get(atlas_server.url + "/atlas?lang=fr&onglet=avancee&pays=BF&actif_de=1995&actif_a=1995")
    W.wait_ready(d, searches=1)
    form = d.find_element("id", "recherche-avancee")
    assert form.find_element("name", "actif_de").get_attribute("value") == "1995"
    assert form.find_element("name", "actif_a").get_attribute("value") == "1995"
    assert int(d.find_element("id", "resultats").get_attribute("data-total")) == len(expected)


def test_a_large_search_is_drawn_from_filtered_tiles(browser, atlas_server):
    """A search of thousands of projects (Afrique) is drawn from the collections' vector tiles filtered by
    the search's CQL2 text (/criteres), and the page downloads no page of features beyond the list's."""
    d = browser
    search = atlas_server.get("/criteres", continent="afrique").json()["collections"]
    total = atlas_server.get("/collections/projets/items", f="json", limit=1, **search["projets"]).json()
    assert total["numberMatched"] > 2000
    d.get(atlas_server.url + "/atlas?lang=fr&onglet=monde")
    W.wait_ready(d, searches=1)
    d.execute_script("performance.setResourceTimingBufferSize(100000); performance.clearResourceTimings()")
    Select(d.find_element("css selector", "#recherche-monde [name=continent]")).select_by_value("afrique")
    d.find_element("css selector", "#recherche-monde button[type=submit]").click()
    W.wait_ready(d, searches=2)
    W.wait_map_idle(d)
    assert int(d.find_element("id", "resultats").get_attribute("data-total")) == total["numberMatched"]
    tiles = d.execute_script(
        "const sources = window.coopatlas.atlas.map.getStyle().sources;"
        "return Object.fromEntries(['projets', 'demandes'].map(c => [c, (sources['resultat-' + c] || {}).tiles]))"
    )
    for collection in ("projets", "demandes"):
        assert tiles[collection], f"no filtered tiles of {collection}"
        query = urllib.parse.parse_qs(urllib.parse.urlparse(tiles[collection][0]).query)
        assert query["filter"] == [search[collection]["filter"]] and query["filter-lang"] == ["cql2-text"]
        assert f"/collections/{collection}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}" in tiles[collection][0]
    drawn = d.execute_script(
        "return window.coopatlas.atlas.map.querySourceFeatures('resultat-projets', {sourceLayer: 'projets'})"
        ".map(f => f.properties.nombre || 1)"
    )
    assert drawn and sum(drawn) >= 100  # the filtered tiles hold the result's symbols (aggregated per place)
    pages = d.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".filter(n => /\\/collections\\/(projets|demandes)\\/items/.test(n))"
    )
    assert pages, "the list's page was not downloaded"
    limits = [int(urllib.parse.parse_qs(urllib.parse.urlparse(u).query)["limit"][0]) for u in pages]
    assert max(limits) <= 20, pages
    assert not W.console_errors(d)
    W.shot(d, "atlas-grande-recherche-tuiles-filtrees")
    # a small search next: its features again, the filtered tiles gone
    Select(d.find_element("css selector", "#recherche-monde [name=pays]")).select_by_value("BF")
    d.find_element("css selector", "#recherche-monde button[type=submit]").click()
    W.wait_ready(d, searches=3)
    left = d.execute_script(
        "const map = window.coopatlas.atlas.map;"
        "return ['projets', 'demandes'].filter(c => map.getSource('resultat-' + c) || map.getLayer('resultat-' + c))"
    )
    assert left == []
