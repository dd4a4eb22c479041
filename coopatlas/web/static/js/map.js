// The map: MapLibre GL JS (vendored) drawing the server's published MapLibre styles (their OGC API Tiles
// sources, the basemap made of the atlas's own countries), the result of the search and the selection.
import * as maplibregl from "../../vendor/maplibre-gl/maplibre-gl.mjs";
import { url } from "./api.js";

/** The styles drawn, bottom to top (the basemap of the atlas's countries first), and whether shown at first. */
export const DRAWN = [["fond", true], ["pays", false], ["liens", false], ["collectivites", false], ["partenaires", false],
  ["projets", true], ["demandes", true]];
/** Collections whose symbols open a sheet or a description when clicked. */
const PICKABLE = ["demandes", "projets", "partenaires", "collectivites"];
/** Collections whose search result can be drawn from their tiles filtered by the search's CQL2 text. */
const FILTERABLE = ["projets", "demandes"];
const HIGHLIGHT = "#111111";

/** A URL of a style (made with the server's public URL) rewritten onto this page's origin. */
function rebase(href) {
  if (!href || href.startsWith("data:")) return href;
  try {
    const parsed = new URL(href.replaceAll("{", "%7B").replaceAll("}", "%7D"));
    const marker = ["/collections/", "/styles/", "/basemap/"].map((m) => parsed.pathname.indexOf(m))
      .find((i) => i >= 0);
    const path = marker === undefined ? parsed.pathname : parsed.pathname.slice(marker);
    return decodeURI(url(path)).replace(/\?$/, "") + decodeURI(parsed.search);
  } catch (_) {
    return href;
  }
}

/**
 * One style of the published ones: their sources (the collections' OGC API Tiles) and layers, each layer
 * owned by the first collection whose style has it (the basemap "fond", which every style repeats, once).
 */
function mergeStyles(styles) {
  const sources = {};
  const layers = [];
  const owners = {};
  for (const [collection, visible, style] of styles) {
    if (!style) continue;
    for (const [id, source] of Object.entries(style.sources || {})) {
      if (sources[id]) continue;
      const copy = { ...source };
      if (typeof copy.data === "string") copy.data = rebase(copy.data);
      if (copy.url) copy.url = rebase(copy.url);
      if (copy.tiles) copy.tiles = copy.tiles.map(rebase);
      sources[id] = copy;
    }
    for (const layer of style.layers || []) {
      if (layer.type === "symbol" || owners[layer.id]) continue; // no glyph server: no text
      owners[layer.id] = collection;
      layers.push({ ...layer, layout: { ...(layer.layout || {}), visibility: visible ? "visible" : "none" } });
    }
  }
  return { sources, layers, owners };
}

export class AtlasMap {
  constructor(container, styles, view, onPick, onView) {
    const { sources, layers, owners } = mergeStyles(styles);
    this.owners = owners;
    /** Per filterable collection, its published tile source and layers (a large result is drawn with them). */
    this.published = Object.fromEntries(FILTERABLE.filter((c) => sources[c] && sources[c].tiles).map((c) => [c,
      { source: sources[c], layers: layers.filter((layer) => layer.source === c) }]));
    this.resultTileLayers = {}; // layer id → collection, of the result drawn from filtered tiles
    this.map = new maplibregl.Map({
      container,
      style: { version: 8, sources, layers },
      center: view ? [view.lon, view.lat] : [10, 20],
      zoom: view ? view.zoom : 1.3,
      attributionControl: { compact: false },
      renderWorldCopies: false,
      maxZoom: 14,
    });
    this.map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
    this.map.addControl(new maplibregl.ScaleControl({ unit: "metric", maxWidth: 120 }), "bottom-left");
    this.ready = new Promise((resolve) => this.map.once("load", resolve)).then(() => {
      performance.mark("atlas-map-load");
      this.addOverlays();
    });
    this.tilesLoaded = 0; // vector tiles received (fetched by MapLibre's workers)
    this.map.on("data", (event) => { if (event.dataType === "source" && event.tile) this.tilesLoaded += 1; });
    this.map.on("moveend", () => {
      const center = this.map.getCenter();
      onView({ lon: center.lng, lat: center.lat, zoom: this.map.getZoom() });
    });
    this.map.on("click", (event) => this.pick(event.point, onPick));
    this.map.on("mousemove", (event) => {
      this.map.getCanvas().style.cursor = this.pickable(event.point).length ? "pointer" : "";
    });
  }

