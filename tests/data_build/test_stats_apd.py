"""Declared APD by DAC sector, channel and policy marker (:mod:`coopatlas.stats_apd`): compared with an
independent sum of the atlas's APD lines in Python (the oracle), with the yearly APD of the statistics
(each split sums to it), and between the GeoPackage and the same atlas loaded into PostGIS."""

from __future__ import annotations

import sqlite3
from collections import defaultdict

import pytest

from coopatlas import vocabulary as voc
from coopatlas.criteria import Criteria
from coopatlas.stats import scope_criteria, statistics
from coopatlas.stats_apd import apd_breakdowns
from coopatlas.store import PostGISStore, Store

#: Searches and the same selection of APD lines written in Python.
SEARCHES = {
    "monde": (Criteria(), lambda r: True),
    "pays BF": (scope_criteria("pays", "BF"), lambda r: r["pays_code"] == "BF"),
    "afrique": (Criteria(continent=("afrique",)), lambda r: r["continent"] == "afrique"),
    "region 84, communes": (
        Criteria(region=("84",), type_collectivite=("commune",)),
        lambda r: r["code_region"] == "84" and r["type_collectivite"] == "commune",
    ),
}


@pytest.fixture(scope="module")
def lines(atlas_gpkg) -> list[dict]:
    con = sqlite3.connect(f"file:{atlas_gpkg}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        return [dict(r) for r in con.execute("SELECT * FROM apd")]
    finally:
        con.close()


@pytest.fixture(scope="module")
def gpkg_store(atlas_gpkg):
    store = Store(atlas_gpkg)
    yield store
    store.close()


def _sums(rows, key) -> dict:
    out = defaultdict(float)
    for r in rows:
        out[key(r)] += r["montant"]
    return {k: round(v, 2) for k, v in out.items()}


@pytest.mark.parametrize("name", SEARCHES)
def test_sectors_channels_markers_match_the_oracle(gpkg_store, lines, name):
    criteria, keep = SEARCHES[name]
    rows = [r for r in lines if keep(r)]
    assert rows, "a search with APD"
    got = apd_breakdowns(gpkg_store, criteria)

    groups = _sums(rows, lambda r: r["secteur"][:3] if r["secteur"] else None)  # DAC groups: 3 first digits
    assert {g["code"]: g["montant"] for g in got["apd_par_secteur"]} == groups
    detail = _sums(rows, lambda r: r["secteur"])
    assert {s["code"]: s["montant"] for g in got["apd_par_secteur"] for s in g["secteurs"]} == detail
    for g in got["apd_par_secteur"]:
        assert g["libelle"] == voc.GROUPES_CAD[g["code"]].fr
    assert {c["code"]: c["montant"] for c in got["apd_par_canal"]} == _sums(rows, lambda r: r["canal"])

    for marker in got["apd_par_marqueur"]:
        field = marker["champ"]
        expected = _sums(rows, lambda r, f=field: r[f])
        assert {s["score"]: s["montant"] for s in marker["scores"] if s["montant"]} == expected
        assert marker["montant_cible"] == round(expected.get(2, 0) + expected.get(1, 0), 2)


@pytest.mark.parametrize("name", SEARCHES)
def test_every_split_sums_to_the_yearly_apd(gpkg_store, name):
    criteria, _ = SEARCHES[name]
    stats = statistics(gpkg_store, criteria)
    got = apd_breakdowns(gpkg_store, criteria)
    total = stats["apd_total"]
    assert total == sum(r["montant"] for r in stats["apd_par_annee"])
    assert sum(g["montant"] for g in got["apd_par_secteur"]) == pytest.approx(total, abs=0.01)
    assert sum(c["montant"] for c in got["apd_par_canal"]) == pytest.approx(total, abs=0.01)
    for marker in got["apd_par_marqueur"]:
        assert sum(s["montant"] for s in marker["scores"]) == pytest.approx(total, abs=0.01), marker["code"]
        assert [s["score"] for s in marker["scores"]] == [2, 1, 0, None]


def test_labels_in_english(gpkg_store):
    got = apd_breakdowns(gpkg_store, scope_criteria("pays", "BF"), lang="en")
    water = next(g for g in got["apd_par_secteur"] if g["code"] == "140")
    assert water["libelle"] == voc.GROUPES_CAD["140"].en
    gender = next(m for m in got["apd_par_marqueur"] if m["code"] == "genre")
    assert gender["colonne_crs"] == "Gender" and gender["libelle"] == "Gender equality"
    assert [s["libelle"] for s in gender["scores"]] == [
        "Principal objective",
        "Significant objective",
        "Not targeted",
        "Not declared",
    ]


def test_a_search_without_apd(gpkg_store):
    got = apd_breakdowns(gpkg_store, Criteria(pays=("FR",)))
    assert got["apd_par_secteur"] == [] and got["apd_par_canal"] == []
    assert all(s["montant"] == 0 for m in got["apd_par_marqueur"] for s in m["scores"])


@pytest.mark.slow
@pytest.mark.parametrize("name", SEARCHES)
def test_same_on_postgis(gpkg_store, postgis_url, name):
    criteria, _ = SEARCHES[name]
    pg = PostGISStore(postgis_url)
    try:
        for lang in ("fr", "en"):
            assert apd_breakdowns(pg, criteria, lang) == apd_breakdowns(gpkg_store, criteria, lang)
    finally:
        pg.close()
