"""The criteria of the atlas's searches, declared once: name, kind, labels, vocabulary, the property each
filters on in each collection and with which operator; the validation of their values; their JSON
Schema (process inputs) and their public description (``/criteres``, read by the QGIS plugin).

:class:`coopatlas.criteria.Criteria` holds the values of a search and turns them, through these specs,
into the predicates of :mod:`coopatlas.predicates` (SQL and CQL2).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from . import schema as sch
from . import vocabulary as voc
from .predicates import AnyOf, Predicate, active_in
from .text import keywords, like_patterns

YEAR_MIN, YEAR_MAX = 1900, 2100
MAX_VALUES = 300  # values one list criterion may carry
MAX_Q = 200  # characters of a keyword query
#: Kinds of criteria and the operator of their predicate (years say their own).
KINDS = {"text": "like", "codes": "in", "ids": "in", "bool": "is", "year": None}
LIST_KINDS = ("codes", "ids")
#: The hidden column of every searchable collection that keyword patterns are matched against.
KEYWORDS_PROPERTY = "recherche"


class CriteriaError(ValueError):
    """A criterion with a bad value. ``param`` names it; the message says why (clients answer 400)."""

    def __init__(self, param: str, message: str):
        super().__init__(f"{param}: {message}")
        self.param = param


@dataclass(frozen=True)
class CriterionSpec:
    """One criterion.

    It filters a collection on ``default_field`` when the collection has a field of that name, or on the
    field ``fields_by_collection`` names for it. ``per_value_field`` (``"cofinance_{}"``) makes each value
    its own boolean property, any of which must hold. ``values_by_collection`` lists the only values a
    collection's property holds: a search for none of them rules the collection out, one for all of them
    needs no condition there. ``values_from`` names the collection whose identifiers the values are when
    they come from no code list.
    """

    name: str
    kind: str  # "codes", "ids", "bool", "year", "text"
    fr: str
    en: str
    codelist: str | None = None
    fields_by_collection: dict = field(default_factory=dict)
    default_field: str | None = None
    pattern: str | None = None
    operator: str = "in"
    per_value_field: str | None = None
    values_by_collection: dict = field(default_factory=dict)
    values_from: str | None = None
    #: ``"first"`` or ``"last"``: a year criterion that bounds the time the records live in (the
    #: collection's :class:`~coopatlas.schema.Period`, rule of :func:`coopatlas.predicates.active_in`).
    time_bound: str | None = None

    @property
    def multiple(self) -> bool:
        return self.kind in LIST_KINDS

    def property_in(self, coll: sch.Collection) -> str | None:
        """The property this criterion filters ``coll`` on; ``None`` when it does not apply there."""
        if self.kind == "text":
            return KEYWORDS_PROPERTY if any(f.searchable for f in coll.fields) else None
        if self.time_bound:
            if coll.time is None:
                return None
            return coll.time.start if self.time_bound == "last" else (coll.time.end or coll.time.start)
        if coll.id in self.fields_by_collection:
            return self.fields_by_collection[coll.id]
        if self.per_value_field:
            names = [self.per_value_field.format(code) for code in voc.CODE_LISTS[self.codelist].codes]
            return self.per_value_field if all(n in coll.field_names for n in names) else None
        return self.default_field if self.default_field in coll.field_names else None

    def excludes(self, value, coll_id: str) -> bool:
        """True when ``value`` asks only for values the collection never holds."""
        held = self.values_by_collection.get(coll_id)
        return held is not None and not set(value) & set(held)

    def predicates(self, value, coll: sch.Collection) -> list:
        """The conditions (joined by AND) that ``value`` puts on the rows of ``coll``."""
        prop = self.property_in(coll)
        if self.kind == "text":
            return [Predicate(self.name, prop, "like", (pattern,)) for pattern in like_patterns(value)]
        if self.time_bound == "first":
            return active_in(self.name, coll, first=dt.date(value, 1, 1))
        if self.time_bound == "last":
            return active_in(self.name, coll, last=dt.date(value, 12, 31))
        if not self.multiple:
            return [Predicate(self.name, prop, self.operator, (value,))]
        held = self.values_by_collection.get(coll.id)
        if held is not None:
            value = tuple(v for v in value if v in held)
            if set(value) == set(held):
                return []
        if self.per_value_field:
            return [
                AnyOf(
                    self.name, tuple(Predicate(self.name, self.per_value_field.format(v), "is", (True,)) for v in value)
                )
            ]
        return [Predicate(self.name, prop, "in", tuple(value))]

    def describe(self, value, lang: str = "fr", names: Mapping[str, str] | None = None) -> str:
        """``value`` in words (``"Thématique : Santé"``); ``names`` gives the display name of values
        that are no code of a list (countries, regions, authorities...)."""
        label = self.en if lang == "en" else self.fr
        sep = ": " if lang == "en" else " : "
        if self.kind == "bool":
            yes = ("yes" if value else "no") if lang == "en" else ("oui" if value else "non")
            return f"{label}{sep}{yes}"
        if self.kind == "text":
            return f'{label}{sep}"{value}"' if lang == "en" else f"{label}{sep}« {value} »"
        if self.kind == "year":
            return f"{label} {value}"
        codes = voc.CODE_LISTS.get(self.codelist) if self.codelist else None
        shown = [codes.label(v, lang) if codes else (names or {}).get(v, v) for v in value]
        return f"{label}{sep}{', '.join(shown)}"

    def published(self) -> dict:
        """What clients need to offer this criterion (``/criteres``): name, kind, labels, where its values
        come from, whether it takes several."""
        out = {
            "nom": self.name,
            "type": self.kind,
            "multiple": self.multiple,
            "fr": self.fr,
            "en": self.en,
            "vocabulaire": self.codelist,
            "collection": self.values_from,
        }
        if self.pattern:
            out["motif"] = self.pattern
        if self.kind == "year":
            out["minimum"], out["maximum"] = YEAR_MIN, YEAR_MAX
        if self.kind == "text":
            out["longueur_max"] = MAX_Q
        if self.multiple:
            out["valeurs_max"] = MAX_VALUES
        return out


def _spec(
    name,
    kind,
    fr,
    en,
    codelist=None,
    default_field=None,
    pattern=None,
    operator=None,
    per_value_field=None,
    values_by_collection=None,
    values_from=None,
    time_bound=None,
    **by_collection,
):
    return CriterionSpec(
        name,
        kind,
        fr,
        en,
        codelist,
        by_collection,
        default_field or name,
        pattern,
        operator or KINDS[kind],
        per_value_field,
        values_by_collection or {},
        values_from,
        time_bound,
    )


_PROJECT_TYPES = {
    "projets": voc.TYPES_ACTION_PROJET,
    "liens": voc.TYPES_ACTION_PROJET,
    "demandes": ("demande_cooperation",),
}

#: The criteria, in the order they are described.
SPECS: dict[str, CriterionSpec] = {
    s.name: s
    for s in (
        _spec("q", "text", "Mots clés", "Keywords"),
        _spec("type_action", "codes", "Type", "Type", "type_action", values_by_collection=_PROJECT_TYPES),
        _spec("continent", "codes", "Continent", "Continent", "continent"),
        _spec("sous_continent", "codes", "Sous-continent", "Sub-continent", "sous_continent"),
        _spec("pays", "codes", "Pays", "Country", default_field="pays_code", pattern=r"^[A-Z]{2}$", values_from="pays"),
        _spec(
            "region",
            "codes",
            "Région",
            "French region",
            default_field="code_region",
            pattern=r"^[0-9]{2}$",
            values_from="regions",
            regions="code_region",
            departements="code_region",
        ),
        _spec(
            "departement",
            "codes",
            "Département",
            "French department",
            default_field="code_departement",
            pattern=r"^(?:[0-9]{2}|2[AB]|97[1-6])$",
            values_from="departements",
        ),
        _spec("type_collectivite", "codes", "Type de collectivité", "Type of French authority", "type_collectivite"),
        _spec(
            "collectivite",
            "ids",
            "Collectivité territoriale française",
            "French local authority",
            default_field="collectivite_id",
            values_from="collectivites",
            collectivites="id",
        ),
        _spec(
            "partenaire",
            "ids",
            "Collectivité locale partenaire",
            "Partner local authority",
            default_field="partenaire_id",
            values_from="partenaires",
            demandes="demandeur_id",
            partenaires="id",
        ),
        _spec("thematique", "codes", "Thématique", "Theme", "thematique"),
        _spec("sous_thematique", "codes", "Sous-thématique", "Sub-theme", "sous_thematique"),
        _spec("sous_sous_thematique", "codes", "Sous-sous-thématique", "Sub-sub-theme", "sous_sous_thematique"),
        _spec("jumelage", "bool", "Jumelage", "Twinning"),
        _spec("statut", "codes", "Statut", "Status", "statut"),
        _spec(
            "cofinancement",
            "codes",
            "Type de cofinancement",
            "Co-financing type",
            "cofinancement",
            per_value_field="cofinance_{}",
        ),
        _spec("loi_oudin", "bool", "Loi Oudin", "Oudin-Santini law"),
        _spec(
            "annee_min",
            "year",
            "Année de début, à partir de",
            "Start year, from",
            default_field="annee_lancement",
            operator=">=",
        ),
        _spec(
            "annee_max",
            "year",
            "Année de début, jusqu'à",
            "Start year, up to",
            default_field="annee_lancement",
            operator="<=",
        ),
        _spec("actif_de", "year", "Actif, à partir de", "Active, from", time_bound="first"),
        _spec("actif_a", "year", "Actif, jusqu'à", "Active, up to", time_bound="last"),
    )
}

_TRUE = {"true", "1", "oui", "yes", "vrai"}
_FALSE = {"false", "0", "non", "no", "faux"}
_ID = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


def published() -> list[dict]:
    """Every criterion as :meth:`CriterionSpec.published` describes it, in order."""
    return [spec.published() for spec in SPECS.values()]


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


def parse_value(spec: CriterionSpec, raw, known_countries):
    """The validated value of one criterion; :class:`CriteriaError` naming it when ``raw`` is bad."""
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
            props[name] = {"type": "array", "items": item, "maxItems": MAX_VALUES, "uniqueItems": True, "title": title}
    return {"type": "object", "properties": props, "additionalProperties": False}
