"""Country maps rendered in every format and checked as a user relies on them: the text of the PDF (counts
equal to the database's, every partner in the annex, sources, the SYNTHETIC notice, the date of the
data), vector text and symbols in SVG, the pixel size of PNG, the georeferencing of GeoTIFF (known
points land on the right pixels), labels without collisions, a country without projects.

Expected values come from SQL on the GeoPackage and from pyproj, not from the code under test. Raster
outputs are rendered at 72 dpi where the dpi is not the point. Every file is kept in
``test-artefacts/cartography/``.
"""

from __future__ import annotations

import io
import math
import sqlite3

import numpy as np
import pytest
from lxml import etree
from PIL import Image
from pypdf import PdfReader
from pyproj import CRS, Geod, Transformer

from coopatlas.store.geopackage import decode_geometry as gpkg_geometry

SVG = {"s": "http://www.w3.org/2000/svg"}
GEOD = Geod(ellps="WGS84")
COUNTRIES = ("BF", "VN", "CL", "ID", "CV", "RU", "US", "OM")  # OM: no project
FORMATS = ("pdf", "svg", "png", "geotiff")
A4 = (210.0, 297.0)
BLUE, YELLOW, RED = (0x1F, 0x5F, 0xBF), (0xF2, 0xC5, 0x00), (0xD6, 0x27, 0x28)
SEA, LAND, WHITE = (0xDC, 0xEB, 0xF5), (0xE6, 0xE6, 0xE6), (0xFF, 0xFF, 0xFF)


