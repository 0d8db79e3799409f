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
import string
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

import ntmgeo
from ntmgeo import _errors

PACKAGE = Path(ntmgeo.__file__).parent
ERRORS = {name for name, obj in vars(_errors).items()
          if isinstance(obj, type) and issubclass(obj, _errors.NtmgeoError)}
MARKERS = ERRORS | {"Message", "N_"}


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _strings(node: ast.AST) -> list[str] | None:
    """The message ids an expression can be: a literal, or either branch of ``a if c else b``;
    None for anything else (a name, a call).
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        body, orelse = _strings(node.body), _strings(node.orelse)
        if body is not None and orelse is not None:
            return body + orelse
    return None


def _callee(node: ast.Call) -> str | None:
    func = node.func
    return func.id if isinstance(func, ast.Name) else \
        func.attr if isinstance(func, ast.Attribute) else None


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
                     if isinstance(n, ast.Call) and _callee(n) in MARKERS and n.args]
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
                    isinstance(first, ast.IfExp) and _strings(first) is None
                    and any(isinstance(n, ast.JoinedStr) for n in ast.walk(first))):
                problems.append(f"{where}: a message built with an f-string (give the template "
                                "and its parameters)")
                continue
            for msgid in _strings(first) or []:
                found.setdefault(msgid, []).append(where)
    return found, problems


MSGIDS, PROBLEMS = _collect()


def _catalogue(lang: str) -> dict[str, str]:
    with (PACKAGE / "locale" / lang / "LC_MESSAGES" / "ntmgeo.po").open("rb") as fh:
        cat = read_po(fh)
    return {m.id: m.string for m in cat if m.id and isinstance(m.id, str)}


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
    vi = _catalogue("vi")
    assert msgid in vi, f"{msgid!r} ({', '.join(MSGIDS[msgid])}) is not in vi/ntmgeo.po"
    assert vi[msgid].strip(), f"{msgid!r} has no Vietnamese"
    assert _placeholders(vi[msgid]) == _placeholders(msgid), msgid


@pytest.mark.parametrize("msgid", sorted(MSGIDS))
def test_no_message_names_a_command_line_flag(msgid):
    # the remedy a flag gives is the shell's words: the error carries a hint key instead
    assert not re.search(r"--\s*[a-z]", msgid), msgid
    assert not re.search(r"--\s*[a-z]", _catalogue("vi").get(msgid, "")), msgid


def test_the_english_catalogue_is_the_identity_and_both_list_the_same_ids():
    vi, en = _catalogue("vi"), _catalogue("en")
    assert set(en) == set(vi)
    assert all(en[k] == k for k in en)


def test_the_catalogue_holds_no_stale_message():
    # a message nobody raises any more is dropped from the catalogue with its raise site
    assert set(_catalogue("vi")) - set(MSGIDS) == set()
