"""Statutory retirement age and month (全国人大常委会 2024 决定 and 办法; ../shared/notes/domain.md): boundary birth
months of all three groups, people born before the reform, flexible retirement, minimum contribution years."""
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.months import Month
from app.rules.retirement import min_contribution_months, statutory_retirement

RULES_2025 = {
    "male": {"original_age": 60, "target_age": 63, "start_birth": "1965-01", "step_birth_months": 4},
    "female_cadre": {"original_age": 55, "target_age": 58, "start_birth": "1970-01", "step_birth_months": 4},
    "female_worker": {"original_age": 50, "target_age": 55, "start_birth": "1975-01", "step_birth_months": 2},
}


def _facts(group, born):
    return statutory_retirement(Month.parse(born), group, RULES_2025)


@pytest.mark.parametrize("group,born,age_months,month", [
    # men 60 → 63, one month per 4 birth months from 1965-01
    ("male", "1964-12", 720, "2024-12"),        # born before the reform: 60, no delay
    ("male", "1960-05", 720, "2020-05"),        # long before the reform
    ("male", "1965-01", 721, "2025-02"),        # official example: 60岁1个月, 2025年2月
    ("male", "1965-04", 721, "2025-05"),
    ("male", "1965-05", 722, "2025-07"),
    ("male", "1976-08", 755, "2039-07"),        # 35 months of delay
    ("male", "1976-09", 756, "2039-09"),        # cap reached: 63
    ("male", "1990-01", 756, "2053-01"),
    # women cadre 55 → 58 from 1970-01
    ("female_cadre", "1969-12", 660, "2024-12"),
    ("female_cadre", "1970-01", 661, "2025-02"),
    ("female_cadre", "1970-04", 661, "2025-05"),
    ("female_cadre", "1970-05", 662, "2025-07"),
    ("female_cadre", "1981-08", 695, "2039-07"),
    ("female_cadre", "1981-09", 696, "2039-09"),
    # women workers 50 → 55, one month per 2 birth months from 1975-01
    ("female_worker", "1974-12", 600, "2024-12"),
    ("female_worker", "1975-01", 601, "2025-02"),
    ("female_worker", "1975-02", 601, "2025-03"),
    ("female_worker", "1975-03", 602, "2025-05"),
    ("female_worker", "1984-10", 659, "2039-09"),
    ("female_worker", "1984-11", 660, "2039-11"),   # cap reached: 55
    ("female_worker", "1995-06", 660, "2050-06"),
])
def test_statutory_retirement_boundaries(group, born, age_months, month):
    """延迟退休办法 第二条: boundary birth months of the three groups, including people born before the reform."""
    facts = _facts(group, born)
    assert facts.age_months == age_months
    assert str(facts.month) == month


@given(st.sampled_from(list(RULES_2025)), st.integers(min_value=1940 * 12, max_value=2010 * 12))
def test_retirement_age_monotone_in_birth_month(group, index):
    """Property: a later birth month never retires younger, and always retires later."""
    a, b = Month.from_index(index), Month.from_index(index + 1)
    fa, fb = statutory_retirement(a, group, RULES_2025), statutory_retirement(b, group, RULES_2025)
    assert fb.age_months >= fa.age_months
    assert fb.month > fa.month
    assert fa.original_age_months <= fa.age_months <= int(RULES_2025[group]["target_age"]) * 12


@pytest.mark.parametrize("year,months", [(2025, 180), (2029, 180), (2030, 186), (2031, 192), (2035, 216),
                                         (2039, 240), (2045, 240)])
def test_min_contribution_years(year, months):
    """延迟退休办法 第四条: 15 years until 2029, then +6 months a year from 2030 up to 20 years."""
    rule = {"base_months": 180, "until_year": 2029, "step_months": 6, "max_months": 240}
    assert min_contribution_months(year, rule) == months


def test_retirement_calculator_explains_the_rule(calc):
    c = calc("retirement_age", birth_date="1965-01-10", group="male", contribution_months="170")
    r = c.result
    assert str(r.statutory_month) == "2025-02" and r.delay_months == 1 and r.statutory_age == "60周岁1个月"
    assert r.min_contribution_months == 180 and r.months_short == 10 and r.contribution_met is False
    assert c.explanation.steps[0].citation.startswith("延迟退休决定")
    assert any("000 §64" in s.citation for s in c.explanation.steps)   # extension until 15 years, paid the month after
    assert "2026年1月起发放" in c.explanation.steps[-1].result


def test_rules_in_force_on_the_day_decide(calc):
    """Effective dating: asked with a day before 2025-01-01, the old rule (no delay) is in force."""
    before = calc("retirement_age", today=date(2024, 6, 1), birth_date="1966-01-10", group="male")
    after = calc("retirement_age", today=date(2025, 6, 1), birth_date="1966-01-10", group="male")
    assert before.result.delay_months == 0 and str(before.result.statutory_month) == "2026-01"
    assert after.result.delay_months == 4 and str(after.result.statutory_month) == "2026-05"


def test_flexible_retirement_window(calc):
    """延迟退休办法 第三条: up to 3 years earlier (not below the original age, minimum years met) or later."""
    c = calc("retirement_age", birth_date="1976-09-01", group="male", contribution_months="300", chosen_month="2036-09")
    assert str(c.result.earliest_flexible) == "2036-09"      # 63 − 3 = 60 = original age
    assert str(c.result.latest_flexible) == "2042-09"
    assert c.result.chosen_allowed is True
    too_early = calc("retirement_age", birth_date="1976-09-01", group="male", contribution_months="300",
                     chosen_month="2036-08")
    assert too_early.result.chosen_allowed is False and "早于" in too_early.result.chosen_reason
    worker = calc("retirement_age", birth_date="1990-03-01", group="female_worker")
    assert str(worker.result.earliest_flexible) == "2042-03"  # 55 − 3 = 52 > 50
    short = calc("retirement_age", birth_date="1976-09-01", group="male", contribution_months="100",
                 chosen_month="2037-01")
    assert short.result.chosen_allowed is False and "最低缴费年限" in short.result.chosen_reason


def test_birth_after_the_day_is_refused(calc):
    from app.rules.errors import InvalidInput

    with pytest.raises(InvalidInput) as err:
        calc("retirement_age", birth_date="2030-01-01", group="male")
    assert "出生日期" in err.value.user_message and err.value.field == "birth_date"


@pytest.mark.parametrize("insured,extended,offered", [("2005-03-01", "60", True), ("2005-03-01", "48", False),
                                                      ("2012-03-01", "60", False)])
def test_case_15_lump_sum_top_up_gate(calc, insured, extended, offered):
    """rules-digest case 15 [003 7.4.4]: insured before the law, 5 years of extension done, still < 15 → lump sum
    offered; after 4 years → not; insured after the law → not by this rule."""
    r = calc("extension_options", birth_date="1960-03-01", group="male", contribution_months="150",
             insured_date=insured, extension_months=extended).result
    assert r.months_short == 30 and r.can_extend and r.lump_sum_offered is offered
