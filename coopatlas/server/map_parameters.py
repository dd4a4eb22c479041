"""The parameters of OGC API - Maps requests, validated: ``bbox``, ``bbox-crs``, ``crs``, ``width``, ``height``,
``transparent``, ``f``, ``datetime``.

:func:`parse_map_args` checks the query parameters of ``/collections/{id}/map`` before pygeoapi reads them
(pygeoapi would answer some bad values with a server error); the map provider checks what pygeoapi passes
it with the same functions. A bad value raises :class:`MapParameterError` (HTTP 400 naming the parameter).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass

from pygeoapi.provider.base import ProviderInvalidQueryError

#: Largest image side, in pixels.
MAX_SIZE = 4096
#: Largest image, in pixels (width × height).
MAX_PIXELS = 4096 * 4096
#: Default image size of OGC API - Maps in pygeoapi, in pixels.
DEFAULT_WIDTH, DEFAULT_HEIGHT = 500, 300

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
#: CRS accepted for ``crs`` and ``bbox-crs``: URI → EPSG code (4326 with longitude first for CRS84).
SUPPORTED_CRS = {
    CRS84: 4326,
    "http://www.opengis.net/def/crs/EPSG/0/4326": 4326,
    "http://www.opengis.net/def/crs/EPSG/0/3857": 3857,
    "http://www.opengis.net/def/crs/EPSG/0/2154": 2154,
}
#: Valid coordinate ranges (minx, miny, maxx, maxy) of each supported CRS.
CRS_DOMAIN = {
    4326: (-180.0, -90.0, 180.0, 90.0),
    3857: (-20037508.342789244, -20048966.1040146, 20037508.342789244, 20048966.1040146),
    2154: (-3.5e6, 1.0e6, 4.5e6, 9.5e6),  # Lambert-93 and well beyond metropolitan France
}
WEB_MERCATOR_MAX_LAT = 85.0511287798066


class MapParameterError(ProviderInvalidQueryError):
    """A bad map parameter: pygeoapi answers HTTP 400 ``InvalidParameterValue`` with this message."""

    ogc_exception_code = "InvalidParameterValue"

    def __init__(self, parameter: str, message: str):
        self.parameter = parameter
        super().__init__(f"{parameter}: {message}", user_msg=f"{parameter}: {message}")


@dataclass(frozen=True)
class MapRequest:
    """A validated map request. ``bbox`` is in ``crs`` (an EPSG code; 4326 means longitude first)."""

    bbox: tuple[float, float, float, float]
    crs: int
    width: int
    height: int
    transparent: bool


def crs_code(value: str | None, parameter: str = "crs") -> int:
    """EPSG code of a CRS given as an OGC URI or a CURIE (``EPSG:3857``, ``[EPSG:3857]``, ``CRS:84``)."""
    if value is None or value == "":
        return 4326
    v = value.strip()
    by_lower_uri = {uri.lower(): code for uri, code in SUPPORTED_CRS.items()}
    if v.lower() in by_lower_uri:  # pygeoapi hands the CRS URI over in lower case
        return by_lower_uri[v.lower()]
    curie = v.strip("[]").upper()
    if curie in ("CRS:84", "OGC:CRS84"):
        return 4326
    if curie.startswith("EPSG:"):
        uri = f"http://www.opengis.net/def/crs/EPSG/0/{curie[5:]}"
        if uri in SUPPORTED_CRS:
            return SUPPORTED_CRS[uri]
    raise MapParameterError(parameter, f"unsupported CRS {value!r}; supported: {', '.join(SUPPORTED_CRS)}")


def parse_size(value, parameter: str, default: int) -> int:
    """An image side in pixels, 1 to :data:`MAX_SIZE`."""
    if value is None or value == "":
        return default
    try:
        n = int(str(value).strip())
    except ValueError:
        raise MapParameterError(parameter, f"{value!r} is not an integer number of pixels") from None
    if not 1 <= n <= MAX_SIZE:
        raise MapParameterError(parameter, f"{n} is out of range: 1 to {MAX_SIZE} pixels")
    return n


def parse_bool(value, parameter: str, default: bool) -> bool:
    if value is None or value == "" or isinstance(value, bool):
        return default if value in (None, "") else value
    v = str(value).strip().lower()
    if v in ("true", "1", "yes"):
        return True
    if v in ("false", "0", "no"):
        return False
    raise MapParameterError(parameter, f"{value!r} is not a boolean (true or false)")


def check_bbox(bbox, crs: int, parameter: str = "bbox") -> tuple[float, float, float, float]:
    """Four finite numbers, minimum before maximum, inside the domain of ``crs``."""
    if isinstance(bbox, str):
        parts = [p for p in bbox.split(",")]
    else:
        parts = list(bbox)
    if len(parts) != 4:
        raise MapParameterError(parameter, "four numbers are needed: minx,miny,maxx,maxy")
    try:
        minx, miny, maxx, maxy = (float(p) for p in parts)
    except (TypeError, ValueError):
        raise MapParameterError(parameter, f"{bbox!r} holds a value that is not a number") from None
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise MapParameterError(parameter, "values must be finite numbers")
    if not (minx < maxx and miny < maxy):
        raise MapParameterError(parameter, "inverted or empty box: minx < maxx and miny < maxy are needed")
    dminx, dminy, dmaxx, dmaxy = CRS_DOMAIN[crs]
    if minx < dminx or maxx > dmaxx or miny < dminy or maxy > dmaxy:
        raise MapParameterError(
            parameter, f"outside the valid range ({dminx}, {dminy}, {dmaxx}, {dmaxy}) of EPSG:{crs}"
        )
    return minx, miny, maxx, maxy


def parse_map_args(args: Mapping[str, str]) -> MapRequest:
    """Validate the query parameters of ``/collections/{id}/map`` (before pygeoapi reads them).

    Raises :class:`MapParameterError` naming the first bad parameter.
    """
    if args.get("datetime"):
        raise MapParameterError("datetime", "the maps of the atlas have no time dimension")
    f = args.get("f")
    if f not in (None, "", "png", "html"):
        raise MapParameterError("f", f"{f!r} is not available; maps are PNG images (f=png)")
    width = parse_size(args.get("width"), "width", DEFAULT_WIDTH)
    height = parse_size(args.get("height"), "height", DEFAULT_HEIGHT)
    if width * height > MAX_PIXELS:
        raise MapParameterError("width", f"{width}×{height} pixels is more than the {MAX_PIXELS} allowed")
    crs = crs_code(args.get("crs"), "crs")
    bbox_crs = crs_code(args.get("bbox-crs"), "bbox-crs")
    transparent = parse_bool(args.get("transparent"), "transparent", True)
    raw = args.get("bbox")
    if raw is None or raw == "":
        bbox = CRS_DOMAIN[4326] if bbox_crs == 4326 else CRS_DOMAIN[bbox_crs]
    else:
        bbox = check_bbox(raw, bbox_crs, "bbox")
    if bbox_crs != crs:
        bbox = transform_bbox(bbox, bbox_crs, crs)
        if not (bbox[0] < bbox[2] and bbox[1] < bbox[3]):
            raise MapParameterError("bbox", "the box is empty once transformed to the map CRS")
    return MapRequest(tuple(bbox), crs, width, height, transparent)


@functools.lru_cache(maxsize=16)
def transformer(src: int, dst: int):
    """The pyproj transformer from EPSG ``src`` to ``dst`` (x first), cached."""
    from pyproj import Transformer

    return Transformer.from_crs(f"EPSG:{src}", f"EPSG:{dst}", always_xy=True)


def transform_bbox(bbox, src: int, dst: int) -> tuple[float, float, float, float]:
    """A bbox from EPSG ``src`` to ``dst`` (x first), densified edges; latitudes clipped for Web Mercator."""
    minx, miny, maxx, maxy = bbox
    if src == 4326 and dst == 3857:
        miny, maxy = max(miny, -WEB_MERCATOR_MAX_LAT), min(maxy, WEB_MERCATOR_MAX_LAT)
        if miny >= maxy:
            raise MapParameterError("bbox", "the box lies beyond the latitudes of Web Mercator (±85.05°)")
    out = transformer(src, dst).transform_bounds(minx, miny, maxx, maxy, densify_pts=21)
    if not all(math.isfinite(v) for v in out):
        raise MapParameterError("bbox", f"the box cannot be transformed from EPSG:{src} to EPSG:{dst}")
    if dst == 4326:
        out = (max(out[0], -180.0), max(out[1], -90.0), min(out[2], 180.0), min(out[3], 90.0))
    return tuple(out)
