"""Who owns which criterion or indicator, per unit: the owner files ``data/owners/*.yml``.

A file names the unit(s) it applies to by GSO code (``unit: {code: "665", level: district}``)
and applies to them and to every unit inside them in the store (by ``admin_units.parent_code``:
a district's communes and their villages), and to no other unit: Đức Thọ's assignments are not
Đam Rông's. An item may have several owners, or none (an empty list: "chưa phân công").

:func:`load` reads and checks the files (the only I/O here); :func:`owners_for`,
:func:`attach` and :func:`department_items` are pure, on the store's ``admin_units`` frame.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from . import units as units_mod
from ._errors import InputError
from ._resources import share_path

__all__ = ["ancestors", "applies_to", "attach", "department_items", "inside", "load",
           "owners_for", "read_yaml", "scope_units"]

_MAX_DEPTH = 8  # province > district > commune > village: a longer chain is a cycle


# ----------------------------------------------------------------------------------- loading
def scope_units(doc: dict[str, Any], path: str) -> list[dict[str, str]]:
    """The units a data file (owners or calendar) names: ``unit`` (one mapping or a list),
    each with a GSO ``code`` and a ``level``. A missing or codeless unit is refused.
    """
    raw = doc.get("unit")
    items = raw if isinstance(raw, list) else [raw]
    out = []
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not item.get("code") or not item.get("level"):
            raise InputError("the unit the file applies to needs a GSO code and a level",
                             path=path, feature=n, field="unit")
        out.append({"code": str(item["code"]), "level": str(item["level"]),
                    "name": str(item.get("name") or "")})
    return out


def _ids(value: Any, path: str, n: int, field: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InputError("expected a list of ids", path=path, feature=n, field=field)
    return [str(v) for v in value]


def _parse(doc: Any, path: str) -> dict[str, Any]:
    if not isinstance(doc, dict) or not doc.get("id"):
        raise InputError("an owner file needs an id", path=path, field="id")
    units = scope_units(doc, path)
    assignments = []
    for n, item in enumerate(doc.get("assignments") or [], 1):
        dep = item.get("department") if isinstance(item, dict) else None
        if not isinstance(dep, dict) or not dep.get("vi"):
            raise InputError("an assignment needs a department with its Vietnamese name",
                             path=path, feature=n, field="department")
        if not item.get("criteria_set"):
            raise InputError("an assignment needs a criteria_set", path=path, feature=n,
                             field="criteria_set")
        scope = item.get("partial_scope") or {}
        assignments.append({
            "criteria_set": str(item["criteria_set"]),
            "department": {"vi": str(dep["vi"]), "en": str(dep.get("en") or dep["vi"])},
            "criteria": _ids(item.get("criteria"), path, n, "criteria"),
            "indicators": _ids(item.get("indicators"), path, n, "indicators"),
            "partial": _ids(item.get("partial"), path, n, "partial"),
            "partial_scope": {str(k): str(v) for k, v in scope.items()},
            "except": _ids(item.get("except"), path, n, "except"),
            "source": str(item.get("source") or ""),
        })
    return {"id": str(doc["id"]), "units": units, "source": str(doc.get("source") or ""),
            "assignments": assignments, "path": path}


def read_yaml(path: Path) -> Any:
    """A data file's YAML; one that does not parse is refused naming the file."""
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, ValueError) as exc:
        raise InputError("not readable as YAML: {reason}", path=path.name,
                         reason=str(exc).splitlines()[-1]) from None


@cache
def _load(folder: str) -> tuple[dict[str, Any], ...]:
    docs = []
    for path in sorted(Path(folder).glob("*.yml")):
        docs.append(_parse(read_yaml(path), path.name))
    return tuple(docs)


def load(folder: str | Path | None = None) -> list[dict[str, Any]]:
    """The owner files of ``folder`` (default: the shipped ``data/owners``), checked."""
    return list(_load(str(folder or share_path("data", "owners"))))


# ----------------------------------------------------------------------------------- scope
def _row(units: pd.DataFrame, code: str, as_of: str) -> pd.Series | None:
    """The unit ``code`` valid on ``as_of``; else its latest row; None if not in the store."""
    same = units[units["code"].astype(str) == str(code)]
    if same.empty:
        return None
    valid = units_mod.valid_on(same, as_of)
    rows = valid if not valid.empty else same.sort_values("valid_from", key=lambda s: s.astype(str))
    return rows.iloc[-1]


def ancestors(units: pd.DataFrame, code: str, as_of: str) -> list[tuple[str, str | None]]:
    """``(code, level)`` of unit ``code`` and of every unit above it on ``as_of``, nearest
    first (by ``parent_code``); a parent the store lacks ends the chain with its code and
    level None (a store of a district's communes without the district); empty if the store
    lacks the unit.
    """
    out: list[tuple[str, str | None]] = []
    row = _row(units, code, as_of)
    while row is not None and len(out) < _MAX_DEPTH:
        out.append((str(row["code"]), str(row["level"])))
        parent = row.get("parent_code")
        if parent is None or pd.isna(parent) or not str(parent):
            break
        row = _row(units, str(parent), as_of)
        if row is None:
            out.append((str(parent), None))
    return out


