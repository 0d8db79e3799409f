"""click's own messages (usage errors, "Try … for help.", "Missing option …") in the chosen
language.

click writes them with the standard library's ``gettext`` (``from gettext import gettext as
_`` in each of its modules), which knows no ntmgeo catalogue. :func:`install` points those
names at the catalogue ``cli`` (ntmgeo/locale/<lang>/LC_MESSAGES/cli.po), read in
``settings.lang`` each time a message is written; a message the catalogue lacks stays in
English. :data:`WORDS` lists the messages a user of ntmgeo can meet; each has its Vietnamese
in cli.po (tests/test_cli_catalogue.py checks it).
"""

from __future__ import annotations

import importlib

from .. import settings
from ..i18n import gettext

__all__ = ["WORDS", "install"]

# click's messages a user can meet (msgids as click writes them; for a plural, both forms)
WORDS = (
    "Error: {message}",
    "Try '{command} {option}' for help.",
    "Missing argument",
    "Missing option",
    "Missing parameter",
    "Missing {param_type}",
    "Missing parameter: {param_name}",
    "No such option {name!r}.",
    "No such command {name!r}.",
    "Missing command.",
    "Did you mean {possibility}?",
    "(Did you mean one of: {possibilities}?)",
    "Invalid value for {param_hint}: {message}",
    "Invalid value: {message}",
    "Got unexpected extra argument ({args})",
    "Got unexpected extra arguments ({args})",
    "Option {name!r} does not take a value.",
    "Option {name!r} requires an argument.",
    "Option {name!r} requires {nargs} arguments.",
    "{value!r} is not {choice}.",
    "{value!r} is not one of {choices}.",
    "{value!r} is not a valid {number_type}.",
    "{value} is not in the range {range}.",
    "{name} {filename!r} does not exist.",
    "{name} {filename!r} is a file.",
    "{name} {filename!r} is a directory.",
    "{name} {filename!r} is not readable.",
    "file",
    "directory",
    "path",
    "Aborted!",
    "%(prog)s, version %(version)s",
    "Repeat for confirmation",
    "Error: The two entered values do not match.",
)

_MODULES = ("click.core", "click.exceptions", "click.parser", "click.types",
            "click.decorators", "click.termui", "click.formatting")


_OWN = frozenset(WORDS)


def _gettext(message: str) -> str:
    # only the messages above: the help texts click makes (the --help and --version options'
    # help) are translated when the help is printed (ntmgeo.cli._group), from English
    return gettext(message, settings.lang) if message in _OWN else message


def _ngettext(singular: str, plural: str, n: int) -> str:
    return _gettext(singular if n == 1 else plural)


def install() -> None:
    """Make click write its messages through the catalogue ``cli`` (idempotent)."""
    for name in _MODULES:
        module = importlib.import_module(name)
        if hasattr(module, "_"):
            module._ = _gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = _ngettext  # type: ignore[attr-defined]
