"""Build the atlas GeoPackage: demo data (default) or imported files, derived, written atomically.

``coopatlas build --out build/atlas.gpkg`` writes the demo atlas; ``--import DIR`` reads an atlas in the
interchange format instead (see :mod:`coopatlas.data.interchange`); ``--scale N`` multiplies the projects
(for benchmarks). The file is written into a temporary file next to the target and renamed at the end, so
a failed build leaves the previous database untouched.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

from ..store import build_writer, geopackage, live_writer
from .derive import DataError, derive
from .reference import Reference
from .tables import AtlasTables


class Progress:
    """One line per step on stderr, with the elapsed time (the build's progress display)."""

    def __init__(self, stream=None, quiet: bool = False):
        self.t0 = time.perf_counter()
        self.stream = stream
        self.quiet = quiet

    def __call__(self, msg: str) -> None:
        if not self.quiet:
            print(f"[{time.perf_counter() - self.t0:6.1f} s] {msg}", file=self.stream or sys.stderr, flush=True)


def scale_up(tables: AtlasTables, factor: int) -> AtlasTables:
    """The same atlas with every project repeated ``factor`` times (new ids, same places), for benchmarks.

    Collectivities, partners, requests and APD are unchanged; counts are derived again from the projects.
    Copy ``k`` of ``PRJ000001`` is ``x07-PRJ000001`` (``k`` = 7, zero-padded): the rows are written in the
    order of their ids, copy after copy, as an atlas is written, so that a page in ``id`` order reads
    consecutive rows of the file (a suffix, ``PRJ000001-x7``, would put the 100 copies of a project next to
    each other in id order but 13,468 rows apart in the file at ×100: a random read per row).
    """
    if factor <= 1:
        return tables
    proj = tables.projets
    if not proj["id"].is_monotonic_increasing:
        proj = proj.sort_values("id", kind="stable", ignore_index=True)
    width = len(str(factor - 1))
    copies = []
    for k in range(factor):
        cp = proj.copy()
        if k:
            cp["id"] = f"x{k:0{width}d}-" + cp["id"]
            cp["titre"] = cp["titre"] + f" (copie {k})"
        copies.append(cp)
    scaled = pd.concat(copies, ignore_index=True)
    meta = dict(tables.metadata, facteur_echelle=factor)
    return AtlasTables(
        tables.collectivites,
        tables.partenaires,
        scaled,
        tables.demandes,
        tables.apd,
        tables.cofinancements,
        meta,
    )


def written_line(rows: dict[str, list[dict]], cid: str, n: int) -> str:
    """The build log's line of a written collection; for partners and requests, why the count differs from
    the Atlas's published figures (the README's 8 625 partners and 137 requests)."""
    line = f"écrit {cid}: {n} lignes"
    if cid == "partenaires":
        seeking = sum(1 for r in rows.get(cid, []) if r.get("en_recherche") and not r.get("nb_projets"))
        if seeking:
            line += (
                f" (dont {seeking} autorités en recherche de partenaire, sans projet : {n - seeking} "
                "partenaires de projets, le chiffre publié par l'Atlas)"
            )
    elif cid == "demandes":
        from .. import schema as sch
        from ..vocabulary import STATUTS_VALIDATION_PUBLICS

        public = sum(
            1 for r in rows.get(sch.DEMANDES_TABLE, []) if r.get("statut_validation") in STATUTS_VALIDATION_PUBLICS
        )
        if public != n:
            line += (
                f" (toutes les demandes ; {public} publiques, validées ou pourvues, le chiffre publié "
                f"par l'Atlas ; {n - public} en attente ou rejetées, vues par les ambassades seulement)"
            )
    return line


def write_geopackage(
    rows: dict[str, list[dict]], out: Path, metadata: dict, progress=None, force: bool = False, finish=None
) -> Path:
    """Write derived rows into ``out`` atomically (temporary file in the same folder, then rename).

    ``finish(path, con, progress)``, when given, completes the new file (path, open for writing as ``con``)
    before it replaces ``out``: the command line persists the statistics of the standard searches there
    (:mod:`coopatlas.stats_warm`, a layer above this one).

    The rename is :func:`coopatlas.store.live_writer.replace_atlas`: under the live writers' lock, refused when
    ``out`` holds live changes of the server (Bourse requests, collectivities' updates) unless ``force``.
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=out.name + ".", suffix=".tmp", dir=out.parent)
    os.close(fd)
    os.unlink(tmp)
    try:
        con = build_writer.new_geopackage(tmp)
        with con:
            build_writer.write_collections(
                con, rows, progress=(lambda cid, n: progress(written_line(rows, cid, n))) if progress else None
            )
            geopackage.write_metadata(con, metadata)
        con.execute("ANALYZE")
        if finish is not None:
            finish(tmp, con, progress or (lambda msg: None))
        con.execute("VACUUM")
        con.close()
        live_writer.replace_atlas(tmp, out, force=force)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return out


def build(
    out: Path, source: str | None = None, scale: int = 1, progress=None, force: bool = False, finish=None
) -> Path:
    """Build the atlas GeoPackage at ``out`` from the demo generator or an interchange folder (``finish``:
    see :func:`write_geopackage`)."""
    say = progress or Progress()
    n_live = live_writer.check_replaceable(out, force)  # before minutes of work
    if n_live:
        say(f"--force: {out} holds {n_live} live change(s); the server re-applies them from its live database")
    ref = Reference()
    if source:
        from .interchange import read_interchange

        say(f"lecture de {source}")
        tables = read_interchange(Path(source))
    else:
        from .demo import generate

        tables = generate(ref, progress=say)
    tables = scale_up(tables, scale)
    metadata = tables.metadata
    rows = derive(tables, ref, progress=say)
    del tables  # the base tables: the derived ones hold what is written (at ×100, a gigabyte less)
    say(f"écriture de {out}")
    write_geopackage(rows, out, metadata, progress=say, force=force, finish=finish)
    say(f"terminé : {out} ({Path(out).stat().st_size / 1e6:.1f} Mo)")
    return Path(out)


def add_arguments(parser) -> None:
    parser.add_argument("--out", default="build/atlas.gpkg", help="GeoPackage to write (default: %(default)s)")
    parser.add_argument(
        "--import",
        dest="source",
        metavar="DIR",
        help="build from an atlas in the interchange format (CSV folder) instead of the demo",
    )
    parser.add_argument("--scale", type=int, default=1, help="multiply the projects (benchmarks), e.g. 10, 100")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace a GeoPackage that holds live changes of the server (Bourse requests, "
        "collectivities' updates): export it first (coopatlas export)",
    )


def run(args) -> int:
    if args.scale < 1:
        print("error: --scale must be a whole number >= 1", file=sys.stderr)
        return 2
    try:
        build(
            Path(args.out),
            args.source,
            args.scale,
            Progress(quiet=args.quiet),
            force=args.force,
            finish=getattr(args, "finish", None),
        )
    except (DataError, FileNotFoundError, live_writer.LiveChangesError, live_writer.AtlasLockTimeout) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