def flat(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def pdf_text(data: bytes) -> list[str]:
    return [flat(p.extract_text() or "") for p in PdfReader(io.BytesIO(data)).pages]


def sql(gpkg, query, params=()):
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        return con.execute(query, params).fetchall()
    finally:
        con.close()


def counts(gpkg, code) -> dict:
    out = dict(sql(gpkg, "SELECT type_action, COUNT(*) FROM projets WHERE pays_code = ? GROUP BY 1", (code,)))
    out["demande_cooperation"] = sql(gpkg, "SELECT COUNT(*) FROM demandes WHERE pays_code = ?", (code,))[0][0]
    return out


def fr(n: int) -> str:
    return f"{n:,}".replace(",", " ")


def page_mm(paper, orientation):
    w, h = {"A4": A4, "A3": (297.0, 420.0)}[paper]
    return (h, w) if orientation == "landscape" else (w, h)


# --- every country in every format ---------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("code", COUNTRIES)
def test_every_country_in_every_format(renders, world, gpkg, code, fmt):
    data, info, opts = renders.get(code, fmt)
    name = world.countries[code].nom_fr
    lay = info.layout
    if fmt == "pdf":
        pages = pdf_text(data)
        assert name in pages[0] and "SYNTHÉTIQUES" in pages[0] and "Natural Earth" in pages[0]
        reader = PdfReader(io.BytesIO(data))
        w, h = (float(v) * 25.4 / 72 for v in reader.pages[0].mediabox[2:])
        assert (round(w), round(h)) == tuple(round(v) for v in page_mm("A4", lay.orientation))
    elif fmt == "svg":
        root = etree.fromstring(data)
        texts = " ".join("".join(t.itertext()) for t in root.iterfind(".//s:text", SVG))
        assert name in texts and "SYNTHÉTIQUES" in texts
        assert root.get("width") == f"{page_mm('A4', lay.orientation)[0] / 25.4 * 72:.6f}pt"
    elif fmt == "png":
        img = Image.open(io.BytesIO(data))
        w, h = page_mm("A4", lay.orientation)
        assert abs(img.size[0] - w / 25.4 * 72) <= 1 and abs(img.size[1] - h / 25.4 * 72) <= 1
    else:
        import rasterio

        with rasterio.open(io.BytesIO(data)) as ds:
            crs = CRS.from_wkt(ds.crs.to_wkt())
            assert crs.is_projected and ds.count == 3
            # the country's own centre is inside the raster
            c = world.anchors[code]
            x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(*c)
            b = ds.bounds
            assert b.left < x < b.right and b.bottom < y < b.top
    n = sum(counts(gpkg, code).values())
    assert (len(info.symbol_boxes) > 0) == (n > 0)


# --- PDF --------------------------------------------------------------------------------------------------------


def test_pdf_counts_table_sources_and_notice(renders, gpkg):
    data, info, _ = renders.get("BF", "pdf")
    pages = pdf_text(data)
    first = pages[0]
    c = counts(gpkg, "BF")
    assert "Burkina Faso : coopération décentralisée" in first
    assert f"Coopération décentralisée : {fr(c['cooperation_decentralisee'])} projets" in first
    assert f"Autre action extérieure : {fr(c['action_exterieure'])} projets" in first
    assert f"Demande de coopération (Bourse projets) : {c['demande_cooperation']} demandes" in first
    partners = sql(gpkg, "SELECT COUNT(DISTINCT partenaire_id) FROM projets WHERE pays_code = 'BF'")[0][0]
    coll = sql(gpkg, "SELECT COUNT(DISTINCT collectivite_id) FROM projets WHERE pays_code = 'BF'")[0][0]
    assert "collectivités françaises" in first and f"{fr(coll)} collectivités françaises" in first
    assert partners > 50
    assert "Données de démonstration SYNTHÉTIQUES" in first
    assert "Données de l'atlas à jour au 30 juin 2013" in first
    assert "Natural Earth" in first and "GeoNames" in first and "CC BY 4.0" in first
    assert "Projection azimutale équivalente de Lambert" in first and "1 : " in first and "km" in first
    # the complete table: every partner authority of the country, on the annex pages
    annex = " ".join(pages[1:])
    assert len(pages) == info.pages >= 2
    assert f"Page 2 / {len(pages)}" in annex and "partenariats (annexe de la carte)" in annex
    names = {
        flat(n)
        for (n,) in sql(
            gpkg,
            "SELECT DISTINCT partenaire_nom FROM projets WHERE pays_code = 'BF' "
            "UNION SELECT DISTINCT demandeur_nom FROM demandes WHERE pays_code = 'BF'",
        )
    }
    missing = [n for n in names if n not in annex]
    assert not missing, missing[:10]
    top = sql(
        gpkg,
        "SELECT collectivite_nom, COUNT(*) FROM projets WHERE pays_code = 'BF' AND partenaire_nom = "
        "'Zinguédéssé' GROUP BY 1 ORDER BY 2 DESC LIMIT 1",
    )[0]
    assert f"{top[0]} ({top[1]})" in annex


def test_pdf_text_is_text_with_embedded_fonts(renders):
    data, _, _ = renders.get("VN", "pdf")
    reader = PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for _name, ref in (page["/Resources"].get_object().get("/Font") or {}).items():
            font = ref.get_object()
            desc = font.get("/FontDescriptor") or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            fonts[font["/BaseFont"]] = desc.get_object()
    assert fonts and all("/FontFile2" in d for d in fonts.values()), fonts.keys()  # TrueType, embedded
    assert any(str(k).endswith("CoopAtlasSans") for k in fonts)
    text = pdf_text(data)[0]
    assert "Viêt Nam" in text  # Vietnamese accents extracted as text


def test_pdf_in_english(renders):
    data, _, _ = renders.get("US", "pdf", lang="en")
    first = pdf_text(data)[0]
    assert "United States of America: decentralised cooperation" in first
    assert "SYNTHETIC demo data" in first and "Lambert conformal conic projection" in first
    assert "Alaska (own scale)" in first and "Hawaii (own scale)" in first
    # the page numbers of the map page and of the annex say what the reports say in English
    pages = pdf_text(data)
    assert len(pages) >= 2
    for n, page in enumerate(pages, 1):
        assert f"Page {n} of {len(pages)}" in page
    assert all("SYNTHETIC DEMO DATA" in page for page in pages[1:])  # the mark of the annex pages


def test_pdf_criteria_in_subtitle_and_counts(renders, gpkg):
    data, _, _ = renders.get("BF", "pdf", thematique=["eau_assainissement"], annee_min=2005)
    first = pdf_text(data)[0]
    assert "Thématique : Eau et assainissement · Année de début, à partir de 2005" in first
    n = sql(
        gpkg,
        "SELECT COUNT(*) FROM projets WHERE pays_code = 'BF' AND thematique = 'eau_assainissement' "
        "AND type_action = 'cooperation_decentralisee' AND annee_lancement >= 2005",
    )[0][0]
    assert f"Coopération décentralisée : {fr(n)} projet" in first


def test_requests_left_out_when_a_criterion_cannot_apply(renders, gpkg):
    data, info, _ = renders.get("ET", "svg", statut=["en_cours"])
    root = etree.fromstring(data)
    texts = " ".join("".join(t.itertext()) for t in root.iterfind(".//s:text", SVG))
    assert "non représentées (critère statut sans objet pour elles)" in texts
    assert sql(gpkg, "SELECT COUNT(*) FROM demandes WHERE pays_code = 'ET'")[0][0] > 0
    fills = [p.get("style", "") for g in root.iterfind(".//s:g[@id='symboles']", SVG) for p in g.iter()]
    assert not any("#d62728" in s for s in fills)  # no red symbol on the map


def test_country_without_projects_says_so(renders, gpkg):
    assert sum(counts(gpkg, "OM").values()) == 0
    data, info, _ = renders.get("OM", "pdf")
    pages = pdf_text(data)
    assert len(pages) == 1
    assert "Aucun projet ni demande de coopération ne correspond à ces critères pour ce pays." in pages[0]
    assert "Aucun partenariat pour ces critères." in pages[0]
    assert len(info.symbol_boxes) == 0


# --- SVG ---------------------------------------------------------------------------------------------------------


def test_svg_vector_text_and_symbols(renders, gpkg):
    data, info, _ = renders.get("BF", "svg")
    root = etree.fromstring(data)
    ids = [e.get("id") for e in root.iter() if e.get("id")]
    assert len(ids) == len(set(ids))
    texts = ["".join(t.itertext()) for t in root.iterfind(".//s:text", SVG)]
    assert "Burkina Faso : coopération décentralisée" in texts  # svg.fonttype 'none': real <text>
    labels = [
        t
        for e in root.iter()
        if (e.get("id") or "").startswith("etiquettes")
        and not (e.get("id") or "").startswith(("etiquettes-pays", "etiquettes-admin1"))
        for t in e.itertext()
        if t.strip()
    ]
    assert "Sahel" in labels and "Niangoloko" in labels
    # one circle per place of one type; its sectors and an outline circle for a place of several types
    types: dict = {}
    for g, t in sql(
        gpkg,
        "SELECT DISTINCT hex(geom), type_action FROM projets WHERE pays_code = 'BF' UNION "
        "SELECT DISTINCT hex(geom), 'demande' FROM demandes WHERE pays_code = 'BF'",
    ):
        types.setdefault(g, set()).add(t)
    expected = sum(1 if len(t) == 1 else len(t) + 1 for t in types.values())
    group = root.find(".//s:g[@id='symboles']", SVG)
    shapes = group.findall(".//s:path", SVG) + group.findall(".//s:use", SVG)
    assert len(shapes) == expected
    colours = {c for p in shapes for c in ("#1f5fbf", "#f2c500", "#d62728") if c in p.get("style", "")}
    assert colours == {"#1f5fbf", "#f2c500", "#d62728"}
    for gid in ("legende", "scalebar", "north-arrow", "situation", "tableau", "credits", "avertissement"):
        assert root.find(f".//s:g[@id='{gid}']", SVG) is not None, gid


# --- PNG: size for the paper and the dpi -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "paper,orientation,dpi",
    [("A4", "portrait", 72), ("A4", "landscape", 100), ("A3", "portrait", 90), ("A3", "landscape", 72)],
)
def test_png_size_follows_paper_and_dpi(renders, paper, orientation, dpi):
    data, info, _ = renders.get("CV", "png", paper=paper, orientation=orientation, dpi=dpi)
    img = Image.open(io.BytesIO(data))
    w, h = page_mm(paper, orientation)
    assert abs(img.size[0] - w / 25.4 * dpi) <= 1 and abs(img.size[1] - h / 25.4 * dpi) <= 1
    assert info.layout.orientation == orientation and info.layout.paper == paper


