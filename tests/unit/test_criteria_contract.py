"""The QGIS plugin's criteria are the server's: same names in the same order, same kinds, same year range;
every criterion has a Processing parameter title; what the plugin sends is what the server reads.

The plugin's ``core/search.py`` imports no QGIS, so it is loaded here from its file (the plugin's package
itself needs QGIS); ``processing/algorithms.py`` is read as text.
"""

from __future__ import annotations

import ast
import importlib.util
import sys
from pathlib import Path

import jsonschema
import pytest

from coopatlas.criteria import SPECS, YEAR_MAX, YEAR_MIN, Criteria, json_schema, published

PLUGIN = Path(__file__).resolve().parents[2] / "plugin" / "coopatlas_qgis"


@pytest.fixture(scope="module")
def plugin_search():
    name = "coopatlas_plugin_search"
    spec = importlib.util.spec_from_file_location(name, PLUGIN / "core" / "search.py")
    module = sys.modules[name] = importlib.util.module_from_spec(spec)  # (dataclasses look it up there)
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        del sys.modules[name]


def test_plugin_criteria_are_the_published_ones(plugin_search):
    assert [(name, kind) for name, kind in plugin_search.CRITERIA.items()] == [
        (spec["nom"], spec["type"]) for spec in published()
    ]
    assert set(plugin_search.LIST_KINDS) == {spec["type"] for spec in published() if spec["multiple"]}
    assert plugin_search.YEAR_RANGE == (YEAR_MIN, YEAR_MAX)
    assert set(plugin_search.CODE_CRITERIA) == {name for name, spec in SPECS.items() if spec.kind == "codes"}


def test_every_criterion_has_a_processing_parameter_title():
    tree = ast.parse((PLUGIN / "processing" / "algorithms.py").read_text(encoding="utf-8"))
    function = next(
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name == "criterion_title"
    )
    table = next(node for node in ast.walk(function) if isinstance(node, ast.Dict))
    assert [key.value for key in table.keys] == list(SPECS)


def test_what_the_plugin_sends_is_what_the_server_reads(plugin_search):
    search = plugin_search.Search.of(
        q="eau potable",
        type_action="cooperation_decentralisee,action_exterieure",
        continent=["afrique"],
        sous_continent="afrique_de_l_ouest",
        pays="BF,ML",
        region="84",
        departement="2A",
        type_collectivite="commune",
        collectivite="c-1",
        partenaire=["p.2"],
        thematique="sante",
        sous_thematique="",
        statut="en_cours",
        cofinancement="mae,ue",
        jumelage="oui",
        loi_oudin=False,
        annee_min="2005",
        annee_max=2012,
        actif_de="2008",
        actif_a=2010,
    )
    criteria = Criteria.from_params(search.params(), known_countries={"BF", "ML"})
    assert criteria.to_params() == search.params()
    assert set(search.params()) == set(SPECS) - {"sous_thematique", "sous_sous_thematique"}
    jsonschema.validate(search.inputs(), json_schema())  # the processes' inputs
