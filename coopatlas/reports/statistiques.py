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
from . import pdf
from .common import SOFTWARE, attributions, euros, number, percent, text
from .tables import SPLITS, indicator_rows

T = {
    "title": ("Statistiques de la coopération décentralisée", "Statistics of decentralised cooperation"),
    "search": ("Recherche", "Search"),
    "data_date": ("Données au {date}", "Data as of {date}"),
    "made": ("Produit le {date}", "Made on {date}"),
    "summary": ("État de la coopération", "State of cooperation"),
    "types": ("Projets et demandes par type", "Projects and requests by type"),
    "apd": ("Aide publique au développement déclarée", "Declared official development aid"),
    "apd_none": ("Aucune APD déclarée pour ces critères.", "No declared ODA for these criteria."),
    "apd_skipped": ("Critères ne s'appliquant pas à l'APD (déclarée par collectivité, pays et année) : {names}.",
                    "Criteria that do not apply to ODA (declared per authority, country and year): {names}."),
    "top": ("Les collectivités territoriales menant le plus de projets",
            "The local authorities with the most projects"),
    "figure": ("Indicateur", "Indicator"),
    "value": ("Valeur", "Value"),
    "kind": ("Type", "Type"),
    "count": ("Nombre", "Count"),
    "share": ("Part", "Share"),
    "year": ("Année", "Year"),
    "amount": ("Montant", "Amount"),
    "total": ("Total", "Total"),
    "rank": ("Rang", "Rank"),
    "collectivity": ("Collectivité", "Authority"),
    "projects": ("Projets", "Projects"),
    "code": ("Code", "Code"),
    "label": ("Libellé", "Label"),
    "empty": ("Aucune donnée.", "No data."),
    "sources": ("Sources et attributions", "Sources and attributions"),
    "data_line": ("Données : {notice} Date des données : {date}.", "Data: {notice} Date of the data: {date}."),
    "real_data": ("données de l'atlas.", "data of the atlas."),
    "unknown": ("inconnue", "unknown"),
}

CHART_KINDS = {"repartition_continents": "continents", "repartition_thematiques": "thematiques",
               "repartition_pays": "pays"}


def _t(key: str, lang: str, **kw) -> str:
    return text(T, key, lang).format(**kw)


