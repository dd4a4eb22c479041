"""The registries of French collectivities and foreign partners that the importers create from source rows."""

from __future__ import annotations

from dataclasses import dataclass, field

from .mapping import normalise
from .places import FrenchAuthorities, Gazetteer, NotFound, Placement, Seat, slug
from .row_values import RowContext

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
