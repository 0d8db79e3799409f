"""The command line's words and ``--help`` texts through the gettext catalogue ``cli``
(ntmgeo/locale/<lang>/LC_MESSAGES/cli.po): every word of :data:`ntmgeo.i18n._MSGIDS`, every
command's and option's help, and click's words ntmgeo writes itself have their Vietnamese with
the same placeholders; the English catalogue is the identity; and ``--help`` is Vietnamese by
default, English with ``--lang en`` or ``NTMGEO_LANG=en``.
"""

from __future__ import annotations

import inspect

import click
import pytest

from ntmgeo import i18n, settings
from ntmgeo.cli import HINTS, cli, main
from ntmgeo.cli._clickwords import WORDS as CLICK_MESSAGES
from ntmgeo.cli._group import CLICK_WORDS, DYNAMIC_HELP, help_text

from catalogues import catalogue, english_is_identity, placeholders


def _commands(command: click.Command, path: tuple[str, ...] = ()):
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


def _help_texts() -> dict[str, str]:
    """``{help text (cleaned, as looked up): where}`` of every command and option."""
    found: dict[str, str] = {}
    for path, command in _commands(cli):
        ctx = click.Context(command, info_name=" ".join(("ntmgeo", *path)))
        where = ctx.info_name or "ntmgeo"
        for owner, text in [(where, command.help), (where, command.short_help),
                            *((f"{where} {p.name}", getattr(p, "help", None))
                              for p in command.get_params(ctx))]:
            if text and text not in DYNAMIC_HELP:
                found.setdefault(inspect.cleandoc(text), owner)
    return found


HELP = _help_texts()
WORDS = {**{msgid: f"_MSGIDS[{key!r}]" for key, msgid in i18n._MSGIDS.items()},
         **{msgid: f"HINTS[{key!r}]" for key, msgid in HINTS.items()},
         **HELP, **{w: "click" for w in (*CLICK_WORDS, *CLICK_MESSAGES)}}


def test_the_walk_finds_the_help_texts():
    assert "Store path." in HELP  # a shared option
    assert "Show this message and exit." in HELP  # click's help option
    assert any(text.startswith("Validate FILE against NAME (a layer, or a record table) and "
                               "add it to the store.\n\nFILE is a geometry file")
               for text in HELP)  # a docstring, cleaned
    assert len(HELP) > 60


@pytest.mark.parametrize("msgid", sorted(WORDS))
def test_every_cli_word_and_help_text_has_its_vietnamese(msgid):
    vi = catalogue("cli", "vi")
    assert msgid in vi, f"{msgid!r} ({WORDS[msgid]}) is not in vi/cli.po"
    assert vi[msgid].strip(), f"{msgid!r} has no Vietnamese"
    assert vi[msgid] != msgid, f"{msgid!r}: the Vietnamese is the English"
    assert placeholders(vi[msgid]) == placeholders(msgid), msgid


def test_the_english_catalogue_is_the_identity_and_both_list_the_same_ids():
    assert english_is_identity("cli")


def test_the_catalogue_holds_no_stale_word():
    assert set(catalogue("cli", "vi")) - set(WORDS) == set()


def test_the_help_made_from_labels_is_in_both_languages():
    assert DYNAMIC_HELP
    for english, text in DYNAMIC_HELP.items():
        assert text("en") == english and text("vi") != english


def test_help_text_looks_up_the_cleaned_docstring():
    assert help_text("Store path.", "vi") == "Đường dẫn kho dữ liệu."
    assert help_text("Store path.", "en") == "Store path."
    assert help_text("Something nobody wrote.", "vi") == "Something nobody wrote."


# ------------------------------------------------------------------------ --help printed
def _help(capsys, *args: str) -> str:
    assert main([*args, "--help"]) == 0
    return capsys.readouterr().out


@pytest.fixture(autouse=True)
def _no_lang_env(monkeypatch):
    monkeypatch.delenv("NTMGEO_LANG", raising=False)
    monkeypatch.setattr(settings, "lang", "vi")


def test_ntmgeo_help_is_vietnamese_by_default(capsys):
    out = _help(capsys)
    assert out.startswith("Cách dùng: ntmgeo [OPTIONS] COMMAND [ARGS]...")
    assert "Tùy chọn:" in out and "Lệnh:" in out
    assert "Ngôn ngữ của thông báo và bảng.  [mặc định: vi]" in out
    assert "Hiện hướng dẫn này rồi thoát." in out
    assert "Tạo kho dữ liệu dự án (GeoPackage)" in out  # a command's short help
    assert "Usage:" not in out and "Language of messages" not in out


@pytest.mark.parametrize("how", [("--lang", "en"), ("--lang=en",), ("env",)])
def test_ntmgeo_help_in_english(how, capsys, monkeypatch):
    if how == ("env",):
        monkeypatch.setenv("NTMGEO_LANG", "en")
        how = ()
    out = _help(capsys, *how)
    assert out.startswith("Usage: ntmgeo [OPTIONS] COMMAND [ARGS]...")
    assert "Options:" in out and "Commands:" in out
    assert "Language of messages and tables.  [default: vi]" in out
    assert "Show this message and exit." in out
    assert "Create a project store (GeoPackage)" in out
    assert "Cách dùng" not in out


def test_status_help_vietnamese_by_default_and_english_with_lang_en(capsys, monkeypatch):
    out = _help(capsys, "status")
    assert out.startswith("Cách dùng: ntmgeo status [OPTIONS]")
    assert "Các tiêu chí, chỉ tiêu mà một đơn vị đạt" in out
    assert "Đường dẫn kho dữ liệu.  [bắt buộc]" in out
    assert "In ra một văn bản JSON." in out
    out = _help(capsys, "--lang", "en", "status")
    assert out.startswith("Usage: ntmgeo status [OPTIONS]")
    assert "Which criteria and indicators a unit meets" in out
    assert "Store path.  [required]" in out and "Print one JSON document." in out
    monkeypatch.setenv("NTMGEO_LANG", "en")
    assert _help(capsys, "status").startswith("Usage: ntmgeo status [OPTIONS]")
    assert _help(capsys, "--lang", "vi", "status").startswith("Cách dùng:")  # flag over env


@pytest.mark.parametrize("path", [p for p, _ in _commands(cli)], ids=" ".join)
def test_every_help_page_is_vietnamese(path, capsys):
    # no English help text of the command is left on its Vietnamese page
    out = " ".join(_help(capsys, *path).split())
    for english in HELP:
        if len(english) > 12 and english not in catalogue("cli", "vi").values():
            assert " ".join(english.split()) not in out, (path, english)


def test_the_help_texts_are_left_as_declared(capsys):
    # translating for one page changes no command: the English is there for the next
    _help(capsys, "status")
    assert cli.commands["status"].help is not None
    assert cli.commands["status"].help.startswith("Which criteria")
