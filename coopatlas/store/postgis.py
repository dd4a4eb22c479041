"""Load a built atlas GeoPackage into PostgreSQL/PostGIS, and describe it to pygeoapi.

``coopatlas postgis --gpkg build/atlas.gpkg --url postgresql://user@host:5432/db`` copies every table of
the GeoPackage (layout: :mod:`coopatlas.store.geopackage`; fields: :mod:`coopatlas.schema`) into one
PostgreSQL schema (``atlas`` by default):

* one table per collection (``projets``, ``collectivites``, ...) plus the private ``bourse_demandes``, with
  the same column names, the PostgreSQL types of :data:`coopatlas.schema.PG_TYPES`, the feature id ``id``
  as primary key, the GeoPackage's ``fid`` (integer, unique: a key for QGIS), the hidden normalised
  keyword column ``recherche`` and, for spatial collections, ``geom geometry(<type>, 4326)`` (longitude,
  latitude in degrees) with a GiST index;
* B-tree indexes on the schema's ``indexed`` fields, declared sorts (``Collection.sorts``) and covering
  indexes (``Collection.covering``), and a trigram index on ``recherche`` when the ``pg_trgm`` extension
  can be had (keyword search ``q=`` is a ``LIKE '%word%'`` per word);
* the public ``demandes`` VIEW of ``bourse_demandes`` restricted to the public validation statuses
  (:data:`coopatlas.vocabulary.STATUTS_VALIDATION_PUBLICS`).

Text columns use the ``"C"`` collation, so that ``sortby`` orders text exactly as the GeoPackage (SQLite
compares UTF-8 bytes) whatever the database's default locale, and so that B-tree indexes serve
``LIKE 'prefix%'``.

The database's default ``search_path`` becomes ``<schema>, public`` (when the loading user owns the
database), so that ``psql``, QGIS and :class:`coopatlas.store.PostGISStore` see the tables unqualified.

The load is one transaction: the tables are created and filled (``COPY ... FROM STDIN`` with
``FREEZE``, geometries as hex EWKB) in a fresh schema, indexed and analysed, then the previous schema
(if any) is dropped and the fresh one renamed in its place. A failed load leaves the previous atlas
untouched.

:func:`pygeoapi_provider_config` gives the pygeoapi provider stanza of one collection on that database
(used by ``coopatlas serve`` when ``COOPATLAS_DATABASE_URL`` is set).
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sqlite3
import sys
import time
import uuid
from pathlib import Path

import shapely

from .. import schema as sch
from ..vocabulary import STATUTS_VALIDATION_PUBLICS
from . import table_versions
from .geopackage import GEOM, METADATA_TABLE, SEARCH, SRS_ID, blob_wkb, open_readonly
from .geopackage import quote as _q
from .table_versions import VERSIONS_TABLE

#: The PostgreSQL schema that holds the atlas, unless told otherwise.
DEFAULT_SCHEMA = "atlas"
#: Name of the GeoPackage's integer key column (unique in PostGIS too; the primary key is the feature id).
FID = "fid"
#: Rows sent per ``COPY`` batch.
BATCH_ROWS = 20_000
#: Environment variable naming the database of the server (a ``postgresql://`` URL).
DATABASE_URL_ENV = "COOPATLAS_DATABASE_URL"
#: Environment variable naming the PostgreSQL schema of the atlas (default :data:`DEFAULT_SCHEMA`).
SCHEMA_ENV = "COOPATLAS_DATABASE_SCHEMA"


class LoadError(RuntimeError):
    """The atlas could not be loaded (the previous one, if any, is untouched)."""


def stored_tables() -> list[tuple[str, sch.Collection]]:
    """(stored table, collection) for every table of the atlas: collection ids, and ``bourse_demandes``
    (the private table behind the ``demandes`` view) in place of ``demandes``."""
    return [(sch.DEMANDES_TABLE if cid == "demandes" else cid, coll) for cid, coll in sch.COLLECTIONS.items()]


def _searchable(coll: sch.Collection) -> bool:
    return any(f.searchable for f in coll.fields)


def _pg_type(field: sch.Field) -> str:
    t = sch.PG_TYPES[field.type]
    return f'{t} COLLATE "C"' if t == "text" else t


def table_ddl(coll: sch.Collection, qualified_table: str) -> str:
    """``CREATE TABLE`` of one collection's table, without its indexes and keys (added after the load)."""
    cols = [f"{_q(FID)} integer NOT NULL"]
    if coll.geometry:
        cols.append(f"{_q(GEOM)} geometry({coll.geometry}, {SRS_ID})")
    for f in coll.fields:
        cols.append(f"{_q(f.name)} {_pg_type(f)}{'' if f.nullable else ' NOT NULL'}")
    if _searchable(coll):
        cols.append(f'{_q(SEARCH)} text COLLATE "C"')
    return f"CREATE TABLE {qualified_table} ({', '.join(cols)})"


