"""What the atlas's OGC API processes share: the base processor, the inputs of a search (the one set of
criteria of :mod:`coopatlas.criteria`, plus the Atlas's scopes), and input validation.

A process publishes its inputs with a JSON Schema each (``/processes/<id>``), validates a request
against exactly those schemas (``jsonschema``), then makes the semantic checks (a country, a region, a
collectivity that exists...). Any bad input raises :class:`InputError`, which pygeoapi answers with
HTTP 400 ``InvalidParameterValue`` and a message that starts with the input's name. Then the process
calls the core (:mod:`coopatlas.stats`, :mod:`coopatlas.reports`, :mod:`coopatlas.charts`).

The database is the one of the server (:func:`data_location`): ``data`` of the processor definition if
given, else the database of the ``projets`` collection in pygeoapi's configuration (``PYGEOAPI_CONFIG``),
else ``COOPATLAS_DATABASE_URL`` / ``COOPATLAS_GPKG`` / ``build/atlas.gpkg``.
"""

from __future__ import annotations

import copy
import functools
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match
from pygeoapi.process.base import BaseProcessor, ProcessorExecuteError

from coopatlas import criteria as crit
from coopatlas.criteria import Criteria, CriteriaError
from coopatlas.stats import SCOPES
from coopatlas.store import Store, open_store
from coopatlas.store.faults import unavailable_cause

from ._data_location import data_location, known

VERSION = "1.0.0"
LANGS = ("fr", "en")
#: Name of the one output of every process.
OUTPUT = "resultat"
#: Media types of the outputs, by value of the ``format`` input.
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}
#: OGC API Processes' values of ``response``.
RESPONSES = ("raw", "document")


class InputError(ProcessorExecuteError):
    """A bad input: HTTP 400 ``InvalidParameterValue``, the message naming the input."""

    http_status_code = HTTPStatus.BAD_REQUEST
    ogc_exception_code = "InvalidParameterValue"

    def __init__(self, name: str, message: str):
        text = f"{name}: {message}"
        super().__init__(text, user_msg=text)
        self.input = name
        self.inputs = [name]

    @classmethod
    def listing(cls, problems: dict[str, str]) -> InputError:
        """One error naming every bad input: ``"a: why; b: why"`` (``problems`` in the order to show)."""
        (first, message), *others = problems.items()
        error = cls(first, "; ".join([message] + [f"{name}: {why}" for name, why in others]))
        error.inputs = list(problems)
        return error


# --- input descriptions -----------------------------------------------------------------------------------


def _criterion_schema(name: str) -> dict:
    """The JSON Schema of one criterion: the array of :func:`coopatlas.criteria.json_schema`, or a single
    value of it, for list criteria; the schema as is for the others."""
    prop = copy.deepcopy(crit.json_schema()["properties"][name])
    prop.pop("title", None)  # the input has its own title
    if prop.get("type") == "array":
        return {"oneOf": [copy.deepcopy(prop["items"]), prop]}
    return prop


def criteria_inputs() -> dict[str, dict]:
    """OGC input descriptions of the search criteria (same names as :data:`coopatlas.criteria.SPECS`)."""
    out = {}
    for name, spec in crit.SPECS.items():
        kind = {
            "codes": ("une liste de codes (ou un seul code)", "a list of codes (or one code)"),
            "ids": ("une liste d'identifiants (ou un seul)", "a list of identifiers (or one)"),
            "bool": ("vrai ou faux", "true or false"),
            "year": ("une année", "a year"),
            "text": (
                "des mots (chaque mot doit commencer un mot de l'enregistrement)",
                "words (each word must start a word of the record)",
            ),
        }[spec.kind]
        out[name] = {
            "title": {"fr": spec.fr, "en": spec.en},
            "description": {
                "fr": f"Critère de recherche « {spec.fr} » : {kind[0]}.",
                "en": f'Search criterion "{spec.en}": {kind[1]}.',
            },
            "schema": _criterion_schema(name),
            "minOccurs": 0,
            "maxOccurs": 1,
            "keywords": ["critere"],
        }
    return out


