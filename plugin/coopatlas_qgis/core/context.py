"""The context of a search's map: the atlas's own countries (``pays``), and French regions and departments
when the search is in France, drawn in muted tones under the results; and the extent of the scope searched.

The context layers live in one group of the layer tree, marked by the custom property
:data:`PROP_CONTEXT_GROUP`; each layer carries :data:`PROP_CONTEXT` (its collection). They are added once
per project and never duplicated: a search only fetches the context collections the project lacks
(:func:`missing_context`). Their files are fetched by the search task (:mod:`.tasks`), in a worker thread;
everything else here runs in the main thread.
"""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateTransform,
    QgsFeatureRequest,
    QgsFillSymbol,
    QgsLayerTreeGroup,
    QgsPalLayerSettings,
    QgsProject,
    QgsRectangle,
    QgsSingleSymbolRenderer,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtGui import QColor, QFont

from .i18n import tr
from .search import Search

PROP_CONTEXT_GROUP = "coopatlas/context-group"
PROP_CONTEXT = "coopatlas/context"
#: Context collections, top to bottom, and the properties their files keep.
CONTEXT_COLLECTIONS = ("departements", "regions", "pays")
CONTEXT_PROPERTIES = {
    "pays": "id,nom,continent,sous_continent",
    "regions": "id,nom",
    "departements": "id,nom,code_region",
}
#: Criteria that put a search in France (Accès France).
FRANCE_CRITERIA = ("region", "departement", "type_collectivite", "collectivite")
#: Muted styles: fill, outline colour and width (mm) of each context layer.
_STYLES = {
    "pays": ("#f1efea", "#c9c5bd", "0.2"),
    "regions": ("0,0,0,0", "#a39e95", "0.35"),
    "departements": ("0,0,0,0", "#b9b4aa", "0.25"),
}
#: Criteria whose codes are features of a context layer, by the property that holds the code.
_SCOPES = (
    ("departement", "departements", "id"),
    ("region", "regions", "id"),
    ("pays", "pays", "id"),
    ("sous_continent", "pays", "sous_continent"),
    ("continent", "pays", "continent"),
)


def context_title(collection: str) -> str:
    return {"pays": tr("Countries"), "regions": tr("Regions"), "departements": tr("Departments")}[collection]


def in_france(search: Search) -> bool:
    """True when the search is one of Accès France (a French region, department or authority)."""
    return any(search.get(name) for name in FRANCE_CRITERIA) or "FR" in (search.get("pays") or ())


def needed_context(search: Search) -> tuple[str, ...]:
    """The context collections a search's map shows: countries, and French regions and departments."""
    return ("pays", "regions", "departements") if in_france(search) else ("pays",)


def context_group(project: QgsProject, create: bool = False) -> QgsLayerTreeGroup | None:
    """The project's context group (created at the bottom of the layer tree when ``create``)."""
    root = project.layerTreeRoot()
    for node in root.children():
        if isinstance(node, QgsLayerTreeGroup) and node.customProperty(PROP_CONTEXT_GROUP):
            return node
    if not create:
        return None
    group = root.addGroup(tr("CoopAtlas — context"))
    group.setCustomProperty(PROP_CONTEXT_GROUP, True)
    return group


def context_layers(project: QgsProject) -> dict[str, QgsVectorLayer]:
    """The context layers of the project, by collection."""
    group = context_group(project)
    out = {}
    for node in group.findLayers() if group is not None else ():
        layer = node.layer()
        if isinstance(layer, QgsVectorLayer) and layer.customProperty(PROP_CONTEXT):
            out[layer.customProperty(PROP_CONTEXT)] = layer
    return out


def missing_context(search: Search, project: QgsProject) -> tuple[str, ...]:
    """The context collections ``search`` needs that ``project`` does not have yet."""
    present = context_layers(project)
    return tuple(c for c in needed_context(search) if c not in present)


def style_context(layer: QgsVectorLayer, collection: str) -> None:
    """A muted fill and outline; grey names on countries and regions."""
    fill, outline, width = _STYLES[collection]
    layer.setRenderer(
        QgsSingleSymbolRenderer(
            QgsFillSymbol.createSimple(
                {"color": fill, "outline_color": outline, "outline_width": width, "outline_width_unit": "MM"}
            )
        )
    )
    if collection == "departements":
        return
    text = QgsTextFormat()
    font = QFont()
    font.setItalic(collection == "regions")
    text.setFont(font)
    text.setSize(7.5 if collection == "pays" else 8)
    text.setColor(QColor("#8b867d"))
    label = QgsPalLayerSettings()
    label.fieldName = "nom"
    label.setFormat(text)
    layer.setLabeling(QgsVectorLayerSimpleLabeling(label))
    layer.setLabelsEnabled(True)


def add_context(files: dict, project: QgsProject) -> tuple[dict[str, QgsVectorLayer], list[str]]:
    """Add the context files (collection -> GeoJSON) the project lacks to its context group, in the order
    departments, regions, countries (top to bottom); the layers added and the errors."""
    present = context_layers(project)
    added, errors = {}, []
    for coll in CONTEXT_COLLECTIONS:
        path = files.get(coll)
        if not path or coll in present:
            continue
        layer = QgsVectorLayer(str(path), context_title(coll), "ogr")
        if not layer.isValid():
            errors.append(tr("Cannot open {path}").format(path=path))
            continue
        style_context(layer, coll)
        layer.setCustomProperty(PROP_CONTEXT, coll)
        group = context_group(project, create=True)
        project.addMapLayer(layer, False)
        # keep the order departments, regions, countries whatever was added before
        rank = CONTEXT_COLLECTIONS.index(coll)
        position = sum(
            1
            for node in group.findLayers()
            if CONTEXT_COLLECTIONS.index(node.layer().customProperty(PROP_CONTEXT)) < rank
        )
        group.insertLayer(position, layer)
        added[coll] = layer
    return added, errors


def scope_extent(search: Search, project: QgsProject, crs) -> QgsRectangle | None:
    """The extent (in ``crs``) of the place searched: its departments, regions, countries, sub-continents
    or continents, read from the context layers; ``None`` when the search names no place."""
    layers = context_layers(project)
    for criterion, coll, prop in _SCOPES:
        codes = search.get(criterion)
        layer = layers.get(coll)
        if not codes or layer is None or layer.fields().indexOf(prop) < 0:
            continue
        quoted = ", ".join("'" + str(c).replace("'", "''") + "'" for c in codes)
        request = QgsFeatureRequest().setFilterExpression(f'"{prop}" IN ({quoted})')
        request.setNoAttributes()
        extent = QgsRectangle()
        extent.setMinimal()
        for feature in layer.getFeatures(request):
            if feature.hasGeometry():
                extent.combineExtentWith(feature.geometry().boundingBox())
        if extent.isNull() or extent.xMinimum() > extent.xMaximum():
            continue
        if crs.isValid() and layer.crs() != crs:
            extent = QgsCoordinateTransform(layer.crs(), crs, project).transformBoundingBox(extent)
        return extent
    return None
