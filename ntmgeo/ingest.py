"""Bringing a file into a store: read, reproject, validate against the layer, write atomically.

A file's columns are matched to the layer's fields by name, shapefile name, alias or label
(:func:`ntmgeo.layers.column_map`: "Tên công trình", "TÊN CÔNG TRÌNH" and "ten_cong_trinh"
… as the schema lists them), or as the importer maps them (``mapping``: heading → field). A
column no field takes is never dropped without a word: from a table (CSV, XLSX) it is refused
by name, unless ``extra`` keeps it (with the row's other such columns, as JSON in the field
``extra``); from a geometry file it is kept with ``extra``, else dropped and listed in the
result (``ignored``).

A table is also imported into a record table of the store (``unit_status``,
``reported_values``, … :data:`ntmgeo.store.RECORD_TABLES`) by :func:`import_records`, its
headings matched by the aliases of ``data/record_tables.yml``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import yaml

from . import chainage, io, tables
from . import units as units_mod
from ._errors import InputError, Message
from ._resources import share_path
from .fieldvalues import bad_value, is_blank
from .layers import (
    EXTRA_FIELD,
    Field,
    LayerSchema,
    catalogue_words,
    column_map,
    conform,
    convert_value,
    field_keys,
    heading_key,
    load_schema,
)
from .snapshot import Snapshot
from .store import RECORD_TABLES, Store
from .zoning import Zoning

__all__ = ["ImportResult", "beside_no_road", "converted_rows", "import_file", "import_records",
           "importable", "prepare", "record_fields"]


def prepare(
    layer: str,
    path: str | os.PathLike[str],
    *,
    crs: str | None = None,
    file_layer: str | None = None,
    defaults: dict[str, Any] | None = None,
    roads: gpd.GeoDataFrame | None = None,
    measure_crs: str | Zoning | None = None,
    encoding: str | None = None,
    swap_xy: bool = False,
    max_bytes: int | None | bool = True,
    profile: str | None = None,
    extra: bool = False,
    mapping: dict[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Read ``path`` and return its features conformed to ``layer``, in the storage CRS.

    ``profile`` conforms to the layer as a computation reading files needs it (e.g.
    ``"greening"``: only the fields it uses, only its identity required; see
    :meth:`~ntmgeo.layers.LayerSchema.profile`); by default, to the layer's full schema. A
    survey CSV of chainages (``dist_code, road_code, from, to, side``) is turned into lines
    along ``roads`` (cut in ``measure_crs``: a CRS, or a store's zones). Raises
    :class:`~ntmgeo._errors.InputError` (naming file, feature and field; for a table, row
    and column) on bad input; nothing is written.

    ``file_layer`` is also the sheet of a workbook. The columns no field takes: see the
    module's description (``extra``, ``mapping``); with a ``profile`` (a computation reading a
    file, not an import) they are left aside. The result's ``attrs["ignored"]`` lists the
    columns left aside.
    """
    schema = load_schema(layer)
    if profile is not None:
        schema = schema.profile(profile)
    path = Path(path)
    rows: list[int] | None = None
    exclude: list[str] = []
    if layer == "surveys" and chainage.is_chainage_table(path):
        if roads is None or measure_crs is None:
            raise InputError("a chainage table needs the roads it refers to", path=str(path))
        table = chainage.read_chainage_table(path)
        raw = chainage.surveys_from_chainage(table, roads, crs=measure_crs, source=str(path))
        policy = "drop"
    else:
        raw = io.read_features(path, layer=file_layer, crs=crs, encoding=encoding,
                               swap_xy=swap_xy, max_bytes=max_bytes,
                               require_geometry=not schema.geometry_optional)
        if tables.is_table_file(path):
            rows = list(raw.attrs.get("rows") or [])
            exclude = list(raw.attrs.get("coordinate_columns") or [])
        if profile is not None:
            policy = "drop"
        elif extra:
            policy = "extra"
        else:
            policy = "refuse" if tables.is_table_file(path) else "report"
    sheet = raw.attrs.get("sheet") if rows is not None else None
    where = f"{path}[{sheet}]" if sheet else str(path)  # a workbook's sheet, as read_rows says
    raw, headings, ignored = _resolve_columns(schema, raw, source=where, policy=policy,
                                              explicit=mapping or {}, exclude=exclude)
    stored = io.to_storage_crs(raw, path=str(path))
    base = {"source_file": path.name} if "source_file" in schema.field_names else {}
    out = conform(stored, schema, source=where, defaults={**base, **(defaults or {})},
                  rows=rows if rows is not None and len(rows) == len(stored) else None,
                  headings=headings)
    out.attrs["ignored"] = ignored if policy == "report" else []
    return out


