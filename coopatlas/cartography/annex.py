"""The annex of a country map in PDF: the complete table of the partnerships, on portrait pages of the
map's paper, with reportlab (the PDF kit of the atlas's documents, :mod:`coopatlas.reports.pdf`: DejaVu
Sans embedded as TrueType subsets, so the text stays text).

matplotlib writes each character of a Type 42 text separately: a table of thousands of words takes
seconds there, a few hundredths of a second here. The map page (matplotlib) and these pages are joined
by :func:`coopatlas.cartography.export.merge_pdfs`. Lengths are PostScript points (1/72 inch).
"""
from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph, Spacer

from ..reports import pdf as kit
from .data import CountryData

_T = {
    "title": ("{country} : partenariats (annexe de la carte)", "{country}: partnerships (annex of the map)"),
    "cols": (("Collectivité partenaire", "Collectivités françaises (nombre de projets)", "CD", "AE", "Dem.",
              "Thématiques"),
             ("Partner authority", "French authorities (number of projects)", "DC", "EA", "Req.", "Themes")),
    "key": ("CD : projets de coopération décentralisée ; AE : autres actions extérieures ; Dem. : demandes de "
            "coopération (Bourse projets) de la collectivité partenaire.",
            "DC: decentralised cooperation projects; EA: other external actions; Req.: cooperation requests "
            "(Bourse projets) of the partner authority."),
    "page": ("Page {n} / {total}", "Page {n} / {total}"),
    "synthetic": ("DONNÉES SYNTHÉTIQUES DE DÉMONSTRATION", "SYNTHETIC DEMO DATA"),
}


def _t(key, lang):
    fr, en = _T[key]
    return en if lang == "en" else fr


def rows_of(data: CountryData, lang: str) -> list[list[str]]:
    """The table's rows: partner, French collectivities with their projects, CD, AE, requests, themes."""
    out = []
    for r in data.rows:
        coll = ", ".join(f"{name} ({n})" for name, n in r.collectivites) or "—"
        out.append([r.partner, coll, str(r.counts.get("cooperation_decentralisee", 0) or ""),
                    str(r.counts.get("action_exterieure", 0) or ""), str(r.requests or ""), ", ".join(r.themes)])
    return out


def annex_pdf(data: CountryData, *, country: str, subtitle: str, notice: str | None, synthetic: bool | None,
              pagesize: tuple[float, float], first_page: int, total_pages: int | None = None,
              lang: str = "fr", footer: str = "") -> tuple[bytes, int]:
    """The annex pages (``pagesize`` in points, portrait) numbered from ``first_page`` out of
    ``total_pages`` (``None``: ``first_page - 1`` + the annex's own pages). Returns the PDF and its page
    count."""
    kit.register_fonts()
    st = kit.styles()
    W, H = pagesize
    margin = 12 * mm
    bottom = 16 * mm
    buf = io.BytesIO()
    doc = BaseDocTemplate(buf, pagesize=pagesize, leftMargin=margin, rightMargin=margin, topMargin=margin,
                          bottomMargin=bottom, title=_t("title", lang).format(country=country),
                          author="CoopAtlas", creator="CoopAtlas (reportlab)",
                          initialFontName=kit.FONT, initialFontSize=7)  # no non-embedded Helvetica
    frame = Frame(margin, bottom, W - 2 * margin, H - margin - bottom, leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="annexe", frames=[frame])])
    width = W - 2 * margin
    fr = [0.21, 0.41, 0.05, 0.05, 0.05, 0.23]
    widths = [width * f for f in fr]
    story = [Paragraph(kit.esc(_t("title", lang).format(country=country)), st["h1"]),
             Paragraph(kit.esc(subtitle), st["small"]), Spacer(1, 4)]
    story += kit.notice(notice, st)
    story.append(kit.data_table(_t("cols", lang), rows_of(data, lang), widths, align_right=(2, 3, 4), size=6.5))
    story += [Spacer(1, 4), Paragraph(kit.esc(_t("key", lang)), st["small"])]
    count = {"pages": 0}

    class Numbered(kit.DeferredPagesCanvas):
        def decorate(self, index: int, n: int) -> None:
            count["pages"] = n
            total = total_pages if total_pages is not None else first_page - 1 + n
            self.saveState()
            self.setFont(kit.FONT, 7)
            self.setFillColor(kit.MUTED)
            self.drawRightString(W - margin, 8 * mm, _t("page", lang).format(n=first_page + index, total=total))
            if footer:
                self.drawString(margin, 8 * mm, footer[:150])
            if synthetic is not False:
                self.setFont(kit.FONT_BOLD, 7)
                self.setFillColor(kit.ALERT)
                self.drawRightString(W - margin, H - margin + 4 * mm, _t("synthetic", lang))
            self.restoreState()

    doc.build(story, canvasmaker=Numbered)
    return buf.getvalue(), count["pages"]