def _columns(coll: sch.Collection) -> list[str]:
    return [FID] + ([GEOM] if coll.geometry else []) + coll.field_names + ([SEARCH] if _searchable(coll) else [])


def _ewkb_hex(blobs: list[bytes | None]) -> list[str | None]:
    """GeoPackage blobs as hex EWKB with SRID 4326 (what PostGIS reads from ``COPY``), vectorised."""
    try:
        wkbs = [blob_wkb(b) for b in blobs]
    except ValueError:
        raise LoadError("geometry is not a GeoPackage binary blob") from None
    geoms = shapely.from_wkb(wkbs)
    geoms = shapely.set_srid(geoms, SRS_ID)
    out = shapely.to_wkb(geoms, hex=True, include_srid=True, output_dimension=2)
    return [None if w is None else h for w, h in zip(wkbs, out)]


def _gpkg_count(lite: sqlite3.Connection, table: str) -> int:
    return lite.execute(f"SELECT COUNT(*) FROM {_q(table)}").fetchone()[0]


def _csv_batches(lite: sqlite3.Connection, coll: sch.Collection, table: str):
    """The rows of one GeoPackage table as CSV text for ``COPY``, :data:`BATCH_ROWS` rows at a time:
    (text, row count)."""
    cols = _columns(coll)
    try:
        src = lite.execute(f"SELECT {', '.join(_q(c) for c in cols)} FROM {_q(table)} ORDER BY {_q(FID)}")
    except sqlite3.OperationalError as exc:
        raise LoadError(f"the GeoPackage table {table!r} does not have the layout of the schema: {exc}") from None
    while True:
        rows = src.fetchmany(BATCH_ROWS)
        if not rows:
            return
        if coll.geometry:
            hexes = _ewkb_hex([r[1] for r in rows])
            rows = [(r[0], h, *r[2:]) for r, h in zip(rows, hexes)]
        buf = io.StringIO()
        # QUOTE_NOTNULL: every value quoted, None left empty and unquoted, which COPY csv reads as NULL
        # (an empty string stays an empty string).
        csv.writer(buf, quoting=csv.QUOTE_NOTNULL, lineterminator="\n").writerows(rows)
        yield buf.getvalue(), len(rows)


def _copy_table(lite: sqlite3.Connection, cur, coll: sch.Collection, table: str, qualified: str, bar=None) -> int:
    """COPY every row of one GeoPackage table into ``qualified``; returns the row count."""
    # FREEZE (the table is new in this transaction): rows written frozen and pages marked all-visible,
    # so that counts and index-only scans need no VACUUM after the load
    copy_sql = f"COPY {qualified} ({', '.join(_q(c) for c in _columns(coll))}) FROM STDIN WITH (FORMAT csv, FREEZE)"
    n = 0
    for text, count in _csv_batches(lite, coll, table):
        cur.copy_expert(copy_sql, io.StringIO(text))
        n += count
        if bar is not None:
            bar.update(count)
    return n


def _index_table(cur, coll: sch.Collection, schema: str, table: str) -> None:
    qt = f"{_q(schema)}.{_q(table)}"
    cur.execute(f"ALTER TABLE {qt} ADD CONSTRAINT {_q(table + '_pkey')} PRIMARY KEY ({_q(coll.id_field)})")
    cur.execute(f"ALTER TABLE {qt} ADD CONSTRAINT {_q(f'{table}_{FID}_key')} UNIQUE ({_q(FID)})")
    if coll.geometry:
        cur.execute(f"CREATE INDEX {_q(f'{table}_{GEOM}_gist')} ON {qt} USING gist ({_q(GEOM)})")
    for f in coll.fields:
        if f.indexed and f.name != coll.id_field:
            cur.execute(f"CREATE INDEX {_q(f'idx_{table}_{f.name}')} ON {qt} ({_q(f.name)})")
    for sort in coll.sorts:  # the provider's ORDER BY: the sort field in SQLite's NULL order, the id ascending
        for descending in (False, True):
            keys = ", ".join(
                _q(c) + ((" DESC NULLS LAST" if d else " ASC NULLS FIRST") if c == sort.field else "")
                for c, d in sort.keys(coll.id_field, descending)
            )
            cur.execute(f"CREATE INDEX {_q(sort.name(table, descending))} ON {qt} ({keys})")
    for cover in coll.covering:
        cur.execute(f"CREATE INDEX {_q(cover.index_name(table))} ON {qt} ({', '.join(_q(c) for c in cover.columns)})")


