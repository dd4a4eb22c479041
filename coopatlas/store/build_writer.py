"""The build writer: a new atlas GeoPackage (OGC GeoPackage 1.3) written from scratch with plain ``sqlite3``.

What ``coopatlas build`` (and the tests' sample atlases) use; live changes to a served file go through
:mod:`coopatlas.store.live_writer` instead. The format (blobs, names) is :mod:`coopatlas.store.geopackage`.
No SpatiaLite is needed: geometries are stored as GeoPackage binary blobs (header + envelope +
ISO WKB, EPSG:4326), each spatial table gets the R-tree spatial index of the ``gpkg_rtree_index``
extension (filled here, kept up to date by the standard triggers: readers that write register the
``ST_*`` functions, see :func:`coopatlas.store.geopackage.register_rtree_functions`), and the search fields
get B-tree indexes.

The file is written deterministically (fixed timestamps, rows in the order given) so that the same
tables give the same bytes.
"""

from __future__ import annotations

import hashlib
import math
import sqlite3
from collections.abc import Iterable, Sequence

from .. import schema as sch
from . import table_versions
from .geopackage import APPLICATION_ID, GEOM, SEARCH, SRS_ID, blob_envelope, encode_geometry, keyword_index, search_text

#: Fixed timestamp written into ``gpkg_contents.last_change`` so that builds are reproducible.
BUILD_TIMESTAMP = "2013-06-30T00:00:00.000Z"

_WGS84_WKT = (
    'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],'
    'AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",'
    '0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],'
    'AUTHORITY["EPSG","4326"]]'
)


def _sql_type(field: sch.Field) -> str:
    return field.type


def _create_gpkg_core(con: sqlite3.Connection) -> None:
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")  # 'GPKG'
    con.execute("PRAGMA user_version = 10300")
    con.executescript("""
        CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY,
            organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL,
            description TEXT);
        CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
            identifier TEXT UNIQUE, description TEXT DEFAULT '', last_change DATETIME NOT NULL,
            min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
            CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
        CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
            geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
            CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
            CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
            CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
        CREATE TABLE gpkg_extensions (table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL,
            definition TEXT NOT NULL, scope TEXT NOT NULL,
            CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));
        CREATE TABLE gpkg_tile_matrix_set (table_name TEXT NOT NULL PRIMARY KEY, srs_id INTEGER NOT NULL,
            min_x DOUBLE NOT NULL, min_y DOUBLE NOT NULL, max_x DOUBLE NOT NULL, max_y DOUBLE NOT NULL);
        CREATE TABLE gpkg_tile_matrix (table_name TEXT NOT NULL, zoom_level INTEGER NOT NULL,
            matrix_width INTEGER NOT NULL, matrix_height INTEGER NOT NULL, tile_width INTEGER NOT NULL,
            tile_height INTEGER NOT NULL, pixel_x_size DOUBLE NOT NULL, pixel_y_size DOUBLE NOT NULL,
            CONSTRAINT pk_ttm PRIMARY KEY (table_name, zoom_level));
    """)
    con.executemany(
        "INSERT INTO gpkg_spatial_ref_sys VALUES (?,?,?,?,?,?)",
        [
            ("Undefined cartesian SRS", -1, "NONE", -1, "undefined", "undefined cartesian coordinate reference system"),
            ("Undefined geographic SRS", 0, "NONE", 0, "undefined", "undefined geographic coordinate reference system"),
            (
                "WGS 84 geodetic",
                SRS_ID,
                "EPSG",
                SRS_ID,
                _WGS84_WKT,
                "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid",
            ),
        ],
    )


RTREE_TRIGGERS = """
CREATE TRIGGER "rtree_{t}_{c}_insert" AFTER INSERT ON "{t}" WHEN (new."{c}" NOT NULL AND NOT ST_IsEmpty(NEW."{c}"))
BEGIN INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."fid", ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"),
  ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END;
CREATE TRIGGER "rtree_{t}_{c}_update1" AFTER UPDATE OF "{c}" ON "{t}" WHEN OLD."fid" = NEW."fid" AND
  (NEW."{c}" NOTNULL AND NOT ST_IsEmpty(NEW."{c}"))
BEGIN INSERT OR REPLACE INTO "rtree_{t}_{c}" VALUES (NEW."fid", ST_MinX(NEW."{c}"), ST_MaxX(NEW."{c}"),
  ST_MinY(NEW."{c}"), ST_MaxY(NEW."{c}")); END;
CREATE TRIGGER "rtree_{t}_{c}_update2" AFTER UPDATE OF "{c}" ON "{t}" WHEN OLD."fid" = NEW."fid" AND
  (NEW."{c}" ISNULL OR ST_IsEmpty(NEW."{c}"))
BEGIN DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."fid"; END;
CREATE TRIGGER "rtree_{t}_{c}_delete" AFTER DELETE ON "{t}" WHEN old."{c}" NOT NULL
BEGIN DELETE FROM "rtree_{t}_{c}" WHERE id = OLD."fid"; END;
"""


