"""Placing imported records on the reference geography (EPSG:4326 points).

* :class:`FrenchAuthorities`: a French collectivity given by name and type (and optionally a code, its
  department or region) -> its territory in the INSEE COG (commune, department, region or former region,
  EPCI, overseas collectivity) and its seat point.
* :class:`Gazetteer`: a country name -> ISO 3166-1 alpha-2 code; a foreign partner (country + name,
  optionally its region) -> a point: a GeoNames place (``lieux``), else a GeoNames admin-1 division, else
  the country itself, with the IATI-style precision ``localite`` / ``admin1`` / ``pays``.

Names are compared after :func:`coopatlas.text.normalise` and the removal of leading articles and of the
prefixes listed in the mapping file ("Conseil général du", "Commune de", "Province de"...).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd
from shapely.geometry import Point

from ..reference import Reference
from .mapping import Mapping, normalise, strip_article, strip_prefix


class NotFound(LookupError):
    """A name that the reference does not know; ``column`` says which input column is to blame."""

    def __init__(self, message: str, column: str):
        super().__init__(message)
        self.column = column


def name_key(text: str | None) -> str:
    """Normalised name without its leading article (``"Le Mans"`` -> ``"mans"``)."""
    return strip_article(normalise(text))


_SAINT = re.compile(r"\b(st|ste|sts|stes)\b")
_SAINTS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}


def fr_key(text: str | None) -> str:
    """:func:`name_key` of a French name, with "St"/"Ste" written out (``"St-Denis"`` = ``"Saint-Denis"``)."""
    return _saints(name_key(text))


def _saints(key: str) -> str:
    return _SAINT.sub(lambda m: _SAINTS[m.group(1)], key)


def slug(text: str, limit: int = 60) -> str:
    """An ASCII identifier part: normalised words joined by ``-``."""
    return normalise(text).replace(" ", "-")[:limit].strip("-") or "x"


# --- French authorities ------------------------------------------------------------------------------------


@dataclass
class Seat:
    """Where a French collectivity sits: its territory's codes and its seat point (EPSG:4326)."""

    type_collectivite: str
    code_insee: str | None
    siren: str | None
    code_region: str | None
    code_departement: str | None
    geometry: Point
    reference_nom: str | None
    note: str | None = None


_DEP_CODE = re.compile(r"(?<![0-9A-Za-z])(2[AB]|97[1-6]|\d{2})(?![0-9A-Za-z])", re.IGNORECASE)
_EPCI_PREFIXES = sorted(
    (
        normalise(p)
        for p in (
            "Communauté d'agglomération",
            "Communauté de communes",
            "Communauté urbaine",
            "Métropole",
            "Syndicat d'agglomération nouvelle",
            "Agglomération",
            "Eurométropole",
            "Communauté de l'agglomération",
        )
    ),
    key=len,
    reverse=True,
)


def _index(df: pd.DataFrame, key_col: str, sort_col: str | None = None) -> dict[str, list]:
    """French names -> row labels (most populous first when ``sort_col`` is given)."""
    out: dict[str, list] = {}
    order = df.sort_values(sort_col, ascending=False, kind="stable") if sort_col else df
    for idx, name in zip(order.index, order[key_col]):
        out.setdefault(fr_key(name), []).append(idx)
    return out


