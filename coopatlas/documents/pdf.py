"""The PDF layout kit of the atlas's documents (reportlab platypus): fonts, styles, page templates with
page numbers and the SYNTHETIC-data mark (:class:`PageMarks`), images of figures, data tables. The
reports and the pages of the country maps written with reportlab (annex, atlas contents) use it.

Fonts: DejaVu Sans, the TrueType fonts shipped with matplotlib (every Latin, Greek and Cyrillic letter of
the partners' names; the PDF embeds the subset it uses). Page sizes: A4 portrait, and A4 landscape for
long lists. Lengths are in PostScript points (1/72 inch).
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape as xml_escape

import matplotlib
from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.lib.utils import ImageReader, simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from .figures import render
from .texts import TEXTS

FONT, FONT_BOLD, FONT_ITALIC = "CoopAtlasSans", "CoopAtlasSans-Bold", "CoopAtlasSans-Oblique"
PORTRAIT = A4
LANDSCAPE = landscape(A4)
MARGIN = 1.5 * cm
BOTTOM = 1.7 * cm

INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
ZEBRA = colors.HexColor("#f4f6f9")
HEAD_BG = colors.HexColor("#e3e9f2")
ALERT = colors.HexColor("#b00020")
ALERT_BG = colors.HexColor("#fdecee")

_fonts_lock = threading.Lock()
_fonts_done = False


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold, oblique) with reportlab, once per process."""
    global _fonts_done
    if _fonts_done:
        return
    with _fonts_lock:
        if _fonts_done:
            return
        folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
        pdfmetrics.registerFont(TTFont(FONT, os.path.join(folder, "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, os.path.join(folder, "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFont(TTFont(FONT_ITALIC, os.path.join(folder, "DejaVuSans-Oblique.ttf")))
        pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD)
        _fonts_done = True


def styles() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the documents."""
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9, leading=12, textColor=INK, alignment=TA_LEFT)
    return {
        "title": ParagraphStyle("title", parent=base, fontName=FONT_BOLD, fontSize=17, leading=21, spaceAfter=4),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10.5, leading=14, spaceAfter=4),
        "h1": ParagraphStyle(
            "h1",
            parent=base,
            fontName=FONT_BOLD,
            fontSize=12.5,
            leading=16,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=3, keepWithNext=1
        ),
        "body": base,
        "small": ParagraphStyle("small", parent=base, fontSize=7.5, leading=9.5, textColor=MUTED),
        "meta": ParagraphStyle("meta", parent=base, fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=6),
        "notice": ParagraphStyle(
            "notice",
            parent=base,
            fontSize=8.5,
            leading=11,
            textColor=ALERT,
            backColor=ALERT_BG,
            borderColor=ALERT,
            borderWidth=0.6,
            borderPadding=5,
            spaceBefore=6,
            spaceAfter=10,
        ),
        "empty": ParagraphStyle(
            "empty", parent=base, fontName=FONT_BOLD, fontSize=12, leading=16, spaceBefore=24, spaceAfter=12
        ),
    }


def esc(value) -> str:
    """Text escaped for a Paragraph (which reads a little XML)."""
    return xml_escape("" if value is None else str(value))


class DeferredPagesCanvas(Canvas):
    """A canvas that keeps its pages until the document is saved, so that what is drawn on each page
    ("page n / total", the synthetic-data mark) can know the number of pages. Subclasses draw it in
    :meth:`decorate`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages = []

    def showPage(self):  # noqa: N802 - reportlab API
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for index, state in enumerate(self._pages):
            self.__dict__.update(state)
            self.decorate(index, total)
            Canvas.showPage(self)
        Canvas.save(self)

    def decorate(self, index: int, total: int) -> None:
        """Draw on page ``index`` (from 0) of ``total``."""
        raise NotImplementedError


@dataclass
class PageMarks:
    """What is drawn on every page of a document once its number of pages is known: "Page n / total" at
    the bottom right, ``footer`` at the bottom left (cut with "…" to fit), and the SYNTHETIC-data mark at
    the top right unless ``synthetic`` is False (True, or None when unknown). Lengths in points.

    ``first_page``/``total_pages`` number pages that are part of a longer file (a map's annex after the
    map page); ``total_pages`` None: ``first_page - 1`` + the document's own pages. After the build,
    ``pages`` holds the document's own number of pages.
    """

    lang: str = "fr"
    synthetic: bool | None = False
    footer: str = ""
    margin: float = MARGIN  # left and right
    baseline: float = BOTTOM - 0.75 * cm  # of the footer, from the bottom of the page
    mark_below_top: float = MARGIN - 10  # baseline of the SYNTHETIC mark, from the top of the page
    rule: bool = True  # a rule above the footer
    first_page: int = 1
    total_pages: int | None = None
    pages: int = 0

    @classmethod
    def of_map_pages(
        cls,
        lang: str,
        synthetic: bool | None,
        margin: float,
        *,
        footer: str = "",
        first_page: int = 1,
        total_pages: int | None = None,
    ) -> PageMarks:
        """The marks of the pages that go with the country maps (annex, atlas contents): no rule, the page
        number 8 mm from the bottom, the SYNTHETIC mark 4 mm above the top margin."""
        return cls(
            lang,
            synthetic,
            footer,
            margin=margin,
            baseline=8 * mm,
            mark_below_top=margin - 4 * mm,
            rule=False,
            first_page=first_page,
            total_pages=total_pages,
        )

    def canvasmaker(self) -> type[Canvas]:
        """The canvas class of ``doc.build(story, canvasmaker=...)`` that draws these marks."""
        register_fonts()
        marks = self

        class MarkedCanvas(DeferredPagesCanvas):
            def decorate(self, index: int, total: int) -> None:
                marks.pages = total
                marks.draw(self, index, total)

        return MarkedCanvas

    def draw(self, canvas: Canvas, index: int, own_pages: int) -> None:
        """Draw the marks of page ``index`` (from 0) of a document of ``own_pages`` pages."""
        width, height = canvas._pagesize
        total = self.total_pages if self.total_pages is not None else self.first_page - 1 + own_pages
        canvas.saveState()
        canvas.setFillColor(MUTED)
        if self.rule:
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.4)
            canvas.line(self.margin, self.baseline + 9, width - self.margin, self.baseline + 9)
        page = TEXTS("page", self.lang, n=self.first_page + index, total=total)
        canvas.setFont(FONT, 7)
        canvas.drawRightString(width - self.margin, self.baseline, page)
        if self.footer:
            room = width - 2 * self.margin - pdfmetrics.stringWidth(page, FONT, 7) - 12
            canvas.drawString(self.margin, self.baseline, fit_text(self.footer, room, FONT, 7))
        if self.synthetic is not False:
            canvas.setFont(FONT_BOLD, 7)
            canvas.setFillColor(ALERT)
            canvas.drawRightString(
                width - self.margin, height - self.mark_below_top, TEXTS("synthetic_mark", self.lang)
            )
        canvas.restoreState()


def fit_text(text: str, room: float, font: str = FONT, size: float = 7) -> str:
    """``text``, cut and ended with "…" when it is wider than ``room`` points."""
    if pdfmetrics.stringWidth(text, font, size) <= room:
        return text
    while text and pdfmetrics.stringWidth(text + "…", font, size) > room:
        text = text[:-1]
    return text.rstrip() + "…"


def build(
    story: list,
    *,
    title: str,
    lang: str = "fr",
    synthetic: bool | None = False,
    subject: str = "",
    footer: str | None = None,
    progress=None,
) -> bytes:
    """The PDF of ``story`` (flowables). Two page templates: ``portrait`` (first) and ``landscape`` (switch
    with ``NextPageTemplate("landscape")`` + ``PageBreak()``). ``synthetic`` (True, or None when unknown)
    marks every page. ``progress(fraction)``, if given, is called after each flowable laid out."""
    register_fonts()
    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=PORTRAIT,
        title=title,
        author="CoopAtlas",
        subject=subject,
        creator="CoopAtlas (reportlab)",
        lang=lang,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=MARGIN,
        bottomMargin=BOTTOM,
    )
    templates = []
    for name, size in (("portrait", PORTRAIT), ("landscape", LANDSCAPE)):
        w, h = size
        frame = Frame(
            MARGIN,
            BOTTOM,
            w - 2 * MARGIN,
            h - MARGIN - BOTTOM,
            id=f"{name}-frame",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        templates.append(PageTemplate(id=name, frames=[frame], pagesize=size))
    doc.addPageTemplates(templates)
    if progress is not None:  # reportlab consumes the story as it lays it out
        total = max(1, len(story))
        doc.afterFlowable = lambda flowable: progress(max(0.0, 1 - len(story) / total))
    marks = PageMarks(lang, synthetic, footer or f"CoopAtlas · {title}")
    doc.build(story, canvasmaker=marks.canvasmaker())
    return buf.getvalue()


def build_on_paper(
    story: list, *, pagesize: tuple[float, float], margin: float, bottom: float, title: str, marks: PageMarks
) -> bytes:
    """The PDF of ``story`` on pages of ``pagesize`` (one frame within ``margin``, ``bottom`` below), every
    page marked by ``marks`` (whose ``pages`` then holds the number of pages): the pages of a country
    map written with reportlab."""
    register_fonts()
    buf = io.BytesIO()
    width, height = pagesize
    doc = BaseDocTemplate(
        buf,
        pagesize=pagesize,
        leftMargin=margin,
        rightMargin=margin,
        topMargin=margin,
        bottomMargin=bottom,
        title=title,
        author="CoopAtlas",
        creator="CoopAtlas (reportlab)",
        initialFontName=FONT,
        initialFontSize=7,
    )  # no non-embedded Helvetica
    frame = Frame(
        margin,
        bottom,
        width - 2 * margin,
        height - margin - bottom,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.build(story, canvasmaker=marks.canvasmaker())
    return buf.getvalue()


def frame_width(orientation: str = "portrait") -> float:
    """Width of the text frame, points."""
    size = PORTRAIT if orientation == "portrait" else LANDSCAPE
    return size[0] - 2 * MARGIN


def figure_image(fig, width: float, dpi: int = 200) -> Image:
    """A matplotlib figure as a PNG image flowable ``width`` points wide (aspect kept)."""
    png = render(fig, "png", dpi)
    return png_image(png, width)


def png_image(png: bytes, width: float) -> Image:
    reader = ImageReader(io.BytesIO(png))
    iw, ih = reader.getSize()
    img = Image(io.BytesIO(png), width=width, height=width * ih / iw)
    img.hAlign = "LEFT"
    return img


def wrap_cell(value, width: float, size: float = 7.0, font: str = FONT) -> str:
    """Text pre-wrapped to ``width`` points (lines joined by newlines): much faster than a Paragraph per
    cell in tables of thousands of rows."""
    if value is None or value == "":
        return ""
    register_fonts()
    return "\n".join(simpleSplit(str(value), font, size, width))


def data_table(
    header: Sequence[str],
    rows: Sequence[Sequence],
    widths: Sequence[float],
    *,
    align_right: Sequence[int] = (),
    size: float = 8.0,
    zebra: bool = True,
    total_row: bool = False,
    wrap: bool = True,
) -> Table:
    """A table of data with a header row (repeated on every page), numbers right-aligned (columns
    ``align_right``), light zebra rows and, with ``total_row``, the last row in bold."""
    register_fonts()
    pad = 3
    cells = [[wrap_cell(h, w - 2 * pad, size, FONT_BOLD) if wrap else h for h, w in zip(header, widths)]]
    for row in rows:
        cells.append(
            [
                wrap_cell(v, w - 2 * pad, size) if wrap and i not in align_right else ("" if v is None else str(v))
                for i, (v, w) in enumerate(zip(row, widths))
            ]
        )
    cmds = [
        ("FONT", (0, 0), (-1, -1), FONT, size, size * 1.2),
        ("FONT", (0, 0), (-1, 0), FONT_BOLD, size, size * 1.2),
        ("TEXTCOLOR", (0, 0), (-1, -1), INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_BG),
        ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.4, RULE),
        ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
    ]
    for i in align_right:
        cmds.append(("ALIGN", (i, 0), (i, -1), "RIGHT"))
    if zebra and len(cells) > 2:
        cmds.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    if total_row and len(cells) > 1:
        cmds.append(("FONT", (0, -1), (-1, -1), FONT_BOLD, size, size * 1.2))
        cmds.append(("LINEABOVE", (0, -1), (-1, -1), 0.6, RULE))
    table = Table(cells, colWidths=list(widths), repeatRows=1, style=TableStyle(cmds), hAlign="LEFT")
    return table


def notice(textline: str | None, st: dict) -> list:
    """The SYNTHETIC-data notice as a framed paragraph (nothing for real data)."""
    return [Paragraph(esc(textline), st["notice"])] if textline else []


__all__ = [
    "build",
    "build_on_paper",
    "PageMarks",
    "styles",
    "esc",
    "data_table",
    "figure_image",
    "png_image",
    "wrap_cell",
    "notice",
    "frame_width",
    "register_fonts",
    "Spacer",
    "Paragraph",
    "KeepTogether",
    "FONT",
    "FONT_BOLD",
]
