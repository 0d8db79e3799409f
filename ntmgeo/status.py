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
from . import i18n
from . import rollup as rollup_mod
from . import units as units_mod
from ._errors import CriterionDataMissing
from .computed import ComputedValue, compute_all
from .criteria import CriteriaSet, Indicator
from .snapshot import ensure
from .store import Store, StoreReader
from .values import json_clean

__all__ = ["ComputedValue", "commune_document", "department_items", "evaluate", "from_store",
           "record_value", "rollups"]


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
                   computed: ComputedValue | None) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    threshold = ind.threshold_for()
    disagreements: list[dict[str, Any]] = []
    rep_value = json_clean(reported["value"]) if reported is not None else None
    rep_met = json_clean(reported["met"]) if reported is not None else None
    if rep_met is None and threshold is not None:
        rep_met = threshold.met_by(rep_value)
    doc: dict[str, Any] = {
        "id": ind.id, "name": ind.name,
        "threshold": threshold.as_dict() if threshold else None,
        "method": ind.method,
        "departments": [{**d["department"], "plan": d["plan"], "partial": d.get("partial", False)}
                        for d in ind.departments],
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


def evaluate(
    cset: CriteriaSet,
    *,
    unit: dict[str, Any],
    as_of: str,
    reported: pd.DataFrame,
    summary: dict[str, Any] | None = None,
    computed: dict[str, ComputedValue] | None = None,
) -> dict[str, Any]:
    """Status document of one unit under one criteria set on ``as_of``.

    A criterion is met when all its indicators are; an indicator is met as computed from
    the layers where a computed value exists, else as reported. The summary gives the counts
    this yields; beside them ``table``, the counts from the reported values alone (the
    document's table as printed), and ``reported``, the document's own summary; every
    disagreement is listed.
    """
    latest = _latest(reported, as_of)
    computed = computed or {}
    crit_docs: list[dict[str, Any]] = []
    disagreements: list[dict[str, Any]] = []
    for crit in cset.criteria:
        if crit.indicators is None:
            crit_docs.append({"id": crit.id, "name": crit.name, "met": None, "indicators": None,
                              "note": crit.note or _both("not in the catalogue")})
            continue
        ind_docs = []
        for ind in crit.indicators:
            rep = latest.loc[ind.id] if ind.id in latest.index else None
            doc, dis = _indicator_doc(ind, rep, computed.get(ind.id))
            ind_docs.append(doc)
            disagreements.extend(dis)
        crit_docs.append({"id": crit.id, "name": crit.name,
                          "met": _all_met([d["met"] for d in ind_docs]),
                          "indicators": ind_docs})
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
        table = evaluate(cset, unit=unit, as_of=as_of, reported=reported)["summary"]
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
    dates = [d for t in ("reported_values", "unit_status")
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
    as_of = as_of or default_as_of(store, level)
    units = store.read_layer("admin_units")
    if level == "commune":
        return commune_document(store, units, as_of=as_of, code=unit)
    row = _pick_unit(units, level, as_of, unit)
    cset = criteria_mod.set_for(level, as_of)
    code, valid_from = str(row["code"]), str(row["valid_from"])
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
                   computed=computed)
    doc["recognition"] = rollups(store, level=level, code=code, as_of=as_of, units=units)
    return doc


def rollups(store: StoreReader, *, level: str, code: str, as_of: str,
            units: pd.DataFrame | None = None) -> list[dict[str, Any]]:
    """The roll-up conditions (``data/rollups``) that apply to unit ``code`` on ``as_of``,
    evaluated from the reported levels of the units below it.
    """
    store = ensure(store)
    units = store.read_layer("admin_units") if units is None else units
    status = store.read_records("unit_status")
    reported = store.read_records("reported_values")
    return [rollup_mod.evaluate(doc, code=code, date=as_of, units=units, status=status,
                                reported=reported)
            for doc in rollup_mod.rollups_for(level, code, as_of)]


def commune_document(store: StoreReader, units: pd.DataFrame, *, as_of: str,
                     code: str | None = None) -> dict[str, Any]:
    """Every commune valid on ``as_of`` with its latest reported NTM level and criteria."""
    communes = units_mod.valid_on(units, as_of, level="commune")
    if code is not None:
        communes = communes[communes["code"] == code]
    if communes.empty:
        raise CriterionDataMissing("no commune {code} valid on {as_of}" if code
                                   else "no commune valid on {as_of}", code=code, as_of=as_of)
    cset = criteria_mod.set_for("commune", as_of)
    status = store.read_records("unit_status")
    status = status[status["as_of"].astype(str) <= as_of]
    docs = []
    for _, row in communes.sort_values("code").iterrows():
        mine = status[(status["unit_code"] == row["code"])
                      & (status["unit_valid_from"].astype(str) == str(row["valid_from"]))]
        own = mine[mine["criteria_set"] == cset.id].sort_values("as_of", kind="stable")
        other = mine[mine["criteria_set"] != cset.id]
        latest = own.iloc[-1] if not own.empty else None
        docs.append(_commune_entry(cset, row, latest, other))
    ntm = sum(d["level"] in ("ntm", "ntm_nang_cao", "ntm_kieu_mau") for d in docs)
    return {"level": "commune", "as_of": as_of,
            "criteria_set": {"id": cset.id, "title": cset.title},
            "communes": docs,
            "summary": {"communes": len(docs), "ntm_or_above": ntm,
                        "no_data": sum(d["level"] is None for d in docs),
                        "ntm_nang_cao_or_above": sum(d["level"] in ("ntm_nang_cao",
                                                                    "ntm_kieu_mau")
                                                     for d in docs)}}


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


def department_items(doc: dict[str, Any], department: str) -> dict[str, Any]:
    """The unmet indicators of a status document that ``department`` owns (name matched
    case-insensitively in Vietnamese or English), with their deadlines; and the unmet
    indicators no plan assigns to anyone.
    """
    wanted = department.strip().casefold()
    mine, unowned = [], []
    for crit in doc["criteria"]:
        for ind in crit["indicators"] or []:
            if ind["met"] is not False:
                continue
            item = {"id": ind["id"], "name": ind["name"], "value_text": ind.get("value_text"),
                    "deadline": ind.get("deadline"), "deadline_text": ind.get("deadline_text"),
                    "departments": ind["departments"]}
            if not ind["departments"]:
                unowned.append(item)
            elif any(wanted in (d.get("vi", "") + " | " + d.get("en", "")).casefold()
                     for d in ind["departments"]):
                mine.append(item)
    mine.sort(key=lambda i: (i["deadline"] or "9999", i["id"]))
    return {"department": department, "as_of": doc["as_of"], "unit": doc["unit"],
            "unmet": mine, "unmet_without_owner": unowned}


_MET_WORDS = {"đạt": True, "dat": True, "met": True, "yes": True, "có": True,
              "chưa đạt": False, "chua dat": False, "unmet": False, "no": False,
              "không đạt": False}


def record_value(store: Store, unit_code: str, indicator_id: str, value: str, *, date: str,
                 source: str, note: str | None = None, deadline: str | None = None) -> dict:
    """Record a reported value for an indicator of a unit, as a new dated record (history is
    kept: nothing is overwritten). ``value`` is a number in the threshold's unit, or a
    verdict ("đạt" / "chưa đạt"); met follows from a numeric threshold where there is one.
    """
    units = store.read_layer("admin_units")
    valid = units_mod.valid_on(units, date)
    valid = valid[valid["code"] == str(unit_code)]
    if valid.empty:
        raise CriterionDataMissing("no unit {code} valid on {date}", code=unit_code, date=date)
    row = valid.iloc[0]
    cset = criteria_mod.set_for(row["level"], date)
    ind = cset.indicator(indicator_id)
    text = value.strip()
    number, met = None, _MET_WORDS.get(text.casefold())
    if met is None:
        try:
            number = float(text.replace(",", ".").rstrip("%").strip())
        except ValueError:
            raise CriterionDataMissing("value '{value}' is neither a number nor đạt/chưa đạt",
                                       value=value) from None
        threshold = ind.threshold_for()
        met = threshold.met_by(number) if threshold else None
    threshold = ind.threshold_for()
    record = {"unit_code": str(row["code"]), "unit_valid_from": str(row["valid_from"]),
              "criteria_set": cset.id, "indicator_id": ind.id, "value": number,
              "unit": threshold.unit if threshold and number is not None else None,
              "value_text": text, "met": met, "as_of": date, "deadline": deadline,
              "source": source, "note": note}
    store.add_records("reported_values", [record])
    return record
