"""Blank forms: an XLSX workbook a district office fills in and ``ntmgeo import`` reads back.

:func:`form_rows` is the content (one column per field of a layer or a record table, headed
by the field's label in the language; a guide with each field's name, type, whether it is
required, the values it accepts and the other headings it is known by); :func:`write_form`
writes it with openpyxl. The headings are the fields' labels, which the importer matches, so
a filled form imports without ``--map``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from . import ingest, layers, settings
from ._errors import InputError
from ._files import atomic_path
from .i18n import gettext
from .layers import Field
from .store import RECORD_TABLES

__all__ = ["form_fields", "form_rows", "write_form"]

_DOMAIN = "report"
# Fields a form leaves out: the store fills them (the import log's time, the common `extra`).
_NOT_ASKED = {"recorded_at", "extra"}
# The guide sheet's columns.
_GUIDE_HEADINGS = ("Heading", "Field", "Type", "Required", "Accepted values", "Also read from")
# How each field type is written in a cell (ntmgeo/fieldvalues.py reads them).
_TYPE_WORDS = {
    "text": "Text",
    "integer": "Whole number",
    "real": "Number (decimal comma or point)",
    "amount": "Million VND (a dot groups thousands: 23.198 is 23,198; decimal comma)",
    "date": "Date (DD/MM/YYYY or YYYY-MM-DD)",
    "boolean": "Yes / no",
    "list": "List, items separated by ; or |",
}


def _t(msgid: str, lang: str) -> str:
    return gettext(msgid, lang, _DOMAIN)


def form_fields(name: str) -> tuple[Field, ...]:
    """The fields a form for layer or record table ``name`` asks for, in schema order."""
    if name in RECORD_TABLES:
        if name not in ingest.importable():
            raise InputError("record table '{table}' is not imported from files (tables: "
                             "{known})", table=name, known=", ".join(ingest.importable()))
        fields = ingest.record_fields(name)[0]
    else:
        fields = layers.load_schema(name).fields
    return tuple(f for f in fields if f.name not in _NOT_ASKED)


def _label(f: Field, lang: str) -> str:
    return f.label.get(lang) or f.label.get("en") or f.name


def form_rows(name: str, lang: str | None = None) -> dict[str, Any]:
    """The form for ``name``: its headings and the guide's rows (all text, in ``lang``)."""
    lang = lang or settings.lang
    fields = form_fields(name)
    guide = []
    for f in fields:
        allowed = [(v, (f.allowed_labels.get(v) or {}).get(lang) or v)
                   for v in (f.allowed or ())]
        guide.append([
            _label(f, lang), f.name, _t(_TYPE_WORDS[f.type], lang),
            _t("yes", lang) if f.required else "",
            "; ".join(label if label == v else f"{label} ({v})" for v, label in allowed),
            "; ".join(f.aliases),
        ])
    headings = [_label(f, lang) for f in fields]
    required = [f.required for f in fields]
    if name not in RECORD_TABLES:
        schema = layers.load_schema(name)
        if "Point" in schema.geometry_types:
            # A point from its coordinates (WGS 84): the headings the importer reads.
            for kind in ("lon", "lat"):
                heading = layers.coordinate_headings(kind)[0]
                headings.append(heading)
                required.append(not schema.geometry_optional)
                guide.append([heading, kind, _t("Degrees, WGS 84 (GPS)", lang),
                              _t("yes", lang) if not schema.geometry_optional else "", "",
                              "; ".join(layers.coordinate_headings(kind)[1:])])
    return {"headings": headings, "required": required,
            "guide_headings": [_t(h, lang) for h in _GUIDE_HEADINGS],
            "guide": guide}


def write_form(name: str, out: str | os.PathLike[str], *, lang: str | None = None) -> Path:
    """Write the blank form for ``name`` as an XLSX workbook at ``out`` (atomically)."""
    lang = lang or settings.lang
    doc = form_rows(name, lang)
    wb = Workbook()
    ws = wb.active
    ws.title = _t("Data", lang)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
    for col, (text, required) in enumerate(zip(doc["headings"], doc["required"],
                                               strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=text)
        cell.font = Font(bold=True, color="C00000") if required else bold
        cell.fill = fill
        cell.data_type = "s"  # a label is text, never a formula
        ws.column_dimensions[get_column_letter(col)].width = max(12, min(40, len(text) + 4))
    ws.freeze_panes = "A2"
    guide = wb.create_sheet(_t("Guide", lang))
    for col, text in enumerate(doc["guide_headings"], start=1):
        cell = guide.cell(row=1, column=col, value=text)
        cell.font, cell.fill = bold, fill
    for r, values in enumerate(doc["guide"], start=2):
        for col, text in enumerate(values, start=1):
            cell = guide.cell(row=r, column=col, value=text)
            cell.data_type = "s"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEF", (28, 22, 16, 10, 50, 40), strict=True):
        guide.column_dimensions[letter].width = width
    note = guide.cell(row=len(doc["guide"]) + 3, column=1,
                      value=_t("Headings in red are required. Fill the first sheet, one row "
                               "per feature or record, and import it with ntmgeo import.", lang))
    note.font = Font(italic=True)
    with atomic_path(out) as tmp:
        wb.save(tmp)
    return Path(out)
