// The web atlas page: loads what the searches need from the server, draws the map, runs a search (criteria →
// /criteres → the list, the map, the État panel) and keeps the state in the URL.
import * as api from "./api.js";
import * as etat from "./etat.js";
import * as exportsOf from "./exports.js";
import { AtlasMap, DRAWN } from "./map.js";
import * as results from "./results.js";
import * as searches from "./searches.js";
import * as sheets from "./sheet.js";
import * as urlState from "./state.js";
import { bindTabs } from "./tabs.js";

const t = JSON.parse(document.getElementById("atlas-strings").textContent);
const lang = document.body.dataset.lang;
/**
 * At most this many result features are downloaded and drawn over the tiles; beyond it, the result is drawn
 * from the collections' tiles filtered by the search (or, for a search the tiles cannot filter, by its
 * keywords, not at all) and the listed page is marked.
 */
const HIGHLIGHT_MAX = 2000;
/** The longest CQL2 text sent in a tile URL (a longer filter: no filtered tiles). */
const TILE_FILTER_MAX = 4000;
const $ = (selector) => document.querySelector(selector);

/** Criterion name → kind (codes, ids, bool, year, text), from the inputs the `statistiques` process publishes. */
function criterionKinds(process) {
  const kinds = {};
  for (const [name, input] of Object.entries(process.inputs || {})) {
    if (!(input.keywords || []).includes("critere")) continue;
    const schema = input.schema || {};
    kinds[name] = schema.oneOf ? "codes"
      : schema.type === "boolean" ? "bool" : schema.type === "integer" ? "year" : "text";
  }
  return kinds;
}

async function loadPlaces() {
  const all = (collection, properties) => api.items(collection, {}, { limit: 500, properties, skipGeometry: true })
    .then((page) => page.features.map((f) => f.properties));
  const [pays, regions, departements] = await Promise.all([
    all("pays", "pays_code,nom,nom_en,continent,sous_continent"), all("regions", "code_region,nom"),
    all("departements", "code_departement,code_region,nom")]);
  regions.sort((a, b) => a.nom.localeCompare(b.nom, "fr"));
  departements.sort((a, b) => a.code_departement.localeCompare(b.code_departement));
  return { pays, regions, departements };
}

function showError(error) {
  $("#description").textContent = t.error.replace("{m}", error.message);
}

