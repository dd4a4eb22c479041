"""What the importers share: reading typed values out of source rows, the registries of French
collectivities and foreign partners they create, and the geocoding report."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from dataclasses import dataclass, field

from .mapping import Mapping, TableSpec, ValueMap, normalise
from .places import FrenchAuthorities, Gazetteer, NotFound, Placement, Seat, slug
from .sources import Problem, Problems, Sheet

YEARS = (1900, 2100)
_YEAR = re.compile(r"(\d{4})(?:\.0+)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_MY = re.compile(r"(\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


@dataclass
class RowContext:
    """One source row: typed accessors that record problems (file, sheet, line, column) as they go."""

    sheet: Sheet
    line: int
    spec: TableSpec
    colmap: dict[str, str]  # field -> header of the file
    cells: dict[str, object]  # header -> cell
    problems: Problems
    mapping: Mapping

    def column(self, name: str) -> str:
        """The header of field ``name`` in this file (or its first accepted header when absent)."""
        return self.colmap.get(name) or self.spec.columns.get(name, [name])[0]

    def where(self) -> str:
        sheet = f" [{self.sheet.sheet}]" if self.sheet.sheet else ""
        return f"{self.sheet.file}{sheet}:{self.line}"

    def problem(self, name: str, message: str) -> None:
        self.problems.add(self.sheet.problem(message, line=self.line, column=self.column(name)))

    def raw(self, name: str):
        h = self.colmap.get(name)
        v = self.cells.get(h) if h else None
        if isinstance(v, str):
            v = v.strip()
            return v or None
        return v

    def text(self, name: str) -> str | None:
        v = self.raw(name)
        if v is None:
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, dt.date):
            return v.isoformat()
        return str(v)

    def required(self, name: str) -> str | None:
        v = self.text(name)
        if v is None:
            self.problem(name, "empty value (required)")
        return v

    def year(self, name: str) -> int | None:
        v = self.raw(name)
        if v is None:
            return None
        y = None
        if isinstance(v, (dt.date, dt.datetime)):
            y = v.year
        elif isinstance(v, bool):
            y = None
        elif isinstance(v, (int, float)):
            y = int(v) if float(v).is_integer() else None
        else:
            s = str(v).strip()
            for rx, g in ((_YEAR, 1), (_DMY, 3), (_MY, 2), (_ISO, 1)):
                m = rx.fullmatch(s)
                if m:
                    y = int(m.group(g))
                    break
        if y is None or not YEARS[0] <= y <= YEARS[1]:
            self.problem(name, f"bad year {v!r} (a year between {YEARS[0]} and {YEARS[1]}, or a date)")
            return None
        return y

    def date(self, name: str) -> str | None:
        v = self.raw(name)
        if v is None:
            return None
        try:
            if isinstance(v, dt.datetime):
                return v.date().isoformat()
            if isinstance(v, dt.date):
                return v.isoformat()
            s = str(v).strip()
            m = _ISO.fullmatch(s)
            if m:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            m = _DMY.fullmatch(s)
            if m:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            pass
        self.problem(name, f"bad date {v!r} (DD/MM/YYYY or YYYY-MM-DD)")
        return None

    def boolean(self, name: str, default=None) -> bool | None:
        v = self.raw(name)
        if v is None:
            return default
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)) and v in (0, 1):
            return bool(v)
        code = self.mapping.booleans.lookup(str(v))
        if code is None:
            self.problem(
                name,
                f"not a yes/no value: {v!r} (known: {', '.join(self.mapping.booleans.labels())}; "
                f"add it to values.booleen of {self.mapping.path.name})",
            )
            return default
        return code == "true"

    def code(self, name: str, values: ValueMap, default=None) -> str | None:
        v = self.text(name)
        if v is None:
            return default
        code = values.lookup(v)
        if code is None:
            self.problem(
                name, f"unknown {values.name} {v!r}: add this label to values.{values.name} of {self.mapping.path.name}"
            )
        return code

    def amount(self, name: str) -> float | None:
        v = self.raw(name)
        if v is None:
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            x = float(v)
        else:
            x = parse_amount(str(v))
        if x is None or x < 0:
            self.problem(name, f"bad amount {v!r} (euros, e.g. 12 500,50)")
            return None
        return x


def parse_amount(text: str) -> float | None:
    """Euros from French or international notation ("12 500,50 €", "12,500.50", "12500"); ``None`` if not."""
    s = _SPACES.sub("", text)
    s = re.sub(r"(?i)(€|eur(os?)?)$", "", s)
    if not re.fullmatch(r"-?[\d.,]+", s or "x"):
        return None
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1 or s.count(".") > 1:
        s = s.replace(",", "").replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


# --- Registries ------------------------------------------------------------------------------------------

CONTACTS = (
    "elu_nom",
    "elu_fonction",
    "elu_email",
    "elu_telephone",
    "directeur_nom",
    "directeur_fonction",
    "directeur_email",
    "directeur_telephone",
)


@dataclass
class _Coll:
    nom: str
    seat: Seat
    first: str  # file:line of its first row
    contacts: dict = field(default_factory=dict)
    date_maj: str | None = None
    id: str | None = None
    rows: int = 0
    other_names: list = field(default_factory=list)

    @property
    def note(self) -> str | None:
        notes = [self.seat.note] if self.seat.note else []
        if self.other_names:
            notes.append("autres noms dans la source (même territoire, fusionnés) : " + " ; ".join(self.other_names))
        return " ; ".join(notes) or None


class Collectivities:
    """The French collectivities met in the source rows, one per (type, territory, name)."""

    def __init__(self, authorities: FrenchAuthorities):
        self.authorities = authorities
        self._resolved: dict[tuple, Seat | NotFound] = {}
        self.items: dict[tuple, _Coll] = {}

    def key_of(self, nom: str, seat: Seat) -> tuple:
        """The identity of a collectivity: its type and territory (a commune, a department... is one
        collectivity whatever the spelling of its name); for ``autre`` bodies, which have no territory of
        their own, also its name."""
        if seat.type_collectivite != "autre" and seat.code_insee:
            return seat.type_collectivite, seat.code_insee, ""
        territory = seat.code_insee or f"~{seat.code_departement or ''}/{seat.code_region or ''}"
        return seat.type_collectivite, territory, normalise(nom)

    def resolve(self, ctx: RowContext, type_: str) -> tuple | None:
        """The key of the row's collectivity (created on first sight); ``None`` with a problem if unknown."""
        nom = ctx.text("collectivite")
        if nom is None or type_ is None:
            return None
        args = (nom, type_, ctx.text("code_collectivite"), ctx.text("departement"), ctx.text("region"))
        seat = self._resolved.get(args)
        if seat is None:
            try:
                seat = self.authorities.resolve(*args)
            except NotFound as exc:
                seat = exc
            self._resolved[args] = seat
        if isinstance(seat, NotFound):
            ctx.problem(seat.column, str(seat))
            return None
        key = self.key_of(nom, seat)
        item = self.items.get(key)
        if item is None:
            item = self.items[key] = _Coll(nom, seat, ctx.where())
        elif normalise(nom) not in {normalise(item.nom), *map(normalise, item.other_names)}:
            item.other_names.append(nom)
        item.rows += 1
        for c in CONTACTS:
            v = ctx.text(c)
            if v and not item.contacts.get(c):
                item.contacts[c] = v
        return key

    def find(self, nom: str, type_: str | None) -> list[tuple]:
        """Keys of the registered collectivities with this name (and type)."""
        n = normalise(nom)
        return [
            k
            for k, item in self.items.items()
            if (type_ is None or k[0] == type_) and n in {normalise(item.nom), *map(normalise, item.other_names)}
        ]

    def assign_ids(self) -> None:
        groups: dict[str, list[tuple]] = {}
        for key, item in self.items.items():
            s = item.seat
            code = s.code_insee or s.siren or (s.code_departement or s.code_region or "fr")
            groups.setdefault(f"{s.type_collectivite}-{code}", []).append(key)
        for base, keys in groups.items():
            for n, key in enumerate(sorted(keys, key=lambda k: (k[2], normalise(self.items[k].nom)))):
                self.items[key].id = base if n == 0 else f"{base}-{n + 1}"

    def records(self) -> list[dict]:
        out = []
        for item in sorted(self.items.values(), key=lambda i: i.id):
            s = item.seat
            out.append(
                dict(
                    id=item.id,
                    nom=item.nom,
                    type_collectivite=s.type_collectivite,
                    code_insee=s.code_insee,
                    siren=s.siren,
                    code_region=s.code_region,
                    code_departement=s.code_departement,
                    date_maj=item.date_maj,
                    geometry=s.geometry,
                    **{c: item.contacts.get(c) for c in CONTACTS},
                )
            )
        return out


