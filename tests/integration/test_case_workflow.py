"""Intake outcomes and later transitions on a real store: 一次性告知 → 补正 → 受理, 不予受理, review chains,
deadlines with paused time, optimistic concurrency (rules-digest cases 29–31)."""
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from app.calendar import load_calendar
from app.cases.service import Actor, CaseService, IntakeOutcome, MaterialState, StaleCase
from app.catalog import load_catalog
from app.catalog.model import LimitKind, TimeLimit
from app.errors import ValidationFailed
from app.ids import make_id_number
from app.security.audit import verify_chain
from app.store import open_store
from app.store.models import CaseEvent, OutboxMessage
from app.workflow.deadlines import StatusSpan, Urgency, compute_deadline
from app.workflow.machine import Action, Status, WorkflowError

A = Actor("A", "甲", "受理员", "T01", "150102", ("受理员",))
B = Actor("B", "乙", "审核员", "T02", "150102", ("审核员",))
C = Actor("C", "丙", "复核员", "T03", "150102", ("复核员",))
D = Actor("D", "丁", "审批人", "T04", "150102", ("审批人",))
AB = Actor("A", "甲", "受理员", "T01", "150102", ("受理员", "审核员"))
CHANGE = "ent_employee_personal_info_change"
ENROL = "resident_pension_enrolment"
SSN = make_id_number("150102", date(1975, 3, 9), 31, True)


@pytest.fixture
def svc(tmp_path):
    return CaseService(open_store(tmp_path / "data"), load_catalog())


def _all(svc, item_code, state=MaterialState.present):
    return {m.code: state.value for m in svc.catalog.get(item_code).materials}


def _confirm(svc, item_code):
    return {i: True for i in range(len(svc.catalog.get(item_code).conditions))}


def _change_form(level):
    return {"ssn": SSN, "name": "巴特尔", "phone": "13904711234", "change_level": level, "change_reason": "户籍更正"}


def test_missing_two_of_three_gives_one_notice_then_resumes(svc):
    mats = {"id_document": "present", "hukou_book": "missing", "enrolment_form": "missing"}
    form = {"ssn": SSN, "name": "巴特尔", "phone": "13904711234", "enrolment_date": "2026-11-25"}
    r = svc.intake(ENROL, form, mats, A, confirmed=_confirm(svc, ENROL))
    assert r.outcome is IntakeOutcome.correction and r.case.status == "correction"
    assert [m.code for m in r.missing] == ["hukou_book", "enrolment_form"]  # both, in one notice (000 §20)
    with pytest.raises(ValidationFailed) as err:  # still incomplete
        svc.act(r.case.case_id, Action.resume, A, materials={"hukou_book": "present"})
    assert "《内蒙古城乡居民基本养老保险参保登记表》" in err.value.user_message
    view = svc.act(r.case.case_id, Action.resume, A, materials={"hukou_book": "present", "enrolment_form": "present"})
    assert view.status == "accepted" and view.accepted_on


def test_ineligible_is_refused_with_reason_and_citation(svc):
    young = make_id_number("150102", date(2011, 1, 1), 3, False)
    form = {"ssn": young, "name": "小明", "phone": "13904711234", "enrolment_date": "2026-11-25"}
    r = svc.intake(ENROL, form, _all(svc, ENROL), A, confirmed=_confirm(svc, ENROL))
    assert r.outcome is IntakeOutcome.refused and r.case.status == "refused"
    assert "年满16周岁" in r.reasons[0].reason and r.reasons[0].citation.startswith("004:L1628")
    assert r.case.payload["refusal"][0]["citation"].startswith("004:L1628")


def test_clerk_can_declare_a_condition_unmet_and_must_confirm_the_rest(svc):
    form = {"ssn": SSN, "name": "巴特尔", "phone": "13904711234", "enrolment_date": "2026-11-25"}
    with pytest.raises(ValidationFailed) as err:
        svc.intake(ENROL, form, _all(svc, ENROL), A)
    assert err.value.field == "conditions"
    r = svc.intake(ENROL, form, _all(svc, ENROL), A, confirmed={**_confirm(svc, ENROL), 1: False})
    assert r.outcome is IntakeOutcome.refused and "经办人核实不符合" in r.reasons[0].reason


