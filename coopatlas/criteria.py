"""The one search model of the atlas: the criteria of Accès Monde, Accès France and Recherche avancée.

A :class:`Criteria` is built from request parameters (:meth:`Criteria.from_params`, which validates every
value and raises :class:`CriteriaError` naming the bad parameter), and turned into

- SQL for the GeoPackage (``sqlite``) and for PostGIS (``postgresql``): :meth:`Criteria.where`;
- CQL2 text and query parameters for OGC API Features clients: :meth:`Criteria.cql2` and
  :meth:`Criteria.query_params`;
- words for titles and report subtitles: :meth:`Criteria.describe`;
- a JSON Schema for process inputs: :func:`json_schema`.

Statistics, reports, maps and the Features API all take it, so that a search means the same everywhere.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import Any, Iterable, Mapping

from . import schema as sch
from . import vocabulary as voc
from .text import keywords, like_patterns

YEAR_MIN, YEAR_MAX = 1900, 2100
MAX_VALUES = 300  # values one list criterion may carry
MAX_Q = 200  # characters of a keyword query


class CriteriaError(ValueError):
    """A criterion with a bad value. ``param`` names it; the message says why (clients answer 400)."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


class NotApplicable(Exception):
    """Some criteria cannot apply to a collection (e.g. a French region on Bourse requests)."""

    def __init__(self, collection: str, names: Iterable[str]):
        self.names = tuple(names)
        super().__init__(f"{collection}: criteria {', '.join(self.names)} do not apply")


@dataclass(frozen=True)
class CriterionSpec:
    name: str
    kind: str  # "codes", "ids", "bool", "year", "text"
    fr: str
    en: str
    codelist: str | None = None
    #: field name in each collection where it differs from the default (None: not applicable there)
    fields_by_collection: dict = field(default_factory=dict)
    default_field: str | None = None
    pattern: str | None = None


def _spec(name, kind, fr, en, codelist=None, default_field=None, pattern=None, **by_collection):
    return CriterionSpec(name, kind, fr, en, codelist, by_collection, default_field or name, pattern)


#: The criteria, in the order they are described. ``default_field`` is the field filtered on when the
#: collection has a field of that name.
SPECS: dict[str, CriterionSpec] = {s.name: s for s in (
    _spec("q", "text", "Mots clés", "Keywords"),
    _spec("type_action", "codes", "Type", "Type", "type_action"),
    _spec("continent", "codes", "Continent", "Continent", "continent"),
    _spec("sous_continent", "codes", "Sous-continent", "Sub-continent", "sous_continent"),
    _spec("pays", "codes", "Pays", "Country", default_field="pays_code", pattern=r"^[A-Z]{2}$"),
    _spec("region", "codes", "Région", "French region", default_field="code_region", pattern=r"^[0-9]{2}$",
          regions="code_region", departements="code_region"),
    _spec("departement", "codes", "Département", "French department", default_field="code_departement",
          pattern=r"^(?:[0-9]{2}|2[AB]|97[1-6])$"),
    _spec("type_collectivite", "codes", "Type de collectivité", "Type of French authority", "type_collectivite"),
    _spec("collectivite", "ids", "Collectivité territoriale française", "French local authority",
          default_field="collectivite_id", collectivites="id"),
    _spec("partenaire", "ids", "Collectivité locale partenaire", "Partner local authority",
          default_field="partenaire_id", demandes="demandeur_id", partenaires="id"),
    _spec("thematique", "codes", "Thématique", "Theme", "thematique"),
    _spec("sous_thematique", "codes", "Sous-thématique", "Sub-theme", "sous_thematique"),
    _spec("sous_sous_thematique", "codes", "Sous-sous-thématique", "Sub-sub-theme", "sous_sous_thematique"),
    _spec("jumelage", "bool", "Jumelage", "Twinning"),
    _spec("statut", "codes", "Statut", "Status", "statut"),
    _spec("cofinancement", "codes", "Type de cofinancement", "Co-financing type", "cofinancement"),
    _spec("loi_oudin", "bool", "Loi Oudin", "Oudin-Santini law"),
    _spec("annee_min", "year", "Année de début, à partir de", "Start year, from", default_field="annee_lancement"),
    _spec("annee_max", "year", "Année de début, jusqu'à", "Start year, up to", default_field="annee_lancement"),
)}

