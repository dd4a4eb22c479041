"""Importers of real data into the interchange format (:mod:`coopatlas.data.interchange`).

``coopatlas import`` reads the Atlas's open-data zone files (:mod:`.atlas_cncd`) and APD files (:mod:`.apd`)
through a mapping file (:mod:`.mapping`, ``datasets/mappings/``), writes an interchange folder plus the
geocoding report (``rapport_geocodage.csv``), and prints a summary; ``coopatlas build --import DIR`` then
builds the GeoPackage::

    coopatlas import --mapping datasets/mappings/atlas_cncd.yml --apd apd.csv --out import/ \\
        afrique.csv europe.xlsx
    coopatlas build --import import/ --out build/atlas.gpkg
"""

from __future__ import annotations

import sys
from pathlib import Path


def add_arguments(parser) -> None:
    from .mapping import DEFAULT_MAPPING

    parser.add_argument("files", nargs="+", metavar="FILE", help="Atlas zone files (CSV or XLSX), one or more")
    parser.add_argument(
        "--mapping",
        default=str(DEFAULT_MAPPING),
        help="mapping file: accepted headers and labels (default: %(default)s)",
    )
    parser.add_argument(
        "--apd",
        action="append",
        default=[],
        metavar="FILE",
        help="APD file (CSV or XLSX: collectivité, pays, année, montant); repeat for several",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="interchange folder to write")
    parser.add_argument(
        "--report",
        metavar="FILE",
        help="also write the geocoding report here (it is always written as DIR/rapport_geocodage.csv)",
    )
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")
    parser.add_argument("--encoding", help="force the encoding of CSV files (default: UTF-8, else Windows-1252)")
    parser.add_argument(
        "--reference", metavar="GPKG", help="reference geography (default: datasets/reference/reference.gpkg)"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress display")


_REFERENCES: dict = {}


def _reference(path: str | None):
    """The reference geography at ``path`` (default: the project's), loaded once per file version."""
    from ..reference import Reference

    ref = Reference(Path(path)) if path else Reference()
    p = Path(ref.path)
    key = (str(p.resolve()), p.stat().st_mtime_ns if p.exists() else None)
    return _REFERENCES.setdefault(key, ref)


def run(args) -> int:
    from ..build import Progress
    from ..derive import DataError
    from ..interchange import write_interchange
    from .atlas_cncd import import_atlas
    from .common import REPORT_FILE

    say = Progress(stream=sys.stderr, quiet=args.quiet)
    out = Path(args.out)
    if out.exists() and (not out.is_dir() or any(out.iterdir())) and not args.force:
        print(f"error: {out} exists and is not an empty folder (use --force to replace it)", file=sys.stderr)
        return 1
    try:
        reference = _reference(args.reference)
        result = import_atlas(
            args.files, args.mapping, args.apd, reference, progress=say, quiet=args.quiet, encoding=args.encoding
        )
        report = result.report_csv()
        write_interchange(result.tables, out, force=args.force, extra_files={REPORT_FILE: report})
        if args.report:
            Path(args.report).parent.mkdir(parents=True, exist_ok=True)
            Path(args.report).write_text(report, encoding="utf-8")
    except (DataError, FileNotFoundError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    print(
        f"interchange folder: {out} ; geocoding report: {out / REPORT_FILE}"
        + (f" and {args.report}" if args.report else "")
    )
    print(f"next: coopatlas build --import {out} --out build/atlas.gpkg")
    return 0
