#!/usr/bin/env python3
"""Build the Đam Rông (Lâm Đồng) sample layers of ntmgeo.

Reads only the source copies committed in ``data/damrong/sources/`` (and, to check what it
writes, the layer schemas in ``layers/*.yml``) and writes five RFC 7946 GeoJSON layers into
``data/damrong/``:

* ``admin_units.geojson`` - the district (674), its 8 communes before the 2025 reform (real
  boundaries from the R package vietnam63, repaired so that they tile) and the 4 communes that
  replaced them on 1/7/2025 (real boundaries, unchanged);
* ``roads.geojson`` - the district roads ĐH42, ĐH43, ĐH45, ĐH46, ĐH47 of Kế hoạch 149-KH/HU
  (31/3/2024) and QL27 as context: DRAWN lines (no open geometry of these roads exists) lying in
  the communes the plan names, with the plan's lengths;
* ``surveys.geojson`` - drawn tree-planting surveys that reproduce the plan's tree-lined km;
* ``sites.geojson`` - drawn locations of the works behind the unmet indicators;
* ``green_areas.geojson`` - drawn green land (industrial cluster; public green land).

All lengths and areas are measured in EPSG:5899 (VN-2000 / TM-3 zone 107-45, Lâm Đồng);
coordinates are transformed with geopandas ``to_crs`` and EPSG codes only. The build is
deterministic: the only randomness (GPS noise, wiggle phases) comes from numpy generators with
fixed seeds. Run it twice: the outputs are byte-identical.

    python scripts/build_damrong.py
"""

from __future__ import annotations

import argparse
import hashlib
import math
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import shapely.affinity
import yaml
from _tiling import (
    as_multi,
    check,
    check_tiling,
    lines_of,
    polygons_of,
    repair_communes,
    write_geojson,
)
from shapely import LineString, Point, Polygon
from shapely.ops import substring

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "data" / "damrong" / "sources"
OUT = ROOT / "data" / "damrong"
LAYERS = ROOT / "layers"

CRS_M = "EPSG:5899"  # VN-2000 / TM-3 zone 107-45 (Lâm Đồng): every length and area
CRS_LL = "EPSG:4326"  # WGS 84, written as RFC 7946 (lon, lat)

PROV, DIST = "68", "674"
ROAD_SOURCE = (
    "drawn: no open geometry of Đam Rông's district roads exists; illustrative alignment with "
    "the plan's length (Kế hoạch 149-KH/HU 31/3/2024)"
)
SITE_SOURCE = "drawn: illustrative location; status and deadline from Kế hoạch 149-KH/HU 31/3/2024"
SURVEY_NOTE = "drawn: reproduces the plan's tree-lined stretches (149-KH/HU, 31/3/2024)"
SURVEY_DATE = "2024-02-29"

# The 8 communes before 1/7/2025: GSO code -> the plan's spelling and its other spellings.
OLD_COMMUNES = {
    "24853": ("Đạ Tông", []),
    "24856": ("Đạ Long", ["Đa Long"]),
    "24859": ("Đạ M'Rông", []),
    "24874": ("Liêng Srônh", []),
    "24875": ("Đạ Rsal", []),
    "24877": ("Rô Men", []),
    "24886": ("Phi Liêng", []),
    "24889": ("Đạ K'Nàng", ["Đa K'Nàng"]),
}
# The 4 communes from 1/7/2025 (SOURCES.md, populations.md).
NEW_COMMUNES = {
    "24886": ("Đam Rông 1", ["24886", "24889"], 17265),
    "24877": ("Đam Rông 2", ["24874", "24877"], 16253),
    "24875": ("Đam Rông 3", ["24859", "24875"], 15841),
    "24853": ("Đam Rông 4", ["24853", "24856"], 17184),
}
DISTRICT_POP, DISTRICT_POP_YEAR = 54217, 2019
DISTRICT_POP_SOURCE = "Tổng điều tra dân số 2019, theo Wikipedia tiếng Việt, bài 'Đam Rông'"
NEW_POP_SOURCE = (
    "Phương án sắp xếp đơn vị hành chính cấp xã năm 2025, theo bài báo vietnam.vn về các xã mới "
    "của huyện Đam Rông (populations.md)"
)
OLD_SOURCE = (
    "vietnam63 (R package, github.com/choisy/vietnam63, data/communes.rda, communes from 2008; "
    "MIT); repaired by scripts/build_damrong.py so the 8 communes tile the district: each "
    "overlap given to the lower GSO code, each interior gap to the neighbour with the longest "
    "shared boundary"
)
NEW_SOURCE = (
    "github.com/thanglequoc/vietnamese-provinces-database (MIT), "
    "json/geojson/68_lam_dong/wards, from the national administrative-boundary GIS service "
    "after the 2025 reorganisation; geometry unchanged"
)

# District roads of the plan (its "Ghi chú"); there is no ĐH44.
ROADS = {
    "ĐH42": dict(
        from_place="Chợ Đạ K'Nàng, xã Đạ K'Nàng (Km0+00 giáp Km4+00 ĐT724)",
        to_place="thôn Păng Pá, giáp xã Phúc Thọ, huyện Lâm Hà",
        surface="chip_seal|earth", tech_grade="Cấp V miền núi", length_km=2.50, greened_km=1.75,
        communes=["24889"]),
    "ĐH43": dict(
        from_place="Trạm Y tế xã Liêng Srônh (Km0+00 giáp Km106+020 QL27)",
        to_place="thủy lợi Đạ Ral",
        surface="asphalt_concrete|cement_concrete", tech_grade=None, length_km=7.18,
        greened_km=3.70, communes=["24874"]),
    "ĐH45": dict(
        from_place="ngã 3 thôn 3, xã Rô Men", to_place="xã Đạ Rsal",
        surface="gravel", tech_grade=None, length_km=11.23, greened_km=1.68,
        communes=["24877", "24875"]),
    "ĐH46": dict(
        from_place="ngã 3 xã Phi Liêng (Km0+00 giáp Km123 QL27)", to_place="xã Đạ K'Nàng",
        surface="asphalt_concrete", tech_grade=None, length_km=10.34, greened_km=3.10,
        communes=["24886", "24889"]),
    "ĐH47": dict(
        from_place="ngã 3 Trạm thủy nông, xã Đạ M'Rông (giáp Km19+668 ĐT722)",
        to_place="cổng chào thôn 4, xã Đạ Long (giáp Km25+574 ĐT722)",
        surface="cement_concrete|asphalt_concrete", tech_grade=None, length_km=7.14,
        greened_km=0.0,
        # The plan names Đạ M'Rông and Đạ Long; in the boundary source they are 2.3 km apart
        # with Đạ Tông between them, so the line must cross Đạ Tông.
        communes=["24859", "24853", "24856"]),
}
QL27_KM_DH43, QL27_KM_DH46 = 106.020, 123.0  # the plan's chainages of the two junctions

