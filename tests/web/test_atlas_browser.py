"""The web atlas driven as a person would, in Debian's Chromium against the real server: open the atlas,
run Accès Monde for Burkina Faso and read the État panel (the figures of the ``statistiques`` process),
click a symbol and read its sheet (``fiche-projet``), reload the permalink and get the same view, export
the PDF report as a job and get a PDF; keyboard use, English, and no serious or critical axe-core
violation. Screenshots of each step (``web_browser.SHOTS``)."""

from __future__ import annotations

import urllib.parse

import pytest
import requests
import web_browser as W

pytestmark = pytest.mark.slow

FIGURES = (
    "collectivites_francaises_engagees",
    "collectivites_partenaires",
    "collectivites_en_recherche",
    "projets_cooperation_decentralisee",
    "projets_actions_exterieures",
    "demandes_cooperation",
    "pays",
)


def browser_cookies(driver) -> dict:
    """The browser's cookies, for a download made outside it (a job is seen only by the client that started it)."""
    return {c["name"]: c["value"] for c in driver.get_cookies()}


def execute(server, process: str, inputs: dict):
    r = requests.post(f"{server.url}/processes/{process}/execution", json={"inputs": inputs}, timeout=120)
    assert r.status_code == 200, r.text
    return r


def panel_figures(driver) -> dict:
    return driver.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('#etat dd[data-figure]')]"
        ".map(dd => [dd.dataset.figure, Number(dd.dataset.value)]))"
    )


def sheet_title(driver) -> str:
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, W.WAIT).until(
        lambda d: d.execute_script(
            "const s = document.querySelector('#fiche'); const h = s.querySelector('.sheet-title');"
            "return !s.hidden && h ? h.textContent : null;"
        )
    )


def no_serious_violation(driver, where: str):
    found = W.axe_violations(driver)
    assert not found, f"{where}: {found}"


@pytest.fixture(scope="module")
def burkina(atlas_server):
    """What the server says of Burkina Faso: its place in the lists and its statistics."""
    country = atlas_server.get("/collections/pays/items/BF", f="json").json()["properties"]
    stats = execute(atlas_server, "statistiques", {"pays": ["BF"], "format": "json"}).json()
    scope = execute(atlas_server, "statistiques", {"portee": {"type": "pays", "code": "BF"}, "format": "json"}).json()
    return country, stats, scope


def test_open_the_atlas(browser, atlas_server):
    d = browser
    d.get(atlas_server.url + "/atlas?lang=fr")
    W.wait_ready(d, searches=1)
    assert d.find_element("tag name", "h1").text == "Atlas de la coopération décentralisée"
    world = execute(atlas_server, "statistiques", {"format": "json"}).json()
    assert panel_figures(d) == {k: world[k] for k in FIGURES}
    notice = d.find_element("id", "avertissement")
    assert notice.is_displayed() and "SYNTHÉTIQUES" in notice.text  # demo data served: the notice shows
    legend = d.find_element("id", "legende").text
    for label in ("Coopération décentralisée", "Autre action extérieure", "Demande de coopération"):
        assert label in legend
    W.wait_map_idle(d)
    # the collections are drawn from their OGC API Tiles; GeoJSON only for the result and the selection
    sources = d.execute_script(
        "return Object.entries(window.coopatlas.atlas.map.getStyle().sources)"
        ".map(([id, s]) => [id, s.type, (s.tiles || [])[0] || null])"
    )
    tiled = {sid: tiles for sid, kind, tiles in sources if kind == "vector"}
    for collection in ("pays", "liens", "collectivites", "partenaires", "projets", "demandes"):
        assert f"/collections/{collection}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt" in tiled[collection]
    assert sorted(sid for sid, kind, _ in sources if kind == "geojson") == ["resultat", "selection"]
    drawn = d.execute_script(
        "const a = window.coopatlas.atlas;"
        "return a.map.queryRenderedFeatures({layers: a.layersOf('projets')})"
        ".map(f => f.properties.nombre)"
    )
    assert drawn and all(n >= 1 for n in drawn)  # low zoom: one symbol per place, with its count
    assert not W.console_errors(d)
    W.shot(d, "atlas-accueil")
    no_serious_violation(d, "home")


