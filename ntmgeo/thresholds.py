"""Indicator thresholds from a file: a province's or a user's, with its own source and date.

A thresholds file is a YAML document, a CSV file or an XLSX workbook. Its rows give, for a
criteria set, an indicator and (optionally) a commune group or region, a comparison
(``op``), a value and its unit, or a pass/fail threshold's text. A table has a column per
field of the store's ``thresholds`` record table (headings as ``data/record_tables.yml`` reads
them: "Bộ tiêu chí", "Chỉ tiêu", "Nhóm xã", "Phép so sánh", "Ngưỡng", "Đơn vị tính", "Ngày văn
bản", "Nguồn"…). A YAML file::

    source: "Quyết định …/QĐ-UBND tỉnh …"     # the file's source (a row may give its own)
    date: 2026-03-01                            # the file's date (a row's as_of overrides)
    criteria_set: vn-commune-2026-2030          # the rows' set, unless a row names its own
    thresholds:
      - {criterion_id: "2", indicator_id: "2.1", indicator_name: "…",
         group: "Nhóm 3", op: ">=", value: 70, unit: "%"}

Where the catalogue lists no indicator of the criterion (51/2025/QĐ-TTg), a row adds its
indicator to the criterion it names (``criterion_id``) under ``indicator_name``: the file
then gives the indicator as well as its threshold; such a criterion's indicators are not
taken as its full list (:func:`ntmgeo.criteria.with_thresholds`).

:func:`read_file` is the one loader (rows checked against the catalogue; a bad one raises an
:class:`~ntmgeo._errors.InputError` naming the file, the row and the column); :func:`load`
adds them to a store, where they then drive the status (``ntmgeo import thresholds FILE``
goes through the record-table import for CSV and XLSX; the rows are checked when applied);
:func:`check` and :func:`applied` are pure.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import criteria as criteria_mod
from . import tables
from ._errors import CriterionDataMissing, InputError, Message
from .criteria import CriteriaSet
from .layers import column_map

__all__ = ["applied", "check", "load", "read_file", "rows_of"]

_TABLE = "thresholds"


class _Fields:
    def __init__(self, fields: tuple[Any, ...]) -> None:
        self.fields = fields


def _cell_error(where: str, row: int, column: str, reason: Message) -> InputError:
    return InputError("row {row}, column '{column}': {reason}", path=where, row=row,
                      column=column, reason=reason)


def _yaml_table(path: Path) -> tables.Table:
    """A YAML thresholds file as a table: its top-level ``source``, ``date`` and
    ``criteria_set`` fill the rows that give none; row numbers count the list's entries.
    """
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise InputError("cannot be read ({reason})", path=str(path),
                         reason=str(exc).splitlines()[0]) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("thresholds"), list):
        raise InputError("a thresholds file needs a list 'thresholds'", path=str(path))
    defaults = {"source": doc.get("source"), "as_of": doc.get("date"),
                "criteria_set": doc.get("criteria_set")}
    rows, headers = [], list(dict.fromkeys(k for k, v in defaults.items() if v is not None))
    for number, entry in enumerate(doc["thresholds"], start=1):
        if not isinstance(entry, dict):
            raise InputError("entry {n} of 'thresholds' is not a mapping", path=str(path),
                             n=number)
        cells = {k: tables.canonical(v) for k, v in defaults.items() if v is not None}
        cells.update({str(k): tables.canonical(v) for k, v in entry.items()})
        headers += [k for k in cells if k not in headers]
        rows.append((number, cells))
    return tables.Table(path=path, sheet=None, headers=headers,
                        rows=[(n, {h: c.get(h, "") for h in headers}) for n, c in rows])


def rows_of(table: tables.Table) -> list[tuple[int, dict[str, Any]]]:
    """The rows of ``table`` as ``thresholds`` records, converted by the columns' types,
    with their row numbers; a heading no column takes, a missing required value or a bad
    value raises naming file, row and column. Pure.
    """
    from .ingest import converted_rows, record_fields

    where = str(table.path) + (f"[{table.sheet}]" if table.sheet else "")
    fields, words = record_fields(_TABLE)
    columns = column_map(_Fields(fields), table.headers, {})  # type: ignore[arg-type]
    unknown = [c for c in table.headers if c not in columns]
    if unknown:
        raise InputError("column '{column}' is not a field of record table '{table}' "
                         "({known})", path=where, column=unknown[0], table=_TABLE,
                         known=", ".join(f.name for f in fields))
    heading = {t: c for c, t in columns.items()}
    return [(number, record) for number, record, _cells
            in converted_rows(table, fields, words, heading, source=where)]


def check(rows: list[tuple[int, dict[str, Any]]], *, where: str,
          headings: dict[str, str] | None = None,
          folder: str | Path | None = None) -> list[dict[str, Any]]:
    """``rows`` checked against the catalogue: the set exists, the group is one of its groups
    or regions, the comparison and value make a threshold, the indicator is the set's (or
    the row adds it to one of its criteria, with a name). Returns the records; the first bad
    row raises naming ``where``, the row and the column (its heading in the file). Pure.
    """
    col = headings or {}
    added: dict[tuple[str, str], str] = {}  # (set, indicator) -> criterion, of earlier rows
    for number, row in rows:
        def fail(field: str, reason: Message, number: int = number) -> InputError:
            return _cell_error(where, number, col.get(field, field), reason)

        try:
            cset = criteria_mod.load_set(str(row["criteria_set"]), folder)
        except CriterionDataMissing as exc:
            raise fail("criteria_set", exc.message) from None
        group = row.get("group")
        if group not in (None, "") and criteria_mod.zone_id(cset, group) is None:
            raise fail("group", Message(
                "criteria set '{set}' has no group or region '{group}' (known: {known})",
                set=cset.id, group=str(group),
                known=", ".join(str(z.get("id")) for z in cset.zones) or "-"))
        problem = criteria_mod.threshold_problem(row)
        if problem is not None:
            raise fail("op" if row.get("op") not in (None, "") else "value", problem)
        iid = str(row["indicator_id"])
        known = {i.id: c.id for c in cset.criteria for i in (c.indicators or ())}
        known.update({i: c for (sid, i), c in added.items() if sid == cset.id})
        cid = row.get("criterion_id")
        if iid in known:
            if cid not in (None, "") and str(cid) != known[iid]:
                raise fail("criterion_id", Message(
                    "indicator '{id}' belongs to criterion '{crit}', not '{given}'", id=iid,
                    crit=known[iid], given=str(cid)))
            continue
        if cid in (None, "") or not cset.has_criterion(str(cid)):
            raise fail("criterion_id" if cid not in (None, "") else "indicator_id", Message(
                "criteria set '{set}' has no indicator '{id}': a row adding it names one of "
                "the set's criteria ({known})", set=cset.id, id=iid,
                known=", ".join(c.id for c in cset.criteria)))
        if row.get("indicator_name") in (None, ""):
            raise fail("indicator_name", Message(
                "indicator '{id}' is not in the catalogue: the row gives its name", id=iid))
        added[(cset.id, iid)] = str(cid)
    records = [r for _, r in rows]
    for set_id in dict.fromkeys(str(r["criteria_set"]) for r in records):
        try:  # the rows together (an indicator added twice under two criteria…)
            criteria_mod.with_thresholds(criteria_mod.load_set(set_id, folder), records)
        except CriterionDataMissing as exc:
            raise InputError("the rows do not fit the catalogue: {reason}", path=where,
                             reason=exc.message) from None
    return records


def read_file(path: str | os.PathLike[str], *, sheet: str | None = None,
              folder: str | Path | None = None) -> list[dict[str, Any]]:
    """The thresholds of a YAML, CSV or XLSX file, checked (:func:`check`)."""
    path = Path(path)
    if path.suffix.lower() in (".yml", ".yaml"):
        table = _yaml_table(path)
    elif tables.is_table_file(path):
        table = tables.read_rows(path, sheet=sheet)
    else:
        raise InputError("a thresholds file is YAML, CSV or XLSX, not '{ext}'", path=str(path),
                         ext=path.suffix)
    from .ingest import record_fields

    fields, _ = record_fields(_TABLE)
    headings = {t: c for c, t in column_map(_Fields(fields), table.headers,  # type: ignore[arg-type]
                                             {}).items()}
    where = str(path) + (f"[{table.sheet}]" if table.sheet else "")
    return check(rows_of(table), where=where, headings=headings, folder=folder)


def load(store: Any, path: str | os.PathLike[str], *, sheet: str | None = None,
         user: str = "") -> int:
    """Add the thresholds of a file to the store's ``thresholds`` table (all or nothing), and
    log the import; they then drive the store's status. Returns the number of rows.
    """
    records = read_file(path, sheet=sheet)
    count = int(store.add_records(_TABLE, records))
    store.add_records("imports", [{
        "layer": _TABLE, "source": Path(path).name, "features": count, "mode": "append",
        "imported_at": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), "user": user}])
    return count


def applied(cset: CriteriaSet, rows: pd.DataFrame | list[dict[str, Any]], as_of: str
            ) -> CriteriaSet:
    """``cset`` with the thresholds of ``rows`` (the store's ``thresholds`` records) dated on
    or before ``as_of`` applied (:func:`ntmgeo.criteria.with_thresholds`). Pure.
    """
    return criteria_mod.with_thresholds(cset, rows, as_of=as_of)