def _check_explicit(fields: tuple[Field, ...], columns: list[str], explicit: dict[str, str],
                    *, source: str, target: str) -> None:
    names = [f.name for f in fields]
    keys = {heading_key(c) for c in columns}
    for heading, name in explicit.items():
        if name not in names:
            raise InputError("the mapping '{heading}={name}': '{target}' has no field '{name}' "
                             "(fields: {fields})", path=source, heading=heading, name=name,
                             target=target, fields=", ".join(names))
        if heading_key(heading) not in keys:
            raise InputError("the mapping '{heading}={name}': the file has no column "
                             "'{heading}' (columns: {columns})", path=source, heading=heading,
                             name=name, columns=", ".join(columns))


def _unknown_column(fields: tuple[Field, ...], column: str, *, source: str,
                    target: str) -> InputError:
    """The error of a column no field takes: the fields it could be, the closest first."""
    keys = {k: f.name for f in fields for k in field_keys(f)}
    close = difflib.get_close_matches(heading_key(column), list(keys), n=1, cutoff=0.6)
    names = ", ".join(f.name for f in fields if f.name != EXTRA_FIELD)
    if close:
        return InputError("column '{column}' matches no field of '{target}' (closest: "
                          "'{closest}'; fields: {fields}): map it to a field, or keep it as "
                          "extra", path=source, column=column, target=target,
                          closest=keys[close[0]], fields=names, hint="extra")
    return InputError("column '{column}' matches no field of '{target}' (fields: {fields}): "
                      "map it to a field, or keep it as extra", path=source, column=column,
                      target=target, fields=names, hint="extra")


def _extra_json(frame: pd.DataFrame, columns: list[str]) -> list[str | None]:
    """Each row's values of ``columns`` (the non-empty ones) as a JSON object."""
    out: list[str | None] = []
    for values in frame[columns].itertuples(index=False, name=None):
        doc = {c: tables.canonical(v) for c, v in zip(columns, values, strict=True)
               if not is_blank(v)}
        out.append(json.dumps(doc, ensure_ascii=False) if doc else None)
    return out


def _resolve_columns(schema: LayerSchema, gdf: gpd.GeoDataFrame, *, source: str, policy: str,
                     explicit: dict[str, str], exclude: list[str]
                     ) -> tuple[gpd.GeoDataFrame, dict[str, str], list[str]]:
    """``gdf`` with its columns named as the fields they match, the heading of each field,
    and the columns no field takes (refused, kept in ``extra``, or left aside as ``policy``
    says: refuse, extra, report, drop).
    """
    geom = gdf.geometry.name
    columns = [c for c in gdf.columns if c != geom and c not in exclude]
    _check_explicit(schema.fields, columns, explicit, source=source, target=schema.name)
    mapping = column_map(schema, columns, explicit)
    unknown = [c for c in columns if c not in mapping]
    if unknown and policy == "refuse":
        raise _unknown_column(schema.fields, str(unknown[0]), source=source,
                              target=schema.name)
    out = gpd.GeoDataFrame({t: gdf[c].astype(object) for c, t in mapping.items()},
                           geometry=gdf.geometry, crs=gdf.crs)
    if unknown and policy == "extra":
        if EXTRA_FIELD not in schema.field_names:
            raise InputError("layer '{layer}' keeps no extra columns (column '{column}')",
                             path=source, layer=schema.name, column=str(unknown[0]))
        kept = [*unknown, *([c for c, t in mapping.items() if t == EXTRA_FIELD])]
        out[EXTRA_FIELD] = _extra_json(gdf, kept)
    headings = {t: str(c) for c, t in mapping.items()}
    return out, headings, [str(c) for c in unknown]


