"""The documents' texts through the gettext catalogue ``documents``
(ntmgeo/locale/<lang>/LC_MESSAGES/documents.po): every template rendered by
:func:`ntmgeo.i18n.both` (the notes and bases of the status document's computed indicators, the
coverage document's basis notes) has its Vietnamese with the same placeholders; none is built
by formatting (an f-string); the English catalogue is the identity; and the catalogue holds no
template nobody renders.

The templates are collected from the source, as tests/test_messages.py does for the error
messages: the first argument of every ``both(…)`` / ``_both(…)`` / ``i18n.both(…)`` call in
ntmgeo/ (a literal, or either branch of ``a if c else b``).
"""

from __future__ import annotations

import ast

import pytest

from ntmgeo import i18n

from catalogues import (
    PACKAGE,
    assert_translated,
    callee,
    catalogue,
    english_is_identity,
    strings,
)

MARKERS = {"both", "_both"}








def _collect() -> tuple[dict[str, list[str]], list[str]]:
    """``({msgid: [where, …]}, [problems])`` over every module of the package."""
    found: dict[str, list[str]] = {}
    problems: list[str] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(PACKAGE.parent)
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and callee(call) in MARKERS and call.args):
                continue
            first = call.args[0]
            where = f"{rel}:{first.lineno}"
            msgids = strings(first)
            if msgids is None:
                problems.append(f"{where}: the template is not a literal (give the English "
                                "template, with named fields, and its parameters)")
                continue
            for msgid in msgids:
                found.setdefault(msgid, []).append(where)
    return found, problems


MSGIDS, PROBLEMS = _collect()




def test_the_walk_finds_the_templates():
    assert "Unmet on the condition: " in MSGIDS  # computed.py, 2.1's basis
    assert "the communes" in MSGIDS  # a branch of an if-expression
    assert "share of the population (spread evenly over the unit's area)" in MSGIDS  # coverage
    assert any(where.startswith("ntmgeo/computed.py") for w in MSGIDS.values() for where in w)
    assert len(MSGIDS) > 20


def test_every_template_is_a_literal():
    assert not PROBLEMS, "\n".join(PROBLEMS)


@pytest.mark.parametrize("msgid", sorted(MSGIDS))
def test_every_template_has_its_vietnamese_with_the_same_placeholders(msgid):
    assert_translated("documents", msgid, ", ".join(MSGIDS[msgid]))


def test_the_english_catalogue_is_the_identity_and_both_list_the_same_ids():
    assert english_is_identity("documents")


def test_the_catalogue_holds_no_stale_template():
    assert set(catalogue("documents", "vi")) - set(MSGIDS) == set()


def test_both_renders_one_template_in_both_languages():
    assert i18n.both("no surface recorded for {codes} ({km} km)", codes="ĐH.1", km=1234.5) == {
        "vi": "chưa ghi kết cấu mặt đường cho ĐH.1 (1.234,50 km)",
        "en": "no surface recorded for ĐH.1 (1,234.50 km)"}
    # a {"vi": …, "en": …} parameter gives each language its own words
    roads = i18n.both("roads")
    assert i18n.both("no {missing} in the layers: the connection to the communes cannot be "
                     "answered", missing=roads)["vi"].startswith("chưa có đường ")
    # a template the catalogue lacks is given in English in both
    assert i18n.both("not a template {x}", x=1) == {"vi": "not a template 1",
                                                    "en": "not a template 1"}
