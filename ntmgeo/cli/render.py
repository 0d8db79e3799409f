"""How the command line shows what the library computed: rich tables and lines on standard
output, progress on standard error, JSON documents. Nothing here computes: every function
takes a document (or a schema, a criteria set) a command got from the library, and prints it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

import click
from rich.console import Console
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table
from rich.text import Text

from .. import settings
from ..i18n import beside_no_road_text, number, t

out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)

# a level's units as a count names them ("8/111 xã")
_UNITS_OF = {lvl: f"units_of_{lvl}" for lvl in ("commune", "district", "village", "town",
                                                 "province")}


def say(text: str, *, highlight: bool | None = None) -> None:
    """One line (rich markup) on standard output."""
    out.print(text, highlight=highlight)


def warn(text: str, *, highlight: bool | None = None) -> None:
    """One line on standard error."""
    err.print(text, highlight=highlight)


def echo_json(doc: Any) -> None:
    """A document as indented JSON on standard output (``--json``)."""
    click.echo(json.dumps(doc, ensure_ascii=False, indent=2, default=str))


def spinner() -> Progress:
    """A spinner on standard error while a file is read or written (none when not a terminal)."""
    return Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err,
                    transient=True, disable=not err.is_terminal)


# ----------------------------------------------------------------------------------- stores
def print_init(path: Any, prov: str, crs: str, sample: str | None,
               counts: dict[str, int] | None) -> None:
    """What ``ntmgeo init`` created, and the sample's counts per layer."""
    out.print(t("created", path=path, prov=prov, crs=crs))
    if sample:
        out.print(t("sample_loaded", name=sample))
        for key, count in (counts or {}).items():
            out.print(f"  {key}: {count}")


def print_import(result: Any, *, layer: str, file_name: str, replace: bool) -> None:
    """How many features an import added or replaced, and the surveys beside no road."""
    key = "replaced" if replace else "imported"
    out.print(t(key, n=result.count, layer=layer, file=file_name), highlight=False)
    if layer == "surveys":
        out.print(beside_no_road_text(result), highlight=False)


def print_info(doc: dict[str, Any]) -> None:
    """A store's metadata and counts (``ntmgeo info``)."""
    for key, value in doc["meta"].items():
        out.print(f"{key}: {value}", highlight=False)
    for key, value in doc["counts"].items():
        out.print(f"  {key}: {value}", highlight=False)


# ----------------------------------------------------------------------------------- status
def met_word(met: bool | None) -> str:
    """Met, unmet or unknown, in the language of the messages."""
    if met is None:
        return t("unknown")
    return t("met") if met else t("unmet")


def print_district(doc: dict[str, Any]) -> None:
    """A district's status: criteria and indicators as a table, then the summaries."""
    lang = settings.lang
    unit = doc["unit"]
    out.print(f"[bold]{t('unit')}:[/] {unit['name']} ({unit['code']}) · "
              f"{t('set')}: {doc['criteria_set']['title'][lang]} · {t('as_of')}: {doc['as_of']}",
              highlight=False)
    table = Table(show_lines=False)
    table.add_column(t("indicator"), overflow="fold", ratio=5, min_width=30)
    for col in ("threshold", "value", "status", "source"):
        table.add_column(t(col), overflow="fold", ratio=2)
    for crit in doc["criteria"]:
        recorded = ""  # a criterion recorded met / unmet (reported_criteria): source, date
        if crit.get("source") == "recorded":
            recorded = f"{t('source_recorded')} {crit['as_of']}"
        table.add_row(f"[bold]{crit['id']}. {crit['name'][lang]}[/]", "",
                      crit.get("value_text") or "" if recorded else "",
                      f"[bold]{met_word(crit['met'])}[/]", recorded)
        for ind in crit["indicators"] or []:
            value = ind["value_text"] or ("" if ind["value"] is None else str(ind["value"]))
            threshold = ind["threshold"]["text"] if ind["threshold"] else ""
            source = t(ind["source"]) if ind["source"] else ""
            if ind["as_of"]:
                source += f" {ind['as_of']}"
            style = "red" if ind["met"] is False else ""
            table.add_row(f"  {ind['id']} {ind['name'][lang]}", threshold, value,
                          f"[{style}]{met_word(ind['met'])}[/]" if style else
                          met_word(ind["met"]), source)
            for remark in (ind.get("basis"), ind.get("note")):  # which condition decided, and
                if remark:  # what the layers could not answer (ntmgeo.computed)
                    table.add_row(Text(f"    ↳ {remark[lang]}", style="dim"), "", "", "", "")
    out.print(table)
    s = doc["summary"]
    out.print(t("summary", im=s["indicators_met"], it=s["indicators_total"],
                cm=s["criteria_met"], ct=s["criteria_total"]))
    if s.get("table"):
        tb = s["table"]
        out.print(t("table_summary", im=tb["indicators_met"], it=tb["indicators_total"],
                    cm=tb["criteria_met"], ct=tb["criteria_total"]))
    if s.get("reported"):
        r = s["reported"]
        out.print(t("reported_summary", im=r["indicators_met"], it=r["indicators_total"],
                    cm=r["criteria_met"], ct=r["criteria_total"]))
    if s["disagreements"]:
        out.print(t("disagreements"))
        for d in s["disagreements"]:
            out.print(f"  - {d['note'][settings.lang]}", highlight=False)
    for other in doc.get("other_sets") or []:
        print_set_count(other)
    for roll in doc.get("recognition") or []:
        print_rollup(roll)


