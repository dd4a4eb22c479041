"""The web pages driven in headless Chromium (Debian's chromium + chromedriver, selenium): the request form
in French and English with its errors and the place type-ahead, the confirmation, the embassy's pages,
the collectivity's page and the personal space. Screenshots go to test-artefacts/bourse/ for a person to
look at."""

from __future__ import annotations

from pathlib import Path

import bourse_helpers as H
import pytest

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Debian's chromium and chromium-driver are needed (make system-deps)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        "--lang=fr-FR",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
    ):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def shot(driver, name: str) -> Path:
    """A full-page screenshot into test-artefacts/bourse/<name>.png (Chromium's DevTools protocol)."""
    import base64

    from selenium.webdriver.support.ui import WebDriverWait

    H.ARTEFACTS.mkdir(parents=True, exist_ok=True)
    WebDriverWait(driver, 20).until(lambda d: d.execute_script("return document.readyState") == "complete")
    width, height = driver.execute_script(
        "return [document.documentElement.clientWidth, Math.max(document.body.scrollHeight, "
        "document.documentElement.scrollHeight)]"
    )
    data = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": min(height, 4000), "scale": 1},
        },
    )
    path = H.ARTEFACTS / f"{name}.png"
    path.write_bytes(base64.b64decode(data["data"]))
    return path


