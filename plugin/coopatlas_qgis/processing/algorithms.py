"""Processing algorithms of the atlas (usable in models and with ``qgis_process``): a search as a vector
layer, the statistics of a search, the PDF report and the country cooperation map.

Every algorithm takes the atlas's criteria as text parameters (lists comma-separated, codes of the
server's ``/vocabulaire``) and the server address (the plugin's setting by default); the server
validates them and answers a clear error naming a bad one.
"""

from __future__ import annotations

import json
from pathlib import Path

from qgis.core import (
    QgsFeatureSink,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
    QgsProcessingUtils,
    QgsVectorLayer,
)

from ..core.client import AtlasClient
from ..core.errors import AtlasError
from ..core.i18n import lang, tr
from ..core.periods import date_list
from ..core.processes import describe
from ..core.result import filter_params
from ..core.search import CRITERIA, YEAR_RANGE, Search
from ..core.settings import Settings
from ..core.stats import COUNT_KEYS, Statistics

TRI_STATE = ("", "true", "false")


def criterion_title(name: str) -> str:
    return {
        "q": tr("Keywords"),
        "type_action": tr("Types of action (codes)"),
        "continent": tr("Continents (codes)"),
        "sous_continent": tr("Sub-continents (codes)"),
        "pays": tr("Countries (ISO 3166-1 alpha-2 codes)"),
        "region": tr("French regions (INSEE codes)"),
        "departement": tr("French departments (INSEE codes)"),
        "type_collectivite": tr("Types of French authority (codes)"),
        "collectivite": tr("French authorities (identifiers)"),
        "partenaire": tr("Partner authorities (identifiers)"),
        "thematique": tr("Themes (codes)"),
        "sous_thematique": tr("Sub-themes (codes)"),
        "sous_sous_thematique": tr("Sub-sub-themes (codes)"),
        "jumelage": tr("Twinning"),
        "statut": tr("Statuses (codes)"),
        "cofinancement": tr("Co-financing types (codes)"),
        "loi_oudin": tr("Oudin-Santini law"),
        "annee_min": tr("Start year, from"),
        "annee_max": tr("Start year, up to"),
        "actif_de": tr("Active, from"),
        "actif_a": tr("Active, up to"),
    }[name]


class AtlasAlgorithm(QgsProcessingAlgorithm):
    """Base: the server parameter and the criteria parameters."""

    SERVER = "SERVER"
    excluded: tuple = ()  # criteria this algorithm does not offer

    def createInstance(self):  # noqa: N802 - QGIS API
        return type(self)()

    def group(self):
        return tr("Atlas of decentralised cooperation")

    def groupId(self):  # noqa: N802 - QGIS API
        return "atlas"

    def add_server_parameter(self):
        param = QgsProcessingParameterString(
            self.SERVER, tr("CoopAtlas server address"), defaultValue=Settings().server_url, optional=True
        )
        self.addParameter(param)

    def add_criteria_parameters(self):
        for name, kind in CRITERIA.items():
            key = name.upper()
            if name in self.excluded:
                continue
            if kind == "bool":
                self.addParameter(
                    QgsProcessingParameterEnum(
                        key,
                        criterion_title(name),
                        options=[tr("either"), tr("yes"), tr("no")],
                        defaultValue=0,
                        optional=True,
                    )
                )
            elif kind == "year":
                self.addParameter(
                    QgsProcessingParameterNumber(
                        key,
                        criterion_title(name),
                        QgsProcessingParameterNumber.Integer,
                        optional=True,
                        minValue=YEAR_RANGE[0],
                        maxValue=YEAR_RANGE[1],
                    )
                )
            else:
                self.addParameter(QgsProcessingParameterString(key, criterion_title(name), optional=True))

    def client(self, parameters, context) -> AtlasClient:
        url = self.parameterAsString(parameters, self.SERVER, context) or Settings().server_url
        return AtlasClient(url, Settings().timeout_s)

    def search(self, parameters, context) -> Search:
        values = {}
        for name, kind in CRITERIA.items():
            key = name.upper()
            if name in self.excluded or key not in parameters or parameters[key] in (None, ""):
                continue
            if kind == "bool":
                values[name] = TRI_STATE[self.parameterAsEnum(parameters, key, context)] or None
            elif kind == "year":
                values[name] = self.parameterAsInt(parameters, key, context)
            else:
                values[name] = self.parameterAsString(parameters, key, context) or None
        return Search.of(values)


