"""Bulk downloads of the public atlas: what the OGC API serves, as whole files.

* ``coopatlas.gpkg``: every public collection as one GeoPackage layer, with the QML style of each styled
  collection (``styles/*.qml``) in the ``layer_styles`` table QGIS reads, so that QGIS opens the layers
  styled;
* per collection: ``<id>.fgb`` (FlatGeobuf, collections with a geometry only), ``<id>.parquet``
  (GeoParquet; plain Parquet for the collections without geometry) and ``<id>.csv`` (UTF-8, geometry as
  WKT);
* ``apd-crs.csv``: the declared APD in the column layout of the OECD CRS (:mod:`.apd_crs`);
* ``index.json``: each file with its collection, format, media type, size, SHA-256 and licences.

Only public data: each collection's schema fields (:mod:`coopatlas.schema`) read from the table or view
the server serves (``demandes`` is the view of the validated and matched requests; the private
``bourse_demandes`` table, the search column, accounts and the atlas's internal tables are never read).

Built by :func:`build_downloads` into a folder named after the *version* of the atlas
(:func:`downloads_for`, :func:`atlas_version`): a digest of the versions of its tables
(:mod:`coopatlas.store.table_versions`, read before the rows; every table the downloads read has one), on
both backends. A rebuilt or reloaded atlas with other rows, a live write (a request submitted or
validated, a collectivity's update) gets new downloads on the next request; an unchanged one (the same
rows: even a reload of the same GeoPackage) is never rebuilt. An atlas without versions (built before
they existed): a GeoPackage is named after its file's SHA-256, as before; a PostGIS atlas has no
downloads (:class:`NoVersions`, HTTP 503) until it is loaded again.

CSV cells a spreadsheet would run as formulas start with a quote, as in
the ``f=csv`` output of the API.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from .. import schema as sch
from ..paths import replace_folder
from ..store import Store, open_store, table_versions
from ..store.faults import BackendUnavailable
from ..text import spreadsheet_safe
from .apd_crs import FILE_NAME as APD_CRS_FILE
from .apd_crs import write_crs_csv

STYLES_DIR = Path(__file__).resolve().parents[2] / "styles"
GPKG_NAME = "coopatlas.gpkg"
INDEX_NAME = "index.json"
CRS = "EPSG:4326"
#: format -> (file suffix, media type, GDAL driver or None)
FORMATS = {
    "gpkg": (".gpkg", "application/geopackage+sqlite3", "GPKG"),
    "fgb": (".fgb", "application/flatgeobuf", "FlatGeobuf"),
    "parquet": (".parquet", "application/vnd.apache.parquet", None),
    "csv": (".csv", "text/csv", None),
}

LAYER_STYLES_SQL = """CREATE TABLE layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT, f_table_catalog TEXT(256), f_table_schema TEXT(256),
  f_table_name TEXT(256), f_geometry_column TEXT(256), styleName TEXT(30), styleQML TEXT, styleSLD TEXT,
  useAsDefault BOOLEAN, description TEXT, owner TEXT(30), ui TEXT(30), update_time DATETIME)"""


def sha256(path: str | Path, algorithm: str = "sha256") -> str:
    """The hexadecimal digest of a file (SHA-256, or ``algorithm``)."""
    digest = hashlib.new(algorithm)
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def public_frame(store: Store, coll: sch.Collection) -> pd.DataFrame:
    """One public collection: its schema fields from the table or view the server serves, in id order;
    a GeoDataFrame (EPSG:4326) when it has a geometry."""
    columns = ", ".join(f'"{name}"' for name in coll.field_names)
    if coll.geometry:
        rows = store.records(
            f'SELECT {columns}, {store.geometry_sql("geom")} AS geom FROM "{coll.source}" ORDER BY "{coll.id_field}"'
        )
        geometries = [store.decode_geometry(r.pop("geom")) for r in rows]
        frame = pd.DataFrame(rows, columns=coll.field_names)
        return gpd.GeoDataFrame(frame, geometry=geometries, crs=CRS)
    rows = store.records(f'SELECT {columns} FROM "{coll.source}" ORDER BY "{coll.id_field}"')
    return pd.DataFrame(rows, columns=coll.field_names)


def _typed(frame: pd.DataFrame, coll: sch.Collection) -> pd.DataFrame:
    """Columns typed by the schema (booleans as booleans, integers as nullable integers, dates as ISO text)."""
    frame = frame.copy()
    for f in coll.fields:
        values = [None if v is None or v != v else v for v in frame[f.name]]  # NaN -> None
        if f.type == sch.BOOLEAN:
            frame[f.name] = pd.array([None if v is None else bool(v) for v in values], dtype="boolean")
        elif f.type == sch.INTEGER:
            frame[f.name] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif f.type == sch.REAL:
            frame[f.name] = pd.to_numeric(frame[f.name], errors="coerce").astype("float64")
        elif f.type == sch.DATE:  # ISO 8601 text on every backend (PostgreSQL gives dates)
            frame[f.name] = [None if v is None else str(v) for v in values]
    return frame


def _spreadsheet_safe(frame: pd.DataFrame, coll: sch.Collection) -> pd.DataFrame:
    """The text columns with the cells a spreadsheet would run as formulas quoted."""
    frame = frame.copy()
    for f in coll.fields:
        if f.type == sch.TEXT:
            frame[f.name] = [spreadsheet_safe(v) if isinstance(v, str) else v for v in frame[f.name]]
    return frame


def _add_styles(gpkg: Path, collections: list[str]) -> list[str]:
    """The QML style of each collection that has one, as the default style of its layer (``layer_styles``)."""
    con = sqlite3.connect(gpkg)
    styled = []
    try:
        geometry_columns = dict(con.execute("SELECT table_name, column_name FROM gpkg_geometry_columns"))
        con.execute(LAYER_STYLES_SQL)
        for cid in collections:
            qml = STYLES_DIR / f"{cid}.qml"
            sld = STYLES_DIR / f"{cid}.sld"
            if cid not in geometry_columns or not qml.is_file():
                continue
            con.execute(
                "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, f_geometry_column, "
                "styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, update_time) "
                "VALUES ('', '', ?, ?, ?, ?, ?, 1, ?, '', NULL, NULL)",
                (
                    cid,
                    geometry_columns[cid],
                    cid,
                    qml.read_text(encoding="utf-8"),
                    sld.read_text(encoding="utf-8") if sld.is_file() else "",
                    f"CoopAtlas style of {cid}",
                ),
            )
            styled.append(cid)
        con.execute(
            "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) "
            "VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS styles of the layers')"
        )
        con.commit()
    finally:
        con.close()
    return styled


def build_downloads(
    location: str | Path, out_dir: str | Path, licences: dict[str, list[dict]] | None = None, version: str | None = None
) -> dict:
    """Write every download of the atlas at ``location`` into ``out_dir`` (replaced atomically) and return
    the index. ``licences``: collection id -> ``[{"title", "href"}]`` (the sources of the collection);
    ``version``: the atlas's version read before (default: read now, before the rows)."""
    version = version or atlas_version(location)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    store = open_store(location) if is_database(location) else Store(location)
    try:
        files = []
        gpkg = tmp / GPKG_NAME
        for cid, coll in sch.COLLECTIONS.items():
            frame = _typed(public_frame(store, coll), coll)
            # GeoPackage 1.2: what the GDAL and QGIS of long-term distributions read without a warning
            gpkg_options = {"append": True} if gpkg.exists() else {"dataset_options": {"VERSION": "1.2"}}
            if coll.geometry:
                pyogrio.write_dataframe(frame, gpkg, layer=cid, driver="GPKG", **gpkg_options)
                pyogrio.write_dataframe(frame, tmp / f"{cid}.fgb", driver="FlatGeobuf")
                frame.to_parquet(tmp / f"{cid}.parquet", index=False)
                table = pd.DataFrame(frame.drop(columns="geometry"))
                table["wkt"] = frame.geometry.to_wkt()
            else:
                pyogrio.write_dataframe(frame, gpkg, layer=cid, driver="GPKG", **gpkg_options)
                frame.to_parquet(tmp / f"{cid}.parquet", index=False)
                table = frame
            _spreadsheet_safe(table, coll).to_csv(tmp / f"{cid}.csv", index=False, encoding="utf-8")
            for fmt in ("fgb", "parquet", "csv"):
                if (tmp / f"{cid}{FORMATS[fmt][0]}").exists():
                    files.append({"collection": cid, "format": fmt, "rows": len(frame)})
        rows = write_crs_csv(store, tmp / APD_CRS_FILE)
        files.append({"collection": "apd", "format": "csv", "rows": rows, "file": APD_CRS_FILE, "profile": "OECD CRS"})
        styled = _add_styles(gpkg, list(sch.COLLECTIONS))
        files.insert(0, {"collection": None, "format": "gpkg", "collections": list(sch.COLLECTIONS), "styled": styled})
        for entry in files:
            name = entry.get("file") or (
                GPKG_NAME if entry["format"] == "gpkg" else f"{entry['collection']}{FORMATS[entry['format']][0]}"
            )
            path = tmp / name
            if entry["collection"]:
                sources = (licences or {}).get(entry["collection"], [])
            else:  # the whole atlas: every source once
                sources = []
                for source in (x for v in (licences or {}).values() for x in v):
                    if source not in sources:
                        sources.append(source)
            entry.update(
                {
                    "file": name,
                    "media_type": FORMATS[entry["format"]][1],
                    "size": path.stat().st_size,
                    "sha256": sha256(path),
                    "sha1": sha256(path, "sha1"),
                    "licences": sources,
                }
            )
        index = {"atlas_version": version, "files": files}
        if not is_database(location):
            index["atlas_sha256"] = _file_version(Path(location))
        (tmp / INDEX_NAME).write_text(json.dumps(index, ensure_ascii=False, indent=1), encoding="utf-8")
        replace_folder(tmp, out_dir, ignore_cleanup_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if not is_database(location):  # the shared store of a database stays open for the server
            store.close()
    return index


def is_database(location: str | Path) -> bool:
    return str(location).startswith(("postgresql://", "postgres://"))


def downloads_for(location: str | Path, cache_dir: str | Path, licences: dict | None = None) -> tuple[Path, dict]:
    """The downloads of the atlas at ``location`` (a GeoPackage file or a PostGIS URL): built once into
    ``cache_dir/<version of the atlas>`` (under a file lock: several server workers build them once), then
    read from there."""
    from filelock import FileLock

    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    key = atlas_version(location)  # before the rows: downloads are never named after newer data than theirs
    folder = cache_dir / key
    with FileLock(str(cache_dir / ".build.lock")):
        if not (folder / INDEX_NAME).is_file():
            build_downloads(location, folder, licences, version=key)
            for other in cache_dir.iterdir():  # older atlases' downloads
                if other.is_dir() and other.name != key and not other.name.startswith("."):
                    shutil.rmtree(other, ignore_errors=True)
    return folder, json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))


class NoVersions(BackendUnavailable):
    """A PostGIS atlas without table versions (loaded before they existed): no downloads (HTTP 503) until
    the operator loads it again (``coopatlas postgis``)."""


def atlas_version(location: str | Path) -> str:
    """The version of the atlas at ``location`` (a GeoPackage file or a PostGIS URL): a digest of the
    versions of its tables (:func:`coopatlas.store.table_versions.read`). A GeoPackage without versions:
    the SHA-256 of its file; a PostGIS atlas without versions: :class:`NoVersions`."""
    versions = table_versions.read(open_store(location))
    if versions is None:
        if is_database(location):
            raise NoVersions("downloads unavailable: the atlas database has no table versions (load it again)")
        return _file_version(Path(location))
    return hashlib.sha256(repr(sorted(versions.items())).encode()).hexdigest()


_keys: dict[tuple, str] = {}


def _file_version(gpkg: Path) -> str:
    """The SHA-256 of the atlas file, computed once per file version (device, inode, size, mtime)."""
    st = gpkg.stat()
    stamp = (str(gpkg.resolve()), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
    if stamp not in _keys:
        _keys[stamp] = sha256(gpkg)
    return _keys[stamp]