def _has_extension(cur, name: str) -> bool:
    cur.execute("SELECT 1 FROM pg_extension WHERE extname = %s", (name,))
    return cur.fetchone() is not None


def _ensure_extensions(cur) -> bool:
    """PostGIS must be there (or creatable); pg_trgm is optional. Returns whether pg_trgm is usable."""
    if not _has_extension(cur, "postgis"):
        cur.execute("SAVEPOINT ext")
        try:
            cur.execute("CREATE EXTENSION postgis")
            cur.execute("RELEASE SAVEPOINT ext")
        except Exception as exc:  # psycopg2.Error; the message names the cause (not installed, not allowed)
            cur.execute("ROLLBACK TO SAVEPOINT ext; RELEASE SAVEPOINT ext")
            raise LoadError(
                "the PostGIS extension is not enabled in this database and could not be created "
                f"({str(exc).strip()}); run 'CREATE EXTENSION postgis' as a superuser"
            ) from None
    if _has_extension(cur, "pg_trgm"):
        return True
    cur.execute("SAVEPOINT ext")
    try:
        cur.execute("CREATE EXTENSION pg_trgm")  # a trusted extension: the database owner may create it
        cur.execute("RELEASE SAVEPOINT ext")
        return True
    except Exception:
        cur.execute("ROLLBACK TO SAVEPOINT ext; RELEASE SAVEPOINT ext")
        return False


def _schema_exists(cur, name: str) -> bool:
    cur.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,))
    return cur.fetchone() is not None


def _ops_schema(cur, extname: str) -> str:
    cur.execute(
        "SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = %s",
        (extname,),
    )
    return cur.fetchone()[0]


def _set_search_path(cur, schema: str) -> bool:
    """Make ``schema, public`` the database's default search_path (so that psql, QGIS and the store
    find the atlas tables unqualified). Needs the database owner; returns whether it was done."""
    cur.execute("SELECT current_database()")
    db = cur.fetchone()[0]
    cur.execute("SAVEPOINT search_path")
    try:
        cur.execute(f"ALTER DATABASE {_q(db)} SET search_path TO {_q(schema)}, public")
        cur.execute("RELEASE SAVEPOINT search_path")
        return True
    except Exception:
        cur.execute("ROLLBACK TO SAVEPOINT search_path; RELEASE SAVEPOINT search_path")
        return False


