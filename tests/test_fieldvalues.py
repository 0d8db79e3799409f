"""Tests for ntmgeo.fieldvalues: one input value converted to a field's type."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntmgeo.fieldvalues import bad_value, convert_value, is_blank
from ntmgeo.layers import Field


def _field(type_: str) -> Field:
    return Field(name="x", shp_name="x", type=type_, label={"vi": "x", "en": "x"})


@pytest.mark.parametrize(("text", "expected"), [("2,5", 2.5), (" 1 234.5 ", 1234.5), ("7", 7.0)])
def test_real_reads_decimal_comma_and_spaces(text: str, expected: float) -> None:
    assert convert_value(_field("real"), text) == expected


@given(st.integers(min_value=-10**6, max_value=10**6), st.integers(min_value=0, max_value=99))
def test_decimal_comma_equals_decimal_point(whole: int, cents: int) -> None:
    f = _field("real")
    assert convert_value(f, f"{whole},{cents:02d}") == convert_value(f, f"{whole}.{cents:02d}")


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_dates_in_vietnamese_order_and_iso_agree(day: dt.date) -> None:
    f = _field("date")
    assert convert_value(f, f"{day.day}/{day.month}/{day.year}") == day.isoformat()
    assert convert_value(f, day.isoformat()) == day.isoformat()


@pytest.mark.parametrize(("text", "expected"), [("có", True), ("Không", False), ("x", True)])
def test_boolean_words(text: str, expected: bool) -> None:
    assert convert_value(_field("boolean"), text) is expected


def test_list_separators_and_blank() -> None:
    f = _field("list")
    assert convert_value(f, "a| b |") == ["a", "b"]
    assert convert_value(f, "a; b") == ["a", "b"]
    assert convert_value(f, "") is None
    assert is_blank("  ") and is_blank(None) and not is_blank("0")


def test_integer_refuses_fraction_and_names_why() -> None:
    f = _field("integer")
    with pytest.raises(ValueError):
        convert_value(f, "2,5")
    assert bad_value(f, "2,5").msgid == "value {value} is not a whole number"


# ------------------------------------------------------------------------- amounts
@pytest.mark.parametrize(("value", "expected"), [
    ("23.198", 23198.0), ("1.234,5", 1234.5), ("1234,5", 1234.5), ("1 234,5", 1234.5),
    ("1\u00a0234,5", 1234.5), ("1.234.567", 1234567.0), ("7", 7.0), (" 11.873 ", 11873.0),
    (23198, 23198.0), (1234.5, 1234.5)])
def test_amount_reads_the_vietnamese_way_and_xlsx_numbers(value, expected) -> None:
    # "23.198 triệu đồng" in a plan is 23,198 million VND (seed 003 line 303: 28.113 =
    # 23.198 + 4.915), so the dot separates thousands
    assert convert_value(_field("amount"), value) == expected


@pytest.mark.parametrize("value", ["2.5", "12.34", "1,234.5", "1.23.456", "1 23",
                                   "23.198 triệu", "abc", True])
def test_amount_refuses_what_it_would_have_to_guess(value) -> None:
    f = _field("amount")
    with pytest.raises(ValueError):
        convert_value(f, value)
    assert "23.198" in bad_value(f, value).msgid


@given(st.integers(min_value=0, max_value=10**9), st.sampled_from([0, 1, 2, 3]))
def test_an_amount_written_the_vietnamese_way_reads_back(cents: int, digits: int) -> None:
    from ntmgeo.i18n import number

    value = cents / 10**digits
    text = number(value, digits, "vi")  # "1.234,5": dots between thousands, decimal comma
    assert convert_value(_field("amount"), text) == pytest.approx(value, abs=10**-digits / 2)
    spaced = text.replace(".", " ")  # "1 234,5"
    assert convert_value(_field("amount"), spaced) == pytest.approx(value, abs=10**-digits / 2)