  addOverlays() {
    const empty = { type: "FeatureCollection", features: [] };
    this.map.addSource("resultat", { type: "geojson", data: empty });
    this.map.addSource("selection", { type: "geojson", data: empty });
    this.map.addLayer({ id: "resultat", type: "circle", source: "resultat", paint: {
      "circle-radius": 6, "circle-color": ["coalesce", ["get", "couleur"], "#1f5fbf"],
      "circle-stroke-color": HIGHLIGHT, "circle-stroke-width": 1.5 } });
    this.map.addLayer({ id: "selection", type: "circle", source: "selection", paint: {
      "circle-radius": 11, "circle-color": "rgba(0,0,0,0)", "circle-stroke-color": HIGHLIGHT,
      "circle-stroke-width": 3 } });
  }

  layersOf(collection) {
    return Object.entries(this.owners).filter(([, owner]) => owner === collection).map(([id]) => id);
  }

  setVisible(collection, visible) {
    const visibility = visible ? "visible" : "none";
    for (const id of this.layersOf(collection)) this.map.setLayoutProperty(id, "visibility", visibility);
  }

  pickable(point) {
    const ids = ["resultat", ...Object.keys(this.resultTileLayers), ...PICKABLE.flatMap((c) => this.layersOf(c))].filter((id) => this.map.getLayer(id));
    return this.map.queryRenderedFeatures(point, { layers: ids });
  }

  pick(point, onPick) {
    const found = this.pickable(point);
    if (!found.length) return;
    const feature = found[0];
    const id = feature.layer.id;
    const collection = id === "resultat" ? feature.properties.collection
      : this.resultTileLayers[id] || this.owners[id];
    onPick(collection, feature);
  }

  /** Draw the result's features (GeoJSON, with `couleur` and `collection` properties) and frame them. */
  showResult(features, frame) {
    this.map.getSource("resultat").setData({ type: "FeatureCollection", features });
    if (!frame) return;
    const coords = features.map((f) => f.geometry && f.geometry.coordinates).filter(Boolean);
    if (!coords.length) {
      this.map.easeTo({ center: [10, 20], zoom: 1.3 });
      return;
    }
    const bounds = coords.reduce((b, c) => b.extend(c), new maplibregl.LngLatBounds(coords[0], coords[0]));
    this.map.fitBounds(bounds, { padding: 60, maxZoom: 7, duration: 0 });
  }

  /**
   * Draw a large result from its collections' vector tiles filtered by the search (OGC API Tiles with
   * `filter` and `filter-lang=cql2-text`), with the published style's layers outlined as a result:
   * `filters` is {collection: CQL2 text} ({}: no such result). The browser downloads tiles, not features.
   */
  showResultTiles(filters) {
    for (const [id, collection] of Object.entries(this.resultTileLayers)) {
      this.map.removeLayer(id);
      delete this.resultTileLayers[id];
      if (this.map.getSource(`resultat-${collection}`)) this.map.removeSource(`resultat-${collection}`);
    }
    for (const [collection, filter] of Object.entries(filters)) {
      const published = this.published[collection];
      if (!published) continue;
      const sourceId = `resultat-${collection}`;
      const query = `filter=${encodeURIComponent(filter)}&filter-lang=cql2-text`;
      const tiles = published.source.tiles.map((tile) => `${tile}${tile.includes("?") ? "&" : "?"}${query}`);
      this.map.addSource(sourceId, { ...published.source, tiles });
      for (const layer of published.layers) {
        const id = `resultat-${layer.id}`;
        const paint = layer.type === "circle"
          ? { ...layer.paint, "circle-stroke-color": HIGHLIGHT, "circle-stroke-width": 1.5 } : layer.paint;
        this.map.addLayer({ ...layer, id, source: sourceId, paint,
          layout: { ...(layer.layout || {}), visibility: "visible" } }, "resultat");
        this.resultTileLayers[id] = collection;
      }
    }
  }

  select(feature) {
    this.map.getSource("selection").setData({ type: "FeatureCollection", features: feature ? [feature] : [] });
  }

  /** Resolves when the map has drawn everything it has asked for (MapLibre's `idle`). */
  idle() {
    return new Promise((resolve) => {
      if (this.map.loaded() && this.map.areTilesLoaded()) resolve();
      else this.map.once("idle", resolve);
    });
  }
}