PORTEE_INPUT = {
    "title": {"fr": "Portée (l'échelle de l'Atlas)", "en": "Scope (the Atlas's level)"},
    "description": {
        "fr": "Une échelle de l'Atlas : monde, france (projets des collectivités françaises, sans les demandes "
        "de la Bourse), ou continent, sous_continent, pays, region, departement, collectivite avec son "
        "code. Se combine avec les autres critères (un même critère ne peut pas être donné deux fois).",
        "en": "An Atlas level: monde (world), france (projects of French authorities, without Bourse requests), "
        "or continent, sous_continent, pays, region, departement, collectivite with its code. Combines "
        "with the other criteria (the same criterion cannot be given twice).",
    },
    "schema": {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": list(SCOPES)},
            "code": {"type": "string", "minLength": 1, "maxLength": 64},
        },
        "required": ["type"],
        "additionalProperties": False,
    },
    "minOccurs": 0,
    "maxOccurs": 1,
}

LANG_INPUT = {
    "title": {"fr": "Langue", "en": "Language"},
    "description": {"fr": "Langue des libellés et des documents.", "en": "Language of labels and documents."},
    "schema": {"type": "string", "enum": list(LANGS), "default": "fr"},
    "minOccurs": 0,
    "maxOccurs": 1,
}


def format_input(formats: Iterable[str], default: str) -> dict:
    formats = list(formats)
    return {
        "title": {"fr": "Format du résultat", "en": "Format of the result"},
        "description": {
            "fr": "Format : " + ", ".join(f"{f} ({MEDIA_TYPES[f]})" for f in formats) + ".",
            "en": "Format: " + ", ".join(f"{f} ({MEDIA_TYPES[f]})" for f in formats) + ".",
        },
        "schema": {"type": "string", "enum": formats, "default": default},
        "minOccurs": 0,
        "maxOccurs": 1,
    }


def output_description(formats: Iterable[str], title: dict, description: dict) -> dict:
    """The one output ``resultat``: one media type per format."""
    alts = []
    for f in formats:
        if f == "json":
            alts.append({"type": "object", "contentMediaType": MEDIA_TYPES[f]})
        else:
            alts.append(
                {
                    "type": "string",
                    "contentEncoding": "binary" if f in ("png", "pdf") else "8bit",
                    "contentMediaType": MEDIA_TYPES[f].split(";")[0],
                }
            )
    return {
        OUTPUT: {"title": title, "description": description, "schema": alts[0] if len(alts) == 1 else {"oneOf": alts}}
    }


# --- validation ---------------------------------------------------------------------------------------------


def _unwrap(value):
    """An OGC qualified input value (``{"value": ..., "mediaType": ...}``) as its value."""
    if isinstance(value, dict) and "value" in value and set(value) <= {"value", "mediaType", "encoding", "schema"}:
        return value["value"]
    return value


