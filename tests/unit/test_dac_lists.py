"""The OECD DAC/CRS code lists of the APD declarations (coopatlas/vocabulary/dac.py), read from the IATI
replicas kept in datasets/iati/codelists: one home for the purpose codes of the themes and of the APD."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from coopatlas import schema as sch
from coopatlas import vocabulary as voc
from coopatlas.vocabulary.dac import IATI_CODELISTS


def _codes(name: str) -> list[str]:
    return [c.text.strip() for c in ET.parse(IATI_CODELISTS / f"{name}.xml").getroot().iter("code")]


def test_lists_are_the_kept_files():
    assert voc.SECTEURS_CAD.codes == _codes("Sector")
    assert voc.GROUPES_CAD.codes == _codes("SectorCategory")
    assert set(voc.CANAUX.codes) == {c for c in _codes("CRSChannelCode") if c.endswith("000")}
    assert {str(t.extra["iati"]) for t in voc.MARQUEURS} <= set(_codes("PolicyMarker"))
    assert set(voc.SCORES_MARQUEUR.codes) <= set(_codes("PolicySignificance"))
    assert voc.SECTEURS_CAD["15170"].fr.startswith("Organisations et mouvements de défense des droits des femmes")


def test_every_theme_maps_to_a_purpose_code_of_the_list():
    for leaf in voc.SOUS_SOUS_THEMATIQUES:
        assert voc.secteur_cad(leaf.code) in voc.SECTEURS_CAD, leaf.code


def test_every_purpose_code_has_its_group():
    for term in voc.SECTEURS_CAD:
        assert term.extra["groupe"] in voc.GROUPES_CAD and term.code.startswith(term.extra["groupe"]), term.code


def test_finer_channels_are_brought_to_the_kept_level():
    assert voc.canal_agrege("12000") == "12000"
    assert voc.canal_agrege("11002") == "11000"  # local government of the donor country
    assert voc.canal_agrege("41122") == "41000"  # UNICEF: a UN agency, fund or commission
    assert voc.canal_agrege("99999") is None and voc.canal_agrege("") is None


def test_apd_fields_use_the_lists():
    assert sch.APD.field("secteur").vocabulary is voc.SECTEURS_CAD
    assert sch.APD.field("canal").vocabulary is voc.CANAUX
    for field in voc.champs_marqueurs():
        assert sch.APD.field(field).type == sch.INTEGER
    assert set(voc.vocabulary_json()) >= {"secteur_cad", "groupe_cad", "canal", "marqueur", "score_marqueur"}
