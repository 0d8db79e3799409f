"""Benchmark of the web map (not a test): time to serve the map page and its data, and the
bytes transferred, for the Đam Rông sample and for a synthetic province-sized store, beside a
plain Folium page that inlines the same layers.

    python scripts/bench_web.py [--work DIR] [--no-browser] [--keep]

The synthetic province (fixed seed) has 150 communes in 12 districts, about 1,500 km of
district roads, 20,000 survey features (tree rows and single trees) and 500 project sites.
Each store is served on 127.0.0.1 by werkzeug (threaded, as ``ntmgeo serve`` does), and
measured twice: over HTTP (every request the map page makes, in sequence, gzip accepted,
cold = first request after start, warm = repeated) and in Chromium (navigation to the moment
the map has drawn its data, every non-loopback request blocked). Prints a Markdown table and
the machine it ran on. Target: the province page usable within 2 s, under 3 MB transferred.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import importlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, MultiPoint, Point, box

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ntmgeo import datasets, greening, ingest  # noqa: E402
from ntmgeo._resources import load_web  # noqa: E402
from ntmgeo.store.gpkg import GpkgStore  # noqa: E402

SEED = 20240229
CHROMIUM = os.environ.get("NTMGEO_CHROMIUM", "/usr/bin/chromium")


# --------------------------------------------------------------------------------- stores
def sample_store(folder: Path) -> Path:
    path = folder / "sample.gpkg"
    datasets.build_sample(path, "damrong", overwrite=True)
    return path


def _write(folder: Path, name: str, gdf: gpd.GeoDataFrame) -> Path:
    path = folder / f"{name}.geojson"
    gdf.to_file(path, driver="GeoJSON")
    return path


def _walk(rng: np.random.Generator, start: np.ndarray, length_m: float, within: Any,
          step_m: float = 50.0) -> LineString:
    """A smooth random road of ``length_m`` starting at ``start`` (lon/lat), kept inside."""
    deg = step_m / 111_000
    heading = rng.uniform(0, 2 * np.pi)
    pts = [start.copy()]
    for _ in range(int(length_m / step_m)):
        heading += rng.normal(0, 0.12)
        nxt = pts[-1] + deg * np.array([np.cos(heading), np.sin(heading)])
        if not within.contains(Point(nxt)):
            heading += np.pi / 2
            continue
        pts.append(nxt)
    return LineString(pts)


def province_store(folder: Path) -> tuple[Path, str]:
    """The synthetic province; returns its path and the district the panel shows."""
    rng = np.random.default_rng(SEED)
    area = box(107.45, 11.35, 108.95, 12.55)
    seeds = MultiPoint(np.column_stack([rng.uniform(107.45, 108.95, 150),
                                        rng.uniform(11.35, 12.55, 150)]))
    cells = [c.intersection(area) for c in shapely.voronoi_polygons(seeds, extend_to=area).geoms]
    cells = [shapely.segmentize(c, 0.001) for c in cells]  # a vertex every ~100 m
    centroids = np.array([[c.centroid.x, c.centroid.y] for c in cells])
    hubs = centroids[rng.choice(len(cells), 12, replace=False)]
    district_of = np.argmin(((centroids[:, None, :] - hubs[None]) ** 2).sum(-1), axis=1)
    dist_codes = [f"{700 + i}" for i in range(12)]
    rows, geoms = [], []
    for i, code in enumerate(dist_codes):
        mine = [c for c, d in zip(cells, district_of, strict=True) if d == i]
        geoms.append(shapely.union_all(mine))
        rows.append({"code": code, "level": "district", "name": f"Huyện {i + 1}",
                     "valid_from": "2004-01-01", "valid_to": "2025-06-30"})
    for j, (cell, d) in enumerate(zip(cells, district_of, strict=True)):
        geoms.append(cell)
        rows.append({"code": f"{30000 + j}", "level": "commune", "name": f"Xã {j + 1}",
                     "parent_code": dist_codes[d], "valid_from": "2008-01-01",
                     "valid_to": "2025-06-30"})
    units = gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")
    roads_rows, road_geoms = [], []
    total_m, n = 0.0, 0
    while total_m < 1_500_000:
        d = n % 12
        district = units.geometry.iloc[d]
        start = np.array(district.representative_point().coords[0]) + rng.normal(0, 0.03, 2)
        if not district.contains(Point(start)):
            start = np.array(district.representative_point().coords[0])
        line = _walk(rng, start, rng.uniform(6_000, 18_000), district)
        n += 1
        if len(line.coords) < 3:
            continue
        length = gpd.GeoSeries([line], crs="EPSG:4326").to_crs("EPSG:5899").length.iloc[0]
        total_m += length
        roads_rows.append({"dist_code": dist_codes[d], "road_code": f"ĐH{n:03d}",
                           "road_class": "ĐH", "name": f"Đường huyện {n}",
                           "surface": "asphalt_concrete" if rng.random() < 0.6 else "gravel",
                           "official_length_km": round(length / 1000, 2)})
        road_geoms.append(line)
    roads = gpd.GeoDataFrame(roads_rows, geometry=road_geoms, crs="EPSG:4326")
    surveys = _surveys(rng, roads)
    sites = _sites(rng, units, dist_codes)
    path = folder / "province.gpkg"
    store = GpkgStore.create(path, prov_code="68", title="Tỉnh tổng hợp (benchmark)",
                             overwrite=True)
    for name, gdf in (("admin_units", units), ("roads", roads), ("surveys", surveys),
                      ("sites", sites)):
        ingest.import_file(store, name, _write(folder, name, gdf), user="bench")
    chosen = dist_codes[0]
    base = {"unit_code": chosen, "unit_valid_from": "2004-01-01",
            "criteria_set": "vn-district-2021-2025", "as_of": "2024-02-29", "source": "bench"}
    reported = pd.read_csv(ROOT / "data/damrong/reported_district_2024-02-29.csv", dtype=str,
                           keep_default_na=False)
    store.add_records("reported_values", [
        {**base, "indicator_id": r["indicator_id"], "value_text": r["value_text"] or None,
         "met": r["met"] == "true"} for _, r in reported.iterrows()])
    levels = rng.choice(["ntm", "ntm_nang_cao", "ntm_kieu_mau", "not_yet"], 150,
                        p=[0.5, 0.2, 0.05, 0.25])
    store.add_records("unit_status", [
        {"unit_code": f"{30000 + j}", "unit_valid_from": "2008-01-01", "as_of": "2023-12-31",
         "name": f"Xã {j + 1}", "ntm_level": lvl, "criteria_set": "vn-commune-2021-2025",
         "criteria_total": 19,
         "criteria_met": None if lvl != "not_yet" else int(rng.integers(9, 19)),
         "unmet_criteria": None if lvl != "not_yet" else ["11", "10"]}
        for j, lvl in enumerate(levels)])
    return path, chosen


def _surveys(rng: np.random.Generator, roads: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """8,000 tree rows and 12,000 single trees beside the roads (in the measuring CRS)."""
    roads_m = roads.to_crs("EPSG:5899")
    rows, geoms = [], []
    lines_left, trees_left = 8_000, 12_000
    while lines_left or trees_left:
        i = int(rng.integers(len(roads_m)))
        line = roads_m.geometry.iloc[i]
        offset = rng.choice([-6.0, 6.0])
        side = "left" if offset > 0 else "right"
        start = rng.uniform(0, max(line.length - 400, 1))
        date = (dt.date(2023, 1, 1) + dt.timedelta(days=int(rng.integers(0, 600)))).isoformat()
        base = {"dist_code": roads.iloc[i]["dist_code"], "road_code": roads.iloc[i]["road_code"],
                "side": side, "survey_date": date}
        if lines_left:
            seg = shapely.ops.substring(line, start, start + rng.uniform(60, 300))
            row = seg.offset_curve(offset)
            if row.geom_type == "LineString" and not row.is_empty:
                rows.append({**base, "survey_id": f"row-{len(rows)}"})
                geoms.append(row)
                lines_left -= 1
        else:
            for k in range(min(trees_left, int(rng.integers(10, 40)))):
                p = line.interpolate(start + 8 * k)
                rows.append({**base, "survey_id": f"tree-{len(rows)}"})
                geoms.append(Point(p.x, p.y + offset))
                trees_left -= 1
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:5899").to_crs("EPSG:4326")


def _sites(rng: np.random.Generator, units: gpd.GeoDataFrame,
           dist_codes: list[str]) -> gpd.GeoDataFrame:
    kinds = [("bus_station", "2.4"), ("industrial_cluster", "6.1"), ("market", "6.2"),
             ("recycling_model", "7.3"), ("wastewater_works", "7.4"),
             ("waste_collection_point", "7.8")]
    minx, miny, maxx, maxy = units.total_bounds
    rows, geoms = [], []
    for i in range(500):
        kind, ind = kinds[int(rng.integers(len(kinds)))]
        rows.append({"site_id": f"site-{i}", "name": f"Công trình {i}", "site_type": kind,
                     "indicator_id": ind,
                     "status": str(rng.choice(["planned", "under_construction", "completed"])),
                     "deadline": (dt.date(2024, 1, 1) + dt.timedelta(
                         days=int(rng.integers(0, 700)))).isoformat(),
                     "dist_code": dist_codes[i % 12]})
        geoms.append(Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy)))
    return gpd.GeoDataFrame(rows, geometry=geoms, crs="EPSG:4326")


# --------------------------------------------------------------------------------- serving
@contextlib.contextmanager
def serve(app: Any) -> Iterator[str]:
    from werkzeug.serving import make_server

    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{srv.server_port}"
    finally:
        srv.shutdown()
        thread.join(timeout=5)


def page_requests(base: str, cfg: dict[str, Any]) -> list[str]:
    """The requests the map page makes (as static/ntmgeo/map.js does), after the page."""
    from urllib.parse import quote

    d, unit = cfg["as_of"], cfg["unit"]
    poly, line = cfg["simplify"]["polygons"], cfg["simplify"]["roads"]
    urls = [
        f"/api/status?level=district&as_of={d}" + (f"&unit={unit}" if unit else ""),
        f"/api/status?level=commune&as_of={d}",
        f"/api/layers/admin_units?level=commune&as_of={d}&simplify={poly}",
        f"/api/layers/admin_units?level=district&as_of={d}&simplify={poly}"
        + (f"&code={unit}" if unit else ""),
        f"/api/layers/roads?road_class={quote('ĐH')}&simplify={line}",
        f"/api/greening/geometry?simplify={line}", "/api/layers/sites",
    ]
    return [base + u for u in urls]


STATIC = ["/static/ntmgeo/app.css", "/static/ntmgeo/map.css", "/static/ntmgeo/map.js",
          *(f"/static/ntmgeo/map/{m}.js"  # the modules map.js imports
            for m in ("api", "dom", "format", "layers", "page", "panel", "state", "view")),
          "/static/vendor/leaflet/leaflet.js", "/static/vendor/leaflet/leaflet.css",
          "/static/vendor/leaflet.markercluster/leaflet.markercluster.js",
          "/static/vendor/leaflet.markercluster/MarkerCluster.css",
          "/static/vendor/leaflet.markercluster/MarkerCluster.Default.css",
          "/static/vendor/leaflet/images/layers.png"]


def fetch(url: str) -> tuple[int, bytes]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(req, timeout=120) as resp:
        body = resp.read()
        wire = len(body)
        if resp.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        return wire, body


def http_round(base: str) -> dict[str, Any]:
    """Every request of one page view, in sequence: wire bytes and seconds."""
    t0 = time.perf_counter()
    wire, html = fetch(base + "/")
    text = html.decode()
    start = text.index('id="ntmgeo-page">') + len('id="ntmgeo-page">')
    cfg = json.loads(text[start:text.index("</script>", start)])
    page_time = time.perf_counter() - t0
    total = wire
    for url in page_requests(base, cfg) + [base + s for s in STATIC]:
        total += fetch(url)[0]
    return {"page_s": page_time, "all_s": time.perf_counter() - t0, "bytes": total,
            "html_bytes": wire}


def browser_round(browser: Any, url: str, ready_selector: str | None) -> dict[str, Any]:
    context = browser.new_context(viewport={"width": 1366, "height": 860})
    page = context.new_page()
    sizes: list[int] = []
    prefix = url.split("/", 3)[:3]
    origin = "/".join(prefix)
    page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(origin)
               else r.abort())
    page.on("requestfinished", lambda r: sizes.append(_wire_size(r)))
    t0 = time.perf_counter()
    page.goto(url, wait_until="load", timeout=120_000)
    if url == "about:blank":
        context.close()
        return {"usable_s": 0.0, "bytes": 0}
    if ready_selector:
        page.wait_for_selector(ready_selector, state="attached", timeout=120_000)
    elapsed = time.perf_counter() - t0
    page.wait_for_timeout(300)
    context.close()
    return {"usable_s": elapsed, "bytes": sum(sizes)}


def _wire_size(request: Any) -> int:
    try:
        s = request.sizes()
        return int(s["responseBodySize"]) + int(s["responseHeadersSize"])
    except Exception:  # noqa: BLE001 - a size we cannot read counts as nothing
        return 0


# --------------------------------------------------------------------------------- Folium
def plain_folium_page(path: Path, as_of: str, folder: Path, webpkg: Any) -> tuple[Path, float]:
    """A Folium page with the same layers inlined (folium.GeoJson each), unsimplified,
    loading Leaflet from the same vendored files (served by a plain static server).
    """
    import folium

    from ntmgeo import units as units_mod
    from ntmgeo.store import open_store

    t0 = time.perf_counter()
    mapbuild = importlib.import_module("ntmgeo_web.mapbuild")
    store = open_store(path)
    admin = store.read_layer("admin_units")
    valid = units_mod.valid_on(admin, as_of)
    layers = {"communes": valid[valid["level"] == "commune"],
              "districts": valid[valid["level"] == "district"],
              "roads": greening.district_roads(store.read_layer("roads")),
              "sites": store.read_layer("sites")}
    minx, miny, maxx, maxy = layers["communes"].total_bounds
    fmap = mapbuild.LocalMap(location=[(miny + maxy) / 2, (minx + maxx) / 2], zoom_start=10,
                             tiles=None)
    for name, gdf in layers.items():
        gdf = gdf.copy()
        for col in gdf.columns:
            if col != "geometry":
                gdf[col] = gdf[col].map(lambda v: v if v is None or isinstance(
                    v, (str, int, float, bool)) else str(v))
        fields = [c for c in gdf.columns if c != "geometry"][:4]
        folium.GeoJson(gdf, name=name, tooltip=folium.GeoJsonTooltip(fields=fields)
                       ).add_to(fmap)
    folium.LayerControl().add_to(fmap)
    html = fmap.get_root().render()
    elapsed = time.perf_counter() - t0
    out = folder / "static" / "plain.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(html, encoding="utf-8")
    vendor = out.parent / "static" / "vendor"
    if not vendor.exists():
        shutil.copytree(ROOT / "web" / "static" / "vendor", vendor)
    return out, elapsed


def static_app(folder: Path) -> Any:
    from flask import Flask

    app = Flask("plain", static_folder=str(folder / "static"), static_url_path="")

    @app.after_request
    def _gz(resp: Any) -> Any:  # compress like the ntmgeo app does, for a fair comparison
        from flask import request

        if resp.mimetype == "text/html" and "gzip" in request.headers.get("Accept-Encoding", ""):
            resp.direct_passthrough = False
            data = gzip.compress(resp.get_data(), 5)
            resp.set_data(data)
            resp.headers["Content-Encoding"] = "gzip"
        return resp
    return app


# --------------------------------------------------------------------------------- main
def machine() -> str:
    cpu = platform.processor() or "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = "?"
    with contextlib.suppress(OSError):
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f"{kb / 2**20:.0f} GiB"
    chromium = "?"
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True,
                                  timeout=20).stdout.strip().split("\n")[-1]
    return (f"{cpu}, {os.cpu_count()} CPUs, {mem} RAM; {platform.system()} "
            f"{platform.release()}; Python {platform.python_version()}; {chromium}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=None, help="folder for the stores")
    parser.add_argument("--no-browser", action="store_true", help="HTTP timings only")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (median)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ntmgeo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    impl = "ntmgeo.indicators.roads.tree_lined"
    webpkg = load_web()
    t0 = time.perf_counter()
    cases = [("Đam Rông sample", sample_store(work), "")]
    t_sample = time.perf_counter() - t0
    t0 = time.perf_counter()
    prov_path, district = province_store(work)
    cases.append(("synthetic province", prov_path, district))
    t_prov = time.perf_counter() - t0
    browser, pw = None, None
    if not args.no_browser and Path(CHROMIUM).exists():
        try:
            from playwright.sync_api import sync_playwright

            pw = sync_playwright().start()
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        except ImportError:
            browser = None
    results = []
    for label, path, unit in cases:
        cfg = {"DB_PATH": str(path), "SECRET_KEY": "bench", "DISTRICT_CODE": unit}
        web_cold: dict[str, Any] = {}
        web_warm: dict[str, Any] = {}
        ready = "html[data-ready='1']"
        if browser:
            browser_round(browser, "about:blank", None)  # the browser's own start-up
            runs = []
            for _ in range(args.repeat):  # each on a fresh server: nothing cached
                with serve(webpkg.create_app(cfg)) as base:
                    runs.append(browser_round(browser, base + "/", ready))
            web_cold = _median(runs)
        colds, warms = [], []
        for _ in range(args.repeat):
            app = webpkg.create_app(cfg)
            with serve(app) as base:
                colds.append(http_round(base))
                warms.append(http_round(base))
                if browser and len(colds) == args.repeat:
                    web_warm = _median([browser_round(browser, base + "/", ready)
                                        for _ in range(args.repeat)])
                as_of = app.extensions["ntmgeo"].default_as_of()
        cold, warm = _median(colds), _median(warms)
        web_b = {"cold": web_cold, "warm": web_warm} if browser else {}
        plain_path, plain_gen = plain_folium_page(path, as_of, work / label.replace(" ", "_"),
                                                  webpkg)
        with serve(static_app(plain_path.parent.parent)) as pbase:
            plain_wire = fetch(pbase + "/plain.html")[0]
            plain_b = _median([browser_round(browser, pbase + "/plain.html", None)
                               for _ in range(args.repeat)]) if browser else {}
        counts = __import__("ntmgeo.store", fromlist=["open_store"]).open_store(path).counts()
        results.append((label, counts, cold, warm, web_b, plain_gen, plain_path.stat().st_size,
                        plain_wire, plain_b))
    if browser:
        browser.close()
        pw.stop()
    _print(results, impl, t_sample, t_prov)
    if not args.keep and args.work is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def _median(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each measure's median over the runs."""
    return {k: float(np.median([r[k] for r in runs])) for k in runs[0]}


