"""The text blocks of a map page, measured before the page is laid out: the title and subtitle, and the
credits (the SYNTHETIC-data notice on demo data, the date of the data, the sources, the projection);
:func:`layout_for` chooses the page layout that fits them."""

from __future__ import annotations

from ..documents.formats import long_date
from ..documents.notices import attributions, data_notice
from .canvas import PT
from .labels import wrap_text
from .layout import TYPOGRAPHY, PageLayout, Typography, choose_layout
from .model import CountryMap
from .texts import TEXTS


def title_lines(model: CountryMap, width: float, typo: Typography) -> tuple[list[str], list[str]]:
    """The lines of the title (at most 2) and of the subtitle (at most 3) in ``width`` mm."""
    t = wrap_text(model.title, width, typo.title, "bold", max_lines=2)
    s = wrap_text(model.subtitle, width, typo.subtitle, max_lines=3)
    return t, s


def title_height(model: CountryMap, width: float, typo: Typography) -> float:
    t, s = title_lines(model, width, typo)
    return len(t) * typo.title * PT * 1.18 + len(s) * typo.subtitle * PT * 1.3 + 2.0


def credit_lines(model: CountryMap) -> list[tuple[str, str]]:
    """The credits of the map: ``[(text, style)]`` with style ``notice`` or ``normal``."""
    lang = model.lang
    out = []
    meta = model.meta or {}
    notice = data_notice(meta, lang)["avertissement"]
    if notice:
        out.append((notice, "notice"))
    made = long_date(model.generated.isoformat(), lang)
    data_date = long_date(meta.get("date_donnees"), lang)
    out.append(
        (
            TEXTS("made_with_data_date", lang, d=data_date, g=made)
            if data_date
            else TEXTS("made_without_data_date", lang, g=made),
            "normal",
        )
    )
    out.append(
        (
            TEXTS(
                "sources_line",
                lang,
                s=(" ; " if lang != "en" else "; ").join(a.rstrip(".") for a in attributions(lang)),
            ),
            "normal",
        )
    )
    out.append((TEXTS("projection", lang, p=model.proj.describe(lang)), "normal"))
    if model.world.admin1(model.country.code) and model.options.labels:
        out.append((TEXTS("admin1_note", lang), "normal"))  # also when none fits: no boundary is drawn either
    if model.split.omitted:
        out.append((TEXTS("omitted", lang, n=len(model.split.omitted)), "normal"))
    if model.split.outside_points:
        out.append((TEXTS("outside", lang, n=len(model.split.outside_points)), "normal"))
    return out


def credits_wrapped(model: CountryMap, width: float, typo: Typography) -> list[tuple[str, str]]:
    """The credits as lines of ``width`` mm: ``[(line, style)]``."""
    lines = []
    for text, style in credit_lines(model):
        weight = "bold" if style == "notice" else "normal"
        for ln in wrap_text(text, width, typo.credits, weight):
            lines.append((ln, style))
    return lines


def credits_height(model: CountryMap, width: float, typo: Typography) -> float:
    return len(credits_wrapped(model, width, typo)) * typo.credits * PT * 1.3 + 1.0


def layout_for(model: CountryMap) -> PageLayout:
    """The page layout of a model: its orientation (``auto``: from the country's shape) and panel side."""
    o = model.options
    typo = TYPOGRAPHY[o.paper]
    b = model.bounds
    w, h = max(b[2] - b[0], 20_000.0), max(b[3] - b[1], 20_000.0)
    return choose_layout(
        o.paper,
        None if o.orientation == "auto" else o.orientation,
        w,
        h,
        lambda width: title_height(model, width, typo),
        lambda width: credits_height(model, width, typo),
    )