class FrenchAuthorities:
    """Finds French collectivities in the reference (see the module docstring)."""

    def __init__(self, reference: Reference, mapping: Mapping):
        from ..demo import COLLECTIVITES_OUTRE_MER

        self.mapping = mapping
        self.communes = reference.communes.set_index("code_insee", drop=False)
        self.deps = reference.departements.set_index("code_departement", drop=False)
        self.regions = reference.regions.set_index("code_region", drop=False)
        self.anciennes = reference.anciennes_regions.set_index("code_ancienne_region", drop=False)
        self.epci = reference.epci.set_index("siren", drop=False)
        self.com = {code: (nom, Point(lon, lat)) for nom, code, (lon, lat) in COLLECTIVITES_OUTRE_MER}
        self.communes_by_key = _index(self.communes, "nom", "population")
        self.deps_by_key = _index(self.deps, "nom")
        self.regions_by_key = _index(self.regions, "nom")
        self.anciennes_by_key = _index(self.anciennes, "nom")
        self.epci_by_key = _index(self.epci, "nom", "population")
        self.epci_by_short = {}
        for siren, name in zip(self.epci.index, self.epci["nom"]):
            short, _ = strip_prefix(normalise(name), _EPCI_PREFIXES)
            self.epci_by_short.setdefault(short, []).append(siren)
        self.com_by_key = {}
        for code, (nom, _) in self.com.items():
            k, _ = strip_prefix(normalise(nom), mapping.collectivite_prefixes)
            self.com_by_key[k] = code

    # -- seats
    def _commune_point(self, code: str) -> Point:
        return self.communes.at[code, "geometry"]

    def _area_point(self, row) -> Point:
        code = row.get("chef_lieu_insee") if hasattr(row, "get") else None
        if isinstance(code, str) and code in self.communes.index:
            return self._commune_point(code)
        return row.geometry.representative_point()

    def _seat_commune(self, code: str, type_: str, note=None) -> Seat:
        c = self.communes.loc[code]
        if type_ == "commune":
            return Seat(type_, code, None, c["code_region"], c["code_departement"], c.geometry, c["nom"], note)
        return Seat(type_, None, None, c["code_region"], c["code_departement"], c.geometry, c["nom"], note)

    def _seat_departement(self, code: str, type_: str = "departement", note=None) -> Seat:
        d = self.deps.loc[code]
        own = type_ == "departement"
        return Seat(type_, code if own else None, None, d["code_region"], code, self._area_point(d), d["nom"], note)

    def _seat_region(self, code: str, type_: str = "region", note=None) -> Seat:
        own = type_ == "region"
        if code in self.regions.index:
            r = self.regions.loc[code]
            return Seat(type_, code if own else None, None, code, None, self._area_point(r), r["nom"], note)
        a = self.anciennes.loc[code]
        return Seat(type_, code if own else None, None, a["code_region"], None, self._area_point(a), a["nom"], note)

    def _seat_epci(self, siren: str, note=None) -> Seat:
        e = self.epci.loc[siren]
        return Seat("epci", siren, siren, e["code_region"], e["code_departement"], e.geometry, e["nom"], note)

    def _seat_com(self, code: str, note=None) -> Seat:
        nom, pt = self.com[code]
        return Seat("outre_mer", code, None, None, None, pt, nom, note)

    # -- by code
    def by_code(self, type_: str, code: str, column: str) -> Seat:
        """The collectivity of type ``type_`` whose code (see the mapping's ``alias``) is ``code``."""
        c = str(code).strip().upper()
        if c.isdigit() and type_ in ("commune", "autre") and len(c) == 4:
            c = "0" + c  # a code INSEE that a spreadsheet turned into a number
        if c.isdigit() and type_ == "departement" and len(c) == 1:
            c = "0" + c
        if c.isdigit() and type_ == "region" and len(c) == 1:
            c = "0" + c
        if type_ == "commune" and c in self.communes.index:
            return self._seat_commune(c, type_)
        if type_ == "departement" and c in self.deps.index:
            return self._seat_departement(c)
        if type_ == "region" and (c in self.regions.index or c in self.anciennes.index):
            return self._seat_region(c)
        if type_ == "epci" and c in self.epci.index:
            return self._seat_epci(c)
        if type_ == "outre_mer" and c in self.com:
            return self._seat_com(c)
        if type_ == "autre" and c in self.communes.index:
            return self._seat_commune(c, "autre", note=f"siège : commune {self.communes.at[c, 'nom']} ({c})")
        if type_ == "autre" and c in self.epci.index:
            s = self._seat_epci(c)
            return Seat(
                "autre",
                None,
                None,
                s.code_region,
                s.code_departement,
                s.geometry,
                s.reference_nom,
                f"siège : celui de l'EPCI {s.reference_nom}",
            )
        what = {
            "commune": "INSEE code of a commune",
            "departement": "department code",
            "region": "region code (current or former)",
            "epci": "SIREN of an EPCI",
            "outre_mer": f"code of an overseas collectivity ({', '.join(self.com)})",
            "autre": "INSEE code of the seat commune",
        }[type_]
        raise NotFound(f"code {code!r} is not the {what} in the reference", column)

    # -- department / region columns
    def departement_code(self, text) -> str | None:
        """A department code from a cell ("67", "Bas-Rhin", "67 - Bas-Rhin"); ``None`` if not recognised."""
        if text is None:
            return None
        s = str(text).strip()
        if s.isdigit() and len(s) == 1:
            s = "0" + s
        m = _DEP_CODE.search(s)
        if m and m.group(1).upper() in self.deps.index:
            return m.group(1).upper()
        hits = self.deps_by_key.get(fr_key(re.sub(r"[\d()]+", " ", s)), [])
        return hits[0] if len(hits) == 1 else None

    def region_code(self, text) -> str | None:
        """The current region code from a cell (code or name, current or former region)."""
        if text is None:
            return None
        s = str(text).strip()
        if s in self.regions.index:
            return s
        if s in self.anciennes.index:
            return self.anciennes.at[s, "code_region"]
        k = fr_key(re.sub(r"[\d()]+", " ", s))
        k, _ = strip_prefix(k, self.mapping.collectivite_prefixes) if k not in self.regions_by_key else (k, None)
        if self.regions_by_key.get(k):
            return self.regions_by_key[k][0]
        if self.anciennes_by_key.get(k):
            return self.anciennes.at[self.anciennes_by_key[k][0], "code_region"]
        return None

    # -- by name
    def resolve(
        self, name: str, type_: str, code=None, departement=None, region=None, columns: dict[str, str] | None = None
    ) -> Seat:
        """Find a French collectivity; raises :class:`NotFound` (naming the column to fix)."""
        cols = {"collectivite": "collectivite", "code_collectivite": "code_collectivite", **(columns or {})}
        alias = self.mapping.collectivite_alias.get(normalise(name))
        if alias is not None:
            return self.by_code(type_, alias, cols["collectivite"])
        if code is not None and str(code).strip():
            return self.by_code(type_, code, cols["code_collectivite"])
        full = fr_key(name)
        short, _ = strip_prefix(normalise(name), self.mapping.collectivite_prefixes)
        short = _saints(short)
        keys = [full] if full == short else [full, short]
        dep = self.departement_code(departement)
        reg = self.region_code(region) or (self.deps.at[dep, "code_region"] if dep else None)
        if type_ == "region":
            for k in keys:
                if self.regions_by_key.get(k):
                    return self._seat_region(self.regions_by_key[k][0])
                if self.anciennes_by_key.get(k):
                    return self._seat_region(self.anciennes_by_key[k][0])
        elif type_ == "departement":
            for k in keys:
                if self.deps_by_key.get(k):
                    return self._seat_departement(self.deps_by_key[k][0])
        elif type_ == "commune":
            for k in keys:
                hits = self.communes_by_key.get(k)
                if hits:
                    return self._pick_commune(hits, dep, reg, name)
        elif type_ == "epci":
            for k in keys:
                if self.epci_by_key.get(k):
                    return self._seat_epci(self.epci_by_key[k][0])
            k, _ = strip_prefix(normalise(name), _EPCI_PREFIXES)
            hits = self.epci_by_short.get(k, [])
            if len(hits) == 1:
                return self._seat_epci(hits[0], note=f"EPCI trouvé sous le nom {self.epci.at[hits[0], 'nom']!r}")
        elif type_ == "outre_mer":
            for k in keys:
                for ck, code in self.com_by_key.items():
                    if ck == k or f" {ck} " in f" {k} ":
                        return self._seat_com(code)
        if type_ in ("autre", "epci") and (dep or reg):
            note = "siège approximatif : " + (f"département {dep}" if dep else f"région {reg}")
            seat = self._seat_departement(dep, type_, note) if dep else self._seat_region(reg, type_, note)
            return seat
        hint = {
            "autre": "give its seat commune's INSEE code in the code column, its department, or an alias",
            "epci": "give its SIREN in the code column or add the name to collectivites.alias of the mapping",
        }.get(
            type_,
            "check the name and type, give its code in the code column, or add the name to "
            "collectivites.alias of the mapping",
        )
        raise NotFound(f"French {type_} {name!r} not found in the reference (INSEE COG): {hint}", cols["collectivite"])

    def _pick_commune(self, hits: list[str], dep: str | None, reg: str | None, name: str) -> Seat:
        chosen = hits
        if len(chosen) > 1 and dep:
            chosen = [c for c in chosen if self.communes.at[c, "code_departement"] == dep] or chosen
        if len(chosen) > 1 and reg:
            chosen = [c for c in chosen if self.communes.at[c, "code_region"] == reg] or chosen
        note = None
        if len(chosen) > 1:
            note = (
                f"homonymes : {len(chosen)} communes nommées {name!r} "
                f"({', '.join(chosen[:5])}) ; la plus peuplée retenue, précisez le département"
            )
        return self._seat_commune(chosen[0], "commune", note)


