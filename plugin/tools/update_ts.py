"""Update the plugin's Qt translation sources (``coopatlas_qgis/i18n/coopatlas_<lang>.ts``).

Qt 5's ``lupdate`` does not read Python, and ``pylupdate5`` does not know the plugin's ``tr()`` helper,
so this script collects the strings itself:

* in the Python modules, every ``tr("literal")`` call (context ``CoopAtlas``, see ``core/i18n.py``);
* in the forms ``gui/ui/*.ui``, every ``<string>`` not marked ``notr`` (context: the form's class, as
  ``uic`` translates them).

Translations already in the ``.ts`` are kept; new strings are added as ``unfinished``; strings no
longer used are dropped. Run ``python3 plugin/tools/update_ts.py [--check] [lang ...]`` (default: fr), translate
with Qt Linguist or any editor, then package (``plugin/package.py`` compiles the ``.qm`` with
``lrelease``).
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "coopatlas_qgis"
I18N = PACKAGE / "i18n"
CONTEXT = "CoopAtlas"


def python_strings(path: Path) -> list[tuple[str, str, int]]:
    """(context, source, line) of the ``tr("...")`` calls of a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    out = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id == "tr"
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            out.append((CONTEXT, node.args[0].value, node.lineno))
    return sorted(out, key=lambda t: t[2])


def ui_strings(path: Path) -> list[tuple[str, str, int]]:
    """(context, source, 0) of the translatable strings of a Qt Designer form."""
    root = ET.parse(path).getroot()
    context = root.findtext("class") or path.stem
    out = []
    for el in root.iter("string"):
        if el.get("notr") == "true" or not (el.text or "").strip():
            continue
        out.append((context, el.text, 0))
    return out


def collect() -> dict[str, list[tuple[str, str, int]]]:
    """context -> [(source, file, line)], each source once (at its first file), by file and source."""
    found: dict[str, dict[str, tuple[str, int]]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for ctx, src, line in python_strings(path):
            found.setdefault(ctx, {}).setdefault(src, (str(path.relative_to(PACKAGE)), line))
    for path in sorted(PACKAGE.rglob("*.ui")):
        for ctx, src, line in ui_strings(path):
            found.setdefault(ctx, {}).setdefault(src, (str(path.relative_to(PACKAGE)), line))
    # sorted by file then text: moving code inside a file does not reorder the .ts
    return {
        ctx: sorted(((src, f, ln) for src, (f, ln) in msgs.items()), key=lambda m: (m[1], m[0]))
        for ctx, msgs in found.items()
    }


def existing(ts: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    """(context, source) -> (translation, type) of a ``.ts`` file."""
    if not ts.is_file():
        return {}
    out = {}
    for ctx in ET.parse(ts).getroot().iter("context"):
        name = ctx.findtext("name")
        for msg in ctx.iter("message"):
            tr_el = msg.find("translation")
            out[(name, msg.findtext("source"))] = (
                (tr_el.text or "") if tr_el is not None else "",
                tr_el.get("type") if tr_el is not None else "unfinished",
            )
    return out


def write_ts(lang: str, check: bool = False) -> tuple[Path, int, int, bool]:
    """Write ``coopatlas_<lang>.ts`` (only compare when ``check``); (path, messages, still untranslated,
    whether the file changed or would change)."""
    ts = I18N / f"coopatlas_{lang}.ts"
    old = existing(ts)
    root = ET.Element("TS", {"version": "2.1", "language": lang, "sourcelanguage": "en"})
    total = untranslated = 0
    for ctx, messages in sorted(collect().items()):
        c = ET.SubElement(root, "context")
        ET.SubElement(c, "name").text = ctx
        for src, file, _line in messages:
            m = ET.SubElement(c, "message")
            ET.SubElement(m, "location", {"filename": f"../{file}"})  # no line: no churn at each edit
            ET.SubElement(m, "source").text = src
            text, kind = old.get((ctx, src), ("", "unfinished"))
            attrs = {"type": "unfinished"} if (not text or kind == "unfinished") else {}
            ET.SubElement(m, "translation", attrs).text = text
            total += 1
            untranslated += bool(attrs)
    ET.indent(root)
    text = '<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n' + ET.tostring(root, encoding="unicode") + "\n"
    changed = not ts.is_file() or ts.read_text(encoding="utf-8") != text
    if changed and not check:
        I18N.mkdir(parents=True, exist_ok=True)
        ts.write_text(text, encoding="utf-8")
    return ts, total, untranslated, changed


def main(argv: list[str]) -> int:
    """``update_ts.py [--check] [lang ...]``: with ``--check``, exit 1 when a ``.ts`` is not up to date
    with the code or has untranslated strings."""
    check = "--check" in argv
    status = 0
    for lang in [a for a in argv if a != "--check"] or ["fr"]:
        ts, total, missing, changed = write_ts(lang, check)
        print(f"{ts}: {total} messages, {missing} untranslated" + (", out of date" if check and changed else ""))
        if check and (changed or missing):
            status = 1
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
