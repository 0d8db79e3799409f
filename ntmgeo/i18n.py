"""User-facing words in Vietnamese (default) and English."""

from __future__ import annotations

from . import settings

__all__ = ["t"]

_MESSAGES: dict[str, dict[str, str]] = {
    "error": {"vi": "Lỗi", "en": "Error"},
    "internal_error": {"vi": "Lỗi nội bộ (đặt NTMGEO_DEBUG=1 để xem chi tiết)",
                       "en": "Internal error (set NTMGEO_DEBUG=1 for details)"},
    "created": {"vi": "Đã tạo kho dữ liệu {path} (tỉnh {prov}, đo đạc trong {crs})",
                "en": "Created store {path} (province {prov}, measured in {crs})"},
    "sample_loaded": {"vi": "Đã nạp dữ liệu mẫu '{name}':", "en": "Loaded sample '{name}':"},
    "imported": {"vi": "Đã nhập {n} đối tượng vào lớp '{layer}' từ {file}",
                 "en": "Imported {n} features into layer '{layer}' from {file}"},
    "replaced": {"vi": "Đã thay toàn bộ lớp '{layer}' bằng {n} đối tượng từ {file}",
                 "en": "Replaced layer '{layer}' with {n} features from {file}"},
    "layers_valid": {"vi": "Mọi lược đồ lớp hợp lệ: {names}",
                     "en": "All layer schemas are valid: {names}"},
    "unit": {"vi": "Đơn vị", "en": "Unit"},
    "set": {"vi": "Bộ tiêu chí", "en": "Criteria set"},
    "as_of": {"vi": "Tính đến ngày", "en": "As of"},
    "criterion": {"vi": "Tiêu chí", "en": "Criterion"},
    "indicator": {"vi": "Chỉ tiêu", "en": "Indicator"},
    "threshold": {"vi": "Ngưỡng", "en": "Threshold"},
    "value": {"vi": "Giá trị", "en": "Value"},
    "status": {"vi": "Kết quả", "en": "Status"},
    "source": {"vi": "Nguồn", "en": "Source"},
    "met": {"vi": "Đạt", "en": "Met"},
    "unmet": {"vi": "Chưa đạt", "en": "Unmet"},
    "unknown": {"vi": "Chưa có số liệu", "en": "No data"},
    "not_in_catalogue": {"vi": "Chưa có trong danh mục", "en": "Not in the catalogue"},
    "computed": {"vi": "tính từ bản đồ", "en": "computed"},
    "reported": {"vi": "báo cáo", "en": "reported"},
    "summary": {"vi": "Tổng hợp: đạt {im}/{it} chỉ tiêu, {cm}/{ct} tiêu chí",
                "en": "Summary: {im}/{it} indicators, {cm}/{ct} criteria met"},
    "table_summary": {"vi": "Theo bảng số liệu báo cáo: {im}/{it} chỉ tiêu, {cm}/{ct} tiêu chí",
                      "en": "By the reported table: {im}/{it} indicators, {cm}/{ct} criteria"},
    "reported_summary": {"vi": "Phần tổng hợp của văn bản: {im}/{it} chỉ tiêu, {cm}/{ct} tiêu chí",
                         "en": "The document reports: {im}/{it} indicators, {cm}/{ct} criteria"},
    "disagreements": {"vi": "Chênh lệch giữa số liệu báo cáo và kết quả tính:",
                      "en": "Disagreements between reported and computed:"},
    "commune": {"vi": "Xã", "en": "Commune"},
    "code": {"vi": "Mã", "en": "Code"},
    "ntm_level": {"vi": "Mức NTM", "en": "NTM level"},
    "criteria_met": {"vi": "Tiêu chí đạt", "en": "Criteria met"},
    "unmet_criteria": {"vi": "Tiêu chí chưa đạt", "en": "Unmet criteria"},
    "level_not_yet": {"vi": "Chưa đạt chuẩn", "en": "Not yet"},
    "level_ntm": {"vi": "Nông thôn mới", "en": "NTM"},
    "level_ntm_nang_cao": {"vi": "NTM nâng cao", "en": "Advanced NTM"},
    "level_ntm_kieu_mau": {"vi": "NTM kiểu mẫu", "en": "Model NTM"},
    "communes_summary": {"vi": "{ntm}/{n} xã đạt chuẩn NTM trở lên; {nc} xã NTM nâng cao trở lên",
                         "en": "{ntm}/{n} communes NTM or above; {nc} advanced or above"},
    "communes_no_data": {"vi": "{n} xã chưa có số liệu về mức đạt chuẩn tại ngày này",
                         "en": "{n} communes have no reported level on this date"},
    "features": {"vi": "đối tượng", "en": "features"},
    "rows": {"vi": "bản ghi", "en": "rows"},
    "road": {"vi": "Tuyến đường", "en": "Road"},
    "length_km": {"vi": "Dài (km)", "en": "Length (km)"},
    "greened_km": {"vi": "Đã trồng cây (km)", "en": "Tree-lined (km)"},
    "ratio": {"vi": "Tỷ lệ", "en": "Ratio"},
    "stretches": {"vi": "Đoạn đã trồng", "en": "Tree-lined stretches"},
    "longest_gap": {"vi": "Đoạn trống dài nhất", "en": "Longest gap"},
    "greening_total": {
        "vi": "Tổng: {g:.2f}/{l:.2f} km, tỷ lệ {r:.2%} (ngưỡng {thr:.0%}): {status}; "
              "cần trồng thêm {s:.2f} km",
        "en": "Total: {g:.2f}/{l:.2f} km, {r:.2%} (threshold {thr:.0%}): {status}; "
              "{s:.2f} km still to plant"},
    "unmatched": {"vi": "{n} đối tượng khảo sát không nằm dọc tuyến đường nào: {ids}",
                  "en": "{n} survey features run beside no road: {ids}"},
    "writing": {"vi": "Đang ghi {file}", "en": "Writing {file}"},
    "exported": {"vi": "Đã xuất và kiểm tra lại {path} ({crs}):",
                 "en": "Exported and verified {path} ({crs}):"},
    "truncated": {"vi": "  {layer}.{field}: {n} giá trị bị cắt ở 254 byte (giới hạn của "
                        "shapefile; bản GeoPackage giữ đủ)",
                  "en": "  {layer}.{field}: {n} values cut at 254 bytes (the shapefile limit; "
                        "the GeoPackage keeps them whole)"},
    "written": {"vi": "Đã ghi {path}", "en": "Wrote {path}"},
    "serving_sample": {"vi": "Dữ liệu mẫu Đam Rông: {path} (thêm người dùng: ntmgeo user add "
                             "TÊN --db {path})",
                       "en": "Đam Rông sample: {path} (add a user: ntmgeo user add NAME "
                             "--db {path})"},
    "department_title": {"vi": "Chỉ tiêu chưa đạt do '{d}' phụ trách (đến {as_of}):",
                         "en": "Unmet indicators owned by '{d}' (as of {as_of}):"},
    "department_none": {"vi": "  (không có)", "en": "  (none)"},
    "department_unowned": {"vi": "Chỉ tiêu chưa đạt chưa được giao cho phòng nào: {ids}",
                           "en": "Unmet indicators no plan assigns to anyone: {ids}"},
    "recorded": {"vi": "Đã ghi chỉ tiêu {i} của {u}: {v} ({d}) — {m}",
                 "en": "Recorded indicator {i} of {u}: {v} ({d}) — {m}"},
    "none_there": {"vi": "không có đơn vị nào", "en": "no such unit"},
    "no_level": {"vi": "chưa có số liệu: {ids}", "en": "no reported level: {ids}"},
    "no_rollup": {"vi": "Không có mục tiêu nào cho đơn vị {code} tại ngày {as_of}",
                  "en": "No targets for unit {code} on {as_of}"},
    "partial_rollup": {"vi": "  Lưu ý: kho dữ liệu chỉ có {counted}/{n} {level}; tỷ lệ tính trên "
                             "số đơn vị có trong kho",
                       "en": "  Note: the store holds only {counted} of {n} {level} units; "
                             "shares are of those"},
    "progress_greening": {"vi": "Chiều dài đường huyện đã trồng cây xanh, cuối mỗi tháng:",
                          "en": "Tree-lined district-road km, at the end of each month:"},
    "progress_quarters": {"vi": "Chỉ tiêu · tiêu chí đạt, cuối mỗi quý:",
                          "en": "Indicators · criteria met, at the end of each quarter:"},
    "progress_overdue": {"vi": "Công trình, chỉ tiêu quá hạn tại ngày {d}:",
                         "en": "Works and indicators overdue on {d}:"},
    "days": {"vi": "ngày", "en": "days"},
    "covered": {"vi": "Trong tầm phục vụ", "en": "Within reach"},
    "basis": {"vi": "Cơ sở tính", "en": "Basis"},
    "password": {"vi": "Mật khẩu", "en": "Password"},
    "user_added": {"vi": "Đã thêm người dùng {name}", "en": "Added user {name}"},
    "reading": {"vi": "Đọc và kiểm tra {file}", "en": "Reading and checking {file}"},
}


def t(key: str, lang: str | None = None, **kwargs: object) -> str:
    """The message ``key`` in ``lang`` (default ``settings.lang``), formatted with kwargs."""
    entry = _MESSAGES[key]
    text = entry.get(lang or settings.lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text
