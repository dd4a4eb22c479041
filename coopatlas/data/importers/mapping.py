"""Mapping files: which source headers give which field, and which source labels give which code.

A mapping is a YAML file (``datasets/mappings/*.yml``, format documented in ``datasets/mappings/README.md``).
Headers and labels are compared after :func:`coopatlas.text.normalise` (accents, case, punctuation and
spacing ignored); a label ending with ``*`` matches every value starting with those words. The codes of
:mod:`coopatlas.vocabulary` and their French and English labels are always accepted.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ... import text as _text
from ... import vocabulary as voc
from ...paths import ROOT
from .sources import DELIMITERS, Problem, Sheet, SourceError

#: :func:`coopatlas.text.normalise`, memoised: the same labels and names come back on every row.
normalise = functools.lru_cache(maxsize=1 << 16)(_text.normalise)

FORMAT = "coopatlas-mapping"
VERSION = 1
DEFAULT_MAPPING = ROOT / "datasets" / "mappings" / "atlas_cncd.yml"

#: Fields a ``projets`` section may map (the importer's fields, not the schema's).
PROJET_FIELDS = (
    "id",
    "collectivite",
    "type_collectivite",
    "code_collectivite",
    "departement",
    "region",
    "pays",
    "partenaire",
    "partenaire_region",
    "titre",
    "description",
    "type_action",
    "jumelage",
    "statut",
    "thematique",
    "sous_thematique",
    "sous_sous_thematique",
    "annee_convention",
    "annee_lancement",
    "annee_fin",
    "cofinancements",
    "loi_oudin",
    "date_maj",
    "elu_nom",
    "elu_fonction",
    "elu_email",
    "elu_telephone",
    "directeur_nom",
    "directeur_fonction",
    "directeur_email",
    "directeur_telephone",
)
APD_FIELDS = (
    "collectivite",
    "type_collectivite",
    "code_collectivite",
    "departement",
    "region",
    "pays",
    "annee",
    "montant",
    "secteur",
    "canal",
    *voc.champs_marqueurs(),
)
#: Value maps and the code list whose codes they produce (``None``: checked by the importer).
VALUE_MAPS = {
    "type_action": voc.TYPES_ACTION,
    "type_collectivite": voc.TYPES_COLLECTIVITE,
    "statut": voc.STATUTS,
    "thematique": voc.THEMATIQUES,
    "sous_thematique": voc.SOUS_THEMATIQUES,
    "sous_sous_thematique": voc.SOUS_SOUS_THEMATIQUES,
    "cofinancement": voc.COFINANCEMENTS,
}
ARTICLES = ("de la", "de l", "des", "du", "de", "d", "la", "le", "les", "l")
_ARTICLE = re.compile(rf"^(?:{'|'.join(ARTICLES)}) (?=.)")


class MappingError(SourceError):
    """A mapping file that cannot be used; the message names the file and the key."""


def strip_article(key: str) -> str:
    """A normalised name without its leading article (``"le mans"`` -> ``"mans"``)."""
    return _ARTICLE.sub("", key, count=1)


def strip_prefix(key: str, prefixes: list[str]) -> tuple[str, str | None]:
    """``(rest, prefix)``: a normalised name without the longest of ``prefixes`` (normalised) it starts with
    (whole words), and without the article after it; ``prefix`` is ``None`` when none matched."""
    for p in prefixes:  # sorted longest first by the caller
        if key.startswith(p + " ") and len(key) > len(p) + 1:
            return strip_article(key[len(p) + 1 :]), p
    return key, None


class ValueMap:
    """Source labels -> codes: exact labels, then the longest matching ``prefix*`` label (whole words)."""

    def __init__(self, name: str, entries: dict[str, list[str]], codelist: voc.CodeList | None, file: str):
        self.name = name
        self.exact: dict[str, str] = {}
        prefixes: dict[str, str] = {}
        if codelist is not None:
            for t in codelist:
                for label in (t.code, t.code.replace("_", " "), t.fr, t.en):
                    self.exact.setdefault(normalise(label), t.code)
        given: dict[tuple[bool, str], str] = {}  # labels of the mapping file: (prefix?, key) -> code
        for code, labels in (entries or {}).items():
            code = str(code)
            if codelist is not None and code not in codelist and not (name == "cofinancement" and code == "loi_oudin"):
                raise MappingError(
                    Problem(file, f"values.{name}: unknown code {code!r}; known: {', '.join(codelist.codes)}")
                )
            if not isinstance(labels, list):
                raise MappingError(Problem(file, f"values.{name}.{code}: expected a list of labels"))
            for label in labels:
                label = str(label)
                star = label.endswith("*")
                key = normalise(label[:-1] if star else label) or label.strip()  # "-", "/": kept as is
                other = given.get((star, key))
                if other is not None and other != code:
                    raise MappingError(
                        Problem(file, f"values.{name}: label {label!r} is given for both {other!r} and {code!r}")
                    )
                given[(star, key)] = code
                (prefixes if star else self.exact)[key] = code  # the mapping file wins over the vocabulary
        self.prefixes = sorted(prefixes.items(), key=lambda kv: -len(kv[0]))

    def lookup(self, text: str) -> str | None:
        """The code of a source label, ``None`` when nothing matches."""
        key = normalise(text) or text.strip()
        code = self.exact.get(key)
        if code is not None:
            return code
        for p, code in self.prefixes:
            if key == p or key.startswith(p + " "):
                return code
        return None

    def labels(self) -> list[str]:
        return sorted(set(self.exact))


@dataclass
class TableSpec:
    """One section of a mapping (``projets`` or ``apd``): accepted headers of each field."""

    section: str
    columns: dict[str, list[str]]
    required: list[str]
    defaults: dict = field(default_factory=dict)
    header_search_lines: int = 10

    def locate(self, sheet: Sheet) -> tuple[int, list[str], dict[str, str], list[str]]:
        """Find the header row of ``sheet``: ``(line, headers, field -> header, unused headers)``.

        The header row is the first of the first ``header_search_lines`` rows holding every required field;
        otherwise :class:`SourceError` names the missing columns on the most complete candidate row, or, when
        no row names two columns, says that there is no header row (and how the CSV lines were split).
        """
        accepted = {f: [normalise(h) for h in hs] for f, hs in self.columns.items()}
        best = None
        for line, cells in sheet.rows[: self.header_search_lines]:
            headers = ["" if c is None else str(c).strip() for c in cells]
            norm = [normalise(h) for h in headers]
            found: dict[str, str] = {}
            for f, keys in accepted.items():
                for k in keys:
                    if k in norm:
                        found[f] = headers[norm.index(k)]
                        break
            missing = [f for f in self.required if f not in found]
            if not missing:
                used = set(found.values())
                dup = sorted({h for h in headers if h and headers.count(h) > 1 and h in used})
                if dup:
                    raise SourceError(sheet.problem("column given twice", line=line, column=dup[0]))
                unused = [h for h in headers if h and h not in used]
                return line, headers, found, unused
            if best is None or len(found) > len(best[1]):
                best = (line, found, missing)
        if best is None:
            raise SourceError(sheet.problem("empty file: no header row", line=1))
        line, found, missing = best
        if len(found) < 2:
            raise SourceError(self._no_header_row(sheet))
        exc = SourceError(
            [
                sheet.problem(
                    f"missing column (accepted headers: {' | '.join(self.columns[f])})",
                    line=line,
                    column=self.columns[f][0],
                )
                for f in missing
            ]
        )
        exc.partial = True  # a table with missing columns, not a notice or legend sheet
        raise exc

    def _no_header_row(self, sheet: Sheet) -> Problem:
        looked_at = min(self.header_search_lines, len(sheet.rows))
        named = ", ".join(repr(self.columns[f][0]) for f in self.required)
        message = f"no header row in the first {looked_at} lines (a row naming the columns {named})"
        if sheet.delimiter:
            message += f"; separator detected: {DELIMITERS.get(sheet.delimiter, repr(sheet.delimiter))}"
        return sheet.problem(message)


@dataclass
class Mapping:
    """A loaded and checked mapping file."""

    path: Path
    name: str
    title: str
    doc: dict
    projets: TableSpec
    apd: TableSpec
    values: dict[str, ValueMap]
    booleans: ValueMap
    jumelage_types: set[str]
    cofinancement_aucun: set[str]
    cofinancement_separateurs: list[str]
    pays_alias: dict[str, str]
    collectivite_prefixes: list[str]
    collectivite_alias: dict[str, str]
    partenaire_prefixes: dict[str, list[str]]
    partenaire_suffixes: list[str]
    partenaire_alias: dict[str, dict[str, object]]

    @property
    def metadata(self) -> dict:
        """What the atlas metadata records of the mapping (name, title, source, licence, notices)."""
        return {
            k: self.doc[k] for k in ("name", "title", "source", "licence", "notice_fr", "notice_en") if k in self.doc
        }


def _section(doc: dict, key: str, file: str, fields: tuple[str, ...]) -> TableSpec:
    sec = doc.get(key)
    if not isinstance(sec, dict) or not isinstance(sec.get("columns"), dict):
        raise MappingError(Problem(file, f"{key}.columns: missing (a mapping of field -> accepted headers)"))
    unknown = [k for k in sec if k not in ("columns", "required", "defaults", "header_search_lines")]
    if unknown:
        raise MappingError(Problem(file, f"{key}: unknown key {unknown[0]!r}"))
    columns = {}
    for f, headers in sec["columns"].items():
        if f not in fields:
            raise MappingError(Problem(file, f"{key}.columns: unknown field {f!r}; known: {', '.join(fields)}"))
        if not isinstance(headers, list) or not headers:
            raise MappingError(Problem(file, f"{key}.columns.{f}: expected a non-empty list of headers"))
        columns[f] = [str(h) for h in headers]
    owner: dict[str, str] = {}
    for f, headers in columns.items():
        for h in headers:
            k = normalise(h)
            if owner.get(k, f) != f:
                raise MappingError(
                    Problem(file, f"{key}.columns: header {h!r} is given for both {owner[k]!r} and {f!r}")
                )
            owner[k] = f
    required = [str(f) for f in sec.get("required", [])]
    for f in required:
        if f not in columns:
            raise MappingError(Problem(file, f"{key}.required: {f!r} has no columns entry"))
    defaults = sec.get("defaults") or {}
    for f in defaults:
        if f not in fields:
            raise MappingError(Problem(file, f"{key}.defaults: unknown field {f!r}"))
    return TableSpec(key, columns, required, dict(defaults), int(sec.get("header_search_lines", 10)))


def _norm_list(values, file, key) -> list[str]:
    if values is None:
        return []
    if not isinstance(values, list):
        raise MappingError(Problem(file, f"{key}: expected a list"))
    return sorted({normalise(str(v)) for v in values if normalise(str(v))}, key=lambda s: (-len(s), s))


def load_mapping(path: str | Path | None = None) -> Mapping:
    """Load and check a mapping file (default: ``datasets/mappings/atlas_cncd.yml``)."""
    path = Path(path) if path else DEFAULT_MAPPING
    file = str(path)
    if not path.is_file():
        raise MappingError(Problem(file, "no such mapping file"))
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise MappingError(Problem(file, f"not UTF-8: {exc}")) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise MappingError(
            Problem(file, f"not valid YAML: {getattr(exc, 'problem', exc)}", line=mark.line + 1 if mark else None)
        ) from None
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise MappingError(Problem(file, f"not a mapping file: expected 'format: {FORMAT}'"))
    if doc.get("version") != VERSION:
        raise MappingError(Problem(file, f"unsupported mapping version {doc.get('version')!r} (expected {VERSION})"))
    known = {
        "format",
        "version",
        "name",
        "title",
        "source",
        "licence",
        "notice_fr",
        "notice_en",
        "projets",
        "apd",
        "values",
        "collectivites",
        "partenaires",
    }
    unknown = [k for k in doc if k not in known]
    if unknown:
        raise MappingError(Problem(file, f"unknown key {unknown[0]!r}; known: {', '.join(sorted(known))}"))
    values_doc = doc.get("values") or {}
    known_values = set(VALUE_MAPS) | {
        "booleen",
        "jumelage_types",
        "cofinancement_aucun",
        "cofinancement_separateurs",
        "pays",
    }
    unknown = [k for k in values_doc if k not in known_values]
    if unknown:
        raise MappingError(
            Problem(file, f"values: unknown key {unknown[0]!r}; known: {', '.join(sorted(known_values))}")
        )
    values = {name: ValueMap(name, values_doc.get(name) or {}, cl, file) for name, cl in VALUE_MAPS.items()}
    booleans = ValueMap(
        "booleen", {str(k).lower(): v for k, v in (values_doc.get("booleen") or {}).items()}, None, file
    )
    for code in set(booleans.exact.values()) | {c for _, c in booleans.prefixes}:
        if code not in ("true", "false"):
            raise MappingError(Problem(file, f"values.booleen: keys must be true and false, not {code!r}"))
    pays_alias = {}
    for code, labels in (values_doc.get("pays") or {}).items():
        if not isinstance(labels, list):
            raise MappingError(Problem(file, f"values.pays.{code}: expected a list of names"))
        for label in labels:
            pays_alias[normalise(str(label))] = str(code)
    coll = doc.get("collectivites") or {}
    part = doc.get("partenaires") or {}
    seps = values_doc.get("cofinancement_separateurs") or [";"]
    return Mapping(
        path=path,
        name=str(doc.get("name") or path.stem),
        title=str(doc.get("title") or ""),
        doc=doc,
        projets=_section(doc, "projets", file, PROJET_FIELDS),
        apd=_section(doc, "apd", file, APD_FIELDS),
        values=values,
        booleans=booleans,
        jumelage_types=set(_norm_list(values_doc.get("jumelage_types"), file, "values.jumelage_types")),
        cofinancement_aucun={normalise(str(v)) or str(v).strip() for v in values_doc.get("cofinancement_aucun") or []},
        cofinancement_separateurs=[str(s) for s in seps],
        pays_alias=pays_alias,
        collectivite_prefixes=_norm_list(coll.get("prefixes"), file, "collectivites.prefixes"),
        collectivite_alias={normalise(str(k)): str(v) for k, v in (coll.get("alias") or {}).items()},
        partenaire_prefixes={
            kind: _norm_list(part.get(f"prefixes_{kind}"), file, f"partenaires.prefixes_{kind}")
            for kind in ("localite", "region", "etat")
        },
        partenaire_suffixes=_norm_list(part.get("suffixes_region"), file, "partenaires.suffixes_region"),
        partenaire_alias={
            str(cc): {normalise(str(k)): v for k, v in (names or {}).items()}
            for cc, names in (part.get("alias") or {}).items()
        },
    )
