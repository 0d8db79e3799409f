"""Criteria sets as data: ``data/criteria/*.yml``, one file per decision.

A set has criteria; a criterion has indicators (or ``None`` where no source gives them: shown
as "not in the catalogue", never guessed); an indicator has a threshold (one, or one per
region / commune group) and a method (``computed`` from layers or ``reported``). Who owns a
criterion or indicator depends on the unit: :mod:`ntmgeo.owners` (``data/owners/*.yml``).
"""

from __future__ import annotations

import datetime as dt
import operator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from ._errors import CriterionDataMissing
from ._resources import share_path

__all__ = ["CriteriaSet", "Criterion", "Indicator", "Threshold", "all_sets", "default_kind",
           "load_set", "set_for", "sets_for_level", "table_headings"]

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
        "==": operator.eq}


@dataclass(frozen=True)
class Threshold:
    """An indicator's threshold as the source prints it, and as a comparison where numeric."""

    text: str
    kind: str  # "numeric" or "pass"
    op: str | None = None
    value: float | None = None
    unit: str | None = None

    def met_by(self, value: float | None) -> bool | None:
        """Whether ``value`` meets a numeric threshold (None when it cannot be told)."""
        if self.kind != "numeric" or value is None or self.op is None or self.value is None:
            return None
        return bool(_OPS[self.op](round(float(value), 9), float(self.value)))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {"text": self.text, "kind": self.kind, "op": self.op, "value": self.value,
                "unit": self.unit}


@dataclass(frozen=True)
class Indicator:
    """One indicator (chỉ tiêu) of a criterion."""

    id: str
    name: dict[str, str]
    method: str
    threshold: Threshold | None = None
    thresholds: dict[str, Threshold] = field(default_factory=dict)  # by region or group
    compute: str | None = None
    note: dict[str, str] | None = None
    # Kept for compatibility, always empty: owners depend on the unit (:mod:`ntmgeo.owners`).
    departments: tuple[dict[str, Any], ...] = ()
    # How the indicator is judged, from guidance issued for the set: source, quotes, rule.
    guidance: dict[str, Any] | None = None

    def threshold_for(self, zone: str | None = None) -> Threshold | None:
        """The threshold that applies, for a region or commune group where the set has them."""
        if zone is not None and zone in self.thresholds:
            return self.thresholds[zone]
        return self.threshold


@dataclass(frozen=True)
class Criterion:
    """One criterion (tiêu chí)."""

    id: str
    name: dict[str, str]
    indicators: tuple[Indicator, ...] | None
    note: dict[str, str] | None = None


@dataclass(frozen=True)
class CriteriaSet:
    """A criteria set, as one decision issues it."""

    id: str
    level: str
    kind: str
    title: dict[str, str]
    period: tuple[str | None, str | None]  # (None, None) where no source states it
    source: str
    threshold_scheme: str
    criteria: tuple[Criterion, ...]
    decisions: tuple[dict[str, Any], ...] = ()
    zones: tuple[dict[str, Any], ...] = ()
    recognition_conditions: tuple[dict[str, Any], ...] = ()
    path: str = ""
    # The set in force for its level when no kind is asked for (``level_default: true`` in
    # the file): the town's set is the đô thị văn minh one, not an NTM set.
    level_default: bool = False

    @property
    def indicators(self) -> list[Indicator]:
        """All indicators, in order (empty for criteria without indicators)."""
        return [i for c in self.criteria for i in (c.indicators or ())]

    def indicator(self, indicator_id: str) -> Indicator:
        """Look up an indicator by id ("2.3")."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        msg = "criteria set '{set}' has no indicator '{id}'"
        raise CriterionDataMissing(msg, set=self.id, id=indicator_id)

    def criterion(self, criterion_id: str) -> Criterion:
        """Look up a criterion by id ("2")."""
        for crit in self.criteria:
            if crit.id == criterion_id:
                return crit
        msg = "criteria set '{set}' has no criterion '{id}' (criteria: {known})"
        raise CriterionDataMissing(msg, set=self.id, id=criterion_id,
                                   known=", ".join(c.id for c in self.criteria))

    def has_criterion(self, criterion_id: str) -> bool:
        """Whether ``criterion_id`` names one of the set's criteria."""
        return any(c.id == criterion_id for c in self.criteria)

    def covers(self, date: dt.date | str) -> bool:
        """Whether the set's period includes ``date``."""
        day = date if isinstance(date, str) else date.isoformat()
        start, end = self.period
        if start is None:  # no stated period: never picked by date
            return False
        return start <= day and (end is None or day <= end)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, dt.date) else str(value)


