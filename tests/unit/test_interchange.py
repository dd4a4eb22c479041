# SPDX-License-Identifier: GPL-3.0-or-later
"""The interchange format (coopatlas/data/interchange.py): export of a built GeoPackage, reading back,
rebuilding without loss, and every bad input named by file, line and column.

The round trip is checked table by table on the raw SQLite rows (every stored table and view of the
GeoPackage, geometry blobs and hidden search column included), on a small hand-made atlas full of awkward
values and on the real demo atlas (the atlas of the tests, slow).
"""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from shapely.geometry import Point

from coopatlas.cli import main as cli
from coopatlas.data import build, export, interchange
from coopatlas.data.derive import DataError, derive
from coopatlas.data.importers.sources import SourceError
from coopatlas.data.reference import Reference
from coopatlas.data.tables import BASE_FIELDS, AtlasTables
from coopatlas.store import geopackage

# --- A small atlas with every awkward value ------------------------------------------------------------

AWKWARD = 'Coopération « Ziniaré », "guillemets", virgule; point-virgule\nligne 2\r\nligne 3 — œuvre 日本'


def small_tables() -> AtlasTables:
    """Three collectivities, four partners (one on the antimeridian), five projects, requests of every
    validation status, APD and co-financings; NULL next to false and empty next to text."""
    coll = pd.DataFrame(
        [
            dict(
                id="C1",
                nom="Paris",
                type_collectivite="commune",
                code_insee="75056",
                siren=None,
                code_region="11",
                code_departement="75",
                elu_nom="Élu « un »",
                elu_fonction=None,
                elu_email="a@example.org",
                elu_telephone="01 99 00 00 01",
                directeur_nom=None,
                directeur_fonction=None,
                directeur_email=None,
                directeur_telephone=None,
                date_maj="2013-06-30",
                geometry=Point(2.3522219, 48.856614),
            ),
            dict(
                id="C2",
                nom="Conseil général du Bas-Rhin",
                type_collectivite="departement",
                code_insee="67",
                siren=None,
                code_region="44",
                code_departement="67",
                elu_nom=None,
                elu_fonction=None,
                elu_email=None,
                elu_telephone=None,
                directeur_nom="D, irecteur",
                directeur_fonction=AWKWARD,
                directeur_email=None,
                directeur_telephone=None,
                date_maj=None,
                geometry=Point(7.7521113, 48.5734053),
            ),
            dict(
                id="C3",
                nom="Polynésie française",
                type_collectivite="outre_mer",
                code_insee="987",
                siren=None,
                code_region=None,
                code_departement=None,
                elu_nom=None,
                elu_fonction=None,
                elu_email=None,
                elu_telephone=None,
                directeur_nom=None,
                directeur_fonction=None,
                directeur_email=None,
                directeur_telephone=None,
                date_maj="2012-01-31",
                geometry=Point(-149.5585, -17.535),
            ),
        ]
    )
    part = pd.DataFrame(
        [
            dict(
                id="P1",
                nom="Ziniaré",
                type_partenaire="localite",
                pays_code="BF",
                admin1_nom="Plateau-Central",
                geonameid=2353257,
                precision_geo="localite",
                en_recherche=False,
                geometry=Point(-1.29753, 12.58236),
            ),
            dict(
                id="P2",
                nom="Voïvodie de Silésie",
                type_partenaire="region",
                pays_code="PL",
                admin1_nom="Silésie",
                geonameid=None,
                precision_geo="admin1",
                en_recherche=None,
                geometry=Point(1 / 3, 50.1 + 1e-12),
            ),
            dict(
                id="P3",
                nom="Suva",
                type_partenaire="localite",
                pays_code="FJ",
                admin1_nom=None,
                geonameid=2198148,
                precision_geo="localite",
                en_recherche=True,
                geometry=Point(180.0, -18.13683),
            ),
            dict(
                id="P4",
                nom="Zimanga",
                type_partenaire="localite",
                pays_code="BF",
                admin1_nom=None,
                geonameid=None,
                precision_geo="pays",
                en_recherche=True,
                geometry=Point(-1.5, 12.25),
            ),
        ]
    )
    proj = pd.DataFrame(
        [
            dict(
                id="PR1",
                collectivite_id="C1",
                partenaire_id="P1",
                titre=AWKWARD,
                description="  espaces  ",
                type_action="cooperation_decentralisee",
                jumelage=False,
                statut="en_cours",
                thematique="aide",
                sous_thematique="aide_non_specifiee",
                sous_sous_thematique="aide_non_specifiee",
                annee_convention=2007,
                annee_lancement=2007,
                annee_fin=None,
                cofinancement_types="mae,agence_eau",
                loi_oudin=True,
                date_maj="2012-11-15",
            ),
            dict(
                id="PR2",
                collectivite_id="C2",
                partenaire_id="P2",
                titre="Action sociale",
                description=None,
                type_action="cooperation_decentralisee",
                jumelage=None,
                statut=None,
                thematique="action_sociale",
                sous_thematique=None,
                sous_sous_thematique=None,
                annee_convention=None,
                annee_lancement=None,
                annee_fin=None,
                cofinancement_types=None,
                loi_oudin=None,
                date_maj=None,
            ),
            dict(
                id="PR3",
                collectivite_id="C3",
                partenaire_id="P3",
                titre="Pacifique",
                description="x",
                type_action="action_exterieure",
                jumelage=True,
                statut="termine",
                thematique="environnement",
                sous_thematique="environnement_biodiversite",
                sous_sous_thematique="biodiversite",
                annee_convention=1959,
                annee_lancement=1960,
                annee_fin=2013,
                cofinancement_types="ue",
                loi_oudin=False,
                date_maj="2010-01-01",
            ),
            dict(
                id="PR4",
                collectivite_id="C1",
                partenaire_id="P4",
                titre="Ensemble pour Zimanga",
                description="",
                type_action="cooperation_decentralisee",
                jumelage=False,
                statut="suspendu",
                thematique=None,
                sous_thematique=None,
                sous_sous_thematique=None,
                annee_convention=None,
                annee_lancement=2009,
                annee_fin=None,
                cofinancement_types=None,
                loi_oudin=False,
                date_maj="2013-01-01",
            ),
        ]
    )
    statuses = ["soumise", "a_completer", "validee", "rejetee", "pourvue", "validee"]
    dem = pd.DataFrame(
        [
            dict(
                id=f"D{i}",
                titre=f"Demande {i} {AWKWARD if i == 2 else ''}",
                description=None,
                demandeur_id=("P3" if i % 2 else "P4") if st in ("validee", "pourvue") else None,
                demandeur_nom="Suva" if i % 2 else "Zimanga",
                pays_code="FJ" if i % 2 else "BF",
                thematique="sante",
                sous_thematique="soins_base",
                sous_sous_thematique="centres_sante",
                profil_partenaire="Commune",
                langues="français, anglais",
                contact_nom="X",
                contact_email=None,
                statut_validation=st,
                date_depot="2011-02-28",
                date_validation="2011-03-01" if st == "validee" else None,
                geometry=Point(-1.5, 12.25) if i != 5 else None,
            )
            for i, st in enumerate(statuses)
        ]
    )
    apd = pd.DataFrame(
        [
            dict(id="A1", collectivite_id="C1", pays_code="BF", annee=2012, montant=0.1 + 0.2),
            dict(id="A2", collectivite_id="C2", pays_code="PL", annee=2011, montant=1e15 / 3),
        ]
    )
    cof = pd.DataFrame(
        [
            dict(id="F1", projet_id="PR1", type_cofinancement="mae", annee=2007, montant=25000.0),
            dict(id="F2", projet_id="PR1", type_cofinancement="agence_eau", annee=None, montant=None),
        ]
    )
    return AtlasTables(
        coll,
        part,
        proj,
        dem,
        apd,
        cof,
        metadata={"synthetique": True, "notice_fr": "Données de test « small »", "n": 3, "liste": [1, "deux"]},
    )


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every table and view of a GeoPackage, rows in fid (or first column) order."""
    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        out = {}
        names = [
            r[0]
            for r in con.execute(
                "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE 'sqlite_%' "
                "AND NOT (sql LIKE 'CREATE VIRTUAL TABLE%fts5%') ORDER BY name"
            )
        ]  # FTS5 shadow tables compared
        for name in names:
            cols = [r[1] for r in con.execute(f'PRAGMA table_info("{name}")')]
            order = "fid" if "fid" in cols else "1"
            out[name] = con.execute(f'SELECT * FROM "{name}" ORDER BY {order}').fetchall()
        return out
    finally:
        con.close()


def _null_empty(rows: list[tuple]) -> list[tuple]:
    return [tuple(None if v == "" else v for v in r) for r in rows]


def assert_same_gpkg(a: Path, b: Path, empty_is_null: bool = False) -> int:
    """Every table and view of two GeoPackages holds the same rows (and the metadata is the same).
    ``empty_is_null``: an empty text and NULL count as equal (the interchange format does not tell them
    apart; see test_empty_text_is_null)."""
    da, db = dump(a), dump(b)
    if empty_is_null:
        da = {k: _null_empty(v) for k, v in da.items()}
    assert sorted(da) == sorted(db)
    for name in da:
        assert len(da[name]) == len(db[name]), name
        for i, (ra, rb) in enumerate(zip(da[name], db[name])):
            assert ra == rb, f"{name}, row {i + 1}:\n{ra}\n{rb}"
    assert geopackage.read_metadata(a) == geopackage.read_metadata(b)
    return sum(len(v) for v in da.values())


def write_small_gpkg(path: Path, reference: Reference) -> Path:
    tables = small_tables()
    return build.write_geopackage(derive(tables, reference), path, tables.metadata, progress=None)


# --- Round trips --------------------------------------------------------------------------------------


def test_small_atlas_round_trip_is_lossless(tmp_path, reference, small_gpkg):
    original = small_gpkg
    folder = export.export_interchange(original, tmp_path / "exchange")
    assert sorted(p.name for p in folder.iterdir()) == sorted([*interchange.FILES.values(), "metadata.json"])
    back = interchange.read_interchange(folder, reference)
    rebuilt = build.write_geopackage(derive(back, reference), tmp_path / "rebuilt.gpkg", back.metadata)
    assert assert_same_gpkg(original, rebuilt) > 400
    # every request is exported, whatever its status; the public layer keeps only validee/pourvue
    with open(folder / "demandes.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    assert {r["statut_validation"] for r in rows} == {"soumise", "a_completer", "validee", "rejetee", "pourvue"}
    con = sqlite3.connect(rebuilt)
    assert con.execute("SELECT COUNT(*) FROM demandes").fetchone()[0] == 3
    con.close()


def test_empty_text_is_null(tmp_path, small_gpkg):
    """An empty text is stored as NULL by the writer, written as an empty value, read back as NULL."""
    original = small_gpkg
    con = sqlite3.connect(original)
    assert con.execute("SELECT description FROM projets WHERE id = 'PR4'").fetchone() == (None,)
    con.close()
    folder = export.export_interchange(original, tmp_path / "x")
    with open(folder / "projets.csv", encoding="utf-8", newline="") as f:
        assert {r["id"]: r for r in csv.DictReader(f)}["PR4"]["description"] == ""
    rebuilt = build.build(tmp_path / "rebuilt.gpkg", str(folder), progress=lambda m: None)
    con = sqlite3.connect(rebuilt)
    assert con.execute("SELECT description FROM projets WHERE id = 'PR4'").fetchone() == (None,)
    con.close()


def test_exported_values_follow_the_format(small_folder):
    folder = small_folder
    raw = (folder / "projets.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and raw.decode("utf-8")
    with open(folder / "projets.csv", encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        assert reader.fieldnames == BASE_FIELDS["projets"]
        rows = {r["id"]: r for r in reader}
    assert rows["PR1"]["titre"] == AWKWARD  # quotes, separators, CR LF and CJK survive
    assert rows["PR1"]["description"] == "  espaces  "
    assert rows["PR1"]["jumelage"] == "false" and rows["PR1"]["loi_oudin"] == "true"
    assert rows["PR2"]["jumelage"] == "" and rows["PR2"]["annee_lancement"] == ""  # NULL
    assert rows["PR3"]["annee_convention"] == "1959"  # whole numbers, no ".0"
    assert rows["PR1"]["cofinancement_types"] == "mae,agence_eau"
    with open(folder / "partenaires.csv", encoding="utf-8", newline="") as f:
        parts = {r["id"]: r for r in csv.DictReader(f)}
    assert list(parts["P1"])[-2:] == ["lon", "lat"]
    assert float(parts["P2"]["lon"]) == 1 / 3  # shortest round-trip repr: no precision lost
    assert parts["P3"]["lon"] == "180.0" and parts["P2"]["en_recherche"] == ""
    with open(folder / "apd.csv", encoding="utf-8", newline="") as f:
        apd = {r["id"]: r for r in csv.DictReader(f)}
    assert float(apd["A1"]["montant"]) == 0.1 + 0.2
    meta = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    assert meta == {
        "format": "coopatlas-interchange",
        "version": 1,
        "metadata": {"synthetique": True, "notice_fr": "Données de test « small »", "n": 3, "liste": [1, "deux"]},
    }


def test_read_interchange_types(small_folder, reference):
    t = interchange.read_interchange(small_folder, reference)
    assert str(t.projets["annee_lancement"].dtype) == "Int64"
    assert str(t.projets["jumelage"].dtype) == "boolean"
    assert t.projets["jumelage"].isna().sum() == 1
    assert t.apd["montant"].dtype == "float64"
    assert t.partenaires.set_index("id").at["P3", "geometry"].equals(Point(180.0, -18.13683))
    assert t.demandes.set_index("id").at["D5", "geometry"] is None
    assert t.projets.set_index("id").at["PR4", "description"] is None  # empty = NULL
    assert t.metadata["n"] == 3


@pytest.fixture(scope="module")
def demo_gpkg(atlas_gpkg_path) -> Path:
    """The demo atlas of the tests (tests/support/atlas.py)."""
    return atlas_gpkg_path


@pytest.mark.slow
def test_demo_atlas_round_trip_is_lossless(tmp_path, demo_gpkg):
    """Export of the real demo atlas, then `coopatlas build --import`: every collection identical."""
    folder = tmp_path / "demo-exchange"
    assert cli(["export", "--gpkg", str(demo_gpkg), "--out", str(folder)]) == 0
    rebuilt = tmp_path / "rebuilt.gpkg"
    assert cli(["build", "--import", str(folder), "--out", str(rebuilt), "--quiet"]) == 0
    n = assert_same_gpkg(demo_gpkg, rebuilt)
    assert n > 100_000
    with open(folder / "demandes.csv", encoding="utf-8", newline="") as f:
        statuses = {r["statut_validation"] for r in csv.DictReader(f)}
    assert statuses == {"soumise", "a_completer", "validee", "rejetee", "pourvue"}


# --- Export command ------------------------------------------------------------------------------------


def test_export_refuses_a_non_empty_folder_unless_forced(tmp_path, small_gpkg, capsys):
    gpkg = small_gpkg
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    assert cli(["export", "--gpkg", str(gpkg), "--out", str(out)]) == 1
    assert "not empty" in capsys.readouterr().err
    assert (out / "keep.txt").exists()
    assert cli(["export", "--gpkg", str(gpkg), "--out", str(out), "--force"]) == 0
    assert not (out / "keep.txt").exists() and (out / "projets.csv").exists()
    assert "projets: 4" in capsys.readouterr().out
    assert [p for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary folder left


def test_export_of_a_foreign_geopackage_is_refused(tmp_path, capsys):
    other = tmp_path / "other.gpkg"
    sqlite3.connect(other).execute("CREATE TABLE t (a)").connection.close()
    assert cli(["export", "--gpkg", str(other), "--out", str(tmp_path / "o")]) == 1
    err = capsys.readouterr().err
    assert "other.gpkg" in err and "bourse_demandes" in err
    assert cli(["export", "--gpkg", str(tmp_path / "missing.gpkg"), "--out", str(tmp_path / "o")]) == 1
    assert not (tmp_path / "o").exists()


# --- Bad input: file, line, column ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_gpkg(tmp_path_factory, reference) -> Path:
    return write_small_gpkg(tmp_path_factory.mktemp("small") / "small.gpkg", reference)


@pytest.fixture(scope="module")
def small_folder(tmp_path_factory, small_gpkg) -> Path:
    return export.export_interchange(small_gpkg, tmp_path_factory.mktemp("small-x") / "exchange")


@pytest.fixture
def folder(tmp_path, small_folder) -> Path:
    """A fresh copy of the small atlas's interchange folder, to spoil."""
    return Path(shutil.copytree(small_folder, tmp_path / "in"))