def statistics_pdf(stats: dict, lang: str = "fr", description: str | None = None, notice: dict | None = None,
                   title: str | None = None) -> bytes:
    """The PDF of a :func:`coopatlas.stats.statistics` result. ``description``: the search in words
    (default ``stats["description"]``); ``notice``: :func:`coopatlas.reports.common.data_notice`."""
    st = pdf.styles()
    width = pdf.frame_width("portrait")
    notice = notice or {"date": None, "synthetique": None, "avertissement": None}
    title = title or _t("title", lang)
    desc = description or stats.get("description") or ""
    sep = ": " if lang == "en" else " : "
    story = [Paragraph(pdf.esc(title), st["title"]),
             Paragraph(f"<b>{pdf.esc(_t('search', lang))}</b>{sep}{pdf.esc(desc)}", st["subtitle"]),
             Paragraph(pdf.esc(" · ".join(filter(None, [
                 _t("data_date", lang, date=notice["date"]) if notice.get("date") else None,
                 _t("made", lang, date=pdf.today(lang))]))), st["meta"])]
    story += pdf.notice(notice.get("avertissement"), st)

    # summary counts
    story.append(Paragraph(pdf.esc(_t("summary", lang)), st["h1"]))
    story.append(pdf.data_table([_t("figure", lang), _t("value", lang)],
                                [(label, number(v, lang)) for _c, label, v in indicator_rows(stats, lang)],
                                [width * 0.75, width * 0.25], align_right=(1,), size=8.5))

    # types
    story.append(Paragraph(pdf.esc(_t("types", lang)), st["h1"]))
    story.append(pdf.figure_image(charts.chart("types", stats, lang, size=(7.2, 1.7), titled=False), width))
    codes = (("cooperation_decentralisee", "projets_cooperation_decentralisee"),
             ("action_exterieure", "projets_actions_exterieures"),
             ("demande_cooperation", "demandes_cooperation"))
    total = sum(int(stats.get(k) or 0) for _c, k in codes)
    rows = [(voc.TYPES_ACTION.label(c, lang), number(stats.get(k) or 0, lang),
             percent(100.0 * (stats.get(k) or 0) / total if total else 0.0, lang)) for c, k in codes]
    rows.append((_t("total", lang), number(total, lang), percent(100.0 if total else 0.0, lang)))
    story.append(pdf.data_table([_t("kind", lang), _t("count", lang), _t("share", lang)], rows,
                                [width * 0.6, width * 0.2, width * 0.2], align_right=(1, 2), size=8.5,
                                total_row=True))

    # APD
    story.append(Paragraph(pdf.esc(_t("apd", lang)), st["h1"]))
    apd = stats.get("apd_par_annee") or []
    if apd:
        story.append(pdf.figure_image(charts.chart("apd", stats, lang, size=(7.2, 2.4), titled=False), width))
        rows = [(str(r["annee"]), euros(r["montant"], lang)) for r in apd]
        rows.append((_t("total", lang), euros(stats.get("apd_total"), lang)))
        story.append(pdf.data_table([_t("year", lang), _t("amount", lang)], rows, [width * 0.3, width * 0.3],
                                    align_right=(1,), size=8.5, total_row=True))
    else:
        story.append(Paragraph(pdf.esc(_t("apd_none", lang)), st["body"]))
    if stats.get("apd_criteres_non_appliques"):
        story.append(Paragraph(pdf.esc(_t("apd_skipped", lang, names=", ".join(stats["apd_criteres_non_appliques"]))),
                               st["small"]))

    # top collectivities
    story.append(Paragraph(pdf.esc(_t("top", lang)), st["h1"]))
    top = stats.get("top_collectivites") or []
    if top:
        fig = charts.chart("top", stats, lang, size=(7.2, 0.9 + 0.2 * min(len(top), 15)), titled=False)
        story.append(pdf.figure_image(fig, width))
        rows = [(str(r["rang"]), r["nom"], voc.TYPES_COLLECTIVITE.label(r["type_collectivite"], lang) or "–",
                 number(r["nb_projets"], lang)) for r in top]
        story.append(pdf.data_table([_t("rank", lang), _t("collectivity", lang), _t("kind", lang),
                                     _t("projects", lang)], rows,
                                    [width * 0.08, width * 0.52, width * 0.25, width * 0.15], align_right=(0, 3)))
    else:
        story.append(Paragraph(pdf.esc(_t("empty", lang)), st["body"]))

    # splits
    for key, fr, en in SPLITS:
        story.append(Paragraph(pdf.esc(en if lang == "en" else fr), st["h1"]))
        items = stats.get(key) or []
        if not items:
            story.append(Paragraph(pdf.esc(_t("empty", lang)), st["body"]))
            continue
        n = min(len(items), 13)
        fig = charts.chart(CHART_KINDS[key], stats, lang, size=(7.2, 0.8 + 0.22 * n), titled=False)
        story.append(pdf.figure_image(fig, width))
        rows = [(r["code"], r["libelle"], number(r["nombre"], lang), percent(r["pourcentage"], lang)) for r in items]
        rows.append(("", _t("total", lang), number(sum(r["nombre"] for r in items), lang),
                     percent(sum(r["pourcentage"] for r in items), lang)))
        story.append(pdf.data_table([_t("code", lang), _t("label", lang), _t("count", lang), _t("share", lang)],
                                    rows, [width * 0.22, width * 0.48, width * 0.15, width * 0.15],
                                    align_right=(2, 3), total_row=True))

    story.append(Paragraph(pdf.esc(_t("sources", lang)), st["h1"]))
    story.append(Paragraph(pdf.esc(_t("data_line", lang, notice=notice.get("avertissement") or _t("real_data", lang),
                                      date=notice.get("date") or _t("unknown", lang))), st["small"]))
    for line in attributions(lang) + [SOFTWARE["en" if lang == "en" else "fr"]]:
        story.append(Paragraph(pdf.esc(line), st["small"]))
    return pdf.build(story, title=f"{title} · {desc}", lang=lang, synthetic=notice.get("synthetique"), subject=desc)


__all__ = ["statistics_pdf"]
