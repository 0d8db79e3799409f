"""Roll-ups: conditions on the units below a unit (thôn → xã → huyện → tỉnh), as data.

A roll-up (``data/rollups/*.yml``) lists conditions such as "100% of the communes are NTM" or
"at least 40% are NTM nâng cao": which units (a level, below the unit, by the hierarchy valid
on the date), which NTM level they must reach, and the share needed. A district's
recognition conditions and a province's targets are two files, not two pieces of code.
"""

from __future__ import annotations

import operator
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import criteria as criteria_mod
from . import criteria_records as crit_records
from . import units as units_mod
from ._errors import CriterionDataMissing
from ._resources import share_path

__all__ = ["LEVEL_RANK", "descendants", "evaluate", "load_all", "rollups_for"]

# The ladder of NTM levels; "van_minh" is the civilised-town standard of towns.
LEVEL_RANK = {"not_yet": 0, "ntm": 1, "van_minh": 1, "ntm_nang_cao": 2, "ntm_kieu_mau": 3}
_OPS = {">=": operator.ge, ">": operator.gt, "<=": operator.le, "==": operator.eq}


@cache
def _load(folder: str) -> tuple[dict[str, Any], ...]:
    docs = []
    for path in sorted(Path(folder).glob("*.yml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        for key in ("id", "applies_to", "conditions"):
            if key not in doc:
                raise ValueError(f"{path.name}: missing '{key}'")
        docs.append(doc)
    return tuple(docs)


def load_all(folder: str | Path | None = None) -> tuple[dict[str, Any], ...]:
    """Every roll-up definition (default: the shipped ``data/rollups``)."""
    return _load(str(folder or share_path("data", "rollups")))


def rollups_for(level: str, code: str, date: str, folder: str | Path | None = None
                ) -> list[dict[str, Any]]:
    """The roll-ups that apply to a unit of ``level`` (and ``code``) on ``date``."""
    out = []
    for doc in load_all(folder):
        scope = doc["applies_to"]
        start, end = str(scope.get("from", "")), str(scope.get("to") or "9999")
        if scope["level"] == level and str(scope.get("code", code)) == code and \
                start <= date <= end:
            out.append(doc)
    return out


def descendants(units: pd.DataFrame, code: str, date: str, *, level: str) -> pd.DataFrame:
    """Units of ``level`` below unit ``code`` in the hierarchy valid on ``date``."""
    valid = units_mod.valid_on(units, date)
    found, frontier = [], {str(code)}
    while frontier:
        below = valid[valid["parent_code"].astype(str).isin(frontier)]
        found.append(below)
        frontier = set(below["code"].astype(str)) - frontier
    below = pd.concat(found) if found else valid.iloc[0:0]
    return below[below["level"] == level].drop_duplicates(subset=["code", "valid_from"])


def _levels(status: pd.DataFrame, units: pd.DataFrame, date: str) -> dict[tuple[str, str], Any]:
    """The latest reported NTM level of each unit (code, valid_from) on or before ``date``."""
    rows = status[status["as_of"].astype(str) <= date].sort_values("as_of", kind="stable")
    latest: dict[tuple[str, str], Any] = {}
    for _, row in rows.iterrows():
        key = (str(row["unit_code"]), str(row["unit_valid_from"]))
        if row["ntm_level"]:
            latest[key] = row["ntm_level"]
    return latest


def _status_rows(status: pd.DataFrame, date: str) -> dict[tuple[str, str, str], dict[str, Any]]:
    """The latest ``unit_status`` row per (unit code, valid_from, criteria set) on ``date``."""
    if "criteria_set" not in status.columns:  # levels only: no count to start from
        return {}
    rows = status[status["as_of"].astype(str) <= date].sort_values("as_of", kind="stable")
    return {(str(r["unit_code"]), str(r["unit_valid_from"]), str(r["criteria_set"])):
            r.to_dict() for _, r in rows.iterrows()}


def _statuses_of(rows: dict[tuple[str, str, str], dict[str, Any]], code: str,
                 valid_from: str) -> dict[str, dict[str, Any]]:
    return {k[2]: v for k, v in rows.items() if k[0] == code and k[1] == valid_from}


def _level_of(units: pd.DataFrame, code: str, valid_from: str) -> str | None:
    hit = units[(units["code"].astype(str) == code)
                & (units["valid_from"].astype(str) == valid_from)]
    return str(hit.iloc[0]["level"]) if not hit.empty else None


def _levels_from_criteria(levels: dict[tuple[str, str], Any], latest: pd.DataFrame,
                          rows: dict[tuple[str, str, str], dict[str, Any]],
                          units: pd.DataFrame, date: str) -> set[tuple[str, str]]:
    """Raise each unit's level to the highest kind of set all of whose criteria it meets
    (from its recorded criteria and status rows); the units so raised.
    """
    raised: set[tuple[str, str]] = set()
    if latest.empty:
        return raised
    for (code, valid_from), _ in latest.groupby(["unit_code", "unit_valid_from"], sort=False):
        key = (str(code), str(valid_from))
        level = _level_of(units, *key)
        if level is None:
            continue
        sets = criteria_mod.sets_for_level(level, date)
        kinds = crit_records.complete_kinds(sets, latest, code=key[0], valid_from=key[1],
                                            statuses=_statuses_of(rows, *key))
        best = max(kinds, key=lambda k: LEVEL_RANK.get(k, 0), default=None)
        if best is not None and LEVEL_RANK.get(best, 0) > LEVEL_RANK.get(levels.get(key, ""),
                                                                          -1):
            levels[key] = best
            raised.add(key)
    return raised


def evaluate(doc: dict[str, Any], *, code: str, date: str, units: pd.DataFrame,
             status: pd.DataFrame, reported: pd.DataFrame | None = None,
             criteria: pd.DataFrame | None = None) -> dict[str, Any]:
    """Evaluate roll-up ``doc`` for unit ``code`` on ``date``.

    ``status`` holds the units' reported NTM levels (the store's ``unit_status``);
    ``reported`` the reported values, for conditions no geometry answers; ``criteria`` the
    criteria recorded met or unmet (``reported_criteria``): a unit all of whose criteria of
    a set are met counts at that set's level, and a condition with ``from_criteria`` takes
    its value from them (a count of criteria met, or the average over the units below).
    """
    levels = _levels(status, units, date)
    latest = (crit_records.latest(criteria, date) if criteria is not None
              else pd.DataFrame())
    rows = _status_rows(status, date)
    raised = _levels_from_criteria(levels, latest, rows, units, date)
    expected = doc.get("expected_units") or {}
    results = [_condition(c, code=code, date=date, units=units, levels=levels,
                          reported=reported,
                          expected=expected.get(c.get("units")
                                                or (c.get("from_criteria") or {}).get("units")),
                          criteria=(latest, rows), raised=raised)
               for c in doc["conditions"]]
    met = [r["met"] for r in results]
    overall = False if False in met else (None if None in met else True)
    return {"id": doc["id"], "title": doc.get("title"), "source": doc.get("source"),
            "as_of": date, "unit": code, "met": overall, "conditions": results,
            "expected_units": doc.get("expected_units")}


def _from_criteria(cond: dict[str, Any], *, code: str, date: str, units: pd.DataFrame,
                   latest: pd.DataFrame, rows: dict[tuple[str, str, str], dict[str, Any]],
                   expected: int | None) -> dict[str, Any] | None:
    """A reported condition's value from the recorded criteria (``from_criteria``: ``kind``
    of set; ``units``, a level below whose average is taken; else the unit's own count).
    None where no record or status row gives one.
    """
    spec = cond["from_criteria"]
    target = str(cond.get("unit", code))
    if spec.get("units"):
        below = descendants(units, target, date, level=spec["units"])
        try:
            cset = criteria_mod.set_for(spec["units"], date, kind=spec.get("kind"))
        except CriterionDataMissing:
            return None
        counts = {str(r["code"]): crit_records.count_met(
                      cset, latest, code=str(r["code"]), valid_from=str(r["valid_from"]),
                      status=rows.get((str(r["code"]), str(r["valid_from"]), cset.id)))
                  for _, r in below.iterrows()}
        mine = latest[latest["criteria_set"] == cset.id] if not latest.empty else latest
        if mine.empty or not (mine["unit_code"].isin(list(counts))).any():
            return None  # no criterion of these units recorded: the reported value stands
        value = crit_records.mean_met(list(counts.values()))
        missing = [c for c, n in counts.items() if n is None]
        complete = not missing and len(counts) >= (expected or 0)
        return {"source": "criteria", "criteria_set": cset.id, "value": value,
                "counted": len(counts) - len(missing), "total": len(counts),
                "expected_total": expected, "no_data": missing, "complete": complete}
    valid = units_mod.valid_on(units, date)
    hit = valid[valid["code"].astype(str) == target]
    if hit.empty:
        return None
    row = hit.iloc[0]
    try:
        cset = criteria_mod.set_for(str(row["level"]), date, kind=spec.get("kind"))
    except CriterionDataMissing:
        return None
    valid_from = str(row["valid_from"])
    value = crit_records.count_met(cset, latest, code=target, valid_from=valid_from,
                                   status=rows.get((target, valid_from, cset.id)))
    if value is None:
        return None
    return {"source": "criteria", "criteria_set": cset.id, "value": value, "complete": True}


def _condition(cond: dict[str, Any], *, code: str, date: str, units: pd.DataFrame,
               levels: dict[tuple[str, str], Any], reported: pd.DataFrame | None,
               expected: int | None = None,
               criteria: tuple[pd.DataFrame, dict[tuple[str, str, str], dict[str, Any]]]
               | None = None, raised: set[tuple[str, str]] | None = None) -> dict[str, Any]:
    base = {"id": cond["id"], "text": cond.get("text"), "op": cond["op"],
            "threshold": cond["value"]}
    if "reported" in cond and "from_criteria" in cond and criteria is not None:
        found = _from_criteria(cond, code=code, date=date, units=units, latest=criteria[0],
                               rows=criteria[1], expected=expected)
        if found is not None:
            value = found["value"]
            met = None if value is None else bool(_OPS[cond["op"]](float(value),
                                                                    cond["value"]))
            if not found["complete"]:
                met = None  # units without a count could move the average either way
            return {**base, **found, "unit": str(cond.get("unit", code)), "met": met}
    if "reported" in cond:
        value = None
        if reported is not None and not reported.empty:
            # ``unit``: a named unit's value (a commune's, in a district's targets)
            rows = reported[(reported["indicator_id"] == cond["reported"])
                            & (reported["unit_code"].astype(str) == str(cond.get("unit", code)))
                            & (reported["as_of"].astype(str) <= date)]
            if not rows.empty:
                value = rows.sort_values("as_of").iloc[-1]["value"]
        met = None if value is None else bool(_OPS[cond["op"]](float(value), cond["value"]))
        return {**base, "source": "reported", "unit": str(cond.get("unit", code)),
                "value": value, "met": met}
    below = descendants(units, code, date, level=cond["units"])
    need = LEVEL_RANK[cond["at_least"]]
    known = [(str(r["code"]), str(r["valid_from"])) for _, r in below.iterrows()]
    reached = [k for k in known if LEVEL_RANK.get(levels.get(k, ""), -1) >= need]
    unknown = [k[0] for k in known if k not in levels]
    total = max(len(known), expected or 0)  # units the source counts but the store lacks
    if not total:
        met = cond.get("when_none")
        share = None
    else:
        share = round(100 * len(reached) / len(known), 2) if known else None
        # ``measure: count``: a number of units ("9 communes NTM"), not a share of them
        by_count = cond.get("measure") == "count"
        exact = len(reached) if by_count else round(100 * len(reached) / total, 2)
        met = bool(_OPS[cond["op"]](exact, cond["value"]))
        missing = len(unknown) + total - len(known)
        if not met and missing:
            # Units with no reported level (or not in the store) could still reach it: say
            # "unknown", not "unmet", unless even all of them reaching it would not be enough.
            best = len(reached) + missing if by_count else \
                100 * (len(reached) + missing) / total
            met = None if _OPS[cond["op"]](best, cond["value"]) else False
    out = {**base, "source": "computed", "units": cond["units"], "at_least": cond["at_least"],
           "measure": cond.get("measure", "share"),
           "value": share, "count": len(reached), "total": len(known),
           "expected_total": expected,
           "reached": [k[0] for k in reached], "no_data": unknown, "met": met}
    by_criteria = [k[0] for k in reached if raised and k in raised]
    if by_criteria:  # units counted at this level because all their criteria are met
        out["by_criteria"] = by_criteria
    return out
