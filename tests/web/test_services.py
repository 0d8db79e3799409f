"""The web layer's framework-free helpers: parameters, display geometry, chainage, escaping."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon


@pytest.fixture(scope="module")
def services(webpkg):
    import importlib

    return importlib.import_module("ntmgeo_web.services")


@pytest.fixture(scope="module")
def security(webpkg):
    import importlib

    return importlib.import_module("ntmgeo_web.security")


def test_bbox(services):
    assert services.parse_bbox("108,12,108.5,12.5") == (108, 12, 108.5, 12.5)
    assert services.parse_bbox(None) is None and services.parse_bbox("") is None
    for bad in ("1,2,3", "a,b,c,d", "5,5,1,1", "-181,0,0,1", "inf,0,1,1"):
        with pytest.raises(services.ParamError):
            services.parse_bbox(bad)


def test_limit_simplify_date(services):
    assert services.parse_limit("10", 5) == 5 and services.parse_limit(None, 5) is None
    assert services.parse_simplify("0") is None and services.parse_simplify("12.5") == 12.5
    assert services.parse_date("2024-02-29") == "2024-02-29"
    for func, arg in ((services.parse_limit, "-1"), (services.parse_simplify, "nan"),
                      (services.parse_date, "2023-02-29")):
        with pytest.raises(services.ParamError):
            func(arg, 5) if func is services.parse_limit else func(arg)


def test_simplify_keeps_a_coverage_a_coverage(services):
    # two neighbours sharing a wiggly edge, in WGS 84 near Đam Rông
    edge = [(108.05 + 0.0002 * np.sin(i), y) for i, y in enumerate(np.linspace(12.0, 12.1, 200))]
    left = Polygon([(108.0, 12.0), *edge, (108.0, 12.1)])
    right = Polygon([*edge, (108.1, 12.1), (108.1, 12.0)])
    gdf = gpd.GeoDataFrame({"code": ["a", "b"]}, geometry=[left, right], crs="EPSG:4326")
    out = services.simplify_for_display(gdf, 100.0, "EPSG:5899")
    geoms = np.asarray(out.geometry.values)
    assert shapely.get_num_coordinates(geoms).sum() < shapely.get_num_coordinates(
        np.asarray(gdf.geometry.values)).sum() / 3
    assert bool(shapely.coverage_is_valid(geoms))


def test_feature_collection_is_json_ready(services):
    gdf = gpd.GeoDataFrame({"name": ["Đạ K'Nàng"], "n": [np.int64(3)], "x": [np.nan],
                            "tags": [["a", "b"]]},
                           geometry=[shapely.Point(108.123456789, 12.987654321)],
                           crs="EPSG:4326")
    doc = services.feature_collection(gdf, ["name", "n", "x", "tags"])
    text = json.dumps(doc, allow_nan=False)
    feat = json.loads(text)["features"][0]
    assert feat["properties"] == {"name": "Đạ K'Nàng", "n": 3, "x": None, "tags": ["a", "b"]}
    assert feat["geometry"]["coordinates"] == [108.123457, 12.987654]


def test_script_json_cannot_close_its_element(security):
    text = str(security.script_json({"name": "</script><script>alert(1)</script>&"}))
    assert "<" not in text and ">" not in text and "&" not in text.replace("\\u0026", "")
    assert json.loads(text)["name"].startswith("</script>")


def test_tile_origin(security):
    assert security.tile_origin("https://tile.openstreetmap.org/{z}/{x}/{y}.png") == \
        "https://tile.openstreetmap.org"
    assert security.tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png") == \
        "https://*.tile.example.org"
    assert security.tile_origin("") is None
    assert security.tile_origin("/tiles/{z}/{x}/{y}.png") is None  # same origin: 'self'


def test_nonce_added_to_inline_elements_only(security):
    html = '<script src="/a.js"></script><script>x()</script><style>p{}</style><scripts>'
    out = str(security.add_nonce(html, "N"))
    assert out.count('nonce="N"') == 3 and "<scripts>" in out


def test_config_from_environment(webpkg):
    import importlib

    config = importlib.import_module("ntmgeo_web.config")
    cfg = config.load({"DB_PATH": "x"}, environ={
        "NTMGEO_VIEW_REQUIRES_LOGIN": "yes", "NTMGEO_MAX_CONTENT_LENGTH": "1000",
        "NTMGEO_GREENING_OPTIONS": '{"tolerance": 25}', "NTMGEO_TILE_URL": ""})
    assert cfg["VIEW_REQUIRES_LOGIN"] is True and cfg["MAX_CONTENT_LENGTH"] == 1000
    assert cfg["GREENING_OPTIONS"] == {"tolerance": 25} and cfg["TILE_URL"] == ""
    assert cfg["SECRET_KEY"] and cfg["DB_PATH"] == "x"
    with pytest.raises(ValueError, match="NTMGEO_VIEW_REQUIRES_LOGIN"):
        config.load({}, environ={"NTMGEO_VIEW_REQUIRES_LOGIN": "maybe"})


def test_sample_db_path_is_built_once(webpkg, tmp_path):
    first = webpkg.sample_db_path(cache_dir=tmp_path)
    assert first.is_file() and first.parent == tmp_path
    stamp = first.stat().st_mtime_ns
    assert webpkg.sample_db_path(cache_dir=tmp_path) == first
    assert first.stat().st_mtime_ns == stamp
