"""The criteria catalogue: what the seeds state, and nothing more."""

from __future__ import annotations

from pathlib import Path

import pytest

from ntmgeo import criteria
from ntmgeo._errors import CriterionDataMissing

TEST_SETS = Path(__file__).parent / "data" / "criteria"


class TestShippedCatalogue:
    def test_district_set_in_full(self):
        cset = criteria.load_set("vn-district-2021-2025")
        assert len(cset.criteria) == 9 and len(cset.indicators) == 36
        assert cset.level == "district" and cset.period == ("2021-01-01", "2025-12-31")
        assert [d["number"] for d in cset.decisions] == ["320/QĐ-TTg", "211/QĐ-TTg"]

    @pytest.mark.parametrize(("iid", "op", "value", "unit"), [
        ("2.3", ">=", 50, "%"), ("5.3", ">=", 60, "%"), ("7.6", ">=", 2, "m²/người"),
        ("8.1", ">=", 12, "%"), ("8.2", ">=", 35, "%"), ("2.2", "==", 100, "%"),
    ])
    def test_numeric_thresholds_from_the_appendix(self, iid, op, value, unit):
        thr = criteria.load_set("vn-district-2021-2025").indicator(iid).threshold
        assert (thr.kind, thr.op, thr.value, thr.unit) == ("numeric", op, value, unit)

    def test_threshold_comparison(self):
        thr = criteria.load_set("vn-district-2021-2025").indicator("2.3").threshold
        assert thr.met_by(26.65) is False and thr.met_by(50) is True and thr.met_by(None) is None

    def test_commune_set_names_19_criteria_and_no_invented_indicator(self):
        cset = criteria.load_set("vn-commune-2021-2025")
        assert len(cset.criteria) == 19
        assert all(c.indicators is None for c in cset.criteria)
        assert cset.criterion("11").name["vi"] == "Nghèo đa chiều"
        assert len(cset.zones) == 7

    def test_village_set_of_lai_chau(self):
        cset = criteria.load_set("laichau-village-2021-2025")
        assert cset.level == "village" and len(cset.criteria) == 15

    def test_owners_are_not_the_set_s(self):
        # owners depend on the unit (ntmgeo.owners, tests/test_owners.py), not on the set
        cset = criteria.load_set("vn-district-2021-2025")
        assert all(i.departments == () for i in cset.indicators)

    def test_transport_guidance_is_quoted_with_its_source(self):
        cset = criteria.load_set("vn-district-2021-2025")
        g21, g22 = (cset.indicator(i).guidance for i in ("2.1", "2.2"))
        assert g21["source"] == g22["source"]
        assert g21["source"].startswith("Quyết định 932/QĐ-BGTVT (18/7/2022)")
        assert any(q.endswith("tỷ lệ mặt đường huyện được nhựa hóa hoặc bê tông xi măng hóa "
                              "đạt 100%") for q in g21["quotes"])
        assert "100% đường huyện được bảo trì hàng năm" in g21["quotes"]
        assert "đầu tư xây dựng hoặc nâng cấp với cấp đường theo quy hoạch được phê duyệt" in (
            g22["quotes"])
        assert g21["rule"]["vi"] and g22["rule"]["en"]
        assert cset.indicator("2.3").guidance is None

    def test_guidance_needs_a_source_and_quotes(self):
        with pytest.raises(CriterionDataMissing, match="guidance needs a source and quotes"):
            criteria._guidance({"quotes": ["x"]}, "t.yml: 2.1")
        with pytest.raises(CriterionDataMissing, match="vi and en"):
            criteria._guidance({"source": "s", "quotes": ["x"], "rule": {"en": "y"}}, "t")

    def test_set_for_a_date(self):
        assert criteria.set_for("district", "2024-02-29").id == "vn-district-2021-2025"
        with pytest.raises(CriterionDataMissing, match="no 'ntm' criteria set for level "
                                                       "'district' in force on 2026-03-01"):
            criteria.set_for("district", "2026-03-01")


class TestSetsAreData:
    def test_regional_thresholds_from_a_file(self):
        cset = criteria.load_set("test-regional", folder=TEST_SETS)
        ind = cset.indicator("1.1")
        assert ind.threshold_for("highlands").value == 42
        assert ind.threshold_for("north").value == 45
        assert ind.threshold_for(None).value == 50
        assert cset.criterion("2").indicators is None

    def test_commune_groups_2026(self):
        cset = criteria.set_for("commune", "2027-01-01", folder=TEST_SETS)
        assert cset.id == "test-groups-2026" and cset.threshold_scheme == "group"
        thr = cset.indicator("1.1").threshold_for("group3")
        assert thr.met_by(75) is True
        assert cset.indicator("1.1").threshold_for("group1").met_by(75) is False

    def test_made_up_sets_are_not_shipped(self):
        assert "test-regional" not in criteria.all_sets()
