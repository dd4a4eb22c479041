"""The atlas database of the processes (the server's, read from pygeoapi's configuration) and the codes it
knows (countries, regions...), read once per database."""

from __future__ import annotations

import functools
import os
import threading

from coopatlas.store import Store, default_location


def _postgresql_url(data: dict) -> str:
    """A ``postgresql://`` URL of pygeoapi's PostgreSQL provider connection parameters."""
    from urllib.parse import quote

    user = quote(str(data.get("user") or ""), safe="")
    password = quote(str(data.get("password") or ""), safe="")
    auth = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    url = f"postgresql://{auth}{data.get('host') or 'localhost'}:{data.get('port') or 5432}/{data['dbname']}"
    path = data.get("search_path")
    if path:
        path = ",".join(path) if isinstance(path, (list, tuple)) else str(path)
        url += "?options=" + quote(f"-csearch_path={path}", safe="")
    return url


@functools.lru_cache(maxsize=4)
def _location_from_pygeoapi(config_path: str) -> str | None:
    """The database of the ``projets`` feature provider in pygeoapi's configuration file: its GeoPackage
    path, or a ``postgresql://`` URL made of its PostgreSQL connection parameters."""
    try:
        from pygeoapi.util import yaml_load

        with open(config_path, encoding="utf-8") as fh:
            cfg = yaml_load(fh)
        for prov in cfg["resources"]["projets"]["providers"]:
            if prov.get("type") != "feature":
                continue
            if isinstance(prov.get("data"), str):
                return prov["data"]
            if isinstance(prov.get("data"), dict) and prov["data"].get("dbname"):
                return _postgresql_url(prov["data"])
    except (OSError, KeyError, TypeError, ValueError):
        return None
    return None


def data_location(processor_def: dict | None = None) -> str:
    """The atlas database of the processes: ``data`` of the processor definition, else the database of
    the server's ``projets`` collection (pygeoapi's configuration ``PYGEOAPI_CONFIG``), else
    ``COOPATLAS_DATABASE_URL`` / ``COOPATLAS_GPKG`` / ``build/atlas.gpkg``."""
    if processor_def and processor_def.get("data"):
        return str(processor_def["data"])
    config = os.environ.get("PYGEOAPI_CONFIG")
    if config:
        found = _location_from_pygeoapi(config)
        if found:
            return found
    return default_location()


_codes_lock = threading.Lock()
_codes: dict[tuple[str, str], frozenset[str]] = {}


def known(store: Store, table: str, column: str) -> frozenset[str]:
    """Every value of ``table.column`` (country codes, region codes...), read once per database."""
    key = (store.location, f"{table}.{column}")
    with _codes_lock:
        if key in _codes:
            return _codes[key]
    values = frozenset(
        str(r[0]) for r in store.rows(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL")
    )
    with _codes_lock:
        _codes[key] = values
    return values
