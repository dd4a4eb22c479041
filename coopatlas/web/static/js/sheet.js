// The sheet of a clicked symbol: a project's `fiche-projet` (JSON, with the link to its PDF), or the
// public fields of a request, an authority or a partner.
import * as api from "./api.js";

function definitionList(rows) {
  const list = document.createElement("dl");
  for (const [label, value] of rows) {
    if (value === null || value === undefined || value === "") continue;
    const term = document.createElement("dt");
    term.textContent = label;
    const detail = document.createElement("dd");
    detail.textContent = value;
    list.append(term, detail);
  }
  return list;
}

export async function projectSheet(id, lang) {
  const sheet = await api.execute("fiche-projet", { id, format: "json", lang });
  const box = document.createElement("div");
  const title = document.createElement("h3");
  title.className = "sheet-title";
  title.textContent = sheet.titre;
  box.append(title);
  for (const section of sheet.sections || []) {
    const heading = document.createElement("h4");
    heading.textContent = section.titre;
    box.append(heading, definitionList((section.champs || []).map((c) => [c.libelle, c.valeur])));
  }
  return { box, title: sheet.titre };
}

export async function featureSheet(collection, id, t) {
  const item = await api.getJson(`/collections/${collection}/items/${encodeURIComponent(id)}`);
  const p = item.properties;
  const box = document.createElement("div");
  const title = document.createElement("h3");
  title.className = "sheet-title";
  title.textContent = p.titre || p.nom || id;
  box.append(title, definitionList([
    [t.pays, p.pays_nom], [t.thematique, p.thematique], ["", p.description], [t.collectivite, p.demandeur_nom],
  ].filter(([label]) => label !== "" || p.description).map(([l, v]) => [l || "·", v])));
  return { box, title: title.textContent };
}

/** The project sheet as PDF (a process is executed by POST): fetched, then offered as a file. */
export async function pdfLink(id, lang, name) {
  const blob = await api.execute("fiche-projet", { id, format: "pdf", lang });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = name;
  return link;
}
