"""The certification rules without a database: cadence boundaries in both regional rules (内蒙古 calendar year,
山西 rolling 12 months), the three lists, suspension, termination, resumption with back pay from the rules engine,
missing > 6 months, the yearly report's reasons and due date, the monthly death/custody report."""
from datetime import date
from decimal import Decimal

import pytest

from app.certification.config import CertificationSettings, RegionOverride
from app.certification.reports import monthly_csv, monthly_loss_report, yearly_csv, yearly_report
from app.certification.rules import (RULES, Cadence, Certification, LossEvent, LossKind, Method, Pensioner,
                                     ResultList, classify, next_deadline, plan_resumption, plan_status_changes,
                                     plan_termination, result_lists, standing)
from app.rules.months import Month

pytestmark = pytest.mark.integration

IM, SONGSHAN, SHANXI = "150102", "150404", "140105"


def person(region=IM, start=date(2015, 6, 1), certs=(), losses=(), amount="200.00", suspended=None, ssn="P1",
           reason=""):
    return Pensioner(ssn, "乌兰", region, start, "resident", Decimal(amount) if amount else None,
                     tuple(Certification(d, Method.face_kiosk) for d in certs), tuple(losses),
                     Month.parse(suspended) if suspended else None, False, reason)


# --- cadence ---------------------------------------------------------------------------------------------------------

def test_rule_lookup_by_region():
    assert RULES.rule_for(IM).cadence is Cadence.calendar_year
    assert RULES.rule_for(SONGSHAN).report_due == (11, 30)
    assert RULES.rule_for(SHANXI).cadence is Cadence.rolling_12
    assert RULES.rule_for("440300").cadence is Cadence.calendar_year  # default


def test_inner_mongolia_calendar_year_boundaries():
    """Digest case 25: last certified 2021-03 → must certify in 2022, by 2022-12-31 [000 §78, §9]."""
    p = person(certs=[date(2021, 3, 15)])
    assert next_deadline(RULES.rule_for(IM), date(2021, 3, 15)) == date(2022, 12, 31)
    assert not standing(p, date(2022, 12, 31)).overdue  # the last day still counts
    late = standing(p, date(2023, 1, 1))
    assert late.overdue and late.suspend_from == Month(2023, 1) and late.days_left == -1
    assert classify(p, 2022, date(2023, 1, 1)).list is ResultList.to_verify
    assert classify(p, 2021, date(2023, 1, 1)).list is ResultList.eligible
    # certified on 12-31 of the year counts for that year; 01-01 counts for the next one
    assert classify(person(certs=[date(2022, 12, 31)]), 2022, date(2023, 1, 5)).list is ResultList.eligible
    assert classify(person(certs=[date(2023, 1, 1)]), 2022, date(2023, 1, 5)).list is ResultList.to_verify


def test_inner_mongolia_start_year_is_covered_by_the_approval():
    p = person(start=date(2022, 11, 1))
    assert classify(p, 2022, date(2022, 12, 1)).list is ResultList.eligible
    assert standing(p, date(2023, 12, 31)).overdue is False
    assert standing(p, date(2024, 1, 1)).overdue is True


def test_shanxi_rolling_twelve_months_boundaries():
    """Digest case 26: retired 2021-05 → due by 2022-05; certified 2022-02 → next due by 2023-02 [003 9.6.1]."""
    retired = person(region=SHANXI, start=date(2021, 5, 1))
    st = standing(retired, date(2022, 5, 31))
    assert st.deadline == date(2022, 5, 31) and not st.overdue
    st = standing(retired, date(2022, 6, 1))
    assert st.overdue and st.suspend_from == Month(2022, 6)
    certified = person(region=SHANXI, start=date(2021, 5, 1), certs=[date(2022, 2, 10)])
    assert standing(certified, date(2023, 2, 28)).deadline == date(2023, 2, 28)
    assert not standing(certified, date(2023, 2, 28)).overdue
    assert standing(certified, date(2023, 3, 1)).overdue
    # the same person under the calendar-year rule would have until 2023-12-31: the regions differ
    assert standing(person(start=date(2021, 5, 1), certs=[date(2022, 2, 10)]), date(2023, 3, 1)).overdue is False


