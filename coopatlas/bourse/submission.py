"""What a request of the Bourse projets is made of, and its validation: one set of rules for the web form
and the OGC API process ``deposer-demande``.

:func:`validate` takes the submitted values (form fields or process inputs, same names) and returns the
clean request, or the errors by field (French and English messages). Nothing is stored here.

Fields (sizes in characters):

==========================  ===========================================================================
``demandeur_nom``           name of the requesting foreign local authority (2-200), required
``demandeur_type``          its type: ``localite``, ``region``, ``etat``
                            (:data:`~coopatlas.vocabulary.TYPES_PARTENAIRE`)
``pays_code``               its country, ISO 3166-1 alpha-2, one of the reference countries (not France)
``lieu`` / ``geonameid``    its place: a GeoNames place of that country, by name (``Ziniaré`` or
                            ``Ziniaré (Plateau-Central)``) or by GeoNames id...
``lon`` + ``lat``           ...or coordinates (EPSG:4326 degrees), within the country (30 km tolerance)
``contact_nom``             contact person (2-120), required
``contact_email``           contact e-mail, required
``titre``                   project title (5-200), required
``description``             project description (20-5000), required
``thematique``...           theme: ``thematique``, ``sous_thematique``, ``sous_sous_thematique`` codes of
                            :mod:`coopatlas.vocabulary` (at least one level; the parents of a given level
                            are implied and must agree)
``profil_partenaire``       desired French partner profile (0-500)
``langues``                 working languages: codes of :data:`LANGUES` (1-10)
``lang``                    language of the submitter's e-mails: ``fr`` (default) or ``en``
==========================  ===========================================================================
"""

from __future__ import annotations

import math
import re
import unicodedata

from .. import vocabulary as voc
from ..text import normalise
from .geo import Geography, geography

#: Working languages offered (ISO 639-1 code → French, English name). Stored as the French names.
LANGUES = {
    "fr": ("français", "French"),
    "en": ("anglais", "English"),
    "es": ("espagnol", "Spanish"),
    "pt": ("portugais", "Portuguese"),
    "ar": ("arabe", "Arabic"),
    "de": ("allemand", "German"),
    "it": ("italien", "Italian"),
    "pl": ("polonais", "Polish"),
    "ro": ("roumain", "Romanian"),
    "ru": ("russe", "Russian"),
    "zh": ("chinois", "Chinese"),
    "vi": ("vietnamien", "Vietnamese"),
    "mg": ("malgache", "Malagasy"),
    "ht": ("créole haïtien", "Haitian Creole"),
}

#: (min, max) length of each text field.
SIZES = {
    "demandeur_nom": (2, 200),
    "contact_nom": (2, 120),
    "contact_email": (6, 254),
    "titre": (5, 200),
    "description": (20, 5000),
    "profil_partenaire": (0, 500),
    "lieu": (1, 200),
}
REQUIRED_TEXT = ("demandeur_nom", "contact_nom", "contact_email", "titre", "description")
#: Every field a request may be submitted with (form fields and process inputs).
FIELDS = (
    "demandeur_nom",
    "demandeur_type",
    "pays_code",
    "lieu",
    "geonameid",
    "lon",
    "lat",
    "contact_nom",
    "contact_email",
    "titre",
    "description",
    "thematique",
    "sous_thematique",
    "sous_sous_thematique",
    "profil_partenaire",
    "langues",
    "lang",
)

_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+"
    r"[A-Za-z]{2,63}$"
)


class Errors(dict):
    """Errors by field: ``{field: (message_fr, message_en)}``."""

    def add(self, name: str, fr: str, en: str) -> None:
        self.setdefault(name, (fr, en))

    def messages(self, lang: str = "fr") -> dict[str, str]:
        return {k: (v[1] if lang == "en" else v[0]) for k, v in self.items()}

    def first(self) -> tuple[str, str]:
        """(field, English message) of the first error in :data:`FIELDS` order."""
        name = sorted(self, key=lambda n: FIELDS.index(n) if n in FIELDS else len(FIELDS))[0]
        return name, self[name][1]


