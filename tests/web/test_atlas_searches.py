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
