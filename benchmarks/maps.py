"""Country maps: one A4 country map in PDF, warm, by CoopAtlas and, side by side in the same run, by QGIS
3.22 exporting a print layout of the same simple map.

    .venv/bin/python benchmarks/maps.py [--country BF] [--runs 10] [--no-qgis] [--no-readme]

CoopAtlas (this interpreter, in process, after one warm-up render):

* ``map page``: :func:`coopatlas.cartography.countrymap.map_figure` + PDF of that one page (what QGIS
  makes below, plus the locator, the pies, the table of the main partnerships and neighbour names);
* ``carte-pays PDF``: :func:`~coopatlas.cartography.countrymap.render_country_map`, the process's
  whole output (data query, map page, complete table on annex pages, merged).

QGIS 3.22 (Debian's ``/usr/bin/python3`` with ``qgis.core``, ``QT_QPA_PLATFORM=offscreen``, run by this
script as a subprocess with the same page, extent and projection): the countries of
``datasets/reference/reference.gpkg`` (the country white, the others grey, on the sea colour), the
country's partner authorities of the atlas (``partenaires``) as blue circles sized by projects and
labelled by QGIS's label engine, a title, subtitle, legend, scale bar, north arrow and credits, exported
with :class:`QgsLayoutExporter` to PDF (text as text). ``build + export``: the layout made and exported
each time (layers loaded once, as CoopAtlas keeps its reference geography in memory); ``export``: the
same layout exported again.

The two take turns (one CoopAtlas run, one QGIS run, ``--runs`` times, after a warm-up each), so that a
change of load on the machine hits both alike; each figure is the median. Results go to
``benchmarks/results/maps.json`` and to the ``## Country maps`` section of ``benchmarks/README.md``
(between its markers).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "maps.json"
README = ROOT / "benchmarks" / "README.md"
QGIS_PYTHON = "/usr/bin/python3"
BEGIN, END = "<!-- maps:begin -->", "<!-- maps:end -->"


# --- QGIS side (run by /usr/bin/python3: imports nothing of CoopAtlas) -------------------------------------------


def qgis_main(spec_path: str) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import (
        Qgis,
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsFillSymbol,
        QgsLayoutExporter,
        QgsLayoutItemLabel,
        QgsLayoutItemLegend,
        QgsLayoutItemMap,
        QgsLayoutItemPicture,
        QgsLayoutItemScaleBar,
        QgsLayoutPoint,
        QgsLayoutSize,
        QgsMarkerSymbol,
        QgsPalLayerSettings,
        QgsPrintLayout,
        QgsProject,
        QgsProperty,
        QgsRectangle,
        QgsRenderContext,
        QgsRuleBasedRenderer,
        QgsSymbolLayer,
        QgsTextFormat,
        QgsUnitTypes,
        QgsVectorLayer,
        QgsVectorLayerSimpleLabeling,
    )
    from qgis.PyQt.QtGui import QColor, QFont

    spec = json.loads(Path(spec_path).read_text(encoding="utf-8"))
    app = QgsApplication([], False)
    app.initQgis()
    project = QgsProject.instance()
    crs = QgsCoordinateReferenceSystem.fromProj(spec["proj4"])
    assert crs.isValid(), spec["proj4"]
    project.setCrs(crs)
    countries = QgsVectorLayer(f"{spec['reference']}|layername=pays", "Pays", "ogr")
    partners = QgsVectorLayer(f"{spec['atlas']}|layername=partenaires", "Collectivités partenaires", "ogr")
    partners.setSubsetString(f"pays_code = '{spec['country']}' AND nb_projets > 0")
    assert countries.isValid() and partners.isValid()
    root = QgsRuleBasedRenderer.Rule(None)
    for expr, fill, outline in (
        (f"pays_code = '{spec['country']}'", "#ffffff", "#4a4a4a"),
        ("ELSE", "#e6e6e6", "#ffffff"),
    ):
        sym = QgsFillSymbol.createSimple({"color": fill, "outline_color": outline, "outline_width": "0.16"})
        rule = QgsRuleBasedRenderer.Rule(sym, filterExp="" if expr == "ELSE" else expr)
        if expr == "ELSE":
            rule.setIsElse(True)
        root.appendChild(rule)
    countries.setRenderer(QgsRuleBasedRenderer(root))
    marker = QgsMarkerSymbol.createSimple(
        {"name": "circle", "color": "#1f5fbf", "outline_color": "#3a3a3a", "outline_width": "0.12", "size_unit": "MM"}
    )
    marker.symbolLayer(0).setDataDefinedProperty(
        QgsSymbolLayer.PropertySize, QgsProperty.fromExpression('2.2 * sqrt("nb_projets")')
    )
    partners.renderer().setSymbol(marker)
    label = QgsPalLayerSettings()
    label.fieldName = "nom"
    label.placement = QgsPalLayerSettings.OrderedPositionsAroundPoint
    fmt = QgsTextFormat()
    fmt.setFont(QFont("DejaVu Sans"))
    fmt.setSize(6.0)
    label.setFormat(fmt)
    partners.setLabeling(QgsVectorLayerSimpleLabeling(label))
    partners.setLabelsEnabled(True)
    project.addMapLayers([countries, partners])

    def build():
        layout = QgsPrintLayout(project)
        layout.initializeDefaults()
        page = layout.pageCollection().page(0)
        page.setPageSize(QgsLayoutSize(spec["page_mm"][0], spec["page_mm"][1], QgsUnitTypes.LayoutMillimeters))
        H = spec["page_mm"][1]

        def at(item, x, y_top, w, h):
            item.attemptMove(QgsLayoutPoint(x, y_top, QgsUnitTypes.LayoutMillimeters))
            item.attemptResize(QgsLayoutSize(w, h, QgsUnitTypes.LayoutMillimeters))

        m = QgsLayoutItemMap(layout)
        m.setCrs(crs)
        mx, my, mw, mh = spec["map_mm"]
        at(m, mx, H - my - mh, mw, mh)
        m.setExtent(QgsRectangle(*spec["extent"]))
        m.setBackgroundColor(QColor("#dcebf5"))
        m.setLayers([partners, countries])
        m.setFrameEnabled(True)
        layout.addLayoutItem(m)
        for text, size, y in ((spec["title"], 15, 8), (spec["subtitle"], 8.5, 16)):
            lab = QgsLayoutItemLabel(layout)
            lab.setText(text)
            font = QFont("DejaVu Sans")
            font.setPointSizeF(size)
            lab.setFont(font)  # QGIS 3.22 (setTextFormat came in 3.24)
            at(lab, 8, y, spec["page_mm"][0] - 16, 8)
            layout.addLayoutItem(lab)
        credits = QgsLayoutItemLabel(layout)
        credits.setText(spec["credits"])
        at(credits, 8, H - 20, spec["page_mm"][0] - 16, 12)
        layout.addLayoutItem(credits)
        legend = QgsLayoutItemLegend(layout)
        legend.setLinkedMap(m)
        at(legend, mx + mw + 4, 20, 60, 60)
        layout.addLayoutItem(legend)
        bar = QgsLayoutItemScaleBar(layout)
        bar.setStyle("Single Box")
        bar.setLinkedMap(m)
        bar.setUnits(QgsUnitTypes.DistanceKilometers)
        bar.setNumberOfSegments(2)
        bar.setUnitsPerSegment(spec["bar_km"] / 2)
        bar.setUnitLabel("km")
        at(bar, mx + 3, H - my - 14, 45, 10)
        layout.addLayoutItem(bar)
        north = QgsLayoutItemPicture(layout)
        north.setPicturePath("/usr/share/qgis/svg/arrows/NorthArrow_02.svg")
        north.setLinkedMap(m)
        north.setNorthMode(QgsLayoutItemPicture.TrueNorth)
        at(north, mx + 50, H - my - 16, 8, 12)
        layout.addLayoutItem(north)
        return layout

    def export(layout, path):
        s = QgsLayoutExporter.PdfExportSettings()
        s.textRenderFormat = QgsRenderContext.TextFormatAlwaysText
        s.rasterizeWholeImage = False
        s.dpi = 300
        result = QgsLayoutExporter(layout).exportToPdf(path, s)
        assert result == QgsLayoutExporter.Success, result

    out = Path(spec["out"])
    export(build(), str(out))  # warm-up
    layout = build()
    print(json.dumps({"ready": Qgis.QGIS_VERSION}), flush=True)
    for line in sys.stdin:  # one turn per line, taken in turns with CoopAtlas (same load on both)
        if line.strip() != "turn":
            break
        t0, c0 = time.perf_counter(), time.process_time()
        export(build(), str(out))
        full, full_cpu = time.perf_counter() - t0, time.process_time() - c0
        t0, c0 = time.perf_counter(), time.process_time()
        export(layout, str(out))
        only, only_cpu = time.perf_counter() - t0, time.process_time() - c0
        print(
            json.dumps(
                {
                    "build_export": full,
                    "export": only,
                    "build_export_cpu": full_cpu,
                    "export_cpu": only_cpu,
                    "pdf_bytes": out.stat().st_size,
                }
            ),
            flush=True,
        )
    app.exitQgis()
    return 0


# --- CoopAtlas side ----------------------------------------------------------------------------------------------


def median_ms(values) -> float:
    return round(statistics.median(values) * 1000.0, 1)


class Ours:
    """CoopAtlas in this process: one turn = the map page once, then the whole ``carte-pays`` PDF once."""

    def __init__(self, country: str):
        from coopatlas.cartography import countrymap as cm
        from coopatlas.cartography.geography import world
        from coopatlas.cartography.options import parse_options
        from coopatlas.store import default_location, open_store

        self.cm = cm
        self.store = open_store(default_location())
        self.world = world()
        self.opts = parse_options({"country": country, "format": "pdf"}, self.world)
        cm.render_country_map(self.store, self.opts, self.world)  # warm-up: fonts, geography, imports
        self.page, self.full, self.page_cpu, self.full_cpu, self.sizes = [], [], [], [], {}

    def turn(self) -> None:
        from coopatlas.cartography import export

        cm = self.cm
        t0, c0 = time.perf_counter(), time.process_time()
        model = cm.build_country_map(self.store, self.opts, self.world)
        fig, info = cm.map_figure(model)
        data = export.pdf_bytes([fig], cm.document_metadata(model))
        self.page.append(time.perf_counter() - t0)
        self.page_cpu.append(time.process_time() - c0)
        self.sizes["page"] = len(data)
        t0, c0 = time.perf_counter(), time.process_time()
        data, info = cm.render_country_map(self.store, self.opts, self.world)
        self.full.append(time.perf_counter() - t0)
        self.full_cpu.append(time.process_time() - c0)
        self.sizes.update(full=len(data), pages=info.pages)
        self.model, self.info = model, info

    def spec(self) -> dict:
        """What QGIS needs to make the same page: projection, extent, page and frame boxes, texts."""
        from coopatlas.data.reference import ATTRIBUTIONS, REFERENCE_GPKG

        info, model = self.info, self.model
        lay = info.layout
        return {
            "country": model.country.code,
            "proj4": info.main.proj.proj4,
            "extent": list(info.main.extent),
            "page_mm": [lay.width, lay.height],
            "map_mm": [lay.map.x, lay.map.y, lay.map.w, lay.map.h],
            "reference": str(REFERENCE_GPKG),
            "atlas": str(self.store.location),
            "title": model.title,
            "subtitle": model.subtitle,
            "credits": "\n".join(ATTRIBUTIONS),
            "bar_km": info.scale_bar.km,
            "orientation": lay.orientation,
        }


def run(country: str, runs: int, with_qgis: bool) -> tuple[dict, dict | None, dict]:
    """``runs`` turns of CoopAtlas and QGIS one after the other (QGIS in a subprocess kept open)."""
    ours = Ours(country)
    ours.turn()  # a first turn gives the page, extent and projection QGIS reproduces
    ours.page, ours.full, ours.page_cpu, ours.full_cpu = [], [], [], []
    spec = ours.spec()
    qgis, proc = None, None
    if with_qgis and Path(QGIS_PYTHON).exists():
        out = ROOT / "test-artefacts" / "benchmarks" / f"qgis-{country}.pdf"
        out.parent.mkdir(parents=True, exist_ok=True)
        path = out.with_suffix(".json")
        path.write_text(json.dumps({**spec, "out": str(out)}), encoding="utf-8")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": ""}
        proc = subprocess.Popen(
            [QGIS_PYTHON, str(Path(__file__).resolve()), "--qgis-spec", str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        ready = json.loads(proc.stdout.readline() or "{}")
        if "ready" not in ready:
            proc.kill()
            raise SystemExit(f"QGIS did not start: {ready}")
        qgis = {"qgis": ready["ready"], "build_export": [], "export": [], "build_export_cpu": [], "export_cpu": []}
    try:
        for _ in range(runs):
            ours.turn()
            if proc:
                proc.stdin.write("turn\n")
                proc.stdin.flush()
                r = json.loads(proc.stdout.readline())
                for key in ("build_export", "export", "build_export_cpu", "export_cpu"):
                    qgis[key].append(r[key])
    finally:
        if proc:
            proc.stdin.write("quit\n")
            proc.stdin.close()
            proc.wait(timeout=60)
    return (
        {
            "map_page": ours.page,
            "carte_pays": ours.full,
            "map_page_cpu": ours.page_cpu,
            "carte_pays_cpu": ours.full_cpu,
            "sizes": ours.sizes,
        },
        qgis,
        spec,
    )


def table(res: dict) -> str:
    ours, q = res["coopatlas"], res.get("qgis")
    lines = [
        f"{res['date']}; {res['machine']}; Python {res['python']}, matplotlib {res['matplotlib']}"
        + (f", QGIS {q['qgis']}" if q else "")
        + f"; {res['runs']} turns after a warm-up, medians; "
        f"1-minute load average {res['load_before']} before, {res['load_after']} after (CoopAtlas and "
        "QGIS take turns, so that a change of load hits both alike; CPU time, the process's own, is less "
        "sensitive to the load than wall time).",
        "",
        f"Country: {res['country']} ({res['orientation']} A4, projection `{res['proj4'].split(' +x_0')[0]}`).",
        "",
        "| what | wall, median (ms) | CPU, median (ms) | wall ÷ QGIS | CPU ÷ QGIS |",
        "|---|---:|---:|---:|---:|",
    ]
    base = (median_ms(q["build_export"]), median_ms(q["build_export_cpu"])) if q else None

    def row(label, wall, cpu):
        w, c = median_ms(wall), median_ms(cpu)
        rw = f"{w / base[0]:.2f}" if base else "n/a"
        rc = f"{c / base[1]:.2f}" if base else "n/a"
        lines.append(f"| {label} | {w} | {c} | {rw} | {rc} |")

    row("CoopAtlas: map page, PDF (1 page)", ours["map_page"], ours["map_page_cpu"])
    row(
        f"CoopAtlas: `carte-pays` PDF (map + complete table, {ours['sizes']['pages']} pages)",
        ours["carte_pays"],
        ours["carte_pays_cpu"],
    )
    if q:
        row("QGIS 3.22: print layout built + exported to PDF", q["build_export"], q["build_export_cpu"])
        row("QGIS 3.22: same layout exported again", q["export"], q["export_cpu"])
    lines += ["", "Targets: map page ≤ 1 s warm; ≤ 3 × QGIS's build + export."]
    return "\n".join(lines)


SECTION = """## Country maps