def _threshold(doc: dict[str, Any] | None, where: str) -> Threshold | None:
    if doc is None:
        return None
    kind = doc.get("kind")
    if kind not in ("numeric", "pass"):
        raise CriterionDataMissing("{where}: threshold kind must be numeric or pass",
                                   where=where)
    if kind == "numeric" and (doc.get("op") not in (*_OPS, None) or doc.get("value") is None):
        # op may be null where the source prints a figure without a comparison ("90%"):
        # such a threshold is shown but never decides "met".
        raise CriterionDataMissing("{where}: a numeric threshold needs a value and a known op",
                                   where=where)
    return Threshold(text=str(doc.get("text", "")), kind=kind, op=doc.get("op"),
                     value=doc.get("value"), unit=doc.get("unit"))


def _guidance(doc: dict[str, Any] | None, where: str) -> dict[str, Any] | None:
    """An indicator's ``guidance``: ``source`` (the guidance document), ``quotes`` (its words,
    verbatim) and ``rule`` (how ntmgeo applies it, ``{vi, en}``).
    """
    if doc is None:
        return None
    if not isinstance(doc, dict) or not doc.get("source") or not doc.get("quotes"):
        raise CriterionDataMissing("{where}: guidance needs a source and quotes", where=where)
    rule = doc.get("rule")
    if rule is not None and not (isinstance(rule, dict) and rule.get("vi") and rule.get("en")):
        raise CriterionDataMissing("{where}: guidance rule needs vi and en", where=where)
    return {"source": str(doc["source"]), "quotes": [str(q) for q in doc["quotes"]],
            "rule": rule}


def _parse(doc: dict[str, Any], path: Path) -> CriteriaSet:
    where = path.name
    for key in ("id", "level", "kind", "title", "period", "criteria"):
        if key not in doc:
            raise CriterionDataMissing("{where}: missing '{key}'", where=where, key=key)
    criteria, seen = [], set()
    for crit in doc["criteria"]:
        inds = None
        if crit.get("indicators") is not None:
            inds = []
            for ind in crit["indicators"]:
                iid = str(ind.get("id") or ind.get("printed_id"))
                if iid in seen:
                    raise CriterionDataMissing("{where}: indicator '{id}' appears twice",
                                               where=where, id=iid)
                seen.add(iid)
                inds.append(Indicator(
                    id=iid, name=ind["name"], method=ind.get("method", "reported"),
                    threshold=_threshold(ind.get("threshold"), f"{where}: {iid}"),
                    thresholds={str(k): t for k, v in (ind.get("thresholds") or {}).items()
                                if (t := _threshold(v, f"{where}: {iid}/{k}")) is not None},
                    compute=ind.get("compute"), note=ind.get("note"),
                    guidance=_guidance(ind.get("guidance"), f"{where}: {iid}"),
                ))
        criteria.append(Criterion(id=str(crit["id"]), name=crit["name"],
                                  indicators=tuple(inds) if inds is not None else None,
                                  note=crit.get("note")))
    period = doc["period"] or {}
    zones = doc.get("regions") or doc.get("groups") or ()
    return CriteriaSet(
        id=doc["id"], level=doc["level"], kind=doc["kind"], title=doc["title"],
        period=(_iso(period.get("from")), _iso(period.get("to"))),
        source=str(doc.get("source", "")), threshold_scheme=doc.get("threshold_scheme", "single"),
        criteria=tuple(criteria), decisions=tuple(doc.get("decisions") or ()),
        zones=tuple(zones), recognition_conditions=tuple(doc.get("recognition_conditions") or ()),
        path=str(path), level_default=bool(doc.get("level_default", False)),
    )


