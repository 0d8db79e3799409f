#!/usr/bin/env python3
"""Build the boundaries of the Đắk Song, Tam Đường and Đức Thọ samples of ntmgeo.

Reads only ``/work/shared/data/boundaries/`` as copied into ``data/<sample>/sources/`` (the
copy is made first, byte for byte, from ``--boundaries``; later runs can use the copies
with ``--boundaries data``), and writes, for each sample:

* ``data/<sample>/admin_units.geojson``: the district (its polygon from
  ``pre2025_*_district.geojson``) and its communes and town before the 2025 reform (from
  ``pre2025_*_communes.geojson``, vietnam63, MIT), REPAIRED so that they tile the district
  polygon (scripts/_tiling.py: no overlap, no gap, nothing outside it);
* the figures of the repair, between the ``repair:begin`` / ``repair:end`` markers of
  ``data/<sample>/README.md`` (the rest of the README is written by hand).

Nothing else is drawn: the plans give no geometry. The statuses, targets and works totals
beside these files are typed from the plans (see each README). Areas are measured in the
province's VN-2000 TM-3 zone (``data/vn2000_zones.csv``). Deterministic: two runs give
byte-identical files.

    python scripts/build_samples.py [--boundaries DIR] [--out DIR] [--only NAME]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import shutil
import sys
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
import yaml
from _tiling import as_multi, check, check_tiling, polygons_of, repair_communes, write_geojson
from shapely import Polygon

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/data/boundaries")
LAYERS = ROOT / "layers"
CRS_LL = "EPSG:4326"
VALID_FROM, VALID_TO = "2008-01-01", "2025-06-30"
WIDTH_TOL_M = 0.05  # see build(): union of the units vs the district polygon
BEGIN, END = "<!-- repair:begin (written by scripts/build_samples.py) -->", "<!-- repair:end -->"

SOURCE_A = (
    "vietnam63 (R package, github.com/choisy/vietnam63 at 90ac14b, data/communes.rda, "
    "communes after 2008; MIT); GSO code joined by name from "
    "github.com/thanglequoc/vietnamese-provinces-database at fac63085 (MIT)"
)
REPAIR = (
    "; repaired by scripts/build_samples.py to tile the district polygon: each overlap to the "
    "lower code, each gap to the neighbour with the longest shared boundary, nothing outside "
    "the district"
)

# Per sample: which source files, the province and district, the plan's spellings. Codes are
# the source's gso_code, except where a row of CODE_FIXES says otherwise.
SAMPLES = {
    "daksong": dict(
        stem="dak_song", prov="67", dist="665", district_name="Đắk Song",
        # seed 001: line 43 spells "Đắk Môt", line 49 "Năm N'Jang"; the GSO list 2025 spells
        # "Đắk N'Dung" (SOURCES.md).
        plan_spellings={"24718": ["Đắk Môt"], "24728": ["Năm N'Jang"],
                        "24727": ["Đắk N'Dung"]},
        drop=[], code_fixes={}),
    "tamduong": dict(
        stem="tam_duong", prov="12", dist="106", district_name="Tam Đường",
        plan_spellings={},
        # Sùng Phài (03403) was in Lai Châu city by 2025 (SOURCES.md: it moved in 2013); the
        # 2024 plan counts 12 communes and one town (seed 003 lines 37, 63). It is repaired
        # with the others, then left out: the district is the union of the other 13.
        drop=["03403"], code_fixes={}),
    "ductho": dict(
        stem="duc_tho", prov="42", dist="440", district_name="Đức Thọ",
        plan_spellings={},
        drop=[],
        # The source joins 18304 to both Đức Đồng (exact name) and Đức Dũng (fuzzy: "spelling
        # differs: Xã Đức Đồng"); SOURCES.md lists 8 codes, 18304 once. Đức Dũng is one of the
        # 20 merged communes: it has no GSO code here.
        code_fixes={"Xã Đức Dũng": None}),
}


def zones():
    with open(ROOT / "data" / "vn2000_zones.csv", encoding="utf-8") as f:
        return {r["prov_code"]: f"EPSG:{r['epsg']}" for r in csv.DictReader(f)}


def bare(name):
    for prefix in ("Thị trấn ", "Xã ", "Huyện "):
        if name.startswith(prefix):
            return name[len(prefix):]
    return name


def level_of(name):
    return "town" if name.startswith("Thị trấn ") else "commune"


def unit_code(row, fixes):
    """The GSO code as sourced; without one, ``v63-`` + vietnam63's own commune id (not GSO)."""
    code = row["gso_code"]
    if row["name"] in fixes:
        code = fixes[row["name"]]
    if code is None or (isinstance(code, float) and pd.isna(code)) or code == "":
        return f"v63-{row['src_commune_id']}", False
    return str(code), True


