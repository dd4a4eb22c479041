"""OGC API process ``carte-pays``: the map of a country's decentralised cooperation, for cartographers.

One country (``country``: ISO 3166-1 alpha-2 or alpha-3 code, or its French name) with the partner
authorities of the matching projects and requests as proportional symbols in the cooperation colours, in a
projection chosen for the country, with legend, scale bar, north arrow, locator map, the table of the
partnerships, sources and the SYNTHETIC-data notice; PDF (with the complete table as annex pages), SVG,
PNG or GeoTIFF (georeferenced in the map's projection), A4 or A3. Or ``atlas``: every country of a
continent (or the world) as one multi-page PDF, best run asynchronously (``Prefer: respond-async``), which
reports its progress in the job's status. Core: :mod:`coopatlas.cartography`.
"""

from __future__ import annotations

import logging
import multiprocessing.dummy
import threading

from ._common import LANG_INPUT, AtlasProcessor, InputError, criteria_inputs

LOGGER = logging.getLogger(__name__)

#: Media types of the outputs by value of ``format``.
MEDIA_TYPES = {"pdf": "application/pdf", "svg": "image/svg+xml", "png": "image/png", "geotiff": "image/tiff"}
#: An atlas of more countries than this must run as an asynchronous job (a synchronous request would
#: outlast the server's worker timeout).
ATLAS_SYNC_MAX = 12


def _inputs() -> dict:
    from coopatlas.cartography import options as O

    def text(fr, en):
        return {"fr": fr, "en": en}

    def one(title, description, schema):
        return {"title": title, "description": description, "schema": schema, "minOccurs": 0, "maxOccurs": 1}

    crit = {k: v for k, v in criteria_inputs().items() if k != "pays"}
    return {
        "country": one(
            text("Pays", "Country"),
            text(
                "Le pays de la carte : code ISO 3166-1 alpha-2 ou alpha-3, ou son nom français (accents "
                "et casse indifférents). Obligatoire sauf avec atlas.",
                "The country of the map: ISO 3166-1 alpha-2 or alpha-3 code, or its French name "
                "(accents and case do not matter). Required unless atlas is given.",
            ),
            {"type": "string", "minLength": 1, "maxLength": 100},
        ),
        "atlas": one(
            text("Atlas", "Atlas"),
            text(
                "monde ou un continent : une page par pays ayant des projets, dans un seul PDF, avec un "
                "sommaire (à lancer en asynchrone : Prefer: respond-async).",
                "monde (world) or a continent: one page per country with projects, in one PDF with a "
                "contents page (run it asynchronously: Prefer: respond-async).",
            ),
            {"type": "string", "enum": list(O.ATLAS_SCOPES)},
        ),
        "datetime": one(
            text("Période", "Period"),
            text(
                "Seuls les projets et demandes actifs pendant cette période sont cartographiés : une année "
                "(1995) ou un intervalle d'années (2000/2010, ../2010, 2000/..), la syntaxe du paramètre "
                "datetime d'OGC API limitée aux années. Un projet est actif de son année de lancement à son "
                "année de fin (sans fin : toujours en cours), une demande de son dépôt à sa validation.",
                "Only the projects and requests active in this period are mapped: a year (1995) or an "
                "interval of years (2000/2010, ../2010, 2000/..), the syntax of OGC API's datetime restricted "
                "to years. A project is active from its launch year to its end year (none: still running), a "
                "request from its submission to its validation.",
            ),
            {"oneOf": [{"type": "integer"}, {"type": "string", "minLength": 1, "maxLength": 20}]},
        ),
        "dates": one(
            text("Dates (petits multiples)", "Dates (small multiple)"),
            text(
                "2 à 6 années ou intervalles (même syntaxe que datetime) : une page où le même pays figure à "
                "chaque date, même étendue et même échelle, une légende commune (pdf, svg ou png).",
                "2 to 6 years or intervals (the syntax of datetime): one page with the same country at each "
                "date, same extent and scale, one shared legend (pdf, svg or png).",
            ),
            {
                "type": "array",
                "minItems": 2,
                "maxItems": 6,
                "items": {"oneOf": [{"type": "integer"}, {"type": "string", "minLength": 1, "maxLength": 20}]},
            },
        ),
        **crit,
        "format": one(
            text("Format", "Format"),
            text(
                "pdf (vectoriel, tableau complet en annexe), svg (vectoriel), png, geotiff (raster "
                "géoréférencé dans la projection de la carte : le cadre principal seul).",
                "pdf (vector, complete table as annex pages), svg (vector), png, geotiff (raster "
                "georeferenced in the map's projection: the main frame only).",
            ),
            {"type": "string", "enum": list(O.FORMATS), "default": "pdf"},
        ),
        "paper": one(
            text("Papier", "Paper"),
            text("A4 ou A3.", "A4 or A3."),
            {"type": "string", "enum": list(O.PAPERS), "default": "A4"},
        ),
        "orientation": one(
            text("Orientation", "Orientation"),
            text(
                "portrait, landscape, ou auto (selon la forme du pays).",
                "portrait, landscape, or auto (from the country's shape).",
            ),
            {"type": "string", "enum": list(O.ORIENTATIONS), "default": "auto"},
        ),
        "dpi": one(
            text("Résolution (points par pouce)", "Resolution (dots per inch)"),
            text(
                f"Pour png et geotiff seulement, de {O.DPI_MIN} à {O.DPI_MAX} (défaut {O.DPI_DEFAULT}).",
                f"For png and geotiff only, {O.DPI_MIN} to {O.DPI_MAX} (default {O.DPI_DEFAULT}).",
            ),
            {"type": "integer", "minimum": O.DPI_MIN, "maximum": O.DPI_MAX},
        ),
        "lang": LANG_INPUT,
        "title": one(
            text("Titre", "Title"),
            text("Remplace le titre par défaut.", "Replaces the default title."),
            {"type": "string", "minLength": 1, "maxLength": O.TITLE_MAX},
        ),
        "subtitle": one(
            text("Sous-titre", "Subtitle"),
            text(
                "Remplace le sous-titre par défaut (les critères en clair).",
                "Replaces the default subtitle (the criteria in words).",
            ),
            {"type": "string", "minLength": 1, "maxLength": O.SUBTITLE_MAX},
        ),
        "labels": one(
            text("Étiquettes", "Labels"),
            text(
                "Noms des collectivités partenaires, des régions et des pays sur la carte.",
                "Names of the partner authorities, regions and countries on the map.",
            ),
            {"type": "boolean", "default": True},
        ),
    }


