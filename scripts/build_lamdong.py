#!/usr/bin/env python3
"""Build the Lâm Đồng sample of ntmgeo: the merged province of the 2025 reform.

Reads ``post2025_lam_dong_communes.geojson`` and ``SOURCES.md`` from ``--boundaries`` (default
``/work/shared/data/boundaries/``; falls back to the copies in ``data/lamdong/sources/``: the
boundary file gzip-compressed, checked by its sha256), the pre-2025 units of the Đam Rông
and Đắk Song samples (``data/damrong/admin_units.geojson``,
``data/daksong/admin_units.geojson``) and the package ``vietnamadminunits`` (MIT; the
``build`` extra of ``pyproject.toml``: the national list of 34 provinces and 3,321 units, and
the old → new mapping), and writes:

* ``data/lamdong/admin_units.geojson``: the province 68 from 1/7/2025 (the union of its
  units), its 124 units (level ``commune``, ``unit_type`` xã / phường / đặc khu, ``replaces``
  = the GSO codes of the pre-2025 units the package maps into each), simplified together
  with ``shapely.coverage_simplify`` so the file stays small, and the pre-2025 units of Đam
  Rông (district 674, 8 communes) and Đắk Song (district 665, 9 units) as those samples hold
  them, valid to 30/6/2025, so that the predecessors of the new units are in the store;
* the figures (counts, defects as measured, displacement) between the ``figures:begin`` /
  ``figures:end`` markers of ``data/lamdong/README.md`` (the rest is written by hand).

The source's own defects (a few m² of overlap and gap) are measured and reported, not
repaired. Lengths and areas in EPSG:5899 (VN-2000 / TM-3 107-45, the old Lâm Đồng's zone; the
store's measuring CRS). Deterministic: two runs give byte-identical files.

    python scripts/build_lamdong.py [--boundaries DIR] [--out DIR]
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import shutil
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
import yaml
from _tiling import as_multi, check, polygons_of, write_geojson

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path("/work/shared/data/boundaries")
NAME = "lamdong"
SOURCE_FILE = "post2025_lam_dong_communes.geojson"
# The source is kept gzip-compressed (3.6 MB → 1.0 MB): `gunzip -k` gives the shared file
# byte for byte (its sha256 below).
SOURCE_GZ = SOURCE_FILE + ".gz"
SOURCE_SHA256 = "90ed028a1ac171d6840097b79cae477de79ff7535e320f1c58532fa4e8e23a61"
CRS_LL, CRS_M = "EPSG:4326", "EPSG:5899"
PROV = "68"
VALID_FROM = "2025-07-01"
PRE2025_TO = "2025-06-30"
PRE2025_SAMPLES = ("damrong", "daksong")
TOLERANCE_M = 20.0  # coverage_simplify tolerance (metres, EPSG:5899); see the README
GRID_LL = 1e-6  # degrees: the 6 decimals written
BEGIN, END = "<!-- figures:begin (written by scripts/build_lamdong.py) -->", "<!-- figures:end -->"
# The source's `type` → the admin_units field `unit_type` (layers/admin_units.yml).
UNIT_TYPES = {"Xã": "xa", "Phường": "phuong", "Đặc khu": "dac_khu"}
EXPECTED = {"units": 124, "xa": 103, "phuong": 20, "dac_khu": 1,
            "provinces": 34, "national_units": 3321}
PACKAGE = "vietnamadminunits"

SOURCE_B = (
    "post2025_lam_dong_communes.geojson: github.com/thanglequoc/vietnamese-provinces-database "
    "at cd58063 (repository MIT; geometry fetched from sapnhap.bando.com.vn, whose terms of use "
    "apply), coverage-simplified to 10 m there; simplified again by scripts/build_lamdong.py "
    "(coverage_simplify, tolerance {tol:g} m in EPSG:5899); formed from, as Bando names them: "
    "{formed}; predecessor codes (replaces) and the province before 2025 they were in "
    "(zone_prov) from {pkg} {ver} (MIT)"
)


# --------------------------------------------------------------------------------------------
# The national list and the old → new mapping (vietnamadminunits)

def package_lineage() -> dict[str, Any]:
    """What the package gives for the new Lâm Đồng: ``units`` {new code: {name, type,
    old: [old GSO codes]}}, ``provinces`` (the old province codes merged into 68) and the
    national counts. The package has no polygons.
    """
    import importlib.metadata

    from vietnamadminunits.converter import converter_2025 as conv
    from vietnamadminunits.database import query

    national = query("SELECT count(DISTINCT provinceCode) AS p, count(DISTINCT wardCode) AS u "
                     "FROM admin_units")[0]
    check(national["p"] == EXPECTED["provinces"], f"{PACKAGE}: {national['p']} provinces")
    check(national["u"] == EXPECTED["national_units"], f"{PACKAGE}: {national['u']} units")
    new_rows = query("SELECT provinceKey, provinceCode, ward, wardType, wardKey, wardCode "
                     "FROM admin_units WHERE provinceCode = '" + PROV + "'")
    pkey = {r["provinceKey"] for r in new_rows}
    check(len(pkey) == 1, f"{PACKAGE}: one province key for {PROV}")
    prov_key = pkey.pop()
    legacy = query("SELECT provinceKey, provinceCode, districtKey, wardKey, wardCode "
                   "FROM admin_units_legacy")
    old_code: dict[str, str] = {}
    old_prov: dict[str, str] = {}
    prov_of: dict[str, str] = {}  # old unit key -> its old province code
    for r in legacy:
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey']}"
        check(key not in old_code, f"{PACKAGE}: legacy key {key} twice")
        old_code[key] = r["wardCode"]
        old_prov[r["provinceKey"]] = r["provinceCode"]
        prov_of[key] = r["provinceCode"]
    whole = conv.DICT_PROVINCE_WARD_NO_DIVIDED[prov_key]
    divided = conv.DICT_PROVINCE_WARD_DIVIDED.get(prov_key, {})
    units: dict[str, dict[str, Any]] = {}
    by_key = {r["wardKey"]: r for r in new_rows}
    split_into: dict[str, list[str]] = {}
    for old_key, parts in divided.items():
        for part in parts:
            split_into.setdefault(part["newWardKey"], []).append(old_key)
    for key, r in by_key.items():
        olds = list(whole.get(key, [])) + split_into.get(key, [])
        for k in olds:
            check(k in old_code, f"{PACKAGE}: old unit {k} not in the legacy list")
        units[r["wardCode"]] = {"name": r["ward"], "type": r["wardType"],
                                "old": sorted({old_code[k] for k in olds}),
                                "split": sorted({old_code[k] for k in split_into.get(key, [])}),
                                "old_provinces": sorted({prov_of[k] for k in olds})}
    return {"units": units, "version": importlib.metadata.version(PACKAGE),
            "provinces": sorted(old_prov[k] for k in conv.DICT_PROVINCE[prov_key]),
            "national": national}


# --------------------------------------------------------------------------------------------
# Measuring

def zone_prov(old_provinces: list[str], code: str) -> str:
    """The pre-2025 province a new unit lies in (its VN-2000 zone, ntmgeo/zoning.py): the one
    province all its predecessors were in. Each of the 124 has exactly one; a unit formed
    across two would need a rule, and stops the build instead.
    """
    check(len(old_provinces) == 1, f"{code}: predecessors in provinces {old_provinces}")
    return old_provinces[0]


def pairwise_overlaps(geoms: list[Any], codes: list[str]) -> list[tuple[str, str, float]]:
    """(code, code, m²) for every pair of ``geoms`` (metres) whose interiors intersect."""
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    out = []
    for i, j in zip(left, right, strict=True):
        if i < j:
            area = geoms[i].intersection(geoms[j]).area
            if area > 0:
                out.append((codes[i], codes[j], area))
    return sorted(out)


def holes(union: Any) -> list[float]:
    """Areas (m²) of the interior rings of ``union``: places no unit covers."""
    return sorted(shapely.Polygon(r).area for p in polygons_of(union) for r in p.interiors)


def fmt_m2(values: list[float]) -> str:
    return " + ".join(f"{v:,.1f}" for v in values) if values else "none"


# --------------------------------------------------------------------------------------------
# Features

def schema_fields() -> list[dict[str, Any]]:
    with open(ROOT / "layers" / "admin_units.yml", encoding="utf-8") as f:
        fields: list[dict[str, Any]] = yaml.safe_load(f)["fields"]
    return fields


def schema_frame(rows: list[dict[str, Any]]) -> gpd.GeoDataFrame:
    """GeoDataFrame with exactly the admin_units schema's fields, in its order."""
    fields = schema_fields()
    cols = [f["name"] for f in fields]
    data = {}
    for r in rows:
        check(not (set(r) - set(cols) - {"geometry"}), f"fields not in the schema: {r.keys()}")
    for fld in fields:
        vals = [r.get(fld["name"]) for r in rows]
        if fld.get("required"):
            check(all(v not in (None, "") for v in vals), f"{fld['name']} is required")
        allowed = {a["value"] for a in fld.get("allowed") or []}
        if allowed:
            check(all(v is None or v in allowed for v in vals), f"{fld['name']}: not allowed")
        dtype = "Int64" if fld["type"] == "integer" else object
        data[fld["name"]] = pd.array(vals, dtype=dtype)
    return gpd.GeoDataFrame(data, geometry=[r["geometry"] for r in rows], crs=CRS_LL)


