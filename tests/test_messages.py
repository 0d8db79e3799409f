"""The error messages' catalogue (ntmgeo/locale/<lang>/LC_MESSAGES/ntmgeo.po): every message id
the library raises has its Vietnamese, with the same placeholders; no message is built by
formatting (an f-string) nor names a command-line flag (the shells add those, by ``hint``).

The message ids are collected from the source: the first argument of every ``XxxError(…)``
call and of every ``Message(…)`` / ``N_(…)`` in ntmgeo/, and the strings assigned to ``msg``
or ``message`` that such a call then takes.
"""

from __future__ import annotations

import ast
import re

import pytest

from ntmgeo import _errors

from catalogues import (
    PACKAGE,
    assert_translated,
    callee,
    catalogue,
    english_is_identity,
    strings,
)

ERRORS = {name for name, obj in vars(_errors).items()
          if isinstance(obj, type) and issubclass(obj, _errors.NtmgeoError)}
MARKERS = ERRORS | {"Message", "N_"}








def _scopes(tree: ast.Module) -> list[ast.AST]:
    return [tree, *(n for n in ast.walk(tree)
                    if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]


def _collect() -> tuple[dict[str, list[str]], list[str]]:
    """``({msgid: [where, …]}, [problems])`` over every module of the package."""
    found: dict[str, list[str]] = {}
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(PACKAGE.parent)
        firsts: list[ast.AST] = []
        for scope in _scopes(tree):
            calls = [n for n in ast.walk(scope)
                     if isinstance(n, ast.Call) and callee(n) in MARKERS and n.args]
            firsts += [c.args[0] for c in calls if scope is tree]
            # a name the call takes: the strings assigned to it in the same function
            names = {c.args[0].id for c in calls if isinstance(c.args[0], ast.Name)}
            if scope is not tree:
                firsts += [n.value for n in ast.walk(scope) if isinstance(n, ast.Assign)
                           and any(isinstance(t, ast.Name) and t.id in names
                                   for t in n.targets)]
        seen: set[int] = set()
        for first in firsts:
            if id(first) in seen:
                continue
            seen.add(id(first))
            where = f"{rel}:{first.lineno}"
            if isinstance(first, ast.JoinedStr) or (
                    isinstance(first, ast.IfExp) and strings(first) is None
                    and any(isinstance(n, ast.JoinedStr) for n in ast.walk(first))):
                problems.append(f"{where}: a message built with an f-string (give the template "
                                "and its parameters)")
                continue
            for msgid in strings(first) or []:
                found.setdefault(msgid, []).append(where)
    return found, problems


MSGIDS, PROBLEMS = _collect()




def test_the_walk_finds_the_messages():
    assert "file is empty" in MSGIDS
    assert "has no CRS (no .prj or CRS declaration)" in MSGIDS  # a CRSError with a hint
    assert "value {value} is not a number" in MSGIDS  # an N_() in a table
    assert "ring {k} has {n} points (a ring needs at least 4, closed)" in MSGIDS  # a Message
    assert len(MSGIDS) > 100


def test_no_message_is_formatted_in_place():
    assert not PROBLEMS, "\n".join(PROBLEMS)


@pytest.mark.parametrize("msgid", sorted(MSGIDS))
def test_every_message_has_its_vietnamese_with_the_same_placeholders(msgid):
    assert_translated("ntmgeo", msgid, ", ".join(MSGIDS[msgid]))


@pytest.mark.parametrize("msgid", sorted(MSGIDS))
def test_no_message_names_a_command_line_flag(msgid):
    # the remedy a flag gives is the shell's words: the error carries a hint key instead
    assert not re.search(r"--\s*[a-z]", msgid), msgid
    assert not re.search(r"--\s*[a-z]", catalogue("ntmgeo", "vi").get(msgid, "")), msgid


def test_the_english_catalogue_is_the_identity_and_both_list_the_same_ids():
    assert english_is_identity("ntmgeo")


def test_the_catalogue_holds_no_stale_message():
    # a message nobody raises any more is dropped from the catalogue with its raise site
    assert set(catalogue("ntmgeo", "vi")) - set(MSGIDS) == set()
