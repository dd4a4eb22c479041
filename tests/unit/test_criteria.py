"""The one search model: validation, SQL, CQL2 and words agree."""

from __future__ import annotations

import sqlite3
from dataclasses import fields

import pytest

from coopatlas import vocabulary as voc
from coopatlas.criteria import SPECS, Criteria, CriteriaError, NotApplicable, json_schema


@pytest.mark.parametrize(
    "params, param",
    [
        ({"statut": "fini"}, "statut"),
        ({"pays": "ZZ"}, "pays"),
        ({"pays": "France"}, "pays"),
        ({"annee_min": "deux mille"}, "annee_min"),
        ({"annee_min": "1800"}, "annee_min"),
        ({"annee_min": 2010, "annee_max": 2005}, "annee_min"),
        ({"jumelage": "peut-être"}, "jumelage"),
        ({"thematique": ["eau"]}, "thematique"),
        ({"departement": "100"}, "departement"),
        ({"collectivite": "x' OR 1=1 --"}, "collectivite"),
        ({"q": "   ,,, "}, "q"),
        ({"q": "x" * 500}, "q"),
        ({"couleur": "bleu"}, "couleur"),
        ({"statut": [1.5]}, "statut"),
    ],
)
def test_bad_criteria_name_the_parameter(params, param):
    with pytest.raises(CriteriaError) as exc:
        Criteria.from_params(params, known_countries={"BF", "ML", "FR"})
    assert exc.value.param == param


def test_values_are_normalised_and_read_back():
    c = Criteria.from_params(
        {"pays": "bf, ml,BF", "jumelage": "oui", "annee_max": "2012", "f": "json"},
        known_countries={"BF", "ML"},
        ignore=["f"],
    )
    assert c.pays == ("BF", "ML") and c.jumelage is True and c.annee_max == 2012
    assert Criteria.from_params(c.to_params()) == c


def test_not_applicable_criteria_are_reported():
    c = Criteria(region=("84",), thematique=("sante",))
    assert c.not_applicable("demandes") == ["region"]
    with pytest.raises(NotApplicable):
        c.where("demandes")
    sql, params = c.where("apd", skip=c.not_applicable("apd"))
    assert sql == "code_region IN (?)" and params == ["84"]


def test_type_action_excludes_collections():
    assert Criteria(type_action=("demande_cooperation",)).excludes("projets")
    assert Criteria(type_action=("cooperation_decentralisee",)).excludes("demandes")
    assert Criteria(type_action=("cooperation_decentralisee", "action_exterieure")).where("projets") == ("1=1", [])


def _rows(sql, params):
    con = sqlite3.connect(":memory:")
    con.execute(
        "CREATE TABLE projets (id TEXT, recherche TEXT, pays_code TEXT, jumelage BOOLEAN, "
        "cofinance_mae BOOLEAN, cofinance_afd BOOLEAN, annee_lancement INTEGER, type_action TEXT)"
    )
    con.executemany(
        "INSERT INTO projets VALUES (?,?,?,?,?,?,?,?)",
        [
            ("a", " acces a l eau potable ziniare", "BF", 0, 1, 0, 2007, "cooperation_decentralisee"),
            ("b", " bureau d etudes", "BF", 0, 0, 1, 2001, "action_exterieure"),
            ("c", " jumelage potable", "ML", 1, 0, 0, 1990, "cooperation_decentralisee"),
        ],
    )
    return sorted(r[0] for r in con.execute(f"SELECT id FROM projets WHERE {sql}", params))


_SQL_CASES = [
    ({"q": "EAU Potable"}, ["a"]),  # every word starts a word: "eau" does not match "bureau"
    ({"q": "Ziniaré"}, ["a"]),  # accents ignored
    ({"q": "pot"}, ["a", "c"]),  # prefix of a word
    ({"pays": "BF", "cofinancement": "mae,afd"}, ["a", "b"]),
    ({"cofinancement": "afd"}, ["b"]),
    ({"jumelage": "true"}, ["c"]),
    ({"annee_min": 2000, "annee_max": 2005}, ["b"]),
    ({"type_action": "action_exterieure"}, ["b"]),
]


