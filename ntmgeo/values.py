"""Values as the layers and records hold them: what counts as missing, the JSON-ready form of
a value, and lists written as text (``"Bê tông nhựa|Láng nhựa"``).

One definition of each, shared by the layers, the indicators, the exports, the status and
coverage documents and the web map.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["is_missing", "json_clean", "parse_list"]

_LIST_SEPARATORS = re.compile(r"[|;]")


def is_missing(value: Any, *, blank: bool = False) -> bool:
    """Whether ``value`` is no value: ``None``, ``pd.NA``, ``NaT`` (pandas' or numpy's), NaN;
    with ``blank``, also text that is empty or only spaces. A list is never missing.
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating):
        return math.isnan(value)
    if isinstance(value, np.datetime64 | np.timedelta64):
        return bool(np.isnat(value))
    return blank and isinstance(value, str) and not value.strip()


def json_clean(value: Any) -> Any:
    """A JSON-ready value: ``None`` for a missing or non-finite number, plain Python numbers
    and booleans for numpy's, ISO text for dates, lists for tuples and arrays, dicts with
    text keys (cleaned all the way down).
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float | np.floating):
        return float(value) if math.isfinite(float(value)) else None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, dt.date | dt.datetime | pd.Timestamp):
        return value.isoformat()
    if isinstance(value, list | tuple | np.ndarray):
        return [json_clean(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_clean(v) for k, v in value.items()}
    return value


def parse_list(value: Any) -> list[str]:
    """The items of a list value (a list, or text separated by ``|`` or ``;``), stripped, in
    order, without empty or missing ones (``[]`` for a missing value).
    """
    if is_missing(value):
        return []
    if isinstance(value, str):
        items: Any = _LIST_SEPARATORS.split(value)
    else:
        items = [v for v in value if not is_missing(v)]
    return [text for text in (str(v).strip() for v in items) if text]
