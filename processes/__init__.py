"""The OGC API processes of the atlas (pygeoapi ``BaseProcessor`` plugins), one module per process.

Each module defines ``PROCESS_METADATA`` (its OGC description, inputs published with their JSON Schema)
and one processor class: thin adapters that validate their inputs (:mod:`processes._common`) and call
the core package (:mod:`coopatlas.stats`, :mod:`coopatlas.reports`, :mod:`coopatlas.charts`).
``coopatlas.server.config`` registers every processor found here; modules whose name starts with ``_``
are helpers. Examples of requests: ``docs/processes.md``.
"""