def print_set_count(counts: dict[str, Any], name: str = "") -> None:
    """A unit's count under one more set (nâng cao…): "15/19", unmet and unknown ids."""
    met = counts["criteria_met"]
    figure = t("unknown") if met is None else f"{met}/{counts['criteria_total']}"
    line = t("set_count", set=counts["criteria_set"], n=figure)
    if counts.get("unmet"):
        line += " · " + t("set_unmet", ids=", ".join(counts["unmet"]))
    out.print(f"{name}{line}", highlight=False)


def print_units(doc: dict[str, Any]) -> None:
    """Villages or towns: one row per unit, its criteria met under each set in force."""
    table = Table()
    first = doc["units"][0]["sets"] if doc["units"] else []
    for col in ("code", "unit"):
        table.add_column(t(col), overflow="fold")
    for counts in first:
        table.add_column(counts["criteria_set"], overflow="fold")
    table.add_column(t("unmet_criteria"), overflow="fold")
    table.add_column(t("as_of"), overflow="fold")
    for u in doc["units"]:
        cells = [f"{c['criteria_met']}/{c['criteria_total']}" if c["criteria_met"] is not None
                 else "" for c in u["sets"]]
        main = u["sets"][0] if u["sets"] else {"unmet": [], "as_of": None}
        table.add_row(u["code"], u["name"], *cells, ", ".join(main["unmet"]),
                      main["as_of"] or "")
    out.print(table)
    s = doc["summary"]
    if s["criteria_met_mean"] is not None:
        out.print(t("criteria_mean", mean=number(s["criteria_met_mean"], 2),
                    n=s["counted"], total=s["units"]))
    if s["no_data"]:
        out.print(t("units_no_data", n=s["no_data"]))


def print_rollup(roll: dict[str, Any]) -> None:
    """A roll-up's conditions with their figures, and whether it is met."""
    lang = settings.lang
    out.print(f"[bold]{roll['title'][lang]}[/]: {met_word(roll['met'])}")
    for cond in roll["conditions"]:
        if cond["source"] == "computed":
            figure = (f"{cond['count']}/{cond['total']} ({cond['value']}%)"
                      if cond["total"] else t("none_there"))
            if cond["no_data"]:
                figure += " · " + t("no_level", ids=", ".join(cond["no_data"]))
        else:
            figure = t("unknown") if cond["value"] is None else str(cond["value"])
            if "counted" in cond:  # an average over the units below, from their criteria
                figure += " · " + t("criteria_counted", n=cond["counted"],
                                    total=max(cond["total"], cond["expected_total"] or 0))
        out.print(f"  {cond['id']}. {cond['text'][lang]}: {figure} → {met_word(cond['met'])}",
                  highlight=False)


