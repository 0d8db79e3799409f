"""The works and budget register: the works of the layer ``works`` totalled by funding source
and by status, the overdue ones, and beside them the totals a plan states for itself (the
record table ``reported_works``).

:func:`summary` computes the document from a GeoDataFrame of works and a DataFrame of the
plan's reported totals (pure); :func:`from_store` reads them from a store; ``ntmgeo works``
prints the document. The funding sources are data: ``data/funding_sources.yml``
(:func:`funding_catalogue`).

How the totals are counted:

- **By source.** A work names one or more sources (``funding``). Its count goes to every source
  it names (``count``); its amount, which is one figure, cannot be split, so it goes to the
  source only when the work names that source alone (``amount_million_vnd``); the works naming
  several sources are counted once more, with their amounts, under ``several_sources``, and
  those naming none under ``no_source``. So the amounts of the sources, of ``several_sources``
  and of ``no_source`` add up to the total amount, and so do the counts of the single-source
  works (``only_count``) with those two.
- **By status.** Each work once, under its status (``None``: not given).
- **Amounts** are million VND. A group's amount is the sum of the amounts given; ``None`` when
  no work of the group has one; ``without_amount`` counts the works that have none.
- **Overdue**: a deadline before ``as_of`` and a status other than completed or cancelled
  (a work of unknown status with a past deadline is overdue: nothing says it is done).
- **Beside the plan.** Each plan of ``reported_works`` (its latest row per source on or before
  ``as_of``; a row without a source is the plan's grand total) is set beside the loaded works
  of that plan: the works whose ``plan`` is the plan's id, and those that name no plan. The
  difference is loaded minus plan; ``None`` where the plan states no figure.
"""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

import pandas as pd
import yaml

from ._resources import share_path
from .layers import load_schema, match_allowed
from .store import RECORD_TABLES, StoreReader
from .values import is_missing

__all__ = ["funding_catalogue", "funding_id", "from_store", "short_name", "status_labels",
           "summary"]

_DONE = ("completed", "cancelled")  # statuses a passed deadline does not make overdue
_DIGITS = 6  # amounts are rounded to this many decimals after summing (float noise)


@cache
def funding_catalogue() -> dict[str, dict[str, Any]]:
    """``{id: source}`` of ``data/funding_sources.yml`` (each with ``name`` {vi, en},
    ``aliases``, ``seeds``), in the file's order.
    """
    with share_path("data", "funding_sources.yml").open(encoding="utf-8") as fh:
        doc = yaml.safe_load(fh)
    return {s["id"]: s for s in doc["sources"]}


def status_labels() -> dict[str, dict[str, str]]:
    """``{status: {"vi": …, "en": …}}`` of the works layer's statuses."""
    return load_schema("works").field("status").allowed_labels


def funding_id(text: str) -> str | None:
    """The id of the funding source ``text`` names (its id, Vietnamese or English name or
    short name, or one of its aliases, case and spaces ignored), or ``None``: the works
    layer's ``funding`` field's matching (:func:`ntmgeo.layers.match_allowed`).
    """
    return match_allowed(load_schema("works").field("funding"), text)


def _name(sid: str | None) -> dict[str, str] | None:
    if sid is None:
        return None
    source = funding_catalogue().get(sid)
    return dict(source["name"]) if source else {"vi": sid, "en": sid}


def short_name(sid: str | None) -> dict[str, str] | None:
    """The short name {vi, en} of the funding source ``sid`` (for narrow tables)."""
    source = funding_catalogue().get(sid) if sid else None
    return dict(source.get("short") or source["name"]) if source else _name(sid)


def _blank(value: Any) -> bool:
    return is_missing(value, blank=True)


def _amount(values: list[Any]) -> float | None:
    known = [float(v) for v in values if not _blank(v)]
    return round(sum(known), _DIGITS) if known else None


def _group(rows: list[dict[str, Any]]) -> dict[str, Any]:
    amounts = [r["amount_million_vnd"] for r in rows]
    return {"count": len(rows), "amount_million_vnd": _amount(amounts),
            "without_amount": sum(1 for a in amounts if a is None)}


def _text(value: Any) -> str | None:
    return None if _blank(value) else str(value)


