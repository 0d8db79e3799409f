"""Reading the tables a district office keeps (XLSX workbooks, CSV files) into rows of text.

:func:`read_rows` is the one reader: it returns a :class:`Table` whose every value is a
string in a canonical form, so that :mod:`ntmgeo.fieldvalues` converts an Excel number, an
Excel date and a typed "23,5" or "31/12/2024" the same way:

- whole numbers without ``.0`` (``5``, not ``5.0``), other numbers with a decimal comma and
  no thousands separator (``2,5``; the cell 23.198 is ``23,198``, never the text "23.198",
  which an amount reads as 23 198); dates as ISO ``YYYY-MM-DD`` (a date-time at midnight
  is a date); ``true`` / ``false`` for Excel's booleans; empty cells as ``""``; text
  stripped, in Unicode NFC (one code point per Vietnamese letter);
- the header is the first row with two or more non-empty cells (a title row above it, one
  merged cell, is skipped; a one-column table's header is its first non-empty row); headings
  have their line breaks and repeated spaces collapsed;
- rows wholly empty are skipped, and so are section rows of a workbook (a row whose only
  value is one cell merged across columns: "I. Vốn NTM"); a value merged down a column (one
  "Nguồn vốn" for several works) is repeated on each row it covers;
- every row carries its number as a spreadsheet program shows it (1-based, counting the
  header, the title and the blank rows), for messages ("dòng 7").

A CSV may be UTF-8 (with or without the byte-order mark Excel writes) or Windows-1258, with
``,``, ``;`` or tab between fields (whichever splits the header into the most columns).

Refused with an :class:`~ntmgeo._errors.InputError` naming the file (and the sheet, row and
column): a file that is not a workbook (not a ZIP archive) or not text, a formula whose value
was never computed (a workbook written by a program, not saved by Excel), a CSV row with more
or fewer fields than the header, two columns with one heading, a column with values but no
heading, an unknown sheet name (the message lists the sheets), a file with no table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io as _io
import math
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from . import settings
from ._errors import InputError
from .fieldvalues import NumberCell

__all__ = ["TABLE_SUFFIXES", "Table", "is_table_file", "read_rows"]

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv")
_DELIMITERS = (",", ";", "\t")
_SPACES = re.compile(r"\s+")


@dataclass
class Table:
    """The rows of one sheet (or one CSV file), every value as text."""

    path: Path
    sheet: str | None
    """The sheet read (``None`` for a CSV)."""
    headers: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    """(row number as a spreadsheet shows it, {heading: value}); ``""`` for an empty cell."""
    header_row: int = 1
    """The number of the header's row."""


def is_table_file(path: str | Path) -> bool:
    """Whether ``path`` is read as a table (by its extension: .xlsx, .xlsm, .csv)."""
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def heading(text: Any) -> str:
    """A heading as the table's columns are named: stripped, whitespace runs (line breaks in
    a cell) as one space.
    """
    return _SPACES.sub(" ", canonical(text)).strip()


