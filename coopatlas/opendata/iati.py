"""The projects of a search as an IATI 2.03 activity file (``iati-activities``), one ``iati-activity`` per
project.

* the French local authority is the reporting organisation and the funding participating organisation
  (type 11, Local Government), the foreign partner authority the implementing one (11, or 10 for a
  national authority), each co-financer a funding one;
* title and description in French (the atlas holds no English text of a project), the activity status
  from ``statut``, start and end dates from the years, the recipient country, the partner's location
  (point, GeoNames id, exactness, class and feature designation from ``precision_geo``), the sector as
  the OECD DAC 5-digit code of the leaf theme and the leaf theme itself (vocabulary 99);
* no invented amount: APD is declared per authority, country and year, which every activity says in a
  description of type 4 (Other); the co-financings the atlas holds are incoming commitments.

Identifiers and codes: :mod:`coopatlas.opendata.iati_codes`. The document is the same bytes for the same
atlas and search (activities in project id order, ``generated-datetime`` the date of the data).
"""

from __future__ import annotations

from lxml import etree as ET

from .. import vocabulary as voc
from ..criteria import Criteria
from ..store import Store
from . import iati_codes as codes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
COMMENT = (
    " IATI 2.03 activities of the Atlas de la coopération décentralisée (CoopAtlas). "
    "Amounts: official development aid is declared per French local authority, country and year, not per "
    "project: no per-project amount is given; transactions are the co-financings the atlas knows, dated "
    "1 January of their year. Dates: the atlas knows years only (starts 1 January, ends 31 December). "
    "{synthetic}"
)

_PROJECT_COLUMNS = (
    "p.id, p.titre, p.description, p.type_action, p.jumelage, p.statut, p.sous_sous_thematique, p.secteur_cad, "
    "p.annee_convention, p.annee_lancement, p.annee_fin, p.cofinancement_types, p.loi_oudin, p.collectivite_id, "
    "p.collectivite_nom, p.type_collectivite, p.partenaire_id, p.partenaire_nom, p.pays_code, p.pays_nom, "
    "p.precision_geo, p.date_maj, c.siren, pa.type_partenaire, pa.geonameid"
)


class NoActivity(ValueError):
    """The search has no project to export: an IATI activity file holds at least one activity (2.03 schema)."""


def _narratives(parent: ET.Element, texts: dict[str, str | None], default_lang: str = "fr") -> None:
    """``narrative`` children, one per language with a text (the default language without ``xml:lang``)."""
    for lang, text in texts.items():
        if text:
            node = ET.SubElement(parent, "narrative")
            if lang != default_lang:
                node.set(XML_LANG, lang)
            node.text = str(text)


def _child(parent: ET.Element, tag: str, **attrs) -> ET.Element:
    return ET.SubElement(parent, tag, {k.replace("_", "-"): str(v) for k, v in attrs.items()})


def _year_date(year, end: bool = False) -> str:
    return f"{int(year):04d}-{'12-31' if end else '01-01'}"


def _flag(value) -> str:
    return "true" if value else "false"


def projects(store: Store, criteria: Criteria) -> list[dict]:
    """The projects of the search, with their authority's SIREN and their partner's type and GeoNames id."""
    where, params = criteria.where("projets", store.dialect, alias="p")
    geom = store.geometry_sql("p.geom")
    rows = store.records(
        f"SELECT {_PROJECT_COLUMNS}, {geom} AS geom FROM projets p "
        "LEFT JOIN collectivites c ON c.id = p.collectivite_id LEFT JOIN partenaires pa ON pa.id = p.partenaire_id "
        f"WHERE {where} ORDER BY p.id",
        params,
    )
    for row in rows:
        row["geom"] = store.decode_geometry(row["geom"])
    return rows


def cofinancings(store: Store, criteria: Criteria) -> dict[str, list[dict]]:
    """The co-financings with an amount of the projects of the search, by project id."""
    where, params = criteria.where("projets", store.dialect, alias="p")
    rows = store.records(
        "SELECT f.id, f.projet_id, f.type_cofinancement, f.annee, f.montant FROM cofinancements f "
        f"WHERE f.projet_id IN (SELECT p.id FROM projets p WHERE {where}) AND f.montant IS NOT NULL "
        "AND f.annee IS NOT NULL ORDER BY f.projet_id, f.annee, f.id",
        params,
    )
    out: dict[str, list[dict]] = {}
    for row in rows:
        out.setdefault(row["projet_id"], []).append(row)
    return out