def pre2025_units(root: Path) -> list[dict[str, Any]]:
    """The units of the Đam Rông and Đắk Song samples valid to 30/6/2025, as they hold them."""
    rows = []
    cols = {f["name"] for f in schema_fields()}
    for name in PRE2025_SAMPLES:
        frame = gpd.read_file(root / name / "admin_units.geojson", engine="pyogrio")
        frame = frame[frame["valid_to"].astype(str).str.startswith(PRE2025_TO)]
        for _, r in frame.iterrows():
            row = {k: (None if pd.isna(v) else v) for k, v in r.items()
                   if k in cols and k != "geometry"}
            for key in ("valid_from", "valid_to"):
                row[key] = str(row[key])[:10]
            for key in ("population", "population_year"):
                value = row.get(key)
                if value is not None:
                    row[key] = int(value)
            row["source"] = f"{row['source']} (as in data/{name}/admin_units.geojson)"
            row["geometry"] = as_multi(r.geometry)
            rows.append(row)
    return rows


def source_bytes(folder: Path) -> bytes:
    """The boundary file, from ``folder``: as shared, or the gzip copy of this sample."""
    data = ((folder / SOURCE_FILE).read_bytes() if (folder / SOURCE_FILE).exists()
            else gzip.decompress((folder / SOURCE_GZ).read_bytes()))
    check(hashlib.sha256(data).hexdigest() == SOURCE_SHA256, f"{folder}: not the source")
    return data


