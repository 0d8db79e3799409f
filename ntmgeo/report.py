"""The plan's criteria table, from a status document, as rows, XLSX and CSV.

A district plan carries, as its appendix, the table of the district criteria (seed
``000_…``: "KẾ HOẠCH THỰC HIỆN BỘ TIÊU CHÍ HUYỆN NÔNG THÔN MỚI NĂM 2024") with the columns
TT, Tên tiêu chí, Nội dung tiêu chí, Chỉ tiêu, Thực hiện đến <date>, Thời gian hoàn thành,
Ghi chú: one row per indicator, the criterion cells merged over its indicators. This module
writes that table from :func:`ntmgeo.status.from_store` (``level="district"``), and, for a
commune-level document (``level="commune"``), a summary row per commune and a block (a
sheet in the workbook) per commune with its criteria met. From a store, :func:`write`
(formats in :data:`FORMATS`: ``xlsx``, ``csv``) builds the whole file, the workbook with its
"Tiến độ" sheet (:func:`ntmgeo.progress.from_store`): ``ntmgeo table`` and the web map's
downloads both call it, so the same store gives the same file.

Cell contents:

- *Nội dung tiêu chí*: "<indicator id>. <name>" (the catalogue numbers every indicator; the
  printed table leaves the single indicator of criterion 4 unnumbered).
- *Chỉ tiêu*: the threshold as the catalogue transcribes it from the printed table.
- *Thực hiện đến <date>*: the indicator's ``value_text`` when present, else its value and
  unit ("26,65%"), followed by "Đạt" / "Chưa đạt" where the text does not already say so;
  "Chưa có số liệu" when there is nothing.
- *Thời gian hoàn thành*: the deadline as the plan words it, else the deadline date.
- *Ghi chú*: where a value was computed from the map, and what the report said when the
  two disagree; the condition that decided a computed value and the rule's source, and what
  the map could not answer (2.1, 2.2: the reported value stands, and the note says why).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from . import progress as progress_mod
from . import status as status_mod
from ._errors import InputError
from ._files import FileFormat, atomic_path
from .criteria import load_set
from .snapshot import ensure

__all__ = ["FORMATS", "commune_rows", "criteria_table_rows", "headings", "to_csv", "to_xlsx",
           "write", "write_csv", "write_xlsx"]

MET = "Đạt"
UNMET = "Chưa đạt"
UNKNOWN = "Chưa có số liệu"
_LEVEL_TITLE = {"district": "HUYỆN", "commune": "XÃ", "village": "THÔN, BẢN",
                "province": "TỈNH", "town": "THỊ TRẤN"}
_LEVEL_WORD = {"district": "Huyện", "commune": "Xã", "village": "Thôn", "province": "Tỉnh",
               "town": "Thị trấn"}
_NTM_LEVEL = {"not_yet": "Chưa đạt chuẩn", "ntm": "Nông thôn mới",
              "ntm_nang_cao": "NTM nâng cao", "ntm_kieu_mau": "NTM kiểu mẫu"}
_WIDTHS = (6, 20, 62, 15, 32, 42, 28)
_COMMUNE_HEADINGS = ("Mã xã", "Tên xã", "Mức đạt chuẩn", "TT", "Tên tiêu chí", "Kết quả",
                     "Ghi chú")
_SUMMARY_HEADINGS = ("Mã xã", "Tên xã", "Mức đạt chuẩn", "Số tiêu chí đạt",
                     "Tiêu chí chưa đạt", "Mục tiêu", "Tính đến ngày", "Ghi chú")
_MET_WORD = re.compile(r"(?<![Cc]hưa )\bĐạt\b")


def _dmy(iso: Any) -> str:
    """"2024-02-29" -> "29/02/2024" (text that is not an ISO date is returned as it is)."""
    if iso is None:
        return ""
    text = iso.isoformat() if isinstance(iso, dt.date) else str(iso)
    try:
        return dt.date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _vi(value: Any) -> str:
    """The Vietnamese text of a label that may be ``{vi, en}`` or plain text."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("vi") or value.get("en") or "")
    return str(value)


