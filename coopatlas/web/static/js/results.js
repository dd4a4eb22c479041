// The result list beside the map: it pages through the search's items (the collection's CQL2 filter of
// /criteres) and puts the listed features on the map.
import * as api from "./api.js";

export const PAGE_SIZE = 20;
const LISTED = { projets: "id,titre,type_action,collectivite_nom,partenaire_nom,pays_nom,annee_lancement",
  demandes: "id,titre,type_action,demandeur_nom,pays_nom,thematique" };

export async function fetchPage(collection, query, page) {
  return api.items(collection, query, { limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE,
    properties: LISTED[collection], sortby: "id" });
}

export function render(section, collection, data, page, t, lang, colours, onChoose) {
  const total = data.numberMatched ?? data.features.length;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const number = new Intl.NumberFormat(lang);
  section.querySelector(".count").textContent = total
    ? (collection === "demandes" ? t.requests_of : t.results_of).replace("{n}", number.format(total)) : t.none;
  section.dataset.total = String(total);
  const list = section.querySelector(".list");
  list.start = (page - 1) * PAGE_SIZE + 1;
  list.replaceChildren(...data.features.map((feature) => {
    const p = feature.properties;
    const item = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.className = "result";
    button.dataset.id = p.id ?? feature.id;
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = colours[p.type_action] || "#999";
    swatch.setAttribute("aria-hidden", "true");
    const title = document.createElement("span");
    title.className = "title";
    title.textContent = p.titre;
    const where = document.createElement("span");
    where.className = "where";
    where.textContent = [p.collectivite_nom || p.demandeur_nom, p.partenaire_nom, p.pays_nom]
      .filter(Boolean).join(" → ");
    button.append(swatch, title, where);
    button.addEventListener("click", () => onChoose(feature));
    item.append(button);
    return item;
  }));
  section.querySelector(".page").textContent = t.page.replace("{page}", page).replace("{pages}", pages);
  section.querySelector(".prev").disabled = page <= 1;
  section.querySelector(".next").disabled = page >= pages;
  return pages;
}