def read_source(folder: Path) -> gpd.GeoDataFrame:
    return gpd.read_file(io.BytesIO(source_bytes(folder)), engine="pyogrio")


def copy_sources(boundaries: Path, fallback: Path, src_dir: Path) -> None:
    """Copy SOURCES.md byte for byte and the boundary file gzip-compressed into ``src_dir``
    (from ``boundaries``, else ``fallback``); a copy already there that holds the same bytes
    is left as it is.
    """
    folder = boundaries if ((boundaries / SOURCE_FILE).exists()
                            or (boundaries / SOURCE_GZ).exists()) else fallback
    data = source_bytes(folder)
    target = src_dir / SOURCE_GZ
    if not (target.exists() and gzip.decompress(target.read_bytes()) == data):
        target.write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    notes = boundaries / "SOURCES.md" if (boundaries / "SOURCES.md").exists() \
        else fallback / "SOURCES.md"
    if notes.resolve() != (src_dir / "SOURCES.md").resolve():
        shutil.copyfile(notes, src_dir / "SOURCES.md")


def build(boundaries: Path, out_root: Path, data_root: Path) -> dict[str, Any]:
    out = out_root / NAME
    src_dir = out / "sources"
    src_dir.mkdir(parents=True, exist_ok=True)
    copy_sources(boundaries, data_root / NAME / "sources", src_dir)

    pkg = package_lineage()
    raw = read_source(src_dir)
    raw = raw.sort_values("code").reset_index(drop=True)
    codes = list(raw["code"].astype(str))
    check(len(codes) == EXPECTED["units"] and len(set(codes)) == len(codes), "124 unique codes")
    types = Counter(UNIT_TYPES[t] for t in raw["type"])
    for key in ("xa", "phuong", "dac_khu"):
        check(types[key] == EXPECTED[key], f"{types[key]} {key}")
    check(set(codes) == set(pkg["units"]), f"codes differ from {PACKAGE}")
    for c, t, formed in zip(codes, raw["type"], raw["formed_from"], strict=True):
        check(pkg["units"][c]["type"] == t, f"{c}: type {t} but {pkg['units'][c]['type']}")
        # Bando's names of the predecessors and the package's codes: as many of each.
        bando = [n for n in str(formed or "").split(",") if n.strip()]
        check(len(bando) == len(pkg["units"][c]["old"]),
              f"{c}: Bando names {len(bando)} predecessors, {PACKAGE} {pkg['units'][c]['old']}")

    # ---- measure the source, simplify together, measure again -----------------------------
    src_m = list(raw.to_crs(CRS_M).geometry)
    src_union = shapely.union_all(src_m)
    simple = list(shapely.coverage_simplify(np.asarray(src_m, dtype=object), TOLERANCE_M,
                                            simplify_boundary=True))
    displacement = [shapely.hausdorff_distance(a, b) for a, b in zip(src_m, simple, strict=True)]
    area_change = [b.area - a.area for a, b in zip(src_m, simple, strict=True)]
    fig: dict[str, Any] = {
        "vertices_source": int(shapely.get_num_coordinates(np.asarray(src_m)).sum()),
        "vertices_written": int(shapely.get_num_coordinates(np.asarray(simple)).sum()),
        "overlaps_source": pairwise_overlaps(src_m, codes),
        "holes_source": holes(src_union),
        "area_source": sum(g.area for g in src_m),
        "displacement_max": max(displacement),
        "displacement_mean": float(np.mean(displacement)),
        "area_change_max": max(abs(a) for a in area_change),
        "invalid_edges_source": int(sum(1 for g in shapely.coverage_invalid_edges(
            np.asarray(src_m)) if not g.is_empty)),
        "types": types, "package": pkg,
    }

    # ---- features -------------------------------------------------------------------------
    # On the 6-decimal grid before writing (GDAL's rounding would turn a part that collapses
    # into a line, and the union of the units into a GeometryCollection).
    ll = [shapely.set_precision(g, GRID_LL) for g in
          gpd.GeoSeries(simple, crs=CRS_M).to_crs(CRS_LL).values]
    rows: list[dict[str, Any]] = []
    units = []
    for (_, r), geom in zip(raw.iterrows(), ll, strict=True):
        c = str(r["code"])
        aliases = []
        for a in (r["full_name"], r["bando_name"], r["name_en"]):
            if a and a != r["name"] and a not in aliases:
                aliases.append(a)
        formed = str(r["formed_from"] or "").strip()
        units.append(dict(
            code=c, level="commune", unit_type=UNIT_TYPES[r["type"]], name=r["name"],
            aliases="|".join(aliases), parent_code=PROV, prov_code=PROV, valid_from=VALID_FROM,
            valid_to=None, replaces="|".join(pkg["units"][c]["old"]) or None,
            zone_prov=zone_prov(pkg["units"][c]["old_provinces"], c),
            source=SOURCE_B.format(tol=TOLERANCE_M, formed=formed or "(none given)",
                                   pkg=PACKAGE, ver=pkg["version"]),
            geometry=as_multi(geom)))
    province = shapely.normalize(shapely.set_precision(
        shapely.union_all([u["geometry"] for u in units]), GRID_LL))
    rows.append(dict(
        code=PROV, level="province", name="Lâm Đồng", aliases="Tỉnh Lâm Đồng|Lam Dong",
        parent_code=None, prov_code=PROV, valid_from=VALID_FROM, valid_to=None,
        replaces="|".join(pkg["provinces"]),
        source=("union of its 124 units (see them); the old provinces it replaces (Lâm Đồng 68, "
                f"Đắk Nông 67, Bình Thuận 60) from {PACKAGE} {pkg['version']} (MIT)"),
        geometry=as_multi(province)))
    rows += units
    rows += pre2025_units(data_root)
    gdf = schema_frame(rows)
    path = out / "admin_units.geojson"
    write_geojson(gdf, path, 6)

    # ---- read back (6-decimal coordinates) and measure what is written --------------------
    back = gpd.read_file(path, engine="pyogrio")
    new = back[back["valid_from"].astype(str).str.startswith(VALID_FROM)
               & (back["level"] == "commune")].to_crs(CRS_M)
    geoms, wcodes = list(new.geometry), list(new["code"])
    check(len(geoms) == EXPECTED["units"], "124 units written")
    fig["overlaps_written"] = pairwise_overlaps(geoms, wcodes)
    union_w = shapely.union_all(geoms)
    fig["holes_written"] = holes(union_w)
    fig["area_written"] = sum(g.area for g in geoms)
    fig["parts"] = len(polygons_of(union_w))
    prov_w = back[back["level"] == "province"].to_crs(CRS_M).geometry.iloc[0]
    fig["province_vs_union"] = prov_w.symmetric_difference(union_w).area
    fig["features"] = len(back)
    fig["pre2025"] = int(back["valid_to"].astype(str).str.startswith(PRE2025_TO).sum())
    fig["size"] = path.stat().st_size
    fig["names"] = dict(zip(wcodes, new["name"], strict=True))
    fig["replaces"] = {c: pkg["units"][c]["old"] for c in wcodes}
    fig["split"] = sorted({o for c in wcodes for o in pkg["units"][c]["split"]})

    readme = out / "README.md"
    text = readme.read_text(encoding="utf-8") if readme.exists() else f"{BEGIN}\n{END}\n"
    check(BEGIN in text and END in text, f"{readme}: figure markers missing")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    readme.write_text(head + BEGIN + "\n" + figures_md(fig) + END + tail, encoding="utf-8")
    print(f"{NAME}: {path} ({len(back)} features, {fig['size'] / 1e6:.2f} MB, sha256 "
          f"{hashlib.sha256(path.read_bytes()).hexdigest()[:16]})")
    return fig


