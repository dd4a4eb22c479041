"""The statistics of a search (:func:`coopatlas.stats.statistics`, one grouped read of the projects) against
an oracle: each figure by its own SQL statement over the rows of ``projets`` and ``demandes``
(``COUNT(DISTINCT …)``, ``GROUP BY`` a column with its label, ``ORDER BY`` count then name), as the
Atlas's panels define them, on the test atlas for searches of every kind, in French and in English."""

from __future__ import annotations

import sqlite3
import sys
from pathlib import Path

import pytest

from coopatlas import schema as sch
from coopatlas import stats
from coopatlas import vocabulary as voc
from coopatlas.criteria import Criteria
from coopatlas.store import open_store
from coopatlas.store.cached_reads import cache

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/, for "support"
from support.atlas import copy_without_reads

SEARCHES = [
    {},
    {"type_action": "cooperation_decentralisee,action_exterieure"},
    {"pays": "BF"},
    {"pays": "DE,IT"},
    {"continent": "afrique"},
    {"sous_continent": "afrique_de_l_ouest"},
    {"region": "84"},
    {"departement": "75"},
    {"thematique": "eau_assainissement"},
    {"type_action": "action_exterieure", "annee_min": "2010"},
    {"statut": "en_cours"},
    {"q": "eau"},
    {"q": "l'eau potable"},  # a one-letter word: LIKE beside the keyword index
    {"q": "eau", "pays": "BF"},
    {"jumelage": "true"},
]


def _oracle(gpkg, criteria: Criteria, top: int, lang: str) -> dict:
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    where, params = criteria.where("projets", "sqlite")
    try:

        def one(sql):
            return con.execute(sql.format(where=where), params).fetchall()

        ((n_coll, n_part, n_cd, n_ae),) = one(
            "SELECT COUNT(DISTINCT collectivite_id), COUNT(DISTINCT partenaire_id), "
            "COALESCE(SUM(type_action = 'cooperation_decentralisee'), 0), "
            "COALESCE(SUM(type_action = 'action_exterieure'), 0) "
            "FROM projets WHERE {where}"
        )
        total = n_cd + n_ae
        name = "pays_nom" if lang == "fr" else "(SELECT nom_en FROM pays AS c WHERE c.pays_code = projets.pays_code)"

        def split(rows, label, total=total):
            return [
                {"code": code, "libelle": label(code, lib), "nombre": n, "pourcentage": round(100.0 * n / total, 2)}
                for code, lib, n in rows
            ]

        return {
            "collectivites_francaises_engagees": n_coll,
            "collectivites_partenaires": n_part,
            "projets_cooperation_decentralisee": n_cd,
            "projets_actions_exterieures": n_ae,
            "total_projets": total,
            "top_collectivites": [
                {
                    "rang": rank,
                    "id": cid,
                    "nom": nom,
                    "type_collectivite": kind,
                    "type_collectivite_libelle": voc.TYPES_COLLECTIVITE.label(kind, lang),
                    "nb_projets": n,
                }
                for rank, (cid, nom, kind, n) in enumerate(
                    one(
                        "SELECT collectivite_id, collectivite_nom, type_collectivite, COUNT(*) AS n FROM projets "
                        "WHERE {where} GROUP BY 1, 2, 3 ORDER BY n DESC, collectivite_nom, collectivite_id "
                        f"LIMIT {top}"
                    ),
                    start=1,
                )
            ],
            "repartition_pays": split(
                one(
                    f"SELECT pays_code, {name}, COUNT(*) AS n FROM projets WHERE {{where}} "
                    "GROUP BY 1, 2 ORDER BY n DESC, 1"
                ),
                lambda code, lib: lib,
            ),
            "repartition_thematiques": split(
                one("SELECT thematique, NULL, COUNT(*) AS n FROM projets WHERE {where} GROUP BY 1 ORDER BY n DESC, 1"),
                lambda code, lib: voc.THEMATIQUES.label(code, lang),
            ),
            "repartition_continents": split(
                one("SELECT continent, NULL, COUNT(*) AS n FROM projets WHERE {where} GROUP BY 1 ORDER BY n DESC, 1"),
                lambda code, lib: voc.CONTINENTS.label(code, lang),
            ),
            "repartition_continents_demandes": _requests_split(con, criteria, lang, split),
        }
    finally:
        con.close()


