"""Text normalisation shared by keyword search, gazetteer matching and importers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

#: First characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NON_WORD = re.compile(r"[^0-9a-z]+")
# letters that Unicode decomposition does not reduce to ASCII
_TRANSLITERATION = str.maketrans(
    {
        "œ": "oe",
        "Œ": "Oe",
        "æ": "ae",
        "Æ": "Ae",
        "ß": "ss",
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
    }
)


def normalise(text: str | None) -> str:
    """Lower-case ASCII words separated by single spaces: accents, case and punctuation removed.

    >>> normalise("Ziniaré, Voïvodie de Silésie — Œuvre, Wrocław")
    'ziniare voivodie de silesie oeuvre wroclaw'
    """
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATION))
    ascii_text = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NON_WORD.sub(" ", ascii_text).strip()


def keywords(q: str | None) -> list[str]:
    """The normalised words of a keyword query (empty list for none)."""
    return [w for w in normalise(q).split(" ") if w]


def search_document(*texts: str | None) -> str:
    """The stored keyword-search text of a record: its texts normalised, with a leading space so that
    :func:`like_patterns` can anchor each query word at the start of a word."""
    return " " + " ".join(n for n in (normalise(t) for t in texts) if n)


def like_patterns(q: str | None) -> list[str]:
    """SQL LIKE patterns for a keyword query against a :func:`search_document`: every word of the query
    must start a word of the document (``"eau pot"`` matches "Accès à l'eau potable", not "bureau")."""
    return [f"% {w}%" for w in keywords(q)]


def split_keywords(q: str | None) -> tuple[list[str], list[str]]:
    """The words of a keyword query that a keyword index answers (two letters or more: a one-letter word's
    prefix list is the whole table), and the :func:`like_patterns` of the others (``l'``, ``d'``)."""
    words = keywords(q)
    return [w for w in words if len(w) > 1], [f"% {w}%" for w in words if len(w) == 1]


def fts_query(words: Iterable[str]) -> str:
    """The FTS5 query of keywords (from :func:`keywords`): every word as a prefix (``"eau"* AND "pot"*``),
    the same test as their :func:`like_patterns` on a :func:`search_document`, whose words the index holds."""
    return " AND ".join(f'"{w}"*' for w in words)


def spreadsheet_safe(text: str) -> str:
    """``text`` as a CSV cell a spreadsheet shows as text: one it would run as a formula (``=HYPERLINK(...)``,
    ``+1+1``, ``@SUM(...)``) starts with a quote.

    >>> spreadsheet_safe("=1+1"), spreadsheet_safe("Ouagadougou")
    ("'=1+1", 'Ouagadougou')
    """
    return "'" + text if text.startswith(FORMULA_STARTS) else text