# --- Foreign places ------------------------------------------------------------------------------------------


@dataclass
class Placement:
    """Where a foreign partner was placed (EPSG:4326) and how precisely."""

    type_partenaire: str  # localite / region / etat
    precision_geo: str  # localite / admin1 / pays
    geometry: Point
    geonameid: int | None = None
    admin1_nom: str | None = None
    lieu: str | None = None  # the gazetteer entry used
    notes: list[str] = field(default_factory=list)
    admin1_code: str | None = None  # GeoNames admin-1 code, when placed on an admin-1 division


class Gazetteer:
    """Countries, GeoNames places and admin-1 divisions of the reference, looked up by name."""

    def __init__(self, reference: Reference, mapping: Mapping):
        self.mapping = mapping
        pays = reference.pays
        self.pays = pays.set_index("pays_code", drop=False)
        self.country_keys: dict[str, str] = {}
        for code, a3, fr, en in zip(pays["pays_code"], pays["iso_a3"], pays["nom_fr"], pays["nom_en"]):
            for label in (code, a3, fr, en):
                if isinstance(label, str) and label:
                    self.country_keys.setdefault(normalise(label), code)
                    self.country_keys.setdefault(normalise(label).replace(" ", ""), code)
        for label, code in mapping.pays_alias.items():
            self.country_keys[label] = code
            self.country_keys[label.replace(" ", "")] = code
        self._country_points: dict[str, Point] = {}
        lieux = reference.lieux.sort_values(["population", "geonameid"], ascending=[False, True], kind="stable")
        self.lieux = lieux.set_index("geonameid", drop=False)
        self.lieux_by_key: dict[tuple[str, str], list[int]] = {}
        for gid, cc, nom, nom_ascii in zip(lieux["geonameid"], lieux["pays_code"], lieux["nom"], lieux["nom_ascii"]):
            for k in {name_key(nom), name_key(nom_ascii)}:
                if k:
                    self.lieux_by_key.setdefault((cc, k), []).append(int(gid))
        admin1 = reference.admin1
        admin1 = admin1[admin1["nom"].notna()].sort_values("population", ascending=False, kind="stable")
        self.admin1 = admin1.reset_index(drop=True)
        self.admin1_by_key: dict[tuple[str, str], list[int]] = {}
        for i, cc, nom in zip(self.admin1.index, self.admin1["pays_code"], self.admin1["nom"]):
            for k in {name_key(nom), self._region_key(nom)}:
                if k:
                    self.admin1_by_key.setdefault((cc, k), []).append(i)

    def _region_key(self, text: str) -> str:
        k = name_key(text)
        for s in self.mapping.partenaire_suffixes:
            if k.endswith(" " + s) and len(k) > len(s) + 1:
                return k[: -len(s) - 1]
        return k

    # -- countries
    def country(self, text) -> str | None:
        """ISO 3166-1 alpha-2 code of a country name or code (French, English, alpha-2/3, aliases)."""
        if text is None:
            return None
        k = normalise(str(text))
        return self.country_keys.get(k) or self.country_keys.get(k.replace(" ", ""))

    def country_name(self, code: str) -> str:
        return self.pays.at[code, "nom_fr"]

    def country_point(self, code: str) -> Point:
        if code not in self._country_points:
            self._country_points[code] = self.pays.at[code, "geometry"].representative_point()
        return self._country_points[code]

    # -- places
    def _lieu(self, cc: str, key: str, region: str | None) -> tuple[int | None, list[str]]:
        hits = self.lieux_by_key.get((cc, key), [])
        if not hits:
            return None, []
        notes = []
        if len(hits) > 1 and region:
            rk = {name_key(region), self._region_key(region)}
            same = [
                g
                for g in hits
                if {name_key(self.lieux.at[g, "admin1_nom"]), self._region_key(self.lieux.at[g, "admin1_nom"] or "")}
                & rk
            ]
            hits = same or hits
        if len(hits) > 1:
            notes.append(
                f"homonymes : {len(hits)} lieux GeoNames ({', '.join(map(str, hits[:5]))}), le plus peuplé retenu"
            )
        return hits[0], notes

    def _admin1(self, cc: str, text: str) -> int | None:
        stripped, _ = strip_prefix(normalise(text), self.mapping.partenaire_prefixes["region"])
        for k in dict.fromkeys((name_key(text), self._region_key(text), stripped, self._region_key(stripped))):
            hits = self.admin1_by_key.get((cc, k))
            if hits:
                return hits[0]
        return None

    def _at_lieu(self, gid: int, type_: str, precision: str, notes: list[str]) -> Placement:
        r = self.lieux.loc[gid]
        a1 = r["admin1_nom"] if isinstance(r["admin1_nom"], str) else None
        return Placement(type_, precision, r.geometry, int(gid), a1, f"{r['nom']} (GeoNames {gid})", notes)

    def _at_admin1(self, i: int, type_: str, notes: list[str]) -> Placement:
        r = self.admin1.loc[i]
        return Placement(
            type_,
            "admin1",
            r.geometry,
            None,
            r["nom"],
            f"{r['nom']} (admin-1 {r['admin1_code']})",
            notes,
            admin1_code=r["admin1_code"],
        )

    def partner_kind(self, cc: str, name: str) -> tuple[str, str]:
        """``(type_partenaire, name key)`` of a partner name: its prefix says locality, region or state."""
        key = normalise(name)
        prefixes = self.mapping.partenaire_prefixes
        if (
            key in {normalise(self.country_name(cc)), normalise(self.pays.at[cc, "nom_en"] or "")}
            and (cc, strip_article(key)) not in self.lieux_by_key
        ):  # Djibouti, Luxembourg: cities
            return "etat", strip_article(key)
        for kind, type_ in (("etat", "etat"), ("region", "region"), ("localite", "localite")):
            rest, p = strip_prefix(key, prefixes[kind])
            if p is not None:
                return type_, rest
        return "localite", strip_article(key)

    def locate(self, cc: str, name: str, region: str | None = None) -> Placement:
        """Place partner ``name`` of country ``cc``: a GeoNames place, else an admin-1 division (by the
        name, then by ``region``), else the country (see the module docstring)."""
        type_, key = self.partner_kind(cc, name)
        notes: list[str] = []
        aliases = self.mapping.partenaire_alias.get(cc, {})
        alias = aliases.get(normalise(name), aliases.get(key))
        if alias is not None:
            if isinstance(alias, int) and alias in self.lieux.index:
                return self._at_lieu(alias, type_, "admin1" if type_ == "region" else "localite", ["alias"])
            akey = name_key(str(alias))
            gid, n = self._lieu(cc, akey, region)
            if type_ != "region" and gid is not None:
                return self._at_lieu(gid, type_, "localite", ["alias"] + n)
            i = self._admin1(cc, str(alias))
            if i is not None:
                return self._at_admin1(i, "region" if type_ == "region" or gid is None else type_, ["alias"])
            if gid is not None:
                return self._at_lieu(gid, type_, "localite", ["alias"] + n)
            notes.append(f"alias {alias!r} absent du gazetteer")
        if type_ == "etat":
            return Placement(
                "etat",
                "pays",
                self.country_point(cc),
                lieu=self.country_name(cc),
                notes=notes + ["autorité nationale : placée au pays"],
            )
        full = name_key(name)
        if type_ == "region":
            i = self._admin1(cc, key)
            if i is not None:
                return self._at_admin1(i, "region", notes)
            gid, n = self._lieu(cc, key, region)
            if gid is not None:
                return self._at_lieu(gid, "region", "admin1", notes + n + ["région placée sur la ville homonyme"])
        else:
            for k in dict.fromkeys((full, key)):
                gid, n = self._lieu(cc, k, region)
                if gid is not None:
                    return self._at_lieu(gid, type_, "localite", notes + n)
            i = self._admin1(cc, key)
            if i is not None:
                return self._at_admin1(i, "region", notes + ["nom de région (admin-1) : partenaire régional"])
        if region:
            i = self._admin1(cc, region)
            if i is not None:
                return self._at_admin1(
                    i, type_, notes + [f"lieu non trouvé dans GeoNames : placé sur sa région {region!r}"]
                )
            notes.append(f"région {region!r} non trouvée")
        return Placement(
            type_,
            "pays",
            self.country_point(cc),
            lieu=self.country_name(cc),
            notes=notes + ["non trouvé dans le gazetteer : placé au pays"],
        )
