"""Work injury (工伤保险条例 via seed 004): the 004:L14052–L14060 worked example, own-wage clamp, grades, death
benefits with the dependants' cap (004:L11894–L11896, 004:L12209), and the 工伤 top-up (000 §66, case 44)."""
from decimal import Decimal

import pytest

from app.rules.errors import InvalidInput

D = Decimal


def test_004_L14053_disability_allowance_nursing_and_back_pay(calc):
    """004:L14053–L14060: 伤残津贴 3535.5 × 0.8 = 2828.4 (from 201911, the month after the assessment);
    生活护理费 6153 × 0.4 = 2461.2; monthly total 5289.6; 补发 201911–201912 = 5656.8."""
    c = calc("injury_disability", grade="3", injury_date="2019-03-02", assessment_date="2019-10-15",
             own_wage="3535.5", avg_wage="5000", nursing_level="most", nursing_avg_wage="6153",
             paid_through="2019-12")
    r = c.result
    assert r.allowance == D("2828.40") and r.nursing == D("2461.20") and r.monthly_total == D("5289.60")
    assert str(r.start_month) == "2019-11"
    assert r.back_pay_rows[0][:4] == ("伤残津贴", r.start_month, r.back_pay_rows[0][2], 2)
    assert r.back_pay_rows[0][4] == D("5656.80")
    assert r.lump_sum == D("3535.50") * 23
    assert "004:L14040" in [s.citation for s in c.explanation.steps]


def test_004_L14038_allowance_ends_at_retirement_age(calc):
    """004:L14038: 伤残津贴根据退休年龄产生终止年月 (the month before the statutory retirement month)."""
    c = calc("injury_disability", grade="1", injury_date="2024-03-02", assessment_date="2024-10-15",
             own_wage="5000", avg_wage="5000", birth_date="1990-11-20", group="male")
    assert str(c.result.allowance_end) == "2053-10"     # 63 → 2053-11


@pytest.mark.parametrize("grade,months", [(1, 27), (2, 25), (3, 23), (4, 21), (5, 18), (6, 16), (7, 13), (8, 11),
                                          (9, 9), (10, 7)])
def test_lump_sum_months_by_grade(calc, grade, months):
    """工伤保险条例 第三十五条至第三十七条: 27 25 23 21 18 16 13 11 9 7 months of own wage."""
    r = calc("injury_disability", grade=str(grade), injury_date="2024-03-02", assessment_date="2024-10-15",
             own_wage="5000", avg_wage="5000").result
    assert r.lump_sum_months == months and r.lump_sum == D(5000 * months)
    if grade >= 7:
        assert r.allowance is None


@pytest.mark.parametrize("grade,arranged,allowance", [(1, False, "4500.00"), (4, False, "3750.00"),
                                                      (5, False, "3500.00"), (6, False, "3000.00"),
                                                      (5, True, None)])
def test_allowance_ratio_by_grade(calc, grade, arranged, allowance):
    r = calc("injury_disability", grade=str(grade), injury_date="2024-03-02", assessment_date="2024-10-15",
             own_wage="5000", avg_wage="5000", job_arranged="是" if arranged else "否").result
    assert r.allowance == (D(allowance) if allowance else None)


@pytest.mark.parametrize("wage,own", [("2000", "3000.00"), ("4000", "4000"), ("20000", "15000.00")])
def test_own_wage_clamped_to_60_300_percent(calc, wage, own):
    """工伤保险条例 第六十四条: own wage clamped to [60 %, 300 %] of the region's average monthly wage."""
    r = calc("injury_disability", grade="9", injury_date="2024-03-02", assessment_date="2024-10-15",
             own_wage=wage, avg_wage="5000").result
    assert r.own_wage == D(own)


def test_own_wage_from_twelve_months(calc, official):
    c = calc("injury_disability", params=official, grade="10", injury_date="2025-02-01",
             assessment_date="2025-05-01", wages=",".join(["5000"] * 11 + ["6200"]))
    assert c.result.own_wage == D("5100.00")
    assert any(p.key == "injury_avg_wage_monthly" and p.period == "2024年度" for p in c.explanation.params)


def test_allowance_topped_up_to_minimum_wage(calc, official):
    c = calc("injury_disability", params=official, grade="4", injury_date="2025-02-01", assessment_date="2025-05-01",
             own_wage="2500", avg_wage="4000")
    assert c.result.allowance == D(1980)       # 2500 × 75 % = 1875 < 1980


def test_death_benefits(calc):
    """004:L11894–L11896: 丧葬补助金 6 × average wage; 一次性工亡补助金 20 × national income; dependants capped."""
    c = calc("injury_death", death_type="work_death", death_date="2025-04-01", own_wage="5000", avg_wage="6000",
             income="50000", spouse="是", others="2", others_lone="1")
    r = c.result
    assert r.funeral == D("36000.00") and r.lump_sum == D("1000000.00") and r.one_off_total == D("1036000.00")
    # 40 % + 30 % + 40 % = 110 % > 100 % → capped to the own wage, split without losing a fen
    assert r.capped and r.dependants_total == D("5000.00")
    assert [row[3] for row in r.dependants] == [D("1818.18"), D("1818.18"), D("1363.64")]   # spouse, lone, other
    assert "004:L11894" in [s.citation for s in c.explanation.steps]


def test_death_after_leave_grade_1_to_4_has_no_lump_sum(calc):
    """004:L11990 / 004:L11896: 一至四级停工留薪期满后死亡 → funeral grant and dependants only."""
    r = calc("injury_death", death_type="after_leave", death_date="2025-04-01", own_wage="5000", avg_wage="6000",
             spouse="是").result
    assert r.lump_sum is None and r.funeral == D("36000.00") and r.dependants_total == D("2000.00")
    assert not r.capped


def test_missing_worker_advance_half(calc):
    """004:L11896: 下落不明, 生活有困难的可以预支一次性工亡补助金的50%."""
    r = calc("injury_death", death_type="missing", death_date="2025-04-01", own_wage="5000", avg_wage="6000",
             income="50000").result
    assert r.advance == D("500000.00")


def test_death_inputs_checked(calc):
    with pytest.raises(InvalidInput):
        calc("injury_death", death_type="work_death", death_date="2025-04-01", own_wage="5000", avg_wage="6000",
             income="50000", others="1", others_lone="2")


@pytest.mark.parametrize("grade,applies,diff", [(3, True, "500.00"), (5, False, "0.00"), (2, True, "0.00")])
def test_case_44_injury_top_up(calc, grade, applies, diff):
    """rules-digest case 44 [000 §66]: grade 3, pension 2000, injury benefit 2500 → 500; grade 5 → not applied."""
    pension = "2000" if grade != 2 else "3000"
    r = calc("injury_pension_topup", grade=str(grade), pension=pension, injury_benefit="2500").result
    assert r.applies is applies and r.difference == D(diff)
