"""User-facing words (ntmgeo.i18n): every message in both languages with the same placeholders,
error reasons translated by pattern, errors described as file: feature: field: reason, and
numbers written the Vietnamese way ("1.234,50") or the English way ("1,234.50").
"""

from __future__ import annotations

import re
import string
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntmgeo import i18n, settings
from ntmgeo._errors import InputError, StoreError


def _placeholders(template: str) -> set[str]:
    """The field names of a str.format template ("{g:.2f}" gives "g")."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


@pytest.fixture
def vi(monkeypatch):
    monkeypatch.setattr(settings, "lang", "vi")


# ---------------------------------------------------------------------------- the messages
@pytest.mark.parametrize("key", sorted(i18n._MESSAGES))
def test_every_message_has_vietnamese_and_english_with_the_same_placeholders(key):
    entry = i18n._MESSAGES[key]
    assert set(entry) == {"vi", "en"}
    assert entry["vi"].strip() and entry["en"].strip()
    assert _placeholders(entry["vi"]) == _placeholders(entry["en"]), key


def test_placeholders_are_read_with_their_format_specs():
    # the helper the test above relies on
    assert _placeholders(i18n._MESSAGES["greening_total"]["vi"]) == {"g", "l", "r", "thr",
                                                                       "status", "s"}
    assert _placeholders("no fields") == set()


def test_t_formats_in_the_language_asked(vi):
    assert i18n.t("error") == "Lỗi"
    assert i18n.t("error", "en") == "Error"
    assert i18n.t("imported", "en", n=3, layer="roads", file="a.gpkg") == \
        "Imported 3 features into layer 'roads' from a.gpkg"
    assert i18n.t("imported", n=3, layer="roads", file="a.gpkg") == \
        "Đã nhập 3 đối tượng vào lớp 'roads' từ a.gpkg"
    assert i18n.t("error", "fr") == "Error"  # a language without words falls back to English
    with pytest.raises(KeyError):
        i18n.t("no-such-message")


# ------------------------------------------------------------------------- the reasons
@pytest.mark.parametrize(("pattern", "template"), i18n._REASONS, ids=lambda x: x[:40])
def test_every_reason_pattern_compiles_and_its_template_uses_its_groups(pattern, template):
    groups = set(re.compile(pattern).groupindex)
    used = _placeholders(template)
    assert used <= groups, f"template names {used - groups}, which the pattern does not capture"
    assert groups <= used, f"pattern captures {groups - used}, which the template drops"


def test_every_reason_pattern_is_listed_once():
    patterns = [p for p, _ in i18n._REASONS]
    assert len(patterns) == len(set(patterns))


@pytest.mark.parametrize(("english", "vietnamese"), [
    ("required value is missing", "thiếu giá trị bắt buộc"),
    ("required value is missing (the file has no column dist_code)",
     "thiếu giá trị bắt buộc (tệp không có cột dist_code)"),
    ("value 'abc' is not a whole number", "giá trị 'abc' không phải số nguyên"),
    ("value '2,5x' is not a number (km)", "giá trị '2,5x' không phải số (km)"),
    ("geometry is Polygon, layer 'roads' takes LineString/MultiLineString",
     "hình học là Polygon, lớp 'roads' chỉ nhận LineString/MultiLineString"),
    ("duplicate identity (674, ĐH42): features 2 and 5",
     "trùng định danh (674, ĐH42): đối tượng 2 và 5"),
    ("ring 2 has 3 points (a ring needs at least 4, closed)",
     "vòng thứ 2 của đa giác chỉ có 3 điểm (một vòng cần ít nhất 4 điểm, khép kín)"),
    ("cannot be read: the .dbf file is truncated",
     "không đọc được: tệp .dbf bị cắt cụt (thiếu phần cuối)"),
])
def test_reasons_are_translated(english, vietnamese):
    assert i18n.reason(english, "vi") == vietnamese
    assert i18n.reason(english, "en") == english


def test_an_unknown_reason_stays_as_raised():
    assert i18n.reason("something nobody translated", "vi") == "something nobody translated"
    # patterns match the whole reason, never a part of it
    assert i18n.reason("required value is missing, twice", "vi") == \
        "required value is missing, twice"


# ------------------------------------------------------------------------ describe_error
def test_describe_error_names_file_feature_and_field():
    exc = InputError("required value is missing", path="roads.geojson",
                     feature="2 (dist_code=674, road_code=ĐH43)", field="road_class")
    assert i18n.describe_error(exc, "vi") == (
        "roads.geojson: đối tượng 2 (dist_code=674, road_code=ĐH43): trường 'road_class': "
        "thiếu giá trị bắt buộc")
    assert i18n.describe_error(exc, "en") == (
        "roads.geojson: feature 2 (dist_code=674, road_code=ĐH43): field 'road_class': "
        "required value is missing")
    assert i18n.describe_error(exc, "en") == str(exc)  # the English line is the exception's


@pytest.mark.parametrize(("kwargs", "vi_line"), [
    ({"path": "a.gpx"}, "a.gpx: tệp rỗng"),
    ({"feature": 3}, "đối tượng 3: tệp rỗng"),
    ({"field": "side"}, "trường 'side': tệp rỗng"),
    ({"path": "a.gpx", "field": "side"}, "a.gpx: trường 'side': tệp rỗng"),
    ({}, "tệp rỗng"),
])
def test_describe_error_gives_only_the_parts_it_knows(kwargs, vi_line):
    assert i18n.describe_error(InputError("file is empty", **kwargs), "vi") == vi_line


def test_describe_error_of_an_error_without_parts_translates_its_message(vi):
    exc = StoreError("x.gpkg: no store here (create one with 'ntmgeo init x.gpkg')")
    assert i18n.describe_error(exc) == \
        "x.gpkg: không có kho dữ liệu (tạo bằng 'ntmgeo init x.gpkg')"
    assert i18n.describe_error(exc, "en") == str(exc)


def test_describe_error_follows_the_default_language(monkeypatch):
    exc = InputError("file not found", path="x.kml")
    monkeypatch.setattr(settings, "lang", "en")
    assert i18n.describe_error(exc) == "x.kml: file not found"
    monkeypatch.setattr(settings, "lang", "vi")
    assert i18n.describe_error(exc) == "x.kml: không tìm thấy tệp"


# -------------------------------------------------------------------------------- number
@pytest.mark.parametrize(("value", "digits", "vi_text", "en_text"), [
    (1234.5, 2, "1.234,50", "1,234.50"),
    (1234567.891, 2, "1.234.567,89", "1,234,567.89"),
    (26.65, 2, "26,65", "26.65"),
    (-1234.5, 1, "-1.234,5", "-1,234.5"),
    (38.39, 0, "38", "38"),
    (243976, 0, "243.976", "243,976"),
    (0.0, 3, "0,000", "0.000"),
])
def test_number_the_vietnamese_and_the_english_way(value, digits, vi_text, en_text):
    assert i18n.number(value, digits, "vi") == vi_text
    assert i18n.number(value, digits, "en") == en_text


def test_number_defaults_to_two_digits_in_the_default_language(monkeypatch):
    monkeypatch.setattr(settings, "lang", "vi")
    assert i18n.number(1234.5) == "1.234,50"
    monkeypatch.setattr(settings, "lang", "en")
    assert i18n.number(1234.5) == "1,234.50"


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False),
       st.integers(min_value=0, max_value=4))
def test_property_number_reads_back_and_the_two_languages_swap_separators(value, digits):
    vi_text, en_text = i18n.number(value, digits, "vi"), i18n.number(value, digits, "en")
    # the Vietnamese text is the English one with "," and "." exchanged
    assert vi_text == en_text.translate(str.maketrans(",.", ".,"))
    # read back the way a person reads it, it is the value rounded to `digits`
    assert float(vi_text.replace(".", "").replace(",", ".")) == float(f"{value:.{digits}f}")
    # thousands grouped by three, `digits` decimals after the one decimal comma
    whole, _, decimals = vi_text.lstrip("-").partition(",")
    assert len(decimals) == digits and (digits > 0 or "," not in vi_text)
    assert re.fullmatch(r"\d{1,3}(\.\d{3})*", whole), vi_text


# -------------------------------------------------------------------- beside_no_road_text
def _result(checked: bool, count: int = 0, km: float = 0.0, ids=()):
    lost = {"count": count, "length_km": km, "ids": list(ids)} if checked else None
    return SimpleNamespace(roads_checked=checked, beside_no_road=lost)


def test_beside_no_road_text():
    assert i18n.beside_no_road_text(_result(False), "en") == \
        "The store holds no road: whether the surveys run beside roads was not checked."
    assert i18n.beside_no_road_text(_result(True), "vi") == \
        "Mọi đối tượng khảo sát đều nằm dọc tuyến đường đã lưu."
    ids = [f"SV-{k}" for k in range(1, 13)]
    vi_text = i18n.beside_no_road_text(_result(True, 12, 1234.5, ids), "vi")
    assert vi_text.startswith("Lưu ý: 12 đối tượng khảo sát (1.234,50 km)")
    assert "(trong phạm vi 20 m): SV-1, SV-2" in vi_text
    assert "SV-10 và 2 đối tượng khác." in vi_text and "SV-11" not in vi_text
    en_text = i18n.beside_no_road_text(_result(True, 2, 0.25, ["a", "b"]), "en")
    assert en_text.startswith("Note: 2 survey features (0.25 km) run beside no stored road "
                              "(within 20 m): a, b.")