def _tags(activity: ET.Element, project: dict) -> None:
    for name in codes.TAG_FIELDS:
        value = project.get(name)
        if value is None:
            continue
        if name in ("jumelage", "loi_oudin"):
            value = _flag(value)
        tag = _child(activity, "tag", vocabulary=codes.TAG_OWN, code=f"{name}:{value}")
        codelist = voc.CODE_LISTS.get(name)
        if codelist is not None and value in codelist:
            _narratives(tag, {"fr": codelist[value].fr, "en": codelist[value].en})


def _location(activity: ET.Element, project: dict) -> None:
    point = project.get("geom")
    if point is None and not project.get("partenaire_id"):
        return
    location = _child(activity, "location", ref=codes.PARTNER_REF + str(project["partenaire_id"]))
    if project.get("geonameid") is not None:
        _child(location, "location-id", vocabulary=codes.GEONAMES, code=int(project["geonameid"]))
    if project.get("partenaire_nom"):
        _narratives(_child(location, "name"), {"fr": project["partenaire_nom"]})
    if point is not None and not point.is_empty:
        node = _child(location, "point", srsName=codes.SRS_NAME)
        ET.SubElement(node, "pos").text = f"{point.y!r} {point.x!r}"
    location_codes = codes.LOCATION_CODES.get(project.get("precision_geo"))
    if location_codes:
        exactness, location_class, feature = location_codes
        _child(location, "exactness", code=exactness)
        _child(location, "location-class", code=location_class)
        _child(location, "feature-designation", code=feature)


def start_year(project: dict) -> int | None:
    """The start of a project: its launch year, else the year of its agreement."""
    for name in ("annee_lancement", "annee_convention"):
        if project.get(name) is not None:
            return int(project[name])
    return None


def has_date(project: dict) -> bool:
    """True when the project has a year to date it by (an IATI activity needs at least one date)."""
    return start_year(project) is not None or project.get("annee_fin") is not None


def missing(project: dict) -> str | None:
    """Why the project cannot be an IATI activity (it needs a date and a status), ``None`` when it can."""
    if not has_date(project):
        return "without any year (an IATI activity needs a date)"
    if project.get("statut") not in codes.ACTIVITY_STATUS:
        return "without a status (an IATI activity needs one)"
    return None


def _dates(activity: ET.Element, project: dict) -> None:
    started = project.get("statut") != "en_projet"
    if start_year(project) is not None:
        _child(
            activity,
            "activity-date",
            type=codes.ACTUAL_START if started else codes.PLANNED_START,
            iso_date=_year_date(start_year(project)),
        )
    if project.get("annee_fin") is not None:
        _child(
            activity,
            "activity-date",
            type=codes.ACTUAL_END if project.get("statut") == "termine" else codes.PLANNED_END,
            iso_date=_year_date(project["annee_fin"], end=True),
        )


def _transactions(activity: ET.Element, project: dict, org_ref: str, rows: list[dict]) -> None:
    for row in rows:
        transaction = _child(activity, "transaction", ref=row["id"])
        _child(transaction, "transaction-type", code=codes.INCOMING_COMMITMENT)
        _child(transaction, "transaction-date", iso_date=_year_date(row["annee"]))
        value = _child(transaction, "value", currency=codes.CURRENCY, value_date=_year_date(row["annee"]))
        value.text = repr(float(row["montant"]))
        term = voc.COFINANCEMENTS[row["type_cofinancement"]]
        _narratives(
            _child(transaction, "description"),
            {
                "fr": f"Cofinancement ({term.fr}), année {row['annee']}",
                "en": f"Co-financing ({term.en}), year {row['annee']}",
            },
        )
        provider = _child(transaction, "provider-org", type=codes.COFINANCER_TYPE[term.code])
        _narratives(provider, {"fr": term.fr, "en": term.en})
        receiver = _child(transaction, "receiver-org", ref=org_ref, type=codes.LOCAL_GOVERNMENT)
        _narratives(receiver, {"fr": project["collectivite_nom"]})