def test_acces_monde_burkina_faso(browser, atlas_server, burkina):
    from selenium.webdriver.support.ui import Select

    country, stats, scope = burkina
    d = browser
    form = d.find_element("id", "recherche-monde")
    Select(form.find_element("name", "continent")).select_by_value(country["continent"])
    Select(form.find_element("name", "sous_continent")).select_by_value(country["sous_continent"])
    Select(form.find_element("name", "pays")).select_by_visible_text(country["nom"])
    form.find_element("css selector", "button[type=submit]").click()
    W.wait_ready(d, searches=2)
    figures = panel_figures(d)
    assert figures == {k: stats[k] for k in FIGURES}
    assert figures == {k: scope[k] for k in FIGURES}  # the Atlas's "pays" level: the same figures
    assert figures["projets_cooperation_decentralisee"] > 0
    bars = d.execute_script(
        "return [...document.querySelectorAll('.apd-chart rect')]"
        ".map(r => [Number(r.dataset.annee), Number(r.dataset.montant)])"
    )
    assert bars == sorted([r["annee"], r["montant"]] for r in stats["apd_par_annee"] if r["montant"] is not None)
    assert "Burkina Faso" in d.find_element("id", "description").text
    total = atlas_server.get(
        "/collections/projets/items", f="json", limit=1, filter="pays_code IN ('BF')", **{"filter-lang": "cql2-text"}
    ).json()["numberMatched"]
    assert d.find_element("id", "resultats").get_attribute("data-total") == str(total)
    assert len(d.find_elements("css selector", "#resultats .list li")) == min(20, total)
    query = urllib.parse.parse_qs(urllib.parse.urlparse(d.current_url).query)
    assert query["pays"] == ["BF"] and query["onglet"] == ["monde"]
    W.wait_map_idle(d)
    W.shot(d, "atlas-acces-monde-BF")


def test_click_a_symbol_reads_its_sheet(browser, atlas_server):
    from selenium.webdriver.common.actions.action_builder import ActionBuilder

    d = browser
    W.wait_map_idle(d)
    target = d.execute_script("""
        const atlas = window.coopatlas.atlas, map = atlas.map;
        for (const f of map.queryRenderedFeatures({layers: ['resultat']})) {
          const p = map.project(f.geometry.coordinates);
          const top = atlas.pickable(p)[0];
          if (f.properties.collection === 'projets' && top && top.layer.id === 'resultat'
              && top.properties.id === f.properties.id)
            return {id: f.properties.id, x: p.x, y: p.y, left: map.getCanvas().getBoundingClientRect().left,
                    top: map.getCanvas().getBoundingClientRect().top};
        }
        return null;""")
    assert target, "no symbol of the result on the map"
    actions = ActionBuilder(d)  # a real click of the mouse at the symbol's place in the window
    actions.pointer_action.move_to_location(int(target["left"] + target["x"]), int(target["top"] + target["y"]))
    actions.pointer_action.click()
    actions.perform()
    sheet = execute(atlas_server, "fiche-projet", {"id": target["id"], "format": "json"}).json()
    assert sheet_title(d) == sheet["titre"]
    text = d.find_element("id", "fiche").text
    for field in sheet["sections"][0]["champs"][:3]:
        if field["valeur"]:
            assert str(field["valeur"]) in text
    assert d.switch_to.active_element.get_attribute("id") == "fiche"  # focus follows the sheet
    assert f"fiche={target['id']}" in d.current_url
    W.shot(d, "atlas-fiche")
    no_serious_violation(d, "sheet open")
    test_click_a_symbol_reads_its_sheet.sheet = (target["id"], sheet["titre"])


def test_permalink_reopens_the_same_view(browser, atlas_server, burkina):
    d = browser
    link = d.current_url
    before = d.execute_script(
        "const m = window.coopatlas.atlas.map, c = m.getCenter();return [c.lng, c.lat, m.getZoom()]"
    )
    figures = panel_figures(d)
    listed = d.execute_script("return [...document.querySelectorAll('#resultats .result')].map(b => b.dataset.id)")
    d.get("about:blank")
    d.get(link)
    W.wait_ready(d, searches=1)
    after = d.execute_script(
        "const m = window.coopatlas.atlas.map, c = m.getCenter();return [c.lng, c.lat, m.getZoom()]"
    )
    view = [float(v) for v in urllib.parse.parse_qs(urllib.parse.urlparse(link).query)["vue"][0].split(",")]
    assert after == pytest.approx(view, abs=1e-4)  # the view the link holds
    assert after == pytest.approx(before, abs=5e-3)  # which is the one that was shown
    assert panel_figures(d) == figures
    assert (
        d.execute_script("return [...document.querySelectorAll('#resultats .result')].map(b => b.dataset.id)") == listed
    )
    assert d.execute_script("return document.querySelector('#recherche-monde [name=pays]').value") == "BF"
    opened = getattr(test_click_a_symbol_reads_its_sheet, "sheet", None)
    if opened:
        assert sheet_title(d) == opened[1]
    W.wait_map_idle(d)
    W.shot(d, "atlas-permalien")


def test_pdf_report_of_the_search_as_a_job(browser, atlas_server):
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser
    d.find_element("id", "export-rapport").click()
    line = WebDriverWait(d, 10).until(lambda drv: drv.find_element("css selector", "#jobs .job[data-process=rapport]"))
    state = WebDriverWait(d, W.WAIT).until(lambda drv: line.get_attribute("data-state"))
    assert state == "successful", line.text
    assert "/jobs/" in line.get_attribute("data-job")  # run asynchronously, its status polled
    href = line.find_element("css selector", "a").get_attribute("href")
    r = requests.get(href, cookies=browser_cookies(d), timeout=60)  # the job is the browser's
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    assert r.headers["Content-Type"].startswith("application/pdf")
    W.shot(d, "atlas-export-pdf")


