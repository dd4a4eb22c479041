"""The pygeoapi configuration of the atlas, generated from :mod:`coopatlas.schema`.

``pygeoapi-config.yml`` at the top of the repository is the output of this module (a test checks that
the committed file is up to date)::

    python -m coopatlas.server.config            # rewrite pygeoapi-config.yml
    python -m coopatlas.server.config --check    # exit 1 if it is out of date

The committed file is usable as is by pygeoapi (``${VAR:-default}`` placeholders are filled from the
environment: ``HOST``, ``PORT``, ``COOPATLAS_URL``, ``COOPATLAS_GPKG``). ``coopatlas serve`` reads it and
writes the *effective* configuration into ``var/`` with :func:`effective_config`: absolute paths, the
server URL, the extents read from the data (spatial from the GeoPackage, temporal from the GeoPackage or
PostGIS), or every collection switched to PostGIS when ``COOPATLAS_DATABASE_URL`` is set.

The configuration is made in several modules, re-exported here:

* :mod:`.config_providers`: the provider stanzas (features, maps, vector tiles; GeoPackage or PostGIS)
  and the processes;
* :mod:`.config_sources`: licences, sources, attributions, keywords;
* :mod:`.config_effective`: the effective configuration of a running server;
* :mod:`.openapi_offline`: pygeoapi's OpenAPI document made self-contained (offline Swagger UI).
"""

from __future__ import annotations

import argparse
import json
import sys

import yaml

from .. import schema as sch
from ..paths import write_or_check
from . import maps, temporal
from .config_effective import ROOT, TEMPLATES_DIR, effective_config, gpkg_extents  # noqa: F401 (API)
from .config_providers import (  # noqa: F401 (API of this module)
    ATLAS_MANAGER,
    CRS84,
    DEFAULT_GPKG,
    DEFAULT_URL,
    FEATURE_CRS,
    FEATURE_PROVIDER,
    FRANCE,
    GPKG,
    MAP_PROVIDER,
    POSTGIS_TILE_PROVIDER,
    TILE_PROVIDER,
    URL,
    WORLD,
    feature_provider,
    job_manager,
    map_provider,
    postgis_tile_provider,
    postgresql_provider,
    process_resources,
    tile_provider,
)
from .config_sources import (  # noqa: F401 (API of this module)
    ATTRIBUTION,
    COLLECTION_SOURCES,
    COMMON_KEYWORDS,
    KEYWORDS_EN,
    LICENCE_SOFTWARE,
    NOTICE,
    SOURCES,
)
from .openapi_offline import (  # noqa: F401 (API of this module)
    OAS30_SCHEMA_KEYWORDS,
    UnresolvedReference,
    clean_openapi,
    clean_schema,
    load_ogc_components,
    offline_openapi,
    ogc_ref_key,
    remote_refs,
)

CONFIG_FILE = ROOT / "pygeoapi-config.yml"

#: Style files served at ``/styles/<collection><suffix>`` (generated into ``styles/``): suffix, media type, title.
STYLE_FORMATS = (
    (".qml", "application/vnd.qgis.qml", "Style QGIS (QML)", "QGIS style (QML)"),
    (".sld", "application/vnd.ogc.sld+xml;version=1.1.0", "Style SLD 1.1.0 (SE 1.1.0)", "SLD 1.1.0 style (SE 1.1.0)"),
    (".maplibre.json", "application/vnd.mapbox.style+json", "Style MapLibre", "MapLibre style"),
)


def style_links(coll: sch.Collection, url: str = URL) -> list[dict]:
    """``rel: stylesheet`` links to the style files of a spatial collection, served by the server."""
    if not coll.geometry:
        return []
    return [
        {"type": mt, "rel": "stylesheet", "title": f"{fr} / {en}", "href": f"{url}/styles/{coll.id}{suffix}"}
        for suffix, mt, fr, en in STYLE_FORMATS
    ]


def licence_links(coll: sch.Collection) -> list[dict]:
    """``rel: license`` links, one per source of the collection, titled with its attribution."""
    return [
        {
            "type": "text/html",
            "rel": "license",
            "title": f"{SOURCES[s]['fr']} / {SOURCES[s]['en']}",
            "href": SOURCES[s]["href"],
        }
        for s in COLLECTION_SOURCES[coll.id]
    ]


def resource(coll: sch.Collection) -> dict:
    """The pygeoapi resource of one collection."""
    kw_fr = list(coll.keywords)
    kw_en = [KEYWORDS_EN[k] for k in coll.keywords]
    sources_fr = " ; ".join(SOURCES[s]["fr"] for s in COLLECTION_SOURCES[coll.id])
    sources_en = "; ".join(SOURCES[s]["en"] for s in COLLECTION_SOURCES[coll.id])
    features = feature_provider(coll)
    providers = [features]
    if coll.geometry:
        providers.append(map_provider(coll, features))
        providers.append(tile_provider(coll))
    extents = {"spatial": {"bbox": FRANCE if coll.id in ("regions", "departements") else WORLD, "crs": CRS84}}
    if coll.time is not None:  # the bounds come from the data (effective_config)
        extents["temporal"] = temporal.extent(coll, None, None, open_ended=False)
    return {
        "type": "collection",
        "title": {"fr": coll.title_fr, "en": coll.title_en},
        "description": {
            "fr": f"{coll.description_fr} Sources : {sources_fr}.",
            "en": f"{coll.description_en} Sources: {sources_en}.",
        },
        "keywords": {"fr": kw_fr, "en": kw_en},
        "links": style_links(coll) + licence_links(coll),
        "extents": extents,
        "providers": providers,
    }


