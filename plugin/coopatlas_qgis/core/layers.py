"""Layers of a search: the GeoJSON files of a :class:`~.result.SearchResult` loaded into a project,
styled with the server's QML, grouped in the layer tree, zoomed to; families shown or hidden.

Main thread only (layers and the layer tree are not thread-safe).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from qgis.core import (
    QgsCategorizedSymbolRenderer,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFields,
    QgsGeometry,
    QgsJsonUtils,
    QgsLayerTreeGroup,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)

from .client import SEARCH_COLLECTIONS
from .i18n import tr
from .result import SearchResult
from .temporal import make_temporal
from .tiles import tile_layer

#: Custom property that marks our layers with their collection.
PROP_COLLECTION = "coopatlas/collection"
PROP_SEARCH = "coopatlas/search"
#: The families of records, as the field ``type_action`` codes them.
FAMILIES = ("cooperation_decentralisee", "action_exterieure", "demande_cooperation")


def layer_title(collection: str) -> str:
    """The name a collection's layer gets in the layer tree."""
    return {
        "projets": tr("Projects"),
        "demandes": tr("Cooperation requests"),
        "collectivites": tr("French local authorities"),
        "partenaires": tr("Partner authorities"),
        "liens": tr("Cooperation links"),
        "pays": tr("Countries"),
        "regions": tr("Regions"),
        "departements": tr("Departments"),
    }.get(collection, collection)


@dataclass
class LoadedSearch:
    """The layers of one search in the project."""

    result: SearchResult
    group: QgsLayerTreeGroup | None
    layers: dict[str, QgsVectorLayer] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def extent(self, crs: QgsCoordinateReferenceSystem, project: QgsProject) -> QgsRectangle:
        """Combined extent of the point layers (the whole search when there are none), in ``crs``."""
        ext = QgsRectangle()
        ext.setMinimal()
        vectors = {c: lyr for c, lyr in self.layers.items() if isinstance(lyr, QgsVectorLayer)}
        chosen = [lyr for c, lyr in vectors.items() if c != "liens"] or list(vectors.values())
        for lyr in chosen:
            if lyr.featureCount() == 0:
                continue
            e = lyr.extent()
            if lyr.crs() != crs and crs.isValid():
                e = QgsCoordinateTransform(lyr.crs(), crs, project).transformBoundingBox(e)
            ext.combineExtentWith(e)
        return ext


def open_layers(result: SearchResult) -> tuple[dict[str, QgsVectorLayer], list[str]]:
    """The layers of ``result``'s files with the server's styles, not yet in any project; and the errors.

    Safe in a worker thread (a task opens them, then moves them to the main thread).
    """
    layers, errors = {}, []
    for coll in reversed(SEARCH_COLLECTIONS):  # top of the layer tree first
        if coll in result.tile_styles:
            layer = tile_layer(result.tile_styles[coll], coll, layer_title(coll), result.tile_params.get(coll))
            if not layer.isValid():
                errors.append(tr("Cannot open the vector tiles of {collection}").format(collection=coll))
                continue
            layer.setCustomProperty(PROP_COLLECTION, coll)
            layer.setCustomProperty(PROP_SEARCH, result.search.to_json())
            layers[coll] = layer
            continue
        path = result.files.get(coll)
        if not path:
            continue
        layer = QgsVectorLayer(str(path), layer_title(coll), "ogr")
        if not layer.isValid():  # (never layer.error().summary(): it crashes QGIS 3.22 on an empty error)
            errors.append(tr("Cannot open {path}").format(path=path))
            continue
        qml = result.styles.get(coll)
        if qml:
            _message, ok = layer.loadNamedStyle(str(qml))
            if not ok:
                errors.append(tr("Cannot apply the style {path}").format(path=qml))
        make_temporal(layer, coll)  # the Temporal Controller shows what was active in its range
        layer.setCustomProperty(PROP_COLLECTION, coll)
        layer.setCustomProperty(PROP_SEARCH, result.search.to_json())
        layers[coll] = layer
    return layers, errors


def load_search(
    result: SearchResult, project: QgsProject | None = None, lang: str = "fr", group_name: str | None = None
) -> LoadedSearch:
    """Add the layers of ``result`` to ``project`` in a new group at the top of the layer tree.

    Layers are ordered demandes, projets, partenaires, collectivites, liens (top to bottom) and carry the
    server's QML style when it was fetched. The layers a task already opened (``result.layers``) are used.
    """
    project = project or QgsProject.instance()
    name = group_name or tr("CoopAtlas — {description}").format(description=result.description(lang) or "?")
    if len(name) > 120:
        name = name[:117] + "…"
    if result.layers is None:
        result.layers, result.layer_errors = open_layers(result)
    root = project.layerTreeRoot()
    group = root.insertGroup(0, name)
    loaded = LoadedSearch(result, group, errors=list(result.layer_errors))
    for coll in reversed(SEARCH_COLLECTIONS):
        layer = result.layers.get(coll)
        if layer is None:
            continue
        project.addMapLayer(layer, False)
        group.addLayer(layer)
        loaded.layers[coll] = layer
    return loaded


