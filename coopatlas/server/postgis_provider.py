"""pygeoapi's core PostgreSQL feature provider, with what the atlas needs for the GeoPackage's answers.

The core provider (``name: PostgreSQL``, :class:`pygeoapi.provider.sql.PostgreSQLProvider`: SQLAlchemy,
GeoAlchemy2, CQL2 through pygeofilter's SQLAlchemy backend) does the querying. This subclass adds only
what makes PostGIS answer exactly as the GeoPackage provider (:mod:`coopatlas.server.provider`), which
the parity suite (``tests/parity``) checks over HTTP:

* ``q``, accepted but ignored by the core provider: every normalised word of the query
  (:func:`coopatlas.text.keywords`: accents, case and punctuation removed) must start a word of the
  hidden ``recherche`` column, with the same ``LIKE`` patterns as the GeoPackage
  (:func:`coopatlas.text.like_patterns`; a trigram index serves them when the loader could create one);
* the internal columns ``fid`` and ``recherche`` are not published (fields, queryables, properties);
* property filters and CQL2 filters are checked by the same rules as the GeoPackage provider
  (:func:`coopatlas.server.cql.to_sql` used as a validator: unknown properties, values of the wrong type,
  unknown codes, unsupported operators), so that bad input is the same HTTP 400 naming the problem
  on both backends instead of a 500 or a silent comparison with the property *name*;
* CQL2 evaluation fills three gaps of pygeofilter 0.4's SQLAlchemy backend: ``ACCENTI`` (accents
  removed, as :func:`coopatlas.server.cql.unaccent`), the text literal ``BBOX(...)`` and CQL2 JSON
  ``{"bbox": [...]}`` envelopes (read in bbox order), and geometry literals in OGC CRS84 (SRID 4326);
* ``bbox`` with ``minx > maxx`` is a box crossing the antimeridian (two boxes), as in the GeoPackage;
* ``datetime``: the features whose period (start and end properties) meets the instant or interval, the
  conditions of :mod:`coopatlas.server.temporal` (the core compares one ``time_field`` only);
* ``sortby`` breaks ties by ``id`` (stable paging) and sorts NULLs as SQLite does (first when ascending,
  last when descending).

A page's statement is planned without parallel workers (:func:`_serial_page`: the id-order read of a dense
``bbox`` is then one process reading up to the page, as the GeoPackage reads it).

Geometries are EPSG:4326 longitude/latitude degrees (OGC CRS84 axis order, the provider's
``storage_crs``).
"""

from __future__ import annotations

import unicodedata
from contextvars import ContextVar
from functools import lru_cache

from geoalchemy2.functions import ST_Intersects, ST_MakeEnvelope
from pygeoapi.crs import get_transform_from_spec
from pygeoapi.provider.base import ProviderConnectionError, ProviderInvalidQueryError, ProviderItemNotFoundError
from pygeoapi.provider.sql import PostgreSQLProvider
from pygeofilter import ast, values
from pygeofilter.backends.evaluator import handle
from pygeofilter.backends.sqlalchemy import filters as sa_filters
from pygeofilter.backends.sqlalchemy.evaluate import SQLAlchemyFilterEvaluator
from sqlalchemy import String, and_, asc, desc, event, func, literal, or_, select, text
from sqlalchemy.exc import DataError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from .. import schema as sch
from ..predicates import to_expression
from ..store import table_versions
from ..store.faults import unavailable_cause
from ..store.geopackage import SEARCH as SEARCH_COLUMN
from ..store.geopackage import SRS_ID  # of the stored geometries (EPSG:4326, longitude first)
from ..store.postgis import FID
from ..text import like_patterns
from . import bbox_crs, counts, cql, temporal
from .faults import ProviderUnavailable

#: Columns of the stored tables that are not feature properties.
HIDDEN_COLUMNS = (FID, SEARCH_COLUMN)
#: Collation of CASEI (Unicode case mapping; PostgreSQL built with ICU, as Debian's is).
UNICODE_COLLATION = "und-x-icu"
#: Names of CRS84 (longitude, latitude) in geometry literals: stored as SRID 4326 (same axis order).
_LONLAT_NAMES = frozenset(
    {
        "urn:ogc:def:crs:OGC::CRS84",
        "urn:ogc:def:crs:OGC:1.3:CRS84",
        "OGC:CRS84",
        "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
    }
)