def test_shanxi_leap_year_and_year_end():
    p = person(region=SHANXI, certs=[date(2023, 2, 5)])
    assert standing(p, date(2024, 2, 29)).deadline == date(2024, 2, 29)
    p = person(region=SHANXI, certs=[date(2023, 12, 31)])
    assert standing(p, date(2024, 1, 1)).deadline == date(2024, 12, 31)


def test_region_override_switches_the_cadence():
    book = CertificationSettings(regions={"150102": RegionOverride(cadence="rolling_12")}).rule_book()
    p = person(certs=[date(2022, 2, 10)])
    assert standing(p, date(2023, 3, 1), book).overdue
    assert not standing(p, date(2023, 3, 1)).overdue
    assert book.rule_for("150103").cadence is Cadence.calendar_year


# --- lists -----------------------------------------------------------------------------------------------------------

def test_three_lists_with_reasons():
    """Digest case 27: comparison alive → 具备资格; death → 丧失资格; nothing → 待核实 [000 §82; 003 9.6.5]."""
    alive = Pensioner("A", "甲", IM, date(2010, 1, 1), certifications=(Certification(date(2024, 3, 1),
                                                                                      Method.data_comparison),))
    dead = person(ssn="B", losses=[LossEvent(LossKind.death, date(2024, 5, 2))], certs=[date(2024, 1, 10)])
    silent = person(ssn="C", certs=[date(2023, 6, 1)], reason="上门未找到本人（2024-09-01）")
    lists = result_lists([alive, dead, silent], 2024, date(2024, 12, 31))
    assert [c.ssn for c in lists[ResultList.eligible]] == ["A"]
    assert lists[ResultList.eligible][0].method is Method.data_comparison
    assert [c.ssn for c in lists[ResultList.lost]] == ["B"] and "死亡" in lists[ResultList.lost][0].reason
    assert [c.ssn for c in lists[ResultList.to_verify]] == ["C"]
    assert lists[ResultList.to_verify][0].reason == "上门未找到本人（2024-09-01）"


def test_missing_counts_only_after_six_months():
    """004:L9528: 下落不明超过6个月 → 停发."""
    since = date(2024, 1, 15)
    p = person(certs=[date(2024, 1, 2)], losses=[LossEvent(LossKind.missing, since)])
    assert classify(p, 2024, date(2024, 7, 15)).list is ResultList.eligible
    assert classify(p, 2024, date(2024, 7, 16)).list is ResultList.lost
    assert plan_status_changes([p], date(2024, 7, 15)) == []
    change, = plan_status_changes([p], date(2024, 8, 1))
    assert change.action == "suspend" and change.from_month == Month(2024, 8) and "004:L9528" in change.citation


# --- suspension, termination, resumption ---------------------------------------------------------------------------

def test_suspension_when_the_deadline_passes():
    p = person(certs=[date(2021, 3, 1)])
    assert plan_status_changes([p], date(2022, 12, 31)) == []
    change, = plan_status_changes([p], date(2023, 1, 1))
    assert change.action == "suspend" and change.from_month == Month(2023, 1)
    assert "2022-12-31" in change.reason
    # already suspended: nothing more to do
    assert plan_status_changes([person(certs=[date(2021, 3, 1)], suspended="2023-01")], date(2023, 5, 1)) == []


def test_shanxi_suspension_notifies_unit_and_relatives():
    change, = plan_status_changes([person(region=SHANXI, start=date(2021, 5, 1))], date(2022, 6, 1))
    assert change.notify == ("所在单位或街道（社区）", "亲属") and change.from_month == Month(2022, 6)


def test_death_terminates_rather_than_suspends():
    """Digest case 24: death → terminated (not suspended); custody → suspended."""
    dead = person(losses=[LossEvent(LossKind.death, date(2024, 3, 3))], certs=[date(2024, 1, 1)])
    jailed = person(ssn="J", losses=[LossEvent(LossKind.imprisonment, date(2024, 3, 3))], certs=[date(2024, 1, 1)])
    by = {c.ssn: c for c in plan_status_changes([dead, jailed], date(2024, 4, 10))}
    assert by["P1"].action == "terminate" and by["P1"].from_month == Month(2024, 4)
    assert by["J"].action == "suspend"