def _number(value: float) -> str:
    """A number the Vietnamese way: decimal comma, no trailing zeros ("26,65", "100")."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def _is_commune_doc(doc: dict[str, Any]) -> bool:
    return doc.get("level") == "commune" and "communes" in doc


# --------------------------------------------------------------------------------------------
# The district (unit) table


def headings(doc: dict[str, Any]) -> list[str]:
    """Column headings of the table of ``doc``, as the plan prints them."""
    if _is_commune_doc(doc):
        return list(_COMMUNE_HEADINGS)
    return ["TT", "Tên tiêu chí", "Nội dung tiêu chí", "Chỉ tiêu",
            f"Thực hiện đến {_dmy(doc.get('as_of'))}", "Thời gian hoàn thành", "Ghi chú"]


def _status_word(met: bool | None) -> str | None:
    return MET if met is True else UNMET if met is False else None


def _says(text: str, met: bool) -> bool:
    if met:
        return bool(_MET_WORD.search(text))
    return "chưa đạt" in text.lower()


def value_cell(ind: dict[str, Any]) -> str:
    """The "Thực hiện đến <date>" cell of an indicator."""
    text = (ind.get("value_text") or "").strip()
    if not text and ind.get("value") is not None:
        unit = ind.get("unit") or ""
        sep = "" if unit in ("", "%") else " "
        text = f"{_number(float(ind['value']))}{sep}{unit}"
    met = ind.get("met")
    word = _status_word(met)
    if word is None:
        return text or UNKNOWN
    if not text:
        return word
    if _says(text, bool(met)):
        return text
    return f"{text}, {word}"


def _deadline_cell(ind: dict[str, Any]) -> str:
    return str(ind.get("deadline_text") or "") or _dmy(ind.get("deadline"))


def _note_cell(ind: dict[str, Any]) -> str:
    notes = []
    if ind.get("source") == "computed":
        when = f" ngày {_dmy(ind['as_of'])}" if ind.get("as_of") else ""
        notes.append(f"Tính từ bản đồ{when}")
        rep = ind.get("reported") or {}
        rep_met = rep.get("met")
        if rep and rep_met is not None and rep_met != ind.get("met"):
            said = rep.get("value_text") or _status_word(rep_met)
            notes.append(f"báo cáo ngày {_dmy(rep.get('as_of'))}: {said}")
    for key in ("basis", "note"):  # the condition that decided; what the map cannot answer
        if ind.get(key):
            notes.append(_vi(ind[key]))
    return "; ".join(notes)


def criteria_table_rows(doc: dict[str, Any]) -> list[dict[str, str]]:
    """The rows of the plan's criteria table, keyed by :func:`headings`.

    For a unit's document (``status.from_store(store, level="district")``): one row per
    indicator, in catalogue order; the criterion's TT and name are repeated on each of its
    rows (:func:`to_xlsx` merges them). A criterion the catalogue has no indicators for
    gets one row saying so. For a commune-level document: see :func:`commune_rows`.
    """
    if _is_commune_doc(doc):
        return commune_rows(doc)
    if "criteria" not in doc:
        raise InputError("not a status document (no 'criteria')")
    cols = headings(doc)
    rows = []
    for crit in doc["criteria"]:
        name = _vi(crit.get("name"))
        if not crit.get("indicators"):
            rows.append(dict(zip(cols, (str(crit["id"]), name,
                                        _vi(crit.get("note")) or "Chưa có trong danh mục",
                                        "", UNKNOWN, "", ""), strict=True)))
            continue
        for ind in crit["indicators"]:
            threshold = (ind.get("threshold") or {}).get("text") or ""
            content = f"{ind['id']}. {_vi(ind.get('name'))}"
            rows.append(dict(zip(cols, (str(crit["id"]), name, content, threshold,
                                        value_cell(ind), _deadline_cell(ind), _note_cell(ind)),
                                 strict=True)))
    return rows


def _title_lines(doc: dict[str, Any]) -> list[str]:
    unit = doc.get("unit") or {}
    cset = doc.get("criteria_set") or {}
    level = cset.get("level") or unit.get("level") or doc.get("level") or "district"
    year = str(doc.get("as_of") or "")[:4]
    title = f"KẾ HOẠCH THỰC HIỆN BỘ TIÊU CHÍ {_LEVEL_TITLE.get(level, level.upper())} " \
            f"NÔNG THÔN MỚI NĂM {year}".strip()
    name = str(unit.get("name") or "")
    word = _LEVEL_WORD.get(unit.get("level") or level, "")
    if name and word and not name.lower().startswith(word.lower()):
        name = f"{word} {name}"
    lines = [title]
    where = f"{name}: " if name else ""
    lines.append(f"({where}tình hình thực hiện đến ngày {_dmy(doc.get('as_of'))})")
    if cset.get("title"):
        lines.append(f"Các chỉ tiêu của {_vi(cset['title'])}")
    return lines


def _summary_lines(doc: dict[str, Any]) -> list[str]:
    summary = doc.get("summary") or {}
    if "indicators_total" not in summary:
        return []
    lines = [f"Tổng hợp theo các chỉ tiêu: đạt {summary['criteria_met']}/"
             f"{summary['criteria_total']} tiêu chí, {summary['indicators_met']}/"
             f"{summary['indicators_total']} chỉ tiêu."]
    rep = summary.get("reported")
    if rep:
        lines.append(f"Văn bản báo cáo ghi: {rep.get('criteria_met')}/"
                     f"{rep.get('criteria_total')} tiêu chí, {rep.get('indicators_met')}/"
                     f"{rep.get('indicators_total')} chỉ tiêu.")
    for item in summary.get("disagreements") or []:
        lines.append(f"Chênh lệch: {_vi(item.get('note'))}")
    return lines


# --------------------------------------------------------------------------------------------
# Commune documents


def _commune_summary(entry: dict[str, Any]) -> dict[str, str]:
    met, total = entry.get("criteria_met"), entry.get("criteria_total")
    unmet = [f"{c['id']}. {_vi(c['name'])}" for c in entry.get("criteria") or []
             if c.get("met") is False]
    values = (str(entry.get("comm_code") or ""), str(entry.get("name") or ""),
              _NTM_LEVEL.get(entry.get("level") or "", entry.get("level") or UNKNOWN),
              f"{met}/{total}" if met is not None else UNKNOWN, "; ".join(unmet),
              _NTM_LEVEL.get(entry.get("target") or "", entry.get("target") or ""),
              _dmy(entry.get("as_of")), str(entry.get("note") or ""))
    return dict(zip(_SUMMARY_HEADINGS, values, strict=True))


def commune_rows(doc: dict[str, Any]) -> list[dict[str, str]]:
    """One row per commune and criterion of a commune-level document (a block per commune).

    Keys: Mã xã, Tên xã, Mức đạt chuẩn, TT, Tên tiêu chí, Kết quả (Đạt, Chưa đạt, or
    Chưa có số liệu where the commune's status gives no per-criterion result), Ghi chú.
    """
    if not _is_commune_doc(doc):
        raise InputError("not a commune-level status document")
    rows = []
    for entry in doc["communes"]:
        criteria = entry.get("criteria")
        if criteria is None:
            criteria = [{"id": c.id, "name": c.name, "met": None}
                        for c in load_set(doc["criteria_set"]["id"]).criteria]
        level = _NTM_LEVEL.get(entry.get("level") or "", entry.get("level") or UNKNOWN)
        for crit in criteria:
            values = (str(entry.get("comm_code") or ""), str(entry.get("name") or ""), level,
                      str(crit["id"]), _vi(crit.get("name")),
                      _status_word(crit.get("met")) or UNKNOWN, "")
            rows.append(dict(zip(_COMMUNE_HEADINGS, values, strict=True)))
    return rows


# --------------------------------------------------------------------------------------------
# Files


def to_csv(doc: dict[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write the table of ``doc`` as CSV, UTF-8 with a BOM (so Excel reads the diacritics)."""
    rows = criteria_table_rows(doc)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=headings(doc), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return Path(path)


_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
_UNMET_FILL = PatternFill("solid", fgColor="FCE4D6")
_WRAP_TOP = Alignment(wrap_text=True, vertical="top")
_CENTRE = Alignment(wrap_text=True, vertical="center", horizontal="center")


def _sheet_title(ws: Worksheet, lines: list[str], ncols: int) -> int:
    """Write the title lines merged across the table; return the next free row."""
    for n, line in enumerate(lines, start=1):
        ws.cell(row=n, column=1, value=line)
        ws.merge_cells(start_row=n, start_column=1, end_row=n, end_column=ncols)
        cell = ws.cell(row=n, column=1)
        cell.font = Font(bold=n == 1, size=13 if n == 1 else 11, italic=n == 2)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.row_dimensions[n].height = 20
    return len(lines) + 2


def _header(ws: Worksheet, row: int, cols: list[str], widths: tuple[int, ...]) -> None:
    for c, (text, width) in enumerate(zip(cols, widths, strict=True), start=1):
        cell = ws.cell(row=row, column=c, value=text)
        cell.font = Font(bold=True)
        cell.alignment = _CENTRE
        cell.border = _BORDER
        cell.fill = _HEAD_FILL
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = ws.cell(row=row + 1, column=1)
    ws.print_title_rows = f"{row}:{row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _body(ws: Worksheet, start: int, rows: list[dict[str, str]], cols: list[str],
          status_col: str | None) -> int:
    for r, row in enumerate(rows, start=start):
        for c, key in enumerate(cols, start=1):
            value: Any = row[key]
            if key == "TT" and value.isdigit():
                value = int(value)  # a number, as the plan prints it (no "text" warning)
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER
        if status_col and UNMET.lower() in row[status_col].lower():
            ws.cell(row=r, column=cols.index(status_col) + 1).fill = _UNMET_FILL
    return start + len(rows)