def applies_to(scope: Sequence[dict[str, str]], units: pd.DataFrame, code: str,
               as_of: str) -> bool:
    """Whether a file naming the units ``scope`` applies to unit ``code`` on ``as_of``: the
    unit is one of them or lies inside one.
    """
    chain = set(ancestors(units, code, as_of))
    return any((s["code"], s["level"]) in chain or (s["code"], None) in chain for s in scope)


def inside(units: pd.DataFrame, scope: Sequence[dict[str, str]], as_of: str, *,
           level: str | None = None) -> pd.DataFrame:
    """The units valid on ``as_of`` (optionally of one ``level``) that a file naming
    ``scope`` applies to, by code.
    """
    valid = units_mod.valid_on(units, as_of, level=level)
    keep = [applies_to(scope, units, str(c), as_of) for c in valid["code"]]
    return valid[keep] if len(valid) else valid


# ----------------------------------------------------------------------------------- owners
def _entry(doc: dict[str, Any], item: dict[str, Any], *, partial: bool,
           scope: str | None = None, indicators: list[str] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {**item["department"], "plan": doc["id"], "partial": partial,
                           "source": item["source"]}
    if scope:
        out["scope"] = scope
    if indicators:
        out["indicators"] = indicators
    return out


def _match(doc: dict[str, Any], item: dict[str, Any], item_id: str,
           criterion: str | None) -> dict[str, Any] | None:
    """The owner entry of assignment ``item`` for ``item_id``: an indicator of ``criterion``,
    or (``criterion`` None) a criterion, owned whole or through some of its sub-indicators.
    """
    if criterion is not None:  # an indicator
        if item_id in item["indicators"]:
            return _entry(doc, item, partial=False)
        if item_id in item["partial"]:
            return _entry(doc, item, partial=True, scope=item["partial_scope"].get(item_id))
        if criterion in item["criteria"] and item_id not in item["except"]:
            return _entry(doc, item, partial=False)
        return None
    if item_id in item["criteria"]:
        return _entry(doc, item, partial=bool(item["except"]),
                      indicators=None)
    subs = [i for i in (*item["indicators"], *item["partial"]) if i.split(".")[0] == item_id]
    if subs:
        return _entry(doc, item, partial=True, indicators=list(dict.fromkeys(subs)))
    return None


def owners_for(units: pd.DataFrame, code: str, as_of: str, criteria_set: str, item_id: str, *,
               criterion: str | None = None, owners: Iterable[dict[str, Any]] | None = None
               ) -> list[dict[str, Any]]:
    """The departments that own ``item_id`` of ``criteria_set`` for unit ``code`` on ``as_of``,
    from the owner files that apply to the unit (several allowed; empty: not assigned).

    ``item_id`` is an indicator of ``criterion`` when ``criterion`` is given; else a criterion,
    whose owners are those of the whole criterion and, marked ``partial`` with the
    ``indicators`` they hold, those of some of its sub-indicators (the commune set, whose
    indicators are not in the catalogue). Each owner: ``vi``, ``en``, ``plan``, ``partial``,
    ``source`` (and ``scope``, the part of a shared indicator, as printed).
    """
    docs = load() if owners is None else list(owners)
    return _assigned(_applying(docs, units, code, as_of), criteria_set, str(item_id), criterion)


def _applying(docs: Iterable[dict[str, Any]], units: pd.DataFrame, code: str, as_of: str
              ) -> list[dict[str, Any]]:
    """The owner files that apply to unit ``code`` on ``as_of``."""
    return [d for d in docs if applies_to(d["units"], units, code, as_of)]


def _assigned(docs: Iterable[dict[str, Any]], criteria_set: str, item_id: str,
              criterion: str | None) -> list[dict[str, Any]]:
    """The owners of ``item_id`` in files already known to apply."""
    out = []
    for doc in docs:
        for item in doc["assignments"]:
            if item["criteria_set"] != criteria_set:
                continue
            entry = _match(doc, item, item_id, criterion)
            if entry is not None:
                out.append(entry)
    return out


def attach(doc: dict[str, Any], units: pd.DataFrame,
           owners: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Fill ``departments`` of every indicator of a unit's status document (``unit``,
    ``as_of``, ``criteria_set``, ``criteria``), and of every criterion the catalogue holds
    without indicators, from the owner files that apply to the unit; returns the document.
    """
    code, as_of, set_id = str(doc["unit"]["code"]), doc["as_of"], doc["criteria_set"]["id"]
    docs = _applying(load() if owners is None else owners, units, code, as_of)
    for crit in doc.get("criteria") or []:
        if crit.get("indicators") is None:
            crit["departments"] = _assigned(docs, set_id, str(crit["id"]), None)
        for ind in crit.get("indicators") or []:
            ind["departments"] = _assigned(docs, set_id, str(ind["id"]), str(crit["id"]))
    return doc


# ----------------------------------------------------------------------------------- a department
def _is(department: str, owners: Iterable[dict[str, Any]]) -> bool:
    wanted = department.strip().casefold()
    return any(wanted in (d.get("vi", "") + " | " + d.get("en", "")).casefold() for d in owners)


def _unit_items(doc: dict[str, Any], department: str) -> dict[str, Any]:
    """A unit's status document: its unmet indicators (owners already attached)."""
    mine, unowned, owned = [], [], []
    for crit in doc["criteria"]:
        # a criterion the catalogue holds without indicators is its own item
        for ind in crit["indicators"] if crit["indicators"] is not None else [crit]:
            if _is(department, ind.get("departments") or []):
                owned.append(ind["id"])
            if ind["met"] is not False:
                continue
            item = {"id": ind["id"], "name": ind["name"], "value_text": ind.get("value_text"),
                    "deadline": ind.get("deadline"), "deadline_text": ind.get("deadline_text"),
                    "departments": ind.get("departments") or []}
            if not item["departments"]:
                unowned.append(item)
            elif _is(department, item["departments"]):
                mine.append(item)
    mine.sort(key=lambda i: (i["deadline"] or "9999", i["id"]))
    return {"department": department, "as_of": doc["as_of"], "unit": doc["unit"],
            "level": doc["unit"].get("level"), "owned": owned, "unmet": mine,
            "unmet_without_owner": unowned}


def _natural(item_id: str) -> list[int | str]:
    """Sort key of an id: "17.2" before "17.10"."""
    return [int(x) if x.isdigit() else x for x in item_id.split(".")]


def _list_items(doc: dict[str, Any], department: str, units: pd.DataFrame,
                owners: list[dict[str, Any]]) -> dict[str, Any]:
    """A document of several units (``communes``), each with a list of ``criteria`` judged
    met / unmet: per unit, the criteria the department owns and those of them unmet.
    """
    as_of, set_id = doc["as_of"], doc["criteria_set"]["id"]
    rows, unowned, no_data = [], [], []
    for unit in doc.get("communes") or doc.get("units") or []:
        code = str(unit.get("comm_code") or unit.get("code"))
        crits = unit.get("criteria")
        if crits is None and unit.get("sets"):
            crits = _from_counts(unit["sets"], set_id)
        if crits is None:
            no_data.append({"code": code, "name": unit["name"]})
            continue
        owned, unmet, free = [], [], []
        applying = _applying(owners, units, code, as_of)
        for crit in crits:
            deps = _assigned(applying, set_id, str(crit["id"]), None)
            mine = [d for d in deps if _is(department, [d])]
            if mine:
                owned.append(crit["id"])
            if crit.get("met") is False:
                item = {"id": crit["id"], "name": crit["name"], "departments": deps}
                if not deps:
                    free.append(crit["id"])
                elif mine:
                    unmet.append({**item, "partial": all(d["partial"] for d in mine),
                                  "indicators": sorted({i for d in mine
                                                        for i in d.get("indicators", [])},
                                                       key=_natural)})
        rows.append({"code": code, "name": unit["name"], "owned": owned, "unmet": unmet})
        if free:
            unowned.append({"code": code, "name": unit["name"], "ids": free})
    return {"department": department, "as_of": as_of, "level": doc.get("level", "commune"),
            "criteria_set": set_id, "units": rows, "unmet_without_owner": unowned,
            "no_data": no_data}


def _from_counts(sets: list[dict[str, Any]], set_id: str) -> list[dict[str, Any]] | None:
    """A unit's criteria, met / unmet / unknown, from its counts under ``set_id`` (``unmet``
    and ``unknown`` ids; the rest met); None without a count.
    """
    from . import criteria as criteria_mod

    count = next((c for c in sets if c.get("criteria_set") == set_id), None)
    if count is None or count.get("criteria_met") is None:
        return None
    unmet, unknown = set(count.get("unmet") or []), set(count.get("unknown") or [])
    return [{"id": c.id, "name": c.name,
             "met": False if c.id in unmet else (None if c.id in unknown else True)}
            for c in criteria_mod.load_set(set_id).criteria]


def department_items(doc: dict[str, Any], department: str, *,
                     units: pd.DataFrame | None = None,
                     owners: Iterable[dict[str, Any]] | None = None) -> dict[str, Any]:
    """What ``department`` (name matched case-insensitively in Vietnamese or English) owns
    and is not met, in a status document of any level.

    A unit's document (``criteria`` with indicators, owners attached by :func:`attach`): its
    unmet indicators with their deadlines, earliest first, and the unmet indicators no plan
    assigns to anyone. A document of several units (``communes``; criteria without
    indicators, met as reported): per unit the criteria the department owns and those unmet,
    and per unit the unmet criteria no plan assigns (needs ``units``, the store's
    ``admin_units``, for the scope of the owner files).
    """
    if "criteria" in doc and "unit" in doc:
        return _unit_items(doc, department)
    if units is None:
        raise ValueError("a document of several units needs the store's admin_units")
    docs = load() if owners is None else list(owners)
    return _list_items(doc, department, units, docs)
