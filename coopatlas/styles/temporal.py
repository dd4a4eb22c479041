"""How a collection lives in time, as the temporal properties of a QGIS layer (QGIS's Temporal Controller).

The one declaration is :attr:`coopatlas.schema.Collection.time` (a :class:`~coopatlas.schema.Period`):
a feature is active from its start to its end, both included, years being whole calendar years; an
empty end is open-ended; a collection without an end is one of instants (a year, or a day).

QGIS 3.22 compares only date-times with the Temporal Controller's range (a ``date`` compared with a
``datetime`` in its filter gives wrong answers), and its fields mode wants date-time fields, not whole
years: the layer uses the *start and end from expressions* mode, each expression a date-time, the end
**excluded** (QGIS's default limit mode, "include beginning, exclude end"):

==================  ============================================  ==================================================
property            start                                         end (excluded)
==================  ============================================  ==================================================
year ``a``          ``make_datetime("a",1,1,0,0,0)``               end year ``b``: 1 January of ``b + 1``, or year 9999
                                                                  when ``b`` is empty; an instant: 1 January of a+1
date ``d``          ``to_datetime(to_date("d"))``                  end date ``v``: the day after ``v``, or year 9999
                                                                  when empty; an instant: the day after ``d``
==================  ============================================  ==================================================

A feature without a start is never drawn by a temporal map (QGIS's filter is NULL for it), as it is
left out of a period by the maps and the ``datetime`` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import schema

#: QgsVectorLayerTemporalProperties::ModeFeatureDateTimeStartAndEndFromExpressions (QGIS 3.22).
MODE_EXPRESSIONS = 4
#: Qgis::VectorTemporalLimitMode::IncludeBeginExcludeEnd (QGIS 3.22's default).
LIMIT_INCLUDE_BEGIN_EXCLUDE_END = 0
#: The year an open-ended feature is active until (excluded): "still running".
OPEN_END_YEAR = 9999


@dataclass(frozen=True)
class TemporalExpressions:
    """The QGIS expressions of a layer's start (included) and end (excluded), date-times."""

    start: str
    end: str


def _start(field: schema.Field) -> str:
    if field.type == schema.INTEGER:
        return f'make_datetime("{field.name}",1,1,0,0,0)'
    if field.type == schema.DATE:
        return f'to_datetime(to_date("{field.name}"))'
    raise TypeError(f"{field.name}: a time property is a year (INTEGER) or a DATE, not {field.type}")


def _after(field: schema.Field) -> str:
    """The first instant after the year or day of ``field`` (NULL when it is empty)."""
    if field.type == schema.INTEGER:
        return f'make_datetime("{field.name}"+1,1,1,0,0,0)'
    if field.type == schema.DATE:
        return f"to_datetime(to_date(\"{field.name}\"))+to_interval('1 day')"
    raise TypeError(f"{field.name}: a time property is a year (INTEGER) or a DATE, not {field.type}")


def expressions(collection_id: str) -> TemporalExpressions | None:
    """The temporal expressions of a collection; ``None`` when it does not live in time."""
    coll = schema.collection(collection_id)
    if coll.time is None:
        return None
    start = coll.field(coll.time.start)
    if coll.time.end is None:
        return TemporalExpressions(_start(start), _after(start))
    end = coll.field(coll.time.end)
    return TemporalExpressions(_start(start), f"coalesce({_after(end)},make_datetime({OPEN_END_YEAR},1,1,0,0,0))")
