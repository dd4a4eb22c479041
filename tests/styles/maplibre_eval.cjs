// Evaluate the data-driven properties of a MapLibre style for given feature properties, with the
// expression engine of @maplibre/maplibre-gl-style-spec (the one MapLibre GL JS renders with).
//   node maplibre_eval.cjs SPEC_PACKAGE_DIR < {"style": {...}, "probes": [{"layer": 0, "group": "paint",
//        "property": "circle-color", "properties": {...}, "geometry": "Point"}]}
// prints a JSON list: one value per probe (colours as "#rrggbb", numbers as numbers), or {"error": ...}.
const spec = require(process.argv[2]);
const input = JSON.parse(require("fs").readFileSync(0, "utf8"));
const out = input.probes.map((p) => {
  const layer = input.style.layers[p.layer];
  const propSpec = spec.latest[`${p.group}_${layer.type}`][p.property];
  const parsed = spec.createPropertyExpression(layer[p.group][p.property],
    `layers[${p.layer}].${p.group}.${p.property}`, propSpec);
  if (parsed.result !== "success") return { error: parsed.value.map((e) => e.message).join("; ") };
  const v = parsed.value.evaluate({ zoom: 3 }, { type: p.geometry, properties: p.properties });
  if (v && typeof v === "object" && "r" in v) {
    const hex = (x) => Math.round(x * 255 / (v.a || 1)).toString(16).padStart(2, "0");
    return `#${hex(v.r)}${hex(v.g)}${hex(v.b)}`;
  }
  return v;
});
console.log(JSON.stringify(out));