def canonical(value: Any) -> str:
    """One cell's value as text (see the module's description)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        # a number cell is unambiguous: its decimals after a comma, no thousands separator,
        # as Vietnamese Excel shows it ("23,198"), which an ``amount`` (where a dot separates
        # thousands) and a ``real`` alike read back as 23.198
        return NumberCell(np.format_float_positional(value, trim="-").replace(".", ","),
                          value)
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return unicodedata.normalize("NFC", str(value)).strip()


def _column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index (0 → A, 26 → AA)."""
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _build(path: Path, sheet: str | None, raw: list[tuple[int, list[str]]]) -> Table:
    """Header and rows from (row number, cells as text) of non-empty rows."""
    where = _where(path, sheet)
    filled = [(n, cells) for n, cells in raw if any(cells)]
    start = _header_index(path, sheet, filled)
    header_row, header_cells = filled[start]
    headers = [heading(c) for c in header_cells]
    data = filled[start + 1:]
    width = max([len(headers), *(len(c) for _n, c in data)])
    headers += [""] * (width - len(headers))
    used = [i for i in range(width)
            if headers[i] or any(i < len(c) and c[i] for _n, c in data)]
    seen: dict[str, int] = {}
    for i in used:
        name = headers[i]
        if not name:
            first = next(n for n, c in data if i < len(c) and c[i])
            raise InputError("column {column} has values (row {row}) but no heading in row "
                             "{header_row}", path=where, column=_column_letter(i), row=first,
                             header_row=header_row)
        folded = name.casefold()
        if folded in seen:
            raise InputError("row {row}: columns {a} and {b} have the same heading '{name}'",
                             path=where, row=header_row, a=_column_letter(seen[folded]),
                             b=_column_letter(i), name=name)
        seen[folded] = i
    names = [headers[i] for i in used]
    rows = []
    for n, cells in data:
        values = {headers[i]: (cells[i] if i < len(cells) else "") for i in used}
        if any(values.values()):
            rows.append((n, values))
    return Table(path=path, sheet=sheet, headers=names, rows=rows, header_row=header_row)


def _header_index(path: Path, sheet: str | None, filled: list[tuple[int, list[str]]]) -> int:
    """Index in ``filled`` (the non-empty rows) of the header: the first row of two or more
    values, else the first.
    """
    if not filled:
        raise InputError("holds no table (every row is empty)", path=_where(path, sheet))
    multi = next((i for i, (_n, cells) in enumerate(filled)
                  if sum(1 for c in cells if c) >= 2), None)
    return multi if multi is not None else 0


def _where(path: Path, sheet: str | None) -> str:
    return f"{path}[{sheet}]" if sheet else str(path)


# ------------------------------------------------------------------------------------ XLSX


def _open_workbook(path: Path, *, data_only: bool, read_only: bool) -> Any:
    import openpyxl

    try:
        return openpyxl.load_workbook(path, read_only=read_only, data_only=data_only)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError("is not a readable Excel workbook (.xlsx) ({reason})",
                         path=str(path), reason=reason) from None


def _sheet_cells(ws: Any) -> list[tuple[int, list[Any]]]:
    return [(n, list(r)) for n, r in enumerate(ws.iter_rows(values_only=True), start=1)]


def _read_xlsx(path: Path, sheet: str | None) -> Table:
    if not zipfile.is_zipfile(path):
        raise InputError("is not a readable Excel workbook (.xlsx) ({reason})",
                         path=str(path), reason="not a ZIP archive")
    wb = _open_workbook(path, data_only=True, read_only=False)
    try:
        names = list(wb.sheetnames)
        if sheet is not None:
            if sheet not in names:
                raise InputError("has no sheet '{sheet}' (sheets: {names})", path=str(path),
                                 sheet=sheet, names=", ".join(names))
            chosen = sheet
        else:
            chosen = next((s for s in names if wb[s].max_row and any(
                any(v is not None and str(v).strip() for v in r)
                for r in wb[s].iter_rows(values_only=True))), names[0])
        ws = wb[chosen]
        cells = _sheet_cells(ws)
        section_rows, fill = _merges(ws)
    finally:
        wb.close()
    _check_formulas(path, chosen, cells)
    for (row, col), value in fill.items():
        if row - 1 < len(cells):
            line = cells[row - 1][1]
            line.extend([None] * (col - len(line)))
            if line[col - 1] is None:
                line[col - 1] = value
    raw = [(n, [canonical(v) for v in line]) for n, line in cells if n not in section_rows]
    return _build(path, chosen, raw)