def print_communes(doc: dict[str, Any]) -> None:
    """The communes' status: one row per commune, then the summary. On a date no commune set
    is in force: the sentence saying so, and the communes without a status.
    """
    if doc.get("criteria_set") is None and doc.get("no_set"):
        out.print(doc["no_set"][settings.lang], highlight=False)
        units = Table()
        for col in ("code", "commune"):
            units.add_column(t(col), overflow="fold")
        for c in doc["communes"]:
            units.add_row(c["comm_code"], c["name"])
        out.print(units)
        for c in doc["communes"]:
            print_predecessors(c)
        return
    if doc.get("set_in_force"):
        out.print(doc["set_in_force"][settings.lang], highlight=False)
    by_group = (doc.get("criteria_set") or {}).get("threshold_scheme") == "group"
    table = Table()
    for col in ("code", "commune", "ntm_level", "criteria_met", "unmet_criteria", "as_of"):
        table.add_column(t(col), overflow="fold")
    if by_group:  # the set's thresholds are by commune group: each commune's
        table.add_column(t("commune_group"), overflow="fold")
    for c in doc["communes"]:
        level = t(f"level_{c['level']}") if c["level"] else t("unknown")
        if c.get("level_basis") == "criteria":  # every criterion recorded met, not a status
            level += " *"
        met = "" if c["criteria_met"] is None else f"{c['criteria_met']}/{c['criteria_total']}"
        unmet = ", ".join(x["id"] for x in c["criteria"] or [] if x["met"] is False)
        cells = [c["comm_code"], c["name"], level, met, unmet, c["as_of"] or ""]
        if by_group:
            group = c.get("group")
            cells.append(group["name"][settings.lang] if group and group.get("name")
                         else group["id"] if group else "")
        table.add_row(*cells)
    out.print(table)
    if any(c.get("level_basis") == "criteria" for c in doc["communes"]):
        out.print(t("level_by_criteria"))
    for c in doc["communes"]:  # the other sets' counts from recorded criteria
        for other in c.get("other_sets") or []:
            if "recorded" in other:
                print_set_count(other, name=f"{c['name']} ({c['comm_code']}): ")
    for c in doc["communes"]:  # the units each was formed from, with their own records
        print_predecessors(c)
    s = doc["summary"]
    out.print(t("communes_summary", ntm=s["ntm_or_above"], n=s["communes"],
                nc=s["ntm_nang_cao_or_above"]))
    if s.get("criteria_met_mean") is not None:
        out.print(t("criteria_mean", mean=number(s["criteria_met_mean"], 2),
                    n=s["criteria_counted"], total=s["communes"]))
    if s.get("no_data"):
        out.print(t("communes_no_data", n=s["no_data"]))


def print_predecessors(commune: dict[str, Any]) -> None:
    """The units a commune was formed from, each with its own latest status record (theirs:
    their code, name, period, source), indented by generation.
    """
    preds = commune.get("predecessors") or []
    if not preds:
        return
    out.print(t("formed_from_title", name=commune["name"], code=commune["comm_code"],
                date=preds[0]["date"]), highlight=False)
    for p in preds:
        kind = t(f"kind_{p['kind']}")
        if p.get("share") is not None:
            kind = t("kind_share_of", kind=kind, pct=number(100 * p["share"], 0) + " %")
        fields = {"name": p["name"] or t("predecessor_not_held"), "code": p["code"],
                  "start": p["valid_from"] or "?", "end": p["valid_to"] or "?", "kind": kind}
        pad = "  " * p["generation"]
        if p["as_of"] is None:
            out.print(pad + t("predecessor_no_record", **fields), highlight=False)
            continue
        level = t(f"level_{p['level']}") if p["level"] else t("unknown")
        met = ("" if p["criteria_met"] is None
               else f" · {p['criteria_met']}/{p['criteria_total']}")
        out.print(pad + t("predecessor_line", **fields, level=level, met=met, as_of=p["as_of"],
                          source=p["source"] or t("unknown")), highlight=False)
        for other in p.get("other_sets") or []:
            print_set_count(other, name=pad + "  ")


