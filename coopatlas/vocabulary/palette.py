"""Palette for choropleths and sizes: the style files of ``styles/`` are generated from it."""

from __future__ import annotations

from .records import COULEURS_TYPE_ACTION, TYPES_COLLECTIVITE

# --- Palette for choropleths and sizes (styles are generated from it) -------------------------------

PALETTE = {
    "type_action": COULEURS_TYPE_ACTION,
    "type_collectivite": {t.code: t.extra["couleur"] for t in TYPES_COLLECTIVITE},
    # Sequential ramp (light to dark blue) for counts of projects on countries, regions, departments.
    "choroplethe": ["#eff3ff", "#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c"],
    "sans_donnee": "#d9d9d9",
    "contour": "#666666",
    "mer": "#dcebf5",
    "voisins": "#e6e6e6",
}