def click_and_wait(driver, element):
    """Click a submit button and wait for the next page to be loaded."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(driver, 30).until(EC.staleness_of(old))
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def _fill(driver, values: dict):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    for name, value in values.items():
        el = driver.find_element(By.NAME, name)
        if el.tag_name == "select":
            Select(el).select_by_value(value)
        else:
            el.clear()
            el.send_keys(value)


def _login(driver, server, email):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.delete_all_cookies()
    driver.get(server.url + "/compte/connexion?lang=fr")
    _fill(driver, {"email": email, "password": H.PASSWORD})
    click_and_wait(driver, driver.find_element(By.CSS_SELECTOR, "main form button[type=submit]"))
    WebDriverWait(driver, 20).until(lambda d: d.find_element(By.TAG_NAME, "h1").text == "Mon compte")


def test_request_form_in_the_browser(browser, server, smtp, people):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC
    from selenium.webdriver.support.ui import WebDriverWait

    d = browser
    d.get(server.url + "/bourse?lang=fr")
    shot(d, "bourse-accueil")
    d.get(server.url + "/bourse/deposer?lang=fr")
    assert d.find_element(By.TAG_NAME, "h1").text == "Déposer une demande de coopération"
    shot(d, "bourse-formulaire")
    # the place type-ahead fills the list from the GeoNames places of the chosen country
    _fill(d, {"pays_code": "BF", "lieu": "Zini"})
    WebDriverWait(d, 10).until(
        lambda drv: drv.execute_script("return document.querySelectorAll('#lieux-liste option').length") > 0
    )
    options = d.execute_script("return Array.from(document.querySelectorAll('#lieux-liste option')).map(o => o.value)")
    assert "Ziniaré (Plateau-Central)" in options
    # errors are shown next to their fields, what was typed is kept
    _fill(
        d,
        {
            "demandeur_nom": "Commune de Ziniaré (navigateur)",
            "demandeur_type": "localite",
            "lieu": "Ziniaré (Plateau-Central)",
            "contact_nom": "Awa Ouédraogo",
            "contact_email": "awa-pas-valide",
            "titre": "Eau",
            "description": "Trop court",
        },
    )
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "form.demande button[type=submit]"))
    WebDriverWait(d, 10).until(EC.presence_of_element_located((By.CSS_SELECTOR, ".alert")))
    for field in ("contact_email", "titre", "description", "sous_sous_thematique", "langues"):
        block = d.find_element(By.ID, f"champ-{field}")
        assert "invalid" in block.get_attribute("class"), field
        assert block.find_element(By.CSS_SELECTOR, ".error").is_displayed(), field
    assert d.find_element(By.NAME, "demandeur_nom").get_attribute("value") == "Commune de Ziniaré (navigateur)"
    shot(d, "bourse-erreurs")
    # corrected: sent, the reference is shown
    _fill(
        d,
        {
            "contact_email": "navigateur@commune.example",
            "titre": "Accès à l'eau potable à Ziniaré",
            "description": "Forages, bornes-fontaines et formation d'un service municipal de l'eau pour "
            "12 000 habitants.",
            "sous_sous_thematique": "acces_eau_potable",
            "profil_partenaire": "Commune de taille comparable",
        },
    )
    for code in ("fr", "en"):
        box = d.find_element(By.CSS_SELECTOR, f"input[name=langues][value={code}]")
        if not box.is_selected():
            box.click()
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "form.demande button[type=submit]"))
    ref_el = WebDriverWait(d, 20).until(EC.presence_of_element_located((By.ID, "reference")))
    ref = ref_el.text
    assert H.REF.match(ref)
    shot(d, "bourse-confirmation")
    assert smtp.wait_for(to="navigateur@commune.example", contains=ref)
    d.get(server.url + "/bourse/deposer?lang=en")
    assert d.find_element(By.TAG_NAME, "h1").text == "Submit a cooperation request"
    shot(d, "bourse-formulaire-en")
    test_request_form_in_the_browser.ref = ref


def test_embassy_pages_in_the_browser(browser, server, people):
    from selenium.webdriver.common.by import By

    d = browser
    ref = getattr(test_request_form_in_the_browser, "ref", None)
    if ref is None:
        ref = H.submit(server, H.request_inputs(), H.new_ip()).json()["reference"]
    d.delete_all_cookies()
    d.get(server.url + "/compte/connexion?lang=fr")
    shot(d, "bourse-connexion")
    _login(d, server, "amb.bf@ambafrance.example")
    assert "Mon compte" in d.find_element(By.TAG_NAME, "h1").text
    d.get(server.url + "/bourse/ambassade?statut=soumise&lang=fr")
    assert ref in d.page_source
    shot(d, "bourse-ambassade-liste")
    click_and_wait(d, d.find_element(By.LINK_TEXT, ref))
    d.find_element(By.NAME, "commentaire").send_keys("Projet cohérent avec le plan communal de développement.")
    click_and_wait(d, d.find_element(By.CSS_SELECTOR, "button[value=validee]"))
    assert "Enregistré" in d.find_element(By.CSS_SELECTOR, ".success").text
    assert "Validée" in d.find_element(By.CSS_SELECTOR, ".status").text
    shot(d, "bourse-ambassade-demande")
    # published: on the public page of the collection
    d.get(server.url + f"/collections/demandes/items/{ref}?f=html&lang=fr")
    assert "Accès à l" in d.page_source or ref in d.page_source


def test_collectivity_and_space_pages_in_the_browser(browser, server, people):
    from selenium.webdriver.common.by import By

    d = browser
    _login(d, server, "col.a@collectivite.example")
    d.get(server.url + "/compte/collectivite?lang=fr")
    assert people["projet_a"] in d.page_source
    shot(d, "bourse-collectivite")
    d.get(server.url + f"/compte/projets/{people['projet_a']}?lang=fr")
    shot(d, "bourse-projet")
    # the personal space: save a search and a map, see them listed
    d.get(server.url + "/compte/espace?lang=fr")
    forms = d.find_elements(By.CSS_SELECTOR, "form.card")
    forms[0].find_element(By.NAME, "nom").send_keys("Eau au Burkina Faso")
    forms[0].find_element(By.NAME, "criteres").send_keys("pays=BF&thematique=eau_assainissement")
    click_and_wait(d, forms[0].find_element(By.CSS_SELECTOR, "button"))
    forms = d.find_elements(By.CSS_SELECTOR, "form.card")
    forms[1].find_element(By.NAME, "nom").send_keys("Carte du Burkina Faso")
    forms[1].find_element(By.NAME, "source").send_keys("/collections/projets/map?bbox=-6,9,3,16&width=500&height=350")
    click_and_wait(d, forms[1].find_element(By.CSS_SELECTOR, "button"))
    rows = d.find_elements(By.CSS_SELECTOR, "table.list tbody tr")
    names = [r.text for r in rows]
    assert any("Eau au Burkina Faso" in n for n in names) and any("Carte du Burkina Faso" in n for n in names)
    shot(d, "bourse-espace")
