"""A stand-in for ``ntmgeo.indicators.roads.tree_lined`` with the same document shape.

Used by the web tests (and by ``scripts/bench_web.py`` when the real computation is not
installed) so that the web layer can be tested against the contract alone: a road's stretch
is where it passes within ``tolerance`` metres of a survey feature, measured in ``crs``.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import shapely
from shapely.ops import linemerge


def _intervals(line: Any, covered: Any) -> list[tuple[float, float]]:
    out = []
    if covered.is_empty:
        return out
    parts = getattr(covered, "geoms", [covered])
    for part in parts:
        if part.geom_type != "LineString" or part.length == 0:
            continue
        a = line.project(shapely.Point(part.coords[0]))
        b = line.project(shapely.Point(part.coords[-1]))
        out.append((min(a, b), max(a, b)))
    out.sort()
    merged: list[list[float]] = []
    for lo, hi in out:
        if merged and lo <= merged[-1][1] + 1.0:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    return [(round(lo, 1), round(hi, 1)) for lo, hi in merged]


def _km(m: float) -> str:
    m = round(m)
    return f"Km{m // 1000}+{m % 1000:03d}"


def tree_lined(roads: gpd.GeoDataFrame, surveys: gpd.GeoDataFrame, *, crs: str,
               tolerance: float = 30.0, side: str = "any",
               threshold: float = 0.5) -> dict[str, Any]:
    """Greening document: roads (stretches, gaps), total, unmatched surveys."""
    roads_m = roads.to_crs(crs)
    surveys_m = surveys.to_crs(crs) if len(surveys) else surveys
    docs, used = [], set()
    total_len = total_green = 0.0
    for _, road in roads_m.iterrows():
        line = road.geometry
        line = linemerge(line) if line.geom_type == "MultiLineString" else line
        near = (surveys_m[surveys_m.geometry.distance(line) <= tolerance] if len(surveys_m)
                else surveys_m)
        used.update(near["survey_id"].tolist() if len(near) else [])
        zone = (shapely.union_all(near.geometry.buffer(tolerance).values) if len(near)
                else shapely.Polygon())
        stretches = _intervals(line, line.intersection(zone))
        length = line.length
        green = sum(hi - lo for lo, hi in stretches)
        gaps, pos = [], 0.0
        for lo, hi in stretches:
            if lo > pos:
                gaps.append({"from_m": round(pos, 1), "to_m": lo})
            pos = hi
        if pos < length:
            gaps.append({"from_m": round(pos, 1), "to_m": round(length, 1)})
        for gap in gaps:
            gap.update(length_m=round(gap["to_m"] - gap["from_m"], 1),
                       label=f"{_km(gap['from_m'])} → {_km(gap['to_m'])}")
        gaps.sort(key=lambda g: -g["length_m"])
        docs.append({
            "dist_code": road["dist_code"], "road_code": road["road_code"],
            "length_km": round(length / 1000, 3), "greened_km": round(green / 1000, 3),
            "ratio": round(green / length, 4) if length else None,
            "stretches": [{"from_m": lo, "to_m": hi, "label": f"{_km(lo)} → {_km(hi)}",
                           "survey_ids": sorted(near["survey_id"].tolist())}
                          for lo, hi in stretches],
            "gaps": gaps,
        })
        total_len += length
        total_green += green
    unmatched = sorted(set(surveys["survey_id"]) - used) if len(surveys) else []
    ratio = total_green / total_len if total_len else None
    dates = [str(d) for d in surveys["survey_date"]] if len(surveys) else []
    return {"roads": sorted(docs, key=lambda r: (r["dist_code"], r["road_code"])),
            "total": {"length_km": round(total_len / 1000, 3),
                      "greened_km": round(total_green / 1000, 3), "ratio": ratio,
                      "threshold": threshold, "met": bool(ratio is not None and ratio >= threshold),
                      "shortfall_km": round(
                          max(0.0, threshold * total_len - total_green) / 1000, 3),
                      "as_of": max(dates) if dates else None, "tolerance_m": float(tolerance),
                      "side": side},
            "unmatched": {"count": len(unmatched), "length_km": None, "ids": unmatched}}


def from_frames(roads: gpd.GeoDataFrame, surveys: gpd.GeoDataFrame, *, crs: str,
                dist_code: str | None = None, **options: Any) -> dict[str, Any]:
    """Replacement for :func:`ntmgeo.greening.from_frames`."""
    from ntmgeo.greening import district_roads

    return tree_lined(district_roads(roads, dist_code=dist_code), surveys, crs=crs, **options)
