"""Declarative layer schemas (``layers/*.yml``) and the validation of features against them.

Each layer is declared once, as data: its geometry types, its fields (type, required,
allowed values, Vietnamese and English labels, unit, a unique shapefile name of at most 10
ASCII characters) and its identity. Every schema is checked against ``layers/_schema.yml``.

:func:`conform` turns a GeoDataFrame read from any file into the layer's canonical form, or
raises an :class:`~ntmgeo._errors.InputError` naming the file, the feature and the field; one
value is converted to its field's type by :mod:`ntmgeo.fieldvalues`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import geopandas as gpd
import jsonschema
import numpy as np
import pandas as pd
import shapely
import yaml

from . import settings
from ._errors import (
    DuplicateIdentityError,
    GeometryError,
    InputError,
    LayerSchemaError,
    Message,
)
from ._resources import share_path
from .codes import fold_many
from .fieldvalues import bad_value, is_blank
from .fieldvalues import convert_value as _convert_type

__all__ = ["EXTRA_FIELD", "Field", "LayerSchema", "all_schemas", "catalogue_words", "column_map",
           "conform",
           "convert_value", "heading_key", "load_schema", "match_allowed", "validate_all"]

EXTRA_FIELD = "extra"
"""The field that keeps, as JSON, an imported table's columns no other field takes."""



@dataclass(frozen=True)
class Field:
    """One attribute of a layer, as declared in its schema."""

    name: str
    shp_name: str
    type: str
    label: dict[str, str]
    required: bool = False
    unit: str | None = None
    allowed: tuple[str, ...] | None = None
    allowed_labels: dict[str, dict[str, str]] = field(default_factory=dict)
    allowed_aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Per allowed value, the other ways a table writes it (its ``aliases`` in the schema,
    and those of the catalogue ``allowed_catalogue`` names): matched by :func:`match_allowed`."""
    aliases: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    description: dict[str, str] | None = None
    match: str = "exact"


@dataclass(frozen=True)
class LayerSchema:
    """A layer: geometry, fields and identity."""

    name: str
    title: dict[str, str]
    geometry_types: tuple[str, ...]
    storage_type: str
    storage_crs: str
    identity: tuple[str, ...]
    fields: tuple[Field, ...]
    merge_parts: bool = False
    id_prefix: str | None = None
    description: dict[str, str] | None = None
    profiles: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    geometry_optional: bool = False
    """Features may have no geometry (``geometry.optional`` in the schema)."""

    def field(self, name: str) -> Field:
        """Return the field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f
        raise LayerSchemaError("layer '{layer}' has no field '{name}'", layer=self.name,
                               name=name)

    @property
    def field_names(self) -> list[str]:
        """Names of the fields, in schema order."""
        return [f.name for f in self.fields]

    def profile(self, name: str) -> LayerSchema:
        """The layer as a computation reading files directly needs it (``profiles`` in the
        schema): only the profile's fields, only its required ones required.
        """
        try:
            spec = self.profiles[name]
        except KeyError:
            raise LayerSchemaError("layer '{layer}' has no profile '{name}'", layer=self.name,
                                   name=name) from None
        keep = set(spec["fields"])
        fields = tuple(replace(f, required=f.name in spec["required"])
                       for f in self.fields if f.name in keep)
        return replace(self, fields=fields, profiles={})


def _schema_dir() -> Path:
    return share_path("layers")