@pytest.mark.parametrize("params, expected", _SQL_CASES)
def test_sql_selects_what_the_words_say(params, expected):
    c = Criteria.from_params(params)
    assert _rows(*c.where("projets")) == expected


@pytest.mark.parametrize("params, expected", [c for c in _SQL_CASES if "q" not in c[0]])
def test_cql2_selects_the_rows_where_selects(params, expected):
    """The CQL2 text, run through pygeofilter's own SQL backend, selects the same rows as ``where()``."""
    from pygeofilter.backends.sql import to_sql_where
    from pygeofilter.parsers.cql2_text import parse

    c = Criteria.from_params(params)
    columns = ["id", "pays_code", "jumelage", "cofinance_mae", "cofinance_afd", "annee_lancement", "type_action"]
    sql = to_sql_where(parse(c.cql2("projets")), {name: name for name in columns})
    assert _rows(sql, []) == _rows(*c.where("projets")) == expected


def test_where_and_cql2_render_one_list_of_predicates():
    c = Criteria(pays=("BF",), jumelage=False, cofinancement=("mae", "ue"), annee_min=2005, q="eau")
    assert [(p.criterion, getattr(p, "property", None)) for p in c.predicates("projets")] == [
        ("q", "recherche"),
        ("pays", "pays_code"),
        ("jumelage", "jumelage"),
        ("cofinancement", None),
        ("annee_min", "annee_lancement"),
    ]
    assert c.where("projets", "postgresql", alias="p") == (
        "p.recherche LIKE %s AND p.pays_code IN (%s) AND p.jumelage = FALSE AND "
        "(p.cofinance_mae = TRUE OR p.cofinance_ue = TRUE) AND p.annee_lancement >= %s",
        ["% eau%", "BF", 2005],
    )
    assert c.where("projets", skip=["q"]) == (
        "pays_code IN (?) AND jumelage = 0 AND (cofinance_mae = 1 OR cofinance_ue = 1) AND annee_lancement >= ?",
        ["BF", 2005],
    )
    assert c.cql2("projets") == (
        "pays_code IN ('BF') AND jumelage = FALSE AND "
        "(cofinance_mae = TRUE OR cofinance_ue = TRUE) AND annee_lancement >= 2005"
    )
    assert Criteria(type_action=("action_exterieure",)).cql2("demandes") == "1 = 0"
    assert Criteria(type_action=("action_exterieure",)).where("demandes") == ("1=0", [])
    assert Criteria(partenaire=("p1", "p2")).cql2("demandes") == "demandeur_id IN ('p1', 'p2')"
    assert Criteria().cql2("projets") is None


def test_cql2_parses_with_pygeofilter():
    from pygeofilter.parsers.cql2_text import parse

    c = Criteria.from_params(
        {
            "pays": "BF,ML",
            "jumelage": "false",
            "cofinancement": "mae,ue",
            "annee_min": 2005,
            "thematique": "eau_assainissement",
            "q": "eau",
        }
    )
    text = c.cql2("projets")
    assert "q" not in c.cql2("projets").split()
    parse(text)  # valid CQL2 text
    assert c.query_params("projets")["q"] == "eau"


def test_describe_uses_labels():
    c = Criteria(thematique=("eau_assainissement",), statut=("en_cours",), continent=("afrique",))
    assert c.describe("fr") == "Continent : Afrique · Thématique : Eau et assainissement · Statut : En cours"
    assert "Water and sanitation" in c.describe("en")
    assert Criteria().describe("fr").startswith("Monde")


def test_the_search_holds_every_specified_criterion_in_order():
    assert [f.name for f in fields(Criteria)] == list(SPECS)


def test_json_schema_lists_the_vocabularies():
    schema = json_schema()
    assert schema["properties"]["statut"]["items"]["enum"] == voc.STATUTS.codes
    assert schema["additionalProperties"] is False