def test_resumption_back_pays_the_suspended_months():
    """Digest case 22: suspended M..M+2, verified eligible in M+3 → resume from M+3 and 补发 3 months, computed by the
    rules engine's back_pay calculator [001 ch5 L75; 002 §27]."""
    p = person(suspended="2024-01", amount="215.50")
    r = plan_resumption(p, date(2024, 4, 18))
    assert r.resume_month == Month(2024, 4) and r.back_pay_months == 3 and r.back_pay == Decimal("646.50")
    assert r.explanation and "001 ch5 L75" in r.explanation[0]["citation"]
    assert plan_resumption(person(), date(2024, 4, 18)) is None  # not suspended
    same = plan_resumption(p, date(2024, 1, 20))  # certified in the first suspended month
    assert same.back_pay_months == 0 and same.resume_month == Month(2024, 1)
    unknown = plan_resumption(person(suspended="2024-01", amount=None), date(2024, 4, 1))
    assert unknown.back_pay_months == 3 and unknown.back_pay is None


def test_termination_computes_the_overpayment():
    """Digest case 23 / 19: died in M-1 → last entitled month = month of death; payments after it are 冒领."""
    t = plan_termination(person(amount="300.00"), date(2024, 2, 10), Month(2024, 5))
    assert t.last_entitled == Month(2024, 2) and t.overpaid_months == 3 and t.overpaid == Decimal("900.00")
    assert t.stop_from == Month(2024, 6)
    none = plan_termination(person(amount="300.00"), date(2024, 5, 10), Month(2024, 5))
    assert none.overpaid_months == 0 and none.overpaid == Decimal("0.00")


# --- reports ---------------------------------------------------------------------------------------------------------

def test_yearly_report_needs_a_reason_for_every_uncertified_person():
    """Digest case 28 / 002 §26: certified, uncertified with reasons; due 11-30; warning when late."""
    people = [person(ssn="A", region=SONGSHAN, certs=[date(2024, 5, 1)]),
              person(ssn="B", region=SONGSHAN, certs=[date(2023, 5, 1)]),
              person(ssn="C", region=SONGSHAN, certs=[date(2023, 5, 1)], reason="已迁居至包头市，转异地协查认证")]
    rep = yearly_report(people, region=SONGSHAN, year=2024, as_of=date(2024, 11, 20))
    assert rep.due == date(2024, 11, 30)
    assert [r.ssn for r in rep.certified] == ["A"] and [r.ssn for r in rep.uncertified] == ["B", "C"]
    assert not rep.submittable and [r.ssn for r in rep.missing_reasons] == ["B"]
    assert any("还剩10天" in w for w in rep.warnings())
    ok = yearly_report(people, region=SONGSHAN, year=2024, as_of=date(2024, 12, 1), reasons={"B": "长期住院"})
    assert ok.submittable and ok.overdue and any("逾期" in w for w in ok.warnings())
    assert "长期住院" in yearly_csv(ok)
    done = yearly_report(people, region=SONGSHAN, year=2024, as_of=date(2024, 12, 1), reasons={"B": "长期住院"},
                         submitted=True)
    assert not done.overdue


def test_monthly_death_and_custody_report():
    events = [
        {"ssn": "150102194501011234", "name": "甲", "kind": "death", "on": "2024-03-02", "source": "field",
         "recorded_on": "2024-03-05"},
        {"ssn": "150102194501011234", "name": "甲", "kind": "death", "on": "2024-03-02", "source": "counter",
         "recorded_on": "2024-03-09"},  # the same death told twice: one row
        {"ssn": "150102195001011234", "name": "乙", "kind": "imprisonment", "on": "2024-02-20",
         "source": "counter", "recorded_on": "2024-03-01"},
        {"ssn": "150102195501011234", "name": "丙", "kind": "missing", "on": "2023-01-01", "source": "field",
         "recorded_on": "2024-03-01"},  # not a monthly-report kind
        {"ssn": "150102196001011234", "name": "丁", "kind": "death", "on": "2024-02-27", "source": "field",
         "recorded_on": "2024-02-28"},  # another month
    ]
    rows = monthly_loss_report(events, "2024-03")
    assert [(r.name, r.kind, r.source) for r in rows] == [("甲", "death", "field"), ("乙", "imprisonment", "counter")]
    text = monthly_csv(rows, "2024-03")
    assert "150102194501011234" in text and "2024-03-02" in text and "上门认证" in text
