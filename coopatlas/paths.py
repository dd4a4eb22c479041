"""Where the project's own files are: the repository root, and the atlas that ``make data`` builds there; and
how a folder of generated files takes the place of the previous one."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

#: The root of the repository (the folder of ``pyproject.toml``, ``datasets/``, ``build/``, ``var/``).
ROOT = Path(__file__).resolve().parents[1]
#: The atlas GeoPackage ``make data`` builds (the default when ``COOPATLAS_GPKG`` is not set).
DEFAULT_GPKG = ROOT / "build" / "atlas.gpkg"


def replace_folder(new: Path, folder: str | Path, *, ignore_cleanup_errors: bool = False) -> None:
    """Put the folder ``new`` (written next to it) in the place of ``folder`` by renames, so that a reader sees
    the old folder or the new one, never a half-written one; then remove the old one."""
    folder = Path(folder)
    old = None
    if folder.exists():
        old = folder.with_name(f".{folder.name}.old-{os.getpid()}")
        os.replace(folder, old)
    os.replace(new, folder)
    if old is not None:
        shutil.rmtree(old, ignore_errors=ignore_cleanup_errors)
