"""Progress over time and deadlines: tree-lined km by month, indicators met by quarter, the
works overdue against the plan's dates as of a day, and the recognition dossier deadlines of
the plans (``data/calendars``, kind ``dossier``) that apply to the store's units.

Every figure is the status or greening of that date, from the same functions the CLI prints
(history is kept: surveys and reported values are dated records, never overwritten).
:func:`from_store` gathers the four into the progress document: ``ntmgeo progress`` prints
it and the criteria workbook (:func:`ntmgeo.report.write`) carries it as its "Tiến độ" sheet.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from . import calendar as calendar_mod
from . import greening as greening_mod
from . import status as status_mod
from ._errors import CriterionDataMissing
from .snapshot import ensure
from .store import StoreReader

__all__ = ["dossier_deadlines", "from_store", "greening_by_month", "indicators_by_quarter",
           "overdue", "period_ends"]


def _day(value: str | dt.date) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def period_ends(start: str | dt.date, end: str | dt.date, *, months: int) -> list[str]:
    """Last days of the periods of ``months`` months (1: months, 3: calendar quarters) from the
    period holding ``start`` up to the one holding ``end``; the last one is ``end`` itself.
    """
    first, last = _day(start), _day(end)
    if first > last:
        return []
    month = ((first.month - 1) // months) * months + 1
    cursor = dt.date(first.year, month, 1)
    out = []
    while cursor <= last:
        year, mon = divmod(cursor.month - 1 + months, 12)
        nxt = dt.date(cursor.year + year, mon + 1, 1)
        out.append(min(nxt - dt.timedelta(days=1), last).isoformat())
        cursor = nxt
    return out


def greening_by_month(store: StoreReader, *, until: str | None = None) -> list[dict[str, Any]]:
    """Tree-lined km and ratio of the district roads at the end of each month, from the first
    survey to ``until`` (default: the latest survey).
    """
    store = ensure(store)
    dates = store.read_layer("surveys")["survey_date"].dropna().astype(str)
    if dates.empty:
        return []
    out = []
    for day in period_ends(dates.min(), until or dates.max(), months=1):
        total = greening_mod.from_store(store, as_of=day)["total"]
        out.append({"as_of": day, "greened_km": total["greened_km"],
                    "length_km": total["length_km"], "ratio": total["ratio"],
                    "met": total["met"]})
    return out


def indicators_by_quarter(store: StoreReader, *, start: str, until: str, level: str = "district",
                          unit: str | None = None) -> list[dict[str, Any]]:
    """Indicators and criteria met at the end of each quarter between two dates (a quarter
    in which no unit of the level is valid, e.g. a district after 30/6/2025, says so).
    """
    store = ensure(store)
    out = []
    for day in period_ends(start, until, months=3):
        try:
            doc = status_mod.from_store(store, level=level, unit=unit, as_of=day)
        except CriterionDataMissing as exc:
            out.append({"as_of": day, "error": str(exc)})
            continue
        s = doc["summary"]
        out.append({"as_of": day, "indicators_met": s["indicators_met"],
                    "indicators_total": s["indicators_total"], "criteria_met": s["criteria_met"],
                    "criteria_total": s["criteria_total"], "unmet": s["indicators_unmet"]})
    return out


def overdue(store: StoreReader, *, as_of: str) -> list[dict[str, Any]]:
    """Works not completed whose deadline has passed on ``as_of``: sites with a deadline, and
    unmet reported indicators with a deadline. Latest deadline first is the least overdue.
    """
    store = ensure(store)
    items = []
    sites = store.read_layer("sites")
    for _, site in sites.iterrows():
        deadline = site["deadline"]
        if deadline and str(deadline) < as_of and site["status"] != "completed":
            items.append({"kind": "site", "id": site["site_id"], "name": site["name"],
                          "indicator": site["indicator_id"], "status": site["status"],
                          "deadline": str(deadline), "deadline_text": site["deadline_note"],
                          "days_late": (_day(as_of) - _day(deadline)).days})
    doc = None
    try:
        doc = status_mod.from_store(store, level="district", as_of=as_of)
    except CriterionDataMissing:
        pass
    for crit in (doc or {}).get("criteria", []):
        for ind in crit["indicators"] or []:
            if ind["met"] is False and ind.get("deadline") and ind["deadline"] < as_of:
                items.append({"kind": "indicator", "id": ind["id"], "name": ind["name"]["vi"],
                              "indicator": ind["id"], "status": "unmet",
                              "deadline": ind["deadline"],
                              "deadline_text": ind.get("deadline_text"),
                              "days_late": (_day(as_of) - _day(ind["deadline"])).days})
    return sorted(items, key=lambda i: (-i["days_late"], i["kind"], str(i["id"])))


def dossier_deadlines(store: StoreReader, *, as_of: str,
                      calendars: list[dict[str, Any]] | None = None) -> list[dict[str, Any]]:
    """The recognition dossier deadlines (``data/calendars``, kind ``dossier``) of the plans
    that apply to the store's units, by date, with the days left on ``as_of`` (negative:
    passed) and the seed line each comes from.
    """
    store = ensure(store)
    cals = calendar_mod.load() if calendars is None else calendars
    return calendar_mod.deadlines(cals, store.read_layer("admin_units"), as_of)


def from_store(store: StoreReader, as_of: str | None = None, *,
               since: str | None = None) -> dict[str, Any]:
    """The progress document of ``store`` on ``as_of`` (default: the store's latest reported
    date, as ``ntmgeo status``): ``greening_by_month`` up to the date,
    ``indicators_by_quarter`` from ``since`` (default: a year before) to the date, and the
    works ``overdue`` on it, and the ``deadlines`` of the recognition dossiers
    (:func:`dossier_deadlines`). ``store`` may be a :class:`~ntmgeo.snapshot.Snapshot`; the
    statuses and greenings of every period share one, so each layer is read once.
    """
    store = ensure(store)
    day = as_of or status_mod.default_as_of(store)
    start = since or (_day(day) - dt.timedelta(days=365)).isoformat()
    return {"as_of": day,
            "greening_by_month": greening_by_month(store, until=day),
            "indicators_by_quarter": indicators_by_quarter(store, start=start, until=day),
            "overdue": overdue(store, as_of=day),
            "deadlines": dossier_deadlines(store, as_of=day)}
