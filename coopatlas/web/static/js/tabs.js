// The search tabs (WAI-ARIA tabs pattern: arrow keys, Home and End move between tabs; one tab in the
// tab order; the selected tab's panel shown).

export function bindTabs(list, selected, onSelect) {
  const tabs = [...list.querySelectorAll("[role=tab]")];
  const show = (tab, focus) => {
    for (const other of tabs) {
      const on = other === tab;
      other.setAttribute("aria-selected", String(on));
      other.tabIndex = on ? 0 : -1;
      document.getElementById(other.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
  };
  for (const tab of tabs) {
    tab.addEventListener("click", () => { show(tab, false); onSelect(tab.dataset.tab); });
    tab.addEventListener("keydown", (event) => {
      const index = tabs.indexOf(tab);
      const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
      if (next === undefined) return;
      event.preventDefault();
      const target = tabs[(next + tabs.length) % tabs.length];
      show(target, true);
      onSelect(target.dataset.tab);
    });
  }
  show(tabs.find((tab) => tab.dataset.tab === selected) || tabs[0], false);
}
