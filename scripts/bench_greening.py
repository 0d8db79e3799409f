"""Benchmark of indicator 2.3 (road greening): ntmgeo.indicators.roads.tree_lined.

Not a test: it prints timings, it asserts nothing. Usage::

    python scripts/bench_greening.py --scale province          # + the desktop-GIS baseline
    python scripts/bench_greening.py --scale national --from-gpkg

The synthetic layers come from a fixed-seed generator (same seed, same layers): per district,
district roads drawn as random walks (codes ĐH41... repeating across districts, some roads in
two features); along them tree rows on both sides as offset substrings of the road, split
into pieces, some reversed, some surveyed again, some GPS tracks with noise, stretches
recorded one point per tree, and a few rows far from every road. The layers are stored in
EPSG:4326, as an ntmgeo store holds them, and measured in a projected CRS (EPSG:5899 at
province scale, EPSG:32648 at national scale).

Each measured run happens in a fresh Python process that loads the layers (pickled, or from a
GeoPackage with ``--from-gpkg``) and calls the computation once; its peak memory is that
process's ``ru_maxrss`` (loaded layers included). Methods:

* ``ntmgeo``: ``tree_lined(roads, surveys, crs=...)`` on layers already loaded (EPSG:4326,
  so the reprojection is timed) and on layers already in the measuring CRS;
* ``ntmgeo from GeoPackage``: read both layers with pyogrio, reproject, compute;
* ``baseline``: what a desktop GIS does (province scale, both input CRSs): buffer the road
  features by the tolerance, intersect (``gpd.overlay``) the survey lines with the buffers,
  dissolve per road (district and code) and measure. It counts both sides and every repeated
  row (and no single trees): its over-count factor is printed.

The generated layers are kept in ``/tmp/ntmgeo-bench-<scale>-<seed>/`` and reused; delete
that folder to regenerate them.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

SCALES = {
    # districts, km of district roads, survey features, measuring CRS, where the districts lie
    # (lower-left corner and extent, in metres of that CRS)
    "province": {"districts": 12, "road_km": 1_500.0, "features": 25_000, "crs": "EPSG:5899",
                 "origin": (520_000.0, 1_300_000.0), "span": (110_000.0, 110_000.0)},
    "national": {"districts": 700, "road_km": 60_000.0, "features": 1_000_000,
                 "crs": "EPSG:32648", "origin": (230_000.0, 1_000_000.0),
                 "span": (560_000.0, 1_500_000.0)},
}
SEED = 20240331
STEP_M = 30.0  # road vertex spacing


# --------------------------------------------------------------------------------------------
# Synthetic layers


def _random_walk(rng: np.random.Generator, start: np.ndarray, length: float) -> np.ndarray:
    n = max(2, int(length / STEP_M) + 1)
    turn = rng.normal(0.0, np.radians(7.0), n - 1)
    bends = rng.random(n - 1) < 0.01  # an occasional sharp bend
    turn[bends] += rng.choice([-1, 1], bends.sum()) * np.radians(rng.uniform(40, 80, bends.sum()))
    heading = rng.uniform(0, 2 * np.pi) + np.cumsum(turn)
    steps = np.column_stack([np.cos(heading), np.sin(heading)]) * STEP_M
    return np.vstack([start, start + np.cumsum(steps, axis=0)])


def _normals(xy: np.ndarray) -> np.ndarray:
    d = np.diff(xy, axis=0)
    d /= np.hypot(d[:, 0], d[:, 1])[:, None]
    t = np.vstack([d[:1], d[:-1] + d[1:], d[-1:]])
    t /= np.hypot(t[:, 0], t[:, 1])[:, None]
    return np.column_stack([-t[:, 1], t[:, 0]])  # left of the direction of travel


class _Road:
    def __init__(self, xy: np.ndarray) -> None:
        self.xy = xy
        self.s = np.r_[0.0, np.cumsum(np.hypot(*np.diff(xy, axis=0).T))]
        self.n = _normals(xy)
        self.length = float(self.s[-1])

    def offset(self, s0: float, s1: float, d: float, spacing: float | None = None) -> np.ndarray:
        """Substring s0..s1 moved ``d`` metres to the left (right if negative)."""
        if spacing:
            s = np.linspace(s0, s1, max(2, int((s1 - s0) / spacing) + 1))
        else:
            inner = self.s[(self.s > s0) & (self.s < s1)]
            s = np.r_[s0, inner, s1]
        x, y = np.interp(s, self.s, self.xy[:, 0]), np.interp(s, self.s, self.xy[:, 1])
        nx, ny = np.interp(s, self.s, self.n[:, 0]), np.interp(s, self.s, self.n[:, 1])
        return np.column_stack([x + d * nx, y + d * ny])


def _pieces(rng: np.random.Generator, s0: float, s1: float) -> list[tuple[float, float]]:
    """Split s0..s1 into pieces of 30-150 m, some overlapping by a few metres."""
    cuts = [s0]
    while cuts[-1] < s1:
        cuts.append(min(s1, cuts[-1] + rng.uniform(30, 150)))
    out = []
    for a, b in zip(cuts[:-1], cuts[1:], strict=True):
        out.append((max(s0, a - rng.uniform(0, 8)) if rng.random() < 0.3 else a, b))
    return out


def generate(scale: str, seed: int = SEED) -> tuple[dict, dict]:
    """Roads and surveys as plain columns (coordinates in metres, the scale's CRS)."""
    spec = SCALES[scale]
    rng = np.random.default_rng(seed)
    n_d = spec["districts"]
    cols = int(np.ceil(np.sqrt(n_d * spec["span"][0] / spec["span"][1])))
    rows = int(np.ceil(n_d / cols))
    cell = np.array([spec["span"][0] / cols, spec["span"][1] / rows])
    per_district = spec["road_km"] * 1000 / n_d
    roads: dict[str, list] = {"dist_code": [], "road_code": [], "road_class": [], "coords": []}
    road_objs: list[tuple[str, str, _Road]] = []
    for d in range(n_d):
        dist = f"{600 + d:03d}"
        centre = np.array(spec["origin"]) + cell * (np.array([d % cols, d // cols]) + 0.5)
        left, k = per_district, 0
        while left > 100:
            length = min(left, rng.uniform(3_000, 15_000))
            left -= length
            start = centre + rng.uniform(-0.3, 0.3, 2) * cell
            road = _Road(_random_walk(rng, start, length))
            code = f"ĐH{41 + k}"
            k += 1
            road_objs.append((dist, code, road))
            if rng.random() < 0.1:  # digitised as two features
                cut = len(road.xy) // 2
                parts = [road.xy[: cut + 1], road.xy[cut:]]
            else:
                parts = [road.xy]
            for part in parts:
                roads["dist_code"].append(dist)
                roads["road_code"].append(code)
                roads["road_class"].append("ĐH")
                roads["coords"].append(part)
    total_len = sum(r.length for _, _, r in road_objs)
    surveys: dict[str, list] = {"survey_id": [], "side": [], "survey_date": [], "coords": [],
                                "point": []}
    counter = [0]

    def add(coords: np.ndarray, side: str, date: str, point: bool = False) -> None:
        counter[0] += 1
        surveys["survey_id"].append(f"sv-{counter[0]:07d}")
        surveys["side"].append(side)
        surveys["survey_date"].append(date)
        surveys["coords"].append(coords)
        surveys["point"].append(point)

    target = spec["features"]
    for _dist, _code, road in road_objs:
        budget = counter[0] + target * road.length / total_len
        while counter[0] < budget:
            s0 = rng.uniform(0, road.length * 0.9)
            s1 = min(road.length, s0 + rng.uniform(200, 2_500))
            date = f"202{rng.integers(2, 5)}-{rng.integers(1, 13):02d}-{rng.integers(1, 29):02d}"
            kind = rng.random()
            if kind < 0.02:  # a row far from every road
                add(road.offset(s0, min(s1, s0 + 400), rng.choice([-1, 1]) * rng.uniform(100, 300)),
                    "unknown", date)
            elif kind < 0.12:  # one point per tree
                sign = rng.choice([-1, 1])
                spacing = rng.uniform(5, 10)
                s = np.arange(s0, min(s1, s0 + 600), spacing)
                s = s[rng.random(s.size) > 0.1]  # some dead trees
                xy = road.xy
                px = np.interp(s, road.s, xy[:, 0]) + sign * 6 * np.interp(s, road.s, road.n[:, 0])
                py = np.interp(s, road.s, xy[:, 1]) + sign * 6 * np.interp(s, road.s, road.n[:, 1])
                noise = rng.normal(0, 1.0, (s.size, 2))
                for p in np.column_stack([px, py]) + noise:
                    add(p, "left" if sign > 0 else "right", date, point=True)
            else:  # tree rows, one or both sides, surveyed one to three times
                sides = [1, -1] if rng.random() < 0.6 else [rng.choice([-1, 1])]
                for sign in sides:
                    for _ in range(rng.choice([1, 2, 3], p=[0.5, 0.3, 0.2])):
                        track = rng.random() < 0.3
                        off = sign * rng.uniform(3, 9)
                        for a, b in _pieces(rng, s0, s1):
                            xy = road.offset(a, b, off, spacing=10.0 if track else None)
                            if track:
                                xy = xy + rng.normal(0, 1.5, xy.shape)
                            if rng.random() < 0.5:
                                xy = xy[::-1]
                            side = rng.choice(["left" if sign > 0 else "right", "unknown"])
                            add(xy, str(side), date)
    keep = np.sort(rng.permutation(counter[0])[:target])  # exactly the target count
    surveys = {k: [v[i] for i in keep] for k, v in surveys.items()}
    return roads, surveys


def to_frames(roads: dict, surveys: dict, crs: str):
    """GeoDataFrames (EPSG:4326, as a store holds them) from the generated columns."""
    import geopandas as gpd
    import shapely

    def lines(coord_list: list[np.ndarray]) -> np.ndarray:
        sizes = np.array([len(c) for c in coord_list])
        return shapely.linestrings(np.vstack(coord_list), indices=np.repeat(np.arange(sizes.size),
                                                                            sizes))

    r = gpd.GeoDataFrame({k: roads[k] for k in ("dist_code", "road_code", "road_class")},
                         geometry=lines(roads["coords"]), crs=crs)
    is_point = np.array(surveys["point"])
    geoms = np.empty(is_point.size, dtype=object)
    pts = [c for c, p in zip(surveys["coords"], is_point, strict=True) if p]
    if pts:
        geoms[is_point] = shapely.points(np.vstack(pts))
    geoms[~is_point] = lines([c for c, p in zip(surveys["coords"], is_point, strict=True)
                              if not p])
    s = gpd.GeoDataFrame({k: surveys[k] for k in ("survey_id", "side", "survey_date")},
                         geometry=geoms, crs=crs)
    return r.to_crs("EPSG:4326"), s.to_crs("EPSG:4326")


# --------------------------------------------------------------------------------------------
# Measured runs (each in a fresh process)


def _status_mb(field: str) -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _baseline(roads, surveys, crs: str, tolerance: float) -> dict:
    """The desktop-GIS way: buffer the roads, overlay the survey lines, dissolve, measure."""
    import geopandas as gpd

    r = roads.to_crs(crs)
    s = surveys.to_crs(crs)
    lines = s[s.geom_type.isin(["LineString", "MultiLineString"])]
    zones = gpd.GeoDataFrame(r[["dist_code", "road_code"]], geometry=r.buffer(tolerance), crs=crs)
    clipped = gpd.overlay(lines[["survey_id", "geometry"]], zones, how="intersection",
                          keep_geom_type=True)
    per_road = clipped.dissolve(by=["dist_code", "road_code"]).length
    length = float(r.length.sum())
    greened = float(per_road.sum())
    return {"length_km": length / 1000, "greened_km": greened / 1000,
            "ratio": greened / length}


def child(method: str, workdir: Path, scale: str) -> None:
    """Load the layers, run one method once, print one JSON line."""
    import gc

    import geopandas as gpd

    from ntmgeo.indicators import roads as ind

    crs = SCALES[scale]["crs"]
    if method == "gpkg":
        gc.collect()
        rss = _status_mb("VmRSS")
        t0 = time.perf_counter()
        roads = gpd.read_file(workdir / "layers.gpkg", layer="roads", engine="pyogrio")
        surveys = gpd.read_file(workdir / "layers.gpkg", layer="surveys", engine="pyogrio")
        out = ind.tree_lined(roads, surveys, crs=crs)["total"]
    else:
        name = "layers-projected.pickle" if method.endswith("-projected") else "layers.pickle"
        with (workdir / name).open("rb") as fh:
            roads, surveys = pickle.load(fh)
        gc.collect()
        rss = _status_mb("VmRSS")
        t0 = time.perf_counter()
        if method.startswith("baseline"):
            out = _baseline(roads, surveys, crs, ind.DEFAULT_TOLERANCE_M)
        else:
            out = ind.tree_lined(roads, surveys, crs=crs)["total"]
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"method": method, "wall_s": wall, "peak_mb": peak, "rss_before_mb": rss,
                      "features": len(surveys), "length_km": out["length_km"],
                      "greened_km": out["greened_km"], "ratio": out["ratio"]}))


def run_child(method: str, workdir: Path, scale: str) -> dict:
    cmd = [sys.executable, __file__, "--child", method, "--workdir", str(workdir),
           "--scale", scale]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode:
        sys.stderr.write(done.stderr)
        msg = f"{method} run failed"
        raise SystemExit(msg)
    return json.loads(done.stdout.strip().splitlines()[-1])


# --------------------------------------------------------------------------------------------
# Report


def machine() -> str:
    import geopandas
    import shapely

    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    ram = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            ram = f"{int(line.split()[1]) / 1024 ** 2:.1f} GiB"
    return (f"Machine: {cpu}, {os.cpu_count()} cores, {ram} RAM; Python "
            f"{platform.python_version()}, shapely {shapely.__version__} (GEOS "
            f"{shapely.geos_version_string}), numpy {np.__version__}, geopandas "
            f"{geopandas.__version__}")


LABELS = {"ntmgeo": "ntmgeo tree_lined (layers in EPSG:4326)",
          "ntmgeo-projected": "ntmgeo tree_lined (layers in measuring CRS)",
          "gpkg": "ntmgeo from GeoPackage (read + reproject + compute)",
          "baseline": "baseline: buffer + overlay + dissolve (layers in EPSG:4326)",
          "baseline-projected": "baseline: buffer + overlay + dissolve (layers in measuring CRS)"}


def table(scale: str, results: list[dict]) -> str:
    lines = ["| scale | roads km | survey features | method | wall s | features/s | peak MB | "
             "greened km | ratio |", "|---|---:|---:|---|---:|---:|---:|---:|---:|"]
    for r in results:
        lines.append(
            f"| {scale} | {r['length_km']:,.0f} | {r['features']:,} | {LABELS[r['method']]} | "
            f"{r['wall_s']:.2f} | {r['features'] / r['wall_s']:,.0f} | {r['peak_mb']:,.0f} | "
            f"{r['greened_km']:,.1f} | {r['ratio']:.4f} |")
    return "\n".join(lines)


def prepare(scale: str, workdir: Path, gpkg: bool) -> None:
    workdir.mkdir(parents=True, exist_ok=True)
    layers = workdir / "layers.pickle"
    if not layers.exists():
        t0 = time.perf_counter()
        crs = SCALES[scale]["crs"]
        roads, surveys = to_frames(*generate(scale), crs)
        with layers.open("wb") as fh:
            pickle.dump((roads, surveys), fh, protocol=pickle.HIGHEST_PROTOCOL)
        with (workdir / "layers-projected.pickle").open("wb") as fh:
            pickle.dump((roads.to_crs(crs), surveys.to_crs(crs)), fh,
                        protocol=pickle.HIGHEST_PROTOCOL)
        print(f"generated the {scale} layers in {time.perf_counter() - t0:.0f} s: {workdir}",
              file=sys.stderr)
    if gpkg and not (workdir / "layers.gpkg").exists():
        import pyogrio

        with layers.open("rb") as fh:
            roads, surveys = pickle.load(fh)
        path = workdir / "layers.gpkg"
        t0 = time.perf_counter()
        pyogrio.write_dataframe(roads, path, layer="roads")
        pyogrio.write_dataframe(surveys, path, layer="surveys")
        print(f"wrote {path} in {time.perf_counter() - t0:.0f} s", file=sys.stderr)


def measure(method: str, workdir: Path, scale: str, repeat: int) -> dict:
    """The run with the median wall time of ``repeat`` fresh processes (largest peak shown)."""
    runs = sorted((run_child(method, workdir, scale) for _ in range(repeat)),
                  key=lambda r: r["wall_s"])
    best = dict(runs[len(runs) // 2])
    best["peak_mb"] = max(r["peak_mb"] for r in runs)
    best["rss_before_mb"] = max(r["rss_before_mb"] for r in runs)
    best["walls"] = [round(r["wall_s"], 2) for r in runs]
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", choices=sorted(SCALES), default="province")
    parser.add_argument("--from-gpkg", action="store_true",
                        help="also time reading the layers from a GeoPackage (pyogrio)")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the geopandas baseline at province scale")
    parser.add_argument("--repeat", type=int, default=None,
                        help="fresh processes per method, median shown (default: 3 at province "
                             "scale, 1 at national scale)")
    parser.add_argument("--workdir", type=Path, default=None,
                        help="where the generated layers are kept (default: under /tmp)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    workdir = args.workdir or Path("/tmp") / f"ntmgeo-bench-{args.scale}-{SEED}"
    if args.child:
        child(args.child, workdir, args.scale)
        return
    prepare(args.scale, workdir, args.from_gpkg)
    repeat = args.repeat or (3 if args.scale == "province" else 1)
    methods = ["ntmgeo", "ntmgeo-projected"]
    if args.from_gpkg:
        methods.append("gpkg")
    if args.scale == "province" and not args.no_baseline:
        methods += ["baseline", "baseline-projected"]
    results = [measure(m, workdir, args.scale, repeat) for m in methods]
    print(table(args.scale, results))
    print()
    walls = "; ".join(f"{r['method']}: {r['walls']}" for r in results)
    before = ", ".join(f"{r['method']} {r['rss_before_mb']:,.0f} MB" for r in results)
    print(f"Wall s: median of {repeat} fresh process(es) per method (all runs: {walls}). "
          f"Peak MB: ru_maxrss of that process, loaded layers included (RSS just before the "
          f"timed call: {before}).")
    by = {r["method"]: r for r in results}
    if "baseline" in by:
        ours, base = by["ntmgeo"], by["baseline"]
        print(f"Baseline over-count: {base['greened_km'] / ours['greened_km']:.2f}x the "
              "tree-lined length (it adds up both sides and every repeated row, and cannot use "
              "single trees). Speed-up of ntmgeo over the baseline: "
              f"{base['wall_s'] / ours['wall_s']:.1f}x with the layers in EPSG:4326, "
              f"{by['baseline-projected']['wall_s'] / by['ntmgeo-projected']['wall_s']:.1f}x "
              "with the layers already in the measuring CRS.")
    print(machine())


if __name__ == "__main__":
    main()
