"""The supervisor's overview: every open case with its stage and remaining time, and counts per urgency."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QWidget

from app.workflow.deadlines import URGENCY_LABELS, Urgency
from ui.review.case_list import REFRESH_MS, CaseListBase
from ui.review.model import OPEN_STATUSES, CaseRow, fetch_rows
from ui.style import ERROR, SUCCESS, WARN
from ui.texts import domain

COUNTED = (Urgency.ok, Urgency.due_soon, Urgency.overdue)
_COLOURS = {Urgency.ok: (SUCCESS, "#e8f5e9"), Urgency.due_soon: (WARN, "#fff8e1"), Urgency.overdue: (ERROR, "#fdecea")}


class SupervisorView(CaseListBase):
    """All cases not yet 办结/终止/不予受理/撤回, nearest deadline first. Emits `open_case(case_id)`."""

    COLUMNS = ("case_no", "item", "name", "status", "operator", "accepted", "due", "remaining")

    def __init__(self, runtime, session, refresh_ms: int = REFRESH_MS, parent: QWidget | None = None):
        super().__init__(runtime, session, refresh_ms, parent)
        self.counts: dict[Urgency, int] = {u: 0 for u in Urgency}
        self.title_label.setText(self.tr("在办业务"))
        self.count_labels: dict[Urgency, QLabel] = {}
        tiles = QHBoxLayout()
        tiles.setSpacing(10)
        for urgency in COUNTED:
            fg, bg = _COLOURS[urgency]
            label = QLabel()
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setMinimumWidth(150)
            label.setContentsMargins(14, 6, 14, 6)
            label.setStyleSheet(f"QLabel {{ color: {fg}; background: {bg}; border: 1px solid {fg};"
                                f" border-radius: 4px; font-size: 13pt; font-weight: bold; }}")
            self.count_labels[urgency] = label
            tiles.addWidget(label)
        self.other_label = QLabel()
        self.other_label.setObjectName("itemFacts")
        tiles.addWidget(self.other_label)
        tiles.addStretch(1)
        self.layout_.insertLayout(1, tiles)
        self._show_counts()
        self.refresh()

    def headers(self) -> list[str]:
        return [self.tr("受理编号"), self.tr("事项"), self.tr("申请人"), self.tr("所处环节"), self.tr("受理人"),
                self.tr("受理日"), self.tr("承诺办结日"), self.tr("剩余")]

    def fetch_job(self):
        runtime = self.runtime
        return lambda: fetch_rows(runtime, OPEN_STATUSES)

    def show_rows(self, rows: list[CaseRow]) -> None:
        super().show_rows(rows)
        self.counts = {u: 0 for u in Urgency}
        for row in rows:
            self.counts[row.deadline.urgency] += 1
        self.title_label.setText(self.tr("在办业务：{0} 件").format(len(rows)))
        self._show_counts()

    def _show_counts(self) -> None:
        for urgency, label in self.count_labels.items():
            label.setText(self.tr("{0}　{1}").format(domain(URGENCY_LABELS[urgency]), self.counts[urgency]))
        others = sum(n for u, n in self.counts.items() if u not in COUNTED)
        self.other_label.setText(self.tr("无时限或日历缺失：{0}").format(others) if others else "")

    def empty_text(self) -> str:
        return self.tr("没有在办业务")
