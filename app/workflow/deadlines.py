"""Deadlines of a case: the clock starts on the day of 受理, counts working or calendar days per the catalog, and
stops while the case is 补正 or 中止 (those days are added back). Instants are UTC; days are Asia/Shanghai dates, so
a wrong terminal clock zone cannot move a deadline."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import Enum

from app.calendar import CalendarGap, WorkCalendar
from app.catalog.model import LimitKind, TimeLimit
from app.clock import to_local
from app.workflow.machine import PAUSED, Status


class Urgency(str, Enum):
    none = "none"  # no computable limit
    ok = "ok"
    due_soon = "due_soon"
    overdue = "overdue"
    done = "done"
    unknown = "unknown"  # calendar of a needed year not loaded


URGENCY_LABELS = {Urgency.none: "无时限", Urgency.ok: "正常", Urgency.due_soon: "即将到期", Urgency.overdue: "已超期",
                  Urgency.done: "已办结", Urgency.unknown: "日历缺失"}


@dataclass(frozen=True)
class StatusSpan:
    """A status held from `start` (aware UTC) until the next event."""

    status: Status
    start: datetime


@dataclass(frozen=True)
class Deadline:
    due: date | None
    paused_days: int  # working (or calendar) days not counted because the case was 补正/中止
    urgency: Urgency
    remaining: int | None  # working/calendar days left today (negative = overdue)
    note: str = ""


def _paused(spans: list[StatusSpan], until: datetime, count) -> int:
    total = 0
    for i, span in enumerate(spans):
        if span.status not in PAUSED:
            continue
        end = spans[i + 1].start if i + 1 < len(spans) else until
        total += count(to_local(span.start).date(), to_local(end).date())
    return total


def compute_deadline(limit: TimeLimit, spans: list[StatusSpan], calendar: WorkCalendar, now: datetime,
                     warn_days: int = 1) -> Deadline:
    """`spans` are the case's statuses in order. The clock starts at the first 受理 (accepted)."""
    start = next((s.start for s in spans if s.status is Status.accepted), None)
    final = spans[-1].status if spans else None
    if start is None:
        return Deadline(None, 0, Urgency.none, None, "尚未受理")
    start_day = to_local(start).date()
    today = to_local(now).date()
    if limit.kind in (LimitKind.none, LimitKind.text):
        return Deadline(None, 0, Urgency.none, None, limit.label())
    try:
        if limit.kind is LimitKind.instant:
            due, paused, remaining = start_day, 0, (start_day - today).days
        elif limit.kind is LimitKind.working_days:
            paused = _paused(spans, now, calendar.working_days_between)
            due = calendar.add_working_days(start_day, limit.days + paused)
            remaining = calendar.working_days_between(today, due) if due >= today else \
                -calendar.working_days_between(due, today)
        else:
            paused = _paused(spans, now, lambda a, b: max(0, (b - a).days))
            due = start_day + timedelta(days=limit.days + paused)
            remaining = (due - today).days
    except CalendarGap as gap:
        return Deadline(None, 0, Urgency.unknown, None, gap.user_message)
    if final in (Status.completed, Status.refused, Status.terminated, Status.withdrawn):
        return Deadline(due, paused, Urgency.done, None)
    urgency = Urgency.overdue if remaining < 0 else Urgency.due_soon if remaining <= warn_days else Urgency.ok
    return Deadline(due, paused, urgency, remaining)
