"""IATI activity files into the interchange format: the round trip of what the export writes (over real
HTTP, on the fixtures' atlas), and a hand-made file with missing elements (clear errors naming the activity
and the element; nothing silently dropped)."""

from __future__ import annotations

import math
import sqlite3

import pytest

from coopatlas.data.interchange import read_interchange
from coopatlas.opendata.iati_import import REPORT_FILE, import_iati

SEARCH = {"pays": ["BF", "SN"]}
CARRIED = (
    "id",
    "collectivite_id",
    "partenaire_id",
    "titre",
    "description",
    "type_action",
    "jumelage",
    "statut",
    "thematique",
    "sous_thematique",
    "sous_sous_thematique",
    "annee_convention",
    "annee_lancement",
    "annee_fin",
    "cofinancement_types",
    "loi_oudin",
    "date_maj",
)


def _plain(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "item"):
        value = value.item()
    return bool(value) if isinstance(value, bool) else value


@pytest.fixture(scope="module")
def exported(atlas_server, tmp_path_factory):
    response = atlas_server.session.post(
        atlas_server.url + "/processes/export-iati/execution", json={"inputs": SEARCH}, timeout=300
    )
    assert response.status_code == 200, response.text[:300]
    path = tmp_path_factory.mktemp("iati") / "bf-sn.xml"
    path.write_bytes(response.content)
    return path


def test_round_trip_of_the_fields_it_carries(exported, atlas_gpkg_path, tmp_path):
    report = import_iati([exported], atlas_gpkg_path, tmp_path / "out")
    tables = read_interchange(tmp_path / "out")  # the interchange reader accepts it (codes, references)
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    atlas = {
        r["id"]: dict(r)
        for r in con.execute(
            f"SELECT {', '.join(CARRIED)} FROM projets WHERE pays_code IN ('BF', 'SN') "
            "AND coalesce(annee_lancement, annee_convention, annee_fin) IS NOT NULL"
        )
    }
    partners = {
        r["id"]: dict(r)
        for r in con.execute("SELECT id, nom, type_partenaire, pays_code, geonameid, precision_geo FROM partenaires")
    }
    cofinancings = {
        r["id"]: dict(r)
        for r in con.execute(
            "SELECT id, projet_id, type_cofinancement, annee, montant FROM cofinancements WHERE projet_id IN "
            "(SELECT id FROM projets WHERE pays_code IN ('BF', 'SN'))"
        )
    }
    con.close()
    assert report.skipped == [] and len(report.imported) == len(atlas) > 0
    imported = {r["id"]: {k: _plain(r[k]) for k in CARRIED} for r in tables.projets.to_dict("records")}
    assert imported == atlas
    for row in tables.partenaires.to_dict("records"):
        expected = partners[row["id"]]
        assert {k: _plain(row[k]) for k in expected} == expected
    imported_cofinancings = {
        r["id"]: {k: _plain(v) for k, v in r.items()} for r in tables.cofinancements.to_dict("records")
    }
    assert imported_cofinancings == cofinancings
    assert set(tables.collectivites["id"]) == {p["collectivite_id"] for p in atlas.values()}
    assert (tmp_path / "out" / REPORT_FILE).read_text().startswith(f"IATI import: {len(atlas)} activit")