def _mb(n: float) -> str:
    return f"{n / 1e6:.2f} MB"


def _print(results: list[Any], impl: str, t_sample: float, t_prov: float) -> None:
    print("## Web map benchmark\n")
    print(f"Machine: {machine()}  ")
    print(f"Greening computed by: {impl}  ")
    print(f"Stores built in {t_sample:.1f} s (sample) and {t_prov:.1f} s (province). "
          f"Load average at the end: {os.getloadavg()[0]:.1f}. Medians of the runs.\n")
    print("| store | features (communes+districts / roads / surveys / sites) | ntmgeo page: "
          "server, page + all data, cold | warm | bytes transferred (gzip) | in Chromium: "
          "usable after | bytes | plain Folium page: build | size (gzip) | in Chromium: "
          "loaded after |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for label, c, cold, warm, web_b, gen, size, wire, plain_b in results:
        feats = (f"{c.get('admin_units', 0)} / {c.get('roads', 0)} / {c.get('surveys', 0)} / "
                 f"{c.get('sites', 0)}")
        usable = (f"{web_b['cold']['usable_s']:.2f} s cold, {web_b['warm']['usable_s']:.2f} s "
                  "warm") if web_b else "–"
        wbytes = _mb(web_b["cold"]["bytes"]) if web_b else "–"
        ploaded = f"{plain_b['usable_s']:.2f} s" if plain_b else "–"
        print(f"| {label} | {feats} | {cold['all_s']:.2f} s (page {cold['page_s']:.2f} s) | "
              f"{warm['all_s']:.2f} s | {_mb(cold['bytes'])} | {usable} | {wbytes} | "
              f"{gen:.2f} s | {_mb(size)} ({_mb(wire)}) | {ploaded} |")
    print("\nCold: first view after the server starts (greening and status computed, layers "
          "read); warm: the same view again (results cached until the store changes). "
          "'Usable after' is from navigation to the map having drawn all its data in Chromium "
          "(cold: a freshly started server; warm: cached results). Bytes count bodies and "
          "headers as sent; Chromium's include every static file (empty browser cache).")


if __name__ == "__main__":
    sys.exit(main())
