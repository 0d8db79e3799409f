"""User-facing words in Vietnamese (default) and English: the CLI's words (:data:`_MESSAGES`,
:func:`t`), numbers written the Vietnamese way, and error messages rendered through the gettext
catalogue (:func:`describe_error`, :func:`render`).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from . import settings
from ._errors import InputError, Message

__all__ = ["beside_no_road_text", "describe_error", "number", "render", "t"]

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


# ----------------------------------------------------------------------- error messages
# An error carries a message id (its English template) and parameters
# (:class:`ntmgeo._errors.Message`); the words in each language are in the gettext catalogue
# ntmgeo/locale/<lang>/LC_MESSAGES/ntmgeo.po, read once with Babel. A message the catalogue
# lacks is given in English (tests/test_messages.py sees that none does).
@cache
def _catalogue(lang: str) -> dict[str, str]:
    """``{msgid: msgstr}`` of the error messages in ``lang`` (empty for a language without a
    catalogue).
    """
    from babel.messages.pofile import read_po

    po = files("ntmgeo").joinpath("locale", lang, "LC_MESSAGES", "ntmgeo.po")
    if not po.is_file():
        return {}
    with po.open("rb") as fh:
        catalogue = read_po(fh, locale=lang, domain="ntmgeo")
    return {m.id: m.string for m in catalogue
            if isinstance(m.id, str) and m.id and isinstance(m.string, str) and m.string
            and not m.fuzzy}


def render(message: Message | str, lang: str | None = None) -> str:
    """A message (or a bare message id) in ``lang`` (default ``settings.lang``), formatted with
    its parameters.
    """
    if isinstance(message, str):
        message = Message(message)
    table = _catalogue(lang or settings.lang)
    return message.render(lambda msgid: table.get(msgid, msgid))


def describe_error(exc: Exception, lang: str | None = None) -> str:
    """One line for an ntmgeo error: where (file, feature, field) and why, in ``lang``.

    The line names no command-line flag or form field: a shell adds its own words for the
    error's ``hint`` (the CLI: ``--crs EPSG:XXXX``; the web upload: its CRS field).
    """
    lang = lang or settings.lang
    message = getattr(exc, "message", None)
    if not isinstance(message, Message):
        return str(exc)
    why = render(message, lang)
    if not isinstance(exc, InputError):
        return why
    words = {"feature": "đối tượng", "field": "trường"} if lang == "vi" else \
        {"feature": "feature", "field": "field"}
    where = [str(exc.path)] if exc.path is not None else []
    if exc.feature is not None:
        where.append(f"{words['feature']} {exc.feature}")
    if exc.field is not None:
        where.append(f"{words['field']} '{exc.field}'")
    return ": ".join([*where, why])
