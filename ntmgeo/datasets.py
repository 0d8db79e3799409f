"""Embedded sample data sets (``data/<name>/sample.yml``) and loading them into a store."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import ingest
from ._errors import InputError
from ._resources import share_path
from .layers import Field, convert_value
from .store import RECORD_TABLES, Store

__all__ = ["available", "get_path", "load_sample", "manifest"]


def available() -> list[str]:
    """Names of the embedded samples."""
    return sorted(p.parent.name for p in share_path("data").glob("*/sample.yml"))


def get_path(name: str) -> Path:
    """Folder of sample ``name``; a helpful error lists the available ones."""
    folder = share_path("data", name)
    if not (folder / "sample.yml").is_file():
        msg = f"no sample '{name}' (available: {', '.join(available()) or 'none'})"
        raise InputError(msg)
    return folder


def manifest(name: str) -> dict[str, Any]:
    """The sample's ``sample.yml``."""
    return yaml.safe_load((get_path(name) / "sample.yml").read_text(encoding="utf-8"))


def _typed(table: str, row: dict[str, Any], where: str) -> dict[str, Any]:
    kinds = dict(RECORD_TABLES[table])
    out = {}
    for key, value in row.items():
        if key not in kinds:
            continue
        fld = Field(name=key, shp_name=key[:10], type=kinds[key], label={"vi": key, "en": key})
        try:
            out[key] = convert_value(fld, value)
        except (ValueError, TypeError):
            raise InputError(f"value {value!r} is not of type {kinds[key]}", path=where,
                             field=key) from None
    return out


def _summary_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rep = doc["reported"]
    quotes = rep.get("quotes") or [{}]
    return [{
        "unit_code": str(doc["unit"]["code"]), "unit_valid_from": doc["unit"]["valid_from"],
        "criteria_set": doc["criteria_set"], "as_of": doc["as_of"],
        "criteria_met": rep["criteria_met"], "criteria_total": rep["criteria_total"],
        "indicators_met": rep["indicators_met"], "indicators_total": rep["indicators_total"],
        "unmet_criteria": rep.get("unmet_criteria"), "unmet_indicators": rep.get("unmet_indicators"),
        "statement": quotes[0].get("vi"), "source": doc.get("source"),
        "note": (doc.get("disagreement") or {}).get("en"),
    }]


def _record_rows(folder: Path, spec: dict[str, Any]) -> list[dict[str, Any]]:
    path = folder / spec["file"]
    if path.suffix in (".yml", ".yaml"):
        raw = _summary_rows(yaml.safe_load(path.read_text(encoding="utf-8")))
    else:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        raw = frame.rename(columns=spec.get("rename") or {}).to_dict("records")
    return [_typed(spec["table"], row, str(path)) for row in raw]


def load_sample(store: Store, name: str) -> dict[str, int]:
    """Load every layer and record file of sample ``name`` into ``store``; return counts."""
    folder = get_path(name)
    spec = manifest(name)
    counts: dict[str, int] = {}
    for layer, file in spec["layers"].items():
        counts[layer] = ingest.import_file(store, layer, folder / file, user="sample").count
    for rec in spec.get("records", []):
        counts[rec["table"]] = store.add_records(rec["table"], _record_rows(folder, rec))
    return counts
