"""OGC API process ``deposer-demande``: submit a cooperation request to the Bourse projets.

The programmatic twin of the form ``/bourse/deposer``: the same fields, the same validation
(:func:`coopatlas.bourse.submission.validate`), the same abuse limits, the same workflow
(:func:`coopatlas.bourse.workflow.submit`): the request is stored as ``soumise`` and routed to the
French embassy of its country, which alone can validate it (it is not public until then). The result is
the reference number; the submitter also receives it by e-mail.

A bad input is refused with HTTP 400 naming it; too many requests from one address, or too many pending
requests of one authority, with HTTP 429. Execution is synchronous only, and the job is deleted once
answered (the server's guard: its result names a private request).
"""

from __future__ import annotations

from http import HTTPStatus

from pygeoapi.process.base import ProcessorExecuteError

from coopatlas import vocabulary as voc
from coopatlas.bourse.submission import LANGUES, REQUIRED_TEXT, input_schemas

from ._common import OUTPUT, VERSION, AtlasProcessor, InputError

_T = {
    "demandeur_nom": (
        ("Autorité locale demandeuse", "Requesting local authority"),
        (
            "Nom de l'autorité locale étrangère qui cherche un partenaire français (2 à 200 caractères).",
            "Name of the foreign local authority seeking a French partner (2 to 200 characters).",
        ),
    ),
    "demandeur_type": (
        ("Type d'autorité", "Type of authority"),
        (
            "localite (ville, commune), region (province, région) ou etat.",
            "localite (city, municipality), region (province, region) or etat (national).",
        ),
    ),
    "pays_code": (
        ("Pays", "Country"),
        (
            "Code ISO 3166-1 alpha-2 du pays de l'autorité (pas FR) ; la demande va à l'ambassade de France "
            "de ce pays.",
            "ISO 3166-1 alpha-2 code of the authority's country (not FR); the request goes to "
            "the French embassy of that country.",
        ),
    ),
    "lieu": (
        ("Lieu (nom)", "Place (name)"),
        (
            "Un lieu GeoNames du pays, par son nom (« Ziniaré » ou « Ziniaré (Plateau-Central) ») ; sinon "
            "geonameid, ou lon et lat.",
            'A GeoNames place of the country by name ("Ziniaré" or "Ziniaré '
            '(Plateau-Central)"); else geonameid, or lon and lat.',
        ),
    ),
    "geonameid": (
        ("Lieu (identifiant GeoNames)", "Place (GeoNames id)"),
        (
            "Identifiant GeoNames d'un lieu du pays (voir /bourse/lieux?pays=BF&q=...).",
            "GeoNames id of a place of the country (see /bourse/lieux?pays=BF&q=...).",
        ),
    ),
    "lon": (
        ("Longitude", "Longitude"),
        (
            "Longitude du lieu, degrés WGS 84 (EPSG:4326), avec lat, dans le pays.",
            "Longitude of the place, WGS 84 degrees (EPSG:4326), with lat, in the country.",
        ),
    ),
    "lat": (
        ("Latitude", "Latitude"),
        (
            "Latitude du lieu, degrés WGS 84 (EPSG:4326), avec lon.",
            "Latitude of the place, WGS 84 degrees (EPSG:4326), with lon.",
        ),
    ),
    "contact_nom": (
        ("Personne à contacter", "Contact person"),
        ("Nom et prénom (2 à 120 caractères).", "Full name (2 to 120 characters)."),
    ),
    "contact_email": (
        ("Courriel du contact", "Contact e-mail"),
        (
            "Adresse électronique : la référence et les décisions de l'ambassade y sont envoyées.",
            "E-mail address: the reference and the embassy's decisions are sent there.",
        ),
    ),
    "titre": (("Titre du projet", "Project title"), ("5 à 200 caractères.", "5 to 200 characters.")),
    "description": (
        ("Description du projet", "Project description"),
        ("20 à 5000 caractères.", "20 to 5000 characters."),
    ),
    "thematique": (
        ("Thématique", "Theme"),
        ("Code de thématique (vocabulaire /vocabulaire).", "Theme code (vocabulary /vocabulaire)."),
    ),
    "sous_thematique": (
        ("Sous-thématique", "Sub-theme"),
        ("Code ; sa thématique en découle.", "Code; its theme follows from it."),
    ),
    "sous_sous_thematique": (
        ("Sous-sous-thématique", "Sub-sub-theme"),
        (
            "Code ; les niveaux supérieurs en découlent. Au moins un niveau de thème est requis.",
            "Code; the upper levels follow from it. At least one theme level is required.",
        ),
    ),
    "profil_partenaire": (
        ("Profil du partenaire recherché", "Desired partner profile"),
        ("Le partenaire français recherché (0 à 500 caractères).", "The French partner sought (0 to 500 characters)."),
    ),
    "langues": (
        ("Langues de travail", "Working languages"),
        ("Codes ISO 639-1 : " + ", ".join(LANGUES) + ".", "ISO 639-1 codes: " + ", ".join(LANGUES) + "."),
    ),
    "lang": (("Langue des courriels", "Language of the e-mails"), ("fr (défaut) ou en.", "fr (default) or en.")),
}
REQUIRED = set(REQUIRED_TEXT) | {"demandeur_type", "pays_code", "langues"}
#: Inputs checked together by the form's validation (the themes; the place, in its country).
CHECKED_TOGETHER = (
    ("thematique", "sous_thematique", "sous_sous_thematique"),
    ("pays_code", "lieu", "geonameid", "lon", "lat"),
)


