"""CQL2 filters translated to parameterised SQLite SQL over the atlas GeoPackage.

The filters are parsed by pygeofilter (:func:`parse`: CQL2 text or CQL2 JSON; pygeoapi parses the
``filter`` parameter itself and hands over the same AST) and :func:`to_sql` turns the AST into one SQL
boolean expression with ``?`` parameters, never with values pasted into the SQL. What it does:

* comparisons ``= <> < <= > >=``, ``[NOT] LIKE`` (``%`` any string, ``_`` one character, ``\\``
  escapes; case-sensitive, as in PostgreSQL), ``[NOT] IN``, ``[NOT] BETWEEN``, ``IS [NOT] NULL``,
  ``AND``/``OR``/``NOT``, ``INCLUDE``/``EXCLUDE``, arithmetic ``+ - * /``, the functions ``CASEI``
  (Unicode lower case) and ``ACCENTI`` (accents removed); literals: text, numbers, booleans,
  ``DATE('YYYY-MM-DD')``, ``TIMESTAMP(...)`` (on a date property only at midnight UTC);
* temporal predicates on date properties, with the semantics of pygeoapi's PostgreSQL provider
  (pygeofilter's SQLAlchemy backend): ``T_BEFORE`` is ``<=``, ``T_AFTER`` is ``>=``, ``T_EQUALS`` is
  ``=``, ``T_DURING`` and ``T_INTERSECTS`` are an inclusive range (open ends ``..`` allowed); the other
  ``T_*`` predicates are refused;
* spatial predicates ``S_INTERSECTS``, ``S_DISJOINT``, ``S_CONTAINS``, ``S_WITHIN``, ``S_TOUCHES``,
  ``S_CROSSES``, ``S_OVERLAPS``, ``S_EQUALS``, ``RELATE`` and ``BBOX(geom, minx, miny, maxx, maxy)``
  between the feature geometry and a literal geometry: exact planar tests on longitude/latitude degrees
  (shapely/GEOS, the same DE-9IM semantics as PostGIS on ``geometry(…, 4326)``), prefiltered by the
  GeoPackage R-tree when the predicate is one of the top-level ``AND`` terms; ``DWITHIN``/``BEYOND``
  (ECQL AST only: pygeofilter's CQL2 parsers have no ``S_DWITHIN``) against a literal point, with the
  distance measured on the WGS 84 ellipsoid (metres, kilometres, feet, miles, nautical miles).

Literal geometries are CRS84 (longitude, latitude) unless they carry another CRS (EWKT ``SRID=…;`` or a
``crs`` member, as pygeoapi sets after applying ``filter-crs``): they are then transformed with pyproj.
Envelopes from CQL2 JSON (``{"bbox": [minx, miny, maxx, maxy]}``) are read in that order: pygeofilter
0.4 stores them in fields named ``x1, x2, y1, y2`` (see :func:`coopatlas.server.cql.geometry.envelope`); the
CQL2 text literal ``BBOX(minx, miny, maxx, maxy)`` is parsed by pygeofilter as a function call and read the
same way.

A filter that cannot be honoured raises :class:`FilterError` whose message names the problem (unknown
properties, a value of the wrong type, an unknown code of a code list, an unsupported operator): the
provider turns it into an HTTP 400.

The SQL relies on functions registered on the connection by :func:`register_functions` (``atlas_*``).

The package, one idea per module: :mod:`~coopatlas.server.cql.parsing` (text or JSON to pygeofilter's
AST), :mod:`~coopatlas.server.cql.translator` and :mod:`~coopatlas.server.cql.predicates` (the AST to
SQL: a pygeofilter ``Evaluator`` with one ``@handle`` per kind of node),
:mod:`~coopatlas.server.cql.coercion` (literals and query values checked against a property's type and
code list), :mod:`~coopatlas.server.cql.geometry` (geometry literals, CRS, distances) and
:mod:`~coopatlas.server.cql.sqlite_functions` (the ``atlas_*`` SQL functions).
"""

from __future__ import annotations

from ...store.geopackage import decode_geometry as to_shapely
from ...store.geopackage import point_xy
from .coercion import FilterError, Queryable, check_code, coerce
from .geometry import distance_bounds
from .geometry import envelope as _envelope  # noqa: F401  (the tests check how envelopes are read)
from .parsing import check_temporal_literals, parse
from .predicates import SQLiteEvaluator
from .sqlite_functions import lower, register_functions, unaccent
from .translator import Sql, Target, like_to_glob

__all__ = [
    "FilterError",
    "Queryable",
    "Sql",
    "SQLiteEvaluator",
    "Target",
    "check_code",
    "check_temporal_literals",
    "coerce",
    "distance_bounds",
    "like_to_glob",
    "lower",
    "parse",
    "point_xy",
    "register_functions",
    "to_shapely",
    "to_sql",
    "unaccent",
]


def to_sql(node, target: Target) -> Sql:
    """The SQL boolean expression of a pygeofilter AST over ``target`` (see the module documentation)."""
    evaluator = SQLiteEvaluator(target)
    try:
        text, params = evaluator.condition(evaluator.evaluate(node), node).top()
    except RecursionError:
        raise FilterError("filter: too deeply nested") from None
    if evaluator.unknown:
        names = sorted(evaluator.unknown)
        known = sorted(target.queryables)
        if target.geometry:
            known.append("geometry")
        raise FilterError(
            f"filter: unknown propert{'y' if len(names) == 1 else 'ies'} {', '.join(names)} "
            f"(queryables: {', '.join(known)})"
        )
    return Sql(text, params)
