"""CQL2 filters parsed by pygeofilter (text or JSON) into its AST, a parse error as a :class:`FilterError`."""
from __future__ import annotations

from .coercion import FilterError


def parse(text_or_json: str | dict, lang: str | None = None):
    """The pygeofilter AST of a CQL2 filter: text (``lang`` ``cql2-text``, the default for a string
    not starting with ``{``) or JSON (``cql2-json``, a string or a dict). :class:`FilterError` if it
    does not parse."""
    from pygeofilter.parsers.cql2_json import parse as parse_json
    from pygeofilter.parsers.cql2_text import parse as parse_text
    if lang not in (None, "cql2-text", "cql2-json", "cql-text", "cql-json"):
        raise FilterError(f"filter-lang: unknown filter language {lang!r} (cql2-text or cql2-json)")
    is_json = isinstance(text_or_json, dict) or (lang in ("cql2-json", "cql-json")) or (
        lang is None and isinstance(text_or_json, str) and text_or_json.lstrip().startswith("{"))
    try:
        return parse_json(text_or_json) if is_json else parse_text(text_or_json)
    except Exception as exc:  # lark and the JSON walker raise many kinds of errors
        kind = "CQL2 JSON" if is_json else "CQL2 text"
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise FilterError(f"filter: not valid {kind}: {detail}") from None