HAND_MADE = b"""<?xml version="1.0" encoding="UTF-8"?>
<iati-activities version="2.03">
 <iati-activity>
  <iati-identifier>XX-COOPATLAS-{col}-HAND-1</iati-identifier>
  <reporting-org ref="XX-COOPATLAS-{col}" type="11"><narrative>Une commune</narrative></reporting-org>
  <title><narrative>Puits au village</narrative></title>
  <participating-org role="4" type="11"><narrative>Commune partenaire</narrative></participating-org>
  <activity-status code="2"/>
  <activity-date type="2" iso-date="2011-03-01"/>
  <recipient-country code="BF"/>
  <location><point srsName="http://www.opengis.net/def/crs/EPSG/0/4326"><pos>12.37 -1.53</pos></point></location>
  <sector vocabulary="1" code="14030"/>
 </iati-activity>
 <iati-activity>
  <iati-identifier>XX-COOPATLAS-{col}-HAND-2</iati-identifier>
  <reporting-org ref="XX-COOPATLAS-{col}" type="11"><narrative>Une commune</narrative></reporting-org>
  <title><narrative>Sans partenaire</narrative></title>
  <activity-status code="2"/>
  <recipient-country code="BF"/>
 </iati-activity>
 <iati-activity>
  <iati-identifier>XX-COOPATLAS-{col}-HAND-3</iati-identifier>
  <reporting-org ref="XX-COOPATLAS-{col}" type="11"><narrative>Une commune</narrative></reporting-org>
  <title><narrative>Sans lieu</narrative></title>
  <participating-org role="4" type="11"><narrative>Commune partenaire</narrative></participating-org>
  <activity-status code="2"/>
  <recipient-country code="BF"/>
 </iati-activity>
 <iati-activity>
  <iati-identifier>GB-CHC-123456-X</iati-identifier>
  <reporting-org ref="GB-CHC-123456" type="21"><narrative>A charity</narrative></reporting-org>
  <title><narrative>Not a French authority</narrative></title>
 </iati-activity>
 <iati-activity>
  <reporting-org ref="XX-COOPATLAS-{col}" type="11"><narrative>Une commune</narrative></reporting-org>
 </iati-activity>
</iati-activities>
"""


def test_hand_made_file_with_missing_elements(atlas_gpkg_path, tmp_path):
    con = sqlite3.connect(f"file:{atlas_gpkg_path}?mode=ro", uri=True)
    col = con.execute("SELECT id FROM collectivites WHERE siren IS NULL ORDER BY id LIMIT 1").fetchone()[0]
    con.close()
    source = tmp_path / "hand.xml"
    source.write_bytes(HAND_MADE.replace(b"{col}", col.encode()))
    report = import_iati([source], atlas_gpkg_path, tmp_path / "out")
    assert report.imported == [f"XX-COOPATLAS-{col}-HAND-1"]
    skipped = "\n".join(report.skipped)
    assert len(report.skipped) == 4
    assert f"activity XX-COOPATLAS-{col}-HAND-2: missing element participating-org[@role='4']" in skipped
    assert f"activity XX-COOPATLAS-{col}-HAND-3: missing element location" in skipped
    assert "activity GB-CHC-123456-X: reporting-org GB-CHC-123456 of type 21 is not a French local authority" in skipped
    assert "activity #5: missing element iati-identifier" in skipped
    # what was guessed is said: the type of action, the theme of an ambiguous DAC code is not (14030: one leaf)
    assert any("HAND-1: no type of action of the atlas: cooperation_decentralisee" in n for n in report.notes)
    text = (tmp_path / "out" / REPORT_FILE).read_text()
    assert "1 activit(y/ies) imported, 4 left out" in text and "HAND-2" in text
    tables = read_interchange(tmp_path / "out")
    project = tables.projets.to_dict("records")[0]
    assert (
        project["id"] == f"XX-COOPATLAS-{col}-HAND-1"
        and project["sous_sous_thematique"] == "eau_et_assainissement_base"
        and _plain(project["annee_lancement"]) == 2011
    )
    partner = tables.partenaires.to_dict("records")[0]
    assert (partner["geometry"].x, partner["geometry"].y) == (-1.53, 12.37)


def test_command_line(exported, atlas_gpkg_path, tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "coopatlas",
            "import-iati",
            str(exported),
            "--atlas",
            str(atlas_gpkg_path),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "left out" in done.stdout and (tmp_path / "out" / "projets.csv").is_file()
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "coopatlas",
            "import-iati",
            str(exported),
            "--atlas",
            str(atlas_gpkg_path),
            "--out",
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 1 and "not empty" in again.stderr


def test_unreadable_files_are_reported(atlas_gpkg_path, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<iati-activities><iati-activity>", encoding="utf-8")
    other = tmp_path / "organisations.xml"
    other.write_text('<iati-organisations version="2.03"/>', encoding="utf-8")
    report = import_iati([broken, other], atlas_gpkg_path, tmp_path / "out")
    assert report.imported == []
    assert report.skipped[0].startswith(f"{broken}: not a readable XML file")
    assert report.skipped[1] == f"{other}: the root element is iati-organisations, not iati-activities"
