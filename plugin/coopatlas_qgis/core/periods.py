"""The periods of the country map (process ``carte-pays``), written as its inputs expect them: ``datetime``
a year or an interval of years in OGC API's syntax (``1995``, ``2000/2010``, ``../1990``, ``2012/..``),
``dates`` 2 to 6 such values (a small multiple). The server checks them and names a bad one (HTTP 400)."""

from __future__ import annotations

OPEN = ".."


def period(year_from: int | None, year_to: int | None) -> str | None:
    """The ``datetime`` of the years from ``year_from`` to ``year_to`` (either may be None: open);
    None when both are."""
    if year_from is None and year_to is None:
        return None
    if year_from == year_to:
        return str(year_from)
    start = OPEN if year_from is None else str(year_from)
    end = OPEN if year_to is None else str(year_to)
    return f"{start}/{end}"


def date_list(text: str | None) -> list[str] | None:
    """The ``dates`` written comma-separated in ``text`` (spaces ignored); None when there is none."""
    values = [part.strip().replace(" ", "") for part in (text or "").split(",")]
    values = [v for v in values if v]
    return values or None
