""":class:`FrenchAuthorities`: a French collectivity given by name and type (and optionally a code, its
department or region) -> its territory in the INSEE COG (commune, department, region or former region, EPCI,
overseas collectivity) and its seat point (EPSG:4326).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from shapely.geometry import Point

from ..reference import Reference
from .mapping import Mapping, normalise, strip_prefix
from .place_names import NotFound, _saints, fr_key


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
