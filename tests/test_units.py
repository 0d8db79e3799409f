"""Administrative units are valid for a period; a code may be reused after the 2025 reform."""

from __future__ import annotations

import geopandas as gpd
import pytest
from shapely.geometry import box

from ntmgeo import units

UNITS = gpd.GeoDataFrame(
    {"code": ["674", "24886", "24889", "24886"],
     "level": ["district", "commune", "commune", "commune"],
     "name": ["Đam Rông", "Phi Liêng", "Đạ K'Nàng", "Đam Rông 1"],
     "parent_code": ["68", "674", "674", "68"],
     "valid_from": ["2004-01-01", "2008-01-01", "2008-01-01", "2025-07-01"],
     "valid_to": ["2025-06-30", "2025-06-30", "2025-06-30", None]},
    geometry=[box(0, 0, 2, 1), box(0, 0, 1, 1), box(1, 0, 2, 1), box(0, 0, 2, 1)],
    crs="EPSG:4326")


@pytest.mark.parametrize(("day", "names"), [
    ("2024-02-29", ["Đam Rông", "Phi Liêng", "Đạ K'Nàng"]),
    ("2025-06-30", ["Đam Rông", "Phi Liêng", "Đạ K'Nàng"]),  # last day: inclusive
    ("2025-07-01", ["Đam Rông 1"]),
    ("2003-12-31", []),
])
def test_valid_on(day, names):
    assert list(units.valid_on(UNITS, day)["name"]) == names


def test_same_code_two_units_told_apart_by_date():
    before = units.valid_on(UNITS, "2025-06-01")
    after = units.valid_on(UNITS, "2025-12-31")
    assert before[before["code"] == "24886"]["name"].item() == "Phi Liêng"
    assert after[after["code"] == "24886"]["name"].item() == "Đam Rông 1"


def test_children_follow_the_hierarchy_of_the_day():
    assert list(units.children(UNITS, "674", "2024-02-29")["name"]) == ["Phi Liêng", "Đạ K'Nàng"]
    assert units.children(UNITS, "674", "2025-12-31").empty
    assert list(units.children(UNITS, "68", "2025-12-31", level="commune")["name"]) == [
        "Đam Rông 1"]
