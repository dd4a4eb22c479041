"""The MapLibre styles the server sends carry its own public URL, and their tile URLs give tiles.

A server on a port other than 5000, then the same server announced under another address with
``--url`` (what ``COOPATLAS_URL`` sets behind a proxy; here ``localhost`` instead of ``127.0.0.1``, so
that the URLs of the style can be fetched): every source of every style points at that address, and
the tiles behind them decode as Mapbox Vector Tiles with the layer the style draws.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import mapbox_vector_tile
import pytest
import requests

from coopatlas.styles import STYLES

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(tmp_path: Path, gpkg: Path, port: int, url: str | None) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if k not in ("COOPATLAS_URL", "COOPATLAS_DATABASE_URL")}
    env["COOPATLAS_ATLAS_READONLY"] = "1"
    if url:
        env["COOPATLAS_URL"] = url
    var = tmp_path / f"var-{port}"
    var.mkdir()
    cmd = [
        sys.executable,
        "-m",
        "coopatlas",
        "serve",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        "1",
        "--var",
        str(var),
        "--gpkg",
        str(gpkg),
    ]
    proc = subprocess.Popen(
        cmd,
        cwd=ROOT,
        env=env,
        stdout=open(var / "server.log", "wb"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert proc.poll() is None, (var / "server.log").read_text(errors="replace")[-3000:]
        try:
            if requests.get(f"http://127.0.0.1:{port}/conformance?f=json", timeout=5).status_code == 200:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    raise AssertionError("the server did not start")


@pytest.fixture(scope="module", params=["port", "COOPATLAS_URL"])
def served(request, tmp_path_factory, atlas_gpkg_path):
    """(address the server listens on, public URL it announces), serving the atlas of the tests."""
    port = free_port()
    public = f"http://localhost:{port}" if request.param == "COOPATLAS_URL" else f"http://127.0.0.1:{port}"
    proc = _serve(
        tmp_path_factory.mktemp("served"), atlas_gpkg_path, port, public if request.param == "COOPATLAS_URL" else None
    )
    yield f"http://127.0.0.1:{port}", public
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)


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
