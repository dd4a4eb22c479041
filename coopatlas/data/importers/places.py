"""Placing imported records on the reference geography (EPSG:4326 points).

* :class:`FrenchAuthorities`: a French collectivity given by name and type (and optionally a code, its
  department or region) -> its territory in the INSEE COG (commune, department, region or former region,
  EPCI, overseas collectivity) and its seat point.
* :class:`Gazetteer`: a country name -> ISO 3166-1 alpha-2 code; a foreign partner (country + name,
  optionally its region) -> a point: a GeoNames place (``lieux``), else a GeoNames admin-1 division, else
  the country itself, with the IATI-style precision ``localite`` / ``admin1`` / ``pays``.

Names are compared after :func:`coopatlas.text.normalise` and the removal of leading articles and of the
prefixes listed in the mapping file ("Conseil général du", "Commune de", "Province de"...).
"""

from .french_authorities import FrenchAuthorities, Seat
from .gazetteer import Gazetteer, Placement
from .place_names import NotFound, fr_key, name_key, slug

__all__ = ["FrenchAuthorities", "Gazetteer", "NotFound", "Placement", "Seat", "fr_key", "name_key", "slug"]
