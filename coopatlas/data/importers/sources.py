"""Reading the files given to the importers: CSV (any delimiter among ``;`` ``,`` tab, UTF-8 or
Windows-1252) and XLSX workbooks, with the position of every value for error messages.

Every problem found in a file is reported with the file, the line (the physical line of a CSV file where
the record starts, the row number of a worksheet) and the column (its header): :class:`SourceError`.
Nothing here knows what the columns mean; :mod:`coopatlas.data.importers.mapping` does.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..derive import DataError

#: How many problems one error message lists (the total count is always given).
MAX_LISTED = 50
#: The delimiters a CSV file may use, as error messages name them.
DELIMITERS = {";": "';'", ",": "','", "\t": "tab"}
#: How many records the delimiter is guessed from (title lines may come before the header row).
SNIFF_RECORDS = 10


@dataclass(frozen=True)
class Problem:
    """One bad value or structure: where (file, sheet, line, column) and what."""

    file: str
    message: str
    line: int | None = None
    column: str | None = None
    sheet: str | None = None

    def __str__(self) -> str:
        where = [self.file]
        if self.sheet:
            where.append(f"sheet {self.sheet!r}")
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column is not None:
            where.append(f"column {self.column!r}")
        return f"{', '.join(where)}: {self.message}"


class SourceError(DataError):
    """Bad input files. ``problems`` lists every problem found, each naming its file, line and column."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        lines = [str(p) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) == 1:
            msg = lines[0]
        else:
            more = len(self.problems) - len(lines)
            msg = (
                f"{len(self.problems)} problems in the input:\n  "
                + "\n  ".join(lines)
                + (f"\n  ... and {more} more" if more else "")
            )
        super().__init__(msg)


