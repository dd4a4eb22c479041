"""The model of the schema: the SQL types and their PostgreSQL and JSON equivalents, a :class:`Field`
(one attribute) and a :class:`Collection` (one OGC API Features collection, stored as one table)."""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import vocabulary as voc

#: SQL types used by the schema (GeoPackage declared types; PostgreSQL equivalents in ``PG_TYPES``).
TEXT, INTEGER, REAL, BOOLEAN, DATE = "TEXT", "INTEGER", "REAL", "BOOLEAN", "DATE"
PG_TYPES = {TEXT: "text", INTEGER: "integer", REAL: "double precision", BOOLEAN: "boolean", DATE: "date"}
JSON_TYPES = {TEXT: "string", INTEGER: "integer", REAL: "number", BOOLEAN: "boolean", DATE: "string"}


@dataclass(frozen=True)
class Field:
    """One attribute of a collection.

    ``codelist`` names a list of :data:`coopatlas.vocabulary.CODE_LISTS` that constrains the values;
    ``indexed`` asks the builders for an index (search fields); ``searchable`` puts the field in the
    accent-insensitive keyword search (``q=``).
    """

    name: str
    type: str
    fr: str
    en: str
    codelist: str | None = None
    indexed: bool = False
    searchable: bool = False
    nullable: bool = True

    @property
    def vocabulary(self) -> voc.CodeList | None:
        return voc.CODE_LISTS[self.codelist] if self.codelist else None


@dataclass(frozen=True)
class Period:
    """How the features of a collection live in time: from the value of ``start`` to that of ``end``,
    both included. ``end`` is ``None`` for a collection of instants (a declaration of one year); a feature
    whose end is empty is open-ended (a project still running). Years are whole calendar years: a project
    launched in 2005 and ended in 2010 is active from 2005-01-01 to 2010-12-31."""

    start: str
    end: str | None = None

    @property
    def fields(self) -> tuple[str, ...]:
        return (self.start,) if self.end is None else (self.start, self.end)


@dataclass(frozen=True)
class SortIndex:
    """A sort that the builders index (the GeoPackage build and the PostGIS load read this one
    declaration): ``sortby=field`` and ``sortby=-field``, ties broken by the collection's id (the order
    both providers give), optionally within one value of each ``within`` field, so that an equality
    filter on them plus the sort reads just the page from the index instead of sorting every match.

    Each declaration gives two indexes, one per direction of ``field`` (the id stays ascending)."""

    field: str
    within: tuple[str, ...] = ()

    def name(self, table: str, descending: bool) -> str:
        """The index's name in ``table`` (the same in the GeoPackage and on PostGIS)."""
        return "_".join(["sort", table, *self.within, self.field, "desc" if descending else "asc"])

    def keys(self, id_field: str, descending: bool) -> list[tuple[str, bool]]:
        """(column, descending) of the index, in order: the ``within`` fields, the sort field, the id."""
        return [(w, False) for w in self.within] + [(self.field, descending), (id_field, False)]


@dataclass(frozen=True)
class CoveringIndex:
    """An index that holds every column a grouped read needs, so that the read counts from the index
    alone instead of visiting each matching row (the builders read this one declaration).

    ``columns`` in order: the equality first (what the read selects on), then what it groups by. The
    index is named ``cover_<table>_<name>`` in the GeoPackage and on PostGIS."""

    name: str
    columns: tuple[str, ...]

    def index_name(self, table: str) -> str:
        return f"cover_{table}_{self.name}"


@dataclass(frozen=True)
class Collection:
    """One OGC API Features collection, stored as one table (or view) of the same name."""

    id: str
    geometry: str | None  # "POINT", "MULTIPOLYGON", "MULTILINESTRING" or None
    title_fr: str
    title_en: str
    description_fr: str
    description_en: str
    fields: tuple[Field, ...]
    id_field: str = "id"
    keywords: tuple[str, ...] = ()
    table: str | None = None  # the stored table or view, when it differs from ``id``
    time: Period | None = None  # how the features live in time (OGC ``datetime``, series per year)
    sorts: tuple[SortIndex, ...] = ()  # the indexed sorts (see SortIndex)
    covering: tuple[CoveringIndex, ...] = ()  # the indexes of grouped reads (see CoveringIndex)
    extra: dict = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.table or self.id

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.id} has no field {name!r}")

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


def F(name, type_, fr, en="", **kw) -> Field:  # noqa: N802 - a short constructor for the tables below
    return Field(name, type_, fr, en or fr, **kw)
