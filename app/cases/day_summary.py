"""The clerk's day summary (今日工作小结): cases taken in today by this operator and their outcomes, the operator's
open cases, those past their promised time limit, and documents printed today. Qt-free; answered from indexes."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import and_, func, select

from app.clock import LOCAL_TZ, as_utc, local_today
from app.store import Store
from app.store.models import AuditRecord, Case, OutboxMessage
from app.workflow.machine import FINAL, PAUSED, Status

_OPEN = [s.value for s in Status if s not in FINAL]
_RUNNING = [s.value for s in Status if s not in FINAL and s not in PAUSED]  # the time limit is counting


@dataclass(frozen=True)
class DaySummary:
    day: date
    operator_id: str
    taken_in: int  # 今日接件：cases this operator created today, whatever the outcome
    accepted: int  # 受理 (incl. 即时办结)
    completed: int  # 即时办结 / already 办结
    told: int  # 一次性告知（待补正）
    refused: int  # 不予受理
    pending: int  # 在办：the operator's cases of any day not yet final
    overdue: int  # 超期：in 办 with the promised time limit passed (补正/中止 time does not count)
    printed: int  # print jobs today
    printed_copies: int
    upload_pending: int  # this terminal's messages still waiting for the central system

    def lines(self) -> list[tuple[str, str]]:
        """(label, value) rows for a screen or a slip."""
        return [("今日接件", str(self.taken_in)), ("其中受理", str(self.accepted)), ("即时办结", str(self.completed)),
                ("一次性告知", str(self.told)), ("不予受理", str(self.refused)), ("在办业务", str(self.pending)),
                ("已超期", str(self.overdue)), ("打印文书", f"{self.printed} 次（{self.printed_copies} 份）"),
                ("待上传", str(self.upload_pending))]


def local_day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, LOCAL_TZ)
    return start, start + timedelta(days=1)


def day_summary(store: Store, operator_id: str, day: date | None = None) -> DaySummary:
    day = day or local_today()
    start, end = local_day_bounds(day)
    start_utc, end_utc = as_utc(start), as_utc(end)
    with store.session() as s:
        today = and_(Case.operator_id == operator_id, Case.created_at >= start_utc, Case.created_at < end_utc)
        by_status = dict(s.execute(select(Case.status, func.count()).where(today).group_by(Case.status)).all())
        taken_in = sum(by_status.values())
        accepted = s.scalar(select(func.count()).select_from(Case).where(today, Case.accepted_on.is_not(None)))
        mine_open = and_(Case.operator_id == operator_id, Case.status.in_(_OPEN))
        pending = s.scalar(select(func.count()).select_from(Case).where(mine_open))
        overdue = s.scalar(select(func.count()).select_from(Case).where(
            Case.operator_id == operator_id, Case.status.in_(_RUNNING), Case.promised_due.is_not(None),
            Case.promised_due < day.isoformat()))
        prints = s.execute(select(AuditRecord.detail).where(
            AuditRecord.action == "document.print", AuditRecord.operator_id == operator_id,
            AuditRecord.at >= start_utc, AuditRecord.at < end_utc)).scalars().all()
        upload_pending = s.scalar(select(func.count()).select_from(OutboxMessage)
                                  .where(OutboxMessage.state.in_(("pending", "inflight", "failed"))))
    return DaySummary(day, operator_id, taken_in, int(accepted or 0), by_status.get(Status.completed.value, 0),
                      by_status.get(Status.correction.value, 0), by_status.get(Status.refused.value, 0),
                      int(pending or 0), int(overdue or 0), len(prints),
                      sum(int((d or {}).get("copies", 1)) for d in prints), int(upload_pending or 0))
