// The four searches of the Atlas, as forms built from /vocabulaire and the place collections. Each one turns
// its fields into flat criteria (the names of /criteres) and back (a permalink), nothing more: the server
// makes the filters.
import * as api from "./api.js";
import { checkboxes, input, select, tristate, typeahead } from "./fields.js";

const PROJECT_TYPES = "cooperation_decentralisee,action_exterieure";

function terms(ctx, list, parents = {}) {
  return (ctx.vocab[list] || [])
    .filter((term) => Object.entries(parents).every(([field, value]) => !value || term[field] === value))
    .map((term) => ({ code: term.code, label: term[ctx.lang] || term.fr || term.code }));
}

function countries(ctx, continent, subContinent) {
  return ctx.places.pays
    .filter((p) => (!continent || p.continent === continent) && (!subContinent || p.sous_continent === subContinent))
    .map((p) => ({ code: p.pays_code, label: (ctx.lang === "en" && p.nom_en) || p.nom }))
    .sort((a, b) => a.label.localeCompare(b.label, ctx.lang));
}

/** Continent › sub-continent › country, each list narrowed by the one above. */
function worldPlaces(ctx, box) {
  const { t } = ctx;
  const continent = select(box, "continent", t.continent, terms(ctx, "continent"), t.all);
  const sub = select(box, "sous_continent", t.sous_continent, terms(ctx, "sous_continent"), t.all);
  const country = select(box, "pays", t.pays, countries(ctx), t.all);
  const narrow = () => {
    sub.setOptions(terms(ctx, "sous_continent", { continent: continent.value }));
    country.setOptions(countries(ctx, continent.value, sub.value));
  };
  continent.control.addEventListener("change", narrow);
  sub.control.addEventListener("change", narrow);
  return { continent, sub, country, narrow };
}

/** Region › department › type of authority › authority (type-ahead). */
function francePlaces(ctx, box) {
  const { t } = ctx;
  const regions = ctx.places.regions.map((r) => ({ code: r.code_region, label: r.nom }));
  const departments = (region) => ctx.places.departements
    .filter((d) => !region || d.code_region === region)
    .map((d) => ({ code: d.code_departement, label: `${d.nom} (${d.code_departement})` }));
  const region = select(box, "region", t.region, regions, t.all);
  const department = select(box, "departement", t.departement, departments(), t.all);
  region.control.addEventListener("change", () => department.setOptions(departments(region.value)));
  const kind = select(box, "type_collectivite", t.type_collectivite, terms(ctx, "type_collectivite"), t.all);
  const find = async (text) => {
    const filters = { code_region: region.value, code_departement: department.value, type_collectivite: kind.value };
    const page = await api.items("collectivites", { q: text, ...filters },
      { limit: 15, properties: "id,nom", skipGeometry: true });
    return page.features.map((f) => ({ id: f.properties.id ?? f.id, label: f.properties.nom }));
  };
  const describe = async (id) =>
    (await api.getJson(`/collections/collectivites/items/${encodeURIComponent(id)}`)).properties.nom;
  const authority = typeahead(box, "collectivite", t.collectivite, find, describe);
  return { region, department, kind, authority, departments };
}

/** Theme › sub-theme › sub-sub-theme. */
function themes(ctx, box) {
  const { t } = ctx;
  const theme = select(box, "thematique", t.thematique, terms(ctx, "thematique"), t.all);
  const sub = select(box, "sous_thematique", t.sous_thematique, terms(ctx, "sous_thematique"), t.all);
  const subSub = select(box, "sous_sous_thematique", t.sous_sous_thematique, terms(ctx, "sous_sous_thematique"), t.all);
  const narrow = () => {
    sub.setOptions(terms(ctx, "sous_thematique", { thematique: theme.value }));
    subSub.setOptions(terms(ctx, "sous_sous_thematique", { sous_thematique: sub.value }));
  };
  theme.control.addEventListener("change", narrow);
  sub.control.addEventListener("change", narrow);
  return { theme, sub, subSub, narrow };
}

/** The most specific place chosen: the country, else the sub-continent, else the continent. */
function worldCriteria(w) {
  if (w.country.value) return { pays: w.country.value };
  if (w.sub.value) return { sous_continent: w.sub.value };
  if (w.continent.value) return { continent: w.continent.value };
  return {};
}

function setWorld(ctx, w, c) {
  const country = ctx.places.pays.find((p) => p.pays_code === c.pays);
  w.continent.value = c.continent || (country && country.continent);
  w.narrow();
  w.sub.value = c.sous_continent || (country && country.sous_continent);
  w.narrow();
  w.country.value = c.pays;
}

