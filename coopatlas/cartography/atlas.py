"""Atlas mode: the country maps of a whole continent, or of the world, as one multi-page PDF.

One page per country with matching projects or requests (in alphabetical order of its name), each the
map page of :mod:`.countrymap` with its main partnerships (the complete table of a country is in its own
``carte-pays`` PDF), after contents pages listing the countries with their counts and page numbers.
Long: run it as an asynchronous job; ``progress(fraction, message)`` is called after each page.

The map pages are written by one PDF writer (:class:`.export.PdfBook`: fonts embedded once for all
pages); the lock on the vector settings (:func:`.export.vector_settings`) is taken page by page, so that
a long atlas does not hold up the other maps of the server.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from .. import vocabulary as voc
from ..documents import pdf as kit
from ..documents.notices import atlas_metadata, data_notice
from ..documents.texts import TEXTS as SHARED
from ..documents.texts import Texts
from ..stats import describe
from ..store import Store
from ..text import normalise
from . import export
from .countrymap import build_country_map, map_figure
from .data import countries_with_data, country_data
from .geography import World
from .geography import world as load_world
from .layout import page_size
from .options import MapOptions
from .textblocks import layout_for

Progress = Callable[[float, str], None]

TEXTS = Texts(
    {
        "title": ("Atlas de la coopération décentralisée : {scope}", "Atlas of decentralised cooperation: {scope}"),
        "world": ("Monde", "World"),
        "contents": ("Sommaire", "Contents"),
        "cols": (("Pays", "Projets", "Demandes", "Page"), ("Country", "Projects", "Requests", "Page")),
        "none": (
            "Aucun pays n'a de projet ni de demande pour ces critères.",
            "No country has projects or requests for these criteria.",
        ),
        "all": (
            "Tous les projets et les demandes de coopération publiques.",
            "All projects and public cooperation requests.",
        ),
    },
    "atlas",
)


@dataclass
class AtlasInfo:
    """What an atlas holds: its countries (ISO codes, in page order) and its number of pages."""

    countries: list[str]
    pages: int
    contents_pages: int


def atlas_countries(store: Store, options: MapOptions, world: World | None = None) -> list[tuple[str, int]]:
    """``[(country code, matching projects and requests)]`` of the atlas of ``options.atlas``
    (``monde`` or a continent code), in alphabetical order of the names in ``options.lang``."""
    world = world or load_world()
    counts = countries_with_data(store, options.criteria, options.period)
    members = {c.code: c for c in world.in_continent(options.atlas)}
    chosen = [(code, n) for code, n in counts.items() if code in members and n > 0]
    chosen.sort(key=lambda cn: normalise(members[cn[0]].name(options.lang)))
    return chosen


def _contents_pdf(
    rows: list[list[str]],
    *,
    title: str,
    subtitle: str,
    notice: str | None,
    synthetic: bool | None,
    lang: str,
    pagesize,
    total_pages: int | None,
) -> tuple[bytes, int]:
    """The contents pages of an atlas (``rows``: country, projects, requests, page) and their number."""
    st = kit.styles()
    margin = 14 * mm
    width = pagesize[0] - 2 * margin
    story = [Paragraph(kit.esc(title), st["title"]), Paragraph(kit.esc(subtitle), st["subtitle"])]
    story += kit.notice(notice, st)
    story += [Spacer(1, 6), Paragraph(kit.esc(TEXTS("contents", lang)), st["h1"])]
    if rows:
        story.append(
            kit.data_table(
                TEXTS("cols", lang),
                rows,
                [width * 0.55, width * 0.15, width * 0.15, width * 0.15],
                align_right=(1, 2, 3),
                size=8,
            )
        )
    else:
        story.append(Paragraph(kit.esc(TEXTS("none", lang)), st["empty"]))
    marks = kit.PageMarks.of_map_pages(lang, synthetic, margin, total_pages=total_pages)
    pdf = kit.build_on_paper(story, pagesize=pagesize, margin=margin, bottom=16 * mm, title=title, marks=marks)
    return pdf, marks.pages


def render_atlas(
    store: Store, options: MapOptions, world: World | None = None, progress: Progress | None = None
) -> tuple[bytes, AtlasInfo]:
    """The atlas of ``options.atlas`` as one PDF (contents, then one map page per country)."""
    world = world or load_world()
    lang = options.lang
    say = progress or (lambda fraction, message: None)
    chosen = atlas_countries(store, options, world)
    scope = TEXTS("world", lang) if options.atlas == "monde" else voc.CONTINENTS.label(options.atlas, lang)
    title = options.title or TEXTS("title", lang, scope=scope)
    crit = options.criteria.merge(pays=())
    subtitle = options.subtitle or (describe(store, crit, lang) if not crit.is_empty() else TEXTS("all", lang))
    meta = atlas_metadata(store)
    notice = data_notice(meta, lang)
    w, h = page_size(options.paper, "portrait")
    contents_args = dict(
        title=title,
        subtitle=subtitle,
        notice=notice["avertissement"],
        synthetic=notice["synthetique"],
        lang=lang,
        pagesize=(w * mm, h * mm),
    )
    # the contents, once to count its pages, then with the page numbers
    _, n_contents = _contents_pdf(
        [[world.countries[c].name(lang), "", "", ""] for c, _ in chosen], total_pages=None, **contents_args
    )
    total = n_contents + len(chosen)
    say(0.02, f"{len(chosen)} pays" if lang != "en" else f"{len(chosen)} countries")
    rows, pages = [], []
    buf = io.BytesIO()
    pdf = export.PdfBook(buf, {"Title": title, "Subject": subtitle, "Creator": "CoopAtlas (GPL-3.0-or-later)"})
    try:
        for i, (code, _) in enumerate(chosen):
            country = world.countries[code]
            opts = replace(options, country=country, atlas=None, title=None, subtitle=subtitle)
            data = country_data(store, options.criteria, code, lang, options.period)
            model = build_country_map(store, opts, world, data=data, meta=meta)
            page_no = n_contents + i + 1
            fig, _info = map_figure(
                model, layout_for(model), page_label=SHARED("page", lang, n=page_no, total=total), in_atlas=True
            )
            pdf.add(fig)
            fig.clear()
            rows.append(
                [
                    country.name(lang),
                    str(data.n_projects),
                    str(data.totals.get("demande_cooperation", 0)) if data.requests_shown else "—",
                    str(page_no),
                ]
            )
            pages.append(code)
            say(0.03 + 0.92 * (i + 1) / max(len(chosen), 1), f"{country.name(lang)} ({i + 1}/{len(chosen)})")
    finally:
        pdf.close()
    contents, n2 = _contents_pdf(rows, total_pages=total, **contents_args)
    if n2 != n_contents:  # page numbers changed the contents' length (never with these widths): redo once
        total = n2 + len(chosen)
        contents, n2 = _contents_pdf(rows, total_pages=total, **contents_args)
    parts = [contents] + ([buf.getvalue()] if chosen else [])
    out = export.merge_pdfs(
        parts,
        {
            "Title": title,
            "Subject": subtitle + (f" — {notice['avertissement']}" if notice["avertissement"] else ""),
            "Creator": "CoopAtlas (GPL-3.0-or-later)",
        },
    )
    say(1.0, "PDF")
    return out, AtlasInfo(pages, n2 + len(chosen), n2)