def _bool(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    return 1 if bool(v) else 0


def _clean(v):
    """Python value for sqlite: NaN/NA and empty text → None, numpy scalars → Python scalars."""
    if v is None or (isinstance(v, str) and not v):
        return None
    try:
        if v != v:  # NaN, pandas NA raises TypeError
            return None
    except TypeError:
        return None
    if hasattr(v, "item"):
        return v.item()
    return v


def create_table(
    con: sqlite3.Connection, coll: sch.Collection, table: str | None = None, description: str | None = None
) -> None:
    """Create the (empty) table of a collection, registered in the GeoPackage catalogue."""
    table = table or coll.source
    cols = ['"fid" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL']
    if coll.geometry:
        cols.append(f'"{GEOM}" {coll.geometry}')
    for f in coll.fields:
        null = " NOT NULL" if not f.nullable else ""
        unique = " UNIQUE" if f.name == coll.id_field else ""
        cols.append(f'"{f.name}" {_sql_type(f)}{null}{unique}')
    if any(f.searchable for f in coll.fields):
        cols.append(f'"{SEARCH}" TEXT')
    con.execute(f'CREATE TABLE "{table}" ({", ".join(cols)})')
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
        "VALUES (?,?,?,?,?,?)",
        (
            table,
            "features" if coll.geometry else "attributes",
            coll.id if table == coll.source else table,
            description or coll.title_fr,
            BUILD_TIMESTAMP,
            SRS_ID if coll.geometry else None,
        ),
    )
    if coll.geometry:
        con.execute("INSERT INTO gpkg_geometry_columns VALUES (?,?,?,?,0,0)", (table, GEOM, coll.geometry, SRS_ID))
        con.execute(f'CREATE VIRTUAL TABLE "rtree_{table}_{GEOM}" USING rtree(id, minx, maxx, miny, maxy)')
        con.execute(
            "INSERT INTO gpkg_extensions VALUES (?,?,?,?,?)",
            (table, GEOM, "gpkg_rtree_index", "http://www.geopackage.org/spec120/#extension_rtree", "write-only"),
        )


def index_sql(coll: sch.Collection, table: str) -> list[str]:
    """The B-tree indexes of ``table``: one per ``indexed`` field, two per declared sort
    (:class:`coopatlas.schema.SortIndex`, one per direction, ties by id: what ``sortby`` reads in order),
    one per declared covering index (:class:`coopatlas.schema.CoveringIndex`)."""
    out = [
        f'CREATE INDEX "idx_{table}_{f.name}" ON "{table}" ("{f.name}")'
        for f in coll.fields
        if f.indexed and f.name != coll.id_field
    ]
    for sort in coll.sorts:
        for descending in (False, True):
            keys = ", ".join(f'"{c}"' + (" DESC" if d else "") for c, d in sort.keys(coll.id_field, descending))
            out.append(f'CREATE INDEX "{sort.name(table, descending)}" ON "{table}" ({keys})')
    for cover in coll.covering:
        columns = ", ".join(f'"{c}"' for c in cover.columns)
        out.append(f'CREATE INDEX "{cover.index_name(table)}" ON "{table}" ({columns})')
    return out