GREEN_M2_PER_PERSON = 4.5  # indicator 7.6 as the plan reports it
TOLERANCE_M = 20.0  # survey geometry within this distance of a centreline counts for that road
POINT_GAP_M = 20.0  # consecutive single trees at most this far apart form one stretch


# --------------------------------------------------------------------------------------------
# helpers

def to_ll(geoms):
    """Shapely geometries in EPSG:5899 -> WGS 84 (list)."""
    return list(gpd.GeoSeries(list(geoms), crs=CRS_M).to_crs(CRS_LL).values)


def point_at(road: LineString, chainage: float, lateral: float = 0.0) -> Point:
    """Point at `chainage` metres along `road`, `lateral` metres to its left (negative: right)."""
    chainage = min(max(chainage, 0.0), road.length)
    p = road.interpolate(chainage)
    a = road.interpolate(max(chainage - 1.0, 0.0))
    b = road.interpolate(min(chainage + 1.0, road.length))
    dx, dy = b.x - a.x, b.y - a.y
    n = math.hypot(dx, dy)
    return Point(p.x - dy / n * lateral, p.y + dx / n * lateral)


def direction_at(road: LineString, chainage: float) -> float:
    a = road.interpolate(max(chainage - 1.0, 0.0))
    b = road.interpolate(min(chainage + 1.0, road.length))
    return math.atan2(b.y - a.y, b.x - a.x)


def max_turn_deg(line: LineString) -> float:
    c = np.asarray(line.coords)
    v = np.diff(c, axis=0)
    ang = np.arctan2(v[:, 1], v[:, 0])
    d = np.abs((np.diff(ang) + np.pi) % (2 * np.pi) - np.pi)
    return float(np.degrees(d.max())) if len(d) else 0.0


# --------------------------------------------------------------------------------------------
# 1. admin units: repair_communes and check_tiling are in scripts/_tiling.py (shared with
# scripts/build_samples.py)

# --------------------------------------------------------------------------------------------
# 2. roads (drawn)

def catmull_rom(controls, per_segment=200):
    """Dense points of the Catmull-Rom spline through `controls` (passes through each)."""
    p = np.asarray(controls, float)
    ext = np.vstack([2 * p[0] - p[1], p, 2 * p[-1] - p[-2]])
    t = np.linspace(0.0, 1.0, per_segment, endpoint=False)[:, None]
    out = []
    for i in range(1, len(ext) - 2):
        p0, p1, p2, p3 = ext[i - 1:i + 3]
        out.append(0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t ** 2
                          + (3 * p1 - p0 - 3 * p2 + p3) * t ** 3))
    out.append(p[-1][None, :])
    return np.vstack(out)


def arc_length(pts):
    return np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(pts, axis=0).T))])


def wiggled(dense, amp, phases, wavelength):
    """`dense` moved sideways by a smooth wave that fades out over the first and last stretch,
    so the piece keeps its end points and end directions.
    """
    s = arc_length(dense)
    total = s[-1]
    tan = np.gradient(dense, axis=0)
    tan /= np.hypot(*tan.T)[:, None]
    nrm = np.column_stack([-tan[:, 1], tan[:, 0]])
    ramp = min(700.0, total / 4)
    x = np.clip(np.minimum(s, total - s) / ramp, 0.0, 1.0)
    taper = x * x * (3 - 2 * x)
    wave = (np.sin(2 * np.pi * s / wavelength + phases[0])
            + 0.3 * np.sin(2 * np.pi * 2.2 * s / wavelength + phases[1]))
    return dense + (amp * taper * wave)[:, None] * nrm


def resampled(pts, n):
    """`n` vertices evenly spaced along `pts` (end points kept): the drawn polyline."""
    s = arc_length(pts)
    t = np.linspace(0.0, s[-1], n)
    out = np.column_stack([np.interp(t, s, pts[:, 0]), np.interp(t, s, pts[:, 1])])
    out[0], out[-1] = pts[0], pts[-1]
    return out


def winding_line(controls, seed, spacing, pins=(), lengths=None, amp=80.0, wavelength=2200.0):
    """A drawn road: a smooth spline through `controls`, with gentle bends added, as a polyline
    with a vertex every `spacing` m. `pins` (indices of controls) split it into pieces that keep
    their end points exactly (junctions); `lengths` maps a piece index to the EPSG:5899 length
    it must have, reached by bisection on that piece's bend amplitude (others use `amp`).
    """
    rng = np.random.default_rng(seed)
    per = 200
    dense = catmull_rom(controls, per)
    cuts = [0, *[i * per for i in pins], len(dense) - 1]
    lengths = lengths or {}
    pieces = []
    for k in range(len(cuts) - 1):
        base = dense[cuts[k]:cuts[k + 1] + 1]
        phases = rng.uniform(0, 2 * np.pi, 2)

        approx = lengths.get(k, arc_length(base)[-1])
        n = max(2, int(round(approx / spacing))) + 1

        def build(a, base=base, phases=phases, n=n):
            return resampled(wiggled(base, a, phases, wavelength), n)

        if k in lengths:
            target = lengths[k]
            lo, hi = 0.0, 2000.0
            check(LineString(build(lo)).length < target, f"controls too far apart for {target} m")
            check(LineString(build(hi)).length > target, f"controls too close for {target} m")
            for _ in range(100):
                mid = (lo + hi) / 2
                if LineString(build(mid)).length < target:
                    lo = mid
                else:
                    hi = mid
            pts = build((lo + hi) / 2)
            check(abs(LineString(pts).length - target) < 0.01, "length bisection failed")
        else:
            pts = build(amp)
        pieces.append(pts if k == 0 else pts[1:])
    return LineString(np.vstack(pieces)), [LineString(p) for p in pieces]


def boundary_vertex_near(commune: Polygon, others, target):
    """The vertex of `commune`'s outer ring on the district boundary (shared with no other
    commune) nearest to `target`.
    """
    others_b = shapely.union_all([o.boundary for o in others])
    best = None
    for xy in commune.exterior.coords[:-1]:
        p = Point(xy)
        if others_b.distance(p) < 1.0:
            continue
        d = p.distance(Point(target))
        if best is None or d < best[0]:
            best = (d, xy)
    return best[1]


