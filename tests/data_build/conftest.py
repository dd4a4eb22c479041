import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def atlas_gpkg() -> Path:
    """The demo GeoPackage built by `make data` (COOPATLAS_GPKG or build/atlas.gpkg)."""
    path = Path(os.environ.get("COOPATLAS_GPKG", ROOT / "build" / "atlas.gpkg"))
    if not path.exists():
        pytest.fail(f"{path} is missing: run `make data` first (make test does)")
    return path
