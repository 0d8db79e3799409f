"""Derived layers for the provincial GIS: what ntmgeo computes, as layers with a field spec.

Communes with their NTM level and criteria met; district roads with their length, tree-lined
km, ratio and the 2.2 flag (built to the planned grade; empty where a grade is not recorded);
the tree-lined stretches and the gaps as lines of their own. The
figures come from the same functions the CLI prints and the map shows
(:mod:`ntmgeo.status`, :mod:`ntmgeo.greening`, :mod:`ntmgeo.indicators.roads`,
:mod:`ntmgeo.linref`).
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from . import greening as greening_mod
from . import i18n, linref, zoning
from . import status as status_mod
from ._errors import CriterionDataMissing
from .indicators import roads as roads_ind
from .snapshot import ensure, units_on
from .store import StoreReader

__all__ = ["export_layers", "greening_lines"]


# The fields' labels and the layers' titles, shown to GIS officers (the data dictionary, the
# column aliases): each is its English text, the msgid in the catalogue ``documents``
# (ntmgeo/locale/<lang>/LC_MESSAGES/documents.po, where the Vietnamese is), rendered in both
# languages by :func:`i18n.both`.
_both = i18n.both


def _f(name: str, shp: str, kind: str, label: dict[str, str], unit: str | None = None
       ) -> dict[str, Any]:
    return {"name": name, "shp_name": shp, "type": kind, "label": label, "unit": unit}


COMMUNE_FIELDS = [
    _f("comm_code", "comm_code", "text", _both("Commune code")),
    _f("name", "name", "text", _both("Commune")),
    _f("ntm_level", "ntm_level", "text", _both("NTM level")),
    _f("criteria_met", "crit_met", "integer", _both("Criteria met")),
    _f("criteria_total", "crit_total", "integer", _both("Criteria in the set")),
    _f("unmet_criteria", "unmet", "list", _both("Unmet criteria")),
    _f("as_of", "as_of", "date", _both("As of")),
]
ROAD_FIELDS = [
    _f("dist_code", "dist_code", "text", _both("District code")),
    _f("road_code", "road_code", "text", _both("Road code")),
    _f("length_km", "length_km", "real", _both("Measured length"), "km"),
    _f("greened_km", "green_km", "real", _both("Tree-lined length"), "km"),
    _f("ratio", "green_pct", "real", _both("Tree-lined share (indicator 2.3)"), "%"),
    _f("to_standard", "std_2_2", "boolean",
       _both("Built to the planned grade (indicator 2.2; empty: grades not recorded)")),
    _f("standard_km", "std_km", "real", _both("Length built to the planned grade"), "km"),
]
STRETCH_FIELDS = [
    _f("dist_code", "dist_code", "text", _both("District code")),
    _f("road_code", "road_code", "text", _both("Road code")),
    _f("from_m", "from_m", "real", _both("From chainage"), "m"),
    _f("to_m", "to_m", "real", _both("To chainage"), "m"),
    _f("chainage", "chainage", "text", _both("Chainage")),
    _f("length_m", "length_m", "real", _both("Length"), "m"),
]


def _communes(store: StoreReader, as_of: str) -> gpd.GeoDataFrame:
    units = store.read_layer("admin_units")
    communes = units_on(store, as_of, "commune")
    try:
        doc = status_mod.commune_document(store, units, as_of=as_of)
    except CriterionDataMissing:
        return gpd.GeoDataFrame(columns=[f["name"] for f in COMMUNE_FIELDS], geometry=[],
                                crs=units.crs)
    by_key = {(c["comm_code"], str(c["valid_from"])): c for c in doc["communes"]}
    rows = []
    for _, unit in communes.iterrows():
        entry = by_key.get((str(unit["code"]), str(unit["valid_from"])), {})
        unmet = [x["id"] for x in entry.get("criteria") or [] if x["met"] is False]
        rows.append({"comm_code": str(unit["code"]), "name": unit["name"],
                     "ntm_level": entry.get("level"), "criteria_met": entry.get("criteria_met"),
                     "criteria_total": entry.get("criteria_total"),
                     "unmet_criteria": unmet or None, "as_of": entry.get("as_of")})
    return gpd.GeoDataFrame(pd.DataFrame(rows), geometry=list(communes.geometry),
                            crs=units.crs)


LINE_COLUMNS = ["kind", "dist_code", "road_code", "from_m", "to_m", "chainage", "length_m"]
"""Columns of :func:`greening_lines`."""


def greening_lines(doc: dict[str, Any], lines: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The tree-lined stretches and the gaps of a greening document, as lines.

    The one place that turns the chainage of :func:`ntmgeo.indicators.roads.tree_lined`'s
    stretches and gaps into geometry: the export, the web map and the downloads draw these.

    Parameters
    ----------
    doc : dict
        A greening document (``roads`` with ``stretches`` and ``gaps``).
    lines : geopandas.GeoDataFrame
        The road lines the chainage runs along (:func:`ntmgeo.linref.road_lines`),
        in a projected CRS in metres.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per stretch (``kind`` ``"stretch"``) and per gap (``"gap"``), road by road in
        the document's order: :data:`LINE_COLUMNS`, in ``lines``' CRS. Roads of the document
        without a line are skipped.
    """
    geom = {(str(d), str(c)): g for d, c, g in zip(lines["dist_code"], lines["road_code"],
                                                   lines.geometry, strict=True)}
    rows: list[dict[str, Any]] = []
    geoms: list[Any] = []
    for road in doc.get("roads", []):
        key = (str(road["dist_code"]), str(road["road_code"]))
        line = geom.get(key)
        if line is None:
            continue
        for kind, parts in (("stretch", road.get("stretches") or []),
                            ("gap", road.get("gaps") or [])):
            if not parts:
                continue
            lo = [float(p["from_m"]) for p in parts]
            hi = [float(p["to_m"]) for p in parts]
            geoms.extend(linref.cut_many(line, lo, hi))
            rows.extend({"kind": kind, "dist_code": key[0], "road_code": key[1],
                         "from_m": p["from_m"], "to_m": p["to_m"], "chainage": p["label"],
                         "length_m": round(b - a, 1)}
                        for p, a, b in zip(parts, lo, hi, strict=True))
    return gpd.GeoDataFrame(pd.DataFrame(rows, columns=LINE_COLUMNS), geometry=geoms,
                            crs=lines.crs)