def _short(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


class AtlasProcessor(BaseProcessor):
    """Base of the atlas's processes: ``METADATA`` (the OGC description, inputs with their JSON Schema),
    :meth:`validate` (schema, then :meth:`check`), :meth:`run` (the work, on validated inputs)."""

    METADATA: dict = {}
    #: Values of the ``format`` input whose result is a file (sent raw only).
    BINARY_FORMATS = ("csv", "png", "svg", "pdf")
    #: Whether a job of this process reads the atlas database: its submission is then refused (503,
    #: ``Retry-After``, no job) while that database cannot answer (:meth:`check_request`).
    READS_ATLAS = True

    def __init__(self, processor_def: dict):
        super().__init__(processor_def, copy.deepcopy(self.METADATA))
        self.location = data_location(processor_def)

    # --- validation ---
    @classmethod
    def input_schema(cls) -> dict:
        """The JSON Schema of the whole ``inputs`` object, made of the published input schemas."""
        inputs = cls.METADATA["inputs"]
        return {
            "type": "object",
            "properties": {name: d["schema"] for name, d in inputs.items()},
            "required": [name for name, d in inputs.items() if d.get("minOccurs", 0) > 0],
            "additionalProperties": False,
        }

    @classmethod
    @functools.cache
    def _validator(cls) -> Draft202012Validator:
        return Draft202012Validator(cls.input_schema())

    def named_values(self, data: Any) -> dict:
        """The given inputs by name, unwrapped; JSON ``null`` means "not given"; unknown names refused."""
        if data is None:
            data = {}
        if not isinstance(data, dict):
            raise InputError("inputs", "must be a JSON object of named inputs")
        known_names = self.METADATA["inputs"]
        unknown = [k for k in data if k not in known_names]
        if unknown:
            problems = {str(k): "unknown input" for k in unknown}
            problems[str(unknown[-1])] += "; known: " + ", ".join(known_names)
            raise InputError.listing(problems)
        values = {k: _unwrap(v) for k, v in data.items()}
        return {k: v for k, v in values.items() if v is not None}

    def input_problems(self, values: dict) -> dict[str, str]:
        """Every input missing or not valid against its published schema: ``{name: why}``, in the order
        of the inputs."""
        known_names = list(self.METADATA["inputs"])
        problems = {
            name: "required input is missing"
            for name, desc in self.METADATA["inputs"].items()
            if desc.get("minOccurs", 0) > 0 and name not in values
        }
        by_input: dict[str, list] = {}
        for err in self._validator().iter_errors(values):
            if err.validator == "required" and not err.absolute_path:
                continue  # named above
            name = str(err.absolute_path[0]) if err.absolute_path else "inputs"
            if name not in problems:
                by_input.setdefault(name, []).append(err)
        for name, errors in by_input.items():
            err = best_match(errors)
            where = "/".join(str(p) for p in list(err.absolute_path)[1:])
            problems[name] = _short((f"{where}: " if where else "") + err.message)
        return dict(sorted(problems.items(), key=lambda p: known_names.index(p[0]) if p[0] in known_names else -1))

    def with_defaults(self, values: dict) -> dict:
        for name, desc in self.METADATA["inputs"].items():
            if name not in values and "default" in desc["schema"]:
                values[name] = desc["schema"]["default"]
        return values

    def validate(self, data: Any) -> dict:
        """The inputs, checked against the published schemas then by :meth:`check`; :class:`InputError`
        naming every input missing or invalid against its schema. Defaults are filled in."""
        values = self.named_values(data)
        problems = self.input_problems(values)
        if problems:
            raise InputError.listing(problems)
        return self.check(self.with_defaults(values))

    def check(self, values: dict) -> dict:
        """Semantic checks after the schema (to be extended); returns the inputs to run with."""
        return values

    def is_binary(self, values: dict) -> bool:
        return values.get("format") in self.BINARY_FORMATS

    def check_request(self, data: Any, response: str | None = "raw", outputs: Any = None) -> dict:
        """Everything about an execution request that can be refused before a job is created: the inputs,
        ``response`` (``raw`` or ``document``; binary results are only ``raw``) and ``outputs``; then, when
        the process reads the atlas, that its database answers (:meth:`atlas_answers`)."""
        values = self.validate(data)
        response = response or "raw"
        if response not in RESPONSES:
            raise InputError("response", f"must be one of {', '.join(RESPONSES)}, not {response!r}")
        if response == "document" and self.is_binary(values):
            raise InputError(
                "response",
                f"the result in format {values.get('format')} is a file: ask for "
                "response 'raw' (the default) to receive it",
            )
        if outputs not in (None, {}, []):
            names = list(outputs) if isinstance(outputs, (dict, list)) else None
            if names is None or any(n != OUTPUT for n in names):
                raise InputError("outputs", f"this process has one output, {OUTPUT!r}")
        if self.READS_ATLAS:
            self.atlas_answers()
        return values

    def atlas_answers(self) -> None:
        """Ask the atlas database the simplest question; the driver's error when it cannot answer, which the
        job manager answers 503 with ``Retry-After`` and no job. Whether the inputs' checks read the database
        depends on the worker (the codes they check against are read once per worker: :func:`known`), so
        without this a submission while the database is down would be refused by one worker and accepted
        by another, as a job bound to fail. As a pool's "pre-ping": when the question fails on the connection
        this thread held (one PostgreSQL dropped when it stopped, unknown to the driver until used), it is
        asked again on a new one, which tells a database that is back from one that is still down."""
        store = self.store
        try:
            store.scalar("SELECT 1")
        except Exception as exc:
            if not unavailable_cause(exc):
                raise
            store.close()  # this thread's connection: the next question opens a new one
            store.scalar("SELECT 1")

    # --- execution ---
    #: ``report(fraction, message)`` of the job running the process, set by the job manager
    #: (:class:`processes._manager.JobProgress`); None outside a job.
    report_progress = None

    def progress(self, fraction: float, message: str) -> None:
        """Report how far the process is (``fraction`` from 0 to 1) in its job's status (``/jobs/<id>``)."""
        if self.report_progress is not None:
            self.report_progress(fraction, message)

    @property
    def store(self) -> Store:
        return open_store(self.location)

    def execute(self, data: dict, outputs: dict | None = None):
        values = self.validate(data)
        try:
            return self.run(values)
        except CriteriaError as exc:
            raise InputError(exc.param, str(exc).split(": ", 1)[-1]) from None

    def run(self, values: dict):
        raise NotImplementedError


# --- the search inputs -----------------------------------------------------------------------------------


def search_inputs() -> dict[str, dict]:
    """``portee`` and every criterion."""
    return {"portee": copy.deepcopy(PORTEE_INPUT), **criteria_inputs()}


def scope_params(store: Store, portee: dict) -> dict:
    """The criterion of a scope ``{"type", "code"}`` (checked: the code must exist), as parameters."""
    kind, code = portee["type"], portee.get("code")
    if kind in ("monde", "france"):
        if code is not None:
            raise InputError("portee", f"scope {kind} takes no code")
        return {} if kind == "monde" else {"type_action": ["cooperation_decentralisee", "action_exterieure"]}
    if not code:
        raise InputError("portee", f"scope {kind} needs a code")
    try:
        parsed = Criteria.from_params({kind: code}, known_countries=known(store, "pays", "pays_code"))
    except CriteriaError as exc:
        raise InputError("portee", f"code: {str(exc).split(': ', 1)[-1]}") from None
    value = getattr(parsed, kind)[0]
    tables = {
        "region": ("regions", "code_region"),
        "departement": ("departements", "code_departement"),
        "collectivite": ("collectivites", "id"),
    }
    if kind in tables and value not in known(store, *tables[kind]):
        raise InputError("portee", f"code: unknown {kind} {value!r}")
    return {kind: [value]}


def parse_search(store: Store, values: dict) -> Criteria:
    """The criteria of a request: its ``portee`` merged with its criteria (a criterion given both ways is
    refused), validated by :meth:`coopatlas.criteria.Criteria.from_params` (unknown countries refused)."""
    params = {name: values[name] for name in crit.SPECS if name in values}
    if values.get("portee"):
        scope = scope_params(store, values["portee"])
        for name in scope:
            if name in params:
                raise InputError("portee", f"the scope already sets the criterion {name!r}; give it once")
        params.update(scope)
    try:
        return Criteria.from_params(params, known_countries=known(store, "pays", "pays_code"))
    except CriteriaError as exc:
        raise InputError(exc.param, str(exc).split(": ", 1)[-1]) from None


def common_metadata(
    pid: str, title: dict, description: dict, keywords: list[str], inputs: dict, outputs: dict, example: dict
) -> dict:
    return {
        "version": VERSION,
        "id": pid,
        "title": title,
        "description": description,
        "jobControlOptions": ["sync-execute", "async-execute"],
        "outputTransmission": ["value"],
        "keywords": keywords,
        "links": [
            {
                "type": "text/html",
                "rel": "license",
                "title": "GPL-3.0-or-later",
                "href": "https://www.gnu.org/licenses/gpl-3.0.html",
            }
        ],
        "inputs": inputs,
        "outputs": outputs,
        "example": example,
    }
