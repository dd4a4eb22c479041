"""The interchange format of CoopAtlas: an atlas as a folder of plain CSV files.

It is what the importers write (``coopatlas import``), what ``coopatlas build --import DIR`` reads, and what
``coopatlas export`` makes of a built GeoPackage (:mod:`coopatlas.data.export`); export then build gives back
the same collections, row for row. The folder holds:

``collectivites.csv``, ``partenaires.csv``, ``projets.csv``, ``demandes.csv``, ``apd.csv``, ``cofinancements.csv``
    One file per base table (:data:`coopatlas.data.tables.BASE_FIELDS`), all six required (a table may
    have no rows: its header line only). ``demandes.csv`` holds *every* request of the Bourse projets,
    whatever its ``statut_validation`` (the public ``demandes`` layer is derived from it).
    Columns: exactly the base fields of the table, in any order, plus ``lon`` and ``lat`` (EPSG:4326,
    WGS 84 longitude and latitude in decimal degrees) for ``collectivites``, ``partenaires`` and
    ``demandes``. An unknown or missing column is an error, except the columns :data:`OPTIONAL` names
    (added to the format later: NULL in every row of a file written before them).
``metadata.json``
    ``{"format": "coopatlas-interchange", "version": 1, "metadata": {...}}``; ``metadata`` is the atlas
    metadata stored in the GeoPackage (``synthetique``, ``notice_fr``, ``notice_en``, ``date_donnees``,
    provenance of imported files...). Optional: without it the metadata is empty.

Values, by the field's type in :mod:`coopatlas.schema`:

* the files are UTF-8 (a BOM is accepted), comma-separated, quoted when needed (RFC 4180; a value may hold
  commas, quotes and line breaks);
* an empty value is NULL (an empty text and NULL are the same thing in an atlas);
* booleans are ``true`` / ``false``; integers are written without decimals; reals in ``.``-decimal
  notation (Python's shortest round-trip form, so no precision is lost); dates are ``YYYY-MM-DD``;
  years (``annee*``) are whole numbers between 1800 and 2100;
* coded fields hold codes of :mod:`coopatlas.vocabulary` (``type_collectivite``, ``statut``, themes...);
  ``projets.cofinancement_types`` is a comma-separated list of co-financing codes; ``pays_code`` is an
  ISO 3166-1 alpha-2 code of the reference's ``pays`` layer;
* ids are unique in their file; ``projets`` refer to ``collectivites`` and ``partenaires``, ``demandes``
  (``demandeur_id``, may be empty) to ``partenaires``, ``apd`` to ``collectivites``, ``cofinancements`` to
  ``projets``.

Every problem is reported with the file, the line and the column (:class:`SourceError`), all problems
of a folder at once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import os
import re
import shutil
import tempfile
from pathlib import Path

import pandas as pd
from shapely.geometry import Point

from .. import schema as sch
from .. import vocabulary as voc
from ..paths import replace_folder
from .importers.sources import Problem, Problems, SourceError, decode
from .tables import BASE_FIELDS, POINT_TABLES, AtlasTables

FORMAT = "coopatlas-interchange"
VERSION = 1
METADATA_FILE = "metadata.json"
#: Base table -> file name.
FILES = {table: f"{table}.csv" for table in BASE_FIELDS}
#: Stored GeoPackage table of each base table (requests: the private table of all of them).
#: Fields that must not be empty, besides ``id`` (what the derivation needs).
REQUIRED = {
    "collectivites": ("id", "nom", "type_collectivite", "lon", "lat"),
    "partenaires": ("id", "nom", "pays_code", "lon", "lat"),
    "projets": ("id", "collectivite_id", "partenaire_id", "type_action"),
    "demandes": ("id", "pays_code", "statut_validation"),
    "apd": ("id", "collectivite_id", "pays_code", "annee", "montant"),
    "cofinancements": ("id", "projet_id", "type_cofinancement"),
}
#: Columns a file may lack (added later: the APD's sector, channel and policy markers), NULL when absent.
OPTIONAL = {"apd": ("secteur", "canal", *voc.champs_marqueurs())}
#: Code lists longer than this are not listed in full in an error (the ``/vocabulaire`` endpoint has them).
LISTED_CODES = 30
YEAR_RANGE = (1800, 2100)
_INT = re.compile(r"[+-]?\d+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def columns(table: str) -> list[str]:
    """The columns of a table's file: its base fields, then ``lon``, ``lat`` for point tables."""
    return BASE_FIELDS[table] + (["lon", "lat"] if table in POINT_TABLES else [])


