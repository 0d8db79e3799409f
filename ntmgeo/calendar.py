"""Reporting calendars and recognition dossier deadlines as data: ``data/calendars/*.yml``.

A calendar names the unit(s) it applies to by GSO code, as owner files do
(:mod:`ntmgeo.owners`), and lists entries: a kind (monthly, quarterly, half-year,
nine-months, annual, ad hoc, dossier), a rule (a day of every month or of some months, or one
date; none for a report on request), who reports, to whom, and the seed line it comes from.

:func:`load` reads and checks the files (the only I/O here); :func:`occurrences`, :func:`due`
and :func:`deadlines` are pure.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd

from . import owners as owners_mod
from ._errors import InputError
from ._resources import share_path

__all__ = ["KINDS", "deadlines", "dmy", "due", "load", "occurrences", "parse"]

KINDS = ("monthly", "quarterly", "half-year", "nine-months", "annual", "ad hoc", "dossier")


def _day(value: str | dt.date) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def dmy(value: str | dt.date) -> str:
    """A date the Vietnamese way, dd/mm/yyyy."""
    return _day(value).strftime("%d/%m/%Y")


# ----------------------------------------------------------------------------------- loading
def _date(value: Any, path: str, entry: str | int, field: str) -> str | None:
    if value is None:
        return None
    try:
        return _day(value).isoformat()
    except ValueError:
        raise InputError("'{value}' is not a date (YYYY-MM-DD)", path=path, feature=entry,
                         field=field, value=str(value)) from None


def _text(value: Any, path: str, entry: str | int, field: str) -> dict[str, str] | None:
    if value is None:
        return None
    if not isinstance(value, dict) or not value.get("vi"):
        raise InputError("expected a text with its Vietnamese ('vi')", path=path, feature=entry,
                         field=field)
    return {"vi": str(value["vi"]), "en": str(value.get("en") or value["vi"])}


def _who(value: Any, path: str, entry: str | int) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not value:
        raise InputError("an entry needs who reports (a list)", path=path, feature=entry,
                         field="who")
    out = []
    for item in value:
        text = _text(item, path, entry, "who")
        each = item.get("each")
        if each not in (None, "commune", "village", "town"):
            raise InputError("'each' must be commune, village or town", path=path,
                             feature=entry, field="who")
        out.append({**(text or {}), "each": each})
    return out


def _rule(value: Any, kind: str, path: str, entry: str | int) -> dict[str, Any] | None:
    if value is None:
        if kind != "ad hoc":
            raise InputError("only an ad hoc entry has no rule", path=path, feature=entry,
                             field="rule")
        return None
    if not isinstance(value, dict):
        raise InputError("a rule is a day (and months) or a date", path=path, feature=entry,
                         field="rule")
    if "date" in value:
        return {"date": _date(value["date"], path, entry, "rule.date")}
    day = value.get("day")
    if not (day == "last" or (isinstance(day, int) and 1 <= day <= 31)):
        raise InputError("a rule's day is 1-31 or 'last'", path=path, feature=entry,
                         field="rule.day")
    months = value.get("months")
    if months is not None and (not isinstance(months, list) or not months
                               or any(not isinstance(m, int) or not 1 <= m <= 12
                                      for m in months)):
        raise InputError("a rule's months are numbers 1-12", path=path, feature=entry,
                         field="rule.months")
    return {"day": day, "months": sorted(set(months)) if months else None}


def parse(doc: Any, path: str) -> dict[str, Any]:
    """One calendar file, checked: a bad one is refused naming the file, entry and field."""
    if not isinstance(doc, dict) or not doc.get("id"):
        raise InputError("a calendar needs an id", path=path, field="id")
    units = owners_mod.scope_units(doc, path)
    period = doc.get("period") or {}
    entries = []
    for n, raw in enumerate(doc.get("entries") or [], 1):
        if not isinstance(raw, dict):
            raise InputError("an entry is a mapping", path=path, feature=n)
        eid = str(raw.get("id") or n)
        kind = raw.get("kind")
        if kind not in KINDS:
            raise InputError("kind '{kind}' is not one of {allowed}", path=path, feature=eid,
                             field="kind", kind=str(kind), allowed=", ".join(KINDS))
        if not raw.get("source"):
            raise InputError("an entry needs its source (seed and line)", path=path,
                             feature=eid, field="source")
        entries.append({
            "id": eid, "kind": kind,
            "title": _text(raw.get("title"), path, eid, "title"),
            "rule": _rule(raw.get("rule"), kind, path, eid),
            "before": bool(raw.get("before", False)),
            "who": _who(raw.get("who", doc.get("who")), path, eid),
            "to": _text(raw["to"] if "to" in raw else doc.get("to"), path, eid, "to"),
            "about": raw.get("about"),
            "as_printed": raw.get("as_printed"),
            "source": str(raw["source"]),
        })
    if not entries:
        raise InputError("a calendar needs entries", path=path, field="entries")
    return {"id": str(doc["id"]), "units": units, "source": str(doc.get("source") or ""),
            "period": (_date(period.get("from"), path, "period", "from"),
                       _date(period.get("to"), path, "period", "to")),
            "copy_to": doc.get("copy_to"), "entries": entries, "path": path}


@cache
def _load(folder: str) -> tuple[dict[str, Any], ...]:
    return tuple(parse(owners_mod.read_yaml(p), p.name) for p in sorted(Path(folder).glob("*.yml")))


def load(folder: str | Path | None = None) -> list[dict[str, Any]]:
    """The calendars of ``folder`` (default: the shipped ``data/calendars``), checked."""
    return list(_load(str(folder or share_path("data", "calendars"))))


# ----------------------------------------------------------------------------------- dates
def _on(year: int, month: int, day: int | str) -> dt.date:
    """Day ``day`` of a month; a later day than the month has (or "last") is its last day."""
    last = _stdcal.monthrange(year, month)[1]
    return dt.date(year, month, last if day == "last" else min(int(day), last))


def _dates(rule: dict[str, Any] | None, first: dt.date, last: dt.date) -> list[dt.date]:
    if rule is None or first > last:
        return []
    if "date" in rule:
        day = _day(rule["date"])
        return [day] if first <= day <= last else []
    months = rule["months"] or list(range(1, 13))
    out = []
    year, month = first.year, first.month
    while (year, month) <= (last.year, last.month):
        if month in months:
            day = _on(year, month, rule["day"])
            if first <= day <= last:
                out.append(day)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def occurrences(calendar: dict[str, Any], start: str | dt.date, end: str | dt.date
                ) -> list[dict[str, Any]]:
    """The dates the entries of ``calendar`` fall due between ``start`` and ``end`` (both
    inclusive, and within the calendar's period), in date order: ``date`` (ISO), ``entry``.
    An entry without a rule (ad hoc, on request) has none.
    """
    first, last = _day(start), _day(end)
    p_from, p_to = calendar["period"]
    if p_from:
        first = max(first, _day(p_from))
    if p_to:
        last = min(last, _day(p_to))
    out = [{"date": d.isoformat(), "entry": e} for e in calendar["entries"]
           for d in _dates(e["rule"], first, last)]
    return sorted(out, key=lambda o: (o["date"], o["entry"]["id"]))


# ----------------------------------------------------------------------------------- due
def _scope(units: pd.DataFrame, calendar: dict[str, Any], day: str) -> pd.DataFrame:
    return owners_mod.inside(units, calendar["units"], day)


def _item(calendar: dict[str, Any], entry: dict[str, Any], date: str | None,
          scope: pd.DataFrame, as_of: dt.date) -> dict[str, Any]:
    who = []
    for w in entry["who"]:
        row = {k: w[k] for k in ("vi", "en")}
        if w["each"]:
            each = scope[scope["level"] == w["each"]].sort_values("code")
            row["units"] = [{"code": str(r["code"]), "name": r["name"]}
                            for _, r in each.iterrows()]
        who.append(row)
    named = scope[scope["code"].astype(str).isin([u["code"] for u in calendar["units"]])]
    return {"date": date, "days_left": None if date is None else (_day(date) - as_of).days,
            "before": entry["before"], "kind": entry["kind"], "title": entry["title"],
            "id": entry["id"], "calendar": calendar["id"],
            "unit": [{"code": str(r["code"]), "name": r["name"], "level": r["level"]}
                     for _, r in named.iterrows()],
            "who": who, "to": entry["to"], "about": entry["about"],
            "copy_to": calendar.get("copy_to"), "as_printed": entry["as_printed"],
            "source": entry["source"]}


def due(calendars: Iterable[dict[str, Any]], units: pd.DataFrame, as_of: str | dt.date,
        horizon: int = 31) -> dict[str, Any]:
    """What falls due from ``as_of`` to ``horizon`` days later, for the units of a store
    (``admin_units``): each calendar applies on a date where a unit it names, or one inside
    it, is valid then. ``items``: by date, with who reports (per commune where the entry says
    so), to whom and the source; ``on_request``: the entries with no date (ad hoc) of the
    calendars that apply on ``as_of``.
    """
    first = _day(as_of)
    last = first + dt.timedelta(days=horizon)
    items, on_request = [], []
    for cal in calendars:
        for occ in occurrences(cal, first, last):
            scope = _scope(units, cal, occ["date"])
            if not scope.empty:
                items.append(_item(cal, occ["entry"], occ["date"], scope, first))
        scope = _scope(units, cal, first.isoformat())
        if scope.empty:
            continue
        p_from, p_to = cal["period"]
        if (p_from and p_from > first.isoformat()) or (p_to and p_to < first.isoformat()):
            continue
        on_request += [_item(cal, e, None, scope, first) for e in cal["entries"]
                       if e["rule"] is None]
    items.sort(key=lambda i: (i["date"], i["calendar"], i["id"]))
    return {"as_of": first.isoformat(), "until": last.isoformat(), "days": horizon,
            "items": items, "on_request": on_request}


def deadlines(calendars: Iterable[dict[str, Any]], units: pd.DataFrame, as_of: str | dt.date,
              *, kinds: Sequence[str] = ("dossier",)) -> list[dict[str, Any]]:
    """Every one-date entry of ``kinds`` (the recognition dossiers) of the calendars that
    apply to the store's units on that date, past or to come, with the days left on
    ``as_of`` (negative: passed), by date.
    """
    first = _day(as_of)
    out = []
    for cal in calendars:
        for entry in cal["entries"]:
            rule = entry["rule"]
            if entry["kind"] not in kinds or not rule or "date" not in rule:
                continue
            scope = _scope(units, cal, rule["date"])
            if not scope.empty:
                out.append(_item(cal, entry, rule["date"], scope, first))
    return sorted(out, key=lambda i: (i["date"], i["calendar"], i["id"]))
