"""Open data for the aid-transparency and GIS ecosystems: IATI 2.03 activity files (export and import),
bulk downloads of the public atlas and their DCAT-AP catalogue.

Layer: below the server and the processes, above the core (schema, vocabulary, criteria, store).
See ``docs/opendata.md``.
"""
