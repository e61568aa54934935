"""Transfers (004:L6685), deemed months and overlap refunds (004:L5802, 004:L5804), duplicate relationships
(000 §36, case 35), back pay and 冒领 (cases 19, 22, 23) and recovery offsets (002 §29 case 20, 000 §98 case 21)."""
from decimal import Decimal

import pytest

from app.rules.errors import InvalidInput

D = Decimal


def test_004_L6685_transfer_fund_12_percent(calc):
    """004:L6685: 以本人改革后各年度实际缴费工资为基数，按12%的总和转移基金；不足1年按实际缴费月数."""
    c = calc("transfer_fund", scope="cross_pool", year_bases="2023:5000:12,2024:6000:5", account_balance="30000")
    r = c.result
    assert r.pooled_fund == D("10800.00")           # (5000×12 + 6000×5) × 12 %
    assert r.account == D(30000) and r.total == D("40800.00") and r.contribution_months == 17
    assert c.explanation.steps[0].citation == "004:L6685"


def test_transfer_within_the_pool_moves_no_funds(calc):
    """004:L6685 / 000 §54 / case 34: same pool → relationship only, no fund record."""
    r = calc("transfer_fund", scope="same_pool", year_bases="2023:5000:12", account_balance="30000").result
    assert r.pooled_fund == D(0) and r.total == D(0)


def test_transfer_input_checked(calc):
    with pytest.raises(InvalidInput) as err:
        calc("transfer_fund", scope="cross_pool", year_bases="2023:5000:13")
    assert "1–12" in err.value.user_message


def test_004_L5802_deemed_months_and_L5804_overlap_refund(calc):
    """004:L5802: months computed from start and end; 004:L5804: overlapping actual contributions are refunded."""
    c = calc("deemed_months", deemed_from="1985-03", deemed_to="1995-12",
             actual_periods="1995-07~1998-12:120, 1999-01~2000-06:150")
    r = c.result
    assert r.deemed_months == 130 and r.overlap_months == 6 and r.refund == D("720")
    assert r.counted_months == 130 + 42 + 18 - 6
    assert [s.citation for s in c.explanation.steps] == ["004:L5802", "004:L5804；004:L8466"]


def test_deemed_months_refuses_reversed_period(calc):
    with pytest.raises(InvalidInput):
        calc("deemed_months", deemed_from="1995-03", deemed_to="1985-12")


def test_case_35_duplicate_relationships(calc):
    """rules-digest case 35 [000 §36]: exactly one relationship kept; the cleared balances are refunded."""
    r = calc("duplicate_refund", balances="12000.50,3000,800", keep="1").result
    assert r.refund == D("3800.00") and [row[2] for row in r.rows].count("保留") == 1


@pytest.mark.parametrize("overpaid,offset,recover,payable", [("900", "800", "100", "0"), ("600", "600", "0", "200")])
def test_case_20_recovery_offset_songshan(calc, overpaid, offset, recover, payable):
    """rules-digest case 20 [002 §29; 001 ch5 L77]: X = 900, A = 500, F = 300 → offset 800, 追缴 100;
    X = 600 → fully offset, 200 paid to the beneficiary."""
    c = calc("recovery_offset", region="150404", scheme="resident", overpaid=overpaid, account="500", funeral="300")
    r = c.result
    assert (r.offset, r.to_recover, r.payable) == (D(offset), D(recover), D(payable))
    assert any(p.key == "recovery_offset_order" and p.region == "150404" and "002 §29" in p.source
               for p in c.explanation.params)


def test_case_21_employee_recovery_in_instalments(calc):
    """rules-digest case 21 [000 §98]: funeral benefit, account, then resumed pension in instalments."""
    r = calc("recovery_offset", scheme="employee", overpaid="5000", account="1000", funeral="1500",
             instalment="800").result
    assert r.instalment_months == 4 and r.last_instalment == D("100.00") and r.to_recover == D(0)
    assert [row[1] for row in r.rows][:2] == ["丧葬补助金（丧葬待遇）", "个人账户余额"]


def test_case_22_suspend_verify_back_pay(calc):
    """rules-digest case 22 [001 ch5 L75; 002 §27]: suspended M..M+2, verified in M+3 → resume + 3 months back pay."""
    r = calc("back_pay", monthly_amount="250", suspended_from="2025-01", suspended_to="2025-03",
             outcome="eligible").result
    assert r.back_pay_months == 3 and r.back_pay == D(750) and str(r.resume_month) == "2025-04"


def test_case_23_verified_dead_no_back_pay(calc):
    """rules-digest case 23 [002 §18, §27, §29]: dead in M−1 → no back pay; 冒领 = payments for months ≥ M."""
    none = calc("back_pay", monthly_amount="250", suspended_from="2025-01", suspended_to="2025-03",
                outcome="ineligible", death_month="2024-12").result
    assert none.back_pay == D(0) and none.overpaid == D(0) and str(none.last_entitled) == "2024-12"
    some = calc("back_pay", monthly_amount="250", suspended_from="2025-03", suspended_to="2025-05",
                outcome="ineligible", death_month="2024-12", paid_through="2025-02").result
    assert some.overpaid_months == 2 and some.overpaid == D(500)


def test_case_19_stop_month(calc):
    """rules-digest case 19 [002 §18]: death in M → last paid month M; payments for M+1 onward are 冒领."""
    r = calc("back_pay", monthly_amount="300", suspended_from="2025-06", suspended_to="2025-06",
             outcome="ineligible", death_month="2025-03", paid_through="2025-05").result
    assert str(r.last_entitled) == "2025-03" and r.overpaid_months == 2