def test_orientation_auto_from_the_shape(renders):
    assert renders.get("CL", "png")[1].layout.orientation == "portrait"  # tall
    assert renders.get("RU", "png")[1].layout.orientation == "landscape"  # wide
    assert renders.get("ID", "png")[1].layout.orientation == "landscape"


# --- GeoTIFF: georeferenced in the map's projection --------------------------------------------------------------


def _isolated_single_type_place(gpkg, code):
    """(lon, lat, type) of the partner place with most projects, of one type, 40 km from any other."""
    rows = sql(gpkg, "SELECT hex(geom), type_action, COUNT(*) FROM projets WHERE pays_code = ? GROUP BY 1, 2", (code,))
    rows += [
        (g, "demande_cooperation", n)
        for g, n in sql(gpkg, "SELECT hex(geom), COUNT(*) FROM demandes WHERE pays_code = ? GROUP BY 1", (code,))
    ]
    by_place: dict = {}
    for g, t, n in rows:
        by_place.setdefault(g, {})[t] = n
    pts = {g: gpkg_geometry(bytes.fromhex(g)) for g in by_place}
    best = None
    for g, types in by_place.items():
        if len(types) != 1:
            continue
        p = pts[g]
        near = min((GEOD.inv(p.x, p.y, q.x, q.y)[2] for h, q in pts.items() if h != g), default=1e9)
        n = sum(types.values())
        if near > 40_000 and (best is None or n > best[3]):
            best = (p.x, p.y, next(iter(types)), n)
    return best