def _in_doc_order(parts: pd.DataFrame, doc: dict[str, Any]) -> gpd.GeoDataFrame:
    """The stretches and gaps of several zones, road by road in the document's order."""
    rank = {(str(r["dist_code"]), str(r["road_code"])): k for k, r in enumerate(doc["roads"])}
    key = [rank[(str(d), str(c))] for d, c in zip(parts["dist_code"], parts["road_code"],
                                                   strict=True)]
    order = np.argsort(np.asarray(key, dtype=np.int64), kind="stable")
    return parts.iloc[order].reset_index(drop=True)


def _roads_and_stretches(store: StoreReader, as_of: str | None) -> tuple[gpd.GeoDataFrame, ...]:
    store = ensure(store)
    crs = store.measure_crs
    roads = greening_mod.district_roads(store.read_layer("roads"))
    empty_cols = [f["name"] for f in ROAD_FIELDS]
    if roads.empty:
        empty = gpd.GeoDataFrame(columns=empty_cols, geometry=[], crs=crs)
        return empty, empty, empty
    doc = greening_mod.from_store(store, as_of=as_of)
    standard = {(r["dist_code"], r["road_code"]): r
                for r in roads_ind.roads_to_standard(roads, crs=store.zoning)["roads"]}
    # Each road's chainage runs in its own zone (ntmgeo.zoning): its line and its stretches
    # are cut there, then brought into the store's CRS.
    geom: dict[tuple[str, str], Any] = {}
    pieces = []
    for _zone, lines in zoning.road_lines(roads, store.zoning):
        shown = lines.to_crs(crs)
        geom.update({(d, c): g for d, c, g in zip(shown["dist_code"], shown["road_code"],
                                                  shown.geometry, strict=True)})
        pieces.append(greening_lines(doc, lines).to_crs(crs))
    road_rows, road_geoms = [], []
    for road in doc["roads"]:
        key = (road["dist_code"], road["road_code"])
        std = standard.get(key, {})
        road_rows.append({"dist_code": key[0], "road_code": key[1],
                          "length_km": road["length_km"], "greened_km": road["greened_km"],
                          "ratio": None if road["ratio"] is None else round(100 * road["ratio"],
                                                                            2),
                          "to_standard": std.get("to_standard"),
                          "standard_km": std.get("standard_km")})
        road_geoms.append(geom[key])
    parts = pieces[0] if len(pieces) == 1 else _in_doc_order(pd.concat(pieces), doc)
    stretches, gaps = (parts[parts["kind"] == kind].drop(columns="kind").reset_index(drop=True)
                       for kind in ("stretch", "gap"))
    return (gpd.GeoDataFrame(pd.DataFrame(road_rows), geometry=road_geoms, crs=crs),
            stretches, gaps)


def export_layers(store: StoreReader, *, as_of: str | None = None) -> dict[str, Any]:
    """The derived layers as ``{name: (GeoDataFrame, field spec, title)}`` for
    :mod:`ntmgeo.export` (``extra_layers``). ``store`` may be a
    :class:`~ntmgeo.snapshot.Snapshot` (each layer is read once).
    """
    store = ensure(store)
    day = as_of or status_mod.default_as_of(store)
    roads, stretches, gaps = _roads_and_stretches(store, as_of)
    return {
        "communes_status": (_communes(store, day), COMMUNE_FIELDS,
                            _both("Communes by NTM level")),
        "roads_greening": (roads, ROAD_FIELDS,
                           _both("District roads: greening and standard")),
        "tree_lined": (stretches, STRETCH_FIELDS,
                       _both("Tree-lined stretches")),
        "gaps": (gaps, STRETCH_FIELDS,
                 _both("Stretches without trees (to plant)")),
    }
