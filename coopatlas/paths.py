"""Where the project's own files are: the repository root, and the atlas that ``make data`` builds there."""
from __future__ import annotations

from pathlib import Path

#: The root of the repository (the folder of ``pyproject.toml``, ``datasets/``, ``build/``, ``var/``).
ROOT = Path(__file__).resolve().parents[1]
#: The atlas GeoPackage ``make data`` builds (the default when ``COOPATLAS_GPKG`` is not set).
DEFAULT_GPKG = ROOT / "build" / "atlas.gpkg"
