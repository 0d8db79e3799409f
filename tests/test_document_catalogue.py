"""The documents' texts through the gettext catalogues ``documents`` and ``report``
(ntmgeo/locale/<lang>/LC_MESSAGES/<domain>.po): every template rendered by
:func:`ntmgeo.i18n.both` (the notes and bases of the status document's computed indicators, the
coverage document's basis notes), and every word of the criteria table and workbook
(ntmgeo/report.py), has its Vietnamese with the same placeholders; none is built by formatting
(an f-string); the English catalogue is the identity; and the catalogue holds no template
nobody renders.

The templates are collected from the source, as tests/test_messages.py does for the error
messages: the first argument of every ``both(…)`` / ``_both(…)`` / ``i18n.both(…)`` call in
ntmgeo/ (a literal, or either branch of ``a if c else b``), and of every ``_t(…)`` /
``_words(…)`` call in ntmgeo/report.py, with the values of report.py's tables of msgids
(level words, headings), which it passes to ``_t`` by name.
"""

from __future__ import annotations

import ast

import pytest

from ntmgeo import forms, i18n, report

from catalogues import (
    PACKAGE,
    assert_translated,
    callee,
    catalogue,
    english_is_identity,
    strings,
)

MARKERS = {"both", "_both"}
REPORT_MARKERS = {"_t", "_words"}

# report.py's tables of msgids: it renders their values with ``_t(table[key], lang)`` or
# ``_t(h, lang) for h in table`` (the only first arguments of ``_t`` that are not literals).
REPORT_TABLES = {"_LEVEL_TITLE": report._LEVEL_TITLE, "_LEVEL_WORD": report._LEVEL_WORD,
                 "_NTM_LEVEL": report._NTM_LEVEL, "_COMMUNE_HEADINGS": report._COMMUNE_HEADINGS,
                 "_SUMMARY_HEADINGS": report._SUMMARY_HEADINGS,
                 # ntmgeo/forms.py (the blank forms) writes its words from the same catalogue
                 "_TYPE_WORDS": forms._TYPE_WORDS, "_GUIDE_HEADINGS": forms._GUIDE_HEADINGS}
# The names those non-literal first arguments have in report.py (a table, a loop variable over
# one, and the parameter of ``_t`` / ``_words`` themselves).
REPORT_NAMES = {*REPORT_TABLES, "h", "word_id", "msgid", "_BY_CRITERIA"}


def _collect(markers: set[str], paths: list, names: set[str] | None = None
             ) -> tuple[dict[str, list[str]], list[str]]:
    """``({msgid: [where, …]}, [problems])`` over the modules ``paths``: the first arguments
    of the calls of ``markers``; one that is not a literal is a problem unless it is (or
    subscripts) one of ``names``.
    """
    found: dict[str, list[str]] = {}
    problems: list[str] = []
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        rel = path.relative_to(PACKAGE.parent)
        for call in ast.walk(tree):
            if not (isinstance(call, ast.Call) and callee(call) in markers and call.args):
                continue
            first = call.args[0]
            where = f"{rel}:{first.lineno}"
            msgids = strings(first)
            if msgids is None:
                base = first.value if isinstance(first, ast.Subscript) else first
                if names and isinstance(base, ast.Name) and base.id in names:
                    continue
                problems.append(f"{where}: the template is not a literal (give the English "
                                "template, with named fields, and its parameters)")
                continue
            for msgid in msgids:
                found.setdefault(msgid, []).append(where)
    return found, problems


def _collect_report() -> tuple[dict[str, list[str]], list[str]]:
    """The msgids of the catalogue ``report``: the calls in report.py and forms.py and their
    tables.
    """
    found, problems = _collect(REPORT_MARKERS, [PACKAGE / "report.py", PACKAGE / "forms.py"],
                               REPORT_NAMES)
    found.setdefault(report._BY_CRITERIA, []).append("ntmgeo/report.py:_BY_CRITERIA")
    for name, table in REPORT_TABLES.items():
        for msgid in table.values() if isinstance(table, dict) else table:
            found.setdefault(msgid, []).append(f"ntmgeo:{name}")
    return found, problems


MSGIDS, PROBLEMS = _collect(MARKERS, sorted(PACKAGE.rglob("*.py")))
DOMAINS = {"documents": (MSGIDS, PROBLEMS), "report": _collect_report()}



def test_the_walk_finds_the_templates():
    assert "Unmet on the condition: " in MSGIDS  # computed.py, 2.1's basis
    assert "the communes" in MSGIDS  # a branch of an if-expression
    assert "share of the population (spread evenly over the unit's area)" in MSGIDS  # coverage
    assert any(where.startswith("ntmgeo/computed.py") for w in MSGIDS.values() for where in w)
    assert len(MSGIDS) > 20


def test_the_walk_finds_the_words_of_the_table():
    found, _ = DOMAINS["report"]
    assert {"Met", "Unmet", "No data", "Achieved by {date}"} <= set(found)  # literals
    assert {"DISTRICT", "District", "Advanced new rural area", "Commune code"} <= set(found)
    assert "the criteria table (Excel) with the progress sheet" in found  # FORMATS' labels
    assert len(found) > 50


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_every_template_is_a_literal(domain):
    problems = DOMAINS[domain][1]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("domain", "msgid"),
                         [(d, m) for d, (found, _) in sorted(DOMAINS.items())
                          for m in sorted(found)])
def test_every_template_has_its_vietnamese_with_the_same_placeholders(domain, msgid):
    assert_translated(domain, msgid, ", ".join(DOMAINS[domain][0][msgid]))


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_the_english_catalogue_is_the_identity_and_both_list_the_same_ids(domain):
    assert english_is_identity(domain)


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_the_catalogue_holds_no_stale_template(domain):
    assert set(catalogue(domain, "vi")) - set(DOMAINS[domain][0]) == set()


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