def _merge_groups(ws: Worksheet, start: int, rows: list[dict[str, str]], key: str,
                  columns: tuple[int, ...]) -> None:
    """Merge the cells of ``columns`` over each run of rows sharing ``key``."""
    first = 0
    for n in range(1, len(rows) + 1):
        if n == len(rows) or rows[n][key] != rows[first][key]:
            if n - 1 > first:
                for col in columns:
                    ws.merge_cells(start_row=start + first, start_column=col,
                                   end_row=start + n - 1, end_column=col)
            for col in columns:
                ws.cell(row=start + first, column=col).alignment = _CENTRE
            first = n


def _notes(ws: Worksheet, row: int, lines: list[str], ncols: int) -> None:
    for n, line in enumerate(lines):
        ws.cell(row=row + n, column=1, value=line).alignment = Alignment(wrap_text=True)
        ws.merge_cells(start_row=row + n, start_column=1, end_row=row + n, end_column=ncols)
        ws.row_dimensions[row + n].height = 30
        if n == 0:
            ws.cell(row=row, column=1).font = Font(bold=True)


def _district_sheet(ws: Worksheet, doc: dict[str, Any]) -> None:
    cols = headings(doc)
    rows = criteria_table_rows(doc)
    head = _sheet_title(ws, _title_lines(doc), len(cols))
    _header(ws, head, cols, _WIDTHS)
    end = _body(ws, head + 1, rows, cols, cols[4])
    _merge_groups(ws, head + 1, rows, "TT", (1, 2))
    _notes(ws, end + 1, _summary_lines(doc), len(cols))


