"""The examples of the docs, run as they are written: ``docs/processes.md`` (curl and OWSLib) against a real
server, pointed at it the way the README says (the address replaced with ``sed``), the importer's example
file of ``datasets/README.md``, and the counts the README and the build's log give."""

from __future__ import annotations

import ast
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_URL = "http://127.0.0.1:5000"
PROCESSES_DOC = ROOT / "docs" / "processes.md"


def code_blocks(path: Path, lang: str) -> list[tuple[str, str]]:
    """``(section title, code)`` of every fenced ``lang`` block of a Markdown file."""
    out, section = [], ""
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].startswith("#"):
            section = lines[i].lstrip("#").strip()
        if lines[i].strip() == f"```{lang}":
            j = lines.index("```", i + 1)
            out.append((section, "\n".join(lines[i + 1 : j]) + "\n"))
            i = j
        i += 1
    return out


def pointed_at(code: str, url: str) -> str:
    """``code`` with the default address replaced, as the README says (``sed``)."""
    return subprocess.run(
        ["sed", f"s#{DEFAULT_URL}#{url}#g"], input=code, capture_output=True, text=True, check=True
    ).stdout


def test_processes_doc_describes_every_process(atlas_server):
    served = {p["id"] for p in atlas_server.get("/processes", f="json").json()["processes"]}
    assert len(served) == 6
    text = PROCESSES_DOC.read_text(encoding="utf-8")
    in_table = set(re.findall(r"^\| `([a-z-]+)` \|", text, flags=re.M))
    assert served <= in_table, served - in_table
    for pid in served:
        assert f"## `{pid}`" in text, pid


MAGIC = {".pdf": b"%PDF", ".png": b"\x89PNG", ".svg": b"<", ".csv": b"section,", ".xml": b"<?xml"}


@pytest.mark.parametrize(
    "section,code",
    [b for b in code_blocks(PROCESSES_DOC, "sh") if "<jobID>" not in b[1]],
    ids=lambda v: v if isinstance(v, str) and len(v) < 40 else None,
)
def test_processes_doc_shell_examples_run(atlas_server, tmp_path, section, code):
    """Each curl example, run by bash as written (address replaced): files of the right type, answers of the
    documented kind (the 400s of the error examples with their documented message)."""
    run = subprocess.run(
        ["bash", "-e"],
        input=pointed_at(code, atlas_server.url),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    for name in re.findall(r"-o ([\w.-]+)", code):
        data = (tmp_path / name).read_bytes()
        assert data.startswith(MAGIC[Path(name).suffix]), (name, data[:200])
    documented = re.findall(r'^# 400 .*"description": "([^"]*)"', code, flags=re.M)
    if documented:
        for description in documented:
            expected = re.split(r"\.\.\.|\[", description)[0]
            assert expected in run.stdout, (expected, run.stdout)
    else:
        assert "InvalidParameterValue" not in run.stdout, run.stdout


def test_processes_doc_owslib_example_runs(atlas_server):
    """The OWSLib example: each line run; a line whose comment is a Python value gives that value."""
    ((_, code),) = code_blocks(PROCESSES_DOC, "python")
    namespace: dict = {}
    checked = 0
    for line in pointed_at(code, atlas_server.url).splitlines():
        statement, _, comment = line.partition("  #")
        if not statement.strip():
            continue
        try:
            expected = ast.literal_eval(comment.strip())
        except (ValueError, SyntaxError):
            exec(statement, namespace)  # noqa: S102 - the documented example
            continue
        assert eval(statement, namespace) == expected, statement  # noqa: S307 - the documented example
        checked += 1
    assert checked >= 2
    assert namespace["api"].response_headers["Location"].startswith(atlas_server.url + "/jobs/")


def test_importer_example_runs_as_documented(tmp_path):
    """The example project file of ``datasets/examples/``, imported and built by the commands of
    ``datasets/README.md``."""
    (code,) = [c for _, c in code_blocks(ROOT / "datasets" / "README.md", "sh") if "projets-exemple.csv" in c]
    code = code.replace("/tmp/atlas-exemple", str(tmp_path / "atlas-exemple"))
    if not (ROOT / ".venv" / "bin" / "python").exists():  # a suite run by another interpreter
        code = code.replace(".venv/bin/python", sys.executable)
    run = subprocess.run(["bash", "-e"], input=code, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    import csv

    with open(ROOT / "datasets" / "examples" / "projets-exemple.csv", encoding="utf-8", newline="") as fh:
        titles = sorted(row["Intitulé du projet"] for row in csv.DictReader(fh))
    assert len(titles) == 3
    con = sqlite3.connect(f"file:{tmp_path / 'atlas-exemple.gpkg'}?mode=ro", uri=True)
    try:
        assert sorted(r[0] for r in con.execute("SELECT titre FROM projets")) == titles
    finally:
        con.close()


def test_build_log_and_readme_say_why_counts_differ(atlas_server):
    """The README's published figures (8 625 partners, 137 requests) and the build's written rows (8 735,
    156): the log line says what the difference is, and the README says the same."""
    from coopatlas import schema as sch
    from coopatlas.data.build import written_line

    con = sqlite3.connect(f"file:{atlas_server.gpkg}?mode=ro", uri=True)
    con.row_factory = sqlite3.Row
    try:
        rows = {
            "partenaires": [dict(r) for r in con.execute("SELECT en_recherche, nb_projets FROM partenaires")],
            sch.DEMANDES_TABLE: [dict(r) for r in con.execute(f"SELECT statut_validation FROM {sch.DEMANDES_TABLE}")],
        }
    finally:
        con.close()
    partners = written_line(rows, "partenaires", len(rows["partenaires"]))
    requests_line = written_line(rows, "demandes", len(rows[sch.DEMANDES_TABLE]))
    assert partners == (
        "écrit partenaires: 8735 lignes (dont 110 autorités en recherche de partenaire, sans "
        "projet : 8625 partenaires de projets, le chiffre publié par l'Atlas)"
    )
    assert requests_line.startswith("écrit demandes: 156 lignes (toutes les demandes ; 137 publiques")
    assert "19 en attente ou rejetées" in requests_line
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").replace("> ", " ").split())
    for figure in (
        "8 625 partners",
        "137 requests",
        "8 735 partners",
        "110 authorities seeking a partner",
        "156 requests",
        "the 19 awaiting",
    ):
        assert figure in readme, figure


def test_readme_says_how_to_use_another_address():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "### Another address than port 5000" in readme
    assert "sed 's#http://127.0.0.1:5000#" in readme
    for doc in ("processes.md", "bourse.md", "maps.md"):
        text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
        assert not re.search(r"^coopatlas ", text, flags=re.M), doc  # not on the PATH of a fresh clone
