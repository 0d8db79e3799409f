"""Embedded sample data sets (``data/<name>/sample.yml``): loading one into a store, and
building a store file of it (``ntmgeo init --sample``, the web map's cache for ``ntmgeo serve``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import ingest
from ._errors import InputError, StoreError
from ._files import atomic_path
from ._resources import share_path
from .layers import Field, convert_value
from .store import RECORD_TABLES, Store
from .store.gpkg import GpkgStore

__all__ = ["available", "build_sample", "get_path", "load_sample", "manifest"]


def available() -> list[str]:
    """Names of the embedded samples."""
    return sorted(p.parent.name for p in share_path("data").glob("*/sample.yml"))


def get_path(name: str) -> Path:
    """Folder of sample ``name``; a helpful error lists the available ones."""
    folder = share_path("data", name)
    if not (folder / "sample.yml").is_file():
        msg = "no sample '{name}' (available: {known})"
        raise InputError(msg, name=name, known=", ".join(available()) or "none")
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
            raise InputError("value {value} is not of type {type}", path=where,
                             field=key, value=repr(value), type=kinds[key]) from None
    return out


def _summary_rows(doc: dict[str, Any]) -> list[dict[str, Any]]:
    rep = doc["reported"]
    quotes = rep.get("quotes") or [{}]
    return [{
        "unit_code": str(doc["unit"]["code"]), "unit_valid_from": doc["unit"]["valid_from"],
        "criteria_set": doc["criteria_set"], "as_of": doc["as_of"],
        "criteria_met": rep["criteria_met"], "criteria_total": rep["criteria_total"],
        "indicators_met": rep["indicators_met"], "indicators_total": rep["indicators_total"],
        "unmet_criteria": rep.get("unmet_criteria"),
        "unmet_indicators": rep.get("unmet_indicators"),
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
        # a table may take several files (a sample reusing another's, ``../damrong/…``)
        counts[rec["table"]] = (counts.get(rec["table"], 0)
                                + store.add_records(rec["table"], _record_rows(folder, rec)))
    return counts


def build_sample(path: str | os.PathLike[str], name: str, *, prov_code: str | None = None,
                 title: str | None = None, overwrite: bool = False) -> dict[str, int]:
    """Build a store at ``path`` holding sample ``name``; return the counts of
    :func:`load_sample`.

    The store is built in a temporary file beside ``path`` and moved into place only once
    loaded: a failed load leaves nothing (and an existing file untouched). ``prov_code``
    and ``title`` default to the sample's own (its Vietnamese title). An existing ``path``
    is replaced only with ``overwrite`` (else :class:`~ntmgeo._errors.StoreError`).
    """
    spec = manifest(name)
    target = Path(path)

    def refuse_existing() -> None:
        if target.exists() and not overwrite:
            raise StoreError("{path}: already exists", path=target, hint="force")

    refuse_existing()
    with atomic_path(target) as tmp:
        store = GpkgStore.create(tmp, prov_code=prov_code or spec["prov_code"],
                                 title=spec["title"]["vi"] if title is None else title,
                                 overwrite=True)
        counts = load_sample(store, name)
        refuse_existing()  # none appeared while the sample loaded
    return counts
