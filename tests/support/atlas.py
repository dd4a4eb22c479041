"""The atlas of the tests: the demo GeoPackage, built once per test run in a temporary folder.

The tests never read nor write the user's ``build/atlas.gpkg`` (a served atlas receives live Bourse
requests) nor ``var/``. Their atlas is, in this order:

* ``$COOPATLAS_TEST_ATLAS``: an atlas already built for this run (``make test`` builds one into a
  temporary folder and gives it to both suites, the main one and the QGIS plugin's);
* else the demo atlas built by ``python -m coopatlas build`` the first time a test asks for it, into the
  run's temporary folder (pytest's ``tmp_path_factory``): with pytest-xdist, the folder shared by the
  workers of the run, where the first worker builds it under a file lock and the others wait for it.

That atlas is shared by every test of the run: tests only read it. A test that writes (Bourse
submissions, live data, a rebuild under a running server) writes into its own copy (:func:`copy_atlas`).

Run as a script (``.venv/bin/python tests/support/atlas.py DIR``), it builds the demo atlas into ``DIR``
and prints its path: what ``make test`` does.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: An atlas built for this test run (read only by the tests).
ENV = "COOPATLAS_TEST_ATLAS"
#: Seconds a build may take (about 15 to 30 s on a 2-core machine; longer when several run at once).
BUILD_TIMEOUT = 900


class AtlasBuildError(RuntimeError):
    """The demo atlas could not be built."""


def build_demo_atlas(out: Path) -> Path:
    """``python -m coopatlas build --out out`` (written atomically by the command); returns ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("COOPATLAS_")}
    proc = subprocess.run(
        [sys.executable, "-m", "coopatlas", "build", "--out", str(out), "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=BUILD_TIMEOUT,
    )
    if proc.returncode != 0 or not out.is_file():
        raise AtlasBuildError(
            f"building the demo atlas into {out} failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-4000:]}"
        )
    return out


def run_folder(tmp_path_factory) -> Path:
    """The temporary folder of this test run, the same for every pytest-xdist worker of the run."""
    base = tmp_path_factory.getbasetemp()
    # a worker's folder is <run folder>/popen-gwN; without xdist, the session's own folder is the run's
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def session_atlas(tmp_path_factory) -> Path:
    """The atlas of this test run (see the module documentation), built on first use."""
    given = os.environ.get(ENV)
    if given:
        path = Path(given).resolve()
        if not path.is_file():
            raise AtlasBuildError(f"{ENV}={given}: no such GeoPackage")
        return path
    folder = run_folder(tmp_path_factory) / "coopatlas-test-atlas"
    folder.mkdir(exist_ok=True)
    path = folder / "atlas.gpkg"
    with open(folder / "build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # one worker builds; the others wait, then find it built
        if not path.is_file():
            build_demo_atlas(path)
    return path


def copy_atlas(source: Path, dest: Path) -> Path:
    """A private copy of the test atlas ``source`` at ``dest``, for a test that writes into it."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, dest)
    return dest


def copy_without_reads(source: Path, dest: Path) -> Path:
    """:func:`copy_atlas` without the statistics' persisted reads (``coopatlas_reads``): in the copy,
    every first read of the statistics runs its SQL."""
    from coopatlas.store.persisted_reads import READS_TABLE

    copy = copy_atlas(source, dest)
    con = sqlite3.connect(copy)
    try:
        con.execute(f'DROP TABLE "{READS_TABLE}"')  # the build writes it: a test atlas without it is wrong
        con.commit()
    finally:
        con.close()
    return copy


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: atlas.py FOLDER   (builds FOLDER/atlas.gpkg, prints its path)")
    try:
        print(build_demo_atlas(Path(sys.argv[1]).resolve() / "atlas.gpkg"))
    except AtlasBuildError as exc:
        sys.exit(str(exc))