def _merges(ws: Any) -> tuple[set[int], dict[tuple[int, int], Any]]:
    """Rows that hold only one value merged across columns (section headings), and the cells
    a value merged down a column covers (row, column → the value).
    """
    across: dict[int, int] = {}
    fill: dict[tuple[int, int], Any] = {}
    for rng in ws.merged_cells.ranges:
        top = ws.cell(rng.min_row, rng.min_col).value
        if rng.max_col > rng.min_col and rng.min_row == rng.max_row:
            across[rng.min_row] = rng.max_col - rng.min_col + 1
        if rng.max_row > rng.min_row and rng.min_col == rng.max_col:
            for r in range(rng.min_row + 1, rng.max_row + 1):
                fill[(r, rng.min_col)] = top
    sections = set()
    for row in across:
        values = [c.value for c in ws[row] if c.value is not None and str(c.value).strip()]
        if len(values) == 1:
            sections.add(row)
    return sections, fill


def _check_formulas(path: Path, sheet: str, cells: list[tuple[int, list[Any]]]) -> None:
    """Refuse a formula whose value the workbook does not hold (never computed)."""
    empty = {(n, i) for n, line in cells for i, v in enumerate(line) if v is None}
    if not empty:
        return
    wb = _open_workbook(path, data_only=False, read_only=True)
    try:
        for n, line in enumerate(wb[sheet].iter_rows(values_only=True), start=1):
            for i, v in enumerate(line):
                if isinstance(v, str) and v.startswith("=") and (n, i) in empty:
                    raise InputError("row {row}, column {column}: the formula {formula} has "
                                     "no computed value (open the file in a spreadsheet "
                                     "program and save it, or paste the values)",
                                     path=_where(path, sheet), row=n,
                                     column=_column_letter(i), formula=v)
    finally:
        wb.close()


# ------------------------------------------------------------------------------------ CSV


def _decode(path: Path, data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1258")
    except UnicodeDecodeError as exc:
        raise InputError("is neither UTF-8 nor Windows-1258 text ({reason})", path=str(path),
                         reason=str(exc)) from None


def _delimiter(text: str) -> str:
    """The delimiter that splits the first non-empty line into the most fields."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: len(next(csv.reader([first], delimiter=d), [])) for d in _DELIMITERS}
    return max(_DELIMITERS, key=lambda d: (counts[d], -_DELIMITERS.index(d)))


def _read_csv(path: Path) -> Table:
    text = _decode(path, path.read_bytes())
    delim = _delimiter(text)
    try:
        records = list(csv.reader(_io.StringIO(text, newline=""), delimiter=delim))
    except csv.Error as exc:
        raise InputError("cannot be read as CSV ({reason})", path=str(path),
                         reason=str(exc)) from None
    raw = [(n, [canonical(c) for c in rec]) for n, rec in enumerate(records, start=1)]
    filled = [(n, cells) for n, cells in raw if any(cells)]
    start = _header_index(path, None, filled)
    header_row, header_cells = filled[start]
    width = len(header_cells)
    for n, cells in filled[start + 1:]:
        extra = cells[width:]
        if len(cells) < width or any(extra):
            raise InputError("row {row} has {got} fields, the header (row {header_row}) has "
                             "{want}", path=str(path), row=n, got=len(cells), want=width,
                             header_row=header_row)
    return _build(path, None, raw)


# ------------------------------------------------------------------------------------ entry


def read_rows(path: str | Path, *, sheet: str | None = None) -> Table:
    """Read the table of an XLSX workbook (its first non-empty sheet, or ``sheet``) or of a
    CSV file; see the module's description for what is read and what is refused.
    """
    path = Path(path)
    from .io import _check_size

    _check_size(path, settings.max_input_bytes)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path, sheet)
    if suffix == ".csv":
        if sheet is not None:
            raise InputError("a CSV file has no sheets (asked for '{sheet}')", path=str(path),
                             sheet=sheet)
        return _read_csv(path)
    raise InputError("unsupported table type '{ext}' (supported: {known})", path=str(path),
                     ext=path.suffix, known=", ".join(TABLE_SUFFIXES))