def zoom_to(loaded: LoadedSearch, canvas, project: QgsProject | None = None) -> bool:
    """Zoom ``canvas`` to the search's features (a 10 % margin); False when there is nothing to show."""
    project = project or QgsProject.instance()
    crs = canvas.mapSettings().destinationCrs()
    return zoom_to_extent(canvas, loaded.extent(crs, project))


def zoom_to_extent(canvas, ext: QgsRectangle) -> bool:
    """Zoom ``canvas`` to ``ext`` (canvas CRS) with a 10 % margin; False when it is empty."""
    if ext.isNull() or ext.xMinimum() > ext.xMaximum():
        return False
    if ext.width() == 0 and ext.height() == 0:  # one point: a 1 degree (or equivalent) window
        ext = QgsRectangle(ext.xMinimum() - 0.5, ext.yMinimum() - 0.5, ext.xMaximum() + 0.5, ext.yMaximum() + 0.5)
    else:
        ext = QgsRectangle(ext)
        ext.scale(1.1)
    canvas.setExtent(ext)
    canvas.refresh()
    return True


def geojson_geometry(feature: dict) -> QgsGeometry:
    """The geometry of a GeoJSON feature (CRS84); an empty geometry when it has none."""
    if not feature.get("geometry"):
        return QgsGeometry()
    text = json.dumps({"type": "Feature", "properties": {}, "geometry": feature["geometry"]})
    feats = QgsJsonUtils.stringToFeatureList(text, QgsFields(), None)
    return feats[0].geometry() if feats else QgsGeometry()


def zoom_to_feature(feature: dict, canvas, project: QgsProject | None = None, margin_deg: float = 0.5) -> bool:
    """Centre ``canvas`` on a GeoJSON feature of the server (a window of ``margin_deg`` degrees around a
    point); False when it has no geometry."""
    geom = geojson_geometry(feature)
    if geom.isNull() or geom.isEmpty():
        return False
    box = geom.boundingBox()
    box = QgsRectangle(
        box.xMinimum() - margin_deg,
        box.yMinimum() - margin_deg,
        box.xMaximum() + margin_deg,
        box.yMaximum() + margin_deg,
    )
    crs = canvas.mapSettings().destinationCrs()
    wgs84 = QgsCoordinateReferenceSystem("EPSG:4326")
    if crs.isValid() and crs != wgs84:
        box = QgsCoordinateTransform(wgs84, crs, project or QgsProject.instance()).transformBoundingBox(box)
    canvas.setExtent(box)
    canvas.refresh()
    return True


def set_family_visible(layers, family: str, visible: bool) -> int:
    """Show or hide one family of records (a ``type_action`` code) on ``layers``; the number of layers
    changed. Layers styled by ``type_action`` switch that category; others get a subset string."""
    changed = 0
    for layer in layers:
        if not isinstance(layer, QgsVectorLayer) or layer.fields().indexOf("type_action") < 0:
            continue
        renderer = layer.renderer()
        if isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "type_action":
            index = renderer.categoryIndexForValue(family)
            if index < 0:
                continue
            if renderer.categories()[index].renderState() != visible:
                renderer.updateCategoryRenderState(index, visible)
                layer.triggerRepaint()
                layer.emitStyleChanged()
                changed += 1
        else:
            hidden = set(filter(None, (layer.customProperty("coopatlas/hidden", "") or "").split(",")))
            hidden = hidden - {family} if visible else hidden | {family}
            layer.setCustomProperty("coopatlas/hidden", ",".join(sorted(hidden)))
            layer.setSubsetString(
                "" if not hidden else '"type_action" NOT IN (' + ", ".join(f"'{h}'" for h in sorted(hidden)) + ")"
            )
            changed += 1
    return changed


def family_visible(layers, family: str) -> bool:
    """Whether ``family`` is drawn on the first of ``layers`` that carries it (True when none does)."""
    for layer in layers:
        renderer = layer.renderer() if isinstance(layer, QgsVectorLayer) else None
        if isinstance(renderer, QgsCategorizedSymbolRenderer) and renderer.classAttribute() == "type_action":
            index = renderer.categoryIndexForValue(family)
            if index >= 0:
                return renderer.categories()[index].renderState()
    return True


def add_raster(path: str, name: str, project: QgsProject | None = None) -> QgsRasterLayer | None:
    """Add a raster file (e.g. a GeoTIFF country map) to the project; None when GDAL cannot read it."""
    project = project or QgsProject.instance()
    layer = QgsRasterLayer(str(path), name, "gdal")
    if not layer.isValid():
        return None
    project.addMapLayer(layer)
    return layer


def coopatlas_layers(project: QgsProject | None = None) -> list[QgsVectorLayer]:
    """The project's layers loaded by the plugin (any search)."""
    project = project or QgsProject.instance()
    return [
        lyr
        for lyr in project.mapLayers().values()
        if isinstance(lyr, QgsVectorLayer) and lyr.customProperty(PROP_COLLECTION)
    ]
