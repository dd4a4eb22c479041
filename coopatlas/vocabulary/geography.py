"""Geography abroad: continents and sub-continents of the UN M49 geoscheme, French labels."""

from __future__ import annotations

from .model import CodeList, _terms

# --- Geography abroad: UN M49 geoscheme, French labels -------------------------------------------

CONTINENTS = CodeList(
    "continent",
    _terms(
        [
            ("afrique", "Afrique", "Africa"),
            ("ameriques", "Amériques", "Americas"),
            ("asie", "Asie", "Asia"),
            ("europe", "Europe", "Europe"),
            ("oceanie", "Océanie", "Oceania"),
            ("antarctique", "Antarctique", "Antarctica"),
        ]
    ),
)

SOUS_CONTINENTS = CodeList(
    "sous_continent",
    _terms(
        [
            ("afrique_du_nord", "Afrique du Nord", "Northern Africa", {"continent": "afrique"}),
            ("afrique_de_l_ouest", "Afrique de l'Ouest", "Western Africa", {"continent": "afrique"}),
            ("afrique_centrale", "Afrique centrale", "Middle Africa", {"continent": "afrique"}),
            ("afrique_de_l_est", "Afrique de l'Est", "Eastern Africa", {"continent": "afrique"}),
            ("afrique_australe", "Afrique australe", "Southern Africa", {"continent": "afrique"}),
            ("amerique_du_nord", "Amérique du Nord", "Northern America", {"continent": "ameriques"}),
            ("amerique_centrale", "Amérique centrale", "Central America", {"continent": "ameriques"}),
            ("caraibes", "Caraïbes", "Caribbean", {"continent": "ameriques"}),
            ("amerique_du_sud", "Amérique du Sud", "South America", {"continent": "ameriques"}),
            ("asie_centrale", "Asie centrale", "Central Asia", {"continent": "asie"}),
            ("asie_de_l_est", "Asie de l'Est", "Eastern Asia", {"continent": "asie"}),
            ("asie_du_sud_est", "Asie du Sud-Est", "South-Eastern Asia", {"continent": "asie"}),
            ("asie_du_sud", "Asie du Sud", "Southern Asia", {"continent": "asie"}),
            ("asie_de_l_ouest", "Asie de l'Ouest (Moyen-Orient)", "Western Asia (Middle East)", {"continent": "asie"}),
            ("europe_du_nord", "Europe du Nord", "Northern Europe", {"continent": "europe"}),
            ("europe_de_l_ouest", "Europe de l'Ouest", "Western Europe", {"continent": "europe"}),
            ("europe_de_l_est", "Europe de l'Est", "Eastern Europe", {"continent": "europe"}),
            ("europe_du_sud", "Europe du Sud", "Southern Europe", {"continent": "europe"}),
            (
                "australie_nouvelle_zelande",
                "Australie et Nouvelle-Zélande",
                "Australia and New Zealand",
                {"continent": "oceanie"},
            ),
            ("melanesie", "Mélanésie", "Melanesia", {"continent": "oceanie"}),
            ("micronesie", "Micronésie", "Micronesia", {"continent": "oceanie"}),
            ("polynesie", "Polynésie", "Polynesia", {"continent": "oceanie"}),
            ("antarctique", "Antarctique", "Antarctica", {"continent": "antarctique"}),
        ]
    ),
)