def build_roads(communes):
    """All road geometry in EPSG:5899 (the control points are drawn by hand on the repaired
    commune map; see README).
    """
    # QL27 (context): enters Đạ Rsal from the north (Đắk Lắk), ĐH43 junction in Liêng Srônh
    # (Km106+020), through the district centre in Rô Men, ĐH46 junction in Phi Liêng (Km123),
    # leaves towards Lâm Hà. Between the junctions the drawn line is exactly 16.98 km long.
    others = [g for c, g in communes.items() if c != "24875"]
    ql_in = boundary_vertex_near(communes["24875"], others, (539200, 1346800))
    others = [g for c, g in communes.items() if c != "24886"]
    ql_out = boundary_vertex_near(communes["24886"], others, (547300, 1321600))
    j43 = (540900, 1334800)
    rm = (546300, 1333600)  # district centre (Rô Men) on QL27
    j46 = (544900, 1325100)
    controls = [ql_in, (538900, 1342500), (539700, 1338800), j43, (543500, 1334700), rm,
                (548400, 1331600), (548400, 1329000), (547000, 1326900), j46, (546100, 1323300),
                ql_out]
    i43, i46 = controls.index(j43), controls.index(j46)
    ql27, parts = winding_line(controls, 27, 250, pins=(i43, i46), amp=60.0,
                               lengths={1: (QL27_KM_DH46 - QL27_KM_DH43) * 1000})
    ch_j43 = ql27.project(Point(j43))
    ch_j46 = ql27.project(Point(j46))

    lines = {}
    # ĐH42: Chợ Đạ K'Nàng -> the district boundary (Lâm Hà) on Đạ K'Nàng's east side. Drawn from
    # the boundary vertex inwards, then reversed so that it starts at Km0+00.
    others = [g for c, g in communes.items() if c != "24889"]
    end42 = boundary_vertex_near(communes["24889"], others, (546200, 1316400))
    rev, _ = winding_line([end42, (545000, 1316300), (543900, 1315700)], 42, 65,
                          lengths={0: 2500.0}, wavelength=900.0)
    lines["ĐH42"] = LineString(rev.coords[::-1])
    lines["ĐH43"], _ = winding_line([j43, (537400, 1334900), (535900, 1333600), (534700, 1332700)],
                                    43, 180, lengths={0: 7180.0})
    lines["ĐH45"], _ = winding_line([(548600, 1334600), (548000, 1336900), (546300, 1337900),
                                     (545400, 1340200), (543200, 1342400)], 45, 200,
                                    lengths={0: 11230.0}, wavelength=3000.0)
    lines["ĐH46"], _ = winding_line([j46, (543600, 1323900), (543300, 1321900), (541800, 1320600),
                                     (541700, 1318800), (540900, 1317500)], 46, 200,
                                    lengths={0: 10340.0}, wavelength=3000.0)
    lines["ĐH47"], _ = winding_line([(553900, 1339500), (555700, 1340900), (557500, 1342300),
                                     (559000, 1342900)], 47, 180, lengths={0: 7140.0})
    return ql27, ch_j43, ch_j46, lines


def check_roads(ql27, lines, communes, ch, label):
    """The rules the drawn roads obey (in EPSG:5899)."""
    out = {}
    for code, line in lines.items():
        spec = ROADS[code]
        L = spec["length_km"] * 1000
        check(abs(line.length - L) < 1.0, f"{label} {code}: length {line.length:.3f} != {L}")
        check(line.is_simple, f"{label} {code}: self-intersects")
        nv = len(line.coords)
        check(15 <= nv <= 60, f"{label} {code}: {nv} vertices")
        check(max_turn_deg(line) < 50, f"{label} {code}: sharp bend {max_turn_deg(line):.0f}°")
        allowed = shapely.union_all([communes[c] for c in spec["communes"]])
        check(allowed.buffer(0.01).covers(line), f"{label} {code}: leaves its communes")
        out[code] = (line.length, nv, max_turn_deg(line))
    names = list(lines)
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            d = lines[names[i]].distance(lines[names[j]])
            check(d > 100, f"{label} {names[i]}/{names[j]} only {d:.0f} m apart")
    # QL27 meets ĐH43 and ĐH46 at their Km0 only; elsewhere it keeps > 100 m away.
    check(ql27.is_simple, f"{label} QL27 self-intersects")
    for code, line in lines.items():
        if code in ("ĐH43", "ĐH46"):
            check(Point(line.coords[0]).distance(ql27) < 1e-6, f"{label} {code} Km0 not on QL27")
            d = substring(line, 300, line.length).distance(ql27)
            near = ch[code]
            d2 = min(substring(ql27, 0, near - 300).distance(line),
                     substring(ql27, near + 300, ql27.length).distance(line))
            check(min(d, d2) > 100, f"{label} QL27 too close to {code} away from the junction")
        else:
            check(line.distance(ql27) > 100, f"{label} QL27 too close to {code}")
    return out


def communes_crossed(line, communes):
    """Codes of the communes a line runs through (> 1 m inside), in order along the line."""
    hits = []
    for c, g in communes.items():
        inter = line.intersection(g)
        if inter.length > 1.0:
            first = min(line.project(Point(xy)) for part in lines_of(inter) for xy in part.coords)
            hits.append((first, c))
    return [c for _, c in sorted(hits)]


# --------------------------------------------------------------------------------------------
# 3. surveys (drawn) and the greening computation used to check them

def offset_piece(road, a, b, dist, reverse=False):
    piece = substring(road, a, b).offset_curve(dist, quad_segs=4, join_style="round")
    check(isinstance(piece, LineString), "offset piece is not one line")
    return LineString(piece.coords[::-1]) if reverse else piece


def greened_length(road: LineString, geoms, tol=TOLERANCE_M, point_gap=POINT_GAP_M):
    """Length of `road` covered by survey geometry: the union of the along-road projection
    (line_locate_point) of the survey geometry lying within `tol` metres of the centreline;
    lines give one interval per piece inside the tolerance band, single trees give stretches of
    consecutive trees at most `point_gap` apart. Both sides counted once. Returns (m, intervals).
    """
    band = road.buffer(tol, quad_segs=16)
    intervals, trees = [], []
    for g in geoms:
        if isinstance(g, Point):
            if road.distance(g) <= tol:
                trees.append(road.project(g))
            continue
        for part in lines_of(g.intersection(band)):
            s = shapely.line_locate_point(road, shapely.points(np.asarray(part.coords)))
            intervals.append((float(s.min()), float(s.max())))
    trees.sort()
    if trees:
        start = prev = trees[0]
        for s in trees[1:]:
            if s - prev > point_gap:
                intervals.append((start, prev))
                start = s
            prev = s
        intervals.append((start, prev))
    merged = []
    for a, b in sorted(intervals):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return sum(b - a for a, b in merged), merged


