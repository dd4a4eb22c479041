// The state of the page in its URL (a permalink reopens the same search and view):
//   criteria under their own names (pays=BF&thematique=...), onglet (the search tab), vue=lon,lat,zoom,
//   page (of the result list), fiche (the project whose sheet is open), couches (the collections drawn), lang.

const TABS = ["monde", "france", "avancee", "bourse"];

export function read(criterionNames, defaultLayers) {
  const params = new URLSearchParams(window.location.search);
  const criteria = {};
  for (const name of criterionNames) {
    const value = params.get(name);
    if (value) criteria[name] = value;
  }
  let view = null;
  const parts = (params.get("vue") || "").split(",").map(Number);
  if (parts.length === 3 && parts.every(Number.isFinite)) view = { lon: parts[0], lat: parts[1], zoom: parts[2] };
  const tab = TABS.includes(params.get("onglet")) ? params.get("onglet") : "monde";
  return {
    tab, criteria, view,
    page: Math.max(1, parseInt(params.get("page"), 10) || 1),
    fiche: params.get("fiche") || null,
    layers: params.has("couches") ? params.get("couches").split(",").filter(Boolean) : defaultLayers,
  };
}

export function write(state) {
  const params = new URLSearchParams();
  const lang = new URLSearchParams(window.location.search).get("lang");
  if (lang) params.set("lang", lang);
  params.set("onglet", state.tab);
  for (const [name, value] of Object.entries(state.criteria)) params.set(name, value);
  if (state.view) {
    const { lon, lat, zoom } = state.view;
    params.set("vue", `${lon.toFixed(4)},${lat.toFixed(4)},${zoom.toFixed(2)}`);
  }
  if (state.page > 1) params.set("page", String(state.page));
  if (state.fiche) params.set("fiche", state.fiche);
  params.set("couches", state.layers.join(","));
  const next = `${window.location.pathname}?${params.toString()}`;
  if (next !== window.location.pathname + window.location.search) window.history.replaceState(null, "", next);
}
