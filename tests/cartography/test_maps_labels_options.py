"""The label placer (no overlap, inside the frame, clear of the symbols), text measurement, and the
validation of the map's inputs (every bad input named)."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from coopatlas.cartography.fonts import font
from coopatlas.cartography.labels import LabelSpec, place_labels, text_size, wrap_text
from coopatlas.cartography.options import InputError, parse_options


def _overlap(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def test_greedy_placer_never_overlaps():
    rng = np.random.default_rng(20130630)
    n = 400
    xy = rng.uniform([10, 10], [190, 140], size=(n, 2))
    radius = rng.uniform(0.7, 4.0, n)
    symbols = np.column_stack([xy - radius[:, None], xy + radius[:, None]])
    specs = [
        LabelSpec(f"Lieu {i} {'x' * (i % 9)}", x, y, r, 6.0, owner=i) for i, ((x, y), r) in enumerate(zip(xy, radius))
    ]
    bounds = (0.0, 0.0, 200.0, 150.0)
    placed = place_labels(specs, symbols, bounds)
    assert 40 < len(placed) < n  # crowded: many placed, some left out
    boxes = [p.box for p in placed]
    for i, (a, p) in enumerate(zip(boxes, placed)):
        assert bounds[0] <= a[0] and a[2] <= bounds[2] and bounds[1] <= a[1] and a[3] <= bounds[3]
        for b in boxes[i + 1 :]:
            assert not _overlap(a, b)
        for j, s in enumerate(symbols):
            if j != p.spec.owner:
                assert not _overlap(a, s)
        # its own symbol: the circle (not its square box) stays clear of the label
        cx, cy, r = p.spec.x, p.spec.y, p.spec.radius
        dx = max(a[0] - cx, 0.0, cx - a[2])
        dy = max(a[1] - cy, 0.0, cy - a[3])
        assert np.hypot(dx, dy) >= r
    # the first label (the most important) is always placed
    assert placed[0].spec is specs[0]


def test_preferred_position_is_right_of_the_symbol_then_left():
    alone = place_labels(
        [LabelSpec("Ouagadougou", 50.0, 50.0, 3.0, 6.0, owner=0)],
        np.array([[47.0, 47.0, 53.0, 53.0]]),
        (0.0, 0.0, 100.0, 100.0),
    )
    box = alone[0].box
    assert box[0] >= 53.0 and box[1] < 50.0 < box[3]  # right, vertically centred
    near_edge = place_labels(
        [LabelSpec("Ouagadougou", 95.0, 50.0, 3.0, 6.0, owner=0)],
        np.array([[92.0, 47.0, 98.0, 53.0]]),
        (0.0, 0.0, 100.0, 100.0),
    )
    assert near_edge[0].box[2] <= 92.0  # no room on the right: on the left


def test_text_size_matches_the_printed_text():
    fig = Figure(figsize=(8, 2), dpi=300)
    FigureCanvasAgg(fig)
    s = "Communauté d'agglomération du Grand Besançon — Hà Nội"
    t = fig.text(0, 0.5, s, fontproperties=font(6.0, text=s))
    printed = t.get_window_extent(fig.canvas.get_renderer()).width / 300 * 25.4
    assert text_size(s, 6.0)[0] == pytest.approx(printed, rel=0.03)


def test_wrap_text_fits_the_width():
    s = (
        "Données de démonstration SYNTHÉTIQUES, générées sur une géographie réelle et calibrées sur les chiffres "
        "publiés de l'Atlas"
    )
    lines = wrap_text(s, 60.0, 6.0)
    assert len(lines) > 1 and " ".join(lines) == s
    assert all(text_size(ln, 6.0)[0] <= 60.0 for ln in lines)
    cut = wrap_text(s, 60.0, 6.0, max_lines=1)
    assert len(cut) == 1 and cut[0].endswith("…")


@pytest.mark.parametrize(
    "text,code",
    [
        ("BF", "BF"),
        ("bf", "BF"),
        ("BFA", "BF"),
        ("Burkina Faso", "BF"),
        ("burkina-faso", "BF"),
        ("Côte d'Ivoire", "CI"),
        ("cote d ivoire", "CI"),
        ("CIV", "CI"),
        ("Viêt Nam", "VN"),
        ("vietnam", "VN"),
        ("VIET NAM", "VN"),
        ("États-Unis", "US"),
        ("etats unis", "US"),
        ("USA", "US"),
        ("Cap-Vert", "CV"),
        ("cap vert", "CV"),
        ("Russie", "RU"),
        ("Fidji", "FJ"),
        ("Indonésie", "ID"),
        ("Chili", "CL"),
        ("Germany", "DE"),
    ],
)
def test_country_by_code_or_french_name(world, text, code):
    assert parse_options({"country": text}, world).country.code == code


BAD = [
    ({}, "country"),
    ({"country": "Atlantide"}, "country"),
    ({"country": "XX"}, "country"),
    ({"country": 12}, "country"),
    ({"country": "BF", "atlas": "afrique"}, "country"),
    ({"country": "BF", "pays": ["BF"]}, "pays"),
    ({"country": "BF", "format": "jpeg"}, "format"),
    ({"country": "BF", "paper": "A5"}, "paper"),
    ({"country": "BF", "orientation": "diagonal"}, "orientation"),
    ({"country": "BF", "format": "png", "dpi": 71}, "dpi"),
    ({"country": "BF", "format": "png", "dpi": 601}, "dpi"),
    ({"country": "BF", "format": "png", "dpi": "haute"}, "dpi"),
    ({"country": "BF", "format": "geotiff", "dpi": 150.5}, "dpi"),
    ({"country": "BF", "dpi": 300}, "dpi"),  # a vector format has no dpi: not silently ignored
    ({"country": "BF", "lang": "de"}, "lang"),
    ({"country": "BF", "title": "x" * 121}, "title"),
    ({"country": "BF", "subtitle": "x" * 301}, "subtitle"),
    ({"country": "BF", "title": "a\x07b"}, "title"),
    ({"country": "BF", "labels": "peut-être"}, "labels"),
    ({"country": "BF", "thematique": ["eau"]}, "thematique"),
    ({"country": "BF", "statut": "fini"}, "statut"),
    ({"country": "BF", "annee_min": 2012, "annee_max": 2000}, "annee_min"),
    ({"country": "BF", "couleur": "rouge"}, "couleur"),
    ({"atlas": "atlantide"}, "atlas"),
    ({"atlas": "afrique", "format": "svg"}, "format"),
]


@pytest.mark.parametrize("inputs,name", BAD, ids=[n for _, n in BAD])
def test_bad_inputs_name_the_input(world, inputs, name):
    with pytest.raises(Exception) as err:
        parse_options(inputs, world)
    assert getattr(err.value, "param", None) == name, err.value
    assert str(err.value).startswith(f"{name}: ")


def test_options_defaults_and_values(world):
    o = parse_options(
        {
            "country": "VN",
            "format": "png",
            "dpi": 300,
            "paper": "a3",
            "orientation": "Landscape",
            "lang": "en",
            "labels": "false",
            "thematique": ["sante"],
            "title": " Santé ",
            "annee_min": 2005,
        },
        world,
    )
    assert (o.country.code, o.format, o.dpi, o.paper, o.orientation, o.lang, o.labels) == (
        "VN",
        "png",
        300,
        "A3",
        "landscape",
        "en",
        False,
    )
    assert o.criteria.thematique == ("sante",) and o.criteria.annee_min == 2005 and o.title == "Santé"
    d = parse_options({"country": "VN"}, world)
    assert (d.format, d.paper, d.orientation, d.lang, d.labels, d.dpi) == ("pdf", "A4", "auto", "fr", True, 150)
    assert isinstance(InputError("x", "y"), ValueError)