def build_surveys(ql27, ch_j43, lines):
    """Survey features (EPSG:5899): list of dicts with geometry and properties."""
    rows = []

    def add(survey_id, road_code, side, geom, note=SURVEY_NOTE, tree_count=None):
        rows.append(dict(survey_id=survey_id, dist_code=DIST, road_code=road_code, side=side,
                         survey_date=SURVEY_DATE, surveyor=None, species=None,
                         tree_count=tree_count, source_file="damrong_sample", note=note,
                         geometry=geom))

    # ĐH42: tree rows on both sides, 0-1.75 km.
    r = lines["ĐH42"]
    add("dh42-l-1", "ĐH42", "left", offset_piece(r, 0, 1750, 6.0))
    add("dh42-r-1", "ĐH42", "right", offset_piece(r, 0, 1750, -6.5))
    # ĐH43: one side, digitised as 3 overlapping pieces, the middle one drawn backwards.
    r = lines["ĐH43"]
    add("dh43-r-1", "ĐH43", "right", offset_piece(r, 0, 1500, -5.0))
    add("dh43-r-2", "ĐH43", "right", offset_piece(r, 1400, 2800, -6.0, reverse=True))
    add("dh43-r-3", "ĐH43", "right", offset_piece(r, 2700, 3700, -7.0))
    # ĐH45: one point per tree, every 8 m from Km0 to Km1+680, right side.
    r = lines["ĐH45"]
    for k, s in enumerate(np.arange(0.0, 1680.0 + 1e-9, 8.0)):
        add(f"dh45-t-{k + 1:03d}", "ĐH45", "right", point_at(r, float(s), -5.0), tree_count=1)
    # ĐH46: a GPS track, left side, a vertex every 10 m, +-1.5 m lateral noise (seeded).
    r = lines["ĐH46"]
    rng = np.random.default_rng(46)
    n = 310
    ss = np.linspace(0.0, 3100.0, n + 1)
    lat = 6.0 + rng.uniform(-1.5, 1.5, n + 1)
    add("dh46-gps-1", "ĐH46", "left",
        LineString([point_at(r, float(s), float(d)) for s, d in zip(ss, lat, strict=True)]))
    # QL27: a row along the national road across the ĐH43 junction, on ĐH43's side. A correct
    # computation gives ĐH43 nothing from it beyond the crossing (ĐH43 is covered there anyway).
    turn = direction_at(lines["ĐH43"], 5.0) - direction_at(ql27, ch_j43)
    side = 1.0 if math.sin(turn) > 0 else -1.0  # ĐH43 leaves to QL27's left (+) or right (-)
    row = substring(ql27, ch_j43 - 250, ch_j43 + 250).segmentize(10.0)
    row = row.offset_curve(6.0 * side, quad_segs=4, join_style="round")
    add("ql27-1", "QL27", "left" if side > 0 else "right", row,
        note="drawn: tree row along QL27 across the ĐH43 junction; a side road, it must add "
             "nothing to ĐH43 beyond the crossing")
    # A row 150+ m from any road: it counts for no road.
    far = offset_piece(lines["ĐH43"], 5200, 5500, 160.0)
    add("misc-1", None, "unknown", far,
        note="drawn: tree row about 160 m from the nearest road (ĐH43); it counts for no road")
    return rows


# --------------------------------------------------------------------------------------------
# 4. sites and green areas (drawn)

def oriented_rect(center: Point, angle, length, width):
    c, s = math.cos(angle), math.sin(angle)
    pts = []
    for a, b in ((-1, -1), (1, -1), (1, 1), (-1, 1)):
        x, y = a * length / 2, b * width / 2
        pts.append((center.x + x * c - y * s, center.y + x * s + y * c))
    return Polygon(pts)


