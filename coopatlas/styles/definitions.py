"""The style of every spatial collection, built from the one palette of :mod:`coopatlas.vocabulary`.

Change a colour, a label or a code there, run ``python -m coopatlas.styles --out styles/`` and every
style file follows. The choices made here:

- ``projets``, ``demandes`` and ``liens`` are coloured by ``type_action`` with the three family colours
  (blue, yellow, red) and their French labels; all three families are listed in each legend so that
  the legends of the atlas are one and the same. Features are drawn in the order they come (no family
  on top): putting the 737 other external actions above the 12,731 cooperation projects made dense
  regions look yellow, which the data is not.
- ``collectivites`` (by ``type_collectivite``) and ``partenaires`` (by ``type_action_principal``) are
  circles whose area grows like ``nb_projets`` on ONE scale shared by both layers (:data:`TAILLE_NB_PROJETS`),
  so that a circle of a given size means the same count everywhere: 1 project gives a 4 px
  circle, Paris's 344 projects (the largest count of the Atlas) a 36 px one; larger counts are clamped.
- ``pays``, ``regions`` and ``departements`` are choropleths of ``nb_projets`` with the six colours of
  ``PALETTE['choroplethe']`` on FIXED class breaks (:data:`BREAKS`), the same on every map, so that a
  colour always means the same count. They follow the Atlas's orders of magnitude (13,468 projects) and
  were checked on the demo atlas calibrated on it, where every class is used: countries 1 to 1,287
  projects (144 with projects: 17/40/36/16/24/11 per class), regions 11 (Mayotte) to 1,903
  (Île-de-France: 2/4/1/5/4/2), departments 11 to 644 (10/21/15/24/22/9). 0 or null projects get
  ``PALETTE['sans_donnee']``.
"""

from __future__ import annotations

from .. import schema
from .. import vocabulary as voc
from .model import Categorised, Category, ColourClass, Graduated, ProportionalSize, Style

P = voc.PALETTE

#: Initial views (longitude, latitude, zoom): the world, and metropolitan France.
VIEW_WORLD = (10.0, 20.0, 1.5)
VIEW_FRANCE = (2.5, 46.6, 4.8)

#: Lower bounds of the six choropleth classes of ``nb_projets``, per collection (see module doc).
BREAKS: dict[str, tuple[int, ...]] = {
    "pays": (1, 10, 25, 50, 100, 250),
    "regions": (1, 100, 250, 600, 1000, 1500),
    "departements": (1, 50, 75, 100, 150, 250),
}

#: One size scale for every count of projects drawn as circles (diameters in pixels).
TAILLE_NB_PROJETS = ProportionalSize(
    field="nb_projets",
    value_min=1,
    value_max=344,
    size_min=4.0,
    size_max=36.0,
    exponent=0.5,
    legend_title="Nombre de projets",
    legend_values=(5, 25, 100, 300),
)

#: Legend entry for a code outside the list, or null.
NON_RENSEIGNE = Category("", P["sans_donnee"], "Non renseigné")
#: Legend entry of a choropleth for 0 or null.
AUCUN_PROJET = Category("", P["sans_donnee"], "Aucun projet")

#: Outline of points and polygons.
CONTOUR = P["contour"]


def categorised(field: str, codelist: voc.CodeList, colours: dict[str, str], lang: str = "fr") -> Categorised:
    """One category per code of ``codelist``, in its order, coloured from ``colours``, labelled in ``lang``."""
    return Categorised(
        field,
        tuple(Category(t.code, colours[t.code], t.label(lang)) for t in codelist),
        NON_RENSEIGNE,
    )


