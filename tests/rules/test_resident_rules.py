"""城乡居民 transfers, 注销 settlement and the subsidy cap: rules-digest §5 cases 17, 18, 19, 32 and 33, with the
seed citations of the rules (001 ch7 L89–L98, 002 §32–§34; 002 §18, §20, 001 ch6 L87; 001 ch3 L35)."""
from decimal import Decimal

import pytest

from app.rules import ITEM_CALCULATORS, run_calculator
from app.rules.errors import InvalidInput


def calc(name, **raw):
    return run_calculator(name, {k: str(v) for k, v in raw.items()}, region="150102")


# -- case 33: 居民 transfers (001 ch7 L89–L98; 002 §32–§34) ----------------------------------------------------------

def test_case_33_recipient_is_never_transferred():
    r = calc("resident_transfer", receiving="true", move="cross_league", account_balance="8000").result
    assert r.funds == Decimal("0.00") and "不转移" in r.relationship_moves


def test_case_33_within_the_county_only_the_address_changes():
    r = calc("resident_transfer", move="same_county", account_balance="8000").result
    assert r.funds == 0 and "只变更地址" in r.relationship_moves


def test_case_33_within_the_league_relationship_without_funds():
    r = calc("resident_transfer", move="same_league", account_balance="8000").result
    assert r.funds == 0 and r.relationship_moves == "转移关系，不转资金"


def test_case_33_across_leagues_interest_then_the_whole_balance():
    c = calc("resident_transfer", move="cross_league", account_balance="8000", interest="120.5")
    assert c.result.funds == Decimal("8120.50") and c.result.interest == Decimal("120.50")
    assert c.headline() == ("转移资金", Decimal("8120.50"))
    assert "全部资金后方可建立个人账户" in c.result.procedure
    assert any("002 §34" in s.citation for s in c.explanation.steps)


# -- cases 17, 18, 19: 注销 settlement (002 §18, §20; 001 ch6 L87) --------------------------------------------------

def test_case_17_death_settles_the_account_for_the_heir():
    r = calc("resident_deregistration", ground="death", condition_month="2024-03", account_balance="5000").result
    assert r.account == Decimal("5000.00") and r.payee == "指定受益人或法定继承人"


def test_case_18_funeral_grant_only_after_payment_started():
    before = calc("resident_deregistration", ground="death", receiving="false", account_balance="5000",
                  funeral_grant="2000")
    assert before.result.funeral == 0 and before.result.total == Decimal("5000.00")
    assert any("未领取待遇前死亡" in s.text() for s in before.explanation.steps)
    after = calc("resident_deregistration", ground="death", receiving="true", account_balance="5000",
                 funeral_grant="2000")
    assert after.result.funeral == Decimal("2000.00") and after.result.total == Decimal("7000.00")


def test_case_18_other_grounds_settle_the_account_only():
    r = calc("resident_deregistration", ground="other_pension", receiving="true", account_balance="900",
             funeral_grant="2000").result
    assert r.funeral == 0 and r.total == Decimal("900.00") and r.payee == "本人"


def test_case_19_payment_stops_the_month_after():
    r = calc("resident_deregistration", ground="death", condition_month="2024-12", account_balance="1").result
    assert str(r.stop_from) == "2025-01"


def test_recipient_death_without_a_grant_standard_is_asked_for():
    with pytest.raises(InvalidInput) as exc:
        calc("resident_deregistration", ground="death", receiving="true", account_balance="5000")
    assert exc.value.field == "funeral_grant" and "丧葬补助金标准" in exc.value.user_message


# -- case 32: 集体补助 / 社会资助 cap (001 ch3 L35) -------------------------------------------------------------------

def test_case_32_equal_to_the_highest_standard_is_accepted():
    r = calc("resident_subsidy_cap", highest_standard="3000", collective="3000", social_aid="2999.99").result
    assert r.accepted == "未超过上限，可以受理"


@pytest.mark.parametrize("field", ["collective", "social_aid"])
def test_case_32_above_the_highest_standard_is_refused(field):
    with pytest.raises(InvalidInput) as exc:
        calc("resident_subsidy_cap", highest_standard="3000", **{field: "3000.01"})
    assert exc.value.field == field and "超过现行最高缴费标准" in exc.value.user_message


def test_negative_amounts_are_refused():
    with pytest.raises(InvalidInput):
        calc("resident_transfer", move="cross_league", account_balance="-1")


def test_resident_items_offer_the_calculators():
    assert ITEM_CALCULATORS["resident_pension_transfer"] == ("resident_transfer",)
    assert ITEM_CALCULATORS["rural_urban_resident_pension_deregistration"][0] == "resident_deregistration"
