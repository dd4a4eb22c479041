"""A small, deterministic atlas GeoPackage made from the schema alone, for tests of the stores.

Every collection of :mod:`coopatlas.schema` gets ``n`` rows whose values follow the field types and code
lists, with the awkward cases a loader must carry unchanged: accents and ``œ``, quotes, commas, tabs,
new lines, backslashes, empty strings next to NULLs, ``false`` next to NULL booleans, points on the
antimeridian, multipolygons with holes, multilinestrings split at the antimeridian. Coordinates are
EPSG:4326 longitude/latitude degrees.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from shapely.geometry import MultiLineString, MultiPolygon, Point, Polygon

from coopatlas import schema as sch
from coopatlas.store import build_writer
from coopatlas.vocabulary import STATUTS_VALIDATION

AWKWARD_TEXTS = [
    "Coopération « Ziniaré » — Œuvre d'eau",
    'Guillemets "doubles", virgules, ; points-virgules',
    "Tabulation\tet\nretour à la ligne\r\nWindows",
    "Barre oblique inverse \\N et \\\\ et \\t",
    "",
    "Voïvodie de Silésie, Łódź, São Paulo, Hà Nội",
    "日本語のテキスト",
]
WORDS = [
    "eau",
    "assainissement",
    "ecole",
    "sante",
    "jeunesse",
    "agriculture",
    "culture",
    "climat",
    "energie",
    "gouvernance",
    "tourisme",
    "patrimoine",
    "femmes",
    "dechets",
    "formation",
    "numerique",
]


def _geometry(kind: str, rng: random.Random, i: int):
    if kind == "POINT":
        if i % 17 == 3:
            return Point(180.0, rng.uniform(-60, 60))  # on the antimeridian
        return Point(round(rng.uniform(-179.9, 179.9), 6), round(rng.uniform(-60, 75), 6))
    if kind == "MULTILINESTRING":
        x0, y0 = rng.uniform(-5, 8), rng.uniform(42, 51)
        if i % 5 == 0:  # split at the antimeridian
            y1 = rng.uniform(-40, 20)
            return MultiLineString([[(x0, y0), (90, (y0 + y1) / 2), (180, y1)], [(-180, y1), (-170, y1 + 1)]])
        return MultiLineString([[(x0, y0), (rng.uniform(-170, 170), rng.uniform(-50, 60))]])
    if kind == "MULTIPOLYGON":
        x, y = rng.uniform(-170, 160), rng.uniform(-50, 60)
        outer = [(x, y), (x + 5, y), (x + 5, y + 5), (x, y + 5), (x, y)]
        hole = [(x + 1, y + 1), (x + 2, y + 1), (x + 2, y + 2), (x + 1, y + 2), (x + 1, y + 1)]
        polys = [Polygon(outer, [hole] if i % 2 else [])]
        if i % 3 == 0:
            polys.append(Polygon([(x + 6, y), (x + 8, y), (x + 8, y + 2), (x + 6, y)]))
        return MultiPolygon(polys)
    raise ValueError(kind)


def _value(field: sch.Field, cid: str, i: int, rng: random.Random):
    if field.name == "id":
        return f"{cid[:3].upper()}-{i:05d}"
    if field.name == "statut_validation":
        return STATUTS_VALIDATION.codes[i % len(STATUTS_VALIDATION.codes)]
    if field.nullable and rng.random() < 0.08:
        return None
    voc = field.vocabulary
    if voc is not None:
        return rng.choice(voc.codes)
    if field.type == sch.BOOLEAN:
        return rng.random() < 0.3
    if field.type == sch.INTEGER:
        return rng.randint(1990, 2024) if "annee" in field.name else rng.randint(0, 250)
    if field.type == sch.REAL:
        return round(rng.uniform(0, 2_000_000), 2) if rng.random() < 0.9 else rng.uniform(0, 1) / 3
    if field.type == sch.DATE:
        return (dt.date(2005, 1, 1) + dt.timedelta(days=rng.randint(0, 7000))).isoformat()
    if field.name.endswith("pays_code") or field.name == "pays_code":
        return rng.choice(["BF", "SN", "VN", "PL", "BR", "MA", "JP", "HT"])
    if rng.random() < 0.25:
        return rng.choice(AWKWARD_TEXTS)
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(1, 6))).capitalize()


def sample_tables(n: int = 60, seed: int = 7) -> dict[str, list[dict]]:
    """Rows for every stored table (``bourse_demandes`` for ``demandes``), ``n`` per table."""
    rng = random.Random(seed)
    tables = {}
    for cid, coll in sch.COLLECTIONS.items():
        table = sch.DEMANDES_TABLE if cid == "demandes" else cid
        rows = []
        # the first free text field gets every awkward text once, then a NULL, whatever the random draws
        text_field = next(
            f.name for f in coll.fields if f.type == sch.TEXT and f.codelist is None and f.name != "id" and f.nullable
        )
        for i in range(n):
            row = {f.name: _value(f, cid, i, rng) for f in coll.fields}
            if i < len(AWKWARD_TEXTS):
                row[text_field] = AWKWARD_TEXTS[i]
            elif i == len(AWKWARD_TEXTS):
                row[text_field] = None
            if coll.geometry:
                row["geometry"] = None if i == n - 1 and coll.geometry == "POINT" else _geometry(coll.geometry, rng, i)
            rows.append(row)
        tables[table] = rows
    return tables


def write_sample_atlas(path: str | Path, n: int = 60, seed: int = 7) -> Path:
    """Write the sample atlas GeoPackage at ``path`` (replaced if it exists); returns the path."""
    path = Path(path)
    path.unlink(missing_ok=True)
    con = build_writer.new_geopackage(str(path))
    with con:
        build_writer.write_collections(con, sample_tables(n, seed))
    con.close()
    return path
