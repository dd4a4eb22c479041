"""Name keys for matching imported names against the reference, and the error of a name it does not know.

Names are compared after :func:`coopatlas.text.normalise` and the removal of leading articles and of the
prefixes listed in the mapping file ("Conseil général du", "Commune de", "Province de"...).
"""

from __future__ import annotations

import re

from .mapping import normalise, strip_article


class NotFound(LookupError):
    """A name that the reference does not know; ``column`` says which input column is to blame."""

    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column


def name_key(text: str | None) -> str:
    """Normalised name without its leading article (``"Le Mans"`` -> ``"mans"``)."""
    return strip_article(normalise(text))


_SAINT = re.compile(r"\b(st|ste|sts|stes)\b")
_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def fr_key(text: str | None) -> str:
    """:func:`name_key` of a French name, with "St"/"Ste" written out (``"St-Denis"`` = ``"Saint-Denis"``)."""
    return _saints(name_key(text))


def _saints(key: str) -> str:
    return _SAINT.sub(lambda m: _SAINTS[m.group(1)], key)


def slug(text: str, limit: int = 60) -> str:
    """An ASCII identifier part: normalised words joined by ``-``."""
    return normalise(text).replace(" ", "-")[:limit].strip("-") or "x"