def _inputs() -> dict:
    schemas = input_schemas()
    out = {}
    for name, ((tfr, ten), (dfr, den)) in _T.items():
        out[name] = {
            "title": {"fr": tfr, "en": ten},
            "description": {"fr": dfr, "en": den},
            "schema": schemas[name],
            "minOccurs": 1 if name in REQUIRED else 0,
            "maxOccurs": 1,
        }
    return out


PROCESS_METADATA = {
    "version": VERSION,
    "id": "deposer-demande",
    "title": {
        "fr": "Déposer une demande de coopération (Bourse projets)",
        "en": "Submit a cooperation request (Bourse projets)",
    },
    "description": {
        "fr": "Une autorité locale étrangère dépose un projet pour lequel elle cherche un partenaire français. La "
        "demande est enregistrée « soumise » et transmise à l'ambassade de France de son pays, seule habilitée "
        "à la valider ; elle n'est publique (collection demandes) qu'une fois validée. Résultat : le numéro "
        "de référence. Limites : demandes par adresse et demandes en attente par autorité (HTTP 429).",
        "en": "A foreign local authority submits a project for which it seeks a French partner. The request is "
        'stored as "soumise" and sent to the French embassy of its country, the only one allowed to '
        "validate it; it is public (demandes collection) only once validated. Result: the reference number. "
        "Limits: requests per address and pending requests per authority (HTTP 429).",
    },
    "jobControlOptions": ["sync-execute"],
    "outputTransmission": ["value"],
    "keywords": ["Bourse projets", "demande de coopération", "coopération décentralisée"],
    "links": [
        {"type": "text/html", "rel": "about", "title": "Formulaire web / web form", "href": "/bourse/deposer"},
        {
            "type": "text/html",
            "rel": "license",
            "title": "GPL-3.0-or-later",
            "href": "https://www.gnu.org/licenses/gpl-3.0.html",
        },
    ],
    "inputs": _inputs(),
    "outputs": {
        OUTPUT: {
            "title": {"fr": "Accusé de dépôt", "en": "Receipt"},
            "description": {
                "fr": "JSON : reference, statut_validation (soumise), ambassade, date_depot.",
                "en": "JSON: reference, statut_validation (soumise), ambassade, date_depot.",
            },
            "schema": {
                "type": "object",
                "contentMediaType": "application/json",
                "properties": {
                    "reference": {"type": "string"},
                    "statut_validation": {"type": "string", "enum": ["soumise"]},
                    "ambassade": {"type": "string"},
                    "date_depot": {"type": "string", "format": "date"},
                },
            },
        }
    },
    # a fictitious example (reserved .example domain): nothing of a real request
    "example": {
        "inputs": {
            "demandeur_nom": "Commune d'Exemple",
            "demandeur_type": "localite",
            "pays_code": "BF",
            "lieu": "Ziniaré",
            "contact_nom": "Awa Exemple",
            "contact_email": "contact@commune.example",
            "titre": "Accès à l'eau potable dans les quartiers",
            "description": "Forages, bornes-fontaines et formation d'un service municipal de l'eau "
            "pour 12 000 habitants.",
            "sous_sous_thematique": "acces_eau_potable",
            "profil_partenaire": "Commune de taille comparable",
            "langues": ["fr"],
            "lang": "fr",
        }
    },
}
assert set(voc.TYPES_PARTENAIRE.codes) == set(PROCESS_METADATA["inputs"]["demandeur_type"]["schema"]["enum"])


