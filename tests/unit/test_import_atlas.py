# SPDX-License-Identifier: GPL-3.0-or-later
"""Import of the Atlas's open-data zone files and of APD files (coopatlas/data/importers).

End to end: the sample zone files of tests/data/atlas_cncd (Windows-1252 ``;`` CSV with a title line,
XLSX workbook with a notice sheet, UTF-8 ``,`` CSV) and tests/data/apd -> ``coopatlas import`` ->
interchange folder -> ``coopatlas build --import`` -> GeoPackage read back with pyogrio. Then every bad
input, each reported with its file, line and column.
"""

from __future__ import annotations

import contextlib
import csv
import io
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from coopatlas.cli import main as cli
from coopatlas.data.importers.atlas_cncd import import_atlas
from coopatlas.data.importers.common import REPORT_FILE, parse_amount
from coopatlas.data.importers.mapping import MappingError, ValueMap, load_mapping
from coopatlas.data.importers.places import FrenchAuthorities, Gazetteer, NotFound
from coopatlas.data.importers.sources import decode, sniff_delimiter
from support.import_samples import SAMPLE, SAMPLES, import_error

ROOT = Path(__file__).resolve().parents[2]
ZONES = [
    SAMPLES / "atlas_zone_afrique.csv",
    SAMPLES / "atlas_zone_europe.xlsx",
    SAMPLES / "atlas_zone_ameriques_asie_oceanie.csv",
]
APD = ROOT / "tests" / "data" / "apd" / "apd_2011_2012.csv"


def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli(args)
        except SystemExit as exc:  # argparse: bad usage (or a sub-command cli.py does not list)
            code = exc.code
    return code, out.getvalue(), err.getvalue()


# --- End to end -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("import") / "atlas"
    code, stdout, stderr = run_cli(["import", "--apd", str(APD), "--out", str(out), *map(str, ZONES)])
    assert code == 0, stderr
    return out, stdout, stderr


@pytest.fixture(scope="module")
def built(imported, tmp_path_factory) -> Path:
    gpkg = tmp_path_factory.mktemp("build") / "atlas.gpkg"
    code, _, stderr = run_cli(["build", "--import", str(imported[0]), "--out", str(gpkg), "--quiet"])
    assert code == 0, stderr
    return gpkg


def layer(gpkg: Path, name: str):
    return pyogrio.read_dataframe(gpkg, layer=name, datetime_as_string=True)


def test_import_writes_an_interchange_folder_and_a_report(imported):
    out, stdout, stderr = imported
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "collectivites.csv",
            "partenaires.csv",
            "projets.csv",
            "demandes.csv",
            "apd.csv",
            "cofinancements.csv",
            "metadata.json",
            REPORT_FILE,
        ]
    )
    assert "48 projets, 39 collectivités, 47 partenaires, 10 déclarations d'APD" in stdout
    # the partners placed at the country are listed on the terminal and first in the report
    for name in ("Zimanga", "Douroula", "Gemeinde Ruhpolding"):
        assert name in stdout
    with open(out / REPORT_FILE, encoding="utf-8", newline="") as f:
        report = list(csv.DictReader(f))
    partners = [r for r in report if r["objet"] == "partenaire"]
    assert len(partners) == 47
    assert [r["precision_geo"] for r in partners[:3]] == ["pays"] * 3
    assert {r["nom"] for r in partners[:3]} == {"Zimanga", "Douroula", "Gemeinde Ruhpolding"}
    assert partners[0]["premiere_ligne"].startswith(str(SAMPLES))
    # nothing silently dropped: the notice sheet of the workbook is mentioned
    assert "feuille 'Notice' ignorée" in stdout
    # progress lines, one per file
    assert "atlas_zone_afrique.csv : 21 projets lus" in stderr and "apd_2011_2012.csv : 10" in stderr


