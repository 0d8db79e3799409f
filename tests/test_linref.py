"""Linear referencing: many chainage intervals of a road cut at once, as
``shapely.ops.substring`` cuts them one by one, part after part."""

from __future__ import annotations

import numpy as np
import pytest
import shapely
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import LineString, MultiLineString
from shapely.ops import substring

from ntmgeo.linref import cut_many

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
        got_parts = [p for p in shapely.get_parts(got) if p.length > 1e-9]
        want = [w for w in want if w.length > 1e-9]
        assert len(got_parts) == len(want)
        for g, w in zip(got_parts, want, strict=True):
            assert g.hausdorff_distance(w) < 1e-6
