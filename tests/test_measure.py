"""Measures in metres (ntmgeo.measure): in a projected CRS in metres, never in degrees, with
known answers in VN-2000 / TM-3 107-45 (EPSG:5899, Lâm Đồng) and WGS 84 / UTM 48N.
"""

from __future__ import annotations

import math

import geopandas as gpd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from ntmgeo import measure

from geodata import LAT, LON

ZONE = "EPSG:5899"   # VN-2000 / TM-3 107-45, k0 = 0.9999
UTM = "EPSG:32648"   # WGS 84 / UTM 48N, central meridian 105°, k0 = 0.9996
X0, Y0 = 583000.0, 1338000.0  # in EPSG:5899, near Đam Rông

GEOD = Geod(ellps="WGS84")


def _zone(*geoms, crs: str = ZONE) -> gpd.GeoSeries:
    return gpd.GeoSeries(list(geoms), crs=crs)


# ---------------------------------------------------------------------- in the measuring CRS
def test_lengths_of_lines_drawn_in_the_zone():
    s = _zone(LineString([(X0, Y0), (X0 + 300, Y0 + 400)]),                      # 3-4-5
              LineString([(X0, Y0), (X0 + 1000, Y0), (X0 + 1000, Y0 + 250)]),     # two legs
              MultiLineString([[(X0, Y0), (X0 + 100, Y0)], [(X0, Y0 + 50), (X0, Y0 + 80)]]),
              Point(X0, Y0))
    assert measure.lengths_m(s, crs=ZONE).tolist() == pytest.approx([500, 1250, 130, 0])


def test_areas_of_polygons_drawn_in_the_zone():
    square = Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 200), (X0, Y0 + 200)])
    holed = Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 100), (X0, Y0 + 100)],
                    [[(X0 + 40, Y0 + 40), (X0 + 60, Y0 + 40), (X0 + 60, Y0 + 60),
                      (X0 + 40, Y0 + 60)]])
    triangle = Polygon([(X0, Y0), (X0 + 300, Y0), (X0, Y0 + 400)])
    s = _zone(square, holed, triangle, LineString([(X0, Y0), (X0 + 1, Y0)]))
    assert measure.areas_m2(s, crs=ZONE).tolist() == pytest.approx([20_000, 9_600, 60_000, 0])


def test_a_geodataframe_keeps_its_index():
    gdf = gpd.GeoDataFrame({"road_code": ["ĐH42", "ĐH43"]}, index=[7, 3],
                           geometry=[LineString([(X0, Y0), (X0, Y0 + 10)]),
                                     LineString([(X0, Y0), (X0 + 20, Y0)])], crs=ZONE)
    lengths = measure.lengths_m(gdf, crs=ZONE)
    assert lengths.index.tolist() == [7, 3]
    assert lengths.tolist() == pytest.approx([10, 20])


def test_geometry_already_in_the_crs_is_not_moved():
    s = _zone(LineString([(X0, Y0), (X0 + 300, Y0 + 400)]))
    out = measure.projected(s, ZONE)
    assert out.crs.equals(s.crs)
    assert out.geom_equals_exact(s, tolerance=0).all()


# ------------------------------------------------------------------ from another CRS, moved
@pytest.mark.parametrize("source", ["EPSG:4326", UTM, "EPSG:9210"])
def test_the_answer_does_not_depend_on_the_crs_the_geometry_comes_in(source):
    line = LineString([(X0, Y0), (X0 + 300, Y0 + 400)])
    square = Polygon([(X0, Y0), (X0 + 100, Y0), (X0 + 100, Y0 + 200), (X0, Y0 + 200)])
    moved = _zone(line, square).to_crs(source)
    assert measure.lengths_m(moved, crs=ZONE).iloc[0] == pytest.approx(500, abs=0.001)
    assert measure.areas_m2(moved, crs=ZONE).iloc[1] == pytest.approx(20_000, abs=0.01)


def _geodesic_km_east_and_north() -> gpd.GeoSeries:
    """Two lines 1,000 m long on the WGS 84 ellipsoid from Đam Rông, one east, one north."""
    east = GEOD.fwd(LON, LAT, 90, 1000)[:2]
    north = GEOD.fwd(LON, LAT, 0, 1000)[:2]
    return gpd.GeoSeries([LineString([(LON, LAT), east]), LineString([(LON, LAT), north])],
                         crs="EPSG:4326")


