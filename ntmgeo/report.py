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

Every word of the files is in the gettext catalogue ``report``
(ntmgeo/locale/<lang>/LC_MESSAGES/report.po; msgid: the English text): the functions take a
``lang`` (default ``ntmgeo.settings.lang``, Vietnamese), so the same table can be written in
English. The cells below are named by their Vietnamese words.

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
from . import settings
from . import status as status_mod
from ._errors import InputError
from ._files import FileFormat, atomic_path
from .criteria import load_set
from .i18n import gettext
from .snapshot import ensure

__all__ = ["FORMATS", "commune_rows", "criteria_table_rows", "headings", "to_csv", "to_xlsx",
           "write", "write_csv", "write_xlsx"]

_DOMAIN = "report"


def _t(msgid: str, lang: str | None = None, **params: object) -> str:
    """``msgid`` (the English text, with named fields) in ``lang`` (default
    ``settings.lang``) from the catalogue ``report``, formatted with ``params``.
    """
    text = gettext(msgid, lang or settings.lang, _DOMAIN)
    return text.format(**params) if params else text


def _words(msgid: str) -> dict[str, str]:
    """``{"vi": …, "en": …}``: ``msgid`` of the catalogue ``report`` in both languages."""
    return {lang: _t(msgid, lang) for lang in ("vi", "en")}


MET = _t("Met", "vi")
UNMET = _t("Unmet", "vi")
UNKNOWN = _t("No data", "vi")
_LEVEL_TITLE = {"district": "DISTRICT", "commune": "COMMUNE", "village": "VILLAGE",
                "province": "PROVINCE", "town": "TOWN"}
_LEVEL_WORD = {"district": "District", "commune": "Commune", "village": "Village",
               "province": "Province", "town": "Town"}
_NTM_LEVEL = {"not_yet": "Not yet up to standard", "ntm": "New rural area",
              "ntm_nang_cao": "Advanced new rural area", "ntm_kieu_mau": "Model new rural area"}
_WIDTHS = (6, 20, 62, 15, 32, 42, 28)
# The headings' msgids; the cells of a row are keyed by the headings in the table's language.
_COMMUNE_HEADINGS = ("Commune code", "Commune name", "Level reached", "No.", "Criterion",
                     "Result", "Notes")
_SUMMARY_HEADINGS = ("Commune code", "Commune name", "Level reached", "Number of criteria met",
                     "Criteria unmet", "Target", "As of", "Notes")


def _lang(lang: str | None) -> str:
    return lang or settings.lang


def _langs(lang: str | None) -> tuple[str, ...]:
    """The languages whose words a cell may hold: the table's, and Vietnamese (the reported
    values in a store are Vietnamese).
    """
    return tuple(dict.fromkeys((_lang(lang), "vi")))


def _says_unmet(text: str, lang: str | None = None) -> bool:
    """Whether ``text`` says "unmet" ("Chưa đạt", or the word of ``lang``)."""
    low = text.lower()
    return any(_t("Unmet", ln).lower() in low for ln in _langs(lang))


def _says_met(text: str, lang: str | None = None) -> bool:
    """Whether ``text`` says "met" as a verdict: the capitalised word ("Đạt", or the word of
    ``lang``) outside the words for "unmet" ("đạt tỷ lệ" is not a verdict).
    """
    for ln in _langs(lang):
        rest = re.sub(re.escape(_t("Unmet", ln)), " ", text, flags=re.IGNORECASE)
        if re.search(rf"\b{re.escape(_t('Met', ln))}\b", rest):
            return True
    return False


def _dmy(iso: Any) -> str:
    """"2024-02-29" -> "29/02/2024" (text that is not an ISO date is returned as it is)."""
    if iso is None:
        return ""
    text = iso.isoformat() if isinstance(iso, dt.date) else str(iso)
    try:
        return dt.date.fromisoformat(text[:10]).strftime("%d/%m/%Y")
    except ValueError:
        return text


