"""HTML pages work with no internet: every asset is served by the server, maps use the offline basemap."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser
from urllib.parse import urljoin, urlparse

import pytest
from PIL import Image

from coopatlas import schema as sch


class Assets(HTMLParser):
    """URLs a browser loads by itself: scripts, stylesheets, icons, images, frames."""

    def __init__(self):
        super().__init__()
        self.urls: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "img", "iframe", "embed", "source", "audio", "video") and a.get("src"):
            self.urls.append(a["src"])
        if (
            tag == "link"
            and a.get("href")
            and (a.get("rel") or "") in ("stylesheet", "icon", "shortcut icon", "preload", "modulepreload")
        ):
            self.urls.append(a["href"])
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts.append(data)


def pages(server) -> list[str]:
    one = server.get("/collections/projets/items", f="json", limit=1).json()["features"][0]["id"]
    urls = [
        "/?f=html",
        "/?f=html&lang=en",
        "/collections?f=html",
        "/conformance?f=html",
        "/openapi?f=html",
        "/openapi?f=html&ui=redoc",
        "/licences?f=html",
        "/processes?f=html",
        "/jobs?f=html",
        f"/collections/projets/items/{one}?f=html",
    ]
    for cid in sch.COLLECTIONS:
        urls += [
            f"/collections/{cid}?f=html",
            f"/collections/{cid}/items?f=html",
            f"/collections/{cid}/queryables?f=html",
        ]
    return urls


def test_pages_load_nothing_from_another_host(atlas_server):
    host = urlparse(atlas_server.url).netloc
    checked_assets = set()
    for path in pages(atlas_server):
        r = atlas_server.session.get(atlas_server.url + path, timeout=60)
        assert r.status_code == 200, path
        parser = Assets()
        parser.feed(r.text)
        assert parser.urls, f"{path}: no asset at all?"
        for url in parser.urls:
            absolute = urljoin(atlas_server.url + path, url)
            assert urlparse(absolute).netloc == host, f"{path} loads {url}"
            checked_assets.add(absolute)
        for script in parser.scripts:
            for url in re.findall(r"https?://[^\s'\"<>]+", script):
                assert urlparse(url).netloc == host, f"{path}: script refers to {url}"
        assert not re.search(r"unpkg\.com|jsdelivr|cdnjs|googleapis|openstreetmap", r.text), path
    for url in sorted(checked_assets):
        r = atlas_server.session.get(url, timeout=60)
        assert r.status_code == 200 and r.content, url


def test_vendored_assets_and_their_licences(atlas_server):
    for path in (
        "/vendor/leaflet/leaflet.js",
        "/vendor/leaflet/leaflet.css",
        "/vendor/leaflet/LICENSE",
        "/vendor/bootstrap/css/bootstrap.min.css",
        "/vendor/bootstrap/LICENSE",
        "/vendor/swagger-ui/swagger-ui-bundle.js",
        "/vendor/swagger-ui/LICENSE",
        "/assets/js/coopatlas-map.js",
        "/assets/css/coopatlas.css",
        "/assets/img/coopatlas.svg",
    ):
        r = atlas_server.get(path)
        assert r.status_code == 200 and len(r.content) > 100, path
    for path in (
        "/vendor/nope/x.js",
        "/vendor/leaflet/../../package.json",
        "/assets/node_modules/leaflet/package.json",
        "/assets/package.json",
    ):
        assert atlas_server.get(path).status_code == 404, path


def test_basemap_tiles(atlas_server):
    r = atlas_server.get("/basemap/0/0/0.png")
    assert r.status_code == 200 and r.headers["Content-Type"] == "image/png"
    img = Image.open(io.BytesIO(r.content)).convert("RGB")
    assert img.size == (256, 256)
    colours = {c for _, c in img.getcolors(256 * 256)}
    assert (0xDC, 0xEB, 0xF5) in colours  # the sea of the palette
    for bad, said in (
        ("/basemap/13/0/0.png", "zoom 13"),
        ("/basemap/2/4/0.png", "tile 4/0"),
        ("/basemap/2/0/9.png", "tile 0/9"),
    ):
        r = atlas_server.get(bad)
        assert r.status_code == 400 and r.json()["code"] == "InvalidParameterValue", (bad, r.status_code)
        assert said in r.json()["description"], (bad, r.text)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def screenshot(server, path, out, tmp_path) -> Image.Image:
    """A headless Chromium screenshot of a page, every host but 127.0.0.1 unreachable."""
    cmd = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--window-size=1280,900",
        "--virtual-time-budget=15000",
        f"--screenshot={out}",
        server.url + path,
    ]
    subprocess.run(cmd, check=True, capture_output=True, timeout=120)
    return Image.open(out).convert("RGB")


def count_near(img, rgb, tol=40) -> int:
    import numpy as np

    a = np.asarray(img).astype(int)
    return int((np.abs(a - np.array(rgb)).sum(axis=2) <= tol).sum())


@pytest.mark.slow
def test_items_map_draws_features_in_their_cooperation_colours(atlas_server, tmp_path):
    """The page's map really renders offline: Leaflet from the server, projects in blue and yellow."""
    assert CHROMIUM is not None, "Debian's Chromium is needed to render the page (make system-deps)"
    img = screenshot(atlas_server, "/collections/projets/items?f=html&limit=500", tmp_path / "items.png", tmp_path)
    blue, yellow = count_near(img, (0x1F, 0x5F, 0xBF)), count_near(img, (0xF2, 0xC5, 0x00))
    sea = count_near(img, (0xDC, 0xEB, 0xF5), tol=12)
    assert sea > 5000, "no basemap drawn"
    assert blue > 200 and yellow > 200, (blue, yellow)
    img = screenshot(atlas_server, "/collections/demandes/items?f=html&limit=500", tmp_path / "d.png", tmp_path)
    assert count_near(img, (0xD6, 0x27, 0x28)) > 100, "requests are not red"
