"""The PDF report of any search ("Exporter les résultats en PDF").

Portrait pages: title, the criteria in words, the date of the data, the SYNTHETIC-data notice (demo
data), the Atlas's summary counts, the map of the results coloured by type of action, the declared APD
per year, the top collectivities, the charts of the splits and the page "Évolution" (projects started,
active and ended per year, :mod:`.evolution`). Landscape pages: the list of the projects
as the Atlas shows it (Collectivité, Partenaire, Projet, Type, Thématique, Statut, Convention /
Lancement), grouped by country, then the matching cooperation requests of the Bourse projets. Last: the
sources and attributions. Every page is numbered and, on demo data, marked SYNTHETIC.

A search with no result gives a one-page report saying so. The list holds at most :data:`MAX_LIST_ROWS`
projects (the whole demo atlas, 13,468 projects, fits); beyond, the report says how many are left out.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import TYPE_CHECKING

from reportlab.lib import colors
from reportlab.platypus import KeepTogether, NextPageTemplate, PageBreak, Paragraph, Spacer, Table, TableStyle

from .. import charts
from .. import vocabulary as voc
from ..criteria import Criteria
from ..documents import pdf
from ..documents.formats import number, today
from ..documents.notices import atlas_metadata, data_notice, sources_lines
from ..documents.texts import TEXTS as SHARED
from ..documents.texts import Texts
from ..stats import criteria_names, statistics
from ..stats_series import series
from ..store import Store
from ..text import normalise
from . import sections
from .evolution import evolution_section

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SPLIT_KEYS = {
    "continents": "repartition_continents",
    "thematiques": "repartition_thematiques",
    "pays": "repartition_pays",
}
#: Most projects listed in one report.
MAX_LIST_ROWS = 30_000
#: Most rows of one table of the list: a country's projects make one table (its title and column names
#: repeated at the top of each page) unless longer; splitting a table across pages costs its length, so
#: very long tables are cut in chunks.
CHUNK = 1000
LIST_FONT = 7.0

TEXTS = Texts(
    {
        "title": ("Coopération décentralisée : résultats de la recherche", "Decentralised cooperation: search results"),
        "made": ("Rapport produit le {date}", "Report made on {date}"),
        "empty": (
            "Aucun projet ni aucune demande de coopération ne correspond à cette recherche.",
            "No project and no cooperation request matches this search.",
        ),
        "empty_hint": (
            "Élargissez la recherche (moins de critères, d'autres mots clés) ou vérifiez les codes des critères.",
            "Widen the search (fewer criteria, other keywords) or check the codes of the criteria.",
        ),
        "map": ("Carte des résultats", "Map of the results"),
        "dem_skipped": (
            "Les demandes de coopération ne portent pas les critères « {names} » : elles ne sont pas comptées.",
            'Cooperation requests do not carry the criteria "{names}": they are not counted.',
        ),
        "charts": ("En chiffres et pourcentages", "In figures and percentages"),
        "list": ("Liste des projets ({n})", "List of the projects ({n})"),
        "list_cut": (
            "La liste est limitée aux {max} premiers projets : {left} projets ne sont pas listés "
            "(exportez-les en CSV depuis le service d'entités).",
            "The list is limited to the first {max} projects: {left} projects are not listed (export "
            "them as CSV from the features service).",
        ),
        "country_head": ("{pays} · {n} projet(s)", "{pays} · {n} project(s)"),
        "requests": (
            "Demandes de coopération de la Bourse projets ({n})",
            "Cooperation requests of the Bourse projets ({n})",
        ),
        "criteria_line": ("Critères de la recherche : {desc}.", "Search criteria: {desc}."),
    },
    "rapport",
    fallback=SHARED,
)

#: ``results_map(store, criteria, lang, size=(width, height) inches)``: the figure of the map of the results
#: (:func:`coopatlas.cartography.overview.results_map`, given by the caller: the reports do not draw maps).
ResultsMap = Callable[..., "Figure"]

LIST_COLUMNS = {
    "fr": ("Collectivité", "Partenaire", "Projet", "Type", "Thématique", "Statut", "Convention / Lancement"),
    "en": ("French authority", "Partner", "Project", "Type", "Theme", "Status", "Agreement / Start"),
}
#: Widths of the list's columns, points (landscape A4 frame: 756 pt).
LIST_WIDTHS = (120, 110, 214, 100, 110, 44, 58)

REQUEST_COLUMNS = {
    "fr": ("Autorité locale demandeuse", "Pays", "Projet", "Thématique", "Statut", "Validée le"),
    "en": ("Requesting authority", "Country", "Project", "Theme", "Status", "Validated on"),
}
REQUEST_WIDTHS = (140, 90, 250, 130, 80, 66)


def _project_rows(store: Store, criteria: Criteria, limit: int, country_names: dict[str, str]):
    """The listed projects, in the order of the list: by country, French collectivity, partner, start year,
    title, names compared without accents or case (Égypte with the E's)."""
    where, params = criteria.where_in(store, "projets")
    rows = store.rows(
        "SELECT pays_code, pays_nom, collectivite_nom, partenaire_nom, titre, type_action, thematique, statut, "
        f"annee_convention, annee_lancement, id FROM projets WHERE {where} "
        f"ORDER BY pays_nom, pays_code, collectivite_nom, partenaire_nom, titre, id LIMIT {int(limit)}",
        params,
    )
    return sorted(
        rows,
        key=lambda r: (
            normalise(country_names.get(r[0]) or r[1]),
            r[0] or "",
            normalise(r[2]),
            normalise(r[3]),
            r[9] or 0,
            normalise(r[4]),
            r[10],
        ),
    )


def _request_rows(store: Store, criteria: Criteria):
    if criteria.not_applicable("demandes") or criteria.excludes("demandes"):
        return []
    where, params = criteria.where_in(store, "demandes")
    rows = store.rows(
        "SELECT demandeur_nom, pays_nom, titre, thematique, statut_validation, date_validation FROM demandes "
        f"WHERE {where} ORDER BY pays_nom, demandeur_nom, titre, id",
        params,
    )
    return sorted(rows, key=lambda r: (normalise(r[1]), normalise(r[0]), normalise(r[2])))


def _country_names(store: Store, lang: str) -> dict[str, str]:
    if lang != "en":
        return {}
    return {code: name for code, name in store.rows("SELECT pays_code, nom_en FROM pays")}


def _list_tables(rows, lang: str, country_names: dict[str, str]) -> list:
    """The project list: per country, a table (of at most :data:`CHUNK` rows) whose first two rows
    (country, column names) repeat on every page."""
    out = []
    widths = LIST_WIDTHS
    pad = 3
    header = [pdf.wrap_cell(h, w - 2 * pad, LIST_FONT, pdf.FONT_BOLD) for h, w in zip(LIST_COLUMNS[lang], widths)]
    wrap = pdf.wrap_cell
    for (code, pays), group in itertools.groupby(rows, key=lambda r: (r[0], r[1])):
        group = list(group)
        name = country_names.get(code) or pays or code or "–"
        title_row = [TEXTS("country_head", lang, pays=name, n=number(len(group), lang))] + [""] * 6
        for start in range(0, len(group), CHUNK):
            cells = [title_row, header]
            types = []
            for _c, _p, coll, part, titre, type_action, them, statut, conv, lanc, _id in group[start : start + CHUNK]:
                types.append(type_action)
                cells.append(
                    [
                        wrap(coll, widths[0] - 2 * pad, LIST_FONT),
                        wrap(part, widths[1] - 2 * pad, LIST_FONT),
                        wrap(titre, widths[2] - 2 * pad, LIST_FONT),
                        wrap(voc.TYPES_ACTION.label(type_action, lang), widths[3] - 2 * pad, LIST_FONT),
                        wrap(voc.THEMATIQUES.label(them, lang), widths[4] - 2 * pad, LIST_FONT),
                        wrap(voc.STATUTS.label(statut, lang) or "–", widths[5] - 2 * pad, LIST_FONT),
                        f"{conv or '–'} / {lanc or '–'}",
                    ]
                )
            cmds = [
                ("FONT", (0, 0), (-1, -1), pdf.FONT, LIST_FONT, LIST_FONT * 1.2),
                ("FONT", (0, 0), (-1, 1), pdf.FONT_BOLD, LIST_FONT, LIST_FONT * 1.2),
                ("SPAN", (0, 0), (-1, 0)),
                ("FONTSIZE", (0, 0), (-1, 0), 8.5),
                ("LEADING", (0, 0), (-1, 0), 11),
                ("BACKGROUND", (0, 1), (-1, 1), pdf.HEAD_BG),
                ("LINEBELOW", (0, 1), (-1, 1), 0.6, pdf.RULE),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), pad),
                ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                ("TOPPADDING", (0, 0), (-1, 0), 6),
                ("ROWBACKGROUNDS", (0, 2), (-1, -1), [colors.white, pdf.ZEBRA]),
            ]
            for i, t in enumerate(types):
                color = voc.COULEURS_TYPE_ACTION.get(t)
                if color:
                    cmds.append(("LINEBEFORE", (0, i + 2), (0, i + 2), 3, colors.HexColor(color)))
            out.append(Table(cells, colWidths=list(widths), repeatRows=2, style=TableStyle(cmds), hAlign="LEFT"))
    return out


