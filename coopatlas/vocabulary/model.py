"""The model of every code list: a :class:`Term` (a code and its French and English labels) and a
:class:`CodeList` (an ordered list of terms looked up by code)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Term:
    """One entry of a code list.

    ``extra`` carries the mapping to an external code list (e.g. ``{"iati": 2}``) or a colour.
    """

    code: str
    fr: str
    en: str
    extra: dict = field(default_factory=dict, compare=False, hash=False)

    def label(self, lang: str = "fr") -> str:
        """The label in ``lang`` (``"fr"`` or ``"en"``); French for any other value."""
        return self.en if lang == "en" else self.fr


class CodeList:
    """An ordered, immutable list of :class:`Term` looked up by code."""

    def __init__(self, name: str, terms: Iterable[Term]):
        self.name = name
        self.terms: tuple[Term, ...] = tuple(terms)
        self._by_code = {t.code: t for t in self.terms}
        if len(self._by_code) != len(self.terms):
            raise ValueError(f"duplicate code in {name}")

    def __iter__(self):
        return iter(self.terms)

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def __getitem__(self, code: str) -> Term:
        return self._by_code[code]

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str | None, lang: str = "fr") -> str | None:
        """Label of ``code``; ``None`` for ``None``; the code itself if unknown."""
        if code is None:
            return None
        term = self._by_code.get(code)
        return term.label(lang) if term else code

    def as_json(self) -> list[dict]:
        """The list as JSON-ready dicts: ``code``, ``fr``, ``en`` and the extra mappings."""
        return [{"code": t.code, "fr": t.fr, "en": t.en, **t.extra} for t in self.terms]


def _terms(rows) -> list[Term]:
    """Terms from ``(code, fr, en[, extra])`` tuples."""
    return [Term(r[0], r[1], r[2], dict(r[3]) if len(r) > 3 else {}) for r in rows]
