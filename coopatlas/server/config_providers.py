"""The provider stanzas of the pygeoapi configuration: which plugin serves each collection (features, map,
vector tiles) on the GeoPackage or on PostGIS, and the processes with their job manager."""

from __future__ import annotations

import copy
import importlib
import pkgutil

from .. import schema as sch

DEFAULT_URL = "http://127.0.0.1:5000"
DEFAULT_GPKG = "build/atlas.gpkg"
URL = "${COOPATLAS_URL:-" + DEFAULT_URL + "}"
GPKG = "${COOPATLAS_GPKG:-" + DEFAULT_GPKG + "}"

FEATURE_PROVIDER = "coopatlas.server.provider.AtlasGeoPackageProvider"
MAP_PROVIDER = "coopatlas.server.maps.AtlasMapProvider"
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: Output CRS offered for features: CRS84, WGS 84 (latitude first), Web Mercator, Lambert-93 (France).
FEATURE_CRS = [
    CRS84,
    "http://www.opengis.net/def/crs/EPSG/0/4326",
    "http://www.opengis.net/def/crs/EPSG/0/3857",
    "http://www.opengis.net/def/crs/EPSG/0/2154",
]
WORLD = [-180.0, -90.0, 180.0, 90.0]
#: Metropolitan France and the overseas regions (Guadeloupe to Réunion), CRS84.
FRANCE = [-61.81, -21.39, 55.84, 51.09]
TILE_PROVIDER = "coopatlas.server.tiles.gpkg.AtlasGeoPackageTileProvider"
POSTGIS_TILE_PROVIDER = "coopatlas.server.tiles.postgis.AtlasPostGISTileProvider"
TILE_FORMAT = {"name": "mvt", "mimetype": "application/vnd.mapbox-vector-tile"}


def _title_field(coll: sch.Collection) -> str | None:
    for name in ("titre", "nom", "collectivite_nom"):
        if name in coll.field_names:
            return name
    return None


def feature_provider(coll: sch.Collection, data: str = GPKG) -> dict:
    """The GeoPackage feature provider stanza of a collection."""
    p = {
        "type": "feature",
        "name": FEATURE_PROVIDER,
        "data": data,
        "id_field": coll.id_field,
        "table": coll.id,
        "geom_field": "geom",
        "storage_crs": CRS84,
        "crs": list(FEATURE_CRS),
    }
    if _title_field(coll):
        p["title_field"] = _title_field(coll)
    if coll.time is not None:  # pygeoapi offers datetime (OpenAPI) when a provider names a time field
        p["time_field"] = coll.time.start
    return p


def postgresql_provider(coll: sch.Collection, database_url: str) -> dict:
    """The PostGIS feature provider stanza of a collection on the database ``database_url``.

    The stanza of :func:`coopatlas.store.postgis.pygeoapi_provider_config` (pygeoapi's core PostgreSQL
    provider plus the atlas's ``q``; table named after the collection, ``geom``, ``id``), with the title
    field of the HTML pages.
    """
    from ..store.postgis import pygeoapi_provider_config

    p = pygeoapi_provider_config(database_url, coll.id)
    p.setdefault("storage_crs", CRS84)
    p.setdefault("crs", list(FEATURE_CRS))
    if _title_field(coll):
        p["title_field"] = _title_field(coll)
    if coll.time is not None:
        p["time_field"] = coll.time.start
    return p


def map_provider(coll: sch.Collection, features: dict) -> dict:
    return {
        "type": "map",
        "name": MAP_PROVIDER,
        "data": features["data"],
        "options": {"collection": coll.id, "features": copy.deepcopy(features)},
        "format": {"name": "png", "mimetype": "image/png"},
    }


def tile_provider(coll: sch.Collection, data=GPKG) -> dict:
    """The vector tile provider stanza of a collection (:mod:`coopatlas.server.tiles`), on the GeoPackage."""
    return {
        "type": "tile",
        "name": TILE_PROVIDER,
        "data": data,
        "options": {"collection": coll.id},
        "format": dict(TILE_FORMAT),
    }


def postgis_tile_provider(coll: sch.Collection, features: dict) -> dict:
    """The vector tile provider stanza of a collection on PostGIS, reading what the PostGIS feature provider
    stanza ``features`` reads (the same table or public view)."""
    return {
        "type": "tile",
        "name": POSTGIS_TILE_PROVIDER,
        "data": copy.deepcopy(features["data"]),
        "options": {
            "collection": coll.id,
            "table": features["table"],
            "id_field": features["id_field"],
            "geom_field": features["geom_field"],
        },
        "format": dict(TILE_FORMAT),
    }


def process_resources() -> dict:
    """One ``process`` resource per pygeoapi processor found in the ``processes`` package (if any)."""
    try:
        pkg = importlib.import_module("processes")
    except ModuleNotFoundError:
        return {}
    from pygeoapi.process.base import BaseProcessor

    found = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda i: i.name):
        if info.name.startswith("_"):
            continue
        mod = importlib.import_module(f"processes.{info.name}")
        for name, obj in sorted(vars(mod).items()):
            if (
                isinstance(obj, type)
                and issubclass(obj, BaseProcessor)
                and obj is not BaseProcessor
                and obj.__module__ == mod.__name__
            ):
                meta = getattr(mod, "PROCESS_METADATA", None) or {}
                pid = meta.get("id", info.name)
                found[pid] = {"type": "process", "processor": {"name": f"{mod.__name__}.{name}"}}
    return dict(sorted(found.items()))


#: The job manager of the processes (TinyDB file store that validates requests first), when present.
ATLAS_MANAGER = "processes._manager.AtlasManager"


def job_manager() -> str:
    """The job manager plugin: the atlas's own (:data:`ATLAS_MANAGER`) if installed, else pygeoapi's TinyDB
    (jobs in a JSON file of ``var/``: they survive a restart)."""
    try:
        importlib.import_module(ATLAS_MANAGER.rsplit(".", 1)[0])
    except ModuleNotFoundError:
        return "TinyDB"
    return ATLAS_MANAGER


#: The job manager of the PostGIS mode: jobs and their results in PostgreSQL, shared by every server.
ATLAS_POSTGRESQL_MANAGER = "processes._manager_postgresql.AtlasPostgreSQLManager"


def job_manager_stanza(var, database_url: str | None = None, name: str | None = None) -> dict:
    """The ``server.manager`` stanza a server runs with: on the GeoPackage, ``name`` (default :func:`job_manager`)
    with its jobs in ``var/jobs.tinydb.json`` and their results under ``var/jobs`` (one server); with
    ``database_url``, the atlas's manager becomes :data:`ATLAS_POSTGRESQL_MANAGER`, with jobs and results in that
    database (schema ``coopatlas_jobs``, created by the server), so that several servers share them."""
    name = name or job_manager()
    if database_url and name == ATLAS_MANAGER:
        # output_dir: required by pygeoapi's configuration schema, unused (the results are in the database)
        return {"name": ATLAS_POSTGRESQL_MANAGER, "connection": database_url, "output_dir": str(var / "jobs")}
    return {"name": name, "connection": str(var / "jobs.tinydb.json"), "output_dir": str(var / "jobs")}