def _vi(value: Any, lang: str | None = None) -> str:
    """The text in ``lang`` (default ``settings.lang``; else Vietnamese, else English) of a
    label that may be ``{vi, en}`` or plain text.
    """
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get(_lang(lang)) or value.get("vi") or value.get("en") or "")
    return str(value)


def _number(value: float, lang: str | None = None) -> str:
    """A number without trailing zeros, the Vietnamese way by default: decimal comma
    ("26,65", "100").
    """
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if _lang(lang) == "vi" else text


def _is_commune_doc(doc: dict[str, Any]) -> bool:
    return doc.get("level") == "commune" and "communes" in doc


# --------------------------------------------------------------------------------------------
# The district (unit) table


def headings(doc: dict[str, Any], lang: str | None = None) -> list[str]:
    """Column headings of the table of ``doc``, as the plan prints them (in ``lang``)."""
    if _is_commune_doc(doc):
        return [_t(h, lang) for h in _COMMUNE_HEADINGS]
    return [_t("No.", lang), _t("Criterion", lang), _t("Content of the criterion", lang),
            _t("Threshold", lang), _t("Achieved by {date}", lang, date=_dmy(doc.get("as_of"))),
            _t("Completion date", lang), _t("Notes", lang)]


def _status_word(met: bool | None, lang: str | None = None) -> str | None:
    return _t("Met", lang) if met is True else _t("Unmet", lang) if met is False else None


def _says(text: str, met: bool, lang: str | None = None) -> bool:
    return _says_met(text, lang) if met else _says_unmet(text, lang)


def value_cell(ind: dict[str, Any], lang: str | None = None) -> str:
    """The "Thực hiện đến <date>" cell of an indicator (in ``lang``)."""
    text = (ind.get("value_text") or "").strip()
    if not text and ind.get("value") is not None:
        unit = ind.get("unit") or ""
        sep = "" if unit in ("", "%") else " "
        text = f"{_number(float(ind['value']), lang)}{sep}{unit}"
    met = ind.get("met")
    word = _status_word(met, lang)
    if word is None:
        return text or _t("No data", lang)
    if not text:
        return word
    if _says(text, bool(met), lang):
        return text
    return f"{text}, {word}"


def _deadline_cell(ind: dict[str, Any]) -> str:
    return str(ind.get("deadline_text") or "") or _dmy(ind.get("deadline"))


def _note_cell(ind: dict[str, Any], lang: str | None = None) -> str:
    notes = []
    if ind.get("source") == "computed":
        notes.append(_t("Computed from the map on {date}", lang, date=_dmy(ind["as_of"]))
                     if ind.get("as_of") else _t("Computed from the map", lang))
        rep = ind.get("reported") or {}
        rep_met = rep.get("met")
        if rep and rep_met is not None and rep_met != ind.get("met"):
            said = rep.get("value_text") or _status_word(rep_met, lang)
            notes.append(_t("reported on {date}: {said}", lang, date=_dmy(rep.get("as_of")),
                            said=said))
    for key in ("basis", "note"):  # the condition that decided; what the map cannot answer
        if ind.get(key):
            notes.append(_vi(ind[key], lang))
    return "; ".join(notes)