def test_built_geopackage_counts_and_precisions(built):
    info = pyogrio.read_info(built, layer="projets")
    assert info["crs"] == "EPSG:4326" and info["features"] == 48
    part = layer(built, "partenaires")
    assert len(part) == 47
    assert part["precision_geo"].value_counts().to_dict() == {"localite": 34, "admin1": 10, "pays": 3}
    assert set(part.loc[part["precision_geo"] == "pays", "nom"]) == {"Zimanga", "Douroula", "Gemeinde Ruhpolding"}
    proj = layer(built, "projets")
    assert proj["precision_geo"].value_counts().to_dict() == {"localite": 34, "admin1": 11, "pays": 3}
    assert len(layer(built, "collectivites")) == 39
    assert len(layer(built, "liens")) == 48
    assert len(pyogrio.read_dataframe(built, layer="apd", read_geometry=False)) == 10
    assert len(layer(built, "demandes")) == 0
    assert proj["type_action"].value_counts().to_dict() == {"cooperation_decentralisee": 42, "action_exterieure": 6}


def test_projects_are_read_as_written(built):
    proj = layer(built, "projets").set_index("id")
    p = proj.loc["AFR-0004"]  # Windows-1252 CSV: accents, statuses, years, co-financing labels
    assert p["collectivite_nom"] == "Conseil général de l'Isère" and p["type_collectivite"] == "departement"
    assert p["code_departement"] == "38" and p["code_region"] == "84"
    assert (p["statut"], p["annee_convention"], p["annee_lancement"], p["annee_fin"]) == ("termine", 2004, 2004, 2008)
    assert (p["thematique"], p["sous_thematique"]) == ("eau_assainissement", "eau_potable")
    assert p["loi_oudin"] and p["cofinance_agence_eau"] and not p["cofinance_mae"]
    assert (p["pays_code"], p["partenaire_nom"], p["precision_geo"]) == ("ML", "Commune de Tombouctou", "localite")
    assert proj.loc["AFR-0003", "cofinancement_types"] == "mae,afd"
    assert proj.loc["AFR-0009", "jumelage"]  # the type label "Jumelage" says so
    assert proj.loc["AFR-0015", "type_action"] == "action_exterieure"
    sedif = proj.loc["AFR-0011"]  # Loi Oudin given as a co-financing label
    assert sedif["type_collectivite"] == "autre" and sedif["loi_oudin"] and pd.isna(sedif["cofinancement_types"])
    assert proj.loc["AFR-0016", "thematique"] == "economie_tourisme"  # "Coopération économique*" label
    assert proj.loc["AFR-0001", "date_maj"] == "2012-11-15"
    # XLSX: generated ids, real Excel dates and plain years
    stuttgart = proj.loc["atlas-zone-europe-4"]
    assert stuttgart["partenaire_nom"] == "Stuttgart" and stuttgart["jumelage"]
    assert stuttgart["annee_lancement"] == 1962 and stuttgart["date_maj"] == "2013-01-10"
    assert proj.loc["atlas-zone-europe-5", "annee_lancement"] == 1956
    # UTF-8 CSV: quoted line breaks and quotes
    assert proj.loc["AAO-02", "description"] == "Stages d'agents.\nDeux sessions par an."
    assert '"parasismiques"' in proj.loc["AAO-03", "description"]
    assert proj.loc["AAO-03", "sous_sous_thematique"] == "reconstruction_post_crise"


def test_collectivities_are_found_in_the_reference(built):
    coll = layer(built, "collectivites").set_index("id")
    paris = coll.loc["commune-75056"]  # "Paris" and "Ville de Paris": one collectivity
    assert paris["nom"] == "Paris" and paris["nb_projets"] == 3 and paris["apd_total"] == 1_000_000
    assert coll.loc["commune-93066", "nom"] == coll.loc["commune-97411", "nom"] == "Saint-Denis"
    assert coll.loc["commune-97411", "code_departement"] == "974"
    rhone_alpes = coll.loc["region-82"]  # a former region: its own code, today's region
    assert rhone_alpes["code_region"] == "84" and rhone_alpes["apd_total"] == 660_000.5
    assert coll.loc["commune-72181", "nom"] == "Ville du Mans"
    assert coll.loc["epci-246700488", "type_collectivite"] == "epci"  # alias of the mapping
    assert coll.loc["outre_mer-987", "nom"] == "Polynésie française"
    metz = coll.loc["commune-57463"]  # APD without project: created
    assert metz["nb_projets"] == 0 and metz["apd_total"] == 5000
    assert coll.loc["departement-93", "apd_total"] == 64_000  # "Département de la ..." joined by territory
    assert coll.loc["commune-67482", "elu_nom"] == "Jean Martin"
    seat = coll.loc["commune-86297"].geometry
    assert abs(seat.x - 0.27) < 0.05 and abs(seat.y - 46.57) < 0.05


