"""VN-2000 TM-3 zones: which projected CRS a province measures in.

The table ``data/vn2000_zones.csv`` maps every province code of before the 2025 merger (GSO,
63 provinces) to its VN-2000 / TM-3 EPSG code (5896-5899, 9205-9218; never the deprecated
6956-6959). Rows marked ``EPSG`` are named by the EPSG area of use of their code; rows marked
``TT973`` (central meridian 105°00' and 108°00', whose EPSG areas name no province) follow
Circular 973/2001/TT-TCĐC.

A province merged in 2025 may span two zones: it is looked up by the code of the pre-merger
province its data lie in (the store keeps that code), never guessed from the new code.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from typing import Any

from ._errors import CriterionDataMissing
from ._resources import share_path

__all__ = ["Zone", "measure_crs_for_data", "measure_crs_for_province", "zone_for_province",
           "zones"]


@dataclass(frozen=True)
class Zone:
    """A province's VN-2000 TM-3 zone."""

    prov_code: str
    name: str
    central_meridian: float
    epsg: int
    source: str

    @property
    def crs(self) -> str:
        """The zone as an ``"EPSG:NNNN"`` string."""
        return f"EPSG:{self.epsg}"


@cache
def zones() -> dict[str, Zone]:
    """All provinces' zones, keyed by two-digit province code."""
    with share_path("data", "vn2000_zones.csv").open(encoding="utf-8") as fh:
        return {
            row["prov_code"]: Zone(row["prov_code"], row["name"], float(row["central_meridian"]),
                                   int(row["epsg"]), row["source"])
            for row in csv.DictReader(fh)
        }


def zone_for_province(prov_code: str) -> Zone:
    """Return the zone of a (pre-2025) province code such as ``"68"``."""
    code = str(prov_code).strip().zfill(2)
    try:
        return zones()[code]
    except KeyError:
        msg = "province code '{code}' is not in the VN-2000 zone table (data/vn2000_zones.csv)"
        raise CriterionDataMissing(msg, code=prov_code) from None


def measure_crs_for_province(prov_code: str) -> str:
    """The CRS ntmgeo measures a province's lengths and areas in, e.g. ``"EPSG:5899"``."""
    return zone_for_province(prov_code).crs


def measure_crs_for_data(gdf: Any) -> str:
    """The measuring CRS for data with no project: its ``prov_code`` if it has one, else the
    VN-2000 TM-3 zone whose central meridian is nearest the data's centre (least distortion).
    """
    if "prov_code" in gdf.columns:
        codes = {str(c) for c in gdf["prov_code"].dropna()}
        if len(codes) == 1:
            return measure_crs_for_province(codes.pop())
    centre = gdf.to_crs("EPSG:4326").geometry.union_all().centroid.x
    best = min(zones().values(), key=lambda z: (abs(z.central_meridian - centre), z.epsg))
    return best.crs