def _work_rows(works: pd.DataFrame, as_of: str) -> list[dict[str, Any]]:
    rows = []
    geoms = works.geometry if "geometry" in works else pd.Series([None] * len(works))
    for (_, work), geom in zip(works.iterrows(), geoms, strict=True):
        funding = work.get("funding")
        if not isinstance(funding, (list, tuple)):
            funding = [] if _blank(funding) else [str(funding)]
        funding = list(dict.fromkeys(str(f) for f in funding))
        amount = work.get("amount_million_vnd")
        status = _text(work.get("status"))
        deadline = _text(work.get("deadline"))
        late = (deadline is not None and deadline[:10] < as_of and status not in _DONE)
        rows.append({
            "work_id": str(work["work_id"]), "name": _text(work.get("name")),
            "indicator_ids": [] if not isinstance(work.get("indicator_ids"), (list, tuple))
            else list(work["indicator_ids"]),
            "funding": list(funding),
            "amount_million_vnd": None if _blank(amount) else float(amount),
            "status": status, "start_date": _text(work.get("start_date")),
            "deadline": deadline, "deadline_note": _text(work.get("deadline_note")),
            "comm_code": _text(work.get("comm_code")), "road_id": _text(work.get("road_id")),
            "from_m": None if _blank(work.get("from_m")) else float(work["from_m"]),
            "to_m": None if _blank(work.get("to_m")) else float(work["to_m"]),
            "plan": _text(work.get("plan")), "source": _text(work.get("source")),
            "has_geometry": geom is not None and not getattr(geom, "is_empty", True),
            "overdue": late,
            "days_late": (dt.date.fromisoformat(as_of) - dt.date.fromisoformat(deadline[:10])).days
            if late and deadline is not None else None,
        })
    return rows


def _source_order(ids: set[str]) -> list[str]:
    known = [s for s in funding_catalogue() if s in ids]
    return known + sorted(ids - set(known))


def _by_source(rows: list[dict[str, Any]]) -> dict[str, Any]:
    ids = {s for r in rows for s in r["funding"]}
    out = []
    for sid in _source_order(ids):
        naming = [r for r in rows if sid in r["funding"]]
        only = [r for r in naming if len(set(r["funding"])) == 1]
        shared = [r for r in naming if len(set(r["funding"])) > 1]
        out.append({"funding_source": sid, "name": _name(sid), "short": short_name(sid),
                    "count": len(naming),
                    "only_count": len(only),
                    "amount_million_vnd": _amount([r["amount_million_vnd"] for r in only]),
                    "shared_count": len(shared),
                    "shared_amount_million_vnd":
                        _amount([r["amount_million_vnd"] for r in shared])})
    several = [r for r in rows if len(set(r["funding"])) > 1]
    none = [r for r in rows if not r["funding"]]
    return {"by_source": out, "several_sources": _group(several), "no_source": _group(none)}


