"""What the tile providers of the atlas share: pygeoapi's MVT provider contract, the checks of a tile
request and the tileset metadata (with the tile convention of :mod:`.spec`).

A provider stanza (``type: tile``) names the collection in ``options.collection``; ``data`` is the
GeoPackage path or the PostGIS connection. pygeoapi 0.24 calls :meth:`AtlasTileProvider.get_tiles` with
the raw path segments: they are checked here (:func:`.spec.parse_tile`) and a bad one raises
:class:`TileError`, which pygeoapi turns into a 404 or 400 with its message.
"""

from __future__ import annotations

from http import HTTPStatus

from pygeoapi.models.provider.base import TileMatrixSetEnum
from pygeoapi.provider.base import ProviderGenericError
from pygeoapi.provider.base_mvt import BaseMVTProvider
from pygeoapi.util import url_join

from ... import schema as sch
from . import filters, spec

_JSON_TYPES = {sch.INTEGER: "integer", sch.REAL: "number", sch.BOOLEAN: "boolean"}
_GEOMETRY_DIMENSION = {"POINT": 0, "MULTILINESTRING": 1, "MULTIPOLYGON": 2}


class TileError(ProviderGenericError):
    """A tile request pygeoapi must refuse: 404 (no such tile) or 400 (bad index), with the reason."""

    def __init__(self, error: spec.TileRequestError):
        super().__init__(error.message, user_msg=error.message)
        self.http_status_code = HTTPStatus(error.status)
        self.ogc_exception_code = "NotFound" if error.status == 404 else "InvalidParameterValue"


def zoom_options(options: dict | None) -> dict:
    """The provider options with the zoom range pygeoapi reads (``options.zoom``)."""
    options = dict(options or {})
    options.setdefault("zoom", {"min": spec.MIN_ZOOM, "max": spec.MAX_ZOOM})
    options.setdefault("schemes", [spec.TILE_MATRIX_SET])
    return options