def test_person_record_decides_insurance_predicates(svc):
    form = {"ssn": SSN, "name": "巴特尔", "phone": "13904711234", "enrolment_date": "2026-11-25"}
    person = {"region_code": "150102", "insurances": [{"scheme": "企业职工基本养老保险", "status": "参保缴费"}]}
    r = svc.intake(ENROL, form, _all(svc, ENROL), A, person=person, confirmed=_confirm(svc, ENROL))
    assert r.outcome is IntakeOutcome.refused and "不能重复参保" in r.reasons[0].reason


def test_online_only_item_refused_offline(svc):
    item = next(i for i in svc.catalog.items if i.offline.policy.value == "online_only")
    with pytest.raises(ValidationFailed) as err:
        svc.intake(item.code, {}, {}, A, online=False)
    assert "须联网办理" in err.value.user_message


def test_conditional_material_and_stages_follow_the_form(svc):
    r = svc.intake(CHANGE, _change_form("关键信息"), {}, A, confirmed=_confirm(svc, CHANGE))
    assert "key_info_evidence" in [m.code for m in r.missing]
    r2 = svc.intake(CHANGE, {**_change_form("一般信息"), "ssn": make_id_number("150105", date(1980, 1, 2), 5, True)},
                    {}, A, confirmed=_confirm(svc, CHANGE))
    assert "key_info_evidence" not in [m.code for m in r2.missing]


def test_three_tier_chain_with_separation_and_outbox_order(svc):
    r = svc.intake(CHANGE, _change_form("关键信息"), _all(svc, CHANGE), A, confirmed=_confirm(svc, CHANGE))
    cid = r.case.case_id
    assert r.outcome is IntakeOutcome.accepted and r.case.promised_due
    svc.act(cid, Action.submit, A)
    with pytest.raises(WorkflowError):
        svc.act(cid, Action.approve_review, AB)  # the acceptor cannot review (000 §6)
    assert svc.get(cid).status == "review"
    svc.act(cid, Action.approve_review, B)
    with pytest.raises(WorkflowError):
        svc.act(cid, Action.approve_recheck, Actor("B", "乙", "复核员", "T02", "150102", ("审核员", "复核员")))
    svc.act(cid, Action.approve_recheck, C)
    assert svc.get(cid).status == "approval"
    done = svc.act(cid, Action.approve_final, D)
    assert done.status == "completed"
    assert [e.kind for e in svc.events(cid)] == ["accept", "submit", "approve_review", "approve_recheck",
                                                 "approve_final"]
    with svc.store.session() as s:
        msgs = list(s.scalars(select(OutboxMessage).where(OutboxMessage.aggregate_id == cid)
                              .order_by(OutboxMessage.seq)))
        assert [m.kind for m in msgs] == ["case.submit"] + ["case.event"] * 4
        for prev, nxt in zip(msgs, msgs[1:]):
            assert nxt.depends_on == prev.message_id  # a 审核 is sent only after its 受理
        assert verify_chain(s) is None


def test_stale_version_is_refused(svc):
    r = svc.intake(CHANGE, _change_form("重要信息"), _all(svc, CHANGE), A, confirmed=_confirm(svc, CHANGE))
    cid, version = r.case.case_id, r.case.version
    svc.act(cid, Action.submit, A, expected_version=version)
    with pytest.raises(StaleCase):
        svc.act(cid, Action.terminate, A, reason="x", expected_version=version)
    with svc.store.session() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.case_id == cid)) == 2


def _at(y, m, d):
    return datetime(y, m, d, 2, 0, tzinfo=timezone.utc)  # 10:00 in Asia/Shanghai


