"""Lineage: which units a unit was formed from and which it went into, both ways, transitively,
a unit always its code with its first day (a reused code never mixes two units).
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntmgeo import lineage
from ntmgeo._errors import InputError


def _units(rows: list[tuple]) -> pd.DataFrame:
    """(code, name, valid_from, valid_to, formed_from, replaces) rows as an admin_units frame."""
    return pd.DataFrame([{"code": c, "name": n, "level": "commune", "valid_from": vf,
                          "valid_to": vt, "formed_from": ff, "replaces": rp,
                          "source": f"source of {n}"}
                         for c, n, vf, vt, ff, rp in rows])


# Đam Rông 1 reuses Phi Liêng's code 24886 and names its predecessors by `replaces` only (as
# data/damrong does); "X" was formed in 2008 from "A" and "B", and went into Đam Rông 1.
REFORM = _units([
    ("A", "Old A", "1999-01-01", "2007-12-31", None, None),
    ("B", "Old B", "1999-01-01", "2007-12-31", None, None),
    ("24886", "Phi Liêng", "2008-01-01", "2025-06-30", ["A@1999-01-01", "B@1999-01-01"], None),
    ("24889", "Đạ K'Nàng", "2008-01-01", "2025-06-30", None, None),
    ("24886", "Đam Rông 1", "2025-07-01", None, None, ["24886", "24889"]),
])


def _keys(frame: pd.DataFrame) -> list[tuple[str, str, int]]:
    return sorted(zip(frame["code"], frame["valid_from"], frame["generation"], strict=True))


class TestBothWays:
    def test_predecessors_read_from_replaces_are_the_units_that_ended_the_eve(self):
        preds = lineage.predecessors(REFORM, "24886", "2025-07-01")
        direct = preds[preds["generation"] == 1]
        assert sorted(zip(direct["code"], direct["name"], direct["valid_to"], strict=True)) == [
            ("24886", "Phi Liêng", "2025-06-30"), ("24889", "Đạ K'Nàng", "2025-06-30")]
        assert set(direct["kind"]) == {"merge"} and set(direct["date"]) == {"2025-07-01"}

    def test_predecessors_are_transitive_with_the_unit_they_went_into(self):
        preds = lineage.predecessors(REFORM, "24886", "2025-07-01")
        assert _keys(preds) == [("24886", "2008-01-01", 1), ("24889", "2008-01-01", 1),
                                ("A", "1999-01-01", 2), ("B", "1999-01-01", 2)]
        a = preds[preds["code"] == "A"].iloc[0]
        assert (a["via_code"], a["via_valid_from"], a["date"]) == (
            "24886", "2008-01-01", "2008-01-01")

    def test_successors_are_transitive(self):
        succ = lineage.successors(REFORM, "A", "1999-01-01")
        assert _keys(succ) == [("24886", "2008-01-01", 1), ("24886", "2025-07-01", 2)]
        assert list(succ["name"]) == ["Phi Liêng", "Đam Rông 1"]

    def test_a_reused_code_is_never_mixed(self):
        # Phi Liêng (24886 of 2008) and Đam Rông 1 (24886 of 2025) are two units: the new one
        # is not its own predecessor, and the old one's predecessors are not the new one's
        # direct ones.
        old = lineage.predecessors(REFORM, "24886", "2008-01-01")
        assert _keys(old) == [("A", "1999-01-01", 1), ("B", "1999-01-01", 1)]
        new = lineage.predecessors(REFORM, "24886", "2025-07-01")
        assert ("24886", "2025-07-01") not in set(zip(new["code"], new["valid_from"],
                                                     strict=True))
        assert lineage.successors(REFORM, "24886", "2025-07-01").empty
        assert list(lineage.successors(REFORM, "24886", "2008-01-01")["name"]) == ["Đam Rông 1"]

    def test_formed_from_wins_over_replaces_for_the_same_code(self):
        units = _units([
            ("1", "Old", "2000-01-01", "2010-12-31", None, None),
            ("1", "Older reuse", "2011-01-01", "2019-12-31", None, None),
            ("9", "New", "2020-01-01", None, ["1@2000-01-01:share:0.25"], ["1"]),
        ])
        links = lineage.links(units)
        assert links[["from_code", "from_valid_from", "kind", "share"]].values.tolist() == [
            ["1", "2000-01-01", "share", 0.25]]

    def test_a_predecessor_not_in_the_store_is_kept_by_its_code(self):
        units = _units([("9", "New", "2025-07-01", None, ["77@2008-01-01"], None)])
        preds = lineage.predecessors(units, "9", "2025-07-01")
        assert preds[["code", "valid_from", "held", "name"]].values.tolist() == [
            ["77", "2008-01-01", False, None]]


class TestSplit:
    SPLIT = _units([
        ("S", "Split one", "2000-01-01", "2019-12-31", None, None),
        ("S1", "North", "2020-01-01", None, ["S@2000-01-01:split:0.6"], None),
        ("S2", "South", "2020-01-01", None, ["S@2000-01-01:split:0.4"], None),
    ])

    def test_each_part_names_its_share(self):
        succ = lineage.successors(self.SPLIT, "S", "2000-01-01")
        assert sorted(zip(succ["code"], succ["kind"], succ["share"], strict=True)) == [
            ("S1", "split", 0.6), ("S2", "split", 0.4)]
        assert lineage.predecessors(self.SPLIT, "S2", "2020-01-01")["share"].tolist() == [0.4]

    def test_shares_above_the_whole_are_refused(self):
        units = self.SPLIT.copy()
        units.at[2, "formed_from"] = ["S@2000-01-01:split:0.5"]
        with pytest.raises(InputError, match=r"S@2000-01-01.*1\.1"):
            lineage.links(units)


class TestEntries:
    @pytest.mark.parametrize(("entry", "parsed"), [
        ("24886@2008-01-01", ("24886", "2008-01-01", "merge", None)),
        (" 24886 @ 2008-01-01 ", ("24886", "2008-01-01", "merge", None)),
        ("S@2000-01-01:split", ("S", "2000-01-01", "split", None)),
        ("S@2000-01-01:share:0.125", ("S", "2000-01-01", "share", 0.125)),
    ])
    def test_parse(self, entry, parsed):
        got = lineage.parse_entry(entry)
        assert (got["from_code"], got["from_valid_from"], got["kind"], got["share"]) == parsed

    @pytest.mark.parametrize(("entry", "message"), [
        ("24886", "is not CODE@YYYY-MM-DD"),
        ("24886@2008-02-30", "is not a date"),
        ("24886@2008-01-01:swap", "unknown kind 'swap'"),
        ("24886@2008-01-01:merge:0.5", "a share is given for split or share only"),
        ("24886@2008-01-01:split:1.5", "above 0 and at most 1"),
        ("24886@2008-01-01:split:half", "above 0 and at most 1"),
    ])
    def test_bad_entries_name_the_unit_and_the_field(self, entry, message):
        units = _units([("9", "New", "2025-07-01", None, [entry], None)])
        with pytest.raises(InputError, match=message) as err:
            lineage.links(units)
        assert "9@2025-07-01" in str(err.value) and "formed_from" in str(err.value)

    def test_a_predecessor_must_begin_before_the_unit(self):
        units = _units([("9", "New", "2025-07-01", None, ["8@2025-07-01"], None)])
        with pytest.raises(InputError, match="does not begin before"):
            lineage.links(units)

    def test_text_lists_are_read_like_lists(self):
        units = _units([("9", "New", "2025-07-01", None, "1@2000-01-01|2@2000-01-01", None)])
        assert lineage.links(units)["from_code"].tolist() == ["1", "2"]

    @given(code=st.from_regex(r"[0-9A-Z]{1,6}", fullmatch=True),
           kind=st.sampled_from(lineage.KINDS),
           share=st.one_of(st.none(), st.integers(1, 1000).map(lambda n: n / 1000)))
    def test_format_then_parse_is_the_identity(self, code, kind, share):
        share = None if kind == "merge" else share
        got = lineage.parse_entry(lineage.format_entry(code, "2008-01-01", kind, share))
        assert (got["from_code"], got["kind"], got["share"]) == (code, kind, share)


@st.composite
def _histories(draw):
    """Random histories of 2–4 generations: each unit of a generation formed from a random
    non-empty set of the previous generation's units; codes reused across generations.
    """
    rows = [(f"c{i}", f"g0-{i}", "2000-01-01", "2009-12-31", None, None)
            for i in range(draw(st.integers(1, 4)))]
    prev = [(r[0], r[2]) for r in rows]
    for g in range(1, draw(st.integers(2, 4))):
        start = f"{2000 + 10 * g}-01-01"
        end = None if g == 3 else f"{2009 + 10 * g}-12-31"
        here = []
        for i in range(draw(st.integers(1, 4))):
            parents = draw(st.lists(st.sampled_from(prev), min_size=1, unique=True))
            rows.append((f"c{i}", f"g{g}-{i}", start, end,
                         [f"{c}@{vf}" for c, vf in parents], None))
            here.append((f"c{i}", start))
        prev = here
    return _units(rows)


@settings(max_examples=60, deadline=None)
@given(units=_histories())
def test_the_successors_of_a_units_predecessors_include_it(units):
    table = lineage.links(units)
    for code, valid_from in zip(units["code"], units["valid_from"], strict=True):
        preds = lineage.predecessors(units, code, valid_from, table=table)
        for pc, pvf in zip(preds["code"], preds["valid_from"], strict=True):
            succ = lineage.successors(units, pc, pvf, table=table)
            assert (code, valid_from) in set(zip(succ["code"], succ["valid_from"], strict=True))
        # and never itself: a reused code is another unit
        assert (code, valid_from) not in set(zip(preds["code"], preds["valid_from"],
                                                 strict=True))


def test_replaces_takes_the_unit_of_that_code_that_ended_the_eve():
    # code 5 was used twice before; the new unit replaces the one that ended the day before
    units = _units([
        ("5", "First", "1990-01-01", "1999-12-31", None, None),
        ("5", "Second", "2000-01-01", "2025-06-30", None, None),
        ("6", "New", "2025-07-01", None, None, ["5"]),
    ])
    preds = lineage.predecessors(units, "6", "2025-07-01")
    assert preds[["name", "valid_from"]].values.tolist() == [["Second", "2000-01-01"]]