def insert_rows(con: sqlite3.Connection, coll: sch.Collection, rows: Iterable[dict], table: str | None = None) -> int:
    """Insert rows (dicts with the collection's fields and, for spatial tables, a shapely ``geometry``).

    Fills the R-tree directly (the triggers are created after the bulk load). Returns the row count.
    """
    table = table or coll.source
    names = coll.field_names
    searchable = any(f.searchable for f in coll.fields)
    bools = {f.name for f in coll.fields if f.type == sch.BOOLEAN}
    cols = ([GEOM] if coll.geometry else []) + names + ([SEARCH] if searchable else [])
    sql = (
        f'INSERT INTO "{table}" ({", ".join(chr(34) + c + chr(34) for c in cols)}) VALUES ({",".join("?" * len(cols))})'
    )
    n = 0
    batch = []
    blobs = {}  # id of a geometry -> (geometry, blob): rows often share one (a place, a flow of ×100 copies)
    for row in rows:
        values = []
        if coll.geometry:
            geometry = row.get("geometry")
            known = blobs.get(id(geometry))
            if known is None or known[0] is not geometry:
                if len(blobs) >= 100_000:
                    blobs.clear()
                known = blobs[id(geometry)] = (geometry, encode_geometry(geometry))
            values.append(known[1])
        for name in names:
            v = _clean(row.get(name))
            values.append(_bool(v) if name in bools else v)
        if searchable:
            values.append(search_text(coll, row))
        batch.append(values)
        n += 1
        if len(batch) >= 5000:
            _flush(con, sql, batch, table, coll)
            batch = []
    _flush(con, sql, batch, table, coll)
    return n


def _flush(con, sql, batch, table, coll):
    if not batch:
        return
    cur = con.cursor()
    first = con.execute(f'SELECT COALESCE(MAX(fid), 0) FROM "{table}"').fetchone()[0] + 1
    cur.executemany(sql, batch)
    if coll.geometry:
        rt = []
        for i, values in enumerate(batch):
            env = blob_envelope(values[0])
            if env is not None:
                rt.append((first + i, *env))
        cur.executemany(f'INSERT INTO "rtree_{table}_{GEOM}" VALUES (?,?,?,?,?)', rt)


def keyword_index_sql(table: str) -> list[str]:
    """SQL that adds the keyword index of ``table`` and the triggers keeping it right on writes.

    A contentless FTS5 table (about 5 % of the table's size) of the normalised ``recherche`` column,
    whose rowids are the ``fid``: the provider answers ``q`` with the prefix queries ``"word"*``, the
    same test as ``recherche LIKE '% word%'`` (:func:`coopatlas.text.like_patterns`) without reading the
    table, which matters on large tables. Without it the provider uses LIKE, with the same answers.
    """
    fts = '"' + keyword_index(table) + '"'
    t = f'"{table}"'
    return [
        f"CREATE VIRTUAL TABLE {fts} USING fts5({SEARCH}, content='', columnsize=0, detail=none, "
        "tokenize='unicode61 remove_diacritics 0', prefix='2 3')",
        f"INSERT INTO {fts} (rowid, {SEARCH}) SELECT fid, {SEARCH} FROM {t} WHERE {SEARCH} IS NOT NULL",
        f"INSERT INTO {fts} ({fts}) VALUES ('optimize')",
        f'CREATE TRIGGER "{table}_fts_insert" AFTER INSERT ON {t} WHEN NEW.{SEARCH} IS NOT NULL '
        f"BEGIN INSERT INTO {fts} (rowid, {SEARCH}) VALUES (NEW.fid, NEW.{SEARCH}); END",
        f'CREATE TRIGGER "{table}_fts_delete" AFTER DELETE ON {t} WHEN OLD.{SEARCH} IS NOT NULL '
        f"BEGIN INSERT INTO {fts} ({fts}, rowid, {SEARCH}) VALUES ('delete', OLD.fid, OLD.{SEARCH}); END",
        f'CREATE TRIGGER "{table}_fts_update" AFTER UPDATE OF {SEARCH} ON {t} BEGIN '
        f"INSERT INTO {fts} ({fts}, rowid, {SEARCH}) SELECT 'delete', OLD.fid, OLD.{SEARCH} "
        f"WHERE OLD.{SEARCH} IS NOT NULL; "
        f"INSERT INTO {fts} (rowid, {SEARCH}) SELECT NEW.fid, NEW.{SEARCH} WHERE NEW.{SEARCH} IS NOT NULL; END",
    ]