def field_of(table: str, name: str) -> sch.Field:
    """The schema field of a base column (``lon``/``lat``: REAL degrees)."""
    if name in ("lon", "lat"):
        return sch.Field(name, sch.REAL, name, name)
    return sch.COLLECTIONS[table].field(name)


# --- Typed tables ----------------------------------------------------------------------------------------


def _series(values: list, type_: str) -> pd.Series:
    if type_ == sch.INTEGER:
        return pd.Series(pd.array(values, dtype="Int64"))
    if type_ == sch.REAL:
        return pd.Series([math.nan if v is None else float(v) for v in values], dtype="float64")
    if type_ == sch.BOOLEAN:
        return pd.Series(pd.array(values, dtype="boolean"))
    return pd.Series(values, dtype=object)


def make_frame(table: str, records: list[dict]) -> pd.DataFrame:
    """A base table as a DataFrame typed by the schema: ``Int64``, ``float64``, ``boolean`` or ``object``
    (text, dates as ISO text) columns, ``None``/NA for nulls, and for point tables a ``geometry`` column of
    shapely points (EPSG:4326) made from ``lon``/``lat`` (or taken from the records' ``geometry``)."""
    data = {}
    for name in BASE_FIELDS[table]:
        data[name] = _series([r.get(name) for r in records], field_of(table, name).type)
    df = pd.DataFrame(data, index=pd.RangeIndex(len(records)))
    if table in POINT_TABLES:
        geoms = []
        for r in records:
            g = r.get("geometry")
            if g is None and r.get("lon") is not None and r.get("lat") is not None:
                g = Point(r["lon"], r["lat"])
            geoms.append(g)
        df["geometry"] = pd.Series(geoms, dtype=object)
    return df


# --- Writing ---------------------------------------------------------------------------------------------


def _is_null(v) -> bool:
    if v is None or v is pd.NA:
        return True
    try:
        return bool(v != v)  # NaN
    except (TypeError, ValueError):
        return False


def format_value(v, type_: str) -> str:
    """A value as interchange text (see the module docstring); ``""`` for NULL."""
    if _is_null(v):
        return ""
    if hasattr(v, "item"):
        v = v.item()
    if type_ == sch.BOOLEAN:
        return "true" if v else "false"
    if type_ == sch.INTEGER:
        if isinstance(v, float) and not v.is_integer():
            raise ValueError(f"{v!r} is not a whole number")
        return str(int(v))
    if type_ == sch.REAL:
        return repr(float(v))
    return str(v)


def _write_table(path: Path, table: str, df: pd.DataFrame) -> int:
    cols = columns(table)
    types = [field_of(table, c).type for c in cols]
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(cols)
        geoms = df["geometry"].tolist() if table in POINT_TABLES and "geometry" in df.columns else None
        base = [df[c].tolist() if c in df.columns else [None] * len(df) for c in BASE_FIELDS[table]]
        for i in range(len(df)):
            row = [format_value(col[i], t) for col, t in zip(base, types)]
            if table in POINT_TABLES:
                g = geoms[i] if geoms is not None else None
                row += [repr(float(g.x)), repr(float(g.y))] if g is not None and not g.is_empty else ["", ""]
            w.writerow(row)
    return len(df)


