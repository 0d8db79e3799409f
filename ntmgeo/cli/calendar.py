"""The ``due`` command: what the reporting calendars and the recognition dossier deadlines
(``data/calendars``) make due for the units of a store, by when and for whom; and how it is
printed (dates dd/mm/yyyy).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from .. import calendar as calendar_mod
from .. import settings
from ..i18n import t
from ..store import open_store
from . import render
from ._group import cli
from .options import as_of_option, check_date, db_option, json_option


@cli.command()
@db_option()
@as_of_option(help="Date (YYYY-MM-DD); default: today.")
@click.option("--days", type=click.IntRange(0, 3660), default=31, show_default=True,
              help="How many days ahead to look.")
@json_option(help="Print one JSON document.")
def due(db: Path, as_of: str | None, days: int, as_json: bool) -> None:
    """What is due, by when and for whom: the reporting calendars and recognition dossier
    deadlines (data/calendars) of the store's units.
    """
    store = open_store(db)
    day = check_date(as_of) if as_of else dt.date.today().isoformat()
    doc = calendar_mod.due(calendar_mod.load(), store.read_layer("admin_units"), day, days)
    if as_json:
        render.echo_json(doc)
        return
    print_due(doc)


def days_text(days: int) -> str:
    """Days left before a date (negative: past it), in words."""
    if days == 0:
        return t("due_today")
    return t("due_days_left", n=days) if days > 0 else t("due_days_late", n=-days)


def _who(item: dict[str, Any], lang: str) -> str:
    parts = []
    for who in item["who"]:
        text = who[lang]
        if who.get("units"):
            text += " (" + ", ".join(u["name"] for u in who["units"]) + ")"
        parts.append(text)
    return "; ".join(parts)


def print_item(item: dict[str, Any], lang: str) -> None:
    """One due item: date and title, the unit, who reports, to whom, the source."""
    units = ", ".join(f"{u['name']} ({u['code']})" for u in item["unit"])
    if item["date"] is not None:
        when = calendar_mod.dmy(item["date"])
        if item["before"]:
            when = t("due_before", date=when)
        render.out.print(t("due_line", when=when, title=item["title"][lang], unit=units,
                           left=days_text(item["days_left"])), highlight=False)
    else:
        render.out.print(t("due_line_on_request", title=item["title"][lang], unit=units),
                         highlight=False)
    render.out.print(t("due_who", who=_who(item, lang)), highlight=False)
    if item["to"]:
        render.out.print(t("due_to", to=item["to"][lang]), highlight=False)
    if item.get("about"):
        render.out.print(t("due_about", about=item["about"][lang]), highlight=False)
    render.out.print(t("due_source", source=item["source"]), highlight=False)


def print_due(doc: dict[str, Any]) -> None:
    """What falls due in the window, by date; then the reports made on request."""
    lang = settings.lang
    render.out.print(t("due_title", start=calendar_mod.dmy(doc["as_of"]),
                       end=calendar_mod.dmy(doc["until"])), highlight=False)
    for item in doc["items"]:
        print_item(item, lang)
    if not doc["items"]:
        render.out.print(t("department_none"))
    if doc["on_request"]:
        render.out.print(t("due_on_request"))
        for item in doc["on_request"]:
            print_item(item, lang)
