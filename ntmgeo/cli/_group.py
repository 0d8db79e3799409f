"""The ``ntmgeo`` command group, which every command module adds its commands to, and the
command classes that print ``--help`` in the chosen language.

Click takes a command's help (its docstring) and an option's ``help=`` when the decorator runs,
before anyone has said which language to use, so they are written in English and translated
when the help is printed: :class:`Command` and :class:`Group` (the classes of every ntmgeo
command, the subcommands inheriting them from :data:`cli`) look each text up in the gettext
catalogue ``cli`` (ntmgeo/locale/<lang>/LC_MESSAGES/cli.po) while they format the help, and
write the section titles ("Usage:", "Options", "Commands") in the same language. The language
is known before any help is printed: :meth:`Group.parse_args` of the root group reads
``--lang`` (or ``NTMGEO_LANG``) first, so ``ntmgeo --lang en --help`` and
``NTMGEO_LANG=en ntmgeo status --help`` are English and plain ``ntmgeo --help`` Vietnamese.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import click

from .. import __version__, settings
from ..i18n import gettext
from . import _clickwords

LANGS = ("vi", "en")
# click's own words that ntmgeo writes itself, in the catalogue like the help texts
CLICK_WORDS = ("Usage:", "Options", "Commands", "default:", "required")
# and click's messages (usage errors) through the same catalogue
_clickwords.install()

# Help texts made at run time from words that have their own translations (the export and
# table formats' labels): {English text: the text in a language}. Not in the catalogue.
DYNAMIC_HELP: dict[str, Callable[[str], str]] = {}


def help_text(text: str, lang: str | None = None) -> str:
    """A command's or an option's help ``text`` (English, as declared) in ``lang``."""
    lang = lang or settings.lang
    if text in DYNAMIC_HELP:
        return DYNAMIC_HELP[text](lang)
    return gettext(inspect.cleandoc(text), lang)


def _lang_of(args: list[str]) -> str:
    """The language the command line asks for: ``--lang X`` / ``--lang=X`` before the
    subcommand, else ``NTMGEO_LANG``, else Vietnamese.
    """
    for k, arg in enumerate(args):
        if arg == "--lang" and k + 1 < len(args) and args[k + 1] in LANGS:
            return args[k + 1]
        if arg.startswith("--lang=") and arg[len("--lang="):] in LANGS:
            return arg[len("--lang="):]
        if not arg.startswith("-") and (k == 0 or args[k - 1] != "--lang"):
            break  # the subcommand: what follows is its arguments
    env = os.environ.get("NTMGEO_LANG", "")
    return env if env in LANGS else "vi"


@contextmanager
def _translated(command: click.Command, ctx: click.Context) -> Iterator[None]:
    """While the help is formatted: the command's, its parameters' and (a group) its
    subcommands' help texts in the current language.
    """
    saved: list[tuple[Any, str, str]] = []

    def swap(obj: Any, attr: str) -> None:
        text = getattr(obj, attr, None)
        if isinstance(text, str) and text:
            saved.append((obj, attr, text))
            setattr(obj, attr, help_text(text))

    swap(command, "help")
    swap(command, "short_help")
    for param in command.get_params(ctx):
        swap(param, "help")
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            swap(sub, "help")
            swap(sub, "short_help")
    try:
        yield
    finally:
        for obj, attr, text in reversed(saved):
            setattr(obj, attr, text)


class _TranslatedHelp(click.Command):
    """``--help`` in ``settings.lang``: the texts, the usage line and the options."""

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with _translated(self, ctx):
            super().format_help(ctx, formatter)

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        formatter.write_usage(ctx.command_path, " ".join(self.collect_usage_pieces(ctx)),
                              prefix=gettext("Usage:") + " ")

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_options(self, ctx, formatter)


class Command(_TranslatedHelp):
    """A command whose ``--help`` is in ``settings.lang``."""


class Group(_TranslatedHelp, click.Group):
    """A command group whose ``--help`` is in ``settings.lang``; its commands and subgroups
    are :class:`Command` and :class:`Group`.
    """

    command_class = Command
    group_class = type  # subgroups of the same class

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        rows = [(name, cmd.get_short_help_str(formatter.width - 6 - len(name)))
                for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]
        if rows:
            with formatter.section(gettext("Commands")):
                formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:  # the root: the language, before an eager --help prints
            settings.lang = _lang_of(args)
        return super().parse_args(ctx, args)


def _extras_translated(text: str) -> str:
    """An option's help with click's bracketed extras ("[default: vi; required]") in the
    current language.
    """
    head, bracket, extras = text.rpartition("  [")
    if not bracket and text.startswith("["):  # an option without help
        head, bracket, extras = "", "[", text[1:]
    if not bracket or not extras.endswith("]"):
        return text
    words = [gettext("default:") + part[len("default:"):] if part.startswith("default:")
             else gettext(part) if part == "required" else part
             for part in extras[:-1].split("; ")]
    return f"{head}{bracket}{'; '.join(words)}]"


def _format_options(command: click.Command, ctx: click.Context,
                    formatter: click.HelpFormatter) -> None:
    opts = [(name, _extras_translated(text)) for param in command.get_params(ctx)
            if not isinstance(param, click.Argument)
            and (rv := param.get_help_record(ctx)) is not None for name, text in [rv]]
    if opts:
        with formatter.section(gettext("Options")):
            formatter.write_dl(opts)


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="ntmgeo")
@click.option("--lang", type=click.Choice(LANGS), envvar="NTMGEO_LANG", default="vi",
              show_default=True, help="Language of messages and tables.")
def cli(lang: str) -> None:
    """ntmgeo: bản đồ và chỉ tiêu nông thôn mới (GIS for the New Rural Development programme)."""
    settings.lang = lang
