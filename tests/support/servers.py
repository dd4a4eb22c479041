"""Real atlas servers for tests and benchmarks: ``python -m coopatlas serve`` on a free port of 127.0.0.1.

    with AtlasServer(gpkg="build/atlas.gpkg") as server:          # the GeoPackage provider
        requests.get(server.url + "/collections/projets/items")
    with AtlasServer(database_url="postgresql://...") as server:  # PostGIS (coopatlas postgis)

Each server has its own ``--var`` folder (effective configuration, OpenAPI document), so several run at
once. The server log is kept in that folder and shown when the server fails to start.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .postgis import free_port

ROOT = Path(__file__).resolve().parents[2]


class ServerError(RuntimeError):
    """The server did not start."""


def serve_command(
    port: int,
    var: str | os.PathLike,
    *,
    gpkg: str | os.PathLike | None = None,
    workers: int = 2,
    threads: int | None = None,
    host: str = "127.0.0.1",
    python: str | os.PathLike = sys.executable,
    extra_args: list[str] | tuple[str, ...] = (),
) -> list[str]:
    """The command line of ``python -m coopatlas serve`` on ``host:port`` with its own ``--var`` folder: the
    GeoPackage ``gpkg`` (``--gpkg``; else the server reads ``$COOPATLAS_GPKG`` or ``$COOPATLAS_DATABASE_URL``,
    which the caller sets in its environment), ``workers`` gunicorn workers of ``threads`` threads (the
    command's default when None), run by ``python`` (the main venv's, also from QGIS's Python)."""
    args = [str(python), "-m", "coopatlas", "serve", "--host", host, "--port", str(port)]
    args += ["--workers", str(workers), "--var", str(var)]
    if threads is not None:
        args += ["--threads", str(threads)]
    if gpkg is not None:
        args += ["--gpkg", str(gpkg)]
    return args + list(extra_args)


def server_env(
    env: dict | None = None,
    *,
    gpkg: str | os.PathLike | None = None,
    database_url: str | None = None,
    readonly: bool = True,
    isolated: bool = False,
) -> dict:
    """The environment of a test server: this process's, without the ``COOPATLAS_URL`` and
    ``COOPATLAS_DATABASE_URL`` it may carry (``isolated``: without any ``COOPATLAS_*``, ``PYGEOAPI_CONFIG``
    or ``PYGEOAPI_OPENAPI`` of it); this checkout first on ``PYTHONPATH`` (the server runs this checkout's
    code, whichever venv runs it); ``COOPATLAS_ATLAS_READONLY=1`` when ``readonly`` (a server never writes
    Bourse requests into a shared atlas); then ``env``; then the atlas: ``database_url``
    (``COOPATLAS_DATABASE_URL``) and/or ``gpkg`` (``COOPATLAS_GPKG``; else this process's, under pytest the
    suite's atlas that is no file)."""
    if isolated:
        environ = {
            k: v
            for k, v in os.environ.items()
            if not k.startswith("COOPATLAS_") and k not in ("PYGEOAPI_CONFIG", "PYGEOAPI_OPENAPI")
        }
    else:
        environ = {k: v for k, v in os.environ.items() if k not in ("COOPATLAS_URL", "COOPATLAS_DATABASE_URL")}
    environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    if readonly:
        environ["COOPATLAS_ATLAS_READONLY"] = "1"
    environ.update(env or {})
    if database_url:
        environ["COOPATLAS_DATABASE_URL"] = database_url
    if gpkg:
        environ["COOPATLAS_GPKG"] = str(gpkg)
    return environ


def spawn_server(
    port: int,
    var: str | os.PathLike,
    environ: dict,
    *,
    workers: int = 2,
    python: str | os.PathLike = sys.executable,
    extra_args: list[str] | tuple[str, ...] = (),
) -> subprocess.Popen:
    """``coopatlas serve`` (:func:`serve_command`) on ``port`` with the ``environ`` of :func:`server_env`,
    from the checkout, in a session of its own (``os.killpg`` stops gunicorn and its workers), its output
    appended to ``var/server.log``; not waited for (see :func:`answers_within`)."""
    Path(var).mkdir(parents=True, exist_ok=True)
    with open(Path(var) / "server.log", "ab") as log:
        return subprocess.Popen(
            serve_command(port, var, workers=workers, python=python, extra_args=extra_args),
            cwd=ROOT,
            env=environ,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )


#: Methods sent again when the server closed their kept-alive connection as they were sent (idempotent).
RESENT_METHODS = frozenset({"GET", "HEAD"})


def http_session():
    """A ``requests`` session for a test's client of our servers: as ``requests.Session()``, except that a GET
    or HEAD whose kept-alive connection was closed by the server as it was reused ("connection reset by
    peer", or closed without an answer) is sent again on a new connection. The server keeps idle connections
    longer than clients pause (``coopatlas serve --keep-alive``), which makes that race rare; it cannot make
    it impossible (a client may pause exactly that long), hence the retry, for idempotent requests only: a
    POST is never sent twice. Nothing else is retried (no timeout, no refused connection, no status)."""
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    adapter = HTTPAdapter(max_retries=_retry_on_reset())
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _retry_on_reset():
    from urllib3.exceptions import ProtocolError
    from urllib3.util.retry import Retry

    class RetryOnReset(Retry):
        """urllib3's retries as ``requests`` sets them (none), but for a connection closed under a GET."""

        def increment(self, method=None, url=None, response=None, error=None, _pool=None, _stacktrace=None):
            if not isinstance(error, ProtocolError):  # requests' own handling (Retry(0, read=False))
                return Retry(0, read=False).increment(method, url, response, error, _pool, _stacktrace)
            return super().increment(method, url, response, error, _pool, _stacktrace)

    return RetryOnReset(
        total=3,
        connect=0,
        read=3,
        redirect=0,
        status=0,
        other=0,
        allowed_methods=RESENT_METHODS,
        respect_retry_after_header=False,  # a 503 with Retry-After is an answer the tests check, not a retry
        raise_on_status=False,
    )


def answers_within(proc: subprocess.Popen | None, url: str, timeout: float, log_tail=lambda: "") -> bool:
    """Wait until ``GET url`` answers 200 (True), or ``timeout`` seconds have passed (False). A server process
    that exits meanwhile raises ``RuntimeError`` with ``log_tail()``, the end of its log (``proc`` None: a
    server started elsewhere, only waited for)."""
    import requests

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited ({proc.returncode}):\n{log_tail()}")
        try:
            if requests.get(url, timeout=5).status_code == 200:
                return True
        except requests.RequestException:
            pass
        time.sleep(0.3)
    return False


#: gunicorn's words when its port was taken, and how many ports a server tries.
PORT_TAKEN = "Connection in use"
PORT_ATTEMPTS = 3


class AtlasServer:
    """One ``coopatlas serve`` process (gunicorn) until :meth:`stop`."""

    def __init__(
        self,
        gpkg: str | os.PathLike | None = None,
        database_url: str | None = None,
        workers: int = 2,
        env: dict | None = None,
        extra_args: list[str] | None = None,
        timeout: float = 120,
        python: str | os.PathLike = sys.executable,
        public_host: str | None = None,
    ):
        """``python``: the interpreter that runs the server (the main venv's, also from QGIS's Python);
        ``public_host``: the host of the public URL the server announces (``COOPATLAS_URL``, as behind a
        proxy), on the port it listens on; by default the address it listens on."""
        if (gpkg is None) == (database_url is None):
            raise ValueError("give either gpkg or database_url")
        self.gpkg, self.database_url, self.workers = gpkg, database_url, workers
        self.extra_env, self.extra_args, self.timeout = env or {}, extra_args or [], timeout
        self.python, self.public_host = python, public_host
        self.port: int | None = None
        self.var: Path | None = None
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def public_url(self) -> str:
        """The URL the server announces in its links."""
        return f"http://{self.public_host}:{self.port}" if self.public_host else self.url

    @property
    def log(self) -> str:
        try:
            return (self.var / "server.log").read_text(errors="replace")
        except (OSError, TypeError):
            return ""

    def start(self) -> AtlasServer:
        """Start the server and wait for its answer. A free port is found by binding port 0, from the
        range the system also gives to outgoing connections: another process may take it before gunicorn
        binds it ("Connection in use"); then the server is started again on another port (at most
        :data:`PORT_ATTEMPTS` times)."""
        for attempt in range(1, PORT_ATTEMPTS + 1):
            self.var = Path(tempfile.mkdtemp(prefix="coopatlas-serve-"))
            self.port = free_port()
            public = {"COOPATLAS_URL": self.public_url} if self.public_host else {}
            env = server_env({**self.extra_env, **public}, gpkg=self.gpkg, database_url=self.database_url)
            self.proc = spawn_server(
                self.port, self.var, env, workers=self.workers, python=self.python, extra_args=self.extra_args
            )
            try:
                if answers_within(self.proc, self.url + "/?f=json", self.timeout, lambda: self.log[-4000:]):
                    return self
            except RuntimeError:
                out = self.log
                self.stop()
                if PORT_TAKEN in out and attempt < PORT_ATTEMPTS:
                    continue
                raise ServerError(f"coopatlas serve exited ({self.proc.returncode}):\n{out[-4000:]}") from None
            out = self.log
            self.stop()
            raise ServerError(f"coopatlas serve did not answer within {self.timeout} s:\n{out[-4000:]}")
        raise AssertionError("unreachable")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)  # gunicorn master and its workers (own session)
                self.proc.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(self.proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                self.proc.wait(timeout=10)
        if self.var is not None:
            shutil.rmtree(self.var, ignore_errors=True)
            self.var = None

    def __enter__(self) -> AtlasServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
