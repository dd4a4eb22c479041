"""What the demo atlas makes plausible without a published figure to match: how projects spread over countries
and partners, the APD over continents, the themes by continent, the names of partner regions and people.

Orders of magnitude from figures published elsewhere (Mali > Burkina Faso > Sénégal outside Europe in 2016,
Africa's share of the APD in 2017), the rest chosen to look right to a GIS specialist, not to be true.
"""
from __future__ import annotations

# Projects per country (relative weights; scaled to the exact total). Outside Europe: Mali > Burkina
# Faso > Sénégal, as published; Europe carries the twinnings.
POIDS_PAYS = {
    # Europe
    "DE": 1300, "IT": 700, "PL": 650, "GB": 650, "RO": 480, "ES": 420, "BE": 250, "PT": 200, "HU": 180,
    "CZ": 150, "RU": 150, "CH": 110, "AM": 110, "IE": 90, "GR": 90, "NL": 80, "AT": 70, "UA": 70, "BG": 70,
    "MD": 60, "SK": 60, "LU": 40, "HR": 40, "LT": 40, "SE": 40, "GE": 40, "RS": 40, "DK": 30, "BA": 30,
    "SI": 25, "LV": 25, "FI": 25, "NO": 25, "AL": 25, "EE": 20, "MK": 20, "BY": 15, "CY": 10, "MT": 10,
    "ME": 8, "IS": 5,
    # Africa
    "ML": 560, "BF": 520, "SN": 470, "MA": 330, "MG": 300, "BJ": 250, "NE": 230, "CM": 200, "TN": 200,
    "DZ": 150, "TG": 150, "MR": 130, "CI": 120, "GN": 90, "TD": 60, "CD": 50, "EG": 50, "ZA": 50, "CG": 40,
    "KM": 40, "CV": 40, "GA": 30, "RW": 30, "BI": 30, "ET": 30, "MZ": 30, "KE": 25, "MU": 25, "CF": 20,
    "TZ": 20, "UG": 20, "GH": 20, "DJ": 15, "NG": 15, "AO": 10, "LY": 10, "GM": 10, "SC": 10, "NA": 10,
    "SD": 5, "SL": 5, "LR": 5, "ST": 5, "BW": 5, "ZM": 5, "ZW": 5, "MW": 5,
    # Asia
    "VN": 250, "CN": 220, "JP": 150, "PS": 120, "LB": 110, "IN": 90, "KH": 70, "LA": 60, "TR": 50, "IL": 40,
    "KR": 40, "TH": 30, "ID": 20, "PH": 20, "JO": 20, "MN": 20, "UZ": 15, "NP": 15, "LK": 15, "SY": 10,
    "AF": 10, "KZ": 10, "MM": 10, "BD": 10, "PK": 5, "IR": 5, "IQ": 5, "SG": 5, "MY": 5, "KG": 5, "TJ": 5,
    "AZ": 5, "TW": 5,
    # Americas
    "CA": 200, "HT": 180, "BR": 150, "US": 150, "MX": 80, "CL": 60, "PE": 60, "AR": 50, "NI": 50, "BO": 40,
    "CO": 40, "CU": 30, "EC": 20, "GT": 20, "DO": 20, "UY": 20, "HN": 10, "SV": 10, "CR": 10, "PY": 10,
    "VE": 10, "PA": 5, "DM": 5, "LC": 5,
    # Oceania
    "VU": 30, "AU": 10, "NZ": 10, "FJ": 10, "PG": 5,
}
# Projects per partner, by continent (twinnings in Europe: one partner, one project, often)
PROJETS_PAR_PARTENAIRE = {"europe": 1.35, "afrique": 1.9, "asie": 1.7, "ameriques": 1.6, "oceanie": 1.5}
# Share of the APD by continent (2017 published split as an order of magnitude) and APD-heavy countries
APD_CONTINENT = {"afrique": 0.65, "asie": 0.11, "ameriques": 0.09, "europe": 0.09, "oceanie": 0.01}
APD_PAYS_FORTS = {"MG": 3.0, "SN": 2.6, "ML": 2.4, "HT": 2.0, "MA": 1.6, "BJ": 1.6, "VN": 1.8, "AM": 2.0,
                  "CM": 1.4, "NE": 1.3, "MR": 1.2, "TD": 1.1, "PS": 1.3, "LB": 1.2}

# Theme weights by continent (top-level theme codes)
THEMES_CONTINENT = {
    "afrique": {"eau_assainissement": 16, "gouvernance": 15, "education_jeunesse": 13, "sante": 11,
                "agriculture": 10, "developpement_urbain": 6, "environnement": 5, "economie_tourisme": 5,
                "culture_patrimoine_sport": 6, "action_sociale": 4, "urgence_humanitaire": 3, "sensibilisation": 3,
                "aide": 3},
    "europe": {"culture_patrimoine_sport": 22, "education_jeunesse": 20, "gouvernance": 12, "economie_tourisme": 9,
               "action_sociale": 9, "environnement": 7, "developpement_urbain": 5, "sante": 3, "agriculture": 3,
               "eau_assainissement": 2, "sensibilisation": 3, "urgence_humanitaire": 1, "aide": 4},
    "asie": {"culture_patrimoine_sport": 16, "developpement_urbain": 13, "economie_tourisme": 14,
             "gouvernance": 12, "education_jeunesse": 12, "environnement": 8, "eau_assainissement": 6, "sante": 6,
             "agriculture": 5, "urgence_humanitaire": 3, "action_sociale": 2, "sensibilisation": 1, "aide": 2},
    "ameriques": {"culture_patrimoine_sport": 16, "education_jeunesse": 14, "economie_tourisme": 13,
                  "gouvernance": 12, "environnement": 8, "urgence_humanitaire": 8, "sante": 7, "agriculture": 6,
                  "developpement_urbain": 6, "eau_assainissement": 5, "action_sociale": 3, "sensibilisation": 1,
                  "aide": 2},
    "oceanie": {"environnement": 20, "culture_patrimoine_sport": 18, "education_jeunesse": 15, "gouvernance": 12,
                "sante": 10, "economie_tourisme": 10, "eau_assainissement": 8, "urgence_humanitaire": 5,
                "aide": 2},
}
PRENOMS = ("Marie Nathalie Isabelle Sylvie Catherine Françoise Christine Anne Valérie Sandrine Sophie Martine "
           "Jean Philippe Michel Alain Patrick Nicolas Christophe Pierre Laurent Éric Frédéric Thierry Olivier "
           "Bernard Dominique Pascal Claire Hélène Julie Céline Élodie Karim Nadia Yves Luc Paul").split()
NOMS = ("Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre Michel "
        "Garcia David Bertrand Roux Vincent Fournier Morel Girard André Lefèvre Mercier Dupont Lambert Bonnet "
        "François Martinez Legrand Garnier Faure Rousseau Blanc Guérin Muller Henry Roussel Nicolas Perrin "
        "Morin Mathieu Clément Gauthier Dumont Lopez Fontaine Chevalier Robin Diallo Traoré Nguyen").split()
