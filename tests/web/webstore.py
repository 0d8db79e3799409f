"""The made-up store of the web tests (imported by conftest, the tests and the bench)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ntmgeo import ingest, users
from ntmgeo.store.gpkg import GpkgStore

HOSTILE = "<img src=x onerror=window.__xss=1>"
PASSWORD = "mật-khẩu-thử-nghiệm"

# A made-up district (code 674) of four square communes, west to east and south to north,
# near Đam Rông. Roads run east-west through the southern communes.
X0, Y0, STEP = 108.10, 12.10, 0.05


def _square(ix: int, iy: int) -> list[list[list[float]]]:
    x, y = X0 + ix * STEP, Y0 + iy * STEP
    return [[[x, y], [x + STEP, y], [x + STEP, y + STEP], [x, y + STEP], [x, y]]]


COMMUNES = [  # code, name, (ix, iy)
    ("90001", "Xã Đông", (0, 0)),
    ("90002", "Xã Tây", (1, 0)),
    ("90003", HOSTILE, (0, 1)),
    ("90004", "Xã Không Số Liệu", (1, 1)),
]


def _feature(geometry: dict[str, Any], **props: Any) -> dict[str, Any]:
    return {"type": "Feature", "properties": props, "geometry": geometry}


def _write(path: Path, features: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features},
                               ensure_ascii=False), encoding="utf-8")
    return path


def _line(x1: float, x2: float, y: float, n: int = 20) -> dict[str, Any]:
    step = (x2 - x1) / n
    return {"type": "LineString", "coordinates": [[x1 + i * step, y] for i in range(n + 1)]}


def build_store(path: Path) -> GpkgStore:
    """The made-up district: 4 communes, 2 district roads and a national road, a survey
    along the western half of ĐH42, 3 sites (one with a hostile name), reported values.
    """
    store = GpkgStore.create(path, prov_code="68", title="Huyện thử nghiệm", overwrite=True)
    folder = path.parent
    ring = [[X0, Y0], [X0 + 2 * STEP, Y0], [X0 + 2 * STEP, Y0 + 2 * STEP], [X0, Y0 + 2 * STEP],
            [X0, Y0]]
    units = [_feature({"type": "Polygon", "coordinates": [ring]}, code="674", level="district",
                      name="Huyện Thử", valid_from="2004-01-01", valid_to="2025-06-30")]
    for code, name, (ix, iy) in COMMUNES:
        units.append(_feature({"type": "Polygon", "coordinates": _square(ix, iy)}, code=code,
                              level="commune", name=name, parent_code="674",
                              valid_from="2008-01-01", valid_to="2025-06-30"))
    y_road = Y0 + 0.02
    roads = [
        _feature(_line(X0 + 0.005, X0 + 0.045, y_road), dist_code="674", road_code="ĐH42",
                 road_class="ĐH", name="Đường ĐH42", from_place="Chợ", to_place="Thôn 1"),
        _feature(_line(X0 + 0.055, X0 + 0.095, y_road), dist_code="674", road_code="ĐH47",
                 road_class="ĐH", name="Đường ĐH47", from_place="Ngã 3", to_place=HOSTILE),
        _feature(_line(X0 + 0.005, X0 + 0.095, Y0 + 0.08), dist_code="674", road_code="QL27",
                 road_class="QL", name="Quốc lộ 27"),
    ]
    surveys = [_feature(_line(X0 + 0.005, X0 + 0.03, y_road + 0.0001, 10), survey_id="sv-1",
                        dist_code="674", road_code="ĐH42", side="both",
                        survey_date="2024-01-10", species="Sao đen")]
    sites = [
        _feature({"type": "Point", "coordinates": [X0 + 0.02, Y0 + 0.03]}, site_id="s1",
                 name="Bến xe khách huyện", site_type="bus_station", indicator_id="2.4",
                 status="planned", deadline="2024-10-30"),
        _feature({"type": "Point", "coordinates": [X0 + 0.07, Y0 + 0.03]}, site_id="s2",
                 name=HOSTILE, site_type="market", indicator_id="6.2",
                 status="under_construction", note=HOSTILE),
        _feature({"type": "Point", "coordinates": [X0 + 0.07, Y0 + 0.07]}, site_id="s3",
                 name="Điểm tập kết rác", site_type="waste_collection_point",
                 indicator_id="7.8", status="completed"),
    ]
    for layer, feats in (("admin_units", units), ("roads", roads), ("surveys", surveys),
                         ("sites", sites)):
        ingest.import_file(store, layer, _write(folder / f"{layer}.geojson", feats),
                           user="fixture")
    base = {"unit_code": "674", "unit_valid_from": "2004-01-01",
            "criteria_set": "vn-district-2021-2025", "as_of": "2024-02-29", "source": "test"}
    store.add_records("reported_values", [
        {**base, "indicator_id": "1.1", "met": True, "value_text": "Đạt"},
        {**base, "indicator_id": "2.3", "value": 26.65, "unit": "%", "met": False},
        {**base, "indicator_id": "2.4", "met": False, "deadline": "2024-10-30"},
        {**base, "indicator_id": "6.2", "met": False},
        {**base, "indicator_id": "7.8", "met": False},
        {**base, "indicator_id": "9.3", "met": False, "value_text": HOSTILE},
    ])
    store.add_records("reported_summaries", [{
        "unit_code": "674", "unit_valid_from": "2004-01-01",
        "criteria_set": "vn-district-2021-2025", "as_of": "2024-02-29", "criteria_met": 4,
        "criteria_total": 9, "indicators_met": 28, "indicators_total": 36,
        "unmet_indicators": ["2.3", "2.4", "6.2"], "source": "test"}])
    sbase = {"unit_valid_from": "2008-01-01", "as_of": "2023-12-31",
             "criteria_set": "vn-commune-2021-2025", "criteria_total": 19, "source": "test"}
    store.add_records("unit_status", [
        {**sbase, "unit_code": "90001", "name": "Xã Đông", "ntm_level": "ntm_kieu_mau"},
        {**sbase, "unit_code": "90002", "name": "Xã Tây", "ntm_level": "not_yet",
         "criteria_met": 18, "unmet_criteria": ["11"]},
        {**sbase, "unit_code": "90003", "name": HOSTILE, "ntm_level": "not_yet",
         "criteria_met": 14, "unmet_criteria": ["10", "11", "15", "17", "5"],
         "note": HOSTILE},
    ])
    users.add_user(store, "lan", PASSWORD)
    return store