def _requests_split(con, criteria: Criteria, lang: str, split) -> list[dict]:
    """The public requests per continent, when the criteria can apply to them (else none)."""
    if criteria.excludes("demandes") or criteria.not_applicable("demandes"):
        return []
    where, params = criteria.where("demandes", "sqlite")
    rows = con.execute(
        f"SELECT continent, NULL, COUNT(*) AS n FROM demandes WHERE {where} GROUP BY 1 ORDER BY n DESC, 1", params
    ).fetchall()
    return split(rows, lambda code, lib: voc.CONTINENTS.label(code, lang), sum(n for *_, n in rows))


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("params", SEARCHES, ids=[str(p) for p in SEARCHES])
def test_the_figures_are_those_of_one_statement_per_figure(atlas_gpkg_path, params, lang):
    criteria = Criteria.from_params(params)
    top = 25
    cache.clear()
    got = stats.statistics(open_store(atlas_gpkg_path), criteria, top=top, lang=lang)
    expected = _oracle(atlas_gpkg_path, criteria, top, lang)
    assert expected["total_projets"] > 0, "a search that matches nothing proves little"
    if not params:
        assert expected["repartition_continents_demandes"], "the world has public requests"
    assert {k: got[k] for k in expected} == expected


def test_the_statistics_of_the_world_read_the_covering_index_alone(atlas_gpkg_path, tmp_path):
    """Without criteria, the projects are counted from the covering index of ``projets`` (the world at
    ×100: 0.3 s instead of 17 s), never from its rows; on a copy without the persisted reads, so that the
    SQL runs."""
    store = open_store(copy_without_reads(atlas_gpkg_path, tmp_path / "atlas.gpkg"))
    statements: list[str] = []
    store.connection.set_trace_callback(statements.append)
    cache.clear()
    stats.statistics(store, Criteria())
    store.connection.set_trace_callback(None)
    reads = [s for s in statements if "FROM projets" in s]
    assert reads, statements
    (cover,) = sch.PROJETS.covering
    for sql in reads:
        steps = [row[3] for row in store.rows("EXPLAIN QUERY PLAN " + sql)]
        on_projects = [step for step in steps if step.split()[:2] in (["SCAN", "projets"], ["SEARCH", "projets"])]
        assert on_projects, steps
        assert all(f"USING COVERING INDEX {cover.index_name('projets')}" in step for step in on_projects), steps


def test_a_keyword_search_reads_the_keyword_index_and_is_remembered(atlas_gpkg_path, tmp_path):
    """The keywords of a search are found through the table's FTS5 index, not by a LIKE over every project
    (×100: 2.4 s → 0.28 s for "eau"), and the answer is kept under the version of ``projets`` (the index
    changes with it); the figures are the oracle's, by LIKE (above)."""
    store = open_store(copy_without_reads(atlas_gpkg_path, tmp_path / "atlas.gpkg"))
    criteria = Criteria.from_params({"q": "eau potable"})
    statements: list[str] = []
    store.connection.set_trace_callback(statements.append)
    cache.clear()
    stats.statistics(store, criteria)
    reads = [sql for sql in statements if "FROM projets" in sql]
    assert reads and all('"fts_projets" MATCH' in sql and "LIKE" not in sql for sql in reads), reads
    steps = [row[3] for row in store.rows("EXPLAIN QUERY PLAN " + reads[0])]
    assert any(step.startswith("SCAN fts_projets VIRTUAL TABLE INDEX") for step in steps), steps
    statements.clear()
    stats.statistics(store, criteria)
    store.connection.set_trace_callback(None)
    assert not [sql for sql in statements if "FROM projets" in sql]
