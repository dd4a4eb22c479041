"""The annex of a country map in PDF: the complete table of the partnerships, on portrait pages of the
map's paper, with reportlab (the PDF kit of the atlas's documents, :mod:`coopatlas.documents.pdf`: DejaVu
Sans embedded as TrueType subsets, so the text stays text).

matplotlib writes each character of a Type 42 text separately: a table of thousands of words takes
seconds there, a few hundredths of a second here. The map page (matplotlib) and these pages are joined
by :func:`coopatlas.cartography.export.merge_pdfs`. Lengths are PostScript points (1/72 inch).
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from ..documents import pdf as kit
from ..documents.texts import Texts
from .data import CountryData

TEXTS = Texts(
    {
        "title": ("{country} : partenariats (annexe de la carte)", "{country}: partnerships (annex of the map)"),
        "cols": (
            (
                "Collectivité partenaire",
                "Collectivités françaises (nombre de projets)",
                "CD",
                "AE",
                "Dem.",
                "Thématiques",
            ),
            ("Partner authority", "French authorities (number of projects)", "DC", "EA", "Req.", "Themes"),
        ),
        "key": (
            "CD : projets de coopération décentralisée ; AE : autres actions extérieures ; Dem. : demandes de "
            "coopération (Bourse projets) de la collectivité partenaire.",
            "DC: decentralised cooperation projects; EA: other external actions; Req.: cooperation requests "
            "(Bourse projets) of the partner authority.",
        ),
    },
    "annex",
)


def rows_of(data: CountryData, lang: str) -> list[list[str]]:
    """The table's rows: partner, French collectivities with their projects, CD, AE, requests, themes."""
    out = []
    for r in data.rows:
        coll = ", ".join(f"{name} ({n})" for name, n in r.collectivites) or "—"
        out.append(
            [
                r.partner,
                coll,
                str(r.counts.get("cooperation_decentralisee", 0) or ""),
                str(r.counts.get("action_exterieure", 0) or ""),
                str(r.requests or ""),
                ", ".join(r.themes),
            ]
        )
    return out


def annex_pdf(
    data: CountryData,
    *,
    country: str,
    subtitle: str,
    notice: str | None,
    synthetic: bool | None,
    pagesize: tuple[float, float],
    first_page: int,
    total_pages: int | None = None,
    lang: str = "fr",
    footer: str = "",
) -> tuple[bytes, int]:
    """The annex pages (``pagesize`` in points, portrait) numbered from ``first_page`` out of
    ``total_pages`` (``None``: ``first_page - 1`` + the annex's own pages). Returns the PDF and its page
    count."""
    st = kit.styles()
    page_width, _page_height = pagesize
    margin = 12 * mm
    width = page_width - 2 * margin
    widths = [width * share for share in (0.21, 0.41, 0.05, 0.05, 0.05, 0.23)]
    title = TEXTS("title", lang, country=country)
    story = [Paragraph(kit.esc(title), st["h1"]), Paragraph(kit.esc(subtitle), st["small"]), Spacer(1, 4)]
    story += kit.notice(notice, st)
    story.append(kit.data_table(TEXTS("cols", lang), rows_of(data, lang), widths, align_right=(2, 3, 4), size=6.5))
    story += [Spacer(1, 4), Paragraph(kit.esc(TEXTS("key", lang)), st["small"])]
    marks = kit.PageMarks.of_map_pages(
        lang, synthetic, margin, footer=footer, first_page=first_page, total_pages=total_pages
    )
    pdf = kit.build_on_paper(story, pagesize=pagesize, margin=margin, bottom=16 * mm, title=title, marks=marks)
    return pdf, marks.pages
