"""IATI 2.03 activity files into the interchange format (:mod:`coopatlas.data.interchange`), so that the
activities IATI publishers report about French local authorities can enter the atlas.

Only activities whose reporting organisation is a French local authority are taken: type 11 (Local
Government) and an identifier of :mod:`coopatlas.opendata.iati_codes` (``FR-INSEE-<SIREN>`` or the atlas's
own ``XX-COOPATLAS-<id>``). The authority's seat is not in IATI: authorities are looked up in an existing
atlas (``atlas``, a built GeoPackage), by SIREN or by atlas id; an authority not found there is an error.

Nothing is silently dropped: every activity left out is reported with its identifier (or its position in
the file), the missing or bad element and why; every value guessed (a type of action inferred, a theme
taken from an ambiguous DAC code, a co-financer not in the atlas's list) is reported as a note.
:class:`ImportReport` lists them; the command writes it beside the tables (``iati-import-report.txt``).

What is carried (the export writes all of it, so export then import gives the same projects): project id
(``other-identifier`` A1, else the activity identifier), title, description (type 1), status, start and
end years, the atlas's own codes (tags of vocabulary 99: type of action, twinning, Oudin-Santini law, year
of the agreement, types of authority and partner), the leaf theme (sector vocabulary 99, else the DAC
code), the partner (implementing organisation, location: ``ref``, GeoNames id, point, precision), the
co-financers (funding organisations) and co-financings (incoming commitments or funds in euros).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from .. import vocabulary as voc
from ..data.tables import AtlasTables
from . import iati_codes as codes

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
REPORT_FILE = "iati-import-report.txt"
INCOMING = ("1", codes.INCOMING_COMMITMENT)  # Incoming Funds, Incoming Commitment
STATUS_NOTES = {"3": "en_cours", "5": None}  # Finalisation: still under way; Cancelled: no atlas status


class ActivityError(ValueError):
    """An activity that cannot enter the atlas: the message names the element and why."""


@dataclass
class ImportReport:
    """What an import took, left out and guessed."""

    imported: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "<activity>: <why>"
    notes: list[str] = field(default_factory=list)

    def text(self) -> str:
        lines = [
            f"IATI import: {len(self.imported)} activit(y/ies) imported, {len(self.skipped)} left out, "
            f"{len(self.notes)} note(s)."
        ]
        lines += ["", "Left out:"] + [f"  {s}" for s in self.skipped] if self.skipped else []
        lines += ["", "Notes:"] + [f"  {n}" for n in self.notes] if self.notes else []
        return "\n".join(lines) + "\n"


def _text(element, lang: str = "fr") -> str | None:
    """The narrative of ``element`` in ``lang`` (or without language, or the first one)."""
    if element is None:
        return None
    narratives = [n for n in element.iterfind("narrative") if (n.text or "").strip()]
    for wanted in (lang, None):
        for n in narratives:
            if n.get(XML_LANG) == wanted:
                return n.text.strip()
    return narratives[0].text.strip() if narratives else None


def _year(iso_date: str | None) -> int | None:
    return int(iso_date[:4]) if iso_date and iso_date[:4].isdigit() else None


def _tags(activity) -> dict[str, str]:
    out = {}
    for tag in activity.iterfind(f"tag[@vocabulary='{codes.TAG_OWN}']"):
        name, _, value = (tag.get("code") or "").partition(":")
        if name in codes.TAG_FIELDS and value:
            out[name] = value
    return out


def _bool(value: str | None) -> bool | None:
    return None if value is None else value == "true"


def _theme(activity, label: str, notes: list[str]) -> dict:
    leaf = None
    own = activity.find(f"sector[@vocabulary='{codes.SECTOR_OWN}']")
    if own is not None and own.get("code") in voc.SOUS_SOUS_THEMATIQUES:
        leaf = own.get("code")
    else:
        dac = [s.get("code") for s in activity.iterfind("sector") if s.get("vocabulary") in (None, codes.SECTOR_DAC)]
        for code in dac:
            leaves = [t.code for t in voc.SOUS_SOUS_THEMATIQUES if t.extra["secteur_cad"] == code]
            if leaves:
                leaf = leaves[0]
                if len(leaves) > 1:
                    notes.append(f"{label}: DAC sector {code} is the theme of {', '.join(leaves)}; took {leaf}")
                break
        else:
            notes.append(
                f"{label}: no sector of the atlas's themes (DAC codes {', '.join(dac) or 'none'}): theme left empty"
            )
    if leaf is None:
        return {}
    term = voc.SOUS_SOUS_THEMATIQUES[leaf]
    return {
        "thematique": term.extra["thematique"],
        "sous_thematique": term.extra["sous_thematique"],
        "sous_sous_thematique": leaf,
    }


def _required(activity, path: str, label: str):
    element = activity.find(path)
    if element is None:
        raise ActivityError(f"{label}: missing element {path}")
    return element


def _cofinancer_code(org, label: str, notes: list[str]) -> str:
    names = {_text(org, "fr"), _text(org, "en")}
    for term in voc.COFINANCEMENTS:
        if term.fr in names or term.en in names:
            return term.code
    notes.append(f"{label}: co-financer {_text(org) or '(no name)'!r} is not one of the atlas's types: 'autre'")
    return "autre"


class ActivityReader:
    """Reads activities into base-table records, looking French authorities up in ``collectivites``
    (records of an atlas: by ``id`` and by ``siren``)."""

    def __init__(self, collectivites: list[dict]):
        self.by_id = {codes.safe(c["id"]): c for c in collectivites}
        self.by_siren = {str(c["siren"]): c for c in collectivites if c.get("siren")}

    def collectivite(self, org_ref: str) -> dict | None:
        if org_ref.startswith(codes.SIREN_PREFIX):
            return self.by_siren.get(org_ref[len(codes.SIREN_PREFIX) :])
        return self.by_id.get(org_ref[len(codes.OWN_PREFIX) :])

    def read(self, activity, label: str, notes: list[str]) -> dict:
        """``{"collectivite", "partenaire", "projet", "cofinancements"}`` of one activity, or
        :class:`ActivityError` naming the missing or bad element."""
        reporting = _required(activity, "reporting-org", label)
        org_ref, org_type = reporting.get("ref") or "", reporting.get("type")
        if org_type != codes.LOCAL_GOVERNMENT or not codes.is_french_local_authority(org_ref):
            raise ActivityError(
                f"{label}: reporting-org {org_ref or '(no ref)'} of type {org_type or '(none)'} is "
                "not a French local authority (type 11 and FR-INSEE-<SIREN> or XX-COOPATLAS-<id>)"
            )
        collectivite = self.collectivite(org_ref)
        if collectivite is None:
            raise ActivityError(
                f"{label}: reporting-org {org_ref} is not an authority of the atlas (its seat is "
                "needed and IATI does not give it)"
            )
        title = _text(_required(activity, "title", label))
        if not title:
            raise ActivityError(f"{label}: title has no narrative")
        partner_org = _required(activity, f"participating-org[@role='{codes.ROLE_IMPLEMENTING}']", label)
        partner_name = _text(partner_org)
        if not partner_name:
            raise ActivityError(f"{label}: participating-org[@role='4'] (the partner) has no narrative")
        country = _required(activity, "recipient-country", label).get("code")
        location = _required(activity, "location", label)
        pos = (location.findtext("point/pos") or "").split()
        if len(pos) != 2:
            raise ActivityError(f"{label}: missing element location/point/pos (the partner's place, 'lat lon')")
        try:
            lat, lon = float(pos[0]), float(pos[1])
        except ValueError:
            raise ActivityError(f"{label}: location/point/pos {' '.join(pos)!r} is not 'latitude longitude'") from None
        identifier = activity.findtext("iati-identifier").strip()
        internal = activity.find(f"other-identifier[@type='{codes.INTERNAL_ID}']")
        projet_id = internal.get("ref") if internal is not None and internal.get("ref") else identifier
        tags = _tags(activity)
        location_ref = location.get("ref") or ""
        partner_id = (
            location_ref[len(codes.PARTNER_REF) :]
            if location_ref.startswith(codes.PARTNER_REF)
            else f"{projet_id}-partenaire"
        )
        geonames = location.find(f"location-id[@vocabulary='{codes.GEONAMES}']")
        feature = location.find("feature-designation")
        partner_type = tags.get("type_partenaire") or (
            "etat" if partner_org.get("type") == codes.GOVERNMENT else "localite"
        )
        partenaire = {
            "id": partner_id,
            "nom": partner_name,
            "type_partenaire": partner_type,
            "pays_code": country,
            "geonameid": int(geonames.get("code")) if geonames is not None else None,
            "precision_geo": codes.PRECISION_OF_FEATURE.get(feature.get("code") if feature is not None else None),
            "lon": lon,
            "lat": lat,
        }
        status = _required(activity, "activity-status", label).get("code")
        statut = codes.STATUT_OF_STATUS.get(status, STATUS_NOTES.get(status))
        if status not in codes.STATUT_OF_STATUS:
            notes.append(f"{label}: activity-status {status} has no atlas status: statut {statut}")
        years = {"start": None, "end": None}
        for date in activity.iterfind("activity-date"):
            kind = "start" if date.get("type") in (codes.PLANNED_START, codes.ACTUAL_START) else "end"
            years[kind] = years[kind] or _year(date.get("iso-date"))
        type_action = tags.get("type_action")
        if type_action not in voc.TYPES_ACTION_PROJET:
            type_action = (
                "cooperation_decentralisee"
                if partner_org.get("type") == codes.LOCAL_GOVERNMENT
                else "action_exterieure"
            )
            notes.append(f"{label}: no type of action of the atlas: {type_action} (from the partner's type)")
        cofinancers = [
            o for o in activity.iterfind(f"participating-org[@role='{codes.ROLE_FUNDING}']") if o.get("ref") != org_ref
        ]
        types = sorted(
            {_cofinancer_code(o, label, notes) for o in cofinancers}, key=[t.code for t in voc.COFINANCEMENTS].index
        )
        updated = activity.get("last-updated-datetime")
        projet = {
            "id": projet_id,
            "collectivite_id": collectivite["id"],
            "partenaire_id": partner_id,
            "titre": title,
            "description": _text(activity.find(f"description[@type='{codes.DESCRIPTION_GENERAL}']")),
            "type_action": type_action,
            "jumelage": _bool(tags.get("jumelage")),
            "statut": statut,
            **_theme(activity, label, notes),
            "annee_convention": int(tags["annee_convention"]) if tags.get("annee_convention", "").isdigit() else None,
            "annee_lancement": years["start"],
            "annee_fin": years["end"],
            "cofinancement_types": ",".join(types) or None,
            "loi_oudin": _bool(tags.get("loi_oudin")),
            "date_maj": updated[:10] if updated else None,
        }
        return {
            "collectivite": collectivite,
            "partenaire": partenaire,
            "projet": projet,
            "cofinancements": self.cofinancings(activity, projet_id, label, notes),
        }

    @staticmethod
    def cofinancings(activity, projet_id: str, label: str, notes: list[str]) -> list[dict]:
        out = []
        for n, transaction in enumerate(activity.iterfind("transaction"), 1):
            kind = transaction.find("transaction-type")
            if kind is None or kind.get("code") not in INCOMING:
                notes.append(
                    f"{label}: transaction {n} is not incoming funds or commitment: left out (the atlas "
                    "holds co-financings only)"
                )
                continue
            value = transaction.find("value")
            currency = (value.get("currency") if value is not None else None) or activity.get("default-currency")
            year = _year(
                transaction.find("transaction-date").get("iso-date")
                if transaction.find("transaction-date") is not None
                else None
            )
            if value is None or currency != codes.CURRENCY or year is None:
                notes.append(f"{label}: transaction {n} left out: needs a value in EUR and a transaction-date")
                continue
            provider = transaction.find("provider-org")
            out.append(
                {
                    "id": transaction.get("ref") or f"{projet_id}-cofinancement-{n}",
                    "projet_id": projet_id,
                    "type_cofinancement": _cofinancer_code(provider, label, notes) if provider is not None else "autre",
                    "annee": year,
                    "montant": float(value.text),
                }
            )
        return out


def read_activities(sources: list[str | Path | bytes], collectivites: list[dict]) -> tuple[dict, ImportReport]:
    """Base-table records (``{table: [records]}``) of the activities of ``sources`` (files or XML bytes) and
    the report of what was imported, left out and guessed."""
    reader, report = ActivityReader(collectivites), ImportReport()
    tables: dict[str, dict[str, dict]] = {t: {} for t in ("collectivites", "partenaires", "projets", "cofinancements")}
    for source in sources:
        name = "<bytes>" if isinstance(source, bytes) else str(source)
        try:
            root = (
                etree.fromstring(source, etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True))
                if isinstance(source, bytes)
                else etree.parse(
                    str(source), etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
                ).getroot()
            )
        except (OSError, etree.XMLSyntaxError) as exc:
            report.skipped.append(f"{name}: not a readable XML file ({exc})")
            continue
        if root.tag != "iati-activities":
            report.skipped.append(f"{name}: the root element is {root.tag}, not iati-activities")
            continue
        for position, activity in enumerate(root.iterfind("iati-activity"), 1):
            identifier = (activity.findtext("iati-identifier") or "").strip()
            label = f"{name}: activity {identifier}" if identifier else f"{name}: activity #{position}"
            try:
                if not identifier:
                    raise ActivityError(f"{label}: missing element iati-identifier")
                record = reader.read(activity, label, report.notes)
            except ActivityError as exc:
                report.skipped.append(str(exc))
                continue
            if record["projet"]["id"] in tables["projets"]:
                report.skipped.append(f"{label}: project {record['projet']['id']} already read (duplicate)")
                continue
            tables["collectivites"].setdefault(record["collectivite"]["id"], record["collectivite"])
            tables["partenaires"].setdefault(record["partenaire"]["id"], record["partenaire"])
            tables["projets"][record["projet"]["id"]] = record["projet"]
            for row in record["cofinancements"]:
                tables["cofinancements"][row["id"]] = row
            report.imported.append(identifier)
    return {t: list(rows.values()) for t, rows in tables.items()}, report


def atlas_collectivites(gpkg: str | Path) -> list[dict]:
    """The French authorities of a built atlas (base fields, ``lon``/``lat``), to locate the reporters."""
    from ..data.export import read_geopackage

    frame = read_geopackage(gpkg).collectivites
    records = []
    for row in frame.to_dict("records"):
        geometry = row.pop("geometry", None)
        row = {k: (None if v is None or v != v else v) for k, v in row.items()}  # NaN, NA -> None
        row["lon"], row["lat"] = (geometry.x, geometry.y) if geometry is not None else (None, None)
        records.append(row)
    return records


def import_iati(sources: list[str | Path], atlas: str | Path, out_dir: str | Path, force: bool = False) -> ImportReport:
    """Write the activities of ``sources`` as an interchange folder ``out_dir`` with the report beside."""
    from ..data.interchange import make_frame, write_interchange

    records, report = read_activities(list(sources), atlas_collectivites(atlas))
    frames = {
        t: make_frame(t, records.get(t, []))
        for t in ("collectivites", "partenaires", "projets", "demandes", "apd", "cofinancements")
    }
    metadata = {"source": "IATI", "fichiers_iati": [Path(s).name for s in sources]}
    write_interchange(
        AtlasTables(**frames, metadata=metadata), out_dir, force=force, extra_files={REPORT_FILE: report.text()}
    )
    return report


# --- Command line ----------------------------------------------------------------------------------------


def add_arguments(parser) -> None:
    import os

    parser.add_argument("files", nargs="+", metavar="FILE.xml", help="IATI 2.03 activity files")
    parser.add_argument(
        "--atlas",
        default=os.environ.get("COOPATLAS_GPKG") or "build/atlas.gpkg",
        help="built atlas whose French authorities locate the reporting organisations "
        "(default: $COOPATLAS_GPKG or build/atlas.gpkg)",
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="interchange folder to write")
    parser.add_argument("--force", action="store_true", help="replace DIR if it exists and is not empty")


def run(args) -> int:
    import sys

    try:
        report = import_iati(args.files, args.atlas, args.out, force=args.force)
    except (FileNotFoundError, FileExistsError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.text(), end="", file=sys.stderr if report.skipped else sys.stdout)
    print(f"wrote {args.out} (report: {Path(args.out) / REPORT_FILE})")
    return 0 if report.imported else 1
