"""Reporting calendars and dossier deadlines as data (data/calendars): the dates a rule
gives, month ends, the schema check, what is due for the units of a store, and ``ntmgeo due``.
"""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ntmgeo import calendar
from ntmgeo._errors import InputError
from ntmgeo.cli import main

CALENDARS = {c["id"]: c for c in calendar.load()}
DAK_SONG, DAM_RONG = CALENDARS["daksong-2023"], CALENDARS["damrong-2024"]


def _unit(code, level, name, parent, valid_to="2025-06-30"):
    return {"code": code, "level": level, "name": name, "parent_code": parent,
            "valid_from": "2004-01-01", "valid_to": valid_to}


DS_UNITS = pd.DataFrame([_unit("665", "district", "Đắk Song", "67"),
                         _unit("24700", "commune", "Nam Bình", "665"),
                         _unit("24701", "commune", "Thuận Hà", "665")])
DR_UNITS = pd.DataFrame([_unit("674", "district", "Đam Rông", "68"),
                         _unit("24856", "commune", "Đạ Long", "674")])


def _cal(*entries, period=(None, None)):
    return {"id": "t", "units": [{"code": "1", "level": "district", "name": ""}],
            "period": period, "entries": list(entries)}


def _entry(rule, kind="monthly", eid="e"):
    return {"id": eid, "kind": kind, "rule": rule, "title": None, "before": False,
            "who": [], "to": None, "about": None, "as_printed": None, "source": "s"}


class TestOccurrences:
    def test_dak_song_rules_give_the_plan_s_dates(self):
        got = [(o["date"], o["entry"]["kind"])
               for o in calendar.occurrences(DAK_SONG, "2023-05-01", "2023-07-31")]
        assert got == [("2023-05-13", "monthly"), ("2023-06-13", "half-year"),
                       ("2023-06-13", "monthly"), ("2023-06-13", "quarterly"),
                       ("2023-07-13", "monthly")]

    def test_a_year_of_dak_song_reports(self):
        occ = calendar.occurrences(DAK_SONG, "2024-01-01", "2024-12-31")
        by_kind: dict[str, list[str]] = {}
        for o in occ:
            by_kind.setdefault(o["entry"]["kind"], []).append(o["date"])
        assert len(by_kind["monthly"]) == 12
        assert by_kind["quarterly"] == ["2024-03-13", "2024-06-13", "2024-09-13", "2024-12-13"]
        assert by_kind["half-year"] == ["2024-06-13"]
        assert by_kind["nine-months"] == ["2024-09-13"]
        assert by_kind["annual"] == ["2024-12-13"]
        assert "ad hoc" not in by_kind  # on request: no date

    def test_nothing_before_the_plan_s_period(self):
        assert calendar.occurrences(DAK_SONG, "2023-01-01", "2023-02-28") == []
        assert calendar.occurrences(DAK_SONG, "2023-03-14", "2023-04-12") == []

    def test_month_ends(self):
        cal = _cal(_entry({"day": 31, "months": None}), _entry({"day": "last", "months": [2]},
                                                                eid="f"))
        got = [(o["date"], o["entry"]["id"])
               for o in calendar.occurrences(cal, "2024-01-31", "2024-04-30")]
        assert got == [("2024-01-31", "e"), ("2024-02-29", "e"), ("2024-02-29", "f"),
                       ("2024-03-31", "e"), ("2024-04-30", "e")]
        assert [o["date"] for o in calendar.occurrences(cal, "2023-02-01", "2023-02-28")] == [
            "2023-02-28", "2023-02-28"]

    def test_one_date(self):
        assert [o["date"] for o in calendar.occurrences(DAM_RONG, "2024-01-01", "2024-12-31")] \
            == ["2024-10-30", "2024-11-30"]
        assert calendar.occurrences(DAM_RONG, "2024-12-01", "2025-12-31") == []

    @given(day=st.one_of(st.integers(1, 31), st.just("last")),
           months=st.one_of(st.none(), st.sets(st.integers(1, 12), min_size=1)),
           start=st.dates(dt.date(2020, 1, 1), dt.date(2030, 12, 31)),
           span=st.integers(0, 800))
    def test_property_every_occurrence_is_on_the_rule_s_day_within_range(self, day, months,
                                                                          start, span):
        end = start + dt.timedelta(days=span)
        rule = {"day": day, "months": sorted(months) if months else None}
        dates = [dt.date.fromisoformat(o["date"])
                 for o in calendar.occurrences(_cal(_entry(rule)), start, end)]
        expected = []
        cursor = dt.date(start.year, start.month, 1)
        while cursor <= end:
            last = (cursor.replace(day=28) + dt.timedelta(days=4)).replace(day=1) \
                - dt.timedelta(days=1)
            on = last if day == "last" else cursor.replace(day=min(day, last.day))
            if (not months or cursor.month in months) and start <= on <= end:
                expected.append(on)
            cursor = last + dt.timedelta(days=1)
        assert dates == expected
        assert all(start <= d <= end for d in dates)
        assert len(set(dates)) == len(dates)