def test_partners_are_geocoded(built):
    part = layer(built, "partenaires").set_index("nom")
    z = part.loc["Ziniaré"]
    assert (z["precision_geo"], z["type_partenaire"], z["pays_code"]) == ("localite", "localite", "BF")
    assert z["geonameid"] == 2353257 and abs(z.geometry.x + 1.2975) < 0.01 and abs(z.geometry.y - 12.5824) < 0.01
    assert part.loc["Région de Saint-Louis", "precision_geo"] == "admin1"
    assert part.loc["Région de Saint-Louis", "nb_collectivites"] == 2  # Rhône-Alpes and Nord-Pas-de-Calais
    assert part.loc["Voïvodie de Silésie", "type_partenaire"] == "region"  # via an alias of the mapping
    kal = part.loc["Commune rurale de Kalifabougou"]  # not in GeoNames: placed on its region column
    assert (kal["precision_geo"], kal["admin1_nom"]) == ("admin1", "Koulikoro")
    assert part.loc["Moscou", "geonameid"] == 524901  # French exonym, alias of the mapping
    assert part.loc["Zimanga", "precision_geo"] == "pays"


def test_metadata_records_the_sources(imported, built):
    from coopatlas.store.geopackage import read_metadata

    meta = read_metadata(built)
    assert meta["synthetique"] is False and meta["source"] == "atlas_cncd"
    assert [f["nom"] for f in meta["fichiers"]] == [z.name for z in ZONES] + [APD.name]
    assert all(len(f["sha256"]) == 64 for f in meta["fichiers"])
    assert meta["date_donnees"] == "2013-09-09"


def test_import_api_returns_tables_and_report(reference, mapping):
    result = import_atlas([ZONES[2]], mapping, reference=reference)
    assert len(result.tables.projets) == 12 and len(result.tables.apd) == 0
    assert result.counts()["partenaires_pays"] == 0
    assert result.report[0]["objet"] == "partenaire"


# --- Bad input: file, line, column ------------------------------------------------------------------------


def write_zone(path: Path, rows: list[list], header: list[str] | None = None, encoding="utf-8", delimiter=";"):
    SAMPLE.write_csv(path, header or SAMPLE.AFRIQUE_HEADER, rows, encoding, delimiter)
    return path


def rows(n=3):
    return [list(r) for r in SAMPLE.AFRIQUE[:n]]


def col(name: str) -> int:
    return SAMPLE.AFRIQUE_HEADER.index(name)


def test_missing_column(tmp_path, reference, mapping):
    header = [h for h in SAMPLE.AFRIQUE_HEADER if h != "Pays"]
    data = [r[: col("Pays")] + r[col("Pays") + 1 :] for r in rows()]
    f = write_zone(tmp_path / "zone.csv", data, header)
    msg = import_error([f], reference, mapping)
    assert f"{f}, line 1, column 'Pays partenaire': missing column (accepted headers: Pays partenaire | " in msg


TITLE = "Atlas français de la coopération décentralisée - Zone Afrique (export du 9 septembre 2013)"


