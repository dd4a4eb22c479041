"""The web atlas page and its assets over HTTP (no browser): served in French and English, a bad ``lang``
refused naming it, MapLibre GL JS and the page's modules served by the server itself as JavaScript,
nothing loaded from another host."""

from __future__ import annotations

import re

import pytest


@pytest.mark.parametrize(
    "lang, title", [("fr", "Atlas de la coopération décentralisée"), ("en", "Atlas of decentralised cooperation")]
)
def test_page_in_both_languages(atlas_server, lang, title):
    r = atlas_server.get("/atlas", lang=lang)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert f'<html lang="{lang}">' in r.text
    assert f"<h1>{title}</h1>" in r.text
    assert f'href="/bourse/deposer?lang={lang}"' in r.text  # the link to the Bourse form
    assert atlas_server.get("/bourse/deposer", lang=lang).status_code == 200


def test_bad_language_is_refused_naming_it(atlas_server):
    r = atlas_server.get("/atlas", lang="de")
    assert r.status_code == 400
    assert r.json()["description"].startswith("lang:")


def test_everything_comes_from_the_server(atlas_server):
    html = atlas_server.get("/atlas").text
    refs = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert refs and all(ref.startswith("/") or ref.startswith("#") for ref in refs), refs
    for ref in refs:
        if ref.startswith(("/atlas/static/", "/atlas/vendor/")):
            r = atlas_server.get(ref)
            assert r.status_code == 200, ref
    for module in (
        "/atlas/static/js/main.js",
        "/atlas/vendor/maplibre-gl/maplibre-gl.mjs",
        "/atlas/vendor/maplibre-gl/maplibre-gl-worker.mjs",
    ):
        r = atlas_server.get(module)
        assert r.status_code == 200, module
        assert r.headers["Content-Type"].startswith("text/javascript"), module  # module scripts need it
    assert atlas_server.get("/atlas/vendor/maplibre-gl/LICENSE.txt").status_code == 200
    assert atlas_server.get("/atlas/static/js/nothing.js").status_code == 404


def test_modules_import_only_from_the_server(atlas_server):
    from pathlib import Path

    js = Path(__file__).resolve().parents[2] / "coopatlas" / "web" / "static" / "js"
    for path in js.glob("*.js"):
        for target in re.findall(r'^import .* from "([^"]+)";', path.read_text(encoding="utf-8"), re.M):
            assert target.startswith("./") or target.startswith("../../vendor/"), (path.name, target)