def _sources(st: dict, notice: dict, desc: str, lang: str) -> list:
    story = [Paragraph(pdf.esc(TEXTS("sources", lang)), st["h1"])]
    for line in sources_lines(notice, lang):
        story.append(Paragraph(pdf.esc(line), st["small"]))
    story.append(Paragraph(pdf.esc(TEXTS("criteria_line", lang, desc=desc)), st["small"]))
    return story


def report_story(
    store: Store,
    criteria: Criteria | None = None,
    title: str | None = None,
    lang: str = "fr",
    max_rows: int = MAX_LIST_ROWS,
    results_map: ResultsMap | None = None,
) -> tuple[list, dict]:
    """The flowables of the report and ``{"title", "synthetic", "stats", "listed", "description"}``; the
    map of the results drawn by ``results_map`` (none without it)."""
    criteria = criteria or Criteria()
    st = pdf.styles()
    stats = statistics(store, criteria, top=10, lang=lang)
    desc = criteria.describe(lang, criteria_names(store, criteria, lang))
    meta = atlas_metadata(store)
    notice = data_notice(meta, lang)
    title = title or TEXTS("title", lang)
    story = sections.head(title, desc, notice, TEXTS("made", lang, date=today()), lang, st)
    info = {"title": title, "synthetic": notice["synthetique"], "stats": stats, "listed": 0, "description": desc}
    n_projects = stats["total_projets"]
    n_requests = stats["demandes_cooperation"]

    if n_projects == 0 and n_requests == 0:
        story += [
            Paragraph(pdf.esc(TEXTS("empty", lang)), st["empty"]),
            Paragraph(pdf.esc(TEXTS("empty_hint", lang)), st["body"]),
            Spacer(1, 18),
        ]
        story += _sources(st, notice, desc, lang)
        return story, info

    width = pdf.frame_width("portrait")
    # summary counts: the Atlas's "Etat" panel
    story.append(Paragraph(pdf.esc(TEXTS("summary", lang)), st["h1"]))
    story.append(sections.summary_table(stats, lang, width, TEXTS("count", lang), 0.7))
    if stats.get("demandes_criteres_non_appliques"):
        story.append(
            Paragraph(
                pdf.esc(TEXTS("dem_skipped", lang, names=", ".join(stats["demandes_criteres_non_appliques"]))),
                st["small"],
            )
        )

    # map
    if results_map is not None:
        story.append(Paragraph(pdf.esc(TEXTS("map", lang)), st["h1"]))
        story.append(pdf.figure_image(results_map(store, criteria, lang, size=(7.2, 3.9)), width, dpi=200))

    # APD: the heading, the table and the chart on one page
    apd_section = [Paragraph(pdf.esc(TEXTS("apd", lang)), st["h1"])]
    apd = stats["apd_par_annee"]
    if apd:
        apd_section.append(sections.apd_table(stats, lang, (width * 0.25, width * 0.3)))
    else:
        apd_section.append(Paragraph(pdf.esc(TEXTS("apd_none", lang)), st["body"]))
    if stats.get("apd_criteres_non_appliques"):
        apd_section.append(
            Paragraph(
                pdf.esc(TEXTS("apd_skipped", lang, names=", ".join(stats["apd_criteres_non_appliques"]))), st["small"]
            )
        )
    if apd:
        apd_section.append(Spacer(1, 4))
        apd_section.append(pdf.figure_image(charts.chart("apd", stats, lang, size=(7.2, 2.4), titled=False), width))
    story.append(KeepTogether(apd_section))

    # top collectivities
    if stats["top_collectivites"]:
        story.append(Paragraph(pdf.esc(TEXTS("top", lang)), st["h1"]))
        story.append(sections.top_table(stats, lang, width))

    # charts
    story.append(Paragraph(pdf.esc(TEXTS("charts", lang)), st["h1"]))
    for kind, size in (
        ("types", (7.2, 1.7)),
        ("continents", (7.2, 2.2)),
        ("thematiques", (7.2, 3.4)),
        ("pays", (7.2, 3.2)),
    ):
        if kind != "types" and len(stats.get(SPLIT_KEYS[kind]) or []) < 2:
            continue  # one continent or one country: a chart of one bar says nothing
        story.append(pdf.figure_image(charts.chart(kind, stats, lang, size=size), width))
        story.append(Spacer(1, 6))

    # the evolution per year, from its own page
    story += [PageBreak(), *evolution_section(series(store, criteria, lang=lang), lang, width, st)]

    # the list, landscape
    story += [NextPageTemplate("landscape"), PageBreak()]
    if n_projects:
        story.append(Paragraph(pdf.esc(TEXTS("list", lang, n=number(n_projects, lang))), st["h1"]))
        if n_projects > max_rows:
            story.append(
                Paragraph(
                    pdf.esc(
                        TEXTS("list_cut", lang, max=number(max_rows, lang), left=number(n_projects - max_rows, lang))
                    ),
                    st["small"],
                )
            )
        names = _country_names(store, lang)
        rows = _project_rows(store, criteria, max_rows, names)
        info["listed"] = len(rows)
        story += _list_tables(rows, lang, names)
    requests = _request_rows(store, criteria)
    if requests:
        story.append(Paragraph(pdf.esc(TEXTS("requests", lang, n=number(len(requests), lang))), st["h1"]))
        rows = [
            (
                dn,
                pn,
                ti,
                voc.THEMATIQUES.label(th, lang),
                voc.STATUTS_VALIDATION.label(sv, lang),
                dv.isoformat() if hasattr(dv, "isoformat") else dv,
            )
            for dn, pn, ti, th, sv, dv in requests
        ]
        story.append(pdf.data_table(REQUEST_COLUMNS[lang], rows, REQUEST_WIDTHS, size=LIST_FONT))
    story.append(Spacer(1, 12))
    story += _sources(st, notice, desc, lang)
    return story, info


def report_pdf(
    store: Store,
    criteria: Criteria | None = None,
    title: str | None = None,
    lang: str = "fr",
    max_rows: int = MAX_LIST_ROWS,
    results_map: ResultsMap | None = None,
    progress=None,
) -> bytes:
    """The PDF report (bytes) of the search ``criteria`` (everything when empty), titled ``title``, with
    the map of the results drawn by ``results_map`` (see :data:`ResultsMap`); ``progress(fraction,
    message)``, if given, is told how far it is."""
    say = progress or (lambda fraction, message: None)
    say(0.0, "Lecture de l'atlas / reading the atlas")
    story, info = report_story(store, criteria, title, lang, max_rows, results_map)
    say(0.25, "Mise en page / layout")
    return pdf.build(
        story,
        title=info["title"],
        lang=lang,
        synthetic=info["synthetic"],
        subject=info["description"],
        progress=lambda done: say(0.25 + 0.75 * done, "Mise en page / layout"),
    )


__all__ = ["report_pdf", "report_story", "MAX_LIST_ROWS"]
