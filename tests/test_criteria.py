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


class TestTheSet2026To2030:
    NAMES = ["Quy hoạch", "Hạ tầng kinh tế - xã hội", "Phát triển kinh tế nông thôn",
             "Đào tạo nguồn nhân lực nông thôn", "Văn hóa, giáo dục, y tế",
             "Giảm nghèo và an sinh xã hội", "Khoa học công nghệ và chuyển đổi số",
             "Môi trường và cảnh quan nông thôn",
             "Xây dựng hệ thống chính trị và hành chính công",
             "Tiếp cận pháp luật và an ninh, quốc phòng"]

    def test_ten_criteria_as_sourced_and_no_invented_indicator(self):
        cset = criteria.load_set("vn-commune-2026-2030")
        assert [c.name["vi"] for c in cset.criteria] == self.NAMES
        assert [c.id for c in cset.criteria] == [str(n) for n in range(1, 11)]
        assert all(c.indicators is None for c in cset.criteria)
        assert all("chưa có trong danh mục" in c.note["vi"] for c in cset.criteria)
        assert cset.indicators_stated == 47 and cset.indicators == []
        assert "BRIEF §7" in cset.source

    def test_decision_and_period(self):
        cset = criteria.load_set("vn-commune-2026-2030")
        (dec,) = cset.decisions
        assert dec["number"] == "51/2025/QĐ-TTg" and str(dec["date"]) == "2025-12-29"
        assert cset.period == ("2026-02-15", "2030-12-31")
        assert criteria.set_for("commune", "2026-02-15").id == cset.id
        assert criteria.set_for("commune", "2025-12-31").id == "vn-commune-2021-2025"
        with pytest.raises(CriterionDataMissing):
            criteria.set_for("commune", "2026-02-14")

    def test_three_commune_groups_with_their_definitions(self):
        cset = criteria.load_set("vn-commune-2026-2030")
        assert cset.threshold_scheme == "group"
        assert [z["id"] for z in cset.zones] == ["1", "2", "3"]
        g1, g2, g3 = cset.zones
        assert g1["definition"]["vi"].startswith("xã liền kề đô thị hiện hữu")
        assert g1["definition"]["vi"].endswith("hoặc xã được định hướng là đô thị mới")
        assert g3["definition"]["vi"] == ("xã khu vực II và xã khu vực III thuộc địa bàn vùng "
                                          "đồng bào dân tộc thiểu số và miền núi")
        assert g2["definition"] is None  # no words of the source are quoted for group 2
        assert all(z["source"] for z in cset.zones)
        assert criteria.zone_id(cset, "nhóm  III") == "3"
        assert criteria.zone_id(cset, "Nhóm 4") is None


class TestInForce:
    def test_which_set_or_none_in_a_sentence(self):
        cset, why = criteria.in_force("commune", "2026-01-01")
        assert cset is None
        assert why["en"] == (
            "No commune criteria set is in force on 01/01/2026: the National criteria for NTM "
            "communes, 2021-2025 (Decision 318/QĐ-TTg) ended on 31/12/2025 and the National "
            "criteria for NTM communes, 2026-2030 (Decision 51/2025/QĐ-TTg) applies from "
            "15/02/2026")
        assert why["vi"].startswith("Ngày 01/01/2026 không có bộ tiêu chí cấp xã nào có hiệu "
                                    "lực")
        cset, why = criteria.in_force("commune", "2025-09-01")
        assert cset.id == "vn-commune-2021-2025" and "318/QĐ-TTg" in why["vi"]
        assert criteria.in_force("commune", "2031-01-01")[1]["en"].endswith("no later one")
        assert criteria.in_force("district", "2026-03-01")[0] is None

    def test_the_sentence_follows_the_catalogue(self):
        # the made-up sets: 2021-2025 regional and 2026-2030 by group; no gap between them
        assert criteria.in_force("commune", "2026-01-01", folder=TEST_SETS)[0].id == (
            "test-groups-2026")
        _, why = criteria.in_force("commune", "2020-06-01", folder=TEST_SETS)
        assert why["en"].endswith("applies from 01/01/2021")
