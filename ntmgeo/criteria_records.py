"""Criteria reported met or unmet (the store's ``reported_criteria``), as pure functions.

A unit's criterion is met as its latest record on or before a date says; where no record
exists, as the unit's reported status (``unit_status``: a count and the unmet criteria)
says, if that status names its unmet criteria in a way that matches the set's (by id, name or
alias). The counts ("18/19"), the average per commune and the levels reached follow.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .criteria import CriteriaSet
from .values import json_clean

__all__ = ["complete_kinds", "count_met", "latest", "mean_met", "unit_criteria"]

_KEY = ["unit_code", "unit_valid_from", "criteria_set", "criterion_id"]


def latest(records: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The latest record per unit, set and criterion on or before ``as_of`` (by date, then
    by when it was recorded).
    """
    if records.empty:
        return records
    rows = records[records["as_of"].astype(str) <= as_of].copy()
    rows["unit_code"] = rows["unit_code"].astype(str)
    rows["unit_valid_from"] = rows["unit_valid_from"].astype(str)
    rows = rows.sort_values(["as_of", "recorded_at"], kind="stable")
    return rows.groupby(_KEY, sort=False).tail(1)


def _of_unit(rows: pd.DataFrame, code: str, valid_from: str, set_id: str) -> pd.DataFrame:
    if rows.empty:
        return rows
    return rows[(rows["unit_code"].astype(str) == str(code))
                & (rows["unit_valid_from"].astype(str) == str(valid_from))
                & (rows["criteria_set"] == set_id)]


def _names(crit: Any) -> set[str]:
    words = {crit.id.casefold()}
    words |= {str(v).strip().casefold() for v in (crit.name or {}).values() if v}
    return words


def _status_states(cset: CriteriaSet, status: dict[str, Any] | None
                   ) -> dict[str, bool | None] | None:
    """Each criterion met (True), unmet (False) or not told (None) as a status row says;
    None where the row gives no count. An unmet entry is matched to a criterion by id or name
    (in any case); where some entry matches none ("nghèo đa chiều" in a set that names no such
    criterion), the criteria the row does not name unmet are not told.
    """
    if status is None or json_clean(status.get("criteria_met")) is None:
        return None
    unmet, unmatched = set(), 0
    for word in (str(u).strip().casefold() for u in (status.get("unmet_criteria") or [])):
        hits = [c.id for c in cset.criteria if word in _names(c)]
        if len(hits) == 1:
            unmet.add(hits[0])
        else:
            unmatched += 1
    return {c.id: (False if c.id in unmet else (None if unmatched else True))
            for c in cset.criteria}


def _unit_records(records: pd.DataFrame, cset: CriteriaSet, code: str, valid_from: str,
                  status: dict[str, Any] | None) -> dict[str, pd.Series]:
    """The unit's latest records for ``cset`` by criterion id; a record older than the
    status row is superseded by it.
    """
    mine = _of_unit(records, code, valid_from, cset.id)
    since = json_clean(status.get("as_of")) if status is not None else None
    return {str(r["criterion_id"]): r for _, r in mine.iterrows()
            if since is None or str(r["as_of"]) >= str(since)}


def unit_criteria(cset: CriteriaSet, records: pd.DataFrame, *, code: str, valid_from: str,
                  status: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Each criterion of ``cset`` for one unit: met (True/False/None), and whence.

    ``records`` are :func:`latest` rows; ``status`` the unit's latest ``unit_status`` row for
    this set (a dict) or None. A record on or after the status row's date decides; else the
    status row, where it tells.
    """
    by_id = _unit_records(records, cset, code, valid_from, status)
    states = _status_states(cset, status)
    out = []
    for crit in cset.criteria:
        rec = by_id.get(crit.id)
        told = states.get(crit.id) if states is not None else None
        if rec is not None:
            out.append({"id": crit.id, "met": json_clean(rec["met"]), "source": "recorded",
                        "as_of": json_clean(rec["as_of"]),
                        "record_source": json_clean(rec["source"]),
                        "value_text": json_clean(rec["value_text"])})
        elif told is not None and status is not None:
            out.append({"id": crit.id, "met": told, "source": "reported",
                        "as_of": json_clean(status.get("as_of")),
                        "record_source": json_clean(status.get("source")), "value_text": None})
        else:
            out.append({"id": crit.id, "met": None, "source": None, "as_of": None,
                        "record_source": None, "value_text": None})
    return out


def count_met(cset: CriteriaSet, records: pd.DataFrame, *, code: str, valid_from: str,
              status: dict[str, Any] | None = None) -> int | None:
    """The number of criteria of ``cset`` a unit meets.

    With a status row giving a count ("15/19"): that count, moved by each later record that
    turns a criterion the row names unmet to met (+1) or one it counts met to unmet (-1).
    Without: the number of criteria recorded met (None where none is recorded).
    """
    by_id = _unit_records(records, cset, code, valid_from, status)
    states = _status_states(cset, status)
    if states is None:
        return sum(json_clean(r["met"]) is True for r in by_id.values()) if by_id else None
    count = int(json_clean(status["criteria_met"])) if status is not None else 0
    for cid, rec in by_id.items():
        was, now = states.get(cid), json_clean(rec["met"])
        if was is False and now is True:
            count += 1
        elif was is True and now is False:
            count -= 1
    return min(max(count, 0), len(cset.criteria))


def mean_met(counts: list[int | None]) -> float | None:
    """The average number of criteria met over the units with a count (None if none has)."""
    known = [c for c in counts if c is not None]
    return round(sum(known) / len(known), 2) if known else None


def complete_kinds(sets: list[CriteriaSet], records: pd.DataFrame, *, code: str,
                   valid_from: str, statuses: dict[str, dict[str, Any]] | None = None
                   ) -> list[str]:
    """The kinds of set (``ntm``, ``ntm_nang_cao``…) all of whose criteria the unit meets
    (:func:`count_met`, from its records and its status row per set in ``statuses``), for
    the sets it has records of.
    """
    statuses = statuses or {}
    out = []
    for cset in sets:
        if _of_unit(records, code, valid_from, cset.id).empty:
            continue
        met = count_met(cset, records, code=code, valid_from=valid_from,
                        status=statuses.get(cset.id))
        if met is not None and met >= len(cset.criteria):
            out.append(cset.kind)
    return out
