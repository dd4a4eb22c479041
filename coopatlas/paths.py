"""Where the project's own files are: the repository root, and the atlas that ``make data`` builds there; and
how a generated file or folder takes the place of the previous one."""

from __future__ import annotations

import os
import shutil
import sys
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


def write_or_check(out: str | Path, text: str, *, check: bool, remake: str, wrote: str = "") -> int:
    """Write ``text``, a generated file, to ``out``; with ``check``, write nothing and tell whether ``out`` is up
    to date (else name ``remake``, the command that rewrites it). The exit status of the command: 0, or 1 when
    the checked file is missing or out of date. ``wrote`` follows the file's name in the message."""
    out = Path(out)
    if check:
        if not out.exists() or out.read_text(encoding="utf-8") != text:
            print(f"{out} is out of date: run {remake}", file=sys.stderr)
            return 1
        print(f"{out} is up to date")
        return 0
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}{wrote}")
    return 0
