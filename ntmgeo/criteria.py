"""Criteria sets as data: ``data/criteria/*.yml``, one file per decision.

A set has criteria; a criterion has indicators (or ``None`` where no source gives them: shown
as "not in the catalogue", never guessed); an indicator has a threshold (one, or one per
region / commune group) and a method (``computed`` from layers or ``reported``). Who owns a
criterion or indicator depends on the unit: :mod:`ntmgeo.owners` (``data/owners/*.yml``).
"""

from __future__ import annotations

import datetime as dt
import operator
import unicodedata
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from . import i18n
from ._errors import CriterionDataMissing, Message
from ._resources import share_path

__all__ = ["CriteriaSet", "Criterion", "Indicator", "Threshold", "all_sets", "default_kind",
           "in_force", "load_set", "set_for", "sets_for_level", "table_headings",
           "with_thresholds", "zone_id"]

_OPS = {">=": operator.ge, "<=": operator.le, ">": operator.gt, "<": operator.lt,
        "==": operator.eq}
# Other ways a thresholds file writes a comparison.
_OP_SIGNS = {"≥": ">=", "=>": ">=", "≤": "<=", "=<": "<=", "=": "=="}


@dataclass(frozen=True)
class Threshold:
    """An indicator's threshold as the source prints it, and as a comparison where numeric."""

    text: str
    kind: str  # "numeric" or "pass"
    op: str | None = None
    value: float | None = None
    unit: str | None = None
    # Where a thresholds file gave it (:func:`with_thresholds`): the file's source and date.
    source: str | None = None
    as_of: str | None = None

    def met_by(self, value: float | None) -> bool | None:
        """Whether ``value`` meets a numeric threshold (None when it cannot be told)."""
        if self.kind != "numeric" or value is None or self.op is None or self.value is None:
            return None
        return bool(_OPS[self.op](round(float(value), 9), float(self.value)))

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        doc: dict[str, Any] = {"text": self.text, "kind": self.kind, "op": self.op,
                               "value": self.value, "unit": self.unit}
        if self.source is not None:
            doc.update(source=self.source, as_of=self.as_of)
        return doc


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
    # False where the indicators are not the criterion's full list (added by a thresholds
    # file to a criterion the catalogue lists none for): one unmet makes the criterion unmet,
    # all met do not make it met.
    complete: bool = True


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
    # The number of indicators the sources state, where they do not list them (47 for
    # 51/2025/QĐ-TTg).
    indicators_stated: int | None = None

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
        indicators_stated=doc.get("indicators_stated"),
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


# ------------------------------------------------------------------ the set in force, in words


def _level_word(level: str) -> dict[str, str]:
    words = {"province": i18n.both("province"), "district": i18n.both("district"),
             "commune": i18n.both("commune"), "village": i18n.both("village"),
             "town": i18n.both("town")}
    return words.get(level) or {"vi": level, "en": level}


def _dmy(day: str) -> str:
    return dt.date.fromisoformat(day[:10]).strftime("%d/%m/%Y")


def _set_label(cset: CriteriaSet) -> dict[str, str]:
    """A set's title, with its (first) decision's number where it has one."""
    if cset.decisions:
        return i18n.both("{title} (Decision {decision})", title=cset.title,
                         decision=str(cset.decisions[0].get("number")))
    return dict(cset.title)


