"""The configuration the server runs with (``var/pygeoapi-config.yml``), from the committed one."""

from __future__ import annotations

import copy
import logging
from pathlib import Path

from .. import schema as sch
from ..paths import ROOT
from ..store import PostGISStore, Store
from ..store.geopackage import open_readonly
from . import maps, temporal
from .config_providers import (
    FEATURE_PROVIDER,
    MAP_PROVIDER,
    TILE_PROVIDER,
    job_manager_stanza,
    postgis_tile_provider,
    postgresql_provider,
    process_resources,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
LOGGER = logging.getLogger(__name__)


def gpkg_extents(path: str | Path) -> dict[str, list[float]]:
    """CRS84 bbox of each feature table of a GeoPackage, from ``gpkg_contents`` (tables with no extent left out)."""
    out = {}
    con = open_readonly(path)
    try:
        rows = con.execute(
            "SELECT table_name, min_x, min_y, max_x, max_y FROM gpkg_contents WHERE data_type = 'features'"
        ).fetchall()
    finally:
        con.close()
    for name, *bbox in rows:
        if all(v is not None for v in bbox) and bbox[0] <= bbox[2] and bbox[1] <= bbox[3]:
            out[name] = [round(float(v), 6) for v in bbox]
    return out


def temporal_extents(location: str) -> dict[str, dict]:
    """The temporal extent (:func:`.temporal.extent`) of each collection with time, from the data of the
    GeoPackage or ``postgresql://`` database at ``location``. A database that cannot be read now (PostGIS
    not started yet, a table missing) leaves the extents of the committed configuration (unbounded), with
    a warning: the server starts all the same and its providers answer 503 until the database is back."""
    is_postgis = str(location).startswith(("postgresql://", "postgres://"))
    store = (PostGISStore if is_postgis else Store)(str(location))
    out = {}
    try:
        for cid in temporal.TIME_COLLECTIONS:
            coll = sch.COLLECTIONS[cid]
            first, last, open_ended = store.rows(temporal.extent_sql(coll))[0]
            out[cid] = temporal.extent(coll, first, last, bool(open_ended))
    except Exception as exc:  # sqlite3 or psycopg2: the message says which
        LOGGER.warning("temporal extents not read from the data (%s): left unbounded", str(exc).strip())
    finally:
        store.close()
    return out


def _resolve(path: str, root: Path) -> str:
    p = Path(path)
    return str(p if p.is_absolute() else (root / p).resolve())


def effective_config(
    base: dict,
    *,
    url: str,
    host: str,
    port: int,
    gpkg: str | None = None,
    database_url: str | None = None,
    root: Path = ROOT,
    var: Path | None = None,
    feature_provider_name: str | None = None,
) -> dict:
    """The configuration the server runs with: ``base`` (already loaded, placeholders filled) resolved.

    Absolute paths for the templates, the job store and the GeoPackage; ``url``, ``host`` and ``port``;
    the map styles of the HTML pages (``coopatlas.styles``); the processes of the ``processes`` package;
    with ``database_url`` every feature provider becomes pygeoapi's ``PostgreSQL`` provider on the table
    named after the collection (``geom`` geometry, ``id`` identifier) and every tile provider the PostGIS
    one reading the same table (:func:`~.config_providers.postgis_tile_provider`), otherwise the extents come from the
    GeoPackage ``gpkg`` (read by ``feature_provider_name`` if given instead of :data:`FEATURE_PROVIDER`).
    The temporal extents come from the data served (GeoPackage or PostGIS).
    """
    cfg = copy.deepcopy(base)
    var = var or (root / "var")
    server = cfg["server"]
    server["bind"] = {"host": host, "port": int(port)}
    old_url = base["server"]["url"].rstrip("/")
    url = url.rstrip("/")
    server["url"] = url
    server["templates"] = {"path": str(TEMPLATES_DIR)}
    for key in ("icon", "logo"):
        if key in server:
            server[key] = server[key].replace(old_url, url, 1)
    server["map"]["url"] = server["map"]["url"].replace(old_url, url, 1)
    if "manager" in server:
        server["manager"] = job_manager_stanza(var, database_url, server["manager"].get("name"))
    ident = cfg["metadata"]["identification"]
    ident["url"] = ident["url"].replace(old_url, url, 1)
    cfg["metadata"]["provider"]["url"] = url
    cfg["metadata"]["contact"]["url"] = cfg["metadata"]["contact"]["url"].replace(old_url, url, 1)

    # Not read by pygeoapi: the map styles and legends of the HTML pages (coopatlas.styles.definitions).
    cfg["coopatlas"] = {"styles": maps.style_json()}
    # Processes of the processes package not (yet) in the committed file are served too.
    for pid, res in process_resources().items():
        cfg["resources"].setdefault(pid, res)

    extents = gpkg_extents(gpkg) if (gpkg and not database_url) else {}
    times = temporal_extents(database_url or _resolve(gpkg, root)) if (database_url or gpkg) else {}
    for rid, res in cfg["resources"].items():
        if res.get("type") != "collection":
            continue
        for link in res.get("links", []):
            if link["href"].startswith(old_url):
                link["href"] = url + link["href"][len(old_url) :]
        coll = sch.COLLECTIONS.get(rid)
        new = []
        for prov in res["providers"]:
            if prov["type"] == "feature":
                if database_url and coll is not None:
                    prov = postgresql_provider(coll, database_url)
                elif gpkg:
                    prov = {**prov, "data": _resolve(gpkg, root)}
                    if feature_provider_name and prov["name"] == FEATURE_PROVIDER:
                        prov["name"] = feature_provider_name
            new.append(prov)
        feature = next((p for p in new if p["type"] == "feature"), None)
        for i, prov in enumerate(new):
            if prov["type"] == "map" and prov["name"] == MAP_PROVIDER and feature is not None:
                new[i] = {
                    **prov,
                    "data": feature["data"],
                    "options": {**prov.get("options", {}), "features": copy.deepcopy(feature)},
                }
            elif prov["type"] == "tile" and prov["name"] == TILE_PROVIDER and coll is not None:
                new[i] = (
                    postgis_tile_provider(coll, feature)
                    if database_url
                    else {**prov, "data": feature["data"] if feature else _resolve(gpkg, root)}
                )
        res["providers"] = new
        if rid in extents:
            res["extents"]["spatial"]["bbox"] = extents[rid]
        if rid in times:
            res["extents"]["temporal"] = times[rid]
    return cfg
