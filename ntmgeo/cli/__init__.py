"""The ``ntmgeo`` command line: thin commands over the library.

Exit codes: 0 success; 1 internal error; 2 wrong usage; 3 bad input (file, value, schema);
4 store problem (missing, not an ntmgeo store, locked); 5 data the computation needs is missing
(no unit valid on the date, no criteria set, unknown province).

Modules: :mod:`~ntmgeo.cli._group` (the group ``cli`` and the command classes that print
``--help`` in the chosen language, through the catalogue ``cli``),
:mod:`~ntmgeo.cli.options` (``--db``, ``--json``, ``--as-of``, declared once, and the date
check), the commands (:mod:`~ntmgeo.cli.project`: init, import, report, info, user,
serve; :mod:`~ntmgeo.cli.assess`: status, targets, progress, coverage, greening;
:mod:`~ntmgeo.cli.outputs`: export, table; :mod:`~ntmgeo.cli.calendar`: due, which prints
its own lines; :mod:`~ntmgeo.cli.catalogue`: layers, criteria;
:mod:`~ntmgeo.cli.works`: works, which prints its own tables),
and :mod:`~ntmgeo.cli.render`, which prints the other commands' tables. :func:`main` is the console
entry point (``ntmgeo``; also ``python -m ntmgeo.cli``).
"""

from __future__ import annotations

import os
import traceback

import click

from .. import settings
from .._errors import NtmgeoError
from ..i18n import describe_error, gettext, t
from . import render
from ._group import cli
from .assess import coverage, greening, progress, status, targets
from .calendar import due
from .catalogue import (
    criteria_group,
    criteria_list,
    criteria_show,
    layers_group,
    layers_list,
    layers_show,
    layers_validate,
)
from .outputs import export, table
from .project import import_, info, init, report_value, serve, user_add, user_group, user_list
from .works import works

__all__ = [
    "cli",
    "coverage",
    "criteria_group",
    "criteria_list",
    "criteria_show",
    "due",
    "error_line",
    "export",
    "greening",
    "import_",
    "info",
    "init",
    "layers_group",
    "layers_list",
    "layers_show",
    "layers_validate",
    "main",
    "progress",
    "report_value",
    "serve",
    "status",
    "table",
    "targets",
    "user_add",
    "user_group",
    "user_list",
    "works",
]


# What the command line adds to an error whose remedy is one of its flags (the error's
# ``hint``; the library's messages name no flag): its English text, the msgid in the catalogue
# ``cli``. Formatted with the error's parameters.
HINTS: dict[str, str] = {
    "crs": ": give it with --crs EPSG:XXXX",
    "layer": ": name one with --layer",
    "encoding": ": give --encoding cp1258 or tcvn3",
    "unit": ": give --unit",
    "replace": " (use --replace to replace the layer)",
    "force": " (use --force to replace it)",
    "init": " (create one with 'ntmgeo init {path}')",
    "extra": " (keep it with --extra, or map it with --map \"{column}=FIELD\")",
}


def error_line(exc: NtmgeoError, lang: str | None = None) -> str:
    """The error as the CLI prints it (without "Error: "): the library's line in ``lang``,
    then the flag that helps, if the error has a hint.
    """
    lang = lang or settings.lang
    line = describe_error(exc, lang)
    words = HINTS.get(exc.hint or "")
    if words:
        line += gettext(words, lang).format(**exc.message.params)
    return line


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; errors become one line on stderr and an exit code, never a traceback."""
    try:
        cli.main(args=argv, prog_name="ntmgeo", standalone_mode=False)
    except click.exceptions.Abort:
        render.warn(t("aborted"))
        return 1
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except NtmgeoError as exc:
        click.echo(f"{t('error')}: {error_line(exc)}", err=True)
        return exc.exit_code
    except Exception as exc:  # noqa: BLE001 - last line of defence: no stack traces
        if os.environ.get("NTMGEO_DEBUG"):
            traceback.print_exc()
        click.echo(f"{t('internal_error')}: {type(exc).__name__}: {exc}", err=True)
        return 1
    return 0