def _safe_sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name).strip().strip("'")[:31].strip("'") or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def _commune_sheets(wb: Workbook, doc: dict[str, Any]) -> None:
    ws = wb.active
    ws.title = "Tổng hợp các xã"
    cset = doc.get("criteria_set") or {}
    lines = [f"TÌNH HÌNH THỰC HIỆN BỘ TIÊU CHÍ XÃ NÔNG THÔN MỚI (đến ngày {_dmy(doc['as_of'])})"]
    if cset.get("title"):
        lines.append(_vi(cset["title"]))
    cols = list(_SUMMARY_HEADINGS)
    head = _sheet_title(ws, lines, len(cols))
    _header(ws, head, cols, (9, 18, 16, 12, 40, 16, 13, 50))
    summary = [_commune_summary(e) for e in doc["communes"]]
    _body(ws, head + 1, summary, cols, None)
    used = {ws.title.lower()}
    all_rows = commune_rows(doc)
    for entry in doc["communes"]:
        code = str(entry.get("comm_code") or "")
        rows = [r for r in all_rows if r["Mã xã"] == code]
        sheet = wb.create_sheet(_safe_sheet_name(f"{entry.get('name')} {code}".strip(), used))
        level = rows[0]["Mức đạt chuẩn"] if rows else UNKNOWN
        met = entry.get("criteria_met")
        count = f"{met}/{entry.get('criteria_total')}" if met is not None else UNKNOWN
        title = [f"Xã {entry.get('name')} (mã {code}): {level}; tiêu chí đạt: {count}",
                 f"(tình hình đến ngày {_dmy(entry.get('as_of') or doc['as_of'])})"]
        ccols = ["TT", "Tên tiêu chí", "Kết quả", "Ghi chú"]
        shead = _sheet_title(sheet, title, len(ccols))
        _header(sheet, shead, ccols, (6, 44, 18, 40))
        end = _body(sheet, shead + 1, rows, ccols, "Kết quả")
        if entry.get("note"):
            _notes(sheet, end + 1, [f"Ghi chú: {entry['note']}"], len(ccols))


