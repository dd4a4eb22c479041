"""The parts that the PDF of a search (:mod:`.rapport`) and the statistics PDF (:mod:`.statistiques`)
share: the head of the document (title, search, dates, notice) and the tables of the summary counts,
of the declared APD per year and of the top collectivities."""

from __future__ import annotations

from reportlab.platypus import Paragraph, Table

from .. import vocabulary as voc
from ..documents import pdf
from ..documents.formats import euros, number
from ..documents.texts import TEXTS
from .tables import indicator_rows


def head(title: str, description: str, notice: dict, made: str, lang: str, st: dict) -> list:
    """The title, "Recherche : <the search in words>", the date of the data and ``made`` (when the
    document was made), then the SYNTHETIC-data notice (none for real data)."""
    separator = ": " if lang == "en" else " : "
    dates = [TEXTS("data_date", lang, date=notice["date"]) if notice.get("date") else None, made]
    story = [
        Paragraph(pdf.esc(title), st["title"]),
        Paragraph(f"<b>{pdf.esc(TEXTS('search', lang))}</b>{separator}{pdf.esc(description)}", st["subtitle"]),
        Paragraph(pdf.esc(" · ".join(filter(None, dates))), st["meta"]),
    ]
    return story + pdf.notice(notice.get("avertissement"), st)


def summary_table(stats: dict, lang: str, width: float, value_header: str, label_share: float) -> Table:
    """The Atlas's "Etat" panel: each count with its label (``label_share`` of ``width`` for the labels)."""
    rows = [(label, number(value, lang)) for _code, label, value in indicator_rows(stats, lang)]
    return pdf.data_table(
        [TEXTS("figure", lang), value_header],
        rows,
        [width * label_share, width * (1 - label_share)],
        align_right=(1,),
        size=8.5,
    )


def apd_table(stats: dict, lang: str, widths: tuple[float, float]) -> Table:
    """The declared APD per year (euros) and its total."""
    rows = [(str(r["annee"]), euros(r["montant"], lang)) for r in stats.get("apd_par_annee") or []]
    rows.append((TEXTS("total", lang), euros(stats.get("apd_total"), lang)))
    return pdf.data_table(
        [TEXTS("year", lang), TEXTS("amount", lang)], rows, widths, align_right=(1,), size=8.5, total_row=True
    )


def top_table(stats: dict, lang: str, width: float) -> Table:
    """The collectivities with the most projects: rank, name, type, projects."""
    rows = [
        (
            str(r["rang"]),
            r["nom"],
            voc.TYPES_COLLECTIVITE.label(r["type_collectivite"], lang) or "–",
            number(r["nb_projets"], lang),
        )
        for r in stats.get("top_collectivites") or []
    ]
    return pdf.data_table(
        [TEXTS("rank", lang), TEXTS("collectivity", lang), TEXTS("kind", lang), TEXTS("projects", lang)],
        rows,
        [width * 0.08, width * 0.52, width * 0.25, width * 0.15],
        align_right=(0, 3),
    )
