"""Every collection, in the order the server lists them, and the lookup by id."""

from __future__ import annotations

from .activities import DEMANDES, PROJETS
from .actors import COLLECTIVITES, LIENS, PARTENAIRES
from .funding import APD, COFINANCEMENTS
from .model import Collection
from .places import DEPARTEMENTS, PAYS, REGIONS

#: Every collection, in the order the server lists them.
COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        PROJETS,
        DEMANDES,
        COLLECTIVITES,
        PARTENAIRES,
        LIENS,
        PAYS,
        REGIONS,
        DEPARTEMENTS,
        APD,
        COFINANCEMENTS,
    )
}

#: The private table behind ``demandes``: every request, whatever its validation status. The public
#: collection is a view of it restricted to :data:`coopatlas.vocabulary.STATUTS_VALIDATION_PUBLICS`.
DEMANDES_TABLE = "bourse_demandes"


def collection(cid: str) -> Collection:
    """The collection ``cid``; ``KeyError`` naming the known ids otherwise."""
    try:
        return COLLECTIONS[cid]
    except KeyError:
        raise KeyError(f"unknown collection {cid!r}; known: {', '.join(COLLECTIONS)}") from None
