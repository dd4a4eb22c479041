"""What a country map counts (:func:`coopatlas.cartography.data.country_data`, counted in SQL), against an
oracle: every project of the country read one by one from the GeoPackage and counted in Python, per
partner authority (its name, case aside, at its place)."""

from __future__ import annotations

import sqlite3
from collections import Counter

import pytest

from coopatlas.cartography.data import country_data
from coopatlas.cartography.options import parse_options


def _oracle(gpkg, code: str, type_action: str):
    """``{(name, place): (projects, Counter of projects by collectivity name, Counter of themes)}``, the
    collectivities (ids) and the number of projects, from one row per project."""
    con = sqlite3.connect(f"file:{gpkg}?mode=ro", uri=True)
    try:
        rows = con.execute(
            "SELECT partenaire_nom, hex(geom), collectivite_id, collectivite_nom, thematique FROM projets "
            "WHERE pays_code = ? AND type_action = ?",
            (code, type_action),
        ).fetchall()
    finally:
        con.close()
    partners: dict = {}
    for name, place, _, coll_name, theme in rows:
        n, colls, themes = partners.get((name.strip().lower(), place), (0, Counter(), Counter()))
        colls[coll_name] += 1
        themes[theme] += 1
        partners[(name.strip().lower(), place)] = (n + 1, colls, themes)
    return partners, {coll for _, _, coll, _, _ in rows}, len(rows)


@pytest.mark.parametrize("code", ["BF", "DE", "AL", "VN"])
def test_counts_per_partner_match_a_count_of_every_project(store, world, gpkg, code):
    options = parse_options({"country": code, "format": "pdf", "type_action": "cooperation_decentralisee"}, world)
    data = country_data(store, options.criteria, code)
    partners, collectivities, projects = _oracle(gpkg, code, "cooperation_decentralisee")
    assert projects > 0 and not data.requests_shown
    assert data.totals["cooperation_decentralisee"] == projects
    assert data.n_partners == len(partners) and data.n_collectivites == len(collectivities)

    def shape(n, coll_counts, themes):  # what a row says, the names of collectivities and themes aside
        return (n, tuple(sorted(coll_counts, reverse=True)), themes)

    expected = Counter(shape(n, c.values(), len(t)) for n, c, t in partners.values())
    got = Counter(shape(r.projects, [k for _, k in r.collectivites], len(r.themes)) for r in data.rows)
    assert got == expected
    # most projects first, then by name; every partner once
    keys = [(-r.projects, r.partner) for r in data.rows]
    assert keys == sorted(keys) and len(data.rows) == len(partners)
    assert sum(p.total for p in data.places) == projects