@dataclass
class _Part:
    nom: str
    pays_code: str
    place: Placement
    first: str
    slug_key: str = ""
    id: str | None = None
    rows: int = 0
    other_names: list = field(default_factory=list)

    @property
    def note(self) -> str | None:
        notes = list(self.place.notes)
        if self.other_names:
            notes.append("autres noms dans la source (même lieu, fusionnés) : " + " ; ".join(self.other_names))
        return " ; ".join(notes) or None


class Partners:
    """The foreign partners met in the source rows, one per (country, kind, name)."""

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer
        self.items: dict[tuple, _Part] = {}
        self._placed: dict[tuple, Placement] = {}

    def resolve(self, ctx: RowContext, cc: str) -> tuple | None:
        nom = ctx.text("partenaire")
        if nom is None or cc is None:
            return None
        region = ctx.text("partenaire_region")
        place = self._placed.get((cc, nom, region))
        if place is None:
            place = self._placed[(cc, nom, region)] = self.gazetteer.locate(cc, nom, region)
        type_, k = self.gazetteer.partner_kind(cc, nom)
        # identity: the same GeoNames place or admin-1 division is one partner, whatever its spelling
        if place.precision_geo == "localite" and place.geonameid is not None:
            ident = ("gn", place.geonameid)
        elif place.type_partenaire == "region" and place.admin1_code is not None:
            ident = ("a1", place.admin1_code)
        else:
            ident = ("nom", k)
        key = (cc, place.type_partenaire, *ident)
        item = self.items.get(key)
        if item is None:
            item = self.items[key] = _Part(nom, cc, place, ctx.where(), slug_key=k)
        elif normalise(nom) not in {normalise(item.nom), *map(normalise, item.other_names)}:
            item.other_names.append(nom)
        item.rows += 1
        return key

    def assign_ids(self) -> None:
        groups: dict[str, list[tuple]] = {}
        for key, item in self.items.items():
            cc, type_ = key[:2]
            base = f"{cc}-{slug(item.slug_key)}" + ("" if type_ == "localite" else f"-{type_}")
            groups.setdefault(base, []).append(key)
        for base, keys in groups.items():
            for n, key in enumerate(sorted(keys, key=lambda k: (normalise(self.items[k].nom), str(k)))):
                self.items[key].id = base if n == 0 else f"{base}-{n + 1}"

    def records(self) -> list[dict]:
        out = []
        for item in sorted(self.items.values(), key=lambda i: i.id):
            p = item.place
            out.append(
                dict(
                    id=item.id,
                    nom=item.nom,
                    type_partenaire=p.type_partenaire,
                    pays_code=item.pays_code,
                    admin1_nom=p.admin1_nom,
                    geonameid=p.geonameid,
                    precision_geo=p.precision_geo,
                    en_recherche=False,
                    geometry=p.geometry,
                )
            )
        return out


