"""The atlas served from PostGIS for the plugin tests, run by the server's Python (the plugin tests run in
QGIS's, which has no ``coopatlas``)::

    .venv/bin/python tests/plugin/postgis_server.py ATLAS.gpkg

starts a throwaway PostgreSQL/PostGIS cluster (:mod:`support.postgis`), loads the atlas into it, serves
it (``coopatlas serve``, :class:`support.servers.AtlasServer`), prints ``URL <server url>`` and keeps
everything up until its standard input closes; then stops the server and removes the cluster.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the support package

from support.postgis import PostgresCluster, available, loaded_atlas  # noqa: E402
from support.servers import AtlasServer  # noqa: E402


def main() -> int:
    reason = available()
    if reason:
        print(f"UNAVAILABLE {reason}", flush=True)
        return 0
    with PostgresCluster() as cluster:
        url = loaded_atlas(cluster, sys.argv[1])
        with AtlasServer(database_url=url, workers=2) as server:
            print(f"URL {server.url}", flush=True)
            sys.stdin.read()  # until the tests close it
    return 0


if __name__ == "__main__":
    sys.exit(main())