def criteria_table_rows(doc: dict[str, Any], lang: str | None = None) -> list[dict[str, str]]:
    """The rows of the plan's criteria table, keyed by :func:`headings` (in ``lang``).

    For a unit's document (``status.from_store(store, level="district")``): one row per
    indicator, in catalogue order; the criterion's TT and name are repeated on each of its
    rows (:func:`to_xlsx` merges them). A criterion the catalogue has no indicators for
    gets one row saying so. For a commune-level document: see :func:`commune_rows`.
    """
    if _is_commune_doc(doc):
        return commune_rows(doc, lang)
    if "criteria" not in doc:
        raise InputError("not a status document (no 'criteria')")
    cols = headings(doc, lang)
    rows = []
    for crit in doc["criteria"]:
        name = _vi(crit.get("name"), lang)
        if not crit.get("indicators"):
            rows.append(dict(zip(cols, (str(crit["id"]), name,
                                        _vi(crit.get("note"), lang)
                                        or _t("Not in the catalogue", lang),
                                        "", _t("No data", lang), "", ""), strict=True)))
            continue
        for ind in crit["indicators"]:
            threshold = (ind.get("threshold") or {}).get("text") or ""
            content = f"{ind['id']}. {_vi(ind.get('name'), lang)}"
            rows.append(dict(zip(cols, (str(crit["id"]), name, content, threshold,
                                        value_cell(ind, lang), _deadline_cell(ind),
                                        _note_cell(ind, lang)), strict=True)))
    return rows


def _title_lines(doc: dict[str, Any], lang: str | None = None) -> list[str]:
    unit = doc.get("unit") or {}
    cset = doc.get("criteria_set") or {}
    level = cset.get("level") or unit.get("level") or doc.get("level") or "district"
    year = str(doc.get("as_of") or "")[:4]
    level_title = _t(_LEVEL_TITLE[level], lang) if level in _LEVEL_TITLE else level.upper()
    title = _t("PLAN FOR THE {level} NEW RURAL AREA CRITERIA, {year}", lang,
               level=level_title, year=year).strip()
    name = str(unit.get("name") or "")
    word_id = _LEVEL_WORD.get(unit.get("level") or level)
    word = _t(word_id, lang) if word_id else ""
    if name and word and not name.lower().startswith(word.lower()):
        name = f"{word} {name}"
    lines = [title]
    date = _dmy(doc.get("as_of"))
    lines.append(_t("({unit}: progress up to {date})", lang, unit=name, date=date) if name
                 else _t("(progress up to {date})", lang, date=date))
    if cset.get("title"):
        lines.append(_t("The indicators of {title}", lang, title=_vi(cset["title"], lang)))
    return lines


def _summary_lines(doc: dict[str, Any], lang: str | None = None) -> list[str]:
    summary = doc.get("summary") or {}
    if "indicators_total" not in summary:
        return []
    counts = ("criteria_met", "criteria_total", "indicators_met", "indicators_total")
    lines = [_t("By the indicators: {criteria_met}/{criteria_total} criteria, "
                "{indicators_met}/{indicators_total} indicators met.", lang,
                **{k: summary[k] for k in counts})]
    rep = summary.get("reported")
    if rep:
        lines.append(_t("The document reports: {criteria_met}/{criteria_total} criteria, "
                        "{indicators_met}/{indicators_total} indicators.", lang,
                        **{k: rep.get(k) for k in counts}))
    for item in summary.get("disagreements") or []:
        lines.append(_t("Disagreement: {note}", lang, note=_vi(item.get("note"), lang)))
    return lines


# --------------------------------------------------------------------------------------------
# Commune documents


def _ntm_level(level: str | None, lang: str | None = None) -> str:
    """The words of a commune's NTM level (``ntm_nang_cao``: "NTM nâng cao")."""
    if level in _NTM_LEVEL:
        return _t(_NTM_LEVEL[level], lang)
    return level or ""


_BY_CRITERIA = ("* level reached by the criteria recorded met (all of the set's), not by a "
                "recognition recorded in the status")


def _level_text(entry: dict[str, Any], lang: str | None = None) -> str:
    """A commune's level as the table shows it: marked "*" when it comes from its criteria
    recorded met rather than from a recognition (``level_basis``), as the CLI marks it.
    """
    level = _ntm_level(entry.get("level"), lang) or _t("No data", lang)
    return f"{level} *" if entry.get("level_basis") == "criteria" else level