class AtlasTileProvider(BaseMVTProvider):
    """Base of the atlas's MVT providers: one layer per collection (:data:`.spec.LAYERS`)."""

    def __init__(self, provider_def: dict):
        provider_def = {**provider_def, "options": zoom_options(provider_def.get("options"))}
        BaseMVTProvider.__init__(self, provider_def)
        self.collection = self.options["collection"]
        self.layer = spec.LAYERS[self.collection]

    def __repr__(self):
        return f"<{type(self).__name__}> {self.collection}"

    def get_layer(self) -> str:
        return self.collection

    def get_fields(self) -> dict:
        coll = sch.COLLECTIONS[self.collection]
        return {name: {"type": _JSON_TYPES.get(coll.field(name).type, "string")} for name in self.layer.properties}

    def get_tiling_schemes(self) -> list:
        return [TileMatrixSetEnum.WEBMERCATORQUAD.value]

    def get_tiles_service(self, baseurl=None, servicepath=None, dirpath=None, tile_type=None) -> dict:
        self._service_url = servicepath
        return self.get_tms_links()

    def get_tiles(self, layer=None, tileset=None, z=None, y=None, x=None, format_=None) -> bytes:
        """The tile ``z/y/x`` (``y`` the row, ``x`` the column) as MVT bytes (empty bytes: no feature),
        restricted by the request's ``filter`` (:mod:`.filters`) when it has one."""
        try:
            z, x, y = spec.parse_tile(tileset, z, y, x)
            tile_filter = filters.from_request()
            return self.render(z, x, y, tile_filter)
        except spec.TileRequestError as exc:
            raise TileError(exc) from None
        except filters.TileFilterError as exc:
            raise TileError(spec.TileRequestError(400, str(exc))) from None

    def render(self, z: int, x: int, y: int, tile_filter: filters.TileFilter | None = None) -> bytes:
        """The tile's MVT bytes; only the features matching ``tile_filter`` when given."""
        raise NotImplementedError  # pragma: no cover - implemented by the backends

    # --- metadata ------------------------------------------------------------------------------------

    def _check_tileset(self, tileset: str) -> None:
        if tileset != spec.TILE_MATRIX_SET:
            raise TileError(
                spec.TileRequestError(404, f"tile matrix set {tileset!r} is not offered: use {spec.TILE_MATRIX_SET}")
            )

    def _tile_url(self, server_url: str, dataset: str) -> str:
        return url_join(
            server_url, f"collections/{dataset}/tiles/{spec.TILE_MATRIX_SET}", "{tileMatrix}/{tileRow}/{tileCol}?f=mvt"
        )

    def properties_schema(self) -> dict:
        coll = sch.COLLECTIONS[self.collection]
        props = {}
        for name in dict.fromkeys((*self.layer.properties, *self.layer.aggregate_properties())):
            if name == "agregat":
                props[name] = {"type": "boolean", "description": "true: the feature is an aggregate"}
            elif name == "nombre":
                props[name] = {"type": "integer", "description": "number of records the feature stands for"}
            elif name in coll.field_names:
                f = coll.field(name)
                props[name] = {"type": _JSON_TYPES.get(f.type, "string"), "title": f.fr}
            else:  # nb_<code> of an aggregate
                props[name] = {"type": "integer", "description": f"records of type {name[3:]} in the aggregate"}
        return {"type": "object", "properties": props}

    def get_default_metadata(self, dataset, server_url, layer, tileset, title, description, keywords, **kwargs):
        self._check_tileset(tileset)
        tms = TileMatrixSetEnum.WEBMERCATORQUAD.value
        lang = "fr" if str(kwargs.get("language") or "").startswith("fr") else "en"
        convention = spec.description(self.layer, lang)
        return {
            "title": title,
            "description": f"{description} {convention}".strip(),
            "dataType": "vector",
            "crs": tms.crs,
            "tileMatrixSetURI": tms.tileMatrixSetURI,
            "mediaTypes": [spec.MEDIA_TYPE],
            "layers": [
                {
                    "id": self.collection,
                    "dataType": "vector",
                    "geometryDimension": _GEOMETRY_DIMENSION[self.layer.geometry],
                    "minTileMatrix": str(spec.MIN_ZOOM),
                    "maxTileMatrix": str(spec.MAX_ZOOM),
                    "description": convention,
                    "propertiesSchema": self.properties_schema(),
                }
            ],
            "coopatlas:aggregates": {
                "maxTileMatrix": self.layer.aggregate_max_zoom,
                "flag": "agregat",
                "count": "nombre",
            },
            "links": [
                {
                    "href": url_join(server_url, "TileMatrixSets", tms.tileMatrixSet),
                    "rel": "http://www.opengis.net/def/rel/ogc/1.0/tiling-scheme",
                    "type": "application/json",
                    "title": f"{tms.tileMatrixSet} tile matrix set definition",
                },
                {
                    "href": self._tile_url(server_url, dataset),
                    "rel": "item",
                    "type": spec.MEDIA_TYPE,
                    "templated": True,
                    "title": f"{tileset} vector tiles for {self.collection}",
                },
            ],
        }

    def get_vendor_metadata(self, dataset, server_url, layer, tileset, title, description, keywords, **kwargs):
        self._check_tileset(tileset)
        tile_url = self._tile_url(server_url, dataset).replace("{tileMatrix}/{tileRow}/{tileCol}", "{z}/{y}/{x}")
        return {
            "tilejson": "3.0.0",
            "name": title,
            "description": description,
            "tiles": [tile_url],
            "minzoom": spec.MIN_ZOOM,
            "maxzoom": spec.MAX_ZOOM,
            "vector_layers": [
                {
                    "id": self.collection,
                    "description": spec.description(self.layer),
                    "minzoom": spec.MIN_ZOOM,
                    "maxzoom": spec.MAX_ZOOM,
                    "fields": {k: v.get("type", "string") for k, v in self.properties_schema()["properties"].items()},
                }
            ],
        }

    def get_html_metadata(self, dataset, server_url, layer, tileset, title, description, keywords, **kwargs):
        self._check_tileset(tileset)
        return {
            "id": dataset,
            "title": title,
            "tileset": tileset,
            "collections_path": self._tile_url(server_url, dataset),
            "json_url": url_join(server_url, f"collections/{dataset}/tiles/{tileset}/metadata") + "?f=json",
        }
