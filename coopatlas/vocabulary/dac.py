"""The OECD DAC / CRS code lists of declared official development aid (APD): purpose codes (5-digit sectors)
and their 3-digit groups, channels of delivery, policy markers and their scores.

One home: the lists are read from the IATI replicas of the OECD lists kept in ``datasets/iati/codelists``
(``Sector``, ``SectorCategory``, ``CRSChannelCode``, ``PolicyMarker``, ``PolicySignificance``; source commits
and licence in ``datasets/iati/README.md``), the same files the IATI export is validated against. The leaf
themes of :mod:`.themes` map to these purpose codes.

* :data:`SECTEURS_CAD`: every 5-digit purpose code (``extra``: ``groupe``, the 3-digit group; ``statut``,
  ``active`` or ``withdrawn``); French names from the IATI French translation, English otherwise;
* :data:`GROUPES_CAD`: the 3-digit groups ("DAC 3 Digit Sector");
* :data:`CANAUX`: the channels of delivery at the level the declaration needs, the CRS channel codes ending
  in ``000`` (``10000`` public sector … ``11000`` donor government, ``12000`` recipient government,
  ``13000`` third-country government (delegated co-operation), ``20000`` NGOs and civil society, ``40000``
  multilateral organisations …); :func:`canal_agrege` brings any finer CRS code (``11002`` local government,
  ``41122`` UNICEF…) to its channel of this list;
* :data:`MARQUEURS`: the policy markers of the declaration (``extra``: ``champ``, the APD field;
  ``crs``, the column of the CRS files; ``iati``, the IATI PolicyMarker code);
* :data:`SCORES_MARQUEUR`: ``0`` not targeted, ``1`` significant objective, ``2`` principal objective
  (IATI PolicySignificance 0-2; a marker not declared is NULL).
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from .model import CodeList, Term, _terms

#: The IATI code lists kept in the project (read here, validated against by the IATI export).
IATI_CODELISTS = Path(__file__).resolve().parents[2] / "datasets" / "iati" / "codelists"
_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def _items(name: str) -> list[dict]:
    """The items of one kept IATI code list: ``code``, ``en``, ``fr`` (English when not translated),
    ``category`` and ``status``."""
    out = []
    for item in ET.parse(IATI_CODELISTS / f"{name}.xml").getroot().iter("codelist-item"):
        names = {n.get(_LANG, "en"): (n.text or "").strip() for n in item.find("name").iter("narrative")}
        out.append(
            {
                "code": item.findtext("code").strip(),
                "en": names.get("en", ""),
                "fr": names.get("fr") or names.get("en", ""),
                "category": (item.findtext("category") or "").strip() or None,
                "status": item.get("status", "active"),
            }
        )
    return out


SECTEURS_CAD = CodeList(
    "secteur_cad",
    [Term(i["code"], i["fr"], i["en"], {"groupe": i["category"], "statut": i["status"]}) for i in _items("Sector")],
)
GROUPES_CAD = CodeList("groupe_cad", [Term(i["code"], i["fr"], i["en"]) for i in _items("SectorCategory")])

_CHANNELS = {i["code"]: i for i in _items("CRSChannelCode")}
CANAUX = CodeList(
    "canal",
    [
        Term(c, i["fr"], i["en"], {"parent": i["category"], "statut": i["status"]})
        for c, i in _CHANNELS.items()
        if c.endswith("000")
    ],
)


def canal_agrege(code: str) -> str | None:
    """The channel of :data:`CANAUX` of a CRS channel code (itself, or its nearest parent in the CRS list);
    ``None`` for a code that is not a CRS channel code."""
    seen = set()
    while code in _CHANNELS and code not in seen:
        if code in CANAUX:
            return code
        seen.add(code)
        code = _CHANNELS[code]["category"]
    return None


#: The policy markers of the declaration: (code, fr, en, {champ, crs, iati}).
MARQUEURS = CodeList(
    "marqueur",
    _terms(
        [
            (
                "genre",
                "Égalité femmes-hommes",
                "Gender equality",
                {"champ": "marqueur_genre", "crs": "Gender", "iati": 1},
            ),
            (
                "environnement",
                "Environnement",
                "Aid to environment",
                {"champ": "marqueur_environnement", "crs": "Environment", "iati": 2},
            ),
            (
                "biodiversite",
                "Biodiversité",
                "Biodiversity",
                {"champ": "marqueur_biodiversite", "crs": "Biodiversity", "iati": 5},
            ),
            (
                "climat_attenuation",
                "Climat : atténuation",
                "Climate change mitigation",
                {"champ": "marqueur_climat_attenuation", "crs": "ClimateMitigation", "iati": 6},
            ),
            (
                "climat_adaptation",
                "Climat : adaptation",
                "Climate change adaptation",
                {"champ": "marqueur_climat_adaptation", "crs": "ClimateAdaptation", "iati": 7},
            ),
            (
                "desertification",
                "Désertification",
                "Desertification",
                {"champ": "marqueur_desertification", "crs": "Desertification", "iati": 8},
            ),
            (
                "nutrition",
                "Nutrition",
                "Nutrition",
                {"champ": "marqueur_nutrition", "crs": "Nutrition", "iati": 12},
            ),
        ]
    ),
)

#: The scores of a marker (IATI PolicySignificance 0 to 2; 3 and 4 are not used by the declaration).
SCORES_MARQUEUR = CodeList(
    "score_marqueur",
    _terms(
        [
            ("0", "Non ciblé", "Not targeted"),
            ("1", "Objectif significatif", "Significant objective"),
            ("2", "Objectif principal", "Principal objective"),
        ]
    ),
)


def champs_marqueurs() -> list[str]:
    """The APD fields of the markers, in the order of :data:`MARQUEURS`."""
    return [t.extra["champ"] for t in MARQUEURS]
