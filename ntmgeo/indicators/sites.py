"""Indicators of the district set answered by the works in the ``sites`` layer.

* **2.4** (:func:`bus_station`): a passenger bus station of class IV or higher.
* **6.1** (:func:`industrial_cluster`): an industrial cluster with its infrastructure built.
* **6.2** (:func:`market`): a food-safe market model.
* **7.3** (:func:`recycling_model`): an organic-waste recycling model.
* **7.4** (:func:`wastewater_works`): a domestic-wastewater treatment works.
* **7.8** (:func:`waste_points`): the share of waste collection and transfer points with
  environmental infrastructure (100% needed).

Rules shared by all of them
---------------------------
* Only **completed** works count (``status == "completed"``): a planned or half-built station
  serves nobody. Planned and under-construction sites are listed as not counted, with why.
* A site counts for the indicator of its ``site_type``. Where some sites of that type carry
  the indicator's id in ``indicator_id`` (the district tagged *the* central market among the
  communes' markets), only the tagged ones count; where none does, every site of the type
  counts. The layer has no attribute for what the catalogue asks beyond type, grade and status
  (a market's food-safety model, a cluster's technical infrastructure): a completed site of the
  type is taken to be what the indicator asks.
* The functions take the sites *inside the unit* (:func:`inside` selects them) and return one
  JSON-ready dict: ``value``, ``met``, ``site_ids`` (the sites behind the result: those counted
  when met, else those that fall short, for a map to show), ``counted``, ``not_counted``
  (site id -> why: its status, or for 2.4 its class) and ``text`` (``"0 completed;
  dr-market: under_construction"``).
"""

from __future__ import annotations

import re
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

__all__ = [
    "COUNTED_STATUS",
    "GRADES",
    "bus_station",
    "industrial_cluster",
    "inside",
    "market",
    "parse_grade",
    "recycling_model",
    "waste_points",
    "wastewater_works",
]

COUNTED_STATUS = "completed"
"""The only ``status`` of a site that counts for an indicator."""

GRADES = ("I", "II", "III", "IV", "V", "VI")
"""Classes of a passenger bus station (*bến xe khách loại I..VI*), highest first: a lower
numeral is a higher class, so "class IV or higher" is I, II, III or IV."""

_ROMAN = {g: k for k, g in enumerate(GRADES, start=1)}
_GRADE_RE = re.compile(r"^\s*(?:(?:loại|hạng|cấp|class|grade|type)\s*)?([ivx]+|\d+)\s*$",
                       re.IGNORECASE)


def inside(features: gpd.GeoDataFrame, area: shapely.Geometry) -> gpd.GeoDataFrame:
    """The features whose representative point lies in ``area`` (same CRS as ``features``).

    Parameters
    ----------
    features : geopandas.GeoDataFrame
        Points or polygons.
    area : shapely.Geometry
        The unit's polygon, in the CRS of ``features``.

    Returns
    -------
    geopandas.GeoDataFrame
        The rows of ``features`` inside ``area`` (a polygon straddling the boundary counts
        where its representative point is).
    """
    if features.empty:
        return features
    points = features.geometry.representative_point()
    return features[np.asarray(shapely.covers(area, points.values), dtype=bool)]


def parse_grade(text: Any) -> int | None:
    """The class of a bus station as a number, 1 (class I, highest) to 6 (class VI).

    Parameters
    ----------
    text : str
        ``"IV"``, ``"loại IV"``, ``"Loại 4"``, ``"4"``.

    Returns
    -------
    int or None
        1..6, or None where the text is empty or not a class I..VI.

    Examples
    --------
    >>> parse_grade("IV"), parse_grade("loại III"), parse_grade("Loại 4"), parse_grade("VII")
    (4, 3, 4, None)
    """
    if text is None or (isinstance(text, float) and text != text):
        return None
    match = _GRADE_RE.match(str(text))
    if not match:
        return None
    token = match.group(1).upper()
    number = int(token) if token.isdigit() else _ROMAN.get(token)
    return number if number is not None and 1 <= number <= len(GRADES) else None


def _text(row: pd.Series, column: str) -> str | None:
    value = row.get(column)
    return None if value is None or (isinstance(value, float) and value != value) else str(value)


def _of_type(sites: gpd.GeoDataFrame, site_type: str, indicator_id: str | None) -> pd.DataFrame:
    """Sites of ``site_type``; only those tagged ``indicator_id`` where some are."""
    found = sites[sites["site_type"] == site_type] if "site_type" in sites.columns else sites[:0]
    if indicator_id is not None and "indicator_id" in found.columns:
        tagged = np.array([isinstance(t, str) and t.strip() == indicator_id
                           for t in found["indicator_id"]], dtype=bool)
        if tagged.any():
            found = found[tagged]
    return found


def _ids(sites: pd.DataFrame) -> list[str]:
    ids = sites["site_id"] if "site_id" in sites.columns else pd.Series(sites.index,
                                                                         index=sites.index)
    return [str(i) if pd.notna(i) else str(k) for k, i in zip(sites.index, ids, strict=True)]


def _existence(sites: gpd.GeoDataFrame, site_type: str, indicator_id: str, label: str,
               extra: Any = None) -> dict[str, Any]:
    """A completed site of ``site_type`` (passing ``extra(row) -> reason | None``) exists."""
    found = _of_type(sites, site_type, indicator_id)
    counted, not_counted = [], {}
    for sid, (_, row) in zip(_ids(found), found.iterrows(), strict=True):
        status = _text(row, "status")
        reason = None if status == COUNTED_STATUS else (status or "no status")
        if reason is None and extra is not None:
            reason = extra(row)
        if reason is None:
            counted.append(sid)
        else:
            not_counted[sid] = reason
    value = len(counted)
    text = (f"{value} completed{' ' + label if label else ''}"
            + "".join(f"; {k}: {v}" for k, v in not_counted.items()))
    return {"value": float(value), "met": value >= 1,
            "site_ids": counted if value else list(not_counted), "counted": counted,
            "not_counted": not_counted, "text": text}


