"""Administrative units as dated data: which units are valid on a date, and their hierarchy.

A unit is its code together with its period of validity (``valid_from``..``valid_to``, both
inclusive; ``valid_to`` empty while it is still valid): after the 2025 reform a new commune
may reuse an old one's GSO code. Which units a unit was formed from (``formed_from``,
``replaces``) and which it went into: :mod:`ntmgeo.lineage`.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

__all__ = ["children", "valid_on"]


def _iso(date: dt.date | str) -> str:
    if isinstance(date, dt.date):
        return date.isoformat()
    return dt.date.fromisoformat(date).isoformat()


def valid_on(units: gpd.GeoDataFrame, date: dt.date | str, *, level: str | None = None
             ) -> gpd.GeoDataFrame:
    """Units valid on ``date`` (optionally of one ``level``)."""
    day = _iso(date)
    start = units["valid_from"].astype(str)
    end = units["valid_to"]
    mask = (start <= day) & (end.isna() | (end.astype(str) >= day))
    if level is not None:
        mask &= units["level"] == level
    return units[mask]


def children(units: gpd.GeoDataFrame, parent_code: str, date: dt.date | str,
             *, level: str | None = None) -> gpd.GeoDataFrame:
    """Units valid on ``date`` whose parent is ``parent_code``."""
    valid = valid_on(units, date, level=level)
    return valid[valid["parent_code"] == parent_code]


def identity(row: pd.Series) -> tuple[str, str]:
    """(code, valid_from) of a unit row."""
    return str(row["code"]), str(row["valid_from"])
