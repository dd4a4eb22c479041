// The État panel: the figures of the `statistiques` process for the search, and its APD per year as a small
// SVG bar chart (with the figures as text for screen readers).

const FIGURES = [
  ["collectivites_francaises_engagees", "collectivites_francaises_engagees"],
  ["collectivites_partenaires", "collectivites_partenaires"],
  ["collectivites_en_recherche", "collectivites_en_recherche"],
  ["projets_cooperation_decentralisee", "projets_cooperation_decentralisee"],
  ["projets_actions_exterieures", "projets_actions_exterieures"],
  ["demandes_cooperation", "demandes_cooperation"],
  ["pays", "pays_count"],
];
const SVG = "http://www.w3.org/2000/svg";

function svg(tag, attrs, text) {
  const node = document.createElementNS(SVG, tag);
  Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, v));
  if (text !== undefined) node.textContent = text;
  return node;
}

export function apdChart(rows, t, lang, colour) {
  const width = 300, height = 150, left = 8, bottom = 20, top = 14;
  const max = Math.max(...rows.map((r) => r.montant), 1);
  const slot = (width - left * 2) / Math.max(rows.length, 1);
  const money = new Intl.NumberFormat(lang, { notation: "compact", maximumFractionDigits: 1 });
  const chart = svg("svg", { viewBox: `0 0 ${width} ${height}`, role: "img", "aria-label": t.apd, class: "apd-chart" });
  chart.append(svg("title", {}, t.apd));
  rows.forEach((row, i) => {
    const barHeight = ((height - bottom - top) * row.montant) / max;
    const x = left + i * slot + slot * 0.15;
    const y = height - bottom - barHeight;
    const bar = svg("rect", { x, y, width: slot * 0.7, height: barHeight, fill: colour, "data-annee": row.annee,
      "data-montant": row.montant });
    bar.append(svg("title", {}, `${row.annee} : ${row.montant.toLocaleString(lang)} €`));
    chart.append(bar,
      svg("text", { x: x + slot * 0.35, y: height - 6, "text-anchor": "middle", class: "axis" }, String(row.annee)),
      svg("text", { x: x + slot * 0.35, y: y - 3, "text-anchor": "middle", class: "value" },
        money.format(row.montant)));
  });
  return chart;
}

export function render(section, stats, t, lang, colour) {
  const number = new Intl.NumberFormat(lang);
  const list = section.querySelector(".figures");
  list.replaceChildren();
  for (const [key, label] of FIGURES) {
    const term = document.createElement("dt");
    term.textContent = t[label];
    const value = document.createElement("dd");
    value.dataset.figure = key;
    value.dataset.value = String(stats[key] ?? 0);
    value.textContent = number.format(stats[key] ?? 0);
    list.append(term, value);
  }
  const rows = (stats.apd_par_annee || []).filter((r) => r.montant !== null).sort((a, b) => a.annee - b.annee);
  const chart = section.querySelector(".chart");
  chart.replaceChildren();
  if (!rows.length) {
    chart.textContent = t.apd_none;
  } else {
    chart.append(apdChart(rows, t, lang, colour));
    const table = document.createElement("table");
    table.className = "visually-hidden";
    table.innerHTML = "<caption></caption><tbody></tbody>";
    table.caption.textContent = t.apd;
    for (const row of rows) {
      const line = table.tBodies[0].insertRow();
      line.insertCell().textContent = row.annee;
      line.insertCell().textContent = `${number.format(row.montant)} €`;
    }
    chart.append(table);
  }
  section.setAttribute("aria-busy", "false");
}
