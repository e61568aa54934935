"""The case state machine: which action may move a case from which state, who may do it, and the per-case
separation of duties (受理审核分离 000 §6; 经办/复核分离 002 §40). Pure functions: the caller persists the result."""
from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from app.errors import YichuangError
from app.workflow.roles import Role


class Status(str, Enum):
    accepted = "accepted"  # 已受理
    correction = "correction"  # 补正中（一次性告知后中止，材料补齐后继续）
    review = "review"  # 待审核 / 初审
    recheck = "recheck"  # 待复核 / 复审
    approval = "approval"  # 待审批（分管领导）
    returned = "returned"  # 已退回经办人
    suspended = "suspended"  # 中止（如工伤认定中止），时限暂停
    completed = "completed"  # 已办结
    refused = "refused"  # 不予受理
    terminated = "terminated"  # 终止办理
    withdrawn = "withdrawn"  # 申请人撤回


STATUS_LABELS = {Status.accepted: "已受理", Status.correction: "待补正", Status.review: "待审核",
                 Status.recheck: "待复核", Status.approval: "待审批", Status.returned: "已退回",
                 Status.suspended: "已中止",
                 Status.completed: "已办结", Status.refused: "不予受理", Status.terminated: "已终止",
                 Status.withdrawn: "已撤回"}
FINAL = {Status.completed, Status.refused, Status.terminated, Status.withdrawn}
PAUSED = {Status.correction, Status.suspended}  # time limits stop: 补正 and 中止 do not count (e.g. 004:L10514)


class Action(str, Enum):
    accept = "accept"  # 受理
    notify_correction = "notify_correction"  # 一次性告知，转补正
    refuse = "refuse"  # 不予受理
    resume = "resume"  # 补正后继续 / 中止后恢复
    suspend = "suspend"  # 中止
    submit = "submit"  # 提交审核
    approve_review = "approve_review"  # 审核通过
    approve_recheck = "approve_recheck"  # 复核通过
    approve_final = "approve_final"  # 审批通过
    return_ = "return"  # 退回经办人
    complete = "complete"  # 办结
    terminate = "terminate"  # 终止
    withdraw = "withdraw"  # 申请人撤回


ACTION_LABELS = {Action.accept: "受理", Action.notify_correction: "一次性告知补正", Action.refuse: "不予受理",
                 Action.resume: "继续办理", Action.suspend: "中止", Action.submit: "提交审核", Action.approve_review: "审核通过",
                 Action.approve_recheck: "复核通过", Action.approve_final: "审批通过", Action.return_: "退回",
                 Action.complete: "办结", Action.terminate: "终止办理", Action.withdraw: "撤回"}
NEEDS_REASON = {Action.refuse, Action.return_, Action.terminate, Action.withdraw, Action.notify_correction,
                Action.suspend}
FRONT_OFFICE = {Role.clerk, Role.kiosk, Role.field}


class WorkflowError(YichuangError):
    code = "workflow_refused"


@dataclass(frozen=True)
class Stages:
    """Which checks an item has after 受理 (from the catalog's stage kinds)."""

    review: bool = False
    recheck: bool = False
    approval: bool = False

    @classmethod
    def from_kinds(cls, kinds) -> "Stages":
        k = {getattr(x, "value", x) for x in kinds}
        return cls("review" in k, "recheck" in k, "approve" in k)

    def first_check(self) -> Status | None:
        return Status.review if self.review else Status.recheck if self.recheck else (
            Status.approval if self.approval else None)


@dataclass(frozen=True)
class History:
    """Who did what on this case so far (operator ids), for the separation rules."""

    acceptor: str | None = None
    reviewers: frozenset[str] = frozenset()
    recheckers: frozenset[str] = frozenset()
    suspended_from: "Status | None" = None  # the status a 中止 interrupted

    @classmethod
    def from_events(cls, events) -> "History":
        """Rebuild from a case's events in order (anything with kind, from_status, to_status, operator_id): the
        same derivation on the terminal and on the central server, so both enforce the same separation of duties."""
        acceptor = next((e.operator_id for e in events if e.kind in (Action.accept.value, Action.resume.value)
                         and e.from_status in (None, Status.correction.value)), None)
        reviewers = frozenset(e.operator_id for e in events if e.from_status == Status.review.value
                              and e.kind in (Action.approve_review.value, Action.return_.value))
        recheckers = frozenset(e.operator_id for e in events if e.from_status == Status.recheck.value
                               and e.kind in (Action.approve_recheck.value, Action.return_.value))
        suspended_from = None
        if events and events[-1].to_status == Status.suspended.value:
            suspended_from = Status(events[-1].from_status)
        return cls(acceptor, reviewers, recheckers, suspended_from)


@dataclass(frozen=True)
class Transition:
    action: Action
    from_status: Status | None
    to_status: Status
    role: Role


def _refuse(msg: str, detail: str) -> WorkflowError:
    return WorkflowError(msg, detail)


def _require_role(roles: tuple[Role, ...], allowed: set[Role], action: Action) -> Role:
    for r in roles:
        if r in allowed:
            return r
    names = "、".join(sorted(r.value for r in allowed))
    raise _refuse(f"您没有“{ACTION_LABELS[action]}”的权限（需要岗位：{names}）。", f"role missing for {action.value}")


