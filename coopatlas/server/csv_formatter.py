"""The ``f=csv`` export of the atlas: pygeoapi's CSV output with a French label column next to each code.

pygeoapi writes ``/items?f=csv`` from the features that the provider returned for the request, so the
export carries exactly the active filters (``bbox``, property filters, ``filter``, ``q``, ``sortby``,
``properties``, ``limit``/``offset``). This formatter replaces pygeoapi's built-in ``CSV`` formatter for
the collections that list it, and adds, right after every code-list property (``statut``,
``type_action``, ``continent``…), a ``<property>_libelle`` column with the code's French label from
:mod:`coopatlas.vocabulary` (unless the collection already stores that column, as the themes do).

Why a formatter and not the provider: the provider answers every format with the same properties (the
JSON, the HTML pages, PostGIS parity); labels are presentation, wanted in spreadsheets only, and the
formatter receives the collection's provider definition (``options["provider_def"]``) to find the
schema. Configuration, per collection in ``pygeoapi-config.yml``::

    formatters:
      - name: coopatlas.server.csv_formatter.AtlasCSVFormatter
        geom: true          # x, y columns (CRS84 degrees) for points, wkt for other geometries
        attachment: true    # download as <collection>.csv

Other differences from the built-in formatter: booleans are written ``true``/``false`` (as in the JSON),
NULL as an empty cell; an empty result still has its header line; every feature is written even when
its geometry is NULL.
"""
from __future__ import annotations

import csv
import io
import logging

from pygeoapi.formatter.base import BaseFormatter, FormatterSerializationError

from .. import schema as sch

LOGGER = logging.getLogger(__name__)

LABEL_SUFFIX = "_libelle"


class _FormatName(str):
    """The formatter's name: ``"CSV"`` as the key of pygeoapi's table of formatters, so that it replaces
    the built-in ``CSV`` formatter (pygeoapi 0.24 ``util.get_dataset_formatters`` keys the table by
    name and picks the first formatter whose ``f`` matches), but ``"csv"`` when pygeoapi formats it into
    the ``?f=`` links of ``/items`` (it writes ``f={formatter.name}`` there, and only the lower-case
    ``f=csv`` is accepted)."""

    def __format__(self, spec: str) -> str:
        return format(str(self).lower(), spec)


class AtlasCSVFormatter(BaseFormatter):
    """CSV of the features of a response, with ``*_libelle`` label columns; see the module documentation."""

    def __init__(self, formatter_def: dict):
        super().__init__({"name": "CSV", "geom": formatter_def.get("geom", True),
                          "attachment": formatter_def.get("attachment", False)})
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
            return _write(features, coll, bool(self.geom))
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
    if v is None:
        return ""
    if v is True:
        return "true"
    if v is False:
        return "false"
    return str(v)


def _write(features: list, coll: sch.Collection | None, with_geom: bool) -> bytes:
    if features:
        names = list(dict.fromkeys(k for f in features for k in (f.get("properties") or {})))
    else:
        names = list(coll.field_names) if coll is not None else []
    cols = columns(names, coll)
    labels = {}
    if coll is not None:
        for name in names:
            voc = _codelist(coll, name)
            if voc is not None and name + LABEL_SUFFIX in cols and name + LABEL_SUFFIX not in names:
                labels[name] = voc
    geom_kind = None
    if with_geom:
        types = {(f.get("geometry") or {}).get("type") for f in features} - {None}
        if coll is not None and coll.geometry:
            geom_kind = "xy" if coll.geometry == "POINT" else "wkt"
        elif types:
            geom_kind = "xy" if types == {"Point"} else "wkt"
    header = (["x", "y"] if geom_kind == "xy" else []) + cols + (["wkt"] if geom_kind == "wkt" else [])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for feat in features:
        props = feat.get("properties") or {}
        row = []
        geom = feat.get("geometry")
        if geom_kind == "xy":
            xy = geom["coordinates"] if geom and geom.get("type") == "Point" and geom.get("coordinates") else None
            row += [_cell(xy[0]), _cell(xy[1])] if xy else ["", ""]
        for c in cols:
            if c in props:
                row.append(_cell(props[c]))
            elif c.endswith(LABEL_SUFFIX) and c[:-len(LABEL_SUFFIX)] in labels:
                code = props.get(c[:-len(LABEL_SUFFIX)])
                row.append(_cell(labels[c[:-len(LABEL_SUFFIX)]].label(code, "fr")))
            else:
                row.append("")
        if geom_kind == "wkt":
            row.append(_wkt(geom))
        writer.writerow(row)
    return out.getvalue().encode("utf-8")


def _wkt(geom) -> str:
    if not geom:
        return ""
    import shapely.geometry
    return shapely.geometry.shape(geom).wkt
