"""The shared kit of the documents (:mod:`coopatlas.documents`): the layers between the reports and the
cartography, one home for each text, the formats and the marks of every page."""

from __future__ import annotations

import importlib
import io
import pkgutil
import subprocess
import sys

import pytest
from pypdf import PdfReader

import coopatlas.cartography
import coopatlas.documents
import coopatlas.reports


def _loaded_after_import(modules: list[str]) -> set[str]:
    """The coopatlas modules a fresh interpreter holds after importing ``modules``."""
    code = f"import sys, {', '.join(modules)}; print('\\n'.join(m for m in sys.modules if m.startswith('coopatlas')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    return set(out.stdout.split())


def _submodules(package) -> list[str]:
    return [package.__name__] + [
        f"{package.__name__}.{m.name}" for m in pkgutil.iter_modules(package.__path__) if m.name != "gallery"
    ]


def test_reports_do_not_import_the_cartography():
    loaded = _loaded_after_import(_submodules(coopatlas.reports) + ["coopatlas.charts"])
    assert "coopatlas.reports.rapport" in loaded
    assert not {m for m in loaded if m.startswith("coopatlas.cartography")}


def test_cartography_does_not_import_the_reports():
    loaded = _loaded_after_import(_submodules(coopatlas.cartography))
    assert "coopatlas.cartography.atlas" in loaded
    assert not {m for m in loaded if m.startswith("coopatlas.reports") or m == "coopatlas.charts"}


def test_documents_import_neither():
    loaded = _loaded_after_import(_submodules(coopatlas.documents))
    assert "coopatlas.documents.pdf" in loaded
    above = {
        m
        for m in loaded
        if m.startswith(
            ("coopatlas.reports", "coopatlas.cartography", "coopatlas.charts", "coopatlas.server", "processes")
        )
    }
    assert not above


def _all_catalogues():
    from coopatlas.documents.texts import TEXTS, Texts

    for package in (coopatlas.reports, coopatlas.cartography, coopatlas.documents):
        for name in _submodules(package):
            importlib.import_module(name)
    importlib.import_module("coopatlas.charts")
    return TEXTS, Texts.catalogues


def test_each_text_has_one_home():
    shared, catalogues = _all_catalogues()
    assert len(catalogues) >= 8
    homes: dict[str, list[str]] = {}
    for catalogue in catalogues:
        for key, (fr, _en) in catalogue.entries.items():
            homes.setdefault(repr(fr), []).append(f"{catalogue.name}:{key}")
            if catalogue is not shared:
                assert key not in shared.entries, f"{catalogue.name} redefines the shared text {key!r}"
    twice = {text: where for text, where in homes.items() if len(where) > 1}
    assert not twice, twice


def test_texts_fall_back_on_the_shared_ones():
    from coopatlas.reports.rapport import TEXTS

    assert TEXTS("page", "en", n=2, total=9) == "Page 2 of 9"
    assert TEXTS("page", "fr", n=2, total=9) == "Page 2 / 9"
    assert TEXTS("list", "fr", n=3) == "Liste des projets (3)"
    with pytest.raises(KeyError):
        TEXTS("no such text", "fr")


def test_formats():
    from coopatlas.documents.formats import euros, long_date, millions, number, percent

    assert number(12731, "fr") == "12\u00a0731" and number(12731, "en") == "12,731" and number(None) == "–"
    assert percent(12.5, "fr") == "12,5\u00a0%" and percent(12.5, "en") == "12.5%"
    assert euros(64884374, "fr") == "64\u00a0884\u00a0374\u00a0€" and euros(64884374, "en") == "€64,884,374"
    assert millions(64884374, "fr") == "64,9\u00a0M€" and millions(64884374, "en") == "€64.9M"
    assert long_date("2013-06-30", "fr") == "30 juin 2013" and long_date("2013-06-01", "en") == "1 June 2013"
    assert long_date("not a date") == "not a date" and long_date(None) is None


@pytest.mark.parametrize("synthetic, marked", [(True, True), (None, True), (False, False)])
def test_every_page_numbered_and_marked(synthetic, marked):
    from reportlab.platypus import PageBreak, Paragraph

    from coopatlas.documents import pdf

    st = pdf.styles()
    story = [
        Paragraph("Un", st["body"]),
        PageBreak(),
        Paragraph("Deux", st["body"]),
        PageBreak(),
        Paragraph("Trois", st["body"]),
    ]
    marks = pdf.PageMarks("fr", synthetic, "CoopAtlas · essai", first_page=4, total_pages=10)
    data = pdf.build_on_paper(story, pagesize=pdf.PORTRAIT, margin=30, bottom=40, title="essai", marks=marks)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]
    assert marks.pages == len(pages) == 3
    for n, page in zip((4, 5, 6), pages):
        assert f"Page {n} / 10" in page and "CoopAtlas · essai" in page
        assert ("DONNÉES SYNTHÉTIQUES DE DÉMONSTRATION" in page) is marked


def test_the_same_figure_gives_the_same_svg_whatever_the_noise_of_its_layout():
    """matplotlib names clip paths and markers after a hash of their coordinates at full precision; the
    constrained layout moves them by rounding noise from one drawing to the next (a sync and an async
    statistics SVG differed so). The SVG numbers them instead: the same drawing, the same bytes."""
    from matplotlib.figure import Figure

    from coopatlas.documents.figures import render

    def drawing(noise: float) -> bytes:
        fig = Figure(figsize=(4, 3))
        ax = fig.add_axes((0.1 + noise, 0.1, 0.8, 0.8))
        ax.plot([0, 1, 2], [0, 1, 4], marker="o")
        ax.bar([0.5, 1.5], [2, 3])
        return render(fig, "svg")

    plain = drawing(0.0)
    assert b'clip-path="url(#p1)"' in plain and b'xlink:href="#m1"' in plain
    assert drawing(1e-13) == plain  # 1e-13 of the figure's width: the same drawing to 6 decimals
    assert drawing(0.01) != plain  # a figure that differs still does