def schema_frame(rows):
    """GeoDataFrame with exactly the admin_units schema's fields, in its order."""
    with open(LAYERS / "admin_units.yml", encoding="utf-8") as f:
        fields = yaml.safe_load(f)["fields"]
    cols = [f["name"] for f in fields]
    for r in rows:
        check(not (set(r) - set(cols) - {"geometry"}), f"fields not in the schema: {r.keys()}")
    data = {}
    for fld in fields:
        vals = [r.get(fld["name"]) for r in rows]
        if fld.get("required"):
            check(all(v not in (None, "") for v in vals), f"{fld['name']} is required")
        dtype = "Int64" if fld["type"] == "integer" else object
        data[fld["name"]] = pd.array(vals, dtype=dtype)
    return gpd.GeoDataFrame(data, geometry=[r["geometry"] for r in rows], crs=CRS_LL)


def fmt_km2(m2):
    return f"{m2 / 1e6:.3f}"


def build(name, spec, boundaries, out_root, crs_m):
    out = out_root / name
    src_dir = out / "sources"
    src_dir.mkdir(parents=True, exist_ok=True)
    files = [f"pre2025_{spec['stem']}_communes.geojson", f"pre2025_{spec['stem']}_district.geojson",
             "SOURCES.md"]
    for fn in files:
        src = boundaries / fn if (boundaries / fn).exists() else boundaries / name / "sources" / fn
        if src.resolve() != (src_dir / fn).resolve():
            shutil.copyfile(src, src_dir / fn)

    communes = gpd.read_file(src_dir / files[0], engine="pyogrio")
    district = gpd.read_file(src_dir / files[1], engine="pyogrio")
    check(len(district) == 1, f"{name}: one district polygon")
    check(str(district["gso_district_code"].iloc[0]) == spec["dist"], f"{name}: district code")
    codes, gso = [], []
    for _, r in communes.iterrows():
        c, is_gso = unit_code(r, spec["code_fixes"])
        codes.append(c)
        gso.append(is_gso)
    communes["code"] = codes
    communes["is_gso"] = gso
    check(communes["code"].is_unique, f"{name}: codes not unique")
    communes = communes.sort_values("code").reset_index(drop=True)
    old_m = communes.to_crs(crs_m)
    frame_m = district.to_crs(crs_m).geometry.iloc[0]
    frame_m = shapely.normalize(Polygon(polygons_of(frame_m)[0].exterior)) \
        if len(polygons_of(frame_m)) == 1 else frame_m
    check(len(polygons_of(frame_m)) == 1 and not polygons_of(frame_m)[0].interiors,
          f"{name}: district polygon is one polygon without holes")

    repaired, fig = repair_communes(old_m[["code", "geometry"]], frame=frame_m)
    check_tiling(repaired.values(), f"{name} (metres)")
    union_all = shapely.union_all(list(repaired.values()))
    check(union_all.symmetric_difference(frame_m).area < 1.0, f"{name}: union != district")
    kept = [c for c in repaired if c not in spec["drop"]]
    district_m = shapely.normalize(shapely.coverage_union_all([repaired[c] for c in kept]))

    # ---- features -------------------------------------------------------------------------
    prov, dist = spec["prov"], spec["dist"]
    drow = district.iloc[0]
    rows = [dict(
        code=dist, level="district", name=spec["district_name"],
        aliases="|".join(a for a in [drow["name"], drow["name_ascii"]] if a),
        parent_code=prov, prov_code=prov, valid_from=VALID_FROM, valid_to=VALID_TO,
        source=("pre2025_" + spec["stem"] + "_district.geojson (vietnam63, data/districts.rda, "
                "MIT), as the union of its repaired communes"
                + (" without " + ", ".join(spec["drop"]) if spec["drop"] else "")),
        geometry=district_m)]
    for _, r in communes.iterrows():
        c = r["code"]
        if c in spec["drop"]:
            continue
        nm = bare(r["name"])
        aliases = []
        for a in [r["name"], r["name_ascii"], *spec["plan_spellings"].get(c, [])]:
            if a and a != nm and a not in aliases:
                aliases.append(a)
        src = SOURCE_A + REPAIR
        if not r["is_gso"]:
            src += (f"; no GSO code in the sources (merged or renamed before 2025): code is "
                    f"'v63-' + vietnam63's own commune id {r['src_commune_id']}, not a GSO code")
        rows.append(dict(
            code=c, level=level_of(r["name"]), name=nm, aliases="|".join(aliases),
            parent_code=dist, prov_code=prov, valid_from=VALID_FROM, valid_to=VALID_TO,
            source=src, geometry=repaired[c]))
    ll = list(gpd.GeoSeries([r["geometry"] for r in rows], crs=crs_m).to_crs(CRS_LL).values)
    for r, g in zip(rows, ll, strict=True):
        r["geometry"] = as_multi(g)
    gdf = schema_frame(rows)
    path = out / "admin_units.geojson"
    write_geojson(gdf, path, 6)

    # ---- read back and check (6-decimal coordinates) --------------------------------------
    back = gpd.read_file(path, engine="pyogrio").to_crs(crs_m)
    cb = back[back["level"] != "district"]
    check(bool(shapely.coverage_is_valid(list(cb.to_crs(CRS_LL).geometry))),
          f"{name}: coverage_is_valid after the round trip")
    ov, _, union_b = check_tiling(list(cb.geometry), f"{name} (read back)")
    dist_b = back[back["level"] == "district"].geometry.iloc[0]
    sym = dist_b.symmetric_difference(union_b).area
    check(sym < 1.0, f"{name}: district != union of its units ({sym:.3f} m²)")
    # Against the district polygon: 6-decimal coordinates move a vertex by up to 0.06 m, so
    # the two differ by a band along the boundary: its mean width (area / perimeter) must stay
    # under WIDTH_TOL_M.
    check(back[back["code"].isin(spec["drop"])].empty, f"{name}: left-out units written")
    ref = (frame_m.difference(shapely.union_all([repaired[c] for c in spec["drop"]]))
           if spec["drop"] else frame_m)
    sym_frame = ref.symmetric_difference(union_b).area
    width = sym_frame / ref.length
    check(width < WIDTH_TOL_M, f"{name}: units != district polygon ({sym_frame:.3f} m², "
                               f"mean width {width:.4f} m)")
    report = figures_md(name, spec, communes, fig, repaired, ov, sym, sym_frame, width,
                        crs_m, len(back))
    readme = out / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"{BEGIN}\n{END}\n"
    check(BEGIN in text and END in text, f"{readme}: repair markers missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + BEGIN + "\n" + report + END + tail, encoding="utf-8")
    print(f"{name}: {path} ({len(back)} features, sha256 "
          f"{hashlib.sha256(path.read_bytes()).hexdigest()[:16]})")
    return fig


def figures_md(name, spec, communes, fig, repaired, ov, sym, sym_frame, width, crs_m, n):
    names = dict(zip(communes["code"], communes["name"], strict=True))
    pairs = fig["overlap_pairs"]
    big = {k: v for k, v in pairs.items() if v > 1.0}
    before_sum = sum(fig["before"].values())
    lines = [
        f"Figures printed by `scripts/build_samples.py` (areas in {crs_m}; {n} features "
        "written, coordinates to 6 decimals):",
        "",
        "| | before | after |",
        "|---|---|---|",
        f"| overlaps | {len(big)} pairs > 1 m², {fmt_km2(fig['overlap_total'])} km² | 0 "
        f"(pairwise intersections {ov:.6f} m² after the round trip) |",
        f"| gaps (holes of the union) | {len(fig['gaps'])}, {fmt_km2(sum(fig['gaps']))} km²"
        + (f" (largest {fmt_km2(max(fig['gaps']))} km²)" if fig["gaps"] else "") + " | 0 |",
        f"| communes outside the district polygon | {fmt_km2(fig['outside_frame'])} km² | 0 |",
        f"| district polygon not covered by a commune | {fmt_km2(fig['frame_uncovered'])} km² "
        f"(of which {fmt_km2(fig['frame_uncovered_edge'])} km² along the outer edge) | 0 |",
        f"| `coverage_is_valid` | {fig['coverage_valid_before']} | True |",
        f"| district | {fmt_km2(fig['frame_area'])} km² (its polygon) | union of the units "
        f"= the polygon to {sym_frame:,.0f} m², a band of mean width {width:.3f} m along its "
        f"boundary (the 6-decimal rounding); the district feature = that union to "
        f"{sym:.6f} m² |",
        "",
        f"Faces: {fig['faces']['single']} covered by one unit, {len(fig['faces']['overlap'])} "
        f"by several, {len(fig['faces']['gap'])} by none inside the district, "
        f"{len(fig['faces']['outside'])} outside it (dropped).",
        "",
        "Overlaps by pair (m², > 1 m²): " + "; ".join(
            f"{bare(names[a])}/{bare(names[b])} {v:,.0f}" for (a, b), v in sorted(big.items()))
        + ".",
        "",
        "| code | unit | before km² | after km² | change m² |",
        "|---|---|---:|---:|---:|",
    ]
    for c in sorted(repaired):
        b, a = fig["before"][c], fig["after"][c]
        dropped = " (left out, see above)" if c in spec["drop"] else ""
        change = f"{a - b:+,.0f}".replace("-", "−")
        lines.append(f"| {c} | {bare(names[c])}{dropped} | {fmt_km2(b)} | {fmt_km2(a)} | "
                     f"{change} |")
    lines += ["", f"Sum before {fmt_km2(before_sum)} km² (overlaps counted twice, gaps not at "
              f"all); after {fmt_km2(sum(fig['after'].values()))} km², the district polygon.", ""]
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description="Build the boundaries of the new samples.")
    parser.add_argument("--boundaries", type=Path, default=SHARED,
                        help="folder of the pre2025_*.geojson files (default: %(default)s; "
                             "falls back to data/<sample>/sources/)")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    parser.add_argument("--only", choices=sorted(SAMPLES))
    args = parser.parse_args(argv)
    boundaries = args.boundaries if args.boundaries.exists() else ROOT / "data"
    zone = zones()
    for name, spec in SAMPLES.items():
        if args.only and name != args.only:
            continue
        build(name, spec, boundaries, args.out, zone[spec["prov"]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
