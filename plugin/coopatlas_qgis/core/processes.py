"""What the server's OGC API processes expect, read from their descriptions (``/processes/{id}``), so that
choices such as formats and paper sizes come from the server."""

from __future__ import annotations

from dataclasses import dataclass, field

from .client import AtlasClient
from .errors import AtlasError


@dataclass
class ProcessInfo:
    """A process description; empty when the server does not describe the process."""

    id: str
    description: dict = field(default_factory=dict)

    @property
    def available(self) -> bool:
        return bool(self.description)

    @property
    def inputs(self) -> dict:
        return self.description.get("inputs") or {}

    def pick(self, *candidates: str) -> str:
        """The first of ``candidates`` that is an input of the process (the first one by default)."""
        for name in candidates:
            if name in self.inputs:
                return name
        return candidates[0]

    def enum(self, name: str, default=()) -> list:
        """The allowed values of input ``name`` (its schema's ``enum``), or ``default``."""
        schema = (self.inputs.get(name) or {}).get("schema") or {}
        for s in (schema, schema.get("items") or {}):
            if s.get("enum"):
                return list(s["enum"])
        for key in ("oneOf", "anyOf"):
            for s in schema.get(key) or []:
                if isinstance(s, dict) and s.get("enum"):
                    return list(s["enum"])
        return list(default)

    def default(self, name: str, fallback=None):
        schema = (self.inputs.get(name) or {}).get("schema") or {}
        return schema.get("default", fallback)


def describe(client: AtlasClient, process: str) -> ProcessInfo:
    """The description of ``process`` (an empty one when the server has no such process)."""
    try:
        return ProcessInfo(process, client.get_json(f"/processes/{process}", {"f": "json"}))
    except AtlasError:
        return ProcessInfo(process, {})
