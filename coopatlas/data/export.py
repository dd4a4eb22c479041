"""``coopatlas export``: a built atlas GeoPackage exported to the interchange format (a CSV folder).

The base tables are read back from the GeoPackage (the requests from the private ``bourse_demandes`` table,
every status; the geometries of the point tables as ``lon``/``lat``) with its metadata, and written by
:func:`coopatlas.data.interchange.write_interchange`: ``coopatlas build --import`` of the folder gives the
same atlas again.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .. import schema as sch
from ..store import geopackage
from .importers.sources import Problem, SourceError
from .interchange import make_frame, write_interchange
from .tables import BASE_FIELDS, POINT_TABLES, AtlasTables

#: The stored table of each base table in the GeoPackage.
GPKG_TABLES = {table: (sch.DEMANDES_TABLE if table == "demandes" else table) for table in BASE_FIELDS}


def _geometry(blob: bytes | None):
    """The shapely geometry of a GeoPackage blob, ``None`` for NULL or empty."""
    geom = geopackage.decode_geometry(blob)
    return None if geom is None or geom.is_empty else geom


def read_geopackage(gpkg_path: str | Path) -> AtlasTables:
    """The base tables of a built atlas GeoPackage (requests from the private ``bourse_demandes`` table,
    every status) and its metadata."""
    gpkg_path = Path(gpkg_path)
    if not gpkg_path.is_file():
        raise FileNotFoundError(f"no GeoPackage at {gpkg_path}")
    con = geopackage.open_readonly(gpkg_path, require_geopackage=False)
    try:
        present = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")}
        missing = [t for t in GPKG_TABLES.values() if t not in present]
        if missing:
            raise SourceError(
                Problem(str(gpkg_path), f"not an atlas GeoPackage built by coopatlas: no table {', '.join(missing)}")
            )
        frames = {}
        for table, stored in GPKG_TABLES.items():
            names = BASE_FIELDS[table]
            geom = [geopackage.GEOM] if table in POINT_TABLES else []
            sql = f'SELECT {", ".join(chr(34) + c + chr(34) for c in geom + names)} FROM "{stored}" ORDER BY fid'
            records = []
            for values in con.execute(sql):
                rec = dict(zip(names, values[len(geom) :]))
                if geom:
                    rec["geometry"] = _geometry(values[0])
                records.append(rec)
            frames[table] = make_frame(table, records)
    finally:
        con.close()
    return AtlasTables(**frames, metadata=geopackage.read_metadata(gpkg_path))


def export_interchange(gpkg_path: str | Path, out_dir: str | Path, force: bool = False) -> Path:
    """Export a built atlas GeoPackage to an interchange folder (see the module docstring)."""
    return write_interchange(read_geopackage(gpkg_path), out_dir, force=force)


def add_arguments(parser) -> None:
    default = os.environ.get("COOPATLAS_GPKG") or "build/atlas.gpkg"
    parser.add_argument(
        "--gpkg",
        default=default,
        help="built atlas GeoPackage to export (default: $COOPATLAS_GPKG or build/atlas.gpkg)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="interchange folder to write")
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")


def run(args) -> int:
    try:
        tables = read_geopackage(args.gpkg)
        out = write_interchange(tables, args.out, force=args.force)
    except (SourceError, FileNotFoundError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    counts = ", ".join(f"{t}: {len(df)}" for t, df in tables.tables().items())
    print(f"exported {args.gpkg} to {out} ({counts} rows)")
    return 0