def edit(path: Path, row_id: str, column: str, value: str) -> int:
    """Set one cell of an interchange file; returns the line of the row."""
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f)
        rows, starts, last = [], [], 0
        for r in reader:
            rows.append(r)
            starts.append(last + 1)
            last = reader.line_num
    header = rows[0]
    i = next(k for k, r in enumerate(rows) if r[0] == row_id)
    rows[i][header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return starts[i]


def problem_of(folder: Path, reference) -> str:
    with pytest.raises(SourceError) as exc:
        interchange.read_interchange(folder, reference)
    assert isinstance(exc.value, DataError)  # `coopatlas build` reports it as a data error
    return str(exc.value)


@pytest.mark.parametrize(
    "table, row, column, value, words",
    [
        ("projets", "PR3", "annee_lancement", "2O07", "bad year"),
        ("projets", "PR3", "annee_fin", "3013", "bad year"),
        ("projets", "PR1", "statut", "fini", "unknown statut 'fini'"),
        ("projets", "PR1", "thematique", "eau", "unknown thematique 'eau'"),
        ("projets", "PR1", "cofinancement_types", "mae,banque", "unknown co-financing type 'banque'"),
        ("projets", "PR1", "jumelage", "oui", "not a boolean"),
        ("projets", "PR1", "date_maj", "15/11/2012", "bad date"),
        ("projets", "PR1", "partenaire_id", "P9", "unknown partenaire id 'P9'"),
        ("projets", "PR1", "type_action", "", "empty value (required)"),
        ("projets", "PR3", "sous_thematique", "eau_potable", "belongs to theme 'eau_assainissement'"),
        ("partenaires", "P1", "pays_code", "XX", "unknown country 'XX'"),
        ("partenaires", "P1", "lon", "200", "out of range"),
        ("partenaires", "P1", "lat", "", "empty value (required)"),
        ("collectivites", "C1", "type_collectivite", "baronnie", "unknown type_collectivite"),
        ("demandes", "D1", "statut_validation", "publiee", "unknown statut_validation"),
        ("apd", "A1", "montant", "12,5", "not a number"),
        ("apd", "A1", "collectivite_id", "C9", "unknown collectivite id 'C9'"),
        ("cofinancements", "F1", "type_cofinancement", "banque", "unknown cofinancement"),
    ],
)
def test_bad_values_name_file_line_and_column(folder, reference, table, row, column, value, words):
    path = folder / f"{table}.csv"
    line = edit(path, row, column, value)
    msg = problem_of(folder, reference)
    assert f"{path}, line {line}, column '{column}'" in msg
    assert words in msg


def test_duplicate_ids_name_both_lines(folder, reference):
    path = folder / "partenaires.csv"
    line = edit(path, "P2", "id", "P1")
    msg = problem_of(folder, reference)
    assert f"{path}, line {line}, column 'id': duplicate id 'P1' (first on line 2)" in msg


def test_missing_and_unknown_columns(folder, reference):
    path = folder / "apd.csv"
    text = path.read_text(encoding="utf-8").replace("annee,", "year,", 1)
    path.write_text(text, encoding="utf-8")
    msg = problem_of(folder, reference)
    assert f"{path}, line 1, column 'year': unknown column" in msg
    assert f"{path}, line 1, column 'annee': missing column" in msg


def test_missing_file(folder, reference):
    (folder / "cofinancements.csv").unlink()
    msg = problem_of(folder, reference)
    assert f"{folder / 'cofinancements.csv'}: missing file" in msg


def test_broken_encoding_names_line_and_column(folder, reference):
    path = folder / "collectivites.csv"
    data = path.read_bytes()
    name = "Conseil général du Bas-Rhin"
    broken = data.replace(name.encode("utf-8"), name.encode("latin-1"))
    assert broken != data
    path.write_bytes(broken)
    msg = problem_of(folder, reference)
    line = data[: data.index("Conseil général".encode())].count(b"\n") + 1
    assert f"{path}, line {line}, column 'nom': broken encoding" in msg


def test_every_problem_is_listed_at_once(folder, reference):
    edit(folder / "projets.csv", "PR1", "statut", "fini")
    edit(folder / "apd.csv", "A2", "annee", "deux mille")
    edit(folder / "partenaires.csv", "P4", "precision_geo", "ville")
    msg = problem_of(folder, reference)
    assert msg.startswith("3 problems in the input")
    assert "projets.csv" in msg and "apd.csv" in msg and "partenaires.csv" in msg


def test_bad_metadata_file(folder, reference):
    (folder / "metadata.json").write_text('{"format": "autre"}', encoding="utf-8")
    assert "metadata.json" in problem_of(folder, reference)
    (folder / "metadata.json").unlink()  # optional: no metadata
    assert interchange.read_interchange(folder, reference).metadata == {}


# --- A failed build leaves the previous GeoPackage untouched -----------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_failed_build_keeps_the_previous_geopackage(folder, tmp_path, reference, capsys):
    out = tmp_path / "atlas.gpkg"
    assert cli(["build", "--import", str(folder), "--out", str(out), "--quiet"]) == 0
    before = _digest(out)
    line = edit(folder / "projets.csv", "PR3", "annee_lancement", "vers 1960")
    assert cli(["build", "--import", str(folder), "--out", str(out), "--quiet"]) == 1
    err = capsys.readouterr().err
    assert f"projets.csv, line {line}, column 'annee_lancement': bad year" in err
    assert _digest(out) == before
    # no temporary file is left (the writers' lock file, atlas.gpkg.lock, is permanent)
    assert sorted(p.name for p in tmp_path.iterdir() if "atlas.gpkg" in p.name and not p.name.endswith(".lock")) == [
        "atlas.gpkg"
    ]


def test_failure_while_writing_keeps_the_previous_geopackage(tmp_path, reference, small_gpkg):
    out = Path(shutil.copy(small_gpkg, tmp_path / "atlas.gpkg"))
    before = _digest(out)
    tables = small_tables()
    rows = derive(tables, reference)
    rows["cofinancements"][1]["montant"] = {"not": "bindable"}  # fails in the middle of the write
    with pytest.raises(sqlite3.Error):
        build.write_geopackage(rows, out, tables.metadata)
    assert _digest(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["atlas.gpkg"]
