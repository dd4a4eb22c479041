"""A small atlas cluster for tests and benchmarks: one throwaway PostgreSQL/PostGIS, the test atlas loaded into
it by ``coopatlas postgis``, and several ``coopatlas serve`` instances (two by default) on free ports of
127.0.0.1, all with the same ``COOPATLAS_DATABASE_URL`` and each with its own ``--var`` folder, as ``make
serve`` starts them on the machines of a deployment.

    with AtlasCluster(gpkg) as cluster:                    # a new database of the test process's PostgreSQL
        a, b = cluster.servers
        requests.post(a.url + "/processes/rapport/execution", ...)
        cluster.kill(a)                                    # kill -9 of the whole server (master and workers)

In pytest, the ``atlas_cluster`` fixture (a cluster of two servers for one test) or ``atlas_cluster_factory``
(``make(servers=2, workers=2, env={...})``, every cluster stopped at the end of the test); import them from a
``conftest.py`` as for :mod:`support.fixtures`.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from .postgis import PostgresCluster
from .servers import ROOT, AtlasServer

_databases = itertools.count()


class ClusterStartError(RuntimeError):
    """The atlas could not be loaded, or a server did not start."""


def load_atlas(gpkg: str | os.PathLike, database_url: str) -> None:
    """``coopatlas postgis --gpkg GPKG --url URL``: the command an operator runs (atomic schema swap)."""
    env = {k: v for k, v in os.environ.items() if k != "COOPATLAS_DATABASE_URL"}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    proc = subprocess.run(
        [sys.executable, "-m", "coopatlas", "postgis", "--gpkg", str(gpkg), "--url", database_url, "--quiet"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if proc.returncode != 0:
        raise ClusterStartError(f"coopatlas postgis failed ({proc.returncode}):\n{proc.stdout}{proc.stderr}")


class AtlasCluster:
    """``servers`` atlas servers over one PostGIS database (a new database of ``postgres``, or of a throwaway
    PostgreSQL started here and stopped with the cluster)."""

    def __init__(
        self,
        gpkg: str | os.PathLike,
        servers: int = 2,
        workers: int = 2,
        env: dict | None = None,
        postgres: PostgresCluster | None = None,
        timeout: float = 120,
    ):
        self.gpkg, self.count, self.workers = Path(gpkg), servers, workers
        self.env = dict(env or {})
        self.timeout = timeout
        self.postgres = postgres
        self._own_postgres = postgres is None
        self.database_url: str | None = None
        self.servers: list[AtlasServer] = []

    @property
    def a(self) -> AtlasServer:
        return self.servers[0]

    @property
    def b(self) -> AtlasServer:
        return self.servers[1]

    def start(self) -> AtlasCluster:
        try:
            if self.postgres is None:
                self.postgres = PostgresCluster().start()
            self.database_url = self.postgres.create_database(f"cluster_{os.getpid()}_{next(_databases)}")
            load_atlas(self.gpkg, self.database_url)
            self.servers = [
                AtlasServer(database_url=self.database_url, workers=self.workers, env=self.env, timeout=self.timeout)
                for _ in range(self.count)
            ]
            with ThreadPoolExecutor(max_workers=self.count) as pool:  # the servers start side by side
                for future in [pool.submit(server.start) for server in self.servers]:
                    future.result()
        except BaseException:
            self.stop()
            raise
        return self

    def kill(self, server: AtlasServer) -> None:
        """``kill -9`` of ``server``: its gunicorn master and every worker at once (its own process group), with
        no chance to clean anything up. Its ``var/`` folder stays until :meth:`stop`."""
        if server.proc is None or server.proc.poll() is not None:
            return
        try:
            os.killpg(server.proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        server.proc.wait(timeout=30)

    def alive(self, server: AtlasServer) -> bool:
        return server.proc is not None and server.proc.poll() is None

    def stop(self) -> None:
        """Stop every server (their ``var/`` removed), and the PostgreSQL started here (else drop nothing: the
        database goes with the test process's cluster)."""
        for server in self.servers:
            try:
                server.stop()
            except Exception:  # noqa: BLE001 - stop the others all the same
                pass
        if self._own_postgres and self.postgres is not None:
            self.postgres.stop()
            self.postgres = None

    def __enter__(self) -> AtlasCluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


@pytest.fixture
def atlas_cluster_factory(atlas_gpkg_path):
    """``make(servers=2, workers=2, env=None)``: a started :class:`AtlasCluster` over a new database of the test
    process's PostgreSQL (:func:`support.fixtures.shared_cluster`); all stopped at the end of the test."""
    from .fixtures import shared_cluster

    made: list[AtlasCluster] = []

    def make(**kwargs) -> AtlasCluster:
        kwargs.setdefault("postgres", shared_cluster())
        cluster = AtlasCluster(atlas_gpkg_path, **kwargs)
        made.append(cluster)
        return cluster.start()

    yield make
    for cluster in made:
        cluster.stop()


@pytest.fixture
def atlas_cluster(atlas_cluster_factory) -> AtlasCluster:
    """Two atlas servers (2 workers each) over one PostGIS database, for one test."""
    return atlas_cluster_factory()
