"""Vector tiles made by PostGIS (``ST_AsMVTGeom`` and ``ST_AsMVT``), with the features and aggregates of
:mod:`.spec`: the same tile holds the same features as on the GeoPackage (a parity test compares them).

pygeoapi's ``MVT-postgresql`` provider cannot honour that contract: it writes every column of the table
(whole records), has no aggregates, and answers an unknown tile matrix set or a zoom outside the matrix
with a 500. This provider uses pygeoapi's SQL engine cache (``pygeoapi.provider.sql.get_engine``) and
reads the table (or the public ``demandes`` view) of the feature provider of the same collection, in
the first schema of its ``search_path``.

Configuration (written by :func:`coopatlas.server.config_providers.postgis_tile_provider`)::

    providers:
      - type: tile
        name: coopatlas.server.tiles.postgis.AtlasPostGISTileProvider
        data: {host: ..., port: ..., dbname: ..., user: ..., password: ..., search_path: [atlas, public]}
        options: {collection: projets, table: projets, id_field: id, geom_field: geom}
        format: {name: mvt, mimetype: application/vnd.mapbox-vector-tile}
"""

from __future__ import annotations

from pygeoapi.provider.base import ProviderInvalidQueryError
from pygeoapi.provider.sql import get_engine
from sqlalchemy import text
from sqlalchemy.dialects.postgresql.psycopg2 import PGDialect_psycopg2

from ... import schema as sch
from . import filters, spec
from .base import AtlasTileProvider
from .gpkg import SIMPLIFY