function franceCriteria(f) {
  const out = {};
  if (f.authority.value) out.collectivite = f.authority.value;
  else if (f.department.value) out.departement = f.department.value;
  else if (f.region.value) out.region = f.region.value;
  if (f.kind.value) out.type_collectivite = f.kind.value;
  return Object.keys(out).length ? out : { type_action: PROJECT_TYPES };
}

function setFrance(ctx, f, c) {
  const department = ctx.places.departements.find((d) => d.code_departement === c.departement);
  f.region.value = c.region || (department && department.code_region);
  f.department.setOptions(f.departments(f.region.value));
  f.department.value = c.departement;
  f.kind.value = c.type_collectivite;
  f.authority.value = c.collectivite;
}

export function monde(ctx, box) {
  const w = worldPlaces(ctx, box);
  return { toCriteria: () => worldCriteria(w), fromCriteria: (c) => setWorld(ctx, w, c) };
}

export function france(ctx, box) {
  const f = francePlaces(ctx, box);
  return { toCriteria: () => franceCriteria(f), fromCriteria: (c) => setFrance(ctx, f, c) };
}

/** Every criterion of the search model. */
export function avancee(ctx, box) {
  const { t } = ctx;
  const words = { yes: t.yes, no: t.no, either: t.either };
  const q = input(box, "q", t.q, "search", { maxlength: "200" });
  const types = checkboxes(box, "type_action", t.type_action, terms(ctx, "type_action"));
  const w = worldPlaces(ctx, box);
  const f = francePlaces(ctx, box);
  const th = themes(ctx, box);
  const status = select(box, "statut", t.statut, terms(ctx, "statut"), t.all);
  const cofinancing = checkboxes(box, "cofinancement", t.cofinancement, terms(ctx, "cofinancement"));
  const twinning = tristate(box, "jumelage", t.jumelage, words);
  const oudin = tristate(box, "loi_oudin", t.loi_oudin, words);
  const from = input(box, "annee_min", t.annee_min, "number", { min: "1900", max: "2100", inputmode: "numeric" });
  const to = input(box, "annee_max", t.annee_max, "number", { min: "1900", max: "2100", inputmode: "numeric" });
  const activeFrom = input(box, "actif_de", t.actif_de, "number", { min: "1900", max: "2100", inputmode: "numeric" });
  const activeTo = input(box, "actif_a", t.actif_a, "number", { min: "1900", max: "2100", inputmode: "numeric" });
  const simple = { q, type_action: types, thematique: th.theme, sous_thematique: th.sub,
    sous_sous_thematique: th.subSub, statut: status, cofinancement: cofinancing, jumelage: twinning,
    loi_oudin: oudin, annee_min: from, annee_max: to, actif_de: activeFrom, actif_a: activeTo };
  return {
    toCriteria() {
      const out = { ...worldCriteria(w) };
      const france = franceCriteria(f);
      if (!france.type_action) Object.assign(out, france);
      for (const [name, field] of Object.entries(simple)) if (field.value) out[name] = field.value;
      return out;
    },
    fromCriteria(c) {
      setWorld(ctx, w, c);
      setFrance(ctx, f, c);
      th.theme.value = c.thematique; th.narrow();
      th.sub.value = c.sous_thematique; th.narrow();
      for (const [name, field] of Object.entries(simple)) field.value = c[name];
    },
  };
}

/** The Bourse's search: public cooperation requests by continent, country and theme. */
export function bourse(ctx, box) {
  const { t } = ctx;
  const continent = select(box, "continent", t.continent, terms(ctx, "continent"), t.all);
  const country = select(box, "pays", t.pays, countries(ctx), t.all);
  continent.control.addEventListener("change", () => country.setOptions(countries(ctx, continent.value)));
  const theme = select(box, "thematique", t.thematique, terms(ctx, "thematique"), t.all);
  return {
    toCriteria() {
      const out = { type_action: "demande_cooperation" };
      if (country.value) out.pays = country.value;
      else if (continent.value) out.continent = continent.value;
      if (theme.value) out.thematique = theme.value;
      return out;
    },
    fromCriteria(c) {
      const found = ctx.places.pays.find((p) => p.pays_code === c.pays);
      continent.value = c.continent || (found && found.continent);
      country.setOptions(countries(ctx, continent.value));
      country.value = c.pays;
      theme.value = c.thematique;
    },
  };
}