@cache
def _catalogue(folder: str) -> dict[str, CriteriaSet]:
    base = Path(folder)
    sets: dict[str, CriteriaSet] = {}
    for path in sorted(base.glob("*.yml")):
        if path.name.startswith("_"):  # not a set: the catalogue's own data (_tables.yml)
            continue
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        cset = _parse(doc, path)
        if cset.id in sets:
            raise CriterionDataMissing("{file}: set id '{id}' is used twice", file=path.name,
                                       id=cset.id)
        sets[cset.id] = cset
    return sets


@cache
def table_headings(folder: str | None = None) -> dict[str, frozenset[str]]:
    """The headings of a units × criteria table's unit-code column (``unit_code``) and of
    the columns skipped (``skipped``), casefolded: ``data/criteria/_tables.yml``.
    """
    path = Path(folder or share_path("data", "criteria")) / "_tables.yml"
    doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return {key: frozenset(" ".join(str(h).split()).casefold() for h in doc.get(key) or ())
            for key in ("unit_code", "skipped")}


def all_sets(folder: str | Path | None = None) -> dict[str, CriteriaSet]:
    """Every criteria set in the catalogue folder (default: the shipped ``data/criteria``)."""
    return _catalogue(str(folder or share_path("data", "criteria")))


def load_set(set_id: str, folder: str | Path | None = None) -> CriteriaSet:
    """The criteria set ``set_id``."""
    sets = all_sets(folder)
    if set_id not in sets:
        raise CriterionDataMissing("criteria set '{id}' is not in the catalogue ({known})",
                                   id=set_id, known=", ".join(sorted(sets)))
    return sets[set_id]


def default_kind(level: str, folder: str | Path | None = None) -> str:
    """The kind of set a unit of ``level`` is assessed against when none is named: the kind
    of the level's set marked ``level_default: true`` in the catalogue, else ``ntm``.
    """
    kinds = {s.kind for s in all_sets(folder).values() if s.level == level and s.level_default}
    if len(kinds) > 1:
        raise CriterionDataMissing("several default kinds of criteria set for level "
                                   "'{level}': {kinds}", level=level,
                                   kinds=", ".join(sorted(kinds)))
    return kinds.pop() if kinds else "ntm"


def sets_for_level(level: str, date: dt.date | str, folder: str | Path | None = None
                   ) -> list[CriteriaSet]:
    """Every set in force for units of ``level`` on ``date``, one per kind, the level's
    default kind first.
    """
    first = default_kind(level, folder)
    kinds = sorted({s.kind for s in all_sets(folder).values() if s.level == level},
                   key=lambda k: (k != first, k))
    out = []
    for kind in kinds:
        try:
            out.append(set_for(level, date, kind=kind, folder=folder))
        except CriterionDataMissing:
            continue
    return out


def set_for(level: str, date: dt.date | str, *, kind: str | None = None,
            folder: str | Path | None = None) -> CriteriaSet:
    """The set of ``kind`` (default: the level's, :func:`default_kind`) for units of
    ``level`` in force on ``date``. A set whose sources state no period is taken where no
    set of a stated period covers the date.
    """
    kind = kind or default_kind(level, folder)
    same = [s for s in all_sets(folder).values() if s.level == level and s.kind == kind]
    matches = ([s for s in same if s.covers(date)]
               or [s for s in same if s.period == (None, None)])
    if not matches:
        raise CriterionDataMissing("no '{kind}' criteria set for level '{level}' in force on "
                                   "{date}", kind=kind, level=level, date=_iso(date))
    return max(matches, key=lambda s: s.period[0] or "")