def _by_status(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    field = load_schema("works").field("status")
    order = [*(field.allowed or ()), None]
    seen = {r["status"] for r in rows}
    out = []
    for status in [s for s in order if s in seen] + sorted(s for s in seen - set(order) if s):
        group = [r for r in rows if r["status"] == status]
        label = field.allowed_labels.get(status) if status else None
        out.append({"status": status, "label": dict(label) if label else None, **_group(group)})
    return out


def _latest_reported(reported: pd.DataFrame, as_of: str, plan: str | None) -> pd.DataFrame:
    if reported is None or reported.empty:
        return pd.DataFrame(columns=["plan", "funding_source"])
    columns = [c for c, _ in RECORD_TABLES["reported_works"]]
    frame = reported.reindex(columns=list(dict.fromkeys([*reported.columns, *columns])))
    frame["funding_source"] = frame["funding_source"].map(_text)
    frame["plan"] = frame["plan"].map(lambda v: _text(v) or "")
    day = frame["as_of"].map(_text)
    frame = frame[day.isna() | (day.fillna("").str[:10] <= as_of)]
    if plan is not None:
        frame = frame[frame["plan"] == plan]
    frame = frame.assign(_day=day.fillna(""), _n=range(len(frame)))
    frame = frame.sort_values(["_day", "_n"])
    key = frame["funding_source"].fillna("")
    return frame.assign(_key=key).drop_duplicates(["plan", "_key"], keep="last")


def _diff(loaded: float | int | None, stated: Any) -> Any:
    if _blank(stated) or loaded is None:
        return None
    value = loaded - stated
    return round(value, _DIGITS) if isinstance(value, float) else int(value)


def _plan_doc(plan_id: str, rows: pd.DataFrame, works: list[dict[str, Any]]) -> dict[str, Any]:
    mine = [w for w in works if w["plan"] in (None, plan_id)]
    totals = _by_source(mine)
    loaded = {s["funding_source"]: s for s in totals["by_source"]}
    stated: dict[str, pd.Series] = {str(r["funding_source"]): r for _, r in rows.iterrows()
                                    if _text(r["funding_source"])}
    lines = []
    for sid in _source_order(set(loaded) | set(stated)):
        got, said = loaded.get(sid), stated.get(sid)
        count = got["count"] if got else 0
        amount = got["amount_million_vnd"] if got else None
        plan_count = None if said is None or _blank(said["works_count"]) \
            else int(said["works_count"])
        plan_amount = None if said is None or _blank(said["amount_million_vnd"]) \
            else float(said["amount_million_vnd"])
        lines.append({
            "funding_source": sid, "name": _name(sid), "short": short_name(sid),
            "loaded_count": count, "loaded_amount_million_vnd": amount,
            "shared_count": got["shared_count"] if got else 0,
            "shared_amount_million_vnd": got["shared_amount_million_vnd"] if got else None,
            "plan_count": plan_count, "plan_amount_million_vnd": plan_amount,
            "diff_count": _diff(count, plan_count),
            "diff_amount_million_vnd": _diff(amount if amount is not None else 0.0,
                                             plan_amount),
            "source": None if said is None else _text(said["source"]),
            "note": None if said is None else _text(said["note"]),
            "as_of": None if said is None else _text(said["as_of"]),
        })
    grand = next((r for _, r in rows.iterrows() if not _text(r["funding_source"])), None)
    total = _group(mine)
    plan_count = None if grand is None or _blank(grand["works_count"]) \
        else int(grand["works_count"])
    plan_amount = None if grand is None or _blank(grand["amount_million_vnd"]) \
        else float(grand["amount_million_vnd"])
    loaded_amount = total["amount_million_vnd"]
    first = rows.iloc[0] if len(rows) else None
    return {
        "plan": plan_id or None,
        "unit_code": None if first is None else _text(first.get("unit_code")),
        "sources": lines,
        "total": {
            "loaded_count": total["count"], "loaded_amount_million_vnd": loaded_amount,
            "plan_count": plan_count, "plan_amount_million_vnd": plan_amount,
            "diff_count": _diff(total["count"], plan_count),
            "diff_amount_million_vnd": _diff(loaded_amount if loaded_amount is not None
                                             else 0.0, plan_amount),
            "source": None if grand is None else _text(grand["source"]),
            "note": None if grand is None else _text(grand["note"]),
            "as_of": None if grand is None else _text(grand["as_of"]),
        },
    }


def summary(works: pd.DataFrame, reported: pd.DataFrame | None, *, as_of: str,
            plan: str | None = None) -> dict[str, Any]:
    """The works register document on ``as_of`` (ISO date); see the module's docstring for
    how each figure is counted.

    Parameters
    ----------
    works : GeoDataFrame or DataFrame
        Features of the layer ``works`` (a store's ``read_layer("works")``); geometry may be
        missing.
    reported : DataFrame or None
        Rows of the record table ``reported_works``.
    as_of : str
        The day overdue works and the plan's latest figures are judged on.
    plan : str, optional
        Only this plan's reported totals (and its works and those naming no plan).

    Returns
    -------
    dict
        ``as_of``; ``works`` (one dict per work, with ``overdue`` and ``days_late``);
        ``total`` (``count``, ``amount_million_vnd``, ``without_amount``); ``by_source``,
        ``several_sources``, ``no_source``; ``by_status``; ``overdue`` (most days late first);
        ``plans`` (per plan: ``sources``, each loaded beside plan with the difference, and the
        ``total``).
    """
    rows = _work_rows(works, as_of)
    if plan is not None:
        rows = [r for r in rows if r["plan"] in (None, plan)]
    latest = _latest_reported(reported if reported is not None else pd.DataFrame(),
                              as_of, plan)
    plans = [_plan_doc(pid, group, rows)
             for pid, group in latest.groupby("plan", sort=True)] if len(latest) else []
    overdue = sorted((r for r in rows if r["overdue"]),
                     key=lambda r: (-(r["days_late"] or 0), r["work_id"]))
    return {"as_of": as_of, "plan": plan, "works": rows, "total": _group(rows),
            **_by_source(rows), "by_status": _by_status(rows),
            "overdue": [{k: r[k] for k in ("work_id", "name", "status", "funding",
                                           "amount_million_vnd", "deadline", "deadline_note",
                                           "days_late")} for r in overdue],
            "plans": plans}


def from_store(store: StoreReader, *, as_of: str | None = None,
               plan: str | None = None) -> dict[str, Any]:
    """:func:`summary` of the store's works and reported plan totals; ``as_of`` defaults to
    today. A store without the layer ``works`` counts as holding no works.
    """
    day = as_of or dt.date.today().isoformat()
    if "works" in store.layer_names():
        works = store.read_layer("works")
    else:
        works = pd.DataFrame(columns=load_schema("works").field_names)
    return summary(works, store.read_records("reported_works"), as_of=day, plan=plan)