def clean_text(value, multiline: bool = False) -> str:
    """Text without control characters (new lines and tabs kept in ``multiline`` text), NFC-normalised,
    spaces trimmed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFC", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    allowed = "\n\t" if multiline else ""
    text = "".join(ch for ch in text if ch in allowed or unicodedata.category(ch)[0] != "C")
    if not multiline:
        text = " ".join(text.split())
    return text.strip()


def valid_email(text: str) -> bool:
    return bool(_EMAIL.match(text or "")) and ".." not in text


def _number(value) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError
    v = float(str(value).strip().replace(",", ".")) if isinstance(value, str) else float(value)
    if not math.isfinite(v):
        raise ValueError
    return v


def authority_key(nom: str) -> str:
    """The key that identifies a requesting authority within its country (for the pending cap)."""
    return normalise(nom)


def validate(values: dict, geo: Geography | None = None) -> tuple[dict | None, Errors]:
    """The clean request from submitted ``values`` (missing keys are "not given"), or ``(None, errors)``.

    The clean request holds the fields above, with: ``langues`` as a list of codes; the place as
    ``geonameid``, ``lieu_nom``, ``admin1_nom`` (or None) and ``lon``, ``lat`` (EPSG:4326 degrees, always
    set); the three theme levels (parents filled in); ``lang``.
    """
    geo = geo or geography()
    err = Errors()
    out: dict = {}
    unknown = [k for k in values if k not in FIELDS]
    if unknown:
        err.add(unknown[0], "champ inconnu", f"unknown field; known: {', '.join(FIELDS)}")

    for name, (lo, hi) in SIZES.items():
        if name == "lieu":
            continue
        if not isinstance(values.get(name, ""), (str, type(None))):
            err.add(name, "doit être un texte", "must be a string")
            out[name] = None
            continue
        text = clean_text(values.get(name), multiline=(name == "description"))
        if not text:
            if name in REQUIRED_TEXT:
                err.add(name, "champ obligatoire", "required")
            out[name] = None if name not in REQUIRED_TEXT else ""
            continue
        if len(text) < lo:
            err.add(name, f"au moins {lo} caractères", f"at least {lo} characters")
        elif len(text) > hi:
            err.add(
                name, f"au plus {hi} caractères ({len(text)} saisis)", f"at most {hi} characters ({len(text)} given)"
            )
        out[name] = text
    if out.get("contact_email") and not valid_email(out["contact_email"]):
        err.add("contact_email", "adresse électronique invalide", "not a valid e-mail address")

    dtype = clean_text(values.get("demandeur_type")) or None
    if dtype is None:
        err.add("demandeur_type", "champ obligatoire", f"required; one of {', '.join(voc.TYPES_PARTENAIRE.codes)}")
    elif dtype not in voc.TYPES_PARTENAIRE:
        err.add(
            "demandeur_type", "type inconnu", f"unknown type {dtype!r}; one of {', '.join(voc.TYPES_PARTENAIRE.codes)}"
        )
    out["demandeur_type"] = dtype

    code = clean_text(values.get("pays_code")).upper() or None
    country = geo.country(code) if code else None
    if code is None:
        err.add("pays_code", "champ obligatoire", "required (ISO 3166-1 alpha-2 code)")
    elif country is None:
        err.add(
            "pays_code",
            "pays inconnu (la demande vient d'une autorité étrangère)",
            f"unknown country {code!r} (ISO 3166-1 alpha-2 code of a foreign country)",
        )
    out["pays_code"] = code

    # --- place: GeoNames place by name or id, or coordinates ---
    out.update(geonameid=None, lieu_nom=None, admin1_nom=None, lon=None, lat=None)
    lieu = clean_text(values.get("lieu"))
    gid = values.get("geonameid")
    try:
        lon, lat = _number(values.get("lon")), _number(values.get("lat"))
    except (TypeError, ValueError):
        lon = lat = None
        err.add(
            "lon" if not _is_num(values.get("lon")) else "lat", "nombre attendu (degrés)", "must be a number (degrees)"
        )
    place = None
    if gid not in (None, ""):
        try:
            place = geo.place(int(gid))
        except (TypeError, ValueError):
            err.add("geonameid", "identifiant GeoNames invalide", "must be a GeoNames identifier (integer)")
        else:
            if place is None:
                err.add("geonameid", "lieu inconnu", f"unknown GeoNames place {gid!r}")
            elif country and place.pays_code != country.code:
                err.add("geonameid", "ce lieu n'est pas dans le pays choisi", f"place {gid} is not in {country.code}")
                place = None
    elif lieu:
        if len(lieu) > SIZES["lieu"][1]:
            err.add("lieu", "nom trop long", "too long")
        elif country:
            place, suggestions = geo.resolve_place(country.code, lieu)
            if place is None:
                hint = ", ".join(p.label for p in suggestions)
                err.add(
                    "lieu",
                    f"lieu introuvable dans ce pays{' ; proches : ' + hint if hint else ''}",
                    f"no place {lieu!r} in {country.code}{'; close: ' + hint if hint else ''}",
                )
    if place is not None:
        out.update(
            geonameid=place.geonameid, lieu_nom=place.nom, admin1_nom=place.admin1_nom, lon=place.lon, lat=place.lat
        )
    elif lon is not None or lat is not None:
        if lieu or gid not in (None, ""):
            pass  # the place was given too and failed: its error says so
        elif lon is None or lat is None:
            err.add("lat" if lat is None else "lon", "donnez la longitude et la latitude", "give both lon and lat")
        elif not (-180 <= lon <= 180):
            err.add("lon", "longitude entre -180 et 180", "longitude must be between -180 and 180")
        elif not (-90 <= lat <= 90):
            err.add("lat", "latitude entre -90 et 90", "latitude must be between -90 and 90")
        elif country and not geo.in_country(country.code, lon, lat):
            err.add("lon", f"ce point n'est pas en {country.nom_fr}", f"the point is not in {country.nom_en}")
        else:
            out.update(lon=round(lon, 6), lat=round(lat, 6))
    elif not lieu and gid in (None, ""):
        err.add(
            "lieu", "indiquez le lieu (nom) ou les coordonnées", "required: a place (lieu or geonameid) or lon and lat"
        )

    # --- themes ---
    t, st, sst = resolve_themes(values, err)
    out.update(thematique=t, sous_thematique=st, sous_sous_thematique=sst)

    # --- languages ---
    raw = values.get("langues")
    if isinstance(raw, str):
        raw = [p.strip() for p in raw.split(",") if p.strip()]
    if raw in (None, []):
        err.add("langues", "choisissez au moins une langue", f"required: at least one of {', '.join(LANGUES)}")
        langs = []
    elif not isinstance(raw, (list, tuple)) or not all(isinstance(x, str) for x in raw):
        err.add("langues", "liste de codes de langues", "must be a list of language codes")
        langs = []
    else:
        langs = list(dict.fromkeys(raw))
        bad = [x for x in langs if x not in LANGUES]
        if bad:
            err.add("langues", "langue inconnue", f"unknown language {bad[0]!r}; known: {', '.join(LANGUES)}")
        elif len(langs) > 10:
            err.add("langues", "au plus 10 langues", "at most 10 languages")
    out["langues"] = langs

    lang = clean_text(values.get("lang")) or "fr"
    if lang not in ("fr", "en"):
        err.add("lang", "fr ou en", "must be fr or en")
    out["lang"] = lang
    if err:
        return None, err
    return out, err


def resolve_themes(values: dict, err: Errors, required: bool = True) -> tuple[str | None, str | None, str | None]:
    """The three theme levels of ``values`` (codes of :mod:`coopatlas.vocabulary`), the parents of a given
    level filled in; unknown or inconsistent codes are added to ``err``."""
    levels = {}
    for name, cl in (
        ("thematique", voc.THEMATIQUES),
        ("sous_thematique", voc.SOUS_THEMATIQUES),
        ("sous_sous_thematique", voc.SOUS_SOUS_THEMATIQUES),
    ):
        v = values.get(name)
        v = clean_text(v) or None if isinstance(v, (str, type(None))) else v
        if v is not None and (not isinstance(v, str) or v not in cl):
            err.add(name, "thème inconnu", f"unknown code {v!r}")
            v = None
        levels[name] = v
    t, st, sst = levels["thematique"], levels["sous_thematique"], levels["sous_sous_thematique"]
    if sst:
        leaf = voc.SOUS_SOUS_THEMATIQUES[sst]
        if st and st != leaf.extra["sous_thematique"]:
            err.add(
                "sous_thematique",
                "ne correspond pas à la sous-sous-thématique",
                f"{sst!r} belongs to sous_thematique {leaf.extra['sous_thematique']!r}",
            )
        st = st or leaf.extra["sous_thematique"]
    if st:
        parent = voc.SOUS_THEMATIQUES[st].extra["thematique"]
        if t and t != parent:
            err.add("thematique", "ne correspond pas à la sous-thématique", f"{st!r} belongs to thematique {parent!r}")
        t = t or parent
    if required and not t and not any(k in err for k in levels):
        err.add("thematique", "choisissez une thématique", "required (at least one theme level)")
    return t, st, sst


def _is_num(v) -> bool:
    try:
        _number(v)
        return True
    except (TypeError, ValueError):
        return False


def langues_text(codes: list[str]) -> str:
    """The working languages as stored in the atlas (French names, comma separated)."""
    return ", ".join(LANGUES[c][0] for c in codes if c in LANGUES)


def langues_codes(text: str | None) -> list[str]:
    """The codes of a stored languages text (unknown names dropped)."""
    by_name = {v[0]: k for k, v in LANGUES.items()}
    return [by_name[p.strip()] for p in (text or "").split(",") if p.strip() in by_name]


def input_schemas() -> dict[str, dict]:
    """JSON Schema of each field, as the process publishes them (the semantic checks come after)."""
    s = {
        name: {"type": "string", "minLength": max(lo, 1) if name in REQUIRED_TEXT else 0, "maxLength": hi}
        for name, (lo, hi) in SIZES.items()
    }
    s["contact_email"]["format"] = "email"
    s["demandeur_type"] = {"type": "string", "enum": voc.TYPES_PARTENAIRE.codes}
    s["pays_code"] = {"type": "string", "pattern": "^[A-Za-z]{2}$"}
    s["geonameid"] = {"type": "integer", "minimum": 1}
    s["lon"] = {"type": "number", "minimum": -180, "maximum": 180}
    s["lat"] = {"type": "number", "minimum": -90, "maximum": 90}
    s["thematique"] = {"type": "string", "enum": voc.THEMATIQUES.codes}
    s["sous_thematique"] = {"type": "string", "enum": voc.SOUS_THEMATIQUES.codes}
    s["sous_sous_thematique"] = {"type": "string", "enum": sorted(set(voc.SOUS_SOUS_THEMATIQUES.codes))}
    s["langues"] = {
        "type": "array",
        "items": {"type": "string", "enum": list(LANGUES)},
        "minItems": 1,
        "maxItems": 10,
        "uniqueItems": True,
    }
    s["lang"] = {"type": "string", "enum": ["fr", "en"], "default": "fr"}
    return s