def _commune_summary(entry: dict[str, Any], lang: str | None = None) -> dict[str, str]:
    met, total = entry.get("criteria_met"), entry.get("criteria_total")
    unmet = [f"{c['id']}. {_vi(c['name'], lang)}" for c in entry.get("criteria") or []
             if c.get("met") is False]
    unknown = _t("No data", lang)
    values = (str(entry.get("comm_code") or ""), str(entry.get("name") or ""),
              _level_text(entry, lang),
              f"{met}/{total}" if met is not None else unknown, "; ".join(unmet),
              _ntm_level(entry.get("target"), lang),
              _dmy(entry.get("as_of")), str(entry.get("note") or ""))
    return dict(zip([_t(h, lang) for h in _SUMMARY_HEADINGS], values, strict=True))


def commune_rows(doc: dict[str, Any], lang: str | None = None) -> list[dict[str, str]]:
    """One row per commune and criterion of a commune-level document (a block per commune).

    Keys (in Vietnamese): Mã xã, Tên xã, Mức đạt chuẩn, TT, Tên tiêu chí, Kết quả (Đạt,
    Chưa đạt, or Chưa có số liệu where the commune's status gives no per-criterion result),
    Ghi chú; in ``lang`` (:func:`headings`).
    """
    if not _is_commune_doc(doc):
        raise InputError("not a commune-level status document")
    cols = headings(doc, lang)
    unknown = _t("No data", lang)
    rows = []
    for entry in doc["communes"]:
        criteria = entry.get("criteria")
        if criteria is None:
            criteria = [{"id": c.id, "name": c.name, "met": None}
                        for c in load_set(doc["criteria_set"]["id"]).criteria]
        level = _level_text(entry, lang)
        for crit in criteria:
            values = (str(entry.get("comm_code") or ""), str(entry.get("name") or ""), level,
                      str(crit["id"]), _vi(crit.get("name"), lang),
                      _status_word(crit.get("met"), lang) or unknown, "")
            rows.append(dict(zip(cols, values, strict=True)))
    return rows


# --------------------------------------------------------------------------------------------
# Files


def to_csv(doc: dict[str, Any], path: str | os.PathLike[str], lang: str | None = None) -> Path:
    """Write the table of ``doc`` as CSV, UTF-8 with a BOM (so Excel reads the diacritics),
    in ``lang`` (default ``settings.lang``).
    """
    rows = criteria_table_rows(doc, lang)
    with atomic_path(path) as tmp, tmp.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=headings(doc, lang), lineterminator="\r\n")
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
          status_col: str | None, lang: str | None = None) -> int:
    number = _t("No.", lang)
    for r, row in enumerate(rows, start=start):
        for c, key in enumerate(cols, start=1):
            value: Any = row[key]
            if key == number and value.isdigit():
                value = int(value)  # a number, as the plan prints it (no "text" warning)
            cell = ws.cell(row=r, column=c, value=value)
            cell.alignment = _WRAP_TOP
            cell.border = _BORDER
        if status_col and _says_unmet(row[status_col], lang):
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


def _district_sheet(ws: Worksheet, doc: dict[str, Any], lang: str | None = None) -> None:
    cols = headings(doc, lang)
    rows = criteria_table_rows(doc, lang)
    head = _sheet_title(ws, _title_lines(doc, lang), len(cols))
    _header(ws, head, cols, _WIDTHS)
    end = _body(ws, head + 1, rows, cols, cols[4], lang)
    _merge_groups(ws, head + 1, rows, cols[0], (1, 2))
    _notes(ws, end + 1, _summary_lines(doc, lang), len(cols))