class TestSchema:
    @pytest.mark.parametrize(("entry", "field"), [
        ("{id: a, kind: weekly, rule: {day: 1}, who: [{vi: x}], source: s}", "kind"),
        ("{id: a, kind: monthly, rule: {day: 1}, who: [{vi: x}]}", "source"),
        ("{id: a, kind: monthly, rule: null, who: [{vi: x}], source: s}", "rule"),
        ("{id: a, kind: monthly, rule: {day: 32}, who: [{vi: x}], source: s}", "rule.day"),
        ("{id: a, kind: annual, rule: {day: 1, months: [13]}, who: [{vi: x}], source: s}",
         "rule.months"),
        ("{id: a, kind: dossier, rule: {date: '2024-13-01'}, who: [{vi: x}], source: s}",
         "rule.date"),
        ("{id: a, kind: monthly, rule: {day: 1}, source: s}", "who"),
    ])
    def test_a_bad_entry_is_refused_naming_file_entry_and_field(self, tmp_path, entry, field):
        (tmp_path / "bad.yml").write_text(
            f"id: x\nunit: {{code: '1', level: district}}\nentries:\n  - {entry}\n",
            encoding="utf-8")
        with pytest.raises(InputError) as exc:
            calendar.load(tmp_path)
        assert (exc.value.path, exc.value.feature, exc.value.field) == ("bad.yml", "a", field)

    def test_a_file_that_is_not_yaml_is_refused_naming_it(self, tmp_path):
        (tmp_path / "bad.yml").write_text("id: x\nrule: {date: 2024-13-01}\n", encoding="utf-8")
        with pytest.raises(InputError) as exc:
            calendar.load(tmp_path)
        assert exc.value.path == "bad.yml" and "YAML" in str(exc.value)

    def test_a_calendar_names_its_unit_by_code(self, tmp_path):
        (tmp_path / "bad.yml").write_text("id: x\nunit: {name: X}\nentries: []\n",
                                          encoding="utf-8")
        with pytest.raises(InputError, match="GSO code"):
            calendar.load(tmp_path)

    def test_the_shipped_entries_quote_their_seed_line(self):
        assert all(e["source"] == "seed 001, line 218" for e in DAK_SONG["entries"])
        assert [e["source"] for e in DAM_RONG["entries"]] == ["seed 000, line 33",
                                                              "seed 000, line 45"]


class TestDue:
    def test_what_falls_due_and_for_whom(self):
        doc = calendar.due(CALENDARS.values(), DS_UNITS, "2024-06-01", 20)
        assert [(i["date"], i["kind"]) for i in doc["items"]] == [
            ("2024-06-13", "half-year"), ("2024-06-13", "monthly"), ("2024-06-13", "quarterly")]
        item = doc["items"][0]
        assert item["days_left"] == 12 and item["before"] is True
        assert item["unit"] == [{"code": "665", "name": "Đắk Song", "level": "district"}]
        chairs = item["who"][1]
        assert chairs["vi"] == "Chủ tịch UBND các xã"
        assert [u["name"] for u in chairs["units"]] == ["Nam Bình", "Thuận Hà"]
        assert item["to"]["vi"].startswith("UBND huyện, Ban Chỉ đạo nông thôn mới huyện")
        assert [i["kind"] for i in doc["on_request"]] == ["ad hoc"]

    def test_a_calendar_applies_only_to_its_units(self):
        doc = calendar.due(CALENDARS.values(), DR_UNITS, "2024-06-01", 20)
        assert doc["items"] == [] and doc["on_request"] == []

    def test_communes_alone_bring_their_district_s_calendar(self):
        only = DS_UNITS[DS_UNITS["level"] == "commune"]
        doc = calendar.due([DAK_SONG], only, "2024-06-01", 20)
        assert len(doc["items"]) == 3 and doc["items"][0]["unit"] == []

    def test_nothing_due_once_the_district_is_gone(self):
        doc = calendar.due([DAK_SONG], DS_UNITS, "2025-07-01", 60)
        assert doc["items"] == [] and doc["on_request"] == []

    def test_dossier_deadlines_with_days_left(self):
        got = [(d["date"], d["days_left"])
               for d in calendar.deadlines(CALENDARS.values(), DR_UNITS, "2024-10-15")]
        assert got == [("2024-10-30", 15), ("2024-11-30", 46)]
        assert calendar.deadlines(CALENDARS.values(), DS_UNITS, "2024-10-15") == []

    def test_dates_the_vietnamese_way(self):
        assert calendar.dmy("2024-03-05") == "05/03/2024"


def test_due_command(sample_db, capsys):
    assert main(["due", "--db", str(sample_db), "--as-of", "2024-10-15", "--days", "60"]) == 0
    text = capsys.readouterr().out
    assert "Đến hạn từ 15/10/2024 đến 14/12/2024:" in text
    assert "trước ngày 30/10/2024 · Hồ sơ đề nghị công nhận xã đạt chuẩn nông thôn mới" in text
    assert "(còn 15 ngày)" in text and "Nguồn: seed 000, line 45" in text
    assert main(["due", "--db", str(sample_db), "--as-of", "2024-10-15", "--days", "10",
                 "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["until"] == "2024-10-25" and doc["items"] == []
    assert main(["due", "--db", str(sample_db), "--as-of", "2024-10-15"]) == 0
    assert "(không có)" not in capsys.readouterr().out
    assert main(["due", "--db", str(sample_db), "--as-of", "15/10/2024"]) == 2
