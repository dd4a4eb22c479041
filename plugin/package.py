"""Package the QGIS plugin as an installable zip: ``python3 plugin/package.py [--out dist]``.

The zip holds one folder, ``coopatlas_qgis/`` (what QGIS's "Install from ZIP" and the plugin
repositories expect), with the Python modules, forms, icon, ``metadata.txt``, ``LICENSE`` and the
translations compiled from ``i18n/*.ts`` to ``.qm`` by Qt's ``lrelease`` (Debian package
``qttools5-dev-tools``; set ``LRELEASE`` to use another). Caches and ``.ts`` sources stay out.

A small script rather than qgis-plugin-ci: qgis-plugin-ci packages from a git tag (``git archive``)
and wants a changelog and network access to the plugin repository, none of which a working copy with
uncommitted changes, built offline, has.
"""

from __future__ import annotations

import argparse
import configparser
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "coopatlas_qgis"
NAME = PACKAGE.name
EXCLUDED_DIRS = {"__pycache__", ".pytest_cache"}
EXCLUDED_SUFFIXES = {".pyc", ".pyo", ".ts", ".orig", ".rej"}
LRELEASE_CANDIDATES = (
    "lrelease",
    "lrelease-qt5",
    "/usr/lib/qt5/bin/lrelease",
    "/usr/lib/x86_64-linux-gnu/qt5/bin/lrelease",
)


def version() -> str:
    meta = configparser.ConfigParser(interpolation=None)
    meta.read(PACKAGE / "metadata.txt", encoding="utf-8")
    return meta["general"]["version"]


def lrelease() -> str:
    """Path of Qt's ``lrelease``; SystemExit with what to install when there is none."""
    for cand in ([os.environ["LRELEASE"]] if os.environ.get("LRELEASE") else []) + list(LRELEASE_CANDIDATES):
        found = shutil.which(cand) or (cand if os.path.isfile(cand) and os.access(cand, os.X_OK) else None)
        if found:
            return found
    raise SystemExit(
        "package.py: Qt's lrelease is needed to compile the translations: "
        "apt-get install qttools5-dev-tools (or set LRELEASE=/path/to/lrelease)"
    )


def compile_translations(dest: Path) -> list[Path]:
    """Compile every ``i18n/*.ts`` into ``dest/i18n/*.qm``; the ``.qm`` files."""
    tool = lrelease()
    out = []
    for ts in sorted((PACKAGE / "i18n").glob("*.ts")):
        qm = dest / "i18n" / (ts.stem + ".qm")
        qm.parent.mkdir(parents=True, exist_ok=True)
        proc = subprocess.run([tool, "-silent", str(ts), "-qm", str(qm)], capture_output=True, text=True)
        if proc.returncode != 0 or not qm.is_file():
            raise SystemExit(f"package.py: lrelease failed on {ts}:\n{proc.stdout}{proc.stderr}")
        out.append(qm)
    return out


def files() -> list[Path]:
    """The plugin's files to ship, relative to ``PACKAGE``."""
    out = []
    for path in sorted(PACKAGE.rglob("*")):
        rel = path.relative_to(PACKAGE)
        if path.is_dir() or set(rel.parts) & EXCLUDED_DIRS or path.suffix in EXCLUDED_SUFFIXES:
            continue
        if path.suffix == ".qm":  # compiled below from the .ts
            continue
        out.append(rel)
    return out


def build(out_dir: Path) -> Path:
    """Write ``<out_dir>/coopatlas_qgis-<version>.zip``; its path."""
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{NAME}-{version()}.zip"
    with tempfile.TemporaryDirectory() as tmp:
        qms = compile_translations(Path(tmp))
        tmp_zip = target.with_suffix(".zip.tmp")
        with zipfile.ZipFile(tmp_zip, "w", zipfile.ZIP_DEFLATED) as zf:
            for rel in files():
                zf.write(PACKAGE / rel, f"{NAME}/{rel.as_posix()}")
            for qm in qms:
                zf.write(qm, f"{NAME}/i18n/{qm.name}")
        tmp_zip.replace(target)
    return target


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(HERE.parent / "dist"), help="output folder (default: dist/)")
    args = parser.parse_args(argv)
    path = build(Path(args.out))
    with zipfile.ZipFile(path) as zf:
        n = len(zf.namelist())
    print(f"{path} ({n} files, {path.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