def load(
    gpkg: str | os.PathLike, url: str, schema: str = DEFAULT_SCHEMA, progress: bool = False, log=None, finish=None
) -> dict[str, int]:
    """Load the atlas GeoPackage ``gpkg`` into the schema ``schema`` of the database at ``url``.

    ``url`` is a libpq URL (``postgresql://user[:password]@host:port/dbname``). The previous content of
    ``schema`` is replaced in the same transaction; on any error nothing changes and :class:`LoadError`
    (or the database error) is raised. Returns the number of rows loaded per stored table.

    ``finish(connection, loading_schema, log)``, when given, completes the loaded schema inside the
    transaction, before the swap: the command line persists the statistics of the standard searches there
    (:mod:`coopatlas.stats_warm`, a layer above this one).
    """
    import psycopg2

    gpkg = Path(gpkg)
    if not gpkg.is_file():
        raise LoadError(f"no GeoPackage at {gpkg} (build it with 'coopatlas build')")
    if schema in ("public", "pg_catalog", "information_schema") or schema.startswith("pg_"):
        raise LoadError(f"schema {schema!r} cannot be used for the atlas: it is replaced as a whole")
    say = log or (lambda msg: None)
    tables = stored_tables()
    try:
        lite = open_readonly(gpkg, require_geopackage=False)
    except sqlite3.DatabaseError as exc:
        raise LoadError(f"{gpkg} is not an atlas GeoPackage: {exc}") from None
    try:
        counts_in = {t: _gpkg_count(lite, t) for t, _ in tables}
        pg = psycopg2.connect(url)
    except sqlite3.DatabaseError as exc:
        lite.close()
        raise LoadError(f"{gpkg} is not an atlas GeoPackage: {exc}") from None
    except psycopg2.OperationalError as exc:
        lite.close()
        raise LoadError(f"cannot connect to {_redact(url)}: {str(exc).strip()}") from None
    staging = f"{schema}__loading"
    old = f"{schema}__previous"
    t0 = time.perf_counter()
    bar = None
    counts: dict[str, int] = {}
    current = None  # the table being loaded, for error messages
    try:
        with pg:  # one transaction: committed at the end of the block, rolled back on any exception
            cur = pg.cursor()
            cur.execute("SET LOCAL synchronous_commit = off")
            cur.execute("SET LOCAL maintenance_work_mem = '256MB'")
            trgm = _ensure_extensions(cur)
            cur.execute(f"DROP SCHEMA IF EXISTS {_q(staging)} CASCADE")
            cur.execute(f"CREATE SCHEMA {_q(staging)}")
            if progress:
                from tqdm import tqdm

                bar = tqdm(
                    total=sum(counts_in.values()), unit=" rows", desc="PostGIS", file=sys.stderr, dynamic_ncols=True
                )
            for table, coll in tables:
                current = table
                qualified = f"{_q(staging)}.{_q(table)}"
                if bar is not None:
                    bar.set_postfix_str(table)
                cur.execute(table_ddl(coll, qualified))
                counts[table] = _copy_table(lite, cur, coll, table, qualified, bar)
                _index_table(cur, coll, staging, table)
                if trgm and _searchable(coll):
                    ops = f"{_q(_ops_schema(cur, 'pg_trgm'))}.gin_trgm_ops"
                    cur.execute(
                        f"CREATE INDEX {_q(f'{table}_{SEARCH}_trgm')} ON {qualified} USING gin ({_q(SEARCH)} {ops})"
                    )
                cur.execute(f"ANALYZE {qualified}")
                if counts[table] != counts_in[table]:
                    raise LoadError(f"{table}: {counts[table]} rows loaded, {counts_in[table]} in the GeoPackage")
            current = None
            demandes = sch.COLLECTIONS["demandes"]
            statuses = ", ".join("'" + s.replace("'", "''") + "'" for s in STATUTS_VALIDATION_PUBLICS)
            cur.execute(
                f"CREATE VIEW {_q(staging)}.{_q(demandes.id)} AS SELECT "
                f"{', '.join(_q(c) for c in _columns(demandes))} FROM {_q(staging)}.{_q(sch.DEMANDES_TABLE)} "
                f"WHERE statut_validation IN ({statuses})"
            )
            # the atlas's metadata (date of the data, synthetic notice), as in the GeoPackage
            cur.execute(f"CREATE TABLE {_q(staging)}.{_q(METADATA_TABLE)} (cle text PRIMARY KEY, valeur text)")
            meta_rows = (
                lite.execute(f"SELECT cle, valeur FROM {METADATA_TABLE}").fetchall()
                if lite.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (METADATA_TABLE,)).fetchone()
                else []
            )
            cur.executemany(f"INSERT INTO {_q(staging)}.{_q(METADATA_TABLE)} VALUES (%s, %s)", meta_rows)
            # the versions of the tables (what caches of figures key on), renewed by triggers at each change
            has_versions = lite.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (VERSIONS_TABLE,)).fetchone()
            given = dict(lite.execute(f"SELECT table_name, version FROM {VERSIONS_TABLE}")) if has_versions else {}
            statements, version_rows = table_versions.postgis_sql(
                staging, {t: given.get(t) or uuid.uuid4().hex for t, _ in tables}
            )
            for stmt in statements:
                cur.execute(stmt)
            cur.executemany(f"INSERT INTO {_q(staging)}.{VERSIONS_TABLE} VALUES (%s, %s)", version_rows)
            if finish is not None:
                current = None
                finish(pg, staging, say)
            cur.execute(
                f"COMMENT ON SCHEMA {_q(staging)} IS %s", (f"CoopAtlas, loaded from {gpkg.name} by coopatlas postgis",)
            )
            # swap: the previous atlas goes only when the new one is complete
            cur.execute(f"DROP SCHEMA IF EXISTS {_q(old)} CASCADE")
            if _schema_exists(cur, schema):
                cur.execute(f"ALTER SCHEMA {_q(schema)} RENAME TO {_q(old)}")
            cur.execute(f"ALTER SCHEMA {_q(staging)} RENAME TO {_q(schema)}")
            cur.execute(f"DROP SCHEMA IF EXISTS {_q(old)} CASCADE")
            searchable_by_default = _set_search_path(cur, schema)
    except psycopg2.Error as exc:
        where = f" (table {current})" if current else ""
        raise LoadError(f"the load failed{where}, nothing was changed: {str(exc).strip()}") from exc
    finally:
        if bar is not None:
            bar.close()
        pg.close()
        lite.close()
    if not searchable_by_default:
        say(
            f"note: could not make {schema!r} the database's default search_path (not the owner): "
            f"qualify the tables ({schema}.projets) or SET search_path TO {schema}, public"
        )
    say(
        f"loaded {sum(counts.values())} rows in {len(counts)} tables into schema {schema!r} of "
        f"{_redact(url)} in {time.perf_counter() - t0:.1f} s"
    )
    return counts


