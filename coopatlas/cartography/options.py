"""The inputs of a country map (process ``carte-pays``), validated: every bad value raises
:class:`InputError` naming the input (a :class:`~coopatlas.criteria.CriteriaError`, so callers answer
400 for both), never a server error, and no input is silently ignored.

Inputs (all optional but ``country`` or ``atlas``):

- ``country``: ISO 3166-1 alpha-2 or alpha-3 code, or the French (or English) name, accent- and
  case-insensitive;
- ``atlas``: ``monde`` or a continent code (``afrique``, ``ameriques``, ``asie``, ``europe``,
  ``oceanie``): every country of it with matching projects, one page each, as one PDF (an
  asynchronous job); exclusive with ``country``;
- the search criteria of :data:`coopatlas.criteria.SPECS` (``type_action``, ``thematique``, ``statut``,
  ``annee_min``...), except ``pays`` (the country is ``country``);
- ``format``: ``pdf`` (default), ``svg``, ``png``, ``geotiff``; ``paper``: ``A4`` (default) or ``A3``;
  ``orientation``: ``portrait``, ``landscape`` or ``auto`` (default: from the country's shape);
  ``dpi``: 72 to 600 for ``png`` and ``geotiff`` (default 150; refused for vector formats);
  ``lang``: ``fr`` (default) or ``en``; ``title`` (≤ 120 characters) and ``subtitle`` (≤ 300) replace the
  default title and the criteria in words; ``labels``: ``true`` (default) or ``false``;
- ``datetime``: the period mapped, a year or an interval of years (``2000/2010``, ``../2010``), the
  syntax of OGC API's ``datetime`` restricted to years (:mod:`.period`): only the projects and requests
  active then are drawn;
- ``dates``: 2 to 6 years or intervals: a small multiple, the same country at each date on one page
  (``pdf``, ``svg`` or ``png``); exclusive with ``datetime`` and ``atlas``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import vocabulary as voc
from ..criteria import SPECS, Criteria, CriteriaError
from .geography import Country, UnknownCountry, World
from .period import MapPeriod, parse_dates, parse_period

FORMATS = {"pdf": "application/pdf", "svg": "image/svg+xml", "png": "image/png", "geotiff": "image/tiff"}
EXTENSIONS = {"pdf": "pdf", "svg": "svg", "png": "png", "geotiff": "tif"}
PAPERS = ("A4", "A3")
ORIENTATIONS = ("auto", "portrait", "landscape")
LANGS = ("fr", "en")
DPI_MIN, DPI_MAX, DPI_DEFAULT = 72, 600, 150
TITLE_MAX, SUBTITLE_MAX = 120, 300
ATLAS_SCOPES = ("monde", *(c.code for c in voc.CONTINENTS if c.code != "antarctique"))
OPTION_NAMES = (
    "country",
    "atlas",
    "datetime",
    "dates",
    "format",
    "paper",
    "orientation",
    "dpi",
    "lang",
    "title",
    "subtitle",
    "labels",
)


class InputError(CriteriaError):
    """A bad input of a map: ``param`` names it (HTTP 400)."""


@dataclass(frozen=True)
class MapOptions:
    """A validated map request."""

    country: Country | None
    criteria: Criteria
    format: str = "pdf"
    paper: str = "A4"
    orientation: str = "auto"
    dpi: int = DPI_DEFAULT
    lang: str = "fr"
    title: str | None = None
    subtitle: str | None = None
    labels: bool = True
    atlas: str | None = None
    period: MapPeriod | None = None  # ``datetime``: the period mapped
    dates: tuple[MapPeriod, ...] = ()  # ``dates``: the periods of a small multiple

    @property
    def media_type(self) -> str:
        return FORMATS[self.format]


def _choice(params, name, choices, default, fold=str.lower):
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if not isinstance(raw, str):
        raise InputError(name, f"must be one of {', '.join(choices)}")
    value = fold(raw.strip())
    folded = {fold(c): c for c in choices}
    if value not in folded:
        raise InputError(name, f"unknown value {raw!r}; one of {', '.join(choices)}")
    return folded[value]


def _text(params, name, limit) -> str | None:
    raw = params.get(name)
    if raw is None:
        return None
    if not isinstance(raw, str):
        raise InputError(name, "must be a string")
    text = unicodedata.normalize("NFC", raw.strip())
    if len(text) > limit:
        raise InputError(name, f"at most {limit} characters ({len(text)} given)")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn") for ch in text):
        raise InputError(name, "control or unassigned characters are not allowed")
    return text or None


def _bool(params, name, default: bool) -> bool:
    raw = params.get(name)
    if raw is None:
        return default
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.strip().lower() in ("true", "false", "1", "0", "oui", "non", "yes", "no"):
        return raw.strip().lower() in ("true", "1", "oui", "yes")
    raise InputError(name, f"must be true or false, not {raw!r}")


def parse_options(params: Mapping[str, Any] | None, world: World) -> MapOptions:
    """Validated :class:`MapOptions` from process inputs (a JSON object); raises :class:`InputError`."""
    if params is None:
        params = {}
    if not isinstance(params, Mapping):
        raise InputError("inputs", "must be a JSON object")
    params = dict(params)
    if "pays" in params:
        raise InputError("pays", "give the country of the map as 'country' (ISO code or French name)")
    unknown = [k for k in params if k not in SPECS and k not in OPTION_NAMES]
    if unknown:
        raise InputError(
            unknown[0],
            f"unknown input; known: {', '.join(OPTION_NAMES)} and the search criteria "
            f"{', '.join(n for n in SPECS if n != 'pays')}",
        )
    atlas = _choice(params, "atlas", ATLAS_SCOPES, None)
    country = None
    raw_country = params.get("country")
    if raw_country is not None and raw_country != "":
        if atlas:
            raise InputError("country", "give either country (one map) or atlas (a multi-page PDF), not both")
        if not isinstance(raw_country, str) or len(raw_country) > 100:
            raise InputError("country", "must be an ISO 3166-1 code or a country name (text, ≤ 100 characters)")
        try:
            country = world.resolve(raw_country)
        except UnknownCountry as exc:
            raise InputError("country", str(exc)) from None
    elif not atlas:
        raise InputError(
            "country",
            "required: an ISO 3166-1 alpha-2 or alpha-3 code or the French name (or give atlas for a whole continent)",
        )
    fmt = _choice(params, "format", tuple(FORMATS), "pdf")
    try:
        period = None if params.get("datetime") in (None, "") else parse_period(params["datetime"], "datetime")
        dates = () if params.get("dates") in (None, "", []) else parse_dates(params["dates"], "dates")
    except CriteriaError as exc:
        raise InputError(exc.param, str(exc).split(": ", 1)[-1]) from None
    if dates:
        if period is not None:
            raise InputError("dates", "give either datetime (one period) or dates (a small multiple), not both")
        if atlas:
            raise InputError("dates", "a small multiple shows one country: give country, not atlas")
        if fmt == "geotiff":
            raise InputError("format", "a small multiple is a page: format must be pdf, svg or png")
    if atlas and fmt != "pdf":
        raise InputError("format", "an atlas is a multi-page PDF: format must be pdf")
    paper = _choice(params, "paper", PAPERS, "A4", fold=str.upper)
    orientation = _choice(params, "orientation", ORIENTATIONS, "auto")
    raw_dpi = params.get("dpi")
    dpi = DPI_DEFAULT
    if raw_dpi is not None and raw_dpi != "":
        if fmt not in ("png", "geotiff"):
            raise InputError("dpi", f"only for the raster formats png and geotiff (format is {fmt})")
        if isinstance(raw_dpi, bool):
            raise InputError("dpi", "must be a whole number")
        try:
            dpi = int(raw_dpi) if not isinstance(raw_dpi, float) or raw_dpi.is_integer() else None
        except (TypeError, ValueError):
            dpi = None
        if dpi is None or not DPI_MIN <= dpi <= DPI_MAX:
            raise InputError("dpi", f"must be a whole number from {DPI_MIN} to {DPI_MAX}, not {raw_dpi!r}")
    lang = _choice(params, "lang", LANGS, "fr")
    title = _text(params, "title", TITLE_MAX)
    subtitle = _text(params, "subtitle", SUBTITLE_MAX)
    labels = _bool(params, "labels", True)
    crit_params = {k: v for k, v in params.items() if k in SPECS}
    criteria = Criteria.from_params(crit_params, known_countries=world.countries.keys())
    return MapOptions(
        country, criteria, fmt, paper, orientation, dpi, lang, title, subtitle, labels, atlas, period, dates
    )