#: Published fields per reflected table model (the core caches the models per table and engine).
_FIELDS: dict = {}


#: Set while the core query of a page runs, in its thread only (see :func:`_serial_page`).
_SERIAL_PAGE: ContextVar[bool] = ContextVar("coopatlas_serial_page", default=False)


def _serial_page(connection) -> None:
    """At the start of the transaction of a page: no parallel plan for its statement.

    PostGIS declares ``ST_Intersects`` 10,000 times as costly as ``=`` (right for polygons, not for a
    point in a box), so for a ``bbox`` matching a large share of the table the planner judges the id-order
    read of the page (some ``limit / share`` rows) CPU-heavy and splits it over two parallel workers
    (``Gather Merge``): two processes started for each request, tens of milliseconds on a busy server,
    for a read of a millisecond. A page is a ``LIMIT``; the server's workers are its parallelism.
    ``SET LOCAL`` ends with the transaction; counts (the background ones too) keep parallel plans.
    """
    if _SERIAL_PAGE.get():
        connection.exec_driver_sql("SET LOCAL max_parallel_workers_per_gather = 0")


def _invalid(msg: str) -> ProviderInvalidQueryError:
    return ProviderInvalidQueryError(msg, user_msg=msg)


class _Keywords(tuple):
    """The LIKE patterns of ``q``, passed to :meth:`AtlasPostgreSQLProvider._get_property_filters` with
    the property filters (the core ``query`` builds its WHERE clause from those filters only)."""


@lru_cache(maxsize=1)
def _unaccent_table() -> tuple[str, str, str]:
    """(from, to, removed) characters such that PostgreSQL ``translate`` does :func:`cql.unaccent` on
    Latin text: accented letters to their base letter, lone combining marks removed."""
    src, dst = [], []
    for cp in list(range(0xC0, 0x250)) + list(range(0x1E00, 0x1F00)):
        c = chr(cp)
        u = cql.unaccent(c)
        if u != c and len(u) == 1:
            src.append(c)
            dst.append(u)
    removed = "".join(chr(cp) for cp in range(0x300, 0x370) if unicodedata.combining(chr(cp)))
    return "".join(src), "".join(dst), removed


def _text(value):
    """A SQL text expression of ``value`` (a Python string becomes a bound parameter)."""
    return literal(value, String) if isinstance(value, str) else value


def _sql_unaccent(expr):
    src, dst, removed = _unaccent_table()
    return func.translate(_text(expr), src + removed, dst)


