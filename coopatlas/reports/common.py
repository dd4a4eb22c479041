"""What every document of the atlas shares: number formats, the data's metadata (date, SYNTHETIC notice),
the attributions, and the display names of the criteria's values.

No reportlab here: the JSON and CSV outputs use it too. Amounts are in euros.
"""
from __future__ import annotations

import json
import math
from typing import Iterable

from ..stats import criteria_names, describe  # noqa: F401  (re-exported for the reports)
from .. import vocabulary as voc
from ..criteria import Criteria
from ..store import Store
from ..store.geopackage import METADATA_TABLE

LANGS = ("fr", "en")
NBSP = "\u00a0"


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


def text(table: dict, key: str, lang: str) -> str:
    """``table[key]`` is ``(fr, en)``: the text in ``lang``."""
    fr, en = table[key]
    return en if lang == "en" else fr


# --- the data's metadata ---------------------------------------------------------------------------------

def atlas_metadata(store: Store) -> dict:
    """The atlas's metadata table (``date_donnees``, ``synthetique``, ``notice_fr``/``notice_en``...), read
    through the store; ``{}`` when the database has none (e.g. a PostGIS load without it)."""
    try:
        rows = store.rows(f"SELECT cle, valeur FROM {METADATA_TABLE}")
    except Exception:  # noqa: BLE001 - no such table on this backend: no metadata
        return {}
    out = {}
    for key, value in rows:
        try:
            out[key] = json.loads(value)
        except (TypeError, ValueError):
            out[key] = value
    return out


_UNKNOWN_ORIGIN = {
    "fr": "Origine des données inconnue (la base ne porte pas de métadonnées) : elles peuvent être "
          "des données de démonstration SYNTHÉTIQUES.",
    "en": "Unknown origin of the data (the database carries no metadata): it may be SYNTHETIC demo data.",
}


def data_notice(meta: dict, lang: str = "fr") -> dict:
    """What a document says about its data: ``date`` (ISO text or ``None``), ``synthetique`` (bool or
    ``None`` when unknown) and ``avertissement`` (the notice to print, ``None`` for real data)."""
    synthetic = meta.get("synthetique")
    notice = None
    if synthetic is None:
        notice = _UNKNOWN_ORIGIN["en" if lang == "en" else "fr"]
    elif synthetic:
        notice = meta.get(f"notice_{'en' if lang == 'en' else 'fr'}") or meta.get("notice_fr") or (
            "SYNTHETIC demo data." if lang == "en" else "Données de démonstration SYNTHÉTIQUES.")
    return {"date": meta.get("date_donnees"), "synthetique": synthetic, "avertissement": notice}


def attributions(lang: str = "fr") -> list[str]:
    """The attribution lines of the reference geography (countries, French territories, places)."""
    from ..data.reference import attributions as reference_attributions
    return list(reference_attributions(lang))


SOFTWARE = {
    "fr": "Produit par CoopAtlas (logiciel libre GPL-3.0-or-later) à partir d'une recherche de l'atlas.",
    "en": "Made by CoopAtlas (free software, GPL-3.0-or-later) from a search of the atlas.",
}


# --- display names of the criteria's values -------------------------------------------------------------

#: criterion → (table, code column, name column)
def known_codes(store: Store, table: str, column: str) -> set[str]:
    """Every value of ``table.column`` (e.g. the country codes of ``pays``)."""
    return {str(r[0]) for r in store.rows(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IS NOT NULL")}


def type_label(code: str | None, lang: str = "fr") -> str:
    return voc.TYPES_ACTION.label(code, lang) or "–"