class SearchAlgorithm(AtlasAlgorithm):
    """The records of one collection matching the criteria, filtered by the server, as a layer (EPSG:4326)."""

    COLLECTION = "COLLECTION"
    OUTPUT = "OUTPUT"
    COLLECTIONS = ("projets", "demandes", "collectivites", "partenaires", "liens")

    def name(self):
        return "rechercher"

    def displayName(self):  # noqa: N802 - QGIS API
        return tr("Search the atlas")

    def shortHelpString(self):  # noqa: N802 - QGIS API
        return tr(
            "Projects, cooperation requests, French authorities, partners or links matching the atlas "
            "criteria, filtered by the CoopAtlas server (CQL2), as a vector layer in EPSG:4326. Lists are "
            "comma-separated codes of the server's vocabulary (/vocabulaire)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_server_parameter()
        self.addParameter(
            QgsProcessingParameterEnum(self.COLLECTION, tr("Records"), options=list(self.COLLECTIONS), defaultValue=0)
        )
        self.add_criteria_parameters()
        self.addParameter(
            QgsProcessingParameterFeatureSink(self.OUTPUT, tr("Search results"), QgsProcessing.TypeVectorAnyGeometry)
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        client = self.client(parameters, context)
        search = self.search(parameters, context)
        coll = self.COLLECTIONS[self.parameterAsEnum(parameters, self.COLLECTION, context)]
        try:
            criteres = client.criteres(search.params(), feedback)
            params = filter_params(criteres, coll)
            features = [] if params is None else client.items(coll, params, Settings().page_size, feedback)
        except AtlasError as exc:
            raise QgsProcessingException(str(exc)) from None
        feedback.pushInfo(
            tr("{n} records of {coll}: {description}").format(
                n=len(features), coll=coll, description=(criteres.get("description") or {}).get("fr", "")
            )
        )
        # the features go through a GeoJSON file that OGR reads into the sink's fields and geometries: in
        # the processing temporary folder (removed when QGIS exits), and removed once copied
        tmp = Path(QgsProcessingUtils.generateTempFilename(f"{coll}.geojson"))
        tmp.write_text(json.dumps({"type": "FeatureCollection", "features": features}), encoding="utf-8")
        source = QgsVectorLayer(str(tmp), coll, "ogr")
        fields, wkb, crs = source.fields(), source.wkbType(), source.crs()
        sink, dest_id = self.parameterAsSink(parameters, self.OUTPUT, context, fields, wkb, crs)
        if sink is None:
            raise QgsProcessingException(self.invalidSinkError(parameters, self.OUTPUT))
        total = max(1, len(features))
        for i, feat in enumerate(source.getFeatures() if source.isValid() else []):
            if feedback.isCanceled():
                break
            sink.addFeature(feat, QgsFeatureSink.FastInsert)
            feedback.setProgress(100.0 * (i + 1) / total)
        del source  # closes the file
        tmp.unlink(missing_ok=True)
        return {self.OUTPUT: dest_id}


class StatisticsAlgorithm(AtlasAlgorithm):
    """The statistics of a search (process ``statistiques``): counts as outputs, the full result as JSON."""

    TOP = "TOP"
    OUTPUT = "OUTPUT"

    def name(self):
        return "statistiques"

    def displayName(self):  # noqa: N802 - QGIS API
        return tr("Statistics of a search")

    def shortHelpString(self):  # noqa: N802 - QGIS API
        return tr(
            "Counts of French authorities, partners, projects, requests and countries, APD per year "
            "(euros), top authorities and splits by country, theme and continent, computed by the "
            "server's process 'statistiques'. The JSON file holds the whole result."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_server_parameter()
        self.add_criteria_parameters()
        self.addParameter(
            QgsProcessingParameterNumber(
                self.TOP, tr("Number of top authorities"), QgsProcessingParameterNumber.Integer, 10, True, 1, 1000
            )
        )
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, tr("Statistics (JSON)"), tr("JSON (*.json)"))
        )
        for key in COUNT_KEYS:
            self.addOutput(QgsProcessingOutputNumber(key.upper(), key))
        self.addOutput(QgsProcessingOutputString("DESCRIPTION", tr("Search")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        client = self.client(parameters, context)
        inputs = self.search(parameters, context).inputs()
        if parameters.get(self.TOP) not in (None, ""):
            inputs["top"] = self.parameterAsInt(parameters, self.TOP, context)
        inputs["lang"] = lang()
        try:
            data = client.execute_json("statistiques", inputs, feedback=feedback)
        except AtlasError as exc:
            raise QgsProcessingException(str(exc)) from None
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        Path(path).write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        stats = Statistics(data)
        out = {self.OUTPUT: path, "DESCRIPTION": str(data.get("description", ""))}
        for key in COUNT_KEYS:
            out[key.upper()] = stats.count(key)
            feedback.pushInfo(f"{key}: {stats.count(key)}")
        return out


class FileProcessAlgorithm(AtlasAlgorithm):
    """Base of the algorithms that save a file made by a server process."""

    OUTPUT = "OUTPUT"
    process = ""

    def run_process(self, parameters, context, feedback, inputs) -> dict:
        client = self.client(parameters, context)
        if "lang" in describe(client, self.process).inputs:
            inputs["lang"] = lang()
        try:
            resp = client.execute(self.process, inputs, prefer_async=True, feedback=feedback)
        except AtlasError as exc:
            raise QgsProcessingException(str(exc)) from None
        path = self.parameterAsFileOutput(parameters, self.OUTPUT, context)
        Path(path).write_bytes(resp.content)
        feedback.pushInfo(
            tr("{n} bytes ({type}) saved in {path}").format(n=len(resp.content), type=resp.content_type, path=path)
        )
        return {self.OUTPUT: path}


class ReportAlgorithm(FileProcessAlgorithm):
    TITLE = "TITRE"
    process = "rapport"

    def name(self):
        return "rapport"

    def displayName(self):  # noqa: N802 - QGIS API
        return tr("PDF report of a search")

    def shortHelpString(self):  # noqa: N802 - QGIS API
        return tr("The results of a search as a PDF report made by the server (process 'rapport').")

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_server_parameter()
        self.add_criteria_parameters()
        self.addParameter(QgsProcessingParameterString(self.TITLE, tr("Title"), optional=True))
        self.addParameter(QgsProcessingParameterFileDestination(self.OUTPUT, tr("Report"), tr("PDF (*.pdf)")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        inputs = self.search(parameters, context).inputs()
        title = self.parameterAsString(parameters, self.TITLE, context)
        if title:
            inputs["titre"] = title
        inputs["format"] = "pdf"
        return self.run_process(parameters, context, feedback, inputs)


class CountryMapAlgorithm(FileProcessAlgorithm):
    excluded = ("pays",)  # the map's country is its own parameter
    PAYS = "PAYS"
    FORMAT = "FORMAT"
    PAPER = "PAPER"
    DATETIME = "DATETIME"
    DATES = "DATES"
    FORMATS = ("pdf", "svg", "png", "geotiff")
    process = "carte-pays"

    def name(self):
        return "carte_pays"

    def displayName(self):  # noqa: N802 - QGIS API
        return tr("Country cooperation map")

    def shortHelpString(self):  # noqa: N802 - QGIS API
        return tr(
            "The map of the cooperation with one country (its partners, the French authorities engaged), "
            "made by the server (process 'carte-pays') as PDF, SVG, PNG or GeoTIFF. The other criteria "
            "narrow the projects shown. Period: a year (1995) or an interval of years (2000/2010, ../1990, "
            "2012/..), only what was active then is mapped. Small multiple: 2 to 6 such dates, comma-separated, "
            "one panel per date on one page (PDF, SVG or PNG; not with a period)."
        )

    def initAlgorithm(self, config=None):  # noqa: N802 - QGIS API
        self.add_server_parameter()
        self.addParameter(QgsProcessingParameterString(self.PAYS, tr("Country (ISO 3166-1 code or French name)")))
        self.addParameter(
            QgsProcessingParameterEnum(self.FORMAT, tr("Format"), options=list(self.FORMATS), defaultValue=0)
        )
        self.addParameter(QgsProcessingParameterString(self.PAPER, tr("Paper (A4 or A3)"), optional=True))
        self.addParameter(
            QgsProcessingParameterString(
                self.DATETIME, tr("Period: a year or an interval of years (1995, 2000/2010, ../1990)"), optional=True
            )
        )
        self.addParameter(
            QgsProcessingParameterString(
                self.DATES, tr("Small multiple: 2 to 6 years or intervals, comma-separated"), optional=True
            )
        )
        self.add_criteria_parameters()
        self.addParameter(
            QgsProcessingParameterFileDestination(self.OUTPUT, tr("Map"), tr("Maps (*.pdf *.svg *.png *.tif)"))
        )

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - QGIS API
        inputs = self.search(parameters, context).inputs()
        inputs["country"] = self.parameterAsString(parameters, self.PAYS, context).strip()
        inputs["format"] = self.FORMATS[self.parameterAsEnum(parameters, self.FORMAT, context)]
        paper = self.parameterAsString(parameters, self.PAPER, context)
        if paper:
            inputs["paper"] = paper.strip().upper()
        period = self.parameterAsString(parameters, self.DATETIME, context).strip()
        if period:
            inputs["datetime"] = period
        dates = date_list(self.parameterAsString(parameters, self.DATES, context))
        if dates:
            inputs["dates"] = dates
        return self.run_process(parameters, context, feedback, inputs)


ALGORITHMS = (SearchAlgorithm, StatisticsAlgorithm, ReportAlgorithm, CountryMapAlgorithm)