def bus_station(sites: gpd.GeoDataFrame, *, min_class: str = "IV",
                indicator_id: str = "2.4") -> dict[str, Any]:
    """Indicator 2.4: a completed passenger bus station of class ``min_class`` or higher.

    Classes run I (highest) to VI (:data:`GRADES`): class IV or higher is a ``grade`` of I, II,
    III or IV (:func:`parse_grade` reads ``"IV"``, ``"loại IV"``, ``"4"``). A station with no
    readable grade does not count.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Sites inside the unit, with ``site_id``, ``site_type``, ``grade``, ``status``.
    min_class : str, default "IV"
        The lowest class that counts.
    indicator_id : str, default "2.4"
        The id a site may be tagged with (see the module's docstring).

    Returns
    -------
    dict
        ``value`` (number of stations counted), ``met``, ``site_ids``, ``counted``,
        ``not_counted``, ``text``.
    """
    lowest = _ROMAN[min_class.upper()]

    def graded(row: pd.Series) -> str | None:
        grade = parse_grade(row.get("grade"))
        if grade is None:
            return "no class recorded"
        return None if grade <= lowest else f"class {GRADES[grade - 1]}, below {min_class}"

    return _existence(sites, "bus_station", indicator_id, f"(class {min_class}+)", graded)


def industrial_cluster(sites: gpd.GeoDataFrame, *, indicator_id: str = "6.1") -> dict[str, Any]:
    """Indicator 6.1: a completed industrial cluster (its infrastructure built).

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Sites inside the unit.
    indicator_id : str, default "6.1"
        The id a site may be tagged with.

    Returns
    -------
    dict
        As :func:`bus_station`.
    """
    return _existence(sites, "industrial_cluster", indicator_id, "")


def market(sites: gpd.GeoDataFrame, *, indicator_id: str = "6.2") -> dict[str, Any]:
    """Indicator 6.2: a completed (food-safe) market.

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Sites inside the unit.
    indicator_id : str, default "6.2"
        The id the district's model market is tagged with; where a market carries it, the
        communes' untagged markets do not count.

    Returns
    -------
    dict
        As :func:`bus_station`.
    """
    return _existence(sites, "market", indicator_id, "")


def recycling_model(sites: gpd.GeoDataFrame, *, indicator_id: str = "7.3") -> dict[str, Any]:
    """Indicator 7.3: completed organic-waste recycling models (threshold: at least one).

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Sites inside the unit.
    indicator_id : str, default "7.3"
        The id a site may be tagged with.

    Returns
    -------
    dict
        As :func:`bus_station`; ``value`` is the number of models.
    """
    return _existence(sites, "recycling_model", indicator_id, "")


def wastewater_works(sites: gpd.GeoDataFrame, *, indicator_id: str = "7.4") -> dict[str, Any]:
    """Indicator 7.4: completed domestic-wastewater works (threshold: at least one).

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Sites inside the unit.
    indicator_id : str, default "7.4"
        The id a site may be tagged with.

    Returns
    -------
    dict
        As :func:`bus_station`; ``value`` is the number of works.
    """
    return _existence(sites, "wastewater_works", indicator_id, "")


def waste_points(sites: gpd.GeoDataFrame) -> dict[str, Any]:
    r"""Indicator 7.8: share of waste collection/transfer points with environmental infrastructure.

    Every completed ``waste_collection_point`` inside the unit counts (tagged or not: the
    indicator is about all of them); a point with ``env_infrastructure`` true has it, false or
    empty (not recorded) does not. 100% is needed.

    .. math::

        \text{value} = 100 \cdot \frac{\text{points with infrastructure}}
                                         {\text{completed points}}

    Parameters
    ----------
    sites : geopandas.GeoDataFrame
        Sites inside the unit, with ``site_type``, ``status``, ``env_infrastructure``.

    Returns
    -------
    dict
        ``value`` (%; None without a completed point), ``met`` (None without a point),
        ``site_ids`` (the points **without** infrastructure), ``counted`` (with it),
        ``not_counted`` (without it: id -> reason; also points not completed), ``text``.
    """
    found = _of_type(sites, "waste_collection_point", None)
    ids = _ids(found)
    status = (found["status"] if "status" in found.columns
              else pd.Series(None, index=found.index, dtype=object))
    done = np.array([s == COUNTED_STATUS if isinstance(s, str) else False for s in status],
                    dtype=bool)
    env = (found["env_infrastructure"] if "env_infrastructure" in found.columns
           else pd.Series(None, index=found.index, dtype=object))
    has = np.array([bool(pd.notna(v) and v) for v in env], dtype=bool)
    counted = [i for i, d, h in zip(ids, done, has, strict=True) if d and h]
    without = {i: "no environmental infrastructure" if pd.notna(v) else "not recorded"
               for i, d, h, v in zip(ids, done, has, env, strict=True) if d and not h}
    pending = {i: s if isinstance(s, str) and s else "no status"
               for i, d, s in zip(ids, done, status, strict=True) if not d}
    total = int(done.sum())
    if not total:
        return {"value": None, "met": None, "site_ids": [], "counted": [],
                "not_counted": pending, "text": "no completed waste collection point"}
    share = 100.0 * len(counted) / total
    return {"value": round(share, 2), "met": len(counted) == total, "site_ids": list(without),
            "counted": counted, "not_counted": {**without, **pending},
            "text": f"{len(counted)}/{total} points ({share:.2f}%)"}