@pytest.mark.parametrize(
    "code,sea,land",
    [
        ("BF", None, (-4.5, 14.5)),  # Mali
        ("CL", (-80.0, -30.0), (-65.0, -30.0)),  # the Pacific, Argentina: transverse Mercator
        ("RU", (160.0, 50.0), (100.0, 45.0)),  # the Pacific off Kamchatka, Mongolia: across the antimeridian
    ],
)
def test_geotiff_overlays_the_data(renders, gpkg, code, sea, land):
    import rasterio

    data, info, opts = renders.get(code, "geotiff", dpi=110)
    with rasterio.open(io.BytesIO(data)) as ds:
        crs = CRS.from_wkt(ds.crs.to_wkt())
        img = ds.read()
        transform = ds.transform
        assert abs(transform.a) == pytest.approx(abs(transform.e))  # square pixels
        assert transform.b == 0 and transform.d == 0  # north up in the projection
    assert crs.equals(CRS.from_proj4(info.main.proj.proj4), ignore_axis_order=True)
    to_map = Transformer.from_crs("EPSG:4326", crs, always_xy=True)

    def pixel(lon, lat):
        x, y = to_map.transform(lon, lat)
        row, col = rasterio.transform.rowcol(transform, x, y)
        assert 0 <= row < img.shape[1] and 0 <= col < img.shape[2], (lon, lat, "outside the raster")
        return tuple(int(v) for v in img[:, row, col])

    lon, lat, kind, _ = _isolated_single_type_place(gpkg, code)
    expected = {"cooperation_decentralisee": BLUE, "action_exterieure": YELLOW, "demande_cooperation": RED}[kind]
    assert pixel(lon, lat) == expected  # the symbol's colour exactly at the partner's place
    if sea:
        assert pixel(*sea) == SEA
    assert pixel(*land) == LAND
    # pixel size: the map's metres per pixel at its dpi
    assert info.main.metres_per_mm * 25.4 / 110 == pytest.approx(abs(transform.a), rel=1e-6)