async function boot() {
  const [vocab, process, places, styles] = await Promise.all([
    api.vocabulary(), api.getJson("/processes/statistiques"), loadPlaces(),
    Promise.all(DRAWN.map(([c, visible]) => api.style(c).then((s) => [c, visible, s], () => [c, visible, null]))),
  ]);
  const kinds = criterionKinds(process);
  const colours = Object.fromEntries((vocab.type_action || []).map((term) => [term.code, term.couleur]));
  const state = urlState.read(Object.keys(kinds), DRAWN.filter(([c, on]) => on && c !== "fond").map(([c]) => c));
  const ctx = { vocab, lang, t, places };
  let current = null; // {criteria, collection, query, page, pages}

  const shown = styles.map(([c, , style]) => [c, c === "fond" || state.layers.includes(c), style]);
  const atlas = new AtlasMap($("#carte"), shown, state.view, (collection, feature) => openSheet(collection, feature),
    (view) => { state.view = view; urlState.write(state); });
  window.coopatlas = { atlas, state, ready: false };
  drawLegend(vocab);
  const layerBoxes = [...document.querySelectorAll("#couches input")];
  const drawLayers = () => layerBoxes.forEach((box) => atlas.setVisible(box.value, box.checked));
  layerBoxes.forEach((box) => {
    box.checked = state.layers.includes(box.value);
    box.addEventListener("change", () => {
      drawLayers();
      state.layers = layerBoxes.filter((b) => b.checked).map((b) => b.value);
      urlState.write(state);
    });
  });
  atlas.ready.then(drawLayers);

  const forms = {};
  for (const form of document.querySelectorAll("form[data-search]")) {
    const tab = form.dataset.search;
    forms[tab] = searches[tab](ctx, form.querySelector(".fields"));
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      state.tab = tab;
      run(forms[tab].toCriteria(), { frame: true, page: 1 }).catch(showError);
    });
    form.querySelector(".reset").addEventListener("click", () => {
      forms[tab].fromCriteria({});
      run(tab === "bourse" ? forms.bourse.toCriteria() : {}, { frame: true, page: 1 }).catch(showError);
    });
  }
  bindTabs($(".tabs"), state.tab, (tab) => { state.tab = tab; urlState.write(state); });
  forms[state.tab].fromCriteria(state.criteria);

  async function run(criteria, { frame, page }) {
    $("#etat").setAttribute("aria-busy", "true");
    const search = await api.criteres(criteria);
    const collection = state.tab === "bourse" || !search.collections.projets ? "demandes" : "projets";
    const query = search.collections[collection];
    current = { criteria: search.criteres, collection, query, page };
    state.criteria = search.criteres;
    state.page = page;
    $("#description").textContent = search.description[lang];
    $("#export-csv").href = query ? exportsOf.csvUrl(collection, query) : "#";
    const inputs = api.processInputs(search.criteres, kinds);
    const figures = api.execute("statistiques", { ...inputs, format: "json", lang }).then((stats) => {
      etat.render($("#etat"), stats, t, lang, colours.cooperation_decentralisee || "#1f5fbf");
      if (stats.description) $("#description").textContent = stats.description;
      const notice = stats.donnees && stats.donnees.avertissement;
      $("#avertissement").hidden = !notice;
      $("#avertissement").textContent = notice || "";
    });
    const listed = showPage(page);
    const shown = [[collection, query], ["demandes", collection === "projets" && search.collections.demandes]];
    const drawn = highlight(shown.filter(([, q]) => q), Object.keys(search.criteres).length > 0, frame, listed);
    urlState.write(state);
    await Promise.all([figures, listed, drawn]);
    document.body.dataset.searches = String(Number(document.body.dataset.searches || 0) + 1);
  }

  async function showPage(page) {
    if (!current.query) {
      const none = { features: [], numberMatched: 0 };
      results.render($("#resultats"), current.collection, none, 1, t, lang, colours, choose);
      return;
    }
    const data = await results.fetchPage(current.collection, current.query, page);
    current.page = state.page = page;
    current.pages = results.render($("#resultats"), current.collection, data, page, t, lang, colours, choose);
    current.listed = data.features;
    if (current.pageHighlight) atlas.showResult(asResult(data.features, current.collection), false);
    urlState.write(state);
  }

  /** Features of a collection as drawn over the tiles (their type's colour; the collection, for a click). */
  function asResult(features, collection) {
    return features.map((f) => ({ ...f, properties: { ...f.properties, id: f.properties.id ?? f.id, collection,
      couleur: colours[f.properties.type_action] } }));
  }

  /** Whether the tiles can draw a query of /criteres: a CQL2 text filter of a URL's length, no keywords. */
  const tileable = (query) => Boolean(query.filter) && !query.q && query.filter.length <= TILE_FILTER_MAX;

  /**
   * The result over the tiles: the matching projects (and requests), framed; beyond HIGHLIGHT_MAX of them
   * (or when the server could not count them), their filtered tiles and the listed page, nothing downloaded
   * but counts and the list. A search overtaken by a newer one draws nothing.
   */
  async function highlight(queries, narrowed, frame, listed) {
    const search = current;
    await atlas.ready;
    if (search !== current) return;
    atlas.showResultTiles({});
    if (!narrowed) {
      atlas.showResult([], frame);
      return;
    }
    const counts = await Promise.all(queries.map(([collection, query]) =>
      api.items(collection, query, { limit: 1, properties: "id", skipGeometry: true }).then((d) => d.numberMatched)));
    const whole = counts.every((n) => n !== undefined && n <= HIGHLIGHT_MAX);
    if (whole) {
      const pages = await Promise.all(queries.map(async ([collection, query]) => {
        const data = await api.items(collection, query, { limit: HIGHLIGHT_MAX, properties: "id,type_action,titre" });
        return asResult(data.features, collection);
      }));
      if (search !== current) return;
      current.pageHighlight = false;
      atlas.showResult(pages.flat(), frame);
      return;
    }
    if (search !== current) return;
    if (queries.every(([, query]) => tileable(query))) {
      atlas.showResultTiles(Object.fromEntries(queries.map(([collection, query]) => [collection, query.filter])));
    }
    await listed;
    if (search !== current) return;
    current.pageHighlight = true;
    atlas.showResult(asResult(current.listed || [], current.collection), false);
  }

  function choose(feature) {
    openSheet(current.collection, feature, true);
  }

  async function openSheet(collection, feature, fly) {
    const id = feature.properties.id ?? feature.id;
    if (!id || feature.properties.agregat) { // an aggregate of a low zoom's tile: zoom in on its place
      atlas.map.easeTo({ center: feature.geometry.coordinates, zoom: atlas.map.getZoom() + 2 });
      return;
    }
    const section = $("#fiche");
    section.querySelector(".content").textContent = t.loading;
    section.hidden = false;
    try {
      const sheet = collection === "projets" ? await sheets.projectSheet(id, lang)
        : await sheets.featureSheet(collection, id, t);
      section.querySelector(".content").replaceChildren(sheet.box);
      const pdf = section.querySelector(".pdf");
      pdf.hidden = collection !== "projets";
      pdf.onclick = async (event) => {
        event.preventDefault();
        const link = await sheets.pdfLink(id, lang, `fiche-${id}.pdf`);
        document.body.append(link);
        link.click();
        link.remove();
      };
      state.fiche = collection === "projets" ? id : null;
      urlState.write(state);
      if (feature.geometry) {
        atlas.select({ type: "Feature", geometry: feature.geometry, properties: {} });
        if (fly) atlas.map.easeTo({ center: feature.geometry.coordinates, zoom: Math.max(atlas.map.getZoom(), 5) });
      }
      section.focus();
    } catch (error) {
      section.querySelector(".content").textContent = t.error.replace("{m}", error.message);
    }
  }

  $("#fiche .close").addEventListener("click", () => {
    $("#fiche").hidden = true;
    atlas.select(null);
    state.fiche = null;
    urlState.write(state);
    $("#carte canvas").focus();
  });
  $("#resultats .prev").addEventListener("click", () => showPage(current.page - 1).catch(showError));
  $("#resultats .next").addEventListener("click", () => showPage(current.page + 1).catch(showError));
  $("#export-rapport").addEventListener("click", () => {
    const inputs = { ...api.processInputs(current.criteria, kinds), format: "pdf", lang };
    exportsOf.runJob($("#jobs"), "rapport", inputs, t.rapport, "rapport.pdf", t);
  });
  $("#export-iati").addEventListener("click", () => {
    const inputs = api.processInputs(current.criteria, kinds);
    exportsOf.runJob($("#jobs"), "export-iati", inputs, t.iati, "coopatlas-iati.xml", t);
  });
  $("#export-carte").addEventListener("click", () => {
    const countries = String(current.criteria.pays || "").split(",").filter(Boolean);
    if (countries.length !== 1) {
      $("#jobs").textContent = t.carte_pays_needs;
      return;
    }
    const { pays, ...others } = current.criteria;
    const inputs = { ...api.processInputs(others, kinds), country: pays, format: "pdf", lang };
    exportsOf.runJob($("#jobs"), "carte-pays", inputs, t.carte_pays, `carte-${pays}.pdf`, t);
  });

  await run(state.criteria, { frame: !state.view, page: state.page });
  performance.mark("atlas-search");
  if (state.fiche) {
    const item = await api.getJson(`/collections/projets/items/${encodeURIComponent(state.fiche)}`).catch(() => null);
    if (item) await openSheet("projets", item, false);
  }
  await atlas.idle();
  performance.mark("atlas-complete");
  window.coopatlas.ready = true;
  document.body.dataset.ready = "true";
}

function drawLegend(vocab) {
  const list = $("#legende ul");
  list.replaceChildren(...(vocab.type_action || []).filter((term) => term.couleur).map((term) => {
    const item = document.createElement("li");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = term.couleur;
    swatch.setAttribute("aria-hidden", "true");
    item.append(swatch, " ", term[lang] || term.fr);
    return item;
  }));
}

boot().catch((error) => {
  showError(error);
  document.body.dataset.ready = "error";
});