@cache
def _meta_schema() -> dict[str, Any]:
    with (_schema_dir() / "_schema.yml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _check_semantics(doc: dict[str, Any], where: str) -> None:
    names = [f["name"] for f in doc["fields"]]
    shp = [f["shp_name"].lower() for f in doc["fields"]]
    for label, values in (("field name", names), ("shapefile name", shp)):
        dupes = sorted({v for v in values if values.count(v) > 1})
        if dupes:
            msg = ("{where}: duplicate field name(s) {names}" if label == "field name"
                   else "{where}: duplicate shapefile name(s) {names}")
            raise LayerSchemaError(msg, where=where, names=", ".join(dupes))
    for ident in doc["identity"]:
        if ident not in names:
            msg = "{where}: identity field '{name}' is not a field"
            raise LayerSchemaError(msg, where=where, name=ident)
    for f in doc["fields"]:
        if f.get("allowed") and f["type"] not in ("text", "list"):
            msg = "{where}: field '{name}' has allowed values but type {type}"
            raise LayerSchemaError(msg, where=where, name=f["name"], type=f["type"])
    if doc.get("id_prefix") and len(doc["identity"]) != 1:
        raise LayerSchemaError("{where}: id_prefix needs a single-field identity", where=where)
    for profile, spec in doc.get("profiles", {}).items():
        unknown = sorted(set(spec["fields"]) - set(names))
        if unknown or not set(spec["required"]) <= set(spec["fields"]):
            msg = ("{where}: profile '{profile}': every field must be a field and every "
                   "required one among its fields ({names})")
            raise LayerSchemaError(msg, where=where, profile=profile,
                                   names=", ".join(unknown) or "required")
        if not set(doc["identity"]) <= set(spec["fields"]):
            msg = "{where}: profile '{profile}' must read the identity fields"
            raise LayerSchemaError(msg, where=where, profile=profile)


def parse_schema(doc: Any, *, where: str = "<schema>") -> LayerSchema:
    """Validate a schema document (a loaded YAML mapping) and build a :class:`LayerSchema`."""
    validator = jsonschema.Draft202012Validator(_meta_schema())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        err = errors[0]
        path = "/".join(str(p) for p in err.path) or "(top)"
        raise LayerSchemaError("{where}: {path}: {reason}", where=where, path=path,
                               reason=err.message)
    _check_semantics(doc, where)
    fields = tuple(_field_from_doc(f) for f in doc["fields"])
    return LayerSchema(
        name=doc["name"],
        title=doc["title"],
        geometry_types=tuple(doc["geometry"]["types"]),
        storage_type=doc["geometry"]["storage"],
        storage_crs=doc["storage_crs"],
        identity=tuple(doc["identity"]),
        fields=fields,
        merge_parts=doc.get("merge_parts", False),
        id_prefix=doc.get("id_prefix"),
        description=doc.get("description"),
        profiles={k: {"fields": tuple(v["fields"]), "required": tuple(v["required"])}
                  for k, v in doc.get("profiles", {}).items()},
        geometry_optional=doc["geometry"].get("optional", False),
    )


def catalogue_words(ref: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """``{id: (names, short names, aliases)}`` of the catalogue a field's ``allowed_catalogue``
    names (``{file: data/…yml, list: key}``; each entry ``id``, ``name``/``short`` {vi, en},
    ``aliases``).
    """
    with share_path(*str(ref["file"]).split("/")).open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    out = {}
    for entry in doc[ref["list"]]:
        words = [*(entry.get("name") or {}).values(), *(entry.get("short") or {}).values(),
                 *entry.get("aliases", ())]
        out[str(entry["id"])] = tuple(str(w) for w in words)
    return out


def _allowed_aliases(f: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    catalogue = catalogue_words(f["allowed_catalogue"]) if f.get("allowed_catalogue") else {}
    return {a["value"]: (*a.get("aliases", ()), *catalogue.get(a["value"], ()))
            for a in f.get("allowed", [])}


def value_key(text: Any) -> str:
    """A value compared with an allowed value's words: Unicode NFC, case-folded, spaces
    (no-break ones too) collapsed; Vietnamese diacritics count.
    """
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def match_allowed(f: Field, text: Any) -> str | None:
    """The allowed value of ``f`` that ``text`` names (the value itself, a label, or an
    alias: :func:`value_key` equal), or ``None``.
    """
    wanted = value_key(text)
    for value in f.allowed or ():
        words = (value, *f.allowed_labels.get(value, {}).values(),
                 *f.allowed_aliases.get(value, ()))
        if wanted in (value_key(w) for w in words):
            return value
    return None


def convert_value(f: Field, value: Any) -> Any:
    """Convert one input value to the field's canonical Python value, or raise ValueError
    (:func:`ntmgeo.fieldvalues.convert_value`); a field with allowed values takes each
    value's id, label or alias (:func:`match_allowed`) and stores the id.
    """
    if not f.allowed:
        return _convert_type(f, value)
    out = _convert_type(replace(f, allowed=None), value)
    if out is None:
        return None
    items = out if f.type == "list" else [out]
    matched = [match_allowed(f, v) for v in items]
    if any(m is None for m in matched):
        raise ValueError
    return matched if f.type == "list" else matched[0]


def _field_from_doc(f: dict[str, Any]) -> Field:
    return Field(
        name=f["name"], shp_name=f["shp_name"], type=f["type"], label=f["label"],
        required=f.get("required", False), unit=f.get("unit"),
        allowed=tuple(a["value"] for a in f["allowed"]) if f.get("allowed") else None,
        allowed_labels={a["value"]: a["label"] for a in f.get("allowed", [])},
        allowed_aliases=_allowed_aliases(f),
        aliases=tuple(f.get("aliases", ())), minimum=f.get("min"), maximum=f.get("max"),
        description=f.get("description"), match=f.get("match", "exact"),
    )


@cache
def common_fields() -> tuple[Field, ...]:
    """The fields every shipped layer has after its own (``layers/_common_fields.yml``)."""
    doc = _read_yaml(_schema_dir() / "_common_fields.yml")
    return tuple(_field_from_doc(f) for f in doc["fields"])


def coordinate_headings(kind: str) -> tuple[str, ...]:
    """The headings of a table's coordinate column ``kind`` (lon, lat, x, y, wkt) listed in
    ``layers/_common_fields.yml`` (Vietnamese ones: "Kinh độ", "Vĩ độ").
    """
    doc = _read_yaml(_schema_dir() / "_common_fields.yml")
    return tuple((doc.get("coordinates") or {}).get(kind) or ())


def _with_common_fields(schema: LayerSchema) -> LayerSchema:
    names = {f.name for f in schema.fields}
    shp = {f.shp_name.lower() for f in schema.fields}
    added = tuple(f for f in common_fields()
                  if f.name not in names and f.shp_name.lower() not in shp)
    return replace(schema, fields=schema.fields + added) if added else schema


def _read_yaml(path: Path) -> Any:
    try:
        with path.open(encoding="utf-8") as fh:
            return yaml.safe_load(fh)
    except yaml.YAMLError as exc:
        raise LayerSchemaError("{file}: not valid YAML: {reason}", file=path.name,
                               reason=str(exc).splitlines()[0]) from None


@cache
def load_schema(name: str) -> LayerSchema:
    """Return the schema of layer ``name`` (``layers/<name>.yml``)."""
    path = _schema_dir() / f"{name}.yml"
    if name.startswith("_") or not path.is_file():
        known = ", ".join(s for s in layer_names())
        raise LayerSchemaError("unknown layer '{name}' (layers: {known})", name=name,
                               known=known)
    schema = _with_common_fields(parse_schema(_read_yaml(path), where=path.name))
    if schema.name != name:
        msg = "{file}: declares name '{declared}', expected '{name}'"
        raise LayerSchemaError(msg, file=path.name, declared=schema.name, name=name)
    return schema


def layer_names() -> list[str]:
    """Names of the declared layers, sorted."""
    return sorted(p.stem for p in _schema_dir().glob("*.yml") if not p.stem.startswith("_"))


def all_schemas() -> list[LayerSchema]:
    """Every declared layer schema."""
    return [load_schema(n) for n in layer_names()]


def validate_all() -> list[str]:
    """Validate every schema file; return their names (raises on the first bad one)."""
    return [s.name for s in all_schemas()]


# --------------------------------------------------------------------------------------------
# Conforming input features to a schema


_NOT_WORD = re.compile(r"[\W_]+")


def heading_key(text: str) -> str:
    """A column heading as it is compared: Unicode NFC, case-folded, punctuation and
    underscores as spaces, spaces collapsed. Diacritics count (``Mã`` is not ``Ma``), so
    ``"Kinh phí (triệu đồng)"``, ``"KINH PHÍ - TRIỆU ĐỒNG"`` and ``"kinh_phí_triệu_đồng"``
    are one heading.

    >>> heading_key("  Kinh phí (triệu  đồng) ") == heading_key("kinh_phí_triệu_đồng")
    True
    """
    folded = unicodedata.normalize("NFC", str(text)).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def field_keys(f: Field) -> tuple[str, ...]:
    """What a column heading may be to match ``f``: its name, shapefile name, aliases and
    labels, as :func:`heading_key` folds them.
    """
    keys = (f.name, f.shp_name, *f.aliases, *f.label.values())
    return tuple(dict.fromkeys(heading_key(k) for k in keys))


def column_map(schema: LayerSchema, columns: list[str],
               explicit: dict[str, str] | None = None) -> dict[str, str]:
    """Map input column names to schema field names: ``explicit`` first (heading → field),
    then by name, shapefile name, alias or label (:func:`field_keys`); a field takes the
    first column that names it.
    """
    wanted: dict[str, str] = {}
    for f in schema.fields:
        for key in field_keys(f):
            wanted.setdefault(key, f.name)
    mapping: dict[str, str] = {}
    by_key = {heading_key(k): v for k, v in (explicit or {}).items()}
    for col in columns:
        target = by_key.get(heading_key(str(col)))
        if target is not None and target not in mapping.values():
            mapping[col] = target
    for col in columns:
        if col in mapping:
            continue
        target = wanted.get(heading_key(str(col)))
        if target is not None and target not in mapping.values():
            mapping[col] = target
    return mapping


def _describe(schema: LayerSchema, row: pd.Series, label: Any) -> str:
    parts = [f"{k}={row[k]}" for k in schema.identity if k in row and not is_blank(row[k])]
    return f"{label} ({', '.join(parts)})" if parts else str(label)


def _check_geometry(schema: LayerSchema, geom: Any) -> Message | None:
    """Return why ``geom`` cannot be stored in the layer, or None when it can."""
    if schema.geometry_optional and (geom is None or geom.is_empty):
        return None
    if geom is None:
        return Message("has no geometry")
    if geom.is_empty:
        return Message("has an empty geometry")
    gtype = geom.geom_type.removeprefix("Multi")
    if gtype not in schema.geometry_types:
        allowed = "/".join(schema.geometry_types)  # language-neutral: "LineString/Point"
        return Message("geometry is {type}, layer '{layer}' takes {allowed}",
                       type=geom.geom_type, layer=schema.name, allowed=allowed)
    if not geom.is_valid:
        return Message("invalid geometry ({reason})", reason=shapely.is_valid_reason(geom))
    return None


def _check_bounds(geom: Any) -> Message | None:
    minx, miny, maxx, maxy = geom.bounds
    lo_x, lo_y, hi_x, hi_y = settings.vietnam_bounds
    if minx < lo_x or maxx > hi_x or miny < lo_y or maxy > hi_y:
        return Message("lies outside Vietnam ({bounds}): is the file's CRS right?",
                       bounds=f"lon {minx:.6g}..{maxx:.6g}, lat {miny:.6g}..{maxy:.6g} in WGS 84")
    return None


def _to_storage_geometry(schema: LayerSchema, geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    arr = shapely.force_2d(np.asarray(geoms.values, dtype=object))
    if schema.geometry_optional:  # no geometry, and an empty one, are stored as none
        arr = np.array([None if g is None or g.is_empty else g for g in arr], dtype=object)
    if schema.storage_type == "MULTIPOLYGON":
        arr = np.array([shapely.MultiPolygon([g]) if g is not None and g.geom_type == "Polygon"
                        else g for g in arr], dtype=object)
    elif schema.storage_type == "MULTILINESTRING":
        arr = np.array(
            [shapely.MultiLineString([g]) if g is not None and g.geom_type == "LineString"
             else g for g in arr],
            dtype=object,
        )
    return gpd.GeoSeries(arr, index=geoms.index, crs=geoms.crs)


def conform(
    gdf: gpd.GeoDataFrame,
    schema: LayerSchema,
    *,
    source: str = "<input>",
    defaults: dict[str, Any] | None = None,
    rows: list[int] | None = None,
    headings: dict[str, str] | None = None,
) -> gpd.GeoDataFrame:
    """Check ``gdf`` against ``schema`` and return it in canonical form.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Features as read from a file, already in the layer's storage CRS.
    schema : LayerSchema
        The layer to conform to.
    source : str
        Name of the input, used in error messages.
    defaults : dict, optional
        Values for fields the input lacks (e.g. ``{"source_file": "track.gpx"}``).
    rows : list of int, optional
        For a table: each feature's row number as a spreadsheet shows it; an error then
        names the row and the column (its heading in ``headings``, field → heading) instead of
        the feature and the field.
    headings : dict, optional
        The input's heading of each field (for ``rows``' messages).

    Returns
    -------
    geopandas.GeoDataFrame
        One column per schema field (canonical Python values, ``None`` where empty), and
        ``geometry`` in the storage type, index reset.

    Raises
    ------
    InputError
        On the first problem found: missing required field, value of the wrong type or not
        allowed, bad geometry, duplicate identity. The message names the input, the feature
        (its 1-based number and identity) and the field.
    """
    if len(gdf) == 0:
        raise InputError("contains no features", path=source)
    if gdf.crs is None or not gdf.crs.equals(schema.storage_crs):
        msg = "internal: features must be in {crs} before conform()"
        raise InputError(msg, path=source, crs=schema.storage_crs)
    mapping = column_map(schema, [c for c in gdf.columns if c != gdf.geometry.name])
    table = pd.DataFrame(index=gdf.index)
    absent = set()
    for f in schema.fields:
        src_col = next((c for c, t in mapping.items() if t == f.name), None)
        if src_col is not None:
            table[f.name] = gdf[src_col].astype(object)
        else:
            table[f.name] = (defaults or {}).get(f.name)
            absent.add(f.name)
    if defaults:
        for key, value in defaults.items():
            table[key] = table[key].where(~table[key].map(is_blank), value)
    table = _generate_ids(schema, table, source)
    out, problems = _convert_columns(schema, table, absent)
    problems.extend(_geometry_problems(schema, gdf.geometry))
    if problems:
        position, field_name, message, kind = min(problems, key=lambda p: p[0])
        if rows is not None:
            row = rows[position]
            if kind == "geometry":
                raise GeometryError("row {row}: {reason}", path=source, row=row,
                                    reason=message)
            column = (headings or {}).get(field_name or "", field_name)
            raise InputError("row {row}, column '{column}': {reason}", path=source, row=row,
                             column=column, reason=message)
        error = GeometryError if kind == "geometry" else InputError
        label = _describe(schema, table.iloc[position], position + 1)
        raise error(message, path=source, feature=label, field=field_name)
    result = gpd.GeoDataFrame(out, geometry=_to_storage_geometry(schema, gdf.geometry),
                              crs=schema.storage_crs)
    result = _merge_or_reject_duplicates(schema, result, source, rows)
    return result.reset_index(drop=True)


_BAD = object()  # marks a value that could not be converted


def _converter(f: Field) -> Any:
    def convert(value: Any) -> Any:
        try:
            return convert_value(f, value)
        except (ValueError, TypeError, OverflowError):
            return _BAD
    return convert


def _convert_columns(schema: LayerSchema, table: pd.DataFrame,
                     absent: frozenset[str] | set[str] = frozenset()
                     ) -> tuple[pd.DataFrame, list[tuple[int, str | None, Message, str]]]:
    """Convert every column (one pass per field); return the first problem of each field as
    (row position, field, message, kind). ``absent``: fields the input has no column for.
    """
    out = pd.DataFrame(index=table.index)
    problems: list[tuple[int, str | None, Message, str]] = []
    for f in schema.fields:
        column = table[f.name].astype(object)
        convert = _converter(f)
        values = [convert(v) for v in column.to_numpy(dtype=object)]
        bad = [i for i, v in enumerate(values) if v is _BAD]
        if bad:
            problems.append((bad[0], f.name, bad_value(f, column.iloc[bad[0]]), "value"))
        if f.required:
            missing = next((i for i, v in enumerate(values) if v is None), None)
            if missing is not None:
                message = Message("required value is missing")
                if f.name in absent:
                    names = ", ".join(dict.fromkeys((f.name, f.shp_name, *f.aliases)))
                    message = Message("required value is missing (the file has no column "
                                      "{names})", names=names)
                problems.append((missing, f.name, message, "value"))
        out[f.name] = pd.Series(values, index=table.index, dtype=object)
    return out, problems


def _geometry_problems(schema: LayerSchema, geoms: gpd.GeoSeries
                       ) -> list[tuple[int, str | None, Message, str]]:
    """The first feature whose geometry cannot be stored, if any (vectorised checks)."""
    arr = np.asarray(geoms.values, dtype=object)
    missing = shapely.is_missing(arr)
    empty = ~missing & shapely.is_empty(arr)
    allowed = {shapely.GeometryType[t.upper()].value for t in schema.geometry_types}
    allowed |= {shapely.GeometryType["MULTI" + t.upper()].value for t in schema.geometry_types}
    kinds = shapely.get_type_id(arr)
    wrong = ~missing & ~empty & ~np.isin(kinds, list(allowed))
    ok = ~missing & ~empty & ~wrong
    invalid = np.zeros(len(arr), dtype=bool)
    invalid[ok] = ~shapely.is_valid(arr[ok])
    lo_x, lo_y, hi_x, hi_y = settings.vietnam_bounds
    bounds = shapely.bounds(arr)
    outside = ok & ~invalid & ((bounds[:, 0] < lo_x) | (bounds[:, 2] > hi_x)
                               | (bounds[:, 1] < lo_y) | (bounds[:, 3] > hi_y))
    absent = (missing | empty) & (not schema.geometry_optional)
    bad = np.flatnonzero(absent | wrong | invalid | outside)
    if not bad.size:
        return []
    first = int(bad[0])
    problem = _check_geometry(schema, arr[first]) or _check_bounds(arr[first])
    return [(first, None, problem or Message("invalid geometry"), "geometry")]


def _generate_ids(schema: LayerSchema, table: pd.DataFrame, source: str) -> pd.DataFrame:
    if not schema.id_prefix:
        return table
    key = schema.identity[0]
    missing = table[key].map(is_blank)
    if missing.any():
        stem = re.sub(r"[^0-9A-Za-z]+", "-", Path(source).stem).strip("-").lower() or "input"
        numbers = np.arange(1, len(table) + 1)
        generated = pd.Series([f"{schema.id_prefix}-{stem}-{n}" for n in numbers],
                              index=table.index)
        table = table.copy()
        table[key] = table[key].where(~missing, generated)
    return table


def identity_keys(schema: LayerSchema, frame: pd.DataFrame) -> list[tuple[str, ...]]:
    """The identity of every feature of ``frame``, in order, folded for comparison as each
    identity field's ``match`` says (:mod:`ntmgeo.codes`: ``DH42`` is ``ĐH42``).
    """
    columns = [fold_many(frame[k].to_numpy(dtype=object), schema.field(k).match)
               for k in schema.identity]
    return list(zip(*columns, strict=True))


def _merge_or_reject_duplicates(
    schema: LayerSchema, gdf: gpd.GeoDataFrame, source: str, rows: list[int] | None = None
) -> gpd.GeoDataFrame:
    key_series = pd.Series(identity_keys(schema, gdf), index=gdf.index)
    dupes = key_series[key_series.duplicated(keep=False)]
    if dupes.empty:
        return gdf
    others = [c for c in schema.field_names if c not in schema.identity]
    position = {idx: n for n, idx in enumerate(gdf.index, start=1)}
    keep, drop = {}, []
    for _key, group in dupes.groupby(dupes):
        idxs = list(group.index)
        first = idxs[0]
        ident = ", ".join(f"{k}={gdf.at[first, k]}" for k in schema.identity)  # as written
        if not schema.merge_parts and rows is not None:  # a table: its rows as shown
            raise DuplicateIdentityError("duplicate identity ({identity}): rows {a} and {b}",
                                         path=source, identity=ident,
                                         a=rows[position[first] - 1],
                                         b=rows[position[idxs[1]] - 1])
        if not schema.merge_parts:
            msg = "duplicate identity ({identity}): features {a} and {b}"
            raise DuplicateIdentityError(msg, path=source, feature=position[idxs[1]],
                                         identity=ident, a=position[first], b=position[idxs[1]])
        for idx in idxs[1:]:
            for col in others:
                a, b = gdf.at[first, col], gdf.at[idx, col]
                if not (is_blank(a) and is_blank(b)) and a != b:
                    msg = ("parts of ({identity}) disagree: feature {a} has {va}, "
                           "feature {b} has {vb}")
                    raise DuplicateIdentityError(msg, path=source, feature=position[idx],
                                                 field=col, identity=ident, a=position[first],
                                                 va=repr(a), b=position[idx], vb=repr(b))
        merged = shapely.union_all(list(gdf.geometry.loc[idxs].values))
        keep[first] = _to_storage_geometry(
            schema, gpd.GeoSeries([shapely.line_merge(merged) if schema.storage_type ==
                                   "MULTILINESTRING" else merged], crs=gdf.crs)).iloc[0]
        drop.extend(idxs[1:])
    gdf = gdf.drop(index=drop)
    for idx, geom in keep.items():
        gdf.loc[idx, gdf.geometry.name] = geom
    return gdf
