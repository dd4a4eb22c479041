"""pygeoapi feature provider of the atlas GeoPackage: plain ``sqlite3``, read-only, every parameter honoured.

pygeoapi's stock file providers ignore ``filter`` (and some of ``sortby``, ``properties``, ``offset``),
and its SQLiteGPKG provider writes into the file. :class:`AtlasGeoPackageProvider` answers every
OGC API Features request on one collection of :mod:`coopatlas.schema` with the semantics of pygeoapi's
PostgreSQL provider (as extended by :mod:`coopatlas.server.postgis_provider`), so that the embedded
GeoPackage and PostGIS give the same answers:

* ``bbox`` (CRS84 degrees, pygeoapi has already applied ``bbox-crs``; ``minx > maxx`` is a box
  crossing the antimeridian): the features whose geometry intersects the box (exact test, closed box),
  found through the GeoPackage R-tree (``rtree_<table>_geom``; the ``demandes`` view uses the R-tree of
  its table ``bourse_demandes``);
* property filters (``?statut=en_cours``): equality, the value checked against the property's type and
  code list; ``filter`` (CQL2 text or JSON, already parsed by pygeoapi): see :mod:`coopatlas.server.cql`;
* ``q``: every normalised word of ``q`` (accents, case and punctuation removed) must start a word of the
  hidden column ``recherche`` (:func:`coopatlas.text.like_patterns`: ``recherche LIKE '% word%'``, so
  ``eau`` finds "l'eau", "eaux", not "bureau");
* ``sortby`` (several keys; NULLs first ascending, last descending, as SQLite; ties broken by ``id``),
  default order ``id``; ``properties``, ``skipGeometry``, ``limit``/``offset``, ``resulttype=hits``,
  ``crs`` (output CRS, through pygeoapi's transformation as the PostgreSQL provider does),
  ``datetime`` (the features whose period, :class:`coopatlas.schema.Period`, meets the instant or
  interval: :mod:`coopatlas.server.temporal`; a 400 on a collection without time);
* ``numberMatched`` (exact, cached per filter and version of the collection's table; omitted, with
  ``numberMatchedAtLeast``, when counting would exceed the budget of :mod:`coopatlas.server.counts`;
  omitted with ``count: false`` in the provider definition) and ``numberReturned``;
* ``/items/{id}`` by the collection's text ``id`` (404 for an unknown id), with ``prev``/``next`` ids;
* :meth:`get_fields` (queryables, schema): JSON types from the schema, titles (French) and
  descriptions (English), code lists as ``enum`` with their labels in ``x-enum-descriptions`` (French)
  and ``x-enum-descriptions-en``; the hidden ``recherche`` column is never exposed.

Any parameter that cannot be honoured raises :class:`ProviderInvalidQueryError` (HTTP 400) whose message
names the parameter and the problem.

This module checks the parameters and answers; the rest is split by responsibility:

* :mod:`coopatlas.server.gpkg_layer`: connections (read-only, one per thread and per process, re-opened
  after a fork or when the file is replaced, so any number of gunicorn workers and threads can serve it;
  nothing ever writes to it) and what is read once per file version of each collection's table;
* :mod:`coopatlas.server.gpkg_planner`: the SQL of a query, by the plan that reads the fewest rows: the
  R-tree (``bbox``), the FTS5 keyword index ``fts_<table>`` when the builder made one (``q``, see
  :func:`coopatlas.store.build_writer.keyword_index_sql`), or the table in the requested order (an
  index), and the exact count of ``numberMatched`` by the cheapest way;
* :mod:`coopatlas.server.gpkg_geojson`: GeoJSON features from the rows, the geometries decoded with
  ``struct`` (points) or one vectorised shapely call per page;
* :mod:`coopatlas.server.cql`: CQL2 filters to SQL.

Configuration (a ``providers`` entry of a collection in ``pygeoapi-config.yml``)::

    - type: feature
      name: coopatlas.server.provider.AtlasGeoPackageProvider
      data: /path/to/atlas.gpkg        # the GeoPackage built by ``coopatlas build``
      table: projets                   # the collection id (coopatlas.schema.COLLECTIONS)
      id_field: id
      geom_field: geom                 # optional (the default)
      storage_crs: http://www.opengis.net/def/crs/OGC/1.3/CRS84   # lets pygeoapi apply filter-crs

Geometries are EPSG:4326 longitude/latitude degrees (OGC CRS84 axis order).
"""

