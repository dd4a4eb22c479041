"""The ``f=csv`` export of the atlas: every matching feature, with coordinates and a label next to each code.

``/collections/{id}/items?f=csv`` is answered here, not by pygeoapi's CSV formatter, which writes one page
of features (``limit``, at most ``server.limits.max_items``: 10,000 rows, cut without a word) and no
coordinates. The export:

* carries exactly the request's filters (``bbox``, property filters, ``filter``, ``q``, ``sortby``,
  ``properties``, ``skipGeometry``, ``crs``...): its rows are the pages of the same request in JSON, made
  by pygeoapi's own items function, called directly (so both backends, GeoPackage and PostGIS, give the
  same export);
* holds the WHOLE result (from ``offset``, up to ``limit`` when given), streamed page after page; a
  result of more than :data:`MAX_EXPORT_ROWS` rows (``COOPATLAS_CSV_MAX_ROWS``) is refused with a 400 that
  says how to get it (pages of ``limit``/``offset``, or ``ogr2ogr`` / ``coopatlas export``);
* has ``longitude``, ``latitude`` columns first for points (degrees, CRS84; ``x``, ``y`` in a projected
  ``crs``), a ``wkt`` column last for other geometries;
* has, right after every code-list property (``type_action``, ``statut``, ``continent``,
  ``type_collectivite``...), a ``<property>_libelle`` column with the code's French label from
  :mod:`coopatlas.vocabulary` (unless the collection stores that column, as the themes do);
* writes booleans ``true``/``false`` (as the JSON and the interchange format), NULL as an empty cell, and
  its header line even when nothing matches; the ``OGC-NumberMatched`` header gives the count matched.

Read it back with GDAL: ``ogr2ogr out.gpkg projets.csv -oo X_POSSIBLE_NAMES=longitude -oo
Y_POSSIBLE_NAMES=latitude -a_srs OGC:CRS84`` (or ``-oo GEOM_POSSIBLE_NAMES=wkt``), or with pandas.

:class:`AtlasCSVFormatter` writes the same columns as a pygeoapi formatter (``formatters`` of a collection
in ``pygeoapi-config.yml``), for one page of features.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import os
from collections.abc import Iterable, Iterator

from flask import Blueprint, Response, current_app, request, stream_with_context
from pygeoapi.api import APIRequest
from pygeoapi.formatter.base import BaseFormatter, FormatterSerializationError

from .. import schema as sch
from ..text import spreadsheet_safe

LOGGER = logging.getLogger(__name__)

LABEL_SUFFIX = "_libelle"
#: Most rows one CSV export streams (``COOPATLAS_CSV_MAX_ROWS``, default 100,000); beyond, the export is
#: refused with the way to get the rows.
MAX_EXPORT_ROWS = int(os.environ.get("COOPATLAS_CSV_MAX_ROWS") or 100_000)
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
EPSG_4326 = "http://www.opengis.net/def/crs/EPSG/0/4326"


class _FormatName(str):
    """The formatter's name: ``"CSV"`` as the key of pygeoapi's table of formatters, so that it replaces
    the built-in ``CSV`` formatter (pygeoapi 0.24 ``util.get_dataset_formatters`` keys the table by
    name and picks the first formatter whose ``f`` matches), but ``"csv"`` when pygeoapi formats it into
    the ``?f=`` links of ``/items`` (it writes ``f={formatter.name}`` there, and only the lower-case
    ``f=csv`` is accepted)."""

    def __format__(self, spec: str) -> str:
        return format(str(self).lower(), spec)


class AtlasCSVFormatter(BaseFormatter):
    """CSV of the features of one response (pygeoapi formatter); see the module documentation."""

    def __init__(self, formatter_def: dict):
        super().__init__(
            {
                "name": "CSV",
                "geom": formatter_def.get("geom", True),
                "attachment": formatter_def.get("attachment", False),
            }
        )
        self.name = _FormatName("CSV")
        self.mimetype = "text/csv; charset=utf-8"
        self.f = "csv"
        self.extension = "csv"

    def write(self, options: dict = {}, data: dict | None = None) -> bytes:
        """The CSV (UTF-8 bytes) of a GeoJSON FeatureCollection dict."""
        data = data or {}
        provider_def = (options or {}).get("provider_def") or {}
        coll = sch.COLLECTIONS.get(provider_def.get("table"))
        features = data.get("features") or []
        try:
            table = CsvTable(coll, features, with_geometry=bool(self.geom), crs=(options or {}).get("content_crs"))
            return "".join(table.lines(features, header=True)).encode("utf-8")
        except (TypeError, ValueError, KeyError) as exc:
            LOGGER.error("CSV output failed: %s", exc)
            raise FormatterSerializationError("Error writing CSV output") from exc


def columns(names: list[str], coll: sch.Collection | None) -> list[str]:
    """``names`` with ``<name>_libelle`` inserted after each code-list property of ``coll``."""
    present = set(names)
    out = []
    for name in names:
        out.append(name)
        label = name + LABEL_SUFFIX
        if coll is not None and label not in present and _codelist(coll, name) is not None:
            out.append(label)
    return out


def _codelist(coll: sch.Collection, name: str):
    try:
        return coll.field(name).vocabulary
    except KeyError:
        return None


def _cell(v) -> str:
    """The CSV text of a value; a text that a spreadsheet would run as a formula (``=HYPERLINK(...)``,
    ``+1+1``, ``@SUM(...)``) starts with a quote, which spreadsheets show as text (numbers are left
    as they are: ``-3.5`` is a longitude)."""
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (dict, list)):
        v = json.dumps(v, ensure_ascii=False)
    if isinstance(v, str):
        return spreadsheet_safe(v)
    return str(v)


def _wkt(geom) -> str:
    if not geom:
        return ""
    import shapely.geometry

    return shapely.geometry.shape(geom).wkt


class CsvTable:
    """The columns of a CSV of features of ``coll`` and the writing of its lines.

    The properties are those of the first ``features`` (their union), else the collection's fields; the
    geometry columns follow the collection's geometry type: ``longitude``, ``latitude`` for points (``x``,
    ``y`` in a projected ``crs``; EPSG:4326's latitude-first coordinates are put back in that order), a
    last ``wkt`` column otherwise; none with ``with_geometry=False``.
    """

    def __init__(
        self,
        coll: sch.Collection | None,
        features: list,
        with_geometry: bool = True,
        crs: str | None = None,
        names: list[str] | None = None,
    ):
        self.coll = coll
        if features:
            names = list(dict.fromkeys(k for f in features for k in (f.get("properties") or {})))
        elif names is None:
            names = list(coll.field_names) if coll is not None else []
        self.names = names
        self.columns = columns(names, coll)
        self.labels = {}
        if coll is not None:
            for name in names:
                voc = _codelist(coll, name)
                if voc is not None and name + LABEL_SUFFIX not in names:
                    self.labels[name] = voc
        self.geometry = None  # "point" or "wkt"
        if with_geometry:
            types = {(f.get("geometry") or {}).get("type") for f in features} - {None}
            if coll is not None and coll.geometry:
                self.geometry = "point" if coll.geometry == "POINT" else "wkt"
            elif types:
                self.geometry = "point" if types == {"Point"} else "wkt"
        self.crs = crs or CRS84
        self.lat_first = self.crs == EPSG_4326
        degrees = self.crs in (CRS84, EPSG_4326)
        self.xy_names = ["longitude", "latitude"] if degrees else ["x", "y"]

    @property
    def header(self) -> list[str]:
        return (
            (self.xy_names if self.geometry == "point" else [])
            + self.columns
            + (["wkt"] if self.geometry == "wkt" else [])
        )

    def row(self, feature: dict) -> list[str]:
        props = feature.get("properties") or {}
        geom = feature.get("geometry")
        row = []
        if self.geometry == "point":
            xy = geom.get("coordinates") if geom and geom.get("type") == "Point" else None
            if xy:
                xy = (xy[1], xy[0]) if self.lat_first else (xy[0], xy[1])
            row += [_cell(xy[0]), _cell(xy[1])] if xy else ["", ""]
        for c in self.columns:
            if c in props:
                row.append(_cell(props[c]))
            elif c.endswith(LABEL_SUFFIX) and c[: -len(LABEL_SUFFIX)] in self.labels:
                code = props.get(c[: -len(LABEL_SUFFIX)])
                row.append(_cell(self.labels[c[: -len(LABEL_SUFFIX)]].label(code, "fr")))
            else:
                row.append("")
        if self.geometry == "wkt":
            row.append(_wkt(geom))
        return row

    def lines(self, features: Iterable[dict], header: bool = False) -> Iterator[str]:
        """The CSV lines (text, ``\\r\\n`` ended) of ``features``, after the header line if asked."""
        out = io.StringIO()
        writer = csv.writer(out)
        if header:
            writer.writerow(self.header)
        for feat in features:
            writer.writerow(self.row(feat))
            if out.tell() > 1 << 16:
                yield out.getvalue()
                out.seek(0)
                out.truncate()
        if out.tell():
            yield out.getvalue()


# --- the streamed export of /collections/{id}/items?f=csv -------------------------------------------------------

blueprint = Blueprint("coopatlas_csv", __name__)


class ExportRefused(Exception):
    def __init__(self, status: int, code: str, description: str):
        super().__init__(description)
        self.status, self.code, self.description = status, code, description


def _ogc_error(status: int, code: str, description: str) -> Response:
    body = {"code": code, "type": code, "description": description}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/json")


def _page_size(cid: str) -> int:
    from pygeoapi.flask_app import CONFIG

    limits = {**CONFIG["server"].get("limits", {}), **CONFIG["resources"][cid].get("limits", {})}
    return int(limits.get("max_items", 10_000))


def _int_param(name: str) -> int | None:
    raw = request.args.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        raise ExportRefused(400, "InvalidParameterValue", f"{name}: {raw!r} is not an integer") from None
    if value < (1 if name == "limit" else 0):
        raise ExportRefused(400, "InvalidParameterValue", f"{name}: must be {'> 0' if name == 'limit' else '>= 0'}")
    return value


def _page(cid: str, offset: int, limit: int) -> tuple[dict, dict]:
    """The JSON page ``offset``, ``limit`` of the current request, made by pygeoapi's own items function
    (called directly, as its Flask view calls it): (response headers, body)."""
    from pygeoapi.api import itemtypes
    from pygeoapi.flask_app import api_

    params = [(k, v) for k, v in request.args.items(multi=True) if k not in ("f", "limit", "offset")]
    params += [("f", "json"), ("limit", str(limit)), ("offset", str(offset))]
    headers = {"Accept": "application/geo+json"}
    if request.content_type:
        headers["Content-Type"] = request.content_type
    if request.headers.get("Accept-Language"):
        headers["Accept-Language"] = request.headers["Accept-Language"]
    post = request.method == "POST"
    with current_app.test_request_context(
        request.path,
        method="POST" if post else "GET",
        query_string=params,
        headers=headers,
        data=request.get_data(cache=True) if post else None,
    ):
        from flask import request as page_request

        page_headers, status, content = itemtypes.get_collection_items(
            api_, APIRequest.from_flask(page_request, api_.locales), cid
        )
    if isinstance(content, bytes):
        content = content.decode("utf-8")
    if status != 200:
        try:
            err = json.loads(content)
        except ValueError:
            err = {}
        raise ExportRefused(status, err.get("code", "NoApplicableCode"), err.get("description", f"HTTP {status}"))
    return dict(page_headers or {}), json.loads(content)


def _too_many(cid: str, wanted: int, offset: int) -> ExportRefused:
    url = request.base_url
    return ExportRefused(
        400,
        "InvalidParameterValue",
        (
            f"limit: this CSV export would hold {wanted} rows, more than the {MAX_EXPORT_ROWS} exported at once. "
            f"Ask for it in pages (limit={MAX_EXPORT_ROWS}&offset={offset}, "
            f"then offset={offset + MAX_EXPORT_ROWS}...), "
            f"narrow the search, or take the whole collection with GDAL: ogr2ogr -f CSV {cid}.csv "
            f"OAPIF:{url.rsplit('/collections/', 1)[0]} {cid} -lco GEOMETRY=AS_XY "
            "(or 'python -m coopatlas export' on the database)"
        ),
    )


def export(cid: str) -> Response:
    """The streamed CSV of the current ``/collections/{cid}/items`` request (see the module documentation)."""
    coll = sch.COLLECTIONS.get(cid)
    limit, offset = _int_param("limit"), _int_param("offset") or 0
    page_size = _page_size(cid)
    first_headers, first = _page(cid, offset, min(limit or page_size, page_size))
    features = first.get("features") or []
    matched = first.get("numberMatched")
    if matched is None:  # no count from the provider: the pages tell
        wanted = limit if limit is not None else None
    else:
        wanted = max(0, int(matched) - offset)
        if limit is not None:
            wanted = min(wanted, limit)
    if wanted is not None and wanted > MAX_EXPORT_ROWS:
        raise _too_many(cid, wanted, offset)
    skip = request.args.get("skipGeometry", "").lower() in ("true", "1", "yes")
    wanted_names = [p for p in request.args.get("properties", "").split(",") if p] or None
    table = CsvTable(coll, features, with_geometry=not skip, crs=request.args.get("crs"), names=wanted_names)

    def rows() -> Iterator[str]:
        yield from table.lines(features[:wanted] if wanted is not None else features, header=True)
        done, page = len(features), features
        while page and len(page) == min(limit or page_size, page_size) and (wanted is None or done < wanted):
            size = page_size if wanted is None else min(page_size, wanted - done)
            if size <= 0:
                break
            _, body = _page(cid, offset + done, size)
            page = body.get("features") or []
            yield from table.lines(page)
            done += len(page)

    headers = {"Content-Disposition": f'attachment; filename="{cid}.csv"'}
    for name in ("Content-Language", "Content-Crs"):
        if first_headers.get(name):
            headers[name] = first_headers[name]
    if wanted is not None:
        headers["OGC-NumberMatched"] = str(matched)
    encoded = (chunk.encode("utf-8") for chunk in rows())
    return Response(stream_with_context(encoded), headers=headers, content_type="text/csv; charset=utf-8")


def _asks_csv() -> bool:
    """Whether pygeoapi reads the request's format as ``csv``. Decided from ``f`` (or an ``Accept`` header
    that names no CSV) without building pygeoapi's whole request object (locale, headers, URL): this runs
    before every ``/items`` request, JSON ones included."""
    given = (request.args.get("f") or "").strip()
    if given or "csv" not in request.headers.get("Accept", "").lower():
        return given == "csv"
    from pygeoapi.flask_app import api_

    return APIRequest.from_flask(request, api_.locales).format == "csv"


@blueprint.before_app_request
def stream_csv_export():
    """``/collections/{id}/items?f=csv``: the streamed export of :func:`export`. (``Accept: text/csv``
    without ``f`` is not read as CSV by pygeoapi 0.24's request object, whose media types have no CSV: pygeoapi
    answers it with one page through :class:`AtlasCSVFormatter`.)"""
    if request.endpoint != "pygeoapi.collection_items" or (request.view_args or {}).get("item_id"):
        return None
    from pygeoapi.flask_app import CONFIG

    cid = (request.view_args or {}).get("collection_id")
    if cid not in CONFIG.get("resources", {}) or request.method not in ("GET", "HEAD", "POST"):
        return None
    if not _asks_csv():
        return None
    try:
        return export(cid)
    except ExportRefused as exc:
        return _ogc_error(exc.status, exc.code, exc.description)
