"""Contribution base and amount due (rules-digest §2.1, test cases 1–6 and 9; 004:L6488)."""
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.rules.contribution import clamp_base
from app.rules.errors import InvalidInput, MissingParameter

D = Decimal


@pytest.mark.parametrize("chosen,accepted", [("2999", False), ("3000", True)])
def test_case_01_flexible_worker_base_floor(calc, chosen, accepted):
    """rules-digest case 1 [000 §30]: W = 5000 (fixture); 2999 → reject, 3000 (= 60 %) → accept."""
    c = calc("contribution_base", kind="flexible", declared=chosen, avg_wage="5000", year="2025")
    assert c.result.lower == D(3000) and c.result.accepted is accepted
    assert (c.result.base is None) is (not accepted)
    assert any(s.citation == "000 §30" for s in c.explanation.steps)


@pytest.mark.parametrize("chosen,accepted", [("15000", True), ("15001", False)])
def test_case_02_flexible_worker_base_ceiling(calc, chosen, accepted):
    """rules-digest case 2 [000 §30]: W = 5000; 15000 (= 300 %) → accept, 15001 → reject."""
    c = calc("contribution_base", kind="flexible", declared=chosen, avg_wage="5000", year="2025")
    assert c.result.upper == D(15000) and c.result.accepted is accepted


@pytest.mark.parametrize("declared,base", [("4321.01", "4322"), ("4321.00", "4321")])
def test_case_03_base_rounds_up_to_the_yuan(calc, declared, base):
    """rules-digest case 3 [000 §28]: bounds [3000, 15000]; 4321.01 → 4322, 4321.00 → 4321."""
    c = calc("contribution_base", kind="employee", declared=declared, lower="3000", upper="15000")
    assert c.result.base == D(base)


@pytest.mark.parametrize("declared,base", [("2000", "3000"), ("20000", "15000")])
def test_case_04_base_clamping(calc, declared, base):
    """rules-digest case 4 [000 §28]: 2000 → 3000 (下限), 20000 → 15000 (上限)."""
    c = calc("contribution_base", kind="employee", declared=declared, lower="3000", upper="15000")
    assert c.result.base == D(base)
    assert c.explanation.steps[0].citation == "000 §28"


def test_case_05_amount_due_kept_to_the_fen(calc, official):
    """rules-digest case 5 [000 §28]: 应缴金额 has exactly two decimals; the mode comes from the parameters."""
    c = calc("contribution_base", params=official, kind="employee", declared="4321.37", lower="3000",
             upper="15000", months="3")
    r = c.result
    assert r.base == D(4322)
    assert r.unit_due == D("691.52") and r.person_due == D("345.76")       # 4322 × 16 %, × 8 %
    for amount in (r.unit_due, r.person_due, r.monthly_due, r.total_due):
        assert amount.as_tuple().exponent == -2
    assert r.total_due == D("3111.84")


def test_fen_rounding_mode_is_a_parameter(calc, fixture_dir, tmp_path):
    """000 §28 keeps the amount to the fen without naming the mode: the mode is a parameter, not a literal."""
    from app.rules import load_parameters

    down = tmp_path / "down"
    down.mkdir()
    (down / "mode.yaml").write_text('defaults: {region: "150000", source: 测试}\nparameters:\n'
                                    '  - {key: fen_rounding, from: 2024-01-01, value: DOWN}\n', encoding="utf-8")
    ps = load_parameters(extra_dirs=[fixture_dir, down])
    c = calc("contribution_base", params=ps, kind="flexible", declared="3333", avg_wage="5000", year="2025")
    assert c.result.person_due == D("666.60")     # 3333 × 20 % exactly
    c = calc("contribution_base", params=ps, kind="employee", declared="3333", lower="3000", upper="15000")
    assert c.result.unit_due == D("533.28") and c.result.person_due == D("266.64")


def test_case_06_provisional_base_settlement(calc, official):
    """rules-digest case 6 [000 §29]: after publication the base is recomputed; 清算 = Σ(new due − prepaid)."""
    c = calc("contribution_settlement", params=official, kind="employee", prepaid_base="4000", final_base="4200",
             months="5")
    assert c.result.prepaid_monthly == D("960.00") and c.result.final_monthly == D("1008.00")
    assert c.result.settlement == D("240.00")


def test_case_09_unit_base_is_the_sum_of_staff_bases(calc):
    """rules-digest case 9 [003 7.2.2]: 3000 + 4322 + 15000 → 22322."""
    c = calc("unit_base", staff_bases="3000,4322,15000")
    assert c.result.unit_base == D(22322) and c.result.staff == 3


@pytest.mark.parametrize("total,months,average", [("60006", "12", "5001"), ("60000", "11", "5455"),
                                                  ("54994", "11", "4999")])
def test_average_wage_kept_to_the_yuan(calc, total, months, average):
    """004:L6488: 年度项目内月平均工资 = 工资总额 ÷ 发放月数，平均数保留到元 (mode: parameter, sample HALF_UP)."""
    c = calc("average_wage", total_wages=total, months=months)
    assert c.result.average == D(average)
    assert c.explanation.steps[0].citation == "004:L6488"


def test_bounds_from_the_average_wage_parameter(calc, official):
    c = calc("contribution_base", params=official, kind="employee", declared="100", year="2025")
    assert (c.result.lower, c.result.upper, c.result.base) == (D(3000), D(15000), D(3000))
    assert any(p.key == "avg_wage_monthly" and p.period == "2024年度" for p in c.explanation.params)


def test_missing_average_wage_names_the_parameter_and_year(calc):
    with pytest.raises(MissingParameter) as err:
        calc("contribution_base", kind="employee", declared="5000", year="2019")
    message = err.value.user_message
    assert "全口径城镇单位就业人员月平均工资" in message and "2018年度" in message and "000 §29" in message


@pytest.mark.parametrize("declared", ["-1", "abc", "12.345"])
def test_bad_amounts_are_refused_in_chinese(calc, declared):
    with pytest.raises(InvalidInput) as err:
        calc("contribution_base", kind="employee", declared=declared, lower="3000", upper="15000")
    assert err.value.field == "declared" and "申报工资" in err.value.user_message


money = st.decimals(min_value=0, max_value=10**7, places=2, allow_nan=False, allow_infinity=False)


@given(money, st.integers(min_value=1, max_value=50000), st.integers(min_value=0, max_value=50000))
def test_clamping_is_idempotent(declared, lower, span):
    """Property: clamping an already clamped base changes nothing, and the base stays within the bounds."""
    lo, hi = D(lower), D(lower + span)
    once = clamp_base(declared, lo, hi)
    assert clamp_base(once, lo, hi) == once
    assert lo <= once <= hi and once == once.to_integral_value()


@pytest.mark.parametrize("start,end,flag", [("2024-07", "2024-12", False), ("2024-06", "2024-12", True)])
def test_case_08_abnormal_unit(calc, start, end, flag):
    """rules-digest case 8 [000 §33]: 6 consecutive months in arrears → not eligible for the flag; 7 → eligible."""
    r = calc("arrears_flag", arrears_from=start, arrears_to=end).result
    assert r.may_flag is flag and r.months == (6 if not flag else 7)
