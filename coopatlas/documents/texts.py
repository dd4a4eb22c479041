"""The texts of the documents in French and English.

A :class:`Texts` is a catalogue ``{key: (French, English)}``; ``TEXTS("page", lang, n=1, total=3)`` gives
the text of ``lang`` (English for ``"en"``, French otherwise) with its fields filled. :data:`TEXTS` holds
the texts that more than one document prints (the reports, the country maps, the charts); a text that
only one document prints lives in that document's module, in its own catalogue. Each text has one home:
``tests/documents`` fails when two catalogues hold the same text.
"""

from __future__ import annotations


class Texts:
    """A catalogue of texts: ``{key: (fr, en)}`` (the values may also be tuples of texts: column names);
    a key it does not hold is looked up in ``fallback`` (e.g. the shared :data:`TEXTS`)."""

    #: Every catalogue made, in order (read by the tests).
    catalogues: list[Texts] = []

    def __init__(self, entries: dict[str, tuple], name: str = "", fallback: Texts | None = None):
        self.entries = dict(entries)
        self.name = name
        self.fallback = fallback
        Texts.catalogues.append(self)

    def __call__(self, key: str, lang: str, **fields):
        """The text ``key`` in ``lang``, its ``{fields}`` filled when any are given."""
        if key not in self.entries and self.fallback is not None:
            return self.fallback(key, lang, **fields)
        fr, en = self.entries[key]
        text = en if lang == "en" else fr
        return text.format(**fields) if fields else text

    def __contains__(self, key: str) -> bool:
        return key in self.entries or (self.fallback is not None and key in self.fallback)


TEXTS = Texts(
    {
        # on every page
        "page": ("Page {n} / {total}", "Page {n} of {total}"),
        "synthetic_mark": ("DONNÉES SYNTHÉTIQUES DE DÉMONSTRATION", "SYNTHETIC DEMO DATA"),
        # the data and its sources
        "synthetic_data": ("Données de démonstration SYNTHÉTIQUES.", "SYNTHETIC demo data."),
        "unknown_origin": (
            "Origine des données inconnue (la base ne porte pas de métadonnées) : elles peuvent être "
            "des données de démonstration SYNTHÉTIQUES.",
            "Unknown origin of the data (the database carries no metadata): it may be SYNTHETIC demo data.",
        ),
        "software": (
            "Produit par CoopAtlas (logiciel libre GPL-3.0-or-later) à partir d'une recherche de l'atlas.",
            "Made by CoopAtlas (free software, GPL-3.0-or-later) from a search of the atlas.",
        ),
        "sources": ("Sources et attributions", "Sources and attributions"),
        "data_date": ("Données au {date}", "Data as of {date}"),
        "data_line": ("Données : {notice} Date des données : {date}.", "Data: {notice} Date of the data: {date}."),
        "real_data": ("données de l'atlas.", "data of the atlas."),
        "unknown": ("inconnue", "unknown"),
        # the figures of a search
        "search": ("Recherche", "Search"),
        "summary": ("État de la coopération", "State of cooperation"),
        "figure": ("Indicateur", "Indicator"),
        "count": ("Nombre", "Count"),
        "types": ("Projets et demandes par type", "Projects and requests by type"),
        "apd": ("Aide publique au développement déclarée", "Declared official development aid"),
        "apd_none": ("Aucune APD déclarée pour ces critères.", "No declared ODA for these criteria."),
        "apd_skipped": (
            "L'APD est déclarée par collectivité, pays et année, pas par projet : les critères "
            "« {names} » ne s'y appliquent pas.",
            "ODA is declared per authority, country and year, not per project: the criteria "
            '"{names}" do not apply to it.',
        ),
        "top": (
            "Les collectivités territoriales menant le plus de projets",
            "The local authorities with the most projects",
        ),
        "rank": ("Rang", "Rank"),
        "collectivity": ("Collectivité", "Authority"),
        "kind": ("Type", "Type"),
        "projects": ("Projets", "Projects"),
        "year": ("Année", "Year"),
        "amount": ("Montant", "Amount"),
        "total": ("Total", "Total"),
    },
    "documents",
)
