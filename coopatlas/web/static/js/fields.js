// Labelled form controls of the search forms (every control has a visible label).

let counter = 0;
const uid = (name) => `champ-${name}-${++counter}`;

function wrap(labelText, control) {
  const block = document.createElement("div");
  block.className = "field";
  const label = document.createElement("label");
  label.htmlFor = control.id;
  label.textContent = labelText;
  block.append(label, control);
  return block;
}

/** A single-choice list: options [{code, label}], the first one "all" (empty value). */
export function select(container, name, labelText, options, allLabel) {
  const control = document.createElement("select");
  control.id = uid(name);
  control.name = name;
  const field = wrap(labelText, control);
  container.append(field);
  const api = {
    control, field,
    setOptions(list) {
      const keep = control.value;
      control.replaceChildren(new Option(allLabel, ""), ...list.map((o) => new Option(o.label, o.code)));
      control.value = list.some((o) => o.code === keep) ? keep : "";
    },
    get value() { return control.value; },
    set value(v) { control.value = v || ""; if (control.value !== (v || "")) control.value = ""; },
  };
  api.setOptions(options);
  return api;
}

/** Checkboxes in a fieldset (several codes). */
export function checkboxes(container, name, legendText, options) {
  const set = document.createElement("fieldset");
  set.className = "field checks";
  const legend = document.createElement("legend");
  legend.textContent = legendText;
  set.append(legend);
  for (const option of options) {
    const label = document.createElement("label");
    const box = document.createElement("input");
    box.type = "checkbox";
    box.name = name;
    box.value = option.code;
    label.append(box, " ", option.label);
    set.append(label);
  }
  container.append(set);
  const boxes = () => [...set.querySelectorAll("input")];
  return {
    field: set,
    get value() { return boxes().filter((b) => b.checked).map((b) => b.value).join(","); },
    set value(v) {
      const on = String(v || "").split(",");
      boxes().forEach((b) => { b.checked = on.includes(b.value); });
    },
  };
}

/** A text or number input. */
export function input(container, name, labelText, type = "text", attrs = {}) {
  const control = document.createElement("input");
  control.id = uid(name);
  control.name = name;
  control.type = type;
  Object.entries(attrs).forEach(([k, v]) => control.setAttribute(k, v));
  container.append(wrap(labelText, control));
  return {
    control,
    get value() { return control.value.trim(); },
    set value(v) { control.value = v || ""; },
  };
}

/** Yes / no / either (a boolean criterion). */
export function tristate(container, name, labelText, words) {
  return select(container, name, labelText, [{ code: "true", label: words.yes }, { code: "false", label: words.no }],
    words.either);
}

/**
 * A type-ahead: a text input with a datalist filled by `find(text)` → [{id, label}]; the value is the id of the
 * chosen entry (its label shown). `describe(id)` gives the label of an id read from a permalink.
 */
export function typeahead(container, name, labelText, find, describe) {
  const control = document.createElement("input");
  control.id = uid(name);
  control.name = name;
  control.type = "search";
  control.autocomplete = "off";
  const list = document.createElement("datalist");
  list.id = `${control.id}-liste`;
  control.setAttribute("list", list.id);
  const field = wrap(labelText, control);
  field.append(list);
  container.append(field);
  let byLabel = new Map();
  let chosen = "";
  let timer = null;
  control.addEventListener("input", () => {
    const text = control.value.trim();
    chosen = byLabel.get(text) || "";
    clearTimeout(timer);
    if (chosen || text.length < 2) return;
    timer = setTimeout(async () => {
      const found = await find(text);
      byLabel = new Map(found.map((f) => [f.label, f.id]));
      list.replaceChildren(...found.map((f) => new Option(f.label, f.label)));
      chosen = byLabel.get(control.value.trim()) || "";
    }, 200);
  });
  return {
    control, field,
    get value() { return chosen; },
    set value(id) {
      chosen = id || "";
      control.value = "";
      if (id) describe(id).then((label) => { control.value = label; byLabel.set(label, id); });
    },
  };
}
