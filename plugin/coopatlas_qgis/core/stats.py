"""The statistics of a search (result of the ``statistiques`` process) as tables, CSV and a chart.

Amounts are declared official development aid (APD) in euros; percentages are shares of the scope
(0 to 100).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from .i18n import tr

#: The counts of the "Etat" panel, in the order shown.
COUNT_KEYS = (
    "collectivites_francaises_engagees",
    "collectivites_partenaires",
    "collectivites_en_recherche",
    "projets_cooperation_decentralisee",
    "projets_actions_exterieures",
    "demandes_cooperation",
    "pays",
)
REPARTITIONS = ("repartition_pays", "repartition_thematiques", "repartition_continents")


def count_label(key: str) -> str:
    return {
        "collectivites_francaises_engagees": tr("French local authorities engaged"),
        "collectivites_partenaires": tr("Partner local authorities"),
        "collectivites_en_recherche": tr("Authorities seeking a partner"),
        "projets_cooperation_decentralisee": tr("Decentralised cooperation projects"),
        "projets_actions_exterieures": tr("Other external actions"),
        "demandes_cooperation": tr("Cooperation requests"),
        "pays": tr("Countries"),
    }.get(key, key)


def repartition_label(key: str) -> str:
    return {
        "repartition_pays": tr("By country"),
        "repartition_thematiques": tr("By theme"),
        "repartition_continents": tr("By continent"),
    }.get(key, key)


@dataclass
class Table:
    """A table to show and export: ``headers`` and ``rows`` (lists of values)."""

    title: str
    headers: list[str]
    rows: list[list]

    def write_csv(self, path: str | Path) -> Path:
        """Write the table as CSV (UTF-8 with BOM so that spreadsheet programs read the accents,
        comma-separated, numbers unformatted)."""
        path = Path(path)
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(self.headers)
            writer.writerows(self.rows)
        return path


class Statistics:
    """Read access to a ``statistiques`` result."""

    def __init__(self, data: dict | None):
        self.data = data or {}
        nested = self.data.get("comptes") or self.data.get("counts") or {}
        self._counts = {k: self.data.get(k, nested.get(k)) for k in COUNT_KEYS}

    def count(self, key: str) -> int | None:
        value = self._counts.get(key)
        return int(value) if isinstance(value, (int, float)) else None

    def counts(self) -> Table:
        return Table(
            tr("Overview"),
            [tr("Indicator"), tr("Number")],
            [[count_label(k), self.count(k)] for k in COUNT_KEYS if self.count(k) is not None],
        )

    def apd(self) -> Table:
        """Declared APD per year (euros), oldest year first."""
        rows = sorted(
            (int(r["annee"]), float(r.get("montant") or 0.0))
            for r in self.data.get("apd_par_annee") or []
            if r.get("annee") is not None
        )
        return Table(
            tr("Declared official development aid per year"),
            [tr("Year"), tr("Amount (euros)")],
            [[a, m] for a, m in rows],
        )

    def apd_total(self) -> float:
        return sum(m for _, m in self.apd().rows)

    def top(self) -> Table:
        rows = [
            [r.get("nom"), r.get("type_collectivite_libelle") or r.get("type_collectivite"), r.get("nb_projets")]
            for r in self.data.get("top_collectivites") or []
        ]
        return Table(tr("Most engaged local authorities"), [tr("Local authority"), tr("Type"), tr("Projects")], rows)

    def top_ids(self) -> list[str]:
        return [r.get("id") for r in self.data.get("top_collectivites") or []]

    def repartition(self, key: str) -> Table:
        rows = [
            [r.get("libelle") or r.get("code"), r.get("nombre"), r.get("pourcentage")] for r in self.data.get(key) or []
        ]
        return Table(repartition_label(key), [tr("Name"), tr("Number"), tr("Percentage")], rows)

    def tables(self) -> list[Table]:
        return [self.counts(), self.apd(), self.top(), *(self.repartition(k) for k in REPARTITIONS)]

    def apd_figure(self, figure=None):
        """A matplotlib bar chart of the APD per year (millions of euros); a new ``Figure`` when none is
        given (no pyplot: safe in any thread)."""
        from matplotlib.figure import Figure

        fig = figure or Figure(figsize=(6, 3.2), dpi=100)
        fig.clear()
        ax = fig.add_subplot(111)
        table = self.apd()
        years = [r[0] for r in table.rows]
        amounts = [r[1] / 1e6 for r in table.rows]
        if years:
            ax.bar(years, amounts, color="#1f5fbf")
            ax.set_xticks(years if len(years) <= 12 else years[:: max(1, len(years) // 12)])
            ax.tick_params(axis="x", labelrotation=45)
        else:
            ax.text(0.5, 0.5, tr("No declared aid"), ha="center", va="center", transform=ax.transAxes)
        ax.set_ylabel(tr("Millions of euros"))
        ax.set_title(tr("Declared official development aid per year"))
        ax.spines["top"].set_visible(False)
        ax.spines["right"].set_visible(False)
        fig.tight_layout()
        return fig