# --- labels and furniture of the rendered maps -----------------------------------------------------------------


@pytest.mark.parametrize("code", ["BF", "DE", "US"])
def test_labels_do_not_collide(renders, code):
    _, info, _ = renders.get(code, "png")
    boxes = [pl.box for pl in info.labels]
    assert len(boxes) > 10
    arr = np.array(boxes)
    for i, a in enumerate(arr):
        other = arr[i + 1 :]
        hit = (other[:, 0] < a[2]) & (other[:, 2] > a[0]) & (other[:, 1] < a[3]) & (other[:, 3] > a[1])
        assert not hit.any(), (info.labels[i].spec.text, info.labels[i + 1 + int(np.argmax(hit))].spec.text)
        s = info.symbol_boxes
        over = (s[:, 0] < a[2]) & (s[:, 2] > a[0]) & (s[:, 1] < a[3]) & (s[:, 3] > a[1])
        if info.labels[i].spec.kind == "partner":
            assert over.sum() <= 1  # at most its own symbol's square box (never the circle: tested elsewhere)
        else:
            assert not over.any(), info.labels[i].spec.text
        m = info.main.box if not info.insets or info.labels[i].spec.kind != "partner" else None
        if m is not None and info.labels[i].spec.kind != "partner":
            assert m.x <= a[0] and a[2] <= m.x1 and m.y <= a[1] and a[3] <= m.y1


@pytest.mark.parametrize("code", ["RU", "CL", "ID"])
def test_scale_bar_of_the_map_is_true_at_its_centre(renders, code):
    _, info, _ = renders.get(code, "png")
    bar, main = info.scale_bar, info.main
    cx, cy = main.centre
    half = bar.length_mm * main.metres_per_mm / 2.0
    to_geo = Transformer.from_crs(CRS.from_proj4(main.proj.proj4), "EPSG:4326", always_xy=True)
    lon, lat = to_geo.transform([cx - half, cx + half], [cy, cy])
    assert GEOD.inv(lon[0], lat[0], lon[1], lat[1])[2] == pytest.approx(bar.km * 1000.0, rel=0.003)
    assert 12.0 <= bar.length_mm <= 45.0


def test_insets_of_the_united_states(renders):
    _, info, _ = renders.get("US", "png")
    assert len(info.insets) == 2
    m = info.main.box
    for inset in info.insets:
        b = inset.box
        assert m.x <= b.x and b.x1 <= m.x1 + 1e-6 and m.y <= b.y and b.y1 <= m.y1 + 1e-6  # inside the frame
        assert inset.proj.proj4 != info.main.proj.proj4  # its own projection
    a, b = info.insets[0].box, info.insets[1].box
    assert not (a.x < b.x1 and b.x < a.x1 and a.y < b.y1 and b.y < a.y1)  # insets do not overlap


def test_geotiff_and_png_sizes_follow_the_dpi(renders):
    import rasterio

    data, info, _ = renders.get("CV", "geotiff", dpi=200)
    with rasterio.open(io.BytesIO(data)) as ds:
        w_mm, h_mm = info.layout.map.w, info.layout.map.h
        assert abs(ds.width - w_mm / 25.4 * 200) <= 1 and abs(ds.height - h_mm / 25.4 * 200) <= 1
        assert ds.tags().get("TIFFTAG_SOFTWARE", "").startswith("CoopAtlas")
        assert "SYNTHÉTIQUES" in ds.tags().get("TIFFTAG_IMAGEDESCRIPTION", "")
    assert math.isfinite(info.main.metres_per_mm)
