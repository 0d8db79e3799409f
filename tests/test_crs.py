"""The VN-2000 zone table."""

from __future__ import annotations

import pytest
from pyproj import CRS

from ntmgeo import crs
from ntmgeo._errors import CriterionDataMissing

ALLOWED = {*range(5896, 5900), *range(9205, 9219)}


def test_every_pre_2025_province_has_a_zone():
    zones = crs.zones()
    assert len(zones) == 63
    assert {z.epsg for z in zones.values()} <= ALLOWED


def test_no_deprecated_code_and_the_central_meridian_matches_epsg():
    for zone in crs.zones().values():
        target = CRS.from_epsg(zone.epsg)
        assert not target.is_deprecated
        params = {p.name: p.value for p in target.coordinate_operation.params}
        assert params["Longitude of natural origin"] == pytest.approx(zone.central_meridian)
        assert params["Scale factor at natural origin"] == pytest.approx(0.9999)


def test_rows_marked_epsg_are_named_by_the_codes_area_of_use():
    import csv

    from ntmgeo._resources import share_path

    rows = list(csv.DictReader(share_path("data", "vn2000_zones.csv").open(encoding="utf-8")))
    for row in rows:
        if row["source"] == "EPSG":
            assert row["name_ascii"] in CRS.from_epsg(int(row["epsg"])).area_of_use.name


@pytest.mark.parametrize(("prov", "epsg"), [("68", 5899), ("67", 9218), ("42", 9209),
                                            ("12", 9205), ("1", 5897)])
def test_brief_provinces(prov, epsg):
    assert crs.measure_crs_for_province(prov) == f"EPSG:{epsg}"


def test_unknown_province():
    with pytest.raises(CriterionDataMissing, match="province code '99'"):
        crs.zone_for_province("99")
