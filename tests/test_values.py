"""The shared value helpers: what is missing, JSON-ready values, lists written as text."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from ntmgeo.values import is_missing, json_clean, parse_list


@pytest.mark.parametrize("value", [None, pd.NA, pd.NaT, float("nan"), np.float32("nan"),
                                   np.datetime64("NaT"), np.timedelta64("NaT")])
def test_missing_values(value):
    assert is_missing(value) and is_missing(value, blank=True)


@pytest.mark.parametrize("value", [0, 0.0, False, "0", "Đạt", [], [None], dt.date(2024, 2, 29),
                                   np.datetime64("2024-02-29"), pd.Timestamp("2024-02-29")])
def test_values_that_are_there(value):
    assert not is_missing(value) and not is_missing(value, blank=True)


def test_blank_text_is_missing_only_when_asked():
    assert not is_missing("") and not is_missing("  ")
    assert is_missing("", blank=True) and is_missing(" \t", blank=True)


def test_json_clean_gives_plain_json():
    doc = {"n": np.int64(3), "x": np.float64(2.5), "nan": float("nan"), "inf": np.inf,
           "na": pd.NA, "nat": pd.NaT, "ok": np.bool_(True), "day": dt.date(2024, 2, 29),
           "ts": pd.Timestamp("2024-02-29T10:00"), "list": (np.int32(1), None),
           "array": np.array([1.5, np.nan]), 5: {"deep": np.float32(0.5)}}
    clean = json_clean(doc)
    assert clean == {"n": 3, "x": 2.5, "nan": None, "inf": None, "na": None, "nat": None,
                     "ok": True, "day": "2024-02-29", "ts": "2024-02-29T10:00:00",
                     "list": [1, None], "array": [1.5, None], "5": {"deep": 0.5}}
    assert type(clean["n"]) is int and type(clean["ok"]) is bool
    json.dumps(clean, allow_nan=False)


@pytest.mark.parametrize(("value", "items"), [
    ("bê tông nhựa|láng nhựa", ["bê tông nhựa", "láng nhựa"]),
    (" láng nhựa ; đất |", ["láng nhựa", "đất"]),
    (["cấp phối", None, float("nan"), " ", "đất"], ["cấp phối", "đất"]),
    (np.array(["b", "a", "b"], dtype=object), ["b", "a", "b"]),
    (None, []), (float("nan"), []), ("", []),
])
def test_parse_list(value, items):
    assert parse_list(value) == items
