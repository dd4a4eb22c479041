"""The texts of the country maps (the legend, the table, the credits...) in French and English; the
texts every document shares come from :data:`coopatlas.documents.texts.TEXTS`."""

from __future__ import annotations

from ..documents.formats import number
from ..documents.texts import TEXTS as SHARED
from ..documents.texts import Texts

TEXTS = Texts(
    {
        "default_title": ("{country} : coopération décentralisée", "{country}: decentralised cooperation"),
        "default_subtitle_all": (
            "Tous les projets des collectivités territoriales françaises et les demandes de coopération publiques",
            "All projects of French local authorities and the public cooperation requests",
        ),
        "default_title_period": (
            "{country} : coopération décentralisée {period}",
            "{country}: decentralised cooperation {period}",
        ),
        "multiples_title": (
            "{country} : coopération décentralisée — {dates}",
            "{country}: decentralised cooperation — {dates}",
        ),
        "multiples_note": (
            "Chaque carte montre les projets et demandes actifs à sa date (son titre), à la même échelle.",
            "Each map shows the projects and requests active at its date (its title), at the same scale.",
        ),
        "legend": ("Légende", "Legend"),
        "legend_period": ("Projets et demandes actifs {period}", "Projects and requests active {period}"),
        "n_projects": ("{n} projet", "{n} project"),
        "n_projects_pl": ("{n} projets", "{n} projects"),
        "n_requests": ("{n} demande", "{n} request"),
        "n_requests_pl": ("{n} demandes", "{n} requests"),
        "requests_off": (
            "Demandes de coopération : non représentées (critère {names} sans objet pour elles)",
            "Cooperation requests: not shown (criterion {names} does not apply to them)",
        ),
        "requests_excluded": (
            "Demandes de coopération : exclues par les critères",
            "Cooperation requests: excluded by the criteria",
        ),
        "several": (
            "Lieu aux projets de plusieurs types (secteurs proportionnels)",
            "Place with several types (proportional sectors)",
        ),
        "sizes": ("Nombre de projets et de demandes par lieu", "Projects and requests per place"),
        "partners": (
            "{p} collectivités partenaires, {c} collectivités françaises",
            "{p} partner authorities, {c} French authorities",
        ),
        "neighbours": ("Pays voisins", "Neighbouring countries"),
        "sea": ("Mer", "Sea"),
        "name": ("Nom", "Name"),
        "req_short": ("dem.", "req."),
        "admin1_key": ("Nom de région (admin-1), au point GeoNames", "Region (admin-1) name, at its GeoNames point"),
        "locator": ("Situation", "Location"),
        "table_title": ("Principaux partenariats", "Main partnerships"),
        "col_partner": ("Partenaire", "Partner"),
        "col_coll": ("Collectivités (projets)", "French authorities"),
        "col_n": ("Proj.", "Proj."),
        "table_more_pdf": (
            "… et {n} autres : tableau complet en annexe (p. {p})",
            "… and {n} more: complete table in the annex (p. {p})",
        ),
        "table_more": (
            "… et {n} autres : tableau complet dans la sortie PDF",
            "… and {n} more: complete table in the PDF output",
        ),
        "table_more_atlas": (
            "… et {n} autres : tableau complet dans la carte du pays (carte-pays, PDF)",
            "… and {n} more: complete table in the country's map (carte-pays, PDF)",
        ),
        "table_none": ("Aucun partenariat pour ces critères.", "No partnership for these criteria."),
        "empty": (
            "Aucun projet ni demande de coopération ne correspond à ces critères pour ce pays.",
            "No project nor cooperation request matches these criteria in this country.",
        ),
        "sources_line": ("Sources : {s}.", "Sources: {s}."),
        "made_with_data_date": (
            "Données de l'atlas à jour au {d}. Carte produite le {g} par CoopAtlas (logiciel libre GPL-3.0-or-later).",
            "Atlas data as of {d}. Map made on {g} with CoopAtlas (free software, GPL-3.0-or-later).",
        ),
        "made_without_data_date": (
            "Date des données : non précisée. Carte produite le {g} par CoopAtlas.",
            "Date of the data: not given. Map made on {g} with CoopAtlas.",
        ),
        "projection": (
            "{p}. Échelle et nord vrais au centre de la carte.",
            "{p}. Scale and north true at the centre of the map.",
        ),
        "admin1_note": (
            "Régions (admin-1) : noms placés au point GeoNames de la région (chef-lieu ou centre) ; leurs "
            "limites ne sont pas disponibles hors ligne et ne sont pas tracées.",
            "Regions (admin-1): names placed at the region's GeoNames point (its seat or centre); their "
            "boundaries are not available offline and are not drawn.",
        ),
        "omitted": (
            "{n} territoire(s) éloigné(s) sans partenaire non représenté(s).",
            "{n} remote territory(ies) without partners not shown.",
        ),
        "outside": (
            "{n} lieu(x) de partenaires dans des territoires éloignés non représentés (voir le tableau).",
            "{n} partner place(s) in remote territories not shown (see the table).",
        ),
        "inset_scale": ("échelle propre", "own scale"),
    },
    "country map",
    fallback=SHARED,
)


def plural(n: int, key: str, lang: str) -> str:
    """The text ``key`` (``{n} projet``) or its plural ``key_pl`` (``{n} projets``) for ``n``."""
    return TEXTS(key + ("_pl" if n > 1 else ""), lang, n=number(n, lang))