def figures_md(fig: dict[str, Any]) -> str:
    pkg = fig["package"]
    t = fig["types"]
    ov_s, ov_w = fig["overlaps_source"], fig["overlaps_written"]
    hs, hw = fig["holes_source"], fig["holes_written"]
    names = fig["names"]
    unmapped = sorted(c for c, old in fig["replaces"].items() if not old)
    lines = [
        f"Figures printed by `scripts/build_lamdong.py` (areas in {CRS_M}; coordinates to 6 "
        f"decimals; {fig['features']} features written, {fig['size'] / 1e6:.2f} MB):",
        "",
        f"- **Units from 1/7/2025:** {sum(t.values())}: {t['xa']} xã, {t['phuong']} phường, "
        f"{t['dac_khu']} đặc khu; the province 68 is their union "
        f"(symmetric difference {fig['province_vs_union']:.3f} m²; {fig['parts']} parts).",
        f"- **{PACKAGE} {pkg['version']}:** {pkg['national']['p']} provinces, "
        f"{pkg['national']['u']:,} units nationally; province 68 merges the old "
        f"{', '.join(pkg['provinces'])}; its 124 codes and types agree with the source; "
        f"{len(fig['replaces']) - len(unmapped)} of 124 units have predecessors mapped "
        f"({sum(len(v) for v in fig['replaces'].values())} links)"
        + (f"; none for {', '.join(unmapped)}" if unmapped else "")
        + "; for every unit as many as Bando's `formed_from` names; old units split between "
        f"new ones (in the `replaces` of each): {', '.join(fig['split']) or 'none'}.",
        f"- **Simplification:** `shapely.coverage_simplify`, tolerance {TOLERANCE_M:g} m, "
        f"`simplify_boundary=True`: {fig['vertices_source']:,} → {fig['vertices_written']:,} "
        f"vertices; boundary displacement (Hausdorff, per unit) max "
        f"{fig['displacement_max']:.1f} m, mean {fig['displacement_mean']:.1f} m; largest change "
        f"of a unit's area {fig['area_change_max']:,.0f} m².",
        f"- **Before 1/7/2025:** {fig['pre2025']} units of the Đam Rông and Đắk Song samples "
        "(their districts and communes, as those samples hold them).",
        f"- **Area:** source {fig['area_source'] / 1e6:,.2f} km², written "
        f"{fig['area_written'] / 1e6:,.2f} km².",
        "",
        "| defect (not repaired) | the source | as written |",
        "|---|---|---|",
        f"| pairwise overlaps | {len(ov_s)} pair(s): {fmt_m2([a for *_, a in ov_s])} m² | "
        f"{len(ov_w)} pair(s): {fmt_m2([a for *_, a in ov_w])} m² |",
        f"| gaps (holes of the union) | {len(hs)}, {sum(hs):,.1f} m² in all (largest "
        f"{max(hs, default=0):,.1f} m²) | {len(hw)}, {sum(hw):,.1f} m² in all (largest "
        f"{max(hw, default=0):,.1f} m²) |",
        f"| units with unmatched edges (`coverage_invalid_edges`) | "
        f"{fig['invalid_edges_source']} | — |",
        "",
        "Overlapping pairs as written: " + ("; ".join(
            f"{names[a]} ({a}) / {names[b]} ({b}) {v:,.1f} m²" for a, b, v in ov_w) or "none")
        + ".",
        "",
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the Lâm Đồng sample (2025 reform).")
    parser.add_argument("--boundaries", type=Path, default=SHARED,
                        help="folder of post2025_lam_dong_communes.geojson (default: "
                             "%(default)s; falls back to data/lamdong/sources/)")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    fig = build(args.boundaries, args.out, ROOT / "data")
    print(figures_md(fig))
    return 0


if __name__ == "__main__":
    sys.exit(main())
