"""What the back-office lists show: which statuses wait for which role, and each case read with its deadline."""
from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication

from app.cases.service import Actor, CaseView
from app.catalog.model import LimitKind
from app.workflow.deadlines import Deadline, Urgency
from app.workflow.machine import FINAL, PAUSED, Status
from app.workflow.roles import Role

# Statuses that wait for a role; a 中止 case comes back to the role whose stage it interrupted.
ROLE_QUEUES: dict[Role, tuple[Status, ...]] = {
    Role.reviewer: (Status.review,),
    Role.rechecker: (Status.recheck,),
    Role.approver: (Status.approval,),
    Role.clerk: (Status.returned, Status.correction),
}
ROLE_SUSPENDED_FROM: dict[Role, tuple[Status, ...]] = {
    Role.reviewer: (Status.review,),
    Role.rechecker: (Status.recheck,),
    Role.approver: (Status.approval,),
    Role.clerk: (Status.accepted, Status.returned),
}
CHECK_ROLE: dict[Status, Role] = {Status.review: Role.reviewer, Status.recheck: Role.rechecker,
                                  Status.approval: Role.approver}
OPEN_STATUSES: tuple[Status, ...] = tuple(s for s in Status if s not in FINAL)


_translate = QCoreApplication.translate  # lupdate reads _translate("Review", "…")


def session_roles(session) -> tuple[Role, ...]:
    """The operator's roles; names this client does not know are ignored (they grant nothing here)."""
    known = {r.value: r for r in Role}
    return tuple(dict.fromkeys(known[n] for n in session.roles if n in known))


def actor_for(runtime, session) -> Actor:
    terminal = runtime.settings.terminal
    return Actor(session.operator_id, session.name, session.primary_role, terminal.terminal_id,
                 terminal.agency_code, roles=tuple(session.roles))


def queue_statuses(roles: tuple[Role, ...]) -> tuple[tuple[Status, ...], tuple[Status, ...]]:
    """(statuses waiting for these roles, stages whose 中止 cases they resume)."""
    waiting = tuple(dict.fromkeys(s for r in roles for s in ROLE_QUEUES.get(r, ())))
    suspended = tuple(dict.fromkeys(s for r in roles for s in ROLE_SUSPENDED_FROM.get(r, ())))
    return waiting, suspended


@dataclass(frozen=True)
class CaseRow:
    case: CaseView
    deadline: Deadline
    working_days: bool  # remaining counted in working days (else calendar days)

    @property
    def sort_key(self):
        remaining = self.deadline.remaining
        return (remaining is None, remaining if remaining is not None else 0, self.case.promised_due or "9999",
                self.case.created_at)

    @property
    def paused(self) -> bool:
        return Status(self.case.status) in PAUSED


def fetch_rows(runtime, statuses, suspended_from=None) -> list[CaseRow]:
    """Blocking (call it on a worker thread): cases in `statuses`, plus 中止 cases interrupted in one of
    `suspended_from` (None: every 中止 case in `statuses`), nearest remaining time first."""
    cases = runtime.cases
    wanted = list(statuses)
    if suspended_from and Status.suspended not in wanted:
        wanted.append(Status.suspended)
    if not wanted:
        return []
    origins = {s.value for s in suspended_from} if suspended_from else None
    rows = []
    for case in cases.queue(wanted):
        if case.status == Status.suspended.value and origins is not None \
                and Status.suspended not in statuses:
            events = cases.events(case.case_id)
            if not events or events[-1].from_status not in origins:
                continue
        try:
            working = runtime.catalog.get(case.item_code).time_limit_promised.kind is LimitKind.working_days
        except KeyError:  # item withdrawn from the catalog since: the case still has to be finished
            working = True
        rows.append(CaseRow(case, cases.deadline(case.case_id), working))
    rows.sort(key=lambda r: r.sort_key)
    return rows


def remaining_text(deadline: Deadline, working_days: bool, paused: bool = False) -> str:
    u = deadline.urgency
    if u is Urgency.none:
        return _translate("Review", "无时限")
    if u is Urgency.unknown:
        return _translate("Review", "日历缺失")
    if u is Urgency.done or deadline.remaining is None:
        return _translate("Review", "已办结")
    r = deadline.remaining
    unit = _translate("Review", "个工作日") if working_days else _translate("Review", "天")
    text = _translate("Review", "今日到期") if r == 0 else (_translate("Review", "{0} {1}").format(r, unit) if r > 0 else
                                        _translate("Review", "超期 {0} {1}").format(-r, unit))
    return text + (_translate("Review", "（暂停计时）") if paused else "")


def urgency_state(deadline: Deadline) -> str:
    """The `state` property value the style sheet colours by (role="status")."""
    return {Urgency.overdue: "error", Urgency.due_soon: "warn", Urgency.ok: "ok"}.get(deadline.urgency, "unknown")
