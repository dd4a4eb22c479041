"""Import of APD declarations in lines (collectivity × country × year × DAC sector × channel, with the OECD
policy markers), French or OECD CRS headers: the round trip file -> import -> interchange folder -> build
-> GeoPackage, the files of the old form (no sector nor channel), and every bad code reported with its
file, line and column."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from coopatlas import vocabulary as voc
from coopatlas.data.build import build
from coopatlas.data.importers.atlas_cncd import import_atlas
from coopatlas.data.importers.sources import SourceError
from coopatlas.data.interchange import read_interchange, write_interchange
from support.import_samples import SAMPLE, SAMPLES, import_error

ROOT = Path(__file__).resolve().parents[2]
OLD_APD = ROOT / "tests" / "data" / "apd" / "apd_2011_2012.csv"
MARKERS = voc.champs_marqueurs()
CRS_HEADER = [
    "Collectivité",
    "Type de collectivité",
    "RecipientName",
    "Year",
    "PurposeCode",
    "ChannelCode",
    "Montant (€)",
    "Gender",
    "Environment",
    "Biodiversity",
    "ClimateMitigation",
    "ClimateAdaptation",
    "Desertification",
    "Nutrition",
]
FRENCH_HEADER = [
    "Collectivité",
    "Type de collectivité",
    "Pays",
    "Année",
    "Secteur CAD",
    "Canal d'acheminement",
    "Montant (€)",
    "Marqueur genre",
    "Marqueur environnement",
    "Marqueur biodiversité",
    "Marqueur climat atténuation",
    "Marqueur climat adaptation",
    "Marqueur désertification",
    "Marqueur nutrition",
]
VOUNEUIL = ["Vouneuil-sous-Biard", "Commune"]
#: Two lines of one declaration (same collectivity, country and year), the second with a finer CRS channel.
LINES = [
    [*VOUNEUIL, "Burkina Faso", "2012", "14030", "12000", "8 000", "1", "2", "0", "0", "1", "", ""],
    [*VOUNEUIL, "Burkina Faso", "2012", "12240", "41122", "4 500,50", "significatif", "0", "0", "0", "0", "", "2"],
    [*VOUNEUIL, "Burkina Faso", "2011", "", "", "1 000", "", "", "", "", "", "", ""],
]


@pytest.fixture(scope="module")
def zone(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("zone") / "zone.csv"
    SAMPLE.write_csv(path, SAMPLE.AFRIQUE_HEADER, [list(SAMPLE.AFRIQUE[0])], "utf-8", ";")
    return path


def write_apd(path: Path, header: list[str], lines: list[list[str]]) -> Path:
    SAMPLE.write_csv(path, header, lines, "utf-8", ";")
    return path


@pytest.mark.parametrize("header", [CRS_HEADER, FRENCH_HEADER], ids=["crs", "french"])
def test_round_trip_to_the_geopackage(tmp_path, zone, reference, mapping, header):
    apd = write_apd(tmp_path / "apd.csv", header, LINES)
    result = import_atlas([zone], mapping, apd_files=[apd], reference=reference)
    assert any("1 codes de canal CRS ramenés à leur canal parent" in note for note in result.notes)
    folder = write_interchange(result.tables, tmp_path / "interchange")
    gpkg = tmp_path / "atlas.gpkg"
    build(gpkg, source=str(folder), progress=lambda message: None)
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = [dict(r) for r in con.execute("SELECT * FROM apd ORDER BY annee, montant")]
        (total,) = con.execute("SELECT apd_total FROM collectivites WHERE nom = 'Vouneuil-sous-Biard'").fetchone()
    finally:
        con.close()
    assert [(r["annee"], r["secteur"], r["canal"], r["montant"]) for r in rows] == [
        (2011, None, None, 1000.0),
        (2012, "12240", "41000", 4500.5),  # UNICEF's 41122 brought to "UN agency, fund or commission"
        (2012, "14030", "12000", 8000.0),
    ]
    assert [rows[2][m] for m in MARKERS] == [1, 2, 0, 0, 1, None, None]
    assert [rows[1][m] for m in MARKERS] == [1, 0, 0, 0, 0, None, 2]
    assert [rows[0][m] for m in MARKERS] == [None] * len(MARKERS)  # not declared
    assert total == 13_500.5  # the collectivity's APD: the sum of its lines


def test_old_files_still_load(reference, mapping):
    zones = sorted(SAMPLES.glob("atlas_zone_*"))
    result = import_atlas(zones, mapping, apd_files=[OLD_APD], reference=reference)
    apd = result.tables.apd
    assert len(apd) == 10
    assert apd["secteur"].isna().all() and apd["canal"].isna().all()
    assert all(apd[m].isna().all() for m in MARKERS)


def test_an_old_interchange_folder_still_reads(tmp_path, zone, reference, mapping):
    apd = write_apd(tmp_path / "apd.csv", CRS_HEADER, LINES[:1])
    folder = write_interchange(
        import_atlas([zone], mapping, apd_files=[apd], reference=reference).tables, tmp_path / "x"
    )
    path = folder / "apd.csv"
    header, *body = path.read_text(encoding="utf-8").splitlines()
    keep = [
        i
        for i, name in enumerate(header.split(","))
        if name in ("id", "collectivite_id", "pays_code", "annee", "montant")
    ]
    path.write_text("\n".join(",".join(line.split(",")[i] for i in keep) for line in [header, *body]) + "\n")
    tables = read_interchange(folder, reference)
    assert tables.apd["montant"].tolist() == [8000.0] and tables.apd["secteur"].isna().all()


def test_bad_codes_name_the_line_and_column(tmp_path, zone, reference, mapping):
    apd = write_apd(
        tmp_path / "apd.csv",
        CRS_HEADER,
        [
            LINES[0],
            [*VOUNEUIL, "Burkina Faso", "2012", "14030", "12000", "1", "", "", "", "", "", "", ""],  # same line again
            [*VOUNEUIL, "Burkina Faso", "2012", "99999", "12000", "1", "", "", "", "", "", "", ""],
            [*VOUNEUIL, "Burkina Faso", "2012", "14030", "77777", "1", "", "", "", "", "", "", ""],
            [*VOUNEUIL, "Burkina Faso", "2012", "14030", "22000", "1", "3", "", "", "", "", "", ""],
            [*VOUNEUIL, "Burkina Faso", "2012", "14030", "23000", "1", "", "", "", "", "", "", "beaucoup"],
        ],
    )
    msg = import_error([zone], reference, mapping, apd=[apd])
    assert msg.startswith("5 problems"), msg
    assert (
        f"{apd}, line 3, column 'Year': second declaration of 'Vouneuil-sous-Biard' for BF in 2012, sector 14030, "
        f"channel 12000 (first at {apd}:2)" in msg
    )
    assert f"{apd}, line 4, column 'PurposeCode': unknown DAC purpose code '99999'" in msg
    assert f"{apd}, line 5, column 'ChannelCode': unknown CRS channel code '77777'" in msg
    assert f"{apd}, line 6, column 'Gender': bad marker score '3' (0 not targeted, 1 significant, 2 principal" in msg
    assert f"{apd}, line 7, column 'Nutrition': bad marker score 'beaucoup'" in msg


def test_interchange_bad_codes_name_the_line_and_column(tmp_path, zone, reference, mapping):
    apd = write_apd(tmp_path / "apd.csv", CRS_HEADER, LINES[:2])
    folder = write_interchange(
        import_atlas([zone], mapping, apd_files=[apd], reference=reference).tables, tmp_path / "x"
    )
    path = folder / "apd.csv"
    header, first, second = path.read_text(encoding="utf-8").splitlines()
    names = header.split(",")

    def edited(line: str, **values) -> str:
        cells = line.split(",")
        for name, value in values.items():
            cells[names.index(name)] = value
        return ",".join(cells)

    path.write_text(
        "\n".join([header, edited(first, secteur="99999", canal="41122"), edited(second, marqueur_genre="3")]) + "\n"
    )
    with pytest.raises(SourceError) as exc:
        read_interchange(folder, reference)
    msg = str(exc.value)
    known = f"known: the {len(voc.SECTEURS_CAD)} codes of /vocabulaire"
    assert f"{path}, line 2, column 'secteur': unknown secteur_cad '99999'; {known}" in msg
    assert f"{path}, line 2, column 'canal': unknown canal '41122'" in msg  # the interchange holds kept codes only
    assert f"{path}, line 3, column 'marqueur_genre': bad marker score: '3'" in msg