def build_sites_and_green(ql27, ch_j43, ch_j46, lines, communes):
    ch_rm = ql27.project(Point(546300, 1333600))
    all_roads = shapely.union_all([ql27, *lines.values()])
    taken = []  # geometries already placed: nothing else may come within 30 m of them
    sites, greens = [], []

    def spot(make, road, ch, lateral, comm, clearance=40.0):
        """Place `make(road, chainage, lateral)` at the first of a fixed sequence of nearby
        positions that lies inside commune `comm`, > `clearance` m from every road and > 30 m
        from everything placed before (deterministic search).
        """
        for dch in (0, 100, -100, 200, -200, 300, -300, 450, -450, 600, -600):
            for side in (1, -1):
                c = min(max(ch + dch, 0.0), road.length)
                g = make(road, c, side * lateral)
                if (communes[comm].contains(g) and g.distance(all_roads) > clearance
                        and all(g.distance(t) > 30 for t in taken)):
                    taken.append(g)
                    return g
        raise SystemExit(f"CHECK FAILED: no room for a drawn feature in {comm}")

    def pt(road, ch, lat):
        return point_at(road, ch, lat)

    def site(site_id, name, site_type, geom, indicator, status, comm, grade=None, env=None,
             deadline=None, deadline_note=None, funding=None, note=None):
        sites.append(dict(site_id=site_id, name=name, site_type=site_type,
                          indicator_id=indicator, grade=grade, status=status,
                          env_infrastructure=env, deadline=deadline,
                          deadline_note=deadline_note, funding=funding, prov_code=PROV,
                          dist_code=DIST, comm_code=comm, source=SITE_SOURCE, note=note,
                          geometry=geom))

    # Central works in Rô Men, around the district centre on QL27.
    site("dr-bus-station", "Bến xe khách huyện Đam Rông", "bus_station",
         spot(pt, ql27, ch_rm - 350, 70, "24877"), "2.4", "planned", "24877", grade="IV",
         deadline="2024-10-30",
         deadline_note="lựa chọn nhà đầu tư theo quy định ngày 30/10/2024",
         funding="thu hút, lựa chọn nhà đầu tư",
         note="Có quy hoạch nhưng chưa khởi công (29/02/2024); mục tiêu bến xe khách loại IV "
              "trở lên")

    # Industrial cluster: a 35 ha polygon beside QL27 south of the centre.
    def cluster_at(road, ch, lat):
        ang = direction_at(road, ch)
        c, s_ = math.cos(ang), math.sin(ang)
        side = 1.0 if lat > 0 else -1.0
        anchor = point_at(road, ch, lat)
        base = [(0, 0), (720, 40), (760, 460), (330, 600), (-20, 420)]  # local: along, away
        poly = Polygon([(anchor.x + x * c - side * y * s_, anchor.y + x * s_ + side * y * c)
                        for x, y in base])
        k = math.sqrt(350_000.0 / poly.area)
        return shapely.normalize(shapely.affinity.scale(poly, k, k, origin=anchor))

    poly = spot(cluster_at, ql27, ch_rm + 1500, 150, "24877", clearance=100.0)
    site("dr-ind-cluster", "Cụm công nghiệp huyện Đam Rông (quy hoạch)", "industrial_cluster",
         poly, "6.1", "planned", "24877", deadline="2024-06-30",
         deadline_note="đưa vào kế hoạch đầu tư công và bố trí nguồn lực trước tháng 7/2024",
         funding="đầu tư công",
         note="Lập quy hoạch chi tiết theo QĐ 1929/QĐ-UBND 06/10/2023 (quy hoạch xây dựng vùng "
              "huyện); chưa có kết cấu hạ tầng kỹ thuật")
    site("dr-market", "Chợ Trung tâm huyện", "market", spot(pt, ql27, ch_rm + 200, 80, "24877"),
         "6.2", "under_construction", "24877", deadline="2024-11-30",
         deadline_note="Hoàn thành trước 30/11/2024",
         note="Chợ đảm bảo an toàn thực phẩm theo hướng dẫn (chỉ tiêu 6.2)")
    site("dr-wastewater", "Công trình xử lý nước thải sinh hoạt tại Trung tâm Bể Lắng",
         "wastewater_works", spot(pt, ql27, ch_rm + 700, 380, "24877"), "7.4", "planned",
         "24877", deadline="2024-06-30", deadline_note="bố trí nguồn lực trước tháng 7/2024",
         funding="đầu tư công")
    site("dr-recycling", "Mô hình tái chế chất thải hữu cơ, phụ phẩm nông nghiệp",
         "recycling_model", spot(pt, lines["ĐH45"], 2300, 180, "24877"), "7.3", "planned",
         "24877", deadline="2024-09-30", deadline_note="hoàn thành trước tháng 10/2024")

    # Commune centres (drawn) on the roads: (road, chainage of the centre).
    r47 = lines["ĐH47"]
    part = r47.intersection(communes["24853"])
    mids = [r47.project(Point(p.coords[0])) + p.length / 2 for p in lines_of(part)]
    centres = {
        "24853": (r47, float(np.mean(mids))),  # middle of ĐH47's run through Đạ Tông
        "24856": (r47, r47.length - 500),
        "24859": (r47, 500.0),
        "24874": (ql27, ch_j43 - 500),
        "24875": (lines["ĐH45"], lines["ĐH45"].length - 600),
        "24877": (ql27, ch_rm - 900),
        "24886": (ql27, ch_j46 + 700),
        "24889": (lines["ĐH42"], 400.0),
    }
    no_infra = {"24853", "24856", "24874"}  # illustrative: 3 of the 8 still lack it
    for code, (road, ch) in centres.items():
        name = OLD_COMMUNES[code][0]
        env = code not in no_infra
        site(f"dr-waste-{code}", f"Điểm tập kết, trung chuyển rác xã {name}",
             "waste_collection_point", spot(pt, road, ch + 150, 60, code), "7.8", "completed",
             code, env=env,
             deadline=None if env else "2024-09-30",
             deadline_note=None if env else "hoàn thành trước tháng 10/2024",
             note=("có hạ tầng bảo vệ môi trường" if env else
                   "chưa có hạ tầng bảo vệ môi trường theo quy định") +
                  " (minh họa: kế hoạch không nêu từng điểm)")

    # Green land in the industrial cluster: a belt along its edge, 5.0% of its area (< 10%).
    target = 0.05 * poly.area
    lo, hi = 0.0, 60.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if poly.difference(poly.buffer(-mid, join_style="mitre")).area < target:
            lo = mid
        else:
            hi = mid
    belt = shapely.normalize(poly.difference(poly.buffer(-(lo + hi) / 2, join_style="mitre")))
    greens.append(dict(area_id="dr-green-ccn", name="Dải cây xanh cách ly cụm công nghiệp",
                       green_type="industrial_cluster", site_id="dr-ind-cluster",
                       comm_code="24877", dist_code=DIST, prov_code=PROV,
                       source="drawn: illustrative location and shape",
                       note="drawn: a belt along the cluster's edge, 5% of its area, so "
                            "indicator 7.5 (≥ 10%) is unmet as the plan says", geometry=belt))
    # Public green land at each old commune centre: 54,217 x 4.5 m2 in all, split evenly (no
    # per-commune population is known).
    total = DISTRICT_POP * GREEN_M2_PER_PERSON
    each = total / len(centres)

    def rect_at(road, ch, lat):
        return shapely.normalize(oriented_rect(point_at(road, ch, lat), direction_at(road, ch),
                                               150.0, each / 150.0))

    for code, (road, ch) in centres.items():
        greens.append(dict(
            area_id=f"dr-green-{code}",
            name=f"Cây xanh công cộng trung tâm xã {OLD_COMMUNES[code][0]}",
            green_type="public", site_id=None, comm_code=code, dist_code=DIST, prov_code=PROV,
            source="drawn: illustrative location and shape",
            note=f"drawn: public green land at the commune centre; the 8 areas total "
                 f"{DISTRICT_POP:,} × {GREEN_M2_PER_PERSON} m² = {total:,.0f} m² (the plan "
                 f"reports 4.5 m²/person for indicator 7.6; 54,217 is the 2019 census, the only "
                 f"district population with a source), split evenly as no commune population "
                 f"is known",
            geometry=spot(rect_at, road, ch - 200, 160, code)))
    return sites, greens


# --------------------------------------------------------------------------------------------
# writing and reading back

def load_schema(name):
    with open(LAYERS / f"{name}.yml", encoding="utf-8") as f:
        return yaml.safe_load(f)


def frame(name, rows, crs_m=True):
    """GeoDataFrame in WGS 84 with exactly the schema's fields, in its order, checked."""
    schema = load_schema(name)
    fields = schema["fields"]
    cols = [f["name"] for f in fields]
    for r in rows:
        extra = set(r) - set(cols) - {"geometry"}
        check(not extra, f"{name}: fields not in the schema: {extra}")
    data = {}
    for f in fields:
        vals = [r.get(f["name"]) for r in rows]
        if f.get("required"):
            check(all(v not in (None, "") for v in vals), f"{name}.{f['name']} is required")
        if "allowed" in f:
            ok = {a["value"] for a in f["allowed"]}
            for v in vals:
                if v is None:
                    continue
                items = v.split("|") if f["type"] == "list" else [v]
                check(set(items) <= ok, f"{name}.{f['name']}: {v!r} not allowed")
        t = f["type"]
        if t == "integer":
            data[f["name"]] = pd.array(vals, dtype="Int64")
        elif t == "real":
            data[f["name"]] = pd.array(vals, dtype="Float64")
        elif t == "boolean":
            data[f["name"]] = pd.array(vals, dtype="boolean")
        else:
            if t == "date":
                for v in vals:
                    check(v is None or (len(v) == 10 and v[4] == "-" and v[7] == "-"),
                          f"{name}.{f['name']}: {v!r} is not YYYY-MM-DD")
            data[f["name"]] = pd.array(vals, dtype=object)
    geoms = [r["geometry"] for r in rows]
    geoms = to_ll(geoms) if crs_m else geoms
    return gpd.GeoDataFrame(data, geometry=geoms, crs=CRS_LL)