#: Renders a filter's SQLAlchemy clause with ``:name`` parameters, as the tile query's ``text()`` has them.
_NAMED = PGDialect_psycopg2(paramstyle="named")


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class AtlasPostGISTileProvider(AtlasTileProvider):
    """MVT tiles of one collection of the atlas on PostGIS, made by the database at request time."""

    def __init__(self, provider_def: dict):
        super().__init__(provider_def)
        data = dict(self.data)
        self.schema = (data.get("search_path") or ["public"])[0]
        self.table = self.options.get("table", self.collection)
        self.geom = self.options.get("geom_field", "geom")
        self._connection = (
            data.get("host"),
            data.get("port", 5432),
            data.get("dbname") or data.get("database"),
            data.get("user"),
            data.get("password"),
        )
        self._sql = {True: self._build_sql(True), False: self._build_sql(False)}
        self._features = None  # the feature provider of the same table, for the filters (made when needed)

    @property
    def engine(self):
        host, port, dbname, user, password = self._connection
        return get_engine("postgresql+psycopg2", host, port, dbname, user, password)

    def _geometry(self) -> str:
        """The geometry in Web Mercator, simplified like the GeoPackage tiles (lines and polygons)."""
        geom = f"t.{_q(self.geom)}"
        if self.layer.geometry == "POINT":
            return f"ST_Transform({geom}, 3857)"
        clipped = f"ST_ClipByBox2D({geom}, ST_MakeEnvelope(-180, {-spec.MAX_LATITUDE}, 180, {spec.MAX_LATITUDE}, 4326))"
        return f"ST_Simplify(ST_Transform({clipped}, 3857), :unit * {SIMPLIFY[self.layer.geometry]}, true)"

    def _feature_provider(self):
        """The PostGIS feature provider of the collection's table: its CQL2 translation is the filter's."""
        if self._features is None:
            from ..postgis_provider import AtlasPostgreSQLProvider

            self._features = AtlasPostgreSQLProvider(
                {
                    "name": "coopatlas.server.postgis_provider.AtlasPostgreSQLProvider",
                    "type": "feature",
                    "data": self.data,
                    "table": self.table,
                    "id_field": self.options.get("id_field", "id"),
                    "geom_field": self.geom,
                }
            )
        return self._features

    def filter_sql(self, tile_filter: filters.TileFilter) -> tuple[str, dict]:
        """The SQL condition (on the table's own name) and parameters of ``tile_filter``: checked by the
        GeoPackage's rules, translated by the feature provider (the same SQL as ``/items``)."""
        filters.sqlite_condition(tile_filter, self.collection)  # the same checks and 400s as the GeoPackage
        try:
            clause = self._feature_provider()._get_cql_filters(tile_filter.node)
        except ProviderInvalidQueryError as exc:
            raise filters.TileFilterError(str(exc.message)) from None
        compiled = clause.compile(dialect=_NAMED, compile_kwargs={"render_postcompile": True})
        params = {f"filter_{k}": v for k, v in compiled.params.items()}
        sql = str(compiled)
        for name in sorted(compiled.params, key=len, reverse=True):
            sql = sql.replace(f":{name}", f":filter_{name}")
        return sql, params

    def _build_sql(self, aggregated: bool, condition: str | None = None) -> str:
        layer = self.layer
        coll = sch.COLLECTIONS[self.collection]
        table = f"{_q(self.schema)}.{_q(self.table)}"
        if condition:  # the filter names the table itself: the rows it keeps, under the alias t
            table = f"(SELECT * FROM {table} WHERE {condition})"
        where = (
            f"t.{_q(self.geom)} && ST_MakeEnvelope(:west, :south, :east, :north, 4326) "
            f"AND t.{_q(self.geom)} IS NOT NULL"
        )
        if not aggregated:
            cols = []
            for name in layer.properties:
                cast = "::int" if coll.field(name).type == sch.INTEGER else ""
                cols.append(f"t.{_q(name)}{cast} AS {_q(name)}")
            cols.append("1 AS nombre")
            select = ", ".join(cols)
            geom = self._geometry()
            rows = f"SELECT {geom} AS g, {select} FROM {table} t WHERE {where}"
        else:
            cols = ["true AS agregat", "count(*)::int AS nombre"]
            cols += [f"COALESCE(sum(t.{_q(n)}), 0)::int AS {_q(n)}" for n in layer.sums]
            if layer.category:
                codes = "ARRAY[" + ", ".join(_literal(c) for c in layer.codes) + "]::text[]"
                cat = f"t.{_q(layer.category)}"
                cols.append(
                    f"({codes})[mode() WITHIN GROUP (ORDER BY array_position({codes}, {cat}::text))] "
                    f"AS {_q(layer.category)}"
                )
                if layer.category_counts:
                    cols += [
                        f"count(*) FILTER (WHERE {cat} = {_literal(c)})::int AS {_q('nb_' + c)}" for c in layer.codes
                    ]
            geom = self._geometry().replace(f"t.{_q(self.geom)}", "min_geom")
            rows = (
                f"SELECT {geom} AS g, {', '.join(c.rsplit(' AS ', 1)[1] for c in cols)} FROM ("
                f"SELECT t.{_q(self.geom)} AS min_geom, {', '.join(cols)} FROM {table} t WHERE {where} "
                f"GROUP BY t.{_q(self.geom)}) t"
            )
        names = ", ".join("rows." + c.rsplit(" AS ", 1)[1] for c in cols)
        env = "ST_TileEnvelope(:z, :x, :y)"
        mvtgeom = f"ST_AsMVTGeom(rows.g, {env}, {spec.EXTENT}, {spec.BUFFER}, true)"
        if layer.geometry != "POINT":  # smaller than a tile unit: a 2-unit square or segment (gpkg.smallest)
            area = f"ST_TileEnvelope(:z, :x, :y, margin => {spec.BUFFER / spec.EXTENT})"
            point = f"ST_PointOnSurface(ST_Intersection(rows.g, {area}))"
            small = (
                f"ST_Expand({point}, :unit)"
                if layer.geometry == "MULTIPOLYGON"
                else f"ST_MakeLine(ST_Translate({point}, -:unit, 0), ST_Translate({point}, :unit, 0))"
            )
            mvtgeom = (
                f"COALESCE({mvtgeom}, CASE WHEN ST_Intersects(rows.g, {area}) THEN "
                f"ST_AsMVTGeom({small}, {env}, {spec.EXTENT}, {spec.BUFFER}, true) END)"
            )
        return (
            f"WITH rows AS ({rows}), tile AS (SELECT {mvtgeom} AS mvtgeom, {names} FROM rows) "
            f"SELECT ST_AsMVT(tile, {_literal(self.collection)}, {spec.EXTENT}, 'mvtgeom') "
            "FROM (SELECT * FROM tile WHERE mvtgeom IS NOT NULL) tile"
        )

    def render(self, z: int, x: int, y: int, tile_filter: filters.TileFilter | None = None) -> bytes:
        """The tile made by PostGIS now (never cached: the database is the cache); filtered tiles too."""
        west, south, east, north = spec.query_bounds(z, x, y)
        minx, _, maxx, _ = spec.mercator_bounds(z, x, y)
        aggregated = self.layer.aggregates_at(z)
        sql, params = self._sql[aggregated], {}
        if tile_filter is not None:
            condition, params = self.filter_sql(tile_filter)
            sql = self._build_sql(aggregated, condition)
        params = {
            **params,
            "z": z,
            "x": x,
            "y": y,
            "west": west,
            "south": south,
            "east": east,
            "north": north,
            "unit": (maxx - minx) / spec.EXTENT,
        }
        with self.engine.connect() as con:
            tile = con.execute(text(sql), params).scalar()
        return bytes(tile) if tile else b""
