"""Reading typed values (years, dates, amounts, mapped vocabularies) out of source rows, with the problems
they raise."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from .mapping import Mapping, TableSpec, ValueMap
from .sources import Problems, Sheet

YEARS = (1900, 2100)
_YEAR = re.compile(r"(\d{4})(?:\.0+)?")
_DMY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")
_MY = re.compile(r"(\d{1,2})[/.-](\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


@dataclass
class RowContext:
    """One source row: typed accessors that record problems (file, sheet, line, column) as they go."""

    sheet: Sheet
    line: int
    spec: TableSpec
    colmap: dict[str, str]  # field -> header of the file
    cells: dict[str, object]  # header -> cell
    problems: Problems
    mapping: Mapping

    def column(self, name: str) -> str:
        """The header of field ``name`` in this file (or its first accepted header when absent)."""
        return self.colmap.get(name) or self.spec.columns.get(name, [name])[0]

    def where(self) -> str:
        sheet = f" [{self.sheet.sheet}]" if self.sheet.sheet else ""
        return f"{self.sheet.file}{sheet}:{self.line}"

    def problem(self, name: str, message: str) -> None:
        self.problems.add(self.sheet.problem(message, line=self.line, column=self.column(name)))

    def raw(self, name: str):
        h = self.colmap.get(name)
        v = self.cells.get(h) if h else None
        if isinstance(v, str):
            v = v.strip()
            return v or None
        return v

    def text(self, name: str) -> str | None:
        v = self.raw(name)
        if v is None:
            return None
        if isinstance(v, float) and v.is_integer():
            v = int(v)
        if isinstance(v, dt.datetime):
            v = v.date()
        if isinstance(v, dt.date):
            return v.isoformat()
        return str(v)

    def required(self, name: str) -> str | None:
        v = self.text(name)
        if v is None:
            self.problem(name, "empty value (required)")
        return v

    def year(self, name: str) -> int | None:
        v = self.raw(name)
        if v is None:
            return None
        y = None
        if isinstance(v, (dt.date, dt.datetime)):
            y = v.year
        elif isinstance(v, bool):
            y = None
        elif isinstance(v, (int, float)):
            y = int(v) if float(v).is_integer() else None
        else:
            s = str(v).strip()
            for rx, g in ((_YEAR, 1), (_DMY, 3), (_MY, 2), (_ISO, 1)):
                m = rx.fullmatch(s)
                if m:
                    y = int(m.group(g))
                    break
        if y is None or not YEARS[0] <= y <= YEARS[1]:
            self.problem(name, f"bad year {v!r} (a year between {YEARS[0]} and {YEARS[1]}, or a date)")
            return None
        return y

    def date(self, name: str) -> str | None:
        v = self.raw(name)
        if v is None:
            return None
        try:
            if isinstance(v, dt.datetime):
                return v.date().isoformat()
            if isinstance(v, dt.date):
                return v.isoformat()
            s = str(v).strip()
            m = _ISO.fullmatch(s)
            if m:
                return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3))).isoformat()
            m = _DMY.fullmatch(s)
            if m:
                return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1))).isoformat()
        except ValueError:
            pass
        self.problem(name, f"bad date {v!r} (DD/MM/YYYY or YYYY-MM-DD)")
        return None

    def boolean(self, name: str, default=None) -> bool | None:
        v = self.raw(name)
        if v is None:
            return default
        if isinstance(v, bool):
            return v
        if isinstance(v, (int, float)) and v in (0, 1):
            return bool(v)
        code = self.mapping.booleans.lookup(str(v))
        if code is None:
            self.problem(
                name,
                f"not a yes/no value: {v!r} (known: {', '.join(self.mapping.booleans.labels())}; "
                f"add it to values.booleen of {self.mapping.path.name})",
            )
            return default
        return code == "true"

    def code(self, name: str, values: ValueMap, default=None) -> str | None:
        v = self.text(name)
        if v is None:
            return default
        code = values.lookup(v)
        if code is None:
            self.problem(
                name, f"unknown {values.name} {v!r}: add this label to values.{values.name} of {self.mapping.path.name}"
            )
        return code

    def amount(self, name: str) -> float | None:
        v = self.raw(name)
        if v is None:
            return None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            x = float(v)
        else:
            x = parse_amount(str(v))
        if x is None or x < 0:
            self.problem(name, f"bad amount {v!r} (euros, e.g. 12 500,50)")
            return None
        return x


def parse_amount(text: str) -> float | None:
    """Euros from French or international notation ("12 500,50 €", "12,500.50", "12500"); ``None`` if not."""
    s = _SPACES.sub("", text)
    s = re.sub(r"(?i)(€|eur(os?)?)$", "", s)
    if not re.fullmatch(r"-?[\d.,]+", s or "x"):
        return None
    if "," in s and "." in s:
        dec = "," if s.rfind(",") > s.rfind(".") else "."
        s = s.replace("." if dec == "," else ",", "").replace(",", ".")
    elif s.count(",") == 1:
        s = s.replace(",", ".")
    elif s.count(",") > 1 or s.count(".") > 1:
        s = s.replace(",", "").replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None
