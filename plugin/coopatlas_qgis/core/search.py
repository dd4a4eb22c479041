"""A search of the atlas as the plugin holds it: criterion name -> value, turned into request parameters.

The criterion names and kinds are the server's contract: every ``/criteres`` answer lists them
(``specifications``); :data:`CRITERIA` is the plugin's copy, so that the Processing algorithms and the
search forms exist before any server is reached (the main test suite fails when the two differ). The
server validates the values and turns them into CQL2 per collection, so the plugin never rebuilds a
filter itself. The code lists (continents, themes, ...) come from ``/vocabulaire``, never from here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

#: Criterion name -> kind: ``text`` (keywords), ``codes`` (code list), ``ids`` (identifiers),
#: ``bool`` (true/false/either) or ``year``. In the order the server describes them.
CRITERIA: dict[str, str] = {
    "q": "text",
    "type_action": "codes",
    "continent": "codes",
    "sous_continent": "codes",
    "pays": "codes",
    "region": "codes",
    "departement": "codes",
    "type_collectivite": "codes",
    "collectivite": "ids",
    "partenaire": "ids",
    "thematique": "codes",
    "sous_thematique": "codes",
    "sous_sous_thematique": "codes",
    "jumelage": "bool",
    "statut": "codes",
    "cofinancement": "codes",
    "loi_oudin": "bool",
    "annee_min": "year",
    "annee_max": "year",
    "actif_de": "year",
    "actif_a": "year",
}
LIST_KINDS = ("codes", "ids")
#: The criteria chosen among the codes of a list (one check box each in the advanced form).
CODE_CRITERIA = tuple(name for name, kind in CRITERIA.items() if kind == "codes")
#: The years a ``year`` criterion may take.
YEAR_RANGE = (1900, 2100)


@dataclass(frozen=True)
class Search:
    """A search: criterion -> value (str for ``q``, tuple of str for lists, bool, int for years).

    Empty criteria are dropped, so two searches that ask the same are equal.
    """

    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, mapping: Mapping[str, Any] | None = None, **kw) -> Search:
        """A search from ``mapping`` and keywords; lists may be lists or comma-separated strings.

        Raises ``KeyError`` for an unknown criterion name (a programming error, not a user's).
        """
        merged = {**dict(mapping or {}), **kw}
        out = []
        for name in CRITERIA:
            if name not in merged:
                continue
            value = _clean(name, merged.pop(name))
            if value is not None:
                out.append((name, value))
        if merged:
            raise KeyError(f"unknown criteria: {', '.join(merged)}")
        return cls(tuple(out))

    def get(self, name: str, default=None):
        return dict(self.values).get(name, default)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.values)

    def is_empty(self) -> bool:
        return not self.values

    def merge(self, **changes) -> Search:
        return Search.of({**self.as_dict(), **changes})

    def params(self) -> dict[str, str]:
        """Query parameters (lists comma-separated, booleans ``true``/``false``) for ``/criteres``, the
        Features API and URLs."""
        out = {}
        for name, value in self.values:
            if isinstance(value, tuple):
                out[name] = ",".join(value)
            elif isinstance(value, bool):
                out[name] = "true" if value else "false"
            else:
                out[name] = str(value)
        return out

    def inputs(self) -> dict[str, Any]:
        """Process inputs (JSON: lists as arrays, booleans, integers)."""
        return {name: (list(value) if isinstance(value, tuple) else value) for name, value in self.values}

    def to_json(self) -> str:
        return json.dumps(self.inputs(), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Search:
        data = json.loads(text or "{}")
        if not isinstance(data, dict):
            raise ValueError("a saved search is a JSON object")
        return cls.of({k: v for k, v in data.items() if k in CRITERIA})


def _clean(name: str, value: Any):
    kind = CRITERIA[name]
    if value is None:
        return None
    if kind in LIST_KINDS:
        items: Iterable = value.split(",") if isinstance(value, str) else value
        seen = []
        for item in items:
            item = str(item).strip()
            if item and item not in seen:
                seen.append(item)
        return tuple(seen) or None
    if kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("", "none", "all", "tous"):
            return None
        if text in ("true", "1", "yes", "oui"):
            return True
        if text in ("false", "0", "no", "non"):
            return False
        return text  # the server will name the bad value
    if kind == "year":
        if value == "" or value == 0:
            return None
        try:
            return int(value)
        except (TypeError, ValueError):
            return str(value)  # the server will refuse it, naming the criterion
    text = str(value).strip()
    return text or None
