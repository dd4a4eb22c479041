"""A throwaway PostgreSQL 15 + PostGIS cluster for tests and benchmarks.

Debian's ``postgresql-15`` binaries (``initdb``, ``pg_ctl`` under ``/usr/lib/postgresql/15/bin``, or
``$COOPATLAS_PG_BINDIR``) create a cluster in a temporary directory, listening on a free TCP port of
127.0.0.1 only (no Unix socket outside the directory), with trust authentication, tuned for speed and
not for durability (``fsync=off``). ``initdb`` refuses to run as root: as root the server runs as the
``postgres`` system user (``runuser``), or as ``nobody`` when there is no such user.

    with PostgresCluster() as pg:
        url = pg.create_database("atlas")          # with the postgis extension
        load_atlas(url, "build/atlas.gpkg")        # coopatlas.store.postgis.load

Everything is removed on :meth:`PostgresCluster.stop` (also at interpreter exit, as a safety net); a
cluster whose owner process was killed before that is stopped and removed by the next
:meth:`PostgresCluster.start` (:func:`sweep_orphans`).
"""

from __future__ import annotations

import atexit
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

BINDIR = Path(os.environ.get("COOPATLAS_PG_BINDIR", "/usr/lib/postgresql/15/bin"))
SUPERUSER = "postgres"


class ClusterError(RuntimeError):
    """The throwaway cluster could not be created or started."""


def free_port() -> int:
    """A TCP port of 127.0.0.1 free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def available() -> str | None:
    """``None`` when a cluster can be made here, else the reason why not."""
    for tool in ("initdb", "pg_ctl", "postgres"):
        if not (BINDIR / tool).exists():
            return f"{BINDIR / tool} is missing (install Debian's postgresql-15 and postgresql-15-postgis-3)"
    ext = Path("/usr/share/postgresql/15/extension/postgis.control")
    if BINDIR == Path("/usr/lib/postgresql/15/bin") and not ext.exists():
        return f"{ext} is missing (install Debian's postgresql-15-postgis-3)"
    return None


def _server_user() -> str | None:
    """The system user that runs the server: ``None`` (the current user) unless we are root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise ClusterError("running as root, and neither a 'postgres' nor a 'nobody' user exists to run PostgreSQL")