def test_deadline_counts_working_days_and_skips_paused_time():
    cal = load_calendar()
    limit = TimeLimit(kind=LimitKind.working_days, days=3, text="3个工作日")
    spans = [StatusSpan(Status.accepted, _at(2025, 9, 30)), StatusSpan(Status.review, _at(2025, 9, 30))]
    d = compute_deadline(limit, spans, cal, _at(2025, 10, 9))
    assert d.due == date(2025, 10, 11) and d.urgency is Urgency.ok and d.remaining == 2
    # suspended (中止) Thu 10-09 → Mon 10-13: 10-10, 10-11 (worked Saturday) and 10-13 do not count, so after
    # day 1 (10-09) the clock resumes: day 2 = Tue 10-14, day 3 = Wed 10-15
    paused = spans + [StatusSpan(Status.suspended, _at(2025, 10, 9)), StatusSpan(Status.review, _at(2025, 10, 13))]
    d2 = compute_deadline(limit, paused, cal, _at(2025, 10, 13))
    assert d2.paused_days == 3 and d2.due == date(2025, 10, 15)
    late = compute_deadline(limit, spans, cal, _at(2025, 10, 14))
    assert late.urgency is Urgency.overdue and late.remaining < 0


def test_deadline_calendar_days_and_gap_year():
    cal = load_calendar()
    spans = [StatusSpan(Status.accepted, _at(2026, 12, 20))]
    d = compute_deadline(TimeLimit(kind=LimitKind.calendar_days, days=30, text="30日"), spans, cal, _at(2026, 12, 21))
    assert d.due == date(2027, 1, 19)
    gap = compute_deadline(TimeLimit(kind=LimitKind.working_days, days=15, text="15个工作日"), spans, cal,
                           _at(2026, 12, 21))
    assert gap.urgency is Urgency.unknown and "2027年" in gap.note


PAYACC = "rural_urban_resident_payment_account"  # offline policy "limited": 受理 offline, 办结 only online


def _payacc_form():
    return {"ssn": SSN, "name": "巴特尔", "phone": "13904711234", "bank_name": "中国农业银行",
            "bank_account": "6228480012345678901"}


def test_limited_item_taken_in_offline_waits_for_the_network_to_be_completed(svc):
    """catalog offline.policy = limited: offline 受理 stays 已受理; 办结 is refused until the centre is reachable."""
    item = svc.catalog.get(PAYACC)
    assert item.offline.policy.value == "limited" and item.instant
    r = svc.intake(PAYACC, _payacc_form(), _all(svc, PAYACC), A, confirmed=_confirm(svc, PAYACC), online=False)
    assert r.outcome is IntakeOutcome.accepted and r.case.status == "accepted"  # not 即时办结 while offline
    with pytest.raises(ValidationFailed) as err:
        svc.act(r.case.case_id, Action.complete, A, online=False)
    assert "须联网后才能办结" in err.value.user_message and err.value.field == "offline"
    assert svc.act(r.case.case_id, Action.complete, A, online=True).status == "completed"


def test_limited_item_online_is_completed_on_the_spot_and_channel_is_kept(svc):
    r = svc.intake(PAYACC, _payacc_form(), _all(svc, PAYACC), A, confirmed=_confirm(svc, PAYACC), online=True,
                   channel="kiosk")
    assert r.case.status == "completed"
    assert r.case.payload["channel"] == "kiosk"
    other = svc.intake(ENROL, {"ssn": make_id_number("150102", date(1980, 5, 5), 11, False), "name": "其其格",
                               "phone": "13904711235", "enrolment_date": "2026-11-25"},
                       _all(svc, ENROL), A, confirmed=_confirm(svc, ENROL))
    assert other.case.payload["channel"] == "counter"


def test_intake_enforces_the_permission_matrix_per_role_and_item(svc):
    """resources/security/permissions.yaml (000 §77): fund payments are taken in at the counter only; a 管理员 takes
    in nothing. Refused before anything is written."""
    from app.security.permissions import PermissionDenied
    from app.store.models import Case

    lump = "employee_pension_account_lump_sum"
    kiosk = Actor("kiosk-K1", "自助终端", "自助终端", "K1", "150102", ("自助终端",))
    admin = Actor("root", "管理员", "管理员", "T09", "150102", ("管理员",))
    for actor, code in ((kiosk, lump), (admin, ENROL)):
        item = svc.catalog.get(code)
        with pytest.raises(PermissionDenied) as err:
            svc.intake(code, _form_for(svc, code), _all(svc, code), actor, confirmed=_confirm(svc, code))
        assert err.value.user_message and item.code == code
    with svc.store.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0


def _form_for(svc, code):
    if code == ENROL:
        return {"ssn": SSN, "name": "巴特尔", "phone": "13904711234", "enrolment_date": "2026-11-25"}
    return {}
