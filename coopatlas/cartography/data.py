"""What a country map shows, read from the store: the partner authorities of the matching projects and
the matching public cooperation requests of one country, grouped by place, with their counts by type.

A *place* is one symbol on the map: one partner authority, or several that share the same coordinates.
A *row* is one line of the partnerships table: one partner authority, its French collectivities, its
number of projects (by type), its requests, its themes. Coordinates are EPSG:4326 degrees.

Requests (``demandes``, red) are shown only when the criteria allow them: not when the types asked for
exclude them, nor when an active criterion cannot apply to them (a French region, a status...: then
:attr:`CountryData.requests_not_applied` names those criteria, as :func:`coopatlas.stats.statistics`
does).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from .. import vocabulary as voc
from ..criteria import Criteria
from ..store import Store
from .geography import display_text
from .period import MapPeriod, period_where

#: The three families, in the order they are drawn in a split symbol (clockwise from the top).
TYPES = ("cooperation_decentralisee", "action_exterieure", "demande_cooperation")


@dataclass
class Place:
    """One symbol: a place (lon, lat degrees) with the partner authorities there and their counts."""

    lon: float
    lat: float
    partners: list[str]  # display names, most projects first
    counts: dict[str, int]  # type -> number of projects (requests for demande_cooperation)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def types(self) -> list[str]:
        return [t for t in TYPES if self.counts.get(t)]

    @property
    def label(self) -> str:
        if len(self.partners) == 1:
            return self.partners[0]
        return f"{self.partners[0]} (+{len(self.partners) - 1})"


@dataclass
class PartnerRow:
    """One line of the partnerships table."""

    partner: str
    collectivites: list[tuple[str, int]]  # (French collectivity, number of projects), most first
    counts: dict[str, int]
    themes: list[str]  # labels, most frequent first

    @property
    def projects(self) -> int:
        return self.counts.get("cooperation_decentralisee", 0) + self.counts.get("action_exterieure", 0)

    @property
    def requests(self) -> int:
        return self.counts.get("demande_cooperation", 0)


@dataclass
class CountryData:
    """The partners, places and totals of one country for one search."""

    places: list[Place]
    rows: list[PartnerRow]
    totals: dict[str, int]
    n_partners: int
    n_collectivites: int
    requests_shown: bool
    requests_not_applied: list[str] = field(default_factory=list)

    @property
    def n_projects(self) -> int:
        return self.totals.get("cooperation_decentralisee", 0) + self.totals.get("action_exterieure", 0)

    @property
    def empty(self) -> bool:
        return not self.places and not self.rows


def requests_applicable(criteria: Criteria) -> tuple[bool, list[str]]:
    """``(shown, not_applied)``: whether requests are shown under ``criteria``, and the active criteria
    that cannot apply to them (which leave them out)."""
    if criteria.excludes("demandes"):
        return False, []
    skipped = criteria.not_applicable("demandes")
    return (not skipped), skipped


def _where(store: Store, crit: Criteria, collection: str, period: MapPeriod | None) -> tuple[str, list]:
    """The SQL condition of the criteria on ``collection``, and of the period when there is one."""
    where, params = crit.where_in(store, collection)
    if period is None:
        return where, list(params)
    active, more = period_where(collection, period, store.dialect)
    return f"({where}) AND {active}", [*params, *more]


def country_data(
    store: Store, criteria: Criteria, pays_code: str, lang: str = "fr", period: MapPeriod | None = None
) -> CountryData:
    """The projects and public requests of country ``pays_code`` (ISO alpha-2) matching ``criteria``
    (whose own ``pays`` criterion, if any, is ignored: the country is ``pays_code``), active in ``period``
    when one is given (:mod:`.period`)."""
    crit = criteria.merge(pays=())
    ph = store.placeholder()
    geom = store.geometry_sql("geom")
    where, params = _where(store, crit, "projets", period)
    # counted in SQL: one row per partner, type, French collectivity and theme, not one per project,
    # from the covering index alone when the criteria read no other column (schema: projets.covering);
    # the names and the place are those of the partner's and the collectivity's own records
    rows = store.rows(
        "SELECT g.partenaire_id, p.nom, g.type_action, g.collectivite_id, c.nom, g.thematique, "
        f"{store.geometry_sql('p.geom')}, g.n FROM ("
        "SELECT partenaire_id, type_action, collectivite_id, thematique, COUNT(*) AS n FROM projets "
        f"WHERE pays_code = {ph} AND ({where}) GROUP BY 1, 2, 3, 4) AS g "
        "LEFT JOIN partenaires AS p ON p.id = g.partenaire_id "
        "LEFT JOIN collectivites AS c ON c.id = g.collectivite_id",
        [pays_code, *params],
    )
    shown, not_applied = requests_applicable(crit)
    req_rows = []
    if shown:
        where, params = _where(store, crit, "demandes", period)
        req_rows = store.rows(
            f"SELECT demandeur_id, demandeur_nom, thematique, {geom}, COUNT(*) FROM demandes "
            f"WHERE pays_code = {ph} AND ({where}) GROUP BY 1, 2, 3, 4",
            [pays_code, *params],
        )

    by_partner: dict[tuple, dict] = {}

    keys: dict[str, tuple] = {}

    def partner(pid, name, g):
        # one authority: the same name at the same place (a partner and its request may have two ids)
        key = keys.get(pid)
        if key is None:
            pt = store.decode_geometry(g)
            xy = (pt.x, pt.y) if pt is not None and not pt.is_empty else None
            key = keys[pid] = ((name or pid).strip().lower(), round(xy[0], 6), round(xy[1], 6)) if xy else (pid,)
            if key not in by_partner:
                by_partner[key] = {
                    "name": display_text(name or pid),
                    "xy": xy,
                    "counts": Counter(),
                    "coll": Counter(),
                    "themes": Counter(),
                }
        return by_partner[key]

    collectivites = set()
    totals = Counter()
    for pid, pname, type_action, cid, cname, theme, g, n in rows:
        p = partner(pid, pname, g)
        p["counts"][type_action] += n
        p["coll"][display_text(cname or cid)] += n
        p["themes"][theme] += n
        collectivites.add(cid)
        totals[type_action] += n
    for did, dname, theme, g, n in req_rows:
        p = partner(did, dname, g)
        p["counts"]["demande_cooperation"] += n
        p["themes"][theme] += n
        totals["demande_cooperation"] += n

    ordered = []
    for key, p in by_partner.items():
        themes = [
            voc.THEMATIQUES.label(t, lang)
            for t, _ in sorted(p["themes"].items(), key=lambda kv: (-kv[1], str(kv[0])))
            if t
        ]
        coll = sorted(p["coll"].items(), key=lambda kv: (-kv[1], kv[0]))
        row = PartnerRow(p["name"], coll, dict(p["counts"]), themes)
        # ties (two authorities of the same name): by place, then key, not by the order rows were read
        ordered.append(((-row.projects, -row.requests, row.partner, p["xy"] or (), tuple(map(str, key))), row))
    ordered.sort(key=lambda kr: kr[0])
    table = [row for _, row in ordered]

    grouped: dict[tuple, list[dict]] = defaultdict(list)
    for p in by_partner.values():
        if p["xy"] is not None:
            grouped[(round(p["xy"][0], 6), round(p["xy"][1], 6))].append(p)
    places = []
    for (lon, lat), ps in grouped.items():
        ps.sort(key=lambda p: (-sum(p["counts"].values()), p["name"]))
        counts = Counter()
        for p in ps:
            counts.update(p["counts"])
        places.append(Place(lon, lat, [p["name"] for p in ps], {t: counts[t] for t in TYPES if counts[t]}))
    places.sort(key=lambda pl: (-pl.total, pl.label, pl.lon, pl.lat))
    return CountryData(
        places, table, {t: totals[t] for t in TYPES}, len(by_partner), len(collectivites), shown, not_applied
    )


def countries_with_data(store: Store, criteria: Criteria, period: MapPeriod | None = None) -> dict[str, int]:
    """``{pays_code: number of matching projects and requests}`` for every country with at least one
    (active in ``period`` when one is given)."""
    crit = criteria.merge(pays=())
    where, params = _where(store, crit, "projets", period)
    out = Counter(
        {
            code: int(n)
            for code, n in store.rows(
                f"SELECT pays_code, COUNT(*) FROM projets WHERE {where} GROUP BY pays_code", params
            )
        }
    )
    shown, _ = requests_applicable(crit)
    if shown:
        where, params = _where(store, crit, "demandes", period)
        out.update(
            {
                code: int(n)
                for code, n in store.rows(
                    f"SELECT pays_code, COUNT(*) FROM demandes WHERE {where} GROUP BY pays_code", params
                )
            }
        )
    return dict(out)