def test_a_kilometre_on_the_ground_in_the_vn2000_zone():
    # Đam Rông is 37.9 km east of 107°45': the zone's scale is 0.9999 (1 + x²/2R²) = 0.99992,
    # so a kilometre on the ellipsoid measures 999.92 m in the zone (8 cm short)
    lengths = measure.lengths_m(_geodesic_km_east_and_north(), crs=ZONE)
    assert lengths.tolist() == pytest.approx([999.918, 999.918], abs=0.005)


def test_a_kilometre_on_the_ground_in_utm_48n():
    # 338 km east of 105°: UTM's scale is 0.9996 (1 + x²/2R²) = 1.00101, a metre per km long
    lengths = measure.lengths_m(_geodesic_km_east_and_north(), crs=UTM)
    assert lengths.tolist() == pytest.approx([1001.014, 1001.009], abs=0.005)


def test_a_square_kilometre_on_the_ground():
    east = GEOD.fwd(LON, LAT, 90, 1000)[:2]
    north_east = GEOD.fwd(*east, 0, 1000)[:2]
    north = GEOD.fwd(LON, LAT, 0, 1000)[:2]
    square = gpd.GeoSeries([Polygon([(LON, LAT), east, north_east, north])], crs="EPSG:4326")
    ellipsoidal = abs(GEOD.geometry_area_perimeter(square.iloc[0])[0])
    assert ellipsoidal == pytest.approx(999_983, abs=1)  # meridians converge a little
    # areas scale by the square of the CRS's scale factor
    assert measure.areas_m2(square, crs=ZONE).iloc[0] == pytest.approx(
        ellipsoidal * 0.99991795**2, rel=1e-6)
    assert measure.areas_m2(square, crs=UTM).iloc[0] == pytest.approx(
        ellipsoidal * 1.0010115**2, rel=1e-5)


@settings(max_examples=30, deadline=None)
@given(st.floats(-5000, 5000), st.floats(-5000, 5000), st.floats(1, 20_000),
       st.floats(0, 359.9))
def test_property_a_line_sent_to_wgs84_and_back_measures_the_same(dx, dy, length, bearing):
    a = (X0 + dx, Y0 + dy)
    b = (a[0] + length * math.sin(math.radians(bearing)),
         a[1] + length * math.cos(math.radians(bearing)))
    wgs = _zone(LineString([a, b])).to_crs("EPSG:4326")
    assert measure.lengths_m(wgs, crs=ZONE).iloc[0] == pytest.approx(length, abs=0.001)


# ------------------------------------------------------------------------------ refused
@pytest.mark.parametrize("crs", [
    "EPSG:4326",   # WGS 84, degrees
    "EPSG:4756",   # VN-2000 geographic, degrees
    "EPSG:4978",   # WGS 84 geocentric: metres, but not a projection
    "EPSG:2227",   # projected, in US survey feet
])
def test_a_crs_that_is_not_projected_in_metres_is_refused(crs):
    s = gpd.GeoSeries([LineString([(LON, LAT), (LON + 0.01, LAT)])], crs="EPSG:4326")
    for measured in (measure.lengths_m, measure.areas_m2):
        with pytest.raises(ValueError, match="not a projected CRS in metres"):
            measured(s, crs=crs)
    with pytest.raises(ValueError, match=crs):
        measure.projected(s, crs)


def test_degrees_are_never_measured_even_when_the_data_is_in_them():
    s = gpd.GeoSeries([Point(LON, LAT).buffer(0.01)], crs="EPSG:4326")
    with pytest.raises(ValueError, match="cannot be measured"):
        measure.areas_m2(s, crs="EPSG:4326")


def test_geometry_without_a_crs_is_refused():
    s = gpd.GeoSeries([LineString([(X0, Y0), (X0 + 10, Y0)])])
    with pytest.raises(ValueError, match="no CRS"):
        measure.lengths_m(s, crs=ZONE)