def print_province(doc: dict[str, Any]) -> None:
    """A province's communes by NTM level, by commune group and per criterion of the set in
    force (or the sentence saying none is), then its pre-2025 districts as history.
    """
    lang = settings.lang
    unit, s = doc["unit"], doc["summary"]
    out.print(f"[bold]{t('unit')}:[/] {unit['name']} ({unit['code']}) · "
              f"{t('as_of')}: {doc['as_of']}", highlight=False)
    out.print((doc["set_in_force"] or doc["no_set"])[lang], highlight=False)
    out.print(t("province_communes", n=s["communes"]))
    levels = Table(title=t("province_by_level"))
    for col in ("ntm_level", "province_n_communes"):
        levels.add_column(t(col), overflow="fold")
    for lvl, n in s["by_level"].items():
        word = t("unknown") if lvl == "no_data" else (
            t(f"level_{lvl}") if f"level_{lvl}" in _LEVEL_KEYS else lvl)
        levels.add_row(word, str(n))
    out.print(levels)
    if s.get("by_group") is not None:
        groups = Table(title=t("province_by_group"))
        for col in ("commune_group", "province_n_communes"):
            groups.add_column(t(col), overflow="fold")
        for g in s["by_group"]:
            name = (g["name"] or {}).get(lang) or g["id"] or t("province_no_group")
            groups.add_row(name, str(g["communes"]))
        out.print(groups)
    if doc["shares"]:
        crits = Table(title=t("province_criteria"))
        for col in ("criterion", "met", "province_known", "province_all"):
            crits.add_column(t(col), overflow="fold")
        for c in doc["shares"]:
            crits.add_row(f"{c['id']}. {c['name'][lang]}", str(c["met"]), str(c["known"]),
                          str(c["total"]))
        out.print(crits)
    _print_province_history(doc["history"])


# the levels the CLI has a word for ("level_ntm"…); another is shown as its id
_LEVEL_KEYS = frozenset(f"level_{k}" for k in ("not_yet", "ntm", "ntm_nang_cao",
                                                "ntm_kieu_mau", "van_minh"))


def _print_province_history(history: list[dict[str, Any]]) -> None:
    """The pre-2025 districts of a province, each with its status on its last day (and, below,
    what its own document reported).
    """
    if not history:
        out.print(t("province_no_history"))
        return
    table = Table(title=t("province_history"))
    sets = sorted({d["status"]["criteria_set"] for d in history if d["status"]})
    table.caption = f"{t('set')}: {', '.join(sets)}" if sets else None
    for col in ("code", "province_district", "province_last_day", "criteria_met",
                "province_indicators_met", "province_recognition"):
        table.add_column(t(col), overflow="fold")
    reported = []
    for d in history:
        st = d["status"]
        if st is None:
            table.add_row(d["code"], d["name"], d["valid_to"], d["missing"] or "", "", "")
            continue
        table.add_row(d["code"], d["name"], d["valid_to"],
                      f"{st['criteria_met']}/{st['criteria_total']}",
                      f"{st['indicators_met']}/{st['indicators_total']}",
                      ", ".join(met_word(r["met"]) for r in st["recognition"]))
        if st.get("reported"):
            r = st["reported"]
            reported.append(f"{d['name']} ({d['code']}, {st['reported_as_of']}): " + t(
                "reported_summary", im=r["indicators_met"], it=r["indicators_total"],
                cm=r["criteria_met"], ct=r["criteria_total"]))
    out.print(table)
    for line in reported:
        out.print(line, highlight=False)


def print_department(items: dict[str, Any]) -> None:
    """What a department owns and is not met: a unit's unmet indicators with their
    deadlines, or per commune (village, town) the criteria it owns and those unmet; and the
    unmet items no plan assigns ("chưa phân công").
    """
    if "units" in items:
        _print_department_units(items)
        return
    lang = settings.lang
    out.print(t("department_title", d=items["department"], as_of=items["as_of"]),
              highlight=False)
    for item in items["unmet"]:
        deadline = item["deadline"] or item["deadline_text"] or "—"
        out.print(f"  {item['id']} {item['name'][lang]} · {deadline}", highlight=False)
    if not items["unmet"]:
        out.print(t("department_none"))
    if not items.get("owned", True):
        out.print(t("department_not_owner", d=items["department"]), highlight=False)
    if items["unmet_without_owner"]:
        out.print(t("department_unowned", ids=", ".join(i["id"] for i in
                                                        items["unmet_without_owner"])))