def test_iati_file_of_the_search_as_a_job(browser, atlas_server):
    """The IATI export of the search shown: one iati-activity per project of the results."""
    from lxml import etree
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser
    d.find_element("id", "export-iati").click()
    line = WebDriverWait(d, 10).until(
        lambda drv: drv.find_element("css selector", "#jobs .job[data-process=export-iati]")
    )
    assert WebDriverWait(d, W.WAIT).until(lambda drv: line.get_attribute("data-state")) == "successful", line.text
    r = requests.get(
        line.find_element("css selector", "a").get_attribute("href"), cookies=browser_cookies(d), timeout=60
    )
    assert r.status_code == 200, r.text[:300]
    activities = etree.fromstring(r.content).findall("iati-activity")
    assert len(activities) == int(d.find_element("id", "resultats").get_attribute("data-total"))
    assert {a.find("recipient-country").get("code") for a in activities} == {"BF"}


def test_country_map_and_csv_of_the_search(browser, atlas_server):
    import csv
    import io

    from selenium.webdriver.support.ui import WebDriverWait

    d = browser
    d.find_element("id", "export-carte").click()
    line = WebDriverWait(d, 10).until(
        lambda drv: drv.find_element("css selector", "#jobs .job[data-process=carte-pays]")
    )
    assert WebDriverWait(d, W.WAIT).until(lambda drv: line.get_attribute("data-state")) == "successful", line.text
    r = requests.get(
        line.find_element("css selector", "a").get_attribute("href"), cookies=browser_cookies(d), timeout=60
    )
    assert r.status_code == 200 and r.content[:5] == b"%PDF-"
    href = d.find_element("id", "export-csv").get_attribute("href")
    r = requests.get(href, timeout=60)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == int(d.find_element("id", "resultats").get_attribute("data-total"))
    assert {row["pays_code"] for row in rows} == {"BF"}


def test_flows_on_demand(browser, atlas_server):
    d = browser
    liens = "const a = window.coopatlas.atlas; const ids = a.layersOf('liens');"
    assert d.execute_script(liens + "return ids.map(id => a.map.getLayoutProperty(id, 'visibility'))") == [
        "none"
    ] * len(d.execute_script(liens + "return ids"))
    d.find_element("css selector", "#couches input[value=liens]").click()
    W.wait_map_idle(d)
    assert d.execute_script(liens + "return ids.every(id => a.map.getLayoutProperty(id, 'visibility') === 'visible')")
    assert d.execute_script(liens + "return a.map.queryRenderedFeatures({layers: ids}).length") > 0
    assert "liens" in urllib.parse.parse_qs(urllib.parse.urlparse(d.current_url).query)["couches"][0]
    W.shot(d, "atlas-flux")


def test_keyboard_moves_between_the_searches(browser, atlas_server):
    from selenium.webdriver.common.keys import Keys

    d = browser
    d.find_element("id", "onglet-monde").click()
    d.find_element("id", "onglet-monde").send_keys(Keys.ARROW_RIGHT)
    assert d.switch_to.active_element.get_attribute("id") == "onglet-france"
    assert d.find_element("id", "recherche-france").is_displayed()
    assert not d.find_element("id", "recherche-monde").is_displayed()
    d.switch_to.active_element.send_keys(Keys.END)
    assert d.switch_to.active_element.get_attribute("id") == "onglet-bourse"
    # every control of every search has a label
    unlabelled = d.execute_script(
        "return [...document.querySelectorAll('form select, form input')].filter(c => !c.labels || !c.labels.length)"
        ".filter(c => c.type !== 'checkbox' || !c.closest('label')).map(c => c.name)"
    )
    assert unlabelled == []


def test_bourse_search_lists_public_requests(browser, atlas_server):
    from selenium.webdriver.support.ui import Select

    d = browser
    d.get(atlas_server.url + "/atlas?lang=fr&onglet=bourse")
    W.wait_ready(d, searches=1)
    form = d.find_element("id", "recherche-bourse")
    Select(form.find_element("name", "pays")).select_by_value("BF")
    form.find_element("css selector", "button[type=submit]").click()
    W.wait_ready(d, searches=2)
    expected = atlas_server.get(
        "/collections/demandes/items", f="json", limit=1, filter="pays_code IN ('BF')", **{"filter-lang": "cql2-text"}
    ).json()["numberMatched"]
    assert d.find_element("id", "resultats").get_attribute("data-total") == str(expected)
    assert panel_figures(d)["demandes_cooperation"] == expected
    W.shot(d, "atlas-bourse")


def test_english_page(browser, atlas_server):
    d = browser
    d.get(atlas_server.url + "/atlas?lang=en")
    W.wait_ready(d, searches=1)
    assert d.find_element("tag name", "h1").text == "Atlas of decentralised cooperation"
    assert d.find_element("id", "onglet-monde").text == "World access"
    assert "Decentralised cooperation" in d.find_element("id", "legende").text
    assert not W.console_errors(d)
    no_serious_violation(d, "English page")
