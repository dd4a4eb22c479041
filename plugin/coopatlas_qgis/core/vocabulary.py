"""The atlas's code lists as the server publishes them (``/vocabulaire``), with labels in one language.

Each list is a JSON array of ``{"code", "fr", "en", ...}``; some entries name their parent
(``sous_continent`` -> ``continent``, ``sous_thematique`` -> ``thematique``, ``sous_sous_thematique`` ->
``sous_thematique``) or carry a colour (``couleur``).
"""

from __future__ import annotations

from collections.abc import Iterable


class Vocabulary:
    """Read access to ``/vocabulaire`` in language ``lang`` (``"fr"`` or ``"en"``)."""

    def __init__(self, data: dict, lang: str = "fr"):
        self.data = data or {}
        self.lang = lang if lang in ("fr", "en") else "fr"

    def terms(self, name: str, **parents: str | Iterable[str] | None) -> list[dict]:
        """The entries of list ``name``, those whose parent fields match ``parents`` when given
        (a parent value may be one code or several; None or empty means any)."""
        out = []
        for term in self.data.get(name, []):
            keep = True
            for field, wanted in parents.items():
                if wanted is None or wanted == "" or wanted == () or wanted == []:
                    continue
                allowed = {wanted} if isinstance(wanted, str) else set(wanted)
                if term.get(field) not in allowed:
                    keep = False
                    break
            if keep:
                out.append(term)
        return out

    def choices(self, name: str, **parents) -> list[tuple[str, str]]:
        """``(code, label)`` pairs of list ``name``, in the server's order."""
        return [(t["code"], self.label_of(t)) for t in self.terms(name, **parents)]

    def label_of(self, term: dict) -> str:
        return str(term.get(self.lang) or term.get("fr") or term.get("code"))

    def label(self, name: str, code: str | None) -> str:
        """Label of ``code`` in list ``name``; the code itself when unknown, ``""`` for None."""
        if code is None:
            return ""
        for term in self.data.get(name, []):
            if term.get("code") == code:
                return self.label_of(term)
        return str(code)

    def colour(self, name: str, code: str) -> str | None:
        for term in self.data.get(name, []):
            if term.get("code") == code:
                return term.get("couleur")
        return None

    def codes(self, name: str) -> list[str]:
        return [t["code"] for t in self.data.get(name, [])]

    def __contains__(self, name: str) -> bool:
        return name in self.data