PREFIX = "coopatlas-pg-"
#: File of a cluster's directory holding the id of the process that made it.
OWNER_FILE = "owner.pid"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def _is_postmaster_of(pid: int, datadir: Path) -> bool:
    """Whether process ``pid`` is the PostgreSQL server of ``datadir`` (not a process that reused the id)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(cmdline) and cmdline[0].endswith(b"postgres") and str(datadir).encode() in cmdline


def sweep_orphans(base: Path) -> list[Path]:
    """Stop and remove the throwaway clusters under ``base`` whose owner process is gone (killed before
    its exit hooks ran: a CI timeout, SIGTERM). Returns the directories removed."""
    removed = []
    for d in base.glob(PREFIX + "*"):
        try:
            owner = int((d / OWNER_FILE).read_text())
        except (OSError, ValueError):
            continue  # not ours, or still being created
        if _alive(owner):
            continue
        pid_file = d / "data" / "postmaster.pid"
        try:
            postmaster = int(pid_file.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            postmaster = None
        if postmaster and _alive(postmaster) and _is_postmaster_of(postmaster, d / "data"):
            try:
                os.kill(postmaster, 3)  # SIGQUIT: PostgreSQL's immediate shutdown
            except ProcessLookupError:
                pass
            for _ in range(100):
                if not _alive(postmaster):
                    break
                time.sleep(0.05)
        shutil.rmtree(d, ignore_errors=True)
        removed.append(d)
    return removed


class PostgresCluster:
    """One throwaway PostgreSQL cluster; :meth:`start` it, :meth:`stop` it (or use ``with``)."""

    def __init__(self, port: int | None = None, base_dir: str | os.PathLike | None = None):
        self.port = port
        self.user = _server_user()
        self._base_dir = base_dir
        self.dir: Path | None = None
        self.started = False

    # -- paths
    @property
    def datadir(self) -> Path:
        return self.dir / "data"

    @property
    def logfile(self) -> Path:
        return self.dir / "postgresql.log"

    def url(self, dbname: str = "postgres") -> str:
        """libpq URL of database ``dbname`` (user ``postgres``, no password, TCP on 127.0.0.1)."""
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{dbname}"

    # -- running commands as the server user
    def _cmd(self, args: list[str]) -> list[str]:
        return ["runuser", "-u", self.user, "--", *args] if self.user else args

    def _run(self, args: list[str], timeout: float = 60) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            self._cmd([str(a) for a in args]), capture_output=True, text=True, timeout=timeout, cwd="/"
        )
        if proc.returncode != 0:
            raise ClusterError(
                f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}" + self._log_tail()
            )
        return proc

    def _log_tail(self) -> str:
        try:
            return "\n--- server log ---\n" + self.logfile.read_text(errors="replace")[-3000:]
        except OSError:
            return ""

    # -- life cycle
    def start(self) -> PostgresCluster:
        reason = available()
        if reason:
            raise ClusterError(reason)
        base = self._base_dir or ("/tmp" if self.user else None)  # root's TMPDIR may be closed to postgres
        sweep_orphans(Path(base or tempfile.gettempdir()))
        self.dir = Path(tempfile.mkdtemp(prefix=PREFIX, dir=base))
        (self.dir / OWNER_FILE).write_text(str(os.getpid()))
        atexit.register(self.stop)
        if self.user:
            pw = pwd.getpwnam(self.user)
            os.chown(self.dir, pw.pw_uid, pw.pw_gid)
        os.chmod(self.dir, 0o700)
        self._run(
            [
                BINDIR / "initdb",
                "-D",
                self.datadir,
                "-U",
                SUPERUSER,
                "-A",
                "trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--no-instructions",
            ]
        )
        (self.datadir / "pg_hba.conf").write_text(
            "# throwaway test cluster: trust, loopback and the private socket only\n"
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        last_error = None
        for _attempt in range(3):  # the free port may be taken between free_port() and the server's bind
            port = self.port or free_port()
            with open(self.datadir / "postgresql.auto.conf", "w") as conf:
                conf.write(
                    f"port = {port}\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '{self.dir}'\n"
                    "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\nmax_connections = 200\n"
                    "shared_buffers = 128MB\nwork_mem = 16MB\nmaintenance_work_mem = 256MB\n"
                    "max_wal_size = 2GB\ncheckpoint_timeout = 30min\nlogging_collector = off\n"
                    "log_min_messages = warning\ndynamic_shared_memory_type = posix\n"
                )
            if self.user:
                pw = pwd.getpwnam(self.user)
                os.chown(self.datadir / "postgresql.auto.conf", pw.pw_uid, pw.pw_gid)
                os.chown(self.datadir / "pg_hba.conf", pw.pw_uid, pw.pw_gid)
            try:
                self._run(
                    [BINDIR / "pg_ctl", "-D", self.datadir, "-l", self.logfile, "-w", "-t", "60", "start"], timeout=90
                )
                self.port = port
                self.started = True
                break
            except ClusterError as exc:
                last_error = exc
                if self.port:  # a fixed port: no point retrying
                    break
        if not self.started:
            self.stop()
            raise last_error
        return self

    def stop(self) -> None:
        """Stop the server (immediately: the data are thrown away) and remove the directory."""
        if self.started:
            subprocess.run(
                self._cmd([str(BINDIR / "pg_ctl"), "-D", str(self.datadir), "-m", "immediate", "-w", "stop"]),
                capture_output=True,
                timeout=60,
                cwd="/",
            )
            self.started = False
        if self.dir is not None:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None

    def __enter__(self) -> PostgresCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- databases
    def execute(self, sql: str, dbname: str = "postgres") -> None:
        """Run ``sql`` (autocommit) in database ``dbname``."""
        import psycopg2

        con = psycopg2.connect(self.url(dbname))
        try:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute(sql)
        finally:
            con.close()

    def create_database(self, name: str, postgis: bool = True) -> str:
        """Create database ``name`` (with the ``postgis`` extension unless told otherwise); its URL."""
        self.execute(f'CREATE DATABASE "{name}"')
        if postgis:
            self.execute("CREATE EXTENSION postgis", dbname=name)
        return self.url(name)


def query(url: str, sql: str, params=None) -> list[tuple]:
    """The rows of ``sql`` (with ``params``) in the database at ``url``."""
    import psycopg2

    con = psycopg2.connect(url)
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    finally:
        con.close()


def wait_for(url: str, timeout: float = 10.0) -> None:
    """Wait until the database at ``url`` accepts connections."""
    import psycopg2

    deadline = time.monotonic() + timeout
    while True:
        try:
            psycopg2.connect(url).close()
            return
        except psycopg2.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def loaded_atlas(cluster: PostgresCluster, gpkg: str | os.PathLike, dbname: str = "atlas") -> str:
    """A new database of ``cluster`` with the atlas ``gpkg`` loaded (schema ``atlas``); its URL."""
    from coopatlas.store.postgis import load

    url = cluster.create_database(dbname)
    load(gpkg, url)
    return url