PROCESS_METADATA = {
    "version": "1.0.0",
    "id": "carte-pays",
    "title": {"fr": "Carte d'un pays", "en": "Country map"},
    "description": {
        "fr": "La carte de la coopération décentralisée d'un pays, qualité impression : collectivités partenaires "
        "en cercles proportionnels aux couleurs de la coopération (bleu : coopération décentralisée, jaune : "
        "autre action extérieure, rouge : demande de coopération), projection choisie pour le pays, légende, "
        "échelle, flèche du nord, carte de situation, tableau des partenariats, sources et avertissement sur "
        "les données synthétiques. PDF, SVG, PNG ou GeoTIFF ; A4 ou A3. Ou un atlas (continent, monde) en un "
        "PDF de plusieurs pages.",
        "en": "The map of a country's decentralised cooperation, at print quality: partner authorities as "
        "proportional circles in the cooperation colours (blue: decentralised cooperation, yellow: other "
        "external action, red: cooperation request), a projection chosen for the country, legend, scale bar, "
        "north arrow, locator map, table of the partnerships, sources and the synthetic-data notice. PDF, "
        "SVG, PNG or GeoTIFF; A4 or A3. Or an atlas (a continent, the world) as one multi-page PDF.",
    },
    "jobControlOptions": ["sync-execute", "async-execute"],
    "outputTransmission": ["value"],
    "keywords": ["carte", "cartographie", "pays", "atlas", "PDF", "GeoTIFF"],
    "links": [
        {
            "type": "text/html",
            "rel": "license",
            "title": "GPL-3.0-or-later",
            "href": "https://www.gnu.org/licenses/gpl-3.0.html",
        }
    ],
    "inputs": _inputs(),
    "outputs": {
        "resultat": {
            "title": {"fr": "Carte", "en": "Map"},
            "description": {"fr": "La carte dans le format demandé.", "en": "The map in the format asked for."},
            "schema": {
                "oneOf": [
                    {"type": "string", "contentEncoding": "binary", "contentMediaType": mt}
                    for mt in MEDIA_TYPES.values()
                ]
            },
        }
    },
    "example": {"inputs": {"country": "BF", "thematique": ["eau_assainissement"], "format": "pdf", "paper": "A4"}},
}


def in_async_job() -> bool:
    """True when running in pygeoapi 0.24's asynchronous execution thread (a ``multiprocessing.dummy``
    process): the manager does not tell a processor how it runs it."""
    return isinstance(threading.current_thread(), multiprocessing.dummy.DummyProcess)


class CartePaysProcessor(AtlasProcessor):
    """``carte-pays``: see the module documentation."""

    METADATA = PROCESS_METADATA
    BINARY_FORMATS = tuple(MEDIA_TYPES)

    def check(self, values: dict) -> dict:
        from coopatlas.cartography.geography import world
        from coopatlas.cartography.options import parse_options
        from coopatlas.criteria import CriteriaError

        params = {k: v for k, v in values.items() if k in self.METADATA["inputs"]}
        try:
            values["_options"] = parse_options(params, world())
        except CriteriaError as exc:  # the map's inputs and the search criteria
            raise InputError(exc.param, str(exc).split(": ", 1)[-1]) from None
        return values

    def is_binary(self, values: dict) -> bool:
        return True  # every format is a file

    def run(self, values: dict):
        from coopatlas.cartography.countrymap import render_country_map

        options = values["_options"]
        if options.atlas:
            from coopatlas.cartography.atlas import atlas_countries, render_atlas

            if not in_async_job():
                n = len(atlas_countries(self.store, options))
                if n > ATLAS_SYNC_MAX:
                    raise InputError(
                        "atlas",
                        f"an atlas of {n} countries is a long job: run it asynchronously "
                        "(header Prefer: respond-async) and follow its progress in /jobs",
                    )
            data, _ = render_atlas(self.store, options, progress=self.progress)
            return MEDIA_TYPES["pdf"], data
        if options.dates:
            from coopatlas.cartography.multiples import render_small_multiple

            data, _ = render_small_multiple(self.store, options)
            return MEDIA_TYPES[options.format], data
        data, _ = render_country_map(self.store, options)
        return MEDIA_TYPES[options.format], data
