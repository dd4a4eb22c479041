"""Import of the open-data exports of the Atlas français de la coopération décentralisée (CNCD/MEAE).

data.gouv.fr publishes the Atlas as CSV/XLSX files, one per world zone (Afrique, Amériques, Asie-Océanie,
Europe, ...), French headers, one row per project. :func:`import_atlas` reads any number of them (CSV with
``;`` or ``,``, UTF-8 or Windows-1252; XLSX workbooks, every worksheet holding the required columns) through
a mapping file (``datasets/mappings/atlas_cncd.yml``: accepted headers and labels), and produces the base
tables of an atlas (:class:`coopatlas.data.tables.AtlasTables`):

* ``collectivites``: the French collectivities, found by name and type in the INSEE COG of the reference
  (regions, former regions, departments, communes, EPCI, overseas collectivities), at their seat;
* ``partenaires``: the foreign partners, geocoded on the reference's gazetteer (GeoNames places, then
  admin-1 divisions, then the country), with ``precision_geo`` ``localite`` / ``admin1`` / ``pays``;
* ``projets``: one per source row (ids from the source's id column, else ``<file>-<line>``);
* ``apd``: from the APD files, if any (:mod:`coopatlas.data.importers.apd`);
* ``demandes``, ``cofinancements``: empty (the exports hold neither requests nor amounts).

No row is dropped: a value that cannot be read, a country or a French collectivity that cannot be found,
a duplicate id... stops the import with every problem listed, each naming the file, the line and the
column. Partners are never refused: those that could only be placed at the country are listed first in the
geocoding report (:data:`coopatlas.data.importers.common.REPORT_FILE`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ... import vocabulary as voc
from ..interchange import make_frame, theme_problem
from ..reference import Reference
from ..tables import AtlasTables
from .apd import read_apd
from .common import Collectivities, Partners, RowContext, progress_bar, report_csv, report_rows
from .mapping import Mapping, load_mapping, normalise
from .places import FrenchAuthorities, Gazetteer, slug
from .sources import Problems, SourceError, file_info, iter_records, read_sheets


@dataclass
class ImportResult:
    """What an import produced: the base tables, the geocoding report rows and notes for the user."""

    tables: AtlasTables
    report: list[dict]
    notes: list[str] = field(default_factory=list)

    def report_csv(self) -> str:
        return report_csv(self.report)

    def counts(self) -> dict[str, int]:
        part = [r for r in self.report if r["objet"] == "partenaire"]
        out = {
            f"partenaires_{p}": sum(1 for r in part if r["precision_geo"] == p) for p in ("localite", "admin1", "pays")
        }
        return {**{t: len(df) for t, df in self.tables.tables().items()}, **out}

    def summary(self, limit: int = 30) -> str:
        """A few lines for the terminal: counts, precisions, the partners placed at the country."""
        c = self.counts()
        lines = [
            f"{c['projets']} projets, {c['collectivites']} collectivités, {c['partenaires']} partenaires, "
            f"{c['apd']} déclarations d'APD",
            f"partenaires placés sur une localité : {c['partenaires_localite']}, sur une région (admin-1) : "
            f"{c['partenaires_admin1']}, au pays seulement : {c['partenaires_pays']}",
        ]
        at_country = [r for r in self.report if r["objet"] == "partenaire" and r["precision_geo"] == "pays"]
        if at_country:
            lines.append("partenaires placés au pays (à vérifier ; ajoutez un alias au fichier de correspondance) :")
            for r in at_country[:limit]:
                lines.append(f"  {r['pays_code']}  {r['nom']}  ({r['premiere_ligne']})")
            if len(at_country) > limit:
                lines.append(f"  ... et {len(at_country) - limit} autres (voir le rapport)")
        approx = [r for r in self.report if r["objet"] == "collectivite" and r["remarque"]]
        if approx:
            lines.append(f"collectivités à vérifier (siège approximatif, homonymes) : {len(approx)} (voir le rapport)")
        lines.extend(self.notes)
        return "\n".join(lines)


_LOOKUPS: dict[tuple, tuple] = {}


def lookups(reference: Reference, mapping: Mapping) -> tuple[FrenchAuthorities, Gazetteer]:
    """The name indexes of the reference for a mapping, built once per reference object and mapping content
    (building them takes about a second)."""
    key = (
        id(reference),
        repr(
            (
                mapping.collectivite_prefixes,
                mapping.collectivite_alias,
                mapping.pays_alias,
                mapping.partenaire_prefixes,
                mapping.partenaire_suffixes,
                mapping.partenaire_alias,
            )
        ),
    )
    hit = _LOOKUPS.get(key)
    if hit is None or hit[0] is not reference:
        if len(_LOOKUPS) > 8:
            _LOOKUPS.clear()
        hit = _LOOKUPS[key] = (reference, FrenchAuthorities(reference, mapping), Gazetteer(reference, mapping))
    return hit[1], hit[2]


class AtlasImporter:
    """One import run: the mapping, the reference lookups and the registries (see :func:`import_atlas`)."""

    def __init__(self, mapping: Mapping, reference: Reference, progress=None, quiet: bool = True):
        self.mapping = mapping
        self.reference = reference
        self.say = progress or (lambda msg: None)
        self.quiet = quiet
        self.authorities, self.gazetteer = lookups(reference, mapping)
        self.collectivities = Collectivities(self.authorities)
        self.partners = Partners(self.gazetteer)
        self.problems = Problems()
        self.projects: list[dict] = []
        self.project_ids: dict[str, str] = {}  # id -> where
        self.notes: list[str] = []
        self.files: list[dict] = []
        self._tags: dict[Path, str] = {}

    def file_tag(self, path: Path) -> str:
        """A short id prefix for the rows of a file, unique in this import (its name, numbered if needed)."""
        path = Path(path).resolve()
        if path not in self._tags:
            base = slug(path.stem, 40)
            tag, n = base, 1
            while tag in self._tags.values():
                n += 1
                tag = f"{base}-{n}"
            self._tags[path] = tag
        return self._tags[path]

    # -- reading
    def sheets_of(self, path: Path, spec, encoding=None):
        """The sheets of a file that hold a table of ``spec``, with their header row."""
        sheets = read_sheets(path, encoding)
        found, errors = [], []
        for sheet in sheets:
            try:
                found.append((sheet, *spec.locate(sheet)))
            except SourceError as exc:
                errors.append((sheet, exc))
        if not found:
            raise errors[0][1]
        tables = [exc for _, exc in errors if getattr(exc, "partial", False)]
        if tables:  # a worksheet that looks like a table of projects but lacks columns
            raise SourceError([p for exc in tables for p in exc.problems])
        for sheet, _ in errors:
            if sheet.rows:  # a notice or legend sheet of a workbook: said, not silently skipped
                self.notes.append(
                    f"{path.name} : feuille {sheet.sheet!r} ignorée (pas de colonnes {', '.join(spec.required)})"
                )
        return found

    def read_projects(self, path: Path, encoding: str | None = None) -> int:
        path = Path(path)
        spec = self.mapping.projets
        n = 0
        found = self.sheets_of(path, spec, encoding)
        for sheet, header_line, headers, colmap, unused in found:
            if unused:
                self.notes.append(
                    f"{path.name}{' [' + sheet.sheet + ']' if sheet.sheet else ''} : colonnes non "
                    f"utilisées : {', '.join(unused)}"
                )
            records = list(iter_records(sheet, header_line, headers))
            for line, cells in progress_bar(records, len(records), path.name, self.quiet):
                ctx = RowContext(sheet, line, spec, colmap, cells, self.problems, self.mapping)
                self.project(ctx, path, multi_sheet=len(found) > 1)
                n += 1
        self.files.append({**file_info(path), "role": "projets", "lignes": n})
        self.say(f"import : {path.name} : {n} projets lus")
        return n

    # -- one project row
    def project(self, ctx: RowContext, path: Path, multi_sheet: bool = False) -> None:
        m = self.mapping
        v = m.values
        defaults = m.projets.defaults
        for f in m.projets.required:
            ctx.required(f)
        type_coll = ctx.code("type_collectivite", v["type_collectivite"])
        coll_key = self.collectivities.resolve(ctx, type_coll) if type_coll else None
        pays = ctx.text("pays")
        cc = self.gazetteer.country(pays) if pays else None
        if pays and cc is None:
            ctx.problem("pays", f"unknown country {pays!r}: add it to values.pays of {m.path.name}")
        part_key = self.partners.resolve(ctx, cc) if cc else None

        type_label = ctx.text("type_action")
        type_action = ctx.code("type_action", v["type_action"], defaults.get("type_action"))
        jumelage_default = defaults.get("jumelage")
        if type_label and normalise(type_label) in m.jumelage_types:
            jumelage_default = True
        jumelage = ctx.boolean("jumelage", jumelage_default)
        statut = ctx.code("statut", v["statut"], defaults.get("statut"))
        theme = ctx.code("thematique", v["thematique"])
        sub = ctx.code("sous_thematique", v["sous_thematique"])
        leaf = ctx.code("sous_sous_thematique", v["sous_sous_thematique"])
        if leaf and not sub:
            sub = voc.SOUS_SOUS_THEMATIQUES[leaf].extra["sous_thematique"]
        if sub and not theme:
            theme = voc.SOUS_THEMATIQUES[sub].extra["thematique"]
        bad = theme_problem(theme, sub, leaf)
        if bad:
            ctx.problem(bad[0], bad[1])
        cof, oudin_label = self.cofinancements(ctx)
        loi_oudin = ctx.boolean("loi_oudin", None)
        if loi_oudin is None:
            loi_oudin = True if oudin_label else defaults.get("loi_oudin")
        annee_convention = ctx.year("annee_convention")
        annee_lancement = ctx.year("annee_lancement")
        annee_fin = ctx.year("annee_fin")
        if annee_lancement and annee_fin and annee_fin < annee_lancement:
            ctx.problem("annee_fin", f"end year {annee_fin} before start year {annee_lancement}")
        date_maj = ctx.date("date_maj")

        pid = ctx.text("id")
        if pid is None:
            sheet = f"-{slug(ctx.sheet.sheet, 20)}" if multi_sheet else ""
            pid = f"{self.file_tag(path)}{sheet}-{ctx.line}"
        if pid in self.project_ids:
            ctx.problem("id", f"duplicate id {pid!r} (first at {self.project_ids[pid]})")
            return
        self.project_ids[pid] = ctx.where()
        if coll_key is None or part_key is None:
            return  # a problem was recorded
        coll = self.collectivities.items[coll_key]
        if date_maj and (coll.date_maj is None or date_maj > coll.date_maj):
            coll.date_maj = date_maj
        self.projects.append(
            dict(
                id=pid,
                collectivite_key=coll_key,
                partenaire_key=part_key,
                titre=ctx.text("titre"),
                description=ctx.text("description"),
                type_action=type_action,
                jumelage=jumelage,
                statut=statut,
                thematique=theme,
                sous_thematique=sub,
                sous_sous_thematique=leaf,
                annee_convention=annee_convention,
                annee_lancement=annee_lancement,
                annee_fin=annee_fin,
                cofinancement_types=",".join(c for c in voc.COFINANCEMENTS.codes if c in cof) or None,
                loi_oudin=loi_oudin,
                date_maj=date_maj,
            )
        )

    def cofinancements(self, ctx: RowContext) -> tuple[set[str], bool]:
        """The co-financing codes of a row and whether a label said Loi Oudin."""
        text = ctx.text("cofinancements")
        m = self.mapping
        if text is None or (normalise(text) or text.strip()) in m.cofinancement_aucun:
            return set(), False
        values = m.values["cofinancement"]
        whole = values.lookup(text)
        parts = [text] if whole else _split(text, m.cofinancement_separateurs)
        codes = set()
        for part in parts:
            code = values.lookup(part)
            if code is None:
                ctx.problem(
                    "cofinancements",
                    f"unknown cofinancement {part!r}: add this label to values.cofinancement of {m.path.name}",
                )
            else:
                codes.add(code)
        return codes - {"loi_oudin"}, "loi_oudin" in codes

    # -- result
    def tables(self, apd_rows: list[dict] | None = None) -> AtlasTables:
        self.collectivities.assign_ids()
        self.partners.assign_ids()
        cid = {k: i.id for k, i in self.collectivities.items.items()}
        pid = {k: i.id for k, i in self.partners.items.items()}
        projets = [
            dict(p, collectivite_id=cid[p["collectivite_key"]], partenaire_id=pid[p["partenaire_key"]])
            for p in self.projects
        ]
        apd = [dict(r, collectivite_id=cid[r["collectivite_key"]]) for r in apd_rows or []]
        dates = [p["date_maj"] for p in projets if p["date_maj"]]
        metadata = {
            "synthetique": False,
            "source": self.mapping.name,
            "mapping": self.mapping.metadata,
            "fichiers": self.files,
            **({"date_donnees": max(dates)} if dates else {}),
            **{k: self.mapping.doc[k] for k in ("notice_fr", "notice_en") if k in self.mapping.doc},
        }
        return AtlasTables(
            collectivites=make_frame("collectivites", self.collectivities.records()),
            partenaires=make_frame("partenaires", self.partners.records()),
            projets=make_frame("projets", projets),
            demandes=make_frame("demandes", []),
            apd=make_frame("apd", apd),
            cofinancements=make_frame("cofinancements", []),
            metadata=metadata,
        )


def _split(text: str, separators: list[str]) -> list[str]:
    parts = [text]
    for sep in separators:
        parts = [p for chunk in parts for p in chunk.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def import_atlas(
    files,
    mapping: str | Path | Mapping | None = None,
    apd_files=(),
    reference: Reference | None = None,
    progress=None,
    quiet: bool = True,
    encoding: str | None = None,
) -> ImportResult:
    """Import Atlas zone files (CSV/XLSX) and APD files into base tables; see the module docstring.

    Raises :class:`coopatlas.data.importers.sources.SourceError` listing every problem (file, line, column).
    """
    mapping = mapping if isinstance(mapping, Mapping) else load_mapping(mapping)
    reference = reference or Reference()
    say = progress or (lambda msg: None)
    files = [Path(f) for f in files]
    if not files:
        raise ValueError("no input file")
    say(f"import : référentiels ({reference.path})")
    imp = AtlasImporter(mapping, reference, say, quiet)
    structural = []
    for f in files:
        try:
            imp.read_projects(f, encoding)
        except SourceError as exc:  # a whole file unreadable: go on with the others, report all at the end
            structural.extend(exc.problems)
    apd_rows = []
    for f in apd_files:
        try:
            apd_rows.extend(read_apd(imp, Path(f), encoding))
        except SourceError as exc:
            structural.extend(exc.problems)
    if structural or imp.problems:
        raise SourceError(structural + imp.problems.items)
    say("import : tables")
    tables = imp.tables(apd_rows)
    return ImportResult(tables, report_rows(imp.collectivities, imp.partners), imp.notes)