def to_xlsx(doc: dict[str, Any], path: str | os.PathLike[str],
            progress: dict[str, Any] | None = None) -> Path:
    """Write the plan's criteria table of ``doc`` as an Excel workbook (openpyxl).

    A unit's document gives one sheet: title lines (the criteria-set level, the year, the
    unit's name and date from the document), the headed table with TT and Tên tiêu chí
    merged over each criterion's indicators, wrapped text and column widths for printing
    (landscape, one page wide), unmet results shaded, and below it the count the
    indicators give beside the document's own summary and their disagreements. A
    commune-level document gives a summary sheet (one row per commune) and a sheet per
    commune with its criteria. ``progress`` (the ``ntmgeo progress`` document) adds a sheet
    "Tiến độ": tree-lined km by month, indicators met by quarter, works overdue.
    """
    wb = Workbook()
    if _is_commune_doc(doc):
        _commune_sheets(wb, doc)
    else:
        ws = wb.active
        ws.title = _safe_sheet_name(f"Tiêu chí {_vi(doc.get('unit', {}).get('name'))}", set())
        _district_sheet(ws, doc)
    if progress is not None:
        _progress_sheet(wb.create_sheet("Tiến độ"), progress)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _progress_sheet(ws: Worksheet, progress: dict[str, Any]) -> None:
    """Tree-lined km by month, indicators met by quarter, and overdue works, as of a date."""
    row = _sheet_title(ws, [f"TIẾN ĐỘ THỰC HIỆN ĐẾN NGÀY {_dmy(progress['as_of'])}"], 5)
    row += 1
    _header(ws, row, ["Cuối tháng", "Đã trồng cây xanh (km)", "Tổng chiều dài (km)",
                      "Tỷ lệ", ""], (14, 22, 20, 10, 30))
    for item in progress.get("greening_by_month") or []:
        row += 1
        ratio = item["ratio"]
        values = [_dmy(item["as_of"]), round(item["greened_km"], 2), round(item["length_km"], 2),
                  None if ratio is None else f"{100 * ratio:.2f}%".replace(".", ",")]
        for c, value in enumerate(values, start=1):
            ws.cell(row=row, column=c, value=value).border = _BORDER
    row += 2
    _header(ws, row, ["Cuối quý", "Chỉ tiêu đạt", "Tiêu chí đạt", "", "Chỉ tiêu chưa đạt"],
            (14, 22, 20, 10, 30))
    for item in progress.get("indicators_by_quarter") or []:
        row += 1
        if "error" in item:
            values = [_dmy(item["as_of"]), item["error"], None, None, None]
        else:
            values = [_dmy(item["as_of"]),
                      f"{item['indicators_met']}/{item['indicators_total']}",
                      f"{item['criteria_met']}/{item['criteria_total']}", None,
                      ", ".join(item["unmet"])]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=c, value=value)
            cell.border, cell.alignment = _BORDER, _WRAP_TOP
    row += 2
    _header(ws, row, ["Thời hạn", "Chỉ tiêu", "Công trình / nội dung", "Quá hạn (ngày)",
                      "Tình trạng"], (14, 22, 20, 10, 30))
    for item in progress.get("overdue") or []:
        row += 1
        values = [_dmy(item["deadline"]), item.get("indicator"), item.get("name"),
                  item.get("days_late"), item.get("status")]
        for c, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=c, value=value)
            cell.border, cell.alignment = _BORDER, _WRAP_TOP