@dataclass(frozen=True)
class ImportResult:
    """What an import wrote, and what the caller should tell the person who imported."""

    count: int
    """Features written."""
    beside_no_road: dict[str, Any] | None = None
    """Surveys only: the features that run beside no stored road (``count``, ``length_km`` of
    the lines, ``ids``), as :func:`ntmgeo.indicators.roads.tree_lined` judges it with its
    default tolerance; ``None`` for other layers, or when the store holds no road to check
    against (then ``roads_checked`` is False)."""
    roads_checked: bool = False
    ignored: tuple[str, ...] = ()
    """Columns of a geometry file no field takes, left aside (not kept as ``extra``)."""


def beside_no_road(roads: gpd.GeoDataFrame, surveys: gpd.GeoDataFrame, *, crs: str | Zoning
                   ) -> dict[str, Any]:
    """The surveys that run beside none of ``roads`` (of any class), measured in ``crs`` (or
    a store's zones, :mod:`ntmgeo.zoning`):
    ``count``, ``length_km``, ``ids``. Nothing is refused for that: a survey may be along a
    road not drawn yet; the person importing should hear of it (a GPX recorded in the wrong
    district, a file in the wrong CRS).
    """
    from .indicators import roads as roads_ind

    return roads_ind.tree_lined(roads, surveys, crs=crs)["unmatched"]


def import_file(
    store: Store,
    layer: str,
    path: str | os.PathLike[str],
    *,
    replace: bool = False,
    crs: str | None = None,
    file_layer: str | None = None,
    defaults: dict[str, Any] | None = None,
    user: str = "",
    encoding: str | None = None,
    swap_xy: bool = False,
    extra: bool = False,
    mapping: dict[str, str] | None = None,
) -> ImportResult:
    """Validate ``path`` against ``layer`` and append (or replace) its features in ``store``.

    All or nothing: when any feature is bad, nothing is stored. Surveys are checked against the
    stored roads (:func:`beside_no_road`); the result says which run beside none. ``layer``
    may also be a record table (:func:`import_records`). ``extra``, ``mapping``: see
    :func:`prepare`; ``file_layer`` is also a workbook's sheet.
    """
    if layer in RECORD_TABLES:
        if replace:
            raise InputError("record table '{table}' keeps its history: rows are added, never "
                             "replaced", path=str(path), table=layer)
        if layer == "thresholds":  # checked against the catalogue as the file is read
            from . import thresholds

            return ImportResult(thresholds.load(store, path, sheet=file_layer, user=user))
        return import_records(store, layer, path, sheet=file_layer, extra=extra,
                              mapping=mapping, user=user)
    is_surveys = layer == "surveys"
    needs_roads = is_surveys and chainage.is_chainage_table(path)
    roads = store.read_layer("roads") if is_surveys else None
    zones = Snapshot.of(store).zoning if is_surveys else store.measure_crs
    features = prepare(layer, path, crs=crs, file_layer=file_layer, defaults=defaults,
                       roads=roads if needs_roads else None, measure_crs=zones,
                       encoding=encoding, swap_xy=swap_xy, extra=extra, mapping=mapping)
    lost = None
    if roads is not None and len(roads):
        lost = beside_no_road(roads, features, crs=zones)
    count = store.write_features(layer, features, replace=replace, source=Path(path).name,
                                 user=user)
    return ImportResult(count, lost, roads_checked=lost is not None,
                        ignored=tuple(features.attrs.get("ignored") or ()))


# --------------------------------------------------------------------------------------------
# Tables into record tables


