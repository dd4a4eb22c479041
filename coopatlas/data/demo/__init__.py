"""The demo atlas: SYNTHETIC records on real geography, calibrated on the Atlas's published figures.

No project-level export of the Atlas is reachable offline, so this package generates one, deterministically
(fixed seed: the same tables on every run), whose statistics reproduce exactly the figures printed in the
Atlas's user guide (``datasets/figures/seed_figures.csv``: counts for the world and for France, APD per
year for the world and for Burkina Faso), its top-10 of collectivities (``seed_top_collectivites.csv``,
nobody else above 84 projects) and its four sample projects (``seed_sample_projects.csv``), verbatim.

Beyond those figures the data is made to look plausible to a GIS specialist, not to be true: projects
concentrated in Africa outside Europe (Mali > Burkina Faso > Sénégal), twinnings mostly in Europe, a
theme mix that depends on the continent, years from the 1980s to 2013, statuses, co-financing (Loi Oudin
for water projects), French collectivities of every type on real communes, departments, regions and EPCI
(INSEE COG), partners on real GeoNames places of the right country. Names of people, e-mails (reserved
``.example`` domains) and phone numbers (the ``01 99 00`` range reserved for fiction) are fictitious.

* :mod:`.figures`: the published figures reproduced; :mod:`.plausible`: the weights of everything else;
  :mod:`.sampling`: the random generator and exact integer totals;
* :mod:`.collectivites`, :mod:`.partenaires`, :mod:`.projets`, :mod:`.apd`, :mod:`.demandes`: each table;
* :mod:`.generator`: the steps in their order (the order of the random draws: changing it changes the bytes).

The output is :class:`coopatlas.data.tables.AtlasTables` (base tables only); the derived fields and
collections (names, counts, flows, aggregates) are computed by :mod:`coopatlas.data.derive`, the same way
for demo and imported data.
"""

from __future__ import annotations

from .collectivites import COLLECTIVITES_OUTRE_MER
from .figures import NOTICE_EN, NOTICE_FR, SEED
from .generator import DemoGenerator, generate

__all__ = ["COLLECTIVITES_OUTRE_MER", "NOTICE_EN", "NOTICE_FR", "SEED", "DemoGenerator", "generate"]