# --- Report ------------------------------------------------------------------------------------------------

REPORT_COLUMNS = [
    "objet",
    "id",
    "nom",
    "type",
    "pays_code",
    "pays_nom",
    "precision_geo",
    "lieu_retenu",
    "geonameid",
    "admin1_nom",
    "code_insee",
    "lon",
    "lat",
    "nb_lignes",
    "premiere_ligne",
    "remarque",
]
REPORT_FILE = "rapport_geocodage.csv"
_PRECISION_ORDER = {"pays": 0, "admin1": 1, "admin2": 2, "localite": 3}


def report_rows(colls: Collectivities, parts: Partners) -> list[dict]:
    """One row per partner (those placed at the country first, then admin-1, then localities), then one
    per French collectivity whose placement deserves a look (approximate seat, homonyms)."""
    gz = parts.gazetteer
    rows = []
    for item in sorted(parts.items.values(), key=lambda i: (_PRECISION_ORDER[i.place.precision_geo], i.id)):
        p = item.place
        rows.append(
            dict(
                objet="partenaire",
                id=item.id,
                nom=item.nom,
                type=p.type_partenaire,
                pays_code=item.pays_code,
                pays_nom=gz.country_name(item.pays_code),
                precision_geo=p.precision_geo,
                lieu_retenu=p.lieu,
                geonameid=p.geonameid,
                admin1_nom=p.admin1_nom,
                code_insee=None,
                lon=round(p.geometry.x, 6),
                lat=round(p.geometry.y, 6),
                nb_lignes=item.rows,
                premiere_ligne=item.first,
                remarque=item.note,
            )
        )
    for item in sorted(colls.items.values(), key=lambda i: i.id):
        s = item.seat
        rows.append(
            dict(
                objet="collectivite",
                id=item.id,
                nom=item.nom,
                type=s.type_collectivite,
                pays_code="FR",
                pays_nom="France",
                precision_geo=None,
                lieu_retenu=s.reference_nom,
                geonameid=None,
                admin1_nom=None,
                code_insee=s.code_insee or s.siren,
                lon=round(s.geometry.x, 6),
                lat=round(s.geometry.y, 6),
                nb_lignes=item.rows,
                premiere_ligne=item.first,
                remarque=item.note,
            )
        )
    return rows


def report_csv(rows: list[dict]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, REPORT_COLUMNS, lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if r.get(k) is None else r[k]) for k in REPORT_COLUMNS})
    return buf.getvalue()


def progress_bar(iterable, total: int, desc: str, quiet: bool):
    """A tqdm progress bar on stderr for long loops (off when ``quiet`` or stderr is not a terminal)."""
    from tqdm import tqdm

    return tqdm(
        iterable,
        total=total,
        desc=desc,
        unit=" lignes",
        file=sys.stderr,
        leave=False,
        disable=True if quiet else None,
        mininterval=0.5,
    )


__all__ = [
    "RowContext",
    "Collectivities",
    "Partners",
    "report_rows",
    "report_csv",
    "REPORT_FILE",
    "Problem",
    "parse_amount",
    "progress_bar",
]