def write(name, gdf):
    path = OUT / f"{name}.geojson"
    # read back: same features, same text, same field names
    raw = write_geojson(gdf, path, 9)
    check(len(raw["features"]) == len(gdf), f"{name}: feature count")
    cols = [c for c in gdf.columns if c != "geometry"]
    for feat, (_, row) in zip(raw["features"], gdf.iterrows(), strict=True):
        props = feat["properties"]
        for c in cols:
            v = row[c]
            got = props.get(c)
            if v is None or v is pd.NA or (isinstance(v, float) and math.isnan(v)):
                check(got is None, f"{name}.{c}: expected null, got {got!r}")
            elif isinstance(v, (bool, np.bool_)):
                check(got is bool(v), f"{name}.{c}: boolean {got!r}")
            elif isinstance(v, str):
                check(got == v, f"{name}.{c}: text changed {v!r} -> {got!r}")
            else:
                check(got == v, f"{name}.{c}: value changed {v!r} -> {got!r}")
    back = gpd.read_file(path, engine="pyogrio", datetime_as_string=True)
    check(back.crs is not None and back.crs.to_epsg() == 4326, f"{name}: read-back CRS")
    return path, back


# --------------------------------------------------------------------------------------------

def main(argv=None):
    global OUT
    parser = argparse.ArgumentParser(description="Build the Đam Rông sample layers.")
    parser.add_argument("--out", type=Path, default=OUT,
                        help="output folder (default: data/damrong, the committed sample)")
    OUT = parser.parse_args(argv).out.resolve()
    OUT.mkdir(parents=True, exist_ok=True)
    print("== Đam Rông sample: sources from", SRC.relative_to(ROOT))

    # ---- admin units --------------------------------------------------------------------
    old = gpd.read_file(SRC / "communes_2008_vietnam63.geojson", engine="pyogrio")
    old["code"] = old["gso_code"].astype(int).astype(str)
    old = old.sort_values("code").reset_index(drop=True)
    check(list(old["code"]) == sorted(OLD_COMMUNES), "the 8 old communes")
    old_m = old.to_crs(CRS_M)
    repaired, fig = repair_communes(old_m)

    print("\n-- old communes (vietnam63), EPSG:5899 --")
    print("rules: each overlap goes to the commune with the lower GSO code; each interior gap "
          "(a hole of the union) to the neighbour sharing the longest boundary with it")
    print(f"overlaps before: {len(fig['faces']['overlap'])} overlap faces, "
          f"{fig['overlap_total'] / 1e6:.4f} km² in all (pairwise):")
    for (a, b), area in fig["overlap_pairs"].items():
        print(f"   {a} {OLD_COMMUNES[a][0]:<12} / {b} {OLD_COMMUNES[b][0]:<12} {area:>10,.0f} m²")
    gaps = fig["gaps"]
    print(f"gaps before: {len(gaps)} interior holes of the union, {sum(gaps) / 1e6:.4f} km² "
          f"(largest {max(gaps) / 1e6:.4f} km²); coverage_is_valid before: "
          f"{fig['coverage_valid_before']}")
    print("gap assignments (area m² -> commune, shared boundary m):")
    for area, c, blen in sorted(fig["faces"]["gap"]):
        print(f"   {area:>9,.0f} -> {c} {OLD_COMMUNES[c][0]:<12} ({blen:,.0f} m)")
    print("areas: code   commune       before km²  after km²   change m²")
    for c in sorted(repaired):
        b, a = fig["before"][c], fig["after"][c]
        print(f"   {c}  {OLD_COMMUNES[c][0]:<12} {b / 1e6:10.3f} {a / 1e6:10.3f} "
              f"{round(a - b):+11,d}")
    geoms_after = [repaired[c] for c in sorted(repaired)]
    check(bool(shapely.coverage_is_valid(geoms_after)), "repaired coverage not valid")
    ov, _, union = check_tiling(geoms_after, "repaired (EPSG:5899)")
    district_m = Polygon(polygons_of(union)[0].exterior) if isinstance(union, Polygon) else None
    check(district_m is not None, "district union is not one polygon")
    check(abs(district_m.area - union.area) < 1e-6, "district had interior holes")
    print(f"after: coverage_is_valid True, pairwise overlaps {ov:.6f} m², 0 interior gaps; "
          f"sum of the 8 before {sum(fig['before'].values()) / 1e6:.3f} km² (overlaps counted "
          f"twice, gaps not at all) -> district {district_m.area / 1e6:.3f} km² "
          f"(its public description: 873.7 km²)")

    new = gpd.read_file(SRC / "communes_2025_merged.geojson", engine="pyogrio")
    new["code"] = new["code"].astype(str)
    new = new.sort_values("code").reset_index(drop=True)
    check(set(new["code"]) == set(NEW_COMMUNES), "the 4 new communes")
    new_m = new.to_crs(CRS_M)
    check(bool(shapely.coverage_is_valid(list(new.geometry))), "2025 communes: coverage invalid")
    check_tiling(list(new_m.geometry), "2025 communes")
    print("\n-- 2025 communes (unchanged): coverage_is_valid True, no overlap, no gap --")
    for _, r in new_m.iterrows():
        name, repl, _ = NEW_COMMUNES[r["code"]]
        olds = shapely.union_all([repaired[c] for c in repl])
        inside = r.geometry.intersection(district_m).area
        print(f"   {r['code']} {name}: {r.geometry.area / 1e6:8.3f} km² "
              f"(source says {r['areaKm2']}); its old communes {olds.area / 1e6:8.3f} km², "
              f"inside the old district {inside / 1e6:8.3f} km²")

    admin_rows = [dict(
        code=DIST, level="district", name="Đam Rông", aliases="Huyện Đam Rông|Dam Rong",
        parent_code=PROV, prov_code=PROV, valid_from="2004-01-01", valid_to="2025-06-30",
        replaces=None, population=DISTRICT_POP, population_year=DISTRICT_POP_YEAR,
        population_source=DISTRICT_POP_SOURCE,
        source="union of the 8 repaired communes (vietnam63, MIT; see the commune features)",
        geometry=as_multi(district_m))]
    for _, r in old.iterrows():
        c = r["code"]
        name, alts = OLD_COMMUNES[c]
        aliases = []
        bare = r["name_vn"][3:] if r["name_vn"].startswith("Xã ") else None
        for a in [r["name_vn"], bare, r["name"], *alts]:
            if a and a != name and a not in aliases:
                aliases.append(a)
        admin_rows.append(dict(
            code=c, level="commune", name=name, aliases="|".join(aliases), parent_code=DIST,
            prov_code=PROV, valid_from="2008-01-01", valid_to="2025-06-30", replaces=None,
            population=None, population_year=None, population_source=None, source=OLD_SOURCE,
            geometry=as_multi(repaired[c])))
    admin_new = []
    for _, r in new.iterrows():
        c = r["code"]
        name, repl, pop = NEW_COMMUNES[c]
        src = NEW_SOURCE
        if name == "Đam Rông 4":
            src += ("; Đam Rông 4 also includes Đưng K'Nớ (from Lạc Dương district), whose code "
                    "is not in our sources, so `replaces` lists only 24853 and 24856")
        aliases = "|".join(a for a in [r["fullName"], r["nameEn"]] if a)
        admin_new.append(dict(
            code=c, level="commune", name=name, aliases=aliases, parent_code=PROV,
            prov_code=PROV, valid_from="2025-07-01", valid_to=None, replaces="|".join(repl),
            population=pop, population_year=2025, population_source=NEW_POP_SOURCE, source=src,
            geometry=as_multi(r.geometry)))
    admin = pd.concat([frame("admin_units", admin_rows),
                       frame("admin_units", admin_new, crs_m=False)], ignore_index=True)
    admin = gpd.GeoDataFrame(admin, geometry="geometry", crs=CRS_LL)

    # ---- roads ----------------------------------------------------------------------------
    ql27, ch_j43, ch_j46, lines = build_roads(repaired)
    jch = {"ĐH43": ch_j43, "ĐH46": ch_j46}
    check_roads(ql27, lines, repaired, jch, "EPSG:5899")
    road_rows = []
    for code, line in lines.items():
        spec = ROADS[code]
        crossed = communes_crossed(line, repaired)
        check(crossed == spec["communes"], f"{code}: crosses {crossed}")
        note = None
        if code == "ĐH47":
            note = ("The plan names Đạ M'Rông and Đạ Long; in the boundary source they are 2.3 km "
                    "apart with Đạ Tông between them, so the drawn line crosses Đạ Tông")
        if code == "ĐH42":
            note = ("ends on the district boundary, on Đạ K'Nàng's east side, taken as the border "
                    "with Phúc Thọ (Lâm Hà)")
        road_rows.append(dict(
            prov_code=PROV, dist_code=DIST, road_code=code, name=None, road_class="ĐH",
            from_place=spec["from_place"], to_place=spec["to_place"], surface=spec["surface"],
            tech_grade=spec["tech_grade"], planned_grade=None,
            official_length_km=spec["length_km"], comm_codes="|".join(crossed),
            source=ROAD_SOURCE, note=note, geometry=line))
    road_rows.append(dict(
        prov_code=PROV, dist_code=DIST, road_code="QL27", name="Quốc lộ 27", road_class="QL",
        from_place=None, to_place=None, surface=None, tech_grade=None, planned_grade=None,
        official_length_km=None, comm_codes="|".join(communes_crossed(ql27, repaired)),
        source="drawn: context only; no open geometry of QL27 in Đam Rông was available",
        note=("passes the Km0 of ĐH43 (Km106+020 QL27) and of ĐH46 (Km123 QL27); the drawn "
              f"line between the two junctions is "
              f"{(QL27_KM_DH46 - QL27_KM_DH43):.2f} km long, as the chainages say"),
        geometry=ql27))
    roads = frame("roads", road_rows)

    # ---- surveys --------------------------------------------------------------------------
    survey_rows = build_surveys(ql27, ch_j43, lines)
    for r in survey_rows:
        if r["road_code"] in ROADS:
            g = r["geometry"]
            pts = [g] if isinstance(g, Point) else [Point(xy) for xy in g.coords]
            d = [lines[r["road_code"]].distance(p) for p in pts]
            check(3.5 <= min(d) and max(d) <= 8.0, f"{r['survey_id']}: offset {min(d)}-{max(d)}")
    far = [r["geometry"] for r in survey_rows if r["survey_id"] == "misc-1"][0]
    check(min(line.distance(far) for line in [ql27, *lines.values()]) >= 150, "misc-1 too close")
    surveys = frame("surveys", survey_rows)

    # ---- sites, green areas ---------------------------------------------------------------
    site_rows, green_rows = build_sites_and_green(ql27, ch_j43, ch_j46, lines, repaired)
    all_roads = shapely.union_all([ql27, *lines.values()])
    placed = [r["geometry"] for r in site_rows + green_rows if r.get("area_id") != "dr-green-ccn"]
    for r in site_rows + green_rows:
        g = r["geometry"]
        check(repaired[r["comm_code"]].contains(g), f"{r.get('site_id') or r['area_id']}: "
                                                    f"not inside commune {r['comm_code']}")
        check(g.distance(all_roads) > 25, f"{r.get('site_id') or r['area_id']}: on a road")
    check(all(a.disjoint(b) for i, a in enumerate(placed) for b in placed[i + 1:]),
          "drawn sites / green areas overlap")
    cluster = [r["geometry"] for r in site_rows if r["site_id"] == "dr-ind-cluster"][0]
    pub = [r["geometry"] for r in green_rows if r["green_type"] == "public"]
    belt = [r["geometry"] for r in green_rows if r["green_type"] == "industrial_cluster"][0]
    check(cluster.buffer(1e-6).covers(belt), "cluster green not inside the cluster")
    check(abs(shapely.union_all(pub).area - sum(g.area for g in pub)) < 1e-3,
          "public green areas overlap")
    sites = frame("sites", site_rows)
    greens = frame("green_areas", green_rows)

    # ---- write, read back, check in WGS 84 ------------------------------------------------
    written = {}
    for name, gdf in [("admin_units", admin), ("roads", roads), ("surveys", surveys),
                      ("sites", sites), ("green_areas", greens)]:
        written[name] = write(name, gdf)

    print("\n-- checks after the GeoJSON round trip (WGS 84 -> EPSG:5899) --")
    back_admin = written["admin_units"][1]
    old_back = back_admin[(back_admin["level"] == "commune")
                          & (back_admin["valid_to"] == "2025-06-30")]
    check(len(old_back) == 8, "8 old communes read back")
    check(bool(shapely.coverage_is_valid(list(old_back.geometry))), "old communes: WGS 84 coverage")
    ov, _, union_ll = check_tiling(list(old_back.to_crs(CRS_M).geometry), "old communes (WGS 84)")
    union_deg = shapely.union_all(list(old_back.geometry))
    check(sum(len(p.interiors) for p in polygons_of(union_deg)) == 0,
          "old communes (WGS 84, in degrees): holes")
    dist_back = back_admin[back_admin["level"] == "district"].to_crs(CRS_M).geometry.iloc[0]
    sym = dist_back.symmetric_difference(union_ll).area
    check(sym < 1.0, f"district != union of its communes ({sym:.3f} m²)")
    new_back = back_admin[back_admin["valid_from"] == "2025-07-01"]
    check(bool(shapely.coverage_is_valid(list(new_back.geometry))), "new communes: WGS 84 coverage")
    ov2, _, _ = check_tiling(list(new_back.to_crs(CRS_M).geometry), "new communes (WGS 84)")
    print(f"old communes: coverage_is_valid True, pairwise overlaps {ov:.6f} m², no holes; "
          f"district = their union (difference {sym:.6f} m²)")
    print(f"2025 communes: coverage_is_valid True, pairwise overlaps {ov2:.6f} m², no holes")
    names_back = dict(zip(back_admin["code"] + back_admin["valid_from"], back_admin["name"],
                          strict=True))
    check(names_back["248892008-01-01"] == "Đạ K'Nàng", "Vietnamese text did not survive")

    rb = written["roads"][1].to_crs(CRS_M)
    rep_back = {r["code"]: r.geometry for _, r in old_back.to_crs(CRS_M).iterrows()}
    lines_back = {r["road_code"]: r.geometry for _, r in rb.iterrows() if r["road_class"] == "ĐH"}
    lines_back = {k: (g if isinstance(g, LineString) else shapely.line_merge(g))
                  for k, g in lines_back.items()}
    ql_back = rb[rb["road_code"] == "QL27"].geometry.iloc[0]
    jch_back = {"ĐH43": ql_back.project(Point(lines_back["ĐH43"].coords[0])),
                "ĐH46": ql_back.project(Point(lines_back["ĐH46"].coords[0]))}
    stats_back = check_roads(ql_back, lines_back, rep_back, jch_back, "WGS 84")
    end42 = Point(lines_back["ĐH42"].coords[-1])
    check(dist_back.boundary.distance(end42) < 0.01, "ĐH42 does not end on the district boundary")

    sb = written["surveys"][1].to_crs(CRS_M)
    print("\nroads (length in EPSG:5899 after the round trip; official):")
    greened = {}
    for code, line in lines_back.items():
        spec = ROADS[code]
        L, nv, turn = stats_back[code]
        got, iv = greened_length(line, list(sb.geometry))
        greened[code] = got
        check(abs(got - spec["greened_km"] * 1000) <= 5.0,
              f"{code}: greened {got:.1f} m vs {spec['greened_km']} km")
        ivs = ", ".join(f"{a:.1f}-{b:.1f}" for a, b in iv) or "none"
        print(f"   {code}: {L:10.3f} m ({spec['length_km']:.2f} km), {nv} vertices, max bend "
              f"{turn:.0f}°, communes {'|'.join(communes_crossed(line, rep_back))}; "
              f"tree-lined {got:8.1f} m (plan {spec['greened_km']:.2f} km) [{ivs}]")
    ql_mid = substring(ql_back, jch_back["ĐH43"], jch_back["ĐH46"]).length
    print(f"   QL27: {ql_back.length:10.3f} m drawn, {ql_mid:.3f} m between the ĐH43 and ĐH46 "
          f"junctions (Km106+020 -> Km123)")
    # the QL27 row alone adds nothing beyond the crossing; the far row counts for no road
    ql_row = sb[sb["survey_id"] == "ql27-1"].geometry.iloc[0]
    _, iv = greened_length(lines_back["ĐH43"], [ql_row])
    check(iv and iv[-1][1] < 30.0, "QL27 row reaches beyond the ĐH43 crossing")
    far_row = sb[sb["survey_id"] == "misc-1"].geometry.iloc[0]
    check(all(greened_length(line, [far_row])[0] == 0 for line in lines_back.values()),
          "far row counts")
    total_len = sum(ROADS[c]["length_km"] for c in ROADS) * 1000
    total_g = sum(greened.values())
    print(f"   the QL27 row alone projects onto ĐH43 at {iv[0][0]:.1f}-{iv[-1][1]:.1f} m "
          f"(inside 0-3700, adds nothing); the far row (misc-1) counts for no road")
    print(f"   total tree-lined {total_g / 1000:.3f} of {total_len / 1000:.2f} km = "
          f"{100 * total_g / total_len:.2f}% (plan: 10.23/38.39 km = 26.65%)")

    gb = written["green_areas"][1].to_crs(CRS_M)
    stb = written["sites"][1].to_crs(CRS_M)
    cl_area = stb[stb["site_id"] == "dr-ind-cluster"].geometry.iloc[0].area
    belt_area = gb[gb["green_type"] == "industrial_cluster"].geometry.area.sum()
    pub_area = gb[gb["green_type"] == "public"].geometry.area.sum()
    target = DISTRICT_POP * GREEN_M2_PER_PERSON
    check(abs(pub_area - target) <= 0.01 * target, "public green total")
    check(20e4 <= cl_area <= 50e4, "cluster size")
    wp = stb[stb["site_type"] == "waste_collection_point"]
    n_env = int(wp["env_infrastructure"].sum())
    check(len(wp) == 8 and len(wp) - n_env >= 3, "waste points: 8, at least 3 without")
    types = stb["site_type"].value_counts().sort_index()
    print(f"\nsites: {len(stb)} ({', '.join(f'{k} {v}' for k, v in types.items())}); "
          f"waste points with environmental infrastructure {n_env}/{len(wp)}")
    print(f"industrial cluster {cl_area / 1e4:.2f} ha, green land in it {belt_area:,.0f} m² = "
          f"{100 * belt_area / cl_area:.2f}% (< 10%: indicator 7.5 unmet)")
    n_pub = int((gb["green_type"] == "public").sum())
    print(f"public green land {pub_area:,.1f} m² in {n_pub} areas "
          f"= {pub_area / DISTRICT_POP:.3f} m²/person for {DISTRICT_POP:,} people "
          f"(target {target:,.0f} m²)")

    print("\n-- outputs --")
    for _name, (path, back) in written.items():
        h = hashlib.sha256(path.read_bytes()).hexdigest()
        print(f"   {path}: {len(back)} features, sha256 {h[:16]}")
    print("done.")


if __name__ == "__main__":
    sys.exit(main())
