"""Words of the web pages, Vietnamese first, English beside (the CLI's words are in
:mod:`ntmgeo.i18n`; labels of layers and fields come from the layer schemas).
"""

from __future__ import annotations

from typing import Any

from ntmgeo.i18n import _MESSAGES as _core_messages

LANGS = ("vi", "en")
COOKIE = "ntmgeo_lang"

MESSAGES: dict[str, dict[str, str]] = {
    "app_title": {"vi": "Bản đồ nông thôn mới", "en": "New Rural Development map"},
    "nav_map": {"vi": "Bản đồ", "en": "Map"},
    "nav_upload": {"vi": "Tải lên khảo sát", "en": "Upload a survey"},
    "nav_export": {"vi": "Tải shapefile (VN-2000)", "en": "Download shapefiles (VN-2000)"},
    "nav_table": {"vi": "Bảng tiêu chí (XLSX)", "en": "Criteria table (XLSX)"},
    "nav_login": {"vi": "Đăng nhập", "en": "Sign in"},
    "nav_logout": {"vi": "Đăng xuất", "en": "Sign out"},
    "signed_in_as": {"vi": "Người dùng: {name}", "en": "Signed in: {name}"},
    "lang_switch": {"vi": "English", "en": "Tiếng Việt"},
    # layers
    "layer_district": {"vi": "Ranh giới huyện", "en": "District boundary"},
    "layer_communes": {"vi": "Xã theo mức đạt chuẩn", "en": "Communes by NTM status"},
    "layer_roads": {"vi": "Đường huyện: tỷ lệ trồng cây xanh",
                   "en": "District roads: tree-lined share"},
    "layer_stretches": {"vi": "Đoạn đã trồng cây xanh", "en": "Tree-lined stretches"},
    "layer_gaps": {"vi": "Đoạn chưa trồng cây", "en": "Gaps (no trees)"},
    "layer_sites": {"vi": "Công trình, dự án", "en": "Project sites"},
    "basemap": {"vi": "Bản đồ nền", "en": "Basemap"},
    # legend
    "legend": {"vi": "Chú giải", "en": "Legend"},
    "cls_kieu_mau": {"vi": "NTM kiểu mẫu", "en": "Model NTM"},
    "cls_all_met": {"vi": "Đạt đủ 19 tiêu chí (NTM)", "en": "All 19 criteria met (NTM)"},
    "cls_16_19": {"vi": "Đạt 16–18 tiêu chí", "en": "16–18 criteria met"},
    "cls_12_15": {"vi": "Đạt 12–15 tiêu chí", "en": "12–15 criteria met"},
    "cls_lt_12": {"vi": "Đạt dưới 12 tiêu chí", "en": "Fewer than 12 criteria met"},
    "cls_unknown": {"vi": "Chưa có số liệu", "en": "No data"},
    "road_met": {"vi": "Đường đạt ≥ {pct}% trồng cây", "en": "Road ≥ {pct}% tree-lined"},
    "road_unmet": {"vi": "Đường dưới {pct}% trồng cây", "en": "Road below {pct}% tree-lined"},
    "road_unknown": {"vi": "Đường chưa tính được", "en": "Road not computed"},
    "stretch": {"vi": "Đoạn có cây xanh", "en": "Tree-lined stretch"},
    "gap": {"vi": "Đoạn chưa có cây", "en": "Gap"},
    "site_planned": {"vi": "Quy hoạch, chưa khởi công", "en": "Planned"},
    "site_under_construction": {"vi": "Đang thi công", "en": "Under construction"},
    "site_completed": {"vi": "Hoàn thành", "en": "Completed"},
    "site_overdue": {"vi": "Quá hạn", "en": "Overdue"},
    # panel
    "panel_title": {"vi": "Tiêu chí huyện nông thôn mới", "en": "District NTM criteria"},
    "panel_toggle": {"vi": "Bảng tiêu chí", "en": "Criteria"},
    "panel_close": {"vi": "Thu gọn", "en": "Collapse"},
    "apply": {"vi": "Xem", "en": "Show"},
    "latest": {"vi": "Mới nhất", "en": "Latest"},
    "unmet_only": {"vi": "Chỉ hiện chỉ tiêu chưa đạt", "en": "Unmet only"},
    "loading": {"vi": "Đang tải…", "en": "Loading…"},
    "load_error": {"vi": "Không tải được dữ liệu", "en": "Could not load data"},
    "deadline": {"vi": "Thời hạn", "en": "Deadline"},
    "summary": {"vi": "Theo chỉ tiêu: đạt {im}/{it} chỉ tiêu, {cm}/{ct} tiêu chí",
                "en": "From the indicators: {im}/{it} indicators, {cm}/{ct} criteria met"},
    "reported_summary": {"vi": "Văn bản báo cáo: {im}/{it} chỉ tiêu, {cm}/{ct} tiêu chí",
                         "en": "The document reports: {im}/{it} indicators, {cm}/{ct} criteria"},
    "disagreements": {"vi": "Chênh lệch giữa báo cáo và kết quả tính",
                      "en": "Reported vs computed disagreements"},
    "dis_indicator": {"vi": "{id}: báo cáo “{rep}”, kết quả tính “{comp}”",
                      "en": "{id}: reported “{rep}”, computed “{comp}”"},
    "dis_summary": {"vi": "{what}: văn bản ghi {rep}, các chỉ tiêu cho {comp}",
                    "en": "{what}: the document says {rep}, the indicators give {comp}"},
    "dis_indicator_list": {"vi": "{id}: văn bản “{rep}”, bảng chỉ tiêu “{comp}”",
                           "en": "{id}: summary “{rep}”, table “{comp}”"},
    "dis_criterion_list": {"vi": "Tiêu chí {id}: văn bản “{rep}”, theo chỉ tiêu “{comp}”",
                           "en": "Criterion {id}: summary “{rep}”, indicators “{comp}”"},
    "w_not_listed": {"vi": "không nêu", "en": "not listed"},
    "w_not_unmet": {"vi": "không phải chưa đạt", "en": "not unmet"},
    "indicators_met": {"vi": "chỉ tiêu đạt", "en": "indicators met"},
    "criteria_met_w": {"vi": "tiêu chí đạt", "en": "criteria met"},
    "indicators_total": {"vi": "tổng số chỉ tiêu", "en": "indicators in all"},
    "criteria_total": {"vi": "tổng số tiêu chí", "en": "criteria in all"},
    "locate": {"vi": "Xem trên bản đồ", "en": "Show on the map"},
    "no_location": {"vi": "Chỉ tiêu {id} không có vị trí trên bản đồ.",
                    "en": "Indicator {id} has no location on the map."},
    "located": {"vi": "Chỉ tiêu {id}: {n} vị trí trên bản đồ.",
                "en": "Indicator {id}: {n} place(s) on the map."},
    "greening_now": {"vi": "Hiện tại, tính từ khảo sát: {pct} ({g}/{l} km)",
                     "en": "Now, from the surveys: {pct} ({g}/{l} km)"},
    "unmatched": {"vi": "{n} đối tượng khảo sát không nằm dọc tuyến đường huyện nào",
                  "en": "{n} survey features run beside no district road"},
    "reported_was": {"vi": "Báo cáo", "en": "Reported"},
    "greening_date": {"vi": "khảo sát đến {d}", "en": "surveys up to {d}"},
    "greening_all": {"vi": "mọi khảo sát đã lưu", "en": "all stored surveys"},
    "no_district": {"vi": "Không có huyện hợp lệ vào ngày này",
                   "en": "No district valid on this date"},
    # popups
    "ntm_level": {"vi": "Mức đạt chuẩn", "en": "NTM level"},
    "criteria_met": {"vi": "Số tiêu chí đạt", "en": "Criteria met"},
    "no_unmet": {"vi": "Không có tiêu chí chưa đạt", "en": "No unmet criterion"},
    "no_criteria_detail": {"vi": "Chưa có số liệu theo từng tiêu chí",
                           "en": "No per-criterion data"},
    "other_set": {"vi": "Bộ tiêu chí khác", "en": "Other criteria set"},
    "target": {"vi": "Mục tiêu", "en": "Target"},
    "note": {"vi": "Ghi chú", "en": "Note"},
    "road": {"vi": "Đường", "en": "Road"},
    "length": {"vi": "Chiều dài", "en": "Length"},
    "greened": {"vi": "Đã trồng cây", "en": "Tree-lined"},
    "ratio": {"vi": "Tỷ lệ", "en": "Share"},
    "stretches": {"vi": "Các đoạn có cây (lý trình)", "en": "Tree-lined stretches (chainage)"},
    "gaps": {"vi": "Các đoạn chưa có cây", "en": "Gaps"},
    "none": {"vi": "Không có", "en": "None"},
    "site": {"vi": "Công trình", "en": "Site"},
    "site_type": {"vi": "Loại", "en": "Type"},
    "status": {"vi": "Tình trạng", "en": "Status"},
    "grade": {"vi": "Loại, hạng", "en": "Grade"},
    "funding": {"vi": "Nguồn vốn", "en": "Funding"},
    "from_to": {"vi": "Điểm đầu – điểm cuối", "en": "From – to"},
    # upload
    "upload_title": {"vi": "Tải lên khảo sát trồng cây xanh",
                    "en": "Upload a tree-planting survey"},
    "upload_help": {"vi": "Tệp GeoJSON, shapefile nén (.zip), KML, GPX hoặc CSV (cột lon/lat, "
                          "hoặc bảng lý trình: dist_code, road_code, from, to như “Km0+00”). "
                          "Mọi đối tượng được kiểm tra trước khi lưu; nếu có lỗi, không có gì "
                          "được lưu.",
                    "en": "A GeoJSON, zipped shapefile (.zip), KML, GPX or CSV file (lon/lat "
                          "columns, or a chainage table: dist_code, road_code, from, to such as "
                          "“Km0+00”). Every feature is checked before anything is stored; on an "
                          "error nothing is."},
    "upload_file": {"vi": "Tệp khảo sát", "en": "Survey file"},
    "upload_date": {"vi": "Ngày khảo sát (dùng khi tệp không ghi ngày)",
                    "en": "Survey date (used where the file has none)"},
    "upload_crs": {"vi": "Hệ tọa độ, khi tệp không khai báo (ví dụ EPSG:5899)",
                   "en": "CRS, when the file declares none (e.g. EPSG:5899)"},
    "upload_crs_hint": {"vi": ": khai báo bằng ô “Hệ tọa độ” của biểu mẫu (EPSG:…)",
                        "en": ": give it with the form's CRS field (EPSG:…)"},
    "upload_submit": {"vi": "Tải lên", "en": "Upload"},
    "upload_max": {"vi": "Dung lượng tối đa: {mb} MB", "en": "Largest file: {mb} MB"},
    "upload_ok": {"vi": "Đã lưu {n} đối tượng khảo sát từ {file}.",
                  "en": "Stored {n} survey features from {file}."},
    "upload_bad": {"vi": "Tệp không hợp lệ: {reason}", "en": "Invalid file: {reason}"},
    "upload_no_file": {"vi": "chưa chọn tệp", "en": "no file chosen"},
    "upload_bad_type": {"vi": "loại tệp '{ext}' không được hỗ trợ (dùng .geojson, .json, .zip, "
                              ".kml, .gpx, .csv)",
                        "en": "file type '{ext}' is not supported (use .geojson, .json, .zip, "
                              ".kml, .gpx, .csv)"},
    "upload_bad_date": {"vi": "ngày khảo sát '{d}' không đúng dạng YYYY-MM-DD",
                        "en": "survey date '{d}' is not a date (YYYY-MM-DD)"},
    "upload_bad_crs": {"vi": "hệ tọa độ '{crs}' phải có dạng EPSG:số",
                       "en": "CRS '{crs}' must look like EPSG:number"},
    "upload_failed": {"vi": "Lỗi khi lưu, không có gì thay đổi.",
                      "en": "Storing failed; nothing was changed."},
    "back_to_map": {"vi": "Về bản đồ", "en": "Back to the map"},
    # sign in
    "login_title": {"vi": "Đăng nhập", "en": "Sign in"},
    "username": {"vi": "Tên người dùng", "en": "User name"},
    "login_submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "login_failed": {"vi": "Sai tên người dùng hoặc mật khẩu.",
                    "en": "Wrong user name or password."},
    "login_required": {"vi": "Cần đăng nhập để tiếp tục.", "en": "Please sign in to continue."},
    "logged_out": {"vi": "Đã đăng xuất.", "en": "Signed out."},
    # errors
    "err_404": {"vi": "Không tìm thấy trang.", "en": "Page not found."},
    "err_413": {"vi": "Tệp quá lớn: dung lượng tối đa là {mb} MB.",
                "en": "The file is too large: the limit is {mb} MB."},
    "err_csrf": {"vi": "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang "
                       "và thử lại.",
                 "en": "The session expired or the form is not valid. Reload the page and try "
                       "again."},
    "err_500": {"vi": "Lỗi nội bộ của máy chủ.", "en": "Internal server error."},
    "err_generic": {"vi": "Lỗi {code}.", "en": "Error {code}."},
}

# Words shared with the command line come from ntmgeo.i18n (one place for each word).
SHARED = ("table_summary", "as_of", "indicator", "threshold", "value", "source", "met",
          "unmet", "unknown", "not_in_catalogue", "computed", "reported", "commune", "code",
          "unmet_criteria", "password")
MESSAGES.update({k: _core_messages[k] for k in SHARED if k not in MESSAGES})

# Words the map's script needs (sent to the page as JSON).
JS_KEYS = [k for k in MESSAGES if not k.startswith(("upload_", "login_", "err_", "nav_"))]


def t(key: str, lang: str, **kwargs: Any) -> str:
    """The message ``key`` in ``lang``, formatted with ``kwargs``."""
    entry = MESSAGES[key]
    text = entry.get(lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text


def js_messages(lang: str) -> dict[str, str]:
    """The words of the map's script in ``lang``."""
    return {k: t(k, lang) for k in JS_KEYS}
