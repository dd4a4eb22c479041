"""Versions of the atlas's tables: what a cache of figures keys on, so that it never serves stale ones.

A small table ``coopatlas_versions (table_name, version)`` holds one version per stored table and per view
of one (``demandes``, the public view of ``bourse_demandes``, has its base table's version):

* the build writes a digest of each table's rows (the same rows give the same version, so that builds
  stay byte-identical; other rows, another version);
* triggers on each table replace its version with a random value at every ``INSERT``, ``UPDATE`` or
  ``DELETE``, inside the transaction of the change, whoever writes (the live Bourse requests, a
  collectivity's update, QGIS editing the file): a reader that sees the new rows sees the new version;
* the PostGIS load copies the versions of the GeoPackage it loads and adds the same triggers.

A database without the table (built before it existed) has no versions: nothing is cached for it.

The readers of versions: the statistics' cached reads (:mod:`coopatlas.store.cached_reads`, :func:`read`),
the ``numberMatched`` counts and the GeoPackage tiles (:func:`of`: the versions of the tables a request
reads) and the downloads (:mod:`coopatlas.opendata.downloads`, :func:`read`).
"""

from __future__ import annotations

from .. import schema as sch

VERSIONS_TABLE = "coopatlas_versions"


def names_of(table: str) -> list[str]:
    """The names a query may read ``table`` by: the table and the collections (views) stored in it."""
    views = ["demandes"] if table == sch.DEMANDES_TABLE else []  # the public view of the private requests
    return list(dict.fromkeys([table, *views]))


def _in_list(names: list[str]) -> str:
    return ", ".join("'" + n.replace("'", "''") + "'" for n in names)


def sqlite_sql(versions: dict[str, str]) -> list[str]:
    """The versions table of a new GeoPackage, filled with ``versions`` (stored table → digest), and the
    triggers that renew a table's version (and its views') at each change."""
    out = [f'CREATE TABLE "{VERSIONS_TABLE}" (table_name TEXT PRIMARY KEY NOT NULL, version TEXT NOT NULL)']
    for table, version in versions.items():
        for name in names_of(table):
            out.append(f"INSERT INTO \"{VERSIONS_TABLE}\" VALUES ('{name}', '{version}')")
        renew = (
            f'UPDATE "{VERSIONS_TABLE}" SET version = lower(hex(randomblob(16))) '
            f"WHERE table_name IN ({_in_list(names_of(table))});"
        )
        for event in ("INSERT", "UPDATE", "DELETE"):
            out.append(f'CREATE TRIGGER "{table}_version_{event.lower()}" AFTER {event} ON "{table}" BEGIN {renew} END')
    return out


def postgis_sql(schema: str, versions: dict[str, str]) -> tuple[list[str], list[tuple]]:
    """(statements, rows of the versions table) of a PostGIS schema holding ``versions`` (stored table →
    version). The trigger renews a version once per statement, in the schema of the changed table (the
    load renames its schema at the end)."""
    q = f'"{schema}"'
    statements = [
        f"CREATE TABLE {q}.{VERSIONS_TABLE} (table_name text PRIMARY KEY, version text NOT NULL)",
        f"CREATE FUNCTION {q}.coopatlas_new_version() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"EXECUTE format('UPDATE %I.{VERSIONS_TABLE} SET version = md5(random()::text || clock_timestamp()::text) "
        "WHERE table_name = ANY($1)', TG_TABLE_SCHEMA) USING TG_ARGV; RETURN NULL; END $$",
    ]
    rows = []
    for table, version in versions.items():
        rows += [(name, version) for name in names_of(table)]
        statements.append(
            f'CREATE TRIGGER "{table}_version" AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON {q}."{table}" '
            f"FOR EACH STATEMENT EXECUTE FUNCTION {q}.coopatlas_new_version({_in_list(names_of(table))})"
        )
    return statements, rows


def of(rows, names) -> tuple | None:
    """The versions of the tables or views ``names``, as ``((name, version), ...)`` in name order (a part of
    a cache key), read with ``rows(sql)`` (a function running ``sql`` and returning its rows): one query on
    the small versions table, by its primary key. None when the database has no versions table or one of
    ``names`` has no version: nothing read from them may be cached. Read it *before* the data it keys, so
    that a figure is never kept under a version newer than its data."""
    wanted = sorted(set(names))
    try:
        found = dict(
            rows(f'SELECT table_name, version FROM "{VERSIONS_TABLE}" WHERE table_name IN ({_in_list(wanted)})')
        )
    except Exception as exc:  # no such table (sqlite3.OperationalError, psycopg2 / SQLAlchemy errors)
        if missing_table(exc):
            return None
        raise
    if any(name not in found for name in wanted):
        return None
    return tuple((name, found[name]) for name in wanted)


def missing_table(exc: Exception) -> bool:
    """Whether ``exc`` says a table is missing (SQLite's "no such table", PostgreSQL's "does not exist"):
    an atlas built before the table existed."""
    return "no such table" in str(exc) or "does not exist" in str(exc)


def read(store) -> dict[str, str] | None:
    """``{table or view name: version}`` of the database of ``store`` (a :class:`coopatlas.store.Store`),
    or None when it has no versions table."""
    try:
        return dict(store.rows(f"SELECT table_name, version FROM {VERSIONS_TABLE}"))
    except Exception as exc:  # no such table (sqlite3.OperationalError, psycopg2 UndefinedTable)
        if missing_table(exc):
            return None
        raise
