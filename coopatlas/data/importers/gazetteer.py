""":class:`Gazetteer`: a country name -> ISO 3166-1 alpha-2 code; a foreign partner (country + name,
optionally its region) -> a point (EPSG:4326): a GeoNames place (``lieux``), else a GeoNames admin-1 division,
else the country itself, with the IATI-style precision ``localite`` / ``admin1`` / ``pays``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from shapely.geometry import Point

from ..reference import Reference
from .mapping import Mapping, normalise, strip_article, strip_prefix
from .place_names import name_key


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