class _Evaluator(SQLAlchemyFilterEvaluator):
    """pygeofilter's SQLAlchemy evaluator with CASEI, ACCENTI, BBOX literals and CRS84 geometries."""

    @handle(ast.Function)
    def function(self, node, *arguments):
        name = node.name.lower()
        if name in ("lower", "casei"):
            # Unicode lower case: the atlas's text columns have the "C" collation, whose lower() only
            # knows ASCII; ICU's root locale lowers every letter as Python's str.lower() does
            return func.lower(*[_text(a).collate(UNICODE_COLLATION) for a in arguments])
        if name == "accenti":
            return _sql_unaccent(*arguments)
        if name == "bbox" and len(arguments) in (4, 5):
            return sa_filters.parse_bbox(list(arguments[:4]))
        raise _invalid(f"filter: unknown function {node.name!r} (functions: CASEI, ACCENTI)")

    @handle(ast.Like)
    def like(self, node, lhs):
        pattern = node.pattern
        if isinstance(pattern, ast.Function):
            pattern = self.function(pattern, *[self.evaluate(a) for a in pattern.arguments])
        return sa_filters.like(lhs, pattern, not node.nocase, node.not_)

    @handle(values.Envelope)
    def envelope(self, node):
        # pygeofilter 0.4 builds Envelope(*bbox) from {"bbox": [minx, miny, maxx, maxy]}: bbox order
        return sa_filters.parse_bbox([node.x1, node.x2, node.y1, node.y2])

    @handle(values.Geometry)
    def geometry(self, node):
        geom = dict(node.__geo_interface__)
        name = (geom.get("crs") or {}).get("properties", {}).get("name")
        if name in _LONLAT_NAMES:
            geom["crs"] = {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::4326"}}
        return sa_filters.parse_geometry(geom)


bbox_crs.install()  # no per-request CRS lookup for a bbox already in the storage CRS
temporal.install()  # datetime checked by the atlas's rule (400 that says why), no "out of range"


class AtlasPostgreSQLProvider(PostgreSQLProvider):
    """The core PostgreSQL provider plus ``q`` and the atlas's checks; see the module documentation."""

    def __init__(self, provider_def: dict):
        try:
            super().__init__(provider_def)
        except ProviderConnectionError as exc:  # the core's "Could not connect" when reflecting the table
            raise ProviderUnavailable(str(exc)) from exc
        except Exception as exc:
            if unavailable_cause(exc):
                raise ProviderUnavailable(str(exc)) from exc
            raise
        self.coll = sch.COLLECTIONS.get(provider_def["table"])
        self.queryables = {name: cql.Queryable(name, self._type(name), self._codes(name)) for name in self.fields}

    def _type(self, name: str) -> str:
        if self.coll is not None and name in self.coll.field_names:
            return self.coll.field(name).type
        t = self.fields[name].get("type")
        return {"integer": sch.INTEGER, "number": sch.REAL, "boolean": sch.BOOLEAN}.get(t, sch.TEXT)

    def _codes(self, name: str):
        if self.coll is not None and name in self.coll.field_names:
            voc = self.coll.field(name).vocabulary
            return frozenset(voc.codes) if voc else None
        return None

    @property
    def _has_geometry(self) -> bool:
        return hasattr(self.table_model, self.geom)

    def get_fields(self):
        """The core provider's fields (from the reflected table) less the internal columns; computed once
        per table and process (pygeoapi makes a provider per request; the core logs a warning for every
        ``date`` column each time)."""
        if not self._fields:
            cached = _FIELDS.get(self.table_model)
            if cached is None:
                cached = dict(super().get_fields())
                for name in HIDDEN_COLUMNS:
                    cached.pop(name, None)
                _FIELDS[self.table_model] = cached
            self._fields = {k: dict(v) for k, v in cached.items()}
        return self._fields

    # -- q, and the errors of the database as 400s
    def query(
        self,
        offset=0,
        limit=10,
        resulttype="results",
        bbox=[],
        datetime_=None,
        properties=[],
        sortby=[],
        select_properties=[],
        skip_geometry=False,
        q=None,
        filterq=None,
        crs_transform_spec=None,
        **kwargs,
    ):
        properties = list(properties or [])
        if q is not None and str(q).strip():
            patterns = like_patterns(str(q))
            if not patterns:
                raise _invalid(f"q: no word to search for in {q!r}")
            if not hasattr(self.table_model, SEARCH_COLUMN):
                raise _invalid(f"q: collection {self.table} has no keyword search")
            properties.append((_Keywords(patterns), None))
        if bbox and not self._has_geometry:
            raise _invalid(f"bbox: collection {self.table} has no geometry")
        try:
            return self._query_counted(
                offset=offset,
                limit=limit,
                resulttype=resulttype,
                bbox=bbox,
                datetime_=datetime_,
                properties=properties,
                sortby=sortby,
                select_properties=select_properties,
                skip_geometry=skip_geometry,
                q=q,
                filterq=filterq,
                crs_transform_spec=crs_transform_spec,
                **kwargs,
            )
        except Exception as exc:
            if unavailable_cause(exc):  # PostgreSQL down or restarting: 503, not the driver's message
                raise ProviderUnavailable(str(exc)) from exc
            if not isinstance(exc, (DataError, ProgrammingError)):
                raise
            # a value the database refuses (checks missed it)
            detail = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
            raise _invalid(f"filter: invalid value: {detail}") from None

    def get(self, identifier, crs_transform_spec=None, **kwargs):
        """The item in one statement (:meth:`_get_with_neighbours`); a database that cannot answer is a 503,
        not "no such item" (the core turns every SQLAlchemy error into :class:`ProviderItemNotFoundError`,
        a 404 that would tell clients that the feature no longer exists)."""
        try:
            return self._get_with_neighbours(identifier, crs_transform_spec)
        except ProviderItemNotFoundError as exc:
            if unavailable_cause(exc.__context__):
                raise ProviderUnavailable(str(exc.__context__)) from exc.__context__
            raise
        except Exception as exc:
            if unavailable_cause(exc):
                raise ProviderUnavailable(str(exc)) from exc
            raise

    # -- numberMatched: cached per filter and data version, bounded (coopatlas.server.counts)
    def _query_counted(
        self, offset=0, limit=10, resulttype="results", bbox=[], datetime_=None, properties=[], filterq=None, **kwargs
    ):
        """The core query without its count (``SELECT count(*)`` of every match on every request), then
        ``numberMatched`` from the page (a last page tells it), the cache or a count within the budget."""
        query = dict(
            offset=offset, limit=limit, bbox=bbox, datetime_=datetime_, properties=properties, filterq=filterq, **kwargs
        )
        if not self.count and resulttype != "hits":
            return self._page(resulttype=resulttype, **query)
        key = self._count_key(bbox, datetime_, properties, filterq)

        def count(budget=None):
            return self._count_matches(bbox, datetime_, properties, filterq, budget)

        if resulttype == "hits":
            return {
                "type": "FeatureCollection",
                "features": [],
                "numberReturned": 0,
                "numberMatched": counts.matched(key, count, exact=True),
            }
        self.count = False
        try:
            response = self._page(resulttype=resulttype, **query)
        finally:
            self.count = True
        n, offset, limit = response["numberReturned"], int(offset or 0), int(limit)
        if 0 < n < limit or (n == 0 and offset == 0 and limit > 0):
            matched = offset + n  # the page tells it
            counts.remember(key, matched)
        else:
            matched = counts.matched(key, count)
        if matched is not None:
            response["numberMatched"] = matched
        else:
            response["numberMatchedAtLeast"] = offset + n
        return response

    def _page(self, **query):
        """The core query of a page, its statement planned without parallel workers (:func:`_serial_page`)."""
        if not event.contains(self._engine, "begin", _serial_page):
            event.listen(self._engine, "begin", _serial_page)
        token = _SERIAL_PAGE.set(True)
        try:
            return super().query(**query)
        finally:
            _SERIAL_PAGE.reset(token)

    # -- /items/{id}: one query (the core runs three, loading the previous and next rows whole)
    def _get_with_neighbours(self, identifier, crs_transform_spec=None):
        """The feature ``identifier`` with the ``prev``/``next`` ids in id order, in one statement."""
        id_column = getattr(self.table_model, self.id_field)
        identifier = str(identifier) if self._type(self.id_field) == sch.TEXT else identifier
        prev_id = select(func.max(id_column)).where(id_column < identifier).scalar_subquery()
        next_id = select(func.min(id_column)).where(id_column > identifier).scalar_subquery()
        with Session(self._engine) as session:
            try:
                row = session.execute(select(self.table_model, prev_id, next_id).where(id_column == identifier)).first()
            except DataError:  # an id of the wrong type for the column
                row = None
            if row is None:
                msg = f"No such item: {self.id_field}={identifier}."
                raise ProviderItemNotFoundError(msg, user_msg=msg)
            item, prev, nxt = row
            feature = self._sqlalchemy_to_feature(item, get_transform_from_spec(crs_transform_spec))
        if self.properties:
            feature["properties"] = {k: v for k, v in feature["properties"].items() if k in self.properties}
        feature["prev"] = prev if prev is not None else identifier
        feature["next"] = nxt if nxt is not None else identifier
        return feature

    def _count_key(self, bbox, datetime_, properties, filterq) -> tuple | None:
        """The normalised filter and the version of the collection's table (or of the table behind its
        view), read before the count (:func:`coopatlas.store.table_versions.of`: a reload, a live write of
        the Bourse or of a collectivity renews it); None (not cached) for a schema without versions."""
        with Session(self._engine) as session:
            version = table_versions.of(lambda sql: session.execute(text(sql)).all(), [self.table])
        if version is None:
            return None
        props = tuple(sorted(repr(p) for p in properties or []))
        return (
            "postgis",
            str(self._engine.url),
            version,
            props,
            tuple(float(v) for v in bbox or ()),
            datetime_,
            repr(filterq),
        )

    def _count_matches(self, bbox, datetime_, properties, filterq, budget: float | None) -> int:
        """The exact number of matches; :class:`counts.OverBudget` past ``budget`` seconds."""
        where = and_(
            self._get_property_filters(properties),
            self._get_cql_filters(filterq),
            self._get_bbox_filter(bbox),
            self._get_datetime_filter(datetime_),
        )
        statement = select(func.count()).select_from(self.table_model).where(where)
        with self._engine.connect() as connection:
            try:
                with connection.begin():
                    if budget is not None:
                        connection.execute(text(f"SET LOCAL statement_timeout = {max(1, int(budget * 1000))}"))
                    return connection.execute(statement).scalar()
            except OperationalError as exc:
                if getattr(getattr(exc, "orig", None), "pgcode", None) != "57014":  # query_canceled
                    raise
                # the timeout holds until the transaction ends: it may cancel the ROLLBACK (or COMMIT) too
                # on a busy machine, leaving the transaction open; such a connection is never reused
                connection.invalidate()
                raise counts.OverBudget() from None

    def _get_property_filters(self, properties):
        patterns = [p for name, _ in properties if isinstance(name, _Keywords) for p in name]
        others = []
        for name, value in properties:
            if isinstance(name, _Keywords):
                continue
            qa = self.queryables.get(name)
            if qa is None:
                raise _invalid(f"unknown property {name!r} (properties: {', '.join(self.queryables)})")
            try:
                v = cql.coerce(qa, value, where=name)
                cql.check_code(qa, v, where=name)
            except cql.FilterError as exc:
                raise _invalid(str(exc)) from None
            others.append((name, bool(v) if qa.type == sch.BOOLEAN else v))
        clause = super()._get_property_filters(others)
        if not patterns:
            return clause
        column = getattr(self.table_model, SEARCH_COLUMN)
        return and_(clause, *(column.like(p) for p in patterns))

    # -- bbox: minx > maxx crosses the antimeridian
    def _get_bbox_filter(self, bbox):
        """``ST_Intersects`` with the box(es), SRID 4326 (the loader's; the core provider derives it from
        the storage CRS with pyproj on every request, some 25 ms)."""
        if not bbox:
            return True
        b = [float(v) for v in bbox]
        if len(b) == 6:
            b = [b[0], b[1], b[3], b[4]]
        minx, miny, maxx, maxy = b
        boxes = [(minx, miny, maxx, maxy)] if minx <= maxx else [(minx, miny, 180.0, maxy), (-180.0, miny, maxx, maxy)]
        column = getattr(self.table_model, self.geom)
        tests = [ST_Intersects(ST_MakeEnvelope(*box, SRS_ID), column) for box in boxes]
        return tests[0] if len(tests) == 1 else or_(*tests)

    # -- datetime: the features whose period meets it, by the GeoPackage's rule (coopatlas.server.temporal)
    def _get_datetime_filter(self, datetime_):
        if datetime_ is None or not str(datetime_).strip():
            return True
        if self.coll is None:
            raise _invalid(f"datetime: collection {self.table} has no time property")
        try:
            conditions = temporal.conditions(self.coll, str(datetime_))
        except temporal.DatetimeError as exc:
            raise _invalid(str(exc)) from None
        return to_expression(conditions, lambda name: getattr(self.table_model, name))

    # -- CQL2: the GeoPackage's checks, pygeofilter's SQLAlchemy backend (completed) for the SQL
    def _get_cql_filters(self, filterq):
        if not filterq:
            return True
        target = cql.Target(
            queryables=self.queryables,
            geometry='"geom"' if self._has_geometry else None,
            geometry_names=frozenset({"geometry", self.geom}),
        )
        try:
            cql.to_sql(filterq, target)  # validation only: raises FilterError with the user's message
        except cql.FilterError as exc:
            raise _invalid(str(exc)) from None
        mapping = {name: getattr(self.table_model, name) for name in self.fields}
        if self._has_geometry:
            mapping[self.geom] = mapping["geometry"] = getattr(self.table_model, self.geom)
        return _Evaluator(mapping, False).evaluate(filterq)

    # -- sortby: SQLite's NULL order, ties broken by id
    def _get_order_by_clauses(self, sort_by, table_model):
        clauses = []
        for s in sort_by:
            column = getattr(table_model, s["property"])
            clauses.append(asc(column).nulls_first() if s["order"] == "+" else desc(column).nulls_last())
        if not any(s["property"] == self.id_field for s in sort_by):
            clauses.append(asc(getattr(table_model, self.id_field)))
        return clauses