@cache
def _record_specs() -> dict[str, Any]:
    with share_path("data", "record_tables.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh) or {}


def importable() -> list[str]:
    """The record tables a table can be imported into (``import: false`` in
    ``data/record_tables.yml`` keeps one out: users, the import log).
    """
    specs = _record_specs()
    return [t for t in RECORD_TABLES if (specs.get(t) or {}).get("import", True)]


def record_fields(table: str) -> tuple[tuple[Field, ...], dict[str, dict[str, str]]]:
    """The columns of record ``table`` as fields (type from ``RECORD_TABLES``; label, aliases,
    required, values from ``data/record_tables.yml``), and each column's words read as codes
    (column → {folded words: code}). ``recorded_at`` is the store's, not a file's.
    """
    spec = (_record_specs().get(table) or {}).get("columns") or {}
    fields = []
    words: dict[str, dict[str, str]] = {}
    for name, kind in RECORD_TABLES[table]:
        if name == "recorded_at":
            continue
        col = spec.get(name) or {}
        values = col.get("values") or {}
        if col.get("values_catalogue"):  # the codes and words of a catalogue (funding sources)
            values = {code: list(ws) for code, ws
                      in catalogue_words(col["values_catalogue"]).items()}
        words[name] = {heading_key(w): str(code) for code, ws in values.items()
                       for w in [code, *ws]}
        allowed = tuple(str(c) for c in values) if values and kind == "text" else None
        fields.append(Field(name=name, shp_name=name, type=kind,
                            label=col.get("label") or {"vi": name, "en": name},
                            required=bool(col.get("required")), allowed=allowed,
                            aliases=tuple(col.get("aliases") or ())))
    return tuple(fields), words


class _Fields:
    """What :func:`~ntmgeo.layers.column_map` reads of a schema: its fields."""

    def __init__(self, fields: tuple[Field, ...]) -> None:
        self.fields = fields


def _now() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _cell_error(source: str, row: int, column: str, reason: Message) -> InputError:
    return InputError("row {row}, column '{column}': {reason}", path=source, row=row,
                      column=column, reason=reason)


def converted_rows(table: tables.Table, fields: tuple[Field, ...],
                   words: dict[str, dict[str, str]], heading: dict[str, str], *, source: str
                   ) -> list[tuple[int, dict[str, Any], dict[str, str]]]:
    """Each row of ``table`` as ``(row number, record, cells)``: the cells of the columns
    ``heading`` names (field → heading) read as the words of ``words`` say and converted by
    the fields' types. A required field without a column, a table without rows, a missing
    required value or a bad value raises :class:`InputError` naming file, row and column.
    """
    for f in fields:
        if f.required and f.name not in heading:
            keys = ", ".join(dict.fromkeys((f.name, *f.aliases, *f.label.values())))
            raise InputError("has no column for '{name}', which every row needs (headings "
                             "read as it: {names})", path=source, name=f.name, names=keys)
    if not table.rows:
        raise InputError("contains no rows", path=source)
    out = []
    for number, cells in table.rows:
        record: dict[str, Any] = {}
        for f in fields:
            col = heading.get(f.name)
            text = cells.get(col, "") if col is not None else ""
            text = words.get(f.name, {}).get(heading_key(text), text) if text else text
            try:
                value = convert_value(f, text)
            except (ValueError, TypeError, OverflowError):
                raise _cell_error(source, number, col or f.name, bad_value(f, text)) from None
            if value is None and f.required:
                raise _cell_error(source, number, col or f.name,
                                  Message("required value is missing"))
            if value is not None:
                record[f.name] = value
        out.append((number, record, cells))
    return out


def record_rows(store: Store, table_name: str, table: tables.Table, *, extra: bool = False,
                mapping: dict[str, str] | None = None) -> list[dict[str, Any]]:
    """The rows of ``table`` as records of ``table_name``, converted by the columns' types;
    raises :class:`InputError` naming the file, row and column of the first bad value.

    A unit code must name a unit of the store valid on the row's date (``as_of``); its
    ``unit_valid_from`` is filled in. An empty ``source`` is the file's name.
    """
    source = str(table.path) + (f"[{table.sheet}]" if table.sheet else "")
    fields, words = record_fields(table_name)
    explicit = mapping or {}
    _check_explicit(fields, table.headers, explicit, source=source, target=table_name)
    columns = column_map(_Fields(fields), table.headers, explicit)  # type: ignore[arg-type]
    unknown = [c for c in table.headers if c not in columns]
    names = {f.name for f in fields}
    if unknown and not (extra and EXTRA_FIELD in names):
        if extra:
            raise InputError("record table '{table}' keeps no extra columns (column "
                             "'{column}')", path=source, table=table_name, column=unknown[0])
        raise _unknown_column(fields, unknown[0], source=source, target=table_name)
    heading = {t: c for c, t in columns.items()}
    units = _store_units(store) if "unit_code" in names else None
    # the store's thresholds files may add indicators to a set: a record may name them
    added = store.read_records("thresholds") if "criteria_set" in names else None
    records = []
    for number, record, cells in converted_rows(table, fields, words, heading, source=source):
        if unknown:
            record[EXTRA_FIELD] = _extra_json(pd.DataFrame([cells]), unknown)[0]
        if "source" in names and not record.get("source"):
            record["source"] = table.path.name
        if units is not None and record.get("unit_code") is not None:
            _complete(units, record, names, source=source, row=number, heading=heading,
                      thresholds=added)
        records.append(record)
    return records


def _store_units(store: Store) -> pd.DataFrame:
    if "admin_units" not in store.layer_names():
        return pd.DataFrame(columns=["code", "level", "valid_from", "valid_to"])
    return pd.DataFrame(store.read_layer("admin_units").drop(columns="geometry"))


def _complete(units: pd.DataFrame, record: dict[str, Any], names: set[str], *, source: str,
              row: int, heading: dict[str, str], thresholds: pd.DataFrame | None = None
              ) -> None:
    """Check a record's unit (a unit of the store valid on its date), criteria set (the
    unit's level's, in force on the date, when none is given) and indicator or criterion (one
    of the set's); fill in ``unit_valid_from`` and ``criteria_set``.
    """
    from . import criteria as criteria_mod
    from ._errors import CriterionDataMissing

    unit = _unit_of(units, record, source=source, row=row,
                    column=heading.get("unit_code", "unit_code"))
    record.setdefault("unit_valid_from", str(unit["valid_from"]))
    if "criteria_set" not in names:
        return
    date = record.get("as_of") or dt.date.today().isoformat()
    column = heading.get("criteria_set", "criteria_set")
    try:
        if record.get("criteria_set"):
            cset = criteria_mod.load_set(str(record["criteria_set"]))
        else:
            cset = criteria_mod.set_for(str(unit["level"]), date)
            record["criteria_set"] = cset.id
        if thresholds is not None and not thresholds.empty:
            cset = criteria_mod.with_thresholds(cset, thresholds, as_of=date)
        for key, look_up in (("indicator_id", cset.indicator), ("criterion_id", cset.criterion)):
            if key in names and record.get(key) is not None:
                column = heading.get(key, key)
                look_up(str(record[key]))
    except CriterionDataMissing as exc:
        raise _cell_error(source, row, column, exc.message) from None


def _unit_of(units: pd.DataFrame, record: dict[str, Any], *, source: str, row: int,
             column: str) -> pd.Series:
    code = str(record["unit_code"])
    date = record.get("as_of") or dt.date.today().isoformat()
    candidates = units[units["code"].astype(str) == code]
    if record.get("unit_valid_from"):
        candidates = candidates[candidates["valid_from"].astype(str)
                                == str(record["unit_valid_from"])]
    valid = units_mod.valid_on(candidates, date) if len(candidates) else candidates
    if not len(valid):
        reason = Message("no unit {code} valid on {date} in the store", code=code, date=date)
        raise _cell_error(source, row, column, reason)
    return valid.iloc[0]


def import_records(store: Store, table_name: str, path: str | os.PathLike[str], *,
                   sheet: str | None = None, extra: bool = False,
                   mapping: dict[str, str] | None = None, user: str = "") -> ImportResult:
    """Add the rows of a table file (XLSX, CSV) to record table ``table_name``: all or
    nothing (nothing is added when a row is bad), then the import is logged in ``imports``.
    """
    path = Path(path)
    if table_name not in importable():
        raise InputError("record table '{table}' is not imported from files (tables: "
                         "{known})", path=str(path), table=table_name,
                         known=", ".join(importable()))
    if not tables.is_table_file(path):
        raise InputError("a record table is imported from a table ({known}), not '{ext}'",
                         path=str(path), known=", ".join(tables.TABLE_SUFFIXES),
                         ext=path.suffix)
    table = tables.read_rows(path, sheet=sheet)
    records = record_rows(store, table_name, table, extra=extra, mapping=mapping)
    count = store.add_records(table_name, records)
    store.add_records("imports", [{"layer": table_name, "source": path.name,
                                   "features": count, "mode": "append",
                                   "imported_at": _now(), "user": user}])
    return ImportResult(count)
