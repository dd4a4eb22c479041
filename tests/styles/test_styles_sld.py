"""The committed SLD files: well-formed SLD 1.1.0 / SE 1.1, checked against the rules of the standards.

No copy of the official XSD (schemas.opengis.net) is reachable offline from a PyPI, Debian or npm
package, so the structure is validated with lxml against ``sld_1_1_subset.rng``: the part of SLD 1.1,
SE 1.1 and Filter Encoding 1.1 that the files use, written from the specifications' content models
(stricter than the XSD, never looser). Rendering them in QGIS is tested in ``test_styles_qgis.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from coopatlas.styles import STYLES
from coopatlas.styles.model import Categorised

ROOT = Path(__file__).resolve().parents[2]
STYLES_DIR = ROOT / "styles"
NS = {"sld": "http://www.opengis.net/sld", "se": "http://www.opengis.net/se", "ogc": "http://www.opengis.net/ogc"}


@pytest.fixture(scope="module")
def schema() -> etree.RelaxNG:
    return etree.RelaxNG(etree.parse(str(Path(__file__).with_name("sld_1_1_subset.rng"))))


def _parse(cid: str) -> etree._ElementTree:
    return etree.parse(str(STYLES_DIR / f"{cid}.sld"))  # raises on a file that is not well-formed


@pytest.mark.parametrize("cid", list(STYLES))
def test_sld_follows_the_sld_1_1_rules(schema, cid):
    doc = _parse(cid)
    assert doc.docinfo.encoding == "UTF-8"
    assert schema.validate(doc), f"{cid}.sld: {schema.error_log}"


@pytest.mark.parametrize("cid", list(STYLES))
def test_sld_rules_are_the_legend(cid):
    """One rule per legend entry, titled with its French label, filled or stroked with its colour."""
    doc = _parse(cid)
    style = STYLES[cid]
    assert doc.findtext("sld:NamedLayer/se:Name", namespaces=NS) == cid
    rules = doc.findall(".//se:Rule", NS)
    assert [r.findtext("se:Description/se:Title", namespaces=NS) for r in rules] == [
        e.label for e in style.colour.entries
    ]
    path = {
        "point": "se:PointSymbolizer/se:Graphic/se:Mark/se:Fill/se:SvgParameter[@name='fill']",
        "line": "se:LineSymbolizer/se:Stroke/se:SvgParameter[@name='stroke']",
        "polygon": "se:PolygonSymbolizer/se:Fill/se:SvgParameter[@name='fill']",
    }[style.geometry]
    colours = [r.findtext(path, namespaces=NS) for r in rules]
    assert colours == [e.colour for e in style.colour.entries]
    # every rule but none has a filter: a feature is drawn once, by one rule
    assert all(r.find("ogc:Filter", NS) is not None for r in rules)


def test_type_action_filters_name_the_codes():
    doc = _parse("projets")
    literals = [e.text for e in doc.findall(".//se:Rule/ogc:Filter/ogc:PropertyIsEqualTo/ogc:Literal", NS)]
    assert literals == ["cooperation_decentralisee", "action_exterieure", "demande_cooperation"]
    assert isinstance(STYLES["projets"].colour, Categorised)


def test_the_rules_reject_what_the_standard_forbids(schema):
    """The schema has teeth: a rule whose filter comes after its symbolizer is refused (SE 1.1 order),
    and so is a colour that is not #rrggbb."""
    doc = _parse("projets")
    rule = doc.find(".//se:Rule", NS)
    rule.append(rule.find("ogc:Filter", NS))  # moves the filter after the symbolizer
    assert not schema.validate(doc)
    doc = _parse("pays")
    doc.find(".//se:SvgParameter[@name='fill']", NS).text = "blue"
    assert not schema.validate(doc)