def _safe_sheet_name(name: str, used: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", "", name).strip().strip("'")[:31].strip("'") or "Sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f" ({n})"
        title = base[:31 - len(suffix)] + suffix
        n += 1
    used.add(title.lower())
    return title


def _commune_sheets(wb: Workbook, doc: dict[str, Any], lang: str | None = None) -> None:
    ws = wb.active
    ws.title = _t("Communes summary", lang)
    cset = doc.get("criteria_set") or {}
    lines = [_t("PROGRESS OF THE COMMUNE NEW RURAL AREA CRITERIA (as of {date})", lang,
                date=_dmy(doc["as_of"]))]
    if cset.get("title"):
        lines.append(_vi(cset["title"], lang))
    cols = [_t(h, lang) for h in _SUMMARY_HEADINGS]
    head = _sheet_title(ws, lines, len(cols))
    _header(ws, head, cols, (9, 18, 16, 12, 40, 16, 13, 50))
    summary = [_commune_summary(e, lang) for e in doc["communes"]]
    end_summary = _body(ws, head + 1, summary, cols, None, lang)
    mean = (doc.get("summary") or {}).get("criteria_met_mean")
    notes = []
    if mean is not None:  # from recorded criteria (Tam Đường's "18,5 tiêu chí/xã")
        notes.append(_t(
            "Average criteria met: {mean} per commune ({n}/{total} communes with a count)",
            lang, mean=_number(mean, lang), n=doc["summary"]["criteria_counted"],
            total=doc["summary"]["communes"]))
    if any(e.get("level_basis") == "criteria" for e in doc["communes"]):
        notes.append(_t(_BY_CRITERIA, lang))
    if notes:
        _notes(ws, end_summary + 1, notes, len(cols))
    used = {ws.title.lower()}
    all_rows = commune_rows(doc, lang)
    code_col, level_col, number, name_col, result_col, note_col = (
        _t(h, lang) for h in ("Commune code", "Level reached", "No.", "Criterion", "Result",
                              "Notes"))
    unknown = _t("No data", lang)
    for entry in doc["communes"]:
        code = str(entry.get("comm_code") or "")
        rows = [r for r in all_rows if r[code_col] == code]
        sheet = wb.create_sheet(_safe_sheet_name(f"{entry.get('name')} {code}".strip(), used))
        level = rows[0][level_col] if rows else unknown
        met = entry.get("criteria_met")
        count = f"{met}/{entry.get('criteria_total')}" if met is not None else unknown
        title = [_t("Commune {name} (code {code}): {level}; criteria met: {count}", lang,
                    name=entry.get("name"), code=code, level=level, count=count),
                 _t("(as of {date})", lang, date=_dmy(entry.get("as_of") or doc["as_of"]))]
        ccols = [number, name_col, result_col, note_col]
        shead = _sheet_title(sheet, title, len(ccols))
        _header(sheet, shead, ccols, (6, 44, 18, 40))
        end = _body(sheet, shead + 1, rows, ccols, result_col, lang)
        # Counts under other sets (nâng cao…) from recorded criteria.
        others = [_t("{set}: criteria met {count}", lang, set=o["criteria_set"],
                     count=(f"{o['criteria_met']}/{o['criteria_total']}"
                            if o["criteria_met"] is not None else unknown))
                  for o in entry.get("other_sets") or [] if "recorded" in o]
        if others:
            _notes(sheet, end + 1, others, len(ccols))
            end += len(others)
        if entry.get("note"):
            _notes(sheet, end + 1, [_t("Note: {note}", lang, note=entry["note"])], len(ccols))


def to_xlsx(doc: dict[str, Any], path: str | os.PathLike[str],
            progress: dict[str, Any] | None = None, lang: str | None = None) -> Path:
    """Write the plan's criteria table of ``doc`` as an Excel workbook (openpyxl), in
    ``lang`` (default ``settings.lang``).

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
        _commune_sheets(wb, doc, lang)
    else:
        ws = wb.active
        ws.title = _safe_sheet_name(
            _t("Criteria {name}", lang, name=_vi(doc.get("unit", {}).get("name"), lang)), set())
        _district_sheet(ws, doc, lang)
    if progress is not None:
        _progress_sheet(wb.create_sheet(_t("Progress", lang)), progress, lang)
    with atomic_path(path) as tmp:
        wb.save(tmp)
    return Path(path)


def _progress_sheet(ws: Worksheet, progress: dict[str, Any], lang: str | None = None) -> None:
    """Tree-lined km by month, indicators met by quarter, and overdue works, as of a date."""
    row = _sheet_title(ws, [_t("PROGRESS UP TO {date}", lang, date=_dmy(progress["as_of"]))], 5)
    row += 1
    _header(ws, row, [_t("End of month", lang), _t("Tree-lined (km)", lang),
                      _t("Total length (km)", lang), _t("Ratio", lang), ""],
            (14, 22, 20, 10, 30))
    for item in progress.get("greening_by_month") or []:
        row += 1
        ratio = item["ratio"]
        pct = None if ratio is None else f"{100 * ratio:.2f}%"
        if pct is not None and _lang(lang) == "vi":
            pct = pct.replace(".", ",")
        values = [_dmy(item["as_of"]), round(item["greened_km"], 2), round(item["length_km"], 2),
                  pct]
        for c, value in enumerate(values, start=1):
            ws.cell(row=row, column=c, value=value).border = _BORDER
    row += 2
    _header(ws, row, [_t("End of quarter", lang), _t("Indicators met", lang),
                      _t("Criteria met", lang), "", _t("Indicators unmet", lang)],
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
    _header(ws, row, [_t("Deadline", lang), _t("Indicator", lang), _t("Work / content", lang),
                      _t("Overdue (days)", lang), _t("Status", lang)], (14, 22, 20, 10, 30))
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
               source: str = "all", lang: str | None = None) -> Path:
    """The criteria workbook of a store: the table of :func:`ntmgeo.status.from_store`
    (same arguments) and, for a unit's document, the "Tiến độ" sheet of
    :func:`ntmgeo.progress.from_store` on the document's date (:func:`to_xlsx`); both read
    one snapshot of the store (:mod:`ntmgeo.snapshot`). ``lang``: the workbook's language
    (default ``settings.lang``).
    """
    store = ensure(store)
    doc = status_mod.from_store(store, level=level, unit=unit, as_of=as_of, source=source)
    progress = None if _is_commune_doc(doc) else progress_mod.from_store(store, doc["as_of"])
    return to_xlsx(doc, out, progress=progress, lang=lang)


def write_csv(store: Any, out: str | os.PathLike[str], *, level: str = "district",
              unit: str | None = None, as_of: str | None = None, source: str = "all",
              lang: str | None = None) -> Path:
    """The criteria table of a store as CSV (:func:`to_csv`); arguments as :func:`write_xlsx`."""
    doc = status_mod.from_store(store, level=level, unit=unit, as_of=as_of, source=source)
    return to_csv(doc, out, lang)


FORMATS: dict[str, FileFormat] = {
    "xlsx": FileFormat(write_xlsx,
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       ".xlsx", _words("the criteria table (Excel) with the progress sheet")),
    "csv": FileFormat(write_csv, "text/csv", ".csv",
                      _words("the criteria table (CSV, UTF-8)")),
}
"""The table formats: name -> :class:`~ntmgeo._files.FileFormat` (``ntmgeo table
--format``, the web map's downloads)."""


def write(store: Any, fmt: str, out: str | os.PathLike[str], *, lang: str | None = None,
          **options: Any) -> Path:
    """Write the criteria table of ``store`` to ``out`` in format ``fmt`` (a key of
    :data:`FORMATS`); ``options`` as :func:`write_xlsx` (``level``, ``unit``, ``as_of``,
    ``source``, ``lang``: the file's language, default ``settings.lang``).
    """
    spec = FORMATS.get(fmt)
    if spec is None:
        raise InputError("unknown table format '{fmt}' (formats: {known})", fmt=fmt,
                         known=", ".join(FORMATS))
    return spec.writer(store, out, lang=lang, **options)
