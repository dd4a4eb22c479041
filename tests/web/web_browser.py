"""Helpers of the web atlas tests: Debian's Chromium driven by selenium (headless, WebGL by SwiftShader for
MapLibre), waiting for the page, screenshots, axe-core and the console. Screenshots go to
``$COOPATLAS_SCREENSHOTS`` (``docs/img`` to refresh the README's pictures) or ``test-artefacts/web/``."""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
AXE = ROOT / "coopatlas" / "server" / "static" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("COOPATLAS_SCREENSHOTS") or ROOT / "test-artefacts" / "web")
#: Seconds a page may take to draw its first complete map and to run a search.
WAIT = 90


def chrome(width: int = 1280, height: int = 860, lang: str = "fr-FR"):
    """Debian's Chromium, headless, as a selenium driver (the caller quits it)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.fail("Debian's chromium and chromium-driver are needed (make system-deps)")
    opts = webdriver.ChromeOptions()
    opts.binary_location = str(CHROMIUM)
    for arg in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        f"--lang={lang}",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        "--use-angle=swiftshader",
        "--enable-unsafe-swiftshader",
    ):  # WebGL without a GPU
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=opts)
    driver.set_page_load_timeout(WAIT)
    driver.set_script_timeout(WAIT)
    return driver


def wait_ready(driver, searches: int | None = None) -> None:
    """Wait until the page has drawn its first complete map (and run ``searches`` searches)."""
    from selenium.webdriver.support.ui import WebDriverWait

    def done(d):
        state = d.execute_script("return [document.body.dataset.ready, document.body.dataset.searches]")
        if state[0] == "error":
            raise AssertionError("the page failed: " + d.find_element("id", "description").text)
        return state[0] == "true" and (searches is None or int(state[1] or 0) >= searches)

    WebDriverWait(driver, WAIT).until(done)


def wait_map_idle(driver) -> None:
    """Wait until MapLibre has drawn every tile and source it asked for."""
    driver.execute_async_script(
        "const done = arguments[arguments.length - 1]; window.coopatlas.atlas.idle().then(() => done(true));"
    )


def shot(driver, name: str) -> Path:
    """A screenshot of the window into the screenshots folder."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    data = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    path = SHOTS / f"{name}.png"
    path.write_bytes(base64.b64decode(data["data"]))
    return path


def axe_violations(driver, impacts=("serious", "critical")) -> list[dict]:
    """axe-core (npm, vendored by ``make vendor``) run in the page: its violations of the given impacts."""
    if not AXE.is_file():
        pytest.fail(f"no axe-core at {AXE}: run 'make vendor'")
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done(String(e)));"
    )
    assert isinstance(result, list), result
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result
        if v["impact"] in impacts
    ]


def console_errors(driver) -> list[str]:
    """The page's console errors since the last call (the missing favicon aside)."""
    return [
        e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE" and "favicon.ico" not in e["message"]
    ]
