"""``ntmgeo works``: the works and budget register of a store (:mod:`ntmgeo.works`) — the works,
their totals by funding source and by status, beside the plan's own totals, and the overdue
ones. Its tables are printed here (amounts in million VND, written the Vietnamese way by
default: :func:`ntmgeo.i18n.number`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
from rich.table import Table

from .. import settings
from .. import works as works_mod
from ..i18n import number, t
from ..store import open_store
from . import render
from ._group import cli
from .options import as_of_option, check_date, db_option, json_option

__all__ = ["amount_text", "print_works", "works"]

_NONE = "—"


def amount_text(value: float | None, *, signed: bool = False) -> str:
    """An amount in million VND with at most three decimals, "23.198" / "1.234,5" in
    Vietnamese; a dash for none.
    """
    if value is None:
        return _NONE
    lang = settings.lang
    text = number(abs(value) if signed else value, 3, lang)
    mark = "," if lang == "vi" else "."
    whole, _, decimals = text.rpartition(mark)
    decimals = decimals.rstrip("0")
    text = f"{whole}{mark}{decimals}" if decimals else whole
    if signed:
        text = ("+" if value > 0 else "-" if value < 0 else "") + text
    return text


def _sum_text(count: int | None, amount: float | None) -> str:
    """The amount of ``count`` works: 0 for no works (a sum over none), a dash when the works
    give no amount.
    """
    return amount_text(0.0 if count == 0 and amount is None else amount)


def _count_text(value: int | None, *, signed: bool = False) -> str:
    if value is None:
        return _NONE
    return f"{value:+d}" if signed and value else str(value)


def _label(words: dict[str, str] | None, fallback: str) -> str:
    return words[settings.lang] if words else fallback


def _status_label(status: str | None, doc_labels: dict[str, dict[str, str]]) -> str:
    if status is None:
        return t("works_no_status")
    return _label(doc_labels.get(status), status)


def _works_table(doc: dict[str, Any], labels: dict[str, dict[str, str]]) -> Table:
    table = Table(title=t("works_list", n=doc["total"]["count"]), title_justify="left")
    for key in ("works_id", "works_name", "works_status", "works_funding", "works_amount",
                "works_where", "works_deadline"):
        table.add_column(t(key), justify="right" if key == "works_amount" else "left",
                         min_width=10 if key == "works_deadline" else None)
    for w in doc["works"]:
        where = w["comm_code"] or ""
        if w["road_id"]:
            span = "" if w["from_m"] is None else \
                f" {number(w['from_m'], 0)}–{number(w['to_m'] or 0, 0)} m"
            where = f"{where} {w['road_id']}{span}".strip()
        deadline = w["deadline"] or w["deadline_note"] or ""
        if w["overdue"]:
            deadline = f"[red]{deadline}[/red]"
        table.add_row(w["work_id"], w["name"] or "", _status_label(w["status"], labels),
                      ", ".join(_label(works_mod.short_name(f), f) for f in w["funding"]),
                      amount_text(w["amount_million_vnd"]),
                      where or _NONE, deadline)
    return table


def _sources_table(doc: dict[str, Any]) -> Table:
    table = Table(title=t("works_by_source"), title_justify="left")
    table.add_column(t("works_funding"))
    for key in ("works_count", "works_amount"):
        table.add_column(t(key), justify="right")
    for s in doc["by_source"]:
        table.add_row(_label(s["short"], s["funding_source"]), str(s["count"]),
                      amount_text(s["amount_million_vnd"]))
    for key, words in (("several_sources", "works_several"), ("no_source", "works_no_source")):
        group = doc[key]
        if group["count"]:
            table.add_row(t(words), str(group["count"]), amount_text(group["amount_million_vnd"]))
    table.add_row(t("works_total"), str(doc["total"]["count"]),
                  amount_text(doc["total"]["amount_million_vnd"]), style="bold")
    return table


def _status_table(doc: dict[str, Any], labels: dict[str, dict[str, str]]) -> Table:
    table = Table(title=t("works_by_status"), title_justify="left")
    table.add_column(t("works_status"))
    for key in ("works_count", "works_amount"):
        table.add_column(t(key), justify="right")
    for s in doc["by_status"]:
        table.add_row(_status_label(s["status"], labels), str(s["count"]),
                      amount_text(s["amount_million_vnd"]))
    return table


def _plan_table(plan: dict[str, Any]) -> Table:
    title = t("works_beside_plan", plan=plan["plan"] or _NONE, unit=plan["unit_code"] or _NONE)
    table = Table(title=title, title_justify="left")
    table.add_column(t("works_funding"), min_width=9)
    for key in ("works_loaded_count", "works_loaded_amount", "works_plan_count",
                "works_plan_amount", "works_diff_count", "works_diff_amount"):
        amount = key.endswith("amount")
        table.add_column(t(key), justify="right", min_width=9 if amount else 4)
    rows = [(_label(s["short"], s["funding_source"]), s, "") for s in plan["sources"]]
    rows.append((t("works_total"), plan["total"], "bold"))
    for name, s, style in rows:
        table.add_row(name, _count_text(s["loaded_count"]),
                      _sum_text(s["loaded_count"], s["loaded_amount_million_vnd"]),
                      _count_text(s["plan_count"]), amount_text(s["plan_amount_million_vnd"]),
                      _count_text(s["diff_count"], signed=True),
                      amount_text(s["diff_amount_million_vnd"], signed=True),
                      style=style or None)
    return table


def _plan_sources(plan: dict[str, Any]) -> list[str]:
    """Where each of the plan's figures comes from, a line each (below its table)."""
    lines = [(_label(s["short"], s["funding_source"]), s) for s in plan["sources"]]
    lines.append((t("works_total"), plan["total"]))
    return [f"  {name}: {s['source']}" for name, s in lines if s["source"]]