def _after(stages: Stages, current: Status) -> Status:
    """The status after a passed check: the next configured check, or 办结 when it was the last one."""
    order = [s for s, on in ((Status.review, stages.review), (Status.recheck, stages.recheck),
                              (Status.approval, stages.approval)) if on]
    idx = order.index(current)
    return order[idx + 1] if idx + 1 < len(order) else Status.completed


def plan(action: Action, status: Status | None, *, stages: Stages, history: History, operator_id: str,
         roles: tuple[Role, ...], reason: str | None = None) -> Transition:
    """Decide a transition or raise WorkflowError with a Chinese message. `status` None means a new case."""
    if action in NEEDS_REASON and not (reason or "").strip():
        raise _refuse(f"“{ACTION_LABELS[action]}”必须填写原因。", f"reason missing for {action.value}")
    if status in FINAL:
        raise _refuse(f"该业务已{STATUS_LABELS[status]}，不能再{ACTION_LABELS[action]}。",
                      f"{action.value} on final status {status.value}")

    def bad_state() -> WorkflowError:
        where = STATUS_LABELS[status] if status else "新建"
        return _refuse(f"当前状态为“{where}”，不能执行“{ACTION_LABELS[action]}”。",
                       f"{action.value} not allowed from {status}")

    if action in (Action.accept, Action.notify_correction, Action.refuse):
        if status is not None and not (action is Action.refuse and status is Status.correction):
            raise bad_state()
        role = _require_role(roles, FRONT_OFFICE, action)
        target = {Action.accept: Status.accepted, Action.notify_correction: Status.correction,
                  Action.refuse: Status.refused}[action]
        return Transition(action, status, target, role)
    if status is None:
        raise bad_state()
    if action is Action.resume:
        if status is Status.correction:
            return Transition(action, status, Status.accepted, _require_role(roles, FRONT_OFFICE, action))
        if status is Status.suspended and history.suspended_from is not None:
            role = _require_role(roles, FRONT_OFFICE | {Role.reviewer, Role.rechecker, Role.approver}, action)
            return Transition(action, status, history.suspended_from, role)
        raise bad_state()
    if action is Action.suspend:
        if status not in (Status.accepted, Status.review, Status.recheck, Status.approval, Status.returned):
            raise bad_state()
        role = _require_role(roles, FRONT_OFFICE | {Role.reviewer, Role.rechecker, Role.approver}, action)
        return Transition(action, status, Status.suspended, role)
    if action is Action.submit:
        if status not in (Status.accepted, Status.returned):
            raise bad_state()
        first = stages.first_check()
        if first is None:
            raise _refuse("该事项无审核环节，请直接办结。", "submit on item without checks")
        return Transition(action, status, first, _require_role(roles, FRONT_OFFICE, action))
    if action is Action.approve_review:
        if status is not Status.review:
            raise bad_state()
        role = _require_role(roles, {Role.reviewer}, action)
        if operator_id == history.acceptor:
            raise _refuse("受理人不能审核本人受理的业务（受理审核分离，000 §6）。", "acceptor reviewing own case")
        return Transition(action, status, _after(stages, status), role)
    if action is Action.approve_recheck:
        if status is not Status.recheck:
            raise bad_state()
        role = _require_role(roles, {Role.rechecker}, action)
        if operator_id == history.acceptor or operator_id in history.reviewers:
            raise _refuse("复核人不能是本业务的受理人或审核人（经办与复核分离，002 §40）。",
                          "rechecker already acted on case")
        return Transition(action, status, _after(stages, status), role)
    if action is Action.approve_final:
        if status is not Status.approval:
            raise bad_state()
        role = _require_role(roles, {Role.approver}, action)
        if operator_id == history.acceptor or operator_id in history.reviewers | history.recheckers:
            raise _refuse("审批人不能是本业务的受理人、审核人或复核人（岗位不相容，000 §77）。",
                          "approver already acted on case")
        return Transition(action, status, Status.completed, role)
    if action is Action.return_:
        if status not in (Status.review, Status.recheck, Status.approval):
            raise bad_state()
        allowed = {Status.review: {Role.reviewer}, Status.recheck: {Role.rechecker},
                   Status.approval: {Role.approver}}[status]
        role = _require_role(roles, allowed, action)
        if operator_id == history.acceptor:
            raise _refuse("受理人不能处理本人受理业务的审核环节（受理审核分离，000 §6）。", "acceptor returning own case")
        return Transition(action, status, Status.returned, role)
    if action is Action.complete:
        if status is not Status.accepted:
            raise bad_state()
        if stages.first_check() is not None:
            raise _refuse("该事项须经审核后办结，请先提交审核。", "complete before checks")
        return Transition(action, status, Status.completed, _require_role(roles, FRONT_OFFICE, action))
    if action is Action.terminate:
        role = _require_role(roles, FRONT_OFFICE | {Role.reviewer, Role.rechecker, Role.approver}, action)
        if status in (Status.review, Status.recheck, Status.approval) and operator_id == history.acceptor:
            raise _refuse("受理人不能终止已提交审核的本人受理业务。", "acceptor terminating in review")
        return Transition(action, status, Status.terminated, role)
    if action is Action.withdraw:
        return Transition(action, status, Status.withdrawn, _require_role(roles, FRONT_OFFICE, action))
    raise bad_state()
