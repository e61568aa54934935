"""Pension estimates (国发〔2005〕38号, 国发〔2014〕8号 as parameters), the retiree drawdown (000 §43, case 10), the
15-year extension (case 14) and the provisional 计发基数 (000 §71, case 43)."""
from datetime import date
from decimal import Decimal

import pytest

from app.rules.errors import MissingParameter
from app.rules.pension import TRANSITIONAL, payout_months

D = Decimal


def test_enterprise_pension_formula(calc, official):
    """基础养老金 = (C + C×指数)/2 × 年限 × 1%; 个人账户养老金 = 储存额 ÷ 计发月数 (60 → 139)."""
    c = calc("enterprise_pension", params=official, today=date(2025, 1, 1), birth_date="1964-06-15", group="male",
             actual_months="480", avg_index="1.0", account_balance="139000")
    r = c.result
    assert str(r.retirement_month) == "2024-06" and r.retirement_age == "60周岁"
    assert r.calc_base == D(8000) and r.indexed_wage == D("8000.00")
    assert r.basic_pension == D("3200.00") and r.payout_months == D(139) and r.account_pension == D("1000.00")
    assert r.transitional_pension == D("0.00") and r.total == D("4200.00")
    assert not c.explanation.uses_sample
    assert [s.citation for s in c.explanation.steps if s.rule == "基础养老金"] == ["国发〔2005〕38号 第六条"]


def test_enterprise_pension_with_index_and_delay(calc, official):
    c = calc("enterprise_pension", params=official, today=date(2025, 6, 1), birth_date="1965-03-02", group="male",
             actual_months="300", deemed_months="60", avg_index="0.8", account_balance="50000")
    r = c.result
    assert str(r.retirement_month) == "2025-04" and r.retirement_age == "60周岁1个月"
    # (8400 + 6720)/2 × 30 × 1% = 2268.00; whole_years → 139 months; 50000/139 = 359.71
    assert r.basic_pension == D("2268.00") and r.account_pension == D("359.71") and r.total == D("2627.71")


def test_payout_months_interpolation():
    table = {60: 139, 61: 132}
    assert payout_months(table, 720, "linear") == D(139)
    assert payout_months(table, 722, "linear") == D(138)       # 139 − 7 × 2/12 = 137.83 → 138
    assert payout_months(table, 726, "linear") == D(136)       # 139 − 3.5 = 135.5 → 136 (half up)
    assert payout_months(table, 726, "whole_years") == D(139)


def test_transitional_pension_is_a_regional_plug_in():
    assert {"none", "deemed_years"} <= set(TRANSITIONAL)


def test_shipped_sample_parameters_are_flagged(calc):
    c = calc("enterprise_pension", today=date(2026, 11, 1), birth_date="1966-05-10", group="male",
             actual_months="380", deemed_months="60", avg_index="1.2", account_balance="120000")
    assert c.explanation.uses_sample
    assert any("示例值" in w for w in c.explanation.warnings)
    assert c.result.transitional_pension > 0     # the sample 'deemed_years' plug-in


def test_case_14_extension_until_15_years(calc, official):
    """rules-digest case 14 [003 7.4.4; 000 §64]: 14 years at legal age → not paid yet; paid from the month after
    the 15 years are reached."""
    c = calc("retirement_age", today=date(2025, 1, 1), birth_date="1964-06-15", group="male",
             contribution_months="168")
    assert c.result.contribution_met is False and c.result.months_short == 12
    assert "2025年6月，2025年7月起发放" in c.explanation.steps[-1].result
    e = calc("enterprise_pension", params=official, today=date(2025, 1, 1), birth_date="1964-06-15", group="male",
             actual_months="168", avg_index="1", account_balance="10000")
    assert e.result.eligible is False and e.result.months_short == 12


def test_case_43_provisional_calc_base(calc, official):
    """rules-digest case 43 [000 §71]: this year's 计发基数 unpublished → an error naming it, or on request last
    year's value provisionally, flagged for recomputation."""
    kwargs = dict(params=official, today=date(2027, 3, 1), birth_date="1966-01-10", group="male",
                  actual_months="400", avg_index="1", account_balance="100000", retirement_month="2027-03")
    with pytest.raises(MissingParameter) as err:
        calc("enterprise_pension", **kwargs)
    assert "计发基数" in err.value.user_message and "2027年度" in err.value.user_message
    c = calc("enterprise_pension", allow_provisional="是", **kwargs)
    assert c.result.provisional is True and c.result.calc_base == D(7900)   # 2026 (shipped sample)
    assert any(s.citation == "000 §71" for s in c.explanation.steps)


def test_resident_pension(calc):
    """个人账户养老金 = 储存额 ÷ 139; 基础养老金 = national + regional + long-contribution bonus (samples)."""
    c = calc("resident_pension", today=date(2025, 6, 1), birth_date="1965-04-20", contribution_years="17",
             account_balance="13900")
    r = c.result
    assert str(r.start_month) == "2025-05" and r.eligible
    assert r.account_pension == D("100.00") and r.basic_national == D(143) and r.long_bonus == D("4.00")
    assert r.total == D("277.00")
    assert c.explanation.uses_sample
    young = calc("resident_pension", birth_date="1970-01-01", contribution_years="10", account_balance="1000",
                 start_month="2025-06")
    assert young.result.eligible is False and "不足15年" in young.result.reason


@pytest.mark.parametrize("increase,deduction", [("100", "330.00"), ("0", "300.00")])
def test_case_10_retiree_account_drawdown(calc, increase, deduction):
    """rules-digest case 10 [000 §43]: P0 = 300, B0 = 1000, ΔB = 100 → 330.00; ΔB = 0 → 300.00."""
    c = calc("account_drawdown", account_pension_at_retirement="300", pension_at_retirement="1000",
             total_increase=increase, balance="10000")
    assert c.result.monthly_deduction == D(deduction)
    assert c.explanation.steps[0].citation == "000 §43"
    assert c.result.months_covered == int(D(10000) // D(deduction))


def test_case_12_resident_interest_starts_the_month_after(calc):
    """rules-digest case 12 [001 ch4 L47–L48; 002 §13–§14]: reaches the treasury 15 March → posted in March,
    interest from April; posted only after 31 Dec (rate: sample 记账利率)."""
    r = calc("resident_interest", amount="1200", arrival_date="2025-03-15").result
    assert str(r.posted_month) == "2025-03" and str(r.interest_from) == "2025-04" and r.months == 9
    assert r.interest == D("22.50")          # 1200 × 2.5 % × 9/12
    assert "12月31日" in r.posted_on
    december = calc("resident_interest", amount="1200", arrival_date="2025-12-03").result
    assert december.months == 0 and december.interest == D("0.00")