def in_force(level: str, date: dt.date | str, *, kind: str | None = None,
             folder: str | Path | None = None) -> tuple[CriteriaSet | None, dict[str, str]]:
    """The set of ``kind`` for units of ``level`` in force on ``date`` (:func:`set_for`), or
    ``None``; and a sentence (``{vi, en}``) saying which applies, or that none does and which
    ended before the date and which applies after it, from the catalogue's periods.
    """
    day = str(_iso(date))
    try:
        cset: CriteriaSet | None = set_for(level, day, kind=kind, folder=folder)
    except CriterionDataMissing:
        cset = None
    lvl = _level_word(level)
    if cset is not None:
        return cset, i18n.both("On {date} the {level} criteria set in force is {set}",
                               date=_dmy(day), level=lvl, set=_set_label(cset))
    kind = kind or default_kind(level, folder)
    same = [s for s in all_sets(folder).values()
            if s.level == level and s.kind == kind and s.period[0] is not None]
    before = max((s for s in same if s.period[1] is not None and s.period[1] < day),
                 key=lambda s: str(s.period[1]), default=None)
    after = min((s for s in same if str(s.period[0]) > day),
                key=lambda s: str(s.period[0]), default=None)
    if before is not None and after is not None:
        return None, i18n.both(
            "No {level} criteria set is in force on {date}: the {before} ended on {end} and "
            "the {after} applies from {start}", level=lvl, date=_dmy(day),
            before=_set_label(before), end=_dmy(str(before.period[1])),
            after=_set_label(after), start=_dmy(str(after.period[0])))
    if before is not None:
        return None, i18n.both(
            "No {level} criteria set is in force on {date}: the {before} ended on {end}, and "
            "the catalogue has no later one", level=lvl, date=_dmy(day),
            before=_set_label(before), end=_dmy(str(before.period[1])))
    if after is not None:
        return None, i18n.both(
            "No {level} criteria set is in force on {date}: the {after} applies from {start}",
            level=lvl, date=_dmy(day), after=_set_label(after),
            start=_dmy(str(after.period[0])))
    return None, i18n.both("The catalogue has no {level} criteria set", level=lvl)


# --------------------------------------------------------------- thresholds from a file

def _fold(text: Any) -> str:
    return " ".join(unicodedata.normalize("NFC", str(text)).split()).casefold()


def zone_id(cset: CriteriaSet, word: Any) -> str | None:
    """The id of the region or commune group of ``cset`` that ``word`` names (its id, a name
    or an alias: "Nhóm 1", "nhóm I", "1"; case and spaces ignored), or ``None``.
    """
    key = _fold(word)
    for zone in cset.zones:
        words = [zone.get("id"), *(zone.get("name") or {}).values(), *(zone.get("aliases") or ())]
        if key in {_fold(w) for w in words if w is not None}:
            return str(zone["id"])
    return None


def _blank(value: Any) -> bool:
    return (value is None or (isinstance(value, float) and value != value)
            or str(value).strip() == "")


def op_of(text: Any) -> str | None:
    """The comparison ``text`` writes (">=", "≥", "=>", …) as one of ``>=``, ``<=``, ``>``,
    ``<``, ``==``; ``None`` if it is none of them.
    """
    sign = "".join(str(text).split())
    sign = _OP_SIGNS.get(sign, sign)
    return sign if sign in _OPS else None


def threshold_problem(row: dict[str, Any]) -> Message | None:
    """What is wrong with a thresholds row's comparison, value and text, or ``None``."""
    if not _blank(row.get("op")) and op_of(row["op"]) is None:
        return Message("'{op}' is not a comparison (>=, <=, >, <, ==)", op=str(row["op"]))
    if not _blank(row.get("value")) and _blank(row.get("op")):
        return Message("a threshold value needs its comparison (>=, <=, >, <, ==)")
    if _blank(row.get("value")) and _blank(row.get("text")):
        return Message("a threshold needs a value or its text")
    return None


def _row_threshold(row: dict[str, Any]) -> Threshold:
    """A thresholds row as a :class:`Threshold`: numeric where it gives a value, else a
    pass/fail one (its ``text``).
    """
    value = None if _blank(row.get("value")) else float(row["value"])
    op = None if _blank(row.get("op")) else op_of(row["op"])
    unit = None if _blank(row.get("unit")) else str(row["unit"]).strip()
    text = "" if _blank(row.get("text")) else str(row["text"]).strip()
    if not text and value is not None:
        figure = f"{value:.10g}".replace(".", ",")
        text = " ".join(p for p in (op, figure + (unit or "")) if p)
    return Threshold(text=text, kind="numeric" if value is not None else "pass", op=op,
                     value=value, unit=unit, source=str(row.get("source") or "") or None,
                     as_of=None if _blank(row.get("as_of")) else str(row["as_of"])[:10])


