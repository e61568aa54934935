"""Unemployment benefit from seed 004 (004:L14383–L14420)."""
from datetime import date
from decimal import Decimal

import pytest

from app.rules.unemployment import entitled_months, first_benefit_month

D = Decimal
TABLE = {1: 2, 2: 4, 3: 8, 4: 12, 5: 14, 6: 15, 7: 16, 8: 17, 9: 18, 10: 24}


@pytest.mark.parametrize("months,entitled", [(11, 0), (12, 2), (23, 2), (24, 4), (36, 8), (48, 12), (60, 14),
                                             (72, 15), (84, 16), (96, 17), (108, 18), (120, 24), (300, 24)])
def test_months_by_contribution_years(months, entitled):
    """004:L14403–L14404: 缴费年限 1…10 → 享受月数 2 4 8 12 14 15 16 17 18 24."""
    assert entitled_months(months, TABLE) == entitled


@pytest.mark.parametrize("day,month", [(date(2025, 3, 1), "2025-03"), (date(2025, 3, 15), "2025-03"),
                                       (date(2025, 3, 16), "2025-04"), (date(2025, 12, 31), "2026-01")])
def test_application_window_1st_to_15th(day, month):
    """004:L14416, 004:L14420: 15日之前申请的当月审核发放，之后的次月审核发放."""
    assert str(first_benefit_month(day, {"first_day": 1, "last_day": 15})) == month


def _run(calc, **kw):
    base = dict(contribution_months="30", involuntary="是", registered="是", birth_date="1985-05-01", group="male",
                application_date="2025-03-10")
    base.update(kw)
    return calc("unemployment_benefit", **base)


def test_base_amounts_and_heating_allowance(calc):
    """004:L14411: 1782 元/月 for months 1–12; heating 80 元/月 in the 1st and 4th quarters."""
    c = _run(calc)
    r = c.result
    assert r.eligible and r.entitled_months == 4 and str(r.first_month) == "2025-03" and str(r.last_month) == "2025-06"
    assert r.first_period_amount == D("1782.00") and r.supplement == "0%"
    assert [row[3] for row in r.schedule] == [D("80.00"), D("0.00"), D("0.00"), D("0.00")]   # March is in Q1
    assert r.benefit_total == D("7128.00") and r.heating_total == D("80.00") and r.total == D("7208.00")
    assert r.feedback_due == date(2025, 3, 24)       # 10 working days (004:L14420)
    assert not any(p.sample for p in c.explanation.params if p.key.startswith("unemployment"))


@pytest.mark.parametrize("kw,first,later,rate", [
    (dict(contribution_months="130", birth_date="1970-01-01"), "2138.40", "1900.80", "20%"),   # ≥10 years, man ≥ 50
    (dict(couple_unemployed="是"), "1924.56", "1710.72", "8%"),
    (dict(contribution_months="130", birth_date="1970-01-01", couple_unemployed="是"), "2280.96", "2027.52", "28%"),
    (dict(contribution_months="130", birth_date="1976-01-01"), "1782.00", "1584.00", "0%"),    # man only 49
    (dict(contribution_months="130", birth_date="1979-06-01", group="female_worker"), "2138.40", "1900.80", "20%"),
])
def test_supplements(calc, kw, first, later, rate):
    """004:L14410–L14412: +20 % (10 years and man 50 / woman 45), +8 % (both spouses), +28 % (both)."""
    r = _run(calc, **kw).result
    assert (r.first_period_amount, r.later_amount, r.supplement) == (D(first), D(later), rate)


def test_month_13_onward_uses_the_lower_standard(calc):
    r = _run(calc, contribution_months="120", application_date="2025-01-05").result   # 24 months from 2025-01
    assert r.entitled_months == 24
    amounts = [row[2] for row in r.schedule]
    assert amounts[:12] == [D("1782.00")] * 12 and amounts[12:] == [D("1584.00")] * 12
    assert r.heating_months == 12     # Q1 + Q4 of 2025 and 2026
    assert r.total == D("1782.00") * 12 + D("1584.00") * 12 + D("80.00") * 12


def test_continue_until_retirement(calc):
    """004:L14406: at the end of the period less than 1 year before the statutory age → paid until that age."""
    r = _run(calc, birth_date="1966-01-10", contribution_months="60", application_date="2025-03-10").result
    # statutory: 1966-01 + 60y4m = 2026-05; 14 months 2025-03..2026-04 → 1 month short of 2026-05
    assert r.entitled_months == 14 and r.extended_months == 1 and str(r.last_month) == "2026-05"
    r2 = _run(calc, birth_date="1967-01-10", contribution_months="60", application_date="2025-03-10").result
    assert r2.extended_months == 0 and str(r2.last_month) == "2026-04"


def test_benefit_stops_at_retirement_within_the_period(calc):
    c = calc("unemployment_benefit", today=date(2025, 6, 1), contribution_months="120", involuntary="是",
             registered="是", birth_date="1965-09-10", group="male", application_date="2025-06-01")
    # statutory 2025-12 (60y3m); benefit months 2025-06..2025-12 only
    assert str(c.result.last_month) == "2025-12" and c.result.entitled_months == 7


@pytest.mark.parametrize("kw,reason", [(dict(contribution_months="11"), "缴费不满"),
                                       (dict(involuntary="否"), "非因本人意愿"),
                                       (dict(registered="否"), "失业登记")])
def test_eligibility(calc, kw, reason):
    """004:L14383–L14387: 缴费满1年, 非因本人意愿中断就业, 已办理失业登记."""
    r = _run(calc, **kw).result
    assert r.eligible is False and reason in r.reason and r.total == D("0.00")
