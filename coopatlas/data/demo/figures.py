"""What the demo atlas reproduces exactly: the figures printed in the Atlas's user guide, as the project keeps
them in ``datasets/figures/`` (with their sources).

The counts for the world and for France, the APD per year for the world and for Burkina Faso
(``seed_figures.csv``), the top-10 of collectivities (``seed_top_collectivites.csv``; nobody else above 84
projects) and the four sample projects (``seed_sample_projects.csv``, verbatim). The tests check the built
atlas against those files.
"""

from __future__ import annotations

SEED = 20130630
NOTICE_FR = (
    "Données de démonstration SYNTHÉTIQUES, générées sur une géographie réelle et calibrées sur les "
    "chiffres publiés de l'Atlas (guide pratique, vers 2012-2013) : ce ne sont pas les projets réels."
)
NOTICE_EN = (
    "SYNTHETIC demo data, generated on real geography and calibrated on the Atlas's published figures "
    "(user guide, c. 2012-2013): these are not the real projects."
)


# --- Calibration targets (seed_figures.csv, seed_top_collectivites.csv) ------------------------------------
N_COLLECTIVITES = 4777
N_PARTENAIRES = 8625
N_EN_RECHERCHE = 110
N_COOPERATIONS = 12731
N_ACTIONS = 737
N_DEMANDES = 137
N_PAYS_PROJETS = 144
PAYS_DEMANDES_SEULEMENT = "GW"  # the one country reached only through Bourse requests (145 in all)
APD_MONDE = {2012: 64884374, 2011: 65568380, 2010: 64858548, 2009: 71160392, 2008: 73420532}
APD_BF = {2012: 4801733, 2011: 3224327, 2010: 4156489, 2009: 4255922, 2008: 4924420}
MAX_HORS_TOP = 84  # "nobody else above 85": strictly below the 10th of the list

# name, type, projects, code_insee (territory), code_region, seat commune (INSEE)
TOP_10 = [
    ("Paris", "commune", 344, "75056", "11", "75056"),
    ("Conseil régional d'Île-de-France", "region", 155, "11", "11", "75056"),
    ("Conseil régional de Rhône-Alpes", "region", 151, "82", "84", "69123"),
    ("Conseil régional de Provence-Alpes-Côte d'Azur", "region", 125, "93", "93", "13055"),
    ("Région Île-de-France", "region", 124, "11", "11", "75056"),
    ("Conseil régional de Champagne-Ardenne", "region", 105, "21", "44", "51108"),
    ("Ville et Communauté Urbaine de Strasbourg", "epci", 105, "246700488", "44", "67482"),
    ("Marseille", "commune", 103, "13055", "93", "13055"),
    ("Conseil régional d'Alsace", "region", 90, "42", "44", "67482"),
    ("Conseil régional de Lorraine", "region", 85, "41", "44", "57463"),
]


SAMPLE_PROJECTS = [  # seed_sample_projects.csv, verbatim
    dict(
        collectivite="Vouneuil-sous-Biard",
        type_collectivite="commune",
        code="86297",
        partenaire="Ziniaré",
        pays="BF",
        titre="Aménagement d'un espace d'échanges",
        statut="en_cours",
        annee_convention=2007,
        annee_lancement=2007,
    ),
    dict(
        collectivite="Communauté d'agglomération du Pays de Montbéliard",
        type_collectivite="epci",
        code="25388",
        partenaire="Zimanga",
        pays="BF",
        titre="Ensemble pour Zimanga",
        statut="en_cours",
        annee_convention=2009,
        annee_lancement=2009,
    ),
    dict(
        collectivite="Conseil général du Bas-Rhin",
        type_collectivite="departement",
        code="67",
        partenaire="Voïvodie de Silésie",
        pays="PL",
        titre="Echanges d'expériences en matière d'action sociale",
        statut="en_cours",
        annee_convention=None,
        annee_lancement=None,
    ),
    dict(
        collectivite="Conseil général du Haut-Rhin",
        type_collectivite="departement",
        code="68",
        partenaire="Powiat de Wrocław",
        pays="PL",
        titre="Action en matière sociale (aide aux jeunes en difficulté, aux personnes âgées et à la famille)",
        statut="termine",
        annee_convention=None,
        annee_lancement=None,
    ),
]