def with_thresholds(cset: CriteriaSet, rows: Any, *, as_of: str | None = None) -> CriteriaSet:
    """``cset`` with the thresholds of ``rows`` (records of the store's ``thresholds`` table,
    or rows of a thresholds file: :mod:`ntmgeo.thresholds`) applied: per indicator and group
    (or the general threshold, without a group), the latest row dated on or before ``as_of``.

    A row may add an indicator the catalogue does not list, to the criterion it names
    (``criterion_id``, ``indicator_name``); such a criterion's indicators are then not its full
    list (``complete=False``). Rows of other sets are ignored. Pure.
    """
    records = [dict(r) for r in (rows.to_dict("records") if hasattr(rows, "to_dict") else rows)]
    mine = [r for r in records if str(r.get("criteria_set")) == cset.id
            and (as_of is None or _blank(r.get("as_of")) or str(r["as_of"])[:10] <= as_of)]
    if not mine:
        return cset
    mine.sort(key=lambda r: (str(r.get("as_of") or ""), str(r.get("recorded_at") or "")))
    known = {i.id: c.id for c in cset.criteria for i in (c.indicators or ())}
    chosen: dict[tuple[str, str | None], Threshold] = {}
    added: dict[str, tuple[str, str]] = {}  # new indicator id -> (criterion id, name)
    for row in mine:
        iid, where = str(row.get("indicator_id")).strip(), str(row.get("source") or cset.id)
        zone = None
        if not _blank(row.get("group")):
            zone = zone_id(cset, row["group"])
            if zone is None:
                raise CriterionDataMissing(
                    "{where}: criteria set '{set}' has no group or region '{group}' (known: "
                    "{known})", where=where, set=cset.id, group=str(row["group"]),
                    known=", ".join(str(z.get("id")) for z in cset.zones) or "-")
        cid = None if _blank(row.get("criterion_id")) else str(row["criterion_id"]).strip()
        if iid in known:
            if cid is not None and cid != known[iid]:
                raise CriterionDataMissing(
                    "{where}: indicator '{id}' belongs to criterion '{crit}', not '{given}'",
                    where=where, id=iid, crit=known[iid], given=cid)
        elif iid not in added:
            name = None if _blank(row.get("indicator_name")) else str(row["indicator_name"])
            if cid is None or name is None or not cset.has_criterion(cid):
                raise CriterionDataMissing(
                    "{where}: criteria set '{set}' has no indicator '{id}': a row adding it "
                    "names one of the set's criteria and the indicator's name", where=where,
                    set=cset.id, id=iid)
            added[iid] = (cid, name.strip())
        problem = threshold_problem(row)
        if problem is not None:
            raise CriterionDataMissing("{where}: indicator '{id}': {problem}", where=where,
                                       id=iid, problem=problem)
        chosen[(iid, zone)] = _row_threshold(row)

    def apply(ind: Indicator) -> Indicator:
        mine_ = {z: t for (i, z), t in chosen.items() if i == ind.id}
        if not mine_:
            return ind
        return replace(ind, threshold=mine_.get(None, ind.threshold),
                       thresholds={**ind.thresholds,
                                   **{z: t for z, t in mine_.items() if z is not None}})

    criteria = []
    for crit in cset.criteria:
        new = [Indicator(id=i, name={"vi": name, "en": name}, method="reported")
               for i, (c, name) in added.items() if c == crit.id]
        inds = [apply(i) for i in (*(crit.indicators or ()), *new)]
        if crit.indicators is None and not inds:
            criteria.append(crit)
            continue
        criteria.append(replace(crit, indicators=tuple(inds),
                                complete=crit.complete and crit.indicators is not None))
    return replace(cset, criteria=tuple(criteria))
