"""Write the style files of every collection: ``python -m coopatlas.styles --out styles/``.

Three files per spatial collection ``<id>``: ``<id>.qml`` (QGIS), ``<id>.sld`` (OGC SLD 1.1.0 / SE 1.1)
and ``<id>.maplibre.json`` (MapLibre GL style spec v8, reading the tiles of the server at ``--base-url``),
the basemap ``fond.maplibre.json``, and a ``README.md`` saying what each draws. The files are committed;
``--check`` tells whether the committed ones are up to date (exit status 1 if not), without writing anything.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from . import maplibre, qml, readme, sld
from .definitions import STYLES, check_against_schema

#: File name suffix -> (media type, writer).
FORMATS = {
    ".qml": ("application/vnd.qgis.qml", qml.write),
    ".sld": ("application/vnd.ogc.sld+xml;version=1.1.0", sld.write),
    ".maplibre.json": (maplibre.MEDIA_TYPE, maplibre.write),
}

#: The generated page that says what every file draws.
README = "README.md"


def files(base_url: str = maplibre.DEFAULT_BASE_URL) -> dict[str, str]:
    """Every style file, ``{file name: text}``, in a stable order."""
    problems = check_against_schema()
    if problems:
        raise ValueError("styles do not match the schema: " + "; ".join(problems))
    out = {}
    for cid, style in STYLES.items():
        for suffix, (_, writer) in FORMATS.items():
            out[cid + suffix] = writer(style, base_url) if writer is maplibre.write else writer(style)
    out[maplibre.BASEMAP + ".maplibre.json"] = maplibre.write_basemap(base_url)
    out[README] = readme.write(STYLES, {suffix: media for suffix, (media, _) in FORMATS.items()})
    return out


def stale(directory: Path, base_url: str = maplibre.DEFAULT_BASE_URL) -> list[str]:
    """Names of the files of ``directory`` that are missing or differ from what the generator writes."""
    return [
        name
        for name, text in files(base_url).items()
        if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text
    ]


def write_all(directory: Path, base_url: str = maplibre.DEFAULT_BASE_URL) -> list[Path]:
    """Write every file into ``directory`` (created if needed); the paths written."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files(base_url).items():
        path = directory / name
        path.write_text(text, encoding="utf-8", newline="\n")
        written.append(path)
    return written


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", type=Path, default=Path("styles"), help="folder of the style files (default: styles/)")
    parser.add_argument(
        "--base-url",
        default=maplibre.DEFAULT_BASE_URL,
        help=f"server URL in the MapLibre sources (default: {maplibre.DEFAULT_BASE_URL})",
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a file of --out is missing or out of date"
    )


def run(args: argparse.Namespace) -> int:
    if args.check:
        names = stale(args.out, args.base_url)
        for name in names:
            print(f"out of date: {args.out / name}", file=sys.stderr)
        if names:
            print("regenerate with: python -m coopatlas.styles --out " + str(args.out), file=sys.stderr)
        return 1 if names else 0
    for path in write_all(args.out, args.base_url):
        print(path)
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopatlas.styles", description=__doc__.splitlines()[0])
    add_arguments(parser)
    return run(parser.parse_args(argv))