def _redact(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<database URL>"


def connection_parameters(url: str) -> dict:
    """host, port, dbname, user, password of a ``postgresql://`` URL (``None`` where not given)."""
    from sqlalchemy.engine import make_url

    try:
        u = make_url(url)
    except Exception:
        raise ValueError(
            f"not a database URL: {_redact(url)!r} (expected postgresql://user@host:port/dbname)"
        ) from None
    if not u.drivername.startswith("postgresql"):
        raise ValueError(f"not a PostgreSQL URL: {_redact(url)!r} (expected postgresql://user@host:port/dbname)")
    if not u.database:
        raise ValueError(f"the database URL {_redact(url)!r} names no database")
    return {
        "host": u.host or "localhost",
        "port": u.port or 5432,
        "dbname": u.database,
        "user": u.username,
        "password": u.password,
    }


#: Dotted path of the pygeoapi feature provider over PostGIS: the core ``PostgreSQL`` provider plus ``q``.
PROVIDER = "coopatlas.server.postgis_provider.AtlasPostgreSQLProvider"


def pygeoapi_provider_config(url: str, collection_id: str, schema: str | None = None) -> dict:
    """The pygeoapi ``providers`` entry serving collection ``collection_id`` from the loaded database.

    The provider is pygeoapi's core PostgreSQL provider (SQLAlchemy + GeoAlchemy2 + pygeofilter for
    CQL2), subclassed (:class:`coopatlas.server.postgis_provider.AtlasPostgreSQLProvider`) to add the
    keyword search ``q=`` over the hidden ``recherche`` column, keep the internal columns (``fid``,
    ``recherche``) out of the published fields, and answer as the GeoPackage provider does (same checks
    and 400s, antimeridian boxes, NULL order). Geometries are stored in EPSG:4326 with longitude first,
    which the storage CRS OGC CRS84 describes. The connection is given as parameters (``search_path``
    ``<schema>, public``: the core provider reflects the table in the first schema of that list).
    """
    coll = sch.collection(collection_id)
    schema = schema or os.environ.get(SCHEMA_ENV) or DEFAULT_SCHEMA
    data = connection_parameters(url)
    data["search_path"] = [schema, "public"]
    cfg = {
        "type": "feature",
        "name": PROVIDER,
        "data": data,
        "id_field": coll.id_field,
        "table": coll.id,  # the demandes collection reads the public view, never bourse_demandes
        "geom_field": GEOM,
        "storage_crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",  # lets pygeoapi apply filter-crs
    }
    return cfg


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--gpkg",
        default=os.environ.get("COOPATLAS_GPKG", "build/atlas.gpkg"),
        help="the built atlas GeoPackage (default: $COOPATLAS_GPKG or build/atlas.gpkg)",
    )
    parser.add_argument(
        "--url",
        default=os.environ.get(DATABASE_URL_ENV),
        help=f"database URL, postgresql://user[:password]@host:port/dbname (default: ${DATABASE_URL_ENV})",
    )
    parser.add_argument(
        "--schema",
        default=os.environ.get(SCHEMA_ENV, DEFAULT_SCHEMA),
        help=f"PostgreSQL schema of the atlas, replaced as a whole (default: {DEFAULT_SCHEMA})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")


def run(args: argparse.Namespace) -> int:
    if not args.url:
        print(f"coopatlas postgis: --url is required (or set {DATABASE_URL_ENV})", file=sys.stderr)
        return 2
    try:
        connection_parameters(args.url)
        counts = load(
            args.gpkg,
            args.url,
            schema=args.schema,
            progress=not args.quiet,
            log=lambda m: print(m, file=sys.stderr),
            finish=getattr(args, "finish", None),
        )
    except (LoadError, ValueError) as exc:
        print(f"coopatlas postgis: {exc}", file=sys.stderr)
        return 1
    for table, n in counts.items():
        print(f"{table}\t{n}")
    return 0