def base_config() -> dict:
    """The whole configuration, with ``${VAR:-default}`` placeholders (the committed file)."""
    resources = {cid: resource(coll) for cid, coll in sch.COLLECTIONS.items()}
    resources.update(process_resources())
    return {
        "server": {
            "bind": {"host": "${HOST:-127.0.0.1}", "port": "${PORT:-5000}"},
            "url": URL,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "gzip": False,
            "languages": ["fr", "en"],
            "cors": True,  # web maps on other origins read the collections and styles
            "pretty_print": False,
            "limits": {"default_items": 50, "max_items": 10000, "on_exceed": "throttle"},
            "templates": {"path": "coopatlas/server/templates"},
            "icon": URL + "/assets/img/coopatlas.svg",
            "logo": URL + "/assets/img/coopatlas.svg",
            "map": {
                "url": URL + "/basemap/{z}/{x}/{y}.png",
                "attribution": "Fond : Natural Earth (domaine public), rendu par CoopAtlas",
            },
            "manager": {
                "name": job_manager(),
                "connection": "var/jobs.tinydb.json",
                "output_dir": "var/jobs",
            },
        },
        "logging": {"level": "WARNING"},
        "metadata": {
            "identification": {
                "title": {
                    "fr": "CoopAtlas : Atlas de la coopération décentralisée",
                    "en": "CoopAtlas: Atlas of French decentralised cooperation",
                },
                "description": {
                    "fr": "Les projets internationaux des collectivités territoriales françaises avec leurs "
                    "partenaires étrangers, les demandes de coopération de la Bourse projets, l'aide "
                    "publique au développement déclarée, en OGC API (Features, Maps, Processes). "
                    f"{NOTICE['fr']} {ATTRIBUTION['fr']}",
                    "en": "The international projects of French local authorities with their foreign partner "
                    "authorities, the cooperation requests of the Bourse projets and the declared "
                    "official development aid, over OGC API (Features, Maps, Processes). "
                    f"{NOTICE['en']} {ATTRIBUTION['en']}",
                },
                "keywords": {
                    "fr": [
                        "coopération décentralisée",
                        "action extérieure des collectivités territoriales",
                        "jumelage",
                        "aide publique au développement",
                        "Bourse projets",
                        "données synthétiques",
                    ],
                    "en": [
                        "decentralised cooperation",
                        "external action of local authorities",
                        "twinning",
                        "official development aid",
                        "Bourse projets",
                        "synthetic data",
                    ],
                },
                "keywords_type": "theme",
                "terms_of_service": {
                    "fr": f"{NOTICE['fr']} {ATTRIBUTION['fr']}",
                    "en": f"{NOTICE['en']} {ATTRIBUTION['en']}",
                },
                "url": URL + "/licences",
            },
            "license": {
                "name": {
                    "fr": "Logiciel : GPL-3.0-or-later ; données : voir les sources de chaque collection",
                    "en": "Software: GPL-3.0-or-later; data: see the sources of each collection",
                },
                "url": LICENCE_SOFTWARE["url"],
            },
            "provider": {"name": "CoopAtlas", "url": URL},
            "contact": {
                "name": "CoopAtlas",
                "position": {"fr": "Équipe du projet", "en": "Project team"}["fr"],
                "email": "contact@coopatlas.invalid",
                "url": URL + "/licences",
                "role": "pointOfContact",
            },
        },
        "resources": resources,
    }


HEADER = """\
# pygeoapi configuration of CoopAtlas: GENERATED by `python -m coopatlas.server.config` from
# coopatlas/schema.py. Do not edit by hand: edit the generator and run it (tests check this file).
# ${VAR:-default} placeholders are filled from the environment by pygeoapi; `coopatlas serve` writes the
# effective configuration (absolute paths, URL, extents, PostGIS when COOPATLAS_DATABASE_URL is set)
# into var/pygeoapi-config.yml.
"""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data):  # the same provider dict appears twice: write it twice, no anchors
        return True


def render_yaml(cfg: dict) -> str:
    return HEADER + yaml.dump(cfg, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=110)


# --- Command line -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m coopatlas.server.config", description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if pygeoapi-config.yml is out of date")
    parser.add_argument("--output", default=str(CONFIG_FILE), help="file to write (default: %(default)s)")
    parser.add_argument("--styles-json", action="store_true", help="print the map styles as JSON and exit")
    args = parser.parse_args(argv)
    if args.styles_json:
        print(json.dumps(maps.style_json(), indent=2))
        return 0
    return write_or_check(
        args.output, render_yaml(base_config()), check=args.check, remake="python -m coopatlas.server.config"
    )


if __name__ == "__main__":
    sys.exit(main())
