"""Options shared by the commands, declared once: ``--db``, ``--json``, ``--as-of``; and the
check every date given on the command line goes through.

Each is a decorator factory (``@db_option()``); the help text, and for ``--db`` whether it is
required, are the only things a command may change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..i18n import t

F = TypeVar("F", bound=Callable[..., Any])


def db_option(*, required: bool = True, help: str = "Store path.") -> Callable[[F], F]:
    """``--db PATH``: the project store (parameter ``db``, a :class:`~pathlib.Path`)."""
    # no ``default=None``: since click 8.3 an explicit default of None counts as a value, and
    # a required --db left out would then reach the command as None
    return click.option("--db", "db", required=required, type=click.Path(path_type=Path),
                        help=help)


def json_option(*, help: str | None = None) -> Callable[[F], F]:
    """``--json``: print one JSON document instead of tables (parameter ``as_json``)."""
    return click.option("--json", "as_json", is_flag=True, help=help)


def as_of_option(*, help: str = "Date (YYYY-MM-DD).") -> Callable[[F], F]:
    """``--as-of DATE`` (parameter ``as_of``, text; check it with :func:`check_date`)."""
    return click.option("--as-of", "as_of", default=None, help=help)


def check_date(text: str) -> str:
    """``text`` as an ISO date, or a usage error (exit 2)."""
    try:
        return dt.date.fromisoformat(text).isoformat()
    except ValueError:
        raise click.BadParameter(t("usage_not_a_date", text=text),
                                 param_hint="--as-of") from None