def print_works(doc: dict[str, Any]) -> None:
    """The works register document (:func:`ntmgeo.works.summary`) as tables."""
    out = render.out
    labels = works_mod.status_labels()
    total = doc["total"]
    out.print(t("works_title", as_of=doc["as_of"], n=total["count"],
                amount=_sum_text(total["count"], total["amount_million_vnd"])), highlight=False)
    if doc["works"]:
        out.print(_works_table(doc, labels))
        out.print(_sources_table(doc))
        out.print(_status_table(doc, labels))
        if total["without_amount"]:
            out.print(t("works_without_amount", n=total["without_amount"]), highlight=False)
    else:
        out.print(t("works_none"), highlight=False)
    for plan in doc["plans"]:
        out.print(_plan_table(plan))
        sources = _plan_sources(plan)
        if sources:
            out.print(t("source") + ":", highlight=False)
        for line in sources:
            out.print(line, highlight=False)
        shared = [s for s in plan["sources"] if s["shared_count"]]
        for s in shared:
            out.print(t("works_shared", source=_label(s["short"], s["funding_source"]),
                        n=s["shared_count"], amount=amount_text(s["shared_amount_million_vnd"])),
                      highlight=False)
    out.print(t("works_overdue", d=doc["as_of"]), highlight=False)
    if not doc["overdue"]:
        out.print(t("department_none"), highlight=False)
    for w in doc["overdue"]:
        out.print(f"  {w['work_id']} {w['name'] or ''} — {w['deadline']} "
                  f"({w['days_late']} {t('days')}), {_status_label(w['status'], labels)}",
                  highlight=False)


@cli.command("works")
@db_option()
@as_of_option(help="Day the overdue works and the plan's latest totals are judged on "
                   "(YYYY-MM-DD); default: today.")
@click.option("--plan", default=None,
              help="Only this plan's reported totals, its works and the works naming no plan.")
@json_option(help="Print one JSON document.")
def works(db: Path, as_of: str | None, plan: str | None, as_json: bool) -> None:
    """The works and budget register: the works, their totals by funding source and by
    status beside the plan's own totals, and the overdue ones.
    """
    store = open_store(db)
    day = check_date(as_of) if as_of else None
    doc = works_mod.from_store(store, as_of=day, plan=plan)
    if as_json:
        render.echo_json(doc)
    else:
        print_works(doc)
