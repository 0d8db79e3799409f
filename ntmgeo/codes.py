"""Comparing identities as people write them.

A surveyor writes ``DH42`` on a phone without Vietnamese keys, a clerk types ``ĐH 42`` or
``đh42``, and a file converted from TCVN3 may carry ``ÐH42`` (U+00D0, the Icelandic eth that
looks like Đ): all name district road 42. Identities are therefore **compared** folded and
**stored** as written. How a field folds is data: the layer schema's ``match`` on the field
(``layers/*.yml``):

* ``exact`` (default): surrounding spaces ignored, nothing else.
* ``casefold``: also case (``SV-1`` and ``sv-1`` are one survey id).
* ``code``: also the Vietnamese letter Đ/đ against D/d, spaces, hyphens, dots and underscores
  (``ĐH42``, ``DH42``, ``đh42``, ``ĐH 42``, ``ĐH-42`` and ``ĐH.42`` are one road code).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

__all__ = ["MATCH_MODES", "fold", "fold_code", "fold_many"]

MATCH_MODES = ("exact", "casefold", "code")

_SEPARATORS = re.compile(r"[\s\-._]+")
_D = str.maketrans({"đ": "d", "ð": "d"})  # after casefold: Đ -> đ, Ð (U+00D0) -> ð


def fold_code(text: str) -> str:
    """A road or unit code folded for comparison.

    Examples
    --------
    >>> {fold_code(t) for t in ("ĐH42", "DH42", "đh42", "ĐH 42", "ÐH-42")}
    {'dh42'}
    """
    folded = unicodedata.normalize("NFC", text).casefold().translate(_D)
    return _SEPARATORS.sub("", folded)


def fold(value: Any, mode: str = "exact") -> str:
    """``value`` as text folded by ``mode`` (one of :data:`MATCH_MODES`); empty for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = unicodedata.normalize("NFC", str(value)).strip()
    if mode == "exact":
        return text
    if mode == "casefold":
        return text.casefold()
    if mode == "code":
        return fold_code(text)
    msg = f"unknown match mode {mode!r} (modes: {', '.join(MATCH_MODES)})"
    raise ValueError(msg)


def fold_many(values: Iterable[Any], mode: str = "exact") -> list[str]:
    """:func:`fold` of each value, computed once per distinct value (columns repeat codes)."""
    seen: dict[Any, str] = {}
    out = []
    for value in values:
        try:
            key = seen[value]
        except (KeyError, TypeError):
            key = fold(value, mode)
            try:
                seen[value] = key
            except TypeError:
                pass
        out.append(key)
    return out
