"""The live database: what the server writes and a rebuild of the atlas must never lose.

Accounts and their sessions and API tokens, the Bourse projets requests as submitted (the authoritative
copy) with their audit trail, the collectivities' updates (journal of field changes), the personal
spaces (named searches, maps, PDF exports), the events of the rate limits and the outgoing mail. It lives
outside the atlas database: a SQLite file (``var/live.sqlite``, WAL mode) for the embedded default, a
PostgreSQL schema (``coopatlas_live``) next to the atlas on PostGIS. ``coopatlas build`` and
``coopatlas postgis`` never touch it; :mod:`coopatlas.bourse.atlas` re-applies the live changes to a new
atlas.

Concurrency (several gunicorn workers, threads): one connection per process and thread; every write is
one short transaction that holds the database's write lock from its first statement (SQLite
``BEGIN IMMEDIATE`` with a 30 s busy timeout; PostgreSQL: a transaction-scoped advisory lock), so that
check-then-write sequences (rate limits, caps, reference numbers) are race-free. SQLite runs with
``synchronous = FULL``: a committed transaction survives a crash of the process or of the machine.

Times are stored as ISO 8601 UTC text (``2025-03-01T09:30:00Z``), which sorts chronologically.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import secrets
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ..store.faults import BackendUnavailable, unavailable_cause
from .settings import is_postgresql

#: A read transaction on a PostgreSQL connection unused for longer first checks it (SELECT 1): one left
#: from before a database restart is then reopened instead of failing the request with a 503.
IDLE_PROBE_SECONDS = 1.0
#: What a client reads when the live database cannot answer (HTTP 503): nothing was recorded.
UNAVAILABLE = "the Bourse database is temporarily unavailable; nothing was recorded; please retry later"

#: Key of the PostgreSQL advisory lock that serialises the live database's writers.
PG_LOCK_KEY = 0x436F6F70  # 'Coop'
BUSY_TIMEOUT_MS = 30_000
SCHEMA_VERSION = 1

#: The tables; ``{ID}`` is an auto-increment integer primary key, ``{BLOB}`` a binary column.
DDL = """
CREATE TABLE IF NOT EXISTS parametres (cle TEXT PRIMARY KEY, valeur TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS comptes (
    id {ID}, email TEXT NOT NULL UNIQUE, role TEXT NOT NULL, pays_code TEXT, collectivite_id TEXT, nom TEXT,
    hash TEXT NOT NULL, actif INTEGER NOT NULL DEFAULT 1, cree TEXT NOT NULL, modifie TEXT NOT NULL,
    derniere_connexion TEXT);
CREATE TABLE IF NOT EXISTS jetons (
    empreinte TEXT PRIMARY KEY, compte_id INTEGER NOT NULL REFERENCES comptes(id), genre TEXT NOT NULL,
    cree TEXT NOT NULL, expire TEXT NOT NULL, vu TEXT, libelle TEXT);
CREATE INDEX IF NOT EXISTS idx_jetons_compte ON jetons (compte_id);
CREATE TABLE IF NOT EXISTS compteurs (cle TEXT PRIMARY KEY, debut TEXT NOT NULL, n INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS evenements (id {ID}, cle TEXT NOT NULL, date DOUBLE PRECISION NOT NULL);
CREATE INDEX IF NOT EXISTS idx_evenements_cle ON evenements (cle, date);
CREATE INDEX IF NOT EXISTS idx_evenements_date ON evenements (date);
CREATE TABLE IF NOT EXISTS demandes (
    numero {ID}, reference TEXT UNIQUE, origine TEXT NOT NULL, statut TEXT NOT NULL, pays_code TEXT NOT NULL,
    cle_demandeur TEXT NOT NULL, contenu TEXT NOT NULL, contact_email TEXT, lang TEXT NOT NULL DEFAULT 'fr',
    jeton_completion TEXT, adresse TEXT, date_depot TEXT NOT NULL, date_validation TEXT,
    cree TEXT NOT NULL, modifie TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idx_demandes_statut ON demandes (pays_code, statut);
CREATE INDEX IF NOT EXISTS idx_demandes_demandeur ON demandes (pays_code, cle_demandeur, statut);
CREATE TABLE IF NOT EXISTS transitions (
    id {ID}, reference TEXT NOT NULL, de TEXT, vers TEXT NOT NULL, compte_id INTEGER, acteur TEXT NOT NULL,
    role TEXT, commentaire TEXT, date TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idx_transitions_reference ON transitions (reference);
CREATE TABLE IF NOT EXISTS modifications (
    id {ID}, compte_id INTEGER, acteur TEXT NOT NULL, collection TEXT NOT NULL, objet_id TEXT NOT NULL,
    champ TEXT NOT NULL, ancienne TEXT, nouvelle TEXT, date TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idx_modifications_objet ON modifications (collection, objet_id);
CREATE TABLE IF NOT EXISTS changements (seq {ID}, genre TEXT NOT NULL, cle TEXT NOT NULL, date TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS courriels (
    id {ID}, destinataire TEXT NOT NULL, sujet TEXT NOT NULL, corps TEXT NOT NULL, cree TEXT NOT NULL,
    envoye TEXT, tentatives INTEGER NOT NULL DEFAULT 0, erreur TEXT, prise TEXT, prise_date TEXT);
CREATE INDEX IF NOT EXISTS idx_courriels_envoye ON courriels (envoye);
CREATE TABLE IF NOT EXISTS espace (
    id {ID}, compte_id INTEGER NOT NULL REFERENCES comptes(id), genre TEXT NOT NULL, nom TEXT NOT NULL,
    media_type TEXT NOT NULL, taille INTEGER NOT NULL, contenu {BLOB} NOT NULL, parametres TEXT,
    cree TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS idx_espace_compte ON espace (compte_id);
"""

_TYPES = {
    "sqlite": {"ID": "INTEGER PRIMARY KEY AUTOINCREMENT", "BLOB": "BLOB"},
    "postgresql": {"ID": "BIGSERIAL PRIMARY KEY", "BLOB": "BYTEA"},
}


def now() -> str:
    """The current UTC time as ISO 8601 text with a ``Z``."""
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def later(seconds: float) -> str:
    return (dt.datetime.now(dt.UTC) + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def today() -> str:
    return dt.datetime.now(dt.UTC).date().isoformat()


class Tx:
    """A transaction's cursor: ``execute`` with ``?`` placeholders (on both backends), rows as dicts."""

    def __init__(self, cursor, pg: bool):
        self._cur = cursor
        self.pg = pg

    def execute(self, sql: str, params: Sequence[Any] = ()) -> Tx:
        if self.pg:
            sql = sql.replace("%", "%%").replace("?", "%s")
        self._cur.execute(sql, tuple(params))
        return self

    def _row(self, r) -> dict | None:
        if r is None:
            return None
        cols = [d[0] for d in self._cur.description]
        return {c: (bytes(v) if isinstance(v, memoryview) else v) for c, v in zip(cols, r)}

    def one(self) -> dict | None:
        return self._row(self._cur.fetchone())

    def all(self) -> list[dict]:
        return [self._row(r) for r in self._cur.fetchall()]

    def scalar(self):
        r = self._cur.fetchone()
        return None if r is None else r[0]

    @property
    def rowcount(self) -> int:
        return self._cur.rowcount


class LiveDB:
    """The live database at ``location``: a SQLite path, or a ``postgresql://`` URL and ``schema``."""

    def __init__(self, location: str | os.PathLike, schema: str = "coopatlas_live"):
        self.location = str(location)
        self.pg = is_postgresql(self.location)
        if self.pg and not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", schema):
            raise ValueError(f"live schema {schema!r}: lower-case letters, digits and _ only")
        self.schema = schema
        self._local = threading.local()
        self._ready_pid = None
        self._ready_lock = threading.Lock()

    def __repr__(self):
        return f"<LiveDB {'postgresql' if self.pg else self.location}>"

    # --- connections ---
    def _connect(self):
        if self.pg:
            import psycopg2

            con = psycopg2.connect(self.location, options=f"-c search_path={self.schema}")
            return con
        path = Path(self.location)
        path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(str(path), isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=True)
        con.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = con.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":
            raise RuntimeError(f"{path}: cannot switch the live database to WAL (journal mode {mode})")
        con.execute("PRAGMA synchronous = FULL")
        con.execute("PRAGMA foreign_keys = ON")
        return con

    def _connection(self):
        pid = os.getpid()
        if getattr(self._local, "pid", None) != pid:  # after a fork: never reuse the parent's connection
            self._local.con = None
            self._local.pid = pid
        con = self._local.con
        if con is not None and self.pg and con.closed:  # lost: reopen rather than fail on it
            con = self._local.con = None
        if con is None:
            con = self._local.con = self._connect()
        return con

    def close(self) -> None:
        con = getattr(self._local, "con", None)
        if con is not None and getattr(self._local, "pid", None) == os.getpid():
            con.close()
        self._local.con = None

    @contextmanager
    def tx(self, write: bool = True) -> Iterator[Tx]:
        """One transaction. ``write``: take the write lock first (SQLite ``BEGIN IMMEDIATE``, PostgreSQL
        advisory lock), so that what is read in the transaction cannot change before it commits."""
        try:
            self.ensure_schema()
            with self._tx(write) as t:
                yield t
        except BackendUnavailable:
            raise
        except Exception as exc:
            # missing, read-only, full, corrupt, or PostgreSQL down: the transaction did not commit, nothing
            # was recorded; 503, and a new connection at the next request
            if not unavailable_cause(exc):
                raise
            self._forget()
            raise BackendUnavailable(UNAVAILABLE, what="live") from exc

    def _forget(self) -> None:
        """Drop this thread's connection after a failure (the next transaction opens a new one)."""
        con = getattr(self._local, "con", None)
        self._local.con = None
        if con is not None and getattr(self._local, "pid", None) == os.getpid():
            try:
                con.close()
            except Exception:  # noqa: BLE001 - already broken
                pass

    def check(self) -> None:
        """That the live database answers and takes writes (a write transaction that writes nothing);
        :class:`~coopatlas.store.faults.BackendUnavailable` otherwise. For health checks."""
        for attempt in (1, 2):  # a connection left from before a PostgreSQL restart fails once, then reopens
            try:
                with self.tx(write=True) as t:
                    if self.pg and t.execute("SHOW transaction_read_only").scalar() == "on":
                        raise BackendUnavailable(UNAVAILABLE, what="live")
                    t.execute("SELECT 1")
                return
            except BackendUnavailable:
                if attempt == 2:
                    raise

    @contextmanager
    def _tx(self, write: bool) -> Iterator[Tx]:
        con = self._connection()
        if self.pg:
            import psycopg2

            # a connection left from before a PostgreSQL restart fails at its first statement, before
            # anything is read or written: a write transaction's first statement is its lock; a read
            # transaction on a connection idle for a while (a restart takes seconds) first asks SELECT 1.
            # On failure, reopen once (as check() does) rather than answer 503.
            first = (
                ("SELECT pg_advisory_xact_lock(%s)", (PG_LOCK_KEY,))
                if write
                else ("SELECT 1", ())
                if time.monotonic() - getattr(self._local, "used", 0.0) > IDLE_PROBE_SECONDS
                else None
            )
            try:
                cur = con.cursor()
                if first is not None:
                    try:
                        cur.execute(*first)
                    except psycopg2.OperationalError:
                        self._forget()
                        con = self._connection()
                        cur = con.cursor()
                        cur.execute(*first)
                yield Tx(cur, True)
                con.commit()
                self._local.used = time.monotonic()
            except psycopg2.OperationalError:
                try:
                    con.close()
                finally:
                    self._local.con = None
                raise
            except BaseException:
                if not con.closed:
                    con.rollback()
                raise
            return
        con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        try:
            yield Tx(con.cursor(), False)
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")

    # --- schema ---
    def ensure_schema(self) -> None:
        """Create the tables if needed (once per process)."""
        if self._ready_pid == os.getpid():
            return
        with self._ready_lock:
            if self._ready_pid == os.getpid():
                return
            ddl = DDL
            for k, v in _TYPES["postgresql" if self.pg else "sqlite"].items():
                ddl = ddl.replace("{" + k + "}", v)
            if self.pg:
                con = self._connection()
                with con.cursor() as cur:
                    cur.execute("SELECT pg_advisory_xact_lock(%s)", (PG_LOCK_KEY,))
                    cur.execute(f'CREATE SCHEMA IF NOT EXISTS "{self.schema}"')
                    cur.execute(ddl)
                con.commit()
            else:
                con = self._connection()
                con.execute("BEGIN IMMEDIATE")
                try:
                    for stmt in filter(None, (s.strip() for s in ddl.split(";"))):
                        con.execute(stmt)
                except BaseException:
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
            with self._tx(True) as t:
                t.execute(
                    "INSERT INTO parametres (cle, valeur) VALUES (?, ?) ON CONFLICT (cle) DO NOTHING",
                    ("base", str(uuid.uuid4())),
                )
                t.execute(
                    "INSERT INTO parametres (cle, valeur) VALUES (?, ?) ON CONFLICT (cle) DO NOTHING",
                    ("secret", secrets.token_urlsafe(48)),
                )
                t.execute(
                    "INSERT INTO parametres (cle, valeur) VALUES (?, ?) ON CONFLICT (cle) DO NOTHING",
                    ("schema_version", str(SCHEMA_VERSION)),
                )
            self._ready_pid = os.getpid()

    def parameter(self, key: str) -> str | None:
        with self.tx(write=False) as t:
            return t.execute("SELECT valeur FROM parametres WHERE cle = ?", (key,)).scalar()

    @property
    def base(self) -> str:
        """The identifier of this live database (recorded in the atlas with the changes applied)."""
        return self.parameter("base")

    # --- helpers shared by the features ---
    @staticmethod
    def record_change(t: Tx, kind: str, key: str) -> int:
        """Append a change to the journal the atlas follows (:mod:`coopatlas.bourse.atlas`); its number."""
        return t.execute(
            "INSERT INTO changements (genre, cle, date) VALUES (?, ?, ?) RETURNING seq", (kind, key, now())
        ).scalar()

    # rate limits: a sliding window, the events of each key (``evenements``) within the last ``window`` seconds
    #: Events older than this are forgotten whatever their key (no rate window is longer).
    EVENTS_KEPT_SECONDS = 7 * 86400

    @staticmethod
    def hit(t: Tx, key: str, window: int) -> int:
        """Count one event for ``key``; the events of the last ``window`` seconds (this one included). In the
        transaction that checked :meth:`count` first, the check and the count are one atomic step."""
        stamp = time.time()
        t.execute("DELETE FROM evenements WHERE date <= ?", (stamp - max(window, LiveDB.EVENTS_KEPT_SECONDS),))
        t.execute("INSERT INTO evenements (cle, date) VALUES (?, ?)", (key, stamp))
        return LiveDB.count(t, key, window)

    @staticmethod
    def unhit(t: Tx, key: str) -> None:
        """Take back the last event counted for ``key`` (an attempt that turned out not to count)."""
        t.execute("DELETE FROM evenements WHERE id = (SELECT MAX(id) FROM evenements WHERE cle = ?)", (key,))

    @staticmethod
    def forget(t: Tx, key: str) -> None:
        """Forget every event of ``key``."""
        t.execute("DELETE FROM evenements WHERE cle = ?", (key,))

    @staticmethod
    def count(t: Tx, key: str, window: int) -> int:
        """The events of ``key`` in the last ``window`` seconds (a sliding window, never twice the limit
        across the boundary of fixed windows)."""
        return int(
            t.execute(
                "SELECT COUNT(*) FROM evenements WHERE cle = ? AND date > ?", (key, time.time() - window)
            ).scalar()
        )

    @staticmethod
    def retry_after(t: Tx, key: str, window: int, limit: int) -> int:
        """Seconds until ``key`` has fewer than ``limit`` events in its window (at least 1)."""
        stamp = time.time()
        n = LiveDB.count(t, key, window)
        if n < limit:
            return 1
        oldest = t.execute(
            "SELECT date FROM evenements WHERE cle = ? AND date > ? ORDER BY date LIMIT 1 OFFSET ?",
            (key, stamp - window, n - limit),
        ).scalar()
        return max(1, math.ceil(float(oldest) + window - stamp)) if oldest is not None else 1

    def integrity(self) -> str:
        """``ok``, or what SQLite's integrity check finds (always ``ok`` on PostgreSQL)."""
        if self.pg:
            return "ok"
        with self.tx(write=False) as t:
            return t.execute("PRAGMA integrity_check").scalar()


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)