def finish_table(con: sqlite3.Connection, coll: sch.Collection, table: str | None = None) -> None:
    """After the bulk load (faster than keeping them up to date row by row): the B-tree indexes, the
    keyword index, the extent in ``gpkg_contents`` and the R-tree triggers."""
    table = table or coll.source
    for stmt in index_sql(coll, table):
        con.execute(stmt)
    if any(f.searchable for f in coll.fields):
        for stmt in keyword_index_sql(table):
            con.execute(stmt)
    if not coll.geometry:
        return
    ext = con.execute(f'SELECT MIN(minx), MIN(miny), MAX(maxx), MAX(maxy) FROM "rtree_{table}_{GEOM}"').fetchone()
    con.execute("UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=? WHERE table_name=?", (*ext, table))
    con.executescript(RTREE_TRIGGERS.format(t=table, c=GEOM))


def create_view(con: sqlite3.Connection, coll: sch.Collection, base_table: str, where: str) -> None:
    """A feature view of ``base_table`` restricted by ``where``, registered as the collection's layer.

    GeoPackage views are readable by GDAL and QGIS; the first column ``fid`` keeps the feature ids.
    """
    cols = ['"fid"'] + ([f'"{GEOM}"'] if coll.geometry else []) + [f'"{n}"' for n in coll.field_names]
    if any(f.searchable for f in coll.fields):
        cols.append(f'"{SEARCH}"')
    con.execute(f'CREATE VIEW "{coll.id}" AS SELECT {", ".join(cols)} FROM "{base_table}" WHERE {where}')
    con.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, srs_id) "
        "VALUES (?,?,?,?,?,?)",
        (
            coll.id,
            "features" if coll.geometry else "attributes",
            coll.id,
            coll.title_fr,
            BUILD_TIMESTAMP,
            SRS_ID if coll.geometry else None,
        ),
    )
    if coll.geometry:
        con.execute("INSERT INTO gpkg_geometry_columns VALUES (?,?,?,?,0,0)", (coll.id, GEOM, coll.geometry, SRS_ID))
        ext = con.execute(
            f'SELECT MIN(r.minx), MIN(r.miny), MAX(r.maxx), MAX(r.maxy) FROM "rtree_{base_table}_{GEOM}" r '
            f'JOIN "{base_table}" t ON t.fid = r.id WHERE {where}'
        ).fetchone()
        con.execute("UPDATE gpkg_contents SET min_x=?, min_y=?, max_x=?, max_y=? WHERE table_name=?", (*ext, coll.id))


def new_geopackage(path: str) -> sqlite3.Connection:
    """A new, empty GeoPackage at ``path`` (the file must not exist)."""
    con = sqlite3.connect(path)
    con.execute("PRAGMA journal_mode = DELETE")
    con.execute("PRAGMA page_size = 4096")
    _create_gpkg_core(con)
    return con


def content_digest(con: sqlite3.Connection, table: str) -> str:
    """A digest of the rows stored in ``table`` (the same rows, however they were given, the same digest):
    the first version of the table (:mod:`coopatlas.store.table_versions`)."""
    digest = hashlib.blake2b(digest_size=16)
    for row in con.execute(f'SELECT * FROM "{table}" ORDER BY "fid"'):
        digest.update(repr(row).encode())
    return digest.hexdigest()


def write_collections(con: sqlite3.Connection, tables: dict[str, Sequence[dict]], progress=None) -> None:
    """Create and fill every collection of :data:`coopatlas.schema.COLLECTIONS` found in ``tables``.

    ``tables`` maps a stored table name (a collection id, or :data:`~coopatlas.schema.DEMANDES_TABLE`)
    to its rows. The public ``demandes`` layer is created as a view of the private requests table.
    """
    from ..vocabulary import STATUTS_VALIDATION_PUBLICS

    versions = {}
    for cid, coll in sch.COLLECTIONS.items():
        table = sch.DEMANDES_TABLE if cid == "demandes" else cid
        rows = tables.get(table, [])
        create_table(
            con,
            coll,
            table,
            description=("Toutes les demandes de la Bourse projets (privé)" if cid == "demandes" else None),
        )
        n = insert_rows(con, coll, rows, table)
        versions[table] = content_digest(con, table)
        finish_table(con, coll, table)
        if cid == "demandes":
            statuses = ", ".join(f"'{s}'" for s in STATUTS_VALIDATION_PUBLICS)
            create_view(con, coll, table, f"statut_validation IN ({statuses})")
        if progress:
            progress(cid, n)
    for stmt in table_versions.sqlite_sql(versions):  # what caches of figures key on (table_versions)
        con.execute(stmt)
