"""The declared APD in the column layout of the OECD CRS (``apd-crs.csv`` of the bulk downloads): the CRS
column names where the CRS has the same thing, euros said in the amount's name, every line of the atlas
with its codes and English names, read back with pandas and served by ``/downloads``."""

from __future__ import annotations

import csv
import io
import sqlite3

import pandas as pd
import pytest

from coopatlas import vocabulary as voc
from coopatlas.opendata.apd_crs import FILE_NAME, write_crs_csv
from coopatlas.store import Store
from support.figures import published_figures

#: The CRS files' own column names (OECD CRS bulk download), in the order the file gives them.
CRS_NAMES = [
    "Year",
    "RecipientName",
    "PurposeCode",
    "PurposeName",
    "SectorCode",
    "SectorName",
    "ChannelCode",
    "ChannelName",
    "Gender",
    "Environment",
    "Biodiversity",
    "ClimateMitigation",
    "ClimateAdaptation",
    "Desertification",
    "Nutrition",
]


@pytest.fixture(scope="module")
def crs(atlas_gpkg_path, tmp_path_factory) -> tuple[list[str], pd.DataFrame]:
    path = tmp_path_factory.mktemp("crs") / FILE_NAME
    store = Store(atlas_gpkg_path)
    try:
        n = write_crs_csv(store, path)
    finally:
        store.close()
    header = path.read_text(encoding="utf-8").split("\n", 1)[0].split(",")
    frame = pd.read_csv(path, dtype={"PurposeCode": str, "SectorCode": str, "ChannelCode": str})
    assert len(frame) == n
    return header, frame


@pytest.fixture(scope="module")
def lines(atlas_gpkg_path) -> pd.DataFrame:
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    try:
        return pd.read_sql("SELECT * FROM apd ORDER BY id", con)
    finally:
        con.close()


def test_header_uses_the_crs_names(crs):
    header, _ = crs
    assert [h for h in header if h in CRS_NAMES] == CRS_NAMES
    assert "EUR_Disbursement" in header and not any(h.startswith("USD") for h in header)
    assert "RecipientCode" not in header, "the CRS's RecipientCode is the DAC numeric code, not ISO alpha-2"
    assert [h for h in header if h not in CRS_NAMES] == [
        "id",
        "collectivite_id",
        "collectivite_nom",
        "type_collectivite",
        "pays_code",
        "EUR_Disbursement",
    ]


def test_every_line_with_its_codes(crs, lines):
    _, frame = crs
    assert frame["id"].tolist() == lines["id"].tolist()
    assert frame["EUR_Disbursement"].tolist() == lines["montant"].tolist()
    assert frame["PurposeCode"].tolist() == lines["secteur"].tolist()
    assert frame["ChannelCode"].tolist() == lines["canal"].tolist()
    assert (frame["SectorCode"] == frame["PurposeCode"].str[:3]).all()
    for term in voc.MARQUEURS:
        got = frame[term.extra["crs"]].astype("Int64")
        expected = lines[term.extra["champ"]].astype("Int64")
        assert got.isna().tolist() == expected.isna().tolist(), term.code
        assert (got.dropna() == expected.dropna()).all(), term.code
    first = frame.iloc[0]
    assert first["PurposeName"] == voc.SECTEURS_CAD[first["PurposeCode"]].en
    assert first["ChannelName"] == voc.CANAUX[first["ChannelCode"]].en
    burkina = frame[frame["pays_code"] == "BF"]
    assert set(burkina["RecipientName"]) == {"Burkina Faso"}


def test_published_totals_in_euros(crs):
    _, frame = crs
    by_year = frame.groupby("Year")["EUR_Disbursement"].sum()
    for row in published_figures("seed_figures.csv"):
        if row["scope"] == "monde" and row["indicator"].startswith("apd_"):
            assert by_year[int(row["indicator"][4:])] == int(row["value"])


def test_served_with_the_downloads(atlas_server):
    index = atlas_server.get("/downloads", f="json", timeout=600).json()
    entry = next(e for e in index["files"] if e["file"] == FILE_NAME)
    assert entry["collection"] == "apd" and entry["format"] == "csv" and entry["profile"] == "OECD CRS"
    response = atlas_server.get(f"/downloads/{FILE_NAME}", timeout=120)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0][:2] == ["id", "Year"] and len(rows) - 1 == entry["rows"]
