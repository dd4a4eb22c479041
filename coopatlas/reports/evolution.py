"""The evolution of a search year by year, from a :func:`coopatlas.stats_series.series` result: the page
"Évolution" of the report of a search (:func:`evolution_section`), the PDF of the ``statistiques``
process's series (:func:`evolution_pdf`) and its CSV (:func:`series_csv`).

The CSV is one line per year (per year and group for a split series), comma-separated, UTF-8::

    groupe,libelle,annee,projets_lances,projets_actifs,projets_termines,collectivites_francaises_engagees,pays,apd
    _ensemble,Ensemble,2012,285,4720,152,2383,141,64884374.0

``groupe`` is ``_ensemble`` for the whole search, then the code of each group of a split series
(``_autres``: the groups not shown one by one); ``apd`` is in euros, empty for the groups of a split by a
dimension that APD declarations do not carry (theme, type of action). Column names are the same in both
languages; the labels follow ``lang``.
"""

from __future__ import annotations

import csv
import io

from reportlab.platypus import Paragraph, Spacer

from .. import charts
from ..documents import pdf
from ..documents.formats import euros, number, today
from ..documents.notices import sources_lines
from ..documents.texts import TEXTS as SHARED
from ..documents.texts import Texts
from ..stats_series import FIGURES
from . import sections

TEXTS = Texts(
    {
        "evolution": ("Évolution", "Evolution"),
        "document_title": (
            "Évolution de la coopération décentralisée",
            "Evolution of decentralised cooperation",
        ),
        "made_on": ("Série produite le {date}", "Series made on {date}"),
        "columns": (
            ("Année", "Lancés", "Actifs", "Terminés", "Collectivités", "Pays", "APD déclarée"),
            ("Year", "Started", "Active", "Ended", "Authorities", "Countries", "Declared ODA"),
        ),
        "how": (
            "Un projet est actif de son année de début à son année de fin incluses (sans fin : toujours "
            "actif). Collectivités : collectivités françaises ayant un projet actif dans l'année ; pays : "
            "pays ayant un projet actif dans l'année.",
            "A project is active from its start year to its end year, both included (with no end year: "
            "still active). Authorities: French authorities with a project active that year; countries: "
            "countries with a project active that year.",
        ),
        "no_year": (
            "{n} projet(s) sans année de début ne figure(nt) pas dans la série.",
            "{n} project(s) without a start year are not in the series.",
        ),
        "no_series": ("Aucun projet ni aucune APD à placer dans le temps.", "No project and no ODA to place in time."),
        "ensemble": ("Ensemble", "All"),
    },
    "evolution",
    fallback=SHARED,
)

#: Widths of the columns of the table of the years, as shares of the frame's width.
COLUMN_SHARES = (0.1, 0.12, 0.12, 0.12, 0.15, 0.1, 0.29)


def years_table(result: dict, lang: str, width: float):
    """The figures of each year of the series, then the totals of started and ended projects and of APD."""
    rows = [
        (
            str(r["annee"]),
            number(r["projets_lances"], lang),
            number(r["projets_actifs"], lang),
            number(r["projets_termines"], lang),
            number(r["collectivites_francaises_engagees"], lang),
            number(r["pays"], lang),
            euros(r["apd"], lang) if r["apd"] else "–",
        )
        for r in result["annees"]
    ]
    totals = result["totaux"]
    rows.append(
        (
            TEXTS("total", lang),
            number(totals["projets_lances"], lang),
            "",
            number(totals["projets_termines"], lang),
            "",
            "",
            euros(totals["apd"], lang),
        )
    )
    return pdf.data_table(
        TEXTS("columns", lang),
        rows,
        [width * share for share in COLUMN_SHARES],
        align_right=(1, 2, 3, 4, 5, 6),
        size=7.5,
        total_row=True,
    )


def evolution_section(result: dict, lang: str, width: float, st: dict, footnote: str | None = None) -> list:
    """The heading "Évolution", the chart of the series, how to read it and the table of the years."""
    story = [Paragraph(pdf.esc(TEXTS("evolution", lang)), st["h1"])]
    if not result["annees"]:
        return story + [Paragraph(pdf.esc(TEXTS("no_series", lang)), st["body"])]
    figure = charts.evolution(result, lang, footnote=footnote)
    story.append(pdf.figure_image(figure, width))
    story.append(Paragraph(pdf.esc(TEXTS("how", lang)), st["small"]))
    if result.get("projets_sans_annee"):
        story.append(Paragraph(pdf.esc(TEXTS("no_year", lang, n=result["projets_sans_annee"])), st["small"]))
    if result.get("apd_criteres_non_appliques"):
        names = ", ".join(result["apd_criteres_non_appliques"])
        story.append(Paragraph(pdf.esc(TEXTS("apd_skipped", lang, names=names)), st["small"]))
    story.append(Spacer(1, 4))
    story.append(years_table(result, lang, width))
    return story


def evolution_pdf(result: dict, lang: str, description: str, notice: dict) -> bytes:
    """The series of a search as a PDF: its chart, the table of its years, the sources."""
    st = pdf.styles()
    width = pdf.frame_width("portrait")
    title = TEXTS("document_title", lang)
    story = sections.head(title, description, notice, TEXTS("made_on", lang, date=today()), lang, st)
    story += evolution_section(result, lang, width, st)  # every page is marked SYNTHETIC
    story.append(Paragraph(pdf.esc(TEXTS("sources", lang)), st["h1"]))
    story += [Paragraph(pdf.esc(line), st["small"]) for line in sources_lines(notice, lang)]
    return pdf.build(
        story, title=f"{title} · {description}", lang=lang, synthetic=notice.get("synthetique"), subject=description
    )


def series_csv(result: dict, lang: str = "fr") -> str:
    """The series as CSV: one line per year, for the whole search then for each group."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["groupe", "libelle", "annee", *FIGURES])
    blocks = [("_ensemble", TEXTS("ensemble", lang), result["annees"])]
    blocks += [(g["code"], g["libelle"], g["annees"]) for g in result.get("groupes") or []]
    for code, label, years in blocks:
        for row in years:
            writer.writerow([code, label, row["annee"], *("" if row[f] is None else row[f] for f in FIGURES)])
    return out.getvalue()


__all__ = ["evolution_section", "evolution_pdf", "series_csv", "years_table"]
