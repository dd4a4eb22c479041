"""The served atlas (GeoPackage or PostGIS) as the live features read and write it: transactions, the marker.

The live database (:mod:`coopatlas.bourse.live`) is the authoritative copy of what the server writes;
the atlas is where it becomes visible (the private table ``bourse_demandes`` and the public ``demandes``
view, the derived counts of ``partenaires`` and ``pays``, the collectivities' updates of ``projets``,
``liens`` and ``collectivites``). Every live change appends a row to the live journal ``changements``;
:func:`sync` applies to the atlas the changes it has not seen yet, in one atlas transaction that also
records how far it went (the marker: :func:`coopatlas.store.live_writer.set_marker`, or the table
``coopatlas_live`` of the PostGIS schema). A rebuilt (or reloaded) atlas has no marker: the whole live
journal is applied again. Every application is idempotent: it writes the *current* live state of a
request or of an updated record, so applying a change twice, or a crash between the live commit and
the atlas commit, leaves the atlas right. What the changes write, and the synchronisation, are
:mod:`coopatlas.bourse.atlas_sync`.

Geometries are EPSG:4326 (longitude, latitude in degrees).
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import shapely

from .. import schema as sch
from ..store import live_writer as gpkgw
from ..store.geopackage import GEOM, SEARCH, open_readonly, search_text
from .live import now
from .settings import is_postgresql

LOGGER = logging.getLogger(__name__)

DEMANDES = sch.DEMANDES
TABLE = sch.DEMANDES_TABLE
#: Advisory lock key of the atlas writers on PostgreSQL.
PG_ATLAS_LOCK = 0x41746C73  # 'Atls'
MARKER_TABLE = gpkgw.MARKER_TABLE


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class AtlasTx:
    """One transaction (or read) on the atlas, the same methods on both backends. Rows are dicts of the
    collection's fields plus ``geometry`` (shapely)."""

    def __init__(self, con, pg: bool):
        self.con = con
        self.pg = pg
        self._cur = con.cursor() if pg else None

    # --- plain SQL, '?' placeholders ---
    def query(self, sql: str, params=()) -> list[dict]:
        if self.pg:
            self._cur.execute(sql.replace("%", "%%").replace("?", "%s"), tuple(params))
            cols = [d[0] for d in self._cur.description]
            return [dict(zip(cols, r)) for r in self._cur.fetchall()]
        cur = self.con.execute(sql, tuple(params))
        cols = [d[0] for d in cur.description]
        return [dict(zip(cols, r)) for r in cur.fetchall()]

    def scalar(self, sql: str, params=()):
        rows = self.query(sql, params)
        return next(iter(rows[0].values())) if rows else None

    # --- rows of a collection ---
    def get(self, coll: sch.Collection, idv: str, table: str | None = None) -> dict | None:
        table = table or coll.source
        if not self.pg:
            return gpkgw.read_row(self.con, coll, idv, table)
        cols = ([f"ST_AsBinary({_q(GEOM)}) AS geom"] if coll.geometry else []) + [_q(n) for n in coll.field_names]
        self._cur.execute(f"SELECT {', '.join(cols)} FROM {_q(table)} WHERE {_q(coll.id_field)} = %s", (idv,))
        r = self._cur.fetchone()
        if r is None:
            return None
        vals = list(r)
        out = {}
        if coll.geometry:
            g = vals.pop(0)
            out["geometry"] = None if g is None else shapely.from_wkb(bytes(g))
        out.update(zip(coll.field_names, vals))
        return out

    def upsert(self, coll: sch.Collection, row: dict, table: str | None = None) -> None:
        table = table or coll.source
        if not self.pg:
            gpkgw.upsert(self.con, coll, row, table)
            return
        searchable = any(f.searchable for f in coll.fields)
        cols, vals, marks = [], [], []
        if coll.geometry:
            g = row.get("geometry")
            cols.append(GEOM)
            vals.append(None if g is None else shapely.to_wkb(g, output_dimension=2))
            marks.append("ST_SetSRID(ST_GeomFromWKB(%s), 4326)")
        for f in coll.fields:
            v = row.get(f.name)
            cols.append(f.name)
            vals.append(bool(v) if (f.type == sch.BOOLEAN and v is not None) else v)
            marks.append("%s")
        if searchable:
            cols.append(SEARCH)
            vals.append(search_text(coll, row))
            marks.append("%s")
        sets = ", ".join(f"{_q(c)} = EXCLUDED.{_q(c)}" for c in cols if c != coll.id_field)
        self._cur.execute(
            f"INSERT INTO {_q(table)} (fid, {', '.join(_q(c) for c in cols)}) "
            f"VALUES ((SELECT COALESCE(MAX(fid), 0) + 1 FROM {_q(table)}), {', '.join(marks)}) "
            f"ON CONFLICT ({_q(coll.id_field)}) DO UPDATE SET {sets}",
            vals,
        )

    def delete(self, coll: sch.Collection, idv: str, table: str | None = None) -> None:
        table = table or coll.source
        if not self.pg:
            gpkgw.delete(self.con, coll, idv, table)
            return
        self._cur.execute(f"DELETE FROM {_q(table)} WHERE {_q(coll.id_field)} = %s", (idv,))

    # --- marker of the live changes applied ---
    def marker(self) -> dict | None:
        if not self.pg:
            return gpkgw.get_marker(self.con)
        self._cur.execute("SELECT to_regclass(%s)", (MARKER_TABLE,))
        if self._cur.fetchone()[0] is None:
            return None
        self._cur.execute(f"SELECT cle, valeur FROM {_q(MARKER_TABLE)}")
        return {k: json.loads(v) for k, v in self._cur.fetchall()} or None

    def set_marker(self, base: str, sequence: int) -> None:
        if not self.pg:
            gpkgw.set_marker(self.con, base, sequence)
            return
        self._cur.execute(f"CREATE TABLE IF NOT EXISTS {_q(MARKER_TABLE)} (cle text PRIMARY KEY, valeur text NOT NULL)")
        for k, v in {"base": base, "sequence": int(sequence), "date": now()}.items():
            self._cur.execute(
                f"INSERT INTO {_q(MARKER_TABLE)} (cle, valeur) VALUES (%s, %s) "
                "ON CONFLICT (cle) DO UPDATE SET valeur = EXCLUDED.valeur",
                (k, json.dumps(v)),
            )