def _prepare_dir(out_dir: Path, force: bool) -> Path:
    """A new temporary folder next to ``out_dir`` (renamed onto it by :func:`~coopatlas.paths.replace_folder`)."""
    out_dir = Path(out_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise FileExistsError(f"{out_dir} exists and is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise FileExistsError(f"{out_dir} is not empty (use --force to replace it)")
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", suffix=".tmp", dir=out_dir.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; the folder is an ordinary one
    return tmp


def write_interchange(
    tables: AtlasTables, out_dir: str | Path, force: bool = False, extra_files: dict[str, str] | None = None
) -> Path:
    """Write ``tables`` as an interchange folder at ``out_dir``, atomically (a temporary folder renamed at
    the end). ``out_dir`` must not exist or be empty unless ``force``. ``extra_files`` (name -> text) are
    written alongside (reports). Returns ``out_dir``."""
    out_dir = Path(out_dir)
    tmp = _prepare_dir(out_dir, force)
    try:
        for table in BASE_FIELDS:
            _write_table(tmp / FILES[table], table, getattr(tables, table))
        with open(tmp / METADATA_FILE, "w", encoding="utf-8") as f:
            json.dump(
                {"format": FORMAT, "version": VERSION, "metadata": tables.metadata},
                f,
                ensure_ascii=False,
                indent=2,
                sort_keys=True,
            )
            f.write("\n")
        for name, text in (extra_files or {}).items():
            (tmp / name).write_text(text, encoding="utf-8")
        replace_folder(tmp, out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


# --- Reading ---------------------------------------------------------------------------------------------


def parse_value(text: str, field: sch.Field, table: str) -> object:
    """The typed value of one interchange cell; raises ``ValueError`` with a short reason."""
    if text == "":
        return None
    t = field.type
    if t == sch.INTEGER:
        if not _INT.fullmatch(text.strip()):
            raise ValueError(f"{'bad year' if field.name.startswith('annee') else 'not a whole number'}: {text!r}")
        v = int(text)
        if field.name.startswith("annee") and not YEAR_RANGE[0] <= v <= YEAR_RANGE[1]:
            raise ValueError(f"bad year: {text!r} (expected {YEAR_RANGE[0]} to {YEAR_RANGE[1]})")
        if field.name in voc.champs_marqueurs() and str(v) not in voc.SCORES_MARQUEUR:
            raise ValueError(f"bad marker score: {text!r} (0 not targeted, 1 significant, 2 principal, or empty)")
        return v
    if t == sch.REAL:
        try:
            v = float(text)
        except ValueError:
            raise ValueError(f"not a number: {text!r} (use a '.' decimal point)") from None
        if not math.isfinite(v):
            raise ValueError(f"not a finite number: {text!r}")
        if field.name == "lon" and not -180 <= v <= 180 or field.name == "lat" and not -90 <= v <= 90:
            raise ValueError(f"{field.name} {v} out of range (EPSG:4326 degrees)")
        return v
    if t == sch.BOOLEAN:
        low = text.strip().lower()
        if low not in ("true", "false"):
            raise ValueError(f"not a boolean: {text!r} (true or false)")
        return low == "true"
    if t == sch.DATE:
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"bad date: {text!r} (YYYY-MM-DD)") from None
        return text
    if field.vocabulary is not None and text not in field.vocabulary:
        codes = field.vocabulary.codes
        known = ", ".join(codes) if len(codes) <= LISTED_CODES else f"the {len(codes)} codes of /vocabulaire"
        raise ValueError(f"unknown {field.codelist} {text!r}; known: {known}")
    if table == "projets" and field.name == "cofinancement_types":
        bad = [c for c in text.split(",") if c not in voc.COFINANCEMENTS]
        if bad:
            raise ValueError(f"unknown co-financing type {bad[0]!r}; known: {', '.join(voc.COFINANCEMENTS.codes)}")
    return text


def _read_table(directory: Path, table: str, problems: Problems) -> tuple[list[dict], list[int]] | None:
    """The typed records of one file and their line numbers; problems are collected."""
    path = directory / FILES[table]
    name = str(path)
    if not path.is_file():
        problems.add(Problem(name, f"missing file (an interchange folder holds {', '.join(FILES.values())})"))
        return None
    try:
        text, _ = decode(path.read_bytes(), name, "utf-8-sig")
    except SourceError as exc:
        for p in exc.problems:
            problems.add(p)
        return None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=",")
    try:
        header = next(reader)
    except StopIteration:
        problems.add(Problem(name, "empty file: the header line is missing", line=1))
        return None
    expected = columns(table)
    unknown = [h for h in header if h not in expected]
    missing = [c for c in expected if c not in header and c not in OPTIONAL.get(table, ())]
    dup = sorted({h for h in header if header.count(h) > 1})
    for h in unknown:
        problems.add(Problem(name, f"unknown column (expected: {', '.join(expected)})", line=1, column=h))
    for c in missing:
        problems.add(Problem(name, "missing column", line=1, column=c))
    for h in dup:
        problems.add(Problem(name, "column given twice", line=1, column=h))
    if unknown or missing or dup:
        return None
    fields = {c: field_of(table, c) for c in expected}
    required = REQUIRED[table]
    records, lines = [], []
    last = reader.line_num
    try:
        for cells in reader:
            line = last + 1
            last = reader.line_num
            if not cells or cells == [""]:
                continue
            if len(cells) != len(header):
                problems.add(Problem(name, f"{len(cells)} values for {len(header)} columns", line=line))
                continue
            rec = {}
            for h, cell in zip(header, cells):
                try:
                    rec[h] = parse_value(cell, fields[h], table)
                except ValueError as exc:
                    problems.add(Problem(name, str(exc), line=line, column=h))
                    rec[h] = None
                    continue
                if rec[h] is None and h in required:
                    problems.add(Problem(name, "empty value (required)", line=line, column=h))
            for c in OPTIONAL.get(table, ()):
                rec.setdefault(c, None)
            records.append(rec)
            lines.append(line)
    except csv.Error as exc:
        problems.add(Problem(name, f"malformed CSV: {exc}", line=last + 1))
    return records, lines


def read_metadata_file(directory: Path) -> dict:
    path = Path(directory) / METADATA_FILE
    if not path.exists():
        return {}
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        line = getattr(exc, "lineno", None)
        raise SourceError(Problem(str(path), f"not valid UTF-8 JSON: {exc}", line=line)) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT or not isinstance(doc.get("metadata"), dict):
        raise SourceError(
            Problem(str(path), f'expected {{"format": "{FORMAT}", "version": {VERSION}, "metadata": {{...}}}}')
        )
    if doc.get("version") != VERSION:
        raise SourceError(
            Problem(
                str(path),
                f"unsupported interchange version {doc.get('version')!r} (this coopatlas reads version {VERSION})",
            )
        )
    return doc["metadata"]


def read_interchange(directory: str | Path, reference=None) -> AtlasTables:
    """Read an interchange folder into typed base tables (see the module docstring).

    Every problem (missing file or column, bad value, unknown code or country, duplicate id, dangling
    reference) is collected and raised at once as :class:`SourceError`, each naming file, line, column.
    Countries are checked against ``reference`` (default: the project's reference geography, when
    present; the build checks them again).
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise FileNotFoundError(f"no interchange folder at {directory}")
    problems = Problems()
    metadata = read_metadata_file(directory)
    read = {table: _read_table(directory, table, problems) for table in BASE_FIELDS}
    problems.raise_if_any()

    ids: dict[str, set] = {}
    for table, (records, lines) in read.items():
        name = str(directory / FILES[table])
        seen: dict[str, int] = {}
        for rec, line in zip(records, lines):
            i = rec.get("id")
            if i is None:
                continue
            if i in seen:
                problems.add(Problem(name, f"duplicate id {i!r} (first on line {seen[i]})", line=line, column="id"))
            else:
                seen[i] = line
        ids[table] = set(seen)

    countries = _country_codes(reference)
    refs = [
        ("projets", "collectivite_id", "collectivites"),
        ("projets", "partenaire_id", "partenaires"),
        ("demandes", "demandeur_id", "partenaires"),
        ("apd", "collectivite_id", "collectivites"),
        ("cofinancements", "projet_id", "projets"),
    ]
    for table, column, target in refs:
        records, lines = read[table]
        for rec, line in zip(records, lines):
            v = rec.get(column)
            if v is not None and v not in ids[target]:
                problems.add(
                    Problem(
                        str(directory / FILES[table]),
                        f"unknown {target[:-1]} id {v!r} (not in {FILES[target]})",
                        line=line,
                        column=column,
                    )
                )
    for table in ("partenaires", "demandes", "apd"):
        records, lines = read[table]
        for rec, line in zip(records, lines):
            v = rec.get("pays_code")
            if countries is not None and v is not None and v not in countries:
                problems.add(
                    Problem(
                        str(directory / FILES[table]),
                        f"unknown country {v!r} (ISO 3166-1 alpha-2 codes of the reference's pays layer)",
                        line=line,
                        column="pays_code",
                    )
                )
    for table in ("projets", "demandes"):
        records, lines = read[table]
        for rec, line in zip(records, lines):
            msg = theme_problem(rec.get("thematique"), rec.get("sous_thematique"), rec.get("sous_sous_thematique"))
            if msg:
                problems.add(Problem(str(directory / FILES[table]), msg[1], line=line, column=msg[0]))
    problems.raise_if_any()
    frames = {table: make_frame(table, read[table][0]) for table in BASE_FIELDS}
    return AtlasTables(**frames, metadata=metadata)


def theme_problem(theme, sub, leaf) -> tuple[str, str] | None:
    """``(column, message)`` when the three theme levels do not form one branch of the theme tree."""
    if sub is not None:
        parent = voc.SOUS_THEMATIQUES[sub].extra["thematique"]
        if theme is None or parent != theme:
            return "sous_thematique", f"sub-theme {sub!r} belongs to theme {parent!r}, not {theme!r}"
    if leaf is not None:
        parent = voc.SOUS_SOUS_THEMATIQUES[leaf].extra["sous_thematique"]
        if sub is None or parent != sub:
            return "sous_sous_thematique", f"sub-sub-theme {leaf!r} belongs to sub-theme {parent!r}, not {sub!r}"
    return None


def _country_codes(reference) -> set[str] | None:
    from .reference import Reference

    ref = reference or Reference()
    try:
        return set(ref.pays["pays_code"])
    except FileNotFoundError:
        return None