def _print_department_units(items: dict[str, Any]) -> None:
    """Per unit of a list document: the criteria the department owns, and those unmet."""
    lang = settings.lang
    out.print(t("department_units_title", d=items["department"], as_of=items["as_of"]),
              highlight=False)
    for unit in items["units"]:
        if not unit["owned"]:
            continue
        unmet = []
        for crit in unit["unmet"]:
            label = crit["id"]
            if crit.get("partial"):
                label += " " + t("department_partial", ids=", ".join(crit["indicators"]))
            unmet.append(label)
        out.print(t("department_unit_line", name=unit["name"], code=unit["code"],
                    owned=", ".join(unit["owned"]) or "—", unmet=", ".join(unmet) or "—"),
                  highlight=False)
        for crit in unit["unmet"]:
            out.print(f"    {crit['id']} {crit['name'][lang]}", highlight=False)
    if not items["units"] and not items["no_data"]:
        out.print(t("department_none"))
    if items["units"] and not any(u["owned"] for u in items["units"]):
        out.print(t("department_not_owner", d=items["department"]), highlight=False)
    for unit in items["unmet_without_owner"]:
        out.print(t("department_unowned_unit", name=unit["name"], code=unit["code"],
                    ids=", ".join(unit["ids"])), highlight=False)
    if items["no_data"]:
        out.print(t("department_no_data", n=len(items["no_data"]),
                    names=", ".join(u["name"] for u in items["no_data"])), highlight=False)


def print_greening(doc: dict[str, Any]) -> None:
    """Indicator 2.3 per road (stretches, longest gap), then the total."""
    table = Table()
    for col in ("road", "length_km", "greened_km", "ratio", "stretches", "longest_gap"):
        table.add_column(t(col), overflow="fold")
    for road in doc["roads"]:
        gap = road["gaps"][0]["label"] if road["gaps"] else ""
        table.add_row(f"{road['road_code']} ({road['dist_code']})", f"{road['length_km']:.2f}",
                      f"{road['greened_km']:.2f}", f"{road['ratio']:.2%}",
                      "; ".join(s["label"] for s in road["stretches"]), gap)
    out.print(table)
    tot = doc["total"]
    out.print(t("greening_total", g=tot["greened_km"], l=tot["length_km"], r=tot["ratio"],
                thr=tot["threshold"], status=met_word(tot["met"]), s=tot["shortfall_km"]),
              highlight=False)
    if doc["unmatched"]["count"]:
        out.print(t("unmatched", n=doc["unmatched"]["count"],
                    ids=", ".join(doc["unmatched"]["ids"][:10])), highlight=False)


def print_surface(doc: dict[str, Any]) -> None:
    """Road km by surface class, per unit."""
    for unit in doc.get("units") or []:
        out.print(f"[bold]{unit['name']} ({unit['code']})[/]")
        for cls, row in (unit.get("by_class") or {}).items():
            out.print(f"  {cls}: {row['text']}", highlight=False)


def print_coverage(doc: dict[str, Any]) -> None:
    """Each unit's share within reach of a facility type."""
    lang = settings.lang
    table = Table()
    for col in ("code", "commune", "covered", "basis"):
        table.add_column(t(col), overflow="fold")
    for unit in doc.get("units") or []:
        share = unit.get("covered_share")
        covered = "" if share is None else f"{share:.1%}"
        if unit.get("covered_population") is not None:
            covered += t("covered_people", covered=unit["covered_population"],
                         population=unit["population"])
        elif unit.get("covered_km2") is not None:
            covered += f" ({unit['covered_km2']:.1f} / {unit['area_km2']:.1f} km²)"
        note = unit.get("basis_note") or {}
        table.add_row(str(unit.get("code", "")), str(unit.get("name", "")), covered,
                      note.get(lang) or str(unit.get("basis", "")))
    out.print(table)


def print_targets(docs: list[dict[str, Any]], *, code: str, as_of: str) -> None:
    """The roll-up targets, with a line for each level counted short."""
    if not docs:
        out.print(t("no_rollup", code=code, as_of=as_of))
    for roll in docs:
        print_rollup(roll)
        expected = roll.get("expected_units") or {}
        for lvl, n in expected.items():
            counted = max((c["total"] for c in roll["conditions"]
                           if c.get("units") == lvl), default=0)
            if counted < n:
                out.print(t("partial_rollup", counted=counted, n=n,
                            level=t(_UNITS_OF[lvl]) if lvl in _UNITS_OF else lvl))


