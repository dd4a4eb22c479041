"""The store: read queries on the atlas database, GeoPackage (embedded default) or PostGIS, same results.

The core (statistics, reports, maps) asks the store for rows with portable SQL built from
:class:`coopatlas.criteria.Criteria`; the store owns connections and dialects. Geometries come back as
shapely objects in EPSG:4326.

>>> store = open_store("build/atlas.gpkg")            # doctest: +SKIP
>>> store.scalar("SELECT COUNT(*) FROM projets")      # doctest: +SKIP
13468
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import pandas as pd
import shapely

from ..paths import DEFAULT_GPKG
from .geopackage import ReadOnlyConnections, decode_geometry, readable_keyword_index


def default_location() -> str:
    """The database the server and processes use: ``COOPATLAS_DATABASE_URL`` (PostGIS) if set, else
    ``COOPATLAS_GPKG``, else ``build/atlas.gpkg``."""
    return os.environ.get("COOPATLAS_DATABASE_URL") or os.environ.get("COOPATLAS_GPKG") or str(DEFAULT_GPKG)


def read_location() -> str:
    """The database to read the atlas from: the read replica ``COOPATLAS_DATABASE_READ_URL`` when the atlas
    is on PostgreSQL and one is configured, else :func:`default_location`. A :class:`Store` only reads."""
    replica = os.environ.get("COOPATLAS_DATABASE_READ_URL")
    if replica and os.environ.get("COOPATLAS_DATABASE_URL"):
        return replica
    return default_location()


class Store:
    """Read access to one atlas database. Thread-safe: one connection per thread (for a GeoPackage, re-opened
    when a rebuild replaced the file)."""

    dialect = "sqlite"

    def __init__(self, location: str | os.PathLike):
        self.location = str(location)
        self._local = threading.local()
        self._connections = ReadOnlyConnections(check_same_thread=False)

    # --- to be specialised per backend -----------------------------------------------------------------
    def _connect(self):
        try:
            return self._connections.get(self.location)
        except FileNotFoundError:
            raise FileNotFoundError(f"atlas database {self.location} not found (build it with `make data`)") from None

    def geometry_sql(self, column: str = "geom") -> str:
        """SQL expression giving the geometry in a form :meth:`decode_geometry` reads."""
        return column

    def decode_geometry(self, value):
        return decode_geometry(value)

    def placeholder(self) -> str:
        return "?"

    def keyword_index(self, table: str) -> str | None:
        """The FTS5 keyword index of ``table`` (:func:`.geopackage.keyword_index`, rowids = the table's
        ``fid``) when the database has one this SQLite can read, else None: criteria then read its
        keywords with LIKE."""
        return readable_keyword_index(self.connection, table)

    # --- common --------------------------------------------------------------------------------------
    @property
    def connection(self):
        return self._connect()

    @contextmanager
    def cursor(self) -> Iterator[Any]:
        cur = self.connection.cursor()
        try:
            yield cur
        finally:
            cur.close()

    def rows(self, sql: str, params: Sequence = ()) -> list[tuple]:
        with self.cursor() as cur:
            cur.execute(sql, list(params))
            return cur.fetchall()

    def records(self, sql: str, params: Sequence = ()) -> list[dict]:
        with self.cursor() as cur:
            cur.execute(sql, list(params))
            cols = [d[0] for d in cur.description]
            return [dict(zip(cols, r)) for r in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence = ()):
        rows = self.rows(sql, params)
        return rows[0][0] if rows else None

    def frame(self, sql: str, params: Sequence = ()) -> pd.DataFrame:
        with self.cursor() as cur:
            cur.execute(sql, list(params))
            cols = [d[0] for d in cur.description]
            return pd.DataFrame(cur.fetchall(), columns=cols)

    def close(self) -> None:
        """Close the connection of the current thread."""
        self._connections.close()


class PostGISStore(Store):
    """The same queries on PostgreSQL/PostGIS (``postgresql://`` URL)."""

    dialect = "postgresql"

    def _connect(self):
        con = getattr(self._local, "con", None)
        if con is not None and con.closed:  # lost (PostgreSQL restarted): a new one, not "connection closed"
            con = self._local.con = None
        if con is None:
            import psycopg2

            con = self._local.con = psycopg2.connect(self.location)
            con.set_session(readonly=True, autocommit=True)
        return con

    def geometry_sql(self, column: str = "geom") -> str:
        return f"ST_AsBinary({column})"

    def decode_geometry(self, value):
        return None if value is None else shapely.from_wkb(bytes(value))

    def placeholder(self) -> str:
        return "%s"

    def keyword_index(self, table: str) -> str | None:
        return None  # no FTS5 on PostgreSQL: the keywords are a LIKE on the search column

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None:
            con.close()
            self._local.con = None


_stores: dict[str, Store] = {}
_lock = threading.Lock()


def open_store(location: str | os.PathLike | None = None) -> Store:
    """The store of ``location`` (a GeoPackage path or a ``postgresql://`` URL; default
    :func:`read_location`), shared per location within the process."""
    location = str(location or read_location())
    with _lock:
        store = _stores.get(location)
        if store is None:
            cls = PostGISStore if location.startswith(("postgresql://", "postgres://")) else Store
            store = _stores[location] = cls(location)
        return store