def graduated(field: str, breaks: tuple[int, ...], ramp: list[str]) -> Graduated:
    """Classes ``[breaks[i], breaks[i+1])`` coloured by ``ramp`` (as many colours as breaks)."""
    if len(breaks) != len(ramp):
        raise ValueError(f"{len(breaks)} breaks for {len(ramp)} colours")
    classes = []
    for i, (lower, colour) in enumerate(zip(breaks, ramp)):
        upper = breaks[i + 1] if i + 1 < len(breaks) else None
        if upper is None:
            label = f"{lower} et plus"
        elif upper - 1 == lower:
            label = str(lower)
        else:
            label = f"{lower} à {upper - 1}"
        classes.append(ColourClass(lower, upper, colour, label))
    return Graduated(field, tuple(classes), AUCUN_PROJET)


def _title(cid: str) -> str:
    return schema.collection(cid).title_fr


def _build() -> dict[str, Style]:
    by_type_action = categorised("type_action", voc.TYPES_ACTION, P["type_action"])
    styles = [
        Style("projets", _title("projets"), "point", by_type_action, size=7.0, stroke_colour=CONTOUR, stroke_width=0.5),
        Style(
            "demandes", _title("demandes"), "point", by_type_action, size=8.0, stroke_colour=CONTOUR, stroke_width=0.5
        ),
        Style(
            "collectivites",
            _title("collectivites"),
            "point",
            categorised("type_collectivite", voc.TYPES_COLLECTIVITE, P["type_collectivite"]),
            proportional=TAILLE_NB_PROJETS,
            stroke_colour=CONTOUR,
            stroke_width=0.5,
            sort_desc="nb_projets",
            view=VIEW_FRANCE,
        ),
        Style(
            "partenaires",
            _title("partenaires"),
            "point",
            categorised("type_action_principal", voc.TYPES_ACTION, P["type_action"]),
            proportional=TAILLE_NB_PROJETS,
            stroke_colour=CONTOUR,
            stroke_width=0.5,
            sort_desc="nb_projets",
        ),
        Style("liens", _title("liens"), "line", by_type_action, size=1.0, opacity=0.5),
    ]
    for cid in ("pays", "regions", "departements"):
        styles.append(
            Style(
                cid,
                _title(cid),
                "polygon",
                graduated("nb_projets", BREAKS[cid], P["choroplethe"]),
                stroke_colour=CONTOUR,
                stroke_width=0.5,
                view=VIEW_WORLD if cid == "pays" else VIEW_FRANCE,
            )
        )
    return {s.collection: s for s in styles}


#: The style of every spatial collection, by collection id, in the order of :data:`coopatlas.schema.COLLECTIONS`.
STYLES: dict[str, Style] = _build()

_GEOMETRY_KIND = {
    "POINT": "point",
    "MULTIPOINT": "point",
    "LINESTRING": "line",
    "MULTILINESTRING": "line",
    "POLYGON": "polygon",
    "MULTIPOLYGON": "polygon",
}


def check_against_schema() -> list[str]:
    """Problems between :data:`STYLES` and :mod:`coopatlas.schema` (empty list: none).

    Every spatial collection has a style of its geometry kind, and every field a style reads exists,
    with the code list the style's categories come from.
    """
    problems = []
    for cid, coll in schema.COLLECTIONS.items():
        if coll.geometry is None:
            continue
        style = STYLES.get(cid)
        if style is None:
            problems.append(f"{cid}: no style")
            continue
        if style.geometry != _GEOMETRY_KIND[coll.geometry]:
            problems.append(f"{cid}: style for {style.geometry}, collection of {coll.geometry}")
        for name in style.fields:
            try:
                coll.field(name)
            except KeyError:
                problems.append(f"{cid}: no field {name!r}")
        if isinstance(style.colour, Categorised):
            f = coll.field(style.colour.field) if style.colour.field in coll.field_names else None
            codes = [c.value for c in style.colour.categories]
            if f is not None and (f.vocabulary is None or f.vocabulary.codes != codes):
                problems.append(f"{cid}: categories of {f.name} are not its code list")
    for cid in STYLES:
        if cid not in schema.COLLECTIONS:
            problems.append(f"{cid}: style of an unknown collection")
    return problems