from __future__ import annotations

import functools
import os

from pygeoapi.provider.base import BaseProvider, ProviderConnectionError, ProviderItemNotFoundError

from .. import schema as sch
from ..predicates import to_sql
from ..store.geopackage import quote as _q
from ..text import like_patterns, split_keywords
from . import bbox_crs, counts, cql, temporal
from .gpkg_geojson import features as _features
from .gpkg_layer import connect, layer_of, versions
from .gpkg_planner import Filters, NoPlan, Planner
from .gpkg_planner import invalid as _invalid

bbox_crs.install()  # no per-request CRS lookup for a bbox already in the storage CRS
temporal.install()  # datetime checked by the atlas's rule (400 that says why), no "out of range"


@functools.lru_cache(maxsize=256)
def _select_list(id_field: str, names: tuple, geometry: str | None) -> str:
    """The columns of a page over ``t``: the id, the properties ``names``, the geometry if given (written
    once per set of properties, not per request)."""
    cols = [f"t.{_q(id_field)}"] + [f"t.{_q(n)}" for n in names]
    if geometry:
        cols.append(f"t.{_q(geometry)}")
    return ", ".join(cols)


class AtlasGeoPackageProvider(BaseProvider):
    """pygeoapi feature provider of one collection of the atlas GeoPackage; see the module documentation."""

    def __init__(self, provider_def: dict):
        super().__init__(provider_def)
        table = provider_def.get("table")
        if table not in sch.COLLECTIONS:
            raise ProviderConnectionError(
                f"AtlasGeoPackageProvider: table must be a collection id ({', '.join(sch.COLLECTIONS)}), not {table!r}",
                user_msg="collection not configured correctly",
            )
        self.coll = sch.COLLECTIONS[table]
        self.table = table
        self.id_field = provider_def.get("id_field") or self.coll.id_field
        if self.id_field != self.coll.id_field:
            raise ProviderConnectionError(
                f"AtlasGeoPackageProvider: id_field of {table} is {self.coll.id_field!r}, not {self.id_field!r}",
                user_msg="collection not configured correctly",
            )
        self.geom = provider_def.get("geom_field", "geom")
        self.path = os.path.abspath(str(self.data))
        self._layer = layer_of(self.path, self.coll, self.geom, connect(self.path))

    # -- description
    @property
    def fields(self) -> dict:
        return self.get_fields()

    def get_fields(self) -> dict:
        """The properties of the collection as JSON Schema (a fresh copy: pygeoapi edits it)."""
        if not self._fields:
            self._fields = {k: dict(v) for k, v in self._layer.fields.items()}
        return self._fields

    def get_domains(self, properties=[], current=False):
        """The values present in the data of the code-list, boolean and indexed text properties
        (``/queryables?profile=actual-domain``)."""
        layer = self._layer
        con = connect(self.path)
        names = properties or [
            f.name
            for f in self.coll.fields
            if f.codelist or f.type == sch.BOOLEAN or (f.indexed and f.type == sch.TEXT)
        ]
        domains = {}
        for name in names:
            f = self.coll.field(name) if name in layer.queryables else None
            if f is None or not (f.codelist or f.type == sch.BOOLEAN or f.indexed):
                continue
            rows = con.execute(
                f"SELECT DISTINCT {_q(name)} FROM {_q(layer.table)} WHERE {_q(name)} IS NOT NULL ORDER BY 1 LIMIT 1001"
            ).fetchall()
            if len(rows) <= 1000:
                domains[name] = [bool(r[0]) if f.type == sch.BOOLEAN else r[0] for r in rows]
        return domains, True

    # -- queries
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
        """Features of the collection as a GeoJSON FeatureCollection dict (see the module documentation).

        ``bbox`` is in CRS84 degrees (minx, miny, maxx, maxy, or 6 values with z); ``properties`` are
        (name, value) equality filters; ``sortby`` a list of ``{"property", "order": "+"|"-"}``;
        ``filterq`` a pygeofilter AST (or CQL2 text/JSON); ``q`` keywords.
        """
        con = connect(self.path)
        # the table's version before any read (a count is never keyed newer than its data), then the layer
        # of the file that connection reads (its cached count_all is not older than that version)
        version = versions(self.path, con, [self.coll.source])
        layer = self._layer = layer_of(self.path, self.coll, self.geom, con)
        try:
            offset, limit = int(offset or 0), int(limit if limit is not None else 10)
        except (TypeError, ValueError):
            raise _invalid("offset and limit must be integers") from None
        if offset < 0 or limit < 0:
            raise _invalid("offset and limit must be positive or zero")
        if resulttype not in ("results", "hits"):
            raise _invalid(f"resulttype: {resulttype!r} is neither results nor hits")
        f = self._filters(bbox, datetime_, properties, q, filterq)
        names = self._output_properties(select_properties)
        order, order_keys, order_index = self._order_by(sortby)
        plan = Planner(layer, self.path, con)
        order_index = plan.order_index(order_keys, f) or order_index
        response = {"type": "FeatureCollection", "features": [], "numberReturned": 0}
        total = plan.count_all()
        count_key = None if version is None else ("gpkg", self.path, version, self.coll.id, f.key())
        drivers = self._drivers(plan, f, count_key)

        def count(budget=None):
            return Planner(layer, self.path, connect(self.path), budget).count(f, drivers, total)

        if resulttype == "hits":
            response["numberMatched"] = counts.matched(count_key, count, exact=True)
            return response
        if drivers and min(drivers.values()) == 0:  # the R-tree or the keyword index says: nothing
            if self.count:
                response["numberMatched"] = 0
            return response
        matched = None
        counted_first = self.count and not drivers and bool(f.row or f.like)
        if counted_first:
            # row filters only: count first when cheap (cached or within budget), then pick the plan
            # of the page with it
            matched = counts.matched(count_key, count)
            if matched is not None and (matched == 0 or offset >= matched):
                response["numberMatched"] = matched
                return response

        # a count over budget means many matches: plan the page as if most rows matched (read in order)
        estimate = total if matched is None and counted_first else matched
        mode, force = plan.page_plan(f, drivers, total, offset, limit, order_index, estimate)
        with_geom = bool(layer.geometry) and not skip_geometry
        cols = _select_list(self.id_field, tuple(names), layer.geometry if with_geom else None)
        from_sql, where, params = plan.sql(f, mode, force)
        sql = f"SELECT {cols} FROM {from_sql}{where} ORDER BY {order} LIMIT ? OFFSET ?"
        try:
            rows = plan.run(sql, params + [limit, offset], retry=force is not None)
        except NoPlan:
            from_sql, where, params = plan.sql(f, mode)
            sql = f"SELECT {cols} FROM {from_sql}{where} ORDER BY {order} LIMIT ? OFFSET ?"
            rows = plan.run(sql, params + [limit, offset])

        transform = None
        if crs_transform_spec is not None and with_geom:
            from pygeoapi.crs import get_transform_from_spec

            transform = get_transform_from_spec(crs_transform_spec)
        response["features"] = _features(layer, rows, names, with_geom, transform)
        n = len(rows)
        response["numberReturned"] = n
        if self.count:
            if matched is None and (0 < n < limit or (n == 0 and offset == 0 and limit > 0)):
                matched = offset + n  # the page tells it
                counts.remember(count_key, matched)
            elif matched is None and counted_first:
                matched = counts.get(count_key)  # over budget above: only what the background found
            elif matched is None:
                matched = counts.matched(count_key, count)
            if matched is not None:
                response["numberMatched"] = matched
            else:
                response["numberMatchedAtLeast"] = offset + n  # the count was over budget (see counts)
        return response

    def get(self, identifier, crs_transform_spec=None, **kwargs):
        """The feature whose ``id`` is ``identifier`` (text), with the ``prev``/``next`` ids in ``id``
        order; :class:`ProviderItemNotFoundError` (404) for an unknown id."""
        layer = self._layer
        con = connect(self.path)
        identifier = str(identifier)
        names = self._output_properties([])
        with_geom = bool(layer.geometry)
        cols = _select_list(self.id_field, tuple(names), layer.geometry if with_geom else None)
        idc = _q(self.id_field)
        rows = con.execute(f"SELECT {cols} FROM {_q(layer.table)} AS t WHERE t.{idc} = ?", (identifier,)).fetchall()
        if not rows:
            msg = f"no item {identifier!r} in collection {self.coll.id}"
            raise ProviderItemNotFoundError(msg, user_msg=msg)
        transform = None
        if crs_transform_spec is not None and with_geom:
            from pygeoapi.crs import get_transform_from_spec

            transform = get_transform_from_spec(crs_transform_spec)
        feature = _features(layer, rows, names, with_geom, transform)[0]
        table = _q(layer.table)
        prev = con.execute(
            f"SELECT {idc} FROM {table} WHERE {idc} < ? ORDER BY {idc} DESC LIMIT 1", (identifier,)
        ).fetchone()
        nxt = con.execute(f"SELECT {idc} FROM {table} WHERE {idc} > ? ORDER BY {idc} LIMIT 1", (identifier,)).fetchone()
        feature["prev"] = prev[0] if prev else identifier
        feature["next"] = nxt[0] if nxt else identifier
        return feature

    # -- helpers
    @staticmethod
    def _drivers(plan: Planner, f: Filters, count_key: tuple | None) -> dict:
        """The planner's candidate counts of the R-tree and keyword index (and the R-tree boxes inside the
        bbox), cached with the counts: at x100 an R-tree count over a region costs tens of milliseconds."""
        key = None if count_key is None else count_key + ("drivers",)
        hit = counts.get(key)
        if hit is not None:
            drivers, f.overlap, f.inside = dict(hit[0]), hit[1], hit[2]
            return drivers
        drivers = plan.drivers(f)
        if drivers:
            counts.put(key, (dict(drivers), f.overlap, f.inside))
        return drivers

    def _output_properties(self, select_properties) -> list:
        layer = self._layer
        if select_properties:
            unknown = [p for p in select_properties if p not in layer.queryables]
            if unknown:
                raise _invalid(f"properties: unknown propert{'y' if len(unknown) == 1 else 'ies'} {', '.join(unknown)}")
            names = list(dict.fromkeys(select_properties))
        else:
            names = list(layer.props)
        if self.properties:
            allowed = set(self.properties)
            names = [n for n in names if n in allowed]
        return names

    def _order_by(self, sortby) -> tuple[str, list, str | None]:
        """The ORDER BY clause (ties broken by id), its keys ((property, descending) pairs) and the index
        that reads the table in the order of its first key, if there is one."""
        layer = self._layer
        parts, seen, keys = [], [], []
        for s in sortby or []:
            prop, order = s.get("property"), s.get("order", "+")
            if prop not in layer.queryables:
                raise _invalid(f"sortby: unknown property {prop!r}")
            if order not in ("+", "-"):
                raise _invalid(f"sortby: order of {prop} must be + or -")
            if prop in seen:
                continue
            seen.append(prop)
            parts.append(f"t.{_q(prop)} {'ASC' if order == '+' else 'DESC'}")
            keys.append((prop, order == "-"))
        if self.id_field not in seen:
            parts.append(f"t.{_q(self.id_field)} ASC")
            keys.append((self.id_field, False))
        first = seen[0] if seen else self.id_field
        return ", ".join(parts), keys, layer.indexes.get(first)

    def _filters(self, bbox, datetime_, properties, q, filterq) -> Filters:
        """The filters of a query, checked (:class:`ProviderInvalidQueryError` naming the bad one)."""
        layer = self._layer
        f = Filters()
        if bbox:
            f.boxes = self._boxes(bbox)
        for name, value in properties or []:
            qa = layer.queryables.get(name)
            if qa is None:
                raise _invalid(f"unknown property {name!r} (properties: {', '.join(layer.props)})")
            try:
                v = cql.coerce(qa, value, where=name)
                cql.check_code(qa, v, where=name)
            except cql.FilterError as exc:
                raise _invalid(str(exc)) from None
            f.add(f"t.{_q(name)} = ?", [v])
            f.equal.add(name)
        if q is not None and str(q).strip():
            patterns = like_patterns(str(q))
            if not patterns:
                raise _invalid(f"q: no word to search for in {q!r}")
            if not layer.searchable:
                raise _invalid(f"q: collection {self.coll.id} has no keyword search")
            if layer.keyword_index:  # the FTS5 prefix query "w"* is the same test as the word's pattern
                f.fts_words, patterns = split_keywords(str(q))
            f.like = patterns
        if datetime_ is not None and str(datetime_).strip():
            f.add(*self._datetime(datetime_))
        if filterq is not None and filterq != "":
            try:
                node = cql.parse(filterq) if isinstance(filterq, (str, dict)) else filterq
                sql = cql.to_sql(node, self._target())
            except cql.FilterError as exc:
                raise _invalid(str(exc)) from None
            f.add(sql.text, sql.params)
        return f

    def _target(self) -> cql.Target:
        layer = self._layer
        return cql.Target(
            queryables=layer.queryables,
            geometry=f"t.{_q(layer.geometry)}" if layer.geometry else None,
            geometry_names=frozenset({"geometry", self.geom, layer.geometry or "geometry"}),
            rtree=layer.rtree,
            rowid='t."fid"',
            column=lambda n: f"t.{_q(n)}",
        )

    def _boxes(self, bbox) -> list[tuple]:
        """The ``bbox`` parameter as one box, or two when it crosses the antimeridian (minx > maxx)."""
        layer = self._layer
        if not layer.geometry:
            raise _invalid(f"bbox: collection {self.coll.id} has no geometry")
        try:
            b = [float(v) for v in bbox]
        except (TypeError, ValueError):
            raise _invalid("bbox: values must be numbers") from None
        if len(b) == 6:
            b = [b[0], b[1], b[3], b[4]]
        if len(b) != 4 or not all(v == v and abs(v) != float("inf") for v in b):
            raise _invalid("bbox: 4 (or 6) finite numbers are needed: minx,miny,maxx,maxy")
        minx, miny, maxx, maxy = b
        if miny > maxy:
            raise _invalid("bbox: miny is greater than maxy")
        if minx <= maxx:
            return [(minx, miny, maxx, maxy)]
        return [(minx, miny, 180.0, maxy), (-180.0, miny, maxx, maxy)]

    def _datetime(self, datetime_) -> tuple[str, list]:
        """The SQL of ``datetime`` over ``t``: the features whose period meets it (:mod:`.temporal`)."""
        try:
            return to_sql(temporal.conditions(self.coll, str(datetime_)), "sqlite", alias="t")
        except temporal.DatetimeError as exc:
            raise _invalid(str(exc)) from None

    def __repr__(self):
        return f"<AtlasGeoPackageProvider> {self.path} {self.table}"