# --------------------------------------------------------------------------------------------
# From a store: the files `ntmgeo table` and the web map's downloads write


def write_xlsx(store: Any, out: str | os.PathLike[str], *, level: str = "district",
               unit: str | None = None, as_of: str | None = None,
               source: str = "all") -> Path:
    """The criteria workbook of a store: the table of :func:`ntmgeo.status.from_store`
    (same arguments) and, for a unit's document, the "Tiến độ" sheet of
    :func:`ntmgeo.progress.from_store` on the document's date (:func:`to_xlsx`); both read
    one snapshot of the store (:mod:`ntmgeo.snapshot`).
    """
    store = ensure(store)
    doc = status_mod.from_store(store, level=level, unit=unit, as_of=as_of, source=source)
    progress = None if _is_commune_doc(doc) else progress_mod.from_store(store, doc["as_of"])
    return to_xlsx(doc, out, progress=progress)


def write_csv(store: Any, out: str | os.PathLike[str], *, level: str = "district",
              unit: str | None = None, as_of: str | None = None, source: str = "all") -> Path:
    """The criteria table of a store as CSV (:func:`to_csv`); arguments as :func:`write_xlsx`."""
    doc = status_mod.from_store(store, level=level, unit=unit, as_of=as_of, source=source)
    return to_csv(doc, out)


FORMATS: dict[str, FileFormat] = {
    "xlsx": FileFormat(write_xlsx,
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       ".xlsx", {"vi": "bảng tiêu chí (Excel) kèm trang Tiến độ",
                                 "en": "the criteria table (Excel) with the progress sheet"}),
    "csv": FileFormat(write_csv, "text/csv", ".csv",
                      {"vi": "bảng tiêu chí (CSV, UTF-8)",
                       "en": "the criteria table (CSV, UTF-8)"}),
}
"""The table formats: name -> :class:`~ntmgeo._files.FileFormat` (``ntmgeo table
--format``, the web map's downloads)."""


def write(store: Any, fmt: str, out: str | os.PathLike[str], **options: Any) -> Path:
    """Write the criteria table of ``store`` to ``out`` in format ``fmt`` (a key of
    :data:`FORMATS`); ``options`` as :func:`write_xlsx` (``level``, ``unit``, ``as_of``,
    ``source``).
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise InputError("unknown table format '{fmt}' (formats: {known})", fmt=fmt,
                         known=", ".join(FORMATS))
    return spec.writer(store, out, **options)
