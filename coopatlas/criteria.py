"""The one search model of the atlas: the criteria of Accès Monde, Accès France and Recherche avancée.

A :class:`Criteria` is built from request parameters (:meth:`Criteria.from_params`, which validates every
value and raises :class:`CriteriaError` naming the bad parameter), and turned, for one collection, into
one list of predicates (:meth:`Criteria.predicates`, declared by :data:`SPECS`), rendered as

- SQL for the GeoPackage (``sqlite``) and for PostGIS (``postgresql``): :meth:`Criteria.where`;
- CQL2 text and query parameters for OGC API Features clients: :meth:`Criteria.cql2` and
  :meth:`Criteria.query_params`;

and into words for titles and report subtitles (:meth:`Criteria.describe`). The specs also give the JSON
Schema of process inputs (:func:`json_schema`) and the description clients read on ``/criteres``
(:func:`published`).

Statistics, reports, maps and the Features API all take it, so that a search means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields, replace
from typing import Any

from . import schema as sch
from .criteria_specs import (  # noqa: F401 - the criteria's public names
    MAX_Q,
    MAX_VALUES,
    SPECS,
    YEAR_MAX,
    YEAR_MIN,
    CriteriaError,
    CriterionSpec,
    json_schema,
    parse_value,
    published,
)
from .predicates import NOTHING, Condition, Nothing, Predicate, to_cql2, to_sql
from .text import fts_query, split_keywords

#: The criteria that select the same French collectivities on their own layer as through their projects
#: (every collectivity of the atlas has at least one project): a search with only these filters
#: ``collectivites`` directly; any other goes through the matching projects.
COLLECTIVITY_OWN_CRITERIA = frozenset({"region", "departement", "type_collectivite", "collectivite"})


class NotApplicable(Exception):
    """Some criteria cannot apply to a collection (e.g. a French region on Bourse requests)."""

    def __init__(self, collection: str, names: Iterable[str]):
        self.names = tuple(names)
        super().__init__(f"{collection}: criteria {', '.join(self.names)} do not apply")


@dataclass(frozen=True)
class Criteria:
    """A search of the atlas. Empty criteria select everything (the world)."""

    q: str | None = None
    type_action: tuple[str, ...] = ()
    continent: tuple[str, ...] = ()
    sous_continent: tuple[str, ...] = ()
    pays: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    departement: tuple[str, ...] = ()
    type_collectivite: tuple[str, ...] = ()
    collectivite: tuple[str, ...] = ()
    partenaire: tuple[str, ...] = ()
    thematique: tuple[str, ...] = ()
    sous_thematique: tuple[str, ...] = ()
    sous_sous_thematique: tuple[str, ...] = ()
    jumelage: bool | None = None
    statut: tuple[str, ...] = ()
    cofinancement: tuple[str, ...] = ()
    loi_oudin: bool | None = None
    annee_min: int | None = None
    annee_max: int | None = None
    actif_de: int | None = None
    actif_a: int | None = None

    # --- construction and validation ---------------------------------------------------------------
    @classmethod
    def from_params(
        cls, params: Mapping[str, Any] | None, known_countries: Iterable[str] | None = None, ignore: Iterable[str] = ()
    ) -> Criteria:
        """Validated criteria from request parameters (lists or comma-separated strings).

        Unknown parameter names are refused, except those in ``ignore`` (e.g. ``f``, ``lang``).
        ``known_countries`` (ISO alpha-2 codes) makes an unknown country an error.
        """
        params = dict(params or {})
        ignore = set(ignore)
        unknown = [k for k in params if k not in SPECS and k not in ignore]
        if unknown:
            raise CriteriaError(unknown[0], f"unknown criterion; known: {', '.join(SPECS)}")
        values: dict[str, Any] = {}
        for name, spec in SPECS.items():
            raw = params.get(name)
            if raw is None or raw == "" or raw == []:
                continue
            values[name] = parse_value(spec, raw, known_countries)
        crit = cls(**values)
        if crit.annee_min is not None and crit.annee_max is not None and crit.annee_min > crit.annee_max:
            raise CriteriaError("annee_min", f"{crit.annee_min} is after annee_max {crit.annee_max}")
        if crit.actif_de is not None and crit.actif_a is not None and crit.actif_de > crit.actif_a:
            raise CriteriaError("actif_de", f"{crit.actif_de} is after actif_a {crit.actif_a}")
        return crit

    def to_params(self) -> dict[str, str]:
        """Flat parameters (comma-separated lists) that :meth:`from_params` reads back: for URLs."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None or v == ():
                continue
            out[f.name] = (
                ",".join(v)
                if isinstance(v, tuple)
                else ("true" if v is True else "false")
                if isinstance(v, bool)
                else str(v)
            )
        return out

    @property
    def active(self) -> list[str]:
        """Names of the criteria that are set."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, ())]

    def is_empty(self) -> bool:
        return not self.active

    def merge(self, **changes) -> Criteria:
        return replace(self, **changes)

    # --- applicability ---------------------------------------------------------------------------------
    def not_applicable(self, collection: str) -> list[str]:
        """Active criteria that the collection has no field for."""
        coll = sch.collection(collection)
        return [name for name in self.active if SPECS[name].property_in(coll) is None]

    def restricted_to(self, names: Iterable[str]) -> Criteria:
        """The same search keeping only the criteria ``names`` (the others cleared)."""
        keep = set(names)
        return replace(
            self,
            **{
                f.name: (
                    None if isinstance(getattr(self, f.name), (bool, int, str)) or getattr(self, f.name) is None else ()
                )
                for f in fields(self)
                if f.name not in keep
            },
        )

    def excludes(self, collection: str) -> bool:
        """True when the criteria rule the whole collection out (e.g. requests when only projects types
        are asked for)."""
        return any(SPECS[name].excludes(getattr(self, name), collection) for name in self.active)

    # --- predicates, rendered to SQL and CQL2 ----------------------------------------------------------
    def predicates(self, collection: str, skip: Iterable[str] = ()) -> list[Condition] | Nothing:
        """The conditions (joined by AND) on the collection's properties that select what matches;
        :data:`~coopatlas.predicates.NOTHING` when :meth:`excludes`.

        Raises :class:`NotApplicable` when an active criterion (not in ``skip``) has no field in the collection.
        """
        coll = sch.collection(collection)
        skip = set(skip)
        missing = [n for n in self.not_applicable(collection) if n not in skip]
        if missing:
            raise NotApplicable(collection, missing)
        if self.excludes(collection):
            return NOTHING
        out: list[Condition] = []
        for name in self.active:
            if name not in skip:
                out.extend(SPECS[name].predicates(getattr(self, name), coll))
        return out

    def where(
        self,
        collection: str,
        dialect: str = "sqlite",
        alias: str = "",
        skip: Iterable[str] = (),
        keyword_index: str | None = None,
    ) -> tuple[str, list]:
        """``(sql, params)``: the WHERE condition selecting the collection's rows that match.

        ``dialect`` is ``"sqlite"`` (``?`` placeholders) or ``"postgresql"`` (``%s``). ``keyword_index``:
        the FTS5 index of the collection's table (:meth:`coopatlas.store.Store.keyword_index`), which then
        answers the keywords of ``q`` (words of two letters or more, as the feature provider does: a
        one-letter word's prefix list is the whole table) instead of a LIKE over every row; the same rows.
        Raises :class:`NotApplicable` when an active criterion (not in ``skip``) has no field in the
        collection. Returns ``("1=1", [])`` for empty criteria, ``("1=0", [])`` when :meth:`excludes`.
        """
        conditions = self.predicates(collection, skip)
        indexed, others = split_keywords(self.q) if keyword_index and "q" not in set(skip) else ([], [])
        if not indexed or isinstance(conditions, Nothing):
            return to_sql(conditions, dialect, alias)
        rest = [c for c in conditions if getattr(c, "criterion", None) != "q" or c.values[0] in others]
        sql, params = to_sql(rest, dialect, alias)
        fts = '"' + keyword_index + '"'
        matched = f"{alias + '.' if alias else ''}fid IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)"
        return f"{sql} AND {matched}", params + [fts_query(indexed)]

    def where_in(self, store, collection: str, alias: str = "", skip: Iterable[str] = ()) -> tuple[str, list]:
        """:meth:`where` for ``store`` (a :class:`coopatlas.store.Store`): in its dialect, its keyword index
        answering ``q`` when it has one (the GeoPackage's FTS5 index)."""
        table = sch.collection(collection).table or collection
        index = store.keyword_index(table) if self.q and "q" not in set(skip) else None
        return self.where(collection, store.dialect, alias, skip, keyword_index=index)

    def cql2(self, collection: str, skip: Iterable[str] = ()) -> str | None:
        """The criteria (but ``q``) as a CQL2 text filter on the collection's fields; ``None`` if none."""
        return to_cql2(self.predicates(collection, set(skip) | {"q"}))

    def query_params(self, collection: str) -> dict[str, str]:
        """OGC API Features query parameters (``filter``, ``filter-lang``, ``q``) for ``/items``."""
        out = {}
        cql = self.cql2(collection)
        if cql:
            out["filter"] = cql
            out["filter-lang"] = "cql2-text"
        if self.q:
            out["q"] = self.q
        return out

    def collectivities_params(self, store) -> dict[str, str] | None:
        """The ``/items`` parameters of ``collectivites`` selecting the French collectivities of the matching
        projects (the État panel's ``collectivites_francaises_engagees``), whatever the criteria: a filter
        on the collectivities' own fields when the criteria are theirs, else ``id IN`` the identifiers of
        the projects' collectivities (``store``: a :class:`coopatlas.store.Store`).
        ``None`` when no project matches."""
        if set(self.active) <= COLLECTIVITY_OWN_CRITERIA:
            return self.query_params("collectivites")
        return self._ids_params(store, "collectivite", (("projets", "collectivite_id"),))

    def partners_params(self, store) -> dict[str, str] | None:
        """The ``/items`` parameters of ``partenaires`` for any search: a filter on the partners' own fields
        when every criterion applies to them (a country, a partner...), else ``id IN`` the partners of the
        matching projects and the authorities of the matching requests (a French region, a theme...).
        ``None`` when the criteria rule them all out."""
        if not self.not_applicable("partenaires"):
            return None if self.excludes("partenaires") else self.query_params("partenaires")
        sources = [("projets", "partenaire_id")]
        if not self.not_applicable("demandes"):
            sources.append(("demandes", "demandeur_id"))
        return self._ids_params(store, "partenaire", sources)

    def _ids_params(self, store, criterion: str, sources) -> dict[str, str] | None:
        """``filter=id IN (...)``: the distinct identifiers in the columns ``sources`` ((collection, column)...)
        of the records matching these criteria; ``None`` when there are none."""
        ids: set[str] = set()
        for collection, column in sources:
            sql, params = self.where_in(store, collection)
            ids.update(
                str(r[0])
                for r in store.rows(
                    f"SELECT DISTINCT {column} FROM {collection} WHERE {sql} AND {column} IS NOT NULL", params
                )
            )
        if not ids:
            return None
        return {"filter": to_cql2([Predicate(criterion, "id", "in", tuple(sorted(ids)))]), "filter-lang": "cql2-text"}

    # --- words ------------------------------------------------------------------------------------------
    def describe(self, lang: str = "fr", names: Mapping[str, Mapping[str, str]] | None = None) -> str:
        """The criteria in words, for titles and report subtitles ("Monde" / "World" when empty).

        ``names`` maps a criterion to {code or id: display name} for the values that are not vocabulary
        codes (countries, regions, departments, collectivities, partners).
        """
        if self.is_empty():
            return "Monde, tous les projets" if lang != "en" else "World, all projects"
        names = names or {}
        return " · ".join(SPECS[name].describe(getattr(self, name), lang, names.get(name)) for name in self.active)