class Atlas:
    """The served atlas database: a GeoPackage path, or a ``postgresql://`` URL and its schema."""

    def __init__(self, location: str, schema: str | None = None):
        self.location = str(location)
        self.pg = is_postgresql(self.location)
        self.schema = schema or ("atlas" if self.pg else None)
        self._local = threading.local()

    def __repr__(self):
        return f"<Atlas {'postgresql ' + self.schema if self.pg else self.location}>"

    def _pg(self):
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:
            self._local.con, self._local.pid = None, pid
        con = self._local.con
        if con is None or con.closed:
            import psycopg2

            con = self._local.con = psycopg2.connect(self.location, options=f"-c search_path={self.schema},public")
        return con

    @contextmanager
    def write(self) -> Iterator[AtlasTx]:
        """One write transaction (serialised with every other atlas writer)."""
        if not self.pg:
            with gpkgw.transaction(self.location) as con:
                yield AtlasTx(con, False)
            return
        import psycopg2

        con = self._pg()
        try:
            tx = AtlasTx(con, True)
            tx._cur.execute("SELECT pg_advisory_xact_lock(%s)", (PG_ATLAS_LOCK,))
            yield tx
            con.commit()
        except psycopg2.OperationalError:
            self._local.con = None
            raise
        except BaseException:
            if not con.closed:
                con.rollback()
            raise

    @contextmanager
    def read(self) -> Iterator[AtlasTx]:
        """A read-only view of the atlas (a hot journal left by a killed writer is rolled back first)."""
        if not self.pg:
            gpkgw.recover(self.location)
            con = open_readonly(self.location, timeout=gpkgw.BUSY_TIMEOUT_MS / 1000)
            try:
                con.execute("BEGIN")
                yield AtlasTx(con, False)
            finally:
                con.close()
            return
        con = self._pg()
        try:
            yield AtlasTx(con, True)
        finally:
            if not con.closed:
                con.rollback()

    def recover(self) -> bool:
        return False if self.pg else gpkgw.recover(self.location)

    def integrity(self) -> str:
        """SQLite's integrity check of the GeoPackage (``ok``), or ``ok`` on PostGIS."""
        if self.pg:
            return "ok"
        with self.read() as a:
            return a.scalar("PRAGMA integrity_check")
