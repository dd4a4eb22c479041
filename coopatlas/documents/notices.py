"""What a document says about its data: the date of the data, the SYNTHETIC-data notice on demo data
(both from the atlas's metadata table), and the attributions of the reference geography."""

from __future__ import annotations

import json

from ..store import Store
from ..store.geopackage import METADATA_TABLE
from ..store.table_versions import missing_table
from .texts import TEXTS


def atlas_metadata(store: Store) -> dict:
    """The atlas's metadata table (``date_donnees``, ``synthetique``, ``notice_fr``/``notice_en``...), read
    through the store; ``{}`` when the database has none (e.g. a PostGIS load without it). Any other error
    (a database that cannot answer) is raised: a document must not call demo data "of unknown origin"
    because PostgreSQL was restarting."""
    try:
        rows = store.rows(f"SELECT cle, valeur FROM {METADATA_TABLE}")
    except Exception as exc:
        if not missing_table(exc):
            raise
        return {}
    out = {}
    for key, value in rows:
        try:
            out[key] = json.loads(value)
        except (TypeError, ValueError):
            out[key] = value
    return out


def data_notice(meta: dict, lang: str = "fr") -> dict:
    """What a document says about its data: ``date`` (ISO text or ``None``), ``synthetique`` (bool or
    ``None`` when unknown) and ``avertissement`` (the notice to print, ``None`` for real data)."""
    synthetic = meta.get("synthetique")
    notice = None
    if synthetic is None:
        notice = TEXTS("unknown_origin", lang)
    elif synthetic:
        notice = (
            meta.get(f"notice_{'en' if lang == 'en' else 'fr'}")
            or meta.get("notice_fr")
            or TEXTS("synthetic_data", lang)
        )
    return {"date": meta.get("date_donnees"), "synthetique": synthetic, "avertissement": notice}


def attributions(lang: str = "fr") -> list[str]:
    """The attribution lines of the reference geography (countries, French territories, places)."""
    from ..data.reference import attributions as reference_attributions  # geopandas: loaded when needed

    return list(reference_attributions(lang))


def sources_lines(notice: dict, lang: str = "fr") -> list[str]:
    """The lines of a report's "Sources et attributions": the data (its notice and date), the attributions
    of the geography, the software."""
    data = TEXTS(
        "data_line",
        lang,
        notice=notice.get("avertissement") or TEXTS("real_data", lang),
        date=notice.get("date") or TEXTS("unknown", lang),
    )
    return [data] + attributions(lang) + [TEXTS("software", lang)]