_TRUE = {"true", "1", "oui", "yes", "vrai"}
_FALSE = {"false", "0", "non", "no", "faux"}
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def _as_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    if isinstance(value, (list, tuple, set, frozenset)):
        out = []
        for v in value:
            if not isinstance(v, (str, int)) or isinstance(v, bool):
                raise TypeError(type(v).__name__)
            out.extend(_as_list(str(v)))
        return out
    raise TypeError(type(value).__name__)


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

    # --- construction and validation ---------------------------------------------------------------
    @classmethod
    def from_params(cls, params: Mapping[str, Any] | None, known_countries: Iterable[str] | None = None,
                    ignore: Iterable[str] = ()) -> "Criteria":
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
            values[name] = _parse(spec, raw, known_countries)
        crit = cls(**values)
        if crit.annee_min is not None and crit.annee_max is not None and crit.annee_min > crit.annee_max:
            raise CriteriaError("annee_min", f"{crit.annee_min} is after annee_max {crit.annee_max}")
        return crit

    def to_params(self) -> dict[str, str]:
        """Flat parameters (comma-separated lists) that :meth:`from_params` reads back: for URLs."""
        out = {}
        for f in fields(self):
            v = getattr(self, f.name)
            if v is None or v == ():
                continue
            out[f.name] = (",".join(v) if isinstance(v, tuple) else ("true" if v is True else "false")
                           if isinstance(v, bool) else str(v))
        return out

    @property
    def active(self) -> list[str]:
        """Names of the criteria that are set."""
        return [f.name for f in fields(self) if getattr(self, f.name) not in (None, ())]

    def is_empty(self) -> bool:
        return not self.active

    def merge(self, **changes) -> "Criteria":
        return replace(self, **changes)

    # --- applicability ---------------------------------------------------------------------------------
    def _field(self, name: str, coll: sch.Collection) -> str | None:
        spec = SPECS[name]
        if coll.id in spec.fields_by_collection:
            return spec.fields_by_collection[coll.id]
        if name == "cofinancement":
            return "cofinance_mae" if "cofinance_mae" in coll.field_names else None
        if name == "type_action" and coll.id == "demandes":
            return "type_action"
        return spec.default_field if spec.default_field in coll.field_names else None

    def not_applicable(self, collection: str) -> list[str]:
        """Active criteria that the collection has no field for."""
        coll = sch.collection(collection)
        out = []
        for name in self.active:
            if name == "q":
                if not any(f.searchable for f in coll.fields):
                    out.append(name)
            elif self._field(name, coll) is None:
                out.append(name)
        return out

    def restricted_to(self, names: Iterable[str]) -> "Criteria":
        """The same search keeping only the criteria ``names`` (the others cleared)."""
        keep = set(names)
        return replace(self, **{f.name: (None if isinstance(getattr(self, f.name), (bool, int, str)) or
                                         getattr(self, f.name) is None else ())
                                for f in fields(self) if f.name not in keep})

    def excludes(self, collection: str) -> bool:
        """True when the criteria rule the whole collection out (e.g. requests when only projects types
        are asked for)."""
        if self.type_action:
            if collection == "demandes":
                return "demande_cooperation" not in self.type_action
            if collection in ("projets", "liens"):
                return not set(self.type_action) & set(voc.TYPES_ACTION_PROJET)
        return False

    # --- SQL ------------------------------------------------------------------------------------------
    def where(self, collection: str, dialect: str = "sqlite", alias: str = "",
              skip: Iterable[str] = ()) -> tuple[str, list]:
        """``(sql, params)``: the WHERE condition selecting the collection's rows that match.

        ``dialect`` is ``"sqlite"`` (``?`` placeholders) or ``"postgresql"`` (``%s``). Raises
        :class:`NotApplicable` when an active criterion (not in ``skip``) has no field in the collection.
        Returns ``("1=1", [])`` for empty criteria, ``("1=0", [])`` when :meth:`excludes`.
        """
        coll = sch.collection(collection)
        skip = set(skip)
        missing = [n for n in self.not_applicable(collection) if n not in skip]
        if missing:
            raise NotApplicable(collection, missing)
        if self.excludes(collection):
            return "1=0", []
        ph = "?" if dialect == "sqlite" else "%s"
        pre = f"{alias}." if alias else ""
        true = "1" if dialect == "sqlite" else "TRUE"
        false = "0" if dialect == "sqlite" else "FALSE"
        parts, params = [], []
        for name in self.active:
            if name in skip:
                continue
            value = getattr(self, name)
            if name == "q":
                for pattern in like_patterns(value):
                    parts.append(f"{pre}recherche LIKE {ph}")
                    params.append(pattern)
                continue
            if name == "type_action" and collection in ("projets", "liens"):
                value = tuple(v for v in value if v in voc.TYPES_ACTION_PROJET)
                if set(value) == set(voc.TYPES_ACTION_PROJET):
                    continue
            if name == "type_action" and collection == "demandes":
                continue  # excludes() already decided
            if name == "cofinancement":
                parts.append("(" + " OR ".join(f"{pre}cofinance_{c} = {true}" for c in value) + ")")
                continue
            column = pre + self._field(name, coll)
            if isinstance(value, bool):
                parts.append(f"{column} = {true if value else false}")
            elif name == "annee_min":
                parts.append(f"{column} >= {ph}")
                params.append(value)
            elif name == "annee_max":
                parts.append(f"{column} <= {ph}")
                params.append(value)
            else:
                parts.append(f"{column} IN ({', '.join([ph] * len(value))})")
                params.extend(value)
        return (" AND ".join(parts) or "1=1"), params

    # --- CQL2 and query parameters -------------------------------------------------------------------
    def cql2(self, collection: str, skip: Iterable[str] = ()) -> str | None:
        """The criteria (but ``q``) as a CQL2 text filter on the collection's fields; ``None`` if none."""
        coll = sch.collection(collection)
        skip = set(skip) | {"q"}
        missing = [n for n in self.not_applicable(collection) if n not in skip]
        if missing:
            raise NotApplicable(collection, missing)
        if self.excludes(collection):
            return "1 = 0"
        parts = []
        for name in self.active:
            if name in skip or (name == "type_action" and collection == "demandes"):
                continue
            value = getattr(self, name)
            if name == "type_action":
                value = tuple(v for v in value if v in voc.TYPES_ACTION_PROJET)
                if set(value) == set(voc.TYPES_ACTION_PROJET):
                    continue
            if name == "cofinancement":
                parts.append("(" + " OR ".join(f"cofinance_{c} = TRUE" for c in value) + ")")
                continue
            column = self._field(name, coll)
            if isinstance(value, bool):
                parts.append(f"{column} = {'TRUE' if value else 'FALSE'}")
            elif name == "annee_min":
                parts.append(f"{column} >= {value}")
            elif name == "annee_max":
                parts.append(f"{column} <= {value}")
            else:
                quoted = ", ".join("'" + v.replace("'", "''") + "'" for v in value)
                parts.append(f"{column} IN ({quoted})")
        return " AND ".join(parts) or None

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

    # --- words ------------------------------------------------------------------------------------------
    def describe(self, lang: str = "fr", names: Mapping[str, Mapping[str, str]] | None = None) -> str:
        """The criteria in words, for titles and report subtitles ("Monde" / "World" when empty).

        ``names`` maps a criterion to {code or id: display name} for the values that are not vocabulary
        codes (countries, regions, departments, collectivities, partners).
        """
        names = names or {}
        if self.is_empty():
            return "Monde, tous les projets" if lang != "en" else "World, all projects"
        out = []
        for name in self.active:
            spec = SPECS[name]
            value = getattr(self, name)
            label = spec.en if lang == "en" else spec.fr
            if isinstance(value, bool):
                yes = ("yes" if value else "no") if lang == "en" else ("oui" if value else "non")
                out.append(f"{label} : {yes}" if lang != "en" else f"{label}: {yes}")
                continue
            if name == "q":
                out.append(f"{label} : « {value} »" if lang != "en" else f'{label}: "{value}"')
                continue
            if name in ("annee_min", "annee_max"):
                out.append(f"{label} {value}")
                continue
            cl = voc.CODE_LISTS.get(spec.codelist) if spec.codelist else None
            shown = [cl.label(v, lang) if cl else names.get(name, {}).get(v, v) for v in value]
            sep = " : " if lang != "en" else ": "
            out.append(f"{label}{sep}{', '.join(shown)}")
        return " · ".join(out)


