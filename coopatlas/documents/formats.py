"""Numbers, percentages, amounts and dates as the documents print them, in French and English.

French groups thousands with a no-break space and uses a decimal comma (``12 731``, ``12,5 %``,
``64 884 374 €``); English with commas (``12,731``, ``12.5%``, ``€64,884,374``). Amounts are in euros.
"""

from __future__ import annotations

import datetime as dt
import math

NBSP = "\u00a0"
MONTHS_FR = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def number(value, lang: str = "fr", decimals: int = 0) -> str:
    """``12 731`` (fr, no-break space) or ``12,731`` (en); ``–`` for ``None``."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{decimals}f}"
    if lang == "en":
        return text
    return text.replace(",", NBSP).replace(".", ",")


def percent(value, lang: str = "fr") -> str:
    """``12,5 %`` (fr) or ``12.5%`` (en)."""
    if value is None:
        return "–"
    text = number(value, lang, 1)
    return f"{text}{NBSP}%" if lang != "en" else f"{text}%"


def euros(value, lang: str = "fr") -> str:
    """``64 884 374 €`` (fr) or ``€64,884,374`` (en)."""
    if value is None:
        return "–"
    return f"{number(value, lang)}{NBSP}€" if lang != "en" else f"€{number(value, lang)}"


def millions(value, lang: str = "fr") -> str:
    """``64,9 M€`` (fr) or ``€64.9M`` (en): amounts on charts."""
    if value is None:
        return "–"
    m = number(value / 1e6, lang, 1)
    return f"{m}{NBSP}M€" if lang != "en" else f"€{m}M"


def long_date(value: str | None, lang: str = "fr") -> str | None:
    """``30 juin 2013`` (fr) or ``30 June 2013`` (en) from an ISO date (text); the text itself when it is
    not a date; ``None`` for none."""
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value)
    if lang == "en":
        return day.strftime("%d %B %Y").lstrip("0")
    return f"{day.day} {MONTHS_FR[day.month - 1]} {day.year}"


def today() -> str:
    """Today's date, ISO (the date a document is made)."""
    return dt.date.today().isoformat()
