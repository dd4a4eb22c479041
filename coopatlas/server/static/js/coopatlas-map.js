/*
 * CoopAtlas — Leaflet helpers of the HTML pages (GPL-3.0-or-later).
 *
 * Everything is served by the atlas server itself: the background is /basemap/{z}/{x}/{y}.png (countries
 * of the `pays` collection drawn by the server), the colours come from the server's configuration
 * (coopatlas.server.maps.STYLES, generated from coopatlas.vocabulary.PALETTE).
 */
(function (global) {
  'use strict';

  function baseMap(elementId, options) {
    var map = L.map(elementId, {preferCanvas: true, worldCopyJump: true});
    L.tileLayer(options.basemapUrl, {
      maxZoom: 12,
      attribution: options.attribution || ''
    }).addTo(map);
    map.setView([20, 10], 2);
    return map;
  }

  /* Fill colour of a feature from its properties and the collection style. */
  function colour(style, props) {
    props = props || {};
    if (!style) { return '#666666'; }
    if (style.colour_by) {
      var v = props[style.colour_by];
      return (v in style.colours) ? style.colours[v] : style.default;
    }
    if (style.class_by) {
      var n = props[style.class_by];
      var c = style.default;
      if (typeof n === 'number') {
        style.classes.forEach(function (cls) { if (n >= cls[0]) { c = cls[1]; } });
      }
      return c;
    }
    return style.default;
  }

  /* Diameter (pixels) of a point: constant, or growing with a count (coopatlas.styles.model.ProportionalSize). */
  function diameter(style, props) {
    var p = style && style.proportional;
    if (!p) { return (style && style.size) || 6; }
    var v = (props || {})[p.field];
    v = (typeof v === 'number') ? Math.min(Math.max(v, p.value_min), p.value_max) : p.value_min;
    var t = (v - p.value_min) / (p.value_max - p.value_min);
    return p.size_min + Math.pow(t, p.exponent) * (p.size_max - p.size_min);
  }

  function featureLayer(geojson, style, popup) {
    var opacity = (style && style.opacity) || 1;
    return L.geoJSON(geojson, {
      pointToLayer: function (feature, latlng) {
        var c = colour(style, feature.properties);
        return L.circleMarker(latlng, {
          radius: diameter(style, feature.properties) / 2, color: style.stroke_colour,
          weight: style.stroke_width, opacity: opacity, fillColor: c, fillOpacity: opacity,
          className: 'coopatlas-feature'
        });
      },
      style: function (feature) {
        var c = colour(style, feature.properties);
        if (style && style.kind === 'line') {
          return {color: c, weight: style.size || 1, opacity: opacity};
        }
        return {color: style.stroke_colour, weight: style.stroke_width, fillColor: c, fillOpacity: opacity};
      },
      onEachFeature: function (feature, layer) {
        if (popup) { layer.bindPopup(popup(feature)); }
      }
    });
  }

  function fit(map, layer, maxZoom) {
    var b = layer.getBounds && layer.getBounds();
    if (b && b.isValid()) { map.fitBounds(b, {maxZoom: maxZoom || 8, padding: [10, 10]}); }
  }

  /* OGC API - Maps overlay: the server's PNG of the collection for the current view (Web Mercator). */
  function mapsOverlay(map, mapUrl, opacity) {
    var overlay = null;
    function refresh() {
      var b = map.getBounds();
      var south = Math.max(b.getSouth(), -85.05), north = Math.min(b.getNorth(), 85.05);
      var west = Math.max(b.getWest(), -180), east = Math.min(b.getEast(), 180);
      if (!(west < east && south < north)) { return; }
      var sw = L.CRS.EPSG3857.project(L.latLng(south, west));
      var ne = L.CRS.EPSG3857.project(L.latLng(north, east));
      var size = map.getSize();
      var pw = map.latLngToContainerPoint([south, east]).x - map.latLngToContainerPoint([south, west]).x;
      var ph = map.latLngToContainerPoint([south, west]).y - map.latLngToContainerPoint([north, west]).y;
      var w = Math.max(1, Math.min(2048, Math.round(pw || size.x)));
      var h = Math.max(1, Math.min(2048, Math.round(ph || size.y)));
      var url = mapUrl + (mapUrl.indexOf('?') < 0 ? '?' : '&') +
        'crs=EPSG:3857&bbox-crs=EPSG:3857&transparent=true&f=png' +
        '&bbox=' + [sw.x, sw.y, ne.x, ne.y].join(',') + '&width=' + w + '&height=' + h;
      var bounds = L.latLngBounds([south, west], [north, east]);
      if (overlay) { map.removeLayer(overlay); }
      overlay = L.imageOverlay(url, bounds, {opacity: opacity || 0.9, className: 'coopatlas-maps-overlay'});
      overlay.addTo(map);
    }
    map.on('moveend', refresh);
    refresh();
    return {refresh: refresh};
  }

  function legend(map, entries, title) {
    if (!entries || !entries.length) { return; }
    var control = L.control({position: 'bottomright'});
    control.onAdd = function () {
      var div = L.DomUtil.create('div', 'coopatlas-legend');
      var html = title ? '<strong>' + title + '</strong><br/>' : '';
      entries.forEach(function (e) {
        html += '<span class="coopatlas-swatch" style="background:' + e.colour + '"></span>' + escapeHtml(e.label) + '<br/>';
      });
      div.innerHTML = html;
      return div;
    };
    control.addTo(map);
  }

  function escapeHtml(s) {
    return String(s).replace(/[&<>"']/g, function (c) {
      return {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}[c];
    });
  }

  global.CoopAtlas = {
    baseMap: baseMap, colour: colour, diameter: diameter, featureLayer: featureLayer, fit: fit,
    mapsOverlay: mapsOverlay, legend: legend, escapeHtml: escapeHtml
  };
})(window);