def _parse(spec: CriterionSpec, raw, known_countries):
    name = spec.name
    if spec.kind == "text":
        if not isinstance(raw, str):
            raise CriteriaError(name, "must be a string")
        raw = raw.strip()
        if len(raw) > MAX_Q:
            raise CriteriaError(name, f"at most {MAX_Q} characters")
        if not keywords(raw):
            raise CriteriaError(name, "no word to search for")
        return raw
    if spec.kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.strip().lower() in _TRUE | _FALSE:
            return raw.strip().lower() in _TRUE
        raise CriteriaError(name, f"must be true or false, not {raw!r}")
    if spec.kind == "year":
        if isinstance(raw, bool):
            raise CriteriaError(name, "must be a year")
        try:
            year = int(raw) if not isinstance(raw, float) or raw.is_integer() else None
        except (TypeError, ValueError):
            year = None
        if year is None or not YEAR_MIN <= year <= YEAR_MAX:
            raise CriteriaError(name, f"must be a year between {YEAR_MIN} and {YEAR_MAX}, not {raw!r}")
        return year
    try:
        values = _as_list(raw)
    except TypeError as exc:
        raise CriteriaError(name, f"must be a list of strings or a comma-separated string, not {exc}") from None
    if len(values) > MAX_VALUES:
        raise CriteriaError(name, f"at most {MAX_VALUES} values")
    values = list(dict.fromkeys(values))  # drop repeats, keep order
    if spec.codelist:
        cl = voc.CODE_LISTS[spec.codelist]
        for v in values:
            if v not in cl:
                raise CriteriaError(name, f"unknown code {v!r}; known: {', '.join(cl.codes)}")
    elif spec.kind == "ids":
        for v in values:
            if not _ID.match(v):
                raise CriteriaError(name, f"malformed identifier {v!r}")
    else:
        if name == "pays":
            values = list(dict.fromkeys(v.upper() for v in values))
        for v in values:
            if spec.pattern and not re.match(spec.pattern, v):
                raise CriteriaError(name, f"malformed code {v!r}")
        if name == "pays" and known_countries is not None:
            known = set(known_countries)
            for v in values:
                if v not in known:
                    raise CriteriaError(name, f"unknown country {v!r} (ISO 3166-1 alpha-2)")
    return tuple(values)


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of the criteria, as process inputs publish them."""
    props = {}
    for name, spec in SPECS.items():
        title = spec.fr
        if spec.kind == "text":
            props[name] = {"type": "string", "maxLength": MAX_Q, "title": title}
        elif spec.kind == "bool":
            props[name] = {"type": "boolean", "title": title}
        elif spec.kind == "year":
            props[name] = {"type": "integer", "minimum": YEAR_MIN, "maximum": YEAR_MAX, "title": title}
        else:
            item = {"type": "string"}
            if spec.codelist:
                item["enum"] = voc.CODE_LISTS[spec.codelist].codes
            elif spec.pattern:
                item["pattern"] = spec.pattern
            props[name] = {"type": "array", "items": item, "maxItems": MAX_VALUES, "uniqueItems": True,
                           "title": title}
    return {"type": "object", "properties": props, "additionalProperties": False}
