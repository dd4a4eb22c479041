"""The demo's APD declarations in lines (collectivity × country × year × DAC sector × channel, with OECD
policy markers): the published totals are sums of lines, each split keeps its amount to the euro, the codes
are those of the code lists, the sectors come from the collectivity's projects in the country."""

from __future__ import annotations

from collections import defaultdict

import pandas as pd
import pytest

from coopatlas import vocabulary as voc
from coopatlas.data.demo.apd_lines import NOT_SPECIFIED, declaration_lines
from coopatlas.store import Store
from support.figures import published_figures

MARKERS = voc.champs_marqueurs()


@pytest.fixture(scope="module")
def lines(atlas_gpkg) -> pd.DataFrame:
    store = Store(atlas_gpkg)
    try:
        return pd.DataFrame(store.records("SELECT * FROM apd ORDER BY id"))
    finally:
        store.close()


@pytest.fixture(scope="module")
def store(atlas_gpkg):
    store = Store(atlas_gpkg)
    yield store
    store.close()


def test_published_yearly_totals_are_sums_of_lines(lines):
    by_year = lines.groupby("annee")["montant"].sum()
    bf = lines[lines["pays_code"] == "BF"].groupby("annee")["montant"].sum()
    checked = 0
    for row in published_figures("seed_figures.csv"):
        if row["indicator"].startswith("apd_"):
            year = int(row["indicator"][4:])
            got = (by_year if row["scope"] == "monde" else bf)[year]
            assert got == int(row["value"]), row
            checked += 1
    assert checked == 10


def test_derived_totals_are_sums_of_lines(lines, store):
    per_collectivity = lines.groupby("collectivite_id")["montant"].sum()
    per_country = lines.groupby("pays_code")["montant"].sum()
    for cid, total in store.rows("SELECT id, apd_total FROM collectivites WHERE apd_total > 0"):
        assert per_collectivity[cid] == total
    for code, total in store.rows("SELECT pays_code, apd_total FROM pays WHERE apd_total > 0"):
        assert per_country[code] == total
    assert len(per_collectivity) == store.scalar("SELECT COUNT(*) FROM collectivites WHERE apd_total > 0")


def test_lines_are_declared_rows(lines):
    """One line per collectivity, country, year, sector and channel; codes of the code lists; whole euros."""
    key = ["collectivite_id", "pays_code", "annee", "secteur", "canal"]
    assert not lines.duplicated(key).any()
    assert lines["secteur"].isin(voc.SECTEURS_CAD.codes).all()
    assert lines["canal"].isin(voc.CANAUX.codes).all()
    assert (lines["montant"] > 0).all() and (lines["montant"] % 1 == 0).all()
    for field in MARKERS:
        scores = lines[field].dropna()
        assert set(scores.astype(int)) <= {0, 1, 2}, field
        assert 0 < lines[field].isna().sum() < len(lines), f"{field}: some declared, some not"
    # principal objectives where the sector is the objective itself
    women = lines[(lines["secteur"] == "15170") & lines["marqueur_genre"].notna()]
    assert len(women) and (women["marqueur_genre"] == 2).all()
    # a declaration is split into a few lines, not one per line of the code lists
    per_declaration = lines.groupby(["collectivite_id", "pays_code", "annee"]).size()
    assert per_declaration.max() <= 6 and per_declaration.mean() > 1.2


def test_sectors_come_from_the_projects(lines, store):
    themes = defaultdict(set)
    for cid, country, dac in store.rows("SELECT collectivite_id, pays_code, secteur_cad FROM projets"):
        if dac:
            themes[(cid, country)].add(dac)
    for row in lines.itertuples():
        pair = themes.get((row.collectivite_id, row.pays_code))
        assert row.secteur in (pair or {NOT_SPECIFIED}), row


def test_split_keeps_each_amount_and_is_deterministic(lines, store):
    """Re-splitting the atlas's own declarations: each amount kept to the euro, the same lines twice."""
    declarations = lines.groupby(["collectivite_id", "pays_code", "annee"], as_index=False)["montant"].sum().head(400)
    projets = store.records("SELECT collectivite_id, pays_code, sous_sous_thematique FROM projets")
    first = declaration_lines(declarations, projets)
    again = declaration_lines(declarations, projets)
    pd.testing.assert_frame_equal(first, again)
    sums = first.groupby(["collectivite_id", "pays_code", "annee"])["montant"].sum()
    expected = declarations.set_index(["collectivite_id", "pays_code", "annee"])["montant"]
    pd.testing.assert_series_equal(sums.sort_index(), expected.sort_index(), check_names=False)
