"""The "fiche projet": one project's sheet, as JSON (:func:`project_sheet`) and as PDF
(:func:`project_sheet_pdf`, laid out from the same JSON).

Every field of the project is given with its label (from :mod:`coopatlas.schema`) and its value in words
(code-list values as labels, booleans as yes/no), the French collectivity with the contacts of its elected
official and of its director of international affairs, the partner authority, the co-financings (type,
year, amount in euros) and the location (longitude, latitude in degrees, EPSG:4326, with its precision).
The PDF adds a small locator map, drawn by the function it is given
(:func:`coopatlas.cartography.overview.locator_map`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from .. import schema as sch
from .. import vocabulary as voc
from ..documents.formats import euros, number
from ..documents.notices import atlas_metadata, attributions, data_notice
from ..documents.texts import TEXTS as SHARED
from ..documents.texts import Texts
from ..store import Store

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TEXTS = Texts(
    {
        "projet": ("Projet", "Project"),
        "collectivite": ("Collectivité territoriale française", "French local authority"),
        "contacts": ("Contacts", "Contacts"),
        "partenaire": ("Collectivité locale partenaire", "Partner local authority"),
        "cofinancements": ("Cofinancements", "Co-financing"),
        "localisation": ("Localisation", "Location"),
        "none_cof": ("Aucun cofinancement déclaré.", "No co-financing declared."),
        "yes": ("oui", "yes"),
        "no": ("non", "no"),
        "type": ("Type de cofinancement", "Co-financing type"),
        "lonlat": ("Longitude, latitude (degrés, WGS 84)", "Longitude, latitude (degrees, WGS 84)"),
        "precision": ("Précision de la localisation", "Location precision"),
        "sheet": ("Fiche projet", "Project sheet"),
        "map": ("Situation du partenaire", "Location of the partner"),
        "region": ("Région", "Region"),
        "departement": ("Département", "Department"),
        "nb": ("Nombre de projets de la collectivité", "Projects of the authority"),
    },
    "fiche",
    fallback=SHARED,
)

#: ``locator_map(store, lon, lat, pays_code, type_action, lang, size=(width, height) inches)``: the figure
#: of the locator map (:func:`coopatlas.cartography.overview.locator_map`, given by the caller: the reports
#: do not draw maps).
LocatorMap = Callable[..., "Figure"]

PROJECT_FIELDS = (
    "id",
    "titre",
    "description",
    "type_action",
    "jumelage",
    "statut",
    "thematique",
    "sous_thematique",
    "sous_sous_thematique",
    "secteur_cad",
    "annee_convention",
    "annee_lancement",
    "annee_fin",
    "cofinancement_types",
    "loi_oudin",
    "pays_nom",
    "continent",
    "sous_continent",
    "date_maj",
)
COLLECTIVITE_FIELDS = ("nom", "type_collectivite", "code_insee", "siren", "nom_region", "nom_departement", "nb_projets")
CONTACT_FIELDS = (
    "elu_nom",
    "elu_fonction",
    "elu_email",
    "elu_telephone",
    "directeur_nom",
    "directeur_fonction",
    "directeur_email",
    "directeur_telephone",
)
PARTENAIRE_FIELDS = (
    "nom",
    "type_partenaire",
    "admin1_nom",
    "pays_nom",
    "continent",
    "sous_continent",
    "geonameid",
    "nb_projets",
)


class ProjectNotFound(LookupError):
    """No public project has this identifier."""


def _label(coll: sch.Collection, name: str, lang: str) -> str:
    f = coll.field(name)
    label = f.en if lang == "en" else f.fr
    return label.replace(" (codes)", "").replace(" (code)", "")


def _value(coll: sch.Collection, name: str, value, lang: str):
    """The value in words: labels for codes, yes/no for booleans, co-financing types as labels."""
    if value is None or value == "":
        return None
    if hasattr(value, "isoformat"):  # a DATE column read from PostGIS
        return value.isoformat()
    f = coll.field(name)
    if name == "cofinancement_types":
        return ", ".join(voc.COFINANCEMENTS.label(c.strip(), lang) for c in str(value).split(",") if c.strip())
    if f.type == sch.BOOLEAN:
        return TEXTS("yes", lang) if bool(value) else TEXTS("no", lang)
    if f.codelist:
        return f.vocabulary.label(value, lang)
    if f.type == sch.INTEGER and name not in ("geonameid",) and not name.startswith("annee"):
        return number(value, lang)
    return value


def _field(coll: sch.Collection, row: dict, name: str, lang: str, label: str | None = None) -> dict:
    f = coll.field(name)
    out = {
        "champ": name,
        "libelle": label or _label(coll, name, lang),
        "valeur": _value(coll, name, row.get(name), lang),
    }
    if f.codelist and row.get(name) is not None:
        out["code"] = row.get(name)
    return out


def project_sheet(store: Store, project_id: str, lang: str = "fr") -> dict:
    """The sheet of the project ``project_id`` as JSON-ready data; :class:`ProjectNotFound` if none.

    ``{"id", "titre", "type_action", "couleur", "langue", "sections": [{"id", "titre", "champs":
    [{"champ", "libelle", "valeur", "code"?}]}, ...], "cofinancements": [{"type", "type_libelle", "annee",
    "montant"}], "cofinancements_total", "localisation": {"lon", "lat", "precision", "crs"}, "donnees":
    {"date", "synthetique", "avertissement"}, "attributions"}``.
    """
    ph = store.placeholder()
    geom = store.geometry_sql("geom")
    cols = ", ".join(f for f in sch.PROJETS.field_names)
    rows = store.records(f"SELECT {cols}, {geom} AS geom_ FROM projets WHERE id = {ph}", [project_id])
    if not rows:
        raise ProjectNotFound(project_id)
    p = rows[0]
    point = store.decode_geometry(p.pop("geom_"))
    coll = (store.records(f"SELECT * FROM collectivites WHERE id = {ph}", [p["collectivite_id"]]) or [{}])[0]
    part = (store.records(f"SELECT * FROM partenaires WHERE id = {ph}", [p["partenaire_id"]]) or [{}])[0]
    cofs = store.records(
        f"SELECT type_cofinancement, annee, montant FROM cofinancements WHERE projet_id = {ph} "
        "ORDER BY annee, type_cofinancement, id",
        [project_id],
    )

    projet = [_field(sch.PROJETS, p, n, lang) for n in PROJECT_FIELDS]
    collectivite = (
        [_field(sch.COLLECTIVITES, coll, n, lang) for n in COLLECTIVITE_FIELDS]
        if coll
        else [{"champ": "nom", "libelle": _label(sch.COLLECTIVITES, "nom", lang), "valeur": p.get("collectivite_nom")}]
    )
    contacts = [_field(sch.COLLECTIVITES, coll, n, lang) for n in CONTACT_FIELDS] if coll else []
    partenaire = (
        [_field(sch.PARTENAIRES, part, n, lang) for n in PARTENAIRE_FIELDS]
        if part
        else [{"champ": "nom", "libelle": _label(sch.PARTENAIRES, "nom", lang), "valeur": p.get("partenaire_nom")}]
    )
    for row in collectivite:
        if row["champ"] == "nom_region":
            row["libelle"] = TEXTS("region", lang)
        elif row["champ"] == "nom_departement":
            row["libelle"] = TEXTS("departement", lang)
        elif row["champ"] == "nb_projets":
            row["libelle"] = TEXTS("nb", lang)
    meta = atlas_metadata(store)
    return {
        "id": p["id"],
        "titre": p["titre"],
        "type_action": p["type_action"],
        "couleur": voc.COULEURS_TYPE_ACTION.get(p["type_action"]),
        "langue": lang,
        "sections": [
            {"id": "projet", "titre": TEXTS("projet", lang), "champs": projet},
            {"id": "collectivite", "titre": TEXTS("collectivite", lang), "champs": collectivite},
            {"id": "contacts", "titre": TEXTS("contacts", lang), "champs": contacts},
            {"id": "partenaire", "titre": TEXTS("partenaire", lang), "champs": partenaire},
        ],
        "cofinancements": [
            {
                "type": c["type_cofinancement"],
                "type_libelle": voc.COFINANCEMENTS.label(c["type_cofinancement"], lang),
                "annee": c["annee"],
                "montant": c["montant"],
            }
            for c in cofs
        ],
        "cofinancements_total": float(sum(c["montant"] or 0 for c in cofs)),
        "localisation": {
            "lon": round(point.x, 6) if point is not None else None,
            "lat": round(point.y, 6) if point is not None else None,
            "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
            "precision": voc.PRECISIONS_GEO.label(p.get("precision_geo"), lang),
            "pays_code": p.get("pays_code"),
        },
        "donnees": data_notice(meta, lang),
        "attributions": attributions(lang),
    }


def project_sheet_pdf(
    store: Store, project_id: str, lang: str = "fr", sheet: dict | None = None, locator_map: LocatorMap | None = None
) -> bytes:
    """The sheet of ``project_id`` as a PDF (one or two A4 pages); :class:`ProjectNotFound` if none. The
    locator map is drawn by ``locator_map`` (none without it)."""
    from reportlab.lib import colors
    from reportlab.platypus import Paragraph, Spacer, Table, TableStyle

    from ..documents import pdf

    sheet = sheet or project_sheet(store, project_id, lang)
    st = pdf.styles()
    width = pdf.frame_width("portrait")
    notice = sheet["donnees"]
    color = colors.HexColor(sheet.get("couleur") or "#1f5fbf")
    story = [
        Paragraph(pdf.esc(f"{TEXTS('sheet', lang)} · {sheet['id']}"), st["meta"]),
        Paragraph(pdf.esc(sheet["titre"]), st["title"]),
    ]
    type_label = voc.TYPES_ACTION.label(sheet["type_action"], lang)
    badge = Table(
        [[type_label]],
        style=TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, -1), color),
                (
                    "TEXTCOLOR",
                    (0, 0),
                    (-1, -1),
                    colors.white if sheet["type_action"] != "action_exterieure" else pdf.INK,
                ),
                ("FONT", (0, 0), (-1, -1), pdf.FONT_BOLD, 8.5),
                ("LEFTPADDING", (0, 0), (-1, -1), 6),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ]
        ),
        hAlign="LEFT",
    )
    story += [badge]
    if notice["date"]:
        story.append(Paragraph(pdf.esc(TEXTS("data_date", lang).format(date=notice["date"])), st["meta"]))
    story += pdf.notice(notice["avertissement"], st)

    def fields_table(champs, label_w=0.34):
        rows = [
            [
                Paragraph(pdf.esc(c["libelle"]), st["small"]),
                Paragraph(pdf.esc(c["valeur"] if c["valeur"] is not None else "–"), st["body"]),
            ]
            for c in champs
        ]
        return Table(
            rows,
            colWidths=[width * label_w, width * (1 - label_w)],
            hAlign="LEFT",
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            ),
        )

    sections = {s["id"]: s for s in sheet["sections"]}
    # project fields, with the locator map on the right of the first ones
    story.append(Paragraph(pdf.esc(sections["projet"]["titre"]), st["h1"]))
    loc = sheet["localisation"]
    if loc["lon"] is not None and locator_map is not None:
        fig = locator_map(
            store, loc["lon"], loc["lat"], loc.get("pays_code"), sheet["type_action"], lang, size=(2.9, 2.2)
        )
        img = pdf.figure_image(fig, width * 0.38, dpi=220)
        where = [
            Paragraph(pdf.esc(TEXTS("map", lang)), st["h2"]),
            img,
            Paragraph(
                pdf.esc(
                    f"{TEXTS('lonlat', lang)} : {loc['lon']:.4f}, {loc['lat']:.4f}"
                    if lang != "en"
                    else f"{TEXTS('lonlat', lang)}: {loc['lon']:.4f}, {loc['lat']:.4f}"
                ),
                st["small"],
            ),
            Paragraph(
                pdf.esc(
                    f"{TEXTS('precision', lang)} : {loc['precision'] or '–'}"
                    if lang != "en"
                    else f"{TEXTS('precision', lang)}: {loc['precision'] or '–'}"
                ),
                st["small"],
            ),
        ]
        head = [
            c
            for c in sections["projet"]["champs"]
            if c["champ"]
            in (
                "id",
                "type_action",
                "jumelage",
                "statut",
                "pays_nom",
                "annee_convention",
                "annee_lancement",
                "annee_fin",
            )
        ]
        rest = [c for c in sections["projet"]["champs"] if c not in head and c["champ"] != "titre"]
        left = Table(
            [
                [
                    Paragraph(pdf.esc(c["libelle"]), st["small"]),
                    Paragraph(pdf.esc(c["valeur"] if c["valeur"] is not None else "–"), st["body"]),
                ]
                for c in head
            ],
            colWidths=[width * 0.22, width * 0.38],
            hAlign="LEFT",
            style=TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#dddddd")),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            ),
        )
        story.append(
            Table(
                [[left, where]],
                colWidths=[width * 0.61, width * 0.39],
                hAlign="LEFT",
                style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]),
            )
        )
        story.append(Spacer(1, 4))
        story.append(fields_table(rest))
    else:
        story.append(fields_table([c for c in sections["projet"]["champs"] if c["champ"] != "titre"]))

    for sid in ("collectivite", "contacts", "partenaire"):
        if sections[sid]["champs"]:
            story.append(Paragraph(pdf.esc(sections[sid]["titre"]), st["h1"]))
            story.append(fields_table(sections[sid]["champs"]))

    story.append(Paragraph(pdf.esc(TEXTS("cofinancements", lang)), st["h1"]))
    if sheet["cofinancements"]:
        rows = [(c["type_libelle"], str(c["annee"] or "–"), euros(c["montant"], lang)) for c in sheet["cofinancements"]]
        rows.append((TEXTS("total", lang), "", euros(sheet["cofinancements_total"], lang)))
        story.append(
            pdf.data_table(
                [TEXTS("type", lang), TEXTS("year", lang), TEXTS("amount", lang)],
                rows,
                [width * 0.55, width * 0.15, width * 0.3],
                align_right=(1, 2),
                size=8.5,
                total_row=True,
            )
        )
    else:
        story.append(Paragraph(pdf.esc(TEXTS("none_cof", lang)), st["body"]))

    story.append(Paragraph(pdf.esc(TEXTS("sources", lang)), st["h1"]))
    for line in (
        ([notice["avertissement"]] if notice["avertissement"] else [])
        + sheet["attributions"]
        + [TEXTS("software", lang)]
    ):
        story.append(Paragraph(pdf.esc(line), st["small"]))
    title = (
        f"{TEXTS('sheet', lang)} {sheet['id']} : {sheet['titre']}"
        if lang != "en"
        else f"{TEXTS('sheet', lang)} {sheet['id']}: {sheet['titre']}"
    )
    return pdf.build(story, title=title, lang=lang, synthetic=notice["synthetique"], subject=sheet["titre"])


__all__ = ["project_sheet", "project_sheet_pdf", "ProjectNotFound"]
