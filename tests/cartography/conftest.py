"""Fixtures of the cartography tests: the atlas of the tests, the reference geography, rendered maps
(cached for the session: each map is rendered once), and a REAL server serving the ``carte-pays`` process
(the ``atlas_server`` of ``tests/conftest.py``, with the committed ``pygeoapi-config.yml``). Rendered
files are kept in ``test-artefacts/cartography/``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

_TESTS = Path(__file__).resolve().parents[1]
if str(_TESTS) not in sys.path:
    sys.path.insert(0, str(_TESTS))

from support.xdist import group_folder  # noqa: E402

ROOT = _TESTS.parent
ARTEFACTS = ROOT / "test-artefacts" / "cartography"


def pytest_collection_modifyitems(config, items):
    group_folder(items, __file__, "cartography-server", fixture="map_server")


@pytest.fixture(scope="session")
def gpkg(atlas_gpkg_path) -> Path:
    """The atlas of the tests (tests/support/atlas.py)."""
    return atlas_gpkg_path


@pytest.fixture(scope="session")
def store(gpkg):
    from coopatlas.store import open_store

    return open_store(gpkg)


@pytest.fixture(scope="session")
def world():
    from coopatlas.cartography.geography import world as load

    return load()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS


class Renders:
    """Maps rendered once per session: ``get(country, format, **inputs)`` → ``(bytes, info, options)``."""

    def __init__(self, store, world, folder: Path):
        self.store, self.world, self.folder = store, world, folder
        self.cache: dict = {}

    def get(self, country: str, fmt: str = "pdf", **inputs):
        from coopatlas.cartography.countrymap import render_country_map
        from coopatlas.cartography.options import EXTENSIONS, parse_options

        if fmt in ("png", "geotiff"):
            inputs.setdefault("dpi", 72)
        key = (country, fmt, tuple(sorted((k, str(v)) for k, v in inputs.items())))
        if key not in self.cache:
            opts = parse_options({"country": country, "format": fmt, **inputs}, self.world)
            data, info = render_country_map(self.store, opts, self.world)
            suffix = "-".join(f"{k}-{v}" for k, v in sorted(inputs.items()) if k != "dpi")
            name = f"carte-{opts.country.code}{'-' + suffix if suffix else ''}.{EXTENSIONS[fmt]}"
            (self.folder / name.replace("/", "_")).write_bytes(data)
            self.cache[key] = (data, info, opts)
        return self.cache[key]


@pytest.fixture(scope="session")
def renders(store, world, artefacts) -> Renders:
    return Renders(store, world, artefacts)


@pytest.fixture(scope="session")
def map_server(atlas_server):
    """A real server with the ``carte-pays`` process (see the module documentation)."""
    return atlas_server
