"""A gallery of country maps for a person to look at: large, small, elongated, multi-part countries,
across the antimeridian, with insets, and one country without projects.

    python -m coopatlas.cartography.gallery --out test-artefacts/gallery [--dpi 110] [--format png]
        [--paper A4] [--lang fr] [--countries BF,VN,...] [--gpkg build/atlas.gpkg]

Writes one file per country (``carte-<CODE>.<ext>``) and ``index.html`` showing them, and prints the
time each map took.
"""

from __future__ import annotations

import argparse
import html
import sys
import time
from pathlib import Path

#: Burkina Faso (the Atlas's first partner), Vietnam and Chile (elongated), Indonesia (archipelago on the
#: equator), Cap-Vert (small islands), Russia (across the antimeridian, huge), the United States (Alaska
#: and Hawaii insets), Fiji (across the antimeridian), Germany (1 000+ partners), Oman (no project).
DEFAULT_COUNTRIES = ("BF", "VN", "CL", "ID", "CV", "RU", "US", "FJ", "DE", "OM")


def main(argv: list[str] | None = None) -> int:
    from ..store import default_location, open_store
    from .countrymap import render_country_map
    from .geography import world
    from .options import EXTENSIONS, InputError, parse_options

    parser = argparse.ArgumentParser(
        prog="python -m coopatlas.cartography.gallery", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--out", default="test-artefacts/gallery", help="folder to write (default: %(default)s)")
    parser.add_argument("--countries", default=",".join(DEFAULT_COUNTRIES), help="comma-separated countries")
    parser.add_argument("--format", default="png", choices=("png", "pdf", "svg", "geotiff"))
    parser.add_argument("--dpi", type=int, default=110, help="dpi of png/geotiff (default: %(default)s)")
    parser.add_argument("--paper", default="A4", choices=("A4", "A3"))
    parser.add_argument("--orientation", default="auto", choices=("auto", "portrait", "landscape"))
    parser.add_argument("--lang", default="fr", choices=("fr", "en"))
    parser.add_argument("--gpkg", default=None, help="atlas database (default: the server's)")
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    store = open_store(args.gpkg or default_location())
    w = world()
    rows = []
    for code in [c.strip() for c in args.countries.split(",") if c.strip()]:
        params = {
            "country": code,
            "format": args.format,
            "paper": args.paper,
            "orientation": args.orientation,
            "lang": args.lang,
        }
        if args.format in ("png", "geotiff"):
            params["dpi"] = args.dpi
        try:
            opts = parse_options(params, w)
        except InputError as exc:
            print(f"{code}: {exc}", file=sys.stderr)
            return 2
        t0 = time.perf_counter()
        data, info = render_country_map(store, opts, w)
        dt = time.perf_counter() - t0
        name = f"carte-{opts.country.code}.{EXTENSIONS[args.format]}"
        (out / name).write_bytes(data)
        lay = info.layout
        desc = (
            f"{opts.country.nom_fr}: {dt:.2f} s, {lay.paper} {lay.orientation}, panel {lay.panel_side}, "
            f"{opts.country and info.main.proj.kind}, scale bar {info.scale_bar.km if info.scale_bar else '-'} km, "
            f"{len(info.labels)} labels, {len(info.insets)} inset(s)"
        )
        print(f"{name}  {desc}")
        rows.append((name, desc))
    page = [
        "<!doctype html><meta charset='utf-8'><title>CoopAtlas: country maps</title>",
        "<style>body{font-family:sans-serif}img{max-width:100%;border:1px solid #ccc}</style>",
    ]
    for name, desc in rows:
        page.append(f"<h2>{html.escape(desc)}</h2>")
        page.append(
            f"<img src='{html.escape(name)}'>"
            if name.endswith((".png", ".svg"))
            else f"<a href='{html.escape(name)}'>{html.escape(name)}</a>"
        )
    (out / "index.html").write_text("\n".join(page), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
