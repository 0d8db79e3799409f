"""Which units a unit was formed from, and which it went into: the lineage of administrative
units across mergers, splits and boundary changes (the 2025 reform: Đam Rông's 8 communes
became Đam Rông 1–4 on 1/7/2025).

A unit is its code together with the first day it is valid (``(code, valid_from)``, the
identity of the layer ``admin_units``): a new unit that reuses an old one's code (Đam Rông 1
took Phi Liêng's 24886) is another unit, and the two are never mixed here.

The lineage is read from two fields of ``admin_units`` (layers/admin_units.yml):

``formed_from``
    a list of ``CODE@VALID_FROM[:KIND[:SHARE]]``: the predecessor's code and its own first
    valid day, then how this unit took it: ``merge`` (the default: the whole predecessor went
    into this unit), ``split`` (the predecessor was divided among several units, this one is
    one of them) or ``share`` (part of the predecessor's territory moved to this unit, by a
    boundary change); ``SHARE`` (for ``split`` and ``share``) is the fraction of the
    predecessor's area this unit took, 0 < share ≤ 1, empty where no source gives it.
``replaces``
    codes only (the field older data uses): each is read as a ``merge`` of the unit of that
    code whose validity ended the day before this unit's ``valid_from`` (else the latest
    one with that code valid before it). An entry of ``formed_from`` for the same code wins.

A link's date is the successor's ``valid_from`` (the day the change took effect); its source
is the successor's ``source``. Every function here is pure: a frame of units in, frames out.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import deque
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ._errors import InputError
from .values import json_clean

__all__ = ["KINDS", "LINK_COLUMNS", "format_entry", "links", "parse_entry", "predecessors",
           "successors"]

# How a unit took a predecessor (see the module's docstring); the first is the default.
KINDS = ("merge", "split", "share")

# The columns of :func:`links`: one row per (successor, predecessor) pair.
LINK_COLUMNS = ("unit_code", "unit_valid_from", "from_code", "from_valid_from", "kind",
                "share", "date", "source")

# The columns of :func:`predecessors` / :func:`successors`: the related unit (as stored, or
# only its code and first day where the store does not hold it), the link, and how far.
RELATED_COLUMNS = ("code", "valid_from", "valid_to", "name", "level", "held", "kind", "share",
                   "date", "generation", "via_code", "via_valid_from", "source")

_ENTRY = re.compile(r"^(?P<code>[^@:|]+?)\s*@\s*(?P<vf>\d{4}-\d{2}-\d{2})"
                    r"(?::(?P<kind>[a-z]+)(?::(?P<share>[^:]*))?)?$")
# A shares' sum may exceed 1 by rounding of the source's figures only.
_SHARE_SLACK = 1e-6


def _day(value: Any) -> str | None:
    value = json_clean(value)
    return None if value is None else str(value)[:10]


def _listed(value: Any) -> list[str]:
    """A list field's entries (a list, or text written ``a|b``), stripped, empties dropped."""
    if value is None or (not isinstance(value, list | tuple) and pd.isna(value)):
        return []
    items: Iterable[Any] = value if isinstance(value, list | tuple) else str(value).split("|")
    return [str(v).strip() for v in items if str(v).strip()]


def parse_entry(entry: str, *, feature: str | None = None) -> dict[str, Any]:
    """One ``formed_from`` entry as ``{from_code, from_valid_from, kind, share}``.

    >>> parse_entry("24886@2008-01-01")
    {'from_code': '24886', 'from_valid_from': '2008-01-01', 'kind': 'merge', 'share': None}
    >>> parse_entry("24870@2008-01-01:split:0.4")["share"]
    0.4
    """
    match = _ENTRY.match(entry.strip())
    if match is None:
        raise InputError("'{value}' is not CODE@YYYY-MM-DD[:KIND[:SHARE]]", value=entry,
                         feature=feature, field="formed_from")
    try:
        dt.date.fromisoformat(match["vf"])
    except ValueError:
        raise InputError("'{value}' is not a date (YYYY-MM-DD)", value=match["vf"],
                         feature=feature, field="formed_from") from None
    kind = match["kind"] or KINDS[0]
    if kind not in KINDS:
        raise InputError("'{value}': unknown kind '{kind}' (kinds: {kinds})", value=entry,
                         kind=kind, kinds=", ".join(KINDS), feature=feature,
                         field="formed_from")
    share: float | None = None
    if match["share"]:
        if kind == "merge":
            raise InputError("'{value}': a share is given for split or share only",
                             value=entry, feature=feature, field="formed_from")
        try:
            share = float(match["share"])
        except ValueError:
            share = -1.0
        if not 0 < share <= 1:
            raise InputError("'{value}': the share must be a number above 0 and at most 1",
                             value=entry, feature=feature, field="formed_from")
    return {"from_code": match["code"].strip(), "from_valid_from": match["vf"], "kind": kind,
            "share": share}


def format_entry(code: str, valid_from: str, kind: str = "merge",
                 share: float | None = None) -> str:
    """A ``formed_from`` entry (the inverse of :func:`parse_entry`).

    >>> format_entry("24870", "2008-01-01", "split", 0.4)
    '24870@2008-01-01:split:0.4'
    """
    text = f"{code}@{valid_from}"
    if kind != KINDS[0] or share is not None:
        text += f":{kind}"
    if share is not None:
        text += f":{share:g}"
    return text


def _column(units: pd.DataFrame, name: str) -> pd.Series:
    return units[name] if name in units.columns else pd.Series([None] * len(units),
                                                                index=units.index)


