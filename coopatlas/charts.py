"""Charts of the atlas's statistics ("en chiffres et pourcentages"), from a
:func:`coopatlas.stats.statistics` result, and of its series per year (:func:`evolution`, from a
:func:`coopatlas.stats_series.series` result).

matplotlib's OBJECT-ORIENTED API only (:class:`matplotlib.figure.Figure`, rendered by its own canvas):
pyplot keeps global state and is not thread-safe inside a server. Each ``draw_*`` function draws one chart
on a given :class:`~matplotlib.axes.Axes`; :func:`chart` makes a figure of one chart, :func:`dashboard`
a figure of all of them; :func:`coopatlas.documents.figures.render` turns a figure into PNG, SVG or PDF
bytes.

Colours come from :mod:`coopatlas.vocabulary` (types of action, types of collectivity, the blue ramp).
Amounts are in euros (shown in millions).
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import vocabulary as voc
from .documents.formats import millions, number, percent
from .documents.texts import TEXTS as SHARED
from .documents.texts import Texts

# Identifiers inside SVG files derive from this salt instead of a random one: the same chart gives the
# same SVG (the only global matplotlib setting the charts touch).
matplotlib.rcParams["svg.hashsalt"] = "coopatlas"

#: The kinds of chart :func:`chart` draws.
KINDS = ("types", "apd", "top", "continents", "thematiques", "pays")

BAR = voc.PALETTE["choroplethe"][4]  # the blue of the ramp, for one-colour bars
OTHERS = "#9e9e9e"  # the "Autres" bar of a split
TEXT = "#222222"
GRID = "#dddddd"
FONT = "DejaVu Sans"

TEXTS = Texts(
    {
        "apd_chart": ("Aide publique au développement déclarée (M€)", "Declared official development aid (€M)"),
        "apd_axis": ("Millions d'euros (M€)", "Millions of euros (€M)"),
        "top_chart": ("Collectivités menant le plus de projets", "Authorities with the most projects"),
        "continents": ("Projets par continent", "Projects by continent"),
        "thematiques": ("Projets par thématique", "Projects by theme"),
        "pays": ("Projets par pays", "Projects by country"),
        "autres": ("Autres ({n})", "Others ({n})"),
        "vide": ("Aucune donnée", "No data"),
        "evolution_chart": ("Projets par année", "Projects per year"),
        "lances": ("Lancés", "Started"),
        "actifs": ("Actifs", "Active"),
        "termines": ("Terminés", "Ended"),
        "actifs_par": ("Projets actifs par année, par {dimension}", "Active projects per year, by {dimension}"),
    },
    "charts",
    fallback=SHARED,
)


def _wrap(label: str, width: int = 30) -> str:
    return "\n".join(textwrap.wrap(str(label), width, break_long_words=True)) or str(label)


def _style(ax, title: str | None) -> None:
    if title:
        ax.set_title(title, fontsize=10, loc="left", color=TEXT, fontweight="bold", fontfamily=FONT)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8, colors=TEXT)


def _empty(ax, title: str | None, lang: str) -> None:
    _style(ax, title)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ("left", "bottom"):
        ax.spines[side].set_visible(False)
    ax.text(
        0.5, 0.5, TEXTS("vide", lang), ha="center", va="center", fontsize=9, color="#777777", transform=ax.transAxes
    )


def _hbars(
    ax,
    labels: Sequence[str],
    values: Sequence[float],
    colors,
    annotations: Sequence[str],
    title: str | None,
    lang: str,
    wrap: int = 30,
) -> None:
    """Horizontal bars, the first on top, each annotated at its end."""
    _style(ax, title)
    n = len(values)
    ys = list(range(n))[::-1]
    ax.barh(ys, values, color=colors, height=0.7, edgecolor="none")
    ax.set_yticks(ys, [_wrap(lab, wrap) for lab in labels], fontsize=7.5)
    top = max(values) if values else 1
    ax.set_xlim(0, top * 1.35 or 1)
    for y, v, note in zip(ys, values, annotations):
        ax.text(v + top * 0.02, y, note, va="center", ha="left", fontsize=7, color=TEXT)
    ax.xaxis.set_major_locator(MaxNLocator(4, integer=True))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v, lang)))
    ax.grid(axis="x", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)
    ax.set_ylim(-0.6, n - 0.4)


def split_rows(items: Sequence[dict], max_items: int, lang: str) -> list[dict]:
    """The first ``max_items - 1`` rows of a split (``repartition_*``), the rest summed as "Autres"."""
    items = list(items)
    if len(items) <= max_items:
        return items
    head, rest = items[: max_items - 1], items[max_items - 1 :]
    return head + [
        {
            "code": "_autres",
            "libelle": TEXTS("autres", lang).format(n=len(rest)),
            "nombre": sum(r["nombre"] for r in rest),
            "pourcentage": round(sum(r["pourcentage"] for r in rest), 2),
        }
    ]


def draw_split(ax, items: Sequence[dict], title: str | None, lang: str = "fr", max_items: int = 10) -> None:
    """A split ``[{code, libelle, nombre, pourcentage}]`` as bars labelled "n (p %)"."""
    rows = split_rows(items, max_items, lang)
    if not rows:
        _empty(ax, title, lang)
        return
    colors = [OTHERS if r["code"] == "_autres" else BAR for r in rows]
    _hbars(
        ax,
        [r["libelle"] for r in rows],
        [r["nombre"] for r in rows],
        colors,
        [f"{number(r['nombre'], lang)} ({percent(r['pourcentage'], lang)})" for r in rows],
        title,
        lang,
    )


def draw_types(ax, stats: dict, lang: str = "fr") -> None:
    """Projects of decentralised cooperation, other external actions and cooperation requests, in the
    colours of their type."""
    codes = ("cooperation_decentralisee", "action_exterieure", "demande_cooperation")
    keys = ("projets_cooperation_decentralisee", "projets_actions_exterieures", "demandes_cooperation")
    values = [int(stats.get(k) or 0) for k in keys]
    total = sum(values)
    if not total:
        _empty(ax, TEXTS("types", lang), lang)
        return
    _hbars(
        ax,
        [voc.TYPES_ACTION.label(c, lang) for c in codes],
        values,
        [voc.COULEURS_TYPE_ACTION[c] for c in codes],
        [f"{number(v, lang)} ({percent(100.0 * v / total, lang)})" for v in values],
        TEXTS("types", lang),
        lang,
        26,
    )


def draw_apd(ax, apd_par_annee: Sequence[dict], lang: str = "fr") -> None:
    """Declared APD per year (oldest year on the left), in millions of euros."""
    title = TEXTS("apd_chart", lang)
    rows = sorted((r for r in apd_par_annee if r.get("montant") is not None), key=lambda r: r["annee"])
    if not rows:
        _empty(ax, title, lang)
        return
    _style(ax, title)
    years = [int(r["annee"]) for r in rows]
    values = [float(r["montant"]) / 1e6 for r in rows]
    ax.bar(years, values, color=BAR, width=0.7, edgecolor="none")
    top = max(values) or 1
    ax.set_ylim(0, top * 1.18)
    if len(rows) <= 12:
        for x, v, r in zip(years, values, rows):
            ax.text(x, v + top * 0.02, millions(r["montant"], lang), ha="center", va="bottom", fontsize=6.5, color=TEXT)
    ax.set_xticks(years, [str(y) for y in years], fontsize=7.5, rotation=0 if len(years) <= 8 else 45)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v, lang)))
    ax.set_ylabel(TEXTS("apd_axis", lang), fontsize=7.5, color=TEXT)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def draw_top(ax, top_collectivites: Sequence[dict], lang: str = "fr", max_items: int = 15) -> None:
    """The collectivities with the most projects, coloured by type of collectivity."""
    title = TEXTS("top_chart", lang)
    rows = list(top_collectivites)[:max_items]
    if not rows:
        _empty(ax, title, lang)
        return
    colors = [voc.PALETTE["type_collectivite"].get(r.get("type_collectivite"), "#7f7f7f") for r in rows]
    _hbars(
        ax,
        [f"{r['rang']}. {r['nom']}" for r in rows],
        [r["nb_projets"] for r in rows],
        colors,
        [number(r["nb_projets"], lang) for r in rows],
        title,
        lang,
        34,
    )
    present = list(dict.fromkeys(r.get("type_collectivite") for r in rows))
    handles = [_patch(voc.PALETTE["type_collectivite"].get(c, "#7f7f7f")) for c in present]
    ax.legend(
        handles,
        [voc.TYPES_COLLECTIVITE.label(c, lang) or "–" for c in present],
        fontsize=6.5,
        loc="lower right",
        frameon=False,
    )


def _patch(color):
    from matplotlib.patches import Patch

    return Patch(facecolor=color, edgecolor="none")


def draw(ax, kind: str, stats: dict, lang: str = "fr") -> None:
    """Draw the chart ``kind`` (one of :data:`KINDS`) of ``stats`` on ``ax``."""
    if kind == "types":
        draw_types(ax, stats, lang)
    elif kind == "apd":
        draw_apd(ax, stats.get("apd_par_annee") or [], lang)
    elif kind == "top":
        draw_top(ax, stats.get("top_collectivites") or [], lang)
    elif kind == "continents":
        draw_split(ax, stats.get("repartition_continents") or [], TEXTS("continents", lang), lang, 7)
    elif kind == "thematiques":
        draw_split(ax, stats.get("repartition_thematiques") or [], TEXTS("thematiques", lang), lang, 13)
    elif kind == "pays":
        draw_split(ax, stats.get("repartition_pays") or [], TEXTS("pays", lang), lang, 12)
    else:
        raise ValueError(f"unknown chart {kind!r}; known: {', '.join(KINDS)}")


#: Size of each chart alone, inches (width, height).
SIZES = {
    "types": (6.5, 1.9),
    "apd": (6.5, 2.6),
    "top": (6.5, 3.6),
    "continents": (6.5, 2.4),
    "thematiques": (6.5, 3.6),
    "pays": (6.5, 3.4),
}


def chart(
    kind: str, stats: dict, lang: str = "fr", size: tuple[float, float] | None = None, titled: bool = True
) -> Figure:
    """A figure holding the one chart ``kind`` of ``stats`` (without its title when ``titled`` is false,
    e.g. under a heading of a document)."""
    fig = Figure(figsize=size or SIZES[kind], layout="constrained")
    ax = fig.add_subplot()
    draw(ax, kind, stats, lang)
    if not titled:
        ax.set_title("", loc="left")
    return fig


def dashboard(stats: dict, lang: str = "fr", title: str | None = None) -> Figure:
    """Every chart of ``stats`` on one figure (A4-landscape-like, 16 × 11 inches), with ``title`` above."""
    fig = Figure(figsize=(16, 11), layout="constrained")
    if title:
        fig.suptitle(_wrap(title, 150), fontsize=13, fontweight="bold", color=TEXT, x=0.01, ha="left")
    grid = fig.add_gridspec(3, 2, height_ratios=[1.0, 1.5, 1.5])
    for (row, col), kind in zip(
        [(0, 0), (0, 1), (1, 0), (1, 1), (2, 0), (2, 1)], ("types", "apd", "top", "thematiques", "continents", "pays")
    ):
        draw(fig.add_subplot(grid[row, col]), kind, stats, lang)
    return fig


#: Colours of the series per year: active projects (an area), started and ended (lines).
EVOLUTION_COLORS = {"projets_actifs": BAR, "projets_lances": "#2ca25f", "projets_termines": "#de2d26"}
#: Colours of the groups of a split series when its dimension has none of its own (type of action and of
#: collectivity have theirs in the palette).
GROUP_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22")


def _years_axis(ax, years: Sequence[int], lang: str) -> None:
    ax.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    ax.xaxis.set_major_locator(MaxNLocator(12, integer=True))
    ax.yaxis.set_major_locator(MaxNLocator(5, integer=True))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v, lang)))
    ax.set_ylim(bottom=0)
    ax.grid(axis="y", color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def draw_evolution(ax, annees: Sequence[dict], lang: str = "fr", title: str | None = None) -> None:
    """Projects active per year (an area), started and ended per year (lines)."""
    if not annees:
        _empty(ax, title, lang)
        return
    _style(ax, title)
    years = [r["annee"] for r in annees]
    active = [r["projets_actifs"] for r in annees]
    ax.fill_between(years, active, color=EVOLUTION_COLORS["projets_actifs"], alpha=0.25, linewidth=0)
    ax.plot(years, active, color=EVOLUTION_COLORS["projets_actifs"], linewidth=1.6, label=TEXTS("actifs", lang))
    for key, text in (("projets_lances", "lances"), ("projets_termines", "termines")):
        values = [r[key] for r in annees]
        ax.plot(years, values, color=EVOLUTION_COLORS[key], linewidth=1.2, label=TEXTS(text, lang))
    _years_axis(ax, years, lang)
    ax.legend(fontsize=7, loc="upper left", frameon=False)


def _group_color(dimension: str | None, code: str, index: int) -> str:
    if code == "_autres":
        return OTHERS
    own = voc.PALETTE.get(dimension) if dimension in ("type_action", "type_collectivite") else None
    return (own or {}).get(code) or GROUP_COLORS[index % len(GROUP_COLORS)]


def _chart_groups(groups: Sequence[dict], max_lines: int, lang: str) -> list[dict]:
    """The first ``max_lines - 1`` groups, the others (``_autres`` included) summed as one line: active
    projects add up across groups, each project being in one group."""
    groups = list(groups)
    if len(groups) <= max_lines:
        return groups
    head, rest = groups[: max_lines - 1], groups[max_lines - 1 :]
    merged = rest[-1]["libelle"] if rest[-1]["code"] == "_autres" else TEXTS("autres", lang).format(n=len(rest))
    years = [
        {"annee": row["annee"], "projets_actifs": sum(g["annees"][i]["projets_actifs"] for g in rest)}
        for i, row in enumerate(rest[0]["annees"])
    ]
    return head + [{"code": "_autres", "libelle": merged, "annees": years}]


def draw_evolution_groups(ax, result: dict, lang: str = "fr", title: str | None = None, max_lines: int = 10) -> None:
    """Projects active per year in each group of a split series (one line per group, at most
    ``max_lines``)."""
    groups = _chart_groups(result.get("groupes") or [], max_lines, lang)
    if not groups or not groups[0]["annees"]:
        _empty(ax, title, lang)
        return
    _style(ax, title)
    years = [r["annee"] for r in groups[0]["annees"]]
    for index, group in enumerate(groups):
        ax.plot(
            years,
            [r["projets_actifs"] for r in group["annees"]],
            color=_group_color(result.get("par"), group["code"], index),
            linewidth=1.3,
            label=_wrap(group["libelle"], 28),
        )
    _years_axis(ax, years, lang)
    ax.legend(fontsize=6.5, loc="upper left", frameon=False, ncol=2 if len(groups) > 6 else 1)


def evolution(
    result: dict, lang: str = "fr", title: str | None = None, footnote: str | None = None, titled: bool = True
) -> Figure:
    """The chart of a series per year: projects started, active and ended, then (a split series) the
    active projects of each group. ``title`` above, ``footnote`` (the SYNTHETIC-data notice) below."""
    split = result.get("par") is not None
    fig = Figure(figsize=(7.2, 5.6 if split else 3.0), layout="constrained")
    if title:
        fig.suptitle(_wrap(title, 110), fontsize=10, fontweight="bold", color=TEXT, x=0.01, ha="left")
    axes = fig.subplots(2 if split else 1, 1, squeeze=False)[:, 0]
    draw_evolution(axes[0], result.get("annees") or [], lang, TEXTS("evolution_chart", lang) if titled else None)
    if split:
        dimension = result.get("par_libelle") or result["par"]
        draw_evolution_groups(axes[1], result, lang, TEXTS("actifs_par", lang, dimension=dimension.lower()))
    if footnote:
        fig.supxlabel(footnote, fontsize=7, color="#b30000", fontweight="bold", x=0.01, ha="left")
    return fig