class Problems:
    """A collector of problems, raised together (:meth:`raise_if_any`) so that one run shows them all."""

    def __init__(self):
        self.items: list[Problem] = []

    def add(self, problem: Problem) -> None:
        self.items.append(problem)

    def __bool__(self) -> bool:
        return bool(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise SourceError(self.items)


# --- Decoding ------------------------------------------------------------------------------------------

_UTF8_MULTIBYTE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")


def _position(data: bytes, offset: int) -> tuple[int, int]:
    """(1-based line, start offset of that line) of byte ``offset``."""
    return data.count(b"\n", 0, offset) + 1, data.rfind(b"\n", 0, offset) + 1


def _column_at(data: bytes, offset: int, encoding: str) -> str | None:
    """The header of the CSV column holding byte ``offset`` (best effort, for error messages): the header
    row is taken as the first of the first lines with the most cells (title lines may come before it)."""
    head_text = b"\n".join(data.split(b"\n", SNIFF_RECORDS)[:SNIFF_RECORDS]).decode(encoding, "replace")
    delimiter = sniff_delimiter(head_text)
    try:
        records = list(csv.reader(io.StringIO(head_text, newline=""), delimiter=delimiter))
    except csv.Error:
        records = []
    header = max(records, key=len, default=[])
    _, start = _position(data, offset)
    prefix = data[start:offset].decode(encoding, "replace")
    fields = next(csv.reader([prefix + "x"], delimiter=delimiter), [""])
    i = len(fields) - 1
    if i < len(header) and header[i].strip():
        return header[i].strip()
    return f"#{i + 1}"


def decode(data: bytes, file: str, encoding: str | None = None) -> tuple[str, str]:
    """Text of a file and the encoding used: UTF-8 (with or without BOM), UTF-16 with a BOM, else
    Windows-1252 (cp1252, the encoding of French Excel's CSV exports).

    A file that is mostly UTF-8 but holds invalid bytes is refused (not decoded as cp1252, which would
    turn every accent into mojibake); a byte that no candidate encoding can decode is refused.
    ``encoding`` forces one encoding. Raises :class:`SourceError` naming the line and column.
    """
    if encoding:
        candidates = [encoding]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8-sig"]
    try:
        return data.decode(candidates[0]), candidates[0]
    except UnicodeDecodeError as exc:
        first_error = exc
    except LookupError:
        raise SourceError(Problem(file, f"unknown encoding {encoding!r}")) from None
    if not encoding and candidates[0] == "utf-8-sig":
        n_valid = len(_UTF8_MULTIBYTE.findall(data))
        n_bad = data.decode("utf-8", "replace").count("\ufffd")
        if n_valid <= n_bad:  # not a UTF-8 file: the Windows encoding of French spreadsheets
            try:
                return data.decode("cp1252"), "cp1252"
            except UnicodeDecodeError as exc:
                first_error = exc
                candidates = ["cp1252"]
    pos = first_error.start
    line, _ = _position(data, pos)
    col = _column_at(data, pos, "utf-8" if candidates[0].startswith("utf-8") else candidates[0])
    what = (
        "invalid UTF-8 bytes in a UTF-8 file"
        if candidates[0] == "utf-8-sig"
        else f"byte not decodable as {candidates[0]}"
    )
    raise SourceError(
        Problem(
            file,
            f"broken encoding: {what} (byte 0x{data[pos]:02x} at offset {pos}); save the file as UTF-8",
            line=line,
            column=col,
        )
    )


def _delimiter_counts(text: str, limit: int = SNIFF_RECORDS) -> list[dict[str, int]]:
    """How many of each delimiter the first ``limit`` non-blank records of a CSV text hold, outside quotes
    (a quoted cell may span lines)."""
    records: list[dict[str, int]] = []
    counts, blank, quoted = dict.fromkeys(DELIMITERS, 0), True, False
    for ch in text.lstrip("\ufeff"):
        if ch == '"':
            quoted = not quoted
        elif quoted:
            pass
        elif ch == "\n":
            if not blank:
                records.append(counts)
                if len(records) == limit:
                    return records
            counts, blank = dict.fromkeys(DELIMITERS, 0), True
            continue
        elif ch in counts:
            counts[ch] += 1
        if not ch.isspace():
            blank = False
    if not blank:
        records.append(counts)
    return records


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV text: of ``;`` ``,`` and tab (outside quotes), the one that splits the most of
    its first records into the same number of cells, so that a title line before the header row or commas
    in a text do not decide; ``,`` when none appears."""
    records = _delimiter_counts(text)
    best, best_score = ",", (0, 0, True)
    for delimiter in DELIMITERS:
        counts = [r[delimiter] for r in records if r[delimiter]]
        if not counts:
            continue
        usual = max(set(counts), key=lambda n: (counts.count(n), n))
        score = (counts.count(usual), usual, delimiter == ",")
        if score > best_score:
            best, best_score = delimiter, score
    return best


# --- Sheets --------------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """The raw rows of one CSV file or one worksheet: ``(line, cells)`` pairs, blank rows left out.

    Cells are ``str`` (CSV) or the worksheet's values (``str``, ``int``, ``float``, ``datetime``,
    ``bool`` or ``None``). ``line`` is the CSV line where the record starts, or the worksheet row.
    """

    file: str
    rows: list[tuple[int, list]]
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    notes: list[str] = field(default_factory=list)

    def problem(self, message: str, line: int | None = None, column: str | None = None) -> Problem:
        return Problem(self.file, message, line=line, column=column, sheet=self.sheet)


def _blank(cells) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def read_csv(
    path: str | Path, encoding: str | None = None, delimiter: str | None = None, file: str | None = None
) -> Sheet:
    """One CSV file: encoding and delimiter detected unless given (see :func:`decode`)."""
    path = Path(path)
    name = file or str(path)
    text, used = decode(path.read_bytes(), name, encoding)
    delim = delimiter or sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delim)
    rows = []
    last = 0
    try:
        for cells in reader:
            start = last + 1
            last = reader.line_num
            if cells and not _blank(cells):
                rows.append((start, cells))
    except csv.Error as exc:
        raise SourceError(Problem(name, f"malformed CSV: {exc}", line=last + 1)) from None
    return Sheet(name, rows, encoding=used, delimiter=delim)


def read_xlsx(path: str | Path, file: str | None = None) -> list[Sheet]:
    """Every worksheet of an XLSX workbook (values, not formulas)."""
    import zipfile

    import openpyxl

    path = Path(path)
    name = file or str(path)
    try:
        wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SourceError(Problem(name, f"not a readable XLSX workbook: {exc}")) from None
    sheets = []
    try:
        for ws in wb.worksheets:
            rows = []
            for n, values in enumerate(ws.iter_rows(min_row=1, min_col=1, values_only=True), start=1):
                cells = [v.strip() if isinstance(v, str) else v for v in values]
                if not _blank(cells):
                    rows.append((n, cells))
            sheets.append(Sheet(name, rows, sheet=ws.title))
    finally:
        wb.close()
    return sheets


def file_info(path: Path) -> dict:
    """What the atlas metadata records of an imported file: its name, SHA-256 and size in bytes."""
    data = Path(path).read_bytes()
    return {"nom": Path(path).name, "sha256": hashlib.sha256(data).hexdigest(), "octets": len(data)}


CSV_SUFFIXES = (".csv", ".txt", ".tsv")
XLSX_SUFFIXES = (".xlsx", ".xlsm")


def read_sheets(path: str | Path, encoding: str | None = None) -> list[Sheet]:
    """The sheets of a CSV file (one) or an XLSX workbook (one per worksheet), by file extension."""
    path = Path(path)
    if not path.is_file():
        raise SourceError(Problem(str(path), "no such file"))
    suffix = path.suffix.lower()
    if suffix in CSV_SUFFIXES:
        return [read_csv(path, encoding)]
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path)
    raise SourceError(
        Problem(
            str(path),
            f"unsupported file type {suffix!r}: give CSV ({', '.join(CSV_SUFFIXES)}) "
            f"or XLSX ({', '.join(XLSX_SUFFIXES)}) files",
        )
    )


def iter_records(sheet: Sheet, header_line: int, headers: list[str]) -> Iterator[tuple[int, dict]]:
    """``(line, {header: cell})`` for the rows of ``sheet`` after its header row.

    A row with more cells than headers is reported (its extra cells would otherwise be lost).
    """
    width = len(headers)
    for line, cells in sheet.rows:
        if line <= header_line:
            continue
        extra = [c for c in cells[width:] if not (c is None or (isinstance(c, str) and not c.strip()))]
        if extra:
            raise SourceError(
                sheet.problem(
                    f"{len(cells)} cells for {width} columns (value {extra[0]!r} is outside the table)", line=line
                )
            )
        yield line, {h: (cells[i] if i < len(cells) else None) for i, h in enumerate(headers) if h}
