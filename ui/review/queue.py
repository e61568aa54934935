"""The back-office work queue: cases waiting for the operator's roles, nearest deadline first."""
from __future__ import annotations

from PySide6.QtWidgets import QWidget

from app.workflow.machine import STATUS_LABELS
from ui.review.case_list import REFRESH_MS, CaseListBase
from ui.review.model import fetch_rows, queue_statuses, session_roles
from ui.texts import domain


class ReviewQueueWidget(CaseListBase):
    """审核员 → 待审核, 复核员 → 待复核, 审批人 → 待审批, 受理员 → 已退回/待补正 (and 中止 cases of those stages).
    Emits `open_case(case_id)` on Enter or double-click."""

    COLUMNS = ("case_no", "item", "name", "ssn", "status", "accepted", "due", "remaining")

    def __init__(self, runtime, session, refresh_ms: int = REFRESH_MS, parent: QWidget | None = None):
        super().__init__(runtime, session, refresh_ms, parent)
        self.statuses, self.suspended_from = queue_statuses(session_roles(session))
        self.title_label.setText(self._title(None))
        self.rows_loaded.connect(lambda n: self.title_label.setText(self._title(n)))
        self.refresh()

    def headers(self) -> list[str]:
        return [self.tr("受理编号"), self.tr("事项"), self.tr("申请人"), self.tr("公民身份号码"), self.tr("状态"),
                self.tr("受理日"), self.tr("承诺办结日"), self.tr("剩余")]

    def _title(self, count: int | None) -> str:
        waiting = self.tr("、").join(domain(STATUS_LABELS[s]) for s in self.statuses) or self.tr("无")
        if count is None:
            return self.tr("我的待办（{0}）").format(waiting)
        return self.tr("我的待办（{0}）：{1} 件").format(waiting, count)

    def fetch_job(self):
        if not self.statuses:
            return None
        runtime, statuses, suspended = self.runtime, self.statuses, self.suspended_from
        return lambda: fetch_rows(runtime, statuses, suspended)

    def empty_text(self) -> str:
        if not self.statuses:
            return self.tr("您的岗位没有待办的审核业务")
        return self.tr("暂无待办业务")
