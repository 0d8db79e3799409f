"""Values read from input files, converted to a field's type: numbers with a Vietnamese
decimal comma ("2,5"), amounts written the Vietnamese way ("23.198", "1.234,5"), dates in
Vietnamese order (DD/MM/YYYY), "có"/"không" for true/false, lists separated by "|" or ";", and
allowed values matched by their code or their labels.

:func:`convert_value` converts one value (or raises ``ValueError``); :func:`bad_value` is the
message of one that cannot be converted. :mod:`ntmgeo.layers` applies them column by column.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ._errors import N_, Message
from .values import is_missing

if TYPE_CHECKING:
    from .layers import Field

__all__ = ["LIST_SEPARATOR", "NumberCell", "bad_value", "convert_value", "is_blank"]

LIST_SEPARATOR = "|"
_TRUE = {"true", "1", "yes", "y", "có", "co", "đúng", "x", "t"}
_FALSE = {"false", "0", "no", "n", "không", "khong", "sai", "f", ""}
_DATE_DMY = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")
# An amount as Vietnamese plans write it: a dot (or a space) between groups of three digits, a
# comma before the decimals. "23.198" is twenty-three thousand one hundred and ninety-eight.
_AMOUNT_PLAIN = re.compile(r"^[+-]?\d+(?:,\d+)?$")
_AMOUNT_DOTS = re.compile(r"^[+-]?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_AMOUNT_SPACES = re.compile(r"^[+-]?\d{1,3}(?: \d{3})+(?:,\d+)?$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")  # spaces, no-break and narrow no-break spaces


def _fold(text: str) -> str:
    return text.strip().lower()


def is_blank(value: Any) -> bool:
    """Whether ``value`` is no value: missing, or an empty cell of a table."""
    return is_missing(value, blank=True)


class NumberCell(str):
    """A spreadsheet's number cell as text ("23,198", the decimal comma a Vietnamese Excel
    shows), carrying the number itself: :func:`convert_value` converts the number, so a
    number field reads 23.198 and a text field (an indicator id typed 2.3) reads "2.3",
    whatever the decimal mark of the Excel that wrote it.
    """

    number: float

    def __new__(cls, text: str, number: float) -> NumberCell:
        """The cell shown as ``text``, holding ``number``."""
        cell = super().__new__(cls, text)
        cell.number = number
        return cell


def _to_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (np.floating,)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _to_number(value: Any, *, integer: bool) -> float | int:
    if isinstance(value, (bool, np.bool_)):
        raise ValueError
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        if "," in text and "." not in text:
            text = text.replace(",", ".")  # Vietnamese decimal comma: 2,5
        value = float(text)
    number = float(value)
    if not math.isfinite(number):
        raise ValueError
    if integer:
        if not number.is_integer():
            raise ValueError
        return int(number)
    return number


def _to_amount(value: Any) -> float:
    """An amount (million VND in the works layer): a number as it is (an XLSX cell), or text
    the Vietnamese way: "23.198" is 23198 (the dot separates thousands), "1.234,5" and
    "1234,5" and "1 234,5" are 1234.5 (the comma is the decimal mark). Anything else ("2.5",
    "1,234.5", "12.34", "23.198 triệu") is refused rather than guessed: a dot is never a
    decimal mark here.
    """
    if isinstance(value, (bool, np.bool_)):
        raise ValueError
    if isinstance(value, str):
        text = _SPACES.sub(" ", value.strip())
        if _AMOUNT_DOTS.match(text):
            text = text.replace(".", "")
        elif _AMOUNT_SPACES.match(text):
            text = text.replace(" ", "")
        elif not _AMOUNT_PLAIN.match(text):
            raise ValueError
        value = float(text.replace(",", "."))
    number = float(value)
    if not math.isfinite(number):
        raise ValueError
    return number


def _to_date(value: Any) -> str:
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date().isoformat()
    text = str(value).strip()
    match = _DATE_DMY.match(text)
    if match:  # Vietnamese order: day/month/year
        day, month, year = (int(g) for g in match.groups())
        return dt.date(year, month, day).isoformat()
    return dt.date.fromisoformat(text[:10]).isoformat()


def _to_bool(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = _to_text(value).lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError


def _to_list(value: Any) -> list[str]:
    if isinstance(value, (list, tuple, np.ndarray)):
        items = [_to_text(v) for v in value]
    else:
        text = _to_text(value)
        sep = LIST_SEPARATOR if LIST_SEPARATOR in text else ";"
        items = [p.strip() for p in text.split(sep)]
    return [i for i in items if i]


def _match_allowed(f: Field, value: str) -> str:
    assert f.allowed is not None
    folded = _fold(value)
    for allowed in f.allowed:
        labels = f.allowed_labels.get(allowed, {})
        if folded in (_fold(allowed), *(_fold(v) for v in labels.values())):
            return allowed
    raise ValueError


# each returns its own type (str, int | float, str, bool, list[str]): the field says which
_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "text": _to_text,
    "integer": lambda v: _to_number(v, integer=True),
    "real": lambda v: _to_number(v, integer=False),
    "amount": _to_amount,
    "date": _to_date,
    "boolean": _to_bool,
    "list": _to_list,
}

# the message of a value that is not of its field's type, and of one outside its limits
_TYPE_WORDS = {
    "text": N_("value {value} is not text"),
    "integer": N_("value {value} is not a whole number"),
    "real": N_("value {value} is not a number"),
    "date": N_("value {value} is not a date (YYYY-MM-DD or DD/MM/YYYY)"),
    "boolean": N_("value {value} is not true/false (có/không)"),
    "list": N_("value {value} is not a list separated by '|'"),
    "amount": N_("value {value} is not an amount (a dot between thousands, a comma before the "
                 "decimals: 23.198 or 1.234,5)"),
}
_TYPE_WORDS_BETWEEN = {
    "integer": N_("value {value} is not a whole number between {minimum} and {maximum}"),
    "real": N_("value {value} is not a number between {minimum} and {maximum}"),
    # an amount has a lower limit only (0 in the works layer)
    "amount": N_("value {value} is not an amount of {minimum} or more (a dot between "
                 "thousands, a comma before the decimals: 23.198 or 1.234,5)"),
}


def convert_value(f: Field, value: Any) -> Any:
    """Convert one input value to the field's canonical Python value, or raise ValueError."""
    if not isinstance(value, (list, tuple, np.ndarray)) and is_blank(value):
        return None
    if isinstance(value, NumberCell):
        value = value.number
    out = _CONVERTERS[f.type](value)
    if f.type == "list":
        if not out:
            return None
        if f.allowed:
            out = [_match_allowed(f, v) for v in out]
    elif f.allowed:
        out = _match_allowed(f, out)
    if f.type in ("integer", "real", "amount"):
        if f.minimum is not None and out < f.minimum:
            raise ValueError
        if f.maximum is not None and out > f.maximum:
            raise ValueError
    return out


def bad_value(f: Field, value: Any) -> Message:
    """Why ``value`` cannot be a value of ``f`` (its type, its limits or its allowed values)."""
    if f.allowed:
        return Message("value {value} is not one of: {allowed}", value=repr(value),
                       allowed=", ".join(f.allowed))
    if f.minimum is not None or f.maximum is not None:
        msgid = _TYPE_WORDS_BETWEEN.get(f.type, _TYPE_WORDS[f.type])
        return Message(msgid, value=repr(value), minimum=f.minimum, maximum=f.maximum)
    return Message(_TYPE_WORDS[f.type], value=repr(value))