def activity_element(project: dict, cofinanced: list[dict], last_updated: str | None = None) -> ET.Element:
    """One project as an ``iati-activity`` element (see the module documentation)."""
    org_ref = codes.organisation_ref(project.get("siren"), project["collectivite_id"])
    attrs = {XML_LANG: "fr", "hierarchy": "1"}
    date_maj = project.get("date_maj") or last_updated
    if date_maj:
        attrs["last-updated-datetime"] = f"{str(date_maj)[:10]}T00:00:00Z"
    if cofinanced:
        attrs["default-currency"] = codes.CURRENCY
    activity = ET.Element("iati-activity", attrs)
    ET.SubElement(activity, "iati-identifier").text = codes.activity_identifier(org_ref, project["id"])
    reporting = _child(activity, "reporting-org", ref=org_ref, type=codes.LOCAL_GOVERNMENT)
    _narratives(reporting, {"fr": project["collectivite_nom"]})
    _narratives(_child(activity, "title"), {"fr": project.get("titre") or project["id"]})
    if project.get("description"):
        _narratives(_child(activity, "description", type=codes.DESCRIPTION_GENERAL), {"fr": project["description"]})
    _narratives(_child(activity, "description", type=codes.DESCRIPTION_OTHER), codes.NOTE)
    funding = _child(activity, "participating-org", ref=org_ref, role=codes.ROLE_FUNDING, type=codes.LOCAL_GOVERNMENT)
    _narratives(funding, {"fr": project["collectivite_nom"]})
    for code in (project.get("cofinancement_types") or "").split(","):
        code = code.strip()
        if code in voc.COFINANCEMENTS:
            term = voc.COFINANCEMENTS[code]
            cofinancer = _child(
                activity, "participating-org", role=codes.ROLE_FUNDING, type=codes.COFINANCER_TYPE[code]
            )
            _narratives(cofinancer, {"fr": term.fr, "en": term.en})
    partner = _child(
        activity,
        "participating-org",
        role=codes.ROLE_IMPLEMENTING,
        type=codes.PARTNER_TYPE.get(project.get("type_partenaire"), codes.LOCAL_GOVERNMENT),
    )
    _narratives(partner, {"fr": project.get("partenaire_nom")})
    _child(activity, "other-identifier", ref=project["id"], type=codes.INTERNAL_ID)
    _child(activity, "activity-status", code=codes.ACTIVITY_STATUS[project["statut"]])
    _dates(activity, project)
    if project.get("pays_code"):
        country = _child(activity, "recipient-country", code=project["pays_code"], percentage=100)
        _narratives(country, {"fr": project.get("pays_nom")})
    _location(activity, project)
    leaf = project.get("sous_sous_thematique")
    if project.get("secteur_cad"):
        _child(activity, "sector", vocabulary=codes.SECTOR_DAC, code=project["secteur_cad"], percentage=100)
    if leaf in voc.SOUS_SOUS_THEMATIQUES:
        sector = _child(activity, "sector", vocabulary=codes.SECTOR_OWN, code=leaf, percentage=100)
        _narratives(sector, {"fr": voc.SOUS_SOUS_THEMATIQUES[leaf].fr, "en": voc.SOUS_SOUS_THEMATIQUES[leaf].en})
    _tags(activity, project)
    _transactions(activity, project, org_ref, cofinanced)
    return activity


def activities_document(store: Store, criteria: Criteria | None = None, metadata: dict | None = None) -> bytes:
    """The ``iati-activities`` document (UTF-8 XML bytes) of the projects of the search; :class:`NoActivity`
    when it has none (the schema requires one activity at least)."""
    criteria = criteria or Criteria()
    metadata = metadata or {}
    date = metadata.get("date_donnees")
    root = ET.Element("iati-activities", {"version": codes.IATI_VERSION})
    if date:
        root.set("generated-datetime", f"{str(date)[:10]}T00:00:00Z")
    synthetic = (
        "The demo data is SYNTHETIC (generated on real geography): not the Atlas's real records."
        if metadata.get("synthetique")
        else ""
    )
    root.append(ET.Comment(COMMENT.format(synthetic=synthetic).rstrip() + " "))
    if criteria.excludes("projets"):
        found = []
    else:
        found = projects(store, criteria)
    left_out: dict[str, list[str]] = {}
    for project in found:
        reason = missing(project)
        if reason:
            left_out.setdefault(reason, []).append(project["id"])
    for reason, ids in left_out.items():
        root.append(ET.Comment(f" {len(ids)} project(s) {reason} left out: {', '.join(ids)} "))
    if sum(len(ids) for ids in left_out.values()) == len(found):
        raise NoActivity(
            "no project matches this search"
            if not found
            else f"none of the {len(found)} project(s) of this search can be an IATI activity: "
            + "; ".join(f"{len(ids)} {reason}" for reason, ids in left_out.items())
        )
    cofinanced = cofinancings(store, criteria)
    for project in found:
        if missing(project) is None:
            root.append(activity_element(project, cofinanced.get(project["id"], []), date))
    ET.indent(root, space=" ")
    return ET.tostring(root, encoding="UTF-8", xml_declaration=True) + b"\n"
