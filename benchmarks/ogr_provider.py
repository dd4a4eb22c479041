"""pygeoapi's OGR provider on the atlas GeoPackage, for the benchmark only.

``coopatlas serve --feature-provider benchmarks.ogr_provider.GeoPackageOGRProvider`` swaps the feature
provider class in the atlas's own stanza (``data``: the GeoPackage path, ``table``: the collection).
pygeoapi's :class:`~pygeoapi.provider.ogr.OGRProvider` wants ``data`` as a GDAL source description and
the table as ``layer``: this adapter translates the stanza and changes nothing else. The OGR provider
ignores ``filter`` (CQL2), ``sortby`` and ``q``; the benchmark does not time those on it.
"""

from __future__ import annotations

from pygeoapi.provider.ogr import OGRProvider


class GeoPackageOGRProvider(OGRProvider):
    def __init__(self, provider_def):
        definition = dict(provider_def)
        definition["data"] = {
            "source_type": "GPKG",
            "source": provider_def["data"],
            "source_capabilities": {"paging": True},
            "gdal_ogr_options": {"EMPTY_AS_NULL": "NO", "GDAL_CACHEMAX": 64, "CPL_DEBUG": "NO"},
        }
        definition["layer"] = provider_def["table"]
        super().__init__(definition)

    def get_fields(self):
        """OGR's fields, with its ``date``/``datetime`` types written as JSON Schema (else the server's
        OpenAPI document is invalid), and without the hidden keyword column."""
        fields = super().get_fields()
        for name, f in list(fields.items()):
            if f.get("type") in ("date", "datetime"):
                fields[name] = {**f, "type": "string", "format": "date" if f["type"] == "date" else "date-time"}
        fields.pop("recherche", None)
        return fields
