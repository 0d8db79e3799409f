"""User-facing words (ntmgeo.i18n): every CLI word in both languages with the same placeholders
(read from the catalogue ``cli``; tests/test_cli_catalogue.py checks it and the --help texts),
error messages rendered through the gettext catalogue (tests/test_messages.py checks the
catalogue itself), errors described as file: feature: field: reason, the CLI's words for an
error's hint, and numbers written the Vietnamese way ("1.234,50") or the English way ("1,234.50").
"""

from __future__ import annotations

import re
import string
from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntmgeo import i18n, settings
from ntmgeo._errors import CRSError, InputError, Message, StoreError


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


# ------------------------------------------------------------------ the error messages
@pytest.mark.parametrize(("message", "vietnamese"), [
    (Message("required value is missing"), "thiếu giá trị bắt buộc"),
    (Message("required value is missing (the file has no column {names})", names="dist_code"),
     "thiếu giá trị bắt buộc (tệp không có cột dist_code)"),
    (Message("value {value} is not a whole number", value="'abc'"),
     "giá trị 'abc' không phải số nguyên"),
    (Message("value {value} is not a number between {minimum} and {maximum}", value="'2,5x'",
             minimum=0, maximum=100),
     "giá trị '2,5x' không phải số trong khoảng 0 đến 100"),
    (Message("geometry is {type}, layer '{layer}' takes {allowed}", type="Polygon",
             layer="roads", allowed="LineString/MultiLineString"),
     "hình học là Polygon, lớp 'roads' chỉ nhận LineString/MultiLineString"),
    (Message("duplicate identity ({identity}): features {a} and {b}", identity="674, ĐH42",
             a=2, b=5), "trùng định danh (674, ĐH42): đối tượng 2 và 5"),
    (Message("ring {k} has {n} points (a ring needs at least 4, closed)", k=2, n=3),
     "vòng thứ 2 của đa giác chỉ có 3 điểm (một vòng cần ít nhất 4 điểm, khép kín)"),
    (Message("cannot be read: the {ext} file is truncated", ext=".dbf"),
     "không đọc được: tệp .dbf bị cắt cụt (thiếu phần cuối)"),
    (Message("file is {size:.0f} MiB, larger than the limit of {limit:.0f} MiB", size=150.2,
             limit=100), "tệp 150 MiB, vượt giới hạn 100 MiB"),
])
def test_messages_are_rendered_through_the_catalogue(message, vietnamese):
    assert i18n.render(message, "vi") == vietnamese
    assert i18n.render(message, "en") == str(message)


def test_a_message_inside_a_message_is_rendered_in_the_same_language():
    inner = Message("file is empty")
    outer = Message("cannot be read ({reason})", reason=inner)
    assert i18n.render(outer, "vi") == "không đọc được (tệp rỗng)"
    assert str(outer) == "cannot be read (file is empty)"


def test_a_message_the_catalogue_lacks_stays_in_english():
    assert i18n.render("something nobody translated", "vi") == "something nobody translated"
    assert i18n.render(Message("{n} things", n=3), "vi") == "3 things"
    assert i18n.render("file is empty", "fr") == "file is empty"  # no catalogue: English


def test_an_error_keeps_its_message_id_parameters_and_hint():
    exc = InputError("file is {size:.0f} MiB, larger than the limit of {limit:.0f} MiB",
                     path="a.gpx", size=150.2, limit=100)
    assert exc.message.msgid == "file is {size:.0f} MiB, larger than the limit of {limit:.0f} MiB"
    assert dict(exc.message.params) == {"size": 150.2, "limit": 100}
    assert str(exc) == "a.gpx: file is 150 MiB, larger than the limit of 100 MiB"
    assert exc.reason == "file is 150 MiB, larger than the limit of 100 MiB"
    assert exc.hint is None
    store = StoreError("{path}: no store here", path="x.gpkg", hint="init")
    assert (str(store), store.hint) == ("x.gpkg: no store here", "init")


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
    exc = StoreError("{path}: no store here", path="x.gpkg", hint="init")
    assert i18n.describe_error(exc) == "x.gpkg: không có kho dữ liệu"
    assert i18n.describe_error(exc, "en") == str(exc)
    assert i18n.describe_error(ValueError("not ours"), "vi") == "not ours"


@pytest.mark.parametrize(("exc", "vi_line", "en_line"), [
    (StoreError("{path}: no store here", path="x.gpkg", hint="init"),
     "x.gpkg: không có kho dữ liệu (tạo bằng 'ntmgeo init x.gpkg')",
     "x.gpkg: no store here (create one with 'ntmgeo init x.gpkg')"),
    (CRSError("has no CRS (no .prj or CRS declaration)", path="a.shp", hint="crs"),
     "a.shp: không có hệ tọa độ (thiếu tệp .prj): khai báo bằng --crs EPSG:XXXX",
     "a.shp: has no CRS (no .prj or CRS declaration): give it with --crs EPSG:XXXX"),
    (StoreError("{path}: already exists", path="x.gpkg", hint="force"),
     "x.gpkg: đã tồn tại (dùng --force để ghi đè)",
     "x.gpkg: already exists (use --force to replace it)"),
])
def test_the_cli_adds_its_flag_for_the_hint(exc, vi_line, en_line):
    from ntmgeo.cli import error_line

    assert error_line(exc, "vi") == vi_line
    assert error_line(exc, "en") == en_line
    assert "--" not in i18n.describe_error(exc, "vi")  # the library's line names no flag


def test_every_hint_raised_has_the_cli_words_in_both_languages():
    import ast
    from pathlib import Path

    from ntmgeo.cli import HINTS

    package = Path(i18n.__file__).parent
    raised = {kw.value.value for path in package.rglob("*.py")
              for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
              if isinstance(node, ast.Call) for kw in node.keywords
              if kw.arg == "hint" and isinstance(kw.value, ast.Constant)}
    assert raised and raised <= set(HINTS), raised - set(HINTS)
    for key, msgid in HINTS.items():  # the catalogue cli has the words (test_cli_catalogue)
        vi_words = i18n.gettext(msgid, "vi")
        assert vi_words != msgid and _placeholders(vi_words) == _placeholders(msgid), key


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
