"""pygeoapi's ``bbox`` handling without its per-request CRS lookup when there is nothing to transform.

pygeoapi 0.24's items endpoint passes every ``bbox`` through :func:`pygeoapi.crs.transform_bbox`, from
``bbox-crs`` (CRS84 by default) to the collection's storage CRS, even when the two are the same CRS;
that function builds a pyproj transformer and calls ``CRS.to_epsg()`` (a PROJ database search), some
30 ms per request: 70 % of a ``bbox`` request on the GeoPackage at ×1, on both backends. pygeoapi has no
hook there, so :func:`install` wraps the name its items module uses: a ``bbox`` whose ``bbox-crs`` *is*
the storage CRS (the same URI) is returned as it is (the identity transform), any other goes to
pygeoapi's function unchanged. Installed by the feature providers when they are loaded.
"""

from __future__ import annotations

import functools

_installed = False


def install() -> None:
    """Wrap ``pygeoapi.api.itemtypes.transform_bbox`` (once per process)."""
    global _installed
    if _installed:
        return
    from pygeoapi.api import itemtypes

    original = itemtypes.transform_bbox

    @functools.wraps(original)
    def transform_bbox(bbox, from_crs, to_crs, *args, **kwargs):
        if isinstance(from_crs, str) and isinstance(to_crs, str) and from_crs == to_crs:
            return list(bbox)
        return original(bbox, from_crs, to_crs, *args, **kwargs)

    itemtypes.transform_bbox = transform_bbox
    _installed = True
