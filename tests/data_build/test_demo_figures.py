"""The demo atlas reproduces every figure of the Atlas's user guide (datasets/figures), computed by the
statistics module from the built GeoPackage and from the same atlas loaded into PostGIS."""

from __future__ import annotations

import pytest

from coopatlas.criteria import Criteria
from coopatlas.stats import scope_criteria, statistics
from coopatlas.store import PostGISStore, Store
from support.figures import published_figures as _csv


@pytest.fixture(scope="module", params=["geopackage", "postgis"])
def store(request, atlas_gpkg):
    if request.param == "geopackage":
        return Store(atlas_gpkg)
    return PostGISStore(request.getfixturevalue("postgis_url"))


SCOPES = {"monde": scope_criteria("monde"), "france": scope_criteria("france"), "pays:BF": scope_criteria("pays", "BF")}


@pytest.mark.parametrize("row", _csv("seed_figures.csv"), ids=lambda r: f"{r['scope']}-{r['indicator']}")
def test_seed_figure(store, row):
    stats = statistics(store, SCOPES[row["scope"]])
    indicator, expected = row["indicator"], int(row["value"])
    if indicator.startswith("apd_"):
        year = int(indicator[4:])
        by_year = {r["annee"]: r["montant"] for r in stats["apd_par_annee"]}
        assert by_year[year] == expected
    else:
        assert stats[indicator] == expected


def test_top_10_collectivities(store):
    expected = _csv("seed_top_collectivites.csv")
    top = statistics(store, Criteria(), top=11)["top_collectivites"]
    assert [(t["nom"], t["type_collectivite"], t["nb_projets"]) for t in top[:10]] == [
        (r["collectivite"], r["type_collectivite"], int(r["nombre_projets"])) for r in expected
    ]
    assert top[10]["nb_projets"] < 85, "nobody else above 85 projects"


def test_sample_projects_verbatim(store):
    for r in _csv("seed_sample_projects.csv"):
        rows = store.records(
            "SELECT p.*, c.type_collectivite AS tc FROM projets p JOIN collectivites c ON c.id = p.collectivite_id "
            f"WHERE p.titre = {store.placeholder()} AND p.collectivite_nom = {store.placeholder()}",
            [r["titre"], r["collectivite"]],
        )
        assert len(rows) == 1, r["titre"]
        p = rows[0]
        assert p["partenaire_nom"] == r["partenaire"]
        assert p["pays_nom"] == r["pays"]
        assert p["type_action"] == r["type_action"]
        assert p["tc"] == r["type_collectivite"]
        assert p["thematique_libelle"] == r["thematique_affichee"]
        assert p["statut"] == r["statut"]
        for k in ("annee_convention", "annee_lancement"):
            assert p[k] == (int(r[k]) if r[k] else None)


def test_plausible_geography(store):
    """Outside Europe: Mali > Burkina Faso > Sénégal; Africa takes most of the APD; twinnings in Europe."""
    split = {
        s["code"]: s["nombre"]
        for s in statistics(store, Criteria(continent=("afrique", "asie", "ameriques", "oceanie")), top=1)[
            "repartition_pays"
        ]
    }
    ranked = sorted(split, key=split.get, reverse=True)
    assert ranked[:3] == ["ML", "BF", "SN"]
    apd = store.rows("SELECT continent, SUM(montant) FROM apd GROUP BY continent ORDER BY 2 DESC")
    assert apd[0][0] == "afrique" and apd[0][1] > 0.5 * sum(r[1] for r in apd)
    europe, total = store.rows(
        "SELECT SUM(CASE WHEN continent = 'europe' THEN 1 ELSE 0 END), COUNT(*) FROM projets WHERE jumelage"
    )[0]
    assert europe > 0.7 * total


def test_dataset_says_it_is_synthetic(atlas_gpkg):
    from coopatlas.store.geopackage import read_metadata

    meta = read_metadata(atlas_gpkg)
    assert meta["synthetique"] is True
    assert "SYNTHÉTIQUES" in meta["notice_fr"] and "SYNTHETIC" in meta["notice_en"]


def test_private_requests_are_not_in_the_public_layer(store):
    private = store.scalar("SELECT COUNT(*) FROM bourse_demandes WHERE statut_validation NOT IN ('validee', 'pourvue')")
    assert private > 0
    assert store.scalar("SELECT COUNT(*) FROM demandes WHERE statut_validation NOT IN ('validee', 'pourvue')") == 0


def test_postgis_carries_the_atlas_metadata(postgis_url):
    """Reports and maps served from PostGIS show the date of the data and the synthetic notice too."""
    from coopatlas.documents.notices import atlas_metadata

    meta = atlas_metadata(PostGISStore(postgis_url))
    assert meta["synthetique"] is True and meta["date_donnees"] == "2013-06-30"


def test_partner_regions_named_in_french_or_as_their_source(store):
    """Partners that are admin-1 units bear their French name where ISO 3166-2's French translation has
    one (Burkina Faso's regions, US states), with no French prefix grafted on an English name."""
    names = {
        r[0]
        for r in store.rows(
            "SELECT nom FROM partenaires WHERE type_partenaire = 'region' AND pays_code IN ('BF', 'US', 'RU')"
        )
    }
    assert {"Hauts-Bassins", "Sud-Ouest"} <= names
    assert not names & {"High-Basins", "Southwest", "Région du High-Basins", "Région du Southwest"}
    assert not [n for n in names if n.startswith(("Région du ", "État de ", "Oblast de "))]
