"""User-facing words in Vietnamese (default) and English."""

from __future__ import annotations

import re

from . import settings

__all__ = ["beside_no_road_text", "describe_error", "number", "t"]

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
    "beside_no_road": {
        "vi": "Lưu ý: {n} đối tượng khảo sát ({km} km) không nằm dọc tuyến đường nào đã lưu "
              "(trong phạm vi {tol} m): {ids}. Đã lưu nhưng không được tính vào tỷ lệ trồng cây "
              "cho đến khi có đường tương ứng; kiểm tra lại hệ tọa độ hoặc địa bàn của tệp.",
        "en": "Note: {n} survey features ({km} km) run beside no stored road (within {tol} m): "
              "{ids}. They are stored but count for no road until one is drawn there; check "
              "the file's CRS or district."},
    "beside_roads_all": {"vi": "Mọi đối tượng khảo sát đều nằm dọc tuyến đường đã lưu.",
                         "en": "Every survey feature runs beside a stored road."},
    "beside_no_road_unchecked": {
        "vi": "Kho chưa có tuyến đường nào: chưa kiểm tra được khảo sát có nằm dọc đường không.",
        "en": "The store holds no road: whether the surveys run beside roads was not checked."},
}

_MAX_IDS = 10  # ids listed in one message; the rest are counted


def number(value: float, digits: int = 2, lang: str | None = None) -> str:
    """``value`` with ``digits`` decimals, the Vietnamese way by default ("1.234,50")."""
    text = f"{value:,.{digits}f}"
    if (lang or settings.lang) == "vi":
        text = text.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return text


def beside_no_road_text(result: object, lang: str | None = None) -> str:
    """One sentence on the surveys of an import that run beside no stored road
    (an :class:`ntmgeo.ingest.ImportResult`).
    """
    from .indicators.roads import DEFAULT_TOLERANCE_M

    lost = getattr(result, "beside_no_road", None)
    if not getattr(result, "roads_checked", False) or lost is None:
        return t("beside_no_road_unchecked", lang)
    if not lost["count"]:
        return t("beside_roads_all", lang)
    ids = list(lost["ids"])
    shown = ", ".join(ids[:_MAX_IDS])
    if len(ids) > _MAX_IDS:
        more = {"vi": "và {n} đối tượng khác", "en": "and {n} more"}[lang or settings.lang]
        shown += " " + more.format(n=len(ids) - _MAX_IDS)
    return t("beside_no_road", lang, n=lost["count"], km=number(lost["length_km"], 2, lang),
             tol=number(DEFAULT_TOLERANCE_M, 0, lang), ids=shown)


def t(key: str, lang: str | None = None, **kwargs: object) -> str:
    """The message ``key`` in ``lang`` (default ``settings.lang``), formatted with kwargs."""
    entry = _MESSAGES[key]
    text = entry.get(lang or settings.lang) or entry["en"]
    return text.format(**kwargs) if kwargs else text


