"""CQL2 filters parsed by pygeofilter (text or JSON) into its AST, a parse error as a :class:`FilterError`.

A syntax error of CQL2 text says where it is (line and column) and what could have come there, in words
rather than the names of the grammar's terminals: ``filter: not valid CQL2 text at line 1, column 9 (the
end of the filter): expected a property name, a number, a text in single quotes, ...``.
"""

from __future__ import annotations

import json
import re

from .coercion import FilterError

#: Words for the terminals of pygeofilter's CQL2 text grammar that are patterns, not keywords.
_TERMINAL_WORDS = {
    "INT": "a number",
    "FLOAT": "a number",
    "wkt__INT": "a number",
    "wkt__SIGNED_NUMBER": "a number",
    "SINGLE_QUOTED": "a text in single quotes",
    "DOUBLE_QUOTED": "a property name in double quotes",
    "BOOLEAN": "TRUE or FALSE",
    "DATE": "a date (YYYY-MM-DD)",
    "DATETIME": "a timestamp",
}
#: Families of keywords named once: (prefix or set of keywords, words).
_FAMILIES = (
    ("S_", "a spatial predicate (S_INTERSECTS, S_WITHIN, ...)"),
    ("T_", "a temporal predicate (T_BEFORE, T_DURING, ...)"),
    (
        frozenset(
            {
                "POINT",
                "LINESTRING",
                "POLYGON",
                "MULTIPOINT",
                "MULTILINESTRING",
                "MULTIPOLYGON",
                "GEOMETRYCOLLECTION",
                "ENVELOPE",
            }
        ),
        "a geometry (POINT, POLYGON, ...)",
    ),
    (frozenset({"eq", "ne", "lt", "lte", "gt", "gte"}), None),  # the words of the comparison operators
)


def parse(text_or_json: str | dict, lang: str | None = None):
    """The pygeofilter AST of a CQL2 filter: text (``lang`` ``cql2-text``, the default for a string
    not starting with ``{``) or JSON (``cql2-json``, a string or a dict). :class:`FilterError` if it
    does not parse; for CQL2 text, the message gives the line, the column and what was expected."""
    from pygeofilter.parsers.cql2_json import parse as parse_json
    from pygeofilter.parsers.cql2_text import parse as parse_text

    if lang not in (None, "cql2-text", "cql2-json", "cql-text", "cql-json"):
        raise FilterError(f"filter-lang: unknown filter language {lang!r} (cql2-text or cql2-json)")
    is_json = (
        isinstance(text_or_json, dict)
        or (lang in ("cql2-json", "cql-json"))
        or (lang is None and isinstance(text_or_json, str) and text_or_json.lstrip().startswith("{"))
    )
    try:
        if is_json:
            check_temporal_literals(json.loads(text_or_json) if isinstance(text_or_json, str) else text_or_json)
        return parse_json(text_or_json) if is_json else parse_text(text_or_json)
    except FilterError:
        raise
    except Exception as exc:  # lark and the JSON walker raise many kinds of errors
        kind = "CQL2 JSON" if is_json else "CQL2 text"
        where = None if is_json else syntax_error(exc, text_or_json)
        if where:
            raise FilterError(f"filter: not valid {kind} {where}") from None
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FilterError(f"filter: not valid {kind}: {detail}") from None


def syntax_error(exc: Exception, text: str) -> str | None:
    """Where the CQL2 ``text`` does not parse and what was expected there, from the parser's (lark's) error:
    ``at line 1, column 9 (the end of the filter): expected ...``; ``None`` for another error."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedInput, UnexpectedToken

    if not isinstance(exc, UnexpectedInput) or not getattr(exc, "line", None) or exc.line < 1:
        return None
    line, column = exc.line, exc.column
    if isinstance(exc, UnexpectedToken):
        found = "the end of the filter" if exc.token.type == "$END" else repr(str(exc.token))
        expected = exc.expected
        if exc.token.type == "$END":  # lark places it on the last token: the end is after the last character
            lines = text.split("\n")
            line, column = len(lines), len(lines[-1]) + 1
    elif isinstance(exc, UnexpectedCharacters):
        found = repr(exc.char)
        expected = exc.allowed or set()
    else:
        found, expected = None, getattr(exc, "expected", None) or set()
    where = f"at line {line}, column {column}" + (f" ({found})" if found else "")
    words = _expected_words(expected)
    return f"{where}: expected {', '.join(words)}" if words else where


def _expected_words(terminals) -> list[str]:
    """The terminals a parser expected, in words: literal keywords and symbols as written, the patterns
    (numbers, texts, property names) described, the families of keywords named once."""
    from pygeofilter.parsers.cql2_text.parser import parser

    patterns = {t.name: t.pattern for t in parser.terminals}
    words, families = [], []
    for name in sorted(terminals):
        pattern = patterns.get(name)
        if name in _TERMINAL_WORDS:
            word = _TERMINAL_WORDS[name]
        elif pattern is not None and type(pattern).__name__ == "PatternStr":
            family = next(
                (
                    f
                    for f in _FAMILIES
                    if (pattern.value.startswith(f[0]) if isinstance(f[0], str) else pattern.value in f[0])
                ),
                None,
            )
            if family is not None:
                if family[1] and family[1] not in families:
                    families.append(family[1])
                continue
            word = pattern.value if pattern.value.isalpha() else f"'{pattern.value}'"
        elif pattern is not None and pattern.value.startswith("[a-zA-Z]"):
            word = "a property name"
        else:
            word = name.lower()
        if word not in words:
            words.append(word)
    first = {"a property name": 0, "a number": 1, "a text in single quotes": 2}
    words.sort(key=lambda w: (first.get(w, 3), 2 if not w[:1].isalpha() else 1 if w.isupper() else 0))
    return words + families


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?")
_ISO_DURATION = re.compile(r"P(?=.)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?")


def check_temporal_literals(node) -> None:
    """The dates, timestamps and intervals of a CQL2 JSON filter are ISO 8601 (pygeofilter reads any text as
    some date: ``{"interval": ["x"]}`` would be a day of this year); :class:`FilterError` naming the bad one."""
    if isinstance(node, list):
        for item in node:
            check_temporal_literals(item)
        return
    if not isinstance(node, dict):
        return
    if "interval" in node:
        bounds = node["interval"]
        if not (
            isinstance(bounds, list)
            and len(bounds) == 2
            and all(
                b == ".."
                or (
                    isinstance(b, str)
                    and (_ISO_DATE.fullmatch(b) or _ISO_TIMESTAMP.fullmatch(b) or _ISO_DURATION.fullmatch(b))
                )
                for b in bounds
            )
        ):
            raise FilterError(
                f"filter: an interval is two ISO 8601 dates, timestamps, durations or '..', "
                f"not {json.dumps(bounds)[:100]}"
            )
    for key, pattern in (("date", _ISO_DATE), ("timestamp", _ISO_TIMESTAMP)):
        if key in node and not (isinstance(node[key], str) and pattern.fullmatch(node[key])):
            raise FilterError(f"filter: a {key} is ISO 8601 text, not {json.dumps(node[key])[:100]}")
    for value in node.values():
        check_temporal_literals(value)
