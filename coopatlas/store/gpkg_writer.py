"""Former name of :mod:`coopatlas.store.build_writer`: the two blob functions the CQL tests import from it.

New code imports the format from :mod:`coopatlas.store.geopackage` and the build writer from
:mod:`coopatlas.store.build_writer`.
"""
from .geopackage import blob_envelope, encode_geometry as gpkg_blob

__all__ = ["blob_envelope", "gpkg_blob"]