# One-line error reasons in Vietnamese: (English pattern, Vietnamese template). The English text
# is what the library raises; the CLI and the web show the Vietnamese one by default.
_REASONS: list[tuple[str, str]] = [
    (r"required value is missing", "thiếu giá trị bắt buộc"),
    (r"required value is missing \(the file has no column (?P<c>.+)\)",
     "thiếu giá trị bắt buộc (tệp không có cột {c})"),
    (r"value (?P<v>.+) is not one of: (?P<l>.+)", "giá trị {v} không thuộc danh sách: {l}"),
    (r"value (?P<v>.+) is not a whole number(?P<r>.*)", "giá trị {v} không phải số nguyên{r}"),
    (r"value (?P<v>.+) is not a number(?P<r>.*)", "giá trị {v} không phải số{r}"),
    (r"value (?P<v>.+) is not a date \(YYYY-MM-DD or DD/MM/YYYY\)",
     "giá trị {v} không phải ngày (YYYY-MM-DD hoặc DD/MM/YYYY)"),
    (r"value (?P<v>.+) is not true/false \(có/không\)", "giá trị {v} không phải có/không"),
    (r"has no geometry", "không có hình học"),
    (r"has an empty geometry", "hình học rỗng"),
    (r"geometry is (?P<g>\w+), layer '(?P<l>\w+)' takes (?P<t>.+)",
     "hình học là {g}, lớp '{l}' chỉ nhận {t}"),
    (r"invalid geometry \((?P<r>.+)\)", "hình học không hợp lệ ({r})"),
    (r"lies outside Vietnam \((?P<b>.+)\): is the file's CRS right\?",
     "nằm ngoài lãnh thổ Việt Nam ({b}): hệ tọa độ của tệp có đúng không?"),
    (r"duplicate identity \((?P<i>.+)\): features (?P<a>\d+) and (?P<b>\d+)",
     "trùng định danh ({i}): đối tượng {a} và {b}"),
    (r"parts of \((?P<i>.+)\) disagree: (?P<r>.+)", "các đoạn của ({i}) không khớp nhau: {r}"),
    (r"a feature with \((?P<i>.+)\) is already stored in layer '(?P<l>\w+)' "
     r"\(use --replace to replace the layer\)",
     "đã có đối tượng ({i}) trong lớp '{l}' (dùng --replace để thay toàn bộ lớp)"),
    (r"file not found", "không tìm thấy tệp"),
    (r"folder does not exist", "thư mục không tồn tại"),
    (r"file is empty", "tệp rỗng"),
    (r"file is (?P<n>\d+) MiB, larger than the limit of (?P<m>\d+) MiB",
     "tệp {n} MiB, vượt giới hạn {m} MiB"),
    (r"cannot be read \((?P<r>.+)\)", "không đọc được ({r})"),
    (r"has no CRS \(no \.prj or CRS declaration\): give it with --crs EPSG:XXXX",
     "không có hệ tọa độ (thiếu tệp .prj): khai báo bằng --crs EPSG:XXXX"),
    (r"unsupported file type '(?P<x>.*)' \(supported: (?P<l>.+)\)",
     "không hỗ trợ loại tệp '{x}' (hỗ trợ: {l})"),
    (r"contains no features", "không có đối tượng nào"),
    (r"GPX holds no track, route or waypoint with coordinates",
     "tệp GPX không có vết, tuyến hay điểm nào có tọa độ"),
    (r"unknown layer '(?P<x>\w+)' \(layers: (?P<l>.+)\)", "không có lớp '{x}' (các lớp: {l})"),
    (r"archive member '(?P<m>.+)' has an unsafe path",
     "tệp '{m}' trong tệp nén có đường dẫn không an toàn"),
    (r"archive holds no shapefile \(\.shp\)", "tệp nén không chứa shapefile (.shp)"),
    (r"(?P<p>.+): no store here \(create one with '(?P<c>.+)'\)",
     "{p}: không có kho dữ liệu (tạo bằng '{c}')"),
    # malformed files and geometry (ntmgeo.io)
    ((r"cannot be read: not an? (?P<f>GPX|KML|GeoJSON|GeoPackage|shapefile)(?: file)? "
      r"\(its content does not match its extension\)"),
     "không đọc được: không phải tệp {f} (nội dung không khớp với đuôi tệp)"),
    (r"cannot be read: file is truncated", "không đọc được: tệp bị cắt cụt (thiếu phần cuối)"),
    (r"cannot be read: the (?P<x>\.shp|\.shx|\.dbf) file is truncated",
     "không đọc được: tệp {x} bị cắt cụt (thiếu phần cuối)"),
    ((r"cannot be read: the (?P<x>\.shx|\.dbf) file is missing "
      r"\(a shapefile needs \.shp, \.shx and \.dbf\)"),
     "không đọc được: thiếu tệp {x} (shapefile cần đủ .shp, .shx và .dbf)"),
    (r"line has only (?P<n>\d+) point \(a line needs at least 2\)",
     "hình học dạng đường chỉ có {n} điểm (một đường cần ít nhất 2 điểm)"),
    (r"line part (?P<k>\d+) has only (?P<n>\d+) point \(a line needs at least 2\)",
     "phần {k} của hình học dạng đường chỉ có {n} điểm (một đường cần ít nhất 2 điểm)"),
    (r"ring has (?P<n>\d+) points? \(a ring needs at least 4, closed\)",
     "vòng của đa giác chỉ có {n} điểm (một vòng cần ít nhất 4 điểm, khép kín)"),
    (r"ring (?P<k>\d+) has (?P<n>\d+) points? \(a ring needs at least 4, closed\)",
     "vòng thứ {k} của đa giác chỉ có {n} điểm (một vòng cần ít nhất 4 điểm, khép kín)"),
    (r"ring is not closed \(its last point differs from its first\)",
     "vòng của đa giác không khép kín (điểm cuối khác điểm đầu)"),
    (r"ring (?P<k>\d+) is not closed \(its last point differs from its first\)",
     "vòng thứ {k} của đa giác không khép kín (điểm cuối khác điểm đầu)"),
    (r"geometry cannot be decoded \((?P<r>.+)\)", "không giải mã được hình học ({r})"),
    (r"not valid WKT", "không phải WKT hợp lệ"),
    (r"not a readable ZIP archive \((?P<r>.+)\)", "không phải tệp nén ZIP đọc được ({r})"),
    (r"archive lacks (?P<x>.+)", "tệp nén thiếu {x}"),
]


def reason(text: str, lang: str | None = None) -> str:
    """An error reason in ``lang``: Vietnamese where the pattern is known, else as raised."""
    if (lang or settings.lang) != "vi":
        return text
    for pattern, template in _REASONS:
        match = re.fullmatch(pattern, text)
        if match:
            return template.format(**match.groupdict())
    return text


def describe_error(exc: Exception, lang: str | None = None) -> str:
    """One line for an ntmgeo error: where (file, feature, field) and why, in ``lang``."""
    lang = lang or settings.lang
    path = getattr(exc, "path", None)
    feature = getattr(exc, "feature", None)
    field = getattr(exc, "field", None)
    why = getattr(exc, "reason", None)
    if why is None:
        return reason(str(exc), lang)
    words = {"feature": "đối tượng", "field": "trường"} if lang == "vi" else \
        {"feature": "feature", "field": "field"}
    where = [str(path)] if path is not None else []
    if feature is not None:
        where.append(f"{words['feature']} {feature}")
    if field is not None:
        where.append(f"{words['field']} '{field}'")
    return ": ".join([*where, reason(why, lang)])
