"""The statistics of the Atlas's standard searches, computed ahead and persisted in the atlas database.

The first statistics of a search in a new worker, or after a change of the data, run their SQL: about
0.3 s for the world at ×100 since its projects are counted from a covering index (:mod:`coopatlas.stats`;
10 to 17 s before), 20 to 150 ms for a country or a continent. This module runs :func:`coopatlas.stats.statistics`
(default ``top``, in French and in English) for the standard searches (:func:`standard_searches`): the
world, France, each continent and sub-continent, each country with projects or requests, each French
region and department; every read they make is persisted in the table of
:mod:`coopatlas.store.persisted_reads`, under the versions of the tables it reads. Then the first call of
a worker answers from those rows (a lookup by key) instead of running the SQL.

Who writes them:

* ``coopatlas build``, into the new GeoPackage before it replaces the previous one
  (:func:`finish_build`; the same data gives the same reads in key order: builds stay byte-identical);
* ``coopatlas postgis``, in the loading schema before the swap (:func:`finish_load`): the PostGIS SQL
  differs from SQLite's, so it computes its own, and the new atlas is served with its reads from the
  first request;
* ``coopatlas statistiques-cache [--gpkg PATH | --url URL]``, into an existing atlas (one built before,
  or after its data changed), with its progress on stderr.

The server never writes them: a search that is not standard (a theme, a keyword...) is computed by the
SQL as before, then kept in the worker's cache; after a change of a table (a Bourse request changes
``demandes``, a collectivity's update ``projets``), the reads of that table are computed again until the
next ``coopatlas statistiques-cache``, those of the other tables are still found.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import time

from . import stats
from . import vocabulary as voc
from .criteria import Criteria
from .store import PostGISStore, Store, default_location, live_writer, persisted_reads, postgis
from .store.cached_reads import CachedReads

#: The languages whose statistics are persisted (the country names of the splits differ).
LANGS = ("fr", "en")


def standard_searches(store: Store) -> list[tuple[str, Criteria]]:
    """``(label, criteria)`` of the Atlas's standard searches (its scopes, :data:`coopatlas.stats.SCOPES`,
    but for single collectivities): the world, France, the continents and sub-continents, the countries
    with projects or requests, the French regions and departments."""
    out = [("monde", stats.scope_criteria("monde")), ("france", stats.scope_criteria("france"))]
    codes = {
        "continent": voc.CONTINENTS.codes,
        "sous_continent": voc.SOUS_CONTINENTS.codes,
        "pays": [
            r[0]
            for r in store.rows(
                "SELECT pays_code FROM projets WHERE pays_code IS NOT NULL UNION "
                "SELECT pays_code FROM demandes WHERE pays_code IS NOT NULL ORDER BY 1"
            )
        ],
        "region": [r[0] for r in store.rows("SELECT code_region FROM regions ORDER BY 1")],
        "departement": [r[0] for r in store.rows("SELECT code_departement FROM departements ORDER BY 1")],
    }
    for scope, values in codes.items():
        for code in values:
            try:
                out.append((f"{scope} {code}", stats.scope_criteria(scope, code)))
            except ValueError:  # no code, or one no search can give (e.g. malformed, in an imported file)
                continue
    return out


def warm(store: Store, say=None) -> dict[str, str]:
    """The reads of the statistics of every standard search on ``store`` (key → rows as JSON, see
    :mod:`coopatlas.store.persisted_reads`); empty when the database has no tables' versions. ``say``
    receives a progress line now and then."""
    say = say or (lambda msg: None)
    entries: dict[str, str] = {}
    reads = CachedReads(store, record=entries)  # one wrapper: every read under the same versions
    searches = standard_searches(store)
    t0 = last = time.perf_counter()
    say(f"statistiques : {len(searches)} recherches standard à calculer")
    for i, (label, criteria) in enumerate(searches, 1):
        try:
            for lang in LANGS:
                stats.statistics(reads, criteria, lang=lang)
        except (TypeError, ValueError, ArithmeticError) as exc:  # data the statistics cannot read: the
            say(f"statistiques : {label} non calculées ({exc})")  # server answers it as before (an error)
        now = time.perf_counter()
        if now - last >= 5 or i == len(searches):
            say(f"statistiques : {i}/{len(searches)} ({label}), {len(entries)} lectures, {now - t0:.0f} s")
            last = now
    return entries


def finish_build(path, con, say=None) -> None:
    """Hook of ``coopatlas build``: persist the reads of the standard searches into the new GeoPackage
    ``path``, open for writing as ``con`` (``sqlite3``), before it replaces the previous one."""
    store = Store(path)
    try:
        entries = warm(store, say)
    finally:
        store.close()
    with con:
        persisted_reads.write_sqlite(con, entries)


class _LoadingStore(PostGISStore):
    """The store of a PostGIS schema being loaded: the loading connection, inside its transaction."""

    def __init__(self, con, schema: str):
        super().__init__(f"postgresql://loading/{schema}")
        self._con = con

    def _connect(self):
        return self._con

    def close(self) -> None:
        pass


def finish_load(con, schema: str, say=None) -> None:
    """Hook of ``coopatlas postgis``: persist the reads of the standard searches into the schema
    ``schema`` being loaded, with the loading connection ``con`` (psycopg2), inside its transaction."""
    with con.cursor() as cur:
        cur.execute("SELECT current_setting('search_path')")
        previous = cur.fetchone()[0]
        cur.execute("SELECT set_config('search_path', %s, true)", (f'"{schema}", public',))
        persisted_reads.write_postgis(cur, schema, {})  # the table its lookups read (an error would end the load)
        entries = warm(_LoadingStore(con, schema), say)
        persisted_reads.write_postgis(cur, schema, entries)
        cur.execute("SELECT set_config('search_path', %s, true)", (previous,))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--gpkg", help="the atlas GeoPackage (default: $COOPATLAS_DATABASE_URL, $COOPATLAS_GPKG, else build/atlas.gpkg)"
    )
    where.add_argument("--url", "--database-url", dest="url", help="the PostGIS atlas, postgresql://...")
    parser.add_argument(
        "--schema",
        default=os.environ.get(postgis.SCHEMA_ENV, postgis.DEFAULT_SCHEMA),
        help=f"PostgreSQL schema of the atlas (default: {postgis.DEFAULT_SCHEMA})",
    )
    parser.add_argument("--quiet", action="store_true", help="no progress lines")


def run(args: argparse.Namespace) -> int:
    """``coopatlas statistiques-cache``: (re)write the persisted reads of an existing atlas."""
    from .data.build import Progress

    say = Progress(quiet=args.quiet)
    location = args.url or args.gpkg or default_location()
    on_postgis = location.startswith(("postgresql://", "postgres://"))
    if not on_postgis and not os.path.isfile(location):
        print(f"error: no atlas GeoPackage at {location}", file=sys.stderr)
        return 1
    try:
        entries = _warm_and_write(location, on_postgis, args.schema, say)
    except (sqlite3.Error, ValueError, live_writer.AtlasLockTimeout) as exc:  # ValueError: NotAGeoPackage
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except Exception as exc:  # psycopg2.Error (imported only for a PostGIS atlas)
        if type(exc).__module__.split(".")[0] != "psycopg2":
            raise
        print(f"error: {str(exc).strip()}", file=sys.stderr)
        return 1
    if not entries:
        print(f"error: {location} has no versions of its tables (built before them): rebuild it", file=sys.stderr)
        return 1
    say(f"statistiques : {len(entries)} lectures écrites dans {persisted_reads.READS_TABLE}")
    return 0


def _warm_and_write(location: str, on_postgis: bool, schema: str, say) -> dict[str, str]:
    store = PostGISStore(location) if on_postgis else Store(location)
    try:
        entries = warm(store, say)
    finally:
        store.close()
    if not entries:
        return entries
    if on_postgis:
        import psycopg2

        con = psycopg2.connect(location)
        try:
            with con, con.cursor() as cur:
                persisted_reads.write_postgis(cur, schema, entries)
        finally:
            con.close()
    else:
        with live_writer.transaction(location) as con:
            persisted_reads.write_sqlite(con, entries)
    return entries
