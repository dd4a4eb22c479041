"""The styles of the atlas's collections, generated from the one palette of :mod:`coopatlas.vocabulary`.

- :mod:`.model`: what a style says (colour by code or by classes, proportional size), as plain data;
- :mod:`.definitions`: the style of every spatial collection (:data:`STYLES`), built from the vocabulary;
- :mod:`.qml`, :mod:`.sld`, :mod:`.maplibre`: one writer per file format (QGIS, OGC SLD 1.1/SE,
  MapLibre GL style spec v8);
- :mod:`.export`: writes every file into ``styles/`` (``python -m coopatlas.styles --out styles/``).
"""

from __future__ import annotations

from .definitions import STYLES
from .model import Style

__all__ = ["STYLES", "Style", "style"]


def style(collection_id: str) -> Style:
    """The style of a spatial collection; ``KeyError`` naming the styled collections otherwise."""
    try:
        return STYLES[collection_id]
    except KeyError:
        raise KeyError(f"no style for {collection_id!r}; styled collections: {', '.join(STYLES)}") from None