class Closed(ProcessorExecuteError):
    http_status_code = HTTPStatus.FORBIDDEN
    ogc_exception_code = "Forbidden"

    def __init__(self, message: str):
        super().__init__(message, user_msg=message)


class TooManyRequests(ProcessorExecuteError):
    http_status_code = HTTPStatus.TOO_MANY_REQUESTS
    ogc_exception_code = "TooManyRequests"

    def __init__(self, message: str):
        super().__init__(message, user_msg=message)


def _bourse_enabled() -> bool:
    """Whether the server runs the Bourse's blueprint (its guard, the embassies' pages, the job cleanup):
    without it, nobody could decide on a request, so none is taken."""
    try:
        from flask import current_app, has_app_context

        return has_app_context() and "coopatlas_bourse" in current_app.blueprints
    except ImportError:  # pragma: no cover
        return False


def _client() -> str:
    try:
        from flask import has_request_context, request

        if has_request_context():
            return (request.remote_addr or "inconnu")[:100]
    except ImportError:  # pragma: no cover
        pass
    return "processus"


class DeposerDemandeProcessor(AtlasProcessor):
    """``deposer-demande``: see the module documentation."""

    METADATA = PROCESS_METADATA
    BINARY_FORMATS = ()
    READS_ATLAS = False  # its database is the Bourse's, read at every submission (:meth:`_precheck`)

    def validate(self, data) -> dict:
        """The inputs checked against their schemas and by the form's validation, every bad or missing input
        named in one :class:`InputError` (as the web form lists them all)."""
        from coopatlas.bourse.context import current
        from coopatlas.bourse.submission import FIELDS, validate

        values = self.named_values(data)
        problems = self.input_problems(values)
        values = self.with_defaults(values)
        sound = {k: v for k, v in values.items() if k not in problems}
        clean, err = validate(sound, current().geo)
        for name, (_, message) in err.items():
            # an input refused by its schema leaves its group unchecked (no "theme required" after a bad theme)
            if not any(name in group and set(group) & set(problems) for group in CHECKED_TOGETHER):
                problems.setdefault(name, message)
        if problems:
            order = {name: i for i, name in enumerate(list(self.METADATA["inputs"]) + list(FIELDS))}
            raise InputError.listing(dict(sorted(problems.items(), key=lambda p: order.get(p[0], len(order)))))
        values["_clean"] = clean
        return values

    def check_request(self, data, response="raw", outputs=None) -> dict:
        values = super().check_request(data, response, outputs)
        self._precheck(values["_clean"])
        return values

    @staticmethod
    def _precheck(clean: dict) -> None:
        """The abuse limits, before a job is created (re-checked atomically when storing)."""
        from coopatlas.bourse.context import current
        from coopatlas.bourse.live import LiveDB
        from coopatlas.bourse.submission import authority_key

        if not _bourse_enabled():
            raise Closed(
                "the Bourse projets is not enabled on this server (its blueprint "
                "coopatlas.bourse.web is not registered)"
            )
        ctx = current()
        if ctx.settings.atlas_readonly:
            raise Closed("the Bourse projets does not accept requests on this server (COOPATLAS_ATLAS_READONLY=1)")
        limit, window = ctx.settings.rate_submissions
        with ctx.live.tx(write=False) as t:
            if LiveDB.count(t, f"depot:{_client()}", window) >= limit:
                raise TooManyRequests(f"too many requests from this address ({limit} per {window} s): retry later")
            pending = t.execute(
                "SELECT COUNT(*) FROM demandes WHERE pays_code = ? AND cle_demandeur = ? AND statut IN "
                "('soumise', 'a_completer')",
                (clean["pays_code"], authority_key(clean["demandeur_nom"])),
            ).scalar()
        if pending >= ctx.settings.max_pending:
            raise TooManyRequests(
                f"demandeur_nom: {clean['demandeur_nom']} already has {pending} request(s) awaiting the embassy"
            )

    def run(self, values: dict):
        if not _bourse_enabled():
            raise Closed("the Bourse projets is not enabled on this server")
        from coopatlas.bourse.context import current
        from coopatlas.bourse.workflow import WorkflowError, submit

        try:
            result = submit(current(), values["_clean"], _client())
        except WorkflowError as exc:
            raise (Closed if exc.status == 403 else TooManyRequests)(exc.message) from None
        return "application/json", result
