"""OGC API Tiles of the atlas: Mapbox Vector Tiles of every map collection (:mod:`.spec`), made on the fly
from the GeoPackage (:mod:`.gpkg`) or with ``ST_AsMVT`` on PostGIS (:mod:`.postgis`), behind pygeoapi's
``/collections/{id}/tiles`` endpoints (checked by :mod:`.routes`)."""