def print_progress(doc: dict[str, Any]) -> None:
    """Tree-lined km by month, indicators met by quarter, overdue works, then the
    recognition dossier deadlines (where a plan gives them).
    """
    out.print(t("progress_greening"))
    for row in doc["greening_by_month"]:
        out.print(f"  {row['as_of']}: {row['greened_km']:.2f}/{row['length_km']:.2f} km "
                  f"({row['ratio']:.2%})", highlight=False)
    out.print(t("progress_quarters"))
    for row in doc["indicators_by_quarter"]:
        if "error" in row:
            out.print(f"  {row['as_of']}: {row['error']}", highlight=False)
        else:
            out.print(f"  {row['as_of']}: {row['indicators_met']}/{row['indicators_total']} · "
                      f"{row['criteria_met']}/{row['criteria_total']}", highlight=False)
    out.print(t("progress_overdue", d=doc["as_of"]))
    for item in doc["overdue"]:
        out.print(f"  {item['indicator'] or ''} {item['name']}: {item['deadline']} "
                  f"(+{item['days_late']} {t('days')})", highlight=False)
    if not doc["overdue"]:
        out.print(t("department_none"))
    if doc.get("deadlines"):
        from .. import calendar as calendar_mod
        from .calendar import days_text

        out.print(t("progress_deadlines"))
        for item in doc["deadlines"]:
            units = ", ".join(f"{u['name']} ({u['code']})" for u in item["unit"])
            out.print(f"  {calendar_mod.dmy(item['date'])} {item['title'][settings.lang]} — "
                      f"{units}: {days_text(item['days_left'])} ({item['source']})",
                      highlight=False)


# ----------------------------------------------------------------------------------- export
def print_export(result: dict[str, Any]) -> None:
    """What an export wrote (layers and counts) and the text it cut."""
    out.print(t("exported", path=result["path"], crs=result["crs"]), highlight=False)
    for name, count in result["layers"].items():
        out.print(f"  {name}: {count}", highlight=False)
    cut: dict[tuple[str, str], int] = {}
    for item in result.get("truncated") or []:
        key = (item["layer"], item["field"])
        cut[key] = cut.get(key, 0) + 1
    for (layer, field), count in cut.items():
        out.print(t("truncated", layer=layer, field=field, n=count), highlight=False)


# ----------------------------------------------------------------------------------- catalogues
def print_layers(schemas: Iterable[Any]) -> None:
    """The layer schemas, one line each."""
    for schema in schemas:
        types = "/".join(schema.geometry_types)
        out.print(f"{schema.name}\t{types}\t{schema.title[settings.lang]}", highlight=False)


def print_layer(schema: Any) -> None:
    """A layer schema's fields as a table, then its identity."""
    table = Table(title=f"{schema.name}: {schema.title[settings.lang]}")
    for col in ("field", "shp", "type", "required", "label", "unit / allowed"):
        table.add_column(col, overflow="fold")
    for f in schema.fields:
        extra = f.unit or (", ".join(f.allowed) if f.allowed else "")
        table.add_row(f.name, f.shp_name, f.type, "✓" if f.required else "", f.label[settings.lang],
                      extra)
    out.print(table)
    out.print(t("identity", ids=", ".join(schema.identity)), highlight=False)


def print_criteria_sets(sets: Iterable[Any]) -> None:
    """The criteria sets, one line each."""
    for cset in sets:
        start, end = cset.period
        out.print(f"{cset.id}\t{cset.level}\t{t('n_criteria', n=len(cset.criteria))}\t"
                  f"{t('n_indicators', n=len(cset.indicators))}\t{start or '?'}..{end or ''}\t"
                  f"{cset.title[settings.lang]}", highlight=False)


def print_criteria_set(cset: Any) -> None:
    """A criteria set's criteria, indicators and thresholds as a table."""
    lang = settings.lang
    table = Table(title=cset.title[lang])
    for col in ("criterion", "indicator", "threshold"):
        table.add_column(t(col), overflow="fold")
    for crit in cset.criteria:
        if crit.indicators is None:
            table.add_row(f"{crit.id}. {crit.name[lang]}", t("not_in_catalogue"), "")
            continue
        for n, ind in enumerate(crit.indicators):
            thr = ind.threshold.text if ind.threshold else t("not_in_catalogue")
            table.add_row(f"{crit.id}. {crit.name[lang]}" if n == 0 else "",
                          f"{ind.id} {ind.name[lang]}", thr)
    out.print(table)
