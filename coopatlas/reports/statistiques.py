"""The statistics of a search as a PDF: each chart of :mod:`coopatlas.charts` followed by the table of its
data (the Atlas's graphs "en chiffres et pourcentages" with their data).

Sections: the summary counts ("Etat"), projects and requests by type, declared APD per year (euros), the
top collectivities, the splits by continent, theme and country (every country in the table). Then the
sources, the date of the data and, on demo data, the SYNTHETIC notice.
"""

from __future__ import annotations

from reportlab.platypus import Paragraph

from .. import charts
from .. import vocabulary as voc
from ..documents import pdf
from ..documents.formats import number, percent, today
from ..documents.notices import sources_lines
from ..documents.texts import TEXTS as SHARED
from ..documents.texts import Texts
from . import sections
from .tables import SPLITS
from .tables import TEXTS as TABLE_TEXTS

TEXTS = Texts(
    {
        "title": ("Statistiques de la coopération décentralisée", "Statistics of decentralised cooperation"),
        "made": ("Produit le {date}", "Made on {date}"),
        "value": ("Valeur", "Value"),
        "share": ("Part", "Share"),
        "code": ("Code", "Code"),
        "label": ("Libellé", "Label"),
        "empty": ("Aucune donnée.", "No data."),
    },
    "statistiques",
    fallback=SHARED,
)

CHART_KINDS = {
    "repartition_continents": "continents",
    "repartition_thematiques": "thematiques",
    "repartition_pays": "pays",
}


def statistics_pdf(
    stats: dict, lang: str = "fr", description: str | None = None, notice: dict | None = None, title: str | None = None
) -> bytes:
    """The PDF of a :func:`coopatlas.stats.statistics` result. ``description``: the search in words
    (default ``stats["description"]``); ``notice``: :func:`coopatlas.documents.notices.data_notice`."""
    st = pdf.styles()
    width = pdf.frame_width("portrait")
    notice = notice or {"date": None, "synthetique": None, "avertissement": None}
    title = title or TEXTS("title", lang)
    desc = description or stats.get("description") or ""
    story = sections.head(title, desc, notice, TEXTS("made", lang, date=today()), lang, st)

    # summary counts
    story.append(Paragraph(pdf.esc(TEXTS("summary", lang)), st["h1"]))
    story.append(sections.summary_table(stats, lang, width, TEXTS("value", lang), 0.75))

    # types
    story.append(Paragraph(pdf.esc(TEXTS("types", lang)), st["h1"]))
    story.append(pdf.figure_image(charts.chart("types", stats, lang, size=(7.2, 1.7), titled=False), width))
    codes = (
        ("cooperation_decentralisee", "projets_cooperation_decentralisee"),
        ("action_exterieure", "projets_actions_exterieures"),
        ("demande_cooperation", "demandes_cooperation"),
    )
    total = sum(int(stats.get(k) or 0) for _c, k in codes)
    rows = [
        (
            voc.TYPES_ACTION.label(c, lang),
            number(stats.get(k) or 0, lang),
            percent(100.0 * (stats.get(k) or 0) / total if total else 0.0, lang),
        )
        for c, k in codes
    ]
    rows.append((TEXTS("total", lang), number(total, lang), percent(100.0 if total else 0.0, lang)))
    story.append(
        pdf.data_table(
            [TEXTS("kind", lang), TEXTS("count", lang), TEXTS("share", lang)],
            rows,
            [width * 0.6, width * 0.2, width * 0.2],
            align_right=(1, 2),
            size=8.5,
            total_row=True,
        )
    )

    # APD
    story.append(Paragraph(pdf.esc(TEXTS("apd", lang)), st["h1"]))
    apd = stats.get("apd_par_annee") or []
    if apd:
        story.append(pdf.figure_image(charts.chart("apd", stats, lang, size=(7.2, 2.4), titled=False), width))
        story.append(sections.apd_table(stats, lang, (width * 0.3, width * 0.3)))
    else:
        story.append(Paragraph(pdf.esc(TEXTS("apd_none", lang)), st["body"]))
    if stats.get("apd_criteres_non_appliques"):
        names = ", ".join(stats["apd_criteres_non_appliques"])
        story.append(Paragraph(pdf.esc(TEXTS("apd_skipped", lang, names=names)), st["small"]))

    # top collectivities
    story.append(Paragraph(pdf.esc(TEXTS("top", lang)), st["h1"]))
    top = stats.get("top_collectivites") or []
    if top:
        fig = charts.chart("top", stats, lang, size=(7.2, 0.9 + 0.2 * min(len(top), 15)), titled=False)
        story.append(pdf.figure_image(fig, width))
        story.append(sections.top_table(stats, lang, width))
    else:
        story.append(Paragraph(pdf.esc(TEXTS("empty", lang)), st["body"]))

    # splits
    for key in SPLITS:
        story.append(Paragraph(pdf.esc(TABLE_TEXTS(key, lang)), st["h1"]))
        items = stats.get(key) or []
        if not items:
            story.append(Paragraph(pdf.esc(TEXTS("empty", lang)), st["body"]))
            continue
        n = min(len(items), 13)
        fig = charts.chart(CHART_KINDS[key], stats, lang, size=(7.2, 0.8 + 0.22 * n), titled=False)
        story.append(pdf.figure_image(fig, width))
        rows = [(r["code"], r["libelle"], number(r["nombre"], lang), percent(r["pourcentage"], lang)) for r in items]
        rows.append(
            (
                "",
                TEXTS("total", lang),
                number(sum(r["nombre"] for r in items), lang),
                percent(sum(r["pourcentage"] for r in items), lang),
            )
        )
        header = [TEXTS("code", lang), TEXTS("label", lang), TEXTS("count", lang), TEXTS("share", lang)]
        story.append(
            pdf.data_table(
                header,
                rows,
                [width * 0.22, width * 0.48, width * 0.15, width * 0.15],
                align_right=(2, 3),
                total_row=True,
            )
        )

    story.append(Paragraph(pdf.esc(TEXTS("sources", lang)), st["h1"]))
    for line in sources_lines(notice, lang):
        story.append(Paragraph(pdf.esc(line), st["small"]))
    return pdf.build(story, title=f"{title} · {desc}", lang=lang, synthetic=notice.get("synthetique"), subject=desc)


__all__ = ["statistics_pdf"]