def _replaced(units: pd.DataFrame, code: str, valid_from: str) -> str | None:
    """The first day of the unit ``code`` that a unit valid from ``valid_from`` replaces:
    the one whose validity ended the day before, else the latest one valid before it.
    """
    same = units[(units["code"].astype(str) == code)
                 & (units["valid_from"].astype(str).str[:10] < valid_from)]
    if same.empty:
        return None
    eve = (dt.date.fromisoformat(valid_from) - dt.timedelta(days=1)).isoformat()
    ends = _column(same, "valid_to").map(_day)
    ended = same[ends == eve]
    pick = ended if not ended.empty else same
    return str(pick["valid_from"].astype(str).str[:10].max())


def links(units: pd.DataFrame) -> pd.DataFrame:
    """Every (successor, predecessor) link the units name, one row each (:data:`LINK_COLUMNS`).

    Raises :class:`InputError` (naming the unit and the field) for an entry that is not
    ``CODE@YYYY-MM-DD[:KIND[:SHARE]]``, a predecessor that does not begin before its
    successor, or a predecessor whose shares add up to more than 1.
    """
    rows: list[dict[str, Any]] = []
    formed = _column(units, "formed_from")
    replaces = _column(units, "replaces")
    sources = _column(units, "source")
    for idx in units.index:
        code, valid_from = str(units.at[idx, "code"]), _day(units.at[idx, "valid_from"])
        if valid_from is None:
            continue
        where = f"{code}@{valid_from}"
        named: dict[tuple[str, str | None], dict[str, Any]] = {}
        for entry in _listed(formed[idx]):
            link = parse_entry(entry, feature=where)
            if link["from_valid_from"] >= valid_from:
                raise InputError("'{value}' does not begin before the unit it formed "
                                 "({unit})", value=entry, unit=where, feature=where,
                                 field="formed_from")
            named.setdefault((link["from_code"], link["from_valid_from"]), link)
        codes = {c for c, _ in named}
        for old in _listed(replaces[idx]):
            if old in codes:
                continue
            key = (old, _replaced(units, old, valid_from))
            named.setdefault(key, {"from_code": old, "from_valid_from": key[1],
                                   "kind": KINDS[0], "share": None})
        for link in named.values():
            rows.append({"unit_code": code, "unit_valid_from": valid_from, **link,
                         "date": valid_from, "source": json_clean(sources[idx])})
    frame = pd.DataFrame(rows, columns=list(LINK_COLUMNS))
    shared = frame.dropna(subset=["share"])
    if not shared.empty:
        sums = shared.groupby(["from_code", "from_valid_from"])["share"].sum()
        over = sums[sums > 1 + _SHARE_SLACK]
        if not over.empty:
            (old, old_from), total = next(iter(over.items()))
            raise InputError("the shares of {unit} add up to {total}, more than 1",
                             unit=f"{old}@{old_from}", total=f"{total:g}",
                             field="formed_from")
    return frame


def _held(units: pd.DataFrame) -> dict[tuple[str, str | None], pd.Series]:
    keys = zip(units["code"].astype(str), units["valid_from"].map(_day), strict=True)
    return {k: units.loc[idx] for k, idx in zip(keys, units.index, strict=True)}


def _walk(units: pd.DataFrame, code: str, valid_from: str, *, back: bool,
          table: pd.DataFrame | None) -> pd.DataFrame:
    table = links(units) if table is None else table
    held = _held(units)
    if back:
        here, there = ("unit_code", "unit_valid_from"), ("from_code", "from_valid_from")
    else:
        here, there = ("from_code", "from_valid_from"), ("unit_code", "unit_valid_from")
    step: dict[tuple[str, str | None], list[dict[str, Any]]] = {}
    for rec in table.to_dict("records"):
        step.setdefault((str(rec[here[0]]), _day(rec[here[1]])), []).append(rec)
    start = (str(code), _day(valid_from))
    seen = {start}
    out: list[dict[str, Any]] = []
    queue = deque([(start, 1)])
    while queue:
        key, generation = queue.popleft()
        for rec in step.get(key, []):
            other = (str(rec[there[0]]), _day(rec[there[1]]))
            if other in seen:
                continue
            seen.add(other)
            row = held.get(other) if other[1] is not None else None
            out.append({
                "code": other[0], "valid_from": other[1],
                "valid_to": None if row is None else _day(row.get("valid_to")),
                "name": None if row is None else row["name"],
                "level": None if row is None else row["level"],
                "held": row is not None, "kind": rec["kind"], "share": json_clean(rec["share"]),
                "date": rec["date"], "generation": generation,
                "via_code": key[0], "via_valid_from": key[1],
                "source": json_clean(rec["source"])})
            if other[1] is not None:
                queue.append((other, generation + 1))
    frame = pd.DataFrame(out, columns=list(RELATED_COLUMNS))
    # an unknown share stays None (not NaN) beside the known ones
    frame["share"] = pd.Series([r["share"] for r in out], index=frame.index, dtype=object)
    return frame


def predecessors(units: pd.DataFrame, code: str, valid_from: str, *,
                 table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The units the unit ``(code, valid_from)`` was formed from, and theirs, transitively:
    one row each (:data:`RELATED_COLUMNS`), the nearest first (``generation`` 1: formed
    directly into it; ``via_*``: the unit it went into). ``table``: :func:`links` of
    ``units``, when the caller has it.
    """
    return _walk(units, code, valid_from, back=True, table=table)


def successors(units: pd.DataFrame, code: str, valid_from: str, *,
               table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The units formed from the unit ``(code, valid_from)``, and from them, transitively
    (the same columns as :func:`predecessors`; ``via_*``: the unit it was formed from).
    """
    return _walk(units, code, valid_from, back=False, table=table)