`benchmarks/maps.py`: one A4 country map in PDF, warm, by CoopAtlas (`carte-pays`) and, side by side in
the same run, by QGIS 3.22 exporting a print layout of the same simple map.

```
.venv/bin/python benchmarks/maps.py [--country BF] [--runs 15] [--no-qgis] [--no-readme]
```

* **CoopAtlas, map page**: the model (data query, projection, extent), the page drawn with matplotlib
  (map, insets, labels, legend, locator, table of the main partnerships, credits) and written to PDF
  (text as Type 42 text). **`carte-pays` PDF**: the process's whole output, the map page plus the
  complete table of the partnerships on annex pages (reportlab), merged.
* **QGIS 3.22** (Debian's `/usr/bin/python3`, `qgis.core`, offscreen): a print layout of the same page
  size with a map item of the same extent and projection — the reference countries (the country white,
  the others grey, on the sea colour), the country's partners as blue circles sized by their projects
  and labelled by QGIS's label engine — a title, a subtitle, a legend, a scale bar, a north arrow and the
  credits, exported with `QgsLayoutExporter.exportToPdf` (text as text). Layers are loaded once (as
  CoopAtlas keeps its reference geography in memory); *built + exported* makes the layout each time,
  *exported again* re-exports the same layout. The QGIS page has no locator map, no table, no pies and
  no neighbour or region names: CoopAtlas does more work per page.

The two take turns (one CoopAtlas run, one QGIS run) after a warm-up each, so that a change of load on
the machine hits both alike; medians of wall time and of each process's CPU time. Results:
`benchmarks/results/maps.json`; the table below is rewritten by each run.
"""


def write_readme(res: dict) -> None:
    text = README.read_text(encoding="utf-8") if README.exists() else "# Benchmarks\n"
    block = f"{BEGIN}\n{table(res)}\n{END}"
    if BEGIN in text and END in text:
        text = text[: text.index(BEGIN)] + block + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip("\n") + "\n\n" + SECTION + "\n" + block + "\n"
    README.write_text(text, encoding="utf-8")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", default="BF")
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--no-qgis", action="store_true")
    parser.add_argument("--no-readme", action="store_true", help="do not rewrite benchmarks/README.md")
    parser.add_argument("--results", default=str(RESULTS), help="JSON file of the results (default: %(default)s)")
    parser.add_argument("--qgis-spec", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.qgis_spec:
        return qgis_main(args.qgis_spec)
    sys.path.insert(0, str(ROOT))
    import matplotlib

    load_before = round(os.getloadavg()[0], 2)
    ours, qgis, spec = run(args.country, args.runs, not args.no_qgis)
    res = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": f"{os.cpu_count()} CPUs, {platform.machine()}",
        "python": platform.python_version(),
        "matplotlib": matplotlib.__version__,
        "runs": args.runs,
        "country": args.country,
        "orientation": spec["orientation"],
        "proj4": spec["proj4"],
        "load_before": load_before,
        "load_after": round(os.getloadavg()[0], 2),
        "coopatlas": ours,
        "qgis": qgis,
    }
    results = Path(args.results)
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(table(res))
    if not args.no_readme:
        write_readme(res)
    return 0


if __name__ == "__main__":
    sys.exit(main())
