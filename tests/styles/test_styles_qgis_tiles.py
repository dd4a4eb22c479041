"""QGIS 3.22 loads the atlas's vector tiles as vector tile layers (``QgsVectorTileLayer``, ``type=xyz``)
styled with the served MapLibre styles, and draws the three family colours.

Debian's QGIS Python runs ``qgis_vector_tiles.py`` against the real server (tiles over HTTP); the render
of ``projets`` and ``demandes`` over the world must hold blue (decentralised cooperation), yellow (other
external actions) and red (requests), and no feature left in the fallback grey.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

QGIS_PYTHON = "/usr/bin/python3"
SCRIPT = Path(__file__).with_name("qgis_vector_tiles.py")
# The family colours the atlas is known by, written out here on purpose; the fallback grey of the style.
BLUE, YELLOW, RED, GREY = (0x1F, 0x5F, 0xBF), (0xF2, 0xC5, 0x00), (0xD6, 0x27, 0x28), (0xD9, 0xD9, 0xD9)


def _has_qgis() -> bool:
    if not os.path.exists(QGIS_PYTHON):
        return False
    return subprocess.run([QGIS_PYTHON, "-c", "import qgis.core"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _has_qgis(), reason="Debian's QGIS (python3-qgis at /usr/bin/python3) is absent")


def near(img: np.ndarray, rgb, tol: int = 24) -> int:
    return int((np.abs(img[:, :, :3].astype(int) - np.array(rgb)).sum(axis=2) <= tol).sum())


def test_qgis_draws_the_vector_tiles_in_the_family_colours(atlas_server, tmp_path):
    png = tmp_path / "qgis-vector-tiles.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_RUNTIME_DIR": str(tmp_path)}
    proc = subprocess.run(
        [QGIS_PYTHON, str(SCRIPT), atlas_server.url, str(png), "demandes", "projets"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["qgis"].startswith("3."), out["qgis"]
    assert out["errors"] == []
    for cid in ("demandes", "projets"):
        layer = out["layers"][cid]
        assert layer["valid"], f"{cid}: QgsVectorTileLayer not valid"
        assert layer["url"] == f"{atlas_server.url}/collections/{cid}/tiles/WebMercatorQuad/{{z}}/{{y}}/{{x}}?f=mvt"
        assert layer["rules"] >= 1 and layer["warnings"] == [], layer
    img = np.asarray(Image.open(png).convert("RGB"))
    blue, yellow, red = (near(img, c) for c in (BLUE, YELLOW, RED))
    grey = near(img, GREY, tol=0)  # the fill of a feature in the fallback colour (outlines blend to near greys)
    assert blue > 5000, f"blue pixels: {blue} (see {png})"
    assert yellow > 200, f"yellow pixels: {yellow}"
    assert red > 100, f"red pixels: {red}"
    assert grey < 100, f"features drawn in the fallback grey: {grey} pixels"
