"""Linear referencing (ntmgeo.linref): a road's features chained into one line, many chainage
intervals of it cut at once, as ``shapely.ops.substring`` cuts them one by one, part after
part, and chainage as text.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pytest
import shapely
from hypothesis import example, given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString
from shapely.ops import substring

from ntmgeo.linref import chainage, chainage_label, cut, cut_many, parse_chainage, road_lines

L_ROAD = LineString([(0, 0), (100, 0), (100, 50)])  # 150 m, a corner at 100 m
TWO_PARTS = MultiLineString([[(0, 0), (100, 0)], [(500, 0), (600, 0)]])  # 200 m of chainage


def test_known_pieces():
    out = cut_many(L_ROAD, [10, 90, 120, 150, -5], [40, 110, 200, 160, 0])
    assert [g.wkt for g in out] == [
        "LINESTRING (10 0, 40 0)",
        "LINESTRING (90 0, 100 0, 100 10)",  # keeps the corner vertex
        "LINESTRING (100 20, 100 50)",  # clipped at the end
        "LINESTRING EMPTY",  # nothing beyond the end
        "LINESTRING EMPTY",  # nothing before the start
    ]


def test_parts_follow_one_another_and_a_span_across_them_is_multi():
    out = cut_many(TWO_PARTS, [50, 90, 120], [60, 190, 130])
    assert out[0].wkt == "LINESTRING (50 0, 60 0)"
    assert out[1].geom_type == "MultiLineString"
    assert [p.wkt for p in out[1].geoms] == ["LINESTRING (90 0, 100 0)",
                                             "LINESTRING (500 0, 590 0)"]
    assert out[2].wkt == "LINESTRING (520 0, 530 0)"  # the gap between parts not counted


def test_no_intervals():
    assert cut_many(L_ROAD, [], []).size == 0


def _reference(line, a, b):
    """shapely.ops.substring part by part, the parts measured one after the other."""
    pieces, offset = [], 0.0
    for part in shapely.get_parts(line):
        lo, hi = max(a - offset, 0.0), min(b - offset, part.length)
        offset += part.length
        if hi > lo:
            pieces.append(substring(part, lo, hi))
    return pieces


_coords = st.lists(st.tuples(st.floats(-1000, 1000), st.floats(-1000, 1000)), min_size=2,
                   max_size=12, unique=True)


@settings(max_examples=60, deadline=None)
@example(parts=[[(0.0, 0.0), (0.0, 611.0)]], spans=[(79.0, 1e-09)])
@given(st.lists(_coords, min_size=1, max_size=3),
       st.lists(st.tuples(st.floats(-50, 5000), st.floats(0, 2000)), min_size=1, max_size=8))
def test_property_same_as_substring(parts, spans):
    lines = [LineString(p) for p in parts]
    lines = [g for g in lines if g.length > 1e-3]
    if not lines:
        return
    line = lines[0] if len(lines) == 1 else MultiLineString(lines)
    lo = np.array([a for a, _ in spans])
    hi = lo + np.array([n for _, n in spans])
    out = cut_many(line, lo, hi)
    for got, a, b in zip(out, lo, hi, strict=True):
        want = _reference(line, a, b)
        assert got.length == pytest.approx(sum(w.length for w in want), abs=1e-6)
        assert got.length <= (min(b, line.length) - max(a, 0.0)) + 1e-6 or got.is_empty
        # parts shorter than the tolerance are noise on both sides (a 1e-9 m span measures
        # 1e-9 in one and 1.00000000001e-9 in the other)
        got_parts = [p for p in shapely.get_parts(got) if p.length > 1e-6]
        want = [w for w in want if w.length > 1e-6]
        assert len(got_parts) == len(want)
        for g, w in zip(got_parts, want, strict=True):
            assert g.hausdorff_distance(w) < 1e-6


# --------------------------------------------------------------------------------------------
# Road lines, and one cut


def test_road_lines_and_cut_follow_the_chain_of_parts():
    # two parts stored out of order and one reversed: chained from the first part's start
    a = LineString([(583000, 1338000), (583100, 1338000)])
    b = LineString([(583300, 1338000), (583200, 1338000)])  # reversed, 100 m after a gap
    roads = gpd.GeoDataFrame({"dist_code": ["674"], "road_code": ["ĐH46"]},
                             geometry=[MultiLineString([a, b])], crs="EPSG:5899")
    (line,) = road_lines(roads, crs="EPSG:5899").geometry
    assert [round(p.length) for p in line.geoms] == [100, 100]
    assert line.geoms[1].coords[0] == (583200, 1338000)
    piece = cut(line, 50, 150)  # 50 m of a, then 50 m of b (gap not counted)
    assert round(piece.length) == 100
    assert piece.geoms[1].coords[0] == (583200, 1338000)
    assert piece.geoms[1].coords[-1] == (583250, 1338000)
    assert cut(LineString([(0, 0), (10, 0)]), 2, 5).length == pytest.approx(3)


def test_cut_stretches_have_the_lengths_tree_lined_reports(sample_store):
    from ntmgeo import greening

    doc = greening.from_store(sample_store)
    lines = road_lines(greening.district_roads(sample_store.read_layer("roads")),
                       crs=sample_store.measure_crs)
    by_key = {(d, c): g for d, c, g in zip(lines["dist_code"], lines["road_code"],
                                           lines.geometry, strict=True)}
    for road in doc["roads"]:
        line = by_key[(road["dist_code"], road["road_code"])]
        total = sum(cut(line, s["from_m"], s["to_m"]).length for s in road["stretches"])
        assert total / 1000 == pytest.approx(road["greened_km"], abs=0.002)


# --------------------------------------------------------------------------------------------
# Chainage


class TestChainage:
    @pytest.mark.parametrize(("metres", "text"), [
        (1250, "Km1+250"), (0, "Km0+000"), (106020, "Km106+020"), (3700, "Km3+700"),
        (999.6, "Km1+000"), (4000.4, "Km4+000"), (7.0, "Km0+007")])
    def test_format(self, metres, text):
        assert chainage(metres) == text

    @pytest.mark.parametrize("bad", [-1, float("nan"), float("inf")])
    def test_format_refuses(self, bad):
        with pytest.raises(ValueError, match="chainage"):
            chainage(bad)

    @pytest.mark.parametrize(("text", "metres"), [
        ("Km4+00", 4000.0), ("Km106+020", 106020.0), ("km 1+250", 1250.0), ("Km0+00", 0.0),
        ("KM 0 + 50", 50.0), ("Km123", 123000.0), ("3700", 3700.0), ("3700.5 m", 3700.5),
        (" Km1+250.5 ", 1250.5)])
    def test_parse(self, text, metres):
        assert parse_chainage(text) == metres

    @pytest.mark.parametrize("bad", ["3,7", "3,700", "", "Km", "Km4+1250", "-5", "Km-1+000",
                                     "4 km", "Km1+2+3", "abc"])
    def test_parse_refuses_junk(self, bad):
        with pytest.raises(ValueError, match="chainage"):
            parse_chainage(bad)

    def test_parse_refuses_non_text(self):
        with pytest.raises(ValueError, match="text"):
            parse_chainage(4000)  # type: ignore[arg-type]

    @given(st.integers(min_value=0, max_value=10_000_000))
    @settings(max_examples=200, deadline=None)
    def test_round_trip(self, metres):
        assert parse_chainage(chainage(metres)) == metres

    def test_label_of_a_stretch(self):
        assert chainage_label(100, 600) == "Km0+100 → Km0+600"
        assert chainage_label(0, 106020.4) == "Km0+000 → Km106+020"
        with pytest.raises(ValueError, match="chainage"):
            chainage_label(-5, 10)
