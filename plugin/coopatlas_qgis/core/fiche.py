"""Sheets of one record (project, request, French authority with its contacts, partner) as HTML, from
the feature the server returns and the field labels of its ``/schema``."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from .client import AtlasClient
from .i18n import tr
from .vocabulary import Vocabulary

#: The collection holding the full record of a feature of each layer (a link is a project).
RECORD_COLLECTION = {
    "projets": "projets",
    "liens": "projets",
    "demandes": "demandes",
    "collectivites": "collectivites",
    "partenaires": "partenaires",
    "pays": "pays",
}
CONTACT_PREFIXES = ("elu_", "directeur_")
#: Fields that carry a code of a list of ``/vocabulaire`` (shown with their label).
CODED = (
    "type_action",
    "statut",
    "thematique",
    "sous_thematique",
    "sous_sous_thematique",
    "type_collectivite",
    "continent",
    "sous_continent",
    "precision_geo",
    "type_partenaire",
    "statut_validation",
    "type_action_principal",
)
TITLE_FIELDS = ("titre", "nom")


@dataclass
class Sheet:
    collection: str
    id: str
    feature: dict
    html: str

    @property
    def title(self) -> str:
        props = self.feature.get("properties") or {}
        return str(next((props[f] for f in TITLE_FIELDS if props.get(f)), self.id))

    def contacts(self) -> dict[str, str]:
        props = self.feature.get("properties") or {}
        return {k: v for k, v in props.items() if k.startswith(CONTACT_PREFIXES) and v not in (None, "")}


def fetch_sheet(
    client: AtlasClient, collection: str, fid: str, vocabulary: Vocabulary | None = None, lang: str = "fr"
) -> Sheet:
    """The sheet of record ``fid`` of ``collection`` (a link's sheet is its project's)."""
    coll = RECORD_COLLECTION.get(collection, collection)
    feature = client.item(coll, fid)
    labels = client.field_labels(coll, lang)
    return Sheet(coll, str(fid), feature, sheet_html(coll, feature, labels, vocabulary))


def _label_value(name: str, value, props: dict, vocabulary: Vocabulary | None) -> str:
    if isinstance(value, bool):
        return tr("yes") if value else tr("no")
    if name in CODED and value:
        lib = props.get(f"{name}_libelle")
        if lib:
            return str(lib)
        if vocabulary is not None:
            listname = "type_action" if name == "type_action_principal" else name
            return vocabulary.label(listname, str(value))
    if name == "cofinancement_types" and value and vocabulary is not None:
        return ", ".join(vocabulary.label("cofinancement", c.strip()) for c in str(value).split(",") if c.strip())
    if isinstance(value, float):
        return f"{value:,.0f}".replace(",", "\u202f")
    return str(value)


def _field_label(name: str, labels: dict[str, str]) -> str:
    """The label of a field; a code shown by its label gets the label of its ``*_libelle`` companion (or
    loses its "(code)" mark)."""
    if name in CODED or name == "cofinancement_types":
        companion = labels.get(f"{name}_libelle")
        if companion:
            return companion
        label = labels.get(name, name)
        return re.sub(r"\s*\((codes?)\)\s*$", "", label)
    return labels.get(name, name)


def _cell(name: str, text: str) -> str:
    esc = html.escape(text)
    if name.endswith("_email") and "@" in text:
        return f'<a href="mailto:{esc}">{esc}</a>'
    if name.endswith("_telephone"):
        return f'<a href="tel:{html.escape(text.replace(" ", ""))}">{esc}</a>'
    return esc.replace("\n", "<br/>")


def sheet_html(collection: str, feature: dict, labels: dict[str, str], vocabulary: Vocabulary | None) -> str:
    """HTML of a record: its title, then one row per filled field (codes as labels), contacts apart."""
    props = dict(feature.get("properties") or {})
    title = next((props[f] for f in TITLE_FIELDS if props.get(f)), feature.get("id"))
    rows, contacts = [], []
    for name, value in props.items():
        if value in (None, "") or name in TITLE_FIELDS or name.endswith("_libelle"):
            continue
        if name.startswith("cofinance_"):
            continue  # shown by cofinancement_types
        text = _label_value(name, value, props, vocabulary)
        row = (
            f"<tr><th align='left' valign='top'>{html.escape(_field_label(name, labels))}</th>"
            f"<td>{_cell(name, text)}</td></tr>"
        )
        (contacts if name.startswith(CONTACT_PREFIXES) else rows).append(row)
    out = [f"<h2>{html.escape(str(title))}</h2>", "<table cellspacing='4'>", *rows, "</table>"]
    if contacts:
        out += [f"<h3>{html.escape(tr('Contacts'))}</h3>", "<table cellspacing='4'>", *contacts, "</table>"]
    elif collection == "collectivites":
        out.append(f"<p><i>{html.escape(tr('No contact published.'))}</i></p>")
    return "\n".join(out)
