"""Which criteria a unit meets, indicator by indicator, with the source and date of each value.

:func:`evaluate` is the pure computation (criteria set + reported values + computed values ->
one status document); :func:`from_store` gathers its inputs from a store. The CLI, the web
map and the exports all print this one document.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from . import criteria as criteria_mod
from . import criteria_records as crit_records
from . import i18n
from . import lineage as lineage_mod
from . import owners as owners_mod
from . import rollup as rollup_mod
from . import units as units_mod
from ._errors import CriterionDataMissing, InputError
from .computed import ComputedValue, compute_all
from .criteria import CriteriaSet, Indicator
from .snapshot import ensure
from .store import Store, StoreReader
from .values import json_clean

__all__ = ["ComputedValue", "commune_document", "department_items", "evaluate", "from_store",
           "province_document", "record_criterion", "record_value", "report", "rollups",
           "units_document"]


# The disagreements' notes: each is one English template with named fields (its msgid in the
# catalogue ``documents``, ntmgeo/locale/<lang>/LC_MESSAGES/documents.po, where the Vietnamese
# is) rendered in both languages by :func:`i18n.both`. A value the document quotes is given as
# ``str`` (``both`` would write a float the Vietnamese way).
_both = i18n.both


def _summary_key(key: str) -> dict[str, str]:
    """A count of the summary named in a note: its Vietnamese words, its key in English."""
    words = {"indicators_met": _both("number of indicators met"),
             "indicators_total": _both("number of indicators"),
             "criteria_met": _both("number of criteria met"),
             "criteria_total": _both("number of criteria")}[key]
    return {"vi": words["vi"], "en": key}


def _met(met: bool | None) -> dict[str, str]:
    return _both("met") if met else _both("unmet")


def _latest(rows: pd.DataFrame, as_of: str) -> pd.DataFrame:
    """The latest row per indicator whose as_of is on or before ``as_of``."""
    if rows.empty:
        return rows
    rows = rows[rows["as_of"].astype(str) <= as_of]
    rows = rows.sort_values(["as_of", "recorded_at"], kind="stable")
    return rows.groupby("indicator_id", sort=False).tail(1).set_index("indicator_id")


def _indicator_doc(ind: Indicator, reported: pd.Series | None,
                   computed: ComputedValue | None, *, zone: str | None = None
                   ) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    threshold = ind.threshold_for(zone)
    disagreements: list[dict[str, Any]] = []
    rep_value = json_clean(reported["value"]) if reported is not None else None
    rep_met = json_clean(reported["met"]) if reported is not None else None
    if rep_met is None and threshold is not None:
        rep_met = threshold.met_by(rep_value)
    doc: dict[str, Any] = {
        "id": ind.id, "name": ind.name,
        "threshold": threshold.as_dict() if threshold else None,
        "method": ind.method,
        "departments": [],  # the unit's owners: owners.attach (from_store)
    }
    if computed is not None and (computed.value is not None or computed.met is not None):
        met = computed.met if computed.met is not None else (
            threshold.met_by(computed.value) if threshold else None)
        doc.update(value=computed.value, unit=computed.unit, value_text=computed.value_text,
                   met=met, source="computed", as_of=computed.as_of,
                   features=list(computed.features))
        if reported is not None:
            doc["reported"] = {"value": rep_value, "value_text": json_clean(reported["value_text"]),
                               "met": rep_met, "as_of": json_clean(reported["as_of"])}
            rep_text = json_clean(reported["value_text"]) or rep_value
            if rep_met is not None and met is not None and rep_met != met:
                disagreements.append({
                    "kind": "indicator", "id": ind.id, "reported": rep_met, "computed": met,
                    "note": _both("{id}: reported {reported} ({reported_text}), computed "
                                  "{computed} ({computed_text})", id=ind.id,
                                  reported=_met(rep_met), reported_text=str(rep_text),
                                  computed=_met(met), computed_text=str(computed.value_text))})
    elif reported is not None:
        doc.update(value=rep_value, unit=json_clean(reported["unit"]),
                   value_text=json_clean(reported["value_text"]), met=rep_met, source="reported",
                   as_of=json_clean(reported["as_of"]))
        by_value = threshold.met_by(rep_value) if threshold else None
        if (threshold is not None and by_value is not None and rep_met is not None
                and by_value != rep_met):
            disagreements.append({
                "kind": "indicator", "id": ind.id, "reported": rep_met, "computed": by_value,
                "note": _both("{id}: reported {reported} but its value {value} against "
                              "{threshold} says otherwise", id=ind.id, reported=_met(rep_met),
                              value=str(rep_value), threshold=str(threshold.text))})
    else:
        doc.update(value=None, unit=None, value_text=None, met=None, source=None, as_of=None)
    if computed is not None:
        # Which condition decided (and the rule's source), and what the layers could not
        # answer: shown whether the computed value stands or the reported one does.
        if computed.basis:
            doc["basis"] = computed.basis
        if computed.note:
            doc["note"] = computed.note
    if ind.guidance:
        doc["guidance"] = ind.guidance
    if reported is not None:
        doc["deadline"] = json_clean(reported["deadline"])
        doc["deadline_text"] = json_clean(reported["deadline_text"])
    return doc, disagreements


def _all_met(values: list[bool | None]) -> bool | None:
    if any(v is False for v in values):
        return False
    if any(v is None for v in values) or not values:
        return None
    return True


def _criterion_met(crit: Any, values: list[bool | None]) -> bool | None:
    """A criterion met when all its indicators are; where they are not its full list (some
    added by a thresholds file), one unmet makes it unmet and all met tell nothing.
    """
    met = _all_met(values)
    return None if met is True and not crit.complete else met


def evaluate(
    cset: CriteriaSet,
    *,
    unit: dict[str, Any],
    as_of: str,
    reported: pd.DataFrame,
    summary: dict[str, Any] | None = None,
    computed: dict[str, ComputedValue] | None = None,
    criteria_records: pd.DataFrame | None = None,
    zone: str | None = None,
) -> dict[str, Any]:
    """Status document of one unit under one criteria set on ``as_of``.

    A criterion is met when all its indicators are; an indicator is met as computed from
    the layers where a computed value exists, else as reported. The summary gives the counts
    this yields; beside them ``table``, the counts from the reported values alone (the
    document's table as printed), and ``reported``, the document's own summary; every
    disagreement is listed. ``criteria_records`` (the unit's ``reported_criteria`` rows for
    this set) decide a criterion its indicators do not: one without indicators in the
    catalogue, or one whose indicators are not all known.
    """
    latest = _latest(reported, as_of)
    recs = (crit_records.latest(criteria_records, as_of) if criteria_records is not None
            else pd.DataFrame())
    recorded = {str(r["criterion_id"]): r for _, r in recs.iterrows()
                if r["criteria_set"] == cset.id}
    computed = computed or {}
    crit_docs: list[dict[str, Any]] = []
    disagreements: list[dict[str, Any]] = []
    for crit in cset.criteria:
        rec = recorded.get(crit.id)
        if crit.indicators is None:
            crit_docs.append({"id": crit.id, "name": crit.name, "met": None, "indicators": None,
                              "note": crit.note or _both("not in the catalogue")})
            if rec is not None:
                crit_docs[-1].update(_recorded(rec))
            continue
        ind_docs = []
        for ind in crit.indicators:
            rep = latest.loc[ind.id] if ind.id in latest.index else None
            doc, dis = _indicator_doc(ind, rep, computed.get(ind.id), zone=zone)
            ind_docs.append(doc)
            disagreements.extend(dis)
        crit_docs.append({"id": crit.id, "name": crit.name,
                          "met": _criterion_met(crit, [d["met"] for d in ind_docs]),
                          "indicators": ind_docs})
        if rec is not None and crit_docs[-1]["met"] is None:
            crit_docs[-1].update(_recorded(rec))
    inds = [d for c in crit_docs for d in (c["indicators"] or [])]
    counts = {
        "indicators_met": sum(d["met"] is True for d in inds),
        "indicators_total": len(cset.indicators),
        "criteria_met": sum(c["met"] is True for c in crit_docs),
        "criteria_total": len(cset.criteria),
    }
    summary_doc: dict[str, Any] = {
        **counts,
        "indicators_unmet": [d["id"] for d in inds if d["met"] is False],
        "indicators_unknown": [d["id"] for d in inds if d["met"] is None],
        "criteria_unmet": [c["id"] for c in crit_docs if c["met"] is False],
        "reported": None,
        "disagreements": disagreements,
    }
    if computed:
        # The same figures from the reported values alone: the document's table as printed.
        table = evaluate(cset, unit=unit, as_of=as_of, reported=reported,
                         criteria_records=criteria_records, zone=zone)["summary"]
        summary_doc["table"] = {k: table[k] for k in (*counts, "indicators_unmet",
                                                      "criteria_unmet")}
    if summary is not None:
        summary_doc["reported"] = {k: json_clean(summary.get(k)) for k in counts}
        summary_doc["reported_as_of"] = json_clean(summary.get("as_of"))
        summary_doc["reported_source"] = json_clean(summary.get("source"))
        summary_doc["reported_statement"] = json_clean(summary.get("statement"))
        disagreements.extend(_summary_disagreements(counts, summary, summary_doc, crit_docs))
    return {
        "unit": unit,
        "criteria_set": {"id": cset.id, "title": cset.title, "level": cset.level,
                         "decisions": list(cset.decisions)},
        "as_of": as_of,
        "criteria": crit_docs,
        "summary": summary_doc,
    }


def _recorded(rec: pd.Series) -> dict[str, Any]:
    """A criterion's fields from its latest ``reported_criteria`` record."""
    return {"met": json_clean(rec["met"]), "source": "recorded", "as_of": json_clean(rec["as_of"]),
            "record_source": json_clean(rec["source"]), "value_text": json_clean(rec["value_text"])}


def _summary_disagreements(counts: dict[str, int], summary: dict[str, Any],
                           summary_doc: dict[str, Any], crit_docs: list[dict[str, Any]]
                           ) -> list[dict[str, Any]]:
    out = []
    for key, value in counts.items():
        rep = json_clean(summary.get(key))
        if rep is not None and int(rep) != value:
            out.append({"kind": "summary", "id": key, "reported": int(rep), "computed": value,
                        "note": _both("{key}: the document says {reported}, its indicators "
                                      "give {computed}", key=_summary_key(key),
                                      reported=str(rep), computed=str(value))})
    rep_unmet_ind = set(summary.get("unmet_indicators") or [])
    if rep_unmet_ind:
        for iid in summary_doc["indicators_unmet"]:
            if iid not in rep_unmet_ind:
                out.append({"kind": "indicator_list", "id": iid, "reported": "not listed",
                            "computed": "unmet",
                            "note": _both("{id}: unmet, missing from the summary's list",
                                          id=iid)})
        for iid in sorted(rep_unmet_ind - set(summary_doc["indicators_unmet"])):
            out.append({"kind": "indicator_list", "id": iid, "reported": "unmet",
                        "computed": "not unmet",
                        "note": _both("{id}: listed unmet by the summary, not unmet in the "
                                      "table", id=iid)})
    rep_unmet_crit = set(summary.get("unmet_criteria") or [])
    if rep_unmet_crit:
        by_id = {c["id"]: c for c in crit_docs}
        for cid in sorted(rep_unmet_crit - set(summary_doc["criteria_unmet"])):
            met = by_id.get(cid, {}).get("met")
            out.append({"kind": "criterion_list", "id": cid, "reported": "unmet",
                        "computed": "met" if met else met,
                        "note": _both("criterion {id}: named unmet by the summary, but all "
                                      "its indicators are met", id=cid) if met else
                        _both("criterion {id}: named unmet by the summary", id=cid)})
        for cid in sorted(set(summary_doc["criteria_unmet"]) - rep_unmet_crit):
            out.append({"kind": "criterion_list", "id": cid, "reported": "not listed",
                        "computed": "unmet",
                        "note": _both("criterion {id}: unmet, not named by the summary",
                                      id=cid)})
    return out


# ------------------------------------------------------------------------------- from a store


def _unit_doc(row: pd.Series) -> dict[str, Any]:
    return {"code": str(row["code"]), "name": row["name"], "level": row["level"],
            "valid_from": json_clean(row["valid_from"]), "valid_to": json_clean(row["valid_to"]),
            "aliases": row["aliases"] or []}


def _pick_unit(units: pd.DataFrame, level: str, as_of: str, code: str | None) -> pd.Series:
    valid = units_mod.valid_on(units, as_of, level=level)
    if code is not None:
        valid = valid[valid["code"] == code]
    if valid.empty:
        if level == "district":
            msg = ("no unit {code} valid on {as_of} in the store (districts stopped operating "
                   "on 30/6/2025)" if code else "no district valid on {as_of} in the store "
                   "(districts stopped operating on 30/6/2025)")
        else:
            msg = ("no unit {code} valid on {as_of} in the store" if code
                   else "no {level} valid on {as_of} in the store")
        raise CriterionDataMissing(msg, code=code, level=level, as_of=as_of)
    if len(valid) > 1:
        codes = ", ".join(valid["code"].astype(str))
        raise CriterionDataMissing("several {level} units on {as_of} ({codes})", level=level,
                                   as_of=as_of, codes=codes, hint="unit")
    return valid.iloc[0]


def default_as_of(store: StoreReader, level: str | None = None) -> str:
    """The latest date the store has data for (reported values, statuses, surveys).

    With ``level``: if no unit of that level is valid on that date (a district after
    30/6/2025), the last day one was, so that "now" shows the latest status that exists.
    """
    store = ensure(store)
    dates = [d for t in ("reported_values", "unit_status", "reported_criteria")
             for d in store.read_records(t)["as_of"].dropna().astype(str)]
    dates += list(store.read_layer("surveys")["survey_date"].dropna().astype(str))
    day = max(dates) if dates else dt.date.today().isoformat()
    if level is not None:
        units = store.read_layer("admin_units")
        units = units[units["level"] == level]
        if not units.empty and units_mod.valid_on(units, day).empty:
            ends = [str(e) for e in units["valid_to"].dropna() if str(e) < day]
            if ends:
                return max(ends)
    return day


def from_store(store: StoreReader, *, level: str = "district", unit: str | None = None,
               as_of: str | None = None,
               computed: dict[str, ComputedValue] | None = None,
               source: str = "all") -> dict[str, Any]:
    """The status document of a unit of ``level`` as of a date, from a store's records.

    Indicators the layers can answer are computed (``source="all"``, the default); with
    ``source="reported"`` only the reported values count (the document's table as printed).
    ``store`` may be a :class:`~ntmgeo.snapshot.Snapshot`: every layer is read once.
    """
    store = ensure(store)
    if level == "province":  # its communes by level and group, its old districts as history
        return province_document(store, code=unit,
                                 as_of=as_of or _province_default_as_of(store, unit))
    as_of = as_of or default_as_of(store, level)
    units = store.read_layer("admin_units")
    if level == "commune":
        return commune_document(store, units, as_of=as_of, code=unit)
    if unit is None and len(units_mod.valid_on(units, as_of, level=level)) > 1 \
            and level in _LISTED_LEVELS:
        return units_document(store, units, level=level, as_of=as_of)
    row = _pick_unit(units, level, as_of, unit)
    cset = with_store_thresholds(store, criteria_mod.set_for(level, as_of), as_of)
    code, valid_from = str(row["code"]), str(row["valid_from"])
    recs = store.read_records("reported_criteria")
    recs = recs[(recs["unit_code"].astype(str) == code)
                & (recs["unit_valid_from"].astype(str) == valid_from)]
    rep = store.read_records("reported_values")
    rep = rep[(rep["unit_code"] == code) & (rep["unit_valid_from"].astype(str) == valid_from)
              & (rep["criteria_set"] == cset.id)]
    summaries = store.read_records("reported_summaries")
    summaries = summaries[(summaries["unit_code"] == code)
                          & (summaries["unit_valid_from"].astype(str) == valid_from)
                          & (summaries["criteria_set"] == cset.id)
                          & (summaries["as_of"].astype(str) <= as_of)]
    summary = None
    if not summaries.empty:
        summary = summaries.sort_values("as_of", kind="stable").iloc[-1].to_dict()
    if computed is None:
        computed = compute_all(store, cset, as_of, unit=code) if source == "all" else {}
    doc = evaluate(cset, unit=_unit_doc(row), as_of=as_of, reported=rep, summary=summary,
                   computed=computed, criteria_records=recs)
    others = _other_set_counts(recs, level=level, as_of=as_of, code=code,
                               valid_from=valid_from, main=cset.id)
    if others:  # only where criteria of another set (nâng cao…) are recorded
        doc["other_sets"] = others
    owners_mod.attach(doc, units)
    doc["recognition"] = rollups(store, level=level, code=code, as_of=as_of, units=units)
    return doc


# Levels whose units are listed, one row each, when no --unit is given and several are valid.
_LISTED_LEVELS = ("village", "town")


def _set_counts(cset: CriteriaSet, latest: pd.DataFrame, *, code: str, valid_from: str,
                status: dict[str, Any] | None = None) -> dict[str, Any]:
    """A unit's count under one set: met, total, unmet and unknown ids, latest record date."""
    crits = crit_records.unit_criteria(cset, latest, code=code, valid_from=valid_from,
                                       status=status)
    dates = [c["as_of"] for c in crits if c["source"] == "recorded" and c["as_of"]]
    return {"criteria_set": cset.id, "kind": cset.kind,
            "criteria_met": crit_records.count_met(cset, latest, code=code,
                                                   valid_from=valid_from, status=status),
            "criteria_total": len(cset.criteria),
            "unmet": [c["id"] for c in crits if c["met"] is False],
            "unknown": [c["id"] for c in crits if c["met"] is None],
            "recorded": sum(c["source"] == "recorded" for c in crits),
            "as_of": max(dates) if dates else None}


def _other_set_counts(recs: pd.DataFrame, *, level: str, as_of: str, code: str,
                      valid_from: str, main: str) -> list[dict[str, Any]]:
    """Counts under the level's other sets (nâng cao…) that the unit has records for."""
    latest = crit_records.latest(recs, as_of)
    if latest.empty:
        return []
    return [_set_counts(s, latest, code=code, valid_from=valid_from)
            for s in criteria_mod.sets_for_level(level, as_of)
            if s.id != main and (latest["criteria_set"] == s.id).any()]


def units_document(store: StoreReader, units: pd.DataFrame, *, level: str, as_of: str
                   ) -> dict[str, Any]:
    """Every unit of ``level`` valid on ``as_of`` (villages, towns) with its criteria met
    under each set in force, from the recorded criteria.
    """
    store = ensure(store)
    valid = units_mod.valid_on(units, as_of, level=level).sort_values("code")
    sets = criteria_mod.sets_for_level(level, as_of)
    if not sets:
        criteria_mod.set_for(level, as_of)  # raises: no set for the level
    latest = crit_records.latest(store.read_records("reported_criteria"), as_of)
    entries = []
    for _, row in valid.iterrows():
        code, valid_from = str(row["code"]), str(row["valid_from"])
        counts = [_set_counts(s, latest, code=code, valid_from=valid_from) for s in sets]
        entries.append({"code": code, "name": row["name"],
                        "valid_from": json_clean(row["valid_from"]), "sets": counts})
    main = [e["sets"][0]["criteria_met"] for e in entries]
    return {"level": level, "as_of": as_of,
            "criteria_set": {"id": sets[0].id, "title": sets[0].title},
            "units": entries,
            "summary": {"units": len(entries),
                        "criteria_met_mean": crit_records.mean_met(main),
                        "counted": sum(m is not None for m in main),
                        "no_data": sum(m is None for m in main)}}


def rollups(store: StoreReader, *, level: str, code: str, as_of: str,
            units: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """The roll-up conditions (``data/rollups``) that apply to unit ``code`` on ``as_of``,
    evaluated from the reported levels of the units below it.
    """
    store = ensure(store)
    units = store.read_layer("admin_units") if units is None else units
    status = store.read_records("unit_status")
    reported = store.read_records("reported_values")
    criteria = store.read_records("reported_criteria")
    return [rollup_mod.evaluate(doc, code=code, date=as_of, units=units, status=status,
                                reported=reported, criteria=criteria)
            for doc in rollup_mod.rollups_for(level, code, as_of)]


def with_store_thresholds(store: StoreReader, cset: CriteriaSet, as_of: str) -> CriteriaSet:
    """``cset`` with the thresholds the store holds for it on ``as_of`` (a province's or a
    user's file: :mod:`ntmgeo.thresholds`) applied.
    """
    return criteria_mod.with_thresholds(cset, store.read_records("thresholds"), as_of=as_of)


def unit_group(groups: pd.DataFrame, cset: CriteriaSet, *, code: str, valid_from: str,
               as_of: str) -> dict[str, Any] | None:
    """A unit's commune group under ``cset`` on ``as_of`` (its latest ``unit_groups`` row on
    or before the date): id, name, date, source and note; ``None`` where none is recorded.
    """
    if groups.empty:
        return None
    mine = groups[(groups["unit_code"].astype(str) == code)
                  & (groups["unit_valid_from"].astype(str) == valid_from)
                  & (groups["criteria_set"] == cset.id)
                  & (groups["as_of"].astype(str) <= as_of)]
    if mine.empty:
        return None
    row = mine.sort_values(["as_of", "recorded_at"], kind="stable").iloc[-1]
    gid = criteria_mod.zone_id(cset, row["group"]) or str(row["group"])
    zone = next((z for z in cset.zones if str(z.get("id")) == gid), {})
    return {"id": gid, "name": zone.get("name"), "as_of": json_clean(row["as_of"]),
            "source": json_clean(row["source"]), "note": json_clean(row["note"])}


def _with_indicators(entry: dict[str, Any], cset: CriteriaSet, values: pd.DataFrame,
                     as_of: str, zone: str | None) -> None:
    """A commune's criteria judged from its reported indicator values, against the
    thresholds of its group (``zone``), where the set (with a thresholds file's) has
    indicators: a criterion the indicators decide takes their verdict over the status row and
    the records; the count moves with it. Unchanged where no value is reported.
    """
    if not cset.indicators or values.empty:
        return
    code, valid_from = entry["comm_code"], str(entry["valid_from"])
    latest = _latest(values[(values["unit_code"].astype(str) == code)
                            & (values["unit_valid_from"].astype(str) == valid_from)
                            & (values["criteria_set"] == cset.id)], as_of)
    if latest.empty:
        return
    if entry["criteria"] is None:
        entry["criteria"] = [
            {"id": c.id, "name": c.name, "met": None, "source": None, "as_of": None,
             "indicators": None if c.indicators is None else len(c.indicators),
             "threshold": None, "note": c.note or _both("not in the catalogue")}
            for c in cset.criteria]
    by_id = {c["id"]: c for c in entry["criteria"]}
    count = entry["criteria_met"]
    for crit in cset.criteria:
        if not crit.indicators or crit.id not in by_id:
            continue
        docs = [_indicator_doc(i, latest.loc[i.id] if i.id in latest.index else None, None,
                               zone=zone)[0] for i in crit.indicators]
        met = _criterion_met(crit, [d["met"] for d in docs])
        doc = by_id[crit.id]
        doc["indicator_values"] = docs
        doc["indicators"] = len(crit.indicators)
        if met is None:
            continue
        was = doc["met"]
        if count is not None and was is not None and was != met:
            count += 1 if met else -1
        doc.update(met=met, source="indicators",
                   as_of=max(d["as_of"] for d in docs if d["as_of"]))
    if count is None:
        count = sum(c["met"] is True for c in entry["criteria"])
    entry["criteria_met"] = count
    dates = [c["as_of"] for c in entry["criteria"] if c["as_of"]]
    entry["as_of"] = max([entry["as_of"] or "", *dates]) or None


def _without_set(row: pd.Series) -> dict[str, Any]:
    """A commune's entry on a date no commune set is in force: the unit, no status."""
    return {"comm_code": str(row["code"]), "name": row["name"],
            "valid_from": json_clean(row["valid_from"]), "level": None, "criteria": [],
            "criteria_met": None, "criteria_total": None, "as_of": None, "source": None,
            "note": None, "other_sets": [], "group": None}


def commune_document(store: StoreReader, units: pd.DataFrame, *, as_of: str,
                     code: str | None = None) -> dict[str, Any]:
    """Every commune valid on ``as_of`` with its latest reported NTM level and criteria."""
    communes = units_mod.valid_on(units, as_of, level="commune")
    if code is not None:
        communes = communes[communes["code"] == code]
    if communes.empty:
        raise CriterionDataMissing("no commune {code} valid on {as_of}" if code
                                   else "no commune valid on {as_of}", code=code, as_of=as_of)
    found, in_force = criteria_mod.in_force("commune", as_of)
    cset = with_store_thresholds(store, found, as_of) if found is not None else None
    sets = criteria_mod.sets_for_level("commune", as_of)
    groups, values = store.read_records("unit_groups"), store.read_records("reported_values")
    status = store.read_records("unit_status")
    status = status[status["as_of"].astype(str) <= as_of]
    latest_recs = crit_records.latest(store.read_records("reported_criteria"), as_of)
    lineage = lineage_mod.links(units)
    docs = []
    for _, row in communes.sort_values("code").iterrows():
        if cset is None:  # no set in force: the unit, no status (``no_set`` says why)
            entry = _without_set(row)
            entry["predecessors"] = _predecessors(units, row, status, lineage)
            docs.append(entry)
            continue
        mine = status[(status["unit_code"] == row["code"])
                      & (status["unit_valid_from"].astype(str) == str(row["valid_from"]))]
        own = mine[mine["criteria_set"] == cset.id].sort_values("as_of", kind="stable")
        other = mine[mine["criteria_set"] != cset.id]
        latest = own.iloc[-1] if not own.empty else None
        entry = _commune_entry(cset, row, latest, other)
        if not latest_recs.empty:
            _with_records(entry, sets, cset, latest_recs, row, latest, other)
        entry["group"] = unit_group(groups, cset, code=str(row["code"]),
                                    valid_from=str(row["valid_from"]), as_of=as_of)
        _with_indicators(entry, cset, values, as_of,
                         entry["group"]["id"] if entry["group"] else None)
        entry["predecessors"] = _predecessors(units, row, status, lineage)
        docs.append(entry)
    ntm = sum(d["level"] in ("ntm", "ntm_nang_cao", "ntm_kieu_mau") for d in docs)
    summary: dict[str, Any] = {
        "communes": len(docs), "ntm_or_above": ntm,
        "no_data": sum(d["level"] is None for d in docs),
        "ntm_nang_cao_or_above": sum(d["level"] in ("ntm_nang_cao", "ntm_kieu_mau")
                                     for d in docs)}
    if cset is None:
        return {"level": "commune", "as_of": as_of, "criteria_set": None,
                "no_set": in_force, "communes": docs, "summary": summary}
    if not latest_recs.empty and (latest_recs["criteria_set"] == cset.id).any():
        # The average number of criteria met per commune (Tam Đường's "18,5 tiêu chí/xã",
        # seed 003 line 39), over the communes with a count.
        counts = [d["criteria_met"] for d in docs]
        summary["criteria_met_mean"] = crit_records.mean_met(counts)
        summary["criteria_counted"] = sum(c is not None for c in counts)
    return {"level": "commune", "as_of": as_of,
            "criteria_set": {"id": cset.id, "title": cset.title,
                             "decisions": list(cset.decisions),
                             "threshold_scheme": cset.threshold_scheme,
                             "groups": list(cset.zones) if cset.threshold_scheme == "group"
                             else None},
            "set_in_force": in_force, "communes": docs, "summary": summary}


def _with_records(entry: dict[str, Any], sets: list[CriteriaSet], cset: CriteriaSet,
                  latest_recs: pd.DataFrame, row: pd.Series, status_row: pd.Series | None,
                  other: pd.DataFrame) -> None:
    """A commune's entry with its recorded criteria: per criterion (a record decides, else
    the status row), its count under each set recorded, and the level all the criteria of a
    set reach where the status says less. Unchanged where the commune has no record.
    """
    code, valid_from = str(row["code"]), str(row["valid_from"])
    recorded = latest_recs[(latest_recs["unit_code"] == code)
                           & (latest_recs["unit_valid_from"] == valid_from)]
    if recorded.empty:
        return
    status = status_row.to_dict() if status_row is not None else None
    statuses = {cset.id: status} if status is not None else {}
    for sid, rows in other.groupby("criteria_set"):
        statuses[str(sid)] = rows.sort_values("as_of", kind="stable").iloc[-1].to_dict()
    if (recorded["criteria_set"] == cset.id).any():
        crits = crit_records.unit_criteria(cset, recorded, code=code, valid_from=valid_from,
                                           status=status)
        entry["criteria"] = [
            {"id": c.id, "name": c.name, "met": m["met"], "source": m["source"],
             "as_of": m["as_of"], "record_source": m["record_source"],
             "indicators": None if c.indicators is None else len(c.indicators),
             "threshold": None, "note": c.note or _both("not in the catalogue")}
            for c, m in zip(cset.criteria, crits, strict=True)]
        entry["criteria_met"] = crit_records.count_met(cset, recorded, code=code,
                                                       valid_from=valid_from, status=status)
        entry["criteria_unknown"] = [m["id"] for m in crits if m["met"] is None]
        dates = [m["as_of"] for m in crits if m["source"] == "recorded"]
        entry["as_of"] = max([entry["as_of"] or "", *dates]) or None
    for other_set in sets:
        if other_set.id == cset.id or not (recorded["criteria_set"] == other_set.id).any():
            continue
        srow = statuses.get(other_set.id)
        counts = _set_counts(other_set, recorded, code=code, valid_from=valid_from,
                             status=srow)
        kept = [o for o in entry["other_sets"] if o["criteria_set"] != other_set.id]
        entry["other_sets"] = [*kept, {
            "criteria_set": other_set.id, "criteria_met": counts["criteria_met"],
            "criteria_total": counts["criteria_total"], "unmet": counts["unmet"],
            "unknown": counts["unknown"], "recorded": counts["recorded"],
            "target": json_clean(srow["target"]) if srow else None,
            "as_of": max(filter(None, [counts["as_of"], json_clean(srow["as_of"]) if srow
                                       else None])),
            "note": json_clean(srow["note"]) if srow else None}]
    reached = crit_records.complete_kinds(sets, recorded, code=code, valid_from=valid_from,
                                          statuses=statuses)
    rank = rollup_mod.LEVEL_RANK
    best = max(reached, key=lambda k: rank.get(k, 0), default=None)
    if best is not None and rank.get(best, 0) > rank.get(entry["level"] or "", -1):
        entry["level"] = best
        entry["level_basis"] = "criteria"


def _status_record(row: dict[str, Any]) -> dict[str, Any]:
    """A unit_status row as a predecessor's record: its own set, level, counts and source."""
    total = json_clean(row["criteria_total"])
    if total is None:  # the set's own number of criteria, where the catalogue holds it
        known = criteria_mod.all_sets()
        if row["criteria_set"] in known:
            total = len(known[row["criteria_set"]].criteria)
    return {"criteria_set": row["criteria_set"], "level": json_clean(row["ntm_level"]),
            "criteria_met": json_clean(row["criteria_met"]), "criteria_total": total,
            "unmet": list(row["unmet_criteria"] or []), "target": json_clean(row["target"]),
            "as_of": json_clean(row["as_of"]), "source": json_clean(row["source"]),
            "note": json_clean(row["note"])}


def _predecessors(units: pd.DataFrame, row: pd.Series, status: pd.DataFrame,
                  links: pd.DataFrame) -> list[dict[str, Any]]:
    """The units a commune was formed from (and theirs, ``generation`` 2…), each with its
    own latest status records from before the unit it went into existed: their codes,
    names, dates and sources, never the commune's. The main record is the one under the
    commune set in force on the predecessor's last day (``other_sets``: the others).
    """
    out = []
    related = lineage_mod.predecessors(units, str(row["code"]), str(row["valid_from"]),
                                       table=links)
    for pred in related.to_dict("records"):
        # a predecessor the store does not hold has no dates, names or "held" (NaN in the
        # frame): None, never a float that reads as true
        pred = {k: json_clean(v) for k, v in pred.items()}
        before = pred["date"]  # the day the unit it went into began: its records end there
        mine = status[(status["unit_code"].astype(str) == pred["code"])
                      & (status["unit_valid_from"].astype(str) == str(pred["valid_from"]))
                      & (status["as_of"].astype(str) < before)]
        mine = mine.sort_values("as_of", kind="stable").groupby("criteria_set").tail(1)
        records = [_status_record(r) for r in mine.to_dict("records")]
        last = pred["valid_to"] or (dt.date.fromisoformat(before)
                                    - dt.timedelta(days=1)).isoformat()
        then = [s.id for s in criteria_mod.sets_for_level("commune", last)]
        records.sort(key=lambda r: (r["criteria_set"] not in then[:1], r["as_of"] or ""))
        main = records[0] if records else dict.fromkeys(
            ("criteria_set", "level", "criteria_met", "criteria_total", "unmet", "target",
             "as_of", "source", "note"))
        out.append({"code": pred["code"], "name": pred["name"],
                    "valid_from": pred["valid_from"], "valid_to": pred["valid_to"],
                    "held": pred["held"], "kind": pred["kind"], "share": pred["share"],
                    "date": pred["date"], "generation": pred["generation"],
                    "via": {"code": pred["via_code"], "valid_from": pred["via_valid_from"]},
                    **main, "other_sets": records[1:]})
    return out


def _commune_entry(cset: CriteriaSet, row: pd.Series, latest: pd.Series | None,
                   other: pd.DataFrame) -> dict[str, Any]:
    entry: dict[str, Any] = {"comm_code": str(row["code"]), "name": row["name"],
                             "valid_from": json_clean(row["valid_from"]), "level": None,
                             "criteria": None, "criteria_met": None,
                             "criteria_total": len(cset.criteria), "as_of": None,
                             "source": None, "note": None}
    if latest is not None:
        unmet = set(latest["unmet_criteria"] or [])
        met_count = json_clean(latest["criteria_met"])
        known = met_count is not None
        entry.update(level=latest["ntm_level"], criteria_met=met_count,
                     as_of=json_clean(latest["as_of"]), source=json_clean(latest["source"]),
                     note=json_clean(latest["note"]), target=json_clean(latest["target"]))
        entry["criteria"] = [
            {"id": c.id, "name": c.name, "met": (c.id not in unmet) if known else None,
             "source": "reported" if known else None,
             "as_of": json_clean(latest["as_of"]) if known else None,
             # The catalogue holds this set's criteria by name only: no indicator, no
             # threshold (regional or not) is given by the sources; met is as reported.
             "indicators": None if c.indicators is None else len(c.indicators),
             "threshold": None,
             "note": c.note or _both("not in the catalogue")}
            for c in cset.criteria]
    entry["other_sets"] = [
        {"criteria_set": r["criteria_set"], "criteria_met": json_clean(r["criteria_met"]),
         "criteria_total": json_clean(r["criteria_total"]), "unmet": r["unmet_criteria"] or [],
         "target": json_clean(r["target"]), "as_of": json_clean(r["as_of"]),
         "note": json_clean(r["note"])}
        for _, r in other.iterrows()]
    return entry


def department_items(doc: dict[str, Any], department: str, *,
                     units: pd.DataFrame | None = None) -> dict[str, Any]:
    """What ``department`` owns and is not met in a status document of any level (a unit's:
    its unmet indicators by deadline; the communes': per commune, the criteria it owns and
    those unmet), and what no plan assigns: :func:`ntmgeo.owners.department_items`.
    ``units``: the store's ``admin_units``, for a document of several units.
    """
    return owners_mod.department_items(doc, department, units=units)


_MET_WORDS = {"đạt": True, "dat": True, "met": True, "yes": True, "có": True,
              "chưa đạt": False, "chua dat": False, "unmet": False, "no": False,
              "không đạt": False}
_VERDICTS = " / ".join(_MET_WORDS)


def _unit_on(units: pd.DataFrame, unit_code: str, date: str) -> pd.Series:
    valid = units_mod.valid_on(units, date)
    valid = valid[valid["code"].astype(str) == str(unit_code)]
    if valid.empty:
        raise CriterionDataMissing("no unit {code} valid on {date}", code=unit_code, date=date)
    return valid.iloc[0]


def _set_of(level: str, date: str, set_id: str | None, code: str,
            store: StoreReader | None = None) -> CriteriaSet:
    """The set a record goes to: ``set_id`` (which must be for the unit's level), or the
    level's set in force on ``date``; with ``store``, with the store's thresholds applied (an
    indicator a thresholds file adds can then be reported).
    """
    if set_id is None:
        found = criteria_mod.set_for(level, date)
        return with_store_thresholds(store, found, date) if store is not None else found
    cset = criteria_mod.load_set(set_id)
    if store is not None:
        cset = with_store_thresholds(store, cset, date)
    if cset.level != level:
        known = ", ".join(s.id for s in criteria_mod.all_sets().values() if s.level == level)
        raise CriterionDataMissing("unit {code} is a {level}: criteria set '{set}' is for "
                                   "level '{set_level}' (sets for its level: {known})",
                                   code=code, level=level, set=set_id, set_level=cset.level,
                                   known=known or "-")
    return cset


def report(store: Store, unit_code: str, item_id: str, value: str, *, date: str,
           source: str, note: str | None = None, deadline: str | None = None,
           set_id: str | None = None) -> dict:
    """Record VALUE for ``item_id`` of a unit: an indicator's value (``reported_values``,
    :func:`record_value`) or a criterion met / unmet (``reported_criteria``,
    :func:`record_criterion`), whichever the id names in the set (``set_id``, default the
    set in force for the unit's level).
    """
    row = _unit_on(store.read_layer("admin_units"), unit_code, date)
    cset = _set_of(row["level"], date, set_id, str(unit_code), store)
    if any(i.id == item_id for i in cset.indicators):
        return {"kind": "indicator",
                **record_value(store, unit_code, item_id, value, date=date, source=source,
                               note=note, deadline=deadline, set_id=cset.id)}
    if cset.has_criterion(item_id):
        return {"kind": "criterion",
                **record_criterion(store, unit_code, item_id, value, date=date,
                                   source=source, note=note, set_id=cset.id)}
    raise CriterionDataMissing(
        "unit {code}: criteria set '{set}' has no criterion or indicator '{id}' (criteria: "
        "{criteria}; indicators: {indicators})", code=unit_code, set=cset.id, id=item_id,
        criteria=", ".join(c.id for c in cset.criteria),
        indicators=", ".join(i.id for i in cset.indicators) or "-")


def _verdict(value: str) -> bool | None:
    return _MET_WORDS.get(" ".join(value.split()).casefold())


def criterion_record(cset: CriteriaSet, row: pd.Series, criterion_id: str, value: str, *,
                     date: str, source: str, note: str | None = None) -> dict[str, Any]:
    """The ``reported_criteria`` row saying a unit's criterion is met or unmet (pure)."""
    crit = cset.criterion(criterion_id)
    met = _verdict(value)
    if met is None:
        raise CriterionDataMissing("unit {code}, criterion {id}: '{value}' is not a verdict "
                                   "({words})", code=str(row["code"]), id=crit.id,
                                   value=value, words=_VERDICTS)
    return {"unit_code": str(row["code"]), "unit_valid_from": str(row["valid_from"]),
            "criteria_set": cset.id, "criterion_id": crit.id, "met": met,
            "value_text": value.strip(), "as_of": date, "source": source, "note": note}


def record_criterion(store: Store, unit_code: str, criterion_id: str, value: str, *, date: str,
                     source: str, note: str | None = None, set_id: str | None = None) -> dict:
    """Record a criterion of a unit met or unmet ("đạt" / "chưa đạt" / "met" / "unmet"), as a
    new dated record in ``reported_criteria`` (history is kept).
    """
    row = _unit_on(store.read_layer("admin_units"), unit_code, date)
    cset = _set_of(row["level"], date, set_id, str(unit_code))
    record = criterion_record(cset, row, criterion_id, value, date=date, source=source,
                              note=note)
    store.add_records("reported_criteria", [record])
    return record


def record_criteria_table(store: Store, table: Any, *, criteria_set: str | None, date: str,
                          source: str) -> list[dict[str, Any]]:
    """Record a table of units × criteria (a :class:`ntmgeo.tables.Table`: a column naming
    the unit by code, a column per criterion id, cells đạt / chưa đạt; empty cells skipped),
    all or nothing. A bad cell is named by row and column.
    """
    units = store.read_layer("admin_units")
    words = criteria_mod.table_headings()
    fold = {h: " ".join(h.split()).casefold() for h in table.headers}
    code_col = next((h for h in table.headers if fold[h] in words["unit_code"]), None)
    where = str(getattr(table, "path", "")) or "table"
    if code_col is None:
        raise InputError("{file}: no column naming the unit's code ({known})", file=where,
                         known=", ".join(sorted(words["unit_code"])))
    records = []
    for number, cells in table.rows:
        code = (cells.get(code_col) or "").strip()
        if not code:
            raise InputError("{file}, row {row}: no unit code in column '{column}'",
                             file=where, row=number, column=code_col)
        try:
            row = _unit_on(units, code, date)
            cset = _set_of(row["level"], date, criteria_set, code)
        except CriterionDataMissing as exc:
            raise InputError("{file}, row {row}, column '{column}': {reason}", file=where,
                             row=number, column=code_col, reason=str(exc)) from None
        for header in table.headers:
            text = (cells.get(header) or "").strip()
            if header == code_col or not text or fold[header] in words["skipped"]:
                continue
            if not cset.has_criterion(header.strip()):
                raise InputError("{file}, row {row}, column '{column}': criteria set '{set}' "
                                 "has no criterion '{column}' (criteria: {known})", file=where,
                                 row=number, column=header, set=cset.id,
                                 known=", ".join(c.id for c in cset.criteria))
            if _verdict(text) is None:
                raise InputError("{file}, row {row}, column '{column}': '{value}' is not a "
                                 "verdict ({words})", file=where, row=number, column=header,
                                 value=text, words=_VERDICTS)
            records.append(criterion_record(cset, row, header.strip(), text, date=date,
                                            source=source))
    if records:
        store.add_records("reported_criteria", records)
    return records


def record_value(store: Store, unit_code: str, indicator_id: str, value: str, *, date: str,
                 source: str, note: str | None = None, deadline: str | None = None,
                 set_id: str | None = None) -> dict:
    """Record a reported value for an indicator of a unit, as a new dated record (history is
    kept: nothing is overwritten). ``value`` is a number in the threshold's unit, or a
    verdict ("đạt" / "chưa đạt"); met follows from a numeric threshold where there is one.
    """
    row = _unit_on(store.read_layer("admin_units"), unit_code, date)
    cset = _set_of(row["level"], date, set_id, str(unit_code), store)
    ind = cset.indicator(indicator_id)
    group = unit_group(store.read_records("unit_groups"), cset, code=str(row["code"]),
                       valid_from=str(row["valid_from"]), as_of=date)
    zone = group["id"] if group else None
    text = value.strip()
    number, met = None, _MET_WORDS.get(text.casefold())
    if met is None:
        try:
            number = float(text.replace(",", ".").rstrip("%").strip())
        except ValueError:
            raise CriterionDataMissing("value '{value}' is neither a number nor đạt/chưa đạt",
                                       value=value) from None
        threshold = ind.threshold_for(zone)
        met = threshold.met_by(number) if threshold else None
    threshold = ind.threshold_for(zone)
    record = {"unit_code": str(row["code"]), "unit_valid_from": str(row["valid_from"]),
              "criteria_set": cset.id, "indicator_id": ind.id, "value": number,
              "unit": threshold.unit if threshold and number is not None else None,
              "value_text": text, "met": met, "as_of": date, "deadline": deadline,
              "source": source, "note": note}
    store.add_records("reported_values", [record])
    return record


# ------------------------------------------------------------------------ a province, after 2025


def _province_default_as_of(store: StoreReader, code: str | None) -> str:
    """The store's latest date (:func:`default_as_of`); where no province (``code``) is valid
    then (a store whose records end before 1/7/2025), the first day one is.
    """
    day = default_as_of(store)
    units = store.read_layer("admin_units")
    units = units[units["level"] == "province"]
    if code is not None:
        units = units[units["code"].astype(str) == str(code)]
    if units.empty or not units_mod.valid_on(units, day).empty:
        return day
    later = [str(s) for s in units["valid_from"].dropna() if str(s) > day]
    return min(later) if later else day


def _level_counts(entries: list[dict[str, Any]]) -> dict[str, int]:
    """Communes per NTM level (highest first, every level of :data:`rollup.LEVEL_RANK`), and
    ``no_data``: those without a reported level.
    """
    levels = sorted(rollup_mod.LEVEL_RANK, key=lambda k: -rollup_mod.LEVEL_RANK[k])
    counts = {lvl: sum(e["level"] == lvl for e in entries) for lvl in levels}
    for e in entries:  # a level the ranks do not name is counted too, never dropped
        if e["level"] is not None and e["level"] not in counts:
            counts[str(e["level"])] = sum(x["level"] == e["level"] for x in entries)
    counts["no_data"] = sum(e["level"] is None for e in entries)
    return counts


def _group_counts(entries: list[dict[str, Any]], groups: list[dict[str, Any]] | None
                  ) -> list[dict[str, Any]] | None:
    """Communes per commune group of the set (its ``groups``, in order), then those with no
    group recorded (``id`` None); ``None`` where the set's thresholds are not by group.
    """
    if groups is None:
        return None
    ids = [(e.get("group") or {}).get("id") for e in entries]
    out = [{"id": str(g["id"]), "name": g.get("name"),
            "communes": sum(i == str(g["id"]) for i in ids)} for g in groups]
    out.append({"id": None, "name": None, "communes": sum(i is None for i in ids)})
    return out


def _criterion_shares(cset: CriteriaSet | None, entries: list[dict[str, Any]]
                      ) -> list[dict[str, Any]]:
    """Per criterion of the set in force: communes meeting it, communes whose verdict is
    known (met or unmet), and all communes.
    """
    if cset is None:
        return []
    out = []
    for crit in cset.criteria:
        verdicts = [next((c["met"] for c in e["criteria"] or [] if c["id"] == crit.id), None)
                    for e in entries]
        out.append({"id": crit.id, "name": crit.name,
                    "met": sum(v is True for v in verdicts),
                    "known": sum(v is not None for v in verdicts), "total": len(entries)})
    return out


def _district_history(store: StoreReader, units: pd.DataFrame, row: pd.Series, as_of: str
                      ) -> list[dict[str, Any]]:
    """The districts that lay in the province before 1/7/2025 (those whose ``parent_code`` is
    one of the old provinces it ``replaces``, or its own code where it replaces none, and that
    ended before ``as_of``), each with its status summary on its last valid day.
    """
    olds = {str(c) for c in (row["replaces"] or [])} or {str(row["code"])}
    districts = units[(units["level"] == "district")
                      & units["parent_code"].astype(str).isin(olds)
                      & units["valid_to"].notna()]
    districts = districts[districts["valid_to"].astype(str) < as_of]
    out = []
    for _, d in districts.sort_values(["code", "valid_from"]).iterrows():
        last = str(d["valid_to"])
        entry: dict[str, Any] = {"code": str(d["code"]), "name": d["name"],
                                 "parent_code": str(d["parent_code"]),
                                 "valid_from": json_clean(d["valid_from"]), "valid_to": last,
                                 "as_of": last, "status": None, "missing": None}
        try:
            doc = from_store(store, level="district", unit=str(d["code"]), as_of=last)
        except CriterionDataMissing as exc:
            entry["missing"] = str(exc)
            out.append(entry)
            continue
        s = doc["summary"]
        entry["status"] = {
            "criteria_set": doc["criteria_set"]["id"], "title": doc["criteria_set"]["title"],
            **{k: s[k] for k in ("indicators_met", "indicators_total", "criteria_met",
                                 "criteria_total", "criteria_unmet")},
            "reported": s.get("reported"), "reported_as_of": s.get("reported_as_of"),
            "reported_source": s.get("reported_source"),
            "disagreements": len(s["disagreements"]),
            "recognition": [{"id": r.get("id"), "title": r["title"], "met": r["met"]}
                            for r in doc.get("recognition") or []]}
        out.append(entry)
    return out


def province_document(store: StoreReader, *, code: str | None = None, as_of: str
                      ) -> dict[str, Any]:
    """A province on ``as_of`` (one valid then: after 1/7/2025, the merged one): its communes
    (from :func:`commune_document`, those below it) counted by NTM level and by commune
    group, the share meeting each criterion of the commune set in force (met / known / all),
    that set or the sentence saying none is in force, and as ``history`` the pre-2025
    districts that lay in it with their status on their last day.
    """
    store = ensure(store)
    units = store.read_layer("admin_units")
    row = _pick_unit(units, "province", as_of, code)
    found, sentence = criteria_mod.in_force("commune", as_of)
    cset = with_store_thresholds(store, found, as_of) if found is not None else None
    below = rollup_mod.descendants(units, str(row["code"]), as_of, level="commune")
    keys = set(zip(below["code"].astype(str), below["valid_from"].astype(str), strict=True))
    entries: list[dict[str, Any]] = []
    communes: dict[str, Any] = {"criteria_set": None}
    if keys:
        communes = commune_document(store, units, as_of=as_of)
        entries = [e for e in communes["communes"]
                   if (e["comm_code"], str(e["valid_from"])) in keys]
    cs = communes.get("criteria_set")
    return {
        "level": "province", "as_of": as_of, "unit": _unit_doc(row),
        "replaces": [str(c) for c in (row["replaces"] or [])],
        "criteria_set": cs, "set_in_force": sentence if cset is not None else None,
        "no_set": sentence if cset is None else None,
        "summary": {"communes": len(entries), "by_level": _level_counts(entries),
                    "by_group": _group_counts(entries, cs.get("groups") if cs else None)},
        # per criterion (not "criteria": the document is of several units, owners.py)
        "shares": _criterion_shares(cset, entries),
        "communes": entries,
        "history": _district_history(store, units, row, as_of),
    }
