"""Every transition of the case state machine and every separation-of-duties rule (rules-digest cases 29–30)."""
import pytest

from app.workflow.machine import Action, History, Stages, Status, WorkflowError, plan
from app.workflow.roles import IncompatibleRoles, Role, check_role_assignment

CLERK = (Role.clerk,)
REVIEWER = (Role.reviewer,)
RECHECKER = (Role.rechecker,)
APPROVER = (Role.approver,)
FULL = Stages(review=True, recheck=True, approval=True)
TWO = Stages(review=True, recheck=True)
NONE = Stages()
H = History(acceptor="A")


def go(action, status, stages=TWO, history=H, op="X", roles=CLERK, reason=None):
    return plan(action, status, stages=stages, history=history, operator_id=op, roles=roles, reason=reason)


def test_new_case_outcomes():
    assert go(Action.accept, None, op="A").to_status is Status.accepted
    assert go(Action.notify_correction, None, op="A", reason="缺户口簿").to_status is Status.correction
    assert go(Action.refuse, None, op="A", reason="未满16周岁").to_status is Status.refused
    with pytest.raises(WorkflowError):
        go(Action.accept, Status.accepted, op="A")


def test_correction_resumes_or_is_refused():
    assert go(Action.resume, Status.correction, op="A").to_status is Status.accepted
    assert go(Action.refuse, Status.correction, op="A", reason="逾期未补正").to_status is Status.refused
    with pytest.raises(WorkflowError):
        go(Action.resume, Status.accepted, op="A")


def test_full_chain_review_recheck_approval():
    assert go(Action.submit, Status.accepted, FULL, op="A").to_status is Status.review
    assert go(Action.approve_review, Status.review, FULL, op="B", roles=REVIEWER).to_status is Status.recheck
    hist = History("A", frozenset({"B"}))
    assert go(Action.approve_recheck, Status.recheck, FULL, hist, op="C", roles=RECHECKER).to_status \
        is Status.approval
    hist = History("A", frozenset({"B"}), frozenset({"C"}))
    assert go(Action.approve_final, Status.approval, FULL, hist, op="D", roles=APPROVER).to_status \
        is Status.completed


def test_two_step_chain_completes_on_recheck():
    hist = History("A", frozenset({"B"}))
    assert go(Action.approve_recheck, Status.recheck, TWO, hist, op="C", roles=RECHECKER).to_status \
        is Status.completed


def test_review_only_completes_on_review():
    assert go(Action.approve_review, Status.review, Stages(review=True), op="B", roles=REVIEWER).to_status \
        is Status.completed


def test_instant_item_completes_without_checks():
    assert go(Action.complete, Status.accepted, NONE, op="A").to_status is Status.completed
    with pytest.raises(WorkflowError) as err:
        go(Action.submit, Status.accepted, NONE, op="A")
    assert "无审核环节" in err.value.user_message
    with pytest.raises(WorkflowError) as err:
        go(Action.complete, Status.accepted, TWO, op="A")
    assert "须经审核" in err.value.user_message


def test_acceptor_cannot_review_own_case():
    with pytest.raises(WorkflowError) as err:
        go(Action.approve_review, Status.review, op="A", roles=(Role.clerk, Role.reviewer))
    assert "000 §6" in err.value.user_message


def test_reviewer_cannot_recheck_same_case():
    hist = History("A", frozenset({"B"}))
    with pytest.raises(WorkflowError) as err:
        go(Action.approve_recheck, Status.recheck, TWO, hist, op="B", roles=(Role.reviewer, Role.rechecker))
    assert "002 §40" in err.value.user_message
    with pytest.raises(WorkflowError):
        go(Action.approve_recheck, Status.recheck, TWO, hist, op="A", roles=RECHECKER)


def test_approver_must_be_a_fourth_person():
    hist = History("A", frozenset({"B"}), frozenset({"C"}))
    for op in ("A", "B", "C"):
        with pytest.raises(WorkflowError):
            go(Action.approve_final, Status.approval, FULL, hist, op=op, roles=APPROVER)


def test_roles_are_required():
    with pytest.raises(WorkflowError) as err:
        go(Action.approve_review, Status.review, op="B", roles=CLERK)
    assert "审核员" in err.value.user_message
    with pytest.raises(WorkflowError):
        go(Action.accept, None, op="B", roles=REVIEWER)


def test_return_needs_reason_and_goes_back_to_clerk():
    with pytest.raises(WorkflowError) as err:
        go(Action.return_, Status.review, op="B", roles=REVIEWER)
    assert "原因" in err.value.user_message
    t = go(Action.return_, Status.review, op="B", roles=REVIEWER, reason="照片不清晰")
    assert t.to_status is Status.returned
    assert go(Action.submit, Status.returned, op="A").to_status is Status.review
    assert go(Action.return_, Status.recheck, op="C", roles=RECHECKER, reason="x").to_status is Status.returned


def test_terminate_and_withdraw_from_open_states_only():
    for st in (Status.accepted, Status.correction, Status.returned):
        assert go(Action.withdraw, st, op="A", reason="申请人撤回").to_status is Status.withdrawn
        assert go(Action.terminate, st, op="A", reason="不符合条件").to_status is Status.terminated
    assert go(Action.terminate, Status.review, op="B", roles=REVIEWER, reason="不符合").to_status is Status.terminated
    for final in (Status.completed, Status.refused, Status.terminated, Status.withdrawn):
        with pytest.raises(WorkflowError) as err:
            go(Action.withdraw, final, op="A", reason="x")
        assert "不能再" in err.value.user_message


def test_wrong_state_messages_are_chinese():
    with pytest.raises(WorkflowError) as err:
        go(Action.approve_review, Status.accepted, op="B", roles=REVIEWER)
    assert "当前状态为“已受理”" in err.value.user_message


def test_incompatible_role_families_refused_with_rule():
    assert check_role_assignment(["受理员", "审核员"]) == (Role.clerk, Role.reviewer)
    with pytest.raises(IncompatibleRoles) as err:
        check_role_assignment(["受理员", "财务人员"])
    assert "业务运行" in err.value.user_message and "基金财务" in err.value.user_message
    assert "001 ch11" in err.value.rule
    with pytest.raises(IncompatibleRoles):
        check_role_assignment(["数据管理员", "稽核员"])
