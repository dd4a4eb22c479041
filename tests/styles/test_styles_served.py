"""The MapLibre styles the server sends carry its own public URL, and their tile URLs give tiles.

A server on a port other than 5000, then the same server announced under another address with
``--url`` (what ``COOPATLAS_URL`` sets behind a proxy; here ``localhost`` instead of ``127.0.0.1``, so
that the URLs of the style can be fetched): every source of every style points at that address, and
the tiles behind them decode as Mapbox Vector Tiles with the layer the style draws.
"""

from __future__ import annotations

import json
from pathlib import Path

import mapbox_vector_tile
import pytest
import requests

from coopatlas.styles import STYLES
from support.servers import AtlasServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module", params=["port", "COOPATLAS_URL"])
def served(request, atlas_gpkg_path):
    """(address the server listens on, public URL it announces), serving the atlas of the tests."""
    public_host = "localhost" if request.param == "COOPATLAS_URL" else None
    server = AtlasServer(gpkg=atlas_gpkg_path, workers=1, public_host=public_host).start()
    yield server.url, server.public_url
    server.stop()


@pytest.mark.parametrize("cid", list(STYLES) + ["fond"])
def test_served_style_points_at_the_server_and_its_tiles_work(served, cid):
    address, public = served
    assert public != "http://127.0.0.1:5000"
    r = requests.get(f"{address}/styles/{cid}.maplibre.json", timeout=30)
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/vnd.mapbox.style+json")
    doc = r.json()
    assert "127.0.0.1:5000" not in r.text
    assert doc["metadata"]["coopatlas:base_url"] == public
    for name, source in doc["sources"].items():
        assert source["type"] == "vector" and "data" not in source
        (template,) = source["tiles"]
        assert template.startswith(f"{public}/collections/")
        drawn = {layer["source-layer"] for layer in doc["layers"] if layer.get("source") == name}
        tile = requests.get(template.format(z=2, x=2, y=1), timeout=60)
        assert tile.status_code == 200, tile.text[:300]
        layers = mapbox_vector_tile.decode(tile.content)
        assert drawn <= set(layers) and all(layers[d]["features"] for d in drawn), (cid, name)


def test_unknown_style_is_404(served):
    address, _ = served
    assert requests.get(f"{address}/styles/nope.maplibre.json", timeout=30).status_code == 404


def test_sld_is_served_as_sld_1_1_0(served):
    address, public = served
    r = requests.get(f"{address}/styles/projets.sld", timeout=30)
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/vnd.ogc.sld+xml;version=1.1.0"
    assert 'version="1.1.0"' in r.text
    links = requests.get(f"{address}/collections/projets", params={"f": "json"}, timeout=30).json()["links"]
    sld = [link for link in links if link["href"] == f"{public}/styles/projets.sld"]
    assert sld and sld[0]["type"] == "application/vnd.ogc.sld+xml;version=1.1.0"
    assert json.dumps(links).count("version=1.0") == 0
