"""The data dictionary of an export: every field's short (shapefile) name, full name, type,
labels and unit, as ``data_dictionary.csv`` and ``data_dictionary.html`` beside the files, or a
``data_dictionary`` table in a GeoPackage.
"""

from __future__ import annotations

import csv
import html
import io
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pyogrio.raw
from pyproj import CRS

from .. import i18n
from ..store import Store
from .convert import DBF_TEXT_BYTES, _crs_label, _Layer, _layers, _Table

_TYPE_WORDS = {"text": "text", "integer": "integer", "real": "real",
               "amount": "real (amount)", "date": "date",
               "boolean": "boolean", "list": "list ('|')"}
DICTIONARY_COLUMNS = ("layer", "shp_name", "field", "type", "label_vi", "label_en", "unit")


def _dictionary(layers: list[_Layer]) -> list[dict[str, str]]:
    rows = []
    for layer in layers:
        for f in layer.fields:
            rows.append({"layer": layer.name, "shp_name": f.shp_name, "field": f.name,
                         "type": _TYPE_WORDS[f.type], "label_vi": f.label["vi"],
                         "label_en": f.label["en"], "unit": f.unit or ""})
    return rows


def data_dictionary(store: Store, *, layers: list[str] | None = None,
                    extra_layers: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Rows of the data dictionary of a shapefile export (columns :data:`DICTIONARY_COLUMNS`)."""
    return _dictionary(_layers(store, layers, extra_layers, split=True)[0])


def _dictionary_csv(rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=DICTIONARY_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return "\ufeff" + buf.getvalue()  # BOM: Excel then reads UTF-8


# The HTML dictionary's words, each Vietnamese and English side by side ("Vi / En"): each is
# its English text, the msgid in the catalogue ``documents`` (ntmgeo/locale/<lang>/LC_MESSAGES/
# documents.po, where the Vietnamese is), rendered by :func:`i18n.both`; the templates hold
# HTML markup (the file is HTML), their parameters are escaped.
_both = i18n.both


def _pair(words: dict[str, str]) -> str:
    """``"Vietnamese / English"``."""
    return f"{words['vi']} / {words['en']}"


def _dictionary_html(layers: list[_Layer], tables: list[_Table], *, title: str, crs: CRS,
                     fmt: str) -> str:
    e = html.escape
    name = _both("Data dictionary")
    gis_x = _pair(_both("GIS X is the Vietnamese surveyors' Y"))
    most = _pair(_both("text holds at most {n} bytes per field in a shapefile", n=DBF_TEXT_BYTES))
    parts = [
        "<!DOCTYPE html>", '<html lang="vi"><head><meta charset="utf-8">',
        f"<title>{name['vi']}: {e(title)}</title>",
        "<style>body{font-family:sans-serif;margin:2em;max-width:70em}"
        "table{border-collapse:collapse;margin-bottom:2em}"
        "th,td{border:1px solid #999;padding:.3em .6em;text-align:left;vertical-align:top}"
        "th{background:#eee}code{font-size:1.05em}</style></head><body>",
        f"<h1>{_pair(name)}: {e(title)}</h1>",
        f"<p>{_pair(_both('CRS'))}: <b>" + e(_crs_label(crs)) + "</b> (" + e(crs.name) + "). "
        f"{_pair(_both('coordinates are (easting, northing)'))}: "
        f"{gis_x}.</p>",
        f"<p>{_pair(_both('Encoding'))}: UTF-8 (Unicode TCVN 6909), "
        f"{_both('file')['vi'].lower()} <code>.cpg</code>. "
        f"{_pair(_both('lists are separated by <code>|</code>'))}. "
        f"{most}.</p>" if fmt == "shapefile" else
        f"<p>{_pair(_both('Encoding'))}: UTF-8.</p>",
    ]
    label = _both("Label")
    for layer, table in zip(layers, tables, strict=True):
        file_name = (f"{layer.name}.geojson" if fmt != "shapefile" else
                     f"{layer.name}.dbf" if layer.is_table else f"{layer.name}.shp")
        parts.append(f"<h2>{e(layer.name)}: {e(layer.title['vi'])} / "
                     f"{e(layer.title['en'])}</h2>")
        kind = (_pair(_both("no geometry (a table: its fields say where each feature is)"))
                if layer.is_table else e(layer.geometry_type or ""))
        parts.append(f"<p>{_pair(_both('file'))} <code>{e(file_name)}</code>: {len(layer.gdf)} "
                     f"{_pair(_both('features'))}, {kind}.</p>")
        parts.append(f"<table><thead><tr><th>{_both('Field name (shapefile)')['vi']}</th>"
                     f"<th>{_pair(_both('field'))}</th><th>{_pair(_both('type'))}</th>"
                     f"<th>{label['vi']}</th><th>{label['en']}</th>"
                     f"<th>{_pair(_both('unit'))}</th></tr></thead><tbody>")
        for f in layer.fields:
            parts.append(
                f"<tr><td><code>{e(f.shp_name)}</code></td><td><code>{e(f.name)}</code></td>"
                f"<td>{e(_TYPE_WORDS[f.type])}</td><td>{e(f.label['vi'])}</td>"
                f"<td>{e(f.label['en'])}</td><td>{e(f.unit or '')}</td></tr>")
        parts.append("</tbody></table>")
        if table.truncated:
            feature = _pair(_both("feature"))
            cut = ", ".join(f"{t['field']} ({feature} {t['feature']}: {t['bytes']} byte)"
                            for t in table.truncated)
            parts.append(f"<p>{_pair(_both('text cut to {n} bytes', n=DBF_TEXT_BYTES))}: "
                         f"{e(cut)}. {_pair(_both('the GeoPackage export keeps it whole'))}.</p>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def _write_dictionary(folder: Path, layers: list[_Layer], tables: list[_Table], *,
                      title: str, crs: CRS, fmt: str) -> None:
    (folder / "data_dictionary.csv").write_text(_dictionary_csv(_dictionary(layers)),
                                                encoding="utf-8", newline="")
    (folder / "data_dictionary.html").write_text(
        _dictionary_html(layers, tables, title=title, crs=crs, fmt=fmt), encoding="utf-8")


def _write_dictionary_table(path: Path, layers: list[_Layer]) -> None:
    rows = _dictionary(layers)
    data = [np.array([r[c] for r in rows], dtype=object) for c in DICTIONARY_COLUMNS]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        pyogrio.raw.write(str(path), None, data, list(DICTIONARY_COLUMNS),
                          layer="data_dictionary", driver="GPKG", geometry_type=None)
