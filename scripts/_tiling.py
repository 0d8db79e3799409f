"""Repairing published commune boundaries so that they tile: shared by the sample builders
(``scripts/build_damrong.py``, ``scripts/build_samples.py``).

The sources (vietnam63's thinned polygons) overlap and leave slivers between neighbours. The
repair works in a projected CRS (metres):

1. node every commune boundary (and, if given, the district outline) against every other and
   cut the plane into faces;
2. a face covered by several communes goes to the one listed first (the builders sort by code,
   so: the lower code);
3. a face covered by none (a hole of the union, or, with a district outline, a part of the
   district no commune covers) goes to the neighbour sharing the longest boundary with it
   (after step 2; ties to the one listed first);
4. with a district outline, faces outside it are dropped;
5. each commune is the coverage union of its faces, so shared edges are vertex-identical.
"""

from __future__ import annotations

import json

import shapely
from shapely import LineString, MultiPolygon, Polygon
from shapely.ops import polygonize


def polygons_of(geom):
    if geom.is_empty:
        return []
    if isinstance(geom, Polygon):
        return [geom]
    return [g for g in getattr(geom, "geoms", []) if isinstance(g, Polygon)]


def lines_of(geom):
    if geom.is_empty:
        return []
    if isinstance(geom, LineString):
        return [geom]
    out = []
    for g in getattr(geom, "geoms", []):
        out.extend(lines_of(g))
    return out


def as_multi(geom):
    return geom if isinstance(geom, MultiPolygon) else MultiPolygon(polygons_of(geom))


def check(cond, msg):
    if not cond:
        raise SystemExit(f"CHECK FAILED: {msg}")


def write_geojson(gdf, path, precision):
    """Write ``gdf`` at ``path`` as RFC 7946 GeoJSON (no crs member, ``precision`` decimals,
    replacing any file there); return the written document.
    """
    if path.exists():
        path.unlink()
    gdf.to_file(path, driver="GeoJSON", engine="pyogrio",
                layer_options={"RFC7946": "YES", "COORDINATE_PRECISION": str(precision),
                               "WRITE_NAME": "NO"})
    raw = json.loads(path.read_text(encoding="utf-8"))
    check("crs" not in raw, f"{path.name}: RFC 7946 output has a crs member")
    return raw


def repair_communes(old, frame=None, single=True):
    """Make the communes of ``old`` (columns ``code``, geometry in metres, sorted by code)
    tile: returns ({code: Polygon or MultiPolygon}, figures).

    Without ``frame`` the result covers the union of the communes with its holes filled;
    with ``frame`` (the district polygon) it covers exactly ``frame``. ``single``: each
    repaired commune must be one polygon without holes.
    """
    codes = list(old["code"])
    geoms = list(old.geometry)
    n = len(geoms)
    fig = {"before": {c: g.area for c, g in zip(codes, geoms, strict=True)}}

    overlap_pairs = {}
    for i in range(n):
        for j in range(i + 1, n):
            a = geoms[i].intersection(geoms[j]).area
            if a > 0:
                overlap_pairs[(codes[i], codes[j])] = a
    union = shapely.union_all(geoms)
    holes = [Polygon(r) for p in polygons_of(union) for r in p.interiors]
    fig["overlap_pairs"] = overlap_pairs
    fig["overlap_total"] = sum(overlap_pairs.values())
    fig["gaps"] = sorted(h.area for h in holes)
    fig["coverage_valid_before"] = bool(shapely.coverage_is_valid(geoms))
    if frame is not None:
        filled = shapely.union_all([Polygon(p.exterior) for p in polygons_of(union)])
        fig["outside_frame"] = union.difference(frame).area
        fig["frame_uncovered"] = frame.difference(union).area
        fig["frame_uncovered_edge"] = frame.difference(filled).area
        fig["frame_area"] = frame.area

    # Node every commune boundary against every other and cut the plane into faces: each face is
    # covered by 0 (an interior gap: a hole of the union), 1, or several communes (an overlap).
    bounds = [g.boundary for g in geoms] + ([frame.boundary] if frame is not None else [])
    noded = shapely.union_all(bounds)
    faces = sorted(polygonize(lines_of(noded)), key=lambda f: (f.bounds, f.area))
    owner = []
    kinds = {"single": 0, "overlap": [], "gap": [], "outside": []}
    for f in faces:
        rp = f.point_on_surface()
        if frame is not None and not frame.contains(rp):
            owner.append(-1)  # outside the district: dropped
            kinds["outside"].append(f.area)
            continue
        cover = [i for i in range(n) if geoms[i].contains(rp)]
        if len(cover) == 1:
            owner.append(cover[0])
            kinds["single"] += 1
        elif len(cover) > 1:
            # Rule: an overlap goes to the commune with the lower GSO code (codes are sorted).
            owner.append(min(cover))
            kinds["overlap"].append((f.area, [codes[i] for i in cover], codes[min(cover)]))
        else:
            owner.append(None)
    # Rule: an interior gap goes to the neighbour sharing the longest boundary with it
    # (measured against the communes as they stand after the overlaps were assigned;
    # ties -> lower code). Gaps touching only other gaps wait for a later round.
    pending = [k for k, o in enumerate(owner) if o is None]
    while pending:
        parts = {i: shapely.union_all([faces[k] for k, o in enumerate(owner) if o == i])
                 for i in range(n)}
        progressed = False
        for k in list(pending):
            shared = [(faces[k].boundary.intersection(parts[i].boundary).length, -i)
                      for i in range(n)]
            best_len, neg_i = max(shared)
            if best_len <= 0:
                continue
            owner[k] = -neg_i
            kinds["gap"].append((faces[k].area, codes[-neg_i], best_len))
            pending.remove(k)
            progressed = True
        check(progressed, "an interior gap touches no commune")

    repaired = {}
    for i, c in enumerate(codes):
        mine = [faces[k] for k, o in enumerate(owner) if o == i]
        g = shapely.coverage_union_all(mine)
        g = shapely.normalize(g)
        if single:
            check(isinstance(g, Polygon),
                  f"{c}: repaired commune is not one polygon ({g.geom_type})")
            check(len(g.interiors) == 0, f"{c}: repaired commune has holes")
        repaired[c] = g
    fig["faces"] = kinds
    fig["after"] = {c: g.area for c, g in repaired.items()}
    return repaired, fig


def check_tiling(geoms, label, tol_m2=1.0):
    """Pairwise overlap area (< tol, metres of a projected CRS) and no interior hole in the
    union.
    """
    geoms = list(geoms)
    tot = 0.0
    for i in range(len(geoms)):
        for j in range(i + 1, len(geoms)):
            tot += geoms[i].intersection(geoms[j]).area
    union = shapely.union_all(geoms)
    nholes = sum(len(p.interiors) for p in polygons_of(union))
    check(tot < tol_m2, f"{label}: pairwise overlaps {tot:.3f} m2")
    check(nholes == 0, f"{label}: union has {nholes} interior holes")
    return tot, nholes, union