@pytest.mark.parametrize("delimiter", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_a_title_line_without_separators_before_the_header(tmp_path, reference, mapping, delimiter):
    """A title line holding no separator (a plain sentence, as Excel writes a merged title cell) does not
    hide the header row on line 2, whatever the separator."""
    f = tmp_path / "zone.csv"
    SAMPLE.write_csv(f, SAMPLE.AFRIQUE_HEADER, rows(3), "cp1252", delimiter, title=TITLE)
    result = import_atlas([f], mapping, reference=reference)
    assert sorted(result.tables.projets["titre"]) == sorted(r[col("Intitulé du projet")] for r in rows(3))


def test_title_lines_then_a_header_with_a_missing_column(tmp_path, reference, mapping):
    header = [h for h in SAMPLE.AFRIQUE_HEADER if h != "Pays"]
    data = [r[: col("Pays")] + r[col("Pays") + 1 :] for r in rows()]
    f = tmp_path / "zone.csv"
    SAMPLE.write_csv(f, header, data, "utf-8", ";", title=TITLE + "\r\nDonnées provisoires")
    msg = import_error([f], reference, mapping)
    assert f"{f}, line 3, column 'Pays partenaire': missing column (accepted headers: Pays partenaire | " in msg


def test_no_header_row_is_said_with_the_separator(tmp_path, reference, mapping):
    f = tmp_path / "zone.csv"
    SAMPLE.write_csv(f, ["AFR-0000"] + ["x"] * (len(SAMPLE.AFRIQUE_HEADER) - 1), rows(3), "utf-8", ";", title=TITLE)
    msg = import_error([f], reference, mapping)
    assert msg.startswith(f"{f}: no header row in the first 5 lines (a row naming the columns "), msg
    assert msg.endswith("; separator detected: ';'"), msg
    assert "missing column" not in msg


def test_unknown_country(tmp_path, reference, mapping):
    data = rows()
    data[1][col("Pays")] = "Atlantide"
    f = write_zone(tmp_path / "zone.csv", data)
    assert f"{f}, line 3, column 'Pays': unknown country 'Atlantide'" in import_error([f], reference, mapping)


@pytest.mark.parametrize("value", ["deux mille sept", "207", "2007-13-45x", "3007"])
def test_bad_year(tmp_path, reference, mapping, value):
    data = rows()
    data[2][col("Année de début")] = value
    f = write_zone(tmp_path / "zone.csv", data)
    assert f"{f}, line 4, column 'Année de début': bad year" in import_error([f], reference, mapping)


def test_broken_utf8(tmp_path, reference, mapping):
    f = write_zone(tmp_path / "zone.csv", rows())
    data = f.read_bytes().replace("Rhône-Alpes".encode(), "Rhône-Alpes".encode("cp1252"))
    f.write_bytes(data)
    msg = import_error([f], reference, mapping)
    assert f"{f}, line 4, column 'Collectivité territoriale française': broken encoding: invalid UTF-8" in msg


def test_broken_utf8_after_a_title_line(tmp_path, reference, mapping):
    f = tmp_path / "zone.csv"
    SAMPLE.write_csv(f, SAMPLE.AFRIQUE_HEADER, rows(), "utf-8", ";", title=TITLE)
    f.write_bytes(f.read_bytes().replace("Rhône-Alpes".encode(), "Rhône-Alpes".encode("cp1252")))
    msg = import_error([f], reference, mapping)
    assert f"{f}, line 5, column 'Collectivité territoriale française': broken encoding: invalid UTF-8" in msg


def test_undecodable_byte(tmp_path, reference, mapping):
    f = write_zone(tmp_path / "zone.csv", rows(), encoding="cp1252")
    data = f.read_bytes().replace(b"Ensemble pour", b"Ensemble\x81pour")  # 0x81: no character in cp1252
    f.write_bytes(data)
    msg = import_error([f], reference, mapping)
    assert f"{f}, line 3, column 'Intitulé du projet': broken encoding: byte not decodable as cp1252" in msg


def test_windows_1252_and_delimiters_are_detected(tmp_path, reference, mapping):
    f1 = write_zone(tmp_path / "a.csv", rows(2), encoding="cp1252", delimiter=";")
    data = rows(3)[2:]
    f2 = write_zone(tmp_path / "b.csv", data, encoding="utf-8", delimiter=",")
    result = import_atlas([f1, f2], mapping, reference=reference)
    assert sorted(result.tables.projets["id"]) == ["AFR-0001", "AFR-0002", "AFR-0003"]
    assert "Ziniaré" in set(result.tables.partenaires["nom"])


def test_duplicate_ids_across_files(tmp_path, reference, mapping):
    f1 = write_zone(tmp_path / "afrique.csv", rows(2))
    f2 = write_zone(tmp_path / "europe.csv", [rows(2)[1]])
    msg = import_error([f1, f2], reference, mapping)
    assert f"{f2}, line 2, column 'Identifiant du projet': duplicate id 'AFR-0002' (first at {f1}:3)" in msg


@pytest.mark.parametrize(
    "column, value, words",
    [
        ("Statut", "Abracadabra", "unknown statut 'Abracadabra': add this label to values.statut of atlas_cncd.yml"),
        ("Type de collectivité", "Baronnie", "unknown type_collectivite 'Baronnie'"),
        ("Type d'action", "Mission d'observation", "unknown type_action"),
        ("Thématique", "Astronomie", "unknown thematique 'Astronomie'"),
        ("Sous-thématique", "Eau potable", "sub-theme 'eau_potable' belongs to theme 'eau_assainissement', not 'aide'"),
        ("Cofinancements", "MAE ; Banque martienne", "unknown cofinancement 'Banque martienne'"),
        ("Jumelage", "Peut-être", "not a yes/no value"),
        ("Date de mise à jour", "le 15 novembre", "bad date"),
        ("Collectivité territoriale française", "Gotham City", "French commune 'Gotham City' not found"),
    ],
)
def test_unknown_values(tmp_path, reference, mapping, column, value, words):
    data = rows()
    data[0][col(column)] = value
    f = write_zone(tmp_path / "zone.csv", data)
    msg = import_error([f], reference, mapping)
    assert f"{f}, line 2, column {column!r}: {words}" in msg


def test_every_problem_is_reported_at_once(tmp_path, reference, mapping):
    data = rows()
    data[0][col("Statut")] = "Abracadabra"
    data[1][col("Pays")] = "Atlantide"
    data[2][col("Année de fin")] = "jamais"
    f1 = write_zone(tmp_path / "zone.csv", data)
    f2 = tmp_path / "zone.ods"
    f2.write_bytes(b"PK")
    msg = import_error([f1, f2], reference, mapping)
    assert msg.startswith("4 problems in the input")
    assert "line 2, column 'Statut'" in msg and "line 3, column 'Pays'" in msg
    assert "line 4, column 'Année de fin'" in msg
    assert f"{f2}: unsupported file type '.ods'" in msg


def test_xlsx_problems_name_the_sheet(tmp_path, reference, mapping):
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Zone Asie"
    bad = rows(1)[0]
    bad[col("Année de début")] = "vers 2007"
    for j, (h, v) in enumerate(zip(SAMPLE.AFRIQUE_HEADER, bad), start=2):  # the table starts at B3
        ws.cell(row=3, column=j, value=h)
        ws.cell(row=5, column=j, value=v)
    f = tmp_path / "asie.xlsx"
    wb.save(f)
    msg = import_error([f], reference, mapping)
    assert f"{f}, sheet 'Zone Asie', line 5, column 'Année de début': bad year 'vers 2007'" in msg


def test_a_worksheet_lacking_a_column_is_an_error(tmp_path, reference, mapping):
    import openpyxl

    wb = openpyxl.Workbook()
    wb.active.title = "Lisez-moi"
    wb.active.append(["Notice du fichier"])
    good = wb.create_sheet("Afrique")
    good.append(SAMPLE.AFRIQUE_HEADER)
    good.append(rows(1)[0])
    partial = wb.create_sheet("Europe")
    header = [h for h in SAMPLE.AFRIQUE_HEADER if h != "Intitulé du projet"]
    partial.append(header)
    f = tmp_path / "zones.xlsx"
    wb.save(f)
    msg = import_error([f], reference, mapping)
    assert f"{f}, sheet 'Europe', line 1, column 'Intitulé du projet': missing column" in msg
    assert "Lisez-moi" not in msg  # a notice sheet is only mentioned in the notes of a successful import


def test_apd_problems(tmp_path, reference, mapping):
    apd = tmp_path / "apd.csv"
    SAMPLE.write_csv(
        apd,
        SAMPLE.APD_HEADER,
        [
            ["Vouneuil-sous-Biard", "Commune", "Burkina Faso", "2012", "12 500,00"],
            ["Vouneuil-sous-Biard", "", "Burkina Faso", "2012", "1"],  # same collectivity, country and year
            ["Inconnue-sur-Mer", "", "Burkina Faso", "2012", "1"],  # no type, not among the projects
            ["Vouneuil-sous-Biard", "Commune", "Burkina Faso", "l'an dernier", "1"],
            ["Vouneuil-sous-Biard", "Commune", "Burkina Faso", "2010", "beaucoup"],
            ["Vouneuil-sous-Biard", "Commune", "Narnia", "2009", "1"],
        ],
        "utf-8",
        ";",
    )
    msg = import_error([write_zone(tmp_path / "zone.csv", rows(1))], reference, mapping, apd=[apd])
    assert msg.startswith("5 problems")
    assert (
        f"{apd}, line 3, column 'Année': second declaration of 'Vouneuil-sous-Biard' for BF in 2012 "
        f"(first at {apd}:2)" in msg
    )
    assert f"{apd}, line 4, column 'Collectivité': 'Inconnue-sur-Mer' is none of the imported" in msg
    assert f"{apd}, line 5, column 'Année': bad year" in msg
    assert f"{apd}, line 6, column 'Montant (€)': bad amount 'beaucoup'" in msg
    assert f"{apd}, line 7, column 'Pays': unknown country 'Narnia'" in msg


def test_failed_import_writes_nothing(tmp_path):
    data = rows()
    data[0][col("Statut")] = "Abracadabra"
    f = write_zone(tmp_path / "zone.csv", data)
    out = tmp_path / "out"
    code, stdout, stderr = run_cli(["import", "--quiet", "--out", str(out), str(f)])
    assert code == 1
    assert f"error: {f}, line 2, column 'Statut': unknown statut" in stderr
    assert not out.exists() and [p.name for p in tmp_path.iterdir()] == ["zone.csv"]


def test_output_folder_is_replaced_only_with_force(tmp_path):
    f = write_zone(tmp_path / "zone.csv", rows(2))
    out, report = tmp_path / "out", tmp_path / "reports" / "geocodage.csv"
    assert run_cli(["import", "--quiet", "--out", str(out), str(f)])[0] == 0
    code, _, stderr = run_cli(["import", "--quiet", "--out", str(out), str(f)])
    assert code == 1 and "use --force" in stderr
    code, stdout, _ = run_cli(["import", "--quiet", "--force", "--report", str(report), "--out", str(out), str(f)])
    assert code == 0 and "2 projets" in stdout
    assert report.read_text(encoding="utf-8") == (out / REPORT_FILE).read_text(encoding="utf-8")
    assert "Zimanga" in report.read_text(encoding="utf-8")


def test_bad_mapping_file(tmp_path, mapping):
    text = (ROOT / "datasets" / "mappings" / "atlas_cncd.yml").read_text(encoding="utf-8")
    bad = tmp_path / "bad.yml"
    bad.write_text(text.replace("    en_projet: [Projet,", "    planifie: [Projet,"), encoding="utf-8")
    with pytest.raises(MappingError) as exc:
        load_mapping(bad)
    assert f"{bad}: values.statut: unknown code 'planifie'" in str(exc.value)
    bad.write_text("format: coopatlas-mapping\nversion: 1\nprojets: [\n", encoding="utf-8")
    with pytest.raises(MappingError, match="not valid YAML"):
        load_mapping(bad)


# --- Units ------------------------------------------------------------------------------------------------


def test_value_map_labels():
    vm = ValueMap(
        "thematique",
        {"sensibilisation": ["Éducation au développement*"], "education_jeunesse": ["Éducation*"], "aide": ["Divers"]},
        None,
        "m.yml",
    )
    assert vm.lookup("EDUCATION au développement durable") == "sensibilisation"  # longest prefix wins
    assert vm.lookup("Éducation primaire") == "education_jeunesse"
    assert vm.lookup("Educationnel") is None  # prefixes match whole words
    assert vm.lookup(" divers ") == "aide"


@pytest.mark.parametrize(
    "text, value",
    [
        ("12 500,50 €", 12500.5),
        ("12\u202f500", 12500),
        ("1.234.567,89", 1234567.89),
        ("1,234,567.89", 1234567.89),
        ("45000", 45000),
        ("230000.5", 230000.5),
        ("12 500 EUR", 12500),
        ("douze", None),
        ("", None),
    ],
)
def test_parse_amount(text, value):
    assert parse_amount(text) == value


def test_decoding_and_delimiters():
    assert decode("Ziniaré;x".encode("cp1252"), "f.csv") == ("Ziniaré;x", "cp1252")
    assert decode("\ufeffZiniaré".encode("utf-8"), "f.csv") == ("Ziniaré", "utf-8-sig")
    assert sniff_delimiter('a;b;"c,d,e"\n1;2;3') == ";"
    assert sniff_delimiter("a,b\tc,d") == ","
    assert sniff_delimiter("a\tb\tc") == "\t"
    # title lines (without separators, or with fewer) do not decide; neither do commas in a text
    assert sniff_delimiter("Atlas de la coopération, zone Afrique\n\na;b;c\n1;2;3\n4;5;6") == ";"
    assert sniff_delimiter("Zone Afrique;;\na,b,c,d\n1,2,3,4") == ","
    assert sniff_delimiter('a;b;c\n1;"x\ny, z";w, v, u, t\n2;3;4, 5, 6, 7') == ";"


def test_french_authorities(reference, mapping):
    fa = FrenchAuthorities(reference, mapping)
    assert fa.resolve("Ville du Mans", "commune").code_insee == "72181"
    assert fa.resolve("Conseil général de l'Isère", "departement").code_insee == "38"
    assert fa.resolve("CONSEIL DEPARTEMENTAL DES HAUTS-DE-SEINE", "departement").code_insee == "92"
    s = fa.resolve("Conseil régional de Rhône-Alpes", "region")
    assert (s.code_insee, s.code_region) == ("82", "84")
    assert fa.resolve("Région Auvergne-Rhône-Alpes", "region").code_insee == "84"
    assert fa.resolve("Saint-Denis", "commune", departement="Seine-Saint-Denis").code_insee == "93066"
    assert fa.resolve("Saint-Denis", "commune", region="La Réunion").code_insee == "97411"
    assert fa.resolve("Ville de St-Denis", "commune", departement="93 - Seine-Saint-Denis").code_insee == "93066"
    assert "homonymes" in fa.resolve("Saint-Denis", "commune").note
    assert fa.resolve("Ville-d'Avray", "commune").code_insee == "92077"  # "Ville" is not a prefix here
    assert fa.resolve("Communauté urbaine de Bordeaux", "epci").siren == "243300316"
    assert fa.resolve("Quelconque", "commune", code="1053").code_insee == "01053"  # code a spreadsheet made a number
    assert fa.resolve("Syndicat mixte des eaux", "autre", departement="67").note.startswith("siège approximatif")
    with pytest.raises(NotFound) as exc:
        fa.resolve("Syndicat mixte des eaux", "autre")
    assert exc.value.column == "collectivite"


def test_gazetteer(reference, mapping):
    gz = Gazetteer(reference, mapping)
    assert [gz.country(n) for n in ("Viêt Nam", "Vietnam", "RDC", "Côte d’Ivoire", "BFA", "bf", "Atlantide")] == [
        "VN",
        "VN",
        "CD",
        "CI",
        "BF",
        "BF",
        None,
    ]
    p = gz.locate("SN", "Région de Saint-Louis")
    assert (p.type_partenaire, p.precision_geo) == ("region", "admin1")
    p = gz.locate("SN", "Saint-Louis")
    assert (p.type_partenaire, p.precision_geo) == ("localite", "localite") and p.geonameid
    p = gz.locate("BF", "Burkina Faso")
    assert (p.type_partenaire, p.precision_geo) == ("etat", "pays")
    p = gz.locate("DJ", "Djibouti")  # the city, not the State
    assert (p.type_partenaire, p.precision_geo) == ("localite", "localite")
    p = gz.locate("ML", "Quelque part", region="Région de Ségou")
    assert (p.precision_geo, p.admin1_nom, p.type_partenaire) == ("admin1", "Ségou", "localite")
    p = gz.locate("ML", "Quelque part", region="Atlantide")
    assert p.precision_geo == "pays" and "région 'Atlantide' non trouvée" in p.notes
